"""Dates as news pages print them -> (timestamp, precision). Pure; no clock."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from datetime import date as date_type

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
_LABEL_WORDS = re.compile(r"(?i)\b(published|posted|updated|last|first|modified|date|dated|on|at|by|in|created|time)\b|[|:·•,–—-]")


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
        stamp = (stamp.replace(tzinfo=timezone(sign * offset))).astimezone(UTC).replace(tzinfo=None)
    return stamp, "second" if parts.get("second") else "minute"


_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_RELATIVE = [
    ("weekday", re.compile(r"\b(?:on\s+|last\s+|this\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)),
    ("month_day", re.compile(r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?!,?\s+\d{4})", re.I)),
    ("day_month", re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r"(?!,?\s+\d{4})\b", re.I)),
    ("ago", re.compile(r"\b(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?P<unit>day|week|month|year)s?\s+ago\b", re.I)),
    ("last", re.compile(r"\blast\s+(?P<unit>week|month|year)\b", re.I)),
    ("yesterday", re.compile(r"\byesterday\b", re.I)),
    ("today", re.compile(r"\b(?:today|this morning|this afternoon|tonight)\b", re.I)),
    ("in_month", re.compile(r"\bin\s+(?:early\s+|mid-?\s*|late\s+)?" + _MONTH + r"(?!\s+\d)\b", re.I)),
]


def resolve_event_date(sentence: str, anchor: int, published: datetime | None) -> tuple[date_type | None, str | None]:
    """The date of the event a sentence reports: (date, precision) or (None, None).

    A date with its year stands on its own. A relative expression (`on Friday`, `on Nov. 1`,
    `last week`, `16 days ago`) is resolved against the publication date and needs one: with
    no publication date it gives no date (never today's). Of several expressions, the one
    nearest the verb at `anchor` wins.
    """
    candidates = []
    for pattern in _FORMATS[:4]:
        for match in pattern.finditer(sentence):
            stamp, precision = _to_datetime(match.groupdict())
            if stamp is not None:
                candidates.append((match, stamp.date(), "day" if precision != "month" else "month"))
    for pattern in _FORMATS[4:]:
        for match in pattern.finditer(sentence):
            stamp, _ = _to_datetime(match.groupdict())
            if stamp is not None and not any(_overlaps(match, other) for other, *_ in candidates):
                candidates.append((match, stamp.date(), "month"))
    if published is not None:
        for kind, pattern in _RELATIVE:
            for match in pattern.finditer(sentence):
                if any(_overlaps(match, other) for other, *_ in candidates):
                    continue
                resolved = _relative(kind, match, published.date())
                if resolved[0] is not None:
                    candidates.append((match, *resolved))
    if not candidates:
        return None, None
    _, when, precision = min(candidates, key=lambda item: abs(item[0].start() - anchor))
    return when, precision


def _overlaps(a: re.Match, b: re.Match) -> bool:
    return a.start() < b.end() and b.start() < a.end()


def _relative(kind: str, match: re.Match, published: date_type) -> tuple[date_type | None, str | None]:
    if kind == "weekday":
        # News reports past events: "on Friday" is the latest Friday on or before publication.
        back = (published.weekday() - _WEEKDAYS[match.group(1).lower()]) % 7
        return published - timedelta(days=back), "day"
    if kind in ("month_day", "day_month"):
        month, day = MONTHS[match.group("month")[:3].lower()], int(match.group("day"))
        for year in (published.year, published.year - 1):
            try:
                candidate = date_type(year, month, day)
            except ValueError:
                return None, None
            if candidate <= published + timedelta(days=7):  # a date just ahead is an announced one
                return candidate, "day"
        return None, None
    if kind == "ago":
        count = match.group("n").lower()
        count = int(count) if count.isdigit() else _NUMBER_WORDS[count]
        unit = match.group("unit").lower()
        if unit == "day":
            return published - timedelta(days=count), "day"
        if unit == "week":
            return published - timedelta(weeks=count), "week"
        if unit == "month":
            return _months_back(published, count), "month"
        return date_type(published.year - count, 1, 1), "year"
    if kind == "last":
        unit = match.group("unit").lower()
        if unit == "week":
            return published - timedelta(weeks=1), "week"
        if unit == "month":
            return _months_back(published, 1), "month"
        return date_type(published.year - 1, 1, 1), "year"
    if kind == "yesterday":
        return published - timedelta(days=1), "day"
    if kind == "today":
        return published, "day"
    if kind == "in_month":
        month = MONTHS[match.group("month")[:3].lower()]
        year = published.year if month <= published.month else published.year - 1
        return date_type(year, month, 1), "month"
    return None, None


def _months_back(day: date_type, months: int) -> date_type:
    total = day.year * 12 + day.month - 1 - months
    return date_type(total // 12, total % 12 + 1, 1)
