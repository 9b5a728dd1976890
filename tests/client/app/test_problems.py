"""Store and sync errors in the supervisor's language, whatever their code."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from client.app.state import Device
from client.app.texts.i18n import TEXTS, t
from client.app.texts.problems import (
    STORE,
    SYNC,
    Problem,
    needs_action,
    store_problem,
    sync_problem,
)
from client.store import STORE_PROBLEMS, StoreError
from client.sync import SYNC_PROBLEMS, EnrollmentError, ErrorCode, ServerRefused, check_server_url
from shared.error_codes import SERVER_REFUSALS
from tests.client.app.conftest import FakeClock
from tests.client.app.harness import SUPERVISOR


def test_store_refusals_in_swedish(device: Device, clock: FakeClock) -> None:
    with pytest.raises(StoreError) as weak:
        device.store.add_supervisor("sup-2", "Ville", " 12 ", now=clock())
    problem = store_problem(weak.value)
    assert problem.text("sv") == (
        "PIN-koden måste ha minst 6 siffror och får inte vara lätt att gissa "
        "(som 123456 eller 111111)."
    )
    assert problem.text("fi").startswith("PIN-koodissa pitää olla vähintään 6 numeroa")
    with pytest.raises(StoreError) as twice:
        device.store.add_supervisor("sup-1", SUPERVISOR, "987613", now=clock())
    assert store_problem(twice.value).text("sv") == "Handledaren finns redan på den här enheten."


def test_the_wait_after_wrong_pins_is_a_finnish_time(device: Device, clock: FakeClock) -> None:
    device.store.lock()
    errors = []
    for _ in range(5):
        try:
            device.store.unlock("sup-1", "000000", now=clock())
        except StoreError as exc:
            errors.append(exc)
    assert errors[-1].code == ErrorCode.TOO_EARLY
    # 12.00 in Helsinki, and the wait after the fourth wrong PIN is 30 s (to the minute)
    assert store_problem(errors[-1]).text("fi") == (
        "Liian monta väärää PIN-koodia peräkkäin: seuraava yritys klo 12.00."
    )


def test_an_unknown_code_says_something_general_with_the_detail() -> None:
    newer = Problem(SYNC, "from_a_newer_app", {}, "The sync server refused it.")
    assert newer.text("sv") == (
        "Synkroniseringen lyckades inte. Teknisk uppgift för administratören: "
        "The sync server refused it."
    )
    older = Problem(SYNC, None, {}, "The sync server could not be reached.")
    assert older.text("fi").endswith(
        "Tekninen tieto ylläpitäjälle: The sync server could not be reached."
    )
    unfit = Problem(SYNC, ErrorCode.REFUSED, {"status": 409}, "Ei käy.")  # no server_code
    assert unfit.text("en").endswith("Technical detail for the administrator: Ei käy.")
    store = Problem(STORE, "something_new", {}, "Broken.")
    assert store.text("en").endswith("Technical detail for the administrator: Broken.")


def test_only_what_needs_a_person_is_urgent() -> None:
    with pytest.raises(EnrollmentError) as plain:
        check_server_url("http://lasna.example.fi")
    assert needs_action(sync_problem(plain.value))
    assert not needs_action(Problem(SYNC, ErrorCode.UNREACHABLE))
    assert not needs_action(None)


def test_a_problem_is_said_in_the_language_of_the_text_around_it() -> None:
    problem = Problem(SYNC, ErrorCode.PROTOCOL_TOO_OLD)
    assert t("sync.last_error", "sv", detail=problem).startswith("Senaste fel: Servern stöder inte")
    assert t("sync.last_error", "en", detail=problem) == (
        "Last error: The server no longer supports this version of the app. Update the app to "
        "sync again."
    )


# every param a code can carry (client.sync.errors, client.store.errors)
PARAMS = {
    "status": 409,
    "server_code": "x",
    "server": "https://lasna.example.fi",
    "month": 13,
    "min_length": 4,
    "remaining": 2,
    "retry_after": datetime(2026, 1, 1, tzinfo=UTC),
    "field": "day",
    "earliest": "2000-01-01",
    "latest": "2100-12-31",
    "limit": 1000,
}


@pytest.mark.parametrize(
    "key",
    [f"{SYNC}.{code.value}" for code in SYNC_PROBLEMS]
    + [f"{STORE}.{code.value}" for code in STORE_PROBLEMS]
    + [f"{SYNC}.unknown", f"{STORE}.unknown"],
)
def test_every_code_has_a_text_the_params_fit(key: str) -> None:
    assert key in TEXTS  # test_i18n checks the three languages of every key
    namespace, code = key.split(".")
    for lang in ("fi", "sv", "en"):
        said = Problem(namespace, code, PARAMS, "DETAIL").text(lang)
        assert "{" not in said
        # only an unknown code and a fault in the store show the English detail
        shows_detail = code == "unknown" or key == "store_error.failed"
        assert ("DETAIL" in said) == shows_detail, said


SERVERS_ENGLISH = "The sync server refused it, in English."


@pytest.mark.parametrize("code", sorted(ErrorCode))
def test_every_error_code_is_said_in_finnish_swedish_and_english(code: ErrorCode) -> None:
    """Each code is the sync client's, the store's or a refusal the server sends; the
    device says each in its own translated words, the server's English only as detail."""
    if code in SERVER_REFUSALS:
        status = 401 if code == ErrorCode.NOT_AUTHENTICATED else 422
        reported, params = ServerRefused(status, code, SERVERS_ENGLISH).problem()
        assert reported in SYNC_PROBLEMS
        said = [Problem(SYNC, reported, params, SERVERS_ENGLISH)]
    else:
        said = []
    if code in SYNC_PROBLEMS:
        said.append(Problem(SYNC, code, PARAMS, SERVERS_ENGLISH))
    if code in STORE_PROBLEMS:
        said.append(Problem(STORE, code, PARAMS, SERVERS_ENGLISH))
    assert said, f"{code} is neither the device's nor the server's: give it a text"
    for problem in said:
        assert problem.key == f"{problem.namespace}.{problem.code}"  # not the unknown text
        texts = {lang: problem.text(lang) for lang in ("fi", "sv", "en")}
        if problem.key != "store_error.failed":  # a fault in the store shows its detail
            assert SERVERS_ENGLISH not in texts["fi"] + texts["sv"] + texts["en"]
        # a text missing from a catalogue would come out as its English id
        assert len(set(texts.values())) == 3, texts


def test_a_refused_enrollment_is_said_as_such() -> None:
    refused = ServerRefused(403, ErrorCode.ENROLLMENT_REFUSED, SERVERS_ENGLISH)
    assert refused.problem() == (ErrorCode.ENROLLMENT_REFUSED, {})
    assert sync_problem(refused).text("fi").startswith("Palvelin ei hyväksynyt laitetta.")
