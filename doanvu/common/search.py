"""Bounds on what a search box may ask (issue 10, item 12).

Every search in the project reads its text through `search_query` (the text to show back in the
box) and `search_words` (the folded words to match), so a pasted page of text cannot build a
query the database refuses: SQLite answers "Expression tree is too large" past about a
thousand conditions, and PostgreSQL would plan one condition per word. At most
`SEARCH_MAX_WORDS` words are used, each cut to `SEARCH_MAX_WORD_CHARS` characters; the rest is
dropped, and the page still answers with the first words' matches.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from .text import fold


def _limits() -> tuple[int, int]:
    return (int(getattr(settings, "SEARCH_MAX_WORDS", 6)),
            int(getattr(settings, "SEARCH_MAX_WORD_CHARS", 40)))


def search_query(raw: object) -> str:
    """The search text as typed (accents kept), bounded: at most N words of at most M
    characters, single spaces, no NUL. "" for nothing (or None)."""
    max_words, max_chars = _limits()
    text = str(raw or "")
    # split() of a huge string costs little, but only the first words are ever needed
    text = text[: max_words * (max_chars + 64)].replace("\x00", "")
    return " ".join(word[:max_chars] for word in text.split()[:max_words])


def search_words(raw: object) -> list[str]:
    """The folded words (common.text.fold) of a bounded search: what queries match on."""
    max_words, max_chars = _limits()
    return [w[:max_chars] for w in fold(search_query(raw)).split()[:max_words]]


class SearchField(forms.CharField):
    """A search box of a filter form: never invalid for its length, bounded by search_query."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.pop("max_length", None)
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> str:
        return search_query(super().to_python(value))
