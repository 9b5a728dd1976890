"""A batch of versions (the server's push) is checked like one-by-one saves, but the
plan is applied once to the batch's final state."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from shared import DayRecord, Severity, Status, builtin_rule_sets, check_new_version
from shared.validation import check_new_versions
from tests.support.factory import TODAY, absent, days_from, minutes, plan, present

RS = builtin_rule_sets()
P = plan()
MON = date(2026, 9, 14)
NOW = datetime(2026, 9, 20, 12, tzinfo=UTC)


def errors(findings: list) -> set[str]:
    return {f.code for f in findings if f.severity is Severity.ERROR}


@st.composite
def batches(draw: st.DrawFn) -> tuple[list[DayRecord], list[DayRecord]]:
    """Stored versions and a batch that mixes new days, corrections, stale corrections,
    second records for a day, bad times and a future date."""
    stored = [minutes(d, draw(st.sampled_from([180, 240, 360]))) for d in days_from(MON, 3)]
    pool = list(stored)
    batch: list[DayRecord] = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["new", "fix", "fix", "dup", "bad", "future"]))
        day = MON + timedelta(days=draw(st.integers(0, 9)))
        if kind == "fix" and pool:
            target = draw(st.sampled_from(pool))
            v = target.correct(
                correction_reason="korjaus",
                recorded_by="s",
                device_id="d",
                recorded_at=NOW,
                minutes=draw(st.sampled_from([240, 300])),
                start=None,
                end=None,
                status=Status.PRESENT,
                reason=None,
            )
        elif kind == "bad":
            v = present(day, start="14:00", end="08:00")
        elif kind == "future":
            v = present(TODAY + timedelta(days=3))
        elif kind == "dup":
            v = absent(draw(st.sampled_from(pool)).day if pool else day, "sick")
        else:
            v = minutes(day, draw(st.sampled_from([180, 240, 480])))
        batch.append(v)
        pool.append(v)
    return stored, batch


@given(batches())
def test_errors_match_saving_one_by_one(case: tuple[list[DayRecord], list[DayRecord]]) -> None:
    stored, batch = case
    together = check_new_versions(P, stored, batch, RS, today=TODAY)
    saved = list(stored)
    for version, found in zip(batch, together, strict=True):
        alone = check_new_version(P, saved, version, RS, today=TODAY)
        assert errors(found) == errors(alone), version
        if not errors(alone):
            saved.append(version)


def test_findings_are_those_of_the_final_state_whatever_the_batch_order() -> None:
    week = days_from(MON, 5)
    batch = [present(week[4])] + [present(d) for d in week[:4]]  # Friday sent first
    found = check_new_versions(P, [], batch, RS, today=TODAY)
    assert [f.code for f in found[0]] == ["over_weekly_max"]
    assert found[1:] == [[], [], [], []]


def test_a_version_corrected_later_in_the_same_batch_keeps_its_own_findings() -> None:
    first = minutes(MON, 180)  # too short: not eligible
    fix = first.correct(
        correction_reason="väärä aika", recorded_by="s", device_id="d", recorded_at=NOW, minutes=300
    )
    found = check_new_versions(P, [], [first, fix], RS, today=TODAY)
    assert [f.code for f in found[0]] == ["under_min_hours", "under_weekly_min"]
    assert found[1] == []


def test_clock_and_closed_month_and_unknown_participant() -> None:
    ahead = present(MON, recorded_at=NOW + timedelta(minutes=30))
    stranger = present(MON, participant="other")
    found = check_new_versions(
        P, [], [ahead, stranger], RS, today=TODAY, received_at=NOW, closed_months={(2026, 9)}
    )
    assert [f.code for f in found[0]] == ["device_clock_off", "closed_month_change"]
    assert [f.code for f in found[1]] == ["unknown_participant"]
    assert check_new_versions(None, [], [ahead], RS, today=TODAY) == [
        check_new_version(None, [], ahead, RS, today=TODAY)
    ]


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[DayRecord], DayRecord]:
    """Four weeks of mixed records (with sickness runs) and one new day after them."""
    first = date(2026, 9, 7)
    out: list[DayRecord] = []
    for off in sorted(draw(st.sets(st.integers(0, 27), min_size=12, max_size=24))):
        day = first + timedelta(days=off)
        kind = draw(st.sampled_from(["present", "sick", "sick", "sick", "child_sick", "other"]))
        if kind == "present":
            out.append(minutes(day, draw(st.sampled_from([180, 240, 480]))))
        else:
            out.append(absent(day, kind))
    new_day = first + timedelta(days=draw(st.integers(21, 30)))
    if any(r.day == new_day for r in out):
        new_day = first + timedelta(days=31)
    kind = draw(st.sampled_from(["present", "sick", "sick", "child_sick"]))
    new = minutes(new_day, 240) if kind == "present" else absent(new_day, kind)
    return out, new


@given(histories())
def test_the_trimmed_window_judges_a_new_day_like_the_whole_history(
    case: tuple[list[DayRecord], DayRecord],
) -> None:
    from shared import evaluate, iso_week

    history, new = case
    quick = check_new_version(P, history, new, RS, today=TODAY)
    full = evaluate(P, [*history, new], RS, today=TODAY, start=new.day, end=new.day)
    expected = list(full.days[new.day].findings) + list(full.weeks.get(iso_week(new.day), ()))
    assert quick == expected
    (batch,) = check_new_versions(P, history, [new], RS, today=TODAY)
    assert batch == expected


def test_a_sickness_run_from_the_week_before_counts() -> None:
    history = [
        absent(date(2026, 9, 10), "sick"),
        absent(date(2026, 9, 11), "sick"),
        absent(date(2026, 9, 14), "sick"),
    ]  # Thu, Fri, Mon
    found = check_new_version(P, history, absent(date(2026, 9, 15), "sick"), RS, today=TODAY)
    due = [f.params["days"] for f in found if f.code == "sick_certificate_due"]
    assert due == [4]
