"""Keep denormalised unit paths in step when the organisation tree changes shape."""

from __future__ import annotations

from typing import Any

from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.dispatch import receiver

from doanvu.org.signals import subtree_moved


@receiver(subtree_moved)
def _rewrite_member_paths(sender: Any, old_prefix: str, new_prefix: str, **kwargs: Any) -> None:
    from .models import Membership

    Membership.objects.filter(unit_path__startswith=old_prefix).update(
        unit_path=Concat(Value(new_prefix), Substr("unit_path", len(old_prefix) + 1))
    )
