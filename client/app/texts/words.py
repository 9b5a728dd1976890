"""Records and plans in plain words, in the supervisor's language (no flet here)."""

from __future__ import annotations

from client.app.texts.i18n import fmt_date, fmt_hours, t, weekday_short
from shared.errors import RuleSetError
from shared.messages import term
from shared.plans import PlanVersion
from shared.records import DayRecord, Status
from shared.rulesets import RuleSet


def record_summary(record: DayRecord | None, lang: str) -> str:
    """ "Läsnä 4 h", "Läsnä 8.00–12.00", "Poissa: Oma sairaus", "Palvelua ei järjestetä"."""
    if record is None:
        return t("today.not_marked", lang)
    if record.status is Status.PRESENT:
        if record.start is not None and record.end is not None:
            return t(
                "record.present_times",
                lang,
                start=_hm(record.start.hour, record.start.minute),
                end=_hm(record.end.hour, record.end.minute),
            )
        return t("record.present_minutes", lang, hours=fmt_hours(record.present_minutes, lang))
    if record.status is Status.ABSENT:
        reason = term(f"reason.{record.reason.value}", lang) if record.reason else ""
        return t("record.absent", lang, reason=reason)
    return t("record.not_held", lang)


def plan_lines(version: PlanVersion | None, rule_set: RuleSet | None, lang: str) -> list[str]:
    """The plan in plain words: rule set, period, days a week, hours a day, weekdays, money."""
    if version is None or rule_set is None:
        return [t("participant.no_plan", lang)]
    lines = [
        rule_set.name.get(lang) or rule_set.name["fi"],
        t("participant.period", lang, start=fmt_date(version.start), end=fmt_date(version.end)),
    ]
    if version.days_min == version.days_max:
        lines.append(t("participant.days_per_week_one", lang, max=version.days_max))
    else:
        lines.append(
            t("participant.days_per_week", lang, min=version.days_min, max=version.days_max)
        )
    lo, hi = fmt_hours(version.minutes_min, lang), fmt_hours(version.minutes_max, lang)
    if lo == hi:
        lines.append(t("participant.hours_per_day_one", lang, max=hi))
    else:
        lines.append(t("participant.hours_per_day", lang, min=lo, max=hi))
    if version.weekdays is None:
        lines.append(t("participant.weekdays", lang, days=t("participant.any_weekday", lang)))
    else:
        days = ", ".join(weekday_short(d, lang) for d in sorted(version.weekdays))
        lines.append(t("participant.weekdays", lang, days=days))
    try:
        kind = rule_set.allowance_type(version.allowance_type)
    except RuleSetError:
        return lines
    payer = version.payer or kind.payer
    payer_name = term(f"payer.{payer}", lang) if _has_term(f"payer.{payer}") else payer
    lines.append(
        t(
            "participant.allowance",
            lang,
            name=kind.name.get(lang) or kind.name["fi"],
            payer=payer_name,
        )
    )
    return lines


def _has_term(key: str) -> bool:
    try:
        term(key)
    except KeyError:
        return False
    return True


def _hm(hour: int, minute: int) -> str:
    return f"{hour}.{minute:02d}"
