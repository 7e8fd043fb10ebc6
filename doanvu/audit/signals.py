"""Records create/update/delete of registered models through Django's model signals."""

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
    old = sender._default_manager.filter(pk=instance.pk).first()  # type: ignore[attr-defined]
    setattr(instance, _BEFORE, chain.snapshot(old, spec.exclude) if old is not None else None)


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
    chain.append(
        action=AuditAction.CREATE if created or before is None else AuditAction.UPDATE,
        model=sender._meta.label_lower,  # type: ignore[attr-defined]
        object_pk=str(instance.pk),  # type: ignore[attr-defined]
        object_repr=str(instance),
        unit_id=spec.unit(instance),  # type: ignore[arg-type]
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
    instance._audit_unit = spec.unit(instance)  # type: ignore[arg-type, attr-defined]


@receiver(post_delete)
def _record_delete(sender: type, instance: object, **kwargs: object) -> None:
    spec = spec_for(sender)
    if spec is None:
        return
    chain.append(
        action=AuditAction.DELETE,
        model=sender._meta.label_lower,  # type: ignore[attr-defined]
        object_pk=str(instance.pk),  # type: ignore[attr-defined]
        object_repr=str(instance),
        unit_id=getattr(instance, "_audit_unit", None),
        changes={"before": getattr(instance, _BEFORE, {}), "after": {}},
        reason=current_reason(),
        actor=current_actor(),
    )
