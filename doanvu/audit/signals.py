"""Records create/update/delete of registered models through Django's model signals.

An audited save costs, besides the write itself: one SELECT of the row as it is in the database
(the "before"; read there rather than kept from when the object was loaded, so a change another
writer committed in between is not lost from the record), the appending, and one more
`values_list()` query only when the unit or label goes through a relation not loaded on the
object (registry.py). No related object is loaded."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from . import chain
from .context import current_actor, current_reason
from .models import AuditAction
from .registry import spec_for

_BEFORE = "_audit_before"


@receiver(pre_save)
def _capture_before(sender: type, instance: object, raw: bool = False, **kwargs: object) -> None:
    spec = spec_for(sender)
    if spec is None or raw or instance.pk is None:  # type: ignore[attr-defined]
        return
    # values(), not an instance; order_by(): a Meta ordering through a relation adds joins
    rows = list(sender._default_manager.filter(pk=instance.pk)  # type: ignore[attr-defined]
                .order_by().values(*_attnames(sender, spec.exclude))[:1])
    setattr(instance, _BEFORE, chain.to_jsonable(rows[0]) if rows else None)


def _attnames(model: type, exclude: frozenset[str]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields  # type: ignore[attr-defined]
            if f.name not in exclude and f.attname not in exclude]


@receiver(post_save)
def _record_save(sender: type, instance: object, created: bool, raw: bool = False,
                 **kwargs: object) -> None:
    spec = spec_for(sender)
    if spec is None or raw:
        return
    after = chain.snapshot(instance, spec.exclude)  # type: ignore[arg-type]
    before = None if created else getattr(instance, _BEFORE, None)
    if before is not None:
        changed = {k for k in after if before.get(k) != after[k]}
        if not changed:
            return
        before = {k: before.get(k) for k in sorted(changed)}
        after = {k: after[k] for k in sorted(changed)}
    unit_id, label = spec.resolve(instance)  # type: ignore[arg-type]
    chain.append(
        action=AuditAction.CREATE if created or before is None else AuditAction.UPDATE,
        model=sender._meta.label_lower,  # type: ignore[attr-defined]
        object_pk=str(instance.pk),  # type: ignore[attr-defined]
        object_repr=label,
        unit_id=unit_id,
        changes={"before": before or {}, "after": after},
        reason=current_reason(),
        actor=current_actor(),
    )


@receiver(pre_delete)
def _capture_delete(sender: type, instance: object, **kwargs: object) -> None:
    spec = spec_for(sender)
    if spec is None:
        return
    setattr(instance, _BEFORE, chain.snapshot(instance, spec.exclude))  # type: ignore[arg-type]
    # the row is still there: resolve what goes through relations now
    instance._audit_unit, instance._audit_label = spec.resolve(instance)  # type: ignore[arg-type, attr-defined]


@receiver(post_delete)
def _record_delete(sender: type, instance: object, **kwargs: object) -> None:
    spec = spec_for(sender)
    if spec is None:
        return
    chain.append(
        action=AuditAction.DELETE,
        model=sender._meta.label_lower,  # type: ignore[attr-defined]
        object_pk=str(instance.pk),  # type: ignore[attr-defined]
        object_repr=getattr(instance, "_audit_label", ""),
        unit_id=getattr(instance, "_audit_unit", None),
        changes={"before": getattr(instance, _BEFORE, {}), "after": {}},
        reason=current_reason(),
        actor=current_actor(),
    )
