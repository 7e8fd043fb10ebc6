"""Vietnamese text helpers: accent folding for search (X-2) and NFC normalisation (X-1)."""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _

from .errors import ApplicationError

_SPACES = re.compile(r"\s+")
# Invisible characters: controls (Cc), formatting such as zero-width spaces and bidi overrides
# (Cf: U+200B–U+200F, U+202A–U+202E, U+2060, U+2066–U+2069, U+FEFF, U+061C…), surrogates and
# private use. A name holding one looks like another name (a look-alike person or unit).
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co"})
# đ/Đ are letters of their own, not a d with a combining mark, so NFD leaves them.
_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})  # i18n: data


def nfc(text: str) -> str:
    """Normalise to NFC and collapse runs of whitespace."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def fold(text: str) -> str:
    """Lower-case, accent-free form used for search: "Tây Ninh" -> "tay ninh", "Đoàn" -> "doan"."""
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_EXTRA))
    # NUL cannot reach PostgreSQL in a query (X-9: a typed search must never fail)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch) and ch != "\x00")
    return _SPACES.sub(" ", stripped.lower()).strip()


def hidden_character(text: str) -> str:
    """The first invisible character of `text` as "U+200B", or "" if there is none."""
    for ch in text or "":
        if unicodedata.category(ch) in _HIDDEN_CATEGORIES:
            return f"U+{ord(ch):04X}"
    return ""


def name_problem(text: str, label: str) -> str:
    """The Vietnamese message if a name holds an invisible character, else ""."""
    found = hidden_character(text)
    if not found:
        return ""
    return (_("{label} có ký tự ẩn hoặc ký tự điều khiển ({found}), có thể làm tên trông giống "
              "một tên khác: hãy gõ lại {label_lower}.").format(
                label=label,
                found=found,
                label_lower=label[0].lower() + label[1:]))


def clean_name(text: str, *, field: str, label: str,
               error: type[ApplicationError] = ApplicationError) -> str:
    """A person's or unit's name in NFC with spaces collapsed; `error` (the calling app's
    ApplicationError) naming the field if it holds an invisible character — refused, not
    stripped, so the user sees what was pasted."""
    name = nfc(text)
    problem = name_problem(name, label)
    if problem:
        raise error(problem, field=field)
    return name


def strip_hidden(text: str) -> str:
    """Free text in NFC with invisible characters dropped (tabs and line breaks are spaces)."""
    return nfc("".join(ch for ch in nfc(text) if unicodedata.category(ch) not in
                       _HIDDEN_CATEGORIES))


def checked_text(value: str | None, *, field: str, label: str, max_length: int,
                 required: bool = False,
                 error: type[ApplicationError] = ApplicationError) -> str:
    """A free text of a service (a reason, a note, a signer's name): invisible characters
    dropped and trimmed (`strip_hidden`); refused with `error` naming `field` when `required`
    and empty ("Hãy ghi …") or longer than `max_length`."""
    text = strip_hidden(value or "").strip()
    if required and not text:
        raise error(_("Hãy ghi {label}.").format(label=label), field=field)
    if len(text) > max_length:
        raise error(_("{label} dài quá {n} ký tự.").format(label=label[:1].upper() + label[1:],
                                                           n=max_length), field=field)
    return text
