"""A rubric as plain values, and the check that refuses one whose numbers contradict themselves
(EMU-1). Pure: no ORM, no request. The services build a `RubricSpec` from the database (after an
edit, inside its transaction) or from an imported workbook (before writing anything), and refuse
with the first problem; each problem names the field (and, for an import, the row it came from
through `key`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

# the codes of models.ScoringMethod, ItemKind and TieBreakKey (kept here as plain values so the
# check needs no model)
COUNT = "so_lan"
BONUS, PENALTY = "thuong", "tru"
AREA_TOTAL, CRITERION = "linh_vuc", "tieu_chi"
TIE_BREAK_KEYS = ("linh_vuc", "tieu_chi", "it_diem_tru", "nhieu_diem_thuong")


@dataclass
class CriterionSpec:
    code: str
    title: str
    max_points: Decimal
    method: str
    unit_points: Decimal | None = None
    department_id: int | None = None
    evidence_required: bool = False
    evidence: str = ""


@dataclass
class AreaSpec:
    code: str
    title: str
    max_points: Decimal
    criteria: list[CriterionSpec] = field(default_factory=list)


@dataclass
class ItemSpec:
    kind: str
    code: str
    title: str
    points: Decimal
    cap: Decimal | None = None
    department_id: int | None = None


@dataclass
class TierSpec:
    code: str
    name: str
    rank: int
    min_score: Decimal
    max_share: Decimal | None = None


@dataclass
class DisqualifierSpec:
    code: str
    label: str
    barred_tier: str  # a tier's code


@dataclass
class RubricSpec:
    name: str
    bonus_cap: Decimal | None = None
    penalty_cap: Decimal | None = None
    tie_breaks: list[dict[str, str]] = field(default_factory=list)
    areas: list[AreaSpec] = field(default_factory=list)
    items: list[ItemSpec] = field(default_factory=list)
    tiers: list[TierSpec] = field(default_factory=list)
    disqualifiers: list[DisqualifierSpec] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((a.max_points for a in self.areas), Decimal(0))


@dataclass(frozen=True)
class Problem:
    """One contradiction: `field` is the form field it belongs to, `key` what it is about
    (("area", code), ("criterion", code), ("item", code), ("tier", code), ("rubric", "")…)."""

    message: str
    field: str
    key: tuple[str, str] = ("rubric", "")


def num(value: Decimal) -> str:
    """A number as a Vietnamese reader writes it: 2,5 and 10 (no trailing zeros)."""
    return format(value.normalize(), "f").replace(".", ",")


def _duplicates(codes: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for code in codes:
        if code in seen and code not in out:
            out.append(code)
        seen.add(code)
    return out


def spec_problems(spec: RubricSpec, *, complete: bool = False) -> list[Problem]:
    """Every contradiction of the rubric's numbers. A draft may be incomplete (an area whose
    criteria do not yet add up to its maximum); `complete` (freezing) asks that they do, and
    that the rubric has areas, criteria and tiers."""
    out: list[Problem] = []
    out += _area_problems(spec, complete=complete)
    out += _item_problems(spec)
    out += _tier_problems(spec, complete=complete)
    out += _tie_break_problems(spec)
    if complete and not spec.areas:
        out.append(Problem(_("Thang điểm chưa có lĩnh vực nào."), "code", ("rubric", "")))
    if complete and not spec.tiers:
        out.append(Problem(_("Thang điểm chưa có mức xếp loại nào."), "code", ("rubric", "")))
    return out


def _area_problems(spec: RubricSpec, *, complete: bool) -> list[Problem]:
    out: list[Problem] = []
    for code in _duplicates(a.code for a in spec.areas):
        out.append(Problem(_("Mã lĩnh vực “{code}” bị trùng.").format(code=code), "code",
                           ("area", code)))
    for code in _duplicates(c.code for a in spec.areas for c in a.criteria):
        out.append(Problem(_("Mã tiêu chí “{code}” bị trùng.").format(code=code), "code",
                           ("criterion", code)))
    for area in spec.areas:
        if area.max_points <= 0:
            out.append(Problem(_("Lĩnh vực {code}: điểm tối đa phải lớn hơn 0.").format(
                code=area.code), "max_points", ("area", area.code)))
        total = sum((c.max_points for c in area.criteria), Decimal(0))
        if total > area.max_points:
            out.append(Problem(_(
                "Lĩnh vực {code}: tổng điểm tối đa của các tiêu chí ({total}) vượt điểm tối đa "
                "của lĩnh vực ({max})."
            ).format(code=area.code, total=num(total), max=num(area.max_points)),
                "max_points", ("area", area.code)))
        elif complete and total != area.max_points:
            out.append(Problem(_(
                "Lĩnh vực {code}: tổng điểm tối đa của các tiêu chí ({total}) chưa bằng điểm tối "
                "đa của lĩnh vực ({max})."
            ).format(code=area.code, total=num(total), max=num(area.max_points)),
                "max_points", ("area", area.code)))
        if complete and not area.criteria:
            out.append(Problem(_("Lĩnh vực {code} chưa có tiêu chí nào.").format(
                code=area.code), "code", ("area", area.code)))
        for c in area.criteria:
            out += _criterion_problems(c)
    return out


def _criterion_problems(c: CriterionSpec) -> list[Problem]:
    key = ("criterion", c.code)
    if c.max_points <= 0:
        return [Problem(_("Tiêu chí {code}: điểm tối đa phải lớn hơn 0.").format(code=c.code),
                        "max_points", key)]
    if c.method != COUNT:
        return []
    if c.unit_points is None or c.unit_points <= 0:
        return [Problem(_(
            "Tiêu chí {code}: cách chấm “số lần × điểm mỗi lần” cần điểm mỗi lần lớn hơn 0."
        ).format(code=c.code), "unit_points", key)]
    if c.unit_points > c.max_points:
        return [Problem(_(
            "Tiêu chí {code}: điểm mỗi lần ({unit}) lớn hơn điểm tối đa của tiêu chí ({max})."
        ).format(code=c.code, unit=num(c.unit_points), max=num(c.max_points)),
            "unit_points", key)]
    return []


def _item_problems(spec: RubricSpec) -> list[Problem]:
    out: list[Problem] = []
    for code in _duplicates(i.code for i in spec.items):
        out.append(Problem(_("Mã mục điểm thưởng, điểm trừ “{code}” bị trùng.").format(code=code),
                           "code", ("item", code)))
    for item in spec.items:
        key = ("item", item.code)
        if item.points <= 0:
            out.append(Problem(_("Mục {code}: điểm mỗi lần phải lớn hơn 0.").format(
                code=item.code), "points", key))
        elif item.cap is not None and item.cap < item.points:
            out.append(Problem(_(
                "Mục {code}: mức tối đa của mục ({cap}) nhỏ hơn điểm mỗi lần ({points})."
            ).format(code=item.code, cap=num(item.cap), points=num(item.points)), "cap", key))
    for kind, cap, fieldname in ((BONUS, spec.bonus_cap, "bonus_cap"),
                                 (PENALTY, spec.penalty_cap, "penalty_cap")):
        if cap is None:
            continue
        if cap <= 0:
            out.append(Problem(_("Tổng điểm tối đa phải lớn hơn 0 (hoặc để trống nếu không "
                                 "giới hạn)."), fieldname))
            continue
        biggest = max((i for i in spec.items if i.kind == kind), key=lambda i: i.points,
                      default=None)
        if biggest is not None and biggest.points > cap:
            message = (_("Tổng điểm thưởng tối đa ({cap}) nhỏ hơn điểm mỗi lần của mục {code} "
                         "({points}).") if kind == BONUS else
                       _("Tổng điểm trừ tối đa ({cap}) nhỏ hơn điểm mỗi lần của mục {code} "
                         "({points})."))
            out.append(Problem(message.format(cap=num(cap), code=biggest.code,
                                              points=num(biggest.points)), fieldname))
    return out


def _tier_problems(spec: RubricSpec, *, complete: bool) -> list[Problem]:
    out: list[Problem] = []
    for code in _duplicates(t.code for t in spec.tiers):
        out.append(Problem(_("Mã xếp loại “{code}” bị trùng.").format(code=code), "code",
                           ("tier", code)))
    for rank in _duplicates(str(t.rank) for t in spec.tiers):
        out.append(Problem(_("Hai mức xếp loại cùng bậc {rank}.").format(rank=rank), "rank",
                           ("tier", next(t.code for t in spec.tiers if str(t.rank) == rank))))
    tiers = sorted(spec.tiers, key=lambda t: t.rank)
    for upper, lower in zip(tiers, tiers[1:], strict=False):
        if lower.min_score >= upper.min_score:
            out.append(Problem(_(
                "Điểm tối thiểu của “{lower}” ({low}) phải thấp hơn của “{upper}” ({high}): "
                "mức cao hơn cần nhiều điểm hơn."
            ).format(lower=lower.name, low=num(lower.min_score), upper=upper.name,
                     high=num(upper.min_score)), "min_score", ("tier", lower.code)))
    for t in tiers:
        if t.max_share is not None and not Decimal(0) <= t.max_share <= Decimal(100):
            out.append(Problem(_(
                "“{name}”: tỷ lệ tối đa trong khối ({share} %) phải từ 0 đến 100 %."
            ).format(name=t.name, share=num(t.max_share)), "max_share", ("tier", t.code)))
    if complete and tiers and spec.areas and tiers[0].min_score > spec.total:
        out.append(Problem(_(
            "Điểm tối thiểu của “{name}” ({min}) vượt tổng điểm tối đa của thang điểm ({total})."
        ).format(name=tiers[0].name, min=num(tiers[0].min_score), total=num(spec.total)),
            "min_score", ("tier", tiers[0].code)))
    codes = {t.code for t in spec.tiers}
    for code in _duplicates(d.code for d in spec.disqualifiers):
        out.append(Problem(_("Mã điều kiện loại trừ “{code}” bị trùng.").format(code=code),
                           "code", ("disqualifier", code)))
    for d in spec.disqualifiers:
        if d.barred_tier not in codes:
            out.append(Problem(_(
                "Điều kiện {code}: không có mức xếp loại “{tier}” trong thang điểm."
            ).format(code=d.code, tier=d.barred_tier), "barred_tier", ("disqualifier", d.code)))
    return out


def _tie_break_problems(spec: RubricSpec) -> list[Problem]:
    out: list[Problem] = []
    areas = {a.code for a in spec.areas}
    criteria = {c.code for a in spec.areas for c in a.criteria}
    seen: set[tuple[str, str]] = set()
    for n, step in enumerate(spec.tie_breaks, start=1):
        key, ref = step.get("key", ""), step.get("ref", "")
        if key not in TIE_BREAK_KEYS:
            out.append(Problem(_("Bước {n} của thứ tự xét bằng điểm không hợp lệ.").format(n=n),
                               "tie_breaks", ("tie_break", str(n))))
        elif key == AREA_TOTAL and ref not in areas:
            out.append(Problem(_(
                "Bước {n} của thứ tự xét bằng điểm: không có lĩnh vực “{ref}”.").format(
                n=n, ref=ref), "tie_breaks", ("tie_break", str(n))))
        elif key == CRITERION and ref not in criteria:
            out.append(Problem(_(
                "Bước {n} của thứ tự xét bằng điểm: không có tiêu chí “{ref}”.").format(
                n=n, ref=ref), "tie_breaks", ("tie_break", str(n))))
        elif (key, ref) in seen:
            out.append(Problem(_("Bước {n} của thứ tự xét bằng điểm lặp lại một bước trước.")
                               .format(n=n), "tie_breaks", ("tie_break", str(n))))
        seen.add((key, ref))
    return out
