"""Time zones: the text's own ("0200 GMT", "EST", "Moscow time") or the caller's."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: Zone abbreviations news prints after a time, and the words it names zones with. A
#: standard- or summer-time abbreviation is a fixed offset (EST is UTC-5 all year, EDT
#: UTC-4), as written; a region without a season (ET, PT, "Eastern", "Moscow time")
#: follows daylight saving. Where an abbreviation has several meanings, the one English
#: news means most often: CST is US Central, IST is India, AMT is Armenia.
ABBREVIATIONS: dict[str, float | str] = {
    "gmt": 0, "utc": 0, "z": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7,
    "mdt": -6, "pst": -8, "pdt": -7, "bst": 1, "cet": 1, "cest": 2, "eet": 2, "eest": 3,
    "msk": 3, "jst": 9, "amt": 4, "ist": 5.5,
    "et": "America/New_York", "eastern": "America/New_York", "ct": "America/Chicago",
    "central": "America/Chicago", "mt": "America/Denver", "mountain": "America/Denver",
    "pt": "America/Los_Angeles", "pacific": "America/Los_Angeles", "moscow": "Europe/Moscow",
    "kyiv": "Europe/Kyiv", "kiev": "Europe/Kyiv", "minsk": "Europe/Minsk",
}  # fmt: skip

UTC = timezone.utc  # noqa: UP017 - kept explicit for readers of the interval code


@lru_cache(maxsize=256)
def zone(name: str | None) -> ZoneInfo:
    """An IANA zone by name; UTC when none is given or the name is unknown. The one
    fallback of the service: every caller that needs a zone for a name asks here."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def valid_zone(name: str | None) -> bool:
    """Whether ``name`` is an IANA zone this system knows."""
    if not name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@lru_cache(maxsize=256)
def abbreviation(label: str) -> tzinfo | None:
    """The zone an abbreviation or zone word names ("EST", "GMT", "ET", "Moscow"), or
    None when it names none."""
    found = ABBREVIATIONS.get(label.strip().lower())
    if found is None:
        return None
    if isinstance(found, str):
        return zone(found)
    return timezone(timedelta(hours=found))


def resolve(name: str | None) -> tzinfo:
    """A zone given as an IANA name or an abbreviation; UTC when it is neither."""
    if name and not valid_zone(name):
        found = abbreviation(name)
        if found is not None:
            return found
    return zone(name)


def zone_from_text(label: str | None, default: tzinfo) -> tzinfo | None:
    """The zone a label such as "GMT", "EST" or "Moscow time" names; ``default``
    for "local time"; None when the label is absent or unknown."""
    if not label:
        return None
    words = label.lower().split()
    if words[0] == "local":
        return default
    return abbreviation(words[0])


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
