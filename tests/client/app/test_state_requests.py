"""A day the county returned to the site shows on the participant's day until corrected."""

from __future__ import annotations

from datetime import date, time, timedelta

from client.app.state import Device, ParticipantState, TodayState
from shared.protocol import SiteRequest
from tests.client.app.conftest import FakeClock

WEDNESDAY = date(2026, 3, 11)
MONDAY = WEDNESDAY - timedelta(days=2)


def test_a_returned_day_shows_until_a_correction_is_saved(device: Device, clock: FakeClock) -> None:
    today = TodayState(device)
    today.load(MONDAY)
    assert today.mark_present("p-aino", start=time(8), end=time(11)).saved
    clock.advance(minutes=1)
    device.store.keep_site_requests(
        [SiteRequest("q1", "p-aino", MONDAY, "check_hours", clock(), "3 h?")]
    )
    clock.advance(minutes=1)

    state = ParticipantState(device)
    state.open("p-aino", WEDNESDAY)
    assert list(state.requests) == [MONDAY]
    assert state.requests[MONDAY].reason_code == "check_hours"

    today.load(MONDAY)
    fixed = today.mark_present(
        "p-aino", start=time(8), end=time(12), correction_reason="tunnit korjattu"
    )
    assert fixed.saved
    state.reload()
    assert state.requests == {}
