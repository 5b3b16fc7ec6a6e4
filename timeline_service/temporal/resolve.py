"""Normalisation: turn a detected candidate into a TIMEX3 value.

Rules are the service's own where dateparser has none (weekdays by tense,
"last February", quarters, seasons, "earlier this week", clock times with
zones); free-form calendar strings go to :mod:`.dates`. Nothing here reads the
wall clock: relative expressions without an anchor get ``value=None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from .calendar_math import (
    add_months,
    iso_week,
    quarter_of,
    season_year,
    shift_quarter,
    weekday_near,
    year_for_month,
    year_for_month_day,
)
from .dates import parse_calendar
from .grammar import Candidate
from .lexicon import (
    DECADE_WORDS,
    MONTHS,
    ORDINALS,
    PARTS_OF_DAY,
    SEASONS,
    SMALL_NUMBERS,
    UNITS,
    VAGUE_NUMBERS,
    WEEKDAYS,
    number_value,
    year_value,
)
from .zones import offset_string, zone_from_text


@dataclass(slots=True)
class Context:
    """What a document's expressions are resolved against."""

    anchor: date | None  # publication day in the document's zone
    zone: tzinfo
    language: str = "en"
    anchor_time: datetime | None = None  # publication moment, when known to the minute
    ref_day: date | None = None  # last day the text itself named, for bare clock times
    ref_quarter: tuple[str, int] | None = None  # last quarter named, and where it ended
    ref_year: int | None = None  # year of the last absolute date named ("that year")


@dataclass(slots=True)
class Reading:
    type: str
    value: str | None
    granularity: str | None = None
    mod: str | None = None
    anchored: bool = False
    utc_offset: str | None = None
    timezone: str | None = None
    span_days: int = 1  # for ranges such as "Sept. 17-19"
    extra: dict[str, str] = field(default_factory=dict)


PRE_MOD = {
    "early": "START", "earlier": "START", "start": "START", "beginning": "START",
    "first half": "START", "early part": "START", "late": "END", "later": "END",
    "end": "END", "close": "END", "last half": "END", "second half": "END",
    "latter half": "END", "latter part": "END", "mid": "MID", "middle": "MID",
    "turn": "START",
}  # fmt: skip
DMOD = {
    "about": "APPROX", "around": "APPROX", "approximately": "APPROX", "roughly": "APPROX",
    "some": "APPROX", "nearly": "LESS_THAN", "almost": "LESS_THAN", "under": "LESS_THAN",
    "less than": "LESS_THAN", "fewer than": "LESS_THAN", "more than": "MORE_THAN",
    "over": "MORE_THAN", "at least": "EQUAL_OR_MORE", "no less than": "EQUAL_OR_MORE",
    "at most": "EQUAL_OR_LESS", "up to": "EQUAL_OR_LESS", "no more than": "EQUAL_OR_LESS",
    "within": "EQUAL_OR_LESS",
}  # fmt: skip
CLOCK_MOD = {
    "about": "APPROX", "around": "APPROX", "approximately": "APPROX", "roughly": "APPROX",
    "nearly": "APPROX", "shortly before": "BEFORE", "just before": "BEFORE",
    "shortly after": "AFTER", "just after": "AFTER",
}  # fmt: skip
PRESENT_REFS = {
    "now", "right now", "just now", "currently", "nowadays", "presently", "these days",
    "at present", "the present", "the present day", "this moment", "this crucial moment",
    "the time being", "current",
}  # fmt: skip
PAST_REFS = {"recently", "more recently", "previously", "formerly", "the past"}


def _norm(s: str) -> str:
    return " ".join(s.lower().replace("-", " ").split())


def _pre_mod(pre: str | None) -> str | None:
    if not pre:
        return None
    words = _norm(pre).replace("the ", "").replace(" of", "").removeprefix("by ").strip()
    return PRE_MOD.get(words) or PRE_MOD.get(words.split()[0])


def _month_num(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def _day_num(word: str) -> int:
    return int(re.match(r"\d+", word).group())  # type: ignore[union-attr]


def _year_num(text: str) -> int:
    value = year_value(text)
    if value is None:
        raise ValueError(f"not a year: {text!r}")
    return value


def _ymd(d: date) -> str:
    return d.isoformat()


def _direction(tense: str | None) -> str | None:
    return tense if tense in ("past", "future") else None


# --- calendar dates -------------------------------------------------------


def _calendar(c: Candidate, text: str, tense: str | None, ctx: Context) -> Reading:
    p = c.parts
    month = _month_num(p["month"])
    day = ORDINALS.get(_norm(p["oday"]).replace(" ", "-"), 0) if "oday" in p else _day_num(p["day"])
    span_days = 1
    if p.get("day2") and int(p["day2"]) > day:
        span_days = int(p["day2"]) - day + 1
    if p.get("year"):
        try:
            d = date(_year_num(p["year"]), month, day)
        except ValueError:
            return Reading("DATE", None, "day")
        return Reading("DATE", _ymd(d), "day", span_days=span_days)
    if ctx.anchor is None:
        return Reading("DATE", None, "day", anchored=True)
    year = None
    if p.get("wd"):
        year = _year_for_weekday(ctx.anchor, month, day, WEEKDAYS[p["wd"].lower().rstrip(".")])
    direction = _deadline_direction(text, c.start, tense)
    if year is None and direction is not None:
        # The year dateparser picks from RELATIVE_BASE and the tense preference.
        parsed = parse_calendar(f"{_MONTH_NAMES[month - 1]} {day}", ctx.language, ctx.anchor, tense)
        if parsed is not None and (parsed[0].month, parsed[0].day) == (month, day):
            year = parsed[0].year
            same_day = (ctx.anchor.month, ctx.anchor.day) == (month, day)
            if direction == "future" and same_day:
                year = (
                    ctx.anchor.year
                )  # dateparser skips the anchor day; said that day, it is today
    if year is None:
        year = year_for_month_day(ctx.anchor, month, day, direction)
        if year is None:
            year = year_for_month_day(ctx.anchor, month, day, None)
    if year is None:
        return Reading("DATE", None, "day", anchored=True)
    return Reading("DATE", _ymd(date(year, month, day)), "day", anchored=True, span_days=span_days)


# "extended to Nov. 20", "payable Dec. 7", "effective Feb. 1": the event's tense
# says nothing about the date, so the nearest one is taken.
_DEADLINE = re.compile(
    r"\b(?:to|until|till|through|by|effective|payable|due|expires?|record|before|from|as\s+of)"
    r"\s+$",
    re.IGNORECASE,
)


def _deadline_direction(text: str, start: int, tense: str | None) -> str | None:
    """Tense direction, except that a past event with a deadline date ("was
    extended to Nov. 20") says nothing about which side of the anchor it is,
    and "since February" always looks back."""
    before = text[max(0, start - 20) : start]
    if re.search(r"\bsince\s+$", before, re.IGNORECASE):
        return "past"
    if tense == "past" and _DEADLINE.search(before):
        return None
    return _direction(tense)


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


def _numeric(c: Candidate, tense: str | None, ctx: Context) -> Reading:
    """ "2/24/2022" (US order) or "24.02.2022" (day first): free-form, left to dateparser."""
    raw = c.parts["num"]
    order = "DMY" if "." in raw else "MDY"
    parsed = parse_calendar(raw, ctx.language, ctx.anchor, tense, order)
    if parsed is None or not {"day", "month", "year"} <= set(parsed[1]):
        return Reading("DATE", None, "day")
    return Reading("DATE", parsed[0].isoformat(), "day")


def _iso(c: Candidate, ctx: Context) -> Reading:
    p = c.parts
    try:
        d = date(int(p["year"]), int(p["mon"]), int(p["day"]))
    except ValueError:
        return Reading("DATE", None, "day")
    if p.get("h"):
        return Reading("TIME", f"{d.isoformat()}T{p['h']}:{p['m']}", "time")
    return Reading("DATE", d.isoformat(), "day")


def _month_year(c: Candidate) -> Reading:
    p = c.parts
    value = f"{_year_num(p['year']):04d}-{_month_num(p['month']):02d}"
    return Reading("DATE", value, "month", _pre_mod(p.get("pre")))


def _month(c: Candidate, text: str, tense: str | None, ctx: Context) -> Reading:
    p = c.parts
    month = _month_num(p["month"])
    mod = _pre_mod(p.get("pre"))
    if ctx.anchor is None:
        return Reading("DATE", None, "month", mod, anchored=True)
    rel = _norm(p.get("rel", ""))
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
        year = year_for_month(ctx.anchor, month, _deadline_direction(text, c.start, tense))
    return Reading("DATE", f"{year:04d}-{month:02d}", "month", mod, anchored=True)


def _year(c: Candidate) -> Reading:
    p = c.parts
    mod = _pre_mod(p.get("pre"))
    after = _norm(p.get("yafter", ""))
    if after:
        mod = "ON_OR_AFTER" if after != "or earlier" else "ON_OR_BEFORE"
    pre = _norm(p.get("pre", ""))
    year = _year_num(p["year"])
    if "half" in pre:
        half = 1 if "first" in pre else 2
        return Reading("DATE", f"{year}-H{half}", "half_year")
    return Reading("DATE", f"{year:04d}", "year", mod)


def _decade(c: Candidate, ctx: Context) -> Reading:
    p = c.parts
    mod = _pre_mod(p.get("pre"))
    if p.get("dec"):
        return Reading("DATE", p["dec"][:3] + "X", "decade", mod)
    digit = int(p["dec2"][0]) if p.get("dec2") else DECADE_WORDS[p["decw"].lower()]
    if ctx.anchor is None:
        return Reading("DATE", None, "decade", mod, anchored=True)
    century = ctx.anchor.year // 100
    if century * 100 + digit * 10 > ctx.anchor.year:
        century -= 1
    return Reading("DATE", f"{century}{digit}X", "decade", mod, anchored=True)


def _century(c: Candidate) -> Reading:
    p = c.parts
    if p.get("cent"):
        n = int(p["cent"])
    else:
        n = {"eighteenth": 18, "nineteenth": 19, "twentieth": 20, "twenty-first": 21}[
            p["centw"].lower()
        ]
    return Reading("DATE", f"{n - 1:02d}XX", "century", _pre_mod(p.get("pre")))


def _season(c: Candidate, tense: str | None, ctx: Context) -> Reading:
    p = c.parts
    code = SEASONS[p["season"].lower()]
    mod = _pre_mod(p.get("pre")) or _pre_mod(p.get("pre2"))
    if p.get("year"):
        return Reading("DATE", f"{_year_num(p['year'])}-{code}", "season", mod)
    if ctx.anchor is None:
        return Reading("DATE", None, "season", mod, anchored=True)
    rel = _norm(p.get("rel", ""))
    shift = {"last": -1, "this past": -1, "next": 1, "this coming": 1}.get(rel, 0)
    direction = None if rel == "this" else _direction(tense)
    year = season_year(ctx.anchor, code, direction, shift)
    return Reading("DATE", f"{year}-{code}", "season", mod, anchored=True)


# --- quarters -------------------------------------------------------------


def _quarter(c: Candidate, tense: str | None, ctx: Context) -> Reading:
    p = c.parts
    if p.get("halfq"):
        half = 1 if p["halfq"].lower() == "first" else 2
        return Reading("DATE", f"{_year_num(p['year'])}-H{half}", "half_year")
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
    det = _norm(p.get("det", ""))
    if year_text:
        return Reading("DATE", f"{_year_num(year_text)}-{letter}{n}", gran)
    if ctx.anchor is None:
        return Reading("DATE", None, gran, anchored=True)
    year = ctx.anchor.year
    start = date(year, (n - 1) * size + 1, 1)
    if det.startswith("last year") or _norm(p.get("qrel", "")) in ("year ago", "year earlier"):
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


def _quarter_rel(c: Candidate, tense: str | None, ctx: Context) -> Reading:
    if ctx.anchor is None:
        return Reading("DATE", None, "quarter", anchored=True)
    rel = _norm(c.parts.get("qrel", ""))
    det = _norm(c.parts.get("det", ""))
    if c.parts.get("pyear"):  # "the 1988 period": that year's instance of the quarter discussed
        year_text = c.parts["pyear"]
        if ctx.ref_quarter is None:
            return Reading("DATE", year_text, "year", anchored=False)
        return Reading("DATE", f"{year_text}-Q{ctx.ref_quarter[0][-1]}", "quarter", anchored=True,
                       extra=_COMPARED)
    near = ctx.ref_quarter is not None and c.start - ctx.ref_quarter[1] <= _COMPARISON_REACH
    if near and ctx.ref_quarter is not None:
        # In a results report "the latest period" is the quarter under discussion,
        # and "the year-ago quarter" that quarter a year before.
        if "year" in rel or rel in ("comparable", "corresponding"):
            compared = _compared_quarter(c, ctx)
            return Reading("DATE", compared, "quarter", anchored=True, extra=_COMPARED)
        if c.parts.get("period") and rel in ("latest", "most recent", "same"):
            return Reading("DATE", ctx.ref_quarter[0], "quarter", anchored=True, extra=_COMPARED)
    year, q = quarter_of(ctx.anchor)
    if rel in ("current",) or det == "this":
        shift = 0
    elif rel in ("next", "coming") or det == "next":
        shift = 1
    elif "year ago" in rel or "year earlier" in rel or rel == "corresponding":
        shift = -5
    elif rel in ("latest", "previous", "past", "last", "recent", "most recent") or det == "last":
        shift = -1
    else:
        shift = 0 if tense in ("future", "present") else -1
    y, n = shift_quarter(year, q, shift)
    return Reading("DATE", f"{y}-Q{n}", "quarter", anchored=True)


# --- weekdays, days, parts of day ----------------------------------------

_WEEKDAY_REL = {
    "last": ("past", True), "this past": ("past", True), "the previous": ("past", True),
    "next": ("future", True), "this coming": ("future", False), "coming": ("future", False),
    "the following": ("future", True), "this": ("future", False),
}  # fmt: skip


def _pod_code(word: str | None) -> str | None:
    return PARTS_OF_DAY.get(word.lower()) if word else None


def _day_reading(day: date, pod: str | None, mod: str | None, hours: bool) -> Reading:
    if hours:
        return Reading(
            "TIME",
            f"{day.isoformat()}TMO",
            "part_of_day",
            "START",
            anchored=True,
            extra={"early_hours": "1"},
        )
    if pod:
        return Reading("TIME", f"{day.isoformat()}T{pod}", "part_of_day", mod, anchored=True)
    return Reading("DATE", day.isoformat(), "day", mod, anchored=True)


def _weekday(c: Candidate, tense: str | None, ctx: Context) -> Reading:
    p = c.parts
    wrel = _norm(p.get("wrel", ""))
    pod = _pod_code(p.get("pod") or p.get("podpre"))
    mod = PRE_MOD.get(wrel)
    hours = bool(p.get("hours"))
    if ctx.anchor is None:
        kind = "TIME" if (pod or hours) else "DATE"
        return Reading(kind, None, "part_of_day" if kind == "TIME" else "day", mod, anchored=True)
    wd = WEEKDAYS[p["wd"].lower().rstrip(".")]
    # News reports what happened: a weekday with no future cue is the last one.
    default = "future" if tense == "future" else "past"
    direction, strict = _WEEKDAY_REL.get(wrel, (default, False))
    day = weekday_near(ctx.anchor, wd, direction, strict)
    return _day_reading(day, pod, mod, hours)


_RELDAY_OFFSET = {
    "yesterday": -1,
    "today": 0,
    "tomorrow": 1,
    "tonight": 0,
    "this": 0,
    "last": -1,
    "overnight": 0,
}


def _relday(c: Candidate, tense: str | None, ctx: Context) -> Reading:
    p = c.parts
    rd = (p.get("rd") or "").lower()
    pod = _pod_code(p.get("pod"))
    if rd in ("tonight", "overnight"):
        pod = "NI"
    if rd == "last" and pod is None:
        pod = "NI"
    hours = bool(p.get("hours"))
    mod = PRE_MOD.get((p.get("pre") or "").lower())
    if p.get("midpod"):
        pod = "AF" if "after" in p["midpod"].lower() else ("MI" if "day" in p["midpod"] else "MO")
        mod = "MID"
    if ctx.anchor is None:
        kind = "TIME" if (pod or hours) else "DATE"
        return Reading(kind, None, "part_of_day" if kind == "TIME" else "day", mod, anchored=True)
    if not rd:  # "by mid-afternoon": the day under discussion
        day = ctx.ref_day or ctx.anchor
        return _day_reading(day, pod, mod, hours)
    offset = _RELDAY_OFFSET.get(rd, 0)
    if rd == "overnight" and tense == "past":
        offset = -1
    day = ctx.anchor + timedelta(days=offset)
    return _day_reading(day, pod, mod, hours)


# --- clock times ----------------------------------------------------------

_HOUR_WORDS = {w: SMALL_NUMBERS[w] for w in (
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve")}  # fmt: skip


def _clock_parts(p: dict[str, str]) -> tuple[int, int] | None:
    if p.get("h") is not None:
        h, m = int(p["h"]), int(p.get("m") or 0)
        ap = p["ap"].lower().replace(".", "")
        if h == 0 or h > 12:
            return None
        h = h % 12 + (12 if ap.startswith("p") else 0)
        return h, m
    if p.get("h24") is not None:
        return int(p["h24"]), int(p["m24"])
    if p.get("noon"):
        return (12, 0) if p["noon"].lower() in ("noon", "midday") else (24, 0)
    if p.get("hw"):
        h = _HOUR_WORDS[p["hw"].lower()]
        pw = (p.get("pw") or "night").lower()
        if (pw in ("afternoon", "evening") and h < 12) or (pw == "night" and 6 <= h < 12):
            h += 12
        return h % 24, 0
    if p.get("hw2"):
        return _HOUR_WORDS[p["hw2"].lower()], 0
    if p.get("mh") is not None:
        return int(p["mh"]), int(p["mm"])
    return None


def _clock_day(
    p: dict[str, str], direction: str | None, ctx: Context
) -> tuple[date | None, bool]:
    cday = p.get("cday")
    if cday:
        low = cday.lower()
        if low in ("today", "yesterday", "tomorrow"):
            if ctx.anchor is None:
                return None, True
            return ctx.anchor + timedelta(days=_RELDAY_OFFSET[low]), True
        first = low.split()[0].rstrip(".,")
        if first in WEEKDAYS and len(low.split()) == 1:
            if ctx.anchor is None:
                return None, True
            return weekday_near(ctx.anchor, WEEKDAYS[first], direction or "past"), True
        m = re.match(r"([A-Za-z]+\.?)\s+(\d+)\w*(?:,?\s+(\d{4}))?", cday)
        if m:
            month, day = _month_num(m.group(1)), int(m.group(2))
            if m.group(3):
                return date(int(m.group(3)), month, day), False
            if ctx.anchor is None:
                return None, True
            y = year_for_month_day(ctx.anchor, month, day, direction)
            return (date(y, month, day) if y else None), True
    if ctx.ref_day is not None:
        return ctx.ref_day, True
    return ctx.anchor, True


def _clock(c: Candidate, text: str, tense: str | None, ctx: Context) -> Reading:
    p = c.parts
    hm = _clock_parts(p)
    mod = CLOCK_MOD.get(_norm(p.get("approx", "")))
    if hm is None:
        return Reading("TIME", None, "time", mod)
    day, anchored = _clock_day(p, _deadline_direction(text, c.start, tense), ctx)
    if day is None:
        return Reading("TIME", None, "time", mod, anchored=True)
    h, m = hm
    zone_label = p.get("zone")
    zone = zone_from_text(zone_label, ctx.zone) if zone_label else None
    local_day, clock_h = (day + timedelta(days=1), 0) if h == 24 else (day, h)
    offset = None
    if p.get("pz") is not None and p.get("ph") is not None:
        # "5:00 a.m. (0200 GMT)": the restatement fixes the local offset.
        ref_zone = zone_from_text(p["pz"], ctx.zone)
        ph = (
            int(p["ph"]) % 12 + (12 if (p.get("pap") or "").lower().startswith("p") else 0)
            if p.get("pap")
            else int(p["ph"])
        )
        pm = int(p.get("pm") or 0)
        if ref_zone is not None:
            ref_offset = datetime.combine(local_day, time(0), ref_zone).utcoffset() or timedelta()
            diff = (clock_h * 60 + m) - (ph * 60 + pm)
            diff = (diff + 12 * 60) % (24 * 60) - 12 * 60
            offset = ref_offset + timedelta(minutes=diff)
    if offset is None:
        use = zone or ctx.zone
        offset = datetime.combine(local_day, time(clock_h, m), use).utcoffset()
    value = f"{day.isoformat()}T{h:02d}:{m:02d}"
    return Reading(
        "TIME",
        value,
        "time",
        mod,
        anchored=anchored,
        utc_offset=offset_string(offset),
        timezone=(zone_label or p.get("pz")),
    )


# --- relative units, durations, sets, references --------------------------


def _unit_value(anchor: date, unit: str, n: int) -> tuple[str, str]:
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


def _relunit(c: Candidate, tense: str | None, ctx: Context) -> Reading:
    p = c.parts
    rel = _norm(p.get("rel") or p.get("rel2") or "")
    unit = _norm(p.get("unit") or p.get("unit2") or "")
    mod = _pre_mod(p.get("pre"))
    if p.get("unit3"):  # "year-earlier profit", "the year-ago quarter"
        rel, unit = "last", "year"
        compared = _compared_quarter(c, ctx)
        if compared:
            return Reading("DATE", compared, "quarter", mod, anchored=True, extra=_COMPARED)
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
        value, gran = _unit_value(ctx.ref_day, unit, 0)
        return Reading("DATE", value, gran, mod, anchored=True)
    shift = 0
    if rel in ("last", "the past", "the previous", "this past"):
        shift = -1
    elif rel in ("next", "the coming", "the following", "this coming"):
        shift = 1
    elif rel in ("the", "year end") and tense == "past" and mod == "END" and ctx.anchor.month <= 6:
        shift = -1  # "by the end of the year", said in spring, is last year's end
    value, gran = _unit_value(ctx.anchor, unit, shift)
    return Reading("DATE", value, gran, mod, anchored=True)


def _compared_quarter(c: Candidate, ctx: Context) -> str | None:
    """"Profit rose in the third quarter from $5 million a year earlier": a year-back
    comparison made while a quarter is under discussion means that quarter a year
    before, not the whole previous year."""
    if ctx.ref_quarter is None or c.start - ctx.ref_quarter[1] > _COMPARISON_REACH:
        return None
    m = re.fullmatch(r"(\d{4})-Q(\d)", ctx.ref_quarter[0])
    if m is None:
        return None
    year, q = m.groups()
    return f"{int(year) - 1}-Q{q}"


_COMPARISON_REACH = 1500  # characters: the report's own paragraphs, not a later story
_COMPARED = {"compared": "1"}  # read off another quarter; never itself a reference


def _duration_value(n: int | float | None, unit: str) -> str:
    unit = unit.lower().rstrip("s")
    if unit == "centurie":
        unit = "century"
    if unit == "fortnight":
        n, unit = (None if n is None else n * 2), "week"
    if unit in ("decade", "century", "millennium", "millennia"):
        per = {"decade": 10, "century": 100}.get(unit, 1000)
        if n is None:
            return "PX" + {"decade": "DE", "century": "CE"}.get(unit, "ML")
        n, unit = n * per, "year"
    letter = UNITS.get(unit, "X")
    amount = "X" if n is None else (f"{n:g}" if isinstance(n, float) else str(n))
    if unit in ("second", "minute", "hour"):
        return f"PT{amount}{letter}"
    return f"P{amount}{letter}"


def _count(num: str | None) -> int | float | None:
    if not num:
        return None
    low = _norm(num)
    if low in VAGUE_NUMBERS:
        return None
    if re.fullmatch(r"\d+\.\d+", low):
        return float(low)
    return number_value(low)


def _duration(c: Candidate, text: str, tense: str | None, ctx: Context) -> Reading:
    p = c.parts
    unit = p["unit"].lower()
    base = unit.rstrip("s")
    if base == "centurie":
        base = "century"
    direction = (p.get("dir") or "").lower()
    mod = DMOD.get(_norm(p.get("dmod", "")))
    if p.get("orso"):
        mod = "APPROX"
    num = p.get("num")
    n = _count(num)
    drel = (p.get("drel") or "").lower()
    if num is None:
        # Bare plurals: "for years", "recent days", "days earlier", "the first days".
        before = text[max(0, c.start - 12) : c.start].lower()
        if direction in ("ago", "earlier", "before"):
            return Reading("DATE", "PAST_REF", None)
        if direction in ("later", "after"):
            return Reading("DATE", "FUTURE_REF", None)
        if drel in ("recent", "past") and not re.search(
            r"\b(?:for|over|throughout)\s+(?:the\s+)?$", before
        ):
            return Reading("DATE", "PAST_REF", None)
        if drel in ("coming", "next", "following") and not re.search(
            r"\b(?:for|over|throughout)\s+(?:the\s+)?$", before
        ):
            return Reading("DATE", "FUTURE_REF", None)
        return Reading("DURATION", _duration_value(None, unit), None, mod)
    if direction in ("ago", "earlier", "before", "later", "after", "from now", "hence"):
        if n is None:
            return Reading(
                "DATE",
                "FUTURE_REF"
                if direction in ("later", "after", "from now", "hence")
                else "PAST_REF",
                None,
            )
        sign = -1 if direction in ("ago", "earlier", "before") else 1
        ref = (
            ctx.anchor
            if direction in ("ago", "from now", "hence", "earlier")
            else (ctx.ref_day or ctx.anchor)
        )
        if ref is None:
            return Reading("DATE", None, base, mod, anchored=True)
        if base in ("hour", "minute", "second"):
            if ctx.anchor_time is None:
                return Reading("DATE", ref.isoformat(), "day", mod, anchored=True)
            delta = timedelta(**{base + "s": n * sign})
            moment = (ctx.anchor_time + delta).astimezone(ctx.zone)
            return Reading(
                "TIME",
                moment.strftime("%Y-%m-%dT%H:%M"),
                "time",
                mod,
                anchored=True,
                utc_offset=offset_string(moment.utcoffset()),
            )
        if isinstance(n, float):
            n = round(n)
        compared = _compared_quarter(c, ctx) if (base, n, sign) == ("year", 1, -1) else None
        if compared:
            return Reading("DATE", compared, "quarter", mod, anchored=True, extra=_COMPARED)
        if base == "fortnight":
            base, n = "week", n * 2
        value, gran = _unit_value(ref, base, sign * n)
        return Reading("DATE", value, gran, mod, anchored=True)
    return Reading("DURATION", _duration_value(n, unit), None, mod)


_SET_ADVERBS = {
    "daily": "P1D", "nightly": "P1D", "weekly": "P1W", "biweekly": "P2W", "monthly": "P1M",
    "bimonthly": "P2M", "quarterly": "P3M", "annually": "P1Y", "yearly": "P1Y",
    "semiannually": "P6M", "hourly": "PT1H",
}  # fmt: skip


def _set(c: Candidate) -> Reading:
    p = c.parts
    if p.get("adv"):
        return Reading("SET", _SET_ADVERBS[p["adv"].lower()], None)
    if p.get("wds"):
        return Reading("SET", f"XXXX-WXX-{WEEKDAYS[p['wds'].lower()[:-1]] + 1}", None)
    if p.get("pods"):
        n = WEEKDAYS[p["wd"].lower().rstrip(".")] + 1
        return Reading("SET", f"XXXX-WXX-{n}T{PARTS_OF_DAY[p['pods'].lower()[:-1]]}", None)
    if p.get("wd"):
        return Reading("SET", f"XXXX-WXX-{WEEKDAYS[p['wd'].lower().rstrip('.')] + 1}", None)
    if p.get("month"):
        return Reading("SET", f"XXXX-{_month_num(p['month']):02d}", None)
    unit = p["unit"].lower()
    if unit in SEASONS:
        return Reading("SET", f"XXXX-{SEASONS[unit]}", None)
    if unit in PARTS_OF_DAY:
        return Reading("SET", f"XXXX-XX-XXT{PARTS_OF_DAY[unit]}", None)
    num = (p.get("num") or "").lower()
    n = 2 if num == "other" else (number_value(num) if num else 1)
    return Reading("SET", _duration_value(n or 1, unit), None)


def _ref(c: Candidate) -> Reading:
    ref = _norm(c.parts["ref"])
    if ref in PRESENT_REFS:
        value = "PRESENT_REF"
    elif ref in PAST_REFS or ref.startswith(("recent", "then")):
        value = "PAST_REF"
    else:
        value = "FUTURE_REF"
    return Reading("DATE", value, None)


def _dayref(c: Candidate, ctx: Context) -> Reading:
    """"The next day", "the day before", "that day": counted from the day the text
    last named (the publication day if it named none)."""
    rel = _norm(c.parts.get("rel") or c.parts.get("rel2") or "")
    base = ctx.ref_day or ctx.anchor
    if base is None:
        return Reading("DATE", None, "day", anchored=True)
    shift = {"the next": 1, "the following": 1, "after": 1, "the previous": -1, "before": -1}
    mod = PRE_MOD.get((c.parts.get("pre") or "").lower())
    day = base + timedelta(days=shift.get(rel, 0))
    return Reading("DATE", day.isoformat(), "day", mod, anchored=True)


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


def _holiday(c: Candidate, tense: str | None, ctx: Context) -> Reading:
    """Fixed and computed holidays; the year follows the tense like a year-less date.
    Independence Day and Victory Day are read as the US and the post-Soviet ones."""
    if ctx.anchor is None:
        return Reading("DATE", None, "day", anchored=True)
    rule = _HOLIDAYS[" ".join(c.parts["name"].lower().split())]
    rel = _norm(c.parts.get("rel", ""))
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
        direction = _direction(tense)
        if direction == "past":
            day = max(o for o in options if o <= ctx.anchor)
        elif direction == "future":
            day = min(o for o in options if o >= ctx.anchor)
        else:
            day = min(options, key=lambda o: (abs((o - ctx.anchor).days), o > ctx.anchor))
    return Reading("DATE", day.isoformat(), "day", anchored=True)


def resolve(c: Candidate, text: str, tense: str | None, ctx: Context) -> Reading:
    """The TIMEX3 reading of one candidate in its document context."""
    kind = c.kind
    if kind == "calendar":
        return _calendar(c, text, tense, ctx)
    if kind == "iso":
        return _iso(c, ctx)
    if kind == "numeric":
        return _numeric(c, tense, ctx)
    if kind == "month_year":
        return _month_year(c)
    if kind == "month":
        return _month(c, text, tense, ctx)
    if kind == "year":
        return _year(c)
    if kind == "decade":
        return _decade(c, ctx)
    if kind == "century":
        return _century(c)
    if kind == "season":
        return _season(c, tense, ctx)
    if kind == "quarter":
        return _quarter(c, tense, ctx)
    if kind == "quarter_rel":
        return _quarter_rel(c, tense, ctx)
    if kind == "weekday":
        return _weekday(c, tense, ctx)
    if kind == "relday":
        return _relday(c, tense, ctx)
    if kind == "clock":
        return _clock(c, text, tense, ctx)
    if kind == "relunit":
        return _relunit(c, tense, ctx)
    if kind == "duration":
        return _duration(c, text, tense, ctx)
    if kind in ("set", "set_a"):
        return _set(c)
    if kind == "ref":
        return _ref(c)
    if kind == "dayref":
        return _dayref(c, ctx)
    if kind == "holiday":
        return _holiday(c, tense, ctx)
    raise ValueError(f"unknown candidate kind {kind!r}")
