"""Saving a version: what blocks it (errors) and what travels with it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from shared import Severity, builtin_rule_sets, check_new_version
from tests.support.factory import TODAY, absent, plan, present

RS = builtin_rule_sets()
P = plan()
DAY = date(2026, 9, 14)
NOW = datetime(2026, 9, 14, 15, tzinfo=UTC)


def check(existing, new, **kw):
    return check_new_version(P, existing, new, RS, today=TODAY, **kw)


def errors(findings) -> list[str]:
    return [f.code for f in findings if f.severity is Severity.ERROR]


def test_a_clean_first_record_has_no_findings() -> None:
    assert check([], present(DAY)) == []


def test_second_record_for_the_same_day_must_be_a_correction() -> None:
    first = present(DAY)
    assert errors(check([first], absent(DAY, "sick"))) == ["duplicate_day"]
    fix = first.correct(
        correction_reason="Lähti kotiin sairaana",
        recorded_by="sup-2",
        device_id="dev-1",
        recorded_at=NOW,
        status=absent(DAY, "sick").status,
        start=None,
        end=None,
        reason=absent(DAY, "sick").reason,
    )
    assert errors(check([first], fix)) == []


def test_correction_needs_a_reason_and_a_known_target() -> None:
    first = present(DAY)
    no_reason = first.correct(
        correction_reason=" ", recorded_by="s", device_id="d", recorded_at=NOW
    )
    assert errors(check([first], no_reason)) == ["correction_reason_missing"]
    other_day = present(DAY + timedelta(days=1))
    wrong = other_day.correct(
        correction_reason="x", recorded_by="s", device_id="d", recorded_at=NOW
    )
    assert errors(check([first], wrong)) == ["supersedes_unknown"]


def test_superseding_an_already_superseded_version_is_a_conflict() -> None:
    first = present(DAY)
    a = first.correct(correction_reason="a", recorded_by="s1", device_id="d1", recorded_at=NOW)
    b = first.correct(correction_reason="b", recorded_by="s2", device_id="d2", recorded_at=NOW)
    assert errors(check([first, a], b)) == ["already_superseded"]


def test_unknown_participant_is_an_error() -> None:
    assert errors(check_new_version(None, [], present(DAY), RS, today=TODAY)) == [
        "unknown_participant"
    ]
    stranger = present(DAY, participant="someone-else")
    assert errors(check([], stranger)) == ["unknown_participant"]


def test_future_date_is_an_error() -> None:
    assert errors(check([], present(TODAY + timedelta(days=1)))) == ["future_date"]


def test_device_clock_ahead_is_flagged_but_saved() -> None:
    ahead = present(DAY, recorded_at=NOW + timedelta(minutes=9))
    found = check([], ahead, received_at=NOW)
    assert errors(found) == []
    (skew,) = [f for f in found if f.code == "device_clock_off"]
    assert skew.severity is Severity.FLAGGED and skew.params["minutes"] == 9
    late = present(DAY, recorded_at=NOW - timedelta(days=3))  # offline for days: fine
    assert [f.code for f in check([], late, received_at=NOW)] == []


def test_change_to_closed_month_is_flagged() -> None:
    found = check([], present(DAY), closed_months={(2026, 9)})
    assert [f.code for f in found] == ["closed_month_change"]
    assert found[0].severity is Severity.FLAGGED


def test_new_day_findings_include_weekly_maximum() -> None:
    week = [DAY + timedelta(days=i) for i in range(4)]
    existing = [present(d) for d in week]
    found = check(existing, present(DAY + timedelta(days=4)))
    assert [f.code for f in found] == ["over_weekly_max"]
    assert found[0].severity is Severity.NOT_ELIGIBLE
