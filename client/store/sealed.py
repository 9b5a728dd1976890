"""What lets a locked device keep sending, and what it may read without a PIN: nothing.

* Each outbox entry also keeps its version sealed to the sync server's public key
  (:mod:`shared.sealed_push`), made when the version is saved; only the server opens it.
* The sync credential is kept a second time, sealed under a key from the device secret
  alone (:func:`shared.crypto.device_wrap_key`), so that a locked device can
  authenticate. It is not personal data; docs/security.md states what it gives away.
* The server's answers of conflict or rejected, received while locked, are sealed to
  the store's *inbox* key, whose private half lives under the data key: they are read,
  and moved to the attention list, at the next unlock.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable
from dataclasses import replace

from sqlite_utils import Database

from shared import DayRecord, crypto
from shared.errors import RejectedInput
from shared.protocol import RecordAnswer, SealedEntry
from shared.sealed_push import seal_record

from .session import Session

SERVER_KEY = "store.server_key"  # base64 of the server's X25519 public key (public)
INBOX_KEY = "store.inbox_key"  # base64 of the inbox's X25519 public key (public)
INBOX_PRIVATE = "store.inbox_private"  # the inbox's private key, in the sealed secrets
DEVICE_ID = "device_id"  # the enrolled device id (the sync client's meta key)


def _meta(db: Database, key: str) -> str | None:
    row = db.conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return str(row[0]) if row else None


def _set_meta(db: Database, key: str, value: str) -> None:
    db.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])


def server_key(db: Database) -> bytes | None:
    raw = _meta(db, SERVER_KEY)
    return base64.b64decode(raw) if raw else None


def sealed_for(db: Database) -> str | None:
    """The tag of boxes made now (device id and server key), None when either is unknown."""
    key = server_key(db)
    device_id = _meta(db, DEVICE_ID)
    if key is None or not device_id:
        return None
    return f"{device_id}:{hashlib.sha256(key).hexdigest()[:16]}"


def box_for(db: Database, record: DayRecord) -> tuple[bytes | None, str | None]:
    """The sealed copy of ``record`` for the outbox, or (None, None) before enrollment."""
    tag = sealed_for(db)
    key = server_key(db)
    device_id = _meta(db, DEVICE_ID)
    if tag is None or key is None or not device_id:
        return None, None
    # The server takes a version only from the device it names. A version saved before
    # a re-enrollment is re-sealed under the new id (as the unlocked push sends it:
    # client.sync.client._as_enrolled); the stored version itself is not changed.
    if record.device_id != device_id:
        record = replace(record, device_id=device_id)
    return seal_record(key, record, device_id), tag


def set_server_key(db: Database, session: Session, key: bytes) -> None:
    """Keep the server's key and make the inbox key, both once (call inside ``atomic``)."""
    _set_meta(db, SERVER_KEY, base64.b64encode(key).decode("ascii"))
    if _meta(db, INBOX_KEY) is None:
        private, public = crypto.new_key_pair()
        row = {"name": INBOX_PRIVATE}
        payload, version = session.seal("secrets", row, private)
        db.conn.execute(
            "INSERT OR REPLACE INTO secrets (name, key_version, payload) VALUES (?, ?, ?)",
            [INBOX_PRIVATE, version, payload],
        )
        _set_meta(db, INBOX_KEY, base64.b64encode(public).decode("ascii"))


def unsealed_ids(db: Database) -> list[str]:
    """Outbox entries with no box for today's device id and server key, oldest first."""
    tag = sealed_for(db)
    return [
        r[0]
        for r in db.conn.execute(
            # no tag (not enrolled, or no key yet): nothing can go sealed
            "SELECT record_id FROM outbox WHERE (? IS NULL OR sealed_for IS NOT ?) "
            "AND record_id NOT IN (SELECT record_id FROM locked_answers) ORDER BY seq",
            [tag, tag],
        )
    ]


def store_boxes(db: Database, records: Iterable[DayRecord]) -> None:
    for record in records:
        box, tag = box_for(db, record)
        db.conn.execute(
            "UPDATE outbox SET sealed = ?, sealed_for = ? WHERE record_id = ?",
            [box, tag, record.id],
        )


def drop_boxes(db: Database, record_ids: Iterable[str]) -> None:
    """Boxes the server could not open: these wait for an unlocked round instead."""
    db.conn.executemany(
        "UPDATE outbox SET sealed = NULL, sealed_for = 'unreadable' WHERE record_id = ?",
        [[i] for i in record_ids],
    )


def pending(db: Database, limit: int) -> list[SealedEntry]:
    """Up to ``limit`` boxes to send, oldest first; no key is needed to read them."""
    tag = sealed_for(db)
    if tag is None:
        return []
    rows = db.conn.execute(
        "SELECT record_id, CAST(sealed AS BLOB) FROM outbox "
        "WHERE sealed IS NOT NULL AND sealed_for = ? "
        "AND record_id NOT IN (SELECT record_id FROM locked_answers) ORDER BY seq LIMIT ?",
        [tag, max(0, limit)],
    )
    return [SealedEntry(record_id, bytes(box)) for record_id, box in rows]


def _inbox_aad(record_id: str) -> bytes:
    return crypto.associated_data("locked_answers", record_id, "box", 1)


def keep_locked_answer(db: Database, answer: RecordAnswer) -> bool:
    """Seal a refusal to the inbox key; False when there is no inbox key yet."""
    raw = _meta(db, INBOX_KEY)
    if raw is None:
        return False
    body = crypto.pad(json.dumps(answer.to_dict(), separators=(",", ":")).encode("utf-8"))
    box = crypto.seal_to(base64.b64decode(raw), body, _inbox_aad(answer.id))
    db.conn.execute(
        "INSERT OR REPLACE INTO locked_answers (record_id, box) VALUES (?, ?)", [answer.id, box]
    )
    return True


def open_locked_answers(db: Database, session: Session) -> list[RecordAnswer]:
    """The refusals received while locked (they stay until :func:`forget_locked_answers`)."""
    rows = list(db.conn.execute("SELECT record_id, CAST(box AS BLOB) FROM locked_answers"))
    if not rows:
        return []
    found = db.conn.execute(
        "SELECT key_version, CAST(payload AS BLOB) FROM secrets WHERE name = ?", [INBOX_PRIVATE]
    ).fetchone()
    if found is None:
        return []
    private = session.open(
        "secrets", {"name": INBOX_PRIVATE, "key_version": found[0], "payload": found[1]}
    )
    answers: list[RecordAnswer] = []
    for record_id, box in rows:
        try:
            plain = crypto.unpad(crypto.open_from(private, bytes(box), _inbox_aad(record_id)))
            answer = RecordAnswer.from_dict(json.loads(plain))
        except (crypto.CannotOpen, ValueError, RejectedInput):
            continue  # left for the normal push to ask again
        if answer.id == record_id:
            answers.append(answer)
    return answers


def forget_locked_answers(db: Database) -> None:
    db.conn.execute("DELETE FROM locked_answers")


def device_aad(store_id: str, name: str) -> bytes:
    return crypto.associated_data("device_wrapped", name, "payload", 0, store_id)
