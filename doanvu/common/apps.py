import sys

from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CommonConfig(AppConfig):
    name = "doanvu.common"
    label = "common"
    verbose_name = gettext_lazy("Dùng chung")

    def ready(self) -> None:
        from django.db.models.signals import pre_save
        from django_tasks_db.models import DBTaskResult

        from . import background

        # every claim of a task names its process, so a dead worker's tasks can be found
        pre_save.connect(background.stamp_claim, sender=DBTaskResult,
                         dispatch_uid="common-stamp-claim")
        if sys.argv[1:2] == ["db_worker"]:
            from django.db.backends.signals import connection_created

            connection_created.connect(background.sweep_at_worker_start,
                                       dispatch_uid="common-lost-tasks-sweep")
