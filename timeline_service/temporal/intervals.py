"""From a TIMEX3 value to the UTC interval storage and merging compare."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache

from .calendar_math import SEASON_START_MONTH, add_months
from .lexicon import PART_OF_DAY_HOURS
from .types import Interval
from .zones import UTC

_NARROW = {"START": (0, 1), "MID": (1, 2), "END": (2, 3)}


def _local(day: date, zone: tzinfo, hours: float = 0) -> datetime:
    moment = datetime.combine(day, time(0), tzinfo=zone) + timedelta(hours=hours)
    # Re-attach so daylight-saving days keep their true local wall clock.
    naive = moment.replace(tzinfo=None)
    return naive.replace(tzinfo=zone).astimezone(UTC)


def _parse_offset(text: str | None) -> tzinfo | None:
    if not text:
        return None
    m = re.fullmatch(r"([+-])(\d\d):(\d\d)", text)
    if not m:
        return None
    minutes = int(m.group(2)) * 60 + int(m.group(3))
    return timezone(timedelta(minutes=minutes if m.group(1) == "+" else -minutes))


def _bounds(value: str, zone: tzinfo, utc_offset: str | None, span_days: int):
    if m := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)", value):
        day = date(int(m[1]), int(m[2]), int(m[3]))
        zone = _parse_offset(utc_offset) or zone
        start = _local(day, zone, int(m[4]) + int(m[5]) / 60)
        return start, start + timedelta(minutes=1)
    if m := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)T(MO|AF|EV|NI|MI|DT)", value):
        day = date(int(m[1]), int(m[2]), int(m[3]))
        a, b = PART_OF_DAY_HOURS[m[4]]
        return _local(day, zone, a), _local(day, zone, b)
    if m := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", value):
        day = date(int(m[1]), int(m[2]), int(m[3]))
        return _local(day, zone), _local(day + timedelta(days=span_days), zone)
    if m := re.fullmatch(r"(\d{4})-W(\d\d)(-WE)?", value):
        monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        if m[3]:
            return _local(monday + timedelta(days=5), zone), _local(
                monday + timedelta(days=7), zone
            )
        return _local(monday, zone), _local(monday + timedelta(days=7), zone)
    if m := re.fullmatch(r"(\d{4})-(\d\d)", value):
        first = date(int(m[1]), int(m[2]), 1)
        y, mo = add_months(first, 1)
        return _local(first, zone), _local(date(y, mo, 1), zone)
    if m := re.fullmatch(r"(\d{4})-([QH])(\d)", value):
        size = 3 if m[2] == "Q" else 6
        first = date(int(m[1]), (int(m[3]) - 1) * size + 1, 1)
        y, mo = add_months(first, size)
        return _local(first, zone), _local(date(y, mo, 1), zone)
    if m := re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value):
        first = date(int(m[1]), SEASON_START_MONTH[m[2]], 1)
        y, mo = add_months(first, 3)
        return _local(first, zone), _local(date(y, mo, 1), zone)
    if m := re.fullmatch(r"(\d{4})", value):
        y = int(m[1])
        return _local(date(y, 1, 1), zone), _local(date(y + 1, 1, 1), zone)
    if m := re.fullmatch(r"(\d{3})X", value):
        y = int(m[1]) * 10
        return _local(date(max(y, 1), 1, 1), zone), _local(date(y + 10, 1, 1), zone)
    if m := re.fullmatch(r"(\d{2})XX", value):
        y = int(m[1]) * 100
        return _local(date(max(y, 1), 1, 1), zone), _local(date(y + 100, 1, 1), zone)
    return None


@lru_cache(maxsize=4096)  # pure, and a document's dates recur (the publication day, ...)
def interval_for(
    value: str | None,
    zone: tzinfo,
    *,
    mod: str | None = None,
    utc_offset: str | None = None,
    span_days: int = 1,
    early_hours: bool = False,
) -> Interval | None:
    """The half-open UTC interval a DATE/TIME value denotes in ``zone``; a START,
    MID or END mod keeps the matching third. None for references such as
    PRESENT_REF, which name no fixed span."""
    if not value:
        return None
    try:
        bounds = _bounds(value, zone, utc_offset, span_days)
    except (ValueError, OverflowError):
        return None
    if bounds is None:
        return None
    start, end = bounds
    if early_hours:
        day_start = start - timedelta(hours=PART_OF_DAY_HOURS["MO"][0])
        return Interval(day_start, day_start + timedelta(hours=6))
    if mod in _NARROW and (end - start) > timedelta(minutes=1):
        a, b = _NARROW[mod]
        third = (end - start) / 3
        start, end = start + third * a, start + third * b
    return Interval(start, end)
