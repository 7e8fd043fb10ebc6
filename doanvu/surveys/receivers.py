"""Surveys listen to documents (a lower layer, which does not know surveys): when a thematic or
compiled report is issued, its deadline's obligation is submitted (SUR-3, deadlines.py)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from doanvu.documents.models import Document, DocumentStatus

from . import deadlines


@receiver(post_save, sender=Document, dispatch_uid="surveys.report_issued")
def report_issued(sender: object, instance: Document, created: bool,
                  update_fields: Any = None, **kwargs: object) -> None:
    if instance.status != DocumentStatus.ISSUED:
        return
    if update_fields is not None and "status" not in update_fields:
        return  # an issued document corrected later: already counted when it was issued
    deadlines.report_issued(instance)
