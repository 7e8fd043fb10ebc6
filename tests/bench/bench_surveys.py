"""Issue 15 (surveys), Performance: an anonymous survey sent to all members of the province
closest to 200 000 current members, its surveyed units the province's direct children, with
BENCH_SUR_ANSWERS (default 50 000) answers generated set-based (one INSERT … SELECT over
generate_series; each answer's values computed from its row number, so deterministic):

  * the tabulation of every question with the per-unit roll-up as served
    (`surveys:tabulation` through django.test.Client, DEBUG off, as the province's secretary):
    p50 / p95 against 2 s;
  * the same figures by hand-written SQL over the same answer table (answers per child unit,
    a single choice per option and child unit, a multiple choice per option and child unit, a
    scale's distribution and mean, a number's count, mean, min, max and total, the free texts,
    and the cross-tabulations the page shows by level and by sector: the choices' counts per
    option, the scale's and the number's count, mean, min, max and total),
    interleaved with the served runs, and the ratio (target ≤ 3×); the SQL's figures are checked
    against the served tabulation's;
  * 1 000 answers submitted by 50 concurrent clients (threads, each with its own database
    connection, calling `services.anonymous_answer` as 1 000 generated members with a grant
    in the surveyed units) to a second questionnaire: none lost (1 000 answers and 1 000
    respondents stored); that questionnaire's answers are deleted afterwards.

The campaign, questionnaires, answers and users are generated once and reused by later runs
on the same database. BENCH_SUR_RUNS (default 10) timed runs of each.

Run alone: `DATABASE_URL=… python -m tests.bench.bench_surveys` (a database holding a nation
from `manage.py generate_nation`; BENCH_STRICT=1 exits 1 on a missed target); run.py calls
`run(add_row)` after the targets rows (BENCH_SURVEYS=0 skips it)."""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

CAMPAIGN = "Khảo sát nhu cầu đoàn viên (bench)"
OPENS, CLOSES = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
ON = dt.date(2026, 6, 1)
C1 = ["Việc làm", "Học tập", "Nhà ở", "Sức khỏe", "Văn hóa"]
C2 = ["Kỹ năng số", "Ngoại ngữ", "Khởi nghiệp", "Thể thao"]
QUESTIONS: list[dict[str, Any]] = [
    {"code": "c1", "number": 1, "kind": "single", "text": "Nhu cầu lớn nhất", "required": True,
     "section": "Nhu cầu", "options": C1},
    {"code": "c2", "number": 2, "kind": "multiple", "text": "Muốn được bồi dưỡng",
     "section": "Nhu cầu", "options": C2},
    {"code": "c3", "number": 3, "kind": "scale", "text": "Mức hài lòng với sinh hoạt chi đoàn",
     "required": True, "section": "Đánh giá", "min": "1", "max": "5"},
    {"code": "c4", "number": 4, "kind": "number", "text": "Số buổi sinh hoạt mỗi năm",
     "section": "Đánh giá", "min": "0", "max": "100"},
    {"code": "c5", "number": 5, "kind": "long", "text": "Nguyện vọng khác",
     "section": "Nguyện vọng"},
]
USERS = 1000
CLIENTS = 50


def _province() -> Any:
    from django.db.models import Count
    from django.db.models.functions import Substr

    from doanvu.members.models import Membership
    from doanvu.org.models import Unit
    from doanvu.org.paths import STEP

    per = dict(Membership.objects.filter(is_current=True)
               .annotate(p=Substr("unit_path", 1, 2 * STEP)).values_list("p")
               .annotate(n=Count("id")).values_list("p", "n"))
    provinces = list(Unit.objects.filter(kind__code="tinh", path__in=list(per)))
    assert provinces, "cần một quốc gia có đoàn viên (manage.py generate_nation)"
    best = min(provinces, key=lambda u: abs(per[u.path] - 200_000))
    return best, per[best.path]


def _questionnaire(theme: Any, title: str) -> Any:
    from doanvu.surveys.models import Questionnaire, QuestionnaireVersion

    q, made = Questionnaire.objects.get_or_create(
        theme=theme, title=title,
        defaults={"audience": "members", "state": "sent", "sent_on": OPENS})
    if made:
        QuestionnaireVersion.objects.create(questionnaire=q, number=1, questions=QUESTIONS)
    return q


def setup(answers: int) -> tuple[Any, Any, Any, int]:
    """(questionnaire with `answers` answers, questionnaire for the concurrent run, province,
    its members), made once."""
    from django.db import connection, transaction

    from doanvu.org.models import Department, Unit
    from doanvu.surveys.models import AnonymousAnswer, Campaign, Theme

    province, members = _province()
    with transaction.atomic():
        campaign, _ = Campaign.objects.get_or_create(
            unit=province, name=CAMPAIGN, defaults={"year": ON.year})
        theme = Theme.objects.filter(campaign=campaign).first()
        if theme is None:
            dept = Department.objects.filter(unit=province).order_by("pk").first()
            assert dept is not None, "tỉnh cần một ban"
            theme = Theme.objects.create(campaign=campaign, number=1, title="Nhu cầu, nguyện vọng",
                                         lead_department=dept, opens_on=OPENS, closes_on=CLOSES,
                                         due_on=CLOSES)
            theme.units.set(Unit.objects.filter(parent=province, dissolved_on__isnull=True))
        q = _questionnaire(theme, "Phiếu nhu cầu đoàn viên")
        qc = _questionnaire(theme, "Phiếu nhu cầu đoàn viên (gửi đồng thời)")
        have = AnonymousAnswer.objects.filter(questionnaire=q).count()
        if have < answers:
            units = sorted(theme.units.values_list("pk", flat=True))
            version = q.versions.get().pk
            with connection.cursor() as cur:
                cur.execute(
                    """
                    INSERT INTO surveys_anonymousanswer (id, questionnaire_id, version_id,
                                                         unit_id, answers)
                    SELECT gen_random_uuid(), %(q)s, %(v)s,
                           (%(units)s::bigint[])[1 + (g * 7) %% cardinality(%(units)s::bigint[])],
                           jsonb_build_object(
                               'c1', (%(c1)s::text[])[1 + (g * 31 %% 97) %% 5],
                               'c3', (1 + (g * 13 %% 23) %% 5)::text)
                           || CASE WHEN g %% 3 = 0 THEN '{}'::jsonb ELSE jsonb_build_object(
                               'c2', CASE WHEN g %% 5 = 0 THEN jsonb_build_array(
                                          (%(c2)s::text[])[1 + g %% 4],
                                          (%(c2)s::text[])[1 + (g + 1) %% 4])
                                     ELSE jsonb_build_array((%(c2)s::text[])[1 + g %% 4]) END)
                              END
                           || CASE WHEN g %% 4 = 0 THEN '{}'::jsonb
                              ELSE jsonb_build_object('c4', ((g * 17) %% 101)::text) END
                           || CASE WHEN g %% 10 = 0 THEN jsonb_build_object(
                                  'c5', 'Mong muốn số ' || g) ELSE '{}'::jsonb END
                    FROM generate_series(%(start)s, %(stop)s) AS g
                    """,
                    {"q": q.pk, "v": version, "units": units, "c1": C1, "c2": C2,
                     "start": have + 1, "stop": answers})
                cur.execute("ANALYZE surveys_anonymousanswer")
    return q, qc, province, members


SQL = {
    "by_child": """SELECT substr(u.path, 1, %(len)s), count(*) FROM surveys_anonymousanswer a
        JOIN org_unit u ON u.id = a.unit_id WHERE a.questionnaire_id = %(q)s GROUP BY 1""",
    "single": """SELECT substr(u.path, 1, %(len)s), a.answers->>'c1', count(*)
        FROM surveys_anonymousanswer a JOIN org_unit u ON u.id = a.unit_id
        WHERE a.questionnaire_id = %(q)s AND a.answers ? 'c1' GROUP BY 1, 2""",
    "multiple": """SELECT substr(u.path, 1, %(len)s), o, count(*)
        FROM surveys_anonymousanswer a JOIN org_unit u ON u.id = a.unit_id,
             jsonb_array_elements_text(a.answers->'c2') AS o
        WHERE a.questionnaire_id = %(q)s AND a.answers ? 'c2' GROUP BY 1, 2""",
    "scale": """SELECT a.answers->>'c3', count(*) FROM surveys_anonymousanswer a
        WHERE a.questionnaire_id = %(q)s AND a.answers ? 'c3' GROUP BY 1""",
    "number": """SELECT count(*), round(avg((answers->>'c4')::numeric), 2),
        min((answers->>'c4')::numeric), max((answers->>'c4')::numeric),
        sum((answers->>'c4')::numeric) FROM surveys_anonymousanswer
        WHERE questionnaire_id = %(q)s AND answers ? 'c4'""",
    "texts": """SELECT answers->>'c5' FROM surveys_anonymousanswer
        WHERE questionnaire_id = %(q)s AND answers ? 'c5'""",
    # the cross-tabulations the page shows: choices by level and by sector
    "single_cross": """SELECT GROUPING(k.name), coalesce(k.name, u.sector), a.answers->>'c1',
        count(*) FROM surveys_anonymousanswer a JOIN org_unit u ON u.id = a.unit_id
        JOIN org_unitkind k ON k.id = u.kind_id
        WHERE a.questionnaire_id = %(q)s AND a.answers ? 'c1'
        GROUP BY GROUPING SETS ((k.name, 3), (u.sector, 3))""",
    "multiple_cross": """SELECT GROUPING(k.name), coalesce(k.name, u.sector), o, count(*)
        FROM surveys_anonymousanswer a JOIN org_unit u ON u.id = a.unit_id
        JOIN org_unitkind k ON k.id = u.kind_id, jsonb_array_elements_text(a.answers->'c2') o
        WHERE a.questionnaire_id = %(q)s AND a.answers ? 'c2'
        GROUP BY GROUPING SETS ((k.name, 3), (u.sector, 3))""",
    # scale and number by level and by sector: count, mean, min, max (and total)
    "number_cross": """SELECT GROUPING(k.name), coalesce(k.name, u.sector), e.key, count(*),
        round(avg(v.n), 2), min(v.n), max(v.n), sum(v.n)
        FROM surveys_anonymousanswer a JOIN org_unit u ON u.id = a.unit_id
        JOIN org_unitkind k ON k.id = u.kind_id,
             jsonb_each_text(a.answers) e, LATERAL (SELECT e.value::numeric AS n) v
        WHERE a.questionnaire_id = %(q)s AND e.key IN ('c3', 'c4')
        GROUP BY GROUPING SETS ((k.name, 3), (u.sector, 3))""",
}


def by_sql(q: Any, path_len: int) -> dict[str, list[tuple[Any, ...]]]:
    from django.db import connection

    out = {}
    with connection.cursor() as cur:
        for name, sql in SQL.items():
            cur.execute(sql, {"q": q.pk, "len": path_len})
            out[name] = cur.fetchall()
    return out


def check_same(tab: Any, sql: dict[str, list[tuple[Any, ...]]]) -> list[str]:
    """Where the served tabulation and the SQL's figures differ (empty when they agree)."""
    wrong = []
    t = {x.question.code: x for x in tab.tables}
    if sum(n for _, n in tab.by_child) != sum(n for _, n in sql["by_child"]):
        wrong.append("số phiếu")
    if sorted(n for _, n in tab.by_child) != sorted(n for _, n in sql["by_child"]):
        wrong.append("số phiếu theo đơn vị")
    single: dict[str, int] = {}
    for _child, option, n in sql["single"]:
        single[option] = single.get(option, 0) + n
    if {o.option: o.count for o in t["c1"].options if o.count} != single:
        wrong.append("câu 1")
    by_child_c1 = sorted(sorted(counts) for _n, counts in tab.choices_by_child["c1"])
    sql_c1: dict[str, dict[str, int]] = {}
    for child, option, n in sql["single"]:
        sql_c1.setdefault(child, dict.fromkeys(C1, 0))[option] = n
    if by_child_c1 != sorted(sorted(v.values()) for v in sql_c1.values()):
        wrong.append("câu 1 theo đơn vị")
    multi: dict[str, int] = {}
    for _child, option, n in sql["multiple"]:
        multi[option] = multi.get(option, 0) + n
    if {o.option: o.count for o in t["c2"].options if o.count} != multi:
        wrong.append("câu 2")
    if {o.option: o.count for o in t["c3"].distribution if o.count} != dict(sql["scale"]):
        wrong.append("câu 3")
    n, mean, lo, hi, total = sql["number"][0]
    if (t["c4"].answered, t["c4"].mean, t["c4"].minimum, t["c4"].maximum, t["c4"].total) != (
            n, Decimal(mean), Decimal(lo), Decimal(hi), Decimal(total)):
        wrong.append("câu 4")
    if sorted(x for _, x in t["c5"].texts) != sorted(x for (x,) in sql["texts"]):
        wrong.append("câu 5")
    # cross-tabulations (labels differ — kind names, sector codes — so compare the figures per
    # group: each group's counts per option / its count, mean, min, max and total)
    for code, name, options in (("c1", "single_cross", C1), ("c2", "multiple_cross", C2)):
        for by_sector, rows in ((0, tab.by_level.get(code, [])), (1, tab.by_sector.get(code, []))):
            cells: dict[Any, dict[str, int]] = {}
            for grouping, label, option, n in sql[name]:
                if grouping == by_sector:
                    cells.setdefault(label, dict.fromkeys(options, 0))[option] = n
            if sorted([o.count for o in r.options] for r in rows) != sorted(
                    [c[o] for o in options] for c in cells.values()):
                wrong.append(f"bảng chéo {code} theo {'khu vực' if by_sector else 'cấp'}")
    for code in ("c3", "c4"):
        for by_sector, nrows in ((0, tab.numbers_by_level.get(code, [])),
                                 (1, tab.numbers_by_sector.get(code, []))):
            mine = sorted((r.count, r.mean, r.minimum, r.maximum, r.total) for r in nrows)
            theirs = sorted((n, Decimal(mean), Decimal(lo), Decimal(hi), Decimal(total))
                            for grouping, _l, c, n, mean, lo, hi, total in sql["number_cross"]
                            if grouping == by_sector and c == code)
            if mine != theirs:
                wrong.append(f"bảng chéo {code} theo {'khu vực' if by_sector else 'cấp'}")
    return wrong


def _users(province: Any, units: list[Any]) -> list[Any]:
    """USERS members with a grant (bi_thu_chi_doan) at one of the surveyed units, made once."""
    from doanvu.accounts.models import RoleGrant, RoleType, User

    names = [f"bench_sur_{province.pk}_{i}" for i in range(USERS)]
    have = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    new = [User(username=n, full_name=f"Đoàn viên {n}") for n in names if n not in have]
    if new:
        User.objects.bulk_create(new, batch_size=1000)
        made = User.objects.filter(username__in=[u.username for u in new]).order_by("pk")
        role = RoleType.objects.get(code="bi_thu_chi_doan")
        RoleGrant.objects.bulk_create([
            RoleGrant(user=u, role_type=role, unit=units[i % len(units)],
                      start_date=dt.date(2020, 1, 1)) for i, u in enumerate(made)],
            batch_size=1000)
    return list(User.objects.filter(username__in=names).order_by("pk"))


def concurrent(qc: Any, province: Any) -> tuple[int, int, int, float]:
    """(answers stored, respondents stored, refusals, seconds) of USERS answers by CLIENTS
    threads."""
    from django.db import connection

    from doanvu.accounts.scope import Scope
    from doanvu.surveys import services
    from doanvu.surveys.models import AnonymousAnswer, Respondent

    users = _users(province, list(qc.theme.units.order_by("pk")))
    AnonymousAnswer.objects.filter(questionnaire=qc).delete()
    Respondent.objects.filter(questionnaire=qc).delete()
    refused: list[str] = []
    lock = threading.Lock()

    def client(part: list[Any]) -> None:
        try:
            for i, user in enumerate(part):
                try:
                    services.anonymous_answer(
                        scope=Scope.for_user(user), actor=user, questionnaire=qc, on=ON,
                        answers={"c1": C1[i % 5], "c2": [C2[i % 4]], "c3": str(1 + i % 5),
                                 "c4": str(i % 50), "c5": "Ý kiến"})
                except Exception as exc:  # counted: an answer refused or lost
                    with lock:
                        refused.append(repr(exc))
        finally:
            connection.close()

    parts = [users[i::CLIENTS] for i in range(CLIENTS)]
    threads = [threading.Thread(target=client, args=(p,)) for p in parts]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    seconds = time.perf_counter() - t
    stored = AnonymousAnswer.objects.filter(questionnaire=qc).count()
    respondents = Respondent.objects.filter(questionnaire=qc).count()
    if refused:
        print("   ", refused[:3])
    AnonymousAnswer.objects.filter(questionnaire=qc).delete()
    Respondent.objects.filter(questionnaire=qc).delete()
    return stored, respondents, len(refused), seconds


def _p(samples: list[float], q: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, max(0, round(q * len(s)) - 1))]


def run(add_row: Callable[[str, str, str, bool | None], None]) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from doanvu.surveys import selectors
    from tests.bench.bench_pages import _grant

    if connection.vendor != "postgresql":
        add_row("Khảo sát (issue 15)", "cần PostgreSQL", "", None)
        return
    n_answers = int(os.environ.get("BENCH_SUR_ANSWERS", "50000"))
    runs = int(os.environ.get("BENCH_SUR_RUNS", "10"))
    t = time.perf_counter()
    q, qc, province, members = setup(n_answers)
    add_row(f"Khảo sát: chuẩn bị {n_answers} phiếu ẩn danh (tạo một lần) — {province.name} "
            f"({members} đoàn viên)", f"{time.perf_counter() - t:.1f} s", "", None)
    user = _grant(f"bench_sur_bt_{province.pk}", province, f"Bí thư {province.name}")
    client = Client()
    client.force_login(user)
    url = reverse("surveys:tabulation", args=[q.pk])
    path_len = len(province.path) + 6
    with override_settings(ALLOWED_HOSTS=["*", "testserver"]):
        first = client.get(url)
        assert first.status_code == 200, first.status_code
        wrong = check_same(selectors.tabulation(questionnaire=q), by_sql(q, path_len))
        served: list[float] = []
        sql: list[float] = []
        for _ in range(runs):
            t = time.perf_counter()
            r = client.get(url)
            served.append(time.perf_counter() - t)
            assert r.status_code == 200
            t = time.perf_counter()
            by_sql(q, path_len)
            sql.append(time.perf_counter() - t)
    p50, p95 = statistics.median(served), _p(served, 0.95)
    add_row(f"Tổng hợp phiếu ({n_answers} phiếu, 5 câu, theo đơn vị) — trang, p50 / p95",
            f"{p50 * 1000:.0f} / {p95 * 1000:.0f} ms", "< 2 s", p95 < 2.0)
    s50 = statistics.median(sql)
    ratio = p50 / s50 if s50 else 0.0
    add_row("Cùng số liệu bằng SQL viết tay, p50 / p95",
            f"{s50 * 1000:.0f} / {_p(sql, 0.95) * 1000:.0f} ms", "", None)
    add_row("Tỉ lệ trang / SQL (p50)", f"{ratio:.1f}×", "≤ 3×", ratio <= 3.0)
    add_row("Số liệu trang = SQL", "khớp" if not wrong else "lệch: " + ", ".join(wrong),
            "khớp", not wrong)
    stored, respondents, refused, seconds = concurrent(qc, province)
    add_row(f"{USERS} phiếu từ {CLIENTS} người gửi đồng thời",
            f"lưu {stored} phiếu, {respondents} người trả lời, {refused} bị từ chối, "
            f"{seconds:.1f} s", f"{USERS}, không mất", stored == USERS == respondents)


if __name__ == "__main__":
    from tests.bench.run import run_alone

    sys.exit(run_alone(run))
