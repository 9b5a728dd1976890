"""The domain both the device and the server use: pure Python, no I/O, no clocks.

Import from here; the modules behind it are internal.
"""

from shared.allowance import (
    Absence,
    AllowanceLine,
    AllowanceSummary,
    allowance_for_period,
    summarise,
)
from shared.calendar import (
    HELSINKI,
    finnish_holiday,
    format_date_fi,
    helsinki_today,
    iso_week,
    month_bounds,
    week_bounds,
)
from shared.errors import (
    LasnaError,
    PlanError,
    RecordError,
    RejectedInput,
    RuleSetError,
    UnknownRuleSet,
)
from shared.findings import Finding, Severity
from shared.messages import LANGUAGES, format_euros, format_hours, term
from shared.plans import Plan, PlanVersion, check_plan, plan_from_dict, plan_to_dict
from shared.records import (
    AbsenceReason,
    DayRecord,
    Status,
    current_records,
    current_versions,
    history,
)
from shared.rulesets import (
    AllowanceType,
    Rate,
    RuleSet,
    RuleSets,
    builtin_rule_sets,
    rule_set_from_dict,
    rule_set_to_dict,
)
from shared.schedule import expected_on, planned_days, usual_minutes
from shared.validation import DayResult, Evaluation, check_new_version, evaluate
from shared.window import LOOKBACK, window_bounds

__all__ = [
    "HELSINKI",
    "LANGUAGES",
    "LOOKBACK",
    "Absence",
    "AbsenceReason",
    "AllowanceLine",
    "AllowanceSummary",
    "AllowanceType",
    "DayRecord",
    "DayResult",
    "Evaluation",
    "Finding",
    "LasnaError",
    "Plan",
    "PlanError",
    "PlanVersion",
    "Rate",
    "RecordError",
    "RejectedInput",
    "RuleSet",
    "RuleSetError",
    "RuleSets",
    "Severity",
    "Status",
    "UnknownRuleSet",
    "allowance_for_period",
    "builtin_rule_sets",
    "check_new_version",
    "check_plan",
    "current_records",
    "current_versions",
    "evaluate",
    "expected_on",
    "finnish_holiday",
    "format_date_fi",
    "format_euros",
    "format_hours",
    "helsinki_today",
    "history",
    "iso_week",
    "month_bounds",
    "plan_from_dict",
    "plan_to_dict",
    "planned_days",
    "rule_set_from_dict",
    "rule_set_to_dict",
    "summarise",
    "term",
    "usual_minutes",
    "week_bounds",
    "window_bounds",
]
