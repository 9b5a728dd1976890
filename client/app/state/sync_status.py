"""Sync status, always on screen: online or not, last success, what waits, what to resolve."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from client.app.state.device import Device
from client.app.state.errors import InputProblem
from client.app.state.observable import StateObservable
from client.app.texts.problems import (
    Problem,
    sync_problem,
    sync_problem_of_round,
    sync_state_problem,
)
from client.store import Attention, StoreError
from client.sync import EnrollmentError, SyncClient, SyncState
from shared.error_codes import ErrorCode


@dataclass(frozen=True)
class SyncRound:
    """What the last "sync now" did, in counts the screen can say."""

    ok: bool
    pushed: int
    pulled: int
    skipped: str | None = None  # "in_progress" (background rounds outlasted the wait), "locked"
    problem: Problem | None = None  # why it failed, to say in the screen's language


def overdue_days(oldest_unsent: datetime | None, now: datetime, limit_days: int) -> int | None:
    """Whole days the oldest unsent record has waited, when that is over the limit.

    The stated offline limit (issue 11): records older than ``limit_days`` may have
    missed the night's forward, so the strip and the lock screen say so. None when
    nothing waits or the oldest is within the limit.
    """
    if oldest_unsent is None:
        return None
    waited = now - oldest_unsent
    if waited <= timedelta(days=limit_days):
        return None
    return waited.days


class SyncStatusState(StateObservable):
    def __init__(self, device: Device, *, patience: float = 30.0) -> None:
        self.device = device
        self.patience = patience  # seconds to wait for a background round to finish
        self.state: SyncState | None = None
        self.attention: list[Attention] = []
        self.names: dict[str, str] = {}  # participant id → display name, for the list
        self.last_round: SyncRound | None = None
        self.running = False
        self.oldest_unsent: datetime | None = None  # when the oldest waiting record was saved
        # overdue_days as of the last refresh: assigned by the strip's timer, so the
        # strip re-draws when the count grows with the clock (the state stays the same)
        self.overdue_seen: int | None = None

    @property
    def pending(self) -> int:
        return self.state.pending if self.state else 0

    @property
    def overdue_days(self) -> int | None:
        """Days the oldest unsent record has waited, when over the offline limit."""
        return overdue_days(self.oldest_unsent, self.device.now(), self.device.offline_limit_days)

    @property
    def online(self) -> bool | None:
        return self.state.online if self.state else None

    @property
    def problem(self) -> Problem | None:
        """The last sync error (kept across restarts), or None after a good round."""
        return sync_state_problem(self.state)

    @property
    def revoked(self) -> bool:
        """The server no longer accepts this device: it may join again with a new code."""
        return bool(
            self.state
            and self.state.last_error
            and self.state.last_error_code == ErrorCode.CREDENTIAL_REVOKED
        )

    def server_url(self) -> str:
        return self.device.sync_server_url() or self.device.default_server_url or ""

    def reenroll(self, server_url: str, code: str) -> SyncRound:
        """Join the server again with a new one-time code (after a revocation), keeping
        this device's store: its outbox is sent in the round that follows at once, and
        what the server refuses goes to the list to resolve, as in any round.

        Raises :class:`InputProblem` when the code or address is refused; nothing on
        the device changes then."""
        try:
            enrollment = SyncClient.enroll(
                self.device.http, server_url, code, device_name=self.device.device_name
            )
        except EnrollmentError as exc:
            raise InputProblem("error.enroll_failed", detail=sync_problem(exc)) from exc
        self.device.sync.attach(enrollment)
        return self.sync_now()

    def refresh(self) -> None:
        """Counts only (no sealed data), so this works while the store is locked too."""
        self.state = self.device.sync.state()
        try:
            self.oldest_unsent = self.device.store.oldest_unsent()
        except StoreError:
            self.oldest_unsent = None
        self.overdue_seen = self.overdue_days

    def load_attention(self) -> None:
        """The conflicts and rejections to resolve, with what the other version says."""
        store = self.device.store
        self.attention = store.attention()
        if self.attention:
            people = store.participants(now=self.device.now())
            self.names = {p.id: p.display_name for p in people}

    def sync_now(self) -> SyncRound:
        """One round: push the outbox, then pull. Never raises for a network failure:
        the failure shows in ``state`` and the records wait safely in the outbox."""
        before = self.device.store.outbox_count()
        self.running = True
        try:
            # a background round may be running: wait for it, then make the asked-for one
            report = self.device.scheduler.run_now(timeout=self.patience)
        finally:
            self.running = False
        self.refresh()
        self.load_attention()
        after = self.device.store.outbox_count()
        self.last_round = SyncRound(
            report.ok,
            max(report.pushed, before - after),
            report.pulled_records,
            report.skipped,
            sync_problem_of_round(report),
        )
        return self.last_round

    def resolve(self, record_id: str) -> None:
        self.device.store.resolve_attention(record_id)
        self.load_attention()
        self.refresh()
