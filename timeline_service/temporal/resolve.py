"""Normalisation: turn a detected candidate into a TIMEX3 value.

Rules are the service's own where dateparser has none (weekdays by tense,
"last February", quarters, seasons, "earlier this week", clock times with
zones); free-form calendar strings go to :mod:`.dates`. Nothing here reads the
wall clock: relative expressions without an anchor get ``value=None``.
"""

from __future__ import annotations

from .grammar import Candidate
from .reading import Context, Reading
from .resolve_dates import (
    read_calendar,
    read_century,
    read_decade,
    read_holiday,
    read_iso,
    read_month,
    read_month_year,
    read_numeric,
    read_season,
    read_year,
)
from .resolve_days import read_clock, read_dayref, read_relday, read_weekday
from .resolve_periods import read_quarter, read_quarter_rel, read_relunit
from .resolve_spans import read_duration, read_ref, read_set

__all__ = ["Context", "Reading", "resolve"]


def resolve(c: Candidate, text: str, tense: str | None, ctx: Context) -> Reading:
    """The TIMEX3 reading of one candidate in its document context."""
    kind = c.kind
    if kind == "calendar":
        return read_calendar(c, text, tense, ctx)
    if kind == "iso":
        return read_iso(c, ctx)
    if kind == "numeric":
        return read_numeric(c, tense, ctx)
    if kind == "month_year":
        return read_month_year(c)
    if kind == "month":
        return read_month(c, text, tense, ctx)
    if kind == "year":
        return read_year(c)
    if kind == "decade":
        return read_decade(c, ctx)
    if kind == "century":
        return read_century(c)
    if kind == "season":
        return read_season(c, tense, ctx)
    if kind == "quarter":
        return read_quarter(c, tense, ctx)
    if kind == "quarter_rel":
        return read_quarter_rel(c, tense, ctx)
    if kind == "weekday":
        return read_weekday(c, tense, ctx)
    if kind == "relday":
        return read_relday(c, tense, ctx)
    if kind == "clock":
        return read_clock(c, text, tense, ctx)
    if kind == "relunit":
        return read_relunit(c, tense, ctx)
    if kind == "duration":
        return read_duration(c, text, tense, ctx)
    if kind in ("set", "set_a"):
        return read_set(c)
    if kind == "ref":
        return read_ref(c)
    if kind == "dayref":
        return read_dayref(c, ctx)
    if kind == "holiday":
        return read_holiday(c, tense, ctx)
    raise ValueError(f"unknown candidate kind {kind!r}")
