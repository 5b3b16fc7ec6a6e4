"""Read a stored TIMEX3-style date value back into the calendar fields it actually knows.

Exports must not invent precision: ``2022-02`` knows a year and a month, no day. This
module turns a value into those fields and into the span of local calendar days it
covers (for all-day iCalendar entries), without consulting the date engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
SEASONS = {
    "SP": ("spring", 3, 5),
    "SU": ("summer", 6, 8),
    "FA": ("autumn", 9, 11),
    "WI": ("winter", 12, 2),
}
PARTS = {
    "MO": "morning",
    "MI": "midday",
    "AF": "afternoon",
    "EV": "evening",
    "NI": "night",
    "DT": "daytime",
}

_VALUE = re.compile(
    r"^(?P<year>\d{4})"
    r"(?:-(?:(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?:(?P<hour>\d{2}):(?P<minute>\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"
    r"|(?P<part>[A-Z]{2})))?)?"
    r"|W(?P<week>\d{2})|(?P<season>SP|SU|FA|WI)|Q(?P<quarter>[1-4])|H(?P<half>[12])))?$"
)
_DECADE = re.compile(r"^(?P<decade>\d{3})X?$")


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


def _month_end(year: int, month: int) -> date:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def read(value: str) -> CalendarDate:
    """The calendar fields of ``value`` (``2022``, ``2022-02``, ``2023-W07``, ...)."""
    m = _VALUE.match(value or "")
    if m is None:
        d = _DECADE.match(value or "")
        if d:
            start = int(d["decade"]) * 10
            return CalendarDate(
                first=date(max(start, 1), 1, 1), last=date(start + 9, 12, 31), label=f"the {start}s"
            )
        return CalendarDate(label=value or "")
    try:
        return _read(m)
    except ValueError:
        return CalendarDate(label=value)


def _read(m: re.Match[str]) -> CalendarDate:
    year = int(m["year"])
    if m["week"]:
        monday = date.fromisocalendar(year, int(m["week"]), 1)
        sunday = monday + timedelta(days=6)
        return CalendarDate(
            year=year, first=monday, last=sunday, label=f"week {int(m['week'])} of {year}"
        )
    if m["season"]:
        name, first_month, last_month = SEASONS[m["season"]]
        end_year = year + 1 if last_month < first_month else year
        return CalendarDate(
            year=year,
            first=date(year, first_month, 1),
            last=_month_end(end_year, last_month),
            label=f"{name} {year}",
        )
    if m["quarter"]:
        q = int(m["quarter"])
        return CalendarDate(
            year=year,
            first=date(year, 3 * q - 2, 1),
            last=_month_end(year, 3 * q),
            label=f"Q{q} {year}",
        )
    if m["half"]:
        h = int(m["half"])
        return CalendarDate(
            year=year,
            first=date(year, 6 * h - 5, 1),
            last=_month_end(year, 6 * h),
            label=f"H{h} {year}",
        )
    if not m["month"]:
        return CalendarDate(
            year=year, first=date(year, 1, 1), last=date(year, 12, 31), label=str(year)
        )
    month = int(m["month"])
    if not m["day"]:
        return CalendarDate(
            year=year,
            month=month,
            first=date(year, month, 1),
            last=_month_end(year, month),
            label=f"{MONTHS[month - 1]} {year}",
        )
    day = date(year, month, int(m["day"]))
    label = f"{day.day} {MONTHS[month - 1]} {year}"
    if m["hour"]:
        hour, minute = int(m["hour"]), int(m["minute"])
        return CalendarDate(
            year=year,
            month=month,
            day=day.day,
            hour=hour,
            minute=minute,
            first=day,
            last=day,
            label=f"{label}, {hour:02d}:{minute:02d}",
        )
    if m["part"]:
        label = f"{PARTS.get(m['part'], m['part'].lower())} of {label}"
    return CalendarDate(year=year, month=month, day=day.day, first=day, last=day, label=label)
