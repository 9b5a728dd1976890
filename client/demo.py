"""A sample fortnight for three participants, one per rule set, judged and paid.

``python -m client.demo`` prints, in Finnish (or ``--lang sv|en``), each day's record,
its findings and eligibility, then the allowance per participant. It uses only the
domain in ``shared``: the same rules the app and the server apply.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from shared import (
    AbsenceReason,
    DayRecord,
    Plan,
    PlanVersion,
    Status,
    allowance_for_period,
    builtin_rule_sets,
    check_plan,
    evaluate,
    format_date_fi,
    format_euros,
    format_hours,
    term,
)

FIRST = date(2026, 11, 30)  # Monday of ISO week 49/2026; Independence Day is Sun 6.12.
LAST = FIRST + timedelta(days=13)
TODAY = LAST + timedelta(days=1)

HEADINGS = {
    "fi": ("Läsnä – esimerkkijakso {first}–{last}", "Korvaus", "yhteensä", "Ei merkintää"),
    "sv": ("Läsnä – exempelperiod {first}–{last}", "Ersättning", "totalt", "Ingen anteckning"),
    "en": ("Läsnä – sample period {first}–{last}", "Allowance", "total", "No record"),
}


def _version(
    start: date,
    end: date,
    days: tuple[int, int],
    hours: tuple[int, int],
    kind: str,
    weekdays: frozenset[int] | None = None,
) -> PlanVersion:
    return PlanVersion(
        start, start, end, days[0], days[1], hours[0] * 60, hours[1] * 60, kind, weekdays=weekdays
    )


def sample_plans() -> list[tuple[str, Plan]]:
    return [
        (
            "Aino (kuntouttava, Kempele)",
            Plan(
                "plan-aino",
                "aino",
                "demo",
                "kuntouttava",
                (
                    _version(
                        date(2026, 9, 1),
                        date(2027, 8, 31),
                        (1, 4),
                        (4, 8),
                        "kulukorvaus",
                        frozenset({1, 2, 3, 4}),
                    ),
                ),
            ),
        ),
        (
            "Bertil (osallistava, Laukaa)",
            Plan(
                "plan-bertil",
                "bertil",
                "demo",
                "osallistava",
                (_version(date(2026, 10, 1), date(2026, 12, 31), (1, 5), (2, 6), "paivakorvaus"),),
            ),
        ),
        (
            "Cecilia (vammaisten työtoiminta)",
            Plan(
                "plan-cecilia",
                "cecilia",
                "demo",
                "vammaisten",
                (
                    _version(
                        date(2026, 1, 1),
                        date(2026, 12, 31),
                        (1, 3),
                        (2, 5),
                        "tyollistymista_tukeva_2",
                    ),
                ),
            ),
        ),
    ]


def sample_records() -> list[DayRecord]:
    at = datetime(2026, 12, 14, 14, 0, tzinfo=UTC)

    def rec(pid: str, day: date, status: Status, **kw: Any) -> DayRecord:
        return DayRecord(
            participant_id=pid,
            day=day,
            status=status,
            recorded_by="ohjaaja",
            device_id="demo-tabletti",
            recorded_at=at,
            **kw,
        )

    def present(pid: str, offset: int, start: str, end: str) -> DayRecord:
        return rec(
            pid,
            FIRST + timedelta(days=offset),
            Status.PRESENT,
            start=time.fromisoformat(start),
            end=time.fromisoformat(end),
        )

    def absent(pid: str, offset: int, reason: AbsenceReason) -> DayRecord:
        return rec(pid, FIRST + timedelta(days=offset), Status.ABSENT, reason=reason)

    sick = AbsenceReason.SICK
    return [
        # Aino: four days in week 49, then a fifth (Friday) and a short day; sick in week 50
        present("aino", 0, "08:00", "14:00"),
        present("aino", 1, "08:00", "14:00"),
        present("aino", 2, "08:00", "13:00"),
        present("aino", 3, "08:00", "17:00"),
        present("aino", 4, "08:00", "12:00"),
        absent("aino", 7, sick),
        absent("aino", 8, sick),
        absent("aino", 9, sick),
        absent("aino", 10, sick),
        # Bertil: five short days, one too short, the plan ends on 31.12.
        present("bertil", 0, "09:00", "12:00"),
        present("bertil", 1, "09:00", "10:30"),
        present("bertil", 7, "09:00", "13:00"),
        present("bertil", 8, "09:00", "13:00"),
        rec("bertil", FIRST + timedelta(days=11), Status.NOT_HELD),
        # Cecilia: present on Independence Day (Sunday) and three weekdays of week 50
        present("cecilia", 6, "10:00", "14:00"),
        present("cecilia", 7, "10:00", "14:00"),
        present("cecilia", 8, "10:00", "14:00"),
        present("cecilia", 9, "10:00", "14:00"),
        present("cecilia", 10, "10:00", "14:00"),
    ]


def describe(record: DayRecord, lang: str) -> str:
    if record.status is Status.PRESENT:
        span = f"{record.start:%H.%M}–{record.end:%H.%M}" if record.start and record.end else ""
        hours = format_hours(record.present_minutes, lang)
        return f"{term('status.present', lang)} {span} ({hours} h)"
    if record.status is Status.ABSENT and record.reason:
        return f"{term('status.absent', lang)}: {term('reason.' + record.reason.value, lang)}"
    return term(f"status.{record.status.value}", lang)


def render(lang: str = "fi") -> str:
    rule_sets = builtin_rule_sets()
    title, money_label, total_label, _ = HEADINGS[lang]
    lines = [title.format(first=format_date_fi(FIRST), last=format_date_fi(LAST)), ""]
    records = sample_records()
    for name, plan in sample_plans():
        check_plan(plan, rule_sets)
        lines.append(f"== {name}")
        ev = evaluate(plan, records, rule_sets, today=TODAY, start=FIRST, end=LAST)
        for day, result in sorted(ev.days.items()):
            assert result.record is not None
            verdict = term(
                "eligibility.eligible" if result.eligible else "eligibility.not_eligible", lang
            )
            lines.append(
                f"  {format_date_fi(day):>10}  {describe(result.record, lang)} — {verdict}"
            )
            for f in result.findings:
                lines.append(
                    f"      [{term('severity.' + f.severity.value, lang)}] {f.message(lang)}"
                )
        for week_findings in ev.weeks.values():
            for f in week_findings:
                lines.append(
                    f"      [{term('severity.' + f.severity.value, lang)}] {f.message(lang)}"
                )
        pay = allowance_for_period(
            plan, records, rule_sets, period_start=FIRST, period_end=LAST, today=TODAY
        )
        rule_set = rule_sets.get(plan.rule_set_id)
        for line in pay.lines:
            kind = rule_set.allowance_type(line.allowance_type).name[lang]
            lines.append(
                f"  {money_label}: {kind} ({term('payer.' + line.payer, lang)}) "
                f"{line.days} × {format_euros(line.rate_cents, lang)} = "
                f"{format_euros(line.amount_cents, lang)}"
            )
        lines.append(f"  {money_label} {total_label}: {format_euros(pay.total_cents, lang)}")
        lines.append("")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--lang", choices=["fi", "sv", "en"], default="fi")
    args = parser.parse_args(argv)
    sys.stdout.write(render(args.lang) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
