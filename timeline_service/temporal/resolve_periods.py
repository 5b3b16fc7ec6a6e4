"""Readings of periods counted from the publication day: quarters and halves,
"last week", "earlier this year", weekends, and year-back comparisons."""

from __future__ import annotations

from datetime import date, timedelta

from .calendar_math import add_months, iso_week, quarter_of, shift_quarter, weekday_near
from .grammar import Candidate
from .lexicon import ORDINALS
from .reading import (
    COMPARED,
    COMPARISON_REACH,
    Context,
    Reading,
    compared_quarter,
    norm,
    pre_mod,
    year_num,
)


def read_quarter(c: Candidate, tense: str | None, ctx: Context) -> Reading:
    p = c.parts
    if p.get("halfq"):
        half = 1 if p["halfq"].lower() == "first" else 2
        return Reading("DATE", f"{year_num(p['year'])}-H{half}", "half_year")
    if p.get("qn") or p.get("qn2"):
        return Reading(
            "DATE", f"{p.get('year') or p['year2']}-Q{p.get('qn') or p['qn2']}", "quarter"
        )
    n = ORDINALS[p["ord"].lower()]
    unit = p["unit"].lower()
    letter, size = ("Q", 3) if unit == "quarter" else ("H", 6)
    n = min(n, 12 // size)
    gran = "quarter" if letter == "Q" else "half_year"
    year_text = p.get("year") or p.get("qyear")
    det = norm(p.get("det", ""))
    if year_text:
        return Reading("DATE", f"{year_num(year_text)}-{letter}{n}", gran)
    if ctx.anchor is None:
        return Reading("DATE", None, gran, anchored=True)
    year = ctx.anchor.year
    start = date(year, (n - 1) * size + 1, 1)
    if det.startswith("last year") or norm(p.get("qrel", "")) in ("year ago", "year earlier"):
        year -= 1
    elif det.startswith("next year"):
        year += 1
    elif det.startswith("this year"):
        pass
    elif tense == "future":
        # Results of a quarter that ended within the last three months are still
        # "to be reported"; an older one must be next year's.
        ey, em = add_months(start, size + 3)
        if date(ey, em, 1) <= ctx.anchor:
            year += 1
    elif start > ctx.anchor:
        year -= 1
    return Reading("DATE", f"{year}-{letter}{n}", gran, anchored=True)


def read_quarter_rel(c: Candidate, tense: str | None, ctx: Context) -> Reading:
    if ctx.anchor is None:
        return Reading("DATE", None, "quarter", anchored=True)
    rel = norm(c.parts.get("qrel", ""))
    det = norm(c.parts.get("det", ""))
    if c.parts.get("pyear"):  # "the 1988 period": that year's instance of the quarter discussed
        year_text = c.parts["pyear"]
        if ctx.ref_quarter is None:
            return Reading("DATE", year_text, "year", anchored=False)
        return Reading(
            "DATE",
            f"{year_text}-Q{ctx.ref_quarter[0][-1]}",
            "quarter",
            anchored=True,
            extra=COMPARED,
        )
    near = ctx.ref_quarter is not None and c.start - ctx.ref_quarter[1] <= COMPARISON_REACH
    if near and ctx.ref_quarter is not None:
        # In a results report "the latest period" is the quarter under discussion,
        # and "the year-ago quarter" that quarter a year before.
        compared = compared_quarter(c, ctx)
        if compared and ("year" in rel or rel in ("comparable", "corresponding")):
            return Reading("DATE", compared, "quarter", anchored=True, extra=COMPARED)
        if c.parts.get("period") and rel in ("latest", "most recent", "same"):
            return Reading("DATE", ctx.ref_quarter[0], "quarter", anchored=True, extra=COMPARED)
        if not rel and det == "the" and not c.parts.get("period"):
            # "a gain of $30 million in the quarter": the quarter being reported.
            return Reading("DATE", ctx.ref_quarter[0], "quarter", anchored=True, extra=COMPARED)
    year, q = quarter_of(ctx.anchor)
    if rel in ("current",) or det == "this":
        shift = 0
    elif rel in ("next", "coming") or det == "next":
        shift = 1
    elif "year ago" in rel or "year earlier" in rel or rel == "corresponding":
        shift = -5
    elif rel == "last year":  # "last year's quarter" with no quarter under discussion
        shift = -4 if tense in ("future", "present") else -5
    elif rel in ("latest", "previous", "past", "last", "recent", "most recent") or det == "last":
        shift = -1
    else:
        shift = 0 if tense in ("future", "present") else -1
    y, n = shift_quarter(year, q, shift)
    return Reading("DATE", f"{y}-Q{n}", "quarter", anchored=True)


# --- weekdays, days, parts of day ----------------------------------------


def unit_value(anchor: date, unit: str, n: int) -> tuple[str, str]:
    """The calendar unit ``n`` units away from ``anchor``: (value, granularity)."""
    if unit == "day":
        return (anchor + timedelta(days=n)).isoformat(), "day"
    if unit == "week":
        return iso_week(anchor + timedelta(weeks=n)), "week"
    if unit == "month":
        y, m = add_months(anchor, n)
        return f"{y:04d}-{m:02d}", "month"
    if unit == "quarter":
        y, q = shift_quarter(*quarter_of(anchor), n)
        return f"{y}-Q{q}", "quarter"
    if unit == "decade":
        return f"{(anchor.year + 10 * n) // 10}X", "decade"
    if unit == "century":
        return f"{(anchor.year + 100 * n) // 100:02d}XX", "century"
    return f"{anchor.year + n:04d}", "year"


def _weekend(anchor: date, direction: str | None, strict: bool) -> str:
    sat = weekday_near(anchor, 5, direction, strict)
    if direction != "future" and anchor.weekday() == 6 and not strict:
        sat = anchor - timedelta(days=1)
    return iso_week(sat) + "-WE"


def read_relunit(c: Candidate, tense: str | None, ctx: Context) -> Reading:
    p = c.parts
    rel = norm(p.get("rel") or p.get("rel2") or "")
    unit = norm(p.get("unit") or p.get("unit2") or "")
    mod = pre_mod(p.get("pre"))
    if p.get("unit3"):  # "year-earlier profit", "the year-ago quarter"
        rel, unit = "last", "year"
        compared = compared_quarter(c, ctx)
        if compared:
            return Reading("DATE", compared, "quarter", mod, anchored=True, extra=COMPARED)
    if p.get("yearsend"):
        rel, unit, mod = "year end", "year", "END"
    if p.get("unit4"):  # "for the year", "the full year", "the fiscal year ended June 30"
        if p.get("ended"):
            return Reading("DURATION", "P1Y", None)
        rel, unit = ("last", "year") if "latest" in (p.get("yadj") or "") else ("this", "year")
    if unit in ("fiscal year", "calendar year"):
        unit = "year"
    if rel == "year" and unit == "end":
        unit, rel, mod = "year", "year end", "END"
    gran = "weekend" if unit == "weekend" else unit
    if ctx.anchor is None:
        return Reading("DATE", None, gran, mod, anchored=True)
    if unit == "weekend":
        if rel in ("last", "this past", "the past", "the previous"):
            value = _weekend(ctx.anchor, "past", True)
        elif rel in ("next", "this coming", "the coming", "the following"):
            value = _weekend(ctx.anchor, "future", True)
        else:
            value = _weekend(ctx.anchor, "future" if tense == "future" else "past", False)
        return Reading("DATE", value, "weekend", mod, anchored=True)
    if rel in ("that", "the same") and unit == "year" and ctx.ref_year is not None:
        return Reading("DATE", f"{ctx.ref_year:04d}", "year", mod, anchored=True)
    if rel in ("that", "the same"):
        if ctx.ref_day is None:
            return Reading("DATE", None, gran, mod, anchored=True)
        value, gran = unit_value(ctx.ref_day, unit, 0)
        return Reading("DATE", value, gran, mod, anchored=True)
    if rel in ("the following", "the previous"):
        # Anaphoric: the period after or before the one the text last named.
        shift = 1 if rel == "the following" else -1
        base: date | None = None
        if unit == "year":
            base = date(ctx.ref_year, 1, 1) if ctx.ref_year is not None else ctx.ref_month
        elif unit == "month":
            base = ctx.ref_month
        elif unit == "week":
            base = ctx.ref_day
        if base is not None:
            value, gran = unit_value(base, unit, shift)
            return Reading("DATE", value, gran, mod, anchored=True)
    shift = 0
    if rel in ("last", "the past", "the previous", "this past"):
        shift = -1
    elif rel in ("next", "the coming", "the following", "this coming"):
        shift = 1
    elif rel in ("the", "year end") and tense == "past" and mod == "END" and ctx.anchor.month <= 6:
        shift = -1  # "by the end of the year", said in spring, is last year's end
    value, gran = unit_value(ctx.anchor, unit, shift)
    return Reading("DATE", value, gran, mod, anchored=True)
