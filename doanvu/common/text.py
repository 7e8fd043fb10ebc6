"""Vietnamese text helpers: accent folding for search (X-2) and NFC normalisation (X-1)."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# đ/Đ are letters of their own, not a d with a combining mark, so NFD leaves them.
_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})


def nfc(text: str) -> str:
    """Normalise to NFC and collapse runs of whitespace."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def fold(text: str) -> str:
    """Lower-case, accent-free form used for search: "Tây Ninh" -> "tay ninh", "Đoàn" -> "doan"."""
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_EXTRA))
    # NUL cannot reach PostgreSQL in a query (X-9: a typed search must never fail)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch) and ch != "\x00")
    return _SPACES.sub(" ", stripped.lower()).strip()
