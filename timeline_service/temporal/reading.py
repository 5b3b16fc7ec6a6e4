"""What every resolution rule shares: the document context, the reading it
returns, and the small helpers for modifiers, tense direction and comparisons."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from .grammar import Candidate
from .lexicon import MONTHS, year_value


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
    ref_month: date | None = None  # first day of the last month named ("the following month")
    ref_named: tuple[str, str | None] | None = None  # last date value named ("until then")
    # Where the last cumulative reporting period ("the nine months") was named: once
    # the text moves on to it, year-back comparisons are about it, not the quarter.
    ref_span_end: int = -1


@dataclass(slots=True)
class Reading:
    """One candidate's TIMEX3 reading; the engine adds the span and the interval."""

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


def norm(s: str) -> str:
    return " ".join(s.lower().replace("-", " ").split())


def pre_mod(pre: str | None) -> str | None:
    if not pre:
        return None
    words = norm(pre).replace("the ", "").replace(" of", "").removeprefix("by ").strip()
    return PRE_MOD.get(words) or PRE_MOD.get(words.split()[0])


def month_num(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def day_num(word: str) -> int:
    return int(re.match(r"\d+", word).group())  # type: ignore[union-attr]


def year_num(text: str) -> int:
    value = year_value(text)
    if value is None:
        raise ValueError(f"not a year: {text!r}")
    return value


def ymd(d: date) -> str:
    return d.isoformat()


def direction_of(tense: str | None) -> str | None:
    return tense if tense in ("past", "future") else None


# --- calendar dates -------------------------------------------------------


# "extended to Nov. 20", "payable Dec. 7", "effective Feb. 1": the event's tense
# says nothing about the date, so the nearest one is taken.
DEADLINE = re.compile(
    r"\b(?:to|until|till|through|by|effective|payable|due|expires?|record|before|from|as\s+of)"
    r"\s+$",
    re.IGNORECASE,
)


def deadline_direction(text: str, start: int, tense: str | None) -> str | None:
    """Tense direction, except that a past event with a deadline date ("was
    extended to Nov. 20") says nothing about which side of the anchor it is,
    and "since February" always looks back."""
    before = text[max(0, start - 20) : start]
    if re.search(r"\bsince\s+$", before, re.IGNORECASE):
        return "past"
    if tense == "past" and DEADLINE.search(before):
        return None
    return direction_of(tense)


def compared_quarter(c: Candidate, ctx: Context) -> str | None:
    """ "Profit rose in the third quarter from $5 million a year earlier": a year-back
    comparison made while a quarter is under discussion means that quarter a year
    before, not the whole previous year."""
    if ctx.ref_quarter is None or c.start - ctx.ref_quarter[1] > COMPARISON_REACH:
        return None
    if ctx.ref_quarter[1] < ctx.ref_span_end <= c.start:
        # "For the nine months, ... compared with $5 million a year earlier".
        return None
    m = re.fullmatch(r"(\d{4})-Q(\d)", ctx.ref_quarter[0])
    if m is None:
        return None
    year, q = m.groups()
    return f"{int(year) - 1}-Q{q}"


COMPARISON_REACH = 1500  # characters: the report's own paragraphs, not a later story
COMPARED = {"compared": "1"}  # read off another quarter; never itself a reference
