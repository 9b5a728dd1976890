"""/docs and /redoc work on a server without internet: every asset is served by the server."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlparse

import httpx
import pytest

from tests.support.server import ServerProcess


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_api_docs_load_only_local_assets(live_server: ServerProcess, page: str) -> None:
    reply = httpx.get(live_server.url + page, timeout=10)
    assert reply.status_code == 200
    html = reply.text
    urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    urls += re.findall(r"""url\s*:\s*["']([^"']+)["']""", html)  # the spec Swagger UI loads
    assert urls, html
    assert "cdn" not in html.lower() and "fonts.googleapis" not in html
    for url in urls:
        absolute = urljoin(live_server.url + page, url)
        assert urlparse(absolute).netloc == urlparse(live_server.url).netloc, url
        assert httpx.get(absolute, timeout=10).status_code == 200, url
