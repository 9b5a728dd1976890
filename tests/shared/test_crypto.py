"""The crypto recipes. Imports only shared.crypto, so it also runs under cryptography 43.0.1
(``make crypto43``: the version the phone build ships)."""

from __future__ import annotations

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared import crypto

LIGHT = crypto.KdfParams(n=2**8, r=1, p=1)  # real parameters are far heavier; see DEFAULT_KDF
SECRET = bytes(range(32))
KEY = bytes(32 - i for i in range(32))
AAD = crypto.associated_data("versions", "row-1", "payload", 1)

texts = st.text(max_size=40)


@given(
    plaintext=st.binary(max_size=2000),
    table=texts,
    row=texts,
    column=texts,
    version=st.integers(0, 2**31),
)
def test_seal_then_open_gives_back_the_plaintext(
    plaintext: bytes, table: str, row: str, column: str, version: int
) -> None:
    aad = crypto.associated_data(table, row, column, version)
    sealed = crypto.seal(KEY, plaintext, aad)
    assert crypto.open_sealed(KEY, sealed, aad) == plaintext
    assert plaintext not in sealed[13:] or len(plaintext) < 8


def test_sealing_twice_gives_different_ciphertexts() -> None:
    assert crypto.seal(KEY, b"same", AAD) != crypto.seal(KEY, b"same", AAD)


@given(position=st.integers(0, 1 + 12 + 5 + 16 - 1), bit=st.integers(0, 7))
def test_any_flipped_bit_makes_opening_fail(position: int, bit: int) -> None:
    sealed = bytearray(crypto.seal(KEY, b"Hei maailma", AAD))
    sealed[position % len(sealed)] ^= 1 << bit
    with pytest.raises(crypto.CannotOpen):
        crypto.open_sealed(KEY, bytes(sealed), AAD)


@pytest.mark.parametrize(
    "other",
    [
        crypto.associated_data("versions", "row-2", "payload", 1),  # another row
        crypto.associated_data("versions", "row-1", "note", 1),  # another column
        crypto.associated_data("participants", "row-1", "payload", 1),  # another table
        crypto.associated_data("versions", "row-1", "payload", 2),  # another key version
        crypto.associated_data("versions", "row-1", "payload", 1, "2025-01-02"),  # a bound value
    ],
)
def test_a_sealed_value_opens_only_where_it_was_sealed(other: bytes) -> None:
    sealed = crypto.seal(KEY, b"secret", AAD)
    with pytest.raises(crypto.CannotOpen):
        crypto.open_sealed(KEY, sealed, other)


def test_wrong_key_truncation_and_garbage_all_raise_the_same_opaque_error() -> None:
    sealed = crypto.seal(KEY, b"secret", AAD)
    for key, value in [
        (SECRET, sealed),
        (KEY, sealed[:-1]),
        (KEY, b""),
        (KEY, b"\x02" + sealed[1:]),
        (KEY, os.urandom(60)),
    ]:
        with pytest.raises(crypto.CannotOpen) as caught:
            crypto.open_sealed(key, value, AAD)
        assert str(caught.value) == str(crypto.CannotOpen())


@given(
    a=st.lists(texts, min_size=1, max_size=5),
    b=st.lists(texts, min_size=1, max_size=5),
)
def test_associated_data_never_collides_for_different_places(a: list[str], b: list[str]) -> None:
    ad_a = crypto.associated_data("t", "r", "c", 1, *a)
    ad_b = crypto.associated_data("t", "r", "c", 1, *b)
    assert (ad_a == ad_b) == (a == b)


def test_key_wrapping_round_trips_and_refuses_a_wrong_kek() -> None:
    data_key = crypto.new_data_key()
    kek = crypto.derive_kek("2468", SECRET, b"s" * 16, LIGHT)
    wrapped = crypto.wrap_key(kek, data_key, AAD)
    assert crypto.unwrap_key(kek, wrapped, AAD) == data_key
    wrong = crypto.derive_kek("2469", SECRET, b"s" * 16, LIGHT)
    with pytest.raises(crypto.CannotOpen):
        crypto.unwrap_key(wrong, wrapped, AAD)


def test_the_kek_depends_on_pin_device_secret_salt_and_cost() -> None:
    salt = b"\x01" * 16
    base = crypto.derive_kek("123456", SECRET, salt, LIGHT)
    assert crypto.derive_kek("123456", SECRET, salt, LIGHT) == base
    assert crypto.derive_kek("123457", SECRET, salt, LIGHT) != base
    assert crypto.derive_kek("123456", bytes(32), salt, LIGHT) != base
    assert crypto.derive_kek("123456", SECRET, b"\x02" * 16, LIGHT) != base
    assert crypto.derive_kek("123456", SECRET, salt, crypto.KdfParams(n=2**9, r=1, p=1)) != base


def test_a_pin_typed_in_another_unicode_form_derives_the_same_key() -> None:
    composed, decomposed = "Å1234", "A\u030a1234"
    salt = b"\x03" * 16
    assert crypto.derive_kek(composed, SECRET, salt, LIGHT) == crypto.derive_kek(
        decomposed, SECRET, salt, LIGHT
    )


def test_a_short_device_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        crypto.derive_kek("1234", b"short", b"\x00" * 16, LIGHT)


def test_the_default_cost_is_the_documented_one_and_runs() -> None:
    assert (crypto.DEFAULT_KDF.n, crypto.DEFAULT_KDF.r, crypto.DEFAULT_KDF.p) == (2**17, 8, 1)
    # 128 MiB of scrypt memory must be allowed by this cryptography version (once, ~0.4 s)
    kek = crypto.derive_kek("123456", SECRET, b"\x04" * 16)
    assert len(kek) == 32 and kek != crypto.derive_kek("123456", SECRET, b"\x04" * 16, LIGHT)


@pytest.mark.parametrize(
    "n,r,p", [(0, 8, 1), (3, 8, 1), (1000, 8, 1), (2**10, 0, 1), (2**10, 1, 0)]
)
def test_impossible_scrypt_costs_are_refused(n: int, r: int, p: int) -> None:
    with pytest.raises(ValueError):
        crypto.KdfParams(n, r, p)


@given(plaintext=st.binary(max_size=500))
def test_a_value_sealed_to_a_public_key_opens_with_its_private_key_only(plaintext: bytes) -> None:
    private, public = crypto.new_key_pair()
    other_private, _ = crypto.new_key_pair()
    sealed = crypto.seal_to(public, plaintext, AAD)
    assert crypto.open_from(private, sealed, AAD) == plaintext
    with pytest.raises(crypto.CannotOpen):
        crypto.open_from(other_private, sealed, AAD)
    with pytest.raises(crypto.CannotOpen):
        crypto.open_from(private, sealed, crypto.associated_data("x", "y", "z", 1))
    assert crypto.public_key_of(private) == public


def test_a_tampered_key_slot_does_not_open() -> None:
    private, public = crypto.new_key_pair()
    sealed = bytearray(crypto.seal_to(public, b"k" * 32, AAD))
    for position in (0, 31, 40, len(sealed) - 1):
        changed = bytearray(sealed)
        changed[position] ^= 0x01
        with pytest.raises(crypto.CannotOpen):
            crypto.open_from(private, bytes(changed), AAD)


def test_sealing_to_a_low_order_point_is_refused() -> None:
    with pytest.raises(crypto.CannotOpen):
        crypto.seal_to(bytes(32), b"k" * 32, AAD)


def test_reseal_moves_a_value_to_a_new_key_and_place() -> None:
    old, new = crypto.Sealer(KEY), crypto.Sealer(crypto.new_data_key())
    new_aad = crypto.associated_data("versions", "row-1", "payload", 2)
    moved = crypto.reseal(old, new, old.seal(b"value", AAD), AAD, new_aad)
    assert new.open(moved, new_aad) == b"value"
    with pytest.raises(crypto.CannotOpen):
        old.open(moved, AAD)


@given(plaintext=st.binary(max_size=1500))
def test_padding_round_trips_and_hides_small_length_differences(plaintext: bytes) -> None:
    padded = crypto.pad(plaintext)
    assert crypto.unpad(padded) == plaintext
    assert len(padded) >= 256
    assert len(padded) == 256 or (len(padded) - 256) % 64 == 0
    if len(plaintext) < 256:
        assert len(padded) == 256


def test_unpadding_garbage_is_refused() -> None:
    with pytest.raises(crypto.CannotOpen):
        crypto.unpad(b"no marker\x00\x00")


def test_the_device_check_depends_on_the_secret_and_the_store() -> None:
    tag = crypto.device_check(SECRET, "store-1")
    assert crypto.same_tag(tag, crypto.device_check(SECRET, "store-1"))
    assert not crypto.same_tag(tag, crypto.device_check(SECRET, "store-2"))
    assert not crypto.same_tag(tag, crypto.device_check(bytes(32), "store-1"))


def test_ed25519_signatures_verify_and_refuse_changes() -> None:
    private = crypto.new_signing_key()
    public = crypto.signing_public_key(private)
    body = "erä 2026-11 – Läsnä".encode()
    signature = crypto.sign(private, body)
    assert crypto.verify_signature(public, signature, body)
    assert not crypto.verify_signature(public, signature, body + b" ")
    other = crypto.signing_public_key(crypto.new_signing_key())
    assert not crypto.verify_signature(other, signature, body)
    assert not crypto.verify_signature(b"not a key", signature, body)
    with pytest.raises(crypto.BadSigningKey, match="not an unencrypted PEM private key"):
        crypto.sign(b"-----BEGIN PRIVATE KEY-----\nnope\n", body)


@given(plaintext=st.binary(max_size=3000), record_id=texts, device_id=texts)
def test_a_sealed_push_box_round_trips_for_its_device_and_record_only(
    plaintext: bytes, record_id: str, device_id: str
) -> None:
    private, public = crypto.new_key_pair()
    aad = crypto.associated_data("sealed_push", record_id, "record", 1, device_id)
    box = crypto.seal_to(public, plaintext, aad, label=crypto.SEALED_PUSH_LABEL)
    assert crypto.open_from(private, box, aad, label=crypto.SEALED_PUSH_LABEL) == plaintext
    other_device = crypto.associated_data("sealed_push", record_id, "record", 1, device_id + "x")
    with pytest.raises(crypto.CannotOpen):
        crypto.open_from(private, box, other_device, label=crypto.SEALED_PUSH_LABEL)


def test_a_sealed_push_box_never_opens_as_a_key_slot_or_tampered() -> None:
    private, public = crypto.new_key_pair()
    box = crypto.seal_to(public, b"a record's wire JSON", AAD, label=crypto.SEALED_PUSH_LABEL)
    with pytest.raises(crypto.CannotOpen):  # the same box, read for another purpose
        crypto.open_from(private, box, AAD)
    for position in (0, 31, 32, 33, 45, len(box) - 1):
        changed = bytearray(box)
        changed[position] ^= 0x01
        with pytest.raises(crypto.CannotOpen):
            crypto.open_from(private, bytes(changed), AAD, label=crypto.SEALED_PUSH_LABEL)


def test_the_device_wrap_key_depends_on_the_secret_and_the_store_only() -> None:
    key = crypto.device_wrap_key(SECRET, "store-1")
    assert len(key) == crypto.KEY_BYTES
    assert crypto.device_wrap_key(SECRET, "store-1") == key
    assert crypto.device_wrap_key(SECRET, "store-2") != key
    assert crypto.device_wrap_key(bytes(reversed(SECRET)), "store-1") != key
    with pytest.raises(ValueError, match="32 bytes"):
        crypto.device_wrap_key(b"short", "store-1")
