"""Small helpers for timezone-aware datetimes, shared by storage and the API."""

from __future__ import annotations

from datetime import UTC, date, datetime


def utc(value: datetime | None) -> datetime | None:
    """``value`` as an aware UTC datetime; naive values are taken to be UTC already."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def rfc3339(value: datetime | None) -> str | None:
    """RFC 3339 text with an explicit offset (``Z`` for UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def parse_timestamp(text: str) -> datetime:
    """Parse an ISO 8601 / RFC 3339 timestamp or date; a bare date is midnight UTC.

    Raises ``ValueError`` with a readable message for anything else.
    """
    text = text.strip()
    if not text:
        raise ValueError("empty timestamp")
    try:
        if len(text) == 10:
            d = date.fromisoformat(text)
            return datetime(d.year, d.month, d.day, tzinfo=UTC)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ValueError(f"not an ISO 8601 date or timestamp: {text!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


#: Publication dates outside these years are typing errors, and near the ends of the
#: calendar the arithmetic of relative dates would overflow.
PUBLICATION_YEARS = range(1800, 2201)


def check_publication_time(value: datetime) -> datetime:
    """``value`` if it is a plausible publication time, else ``ValueError``."""
    if value.year not in PUBLICATION_YEARS:
        raise ValueError(
            f"publication year must be between {PUBLICATION_YEARS.start} "
            f"and {PUBLICATION_YEARS.stop - 1}"
        )
    return value
