"""The hub answers modules that may not import it (common.signals.obligations_requested): a
document issued with a reporting deadline asks for one obligation per recipient unit."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from doanvu.common.signals import ObligationRequest, obligations_requested

from . import rules, services
from .models import Obligation


@receiver(obligations_requested, dispatch_uid="hub.create_requested_obligations")
def create_requested_obligations(sender: object, *, actor: Any,
                                 requests: list[ObligationRequest],
                                 **kwargs: object) -> list[Obligation]:
    return [
        services.obligation_create(
            actor=actor, kind=r.kind, kind_label=r.kind_label, title=r.title,
            owed_by_unit=r.owed_by_unit, owed_to_unit=r.owed_to_unit,
            owed_to_department=r.owed_to_department, rule=rules.DueRule.fixed(r.due_on),
            source=r.source, source_label=r.source_label, key=r.key,
        )
        for r in requests
    ]
