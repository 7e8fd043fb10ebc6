import logging
import sys
from typing import Any

from django.apps import AppConfig

logger = logging.getLogger(__name__)


def _sweep_at_worker_start(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Once, when a worker (manage.py db_worker) first opens the database: mark the imports
    and dry runs whose worker died as interrupted, so the page says so at once."""
    from django.db.backends.signals import connection_created

    connection_created.disconnect(dispatch_uid="members-import-sweep")
    from .importers import import_jobs_sweep

    try:
        marked = import_jobs_sweep()
    except Exception:  # an unmigrated database must not stop the worker
        logger.exception("Could not look for interrupted imports")
        return
    if marked:
        logger.warning("%s member import(s) found interrupted at worker start", marked)


class MembersConfig(AppConfig):
    name = "doanvu.members"
    label = "members"
    verbose_name = "Đoàn viên và cán bộ"

    def ready(self) -> None:
        from doanvu.audit.registry import register

        from . import models as m
        from . import receivers  # noqa: F401

        if sys.argv[1:2] == ["db_worker"]:
            from django.db.backends.signals import connection_created

            connection_created.connect(_sweep_at_worker_start, dispatch_uid="members-import-sweep")

        register(m.Membership, unit=lambda o: o.branch_id, exclude=("name_folded", "unit_path"))
        register(m.Transfer, unit=lambda o: o.membership.branch_id)
        register(m.CadreStatus, unit=lambda o: None)
        register(m.CadreCourse, unit=lambda o: None)
        register(m.DuesEntry, unit=lambda o: o.membership.branch_id)
        register(m.Remittance, unit=lambda o: o.from_unit_id)
        register(m.Meeting, unit=lambda o: o.unit_id)
        register(m.Attendance, unit=lambda o: o.meeting.unit_id)
        register(m.RemovalProposal, unit=lambda o: o.membership.branch_id)
        register(m.TrainingRegistration, unit=lambda o: o.membership.branch_id)
        register(m.MemberRating, unit=lambda o: o.membership.branch_id)
        register(m.UnitClassification, unit=lambda o: o.unit_id)
        register(m.Referral, unit=lambda o: o.referrer.branch_id)
        register(m.MembersPolicy, unit=lambda o: o.issuing_unit_id)
        register(m.RatingScale, unit=lambda o: o.issuing_unit_id)
