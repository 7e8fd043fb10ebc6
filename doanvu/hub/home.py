"""The hub's section of the home page (issue 10, item 4): what the user and their units owe,
late first with counts, and what the lower units owe them — the same selectors as
"Việc của tôi", so both pages always agree."""

from __future__ import annotations

import datetime as dt

from doanvu.accounts.scope import Scope
from doanvu.org.home import HomeSection

from . import selectors

SHOWN = 5  # the first obligations listed; the rest are one click away in "Việc của tôi"


def obligations_section(*, scope: Scope, user: object, day: dt.date) -> HomeSection | None:
    if scope.is_anonymous:
        return None
    counts = selectors.my_open_counts(scope=scope, today=day)
    first = list(selectors.my_open_obligations(scope=scope, today=day)[:SHOWN]) if (
        counts.open) else []
    return HomeSection(template="hub/_home.html", order=10, context={
        "counts": counts, "first": first, "more": counts.open - len(first),
        "owed_to_units": selectors.owed_to_my_units(scope=scope, today=day), "today": day,
    })
