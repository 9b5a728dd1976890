"""Issue 11, item 7, the server's side: a month is closed only once its last day has
passed in Finland (Europe/Helsinki), whatever the server's clock zone, on both storage
engines; the refusal names its code and the first day the close is taken."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import httpx
import pytest

from shared.calendar import helsinki_today
from shared.protocol import MonthClose
from sync_server.errors import MonthNotOver
from sync_server.months import close_month
from tests.support.server import ServerProcess
from tests.support.sites import headers, present, push, workdays_before
from tests.sync_server.conftest import EnrolledSite

HELSINKI = ZoneInfo("Europe/Helsinki")


def test_the_month_is_over_at_midnight_in_helsinki_not_in_utc(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    s = site()
    today = helsinki_today(datetime.now(UTC))
    day = workdays_before(today.replace(day=1), 1)[0]
    push(live_server.url, s.credential, [present(day, participant=s.site.participants[0])])
    storage = live_server.storage
    device = storage.authenticate(s.credential, now=datetime.now(UTC))
    assert device is not None
    close = MonthClose(s.site.id, 2025, 3, "ohjaaja-1", datetime(2025, 4, 1, tzinfo=UTC))

    # 31.3.2025 23.59 in Helsinki (20.59 UTC): March is not over there
    late = datetime(2025, 3, 31, 23, 59, tzinfo=HELSINKI)
    with pytest.raises(MonthNotOver) as refused:
        close_month(storage, device, close, now=late.astimezone(UTC))
    assert refused.value.details == {"year": 2025, "month": 3, "from": "2025-04-01"}
    assert (2025, 3) not in storage.closed_months(s.site.id)

    # 1.4.2025 0.01 in Helsinki: still 31.3. in UTC, but the month is over
    early = datetime(2025, 4, 1, 0, 1, tzinfo=HELSINKI)
    assert early.astimezone(UTC).day == 31
    assert close_month(storage, device, close, now=early.astimezone(UTC))
    assert (2025, 3) in storage.closed_months(s.site.id)


def test_closing_the_current_month_over_http_is_refused_with_its_code(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    s = site()
    today = helsinki_today(datetime.now(UTC))
    day = workdays_before(today.replace(day=1), 1)[0]
    push(live_server.url, s.credential, [present(day, participant=s.site.participants[0])])
    body = {
        "site_id": s.site.id,
        "year": today.year,
        "month": today.month,
        "closed_by": "ohjaaja-1",
        "closed_at": datetime.now(UTC).isoformat(),
    }
    reply = httpx.post(
        live_server.url + "/v1/months/close", json=body, headers=headers(s.credential)
    )
    assert reply.status_code == 422
    refusal = reply.json()
    assert refusal["error"] == "month_not_over"
    assert "Finland" in refusal["message"]
    assert refusal["details"]["from"] > today.isoformat()
    assert live_server.storage.closed_months(s.site.id) == set()
