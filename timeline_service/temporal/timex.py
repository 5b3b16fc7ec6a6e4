"""TIMEX3 date values, read once: what a value knows, the local days it covers, its label.

The service stores a date as a TIMEX3-style value (``2022-02-24``, ``2022-02``, ``2023-W07``,
``2023-W07-WE``, ``2022-SP``, ``2022-Q3``, ``2022-H1``, ``2022``, ``199X``, ``19XX``,
``2022-02-24TMO``, ``2022-02-24T05:00``). :func:`parse` is the one reader of that
syntax; the interval computation (:mod:`.intervals`), merging (which compares the local
days values cover) and the export formats (which must not invent precision) all go
through it, so they cannot disagree on what a season or a weekend is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from .lexicon import MONTH_NAMES

#: season code -> (name, first month, months long); winter runs into the next year
SEASONS = {"SP": ("spring", 3), "SU": ("summer", 6), "FA": ("autumn", 9), "WI": ("winter", 12)}
PARTS = {
    "MO": "morning", "MI": "midday", "AF": "afternoon", "EV": "evening", "NI": "night",
    "DT": "daytime",
}  # fmt: skip

_VALUE = re.compile(
    r"^(?P<year>\d{4})"
    r"(?:-(?:(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?:(?P<hour>\d{2}):(?P<minute>\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"
    r"|(?P<part>MO|MI|AF|EV|NI|DT)))?)?"
    r"|W(?P<week>\d{2})(?P<weekend>-WE)?|(?P<season>SP|SU|FA|WI)|Q(?P<quarter>[1-4])"
    r"|H(?P<half>[12])))?$"
    r"|^(?P<decade>\d{3})X$|^(?P<century>\d{2})XX$"
)


@dataclass(frozen=True)
class Timex:
    """The fields a date value states; everything it does not state is None.

    ``first`` and ``after`` are the local calendar days it covers, ``[first, after)``.
    """

    first: date
    after: date
    year: int | None = None
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    part: str | None = None
    week: int | None = None
    weekend: bool = False
    season: str | None = None
    quarter: int | None = None
    half: int | None = None
    decade: int | None = None
    century: int | None = None


def _months_after(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@lru_cache(maxsize=65536)
def parse(value: str) -> Timex | None:
    """The fields and local days of a calendar value, or None when it is not one (a
    reference such as ``PRESENT_REF``, a duration, or an impossible date)."""
    m = _VALUE.match(value or "")
    if m is None:
        return None
    try:
        return _parse(m)
    except (ValueError, OverflowError):
        return None


def _parse(m: re.Match[str]) -> Timex:
    if m["decade"]:
        start = int(m["decade"]) * 10
        return Timex(date(max(start, 1), 1, 1), date(start + 10, 1, 1), decade=start)
    if m["century"]:
        start = int(m["century"]) * 100
        return Timex(date(max(start, 1), 1, 1), date(start + 100, 1, 1), century=start)
    year = int(m["year"])
    if m["week"]:
        monday = date.fromisocalendar(year, int(m["week"]), 1)
        if m["weekend"]:
            return Timex(monday + timedelta(days=5), monday + timedelta(days=7), year=year,
                         week=int(m["week"]), weekend=True)  # fmt: skip
        return Timex(monday, monday + timedelta(days=7), year=year, week=int(m["week"]))
    if m["season"]:
        first = date(year, SEASONS[m["season"]][1], 1)
        return Timex(first, _months_after(first, 3), year=year, season=m["season"])
    if m["quarter"]:
        first = date(year, 3 * int(m["quarter"]) - 2, 1)
        return Timex(first, _months_after(first, 3), year=year, quarter=int(m["quarter"]))
    if m["half"]:
        first = date(year, 6 * int(m["half"]) - 5, 1)
        return Timex(first, _months_after(first, 6), year=year, half=int(m["half"]))
    if not m["month"]:
        return Timex(date(year, 1, 1), date(year + 1, 1, 1), year=year)
    month = int(m["month"])
    if not m["day"]:
        first = date(year, month, 1)
        return Timex(first, _months_after(first, 1), year=year, month=month)
    day = date(year, month, int(m["day"]))
    hour = int(m["hour"]) if m["hour"] else None
    minute = int(m["minute"]) if m["minute"] else None
    if hour is not None and (hour > 23 or (minute or 0) > 59):
        raise ValueError("not a clock time")
    return Timex(day, day + timedelta(days=1), year=year, month=month, day=day.day,
                 hour=hour, minute=minute, part=m["part"])  # fmt: skip


def calendar_range(value: str) -> tuple[date, date]:
    """The local calendar days ``[first, after)`` a value covers; ValueError if none."""
    found = parse(value)
    if found is None:
        raise ValueError(f"not a calendar value: {value!r}")
    return found.first, found.after


# ------------------------------------------------------------------ for display


@dataclass(frozen=True)
class CalendarDate:
    """The known fields of a date value, its local day span and a human label.

    ``first``/``last`` are the first and last local calendar days covered (inclusive);
    they are None when the value could not be read.
    """

    year: int | None = None
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    first: date | None = None
    last: date | None = None
    label: str = ""


def read(value: str) -> CalendarDate:
    """The calendar fields of ``value`` (``2022``, ``2022-02``, ``2023-W07``, ...) for
    exports, which must not invent precision: ``2022-02`` knows a year and a month."""
    t = parse(value)
    if t is None:
        return CalendarDate(label=value or "")
    last = t.after - timedelta(days=1)
    fields = {"first": t.first, "last": last, "label": _label(t)}
    if t.decade is not None or t.century is not None:
        return CalendarDate(**fields)
    if t.month is None:
        return CalendarDate(year=t.year, **fields)
    if t.day is None:
        return CalendarDate(year=t.year, month=t.month, **fields)
    return CalendarDate(t.year, t.month, t.day, t.hour, t.minute, **fields)


def _label(t: Timex) -> str:
    if t.decade is not None:
        return f"the {t.decade}s"
    if t.century is not None:
        return f"the {t.century}s"
    if t.week is not None:
        return f"{'the weekend of ' if t.weekend else ''}week {t.week} of {t.year}"
    if t.season is not None:
        return f"{SEASONS[t.season][0]} {t.year}"
    if t.quarter is not None:
        return f"Q{t.quarter} {t.year}"
    if t.half is not None:
        return f"H{t.half} {t.year}"
    if t.month is None:
        return str(t.year)
    if t.day is None:
        return f"{MONTH_NAMES[t.month - 1]} {t.year}"
    label = f"{t.day} {MONTH_NAMES[t.month - 1]} {t.year}"
    if t.hour is not None:
        return f"{label}, {t.hour:02d}:{t.minute or 0:02d}"
    if t.part is not None:
        return f"{PARTS[t.part]} of {label}"
    return label
