"""The field-visit regime as a policy record (FV-3, FV-11): create and edit a `FieldVisitPolicy`
with every field checked (a clear Vietnamese message naming the field, nothing saved), the
policies a reader may see, and the regime told in plain Vietnamese, one sentence per rule.

The JSON fields have these shapes (see models.FieldVisitPolicy):
- `levels`: ``[{"code": "huyen", "label": "cấp huyện", "kinds": ["huyen", "truc_thuoc_tinh"]}]``
  (kinds are org.UnitKind codes);
- `days_by_level`: ``{"chi_doan": 30, "co_so": 20, "huyen": 10}`` (level codes);
- `coverage`: ``{"tinh": ["huyen", "co_so"]}`` (the cadre's unit kind → level codes);
- `rollups`: ``[{"code", "label", "period": "quarter"|"half"|"year",
  "to": "standing"|"btv"|"province"|"central", "unit_kinds"?, "after_days" | "month" and "day"}]``
  — one schema, the one the reports are delivered by (see rollups.py; checked by
  `rollups.rollup_problems`); `unit_kinds`: the unit kinds that owe the report, optional.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from doanvu.accounts.scope import READ, Scope
from doanvu.audit.context import acting
from doanvu.common.errors import ApplicationError
from doanvu.common.text import nfc
from doanvu.members import api as members_api
from doanvu.org.models import Unit, UnitKind

from . import permissions, rules
from .models import FieldVisitPolicy, OnePlusTwo, ProrateRule, VisitKind
from .rollups import RECIPIENTS, rollup_problems

PERIODS = ("quarter", "half", "year")
CODE = re.compile(r"^[a-z0-9_]+$")

# The fields a policy is made of (besides its issuing unit), in form order.
FIELDS = (
    "name", "valid_from", "valid_to", "source", "plan_document", "min_days", "levels",
    "days_by_level", "coverage", "counted_kinds", "chosen_kinds", "assigned_kinds",
    "branch_meeting_kind", "branch_meetings_min", "exempt_titles", "exempt_statuses",
    "long_statuses", "long_status_min_months", "prorate", "prorate_month_min_days",
    "report_days", "registration_day", "agency_plan_kinds", "rollups", "one_plus_two",
    "one_plus_two_days", "youth_month",
)


class PolicyError(ApplicationError):
    pass


def status_choices() -> list[tuple[str, str]]:
    """The cadre statuses (members) a policy may exempt, as (code, label)."""
    field = members_api.CadreStatus._meta.get_field("kind")
    return [(str(code), str(label)) for code, label in (field.choices or [])]  # type: ignore[misc]


def unit_kind_codes() -> dict[str, str]:
    return dict(UnitKind.objects.order_by("level", "id").values_list("code", "name"))


# -- checks --------------------------------------------------------------------------------------

def _fail(message: str, field: str) -> None:
    raise PolicyError(message, field=field)


def _int_in(values: Mapping[str, Any], name: str, low: int, high: int, label: str) -> int:
    value = values.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        _fail(_("%(label)s phải là số nguyên từ %(low)s đến %(high)s.")
              % {"label": label, "low": low, "high": high}, name)
    return int(value)  # type: ignore[arg-type]


def _kinds(values: Mapping[str, Any], name: str, label: str) -> list[str]:
    raw = values.get(name) or []
    if not isinstance(raw, list | tuple) or any(k not in VisitKind.values for k in raw):
        _fail(_("%(label)s: chỉ chọn trong các nội dung 1.1 đến 1.6.") % {"label": label}, name)
    return sorted(dict.fromkeys(str(k) for k in raw))


def _check_levels(raw: Any, kinds: Mapping[str, str]) -> list[dict[str, Any]]:
    if not isinstance(raw, list):
        _fail(_("Các cấp tính ngày: danh sách không đúng dạng."), "levels")
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for n, lv in enumerate(raw, start=1):
        if not isinstance(lv, Mapping):
            _fail(_("Các cấp tính ngày, dòng %(n)s: không đúng dạng “mã | tên cấp | loại đơn vị”.")
                  % {"n": n}, "levels")
        code = str(lv.get("code") or "").strip()
        label = str(lv.get("label") or "").strip()
        unit_kinds = [str(k).strip() for k in (lv.get("kinds") or [])]
        if not CODE.match(code):
            _fail(_("Các cấp tính ngày, dòng %(n)s: mã cấp “%(code)s” chỉ gồm chữ thường không "
                    "dấu, số và dấu gạch dưới.") % {"n": n, "code": code}, "levels")
        if code in seen:
            _fail(_("Các cấp tính ngày, dòng %(n)s: mã cấp “%(code)s” bị trùng.")
                  % {"n": n, "code": code}, "levels")
        if not label:
            _fail(_("Các cấp tính ngày, dòng %(n)s: hãy nhập tên cấp.") % {"n": n}, "levels")
        if not unit_kinds:
            _fail(_("Các cấp tính ngày, dòng %(n)s: hãy nêu ít nhất một loại đơn vị.")
                  % {"n": n}, "levels")
        for k in unit_kinds:
            if k not in kinds:
                _fail(_("Các cấp tính ngày, dòng %(n)s: không có loại đơn vị mã “%(kind)s” "
                        "(các mã: %(codes)s).") % {"n": n, "kind": k, "codes": ", ".join(kinds)},
                      "levels")
        seen.add(code)
        out.append({"code": code, "label": label, "kinds": list(dict.fromkeys(unit_kinds))})
    return out


def _check_days_by_level(raw: Any, codes: set[str], min_days: int) -> dict[str, int]:
    if not isinstance(raw, Mapping):
        _fail(_("Số ngày tối thiểu theo cấp: không đúng dạng."), "days_by_level")
    out: dict[str, int] = {}
    for code, days in raw.items():
        if code not in codes:
            _fail(_("Số ngày tối thiểu theo cấp: cấp “%(code)s” chưa được khai báo trong các cấp "
                    "tính ngày.") % {"code": code}, "days_by_level")
        if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 366:
            _fail(_("Số ngày tối thiểu theo cấp: số ngày của cấp “%(code)s” phải là số nguyên "
                    "từ 0 đến 366.") % {"code": code}, "days_by_level")
        out[str(code)] = int(days)
    split = sum(out.values())
    if split > min_days:
        _fail(_("Tổng số ngày theo cấp (%(split)s) vượt số ngày tối thiểu cả năm "
                "(%(total)s).") % {"split": split, "total": min_days}, "days_by_level")
    return out


def _check_coverage(raw: Any, codes: set[str], kinds: Mapping[str, str]) -> dict[str, list[str]]:
    if not isinstance(raw, Mapping):
        _fail(_("Các cấp phải đi trong năm: không đúng dạng."), "coverage")
    out: dict[str, list[str]] = {}
    for kind, levels in raw.items():
        if kind not in kinds:
            _fail(_("Các cấp phải đi trong năm: không có loại đơn vị mã “%(kind)s”.")
                  % {"kind": kind}, "coverage")
        if not isinstance(levels, list | tuple) or not levels:
            _fail(_("Các cấp phải đi trong năm: hãy nêu các cấp cán bộ “%(kind)s” phải đi.")
                  % {"kind": kind}, "coverage")
        for code in levels:
            if code not in codes:
                _fail(_("Các cấp phải đi trong năm: cấp “%(code)s” chưa được khai báo trong các "
                        "cấp tính ngày.") % {"code": code}, "coverage")
        out[str(kind)] = [str(c) for c in dict.fromkeys(levels)]
    return out


def _check_rollups(raw: Any, kinds: Mapping[str, str]) -> list[dict[str, Any]]:
    """The roll-ups through the one validation the reports use (`rollups.rollup_problems`)."""
    if isinstance(raw, list):  # text from the form: trim before checking
        raw = [{k: (v.strip() if isinstance(v, str) else v) for k, v in r.items()}
               if isinstance(r, Mapping) else r for r in raw]
    problems = rollup_problems(raw, kinds)
    if problems:
        _fail(" ".join(problems), "rollups")
    keys = ("code", "label", "period", "to", "unit_kinds", "after_days", "month", "day")
    return [{k: r[k] for k in keys if r.get(k) is not None and (k != "unit_kinds" or r[k])}
            for r in raw]


def _words(raw: Any, name: str, label: str) -> list[str]:
    if not isinstance(raw, list | tuple) or any(not isinstance(t, str) for t in raw):
        _fail(_("%(label)s: danh sách không đúng dạng.") % {"label": label}, name)
    return [nfc(t).strip() for t in raw if t.strip()]


def clean(values: Mapping[str, Any], *, issuing_unit: Unit) -> dict[str, Any]:
    """Every field of a policy checked; the normalised values (raises PolicyError naming the
    first bad field)."""
    v = dict(values)
    out: dict[str, Any] = {}
    name = nfc(str(v.get("name") or "")).strip()
    if not name:
        _fail(_("Hãy nhập tên chế độ."), "name")
    if len(name) > 255:
        _fail(_("Tên chế độ dài quá 255 ký tự."), "name")
    out["name"] = name
    start, end = v.get("valid_from"), v.get("valid_to")
    if not isinstance(start, dt.date):
        _fail(_("Hãy nhập ngày bắt đầu hiệu lực."), "valid_from")
    if end is not None and (not isinstance(end, dt.date) or end < start):  # type: ignore[operator]
        _fail(_("Ngày hết hiệu lực phải từ ngày bắt đầu hiệu lực trở đi."), "valid_to")
    out["valid_from"], out["valid_to"] = start, end
    out["source"] = nfc(str(v.get("source") or "")).strip()[:255]
    doc = v.get("plan_document")
    if doc is not None and getattr(doc, "issuing_unit_id", None) != issuing_unit.pk:
        _fail(_("Kế hoạch ban hành chế độ phải là văn bản của đơn vị ban hành."), "plan_document")
    out["plan_document"] = doc
    out["min_days"] = _int_in(v, "min_days", 1, 366, _("Số ngày tối thiểu mỗi năm"))
    kinds = unit_kind_codes()
    out["levels"] = _check_levels(v.get("levels") or [], kinds)
    codes = {lv["code"] for lv in out["levels"]}
    out["days_by_level"] = _check_days_by_level(v.get("days_by_level") or {}, codes,
                                                 out["min_days"])
    out["coverage"] = _check_coverage(v.get("coverage") or {}, codes, kinds)
    counted = _kinds(v, "counted_kinds", _("Nội dung được tính"))
    if not counted:
        _fail(_("Nội dung được tính: hãy chọn ít nhất một nội dung."), "counted_kinds")
    chosen = _kinds(v, "chosen_kinds", _("Nội dung cán bộ tự chọn"))
    assigned = _kinds(v, "assigned_kinds", _("Nội dung do Thường trực phân công"))
    for field, chosen_or_assigned in (("chosen_kinds", chosen), ("assigned_kinds", assigned)):
        extra = [k for k in chosen_or_assigned if k not in counted]
        if extra:
            _fail(_("Nội dung %(kinds)s chưa thuộc các nội dung được tính.")
                  % {"kinds": ", ".join(extra)}, field)
    both = sorted(set(chosen) & set(assigned))
    if both:
        _fail(_("Nội dung %(kinds)s không thể vừa do cán bộ tự chọn vừa do Thường trực phân "
                "công.") % {"kinds": ", ".join(both)}, "assigned_kinds")
    out.update(counted_kinds=counted, chosen_kinds=chosen, assigned_kinds=assigned)
    meeting = str(v.get("branch_meeting_kind") or "")
    if meeting and meeting not in counted:
        _fail(_("Nội dung dự sinh hoạt chi đoàn phải là một nội dung được tính."),
              "branch_meeting_kind")
    out["branch_meeting_kind"] = meeting
    out["branch_meetings_min"] = _int_in(v, "branch_meetings_min", 0, 52,
                                         _("Số lần dự sinh hoạt chi đoàn tối thiểu"))
    out["exempt_titles"] = _words(v.get("exempt_titles") or [], "exempt_titles",
                                  _("Chức danh, nhiệm vụ không áp dụng"))
    statuses = {code for code, _label in status_choices()}
    for field in ("exempt_statuses", "long_statuses"):
        raw = v.get(field) or []
        if not isinstance(raw, list | tuple) or any(s not in statuses for s in raw):
            _fail(_("Tình trạng cán bộ không hợp lệ: hãy chọn lại trong danh sách."), field)
        out[field] = sorted(dict.fromkeys(raw))
    both = sorted(set(out["exempt_statuses"]) & set(out["long_statuses"]))
    if both:
        _fail(_("Một tình trạng không thể vừa miễn ngay vừa chỉ miễn khi đủ thời gian."),
              "long_statuses")
    out["long_status_min_months"] = _int_in(v, "long_status_min_months", 1, 12,
                                            _("Số tháng tối thiểu của tình trạng dài ngày"))
    if v.get("prorate") not in ProrateRule.values:
        _fail(_("Hãy chọn cách tính khi miễn một phần năm."), "prorate")
    out["prorate"] = v["prorate"]
    out["prorate_month_min_days"] = _int_in(v, "prorate_month_min_days", 1, 31,
                                            _("Số ngày miễn để tính miễn cả tháng"))
    out["report_days"] = _int_in(v, "report_days", 1, 60,
                                 _("Số ngày nộp báo cáo sau đợt đi cơ sở"))
    out["registration_day"] = _int_in(v, "registration_day", 1, 28,
                                      _("Ngày hạn đăng ký kế hoạch quý"))
    agency = v.get("agency_plan_kinds") or []
    if not isinstance(agency, list | tuple) or any(k not in kinds for k in agency):
        _fail(_("Loại đơn vị lập một kế hoạch chung: có mã loại đơn vị không tồn tại (các mã: "
                "%(codes)s).") % {"codes": ", ".join(kinds)}, "agency_plan_kinds")
    out["agency_plan_kinds"] = list(dict.fromkeys(agency))
    out["rollups"] = _check_rollups(v.get("rollups") or [], kinds)
    if v.get("one_plus_two") not in OnePlusTwo.values:
        _fail(_("Hãy chọn cách hiểu chủ trương 1+2."), "one_plus_two")
    out["one_plus_two"] = v["one_plus_two"]
    out["one_plus_two_days"] = _int_in(v, "one_plus_two_days", 0, 366,
                                       _("Số ngày ở cơ sở theo chủ trương 1+2"))
    month = v.get("youth_month")
    if month is not None:
        out["youth_month"] = _int_in(v, "youth_month", 1, 12, _("Tháng của Tháng Thanh niên"))
    else:
        out["youth_month"] = None
    # the pure rules' own consistency check, the last word
    problems = rules.policy_problems(rules.RegimePolicy.of(FieldVisitPolicy(**out)))
    if problems:
        raise PolicyError(problems[0])
    return out


# -- services ------------------------------------------------------------------------------------

@transaction.atomic
def policy_create(*, actor: Any, scope: Scope, issuing_unit: Unit,
                  values: Mapping[str, Any]) -> FieldVisitPolicy:
    """Issue a regime for `issuing_unit` (administer there)."""
    if not permissions.can_issue_policy(scope, issuing_unit):
        raise PolicyError(_("Bạn không có quyền ban hành chế độ đi cơ sở của đơn vị này."))
    data = clean(values, issuing_unit=issuing_unit)
    with acting(actor, reason=_("Ban hành chế độ đi cơ sở")):
        return FieldVisitPolicy.objects.create(issuing_unit=issuing_unit, **data)


@transaction.atomic
def policy_edit(*, actor: Any, scope: Scope, policy: FieldVisitPolicy,
                values: Mapping[str, Any]) -> FieldVisitPolicy:
    """Correct a regime (administer on its issuing unit)."""
    fresh = FieldVisitPolicy.objects.select_for_update().get(pk=policy.pk)
    if not permissions.can_edit_policy(scope, fresh):
        raise PolicyError(_("Bạn không có quyền sửa chế độ đi cơ sở này."))
    data = clean(values, issuing_unit=fresh.issuing_unit)
    for name, value in data.items():
        setattr(fresh, name, value)
    with acting(actor, reason=_("Sửa chế độ đi cơ sở")):
        fresh.save()
    return fresh


def values_of(policy: FieldVisitPolicy) -> dict[str, Any]:
    return {name: getattr(policy, name) for name in FIELDS}


# -- selectors -----------------------------------------------------------------------------------

def can_read_policy(scope: Scope, policy: FieldVisitPolicy) -> bool:
    """A regime is public to whoever reads its issuing unit or any unit under it."""
    unit = policy.issuing_unit
    if scope.can(READ, unit):
        return True
    roots, units = scope.pieces_under(READ, unit.path)
    return bool(roots or units)


def policy_get(*, scope: Scope, pk: object, edit: bool = False) -> FieldVisitPolicy:
    """The regime if the scope reads it (and, with `edit`, may change it); 404 alike for missing
    and not yours."""
    try:
        found = (FieldVisitPolicy.objects.select_related("issuing_unit", "plan_document")
                 .filter(pk=int(str(pk))).first())
    except (TypeError, ValueError):
        found = None
    if found is None or not can_read_policy(scope, found) or (
            edit and not permissions.can_edit_policy(scope, found)):
        raise Http404(_("Không tìm thấy chế độ đi cơ sở."))
    return found


def policies_of(*, unit: Unit) -> QuerySet[FieldVisitPolicy]:
    """The regimes `unit` issued, latest first."""
    return (FieldVisitPolicy.objects.filter(issuing_unit=unit)
            .select_related("plan_document").order_by("-valid_from", "-id"))


# -- the regime in plain Vietnamese ----------------------------------------------------------------

def _kind_list(codes: Sequence[str]) -> str:
    labels = dict(VisitKind.choices)
    return "; ".join(str(labels.get(c, c)) for c in sorted(codes))


def _join(items: Sequence[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s và %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def _deadline(r: Mapping[str, Any]) -> str:
    if r.get("after_days") is not None:
        return _("chậm nhất %(n)s ngày sau khi hết kỳ") % {"n": r["after_days"]}
    return _("trước ngày %(day)02d/%(month)02d hằng năm") % {"day": r["day"],
                                                             "month": r["month"]}


def recipient_label(to: str) -> str:
    """Who a roll-up goes to (its `to` code), in words."""
    labels = {
        "standing": _("Thường trực của đơn vị lập báo cáo"),
        "btv": _("Ban Thường vụ của đơn vị lập báo cáo"),
        "province": _("Ban Thường vụ đơn vị cấp trên (qua Ban Tổ chức – Kiểm tra)"),
        "central": _("Ban Tổ chức Trung ương Đoàn"),
    }
    assert set(labels) == set(RECIPIENTS)
    return labels.get(to, to)


def period_label(period: str) -> str:
    return {"quarter": _("hằng quý"), "half": _("6 tháng"), "year": _("hằng năm")}.get(
        period, period)


def describe(policy: FieldVisitPolicy) -> list[str]:
    """The regime in plain Vietnamese, a sentence per rule (the policy page)."""
    kinds = unit_kind_codes()
    labels = {lv["code"]: lv["label"] for lv in policy.levels or []}
    statuses = dict(status_choices())
    s: list[str] = []
    s.append(_("Mỗi cán bộ đi cơ sở ít nhất %(n)s ngày/năm; khuyến khích đi nhiều hơn, số ngày "
               "vượt được ghi nhận.") % {"n": policy.min_days})
    s.append(_("Ngày đi cơ sở cộng dồn theo giấy đi đường, quyết định cử; mỗi ngày lịch chỉ "
               "tính một lần dù có nhiều chuyến đi trùng ngày."))
    if policy.days_by_level:
        # in the order of the levels (PostgreSQL's jsonb keeps no key order)
        order = [lv["code"] for lv in policy.levels or []]
        codes = sorted(policy.days_by_level, key=lambda c: (
            order.index(c) if c in order else len(order), c))
        parts = [_("%(n)s ngày ở %(level)s") % {"n": policy.days_by_level[c],
                                                 "level": labels.get(c, c)} for c in codes]
        s.append(_("Trong số đó phải có ít nhất %(parts)s.") % {"parts": _join(parts)})
    s.append(_("Các nội dung được tính: %(kinds)s.") % {"kinds": _kind_list(
        policy.counted_kinds)})
    if policy.chosen_kinds:
        s.append(_("Cán bộ tự chọn và đăng ký các nội dung %(kinds)s.")
                 % {"kinds": ", ".join(sorted(policy.chosen_kinds))})
    if policy.assigned_kinds:
        s.append(_("Các nội dung %(kinds)s do Thường trực phân công.")
                 % {"kinds": ", ".join(sorted(policy.assigned_kinds))})
    s.append(_("Đi dự hoạt động chỉ theo thư mời của đoàn cấp dưới thì không được tính là đi "
               "cơ sở."))
    if policy.levels:
        parts = [_("%(label)s (%(kinds)s)") % {"label": lv["label"], "kinds": ", ".join(
            kinds.get(k, k) for k in lv["kinds"])} for lv in policy.levels]
        s.append(_("Các cấp tính ngày đi cơ sở: %(parts)s.") % {"parts": "; ".join(parts)})
    kind_order = list(kinds)
    for kind in sorted(policy.coverage or {}, key=lambda k: (
            kind_order.index(k) if k in kind_order else len(kind_order), k)):
        s.append(_("Cán bộ thuộc cơ quan %(kind)s phải đi cơ sở cả %(levels)s.") % {
            "kind": kinds.get(kind, kind),
            "levels": _join([labels.get(c, c) for c in policy.coverage[kind]])})
    if policy.branch_meeting_kind and policy.branch_meetings_min:
        s.append(_("Mỗi năm phải dự sinh hoạt chi đoàn (nội dung %(kind)s) ít nhất %(n)s lần.")
                 % {"kind": policy.branch_meeting_kind, "n": policy.branch_meetings_min})
    if policy.exempt_titles:
        s.append(_("Không áp dụng với cán bộ được phân công làm nhiệm vụ: %(titles)s.")
                 % {"titles": ", ".join(policy.exempt_titles)})
    if policy.exempt_statuses:
        s.append(_("Không áp dụng trong thời gian: %(statuses)s.") % {"statuses": ", ".join(
            statuses.get(c, c).lower() for c in policy.exempt_statuses)})
    if policy.long_statuses:
        s.append(_("Không áp dụng khi %(statuses)s từ %(n)s tháng trở lên; ngắn hơn thì vẫn phải "
                   "đi.") % {"statuses": _join([statuses.get(c, c).lower()
                                                 for c in policy.long_statuses]),
                             "n": policy.long_status_min_months})
    if policy.prorate == ProrateRule.DAYS:
        s.append(_("Miễn một phần năm thì số ngày phải đi giảm theo tỷ lệ số ngày không được "
                   "miễn trong năm, làm tròn đến ngày."))
    else:
        example = rules.requirement(
            rules.RegimePolicy.of(policy), 2021, statuses=[rules.StatusSpan(
                "thai_san", _("Nghỉ thai sản"), dt.date(2021, 1, 1), dt.date(2021, 6, 30))])
        s.append(_("Miễn một phần năm thì số ngày phải đi giảm theo số tháng được miễn (một tháng "
                   "được tính miễn khi có từ %(d)s ngày miễn trở lên), làm tròn đến ngày; ví dụ: "
                   "%(example)s") % {"d": policy.prorate_month_min_days,
                                     "example": example.text})
    s.append(_("Kết thúc đợt đi cơ sở, chậm nhất trong %(n)s ngày phải có báo cáo kết quả; "
               "chuyến đi chưa báo cáo chưa được tính, báo cáo trễ được tính từ ngày báo cáo và "
               "ghi là trễ hạn.") % {"n": policy.report_days})
    s.append(_("Kế hoạch đi cơ sở hằng quý đăng ký chậm nhất ngày %(d)s tháng đầu quý.")
             % {"d": policy.registration_day})
    if policy.agency_plan_kinds:
        s.append(_("Cơ quan %(kinds)s thống nhất một kế hoạch chung cho cả cơ quan.") % {
            "kinds": _join([kinds.get(k, k) for k in policy.agency_plan_kinds])})
    for r in policy.rollups or []:
        owed = r.get("unit_kinds") or []
        by = (_(" (do %(kind)s lập)") % {"kind": _join([kinds.get(k, k) for k in owed])}
              if owed else "")
        s.append(_("%(label)s%(by)s: %(period)s, gửi %(to)s, %(deadline)s.") % {
            "label": r["label"], "by": by, "period": period_label(r["period"]),
            "to": recipient_label(r.get("to", "")), "deadline": _deadline(r)})
    if policy.one_plus_two == OnePlusTwo.DAYS_AND_UNIT:
        s.append(_("Chủ trương “1+2”: mỗi cán bộ ở cơ sở ít nhất %(n)s ngày/năm và phải đến cơ "
                   "sở được phân công phụ trách.") % {"n": policy.one_plus_two_days})
    else:
        s.append(_("Chủ trương “1+2”: mỗi cán bộ ở cơ sở ít nhất %(n)s ngày/năm.")
                 % {"n": policy.one_plus_two_days})
    if policy.youth_month:
        s.append(_("Tháng %(m)s (Tháng Thanh niên) đi cơ sở theo đợt cao điểm có kế hoạch riêng.")
                 % {"m": policy.youth_month})
    return s
