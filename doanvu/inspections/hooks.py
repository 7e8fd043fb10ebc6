"""What inspections tell the modules above them, without importing them (layering: inspections
sit below emulation).

`adjustments` is sent with an `AdjustmentRequest` when a conclusion's draft is saved
(`apply=False`: check the items, write nothing) and when it is issued (`apply=True`: write
them), inside the caller's transaction. The emulation module listens (its `apps.ready`) and
turns each item into an inspection adjustment of the unit's score sheet of that year; a
refusal is raised as an `ApplicationError` and undoes the whole issue. With nobody listening
(emulation not installed) the items stay in the conclusion only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.dispatch import Signal

adjustments = Signal()


@dataclass(frozen=True)
class AdjustmentRequest:
    actor: Any  # the user issuing the conclusion (None: the system)
    conclusion: Any  # inspections.Conclusion
    unit: Any  # org.Unit inspected
    issuing_unit: Any  # org.Unit whose plan it is (the rubric's issuer)
    year: int
    items: Sequence[Any]  # inspections.ScoreAdjustment (saved when apply, unsaved otherwise)
    apply: bool


def adjustments_send(request: AdjustmentRequest) -> None:
    """Hand the items to the listeners; their refusals propagate (nothing is written)."""
    adjustments.send(sender=AdjustmentRequest, request=request)
