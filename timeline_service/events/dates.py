"""An event's date from its claims, and what merging asks of two date values.

Values are TIMEX3 strings read by :mod:`timeline_service.temporal.timex`; claims carry the
UTC interval the date engine computed. Pure functions over dataclasses.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from ..sdk.mention import FINE_GRANULARITIES
from ..temporal.timex import calendar_range

#: A local day, in any zone, starts within this margin of its UTC midnight.
ZONE_MARGIN = timedelta(hours=14)


#: Coarse granularities whose mentions may join an event of a day inside them; coarser
#: claims ("in 2022") only merge with each other.
ATTACHING = ("week", "month", "season", "quarter")


ATTACH_SPAN = timedelta(days=93)


def local_range(
    value: str, start: datetime | None = None, end: datetime | None = None
) -> tuple[date, date]:
    """The local calendar days ``[first, after)`` a TIMEX3 value covers.

    A value that is not a calendar value falls back to the UTC dates of ``start``/``end``.
    """
    try:
        return calendar_range(value)
    except ValueError:
        if start is not None and end is not None:
            return start.date(), max(end.date(), start.date() + timedelta(days=1))
        raise


def is_fine(granularity: str, value: str) -> bool:
    """Dated to a day or finer (a day block), as opposed to a week, month, year..."""
    return granularity in FINE_GRANULARITIES or bool(re.match(r"^\d{4}-\d{2}-\d{2}", value))


def _clock(value: str) -> int | None:
    m = re.search(r"T(\d{2}):(\d{2})", value)
    return int(m[1]) * 60 + int(m[2]) if m else None


def values_compatible(
    a: str,
    b: str,
    a_span: tuple[datetime, datetime] | None = None,
    b_span: tuple[datetime, datetime] | None = None,
) -> bool:
    """Whether two date values can be the same happening: nested calendar ranges, and
    two clock times on the same day no more than an hour apart.

    With the claims' UTC intervals, those must also overlap (give or take a time zone):
    "earlier this week" does not contain the coming Friday although the ISO week does.
    """
    if (
        a_span
        and b_span
        and not (a_span[0] - ZONE_MARGIN < b_span[1] and b_span[0] - ZONE_MARGIN < a_span[1])
    ):
        return False
    return _values_nest(a, b)


@lru_cache(maxsize=65536)
def _values_nest(a: str, b: str) -> bool:
    try:
        ra, rb = calendar_range(a), calendar_range(b)
    except ValueError:
        return a == b
    nested = (ra[0] <= rb[0] and rb[1] <= ra[1]) or (rb[0] <= ra[0] and ra[1] <= rb[1])
    if not nested:
        return False
    ca, cb = _clock(a), _clock(b)
    return ca is None or cb is None or abs(ca - cb) <= 60


_PRECISION = {
    "second": 0, "minute": 0, "time": 0, "hour": 1, "part_of_day": 2, "day": 3, "week": 4,
    "month": 5, "season": 6, "quarter": 6, "half": 7, "year": 8, "decade": 9, "century": 10,
}  # fmt: skip


@dataclass(frozen=True)
class Claim:
    """One mention's date claim, as the event date computation sees it."""

    mention_id: int
    source_id: int
    value: str
    granularity: str
    start: datetime
    end: datetime
    order: tuple[str, int] = ("", 0)


@dataclass(frozen=True)
class EventDate:
    """An event's date from its claims, whether they agree, and the dissenting claims.

    ``agreement``: ``single`` (one claim), ``agree`` (all say the same value),
    ``compatible`` (they differ only in precision: a day inside a reported month),
    ``disputed`` (``dissent`` lists the mention ids whose claims conflict).
    """

    value: str
    granularity: str
    start: datetime
    end: datetime
    agreement: str
    dissent: tuple[int, ...] = ()


def _agrees(a: Claim, b: Claim) -> bool:
    return values_compatible(a.value, b.value, (a.start, a.end), (b.start, b.end))


def event_date(claims: Sequence[Claim]) -> EventDate:
    """The most precise value that the most sources are compatible with."""
    if not claims:
        raise ValueError("an event needs at least one claim")
    ordered = sorted(claims, key=lambda c: c.order)
    # a day claim, when there is one, dates the event: a month around two disputed days is
    # compatible with both and so has the most support, but says less than either
    fine = any(is_fine(c.granularity, c.value) for c in claims)
    best: tuple[tuple[bool, int, int, int], Claim] | None = None
    supports: dict[tuple[str, datetime, datetime], int] = {}  # equal claims, equal support
    for index, cand in enumerate(ordered):
        key = (cand.value, cand.start, cand.end)
        support = supports.get(key)
        if support is None:
            support = supports[key] = len({c.source_id for c in claims if _agrees(cand, c)})
        rank = (
            fine and not is_fine(cand.granularity, cand.value),
            -support,
            _PRECISION.get(cand.granularity, 11),
            index,
        )
        if best is None or rank < best[0]:
            best = (rank, cand)
    assert best is not None
    chosen = best[1]
    dissent = tuple(sorted(c.mention_id for c in claims if not _agrees(chosen, c)))
    if len(claims) == 1:
        agreement = "single"
    elif dissent:
        agreement = "disputed"
    elif len({c.value for c in claims}) == 1:
        agreement = "agree"
    else:
        agreement = "compatible"
    return EventDate(chosen.value, chosen.granularity, chosen.start, chosen.end, agreement, dissent)
