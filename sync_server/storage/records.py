"""Record versions: push (one transaction per batch), pull by cursor, and reads.

Each pushed version gets its own answer. The id is looked up first: a version seen
before is a ``duplicate`` and changes nothing, so a batch pushed twice, or pushed
again because its reply was lost, leaves exactly one copy. Then the version is
validated again with :func:`shared.validation.check_new_version`, exactly as the
device did, against the server's own copy of the participant's versions.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from pydantic_core import from_json, to_json

from shared.calendar import helsinki_today
from shared.findings import Finding, Severity, finding
from shared.plans import Plan
from shared.protocol import (
    AnswerStatus,
    MonthClose,
    ParticipantInfo,
    PullReply,
    PushReply,
    RecordAnswer,
    Reference,
    SiteInfo,
)
from shared.records import DayRecord, current_versions
from shared.rulesets import RuleSets, rule_set_to_dict
from shared.validation import (
    CLOCK_SKEW_LIMIT,
    check_new_versions,
    run_into,
    run_reach,
    window_bounds,
)
from sync_server.errors import (
    BadRequest,
    ForbiddenParticipant,
    ForbiddenSite,
    NotFound,
    UnknownParticipant,
)
from sync_server.storage.base import Device
from sync_server.storage.connection import iso, parse_iso
from sync_server.storage.reference import ReferenceMixin

# Findings that mean "another version got there first": the supervisor resolves them.
CONFLICT_CODES = frozenset({"already_superseded", "duplicate_day"})
# json.dumps(..., ensure_ascii=False) without building an encoder for every row.
_JSON = json.JSONEncoder(ensure_ascii=False)


class RecordsMixin(ReferenceMixin):
    pull_history_months: int = 2  # set by the storage's constructor

    def push(
        self,
        device: Device,
        records: Sequence[DayRecord],
        *,
        now: datetime,
        device_time: datetime | None = None,
        before_commit: Callable[[], None] | None = None,
    ) -> PushReply:
        today = helsinki_today(now)
        skew = (device_time - now).total_seconds() if device_time else None
        flagged = skew is not None and timedelta(seconds=skew) > CLOCK_SKEW_LIMIT
        answers: list[RecordAnswer] = []
        with self.write() as db:
            self._check_participants(device, records)
            seen = self._stored_ids([r.id for r in records])
            by_participant: dict[str, list[DayRecord]] = {}
            for r in records:
                by_participant.setdefault(r.participant_id, []).append(r)
            plans = self.plans_of(list(by_participant))
            existing = self._windows(
                {pid: [r.day for r in rs] for pid, rs in by_participant.items()}
            )
            closed = self.closed_months(device.site_id)
            rule_sets = self.rule_sets()
            accepted: list[tuple[DayRecord, list[Finding]]] = []
            refused: list[tuple[DayRecord, RecordAnswer]] = []
            findings_of = self._judge(
                [r for r in records if r.id not in seen],
                plans,
                existing,
                rule_sets,
                today=today,
                now=now,
                closed=closed,
            )
            for record in records:
                if record.id in seen:
                    answers.append(RecordAnswer(record.id, AnswerStatus.DUPLICATE, seen[record.id]))
                    continue
                mine = existing[record.participant_id]
                findings = findings_of[record.id]
                errors = {f.code for f in findings if f.severity is Severity.ERROR}
                if errors & CONFLICT_CODES:
                    heads = current_versions(mine).get((record.participant_id, record.day), [])
                    answer = RecordAnswer(
                        record.id,
                        AnswerStatus.CONFLICT,
                        tuple(findings),
                        heads[0] if heads else None,
                    )
                    refused.append((record, answer))
                elif errors:
                    answer = RecordAnswer(record.id, AnswerStatus.REJECTED, tuple(findings))
                    refused.append((record, answer))
                else:
                    answer = RecordAnswer(record.id, AnswerStatus.ACCEPTED, tuple(findings))
                    accepted.append((record, findings))
                    mine.append(record)
                    seen[record.id] = tuple(findings)
                answers.append(answer)
            self._insert(db, device, accepted, refused, now)
            db.execute(
                "UPDATE devices SET last_seen_at = ?, clock_skew_seconds = ?, "
                "clock_flagged_at = CASE WHEN ? THEN ? ELSE clock_flagged_at END WHERE id = ?",
                [iso(now), skew, flagged, iso(now), device.id],
            )
            if before_commit is not None:
                before_commit()
        return PushReply(tuple(answers), now, skew, flagged)

    @staticmethod
    def _judge(
        records: Sequence[DayRecord],
        plans: dict[str, list[Plan]],
        existing: dict[str, list[DayRecord]],
        rule_sets: RuleSets,
        *,
        today: date,
        now: datetime,
        closed: set[tuple[int, int]],
    ) -> dict[str, list[Finding]]:
        """Findings per record id: one evaluation per participant and plan, in push order."""
        groups: dict[tuple[str, str | None], list[DayRecord]] = {}
        plan_by_id: dict[str | None, Plan | None] = {None: None}
        for r in records:
            plan = plan_for_day(plans.get(r.participant_id, []), r.day)
            plan_by_id[plan.id if plan else None] = plan
            groups.setdefault((r.participant_id, plan.id if plan else None), []).append(r)
        out: dict[str, list[Finding]] = {}
        for (pid, plan_id), batch in groups.items():
            answers = check_new_versions(
                plan_by_id[plan_id],
                existing[pid],
                batch,
                rule_sets,
                today=today,
                received_at=now,
                closed_months=closed,
            )
            for r, found in zip(batch, answers, strict=True):
                out.setdefault(r.id, found)  # a repeated id is answered `duplicate` later
        return out

    def _check_participants(self, device: Device, records: Sequence[DayRecord]) -> None:
        """Refuse the whole batch when it names someone outside the device's site."""
        sites = self.participant_sites([r.participant_id for r in records])
        unknown = [r for r in records if r.participant_id not in sites]
        if unknown:
            raise UnknownParticipant(
                f"{len(unknown)} record(s) name a participant this server does not know. "
                "Nothing in the batch was stored; those records need the supervisor.",
                {"records": _refusal_details(unknown, "unknown_participant")},
            )
        foreign = [r for r in records if sites[r.participant_id] != device.site_id]
        if foreign:
            raise ForbiddenParticipant(
                f"{len(foreign)} record(s) name a participant of another site. This device "
                "may only write its own site's participants; nothing in the batch was stored.",
                {"records": _refusal_details(foreign, "unknown_participant")},
            )

    def _stored_ids(self, ids: Sequence[str]) -> dict[str, tuple[Finding, ...]]:
        out: dict[str, tuple[Finding, ...]] = {}
        unique = list(dict.fromkeys(ids))
        for i in range(0, len(unique), 500):
            chunk = unique[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for rid, findings in self.db.execute(
                f"SELECT id, findings FROM record_versions WHERE id IN ({marks})", chunk
            ).fetchall():
                out[rid] = tuple(Finding.from_dict(f) for f in json.loads(findings))
        return out

    def _windows(self, days_of: Mapping[str, Sequence[date]]) -> dict[str, list[DayRecord]]:
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

    def _insert(
        self,
        db: Any,
        device: Device,
        accepted: list[tuple[DayRecord, list[Finding]]],
        refused: list[tuple[DayRecord, RecordAnswer]],
        now: datetime,
    ) -> None:
        received = iso(now)
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
                        _body_json(r),
                        _findings_json(findings),
                    )
                    for i, (r, findings) in enumerate(accepted)
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
                        _body_json(r),
                        _findings_json(a.findings),
                        a.current.id if a.current else None,
                    )
                    for r, a in refused
                ],
            )

    # pull ------------------------------------------------------------------------------

    def pull(self, device: Device, cursor: str | None, *, now: datetime, limit: int) -> PullReply:
        rec_seen, ref_seen = decode_cursor(cursor)
        since = history_start(helsinki_today(now), self.pull_history_months)
        with self.snapshot():
            head = self.head()
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
                    rule_sets=tuple(
                        rule_set_to_dict(rule_sets.get(i)) for i in used if i in rule_sets
                    ),
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
        with self.write() as db:
            db.execute("UPDATE devices SET last_seen_at = ? WHERE id = ?", [iso(now), device.id])
        return PullReply(
            cursor=encode_cursor(next_rec, ref_seen),
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
        )

    def participant_records(
        self, device: Device, participant_id: str, start: date | None, end: date | None
    ) -> list[DayRecord]:
        sites = self.participant_sites([participant_id])
        if participant_id not in sites:
            raise NotFound("There is no such participant.")
        if sites[participant_id] != device.site_id:
            raise ForbiddenParticipant(
                "This participant belongs to another site; a device may only read its own "
                "site's participants."
            )
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
            {**r, "body": json.loads(r["body"]), "findings": json.loads(r["findings"])}
            for r in self.rows(
                "SELECT * FROM refused_versions WHERE participant_id = ? ORDER BY received_at",
                [participant_id],
            )
        ]

    def stored_findings(self, record_id: str) -> list[Finding]:
        found = self.rows("SELECT findings FROM record_versions WHERE id = ?", [record_id])
        return [Finding.from_dict(f) for f in json.loads(found[0]["findings"])] if found else []


def history_start(today: date, months: int) -> date:
    """The first day of the month ``months`` months before ``today``'s month."""
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def encode_cursor(records_seen: int, reference_seen: int) -> str:
    raw = f"1:{records_seen}:{reference_seen}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[int, int]:
    if cursor is None or cursor == "":
        return 0, 0
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        version, rec, ref = base64.urlsafe_b64decode(padded.encode()).decode().split(":")
        if version != "1":
            raise ValueError(version)
        values = int(rec), int(ref)
        if min(values) < 0:
            raise ValueError(values)
        return values
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadRequest(
            "The cursor is not one this server handed out. Pull without a cursor to start over."
        ) from None


def _parse_stored(body: str) -> DayRecord:
    # pydantic-core's JSON parser reads a stored body in a third of json.loads' time;
    # the bodies are this server's own JSON (UTF-8 objects of strings, ints and nulls).
    return DayRecord.from_stored(from_json(body))


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


def _body_json(record: DayRecord) -> str:
    # pydantic-core writes the wire form in a third of json.dumps' time: compact, UTF-8
    # as it is (what ensure_ascii=False gives); only ever read back as JSON.
    return to_json(record.to_dict()).decode("utf-8")


def _findings_json(findings: Sequence[Finding]) -> str:
    return _JSON.encode([_stored(f) for f in findings]) if findings else "[]"


def _stored(f: Finding) -> dict[str, Any]:
    # Texts are made from the code at the moment they are shown: store code and params.
    return {
        "code": f.code,
        "severity": f.severity.value,
        "params": dict(f.params),
        "day": f.day.isoformat() if f.day else None,
    }


def _refusal_details(records: Sequence[DayRecord], code: str) -> list[dict[str, Any]]:
    return [{"id": r.id, "findings": [finding(code, r.day).to_dict()]} for r in records]
