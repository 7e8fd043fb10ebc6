"""The pages of the load test (PERF-5) and how often a cadre opens each: shared by
bench_load.py (which resolves them into URLs per user) and locustfile.py (which requests them).
Kept free of locust and Django imports so a fast test can check every name resolves.

Each entry: key, URL name, weight, what the URL needs ("" nothing, "unit" the user's unit,
"member" a member of it, "search" a name typed into the member list's search field, "next" the
"Trang sau" link of the member list the user last opened).
"""

from __future__ import annotations

from typing import NamedTuple


class Page(NamedTuple):
    key: str
    url_name: str
    weight: int
    needs: str
    heavy: bool  # a member list over a whole subtree: reported apart from the light pages


PAGES: tuple[Page, ...] = (
    Page("home", "org:home", 3, "", False),  # "Việc của tôi" and the shortcuts, after login
    Page("tree", "org:tree", 2, "", False),
    Page("unit", "org:unit_detail", 3, "unit", False),
    Page("member_list", "members:member_list", 3, "", True),
    Page("member_list_next", "members:member_list", 1, "next", True),
    Page("member_search", "members:member_list", 2, "search", True),
    Page("member_detail", "members:member_detail", 3, "member", False),
    Page("dashboard", "hub:unit_dashboard", 1, "unit", False),
    Page("audit_log", "audit:log", 1, "", False),
)

# Between two requests of one user (seconds): a cadre reads the page they opened — a list, a
# dashboard, a member's record — before the next click. PERF-5's row uses these; bench_load's
# stress row (STRESS_THINK) clicks every 1–3 s to show the ceiling of the 2 cores.
THINK_MIN, THINK_MAX = 5.0, 15.0
STRESS_THINK = (1.0, 3.0)
