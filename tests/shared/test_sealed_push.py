"""Sealed outbox entries: what a device seals, the server opens, for that device only."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared import crypto
from shared.protocol import EnrollReply, PullReply, SealedEntry, SealedPushRequest, SiteInfo
from shared.sealed_push import UnreadableEntry, open_record, seal_record
from tests.support.factory import present

PRIVATE, PUBLIC = crypto.new_key_pair()


@settings(max_examples=40)
@given(
    note=st.one_of(st.none(), st.text(min_size=1, max_size=300)),
    device=st.text(min_size=1, max_size=30),
)
def test_a_sealed_record_opens_as_the_same_record(note: str | None, device: str) -> None:
    original = present(date(2026, 3, 2), note=note)
    box = seal_record(PUBLIC, original, device)
    assert open_record(PRIVATE, box, device, original.id) == original
    entry = SealedEntry(original.id, box)
    again = SealedPushRequest.from_dict(SealedPushRequest((entry,)).to_dict())
    assert again.entries == (entry,)


def test_a_box_opens_only_for_its_device_its_id_and_unchanged() -> None:
    original = present(date(2026, 3, 2), note="Matti Meikäläinen")
    box = seal_record(PUBLIC, original, "device-1")
    with pytest.raises(UnreadableEntry):
        open_record(PRIVATE, box, "device-2", original.id)
    with pytest.raises(UnreadableEntry):
        open_record(PRIVATE, box, "device-1", "another-id")
    tampered = bytearray(box)
    tampered[40] ^= 0x80
    with pytest.raises(UnreadableEntry):
        open_record(PRIVATE, bytes(tampered), "device-1", original.id)
    other_private, _ = crypto.new_key_pair()
    with pytest.raises(UnreadableEntry):
        open_record(other_private, box, "device-1", original.id)
    assert b"Meik" not in box


def test_replies_carry_the_server_key_only_when_known() -> None:
    site = SiteInfo("s1", "Paja")
    plain = EnrollReply("d1", site, "cred").to_dict()
    assert "server_key" not in plain  # an older client's reader never sees the new field
    assert EnrollReply.from_dict(plain).server_key is None
    keyed = EnrollReply("d1", site, "cred", server_key=PUBLIC)
    assert EnrollReply.from_dict(keyed.to_dict()).server_key == PUBLIC
    pull = PullReply("c", False, site, None, (), server_key=PUBLIC)
    assert PullReply.from_dict(pull.to_dict()).server_key == PUBLIC
