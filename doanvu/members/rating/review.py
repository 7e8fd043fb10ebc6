"""Sections of a cadre's annual self-review (báo cáo kiểm điểm) and criteria of their year-end
rating that modules ABOVE members contribute (field visits, FV-8: "Báo cáo kết quả đi cơ sở
trong năm … là một nội dung trong báo cáo kiểm điểm … một trong những tiêu chí để đánh giá
mức độ hoàn thành nhiệm vụ cuối năm", seed 002 §IV Lưu ý).

Members sits below those modules, so it keeps a registry: a module registers a builder in its
AppConfig.ready (through `doanvu.members.api.register_review_section`), and the cadre's page
asks `sections_for(scope=, person=, year=)`. A builder answers None when it has nothing for
that person and year or the scope may not read it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.safestring import SafeString

from doanvu.accounts.scope import Scope
from doanvu.org.models import Person


@dataclass(frozen=True)
class ReviewSection:
    key: str
    title: str  # the section of the self-review, in Vietnamese
    body: SafeString  # the section's content (escaped HTML)
    criterion: str  # the rating criterion, in Vietnamese ("Thực hiện chế độ đi cơ sở")
    verdict: str  # its value for the year ("Đạt", "Chưa đạt: …", "Không áp dụng: …")
    met: bool | None  # None: not applicable
    order: int = 50


ReviewBuilder = Callable[..., ReviewSection | None]
_SECTIONS: dict[str, ReviewBuilder] = {}


def register_section(key: str, builder: ReviewBuilder) -> None:
    """`builder(scope=, person=, year=)` answers a ReviewSection or None."""
    _SECTIONS[key] = builder


def unregister_section(key: str) -> None:
    _SECTIONS.pop(key, None)


def sections_for(*, scope: Scope, person: Person, year: int) -> list[ReviewSection]:
    found = []
    for builder in list(_SECTIONS.values()):
        section = builder(scope=scope, person=person, year=year)
        if section is not None:
            found.append(section)
    return sorted(found, key=lambda s: (s.order, s.key))
