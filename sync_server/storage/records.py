"""Record versions: what a push reads and keeps, pull by cursor, and reads.

What a pushed version becomes is decided in :mod:`sync_server.push`, inside the
transaction :meth:`RecordsMixin.push_transaction` opens; here it is only read and
stored.
"""

from __future__ import annotations

import base64
import binascii
import re
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from shared.calendar import helsinki_today
from shared.findings import Finding
from shared.protocol import (
    AnswerStatus,
    MonthClose,
    ParticipantInfo,
    PullReply,
    RecordAnswer,
    Reference,
    SiteInfo,
    SiteRequest,
)
from shared.records import DayRecord
from shared.validation import (
    CLOCK_SKEW_LIMIT,
    run_into,
    run_reach,
    window_bounds,
)
from sync_server.errors import (
    BadRequest,
    ForbiddenSite,
    NotFound,
)
from sync_server.jsonio import dumps, loads
from sync_server.storage.access import AccessMixin
from sync_server.storage.base import Device, StoredVersion
from sync_server.storage.connection import iso, parse_iso
from sync_server.storage.generation import GenerationMixin
from sync_server.storage.reference import ReferenceMixin


class RecordsMixin(ReferenceMixin, AccessMixin, GenerationMixin):
    pull_history_months: int = 2  # set by the storage's constructor

    @contextmanager
    def push_transaction(self) -> Iterator[RecordsMixin]:
        """One write transaction; this storage's own methods read and write inside it."""
        with self.write():
            yield self

    def stored_versions_of(self, ids: Sequence[str]) -> dict[str, StoredVersion]:
        out: dict[str, StoredVersion] = {}
        unique = list(dict.fromkeys(ids))
        for i in range(0, len(unique), 500):
            chunk = unique[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for rid, site_id, body, findings in self.db.execute(
                f"SELECT id, site_id, body, findings FROM record_versions WHERE id IN ({marks})",
                chunk,
            ).fetchall():
                out[rid] = StoredVersion(
                    site_id,
                    _parse_stored(body),
                    tuple(Finding.from_dict(f) for f in loads(findings)),
                )
        return out

    def device_seen(
        self, device_id: str, *, now: datetime, skew: float | None, flagged: bool
    ) -> None:
        self.db.execute(
            "UPDATE devices SET last_seen_at = ?, clock_skew_seconds = ?, "
            "clock_flagged_at = CASE WHEN ? = 1 THEN ? ELSE clock_flagged_at END WHERE id = ?",
            [iso(now), skew, int(flagged), iso(now), device_id],
        )

    def versions_around(self, days_of: Mapping[str, Sequence[date]]) -> dict[str, list[DayRecord]]:
        """Per participant, the stored versions validation needs around its ``days``.

        Every version of the ISO weeks the days fall in, and before them only those of
        an absence run reaching into the first week: what validation itself keeps of
        the whole history (:func:`shared.validation.window_bounds`, ``run_into``). One
        query fetches the weeks and the few days before them a run could join from;
        a participant whose run goes on further is followed back with more queries.
        """
        bounds = {pid: window_bounds(min(days), max(days)) for pid, days in days_of.items()}
        out: dict[str, list[DayRecord]] = {pid: [] for pid in bounds}
        before: dict[str, list[_Row]] = {pid: [] for pid in bounds}
        start = {pid: max(b[0], run_reach((), b[1])) for pid, b in bounds.items()}
        pids = list(bounds)
        for i in range(0, len(pids), 200):
            chunk = pids[i : i + 200]
            params: list[str] = []
            for pid in chunk:
                params += [pid, start[pid].isoformat()]
                params += [bounds[pid][1].isoformat(), bounds[pid][2].isoformat()]
            rows = self.db.execute(
                "WITH w (pid, start, monday, sunday) AS (VALUES "
                + ", ".join(["(?, ?, ?, ?)"] * len(chunk))
                + ") SELECT r.participant_id, r.day >= w.monday, r.day, r.id, r.supersedes, "
                "r.recorded_at, r.body FROM w CROSS JOIN record_versions r "
                "ON r.participant_id = w.pid AND r.day BETWEEN w.start AND w.sunday",
                params,
            ).fetchall()
            for pid, is_inside, day, rid, supersedes, recorded_at, body in rows:
                if is_inside:
                    out[pid].append(_parse_stored(body))
                else:
                    before[pid].append((day, rid, supersedes, recorded_at, body))
        for pid, older in before.items():
            earliest, monday, _sunday = bounds[pid]
            fetched = start[pid]
            while True:
                keep = run_into(_StoredHeads(older), monday)
                need = max(earliest, run_reach(keep, monday))
                if need >= fetched:
                    break
                older += self._rows_between(pid, need, fetched)
                fetched = need
            days = {d.isoformat() for d in keep}
            out[pid].extend(_parse_stored(row[4]) for row in older if row[0] in days)
        return out

    def _rows_between(self, participant_id: str, first: date, before: date) -> list[_Row]:
        """(day, id, supersedes, recorded_at, body) of the versions of days in [first, before)."""
        return [
            (day, rid, supersedes, recorded_at, body)
            for day, rid, supersedes, recorded_at, body in self.db.execute(
                "SELECT day, id, supersedes, recorded_at, body FROM record_versions "
                "WHERE participant_id = ? AND day >= ? AND day < ?",
                [participant_id, first.isoformat(), before.isoformat()],
            ).fetchall()
        ]

    def keep(
        self,
        device: Device,
        answered: Sequence[tuple[DayRecord, RecordAnswer]],
        *,
        now: datetime,
    ) -> None:
        db = self.db
        received = iso(now)
        accepted = [(r, a) for r, a in answered if a.status is AnswerStatus.ACCEPTED]
        refused = [(r, a) for r, a in answered if a.status is not AnswerStatus.ACCEPTED]
        if accepted:
            first = self._next_seqs(db, len(accepted))
            db.conn.executemany(
                "INSERT INTO record_versions (seq, id, participant_id, site_id, day, supersedes, "
                "recorded_at, received_at, pushed_by, clock_flagged, body, findings) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        first + i,
                        r.id,
                        r.participant_id,
                        device.site_id,
                        r.day.isoformat(),
                        r.supersedes,
                        iso(r.recorded_at),
                        received,
                        device.id,
                        int(r.recorded_at - now > CLOCK_SKEW_LIMIT),
                        dumps(r.to_dict()),
                        _findings_json(a.findings),
                    )
                    for i, (r, a) in enumerate(accepted)
                ],
            )
        if refused:
            db.conn.executemany(
                "INSERT OR IGNORE INTO refused_versions (id, participant_id, site_id, day, "
                "status, pushed_by, received_at, body, findings, current_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        r.id,
                        r.participant_id,
                        device.site_id,
                        r.day.isoformat(),
                        a.status.value,
                        device.id,
                        received,
                        dumps(r.to_dict()),
                        _findings_json(a.findings),
                        a.current.id if a.current else None,
                    )
                    for r, a in refused
                ],
            )

    # pull ------------------------------------------------------------------------------

    def pull(self, device: Device, cursor: str | None, *, now: datetime, limit: int) -> PullReply:
        rec_seen, ref_seen, seen_in = _parse_cursor(cursor)
        since = history_start(helsinki_today(now), self.pull_history_months)
        with self.snapshot():
            head = self.head()
            generation = self.generation()
            if (seen_in is not None and seen_in != generation) or max(rec_seen, ref_seen) > head:
                # A cursor from data this database does not hold (it was restored from
                # a backup): start over, the device keeps what it has (generation.py).
                rec_seen = ref_seen = 0
            site_rows = self.rows(
                "SELECT id, name, ref_seq FROM sites WHERE id = ?", [device.site_id]
            )
            if not site_rows:
                raise NotFound("This device's site no longer exists; ask the administrator.")
            site = site_rows[0]
            reference = None
            if site["ref_seq"] > ref_seen:
                people, plans = self.current_reference(device.site_id, since)
                rule_sets = self.rule_sets()
                used = sorted({p.rule_set_id for p in plans})
                reference = Reference(
                    participants=tuple(
                        ParticipantInfo(p["id"], p["display_name"], p["client_ref"]) for p in people
                    ),
                    plans=tuple(plans),
                    rule_sets=tuple(rule_sets.get(i) for i in used if i in rule_sets),
                )
                ref_seen = site["ref_seq"]
            page = self.db.execute(
                "SELECT seq, body FROM record_versions WHERE site_id = ? AND seq > ? "
                "AND pushed_by != ? AND day >= ? ORDER BY seq LIMIT ?",
                [device.site_id, rec_seen, device.id, since.isoformat(), limit + 1],
            ).fetchall()
            more = len(page) > limit
            page = page[:limit]
            records = tuple(_parse_stored(body) for _, body in page)
            next_rec = page[-1][0] if more else max(head, rec_seen)
            months = self.rows(
                "SELECT year, month, closed_by, closed_at FROM closed_months WHERE site_id = ? "
                "ORDER BY year, month",
                [device.site_id],
            )
            requests = self.open_requests(device.site_id) if not more else []
        sent = {r.participant_id for r in records}
        if reference is not None:
            sent |= {p.id for p in reference.participants}
        with self.write() as db:
            db.execute("UPDATE devices SET last_seen_at = ? WHERE id = ?", [iso(now), device.id])
            # asiakastietolaki: the device read these participants' data.
            self.log_device_access(device.id, device.site_id, "pull", sent, now=now)
        return PullReply(
            cursor=encode_cursor(next_rec, ref_seen, generation or None),
            more=more,
            site=SiteInfo(site["id"], site["name"]),
            reference=reference,
            records=records,
            closed_months=tuple(
                MonthClose(
                    device.site_id,
                    m["year"],
                    m["month"],
                    m["closed_by"],
                    datetime.fromisoformat(m["closed_at"]),
                )
                for m in months
            ),
            server_time=now,
            requests=tuple(
                SiteRequest(
                    r["id"],
                    r["participant_id"],
                    date.fromisoformat(r["day"]),
                    r["reason_code"],
                    datetime.fromisoformat(r["made_at"]),
                    r["comment"],
                )
                for r in requests
            ),
            generation=generation or None,
        )

    def open_requests(self, site_id: str) -> list[dict[str, Any]]:
        """The days returned to the site that no newer version has answered yet."""
        return self.rows(
            "SELECT q.* FROM site_requests q WHERE q.site_id = ? AND NOT EXISTS ("
            "SELECT 1 FROM record_versions v WHERE v.participant_id = q.participant_id "
            "AND v.day = q.day AND v.seq > q.seq) ORDER BY q.seq",
            [site_id],
        )

    def add_site_request(
        self,
        site_id: str,
        participant_id: str,
        day: date,
        reason_code: str,
        comment: str,
        *,
        by: str,
        now: datetime,
    ) -> str:
        """Return a day to the site; its devices get it at their next pull. Its id."""
        request_id = str(uuid.uuid4())
        with self.write() as db:
            seq = self._next_seqs(db, 1)
            db.execute(
                "INSERT INTO site_requests (id, site_id, participant_id, day, reason_code, "
                "comment, made_by, made_at, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    request_id,
                    site_id,
                    participant_id,
                    day.isoformat(),
                    reason_code,
                    comment,
                    by,
                    iso(now),
                    seq,
                ],
            )
        return request_id

    def approved_months(self, site_id: str) -> set[tuple[int, int]]:
        """(year, month) pairs the county approved: the forward marks them final."""
        return {
            (int(y), int(m))
            for y, m in self.db.execute(
                "SELECT year, month FROM month_approvals WHERE site_id = ?", [site_id]
            ).fetchall()
        }

    def participant_records(
        self, device: Device, participant_id: str, start: date | None, end: date | None
    ) -> list[DayRecord]:
        sites = self.participant_sites([participant_id])
        if sites.get(participant_id) != device.site_id:
            # Another site's participant is answered as an unknown one: the answer must not
            # tell a device which ids exist elsewhere.
            raise NotFound("This device's site has no such participant.")
        return self.versions_for(participant_id, start or date.min, end or date.max)

    def close_month(self, device: Device, close: MonthClose, *, now: datetime) -> bool:
        """Record that ``close``'s month is closed; False when it was closed already."""
        if close.site_id != device.site_id:
            raise ForbiddenSite("A device may only close months of its own site.")
        with self.write() as db:
            if db.execute(
                "SELECT 1 FROM closed_months WHERE site_id = ? AND year = ? AND month = ?",
                [close.site_id, close.year, close.month],
            ).fetchone():
                return False
            seq = self._next_seqs(db, 1)
            db.execute(
                "INSERT INTO closed_months (site_id, year, month, closed_by, closed_at, "
                "received_at, device_id, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    close.site_id,
                    close.year,
                    close.month,
                    close.closed_by,
                    iso(close.closed_at),
                    iso(now),
                    device.id,
                    seq,
                ],
            )
            db.execute("UPDATE sites SET ref_seq = ? WHERE id = ?", [seq, close.site_id])
        return True

    def supervisors_of(self, site_id: str) -> set[str]:
        return {
            name
            for (name,) in self.db.execute(
                "SELECT DISTINCT json_extract(body, '$.recorded_by') FROM record_versions "
                "WHERE site_id = ?",
                [site_id],
            ).fetchall()
            if isinstance(name, str)
        }

    def reopen_month(
        self, site_id: str, year: int, month: int, *, reason: str, by: str, now: datetime
    ) -> MonthClose | None:
        with self.write() as db:
            row = db.execute(
                "SELECT closed_by, closed_at, device_id FROM closed_months "
                "WHERE site_id = ? AND year = ? AND month = ?",
                [site_id, year, month],
            ).fetchone()
            if row is None:
                return None
            closed_by, closed_at, device_id = row
            seq = self._next_seqs(db, 1)
            db.execute(
                "INSERT INTO month_reopenings (site_id, year, month, closed_by, closed_at, "
                "closing_device_id, reopened_at, reopened_by, reason, seq) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [site_id, year, month, closed_by, closed_at, device_id, iso(now), by, reason, seq],
            )
            db.execute(
                "DELETE FROM closed_months WHERE site_id = ? AND year = ? AND month = ?",
                [site_id, year, month],
            )
            db.execute("UPDATE sites SET ref_seq = ? WHERE id = ?", [seq, site_id])
        return MonthClose(site_id, year, month, closed_by, datetime.fromisoformat(closed_at))

    def month_reopenings(self, site_id: str) -> list[dict[str, Any]]:
        """The site's reopened months, oldest first: who closed, who opened again, why."""
        return self.rows("SELECT * FROM month_reopenings WHERE site_id = ? ORDER BY seq", [site_id])

    # reads for the nightly forward ------------------------------------------------------

    def versions_since(self, seq: int, limit: int) -> list[tuple[int, DayRecord, datetime]]:
        """Every stored version after change number ``seq``, in server order."""
        out: list[tuple[int, DayRecord, datetime]] = []
        for s, body, received in self.db.execute(
            "SELECT seq, body, received_at FROM record_versions WHERE seq > ? ORDER BY seq LIMIT ?",
            [seq, limit],
        ).fetchall():
            moment = parse_iso(received)
            assert moment is not None
            out.append((s, _parse_stored(body), moment))
        return out

    def changed_days_since(self, seq: int, limit: int) -> list[tuple[int, str, date]]:
        """(change number, participant, day) of the versions after ``seq``, in server order.

        What :meth:`versions_since` says about which days changed, from the indexed
        columns alone: the forward reads a county's year of changes with it.
        """
        return [
            (s, participant_id, date.fromisoformat(day))
            for s, participant_id, day in self.db.execute(
                "SELECT seq, participant_id, day FROM record_versions WHERE seq > ? "
                "ORDER BY seq LIMIT ?",
                [seq, limit],
            ).fetchall()
        ]

    def versions_for(self, participant_id: str, start: date, end: date) -> list[DayRecord]:
        """Every stored version of the participant's days in [start, end], in server order."""
        return [
            _parse_stored(body)
            for (body,) in self.db.execute(
                "SELECT body FROM record_versions WHERE participant_id = ? AND day BETWEEN ? AND ? "
                "ORDER BY seq",
                [participant_id, start.isoformat(), end.isoformat()],
            ).fetchall()
        ]

    def refused_for(self, participant_id: str) -> list[dict[str, Any]]:
        """Versions refused as conflict or rejected (kept, never current)."""
        return [
            {**r, "body": loads(r["body"]), "findings": loads(r["findings"])}
            for r in self.rows(
                "SELECT * FROM refused_versions WHERE participant_id = ? ORDER BY received_at",
                [participant_id],
            )
        ]

    def stored_findings(self, record_id: str) -> list[Finding]:
        found = self.rows("SELECT findings FROM record_versions WHERE id = ?", [record_id])
        return [Finding.from_dict(f) for f in loads(found[0]["findings"])] if found else []


def history_start(today: date, months: int) -> date:
    """The first day of the month ``months`` months before ``today``'s month."""
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


_MAX_ROW_NUMBER = 2**63 - 1  # SQLite's INTEGER and PostgreSQL's bigint
_GENERATION = re.compile(r"[0-9a-f]{1,64}")


def encode_cursor(records_seen: int, reference_seen: int, generation: str | None = None) -> str:
    raw = (
        f"1:{records_seen}:{reference_seen}"
        if generation is None
        else f"2:{records_seen}:{reference_seen}:{generation}"
    ).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[int, int]:
    records_seen, reference_seen, _generation = _parse_cursor(cursor)
    return records_seen, reference_seen


def _parse_cursor(cursor: str | None) -> tuple[int, int, str | None]:
    """(records seen, reference seen, the database's generation; None in a version 1
    cursor, from before generations)."""
    if cursor is None or cursor == "":
        return 0, 0, None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        version, *parts = base64.urlsafe_b64decode(padded.encode()).decode().split(":")
        if version == "1" and len(parts) == 2:
            (rec, ref), generation = parts, None
        elif version == "2" and len(parts) == 3 and _GENERATION.fullmatch(parts[2]):
            rec, ref, generation = parts
        else:
            raise ValueError(version)
        values = int(rec), int(ref)
        # Both are row numbers: beyond the database's integer they were never handed out
        # (and would overflow when bound to a query).
        if min(values) < 0 or max(values) > _MAX_ROW_NUMBER:
            raise ValueError(values)
        return values[0], values[1], generation
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadRequest(
            "The cursor is not one this server handed out. Pull without a cursor to start over."
        ) from None


def _parse_stored(body: str) -> DayRecord:
    # The bodies are this server's own JSON (objects of strings, ints and nulls).
    return DayRecord.from_stored(loads(body))


# A stored version by its columns: (day, id, supersedes, recorded_at, body).
_Row = tuple[str, str, str | None, str, str]


class _StoredHeads(Mapping[date, DayRecord]):
    """The current version of each day among stored rows, parsed only when read.

    Rows are (day, id, supersedes, recorded_at, body). The current version of a day is
    the one no other row supersedes, the earliest (recorded_at, id) first on ties, as
    :func:`shared.records.current_versions` picks it; ``recorded_at`` is stored as UTC
    text of fixed width, so it sorts like the instants.
    """

    def __init__(self, rows: Sequence[_Row]) -> None:
        superseded = {row[2] for row in rows if row[2]}
        best: dict[str, _Row] = {}
        for row in rows:
            if row[1] in superseded:
                continue
            found = best.get(row[0])
            if found is None or (row[3], row[1]) < (found[3], found[1]):
                best[row[0]] = row
        self._heads = {date.fromisoformat(day): row[4] for day, row in best.items()}

    def __getitem__(self, day: date) -> DayRecord:
        return _parse_stored(self._heads[day])

    def __iter__(self) -> Iterator[date]:
        return iter(self._heads)

    def __len__(self) -> int:
        return len(self._heads)


def _findings_json(findings: Sequence[Finding]) -> str:
    return dumps([_stored(f) for f in findings]) if findings else "[]"


def _stored(f: Finding) -> dict[str, Any]:
    # Texts are made from the code at the moment they are shown: store code and params.
    return {
        "code": f.code,
        "severity": f.severity.value,
        "params": dict(f.params),
        "day": f.day.isoformat() if f.day else None,
    }
