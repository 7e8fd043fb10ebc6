"""What other apps may read of plans: PLAN-3's count of a unit's directives issued with less than
the lead time in a year (seed 004's shortcoming 2), for the remediation evaluation."""

from .selectors import lead_time_count

__all__ = ["lead_time_count"]
