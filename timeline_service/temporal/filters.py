"""Context checks that keep look-alikes out of the results: modal "may", the verb
"march", names ("April Smith"), counts and money ("2000 troops", "$650 million"),
ages, model and title names ("Orion 1980", "This Week", "the Sunday Times")."""

from __future__ import annotations

import re

from .lexicon import MONTHS

_COUNT_WORDS = re.compile(
    r"\s*(?:-\s*)?(?:[a-z]+s\b(?<!\bwas)(?<!\bhas)(?<!\bis)(?<!\bthis)(?<!\bthus)(?<!\bas)"
    r"(?<!\bits)(?<!\bus)|percent|%|people|million|billion|troops|km|kilometers?|miles?|meters?|"
    r"tons?|feet|dollars?|rubles?|euros?|men|women|children)"
)
_MONTH_CUE = re.compile(
    r"(?:\b(?:in|since|until|till|by|during|early|late|mid|last|next|this|of|through|from|"
    r"between|before|after|throughout|to|and|or|on|each|every|that|past|coming)[\s-]+)$",
    re.IGNORECASE,
)
_STRONG_MONTH_CUE = re.compile(
    r"\b(?:in|since|until|till|by|during|early|late|mid|last|next|this|through|before|after|"
    r"of)[\s-]+$",
    re.IGNORECASE,
)
_SEASON_CUE = re.compile(
    r"(?:\b(?:in|since|until|till|by|during|through|throughout|before|after|over|the|a|this|"
    r"last|next|early|late|mid|that|past|coming)[\s-]+)$",
    re.IGNORECASE,
)
_A_UNIT_CUE = re.compile(
    r"\b(?:for|within|in|over|than|about|nearly|almost|after|past|last|next|just|only|least|"
    r"some|around|spent|took|takes|take|lasted|half|once|of|barely|roughly)\s+$",
    re.IGNORECASE,
)
_ABBR_OR_AMBIGUOUS = {
    "may",
    "march",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
}


_YEAR_CAPITAL_OK = {
    *(m for m in MONTHS),
    "in",
    "since",
    "by",
    "until",
    "from",
    "before",
    "after",
    "during",
    "of",
    "the",
    "and",
    "through",
    "fiscal",
    "fy",
    "spring",
    "summer",
    "autumn",
    "fall",
    "winter",
    "early",
    "late",
    "mid",
    "end",
    "year",
}
_DETERMINER_BEFORE = re.compile(
    r"\b(?:its|their|his|her|our|the|a|an|average|initial|first|regular|this|that)\s+$",
    re.IGNORECASE,
)


_OVERSIZED_YEAR = re.compile(r"(?:\s+\d{1,2}(?:st|nd|rd|th)?)?,?\s*\d{5,}(?![\d,])")


def accept(text: str, m: re.Match[str], kind: str, parts: dict[str, str]) -> bool:
    """Context checks that keep look-alikes out.

    A flat list of rules, one per look-alike, each with the example it was written for;
    kept in one function so that their order (earlier rules win) is read in one place.
    """
    s, e = m.span()
    before = text[max(0, s - 30) : s]
    after = text[e : e + 25]
    if kind in ("calendar", "month") and not parts.get("year") and _OVERSIZED_YEAR.match(after):
        return False  # "1 January 99999": no such year, and no other year is meant
    if kind == "month":
        month = parts["month"].rstrip(".")
        if parts.get("pre") or parts.get("rel") or parts.get("relyear"):
            return True
        if month.lower() in _ABBR_OR_AMBIGUOUS and not _MONTH_CUE.search(before):
            return False
        # "April Smith", "June Carter": a bare month before a capitalised word is a name.
        nxt = re.match(r"\s+([A-Z][a-z]+)", after)
        return not (nxt and not _STRONG_MONTH_CUE.search(before) and nxt.group(1) != "The")
    if kind == "year":
        if parts.get("pre") or parts.get("fiscal"):
            return True
        if not parts["year"][0].isdigit():
            spoken_cue = re.search(r"\b(?:in|since|until|by|of|from|before|after|year)\s+$", before)
            return parts["year"].lower().startswith(("nineteen", "eighteen")) or bool(spoken_cue)
        prev = re.search(r"([A-Z][A-Za-z]*)\s+$", before)
        if (
            prev
            and prev.group(1).lower() not in _YEAR_CAPITAL_OK
            and not re.search(r"(?:^|[.!?\n]\s*|[\"“]\s*)[A-Z][A-Za-z]*\s+$", before)
        ):
            return False  # "Orion 1980", "Windows 2000": a name, not a year
        if re.search(r"(?:\$\s*|No\.\s*|#|\d[\s,]?)$", text[max(0, s - 4) : s]):
            return False
        return not _COUNT_WORDS.match(after) or bool(re.match(r"\s*(?:and|or|to)\b", after))
    if kind == "season":
        return _accept_season(parts, before, after)
    if kind == "duration":
        return _accept_duration(parts, before, after)
    if kind == "clock":
        if parts.get("h") is not None and int(parts["h"]) > 12:
            return False
        if parts.get("h24") is not None and not (parts.get("zone") or parts.get("approx")):
            # A bare "10:30" is a clock time only when introduced as one.
            return bool(re.search(r"\b(?:at|by|from|until|till|to|before|after)\s+$", before))
        return True
    if kind == "relday" and parts.get("rd", "x")[0] == "T" and re.search(_NAME_END, before):
        return False  # "USA Today", "VOA Today": a title
    if kind == "weekday" and (
        re.match(_TITLE_AFTER_WEEKDAY, after) or parts.get("pod", "x")[0].isupper()
    ):
        return False  # "the Sunday Times", "Monday Night Football"
    if kind == "relday" and parts.get("pod2") and re.search(_HABITUAL, text[max(0, s - 60) : s]):
        return False  # "always runs in the morning": a habit, not a day
    if kind == "dayref" and (parts.get("rel") or "").lower() == "that":
        return bool(parts.get("pre"))  # "later that day"; a bare "that day" is often generic
    if kind == "set" and parts.get("adv"):
        # "its quarterly dividend", "average daily volume": adjectives, not recurrences.
        return not _DETERMINER_BEFORE.search(before)
    if kind == "relunit":
        unit_text = parts.get("unit") or parts.get("unit2") or ""
        if unit_text[:1].isupper() and not re.search(r"(?:^|[.!?\n]\s*)\S*\s*$", before):
            return False  # "ABC's This Week": a title
        if (parts.get("prep4") or "").lower() == "in" and not parts.get("yadj"):
            return False  # "in the year" is nearly always followed by the year itself
        rel = (parts.get("rel") or "").lower()
        unit = (parts.get("unit") or parts.get("unit2") or "").lower()
        if rel in ("the", "a") and unit != "weekend":
            # "the year" / "a year" alone are too often not a reference to a period.
            return bool(parts.get("pre")) and unit in ("year", "month", "week", "fiscal year")
        return True
    if kind == "ref":
        ref = parts["ref"].lower()
        if ref == "soon":
            return not (
                re.match(r"\s+(?:after|as|afterwards?|enough)\b", after)
                or re.search(r"\bas\s+$", before)
            )
        if ref.endswith("future"):
            return not re.match(r"\s+of\b", after)
        if ref == "current":
            # "its current position", "current market conditions"; not "current account"
            return bool(re.match(r"\s+[a-z]", after)) and not re.match(_NOT_CURRENT, after)
        return True
    if kind == "quarter":
        return not re.match(_OF_DET, after) or bool(parts.get("year"))
    return True


_HABITUAL = r"\b(?:always|usually|often|generally|typically|sometimes|normally|never|every|each)\b"
_NAME_END = r"\b[A-Z][\w.]*\s+$"
_TITLE_AFTER_WEEKDAY = (
    r"\s+(?-i:Times|Telegraph|Express|Mirror|Post|Herald|Mail|Observer|Independent|Star|"
    r"Night\s+(?:Football|Live|Raw)|Morning\s+(?:Edition|Post|Herald)|Bloody)\b"
)
_NOT_CURRENT = (
    r"\s+(?:accounts?|assets|liabilities|affairs|events|dollars?|prices|issues?|edition|"
    r"president|chairman|chief|members?|holders?|owners?|management|managers?|director|"
    r"employees?|students?|residents?|law|rules?|version|cost)\b"
)
_OF_DET = r"\s+of\s+(?:the|a|an|its|their|his|her|our|this|that|these|those|all|every|each|its)\b"


def _accept_season(parts: dict[str, str], before: str, after: str) -> bool:
    season = parts["season"].lower()
    if parts.get("year") or parts.get("pre") or parts.get("pre2"):
        return season != "fall" or bool(parts.get("year") or parts.get("rel"))
    rel = (parts.get("rel") or "").lower()
    if rel in ("last", "next", "this", "this past", "this coming", "that"):
        return True
    if season == "fall":
        return rel == "the" and bool(re.search(r"\b(?:in|by|until|since|during)\s+$", before))
    if season == "spring" and re.match(r"\s+(?:up|back|from|into|to|of\s+water)\b", after):
        return False
    return bool(rel) or bool(_SEASON_CUE.search(before))


def _accept_duration(parts: dict[str, str], before: str, after: str) -> bool:
    num = (parts.get("num") or "").lower()
    unit = (parts.get("unit") or "").lower()
    if unit.startswith("quarter") and re.match(_OF_DET, after):
        return False
    if re.match(r"\s+old\b", after) and unit.startswith("year"):
        return False  # ages: "Mr. Schwarz, 52 years old"
    if re.fullmatch(r"1[0-9]\d\d|20\d\d", num):
        return False  # "the 1988 quarter"
    if num in ("a", "an", "some", "many", "one"):
        if unit.startswith("second"):
            return False
        if not (
            parts.get("dmod")
            or parts.get("drel")
            or parts.get("dir")
            or parts.get("det")
            or _A_UNIT_CUE.search(before)
        ):
            return False
    if num.replace(".", "").isdigit() and re.search(r"[$£€#]\s*$|[\d,.]$", before):
        return False
    if parts.get("prep") and not parts.get("drel") and not parts.get("dir"):
        if parts["prep"].lower() == "in" and re.match(r"\s*[.,;:!?)\"”]", after):
            return True  # "the first time in years."
        return parts["prep"].lower() in ("for", "within", "over", "after", "took", "lasted")
    return True
