"""iCalendar (RFC 5545) text for a user's feed (HUB-4): escaping, folding, CRLF, UTF-8."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from .selectors import CalendarItem

PRODID = "-//Doan TNCS Ho Chi Minh//Doan Vu//VI"


def escape_text(value: str) -> str:
    """TEXT values: backslash, semicolon, comma and newlines escaped (RFC 5545 §3.3.11)."""
    return (
        value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets are folded with CRLF + space, never inside a UTF-8 character."""
    out: list[str] = []
    current = ""
    size = 0
    limit = 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += ch
        size += n
    out.append(current)
    return "\r\n".join(out)


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _date(value: dt.date) -> str:
    return value.strftime("%Y%m%d")


def build_calendar(*, name: str, items: Iterable[CalendarItem], base_url: str,
                   stamp: dt.datetime) -> bytes:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "X-WR-TIMEZONE:Asia/Ho_Chi_Minh",
    ]
    seen: set[str] = set()
    for item in items:
        if item.uid in seen:  # a multi-day event is one VEVENT
            continue
        seen.add(item.uid)
        lines.append("BEGIN:VEVENT")
        lines.append(f"UID:{item.uid}@doanvu")
        lines.append(f"DTSTAMP:{_utc(stamp)}")
        if item.start is not None and not item.all_day:
            lines.append(f"DTSTART:{_utc(item.start)}")
            if item.end is not None:
                lines.append(f"DTEND:{_utc(item.end)}")
        else:
            first, last = item.day, item.day
            if item.start is not None:
                first = timezone.localtime(item.start).date()
                last = timezone.localtime(item.end).date() if item.end is not None else first
            lines.append(f"DTSTART;VALUE=DATE:{_date(first)}")
            lines.append(f"DTEND;VALUE=DATE:{_date(last + dt.timedelta(days=1))}")
        lines.append(f"SUMMARY:{escape_text(item.title)}")
        lines.append(f"DESCRIPTION:{escape_text(item.detail)}")
        lines.append(f"URL:{base_url}{item.url}")
        if item.kind.startswith("deadline"):
            lines.append("CATEGORIES:" + _("Hạn nộp"))
            lines.append("TRANSP:TRANSPARENT")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
