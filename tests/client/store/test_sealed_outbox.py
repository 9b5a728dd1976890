"""The sealed outbox: a locked store hands out boxes only the server opens, takes the
answers by id, and keeps nothing readable (issue 11, sync while locked)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from client.store import Store
from shared import AbsenceReason, Finding, crypto
from shared.protocol import AnswerStatus, RecordAnswer
from shared.sealed_push import open_record

from .builders import NOW, PIN, SUPERVISOR, absent, present
from .conftest import OpenStore
from .test_at_rest import NOTES, SECRET_TOKEN, _assert_nothing_readable, _files

SERVER_PRIVATE, SERVER_PUBLIC = crypto.new_key_pair()
DEVICE = "device-7"


def _enrolled(store: Store) -> None:
    store.set_meta("device_id", DEVICE)
    store.set_server_key(SERVER_PUBLIC)
    store.put_device_credential(SECRET_TOKEN.encode("utf-8"))


def test_a_locked_store_hands_out_boxes_that_the_server_opens(store: Store) -> None:
    _enrolled(store)
    day = date(2025, 3, 10)
    first = present(day, note=NOTES[0])
    sick = absent(day, AbsenceReason.CHILD_SICK, participant="p-2", note=NOTES[1])
    assert store.save_record(first, now=NOW).saved
    assert store.save_record(sick, now=NOW).saved
    store.lock()
    assert store.is_locked()
    entries = store.sealed_pending(10)
    assert [e.id for e in entries] == [first.id, sick.id]
    opened = [open_record(SERVER_PRIVATE, e.box, DEVICE, e.id) for e in entries]
    # sealed in the name of the enrolled device, as the unlocked push sends them
    assert opened == [replace(r, device_id=DEVICE) for r in (first, sick)]
    assert store.device_credential() == SECRET_TOKEN.encode("utf-8")
    assert store.oldest_unsent() == NOW


def test_after_re_enrollment_a_locked_store_hands_out_boxes_for_the_new_device_id_only(
    store: Store,
) -> None:
    _enrolled(store)
    old = present(date(2025, 3, 10), device_id="device-7")
    assert store.save_record(old, now=NOW).saved
    store.set_meta("device_id", "device-8")  # joined again after a revocation
    store.lock()
    assert store.sealed_pending(10) == []  # sealed for the old id: waits for the unlock
    assert store.unsealed_count() == 1
    store.unlock(SUPERVISOR, PIN, now=NOW)
    assert store.set_server_key(SERVER_PUBLIC) == 1  # the unlocked round re-seals it
    store.lock()
    (entry,) = store.sealed_pending(10)
    opened = open_record(SERVER_PRIVATE, entry.box, "device-8", entry.id)
    assert opened == replace(old, device_id="device-8")  # the server takes it from device-8


def test_answers_while_locked_empty_the_outbox_and_refusals_wait_for_the_unlock(
    store: Store,
) -> None:
    _enrolled(store)
    day = date(2025, 3, 10)
    good = present(day)
    bad = present(day + timedelta(days=1), participant="p-2")
    for r in (good, bad):
        assert store.save_record(r, now=NOW).saved
    store.lock()
    finding = Finding.from_dict(
        {"code": "unknown_participant", "severity": "error", "params": {}, "day": None}
    )
    store.answer_sealed(
        [
            RecordAnswer(good.id, AnswerStatus.ACCEPTED),
            RecordAnswer(bad.id, AnswerStatus.REJECTED, (finding,)),
        ]
    )
    assert store.outbox_count() == 0
    assert store.sealed_pending(10) == []
    assert store.oldest_unsent() is None
    store.unlock(SUPERVISOR, PIN, now=NOW)
    assert store.outbox_pending(10) == []  # nothing is sent twice
    (waiting,) = store.attention()
    assert waiting.record == bad
    assert [f.code for f in waiting.findings] == ["unknown_participant"]


def test_versions_saved_before_the_key_are_sealed_when_it_arrives(store: Store) -> None:
    early = present(date(2025, 3, 10))
    assert store.save_record(early, now=NOW).saved
    assert store.unsealed_count() == 1
    _enrolled(store)
    assert store.unsealed_count() == 0
    # re-enrolled as another device: the boxes are made again for the new id
    store.set_meta("device_id", "device-8")
    assert store.unsealed_count() == 1
    assert store.set_server_key(SERVER_PUBLIC) == 1
    (entry,) = store.sealed_pending(5)
    # in the name of the new id: the server takes a version only from the device it names
    opened = open_record(SERVER_PRIVATE, entry.box, "device-8", early.id)
    assert opened == replace(early, device_id="device-8")


def test_the_sealed_outbox_leaves_nothing_readable_in_the_file(
    store: Store, open_store: OpenStore, db_path: Path
) -> None:
    _enrolled(store)
    day = date(2025, 3, 10)
    records = [
        present(day, note=NOTES[0]),
        absent(day, AbsenceReason.CHILD_SICK, participant="p-2", note=NOTES[1]),
    ]
    for r in records:
        assert store.save_record(r, now=NOW).saved
    store.lock()
    store.answer_sealed([RecordAnswer(records[1].id, AnswerStatus.REJECTED)])
    _assert_nothing_readable(_files(db_path))
    store.close()
    _assert_nothing_readable(_files(db_path))
    again = open_store()  # a restarted app, still locked: the credential opens
    assert again.device_credential() == SECRET_TOKEN.encode("utf-8")
    assert [e.id for e in again.sealed_pending(5)] == [records[0].id]


def test_for_a_restored_server_every_acknowledged_version_is_queued_again_first(
    store: Store,
) -> None:
    """The server lost what it acknowledged after its backup: those versions go again,
    ahead of (and in the order before) what waits, and nothing goes sealed until an
    unlocked round sends it all in that order."""
    _enrolled(store)
    monday, tuesday = date(2025, 3, 10), date(2025, 3, 11)
    first = present(monday)
    other = present(tuesday, participant="p-2")
    assert store.save_record(first, now=NOW).saved
    assert store.save_record(other, now=NOW).saved
    store.outbox_answer([RecordAnswer(r.id, AnswerStatus.ACCEPTED) for r in (first, other)])
    audited = store.audit_unsent(1000)
    store.audit_sent(audited[-1].seq)
    fix = first.correct(
        correction_reason="Lähti jo kahdelta",
        recorded_by=SUPERVISOR,
        device_id=DEVICE,
        recorded_at=NOW + timedelta(minutes=1),
    )
    assert store.save_record(fix, now=NOW + timedelta(minutes=1)).saved
    assert [r.id for r in store.outbox_pending(10)] == [fix.id]
    store.lock()
    assert store.server_restored(now=NOW) == 2  # works locked: no key is needed
    assert store.sealed_pending(10) == []  # a box now could overtake what it supersedes
    store.unlock(SUPERVISOR, PIN, now=NOW)
    assert [r.id for r in store.outbox_pending(10)] == [first.id, other.id, fix.id]
    assert len(store.audit_unsent(1000)) >= len(audited)  # the server keeps each once
    store.outbox_answer(
        [RecordAnswer(r.id, AnswerStatus.DUPLICATE) for r in (first, other)]
        + [RecordAnswer(fix.id, AnswerStatus.ACCEPTED)]
    )
    assert store.outbox_count() == 0
    assert store.server_restored(now=NOW) == 3  # again, after another restore
