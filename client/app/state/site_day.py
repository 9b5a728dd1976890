"""The whole site not held on a day (a holiday, a closed workshop) in one action.

Every participant expected on the shown day gets a "not held" record, as if each were
marked one by one: a new version each, append-only, checked by the store and queued
for the server. Participants who already have a record of the day keep it unless the
supervisor also chooses to change theirs; that choice is a correction of each of those
records, so it needs one reason, given once for all of them. A participant already
"not held" is left alone. In a closed month every change needs the reason anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from client.app.state.day_rows import Change, SaveOutcome, TodayRow
from client.app.state.errors import InputProblem, NeedsCorrectionReason
from client.app.state.today import TodayState
from shared.records import Status


@dataclass(frozen=True)
class SiteDayPlan:
    """What the action would do on ``day``: asked before, shown in the confirmation."""

    day: date
    unmarked: tuple[TodayRow, ...]  # expected, no record yet: marked not held
    marked: tuple[TodayRow, ...]  # expected, present or absent: kept unless chosen
    closed: bool  # the day's month is closed: every change needs a reason

    @property
    def possible(self) -> bool:
        return bool(self.unmarked or self.marked)

    def needs_reason(self, *, include_marked: bool) -> bool:
        return self.closed or (include_marked and bool(self.marked))


def plan_not_held(today: TodayState) -> SiteDayPlan:
    """Who the action reaches on the day Today shows (nobody on a future day)."""
    expected = [] if today.future else [r for r in today.rows if r.expected]
    return SiteDayPlan(
        today.day,
        tuple(r for r in expected if r.record is None),
        tuple(
            r for r in expected if r.record is not None and r.record.status is not Status.NOT_HELD
        ),
        any(r.closed for r in today.rows),
    )


def mark_site_not_held(
    today: TodayState,
    plan: SiteDayPlan,
    *,
    include_marked: bool = False,
    correction_reason: str | None = None,
) -> list[SaveOutcome]:
    """Mark the participants ``plan`` named as not held; those marked meanwhile (by
    another tab or device) are left as they are now, unless ``include_marked``."""
    if today.day != plan.day:
        today.load(plan.day)
    else:
        today.load()
    if today.future:
        raise InputProblem("today.future")
    reason = (correction_reason or "").strip() or None
    if plan.needs_reason(include_marked=include_marked) and reason is None:
        raise NeedsCorrectionReason("site_day.reason_missing")
    chosen = {r.participant_id for r in plan.unmarked}
    if include_marked:
        chosen |= {r.participant_id for r in plan.marked}
    outcomes: list[SaveOutcome] = []
    for row in today.rows:
        if row.participant_id not in chosen:
            continue
        if row.record is not None:
            if row.record.status is Status.NOT_HELD:
                continue
            if not include_marked:
                continue  # marked since the confirmation was shown: that mark stands
        # a first record in an open month carries no correction reason
        why = reason if row.record is not None or row.closed else None
        # TodayState saves without re-reading the day after each one (as the whole
        # group's "all present" does): the day is read once at the end
        outcomes.append(today._save(row.participant_id, Change(Status.NOT_HELD), why, reload=False))
    today.load()
    today.last = outcomes
    return outcomes
