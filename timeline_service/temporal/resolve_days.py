"""Readings of days and times of day: weekdays by tense, yesterday/tonight,
"the next day", and clock times with their zones and UTC offsets."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from .calendar_math import weekday_near, year_for_month_day
from .grammar import Candidate
from .lexicon import PARTS_OF_DAY, SMALL_NUMBERS, WEEKDAYS
from .reading import CLOCK_MOD, PRE_MOD, Context, Reading, deadline_direction, month_num, norm
from .zones import offset_string, zone_from_text

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


def read_weekday(c: Candidate, tense: str | None, ctx: Context) -> Reading:
    p = c.parts
    wrel = norm(p.get("wrel", ""))
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
    # "the previous Friday", "the following Monday": counted from the day the text
    # is discussing, not from the publication day ("last Friday", "next Monday").
    base = ctx.ref_day if wrel in ("the previous", "the following") and ctx.ref_day else ctx.anchor
    day = weekday_near(base, wd, direction, strict)
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


def read_relday(c: Candidate, tense: str | None, ctx: Context) -> Reading:
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
    if p.get("pod2"):  # "in the morning": of the day under discussion
        pod = PARTS_OF_DAY[p["pod2"].lower()]
    if not rd:  # "by mid-afternoon": the day under discussion
        day = ctx.ref_day or ctx.anchor
        return _day_reading(day, pod, mod, hours)
    offset = _RELDAY_OFFSET.get(rd, 0)
    base = ctx.anchor
    if rd == "overnight" and tense == "past":
        offset = -1
        # "closed lower Friday ... depressed by overnight losses": the night before
        # the day the text is describing, when that is a recent day.
        if ctx.ref_day is not None and 0 < (ctx.anchor - ctx.ref_day).days <= 7:
            base = ctx.ref_day
    day = base + timedelta(days=offset)
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


def _clock_day(p: dict[str, str], direction: str | None, ctx: Context) -> tuple[date | None, bool]:
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
            month, day = month_num(m.group(1)), int(m.group(2))
            if m.group(3):
                return date(int(m.group(3)), month, day), False
            if ctx.anchor is None:
                return None, True
            y = year_for_month_day(ctx.anchor, month, day, direction)
            return (date(y, month, day) if y else None), True
    if ctx.ref_day is not None:
        return ctx.ref_day, True
    return ctx.anchor, True


def read_clock(c: Candidate, text: str, tense: str | None, ctx: Context) -> Reading:
    p = c.parts
    hm = _clock_parts(p)
    mod = CLOCK_MOD.get(norm(p.get("approx", "")))
    if hm is None:
        return Reading("TIME", None, "time", mod)
    day, anchored = _clock_day(p, deadline_direction(text, c.start, tense), ctx)
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


def read_dayref(c: Candidate, ctx: Context) -> Reading:
    """ "The next day", "the day before", "that day": counted from the day the text
    last named (the publication day if it named none)."""
    if c.parts.get("thenprep"):  # "until then", "since then": the date the text last named
        if ctx.ref_named is None:
            return Reading("DATE", None, None, anchored=True)
        value, granularity = ctx.ref_named
        return Reading("DATE", value, granularity, anchored=True)
    rel = norm(c.parts.get("rel") or c.parts.get("rel2") or "")
    base = ctx.ref_day or ctx.anchor
    if base is None:
        return Reading("DATE", None, "day", anchored=True)
    shift = {"the next": 1, "the following": 1, "after": 1, "the previous": -1, "before": -1}
    mod = PRE_MOD.get((c.parts.get("pre") or c.parts.get("pre2") or "").lower())
    day = base + timedelta(days=shift.get(rel, 0))
    return Reading("DATE", day.isoformat(), "day", mod, anchored=True)
