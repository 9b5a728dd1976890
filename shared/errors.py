"""The domain's exceptions, grouped by what the caller does next.

Everything raised on purpose by ``shared`` derives from :class:`LasnaError`. A caller
that cannot fix the input (a county's file, a device's message) rejects it with the
exception's message, which is a full sentence a person can act on.
"""

from __future__ import annotations


class LasnaError(Exception):
    """Base of every error this project raises on purpose."""


class RejectedInput(LasnaError):
    """Input that can never be accepted as it is: fix it and try again."""


class RuleSetError(RejectedInput):
    """A rule set's data is inconsistent (for example, a minimum above its maximum)."""


class PlanError(RejectedInput):
    """A plan or plan version breaks its rule set's limits or is malformed."""


class RecordError(RejectedInput):
    """A day record's fields cannot describe a real day (wrong status fields, bad times)."""


class UnknownRuleSet(RejectedInput):
    """A plan names a rule set that is not known (or not in force on a date)."""
