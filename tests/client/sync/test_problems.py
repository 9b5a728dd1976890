"""Every failure has a stable code beside its sentence: from a real server on loopback,
kept in the store, and read back after the app starts again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from client.store import Store
from client.sync import (
    Backoff,
    EnrollmentError,
    ErrorCode,
    ProtocolTooOld,
    ServerRefused,
    SyncClient,
)
from sync_server.storage import SqliteStorage
from tests.support.processes import free_port
from tests.support.server import ServerProcess, running_server
from tests.support.sites import make_site

SITE = "paja"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    def seed(storage: SqliteStorage) -> None:
        make_site(storage, SITE)

    with running_server(tmp_path_factory.mktemp("server"), seed=seed) as running:
        yield running


def _client(store: Store, http: httpx.Client) -> SyncClient:
    return SyncClient(store, http, backoff=Backoff(attempts=2), sleep=lambda _s: None)


def _enroll(problem: ErrorCode, server_url: str, code: str) -> EnrollmentError:
    with httpx.Client(timeout=5.0) as http, pytest.raises(EnrollmentError) as caught:
        SyncClient.enroll(http, server_url, code, device_name="Tabletti")
    assert caught.value.code == problem, str(caught.value)
    return caught.value


def test_a_refused_enrollment_says_what_was_wrong_with_the_code(server: ServerProcess) -> None:
    wrong = _enroll(ErrorCode.ENROLLMENT_CODE_INVALID, server.url, "NOT-A-CODE")
    assert "not valid" in str(wrong)  # the sentence stays beside the code
    past = datetime.now(UTC) - timedelta(days=2)
    old, _ = server.storage.create_enrollment_code(SITE, now=past, valid_for=timedelta(hours=1))
    _enroll(ErrorCode.ENROLLMENT_CODE_EXPIRED, server.url, old)
    code = server.enrollment_code(SITE)
    with httpx.Client(timeout=5.0) as http:
        SyncClient.enroll(http, server.url, code, device_name="Tabletti")
    _enroll(ErrorCode.ENROLLMENT_CODE_USED, server.url, code)


def test_address_and_code_are_checked_before_anything_is_sent() -> None:
    _enroll(ErrorCode.NOT_HTTPS, "http://lasna.example.fi", "ABCD")
    _enroll(ErrorCode.URL_INVALID, "lasna.example.fi", "ABCD")
    _enroll(ErrorCode.CODE_MISSING, "https://lasna.example.fi", "  ")
    gone = f"http://127.0.0.1:{free_port()}"
    unreachable = _enroll(ErrorCode.UNREACHABLE, gone, "ABCD")
    assert unreachable.params == {"server": gone}


def test_a_revoked_device_keeps_the_code_of_its_last_error(
    server: ServerProcess, store: Store
) -> None:
    http = httpx.Client(timeout=5.0)
    client = _client(store, http)
    code = server.enrollment_code(SITE)
    client.attach(SyncClient.enroll(http, server.url, code, device_name="A"))
    now = datetime.now(UTC)
    assert client.sync_once(now=now).ok
    device_id = store.get_meta("device_id")
    assert device_id
    server.storage.revoke(device_id, now=now)
    report = client.sync_once(now=now)
    assert not report.ok
    assert (report.error_code, report.error_params) == (ErrorCode.CREDENTIAL_REVOKED, {})
    assert report.error and "revoked" in report.error
    # the app started again: a new client reads the code from the store
    state = _client(store, http).state()
    assert state.last_error_code == ErrorCode.CREDENTIAL_REVOKED
    assert state.last_error == report.error
    http.close()


def test_a_good_round_clears_the_code(server: ServerProcess, store: Store) -> None:
    http = httpx.Client(timeout=5.0)
    client = _client(store, http)
    code = server.enrollment_code(SITE)
    client.attach(SyncClient.enroll(http, server.url, code, device_name="B"))
    store.set_meta("server_url", f"http://127.0.0.1:{free_port()}")  # nobody listens there
    now = datetime.now(UTC)
    assert client.sync_once(now=now).error_code == ErrorCode.UNREACHABLE
    assert client.state().last_error_code == ErrorCode.UNREACHABLE
    store.set_meta("server_url", server.url)
    assert client.sync_once(now=now).ok
    state = client.state()
    assert (state.last_error, state.last_error_code, state.last_error_params) == (None, None, {})
    http.close()


def test_an_error_kept_by_an_older_app_has_no_code(store: Store) -> None:
    store.set_meta("sync_last_error", "The sync server could not be reached.")
    with httpx.Client() as http:
        state = _client(store, http).state()
    assert state.last_error == "The sync server could not be reached."
    assert state.last_error_code is None


@pytest.mark.parametrize(
    ("status", "server_code", "details", "problem", "params"),
    [
        (401, "not_authenticated", {}, ErrorCode.CREDENTIAL_REVOKED, {}),
        (413, "batch_too_large", {"limit_records": 1}, ErrorCode.BATCH_REFUSED, {}),
        (403, "participant_of_another_site", {}, ErrorCode.RECORDS_REFUSED, {}),
        (422, "unknown_participant", {}, ErrorCode.RECORDS_REFUSED, {}),
        (403, "another_site", {}, ErrorCode.ANOTHER_SITE, {}),
        (422, "malformed_body", {}, ErrorCode.REQUEST_REFUSED, {}),
        (400, "bad_request", {}, ErrorCode.REQUEST_REFUSED, {}),
        (409, "something_new", {}, ErrorCode.REFUSED, {"status": 409, "server_code": "x"}),
    ],
)
def test_the_servers_codes_in_the_clients_words(
    status: int,
    server_code: str,
    details: dict[str, object],
    problem: ErrorCode,
    params: dict[str, object],
) -> None:
    refused = ServerRefused(status, server_code, "Ei käy.", details)
    assert refused.code == server_code  # the server's own code, as before
    expected = {**params, "server_code": server_code} if params else {}
    assert refused.problem() == (problem, expected)


def test_enrollment_reasons_and_an_old_protocol() -> None:
    for reason, problem in (
        ("unknown", ErrorCode.ENROLLMENT_CODE_INVALID),
        ("used", ErrorCode.ENROLLMENT_CODE_USED),
        ("expired", ErrorCode.ENROLLMENT_CODE_EXPIRED),
        ("whatever", ErrorCode.ENROLLMENT_REFUSED),
    ):
        refused = ServerRefused(403, "enrollment_refused", "Ei.", {"reason": reason})
        assert refused.enrollment_problem() is problem
    too_old = ProtocolTooOld(426, "protocol_unsupported", "Päivitä.", {"supported": [2]})
    assert too_old.problem() == (ErrorCode.PROTOCOL_TOO_OLD, {})
