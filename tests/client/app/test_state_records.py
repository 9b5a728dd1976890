"""Issue 11 on a real store file (and a real server where the record travels): a note
per day, who recorded it and its versions, the whole site not held on a day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from client.app.state import Device, InputProblem, NeedsCorrectionReason, TodayState
from client.app.state.history import SyncPlace, day_history
from client.app.state.site_day import mark_site_not_held, plan_not_held
from client.app.texts.i18n import t
from client.app.texts.recorded import recorded_line
from client.store import RecordTextTooLong
from shared.bounds import CORRECTION_REASON_MAX_CHARS, NOTE_MAX_CHARS
from shared.calendar import helsinki_today
from shared.protocol import AnswerStatus, RecordAnswer
from shared.records import AbsenceReason, Status, current_records
from sync_server.api.models import WireRecord
from tests.client.app.conftest import FakeClock
from tests.client.app.harness import SITE, SUPERVISOR, enrolled_device
from tests.support.server import ServerProcess

WEDNESDAY = date(2026, 3, 11)


def loaded(device: Device) -> TodayState:
    today = TodayState(device)
    today.load()
    return today


# -- a note per day -----------------------------------------------------------------------


def test_a_note_is_saved_with_the_mark_and_kept_by_a_correction(
    device: Device, clock: FakeClock
) -> None:
    today = loaded(device)
    assert today.mark_absent("p-aino", AbsenceReason.OTHER, note="  Muutto tänään  ").saved
    first = today.row("p-aino").record
    assert first is not None and first.note == "Muutto tänään"
    clock.advance(minutes=3)
    # a correction that says nothing about the note keeps it (it used to drop it)
    today.mark_present("p-aino", correction_reason="Tuli sittenkin")
    second = today.row("p-aino").record
    assert second is not None and second.supersedes == first.id
    assert (second.status, second.note) == (Status.PRESENT, "Muutto tänään")


def test_a_note_alone_is_a_new_version_that_needs_a_reason(
    device: Device, clock: FakeClock
) -> None:
    today = loaded(device)
    today.mark_present("p-bertil")
    first = today.row("p-bertil").record
    assert first is not None and first.note is None
    # once the mark has left the device (not sent yet it is changed without a reason)
    device.store.outbox_answer([RecordAnswer(first.id, AnswerStatus.ACCEPTED)])
    today.load()
    with pytest.raises(NeedsCorrectionReason):
        today.mark_present("p-bertil", note="Lähti klo 11 bussille")
    clock.advance(minutes=1)
    today.mark_present("p-bertil", note="Lähti klo 11 bussille", correction_reason="Lisätieto")
    second = today.row("p-bertil").record
    assert second is not None and second.note == "Lähti klo 11 bussille"
    device.store.outbox_answer([RecordAnswer(second.id, AnswerStatus.ACCEPTED)])
    today.load()
    # the same again changes nothing; an empty note clears it with a new version
    today.mark_present("p-bertil", note="Lähti klo 11 bussille")
    assert device.store.outbox_count() == 0
    today.mark_present("p-bertil", note="", correction_reason="Poistettu")
    third = today.row("p-bertil").record
    assert third is not None and third.note is None and third.supersedes == second.id


def test_a_note_longer_than_the_server_takes_is_refused_at_the_save(device: Device) -> None:
    today = loaded(device)
    with pytest.raises(RecordTextTooLong) as refused:
        today.mark_present("p-aino", note="x" * (NOTE_MAX_CHARS + 1))
    assert refused.value.params["limit"] == NOTE_MAX_CHARS
    assert device.store.outbox_count() == 0  # nothing that the server would refuse waits
    assert today.mark_present("p-aino", note="x" * NOTE_MAX_CHARS).saved
    with pytest.raises(RecordTextTooLong):
        today.mark_absent(
            "p-aino",
            AbsenceReason.SICK,
            correction_reason="y" * (CORRECTION_REASON_MAX_CHARS + 1),
        )
    assert device.store.outbox_count() == 1


def test_the_servers_wire_model_takes_the_same_limits(device: Device) -> None:
    today = loaded(device)
    today.mark_present("p-cecilia", note="z" * NOTE_MAX_CHARS)
    record = today.row("p-cecilia").record
    assert record is not None
    WireRecord.model_validate(record.to_dict())  # the longest note the device saves
    longer = {**record.to_dict(), "note": "z" * (NOTE_MAX_CHARS + 1)}
    with pytest.raises(ValueError, match="1000"):
        WireRecord.model_validate(longer)


# -- who recorded it, and its versions ----------------------------------------------------


def test_who_recorded_in_three_languages(device: Device) -> None:
    today = loaded(device)
    today.mark_present("p-aino")
    record = today.row("p-aino").record
    assert record is not None
    names = today.names
    # 10.00 UTC is 12.00 in Helsinki in March
    said = {lang: recorded_line(record, names, lang, today=WEDNESDAY) for lang in ("fi", "sv")}
    assert said == {
        "fi": f"Merkinnyt {SUPERVISOR} 11.3. klo 12.00",
        "sv": f"Antecknat av {SUPERVISOR} 11 mars kl. 12:00",
    }
    assert recorded_line(record, names, "en", today=WEDNESDAY) == (
        f"Recorded by {SUPERVISOR} Mar 11 at 12:00"
    )
    # read a year later, the year is said too; a supervisor of another device is unknown
    assert "11.3.2026" in recorded_line(record, names, "fi", today=date(2027, 1, 5))
    assert recorded_line(record, {}, "fi", today=WEDNESDAY) == (
        "Merkitty toisella laitteella 11.3. klo 12.00"
    )


def test_history_lists_every_version_newest_first(device: Device, clock: FakeClock) -> None:
    today = loaded(device)
    today.mark_present("p-daniel")
    clock.advance(minutes=4)
    today.mark_absent(
        "p-daniel", AbsenceReason.JOB_RELATED, correction_reason="Väärä rivi", note="Haastattelu"
    )
    history = day_history(device, "p-daniel", WEDNESDAY)
    assert history.name == "Daniel Korhonen"
    assert [(line.number, line.current) for line in history.lines] == [(2, True), (1, False)]
    newest, oldest = (line.record for line in history.lines)
    assert (newest.status, newest.note, newest.correction_reason) == (
        Status.ABSENT,
        "Haastattelu",
        "Väärä rivi",
    )
    assert (oldest.status, oldest.note) == (Status.PRESENT, None)
    assert {line.who for line in history.lines} == {SUPERVISOR}
    assert {line.place for line in history.lines} == {SyncPlace.WAITING}
    assert history.current is not None and history.current.record == newest
    assert day_history(device, "p-daniel", WEDNESDAY - timedelta(days=1)).lines == ()


def test_history_says_what_was_sent_and_what_came_from_another_device(
    tmp_path: Path, server: ServerProcess
) -> None:
    """Real server: the note travels, the versions turn "sent", and the other tablet
    sees them as received, with no name it could know."""
    a = enrolled_device(tmp_path / "a.db", server.url, server.enrollment_code(SITE))
    b = enrolled_device(tmp_path / "b.db", server.url, server.enrollment_code(SITE))
    day = helsinki_today(datetime.now(UTC))
    today_a = loaded(a)
    today_a.show_participant("p-eero")  # expected or not, whatever the weekday
    today_a.mark_absent("p-eero", AbsenceReason.OTHER, note="Muutto")
    today_a.mark_absent(
        "p-eero", AbsenceReason.OTHER, note="Muutto toiseen kuntaan", correction_reason="Tarkennus"
    )
    assert {line.place for line in day_history(a, "p-eero", day).lines} == {SyncPlace.WAITING}
    report = a.sync.sync_once(now=datetime.now(UTC))
    assert report.ok, report.error
    lines = day_history(a, "p-eero", day).lines
    assert [line.place for line in lines] == [SyncPlace.SENT, SyncPlace.SENT]
    stored = current_records(server.storage.versions_for("p-eero", day, day))[("p-eero", day)]
    assert stored.note == "Muutto toiseen kuntaan"
    assert len(server.storage.versions_for("p-eero", day, day)) == 2
    assert b.sync.sync_once(now=datetime.now(UTC)).ok
    seen = day_history(b, "p-eero", day).lines
    assert [(line.place, line.who, line.current) for line in seen] == [
        (SyncPlace.FROM_SERVER, None, True),
        (SyncPlace.FROM_SERVER, None, False),
    ]
    assert seen[0].record.note == "Muutto toiseen kuntaan"
    a.close()
    b.close()


# -- the whole site not held on a day -----------------------------------------------------


def test_the_whole_site_not_held_keeps_marks_already_made(device: Device) -> None:
    today = loaded(device)
    today.mark_present("p-aino", note="Tuli aamulla")
    plan = plan_not_held(today)
    assert [r.participant_id for r in plan.unmarked] == [
        "p-bertil",
        "p-cecilia",
        "p-daniel",
        "p-eero",
    ]
    assert [r.participant_id for r in plan.marked] == ["p-aino"]
    assert not plan.needs_reason(include_marked=False)
    assert plan.needs_reason(include_marked=True)
    outcomes = mark_site_not_held(today, plan)
    assert len(outcomes) == 4 and all(o.saved for o in outcomes)
    statuses = {r.participant_id: r.record.status for r in today.rows if r.record}
    assert statuses == {
        "p-aino": Status.PRESENT,
        "p-bertil": Status.NOT_HELD,
        "p-cecilia": Status.NOT_HELD,
        "p-daniel": Status.NOT_HELD,
        "p-eero": Status.NOT_HELD,
    }
    # recorded like any mark: one new version each, queued for the server
    assert device.store.outbox_count() == 5
    assert all(r.record.correction_reason is None for r in today.rows if r.record)
    again = plan_not_held(today)
    assert (again.unmarked, [r.participant_id for r in again.marked]) == ((), ["p-aino"])


def test_the_whole_site_not_held_changes_marks_only_with_a_reason(
    device: Device, clock: FakeClock
) -> None:
    today = loaded(device)
    today.mark_absent("p-daniel", AbsenceReason.SICK)
    today.mark_not_held("p-eero")
    plan = plan_not_held(today)
    assert [r.participant_id for r in plan.marked] == ["p-daniel"]  # not held already: left
    with pytest.raises(NeedsCorrectionReason) as asked:
        mark_site_not_held(today, plan, include_marked=True)
    assert asked.value.text("fi") == t("site_day.reason_missing", "fi")
    assert device.store.outbox_count() == 2  # nothing was written
    clock.advance(minutes=5)
    outcomes = mark_site_not_held(today, plan, include_marked=True, correction_reason="Paja kiinni")
    assert len(outcomes) == 4 and all(o.saved for o in outcomes)
    daniel = today.row("p-daniel").record
    assert daniel is not None and daniel.status is Status.NOT_HELD
    assert daniel.correction_reason == "Paja kiinni" and daniel.supersedes is not None
    # a first record in an open month carries no correction reason
    aino = today.row("p-aino").record
    assert aino is not None and aino.correction_reason is None
    versions = device.store.versions("p-daniel", WEDNESDAY, WEDNESDAY, now=clock())
    assert len(versions) == 2  # append-only: the sick day is still there
    assert plan_not_held(today).possible is False


def test_a_mark_made_after_the_confirmation_stands(device: Device) -> None:
    today = loaded(device)
    plan = plan_not_held(today)  # the confirmation shows five
    other = loaded(device)  # another tab marks Bertil meanwhile
    other.mark_present("p-bertil")
    outcomes = mark_site_not_held(today, plan)
    assert sorted(o.participant_id for o in outcomes) == [
        "p-aino",
        "p-cecilia",
        "p-daniel",
        "p-eero",
    ]
    bertil = today.row("p-bertil").record
    assert bertil is not None and bertil.status is Status.PRESENT


def test_the_whole_site_not_held_in_a_closed_month_needs_a_reason(
    device: Device, clock: FakeClock
) -> None:
    device.store.close_month(2026, 3, now=clock())
    today = loaded(device)
    plan = plan_not_held(today)
    assert plan.closed and plan.needs_reason(include_marked=False)
    with pytest.raises(NeedsCorrectionReason):
        mark_site_not_held(today, plan)
    outcomes = mark_site_not_held(today, plan, correction_reason="Pyhäpäivä unohtui")
    assert len(outcomes) == 5 and all(o.saved for o in outcomes)
    assert "closed_month_change" in {f.code for f in outcomes[0].findings}


def test_nothing_to_mark_on_a_future_day(device: Device) -> None:
    today = loaded(device)
    today.shift(1)
    plan = plan_not_held(today)
    assert not plan.possible
    with pytest.raises(InputProblem):
        mark_site_not_held(today, plan)
