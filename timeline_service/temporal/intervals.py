"""From a TIMEX3 value (read by :mod:`.timex`) to the UTC interval storage and merging
compare."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache

from .lexicon import PART_OF_DAY_HOURS
from .timex import parse
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
    t = parse(value)
    if t is None:
        return None
    if t.hour is not None:
        start = _local(t.first, _parse_offset(utc_offset) or zone, t.hour + (t.minute or 0) / 60)
        return start, start + timedelta(minutes=1)
    if t.part is not None:
        a, b = PART_OF_DAY_HOURS[t.part]
        return _local(t.first, zone, a), _local(t.first, zone, b)
    if t.day is not None:
        return _local(t.first, zone), _local(t.first + timedelta(days=span_days), zone)
    return _local(t.first, zone), _local(t.after, zone)


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
