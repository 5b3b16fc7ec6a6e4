"""The values the date engine hands to the rest of the service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Interval:
    """A half-open span of time ``[start, end)`` in UTC, timezone-aware.

    Storage and merging compare intervals, never strings, so every resolved
    DATE or TIME carries one.
    """

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("Interval bounds must be timezone-aware")
        if self.end <= self.start:
            raise ValueError("Interval end must be after its start")


@dataclass(frozen=True, slots=True)
class TemporalExpression:
    """One temporal expression found in a text, with its TIMEX3-style reading.

    ``start``/``end`` are character offsets (``text[start:end] == expr.text``).
    ``value`` is None when the expression needs a publication date that is
    unknown, or when no rule can read it; the span is still reported so callers
    can say what they could not date.
    """

    start: int
    end: int
    text: str
    type: str  # "DATE" | "TIME" | "DURATION" | "SET"
    value: str | None
    granularity: str | None = None
    interval: Interval | None = None
    mod: str | None = None
    tense: str | None = None
    anchored: bool = False
    utc_offset: str | None = None  # "+03:00" when a clock time's offset is known
    timezone: str | None = None  # zone named by the text ("GMT", "local time" -> caller's zone)
