"""Dates as news pages print them -> (timestamp, precision). Pure; no clock."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_TIME = (
    r"(?:\s*(?:,|at|-|–|—|\||T)?\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
    r"\s*(?P<ampm>[ap]\.?m\b\.?)?\s*(?P<tz>gmt|utc|z\b|[+-]\d{2}:?\d{2})?)?"
)
_FORMATS = [
    re.compile(_WEEKDAY + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})" + _TIME, re.I),
    re.compile(_WEEKDAY + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})" + _TIME, re.I),
    re.compile(r"(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})" + _TIME, re.I),
    re.compile(r"(?P<first>\d{1,2})[/.](?P<second_part>\d{1,2})[/.](?P<year>\d{4})" + _TIME, re.I),
    re.compile(_MONTH + r",?\s+(?P<year>\d{4})", re.I),
]
# Words a dateline may carry besides the date itself.
_LABEL_WORDS = re.compile(
    r"(?i)\b(published|posted|updated|last|first|modified|date|dated|on|at|by|in|created|time)\b|[|:·•,–—-]"
)


def parse_date(text: str) -> tuple[datetime | None, str | None, tuple[int, int] | None]:
    """The first date in `text`: (naive UTC-or-as-printed timestamp, precision, span)."""
    best = None
    for pattern in _FORMATS:
        match = pattern.search(text)
        if match and (best is None or match.start() < best.start()):
            best = match
    if best is None:
        return None, None, None
    stamp, precision = _to_datetime(best.groupdict())
    if stamp is None:
        return None, None, None
    return stamp, precision, best.span()


def parse_dateline(line: str) -> tuple[datetime | None, str | None]:
    """A line that is a dateline (a date, a label, a few words at most) -> its timestamp.

    A sentence that merely mentions a date is not a dateline: `on January 21, 2018 at Hassa`
    in a photo caption must never become the publication time.
    """
    stamp, precision, span = parse_date(line)
    if stamp is None:
        return None, None
    rest = _LABEL_WORDS.sub(" ", line[: span[0]] + " " + line[span[1] :])
    if len(rest.split()) > 4:
        return None, None
    return stamp, precision


def _to_datetime(parts: dict) -> tuple[datetime | None, str | None]:
    year = int(parts["year"])
    if parts.get("mon"):
        month, day = int(parts["mon"]), int(parts["day"])
    elif parts.get("first"):
        first, second = int(parts["first"]), int(parts["second_part"])
        # Day first unless that is impossible: most of the world's press writes 15/01/2020.
        day, month = (second, first) if first <= 12 < second else (first, second)
    elif parts.get("month"):
        month = MONTHS[parts["month"][:3].lower()]
        day = int(parts["day"]) if parts.get("day") else None
    else:
        return None, None
    if not 1800 <= year <= 2200:
        return None, None
    try:
        if day is None:
            return datetime(year, month, 1), "month"
        stamp = datetime(year, month, day)
    except ValueError:
        return None, None
    if not parts.get("hour"):
        return stamp, "day"
    hour, minute = int(parts["hour"]), int(parts["minute"])
    ampm = (parts.get("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return stamp, "day"
    second = int(parts["second"]) if parts.get("second") else 0
    stamp = stamp.replace(hour=hour, minute=minute, second=min(second, 59))
    tz = (parts.get("tz") or "").lower()
    if tz and tz not in ("gmt", "utc", "z"):
        sign = -1 if tz[0] == "-" else 1
        digits = tz[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
        stamp = (stamp.replace(tzinfo=timezone(sign * offset))).astimezone(timezone.utc).replace(tzinfo=None)
    return stamp, "second" if parts.get("second") else "minute"
