"""Facts that modules above remediation contribute to a unit's monthly evaluation page (REM-3).

Seed 004 evaluates the standing members on, among others, the remedy of shortcoming 2: the
directives to lower units issued with less than the lead time. Plans (PLAN-3) counts those; it
sits above remediation, so it registers a builder here in its AppConfig.ready and the page
shows what each builder returns for the unit and year:

    from doanvu.remediation.facts import Fact, register_fact

    def lead_time(*, unit, year):
        return [Fact(label="…", value="…", note="…", url="…")]

    register_fact("plans.lead_time", lead_time)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from doanvu.org.models import Unit


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    note: str = ""
    url: str = ""


FactBuilder = Callable[..., list[Fact]]
_FACTS: dict[str, FactBuilder] = {}


def register_fact(key: str, builder: FactBuilder) -> None:
    _FACTS[key] = builder


def unregister_fact(key: str) -> None:
    _FACTS.pop(key, None)


def facts_for(*, unit: Unit, year: int) -> list[Fact]:
    """What the registered builders say of `unit`'s `year`, in registration order."""
    out: list[Fact] = []
    for builder in _FACTS.values():
        out.extend(builder(unit=unit, year=year))
    return out
