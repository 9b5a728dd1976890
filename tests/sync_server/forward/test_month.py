"""A month of a site's records under all three rule sets, forwarded to the county stand-in."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from shared import AbsenceReason, Status
from sync_server.forward import Outbox, decode, reconcile
from sync_server.storage import Device, SqliteStorage
from tests.sync_server.forward import data
from tests.sync_server.forward.conftest import Clock, config_for, forwarder
from tests.sync_server.forward.standin import Standin


def test_county_recomputes_every_period_total_to_the_cent(
    storage: SqliteStorage, january: None, standin: Standin
) -> None:
    result = forwarder(storage, config_for(standin.batches_url)).run()

    assert result.failed == [] and len(result.acknowledged) == 1
    sent = decode(Outbox(storage).get(result.built[0]).body)
    rule_sets = {t["plans"][0]["rule_set"] for t in sent["totals"]}
    assert rule_sets == {"kuntouttava", "osallistava", "vammaisten"}
    payers = {
        (line["allowance_type"], line["payer"]) for t in sent["totals"] for line in t["lines"]
    }
    assert payers == {
        ("kulukorvaus", "kela"),
        ("toimintaraha", "county"),
        ("paivakorvaus", "county"),
        ("tyollistymista_tukeva_2", "county"),
    }
    report = standin.get("/totals")
    assert len(report) == 4
    for row in report:
        assert row["match"], row
    by_ref = {r["participant_ref"]: r for r in report}
    sent_by_ref = {t["participant_ref"]: t for t in sent["totals"]}
    for ref, row in by_ref.items():
        assert row["recomputed_total_cents"] == sent_by_ref[ref]["total_cents"]
        assert row["recomputed_lines"] == sent_by_ref[ref]["lines"]
    # The patterns in the data: Fridays beyond a 4-day plan and 3-hour Thursdays earn nothing.
    kela = next(
        d for d in sent["days"] if d["participant_ref"] == "ASK-1001" and d["day"] == "2025-01-24"
    )
    assert not kela["eligible"] and kela["reason"] == "over_weekly_max"
    assert kela["findings"] == [
        {
            "code": "over_weekly_max",
            "severity": "not_eligible",
            "params": {"max": 4, "week": "4/2025"},
        }
    ]
    short = next(
        d for d in sent["days"] if d["participant_ref"] == "ASK-1002" and d["day"] == "2025-01-09"
    )
    assert short["reason"] == "under_min_hours" and short["amount_cents"] == 0
    assert sum(t["total_cents"] for t in sent["totals"]) == sent["summary"]["totals_cents"]
    receipt = standin.batches()[0]["receipt"]
    assert receipt["totals_matching"] == receipt["totals_checked"] == 4


def test_absences_reach_the_county_in_two_week_periods_for_the_tt3_report(
    storage: SqliteStorage, january: None, standin: Standin
) -> None:
    forwarder(storage, config_for(standin.batches_url)).run()

    rows = standin.table("absences")
    reports = {(r["participant_ref"], r["period_start"]): json.loads(r["absences"]) for r in rows}
    assert reports[("ASK-1001", "2025-01-13")] == [
        {"day": "2025-01-13", "reason": "sick", "certificate_due": False},
        {"day": "2025-01-14", "reason": "sick", "certificate_due": False},
        {"day": "2025-01-15", "reason": "sick", "certificate_due": False},
        {"day": "2025-01-16", "reason": "sick", "certificate_due": True},
    ]
    assert reports[("ASK-1003", "2025-01-13")][0]["reason"] == "child_sick"
    assert reports[("ASK-1004", "2025-01-13")][0]["reason"] == "job_related"
    assert all(
        date.fromisoformat(r["period_end"]) - date.fromisoformat(r["period_start"])
        == timedelta(days=13)
        for r in rows
    )


def test_a_record_made_at_2350_helsinki_on_the_last_day_belongs_to_that_month(
    storage: SqliteStorage, january: None, standin: Standin
) -> None:
    # 00:30 UTC on 1 February is 02:30 in Helsinki: the nightly run's usual moment.
    result = forwarder(storage, config_for(standin.batches_url)).run()
    sent = decode(Outbox(storage).get(result.built[0]).body)

    last = next(
        d for d in sent["days"] if d["participant_ref"] == "ASK-1003" and d["day"] == "2025-01-31"
    )
    assert last["record"]["recorded_at"].startswith("2025-01-31T21:50")
    assert last["eligible"]
    january_total = next(t for t in sent["totals"] if t["participant_ref"] == "ASK-1003")
    assert (january_total["period_start"], january_total["period_end"]) == (
        "2025-01-01",
        "2025-01-31",
    )
    assert all(t["period_start"] == "2025-01-01" for t in sent["totals"])
    assert sent["cutoff"]["local_date"] == "2025-02-01"  # the Helsinki date, not UTC's


def test_the_helsinki_date_decides_what_is_in_the_future(
    storage: SqliteStorage, device: Device, standin: Standin
) -> None:
    # 00:10 on 3 February 2025 (a Monday) in Helsinki is still 2 February in UTC.
    just_after_midnight = data.NIGHT_AFTER_JANUARY + timedelta(days=1, hours=21, minutes=40)
    rec = data.present(
        date(2025, 2, 3),
        start="00:00",
        end="05:00",
        participant="p-vamm",
        recorded_at=just_after_midnight,
    )
    data.push(storage, device, [rec], just_after_midnight)

    result = forwarder(
        storage, config_for(standin.batches_url), Clock(just_after_midnight + timedelta(minutes=5))
    ).run()
    sent = decode(Outbox(storage).get(result.built[0]).body)

    (day,) = sent["days"]
    assert day["day"] == "2025-02-03" and day["eligible"], day["findings"]
    assert sent["totals"][0]["period_start"] == "2025-02-01"


def test_a_correction_after_sending_arrives_as_an_adjustment(
    storage: SqliteStorage, device: Device, january: None, standin: Standin
) -> None:
    clock = Clock()
    forwarder(storage, config_for(standin.batches_url), clock).run()
    original = next(v for v in storage.versions_for("p-county", date(2025, 1, 9), date(2025, 1, 9)))
    fixed = original.correct(
        correction_reason="Lähti vasta 13.00, ei 12.00",
        recorded_by=data.SUPERVISOR,
        device_id="tablet-1",
        recorded_at=data.NIGHT_AFTER_JANUARY + timedelta(hours=8),
        start=original.start,
        end=original.end.replace(hour=13) if original.end else None,
    )
    data.push(storage, device, [fixed], data.NIGHT_AFTER_JANUARY + timedelta(hours=8))

    clock.now += timedelta(days=1)
    result = forwarder(storage, config_for(standin.batches_url), clock).run()
    sent = decode(Outbox(storage).get(result.built[0]).body)

    assert sent["days"] == []
    (adjustment,) = sent["adjustments"]
    assert adjustment["cause"] == "correction"
    assert adjustment["replaces"]["record_id"] == original.id
    assert adjustment["record"]["id"] == fixed.id
    assert adjustment["correction_reason"] == "Lähti vasta 13.00, ei 12.00"
    assert adjustment["changes"] == [{"field": "end", "before": "12:00", "after": "13:00"}]
    assert adjustment["eligible"] and not adjustment["replaces"]["eligible"]
    assert adjustment["amount_delta_cents"] == 900
    assert not adjustment["flag_for_coordinator"]
    (total,) = sent["totals"]
    assert total["revision"] == 2 and total["total_cents"] - total["previous_total_cents"] == 900
    county = {(r["participant_ref"], r["day"]): r for r in standin.table("days")}
    assert county[("ASK-1002", "2025-01-09")]["record_id"] == fixed.id
    assert all(r["match"] for r in standin.get("/totals"))
    assert len(standin.table("adjustments")) == 1


def test_a_change_to_a_closed_month_is_flagged_for_the_coordinator(
    storage: SqliteStorage, device: Device, january: None, standin: Standin
) -> None:
    from shared.protocol import MonthClose

    clock = Clock()
    storage.close_month(
        device,
        MonthClose(data.SITE, 2025, 1, data.SUPERVISOR, data.NIGHT_AFTER_JANUARY),
        now=data.NIGHT_AFTER_JANUARY,
    )
    forwarder(storage, config_for(standin.batches_url), clock).run()
    sick_day = next(v for v in storage.versions_for("p-kela", date(2025, 1, 13), date(2025, 1, 13)))
    fixed = sick_day.correct(
        correction_reason="Oli paikalla, merkitty väärin",
        recorded_by=data.SUPERVISOR,
        device_id="tablet-1",
        recorded_at=data.NIGHT_AFTER_JANUARY + timedelta(days=3),
        status=Status.PRESENT,
        reason=None,
        start=data.present(sick_day.day, start="08:00", end="14:00", participant="p-kela").start,
        end=data.present(sick_day.day, start="08:00", end="14:00", participant="p-kela").end,
    )
    data.push(storage, device, [fixed], data.NIGHT_AFTER_JANUARY + timedelta(days=3))

    clock.now += timedelta(days=3, hours=1)
    result = forwarder(storage, config_for(standin.batches_url), clock).run()
    sent = decode(Outbox(storage).get(result.built[0]).body)

    (adjustment,) = sent["adjustments"]
    assert adjustment["closed_month"] and adjustment["flag_for_coordinator"]
    assert {c["field"] for c in adjustment["changes"]} == {"status", "start", "end", "reason"}
    assert sent["totals"][0]["flag_for_coordinator"]
    assert sent["summary"]["flagged"] == 2
    (absences,) = sent["absence_reports"]  # the sickness run is now three days long
    assert [a["day"] for a in absences["absences"]] == ["2025-01-14", "2025-01-15", "2025-01-16"]
    assert absences["revision"] == 2
    assert standin.table("adjustments")[0]["flag_for_coordinator"] == 1
    assert all(r["match"] for r in standin.get("/totals"))
    assert fixed.reason is None and sick_day.reason is AbsenceReason.SICK


def test_nothing_changed_means_no_batch_and_reconciliation_balances(
    storage: SqliteStorage, january: None, standin: Standin
) -> None:
    clock = Clock()
    first = forwarder(storage, config_for(standin.batches_url), clock).run()
    clock.now += timedelta(days=1)
    second = forwarder(storage, config_for(standin.batches_url), clock).run()

    assert len(first.built) == 1 and second.built == []
    assert len(standin.batches()) == 1
    report = reconcile(storage, Outbox(storage), data.SITE, date(2025, 1, 1), date(2025, 1, 31))
    assert report["in_balance"], report["differences"]
    assert report["recorded"]["days"] == report["sent"]["days"] == report["acknowledged"]["days"]
    assert report["sent"]["totals_cents"] == report["acknowledged"]["totals_cents"] > 0


def test_a_day_before_the_plans_first_version_reaches_the_county_as_not_eligible(
    storage: SqliteStorage, device: Device, tmp_path: Path
) -> None:
    # Issue 10: p-osall's decision runs from 1.1.2025, but its first version is valid only
    # from 13.1. The days between were sent as eligible, counted and with no amount.
    person = next(p for p in data.PEOPLE if p.id == "p-osall")
    (first,) = person.plan.versions
    late = replace(person.plan, versions=(replace(first, valid_from=date(2025, 1, 13)),))
    storage.import_plans([late], now=data.NIGHT_AFTER_JANUARY - timedelta(days=40))
    data.push(
        storage,
        device,
        data.month_of_records(2025, 1),
        data.NIGHT_AFTER_JANUARY - timedelta(minutes=30),
    )

    result = forwarder(storage, config_for(drop=tmp_path / "drop")).run()
    sent = decode(Outbox(storage).get(result.built[0]).body)

    osall = {d["day"]: d for d in sent["days"] if d["participant_ref"] == "ASK-1003"}
    gap = osall["2025-01-02"]  # a Thursday, present 10–14
    assert (gap["eligible"], gap["reason"]) == (False, "no_plan_on_day")
    assert (gap["counted_minutes"], gap["amount_cents"], gap["allowance_type"]) == (0, 0, None)
    assert [f["code"] for f in gap["findings"]] == ["no_plan_on_day"]
    assert osall["2025-01-13"]["eligible"] and osall["2025-01-13"]["amount_cents"] > 0
    gap_days = [
        d for d, e in osall.items() if d < "2025-01-13" and e["record"]["status"] == "present"
    ]
    assert gap_days and all(osall[d]["reason"] == "no_plan_on_day" for d in gap_days)
    (totals,) = [t for t in sent["totals"] if t["participant_ref"] == "ASK-1003"]
    paid = [d for d, e in osall.items() if e["eligible"]]
    assert totals["eligible_days"] == len(paid) and all(d >= "2025-01-13" for d in paid)
    assert totals["total_cents"] == sum(osall[d]["amount_cents"] for d in paid)
