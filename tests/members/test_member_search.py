"""X-2, PERF-2: member search by word prefixes, accent-free, in keyset pages, on both plans.

On PostgreSQL the list either sorts the matches read from the word index or walks the
province's name index in order, depending on how many members the words match; `plan` forces
each in turn (on SQLite both run the same query).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse

from doanvu.accounts.scope import Scope
from doanvu.members.core import selectors
from doanvu.members.core.selectors import member_rows
from doanvu.members.models import Membership
from tests.conftest import World, login
from tests.members.conftest import make_member

NAMES = [
    ("Nguyễn Văn An", "nam"),
    ("Nguyễn Thị Yến", "nu"),
    ("Đặng Đức Dũng", "nam"),
    ("Trần Thị Bích", "nu"),
    ("Lê Nguyên Khang", "nam"),
    ("Phạm Anh Đào", "nu"),
]


@pytest.fixture(params=["sort", "walk", "one"])
def plan(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The split search looking parts up in the word index ("sort") or walking every part
    ("walk"), or the one-query plan the list falls back on and the export reads ("one")."""
    if request.param == "walk":
        monkeypatch.setattr(selectors, "SORT_MATCHES_UP_TO", 0)
    if request.param == "one":
        monkeypatch.setattr(selectors, "split_search", lambda **_kw: None)
    return str(request.param)


@pytest.fixture
def named(world: World) -> World:
    for i, (name, gender) in enumerate(NAMES):
        make_member(world.branch_a1 if i % 2 else world.branch_b1, name, gender=gender)
    return world


def _found(world: World, q: str, **filters: str) -> list[str]:
    scope = Scope.for_user(world.province_secretary)
    rows, _more = member_rows(
        scope=scope, unit=world.province, filters={"q": q, **filters}, after=None
    )
    return [m.person.full_name for m in rows]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("nguyen van a", ["Nguyễn Văn An"]),
        ("NGUYỄN  văn   An", ["Nguyễn Văn An"]),
        ("an van nguyen", ["Nguyễn Văn An"]),
        ("ng yen", ["Nguyễn Thị Yến"]),
        ("yen", ["Nguyễn Thị Yến"]),
        ("nguyen", ["Lê Nguyên Khang", "Nguyễn Thị Yến", "Nguyễn Văn An"]),
        ("thi", ["Nguyễn Thị Yến", "Trần Thị Bích"]),
        ("guyen", []),
        ("an", ["Nguyễn Văn An", "Phạm Anh Đào"]),
    ],
)
def test_x2_search_matches_the_start_of_words_without_accents(
    named: World, plan: str, q: str, expected: list[str]
) -> None:
    assert _found(named, q) == expected


@pytest.mark.parametrize("q", ["đặng dũng", "dang dung", "ĐẶ ĐỨ", "da du", "ĐĂNG ĐUC"])
def test_x2_search_d_and_đ_are_one_letter(named: World, plan: str, q: str) -> None:
    assert _found(named, q) == ["Đặng Đức Dũng"]


def test_x2_search_with_gender_and_unit(named: World, plan: str) -> None:
    w = named
    scope = Scope.for_user(w.province_secretary)

    women = _found(w, "nguyen", gioi_tinh="nu")
    in_b, _ = member_rows(scope=scope, unit=w.district_b, filters={"q": "nguyen"}, after=None)
    in_a, _ = member_rows(scope=scope, unit=w.district_a, filters={"q": "nguyen"}, after=None)

    assert women == ["Nguyễn Thị Yến"]
    assert [m.person.full_name for m in in_b] == ["Lê Nguyên Khang", "Nguyễn Văn An"]
    assert [m.person.full_name for m in in_a] == ["Nguyễn Thị Yến"]


def test_x2_search_never_fails_on_odd_input(named: World, plan: str) -> None:
    for q in ["o'neil", "a\\b", "x & y | !z", "(an):*", "<->", "'", "an'"]:
        assert isinstance(_found(named, q), list)


def test_x2_search_keyset_pages_return_everyone_once(world: World, plan: str) -> None:
    for i in range(57):
        make_member(world.branch_a1 if i % 2 else world.branch_b1, f"Nguyễn Văn Số {i % 40:02d}")
    for i in range(20):
        make_member(world.branch_b1, f"Hồ Nguyên {i:02d}")
    for i in range(15):
        make_member(world.branch_a1, f"Trần Văn {i:02d}")
    expected = list(
        Membership.objects.filter(name_folded__regex=r"(^| )nguyen")
        .order_by("name_folded", "id")
        .values_list("pk", flat=True)
    )
    scope = Scope.for_user(world.province_secretary)
    seen: list[int] = []
    after = None
    for _page in range(10):
        rows, more = member_rows(
            scope=scope, unit=world.province, filters={"q": "nguy"}, after=after, limit=20
        )
        seen += [m.pk for m in rows]
        if not more:
            break
        after = (rows[-1].name_folded, rows[-1].pk)

    assert len(expected) == 77
    assert seen == expected


def test_x2_search_pages_through_the_list_page(world: World, plan: str) -> None:
    for i in range(60):
        make_member(world.branch_a1, f"Nguyễn Thị Số {i % 25:02d}", gender="nu")
    make_member(world.branch_a1, "Nguyễn Văn Nam")
    client = login(world.province_secretary)
    url = reverse("members:member_list") + "?q=nguyen+so&gioi_tinh=nu"
    seen: list[int] = []
    pages = 0
    while url and pages < 5:
        r = client.get(url)
        pages += 1
        seen += [m.pk for m, _ in r.context["rows"]]
        url = (
            reverse("members:member_list") + "?" + r.context["next_query"]
            if r.context["has_next"]
            else ""
        )

    assert pages == 2
    assert len(seen) == len(set(seen)) == 60


def test_x2_search_reads_the_word_index_where_there_is_one(named: World) -> None:
    """PostgreSQL: selectors.WORDS_SQL must stay the expression migration 0015 indexes (the
    later words of a name; its first word is a range of the name indexes). SQLite has no word
    index (0015 makes it on PostgreSQL only): the same search must be a plain LIKE on the
    folded name there, never PostgreSQL's tsvector SQL."""
    if connection.vendor != "postgresql":
        qs = selectors.member_filter(scope=Scope.for_user(named.province_secretary),
                                     unit=named.province, filters={"q": "nguyen"})
        sql = str(qs.query)
        assert "tsvector" not in sql and "LIKE" in sql
        assert sorted(m.person.full_name for m in qs) == [
            "Lê Nguyên Khang", "Nguyễn Thị Yến", "Nguyễn Văn An"]
        return
    key = named.province.path[: selectors.PROVINCE_KEY]
    qs = Membership.objects.filter(selectors._WordsMatch(selectors._tsquery(key, ["nguyen"])))
    with connection.cursor() as cursor:
        # So few rows would be read whole; without that way, only the word index can serve.
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
        plan = qs.explain()

    assert "Bitmap Index Scan on members_search_later_words" in plan
    assert [m.person.full_name for m in qs] == ["Lê Nguyên Khang"]  # "nguyen" not first


def test_x2_a_typed_word_that_starts_the_name_walks_a_range_of_names(named: World) -> None:
    """PostgreSQL: the part of a search where the typed word starts the name reads only that
    range of the province's name index (its bounds are index conditions, not a filter)."""
    if connection.vendor != "postgresql":
        return
    scope = Scope.for_user(named.province_secretary)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off")
        split = selectors.split_search(scope=scope, unit=named.province,
                                       filters={"q": "pham", "gioi_tinh": "nu"})
        assert split is not None
        starts = split.queries[0]
        plan = starts.explain()
    index_cond = next(line for line in plan.splitlines() if "Index Cond" in line)
    assert "members_province_name_idx" in plan
    assert "(name_folded)::text >= 'pham'" in index_cond
    assert "(name_folded)::text < 'phan'" in index_cond
    assert [m.person.full_name for m in starts] == ["Phạm Anh Đào"]


def test_x2_a_nation_wide_walk_tests_its_filters_in_the_name_index_alone(
        named: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL: a nation-wide part that walks the names in order reads keys only, and the
    name index carries every column the list filters on (0017), so the walk is an index-only
    scan: the names it passes over cost no table read. The page's rows are read by id."""
    if connection.vendor != "postgresql":
        return
    monkeypatch.setattr(selectors, "SORT_MATCHES_UP_TO", 0)
    scope = Scope(user_id=0, is_superuser=True)
    filters = {"q": "pham", "gioi_tinh": "nu", "tuoi": "19-23"}
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off")
        split = selectors.split_search(scope=scope, unit=None, filters=filters)
        assert split is not None
        plan = split.queries[0].values_list("name_folded", "id").explain()
    assert "Index Only Scan using members_name_idx" in plan, plan
    rows, _more = member_rows(scope=scope, unit=None, filters={"q": "pham"}, after=None)
    assert [m.person.full_name for m in rows] == ["Phạm Anh Đào"]


@pytest.mark.parametrize(("word", "above"), [("an", "ao"), ("phaz", "phb"), ("z", None),
                                             ("n9", "o"), ("ng8", "ng9"), ("é", None)])
def test_x2_the_range_of_names_a_word_starts_ends_below_the_next_prefix(
        word: str, above: str | None) -> None:
    assert selectors._above_prefix(word) == above


PEOPLE = [
    # name, gender, birth year
    ("Phạm Thị Lan", "nu", 2006), ("Phạm Văn Long", "nam", 2003), ("Phạm Thị Hoa", "nu", 1999),
    ("Phan Thị Hoa", "nu", 2004), ("Phạm Phương Anh", "nu", 1996), ("Lê Phạm Anh", "nam", 2005),
    ("Trần Thị Phương", "nu", 2002), ("Trần Văn Phạm", "nam", 2007), ("Trần Anh", "nam", 2001),
    ("Nguyễn Phạm Trà My", "nu", 2004), ("Anh Thị Ngọc", "nu", 2000), ("Ngô Ngọc Anh", "nam", 1998),
    ("Ngọc", "nu", 2003), ("Zương Văn Z", "nam", 2002), ("Phạm Zen", "nu", 2005),
    # A first word longer than a typed one ("phamy" for "pham": not in the pair "pham>…"), and
    # a member with no gender recorded (the pairs index's third gender, "").
    ("Phạmy Thị Lan", "nu", 2005), ("Phạm Thị Xuân", "", 2004),
]


@pytest.fixture
def people(world: World) -> World:
    for i, (name, gender, year) in enumerate(PEOPLE):
        make_member(world.branch_a1 if i % 2 else world.branch_b1, name, gender=gender,
                    birth=dt.date(year, 3, 1))
    return world


def _expected(q: str, gender: str, band: str, world: World) -> list[str]:
    """What the search must find, worked out in Python from the same rules."""
    from doanvu.common.search import search_words
    from doanvu.common.text import fold
    from doanvu.members.core import rules
    from doanvu.members.core.selectors import _age_counting

    words = search_words(q)
    latest, earliest = None, None
    if band:
        low, high = rules.AGE_BANDS[band][1:]
        earliest, latest = rules.birth_range_for_ages(
            selectors.today(), low, high, _age_counting(unit=world.province, day=None))
    out = []
    for m in Membership.objects.select_related("person"):
        name_words = fold(m.person.full_name).split()
        if not all(any(nw.startswith(w) for nw in name_words) for w in words):
            continue
        if gender and m.gender != gender:
            continue
        if latest is not None and (m.birth_date is None or m.birth_date > latest
                                   or (earliest is not None and m.birth_date <= earliest)):
            continue
        out.append((m.name_folded, m.pk, m.person.full_name))
    return [name for _f, _pk, name in sorted(out)]


@pytest.mark.parametrize("q", ["pham", "ph", "pham thi", "anh", "anh pham", "ngoc anh", "p p",
                               "tran van pham", "ngoc", "z", "pham z", "an ph"])
@pytest.mark.parametrize(("gender", "band"), [("", ""), ("nu", ""), ("nam", "19-23"),
                                              ("", "16-18"), ("nu", "24-30")])
def test_x2_search_with_gender_and_age_finds_exactly_the_right_members(
        people: World, plan: str, q: str, gender: str, band: str) -> None:
    """Every part of a split search (the typed word starts the name, or none does), looked up
    or walked, with the gender and the age band: the members a plain reading of the rules
    finds, in name order, once each."""
    found = _found(people, q, gioi_tinh=gender, tuoi=band)
    assert found == _expected(q, gender, band, people)


def test_x2_a_search_too_broad_names_what_to_add() -> None:
    """The message says what the search lacks, and only that."""
    bare = selectors.too_broad_message(unit=None, filters={"q": "a"})
    assert "quá rộng" in bare
    for need in ("chọn một tỉnh hoặc đơn vị", "gõ thêm chữ của họ tên", "chọn giới tính",
                 "chọn độ tuổi"):
        assert need in bare
    narrowed = selectors.too_broad_message(unit=None, filters={"q": "a", "gioi_tinh": "nu",
                                                               "tuoi": "19-23"})
    assert "chọn giới tính" not in narrowed and "chọn độ tuổi" not in narrowed
    assert "chọn một tỉnh hoặc đơn vị" in narrowed


def test_x2_a_search_too_slow_tries_the_other_plan_then_asks_to_narrow(
    named: World, settings: Any
) -> None:
    """PostgreSQL: each plan runs under a statement timeout, in a savepoint; SQLite has no
    timeout and answers with the first query."""
    settings.MEMBER_SEARCH_TIMEOUT_MS = 100
    everyone = Membership.objects.count()

    def fast() -> QuerySet[Membership]:
        return Membership.objects.order_by("name_folded", "id")

    def slow() -> QuerySet[Membership]:
        return fast().extra(where=["pg_sleep(0.3) IS NOT NULL"])

    def never() -> QuerySet[Membership]:
        raise AssertionError("the first query answered: no other plan is needed")

    if connection.vendor == "postgresql":
        rows, more = selectors.bounded_page([slow, fast], after=None, limit=50)
        assert len(rows) == min(50, everyone) and more == (everyone > 50)
        with pytest.raises(selectors.SearchTooBroad):
            selectors.bounded_page([slow, slow], after=None, limit=50)
        assert Membership.objects.count() == everyone  # the request's transaction still works
    else:
        rows, _more = selectors.bounded_page([fast, never], after=None, limit=50)
        assert len(rows) == min(50, everyone)


def test_x2_a_search_with_no_other_plan_has_the_whole_time(
    named: World, settings: Any
) -> None:
    """A split search with no other plan worth trying (`bound_alone`) runs under the whole
    MEMBER_SEARCH_TIMEOUT_MS, not the share a first try gets: a page a little slower than that
    share answers; one slower than the whole time is "too broad" (PostgreSQL)."""
    settings.MEMBER_SEARCH_TIMEOUT_MS = 600
    everyone = Membership.objects.count()

    def sleeping(seconds: float) -> QuerySet[Membership]:
        # an uncorrelated subquery: PostgreSQL sleeps once per query, not once per row
        where = ([f"(SELECT pg_sleep({seconds})) IS NOT NULL"]
                 if connection.vendor == "postgresql" else [])
        return Membership.objects.order_by("name_folded", "id").extra(where=where)

    def slower_than_a_share() -> QuerySet[Membership]:  # 0.4 × 600 = 240 ms < 350 ms
        return sleeping(0.35)

    def slower_than_all() -> QuerySet[Membership]:
        return sleeping(0.9)

    rows, _more = selectors.bounded_page([slower_than_a_share], after=None, limit=50,
                                         bound_alone=True)
    assert len(rows) == min(50, everyone)
    if connection.vendor == "postgresql":
        with pytest.raises(selectors.SearchTooBroad):
            selectors.bounded_page([slower_than_all], after=None, limit=50, bound_alone=True)
        with pytest.raises(selectors.SearchTooBroad):  # a first try of two gets the share
            selectors.bounded_page([slower_than_a_share, slower_than_all], after=None, limit=50)
        assert Membership.objects.count() == everyone


@pytest.mark.parametrize("per_second", [0, 10**9])
def test_x2_the_one_query_plan_is_tried_only_when_it_can_answer_in_time(
    named: World, monkeypatch: pytest.MonkeyPatch, per_second: int
) -> None:
    """After the split search, the list tries the one-query plan (sorting the rarest word's
    bearers) only if they can be sorted within the time; else the split search has it all.
    SQLite has no split search: the one query, unbounded."""
    monkeypatch.setattr(selectors, "SORTED_ROWS_PER_SECOND", per_second)
    seen: dict[str, Any] = {}
    real = selectors.bounded_page

    def spy(queries: Any, **kw: Any) -> Any:
        seen.update(n=len(queries), bound_alone=kw.get("bound_alone", False))
        return real(queries, **kw)

    monkeypatch.setattr(selectors, "bounded_page", spy)
    scope = Scope.for_user(named.province_secretary)
    rows, _more = selectors.member_list_page(scope=scope, unit=named.province,
                                             filters={"q": "nguyen"}, after=None, limit=50)
    assert {m.person.full_name for m in rows} == {"Nguyễn Văn An", "Nguyễn Thị Yến",
                                                   "Lê Nguyên Khang"}
    if connection.vendor == "postgresql":
        assert seen == {"n": 1 if per_second == 0 else 2, "bound_alone": True}
    else:
        assert seen == {"n": 1, "bound_alone": False}


def test_x2_a_search_too_broad_says_so_on_the_page(
    named: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def too_broad(**_kw: object) -> None:
        raise selectors.SearchTooBroad(selectors.SearchTooBroad.message)

    monkeypatch.setattr(selectors, "member_list_page", too_broad)
    r = login(named.province_secretary).get(reverse("members:member_list"), {"q": "nguyen"})
    assert r.status_code == 200
    assert "quá rộng để trả lời nhanh" in r.content.decode()


def test_x2_a_search_too_broad_says_on_the_page_what_to_add(
    named: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Neither plan answering in time (both stand-ins here), the list page shows the message
    naming what this search lacks: it has a gender, so that is not asked for."""
    def neither(queries: object, *, after: object, limit: int, message: str = "",
                **_kw: object) -> None:
        raise selectors.SearchTooBroad(message)

    monkeypatch.setattr(selectors, "bounded_page", neither)
    r = login(named.province_secretary).get(reverse("members:member_list"),
                                            {"q": "a", "gioi_tinh": "nu"})
    page = r.content.decode()
    assert r.status_code == 200
    assert "quá rộng để trả lời nhanh" in page and "gõ thêm chữ của họ tên" in page
    assert "chọn độ tuổi" in page and "chọn giới tính" not in page


@pytest.mark.parametrize("q", ["pham thi", "pham", "ph t", "anh pham", "ngoc anh", "thi lan",
                               "tran van pham", "pham z", "gia", "an ph"])
@pytest.mark.parametrize(("gender", "band"), [("", ""), ("nu", ""), ("nam", "19-23"),
                                              ("", "16-18")])
def test_x2_nation_wide_search_finds_exactly_the_right_members(
        people: World, plan: str, q: str, gender: str, band: str) -> None:
    """A central user's search over the nation (no unit): on PostgreSQL its parts may read the
    pairs index (gender + first word + later word, migration 0016), and the names whose first
    word only starts with the typed one another way. The same members as a plain reading."""
    rows, _more = member_rows(scope=Scope(user_id=0, is_superuser=True), unit=None,
                              filters={"q": q, "gioi_tinh": gender, "tuoi": band}, after=None)
    assert [m.person.full_name for m in rows] == _expected(q, gender, band, people)


def test_x2_a_nation_wide_first_word_and_later_word_read_the_pairs_index(
        people: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL: selectors.PAIRS_SQL must stay the expression migration 0016 indexes; the
    part "starts with pham" with "thi" later is read from it, with the gender in the entry
    (when a walk of the names would cost more: in this small world it would not, unless a
    name passed costs as much as a thousand rows)."""
    if connection.vendor != "postgresql":
        return
    monkeypatch.setattr(selectors, "NATION_WALK_COST", 1000.0)
    split = selectors.split_search(scope=Scope(user_id=0, is_superuser=True), unit=None,
                                   filters={"q": "pham thi", "gioi_tinh": "nu"})
    assert split is not None
    starts = split.queries[0]
    assert "split_part" in str(starts.query)  # the pairs expression, not a walk
    assert [m.person.full_name for m in starts] == ["Phạm Thị Hoa", "Phạm Thị Lan"]
    qs = Membership.objects.filter(
        selectors._PairsMatch(selectors._pairs_tsquery([":pham>thi"], ("nu",))))
    with connection.cursor() as cursor:
        # So few rows would be read whole; without that way, only the pairs index can serve.
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
        plan = qs.explain()
    assert "Bitmap Index Scan on members_search_pairs" in plan
    assert sorted(m.person.full_name for m in qs) == ["Phạm Thị Hoa", "Phạm Thị Lan"]
