"""Saving and reading day records: validation, corrections, the outbox, the audit log."""

from __future__ import annotations

import threading
from datetime import date, time, timedelta
from typing import Any

import pytest

from client.store import RecordNotAllowed, Store, StoreError
from shared import (
    AbsenceReason,
    DayRecord,
    Finding,
    Severity,
    Status,
    builtin_rule_sets,
    current_records,
    history,
    rule_set_from_dict,
    rule_set_to_dict,
)
from shared.protocol import ParticipantInfo, RecordAnswer, Reference, SiteInfo

from .builders import NOW, PEOPLE, PIN, SUPERVISOR, absent, present

MARCH = (date(2025, 3, 1), date(2025, 3, 31))
MONDAY = date(2025, 3, 10)


def _codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


def test_a_valid_record_is_saved_queued_and_read_back(store: Store) -> None:
    record = present(MONDAY, note="Hyvä päivä")
    result = store.save_record(record, now=NOW)
    assert result.saved and result.findings == []
    assert store.versions("p-1", *MARCH, now=NOW) == [record]
    assert store.outbox_count() == 1
    assert store.outbox_pending(10) == [record]


@pytest.mark.parametrize(
    "record,code",
    [
        (present(date(2025, 3, 15)), "future_date"),  # tomorrow in Helsinki
        (present(MONDAY, start="14:00", end="08:00"), "end_before_start"),
        (present(MONDAY, participant="p-9"), "unknown_participant"),
        (absent(MONDAY, AbsenceReason.SICK, minutes=60), "inconsistent_fields"),
    ],
)
def test_a_record_with_an_error_is_not_saved(store: Store, record: DayRecord, code: str) -> None:
    result = store.save_record(record, now=NOW)
    assert not result.saved
    assert code in _codes(result.findings)
    assert any(f.severity is Severity.ERROR for f in result.findings)
    assert store.outbox_count() == 0
    assert store.site_versions(*MARCH, now=NOW) == []
    assert [e for e in store.audit_entries() if e.action == "change"] == []


def test_a_second_record_for_the_same_day_is_refused(store: Store) -> None:
    assert store.save_record(present(MONDAY), now=NOW).saved
    again = store.save_record(present(MONDAY, start="09:00", end="15:00"), now=NOW)
    assert not again.saved and "duplicate_day" in _codes(again.findings)


def test_a_not_eligible_record_is_saved_with_its_finding(store: Store) -> None:
    short = present(MONDAY, start="08:00", end="10:00")  # 2 h on a plan of at least 4 h
    result = store.save_record(short, now=NOW)
    assert result.saved
    assert ("under_min_hours", Severity.NOT_ELIGIBLE) in [
        (f.code, f.severity) for f in result.findings
    ]


def test_validation_sees_the_weeks_before_the_day(store: Store) -> None:
    # Own sickness Mon–Thu: the fourth day brings the certificate notice, which needs
    # the earlier days of the run (read back from the store, sealed).
    for offset in range(3):
        sick = absent(MONDAY + timedelta(days=offset), AbsenceReason.SICK)
        assert store.save_record(sick, now=NOW).saved
    fourth = store.save_record(absent(date(2025, 3, 13), AbsenceReason.SICK), now=NOW)
    assert fourth.saved and "sick_certificate_due" in _codes(fourth.findings)


def test_the_weekly_maximum_counts_days_already_stored(store: Store) -> None:
    for offset in range(4):
        assert store.save_record(present(MONDAY + timedelta(days=offset)), now=NOW).saved
    fifth = store.save_record(present(date(2025, 3, 14)), now=NOW)
    assert fifth.saved and "over_weekly_max" in _codes(fifth.findings)


def test_a_record_must_name_the_signed_in_supervisor(store: Store) -> None:
    with pytest.raises(RecordNotAllowed, match="signed-in supervisor"):
        store.save_record(present(MONDAY, recorded_by="sup-2"), now=NOW)


def test_saving_the_same_version_twice_is_refused(store: Store) -> None:
    record = present(MONDAY)
    store.save_record(record, now=NOW)
    with pytest.raises(RecordNotAllowed, match="already saved"):
        store.save_record(record, now=NOW)


def test_a_correction_chain_keeps_every_version_with_who_and_why(store: Store) -> None:
    first = present(MONDAY)
    store.save_record(first, now=NOW)
    second = first.correct(
        correction_reason="Lähti kotiin jo kahdelta",
        recorded_by=SUPERVISOR,
        device_id="dev-1",
        recorded_at=NOW + timedelta(minutes=1),
        end=time(14, 0),
    )
    assert store.save_record(second, now=NOW + timedelta(minutes=1)).saved
    store.add_supervisor("sup-2", "Ville", "864297", now=NOW + timedelta(minutes=1))
    store.unlock("sup-2", "864297", now=NOW + timedelta(minutes=2))
    third = second.correct(
        correction_reason="Olikin poissa: sairas",
        recorded_by="sup-2",
        device_id="dev-2",
        recorded_at=NOW + timedelta(minutes=2),
        status=Status.ABSENT,
        start=None,
        end=None,
        reason=AbsenceReason.SICK,
    )
    assert store.save_record(third, now=NOW + timedelta(minutes=2)).saved
    # superseding a version that is no longer current is refused
    stale = first.correct(
        correction_reason="Myöhässä",
        recorded_by="sup-2",
        device_id="dev-2",
        recorded_at=NOW + timedelta(minutes=3),
    )
    refused = store.save_record(stale, now=NOW + timedelta(minutes=3))
    assert not refused.saved and "already_superseded" in _codes(refused.findings)

    store.lock()
    store.unlock(SUPERVISOR, PIN, now=NOW + timedelta(minutes=4))
    all_versions = store.versions("p-1", *MARCH, now=NOW + timedelta(minutes=4))
    assert all_versions == [first, second, third]
    assert current_records(all_versions)[("p-1", MONDAY)] == third
    chain = history(all_versions, third)
    assert [(v.recorded_by, v.correction_reason) for v in chain] == [
        (SUPERVISOR, None),
        (SUPERVISOR, "Lähti kotiin jo kahdelta"),
        ("sup-2", "Olikin poissa: sairas"),
    ]
    assert [v.supersedes for v in chain] == [None, first.id, second.id]


def test_a_change_to_a_closed_month_is_flagged(store: Store) -> None:
    feb = date(2025, 2, 24)
    store.save_record(present(feb), now=NOW)
    store.close_month(2025, 2, now=NOW)
    assert store.closed_months() == {(2025, 2)}
    late = present(feb, participant="p-2")
    result = store.save_record(late, now=NOW)
    assert result.saved
    assert [(f.code, f.severity) for f in result.findings] == [
        ("closed_month_change", Severity.FLAGGED)
    ]
    closing = [e for e in store.audit_entries() if e.action == "close_month"]
    assert [(e.participant_id, e.detail) for e in closing] == [(None, "2025-02")]


def test_the_outbox_sends_oldest_first_and_forgets_what_was_acknowledged(store: Store) -> None:
    records = [present(MONDAY, participant=p["id"]) for p in PEOPLE]
    for r in records:
        store.save_record(r, now=NOW)
    assert store.outbox_pending(2) == [records[0], records[1]]
    store.outbox_answer(
        _answers(
            [
                {"id": records[0].id, "status": "accepted", "findings": [], "current": None},
                {"id": records[1].id, "status": "duplicate", "findings": [], "current": None},
                {"id": "unknown-id", "status": "accepted", "findings": [], "current": None},
            ]
        )
    )
    assert store.outbox_count() == 1
    assert store.outbox_pending(10) == [records[2]]
    # answering again changes nothing; acknowledged versions stay part of the record
    store.outbox_answer(_answers([{"id": records[0].id, "status": "rejected", "findings": []}]))
    assert store.attention() == []
    assert len(store.site_versions(*MARCH, now=NOW)) == 3


def test_a_refused_version_moves_to_the_attention_list(store: Store) -> None:
    ours = present(MONDAY)
    rejected = present(MONDAY, participant="p-2")
    store.save_record(ours, now=NOW)
    store.save_record(rejected, now=NOW)
    theirs = present(
        MONDAY,
        start="09:00",
        end="13:00",
        recorded_by="sup-7",
        recorded_at=NOW - timedelta(hours=1),
    )
    finding = {
        "code": "duplicate_day",
        "severity": "error",
        "params": {"day": MONDAY.isoformat()},
        "day": MONDAY.isoformat(),
    }
    store.outbox_answer(
        _answers(
            [
                {
                    "id": ours.id,
                    "status": "conflict",
                    "findings": [finding],
                    "current": theirs.to_dict(),
                },
                {"id": rejected.id, "status": "rejected", "findings": [finding], "current": None},
            ]
        )
    )
    assert store.outbox_count() == 0
    items = {a.record.id: a for a in store.attention()}
    assert items[ours.id].status == "conflict"
    assert items[ours.id].current == theirs
    assert [f.code for f in items[ours.id].findings] == ["duplicate_day"]
    assert items[rejected.id].status == "rejected" and items[rejected.id].current is None
    # the server's version is now the local record of that day; ours is not part of it
    assert store.versions("p-1", *MARCH, now=NOW) == [theirs]
    assert store.versions("p-2", *MARCH, now=NOW) == []
    store.resolve_attention(ours.id)
    assert [a.record.id for a in store.attention()] == [rejected.id]


def test_remote_records_are_stored_once_and_never_queued(store: Store) -> None:
    remote = [
        present(MONDAY, recorded_by="sup-7"),
        absent(MONDAY, AbsenceReason.OTHER, participant="p-2"),
    ]
    store.apply_remote_records(remote)
    store.apply_remote_records([*remote, remote[0]])
    assert store.outbox_count() == 0
    assert store.site_versions(*MARCH, now=NOW) == [remote[0], remote[1]]
    # a local correction of a remote version is validated against it
    fix = remote[0].correct(
        correction_reason="Korjaus",
        recorded_by=SUPERVISOR,
        device_id="dev-1",
        recorded_at=NOW,
        end=time(15, 0),
    )
    assert store.save_record(fix, now=NOW).saved


def test_viewing_and_changing_a_participant_is_audited(store: Store) -> None:
    store.set_meta("device_id", "tablet-7")
    record = present(MONDAY)
    store.participants(now=NOW)
    store.save_record(record, now=NOW + timedelta(minutes=1))
    store.versions("p-1", *MARCH, now=NOW + timedelta(minutes=2))
    store.site_versions(MONDAY, MONDAY, now=NOW + timedelta(minutes=3))
    entries = store.audit_entries("p-1")
    assert [(e.action, e.at, e.supervisor_id, e.device_id) for e in entries] == [
        ("list", NOW, SUPERVISOR, "tablet-7"),
        ("change", NOW + timedelta(minutes=1), SUPERVISOR, "tablet-7"),
        ("view", NOW + timedelta(minutes=2), SUPERVISOR, "tablet-7"),
        ("view", NOW + timedelta(minutes=3), SUPERVISOR, "tablet-7"),
    ]
    assert entries[1].detail == record.id
    assert entries[2].detail == "2025-03-01/2025-03-31"
    assert {e.participant_id for e in store.audit_entries()} == {"p-1", "p-2", "p-3"}
    assert [e.action for e in store.audit_entries("p-2")] == ["list"]


def test_the_device_id_falls_back_to_one_made_at_creation(store: Store) -> None:
    store.versions("p-1", *MARCH, now=NOW)
    [entry] = store.audit_entries()
    assert entry.device_id == store.device_id and len(entry.device_id) == 36
    assert store.get_meta("device_id") is None


def test_participants_come_sorted_with_their_plans(store: Store) -> None:
    people = store.participants(now=NOW)
    # Finnish order: Å, Ä and Ö come after Z
    by_id = {p["id"]: p for p in PEOPLE}
    assert [(p.id, p.display_name, p.client_ref) for p in people] == [
        (i, by_id[i]["display_name"], by_id[i]["client_ref"]) for i in ("p-2", "p-3", "p-1")
    ]
    assert all(p.plan is not None and p.plan.participant_id == p.id for p in people)
    assert store.plan("p-2") == people[0].plan
    assert store.plan("p-9") is None


def test_reference_data_is_replaced_wholesale(store: Store) -> None:
    custom = rule_set_to_dict(builtin_rule_sets().get("osallistava"))
    custom["days_per_week"] = {"min": 1, "max": 3}
    store.replace_reference_data(
        SiteInfo("site-2", "Metsäpaja"),
        Reference(
            participants=(ParticipantInfo(**PEOPLE[2]),),
            plans=(),
            rule_sets=(rule_set_from_dict(custom),),
        ),
    )
    assert store.site() == ("site-2", "Metsäpaja")
    assert [p.id for p in store.participants(now=NOW)] == ["p-3"]
    assert store.plan("p-1") is None
    assert store.rule_sets().get("osallistava").days_per_week.max == 3
    assert "kuntouttava" in store.rule_sets()


def test_secrets_are_kept_sealed_and_given_back(store: Store) -> None:
    assert store.get_secret("credential") is None
    store.put_secret("credential", b"\x00token\xff")
    store.put_secret("credential", b"newer")
    assert store.get_secret("credential") == b"newer"


def test_store_meta_keys_are_reserved(store: Store) -> None:
    with pytest.raises(StoreError, match="belong to the store"):
        store.set_meta("store.device_check", "x")


def test_the_store_works_from_another_thread(store: Store) -> None:
    results: list[object] = []

    def work() -> None:
        for p in PEOPLE:
            results.append(store.save_record(present(MONDAY, participant=p["id"]), now=NOW).saved)
        results.append(len(store.site_versions(*MARCH, now=NOW)))

    threads = [threading.Thread(target=work)]
    for t in threads:
        t.start()
    store.participants(now=NOW)  # the opening thread keeps using it meanwhile
    for t in threads:
        t.join()
    assert results == [True, True, True, 3]


def _answers(wire: list[dict[str, Any]]) -> list[RecordAnswer]:
    """The server's answers as the sync client hands them over, from their wire form."""
    return [RecordAnswer.from_dict(a) for a in wire]
