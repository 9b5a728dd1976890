"""Today: who is expected, one tap to mark them, and corrections that ask for a reason."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta

from client.app.state.all_present import AllPresentPreview, NeedsConfirmation, preview_all_present
from client.app.state.day_rows import Change, SaveOutcome, TodayRow, note_of
from client.app.state.device import Device
from client.app.state.errors import InputProblem, NeedsCorrectionReason
from client.app.state.history import supervisor_names
from client.app.state.observable import StateObservable
from client.app.state.unsent import withdraw
from client.store import Participant
from shared import evaluate, expected_on, usual_minutes, window_bounds
from shared.calendar import week_bounds
from shared.records import AbsenceReason, DayRecord, Status, current_records


class TodayState(StateObservable):
    def __init__(self, device: Device) -> None:
        self.device = device
        self.day: date = device.today()
        self.rows: list[TodayRow] = []
        self.others: list[tuple[str, str]] = []  # (id, name) of participants not listed
        self.extra: set[str] = set()  # shown on request although not expected
        self.last: list[SaveOutcome] = []
        self.future = False
        self._participants: dict[str, Participant] = {}
        self.names: dict[str, str] = {}  # supervisors of this device, by id (who recorded)

    # -- reading ---------------------------------------------------------------------------
    def load(self, day: date | None = None) -> None:
        if day is not None and day != self.day:
            self.day = day
            self.extra = set()
        store = self.device.store
        now = self.device.now()
        today = self.device.today()
        self.future = self.day > today
        self._participants = {p.id: p for p in store.participants(now=now)}
        self.names = supervisor_names(store)
        lo, _monday, hi = window_bounds(self.day, self.day)
        versions = store.site_versions(lo, hi, now=now)
        current = current_records(versions)
        closed = (self.day.year, self.day.month) in store.closed_months()
        rule_sets = store.rule_sets()
        rows: list[TodayRow] = []
        others: list[tuple[str, str]] = []
        for p in sorted(self._participants.values(), key=lambda p: p.display_name.casefold()):
            record = current.get((p.id, self.day))
            expected = expected_on(p.plan, self.day)
            if not (expected or record or p.id in self.extra):
                others.append((p.id, p.display_name))
                continue
            result, count, cap, present = None, 0, None, 0
            if p.plan is not None:
                monday, sunday = week_bounds(self.day)
                evaluation = evaluate(
                    p.plan, versions, rule_sets, today=today, start=monday, end=sunday
                )
                result = evaluation.days.get(self.day)
                count = evaluation.week_count(self.day)
                present = evaluation.week_present(self.day)
                version = p.plan.version_on(self.day)
                cap = version.days_max if version else None
            rows.append(
                TodayRow(
                    p.id,
                    p.display_name,
                    expected,
                    record,
                    result,
                    count,
                    cap,
                    usual_minutes(p.plan, self.day),
                    closed,
                    week_present=present,
                )
            )
        unsent = store.unsent_ids([r.record.id for r in rows if r.record is not None])
        self.rows = [replace(r, unsent=r.record.id in unsent) if r.record else r for r in rows]
        self.others = others

    def shift(self, days: int) -> None:
        self.load(self.day + timedelta(days=days))

    def go_today(self) -> None:
        self.load(self.device.today())

    def show_participant(self, participant_id: str) -> None:
        self.extra.add(participant_id)
        self.load()

    def row(self, participant_id: str) -> TodayRow:
        for r in self.rows:
            if r.participant_id == participant_id:
                return r
        raise KeyError(participant_id)

    def needs_reason(self, participant_id: str) -> bool:
        """A correction (the day already has a record) or a change to a closed month."""
        return self.row(participant_id).asks_reason

    @property
    def unmarked_expected(self) -> list[TodayRow]:
        return [r for r in self.rows if r.expected and r.record is None]

    # -- commands ------------------------------------------------------------------------
    def mark_present(
        self,
        participant_id: str,
        *,
        start: time | None = None,
        end: time | None = None,
        minutes: int | None = None,
        correction_reason: str | None = None,
        note: str | None = None,
    ) -> SaveOutcome:
        """Present with the plan's usual hours, or the given start–end or minutes."""
        if start is None and end is None and minutes is None:
            minutes = self.row(participant_id).usual_minutes
            if minutes is None:
                raise InputProblem("times.bad")
        elif (start is None) != (end is None):
            raise InputProblem("times.bad")
        change = Change(Status.PRESENT, start=start, end=end, minutes=minutes, note=note)
        return self._save(participant_id, change, correction_reason)

    def mark_absent(
        self,
        participant_id: str,
        reason: AbsenceReason,
        *,
        correction_reason: str | None = None,
        note: str | None = None,
    ) -> SaveOutcome:
        change = Change(Status.ABSENT, reason=reason, note=note)
        return self._save(participant_id, change, correction_reason)

    def mark_not_held(
        self, participant_id: str, *, correction_reason: str | None = None, note: str | None = None
    ) -> SaveOutcome:
        return self._save(participant_id, Change(Status.NOT_HELD, note=note), correction_reason)

    def all_present_preview(self) -> AllPresentPreview:
        return preview_all_present(self.device, self.day, self.unmarked_expected)

    def undo(self, participant_id: str) -> SaveOutcome:
        """Take back the day's record while it has not left the device (no reason)."""
        return self._withdraw(self.row(participant_id), None)

    def mark_all_present(
        self, *, correction_reason: str | None = None, confirmed: bool = False
    ) -> list[SaveOutcome]:
        """Every expected participant without a record yet, present with usual hours.

        On another day than today, or when a mark would break a limit, only with
        ``confirmed`` (after the preview was shown): otherwise NeedsConfirmation. In a
        closed month only with ``correction_reason``, which each mark carries."""
        if not confirmed:
            preview = self.all_present_preview()
            if preview.needs_confirmation:
                raise NeedsConfirmation(preview)
        unmarked = self.unmarked_expected
        if not (correction_reason or "").strip() and any(r.closed for r in unmarked):
            # a closed month: one reason for the group, asked before anyone is marked
            raise NeedsCorrectionReason("month.closed_reason_missing")
        outcomes: list[SaveOutcome] = []
        for r in unmarked:
            if r.usual_minutes is None:
                continue
            change = Change(Status.PRESENT, minutes=r.usual_minutes)
            outcomes.append(self._save(r.participant_id, change, correction_reason, reload=False))
        self.load()
        self.last = outcomes
        return outcomes

    def _withdraw(
        self, row: TodayRow, change: Change | None, *, reload: bool = True
    ) -> SaveOutcome:
        """Undo or change an unsent record (``state/unsent.py``), then show the day."""
        try:
            outcome = withdraw(self.device, row, change)
        except NeedsCorrectionReason:
            self.load()  # a round may have carried it meanwhile: now it asks a reason
            raise
        if reload:
            self.load()
            self.last = [outcome]
        return outcome

    def _save(
        self,
        participant_id: str,
        change: Change,
        correction_reason: str | None,
        *,
        reload: bool = True,
    ) -> SaveOutcome:
        r = self.row(participant_id)
        reason = (correction_reason or "").strip() or None
        if r.record is not None and change.same_as(r.record):
            outcome = SaveOutcome(participant_id, r.name, True, r.findings)
            self.last = [outcome]
            return outcome
        if r.record is not None and r.unsent and reason is None:
            return self._withdraw(r, change, reload=reload)
        if r.asks_reason and reason is None:
            raise NeedsCorrectionReason("correction.missing")
        now = self.device.now()
        store = self.device.store
        who = store.current_supervisor or ""
        fields = {
            "status": change.status,
            "start": change.start,
            "end": change.end,
            "minutes": change.minutes,
            "reason": change.reason,
            "note": note_of(change, r.record),
        }
        if r.record is not None:
            assert reason is not None
            record = r.record.correct(
                correction_reason=reason,
                recorded_by=who,
                device_id=self.device.device_id(),
                recorded_at=now,
                **fields,
            )
        else:
            record = DayRecord(
                participant_id=participant_id,
                day=self.day,
                recorded_by=who,
                device_id=self.device.device_id(),
                recorded_at=now,
                correction_reason=reason,
                start=change.start,
                end=change.end,
                minutes=change.minutes,
                reason=change.reason,
                status=change.status,
                note=note_of(change, None),
            )
        result = store.save_record(record, now=now)
        outcome = SaveOutcome(participant_id, r.name, result.saved, tuple(result.findings))
        if reload:
            self.load()
            self.last = [outcome]
        return outcome
