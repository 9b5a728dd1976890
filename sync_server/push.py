"""The decision of a push: which versions are accepted, duplicate, conflict or rejected.

Each pushed version gets its own answer. A version must name the device that sends
it (``device_id``): a device speaks only for itself. The id is looked up next: the
same version seen before (same id, same content, same site) is a ``duplicate`` and
changes nothing, so a batch pushed twice, or pushed again because its reply was lost,
leaves exactly one copy. Any other version under a stored id is rejected, and the
answer says nothing of the stored one. Then the version is validated again with
:func:`shared.validation.check_new_versions`, exactly as the device did, against the
server's own copy of the participant's versions. Storage only reads and stores
(:class:`~sync_server.storage.base.PushTransaction`); all of it happens in one of its
transactions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta

from shared.calendar import helsinki_today
from shared.error_codes import ErrorCode
from shared.findings import Finding, Severity, finding
from shared.plans import Plan, plan_for_day
from shared.protocol import AnswerStatus, PushReply, PushRequest, RecordAnswer
from shared.records import DayRecord, current_versions
from shared.rulesets import RuleSets
from shared.validation import CLOCK_SKEW_LIMIT, check_new_versions
from sync_server.errors import UnknownParticipant
from sync_server.storage.base import Device, PushTransaction, Storage, StoredVersion

# Findings that mean "another version got there first": the supervisor resolves them.
CONFLICT_CODES = frozenset({"already_superseded", "duplicate_day"})


def push(
    storage: Storage,
    device: Device,
    request: PushRequest,
    *,
    now: datetime,
    before_commit: Callable[[], None] | None = None,
) -> PushReply:
    """Judge and store one batch in one transaction; a reply with an answer per version.

    ``before_commit`` runs inside the open transaction (the fault-injection pause).
    """
    records = request.records
    skew = (request.device_time - now).total_seconds() if request.device_time else None
    flagged = skew is not None and timedelta(seconds=skew) > CLOCK_SKEW_LIMIT
    with storage.push_transaction() as tx:
        _check_participants(tx, device, records)
        answers, fresh = _decide(tx, device, records, now)
        tx.keep(device, fresh, now=now)
        tx.device_seen(device.id, now=now, skew=skew, flagged=flagged)
        # asiakastietolaki: one access row per participant the batch wrote, in its transaction.
        tx.log_device_access(
            device.id, device.site_id, "push", {r.participant_id for r in records}, now=now
        )
        if before_commit is not None:
            before_commit()
    return PushReply(tuple(answers), now, skew, flagged)


def _decide(
    tx: PushTransaction, device: Device, records: Sequence[DayRecord], now: datetime
) -> tuple[list[RecordAnswer], list[tuple[DayRecord, RecordAnswer]]]:
    """Every record's answer, in push order, and the versions seen for the first time."""
    today = helsinki_today(now)
    stored = tx.stored_versions_of([r.id for r in records])
    by_participant: dict[str, list[DayRecord]] = {}
    for r in records:
        by_participant.setdefault(r.participant_id, []).append(r)
    plans = tx.plans_of(list(by_participant))
    existing = tx.versions_around({pid: [r.day for r in rs] for pid, rs in by_participant.items()})
    findings_of = _judge(
        [r for r in records if r.id not in stored and r.device_id == device.id],
        plans,
        existing,
        tx.rule_sets(),
        today=today,
        now=now,
        closed=tx.closed_months(device.site_id),
    )
    answers: list[RecordAnswer] = []
    fresh: list[tuple[DayRecord, RecordAnswer]] = []
    for record in records:
        before = stored.get(record.id)
        if record.device_id != device.id:
            answer = _refused(record, "recorded_on_another_device")
        elif before is not None:
            if before.site_id == device.site_id and before.record == record:
                answers.append(RecordAnswer(record.id, AnswerStatus.DUPLICATE, before.findings))
                continue
            # Another version, or another site's, under this id: refused without a word
            # of the stored one (its findings and content are not this device's to see).
            answer = _refused(record, "record_id_taken")
        else:
            mine = existing[record.participant_id]
            findings = tuple(findings_of[record.id])
            errors = {f.code for f in findings if f.severity is Severity.ERROR}
            if errors & CONFLICT_CODES:
                heads = current_versions(mine).get((record.participant_id, record.day), [])
                answer = RecordAnswer(
                    record.id, AnswerStatus.CONFLICT, findings, heads[0] if heads else None
                )
            elif errors:
                answer = RecordAnswer(record.id, AnswerStatus.REJECTED, findings)
            else:
                answer = RecordAnswer(record.id, AnswerStatus.ACCEPTED, findings)
                mine.append(record)
                # The same id again in this batch is then judged like a stored one.
                stored[record.id] = StoredVersion(device.site_id, record, findings)
        answers.append(answer)
        fresh.append((record, answer))
    return answers, fresh


def _refused(record: DayRecord, code: str) -> RecordAnswer:
    return RecordAnswer(record.id, AnswerStatus.REJECTED, (finding(code, record.day),))


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


def _check_participants(tx: PushTransaction, device: Device, records: Sequence[DayRecord]) -> None:
    """Refuse the whole batch when it names someone the device's site does not have.

    A participant of another site is refused exactly like an unknown one: the answer
    must not tell a device which ids exist elsewhere.
    """
    sites = tx.participant_sites([r.participant_id for r in records])
    outside = [r for r in records if sites.get(r.participant_id) != device.site_id]
    if outside:
        raise UnknownParticipant(
            f"{len(outside)} record(s) name a participant this device's site does not have. "
            "Nothing in the batch was stored; those records need the supervisor.",
            {"records": _refusal_details(outside)},
        )


def _refusal_details(records: Sequence[DayRecord]) -> list[dict[str, object]]:
    code = ErrorCode.UNKNOWN_PARTICIPANT.value  # also the finding the supervisor is shown
    return [{"id": r.id, "findings": [finding(code, r.day).to_dict()]} for r in records]
