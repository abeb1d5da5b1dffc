"""Dates as news pages print them -> (timestamp, precision). Pure; no clock.

Timestamps are naive UTC. A time printed with a zone (`11:58 PM IST`, `+05:30`, `GMT+3`, `ET`)
is converted, and its offset from UTC is kept, in minutes, for the reader who wants local time.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from datetime import date as date_type
from zoneinfo import ZoneInfo

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"

# Zone abbreviations news sites print, as their fixed offsets in minutes (an abbreviation names
# one offset: EDT is always UTC-4). Where an abbreviation is ambiguous the commoner reading in
# English-language news wins: IST India, CST US Central, BST British Summer Time.
ZONE_OFFSETS = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 60, "BST": 60, "IST": 330, "CET": 60, "CEST": 120,
    "EET": 120, "EEST": 180, "MSK": 180, "TRT": 180, "GST": 240, "PKT": 300, "NPT": 345,
    "BDT": 360, "ICT": 420, "WIB": 420, "HKT": 480, "SGT": 480, "PHT": 480, "AWST": 480, "JST": 540,
    "KST": 540, "ACST": 570, "AEST": 600, "AEDT": 660, "NZST": 720, "NZDT": 780, "SAST": 120,
    "WAT": 60, "CAT": 120, "EAT": 180, "EST": -300, "EDT": -240, "CDT": -300, "MST": -420,
    "MDT": -360, "PST": -480, "PDT": -420, "AKST": -540, "AKDT": -480, "HST": -600, "CST": -360,
}  # fmt: skip
# Generic names whose offset depends on the date (daylight saving): the zone database decides.
ZONE_NAMES = {"ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver", "PT": "America/Los_Angeles"}
# Abbreviations in capitals only: `at`, `est` or `pt` in lower case are words, not zones.
_ZONE_WORD = "(?-i:" + "|".join(sorted([*ZONE_OFFSETS, *ZONE_NAMES], key=len, reverse=True)) + r")\b"
_ZONE = r"(?P<tz>(?:gmt|utc)\s*[+-]\s*\d{1,2}(?::?\d{2})?|gmt|utc|z\b|[+-]\d{2}:?\d{2}\b|\(?" + _ZONE_WORD + r"\)?)"
_TIME = (
    r"(?:\s*(?:,|at|-|–|—|\||T)?\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
    r"\s*(?P<ampm>[ap]\.?m\b\.?)?\s*" + _ZONE + "?)?"
)
_FORMATS = [
    re.compile(_WEEKDAY + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})" + _TIME, re.I),
    re.compile(_WEEKDAY + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})" + _TIME, re.I),
    re.compile(r"(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})" + _TIME, re.I),
    re.compile(r"(?P<first>\d{1,2})[/.](?P<second_part>\d{1,2})[/.](?P<year>\d{4})" + _TIME, re.I),
    re.compile(_MONTH + r",?\s+(?P<year>\d{4})", re.I),
]
# A dateline that puts the time first: `Published 10:15 GMT, 03 Oct 2024`.
_TIME_FIRST = (
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*(?P<ampm>[ap]\.?m\b\.?)?\s*" + _ZONE + r"?\s*(?:,|on|\|)?\s*" + _WEEKDAY
)
_TIME_FIRST_FORMATS = [
    re.compile(_TIME_FIRST + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})", re.I),
    re.compile(_TIME_FIRST + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})", re.I),
]
# Words a dateline may carry besides the date itself.
_LABEL_WORDS = re.compile(r"(?i)\b(published|posted|updated|last|first|modified|date|dated|on|at|by|in|created|time)\b|[|:·•,–—-]")


def parse_date(text: str) -> tuple[datetime | None, str | None, tuple[int, int] | None]:
    """The first date in `text`: (naive UTC-or-as-printed timestamp, precision, span)."""
    stamp, precision, span, _ = parse_date_with_offset(text)
    return stamp, precision, span


def parse_date_with_offset(text: str) -> tuple[datetime | None, str | None, tuple[int, int] | None, int | None]:
    """`parse_date` and the offset from UTC, in minutes, of the zone the time was printed in
    (None when no zone is printed: the time is then taken as printed)."""
    best = None
    for pattern in _FORMATS + _TIME_FIRST_FORMATS:
        match = pattern.search(text)
        if match and (best is None or match.start() < best.start()):
            best = match
    if best is None:
        return None, None, None, None
    stamp, precision, offset = _to_datetime_with_offset(best.groupdict())
    if stamp is None:
        return None, None, None, None
    return stamp, precision, best.span(), offset


def parse_dateline(line: str) -> tuple[datetime | None, str | None]:
    """A line that is a dateline (a date, a label, a few words at most) -> its timestamp.

    A sentence that merely mentions a date is not a dateline: `on January 21, 2018 at Hassa`
    in a photo caption must never become the publication time.
    """
    stamp, precision, _ = parse_dateline_with_offset(line)
    return stamp, precision


def parse_dateline_with_offset(line: str) -> tuple[datetime | None, str | None, int | None]:
    """`parse_dateline` and the printed zone's offset from UTC in minutes (None when none is printed)."""
    stamp, precision, span, offset = parse_date_with_offset(line)
    if stamp is None:
        return None, None, None
    rest = line[: span[0]] + " " + line[span[1] :]
    for pattern in _TIME_FIRST_FORMATS + _FORMATS:  # a second stamp (`| Updated ...`) is no sentence either
        rest = pattern.sub(" ", rest)
    if len(_LABEL_WORDS.sub(" ", rest).split()) > 4:
        return None, None, None
    return stamp, precision, offset


def _to_datetime(parts: dict) -> tuple[datetime | None, str | None]:
    stamp, precision, _ = _to_datetime_with_offset(parts)
    return stamp, precision


def _to_datetime_with_offset(parts: dict) -> tuple[datetime | None, str | None, int | None]:
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
        return None, None, None
    if not 1800 <= year <= 2200:
        return None, None, None
    try:
        if day is None:
            return datetime(year, month, 1), "month", None
        stamp = datetime(year, month, day)
    except ValueError:
        return None, None, None
    if not parts.get("hour"):
        return stamp, "day", None
    hour, minute = int(parts["hour"]), int(parts["minute"])
    ampm = (parts.get("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return stamp, "day", None
    second = int(parts["second"]) if parts.get("second") else 0
    stamp = stamp.replace(hour=hour, minute=minute, second=min(second, 59))
    offset = _zone_offset(parts.get("tz"), stamp)
    if offset:
        stamp = (stamp.replace(tzinfo=timezone(timedelta(minutes=offset)))).astimezone(UTC).replace(tzinfo=None)
    return stamp, "second" if parts.get("second") else "minute", offset


def _zone_offset(zone: str | None, local: datetime) -> int | None:
    """Minutes east of UTC of a printed zone (`IST`, `+0530`, `GMT-3`, `ET`) at `local` time."""
    if not zone:
        return None
    zone = zone.strip("()").replace(" ", "")
    name = zone.upper()
    if name in ZONE_OFFSETS:
        return ZONE_OFFSETS[name]
    if name in ZONE_NAMES:
        return int(local.replace(tzinfo=ZoneInfo(ZONE_NAMES[name])).utcoffset().total_seconds() // 60)
    numeric = re.fullmatch(r"(?:GMT|UTC)?([+-])(\d{1,2}):?(\d{2})?", name)
    if not numeric:
        return None
    hours, minutes = int(numeric.group(2)), int(numeric.group(3) or 0)
    if hours > 14 or minutes > 59:
        return None
    return (-1 if numeric.group(1) == "-" else 1) * (hours * 60 + minutes)


_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_RELATIVE = [
    (
        "weekday",
        re.compile(r"\b(?:(?P<which>next|last|this|coming)\s+|on\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I),
    ),
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
                resolved = _relative(kind, match, published.date(), sentence)
                if resolved[0] is not None:
                    candidates.append((match, *resolved))
    if not candidates:
        return None, None
    _, when, precision = min(candidates, key=lambda item: abs(item[0].start() - anchor))
    return when, precision


def _overlaps(a: re.Match, b: re.Match) -> bool:
    return a.start() < b.end() and b.start() < a.end()


def _relative(kind: str, match: re.Match, published: date_type, sentence: str = "") -> tuple[date_type | None, str | None]:
    if kind == "weekday":
        weekday = _WEEKDAYS[match.group(2).lower()]
        which = (match.group("which") or "").lower()
        if which in ("next", "coming") or (which != "last" and _is_ahead(sentence, match.start())):
            # "will meet on Friday": the first Friday after publication (a plan for today would say today).
            return published + timedelta(days=(weekday - published.weekday()) % 7 or 7), "day"
        # News reports past events: "on Friday" is the latest Friday on or before publication,
        # "last Friday" the one before the day of publication.
        back = (published.weekday() - weekday) % 7
        return published - timedelta(days=back or (7 if which == "last" else 0)), "day"
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


# The sentence's tense, from its words: a date after a future marker ("will meet on Friday",
# "talks due to be held on Monday") is ahead, unless a reporting verb comes between them
# ("will resign, he said on Monday": the saying is past).
_FUTURE_MARKER = re.compile(
    r"\b(?:will|shall|is due|are due|due to|to be held|scheduled|expected to|set to|plans? to|planning to|going to|upcoming|ahead of)\b"
    r"|\w'll\b",
    re.I,
)
_REPORTING_VERB = re.compile(r"\b(?:said|says|told|announced|stated|reported|added|confirmed|declared|wrote|tweeted)\b", re.I)


def _is_ahead(sentence: str, position: int) -> bool:
    before = sentence[:position]
    markers = list(_FUTURE_MARKER.finditer(before))
    return bool(markers) and not _REPORTING_VERB.search(before, markers[-1].end())


def _months_back(day: date_type, months: int) -> date_type:
    total = day.year * 12 + day.month - 1 - months
    return date_type(total // 12, total % 12 + 1, 1)
