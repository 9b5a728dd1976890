"""The client side of the protocol examples: it builds the push request the server
expects, and the server's example replies land in a real device store as they should."""

from __future__ import annotations

from datetime import datetime

import pytest

from client.store import Store
from client.sync.client import push_request
from shared.protocol import ProtocolError, PullReply, PushReply, PushRequest
from shared.records import DayRecord
from tests.client.sync.conftest import NOW
from tests.support.fixtures import protocol_fixture


def _load_reference(store: Store) -> PullReply:
    pull = PullReply.from_dict(protocol_fixture("pull_reply"))
    assert pull.reference is not None
    store.replace_reference_data(pull.site, pull.reference)
    return pull


def test_the_client_sends_the_example_push_request(store: Store) -> None:
    example = protocol_fixture("push_request")
    request = PushRequest.from_dict(example)
    assert request.device_time is not None
    body = push_request(list(request.records), request.device_time).to_dict()
    assert body == example


def test_the_example_replies_land_in_the_store(store: Store) -> None:
    pull = _load_reference(store)
    original, winner = pull.records
    store.apply_remote_records([original])
    sent = PushRequest.from_dict(protocol_fixture("push_request")).records
    saved: list[DayRecord] = []
    for record in sent:
        if store.save_record(record, now=NOW).saved:
            saved.append(record)
    # The future day (the fifth) is refused on the device already.
    assert [r.id for r in saved] == [r.id for r in sent[:4]]
    assert [r.id for r in store.outbox_pending(10)] == [r.id for r in saved]

    reply = PushReply.from_dict(protocol_fixture("push_reply"))
    store.outbox_answer(reply.answers)
    assert store.outbox_count() == 0
    [conflict] = store.attention()
    assert conflict.status == "conflict"
    assert conflict.record.id == sent[3].id
    assert conflict.current == winner
    assert [f.code for f in conflict.findings] == ["already_superseded"]

    store.apply_remote_records(list(pull.records))
    day = winner.day
    versions = store.versions(winner.participant_id, day, day, now=NOW)
    assert {v.id for v in versions} == {original.id, winner.id}  # the refused one waits aside
    assert [a.record.id for a in store.attention()] == [sent[3].id]
    names = [p.display_name for p in store.participants(now=NOW)]
    assert sorted(names) == ["Pörrönen Jööseppi", "Äijälä Åsa"]


def test_pull_example_dates_are_aware(store: Store) -> None:
    pull = PullReply.from_dict(protocol_fixture("pull_reply"))
    assert all(isinstance(r.recorded_at, datetime) and r.recorded_at.tzinfo for r in pull.records)


def test_the_example_rule_sets_reach_the_store_as_sent(store: Store) -> None:
    pull = _load_reference(store)
    assert pull.reference is not None
    for sent in pull.reference.rule_sets:
        assert store.rule_sets().get(sent.id) == sent


def test_a_broken_rule_set_is_refused_when_the_reply_is_read() -> None:
    """The store is handed rule sets already checked, never a dict to parse later."""
    example = protocol_fixture("pull_reply")
    example["reference"]["rule_sets"][0]["days_per_week"] = {"min": 5, "max": 2}
    with pytest.raises(ProtocolError, match="malformed rule set"):
        PullReply.from_dict(example)
