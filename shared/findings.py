"""Findings: what validation says about a record, with a stable code and a severity."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from shared.messages import FINDINGS, LANGUAGES, render


class Severity(StrEnum):
    """Domain.md's four severities, by what happens to the record and the money."""

    ERROR = "error"  # not saved: the record cannot be true
    NOT_ELIGIBLE = "not_eligible"  # saved; the day earns no money
    FLAGGED = "flagged"  # saved and counted, for the coordinator's eye
    NOTICE = "notice"  # worth knowing now


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    params: Mapping[str, Any] = field(default_factory=dict)
    day: date | None = None

    def __post_init__(self) -> None:
        if self.code not in FINDINGS:
            raise ValueError(f"Finding code {self.code!r} has no texts in shared.messages.")

    def message(self, lang: str = "fi") -> str:
        return render(self.code, self.params, lang)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "params": dict(self.params),
            "day": self.day.isoformat() if self.day else None,
            "messages": {lang: self.message(lang) for lang in LANGUAGES},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        day = data.get("day")
        return cls(
            code=str(data["code"]),
            severity=Severity(data["severity"]),
            params=dict(data.get("params") or {}),
            day=date.fromisoformat(day) if day else None,
        )


# Which severity each code has: one place, so the client and the server agree.
SEVERITY_OF: Mapping[str, Severity] = {
    **{
        code: Severity.ERROR
        for code in (
            "future_date",
            "end_before_start",
            "over_24_hours",
            "not_quarter_hour",
            "missing_hours",
            "missing_reason",
            "inconsistent_fields",
            "unknown_participant",
            "duplicate_day",
            "already_superseded",
            "supersedes_unknown",
            "correction_reason_missing",
            "recorded_on_another_device",
            "record_id_taken",
        )
    },
    **{
        code: Severity.NOT_ELIGIBLE
        for code in (
            "outside_plan_period",
            "no_plan_on_day",
            "over_weekly_max",
            "under_min_hours",
            "no_rate",
        )
    },
    **{
        code: Severity.FLAGGED
        for code in (
            "over_max_hours",
            "weekday_not_agreed",
            "public_holiday",
            "child_sick_over_limit",
            "device_clock_off",
            "closed_month_change",
        )
    },
    **{
        code: Severity.NOTICE
        for code in ("under_weekly_min", "sick_certificate_due", "plan_ends_soon")
    },
}


def finding(code: str, on: date | None = None, /, **params: Any) -> Finding:
    """A finding with the severity its code always has, about the day ``on``."""
    return Finding(code, SEVERITY_OF[code], params, on)
