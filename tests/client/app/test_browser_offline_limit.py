"""The lock screen says when records have waited longer than the offline limit (issue 11)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from shared.calendar import helsinki_today
from tests.client.app.harness import SITE, enrolled_device, open_app, running_app, seed_site, tid
from tests.support.server import running_server
from tests.support.sites import present

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


def test_the_lock_screen_warns_about_records_older_than_the_limit(
    phone: Page, tmp_path: Path
) -> None:
    store = tmp_path / "device.db"
    with running_server(tmp_path / "server", seed=seed_site) as server:
        device = enrolled_device(store, server.url, server.enrollment_code(SITE))
    # The server is gone: a record saved four days ago is still waiting.
    saved_at = datetime.now(UTC) - timedelta(days=4, hours=1)
    supervisor = device.store.current_supervisor
    assert supervisor is not None
    record = present(
        helsinki_today(saved_at),
        participant="p-aino",
        recorded_by=supervisor,
        device_id=device.device_id(),
        recorded_at=saved_at,
    )
    assert device.store.save_record(record, now=saved_at).saved
    device.close()

    with running_app(store) as app:
        open_app(phone, app.url, "unlock-overdue")
        expect(tid(phone, "unlock-overdue")).to_contain_text(
            "odottaneet lähetystä 4 päivää (raja on 3)"
        )
        expect(tid(phone, "sync-overdue")).to_have_text("Lähettämättä jo 4 päivää")
