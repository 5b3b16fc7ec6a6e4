"""Readings of named dates: calendar days, months, years, decades, centuries,
seasons and holidays, with the year a tense or a stated weekday implies."""

from __future__ import annotations

import re
from datetime import date, timedelta

from .calendar_math import (
    add_months,
    dateparser_year,
    season_year,
    year_for_month,
    year_for_month_day,
)
from .dates import PREFER_BY_TENSE, parse_calendar
from .grammar import Candidate
from .lexicon import DECADE_WORDS, ORDINALS, SEASONS, WEEKDAYS
from .reading import (
    Context,
    Reading,
    day_num,
    deadline_direction,
    direction_of,
    month_num,
    norm,
    pre_mod,
    year_num,
    ymd,
)
from .tense import IRREGULAR_PAST


def read_calendar(c: Candidate, text: str, tense: str | None, ctx: Context) -> Reading:
    p = c.parts
    month = month_num(p["month"])
    day = ORDINALS.get(norm(p["oday"]).replace(" ", "-"), 0) if "oday" in p else day_num(p["day"])
    span_days = 1
    if p.get("day2") and int(p["day2"]) > day:
        span_days = int(p["day2"]) - day + 1
    if p.get("year"):
        try:
            d = date(year_num(p["year"]), month, day)
        except ValueError:
            return Reading("DATE", None, "day")
        return Reading("DATE", ymd(d), "day", span_days=span_days)
    if ctx.anchor is None:
        return Reading("DATE", None, "day", anchored=True)
    year = None
    if p.get("wd"):
        year = _year_for_weekday(ctx.anchor, month, day, WEEKDAYS[p["wd"].lower().rstrip(".")])
    direction = deadline_direction(text, c.start, tense)
    if year is None and direction is not None:
        # The year dateparser picks from RELATIVE_BASE and the tense preference.
        prefer = PREFER_BY_TENSE.get(tense or "", "current_period")
        year = dateparser_year(ctx.anchor, month, day, prefer)
        same_day = (ctx.anchor.month, ctx.anchor.day) == (month, day)
        if year is not None and direction == "future" and same_day:
            year = ctx.anchor.year  # dateparser skips the anchor day; said that day, it is today
    if year is None:
        year = year_for_month_day(ctx.anchor, month, day, direction)
        if year is None:
            year = year_for_month_day(ctx.anchor, month, day, None)
    if year is None:
        return Reading("DATE", None, "day", anchored=True)
    if (
        direction == "past"
        and not p.get("wd")
        and not _EVENT_TIME_BEFORE.search(text, max(0, c.start - 20), c.start)
    ):
        year = _soon_after(ctx.anchor, month, day, year)
    return Reading("DATE", ymd(date(year, month, day)), "day", anchored=True, span_days=span_days)


SOON_AFTER_DAYS = 31
# The soon-after reading is for a date named as a thing ("has set Nov. 10 as the
# deadline", "November transactions"), not for the time of the past event:
# "ended Oct. 31", "met Nov. 5", "launched the invasion on February 24".
_EVENT_TIME_BEFORE = re.compile(
    r"\b(?:on|in|at|during|since|from|of|[a-z]{2,}ed|"
    + "|".join(sorted(IRREGULAR_PAST))
    + r")\s+$",
    re.IGNORECASE,
)


def _soon_after(anchor: date, month: int, day: int, year: int) -> int:
    """A past verb with a year-less date a few days ahead ("has set Nov. 10 as the
    deadline", written on Nov. 2) speaks of that coming date: news would give the
    year for one nearly a year back. Otherwise ``year`` stands."""
    for y in (anchor.year, anchor.year + 1):
        try:
            ahead = (date(y, month, day) - anchor).days
        except ValueError:
            continue
        if 0 < ahead <= SOON_AFTER_DAYS:
            return y
    return year


_MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip


def _year_for_weekday(anchor: date, month: int, day: int, weekday: int) -> int | None:
    """The year near ``anchor`` in which month/day falls on the stated weekday."""
    fits = []
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            if date(y, month, day).weekday() == weekday:
                fits.append(y)
        except ValueError:
            continue
    return min(fits, key=lambda y: abs(y - anchor.year)) if fits else None


def read_numeric(c: Candidate, tense: str | None, ctx: Context) -> Reading:
    """ "2/24/2022" (US order) or "24.02.2022" (day first): free-form, left to dateparser."""
    raw = c.parts["num"]
    order = "DMY" if "." in raw else "MDY"
    parsed = parse_calendar(raw, ctx.language, ctx.anchor, tense, order)
    if parsed is None or not {"day", "month", "year"} <= set(parsed[1]):
        return Reading("DATE", None, "day")
    return Reading("DATE", parsed[0].isoformat(), "day")


def read_iso(c: Candidate, ctx: Context) -> Reading:
    p = c.parts
    try:
        d = date(int(p["year"]), int(p["mon"]), int(p["day"]))
    except ValueError:
        return Reading("DATE", None, "day")
    if p.get("h"):
        return Reading("TIME", f"{d.isoformat()}T{p['h']}:{p['m']}", "time")
    return Reading("DATE", d.isoformat(), "day")


def read_month_year(c: Candidate) -> Reading:
    p = c.parts
    value = f"{year_num(p['year']):04d}-{month_num(p['month']):02d}"
    return Reading("DATE", value, "month", pre_mod(p.get("pre")))


def read_month(c: Candidate, text: str, tense: str | None, ctx: Context) -> Reading:
    p = c.parts
    month = month_num(p["month"])
    mod = pre_mod(p.get("pre"))
    if ctx.anchor is None:
        return Reading("DATE", None, "month", mod, anchored=True)
    rel = norm(p.get("rel", ""))
    relyear = (p.get("relyear") or "").lower()
    if relyear:
        year = ctx.anchor.year + {"last": -1, "this": 0, "next": 1}[relyear]
    elif rel in ("last", "this past", "the previous"):
        # "last February" said in February or March is a year back: the month just
        # gone would be "last month".
        year = year_for_month(ctx.anchor, month, "past", strict=True)
        if (ctx.anchor.year * 12 + ctx.anchor.month) - (year * 12 + month) < 2:
            year -= 1
    elif rel in ("next", "this coming", "the following"):
        year = year_for_month(ctx.anchor, month, "future", strict=True)
    elif rel == "this":
        year = ctx.anchor.year
    elif rel == "that" and ctx.ref_day is not None:
        year = ctx.ref_day.year
    else:
        direction = deadline_direction(text, c.start, tense)
        year = year_for_month(ctx.anchor, month, direction)
        if (
            direction == "past"
            and add_months(ctx.anchor, 1) == (year + 1, month)
            and not _EVENT_TIME_BEFORE.search(text, max(0, c.start - 20), c.start)
        ):
            # "for November transactions" written on Oct. 30: the coming month, not
            # one eleven months back (news would say "last November").
            year += 1
    return Reading("DATE", f"{year:04d}-{month:02d}", "month", mod, anchored=True)


def read_year(c: Candidate) -> Reading:
    p = c.parts
    mod = pre_mod(p.get("pre"))
    after = norm(p.get("yafter", ""))
    if after:
        mod = "ON_OR_AFTER" if after != "or earlier" else "ON_OR_BEFORE"
    pre = norm(p.get("pre", ""))
    year = year_num(p["year"])
    if "half" in pre:
        half = 1 if "first" in pre else 2
        return Reading("DATE", f"{year}-H{half}", "half_year")
    return Reading("DATE", f"{year:04d}", "year", mod)


def read_decade(c: Candidate, ctx: Context) -> Reading:
    p = c.parts
    mod = pre_mod(p.get("pre"))
    if p.get("dec"):
        return Reading("DATE", p["dec"][:3] + "X", "decade", mod)
    digit = int(p["dec2"][0]) if p.get("dec2") else DECADE_WORDS[p["decw"].lower()]
    if ctx.anchor is None:
        return Reading("DATE", None, "decade", mod, anchored=True)
    century = ctx.anchor.year // 100
    if century * 100 + digit * 10 > ctx.anchor.year:
        century -= 1
    return Reading("DATE", f"{century}{digit}X", "decade", mod, anchored=True)


def read_century(c: Candidate) -> Reading:
    p = c.parts
    if p.get("cent"):
        n = int(p["cent"])
    else:
        n = {"eighteenth": 18, "nineteenth": 19, "twentieth": 20, "twenty-first": 21}[
            p["centw"].lower()
        ]
    return Reading("DATE", f"{n - 1:02d}XX", "century", pre_mod(p.get("pre")))


def read_season(c: Candidate, tense: str | None, ctx: Context) -> Reading:
    p = c.parts
    code = SEASONS[p["season"].lower()]
    mod = pre_mod(p.get("pre")) or pre_mod(p.get("pre2"))
    if p.get("year"):
        return Reading("DATE", f"{year_num(p['year'])}-{code}", "season", mod)
    if ctx.anchor is None:
        return Reading("DATE", None, "season", mod, anchored=True)
    rel = norm(p.get("rel", ""))
    shift = {"last": -1, "this past": -1, "next": 1, "this coming": 1}.get(rel, 0)
    direction = None if rel == "this" else direction_of(tense)
    year = season_year(ctx.anchor, code, direction, shift)
    return Reading("DATE", f"{year}-{code}", "season", mod, anchored=True)


# --- quarters -------------------------------------------------------------


def _easter(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    if n > 0:
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    ny, nm = add_months(first, 1)
    last = date(ny, nm, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


_HOLIDAYS = {
    "christmas eve": lambda y: date(y, 12, 24), "christmas": lambda y: date(y, 12, 25),
    "christmas day": lambda y: date(y, 12, 25), "new year's eve": lambda y: date(y, 12, 31),
    "new year's day": lambda y: date(y, 1, 1), "new year": lambda y: date(y, 1, 1),
    "valentine's day": lambda y: date(y, 2, 14), "halloween": lambda y: date(y, 10, 31),
    "victory day": lambda y: date(y, 5, 9), "independence day": lambda y: date(y, 7, 4),
    "boxing day": lambda y: date(y, 12, 26), "easter": _easter, "easter sunday": _easter,
    "thanksgiving": lambda y: _nth_weekday(y, 11, 3, 4),
    "thanksgiving day": lambda y: _nth_weekday(y, 11, 3, 4),
    "labor day": lambda y: _nth_weekday(y, 9, 0, 1),
    "memorial day": lambda y: _nth_weekday(y, 5, 0, -1),
}  # fmt: skip


def read_holiday(c: Candidate, tense: str | None, ctx: Context) -> Reading:
    """Fixed and computed holidays; the year follows the tense like a year-less date.
    Independence Day and Victory Day are read as the US and the post-Soviet ones."""
    if ctx.anchor is None:
        return Reading("DATE", None, "day", anchored=True)
    rule = _HOLIDAYS[" ".join(c.parts["name"].lower().split())]
    rel = norm(c.parts.get("rel", ""))
    years = {"last": -1, "last year's": -1, "next": 1, "next year's": 1}
    if rel in ("this", "this year's"):
        day = rule(ctx.anchor.year)
    elif rel in years:
        day = rule(ctx.anchor.year + years[rel]) if "year" in rel else None
        if day is None:
            options = [rule(ctx.anchor.year + k) for k in (-1, 0, 1)]
            if years[rel] < 0:
                day = max(o for o in options if o < ctx.anchor)
            else:
                day = min(o for o in options if o > ctx.anchor)
    else:
        options = [rule(ctx.anchor.year + k) for k in (-1, 0, 1)]
        direction = direction_of(tense)
        if direction == "past":
            day = max(o for o in options if o <= ctx.anchor)
        elif direction == "future":
            day = min(o for o in options if o >= ctx.anchor)
        else:
            day = min(options, key=lambda o: (abs((o - ctx.anchor).days), o > ctx.anchor))
    return Reading("DATE", day.isoformat(), "day", anchored=True)
