"""The stated offline limit (issue 11): unsent records older than the limit are warned
about, from the outbox's clear bookkeeping, so also while the app is locked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from client.app.state import AppState, Device
from client.app.state.sync_status import overdue_days
from client.app.texts.i18n import t
from tests.client.app.conftest import FakeClock

NOW = datetime(2026, 3, 11, 10, 0, tzinfo=UTC)


def test_overdue_days_counts_whole_days_past_the_limit_only() -> None:
    assert overdue_days(None, NOW, 3) is None
    assert overdue_days(NOW - timedelta(days=3), NOW, 3) is None  # at the limit: not yet
    assert overdue_days(NOW - timedelta(days=3, minutes=1), NOW, 3) == 3
    assert overdue_days(NOW - timedelta(days=9, hours=5), NOW, 3) == 9
    assert overdue_days(NOW - timedelta(days=2), NOW, 1) == 2


def test_the_oldest_unsent_record_is_warned_about_after_the_limit_and_while_locked(
    device: Device, clock: FakeClock
) -> None:
    app = AppState(device)
    app.start()
    assert app.today.mark_present("p-aino").saved
    app.sync.refresh()
    assert app.sync.overdue_days is None
    clock.advance(days=3, hours=2)
    assert app.sync.overdue_days == 3
    app.lock()
    app.sync.refresh()  # what the lock screen's strip reads: clear bookkeeping only
    assert app.sync.overdue_days == 3
    device.offline_limit_days = 5  # the setting
    assert app.sync.overdue_days is None
    said = t("unlock.overdue", "fi", days=3, limit=3)
    assert "3 päivää" in said and "raja on 3" in said
    assert t("sync.overdue", "sv", days=1) == "Oskickat i 1 dag"
    assert t("sync.overdue", "en", days=4) == "Unsent for 4 days"
