"""The audit log as a cadre reads it (issue 10): each record as a sentence — who, when, what
was done to which record — and each changed field by its Vietnamese label with its old and new
value formatted (dates dd/mm/yyyy, choices by their label, Có/Không, related records by name).

Presentation only: nothing here writes or changes what the chain hashes. A page of records is
presented in a bounded number of queries: the related records its changes name are read in one
query per related model, the first rows of its bulk steps in one query, whatever the page size.

Codes that are data rather than model choices (a rating level "htt") are named by the app that
owns them: `register_value_names(model, field, names)`, called from its `ready()`, as
`audit.registry.register` is — audit imports no domain app."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from .models import AuditAction, AuditBulkRow, AuditRecord
from .registry import spec_for

# the rows of a bulk step shown under it; the export and the page show the same
BULK_ROWS_SHOWN = 5
# fields that keep the database's books, not the record's content
_BOOKKEEPING = frozenset({"created_at", "updated_at", "path", "depth", "unit_path"})

ValueNames = Callable[[set[str]], dict[str, str]]
# of the related records a page names (one model at a time), the pks the reader may see named
MayName = Callable[[type[models.Model], list[models.Model]], set[str]]
_VALUE_NAMES: dict[tuple[str, str], ValueNames] = {}


def register_value_names(model: type[models.Model], field_name: str, names: ValueNames) -> None:
    """Name the codes of `model.field_name` that are data, not choices: `names(codes)` answers
    {code: name} for a set of codes in one query."""
    _VALUE_NAMES[(model._meta.label_lower, field_name)] = names


_HIDDEN: dict[str, frozenset[str]] = {}
# records an app writes for what is not a model row of its own (an import's batch, its summary)
_KINDS: dict[str, Callable[[], str]] = {}
_EXTRA_LABELS: dict[str, Callable[[], dict[str, str]]] = {}


def register_record_kind(label: str, kind: Callable[[], str],
                         labels: Callable[[], dict[str, str]] | None = None) -> None:
    """Name the records of `label` (a model label, or one an app writes without a model) and
    the keys of their changes that are not model fields: `kind()` the kind ("lô nhập đoàn
    viên"), `labels()` {key: label}. A list value is shown by its length, a count."""
    _KINDS[label] = kind
    if labels is not None:
        _EXTRA_LABELS[label] = labels


def register_hidden(model: type[models.Model], *field_names: str) -> None:
    """Fields the log does not show (internal codes a cadre does not read); they stay recorded
    and hashed as before."""
    _HIDDEN[model._meta.label_lower] = frozenset(field_names)


def empty_text() -> str:
    return _("(trống)")


@dataclass(frozen=True)
class Change:
    """One field: its label and its values, formatted; `before` is None on a creation."""

    label: str
    before: str | None
    after: str | None

    def text(self) -> str:
        if self.before is None:
            return f"{self.label}: {self.after}"
        if self.after is None:
            return f"{self.label}: {self.before}"
        return f"{self.label}: {self.before} → {self.after}"


@dataclass(frozen=True)
class BulkLine:
    name: str
    action: str
    changes: list[Change]


@dataclass
class Entry:
    """One audit record, presented."""

    id: int
    at: dt.datetime
    actor: str
    action: str
    action_label: str
    kind: str
    name: str
    sentence: str
    reason: str
    changes: list[Change] = field(default_factory=list)
    rows: int | None = None
    bulk_lines: list[BulkLine] = field(default_factory=list)

    @property
    def when(self) -> str:
        return self.at.strftime("%d/%m/%Y %H:%M")

    def change_text(self) -> str:
        """The changes on one line (the export's cell)."""
        parts = [c.text() for c in self.changes]
        if self.rows is not None:
            parts += [f"{line.name}: " + "; ".join(c.text() for c in line.changes)
                      if line.changes else line.name for line in self.bulk_lines]
        return "; ".join(parts)


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def kind_text(model: type[models.Model] | None, label: str = "") -> str:
    """The record kind as it reads in a sentence: the model's Vietnamese verbose name."""
    if label in _KINDS:
        return _KINDS[label]()
    if model is None:
        return _("bản ghi")
    return str(model._meta.verbose_name)


def kind_name(model: type[models.Model] | None, label: str = "") -> str:
    """The record kind as users say it, capitalised: a column, a filter's choice."""
    name = kind_text(model, label)
    return name[:1].upper() + name[1:]


def _fields_by_attname(model: type[models.Model]) -> dict[str, models.Field[Any, Any]]:
    return {f.attname: f for f in model._meta.concrete_fields}


def _hidden_names(model: type[models.Model]) -> set[str]:
    """The attnames never shown: keys, bookkeeping, search copies, generic-relation plumbing."""
    hidden = set()
    for name in _HIDDEN.get(model._meta.label_lower, ()):
        f = model._meta.get_field(name)
        hidden.add(getattr(f, "attname", name))
    for gfk in model._meta.private_fields:
        if isinstance(gfk, GenericForeignKey):
            hidden.update({gfk.ct_field, f"{gfk.ct_field}_id", gfk.fk_field})
    for f in model._meta.concrete_fields:
        if (f.primary_key or not f.editable or f.name in _BOOKKEEPING
                or f.name.endswith("_folded")
                or (f.is_relation and f.related_model is ContentType)):
            hidden.add(f.attname)
    return hidden


def _fallback_labels() -> dict[str, str]:
    """Labels of common fields of a model that gives none (its verbose name is the field's own
    name): they are never shown in English."""
    return {"created_by": _("người tạo"), "updated_by": _("người sửa"),
            "recorded_by": _("người ghi"), "note": _("ghi chú")}


def _label(f: models.Field[Any, Any]) -> str:
    text = str(f.verbose_name)
    if text == f.name.replace("_", " "):
        text = _fallback_labels().get(f.name, text)
    return text[:1].upper() + text[1:]


class _Names:
    """Names of related records, read in one query per model for the whole page."""

    def __init__(self, may_name: MayName | None = None) -> None:
        self.may_name = may_name
        self.wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
        self.codes: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.found: dict[tuple[type[models.Model], str], str] = {}
        self.code_names: dict[tuple[str, str], dict[str, str]] = {}

    def want(self, model: type[models.Model], pk: object) -> None:
        if pk not in (None, ""):
            self.wanted[model].add(pk)

    def load(self) -> None:
        for model, pks in self.wanted.items():
            clean = set()
            for pk in pks:
                try:
                    clean.add(model._meta.pk.to_python(pk))  # type: ignore[union-attr]
                except Exception:  # noqa: BLE001 — a stored id of another type names nothing
                    continue
            # select_related(): the non-null relations a name is made of, in the same query
            objects = list(model._base_manager.filter(pk__in=clean).select_related().order_by())
            shown = (self.may_name(model, objects) if self.may_name is not None and objects
                     else {str(o.pk) for o in objects})
            spec = spec_for(model)
            for obj in objects:
                if str(obj.pk) not in shown:
                    name = _("(ngoài phạm vi của bạn)")
                elif spec is not None and spec.label is not None:
                    # the name the audit gives the record (its label), as on its own records
                    name = spec.resolve(obj)[1]
                else:
                    name = str(obj)
                self.found[(model, str(obj.pk))] = name
        for key, codes in self.codes.items():
            self.code_names[key] = _VALUE_NAMES[key](codes) if codes else {}

    def name(self, model: type[models.Model], pk: object) -> str:
        return self.found.get((model, str(pk)), _("(bản ghi không còn)"))


class _Presenter:
    def __init__(self, may_name: MayName | None = None) -> None:
        self.names = _Names(may_name)

    # -- first pass: what the page names ----------------------------------------------------

    def collect(self, model: type[models.Model] | None, values: Iterable[dict[str, Any]]) -> None:
        if model is None:
            return
        fields = _fields_by_attname(model)
        label = model._meta.label_lower
        for data in values:
            if not isinstance(data, dict):
                continue
            for key, value in data.items():
                f = fields.get(key)
                if f is None:
                    continue
                if f.is_relation and f.related_model is not None and value is not None:
                    self.names.want(f.related_model, value)  # type: ignore[arg-type]
                elif (label, f.name) in _VALUE_NAMES and value not in (None, ""):
                    self.names.codes[(label, f.name)].add(str(value))

    # -- second pass: the text -----------------------------------------------------------------

    def value(self, model: type[models.Model], f: models.Field[Any, Any], value: Any) -> str:
        if value is None or value == "" or value == [] or value == {}:
            return empty_text()
        if f.is_relation and f.related_model is not None:
            return self.names.name(f.related_model, value)  # type: ignore[arg-type]
        key = (model._meta.label_lower, f.name)
        if key in _VALUE_NAMES:
            return self.names.code_names.get(key, {}).get(str(value), str(value))
        if f.choices:
            for code, text in f.flatchoices:
                if str(code) == str(value):
                    return str(text)
            return str(value)
        if isinstance(f, models.BooleanField):
            return _("Có") if value else _("Không")
        if isinstance(f, models.DateTimeField):
            moment = parse_datetime(str(value))
            if moment is None:
                return str(value)
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return moment.strftime("%d/%m/%Y %H:%M")
        if isinstance(f, models.DateField):
            day = parse_date(str(value)[:10])
            return day.strftime("%d/%m/%Y") if day else str(value)
        if isinstance(value, list):
            return _structured(value)
        if isinstance(value, dict):
            return _("{count} mục").format(count=len(value))
        if isinstance(value, bool):
            return _("Có") if value else _("Không")
        try:
            shown = f.to_python(value)
        except Exception:  # noqa: BLE001 — a value the field no longer takes: shown as stored
            shown = value
        return str(shown)

    def changes(self, model: type[models.Model] | None, before: Any, after: Any,
                action: str, label: str = "") -> list[Change]:
        before = before if isinstance(before, dict) else {}
        after = after if isinstance(after, dict) else {}
        named = _EXTRA_LABELS[label]() if label in _EXTRA_LABELS else {}
        fields = _fields_by_attname(model) if model is not None else {}
        extra = _extra_changes(named, before, after, skip=set(fields))
        if model is None:
            return extra
        hidden = _hidden_names(model)
        out: list[Change] = []
        for f in model._meta.concrete_fields:  # in the model's order, not the stored order
            key = f.attname
            if key in hidden or (key not in before and key not in after):
                continue
            f = fields[key]
            text = named.get(key) or _label(f)
            if action == AuditAction.CREATE or (not before and action != AuditAction.DELETE):
                if after.get(key) in (None, "", [], {}, False):
                    continue  # a new record's empty fields say nothing
                out.append(Change(text, None, self.value(model, f, after.get(key))))
            elif action == AuditAction.DELETE:
                if before.get(key) in (None, "", [], {}, False):
                    continue
                out.append(Change(text, self.value(model, f, before.get(key)), None))
            else:
                out.append(Change(text, self.value(model, f, before.get(key)),
                                  self.value(model, f, after.get(key))))
        return out + extra


def _extra_changes(named: dict[str, str], before: dict[str, Any], after: dict[str, Any], *,
                   skip: set[str]) -> list[Change]:
    """The changes an app named with `register_record_kind` beyond its model's fields."""

    def shown(value: Any) -> str:
        if isinstance(value, list | dict):
            return str(len(value))
        if value is None or value == "":
            return empty_text()
        return str(value)

    out = []
    for key, text in named.items():
        if key in skip or (key not in before and key not in after):
            continue
        if key in before and before:
            out.append(Change(text, shown(before.get(key)),
                              shown(after.get(key)) if after else None))
        else:
            out.append(Change(text, None, shown(after.get(key))))
    return out


def _structured(value: list[Any]) -> str:
    """A JSON list (a scale's levels) by its names, never a dump."""
    parts = []
    for item in value:
        if isinstance(item, dict):
            name = item.get("name") or item.get("code")
            if name:
                parts.append(str(name))
        elif item not in (None, ""):
            parts.append(str(item))
    return ", ".join(parts) if parts else _("{count} mục").format(count=len(value))


def _verb(action: str) -> str:
    verbs = {
        AuditAction.CREATE.value: _("đã tạo"),
        AuditAction.UPDATE.value: _("đã sửa"),
        AuditAction.DELETE.value: _("đã xóa"),
        AuditAction.BULK.value: _("đã ghi hàng loạt"),
    }
    return verbs.get(str(action), _("đã thay đổi"))


def _action_label(action: str) -> str:
    try:
        return str(AuditAction(action).label)
    except ValueError:
        return _("Thay đổi")


def present(records: Sequence[AuditRecord], *, may_name: MayName | None = None) -> list[Entry]:
    """The records as entries, in their order, in a bounded number of queries. `may_name`
    (from the page, which knows the reader's scope) says which related records may be named;
    without it every one is."""
    presenter = _Presenter(may_name)
    models_of = {r.model: _model(r.model) for r in records}
    bulk_ids = [r.id for r in records if r.action == AuditAction.BULK]
    bulk_rows: dict[int, list[AuditBulkRow]] = defaultdict(list)
    if bulk_ids:
        # seq counts from 1 without gaps: the first rows of every step in one bounded query
        for row in AuditBulkRow.objects.filter(record_id__in=bulk_ids,
                                               seq__lte=BULK_ROWS_SHOWN).order_by("record_id",
                                                                                  "seq"):
            bulk_rows[row.record_id].append(row)
    for r in records:
        model = models_of[r.model]
        changes = r.changes if isinstance(r.changes, dict) else {}
        presenter.collect(model, [changes.get("before") or {}, changes.get("after") or {}])
        if model is not None and not r.object_repr and r.object_pk:
            presenter.names.want(model, r.object_pk)
        for row in bulk_rows.get(r.id, []):
            presenter.collect(model, [row.before, row.after])
            if model is not None:
                presenter.names.want(model, row.object_pk)
    presenter.names.load()

    entries = []
    for r in records:
        model = models_of[r.model]
        changes = r.changes if isinstance(r.changes, dict) else {}
        kind = kind_name(model, r.model)
        # in a sentence the kind keeps its own case ("xếp loại tổ chức Đoàn")
        kind_in_text = kind_text(model, r.model)
        name = r.object_repr or (presenter.names.name(model, r.object_pk)
                                 if model is not None and r.object_pk else "")
        actor = r.actor_label or _("hệ thống")
        at = timezone.localtime(r.at) if timezone.is_aware(r.at) else r.at
        entry = Entry(id=r.id, at=at, actor=actor, action=r.action,
                      action_label=_action_label(r.action), kind=kind, name=name, sentence="",
                      reason=r.reason)
        if r.action == AuditAction.BULK:
            count = changes.get("rows")
            entry.rows = count if isinstance(count, int) else len(bulk_rows.get(r.id, []))
            entry.sentence = _("{actor} đã ghi hàng loạt {count} bản ghi {kind}: {name}").format(
                actor=actor, count=entry.rows, kind=kind_in_text, name=name)
            for row in bulk_rows.get(r.id, []):
                entry.bulk_lines.append(BulkLine(
                    name=presenter.names.name(model, row.object_pk) if model is not None
                    else "", action=_action_label(row.action),
                    changes=presenter.changes(model, row.before, row.after, row.action,
                                              r.model)))
        else:
            entry.changes = presenter.changes(model, changes.get("before"), changes.get("after"),
                                              r.action, r.model)
            if any(r.reason in (c.before, c.after) for c in entry.changes):
                entry.reason = ""  # the reason is a field of the record, already shown
            entry.sentence = _("{actor} {verb} {kind} “{name}”").format(
                actor=actor, verb=_verb(r.action), kind=kind_in_text, name=name)
        entry.sentence = entry.sentence[:1].upper() + entry.sentence[1:]
        entries.append(entry)
    return entries


def record_kinds() -> list[tuple[str, str]]:
    """The audited record kinds as (model label, Vietnamese name), by name: the filter's list."""
    from .registry import audited_models

    kinds = {m._meta.label_lower: kind_name(m, m._meta.label_lower) for m in audited_models()}
    kinds.update({label: kind_name(_model(label), label) for label in _KINDS})
    return sorted(kinds.items(), key=lambda kv: kv[1])
