"""Time zones: the text's own ("0200 GMT", "EST", "Moscow time") or the caller's."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Fixed abbreviations are unambiguous in English-language news; the named zones
# follow daylight saving.
_FIXED_HOURS: dict[str, float] = {
    "gmt": 0, "utc": 0, "z": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7,
    "mdt": -6, "pst": -8, "pdt": -7, "bst": 1, "cet": 1, "cest": 2, "eet": 2, "eest": 3,
    "msk": 3, "jst": 9,
}  # fmt: skip
_NAMED: dict[str, str] = {
    "et": "America/New_York", "eastern": "America/New_York", "pt": "America/Los_Angeles",
    "pacific": "America/Los_Angeles", "central": "America/Chicago",
    "mountain": "America/Denver", "moscow": "Europe/Moscow", "kyiv": "Europe/Kyiv",
    "kiev": "Europe/Kyiv", "minsk": "Europe/Minsk",
}  # fmt: skip


@lru_cache(maxsize=256)
def get_zone(name: str | None) -> tzinfo:
    """An IANA zone by name; UTC when none is given or the name is unknown."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


UTC = timezone.utc  # noqa: UP017 - kept explicit for readers of the interval code


def zone_from_text(label: str | None, default: tzinfo) -> tzinfo | None:
    """The zone a label such as "GMT", "EST" or "Moscow time" names; ``default``
    for "local time"; None when the label is absent or unknown."""
    if not label:
        return None
    words = label.lower().split()
    if words[0] == "local":
        return default
    if words[0] in _FIXED_HOURS:
        return timezone(timedelta(hours=_FIXED_HOURS[words[0]]))
    if words[0] in _NAMED:
        return get_zone(_NAMED[words[0]])
    return None


def offset_string(delta: timedelta | None) -> str | None:
    """ "+03:00" style offset, as TIMEX3 and RFC 3339 write it."""
    if delta is None:
        return None
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def local_to_utc(day: date, clock: time, zone: tzinfo) -> datetime:
    """A local wall-clock moment in ``zone`` as an aware UTC datetime."""
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)
