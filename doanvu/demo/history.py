"""A year of synthetic history for a generated nation (`generate_nation --history`).

What the pages read at national scale, written in bulk after `write_nation`/`write_members`:

* **Obligations** (hub): every live unit owes its parent, for the current year — a non-branch
  unit a monthly report (due the 20th) for each month, a half-year report (15/6) and a year
  report (15/11); a branch a half-year report (10/6 and 10/12). Those due before today were
  mostly submitted and accepted on time, some late, some are waiting for review, returned or
  still missing; those due later are open or submitted early. They reach "Việc của tôi" (owed
  by the user's unit), its "owed to my units" summary and the dashboard (owed to the unit).
* **Documents**: numbered documents issued during the year by every non-branch unit (more the
  higher the unit), a share addressed to the unit's direct sub-units (`DocumentRecipient`
  rows), with the per-unit counters (`DocumentCounter`) moved past the numbers used.
* **Ratings**: last year's built-in scales at the root (`rating_scales_install`), a rating of
  every member current then, and a classification of every branch and grassroots unit —
  written server-side (`INSERT … SELECT`), no row passes through Python.
* **Audit log**: a record per obligation submitted and per obligation accepted or returned, per
  document issued, and member edits until `audit_records` records in all, dated through the
  year in order. The chain is extended exactly as `audit.chain` does it — ids after the head,
  each record's HMAC over the previous hash and its fields with the current key, the head
  moved on and signed — and written with COPY (indexes rebuilt once for a large run), so
  `audit_verify` passes. Refuses to extend a head that does not match its signature.

Deterministic for a seed, apart from `today` (the year and which obligations are due yet).
A second run for the same year is refused (the obligations of the year are already there).
Rows go in with COPY on PostgreSQL, batched INSERTs elsewhere (`nation._insert`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.db.models.functions import Mod

from doanvu.common.dates import today as current_day
from doanvu.common.periods import Period
from doanvu.common.text import fold
from doanvu.org.models import Position, Unit

from .nation import _indexes_off, _insert, _next_id_after, _reset_sequence

MONTHLY, HALF, YEARLY = "gen.monthly_report", "gen.half_year_report", "gen.year_report"
LABELS = {MONTHLY: "Báo cáo công tác Đoàn tháng", HALF: "Báo cáo sơ kết 6 tháng",
          YEARLY: "Báo cáo tổng kết năm"}
# documents a unit issues in a year, by kind
DOCS_PER_YEAR = {"trung_uong": 300, "tinh": 80, "truc_thuoc_tw": 40, "huyen": 30,
                 "truc_thuoc_tinh": 20, "co_so": 10}
DOC_TYPES = [("ke_hoach", 30), ("thong_bao", 20), ("bao_cao", 15), ("cong_van", 20),
             ("huong_dan", 5), ("quyet_dinh", 6), ("to_trinh", 2), ("ket_luan", 2)]
DOC_SUBJECTS = [
    "tổ chức Tháng Thanh niên", "triển khai chiến dịch Thanh niên tình nguyện hè",
    "kỷ niệm ngày thành lập Đoàn TNCS Hồ Chí Minh", "tổ chức Ngày hội Tuổi trẻ sáng tạo",
    "kiểm tra công tác Đoàn và phong trào thanh thiếu nhi", "thu, nộp đoàn phí",
    "đánh giá, xếp loại chất lượng đoàn viên", "tổ chức Hội trại tòng quân",
    "tuyên truyền kỷ niệm ngày Quốc khánh 2/9", "hưởng ứng Ngày Chủ nhật xanh",
    "bồi dưỡng lý luận chính trị cho đoàn viên ưu tú", "phát triển đoàn viên mới",
    "tổ chức Đại hội Chi đoàn nhiệm kỳ mới", "thực hiện công trình thanh niên",
    "giao ban công tác Đoàn quý", "rà soát, kiện toàn Ban Chấp hành",
]
BODY_CODE = {"trung_uong": "TWĐTN", "tinh": "TĐTN", "truc_thuoc_tw": "ĐTN", "huyen": "HĐTN",
             "truc_thuoc_tinh": "ĐTN", "co_so": "ĐTN"}
MEMBER_FIELDS = ("holds_union_post", "has_salary", "pays_quarterly", "card_number")


@dataclass
class HistoryResult:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class _Unit:
    id: int
    parent: int | None
    kind: str
    branch: bool
    name: str
    place: str


def _units() -> tuple[list[_Unit], dict[int, _Unit]]:
    rows = (Unit.objects.filter(dissolved_on__isnull=True).order_by("id")
            .values_list("id", "parent_id", "kind__code", "kind__is_branch", "name", "place"))
    units = [_Unit(*r) for r in rows.iterator(chunk_size=20_000)]
    return units, {u.id: u for u in units}


def _cadres() -> dict[int, str]:
    """A cadre's name per unit (its first post): who acts for the unit in the log."""
    out: dict[int, str] = {}
    rows = (Position.objects.filter(end_date__isnull=True).order_by("unit_id", "id")
            .values_list("unit_id", "person__full_name"))
    for unit_id, name in rows.iterator(chunk_size=20_000):
        out.setdefault(unit_id, name)
    return out


class _Clock:
    """Office-hours moments of a day (local time), as aware datetimes."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.tz = ZoneInfo(settings.TIME_ZONE)

    def at(self, day: dt.date) -> dt.datetime:
        minute = self.rng.randint(7 * 60 + 30, 17 * 60 + 30)
        return dt.datetime(day.year, day.month, day.day, minute // 60, minute % 60,
                           self.rng.randint(0, 59), tzinfo=self.tz)


def _adapt_dt(value: dt.datetime) -> object:
    return connection.ops.adapt_datetimefield_value(value)


def _bulk_table(tables: list[str], n: int, log: Callable[[str], None]) -> list[str]:
    """On PostgreSQL: lock the tables and, for a large load, drop their indexes (rebuilt once
    at the end by running the returned statements), as `write_members` does."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cur:
        cur.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cur.execute(f"LOCK TABLE {', '.join(tables)} IN SHARE ROW EXCLUSIVE MODE")
    if n < 200_000:
        return []
    restore = _indexes_off(tables)
    log(f"  tạm bỏ {len(restore)} chỉ mục/ràng buộc của {', '.join(tables)}")
    return restore


def _restore(restore: list[str], tables: list[str]) -> None:
    with connection.cursor() as cur:
        for stmt in restore:
            cur.execute(stmt)


def _analyze(tables: list[str]) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for table in tables:
                cur.execute(f"ANALYZE {table}")


# -- obligations ------------------------------------------------------------------------------


def _obligation_plan(u: _Unit, year: int) -> list[tuple[str, Period, dt.date]]:
    if u.branch:
        return [(HALF, Period.half(year, 1), dt.date(year, 6, 10)),
                (HALF, Period.half(year, 2), dt.date(year, 12, 10))]
    plan = [(MONTHLY, Period.month(year, m), dt.date(year, m, 20)) for m in range(1, 13)]
    plan.append((HALF, Period.half(year, 1), dt.date(year, 6, 15)))
    plan.append((YEARLY, Period.of_year(year), dt.date(year, 11, 15)))
    return plan


def write_obligations(*, units: list[_Unit], year: int, today: dt.date, rng: random.Random,
                      clock: _Clock, events: dict[int, list[tuple]],
                      log: Callable[[str], None]) -> int:
    """The year's obligations of every unit to its parent; their submissions and reviews are
    added to `events` (by day ordinal) for the audit log."""
    from doanvu.hub import rules
    from doanvu.hub.models import Obligation

    table = Obligation._meta.db_table
    owing = [u for u in units if u.parent is not None]
    total = sum(2 if u.branch else 14 for u in owing)
    restore = _bulk_table([table], total, log)
    base = _next_id_after(Obligation)
    described: dict[dt.date, tuple[str, str]] = {}
    cols = ["id", "kind", "kind_label", "title", "key", "owed_by_unit_id", "owed_to_unit_id",
            "due_on", "due_rule", "due_text", "period", "period_start", "period_end",
            "source_label", "status", "submitted_at", "submitted_on", "submission_text",
            "reviewed_at", "review_note"]

    def rows():  # type: ignore[no-untyped-def]
        oid = base
        for u in owing:
            for kind, period, due in _obligation_plan(u, year):
                oid += 1
                rule = described.get(due)
                if rule is None:
                    r = rules.DueRule.fixed(due)
                    rule = described[due] = (json.dumps(r.to_json()), rules.describe(r))
                title = f"{LABELS[kind]} {period}"
                status, sub_on, sub_at, rev_at, note = "open", None, None, None, ""
                roll = rng.random()
                if due < today:
                    if roll < 0.75:  # delivered: on time mostly, late for some
                        late = roll >= 0.62
                        sub_on = (due + dt.timedelta(days=rng.randint(1, 20)) if late
                                  else due - dt.timedelta(days=rng.randint(0, 10)))
                        sub_on = min(sub_on, today)
                        status = "accepted" if roll < 0.70 else "submitted"
                    elif roll < 0.78:
                        sub_on = due - dt.timedelta(days=rng.randint(0, 5))
                        status, note = "returned", "Đề nghị bổ sung số liệu."
                    elif roll < 0.80:
                        status = "waived"
                elif roll < 0.15 and due - today <= dt.timedelta(days=30):
                    sub_on, status = today - dt.timedelta(days=rng.randint(0, 5)), "submitted"
                if sub_on is not None:
                    at = clock.at(sub_on)
                    sub_at = _adapt_dt(at)
                    events[sub_on.toordinal()].append(("ob_submit", at, oid, u.id, title))
                    if status in ("accepted", "returned"):
                        day = min(sub_on + dt.timedelta(days=rng.randint(0, 4)), today)
                        rev = clock.at(day)
                        if rev < at:
                            rev = at + dt.timedelta(minutes=5)
                        rev_at = _adapt_dt(rev)
                        events[rev.date().toordinal()].append(
                            ("ob_review", rev, oid, u.parent, title, status, u.id))
                yield (oid, kind, LABELS[kind], title, "", u.id, u.parent, due, rule[0],
                       rule[1], period.key, period.start, period.end, "", status, sub_at,
                       sub_on, "Đã gửi báo cáo kèm theo." if sub_on else "", rev_at, note)

    n = _insert(Obligation, cols, rows())
    _reset_sequence(Obligation)
    _restore(restore, [table])
    return n


# -- documents --------------------------------------------------------------------------------


def write_documents(*, units: list[_Unit], by_id: dict[int, _Unit], year: int, today: dt.date,
                    rng: random.Random, clock: _Clock, cadres: dict[int, str],
                    events: dict[int, list[tuple]], log: Callable[[str], None]) -> tuple[int, int]:
    from doanvu.documents.models import (
        Document,
        DocumentCounter,
        DocumentRecipient,
        DocumentType,
    )
    from doanvu.documents.services import format_symbol

    types = {code: (pk, abbr) for pk, code, abbr in
             DocumentType.objects.values_list("pk", "code", "abbreviation")}
    weighted = [(code, w) for code, w in DOC_TYPES if code in types]
    if not weighted:
        return 0, 0
    codes, weights = zip(*weighted, strict=True)
    taken = set(DocumentCounter.objects.filter(year=year).values_list("issuing_unit_id",
                                                                      flat=True))
    children: dict[int, list[int]] = defaultdict(list)
    for u in units:
        if u.parent is not None:
            children[u.parent].append(u.id)
    issuers = [u for u in units if u.kind in DOCS_PER_YEAR and u.id not in taken]
    span = max(1, (today - dt.date(year, 1, 1)).days + 1)
    expected = sum(DOCS_PER_YEAR[u.kind] * span // 365 for u in issuers)
    tables = [Document._meta.db_table, DocumentRecipient._meta.db_table,
              DocumentCounter._meta.db_table]
    restore = _bulk_table(tables, expected, log)
    doc_base = _next_id_after(Document)
    recipients: list[tuple[int, int]] = []
    counters: dict[tuple[int, int], int] = {}
    doc_cols = ["id", "issuing_unit_id", "doc_type_id", "title", "search_folded",
                "header_upper", "header_body", "body_code", "place", "issued_on", "number",
                "year", "symbol", "recipients", "signer_on_behalf", "signer_title",
                "signer_name", "status"]

    def rows():  # type: ignore[no-untyped-def]
        did = doc_base
        for u in issuers:
            n = DOCS_PER_YEAR[u.kind] * span // 365
            days = sorted(dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(span))
                          for _ in range(n))
            parent = by_id.get(u.parent) if u.parent is not None else None
            upper = (parent.name if parent else "Đoàn TNCS Hồ Chí Minh").upper()
            body_code = BODY_CODE[u.kind]
            signer = cadres.get(u.id, "")
            for day in days:
                did += 1
                code = rng.choices(codes, weights)[0]
                type_id, abbr = types[code]
                number = counters.get((u.id, type_id), 0) + 1
                counters[(u.id, type_id)] = number
                symbol = format_symbol(number=number, abbreviation=abbr, body_code=body_code)
                title = f"V/v {rng.choice(DOC_SUBJECTS)}" if code == "cong_van" else \
                    rng.choice(DOC_SUBJECTS).capitalize()
                kids = children.get(u.id, [])
                if kids and rng.random() < 0.4:
                    recipients.extend((did, k) for k in kids)
                at = clock.at(day)
                events[day.toordinal()].append(("doc", at, did, u.id, f"{symbol} {title}",
                                                number, symbol, title))
                yield (did, u.id, type_id, title, fold(f"{symbol} {title}")[:800], upper,
                       u.name.upper(), body_code, u.place or u.name, day, number, year,
                       symbol, json.dumps(["Lưu VP"]), "TM. BAN THƯỜNG VỤ", "BÍ THƯ", signer,
                       "da_ban_hanh")

    n_docs = _insert(Document, doc_cols, rows())
    n_rec = _insert(DocumentRecipient, ["document_id", "unit_id"], iter(recipients))
    _insert(DocumentCounter, ["issuing_unit_id", "year", "doc_type_id", "last_number"],
            ((unit_id, year, type_id, last) for (unit_id, type_id), last in counters.items()))
    for model in (Document, DocumentRecipient, DocumentCounter):
        _reset_sequence(model)
    _restore(restore, tables)
    return n_docs, n_rec


# -- ratings ----------------------------------------------------------------------------------


def write_ratings(*, year: int, root: Unit) -> tuple[int, int]:
    """Last year's ratings, server-side: every member current at the year's end, every branch
    and grassroots unit; levels spread by id (≈15 % htxs, 55 % htt, 27 % ht, 3 % không ht)."""
    from doanvu.members.models import MemberRating, Membership, UnitClassification
    from doanvu.members.rating.services import rating_scales_install
    from doanvu.org.models import UnitKind

    rating_scales_install(issuing_unit=root, years=[year])
    if MemberRating.objects.filter(year=year).exists():
        return 0, 0

    def level(col: str) -> str:
        return (f"CASE WHEN ({col} * 7919) %% 100 < 15 THEN 'htxs' "
                f"WHEN ({col} * 7919) %% 100 < 70 THEN 'htt' "
                f"WHEN ({col} * 7919) %% 100 < 97 THEN 'ht' ELSE 'khong_ht' END")

    end = dt.date(year, 12, 31)
    rating, membership = MemberRating._meta.db_table, Membership._meta.db_table
    classification, unit = UnitClassification._meta.db_table, Unit._meta.db_table
    kinds = list(UnitKind.objects.filter(code__in=["co_so", "chi_doan", "chi_doan_co_so",
                                                   "phan_doan"]).values_list("pk", flat=True))
    restore = _bulk_table([rating], Membership.objects.count(), lambda _msg: None)
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {rating} (membership_id, year, level, reason, recommended_to_party) "
            f"SELECT id, %s, {level('id')}, '', (id * 7919) %% 100 < 5 FROM {membership} "
            f"WHERE joined_union_on <= %s AND (ended_on IS NULL OR ended_on > %s)",
            [year, end, end])
        members = cur.rowcount
        cur.execute(
            f"INSERT INTO {classification} (unit_id, year, level, reason) "
            f"SELECT id, %s, {level('id')}, '' FROM {unit} "
            f"WHERE kind_id IN ({', '.join(['%s'] * len(kinds))}) AND dissolved_on IS NULL "
            f"AND founded_on <= %s",
            [year, *kinds, end])
        units = cur.rowcount
    _restore(restore, [rating])
    return members, units


# -- the audit log ----------------------------------------------------------------------------


def _member_sample(size: int) -> list[tuple[int, int, str]]:
    """(membership id, branch id, registry label) of about `size` memberships spread over all."""
    from doanvu.members.models import Membership

    top = Membership.objects.aggregate(m=Max("pk"))["m"] or 0
    if not top or size <= 0:
        return []
    step = max(1, top // size)
    rows = (Membership.objects.alias(r=Mod("id", step)).filter(r=0).order_by("id")
            .values_list("id", "branch_id", "person__full_name", "branch__name"))
    return [(pk, branch, f"{name} ({branch_name})")
            for pk, branch, name, branch_name in rows.iterator(chunk_size=20_000)]


def write_audit(*, events: dict[int, list[tuple]], target: int, year: int, today: dt.date,
                rng: random.Random, clock: _Clock, cadres: dict[int, str],
                log: Callable[[str], None]) -> int:
    """Extend the chain with the year's events, then member edits up to `target` records."""
    from doanvu.audit import chain
    from doanvu.audit.models import AuditHead, AuditRecord

    planned = sum(len(v) for v in events.values())
    extra = max(0, target - planned)
    sample = _member_sample(min(extra, 300_000))
    first, last = dt.date(year, 1, 1).toordinal(), today.toordinal()
    if sample:
        for _ in range(extra):
            day = rng.randint(first, last)
            events[day].append(("member", None, rng.randrange(len(sample))))
    n = planned + (extra if sample else 0)
    table = AuditRecord._meta.db_table
    kid, key = chain.current_key()
    head, created = chain._lock_head()
    if not created and not chain._head_holds(head, chain.keyring()):
        raise ValueError("Đầu chuỗi nhật ký không khớp chữ ký: không sinh thêm bản ghi.")
    restore = _bulk_table([table], n, log)
    prev, next_id = head.last_hash, head.last_id + 1
    system = "hệ thống"
    cols = ["id", "at", "actor_id", "actor_label", "action", "model", "object_pk",
            "object_repr", "unit_id", "changes", "reason", "prev_hash", "hash", "key_id",
            "head_broken"]
    dumps = json.dumps
    utc = dt.UTC

    def rows():  # type: ignore[no-untyped-def]
        nonlocal prev, next_id
        for day in range(first, last + 1):
            todays = events.pop(day, [])
            stamped = []
            for ev in todays:
                if ev[0] == "member":
                    ev = ("member", clock.at(dt.date.fromordinal(day)), ev[2])
                stamped.append(ev)
            stamped.sort(key=lambda e: e[1])
            for ev in stamped:
                kind, at = ev[0], ev[1]
                if kind == "ob_submit":
                    _, _, oid, unit_id, title = ev
                    actor, action, model, pk, label = cadres.get(unit_id, system), "update", \
                        "hub.obligation", str(oid), title
                    changes = {"before": {"status": "open", "submitted_at": None,
                                          "submission_text": ""},
                               "after": {"status": "submitted",
                                         "submitted_at": at.astimezone(utc).isoformat(),
                                         "submission_text": "Đã gửi báo cáo kèm theo."}}
                elif kind == "ob_review":
                    _, _, oid, reviewer, title, status, unit_id = ev
                    actor, action, model, pk, label = cadres.get(reviewer, system), "update", \
                        "hub.obligation", str(oid), title
                    after: dict[str, object] = {"status": status,
                                                "reviewed_at": at.astimezone(utc).isoformat()}
                    if status == "returned":
                        after["review_note"] = "Đề nghị bổ sung số liệu."
                    changes = {"before": {"status": "submitted", "reviewed_at": None,
                                          **({"review_note": ""} if status == "returned"
                                             else {})},
                               "after": after}
                elif kind == "doc":
                    _, _, did, unit_id, label, number, symbol, title = ev
                    actor, action, model, pk = cadres.get(unit_id, system), "create", \
                        "documents.document", str(did)
                    changes = {"before": {}, "after": {
                        "issuing_unit_id": unit_id, "title": title, "number": number,
                        "year": year, "symbol": symbol, "status": "da_ban_hanh",
                        "issued_on": at.date().isoformat()}}
                else:
                    mid, unit_id, label = sample[ev[2]]
                    actor, action, model, pk = cadres.get(unit_id, system), "update", \
                        "members.membership", str(mid)
                    name = MEMBER_FIELDS[mid % len(MEMBER_FIELDS)]
                    if name == "card_number":
                        old = f"{mid:010d}"
                        changes = {"before": {name: old},
                                   "after": {name: f"{rng.randrange(10**9, 10**10)}"}}
                    else:
                        flag = rng.random() < 0.5
                        changes = {"before": {name: flag}, "after": {name: not flag}}
                fields = {"id": next_id, "at": at.astimezone(utc).isoformat(),
                          "actor_id": None, "actor_label": actor[:150], "action": action,
                          "model": model, "object_pk": pk, "object_repr": label[:255],
                          "unit_id": unit_id, "changes": changes, "reason": "",
                          "key_id": kid, "head_broken": False}
                payload = dumps([prev, fields], sort_keys=True, ensure_ascii=False,
                                separators=(",", ":")).encode("utf-8")
                digest = hmac.new(key, payload, hashlib.sha256).hexdigest()
                yield (next_id, _adapt_dt(at), None, actor[:150], action, model, pk,
                       label[:255], unit_id, dumps(changes, ensure_ascii=False), "", prev,
                       digest, kid, False)
                prev, next_id = digest, next_id + 1
                if next_id % 500_000 == 0:
                    log(f"  nhật ký: {next_id - head.last_id:,} bản ghi".replace(",", "."))

    written = _insert(AuditRecord, cols, rows())
    if written:
        head.last_id, head.last_hash = next_id - 1, prev
        chain._sign_head(head, kid, key)
        AuditHead.objects.filter(pk=head.pk).update(
            last_id=head.last_id, last_hash=head.last_hash, key_id=head.key_id,
            signature=head.signature)
    _restore(restore, [table])
    return written


# -- all of it --------------------------------------------------------------------------------


def write_history(*, seed: int, audit_records: int = 3_000_000,
                  log: Callable[[str], None] = lambda _msg: None) -> HistoryResult:
    """The current year's obligations and documents, last year's ratings and an audit log of
    about `audit_records` records, for the nation in the database (one transaction)."""
    from doanvu.hub.models import Obligation

    today = current_day()
    year = today.year
    if Obligation.objects.filter(kind=MONTHLY, period_start__year=year).exists():
        raise ValueError(f"Lịch sử năm {year} đã được sinh.")
    rng = random.Random(seed * 104_729 + 7)
    clock = _Clock(rng)
    result = HistoryResult()
    root = (Unit.objects.filter(parent__isnull=True, dissolved_on__isnull=True)
            .order_by("pk").first())
    if root is None:
        raise ValueError("Chưa có cây tổ chức: hãy sinh cây trước (--units).")

    def timed(label: str, t: float) -> None:
        result.seconds[label] = time.perf_counter() - t
        log(f"  {label}: {result.counts.get(label, 0):,} dòng".replace(",", ".")
            + f" ({result.seconds[label]:.1f} s)")

    with transaction.atomic():
        units, by_id = _units()
        cadres = _cadres()
        events: dict[int, list[tuple]] = defaultdict(list)
        t = time.perf_counter()
        result.counts["obligations"] = write_obligations(
            units=units, year=year, today=today, rng=rng, clock=clock, events=events, log=log)
        timed("obligations", t)
        t = time.perf_counter()
        docs, recipients = write_documents(units=units, by_id=by_id, year=year, today=today,
                                           rng=rng, clock=clock, cadres=cadres, events=events,
                                           log=log)
        result.counts["documents"], result.counts["document_recipients"] = docs, recipients
        timed("documents", t)
        t = time.perf_counter()
        members, classified = write_ratings(year=year - 1, root=root)
        result.counts["member_ratings"], result.counts["unit_classifications"] = (members,
                                                                                   classified)
        timed("member_ratings", t)
        del units, by_id
        t = time.perf_counter()
        result.counts["audit_records"] = write_audit(
            events=events, target=audit_records, year=year, today=today, rng=rng, clock=clock,
            cadres=cadres, log=log)
        timed("audit_records", t)
    t = time.perf_counter()
    from django.apps import apps

    _analyze([apps.get_model(label)._meta.db_table for label in (
        "hub.Obligation", "documents.Document", "documents.DocumentRecipient",
        "members.MemberRating", "members.UnitClassification", "audit.AuditRecord")])
    result.seconds["analyze"] = time.perf_counter() - t
    return result
