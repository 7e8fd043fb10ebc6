"""The rules of questionnaires as pure functions over plain values: no ORM, no request.

A question is a dict kept in a QuestionnaireVersion (`Question.from_dict` reads it):

- ``code``: its key in the answers ("c1"); ``number``: the number people read ("Câu 3");
- ``kind``: single, multiple, scale, number, short, long, table, file;
- ``text``, ``section`` (questions with the same section title in a row form a section),
  ``required``;
- ``options`` (single, multiple), ``min``/``max`` (scale: the points; number: the range),
  ``rows``/``cols`` (table: a number per row and column, the shape of a statistics form);
- ``condition``: ``{"code": "c1", "value": "Có"}`` — shown only when that question's answer is
  (or, for multiple choice, includes) the value.

`check_answers` is the one validation of an answer: required, kinds, ranges, options, hidden
questions answered. Its messages are Vietnamese and name the question.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from doanvu.common.errors import ApplicationError

SINGLE, MULTIPLE, SCALE, NUMBER = "single", "multiple", "scale", "number"
SHORT, LONG, TABLE, FILE = "short", "long", "table", "file"
KINDS = {
    SINGLE: _lazy("Chọn một"),
    MULTIPLE: _lazy("Chọn nhiều"),
    SCALE: _lazy("Thang điểm"),
    NUMBER: _lazy("Số"),
    SHORT: _lazy("Trả lời ngắn"),
    LONG: _lazy("Trả lời dài"),
    TABLE: _lazy("Bảng số liệu"),
    FILE: _lazy("Tệp đính kèm"),
}
CHOICE_KINDS = (SINGLE, MULTIPLE)
NUMERIC_KINDS = (SCALE, NUMBER)
SHORT_MAX, LONG_MAX = 500, 10000


class SurveyError(ApplicationError):
    pass


@dataclass(frozen=True)
class Condition:
    code: str
    value: str


@dataclass(frozen=True)
class Question:
    code: str
    number: int
    kind: str
    text: str
    required: bool = False
    section: str = ""
    options: tuple[str, ...] = ()
    min: Decimal | None = None
    max: Decimal | None = None
    rows: tuple[str, ...] = ()
    cols: tuple[str, ...] = ()
    condition: Condition | None = None

    @property
    def label(self) -> str:
        return _("Câu {n} “{text}”").format(n=self.number, text=self.text)

    @property
    def kind_label(self) -> str:
        return str(KINDS.get(self.kind, self.kind))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Question:
        cond = data.get("condition") or None
        return cls(
            code=str(data["code"]), number=int(data.get("number") or 0), kind=str(data["kind"]),
            text=str(data.get("text") or ""), required=bool(data.get("required")),
            section=str(data.get("section") or ""),
            options=tuple(str(o) for o in data.get("options") or ()),
            min=_dec(data.get("min")), max=_dec(data.get("max")),
            rows=tuple(str(r) for r in data.get("rows") or ()),
            cols=tuple(str(c) for c in data.get("cols") or ()),
            condition=Condition(str(cond["code"]), str(cond["value"])) if cond else None,
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "number": self.number, "kind": self.kind,
                               "text": self.text, "required": self.required,
                               "section": self.section}
        if self.options:
            out["options"] = list(self.options)
        if self.min is not None:
            out["min"] = str(self.min)
        if self.max is not None:
            out["max"] = str(self.max)
        if self.rows:
            out["rows"] = list(self.rows)
        if self.cols:
            out["cols"] = list(self.cols)
        if self.condition:
            out["condition"] = {"code": self.condition.code, "value": self.condition.value}
        return out


def _dec(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        d = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def questions_of(data: Sequence[Mapping[str, Any]]) -> list[Question]:
    return [Question.from_dict(d) for d in data]


def check_question(new: Question, existing: Sequence[Question]) -> None:
    """A question's definition before it joins a questionnaire; refuses with the field."""
    if new.kind not in KINDS:
        raise SurveyError(_("Loại câu hỏi: không có loại này."), field="kind")
    if not new.text.strip():
        raise SurveyError(_("Nội dung câu hỏi: chưa nhập."), field="text")
    if new.kind in CHOICE_KINDS and len(new.options) < 2:
        raise SurveyError(_("Các lựa chọn: cần ít nhất hai lựa chọn, mỗi dòng một lựa chọn."),
                          field="options")
    if new.kind in CHOICE_KINDS and len(set(new.options)) != len(new.options):
        raise SurveyError(_("Các lựa chọn: có lựa chọn trùng nhau."), field="options")
    if new.kind == SCALE and (
            new.min is None or new.max is None or new.min != int(new.min)
            or new.max != int(new.max) or not 0 <= new.min < new.max <= 10):
            raise SurveyError(_("Thang điểm: nhập điểm thấp nhất và cao nhất là số nguyên từ 0 "
                                "đến 10, thấp nhất nhỏ hơn cao nhất."), field="min")
    if new.min is not None and new.max is not None and new.min > new.max:
        raise SurveyError(_("Giá trị nhỏ nhất phải không lớn hơn giá trị lớn nhất."),
                          field="min")
    if new.kind == TABLE and (not new.rows or not new.cols):
        raise SurveyError(_("Bảng số liệu: cần ít nhất một dòng và một cột."), field="rows")
    if new.condition is not None:
        target = next((q for q in existing if q.code == new.condition.code), None)
        if target is None:
            raise SurveyError(_("Điều kiện hiển thị: câu hỏi được chọn không có trong phiếu."),
                              field="condition_code")
        if target.kind not in CHOICE_KINDS:
            raise SurveyError(_("Điều kiện hiển thị: chỉ đặt theo câu hỏi chọn một hoặc chọn "
                                "nhiều."), field="condition_code")
        if new.condition.value not in target.options:
            raise SurveyError(_("Điều kiện hiển thị: “{value}” không phải lựa chọn của {q}.")
                              .format(value=new.condition.value, q=target.label),
                              field="condition_value")


def is_shown(question: Question, answers: Mapping[str, Any],
             by_code: Mapping[str, Question]) -> bool:
    """Shown when it has no condition, or its condition's question is itself shown and its
    answer is (or includes) the value."""
    seen: set[str] = set()
    q: Question | None = question
    while q is not None and q.condition is not None:
        if q.code in seen:
            return False
        seen.add(q.code)
        answer = answers.get(q.condition.code)
        values = answer if isinstance(answer, list) else [answer]
        if q.condition.value not in values:
            return False
        q = by_code.get(q.condition.code)
    return True


def _blank(value: object) -> bool:
    if value is None or value == "" or value == []:
        return True
    if isinstance(value, dict):
        return all(_blank(v) for v in value.values())
    return False


@dataclass
class Checked:
    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def _number(q: Question, raw: object, checked: Checked, *, integer: bool = False) -> None:
    d = _dec(raw)
    if d is None:
        checked.errors[q.code] = _("{q}: “{raw}” không phải là số.").format(q=q.label, raw=raw)
        return
    if integer and d != int(d):
        checked.errors[q.code] = _("{q}: hãy chọn một điểm của thang.").format(q=q.label)
        return
    if q.min is not None and d < q.min or q.max is not None and d > q.max:
        checked.errors[q.code] = _("{q}: {value} nằm ngoài khoảng {lo} – {hi}.").format(
            q=q.label, value=_fmt(d), lo=_fmt(q.min) if q.min is not None else "…",
            hi=_fmt(q.max) if q.max is not None else "…")
        return
    checked.answers[q.code] = _fmt(d)


def _fmt(d: Decimal) -> str:
    text = format(d.normalize(), "f")
    return text


def check_answers(questions: Sequence[Question], raw: Mapping[str, Any], *,
                  final: bool, files: Sequence[str] = ()) -> Checked:
    """Clean `raw` (question code → a string, a list of strings, or for a table a dict
    "row|col" → string) against the questions. `final` (submitting) also requires the required
    questions that are shown; a draft may be incomplete. `files`: the codes of file questions
    that already have a file. Answers to questions hidden by their condition are refused."""
    checked = Checked()
    by_code = {q.code: q for q in questions}
    known = set(by_code)
    for code in raw:
        if code not in known and not _blank(raw[code]):
            checked.errors[code] = _("Câu trả lời cho câu hỏi không có trong phiếu.")
    for q in questions:
        value = raw.get(q.code)
        if q.kind == FILE:
            value = "1" if q.code in files else None
        shown = is_shown(q, raw, by_code)
        if not shown:
            if not _blank(value):
                checked.errors[q.code] = _(
                    "{q} không được hỏi với câu trả lời đã chọn ở câu {n}: hãy để trống."
                ).format(q=q.label, n=by_code[q.condition.code].number
                         if q.condition and q.condition.code in by_code else "?")
            continue
        if _blank(value):
            if final and q.required:
                checked.errors[q.code] = _("{q}: bắt buộc trả lời.").format(q=q.label)
            continue
        if q.kind == SINGLE:
            if not isinstance(value, str) or value not in q.options:
                checked.errors[q.code] = _("{q}: “{v}” không phải một lựa chọn của câu hỏi.") \
                    .format(q=q.label, v=value)
            else:
                checked.answers[q.code] = value
        elif q.kind == MULTIPLE:
            values = value if isinstance(value, list) else [value]
            wrong = [v for v in values if v not in q.options]
            if wrong:
                checked.errors[q.code] = _("{q}: “{v}” không phải một lựa chọn của câu hỏi.") \
                    .format(q=q.label, v=wrong[0])
            else:
                checked.answers[q.code] = [o for o in q.options if o in values]
        elif q.kind == SCALE:
            _number(q, value, checked, integer=True)
        elif q.kind == NUMBER:
            _number(q, value, checked)
        elif q.kind in (SHORT, LONG):
            text = str(value).strip()
            limit = SHORT_MAX if q.kind == SHORT else LONG_MAX
            if len(text) > limit:
                checked.errors[q.code] = _("{q}: dài quá {n} ký tự.").format(q=q.label, n=limit)
            else:
                checked.answers[q.code] = text
        elif q.kind == TABLE:
            cells = value if isinstance(value, dict) else {}
            out: dict[str, str] = {}
            for r, row in enumerate(q.rows):
                for c, col in enumerate(q.cols):
                    cell = cells.get(f"{r}|{c}")
                    if _blank(cell):
                        continue
                    d = _dec(cell)
                    if d is None or d < 0:
                        checked.errors[q.code] = _(
                            "{q}, dòng “{row}”, cột “{col}”: “{v}” không phải số không âm."
                        ).format(q=q.label, row=row, col=col, v=cell)
                        break
                    out[f"{r}|{c}"] = _fmt(d)
                if q.code in checked.errors:
                    break
            else:
                if final and q.required and not out:
                    checked.errors[q.code] = _("{q}: bắt buộc trả lời.").format(q=q.label)
                elif out:
                    checked.answers[q.code] = out
        elif q.kind == FILE:
            checked.answers[q.code] = True
    return checked


def window_refusal(*, opens_on: dt.date, closes_on: dt.date, on: dt.date,
                   reopened: bool = False) -> str | None:
    """Why an answer cannot be taken on `on`, or None. A reopened answer is taken after the
    window: the lead department asked for it."""
    if on < opens_on:
        return _("Phiếu khảo sát chỉ nhận trả lời từ ngày {d}.").format(
            d=opens_on.strftime("%d/%m/%Y"))
    if on > closes_on and not reopened:
        return _("Đã hết thời gian nhận trả lời (đến hết ngày {d}).").format(
            d=closes_on.strftime("%d/%m/%Y"))
    return None
