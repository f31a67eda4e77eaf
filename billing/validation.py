"""Kept for callers not yet moved (the import): the delivery rules live in :mod:`billing.rules`."""

from . import rules
from .rules import (
    Checked,
    Draft,
    Problem,
    draft_of,
    is_locked,
    month_blockers,
    month_params,
    reasons_from,
)

__all__ = ["Checked", "Draft", "Problem", "check", "draft_of", "is_locked", "is_participant", "month_blockers",
           "month_params", "reasons_from"]


def is_participant(case, day) -> bool:
    return case.participates_on(day)


def check(draft, *, pending_minutes: int = 0, pending=()) -> Checked:
    """The old signature; ``pending_minutes`` is no longer used (pass ``pending`` drafts)."""
    return rules.check(draft, pending=pending)
