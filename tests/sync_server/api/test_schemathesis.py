"""schemathesis against the server's own OpenAPI: no 5xx, no reply outside the schema.

Requests carry a valid device credential and the protocol header, so generated bodies
reach the endpoints' own checks. Examples per operation are bounded to keep the run
well under a minute on two cores.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support.server import ServerProcess
from tests.support.sites import enroll, headers, make_site
from tests.sync_server.conftest import ADMIN_TOKEN

EXAMPLES = 50  # per operation
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def fuzz_credential(live_server: ServerProcess) -> str:
    site = make_site(live_server.storage, "fuzz", 2)
    credential: str = enroll(live_server.url, live_server.enrollment_code(site.id))["credential"]
    return credential


def _operations(live_server: ServerProcess) -> list[Any]:
    schema = schemathesis.openapi.from_url(live_server.url + "/openapi.json")
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"The OpenAPI has an unusable operation: {result.err()}"
        operations.append(result.ok())
    return operations


def _fuzz(live_server: ServerProcess, sent: dict[str, str], operations: list[Any]) -> list[str]:
    failures: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def run(case: Any) -> None:
            case.call_and_validate(base_url=live_server.url, headers=sent, checks=CHECKS)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # schemathesis' failures are groups
            failures.append(f"{operation.label}: {exc!r}")
    return failures


def test_the_sync_api_keeps_its_own_schema(
    live_server: ServerProcess, fuzz_credential: str
) -> None:
    mine = [op for op in _operations(live_server) if not op.path.startswith("/admin/")]
    assert {op.path for op in mine} >= {"/health", "/v1/push", "/v1/pull", "/v1/enroll"}
    failures = _fuzz(live_server, headers(fuzz_credential), mine)
    assert not failures, "\n\n".join(failures)


def test_the_admin_endpoints_keep_the_schema_too(
    live_server: ServerProcess, fuzz_credential: str
) -> None:
    """Admin endpoints other packages mount on the same app (the county forward's)."""
    admin = [op for op in _operations(live_server) if op.path.startswith("/admin/")]
    assert admin, "the county forward's admin endpoints are not mounted"
    as_admin = {**headers(fuzz_credential), "Authorization": f"Bearer {ADMIN_TOKEN}"}
    failures = _fuzz(live_server, as_admin, admin)
    assert not failures, "\n\n".join(failures)
