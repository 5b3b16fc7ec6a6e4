"""Readings of amounts and vague references: durations ("the past three
months"), "N units ago", recurrences ("every month") and PRESENT/PAST/FUTURE_REF."""

from __future__ import annotations

import re
from datetime import timedelta

from .grammar import Candidate
from .lexicon import PARTS_OF_DAY, SEASONS, UNITS, VAGUE_NUMBERS, WEEKDAYS, number_value
from .reading import (
    COMPARED,
    DMOD,
    PAST_REFS,
    PRESENT_REFS,
    Context,
    Reading,
    compared_quarter,
    month_num,
    norm,
)
from .resolve_periods import unit_value
from .zones import offset_string

_HALF = {"year": "6M", "month": "15D", "day": "12H", "hour": "30M", "minute": "30S"}


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
    if isinstance(n, float) and n % 1 == 0.5 and unit in _HALF:
        # A half unit in the next smaller one: P2Y6M, PT1H30M, P3DT12H.
        whole, rest = int(n), _HALF[unit]
        time_part = unit in ("hour", "minute") or rest.endswith("H")
        head = f"{whole}{letter}" if whole else ""
        if unit in ("hour", "minute"):
            return f"PT{head}{rest}"
        return f"P{head}T{rest}" if time_part else f"P{head}{rest}"
    amount = "X" if n is None else (f"{n:g}" if isinstance(n, float) else str(n))
    if unit in ("second", "minute", "hour"):
        return f"PT{amount}{letter}"
    return f"P{amount}{letter}"


def _count(num: str | None) -> int | float | None:
    if not num:
        return None
    low = norm(num)
    if low in VAGUE_NUMBERS:
        return None
    if re.fullmatch(r"\d+\.\d+", low):
        return float(low)
    return number_value(low)


def read_duration(c: Candidate, text: str, tense: str | None, ctx: Context) -> Reading:
    """A "N units" phrase as a duration, or as the date it points to ("two years ago", "in
    a week"): one decision list over the phrase's parts, kept whole so that the order in
    which its cases are tried (approximate, bounded, anchored, bare) stays visible."""
    p = c.parts
    unit = p["unit"].lower()
    base = unit.rstrip("s")
    if base == "centurie":
        base = "century"
    direction = (p.get("dir") or "").lower()
    mod = DMOD.get(norm(p.get("dmod", "")))
    if p.get("ortwo") and not p.get("dir"):
        # "in a year or two": a vague time to come; "for a day or two": a vague length
        if re.search(r"\b(?:in|within)\s+$", text[max(0, c.start - 8) : c.start]):
            return Reading("DATE", "FUTURE_REF", None)
        return Reading("DURATION", _duration_value(None, p["unit"]), None, "APPROX")
    if p.get("orso"):
        mod = "APPROX"
    num = p.get("num")
    n = _count(num)
    if n is not None and (p.get("half") or p.get("half2")):
        n += 0.5  # "2 1/2 years", "two and a half hours", "a year and a half"
    if n is not None and p.get("halfa"):
        n = n / 2  # "half a year", "half an hour"
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
            delta = timedelta(**{base + "s": n * sign})
            if ctx.anchor_time is None:
                # Only the day is known: "3 hours ago" is about that day, "300 hours
                # ago" is days before it.
                day = ref if abs(delta) < timedelta(days=1) else ref + delta
                return Reading("DATE", day.isoformat(), "day", mod, anchored=True)
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
        compared = compared_quarter(c, ctx) if (base, n, sign) == ("year", 1, -1) else None
        if compared:
            return Reading("DATE", compared, "quarter", mod, anchored=True, extra=COMPARED)
        if base == "fortnight":
            base, n = "week", n * 2
        value, gran = unit_value(ref, base, sign * n)
        return Reading("DATE", value, gran, mod, anchored=True)
    return Reading("DURATION", _duration_value(n, unit), None, mod)


_SET_ADVERBS = {
    "daily": "P1D", "nightly": "P1D", "weekly": "P1W", "biweekly": "P2W", "monthly": "P1M",
    "bimonthly": "P2M", "quarterly": "P3M", "annually": "P1Y", "yearly": "P1Y",
    "semiannually": "P6M", "hourly": "PT1H",
}  # fmt: skip


def read_set(c: Candidate) -> Reading:
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
        return Reading("SET", f"XXXX-{month_num(p['month']):02d}", None)
    unit = p["unit"].lower()
    if unit in SEASONS:
        return Reading("SET", f"XXXX-{SEASONS[unit]}", None)
    if unit in PARTS_OF_DAY:
        return Reading("SET", f"XXXX-XX-XXT{PARTS_OF_DAY[unit]}", None)
    num = (p.get("num") or "").lower()
    n = 2 if num == "other" else (number_value(num) if num else 1)
    return Reading("SET", _duration_value(n or 1, unit), None)


def read_ref(c: Candidate) -> Reading:
    ref = norm(c.parts["ref"])
    if ref in PRESENT_REFS:
        value = "PRESENT_REF"
    elif ref in PAST_REFS or ref.startswith(("recent", "then")):
        value = "PAST_REF"
    else:
        value = "FUTURE_REF"
    return Reading("DATE", value, None)
