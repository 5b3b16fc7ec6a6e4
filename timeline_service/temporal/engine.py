"""``find_temporal_expressions``: detection, tense, resolution and intervals in one pass."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from .grammar import find_candidates
from .intervals import interval_for
from .resolve import Context, Reading, resolve
from .tense import TenseReader
from .types import TemporalExpression
from .zones import zone as named_zone

RESOLVER_VERSION = "2026.11.9"

# Only these readings depend on the clause's tense; the rest skip the look-up.
TENSE_KINDS = frozenset(
    {
        "calendar",
        "holiday",
        "month",
        "season",
        "quarter",
        "quarter_rel",
        "weekday",
        "relday",
        "clock",
        "relunit",
        "numeric",
    }
)


def _quarter_label(day: date) -> str:
    """Comparable with a quarter value: only quarters that are over (the ones a
    results report describes) anchor year-back comparisons."""
    return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"


def _context(published_at: datetime | date | None, timezone: str | None, language: str) -> Context:
    zone = named_zone(timezone)
    if published_at is None:
        return Context(None, zone, language)
    if isinstance(published_at, datetime):
        moment = published_at if published_at.tzinfo else published_at.replace(tzinfo=zone)
        local = moment.astimezone(zone)
        precise = published_at.tzinfo is not None or published_at.time() != time(0)
        return Context(local.date(), zone, language, anchor_time=moment if precise else None)
    return Context(published_at, zone, language)


# A calendar value whose year is outside 1..9999 ("-7979", "10000002021", "0000-01"):
# TIMEX3 and Python dates cannot hold it, and no other reading is right.
_BAD_YEAR = re.compile(r"-|\d{5}|0000(?!\d)")


# Year-to-date reporting periods after a quarter's results: "For the nine months, ...".
_CUMULATIVE = frozenset({"P6M", "P9M"})
_THE_BEFORE = re.compile(r"\b(?:the|latest|first)\s", re.IGNORECASE)


def _safe_reading(cand, text: str, tense: str | None, ctx: Context) -> Reading | None:
    """The candidate's reading, with impossible calendar values made ``None``;
    ``None`` when even that cannot be computed (arithmetic overflow)."""
    try:
        reading = resolve(cand, text, tense, ctx)
    except (OverflowError, ValueError):
        return None
    if reading.type in ("DATE", "TIME") and reading.value and _BAD_YEAR.match(reading.value):
        reading.value = None
    return reading


def find_temporal_expressions(
    text: str,
    published_at: datetime | date | None,
    *,
    timezone: str | None = None,
    language: str = "en",
) -> list[TemporalExpression]:
    """Every temporal expression in ``text``, in order, resolved against the
    publication context. ``timezone`` (IANA) interprets clock times and day
    boundaries; default UTC. Relative expressions get ``value=None`` when
    ``published_at`` is None; the wall clock is never consulted.

    One pass kept in one function on purpose: find candidates, resolve each with the
    context the earlier ones set (the previous date anchors "that day"), then drop the
    overlaps; the steps share that running context, which splitting would pass around.
    """
    if not text:
        return []
    ctx = _context(published_at, timezone, language or "en")
    out: list[TemporalExpression] = []
    tenses = TenseReader(text)
    for cand in find_candidates(text):
        tense = tenses.tense(cand.start, cand.end) if cand.kind in TENSE_KINDS else None
        reading = _safe_reading(cand, text, tense, ctx)
        if reading is None:
            continue
        if (
            reading.type == "DURATION"
            and reading.value in _CUMULATIVE
            and _THE_BEFORE.search(text, max(0, cand.start - 12), cand.start + 4)
        ):
            ctx.ref_span_end = cand.end  # "for the nine months", "the first six months"
        interval = None
        if reading.type in ("DATE", "TIME") and reading.value:
            interval = interval_for(
                reading.value,
                ctx.zone,
                mod=reading.mod,
                utc_offset=reading.utc_offset,
                span_days=reading.span_days,
                early_hours="early_hours" in reading.extra,
            )
            if reading.value and reading.value[:1].isdigit():
                ctx.ref_named = (reading.value, reading.granularity)
            if reading.value and reading.value[:4].isdigit() and not reading.anchored:
                ctx.ref_year = int(reading.value[:4])
            if (
                cand.kind.startswith("quarter")
                and reading.value
                and reading.granularity == "quarter"
                and "compared" not in reading.extra
                and (ctx.anchor is None or reading.value[:7] < _quarter_label(ctx.anchor))
            ):
                # The reported quarter is the latest one named that is over; later
                # mentions of earlier quarters ("up from the second quarter") are comparisons.
                named = [reading.value] + ([ctx.ref_quarter[0]] if ctx.ref_quarter else [])
                ctx.ref_quarter = (max(named), cand.end)
            if (
                reading.type == "DATE"
                and reading.value
                and re.match(r"\d{4}-\d\d(?:-|$)", reading.value)
            ):
                ctx.ref_month = date(int(reading.value[:4]), int(reading.value[5:7]), 1)
            if reading.granularity == "day" and reading.value and len(reading.value) == 10:
                ctx.ref_day = date.fromisoformat(reading.value)
            elif reading.type == "TIME" and reading.value and reading.value[:4].isdigit():
                ctx.ref_day = date.fromisoformat(reading.value[:10])
        out.append(
            TemporalExpression(
                start=cand.start,
                end=cand.end,
                text=text[cand.start : cand.end],
                type=reading.type,
                value=reading.value,
                granularity=reading.granularity,
                interval=interval,
                mod=reading.mod,
                tense=tense,
                anchored=reading.anchored,
                utc_offset=reading.utc_offset,
                timezone=reading.timezone,
            )
        )
    return out
