"""The demo, loaded once for every demo test of the project.

Every module of this package reads the same demo (`manage.py load_demo`: the seeds' units,
people, plans, rounds, sheets, visits and obligations). Loading it takes seconds, so it is
loaded once for the package, inside a transaction rolled back when the package's last test
ends; each test runs in its own savepoint within it, as usual, so what one test changes the
next does not see. Its files go to a temporary media folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="package")
def demo(django_db_setup: None, django_db_blocker: Any,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """What `manage.py load_demo` printed when it loaded the demo."""
    media = override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("demo-media")))
    with django_db_blocker.unblock(), media:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = StringIO()
            call_command("load_demo", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
