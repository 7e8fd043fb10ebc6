"""Mark the targets' stored figures stale when what the formulas read changes (PERF-4), and
enqueue one recompute once the change commits.

Model signals are connected by label (the models of members and org are read, never imported
here), plus org's tree signals (a merge, a move, a dissolution). The work is deferred to
`transaction.on_commit`, once per transaction: a write that rolls back marks nothing, and a
service saving thousands of rows costs one UPDATE after its commit. The first mark after a
recompute enqueues the next one (`recompute_task`); later marks find the figures already stale.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from doanvu.org.signals import subtree_moved, unit_ended

# What the four formulas read: memberships and their registrations, branch meetings, cadre
# courses, committee seats and terms, persons' levels, units and their dated versions.
WATCHED = ("members.Membership", "members.TrainingRegistration", "members.Meeting",
           "members.CadreCourse", "members.MembersPolicy", "org.CommitteeSeat", "org.Term",
           "org.Person", "org.Unit", "org.UnitVersion")


def mark_stale() -> None:
    from .models import TargetComputation
    from .recompute import recompute_task

    if TargetComputation.objects.filter(stale_since__isnull=True).update(
            stale_since=timezone.now()):
        recompute_task.enqueue()


def recompute_lost(kwargs: dict[str, Any]) -> None:
    """A recompute cut off by its worker's death (`common.background.lost_tasks_sweep`, at the
    next worker's start): each target's figures were replaced in one transaction, so each holds
    the old or the new figures whole, but the run cleared every mark when it began — mark them
    all pending again (the dashboard says "đang tính lại") and queue the run again."""
    from .models import TargetComputation
    from .recompute import recompute_task

    TargetComputation.objects.filter(stale_since__isnull=True).update(stale_since=timezone.now())
    recompute_task.enqueue(**kwargs)


def _changed(*args: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # fixtures loading
    if connection.in_atomic_block and any(
            entry[1] is mark_stale for entry in connection.run_on_commit):
        return
    transaction.on_commit(mark_stale)


def connect() -> None:
    for label in WATCHED:
        post_save.connect(_changed, sender=label, dispatch_uid=f"targets-stale-save-{label}")
        post_delete.connect(_changed, sender=label, dispatch_uid=f"targets-stale-del-{label}")
    subtree_moved.connect(_changed, dispatch_uid="targets-stale-moved")
    unit_ended.connect(_changed, dispatch_uid="targets-stale-ended")
