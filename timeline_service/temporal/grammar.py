"""Detection: a compiled regular grammar over English news dates.

Finding expressions is the service's own job (``search_dates`` reads "We" as
Wednesday and "Tu-22" as a date). Each rule yields :class:`Candidate` spans
with named parts; overlapping spans are settled longest-first, and each kind
has a context check that rejects look-alikes (modal "may", the verb "march",
counts, money, model names).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import DECADE_WORDS, MONTHS, SEASONS, WEEKDAYS


@dataclass(frozen=True, slots=True)
class Candidate:
    """A detected span, its rule (``kind``) and the parts the rule captured."""

    start: int
    end: int
    kind: str
    parts: dict[str, str]


def _alt(words: list[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


def _cased(words: list[str]) -> str:
    """Capitalised or upper-case forms only: "May" is a month, "may" a modal."""
    forms = [w.capitalize() for w in words] + [w.upper() for w in words]
    return "(?-i:" + _alt(forms) + ")"


_FULL_MONTHS = [m for m in MONTHS if len(m) > 3 and m != "sept"] + ["may"]
_ABBR_MONTHS = [m for m in MONTHS if len(m) <= 4 and m != "may"]
MONTH = rf"(?:{_cased(_FULL_MONTHS)}(?![\w-])|{_cased(_ABBR_MONTHS)}(?:\.|(?![\w-])))"
_FULL_DAYS = [d for d in WEEKDAYS if d.endswith("day")]
_ABBR_DAYS = [d for d in WEEKDAYS if not d.endswith("day")]
WEEKDAY = rf"(?:{_cased(_FULL_DAYS)}(?![\w-])|{_cased(_ABBR_DAYS)}\.(?=,))"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d:.,]\d|%|\w)"
YEAR_DIGITS = r"(?<![\d,.$£€#])(?:1[0-9]|20)\d\d(?![\d%]|,\d|\.\d|-\w)"
_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_ONES = r"(?:one|two|three|four|five|six|seven|eight|nine)"
# Broadcast transcripts spell years out: "nineteen ninety-six", "the year two thousand".
SPOKEN_YEAR = (
    rf"(?:(?:eighteen|nineteen)[\s-]+(?:{_TENS}(?:[\s-]{_ONES})?|ten|eleven|twelve|thirteen|"
    rf"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|oh[\s-]{_ONES}|hundred)"
    rf"|two\s+thousand(?:(?:\s+and)?[\s-]+(?:{_ONES}|ten|eleven|twelve|{_TENS}(?:[\s-]{_ONES})?))?)"
    r"(?![\w-])"
)
YEAR = rf"(?:{YEAR_DIGITS}|{SPOKEN_YEAR})"
ORD_DAY = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
    r"twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|"
    r"nineteenth|twentieth|twenty-\w+|thirtieth|thirty-first)"
)
SEASON = _alt(list(SEASONS))
NUM = (
    r"(?:\d+(?:\.\d+)?|"
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|"
    r"five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|a\s+hundred|"
    r"hundred|a\s+dozen|dozen|a\s+couple\s+of|couple\s+of|a\s+few|few|several|some|many|"
    r"a\s+number\s+of|dozens\s+of|hundreds\s+of|thousands\s+of|numerous|a|an)"
)
UNIT = (
    r"(?:seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|quarters?|years?|"
    r"decades?|century|centuries|millennium|millennia)"
)
ZONE = (
    r"(?:(?-i:GMT|UTC|EST|EDT|CST|CDT|MST|MDT|PST|PDT|BST|CET|CEST|EET|EEST|MSK|JST|ET|PT)"
    r"(?![\w])|local\s+time|(?:Moscow|Kyiv|Kiev|Minsk|Eastern|Central|Pacific|Mountain)"
    r"\s+(?:standard\s+|daylight\s+)?time)"
)
_PRE = (
    r"(?:(?P<pre>early|late|mid|the\s+(?:start|beginning|middle|end|close|turn|first\s+half|"
    r"second\s+half|last\s+half|latter\s+half|early\s+part|latter\s+part)\s+of(?:\s+the)?|"
    r"(?:the\s+)?(?:early|late|mid))(?:\s+|-))?"
)
_REL = (
    r"(?:(?P<rel>last|next|this|this\s+past|this\s+coming|the\s+following|the\s+previous|that)\s+)"
)
_CLOCK = (
    r"(?:(?P<h>[01]?\d|2[0-4])(?:[:.](?P<m>[0-5]\d))?\s*(?P<ap>a\.m\.?|p\.m\.?|am|pm)(?!\w)"
    r"|(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)(?![\d:])"
    r"|(?P<noon>noon|midnight|midday)"
    r"|(?P<hw>one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r"(?:\s+o'clock)?\s+(?:in\s+the\s+(?P<pw>morning|afternoon|evening)|at\s+night)"
    r"|(?P<hw2>one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+o'clock"
    r"|(?P<mh>[01]\d|2[0-3])(?P<mm>[0-5]\d)(?=\s*(?:GMT|UTC|MSK|hours|hrs|Z\b)))"
)
_CLOCK_DAY = (
    rf"(?:,?\s+(?:on\s+)?(?P<cday>today|yesterday|tomorrow|{WEEKDAY}|{MONTH}\s+{DAY}"
    rf"(?:,?\s+{YEAR})?))?"
)

_RULES: list[tuple[str, str]] = [
    (
        "calendar",  # Sept. 30 / February 24, 2022 / Thursday, February 24 / Sept. 17-19
        rf"(?:(?P<wd>{WEEKDAY}),?\s+(?:the\s+)?)?(?P<month>{MONTH})\s+(?P<day>{DAY})"
        rf"(?:\s*(?:-|–|to|and|through)\s*(?P<day2>(?:[12]\d|3[01]|0?[1-9]))(?!\d))?"
        rf"(?:,?\s+(?:of\s+)?(?P<year>{YEAR}))?",
    ),
    (
        "calendar",  # 24 February 2022 / the 24th of February
        rf"(?:(?P<wd>{WEEKDAY}),?\s+)?(?:the\s+)?(?P<day>(?<![\d,.$])(?:[12]\d|3[01]|0?[1-9])"
        rf"(?:st|nd|rd|th)?)(?:\s+of)?\s+(?P<month>{MONTH})(?:,?\s+(?P<year>{YEAR}))?",
    ),
    (
        "calendar",  # march eighth (spoken transcripts)
        rf"(?:(?P<wd>{WEEKDAY}),?\s+)?(?P<month>{MONTH})\s+(?:the\s+)?(?P<oday>{ORD_DAY})(?![\w-])",
    ),
    (
        "iso",
        r"(?<![\d-])(?P<year>(?:19|20)\d\d)-(?P<mon>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])"
        r"(?:[T\s](?P<h>[01]\d|2[0-3]):(?P<m>[0-5]\d))?(?![\d])",
    ),
    (
        "numeric",  # 2/24/2022, 24.02.2022
        r"(?<![\d/.])(?P<num>(?:0?[1-9]|[12]\d|3[01])(?P<sep>[/.])(?:0?[1-9]|[12]\d|3[01])(?P=sep)"
        r"(?:19|20)\d\d)(?![\d/.]\d)",
    ),
    (
        "month_year",
        rf"{_PRE}(?P<month>{MONTH}),?\s+(?:of\s+)?(?P<year>{YEAR})",
    ),
    (
        "month",
        rf"{_PRE}{_REL}?(?P<month>{MONTH})(?:\s+(?P<relyear>this|last|next)\s+year)?",
    ),
    (
        "year",
        rf"{_PRE}(?:(?P<fiscal>fiscal|calendar|FY|the\s+year|the\s+fiscal\s+year|year)\s*)?"
        rf"(?P<year>{YEAR})(?:\s+(?P<yafter>and\s+beyond|or\s+later|or\s+earlier))?",
    ),
    (
        "decade",
        rf"(?:the\s+)?{_PRE}(?:(?P<dec>(?:1[0-9]|20)\d0)'?s|'(?P<dec2>\d0)'?s|"
        rf"(?P<decw>{_alt(list(DECADE_WORDS))}))(?![\w])",
    ),
    (
        "century",
        r"(?:the\s+)?(?:(?P<pre>early|late|mid)[\s-]+)?(?P<cent>1\d|2[01]|[1-9])(?:st|nd|rd|th)"
        r"[\s-]+century|(?:the\s+)?(?P<centw>eighteenth|nineteenth|twentieth|twenty-first)"
        r"[\s-]+century",
    ),
    (
        "season",
        rf"{_PRE}(?:(?P<rel>last|next|this|this\s+past|this\s+coming|the|a|that)\s+)?"
        rf"(?:(?P<pre2>early|late)\s+)?(?P<season>{SEASON})(?![\w-])"
        rf"(?:\s+(?:of\s+)?(?P<year>{YEAR}))?",
    ),
    (
        "quarter",
        rf"(?:(?P<det>the|its|their|a|this\s+year's|last\s+year's|next\s+year's)\s+)?"
        rf"(?:(?P<qyear>{YEAR})(?:'s)?\s+)?(?:(?P<qrel>fiscal|year-ago|year-earlier)[\s-]+)?"
        r"(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|final)(?:[\s-]+fiscal)?[\s-]+"
        rf"(?P<unit>quarter|half)(?![\w-])(?:\s+of\s+(?:fiscal\s+)?(?P<year>{YEAR}))?",
    ),
    (
        "quarter",  # the first two quarters of 1990 = its first half
        rf"(?:the\s+)?(?P<halfq>first|last|final|second)\s+two\s+quarters\s+of\s+(?:fiscal\s+)?"
        rf"(?P<year>{YEAR})",
    ),
    (
        "quarter",
        rf"(?-i:Q)(?P<qn>[1-4])[\s-]*(?P<year>{YEAR})|(?P<year2>{YEAR})[\s-]*(?-i:Q)(?P<qn2>[1-4])",
    ),
    (
        "quarter_rel",
        r"(?P<det>the|this|that|last|next|its|their)\s+(?:(?P<qrel>latest|current|previous|past|"
        r"last|next|coming|year-ago|year-earlier|same|comparable|recent|most\s+recent|"
        r"fiscal|corresponding|comparable\s+year-ago|comparable\s+year-earlier)\s+)?"
        r"(?:fiscal\s+)?quarter(?![\w-]|\s+of\s+(?!\d|the\s+year|last|this|next))",
    ),
    (
        "weekday",  # Thursday / last Friday / Thursday evening / early hours of Thursday
        r"(?:(?:the\s+)?(?P<hours>early|small|wee)\s+hours\s+of\s+|"
        r"(?:the\s+)?(?P<podpre>morning|afternoon|evening|night)\s+of\s+|"
        r"(?P<wrel>last|next|this|this\s+past|this\s+coming|coming|the\s+previous|the\s+following|"
        r"early|late|earlier|later)\s+)?"
        rf"(?P<wd>{WEEKDAY})(?:\s+(?P<pod>morning|afternoon|evening|night|overnight))?",
    ),
    (
        "relday",
        r"(?:(?:the\s+)?(?P<hours>early|small|wee)\s+hours\s+of\s+|(?P<pre>early|late|earlier|later)"
        r"\s+|(?P<midpod>mid[\s-]?(?:morning|afternoon|day))\s+)?"
        r"(?P<rd>yesterday|today|tomorrow|tonight|overnight)"
        r"(?:\s+(?P<pod>morning|afternoon|evening|night))?(?!\w)",
    ),
    (
        "relday",  # this morning / last night / early this morning / the early hours
        r"(?:(?P<pre>early|late|earlier|later)\s+)?(?P<rd>this|last|tomorrow|yesterday)\s+"
        r"(?P<pod>morning|afternoon|evening|night)|(?:the\s+)?(?P<hours>early|small|wee)\s+hours"
        r"(?:\s+of\s+(?:the\s+)?(?:morning|night))?|(?P<midpod>mid[\s-]?(?:morning|afternoon))",
    ),
    (
        "clock",
        r"(?:(?P<approx>about|around|approximately|roughly|nearly|shortly\s+before|shortly\s+after"
        r"|just\s+before|just\s+after)\s+)?"
        rf"{_CLOCK}(?:\s*(?P<zone>{ZONE}))?(?:\s*\(\s*(?P<ph>\d{{1,2}}?):?(?P<pm>\d\d)?\s*"
        rf"(?P<pap>a\.m\.?|p\.m\.?|am|pm)?\s*(?P<pz>{ZONE})\s*\))?{_CLOCK_DAY}",
    ),
    (
        "relunit",  # last year / this week / earlier this month / the end of the year
        r"(?:(?P<pre>early|late|earlier\s+in|later\s+in|earlier|later|the\s+(?:start|beginning|"
        r"middle|end|close|rest|"
        r"remainder)\s+of|by\s+the\s+end\s+of|mid)[\s-]+)?"
        r"(?P<rel>last|next|this|this\s+past|this\s+coming|the\s+past|the\s+previous|the\s+coming|"
        r"the\s+current|the\s+following|the\s+same|that|the|a)\s+"
        r"(?P<unit>week|weekend|month|year|decade|century|fiscal\s+year|calendar\s+year)(?![\w-])",
    ),
    (
        "dayref",  # the next day / the day before / that day: the day the text is on
        r"(?:(?P<pre>earlier|later)\s+)?(?P<rel>the\s+next|the\s+following|the\s+previous|"
        r"the\s+same|that)\s+day(?![\w-])|the\s+day\s+(?P<rel2>before|after)(?=\s*[,.;:!?)])",
    ),
    (
        "holiday",
        r"(?:(?P<rel>last|next|this|this\s+year's|last\s+year's|next\s+year's)\s+)?"
        r"(?P<name>(?-i:Christmas\s+Eve|Christmas\s+Day|Christmas|New\s+Year's\s+Eve|"
        r"New\s+Year's\s+Day|New\s+Year|Valentine's\s+Day|Halloween|Victory\s+Day|"
        r"Independence\s+Day|Easter\s+Sunday|Easter|Thanksgiving(?:\s+Day)?|Boxing\s+Day|"
        r"Labor\s+Day|Memorial\s+Day))(?![\w-])",
    ),
    (
        "relunit",
        r"(?P<rel>year)[\s-](?P<unit>end)(?![\w-])|(?P<rel2>the\s+)?(?P<unit2>weekend)(?![\w-])",
    ),
    (
        "relunit",  # year-earlier profit / the year-ago period / for the full year / year's end
        r"(?:(?P<det3>the)\s+)?(?:comparable\s+|same\s+)?(?P<unit3>year)(?P<ago>-earlier|-ago|\s+ago)"
        r"(?:\s+(?P<period>period))?(?=\s+[a-z]|[\s.,;])"
        r"|(?P<yearsend>year's\s+end)"
        r"|(?P<prep4>for|of|during|throughout|in)\s+(?P<x>the\s+(?:(?P<yadj>full|fiscal|current|"
        r"calendar|latest\s+fiscal)\s+)?(?P<unit4>year))(?P<ended>\s+(?:ended|ending))?(?![\w-])",
    ),
    (
        "quarter_rel",  # the 1988 period / the quarter a year ago, in financial reports
        rf"(?P<det>the|its|their)\s+(?P<pyear>{YEAR_DIGITS})\s+(?P<period>period|quarter)(?![\w-])"
        r"|(?P<det2>the|that)\s+(?P<period2>quarter|period)\s+(?P<qrel>a\s+year\s+(?:ago|earlier))",
    ),
    (
        "quarter_rel",  # the latest period, in financial reports
        r"(?P<det>the)\s+(?P<qrel>latest|most\s+recent|year-ago|year-earlier|comparable|same)\s+"
        r"(?P<period>period)(?![\w-])",
    ),
    (
        "duration",  # the past three months / 24 hours / two-year / a week or so ago
        r"(?:(?P<dmod>about|around|approximately|roughly|nearly|almost|more\s+than|less\s+than|"
        r"fewer\s+than|at\s+least|at\s+most|up\s+to|no\s+more\s+than|no\s+less\s+than|within|"
        r"just|only|over|under|some|another)\s+)?"
        r"(?:(?P<det>the|these|those|its|their)\s+)?(?:(?P<drel>past|last|next|first|coming|previous|"
        r"final|following|remaining|latest|recent|further|additional|other|initial)\s+)?"
        rf"(?P<num>{NUM})(?:[\s-]+(?:more|additional|full|straight|consecutive|trading|business|"
        rf"calendar|long|-)(?=[\s-]))?[\s-]+(?P<unit>{UNIT})(?:-(?P<old>old|long))?(?![\w-])"
        r"(?:(?P<orso>\s+or\s+so))?(?:\s+(?P<dir>ago|earlier|from\s+now|hence|running|"
        r"in\s+a\s+row))?",
    ),
    (
        "duration",  # the first days / for years / after months
        r"(?:(?P<prep>for|within|over|after|in|of|take|took|takes|lasted|last)\s+)(?P<det>the\s+)?"
        r"(?:(?P<drel>first|last|past|next|coming|recent|early|final|following)\s+)?"
        r"(?P<unit>seconds|minutes|hours|days|weeks|months|years|decades|centuries)"
        r"(?![\w-])(?:\s+(?P<dir>ago|earlier))?",
    ),
    (
        "duration",
        r"(?P<det>the\s+)?(?P<drel>first|past|next|coming|recent|final|following)\s+"
        r"(?P<unit>seconds|minutes|hours|days|weeks|months|quarters|years|decades|centuries)"
        r"(?![\w-])",
    ),
    (
        "duration",  # just days earlier / months ago
        r"(?P<unit>minutes|hours|days|weeks|months|years|decades)\s+(?P<dir>ago|earlier|later)(?![\w])",
    ),
    (
        "set",  # every month / each Thursday / daily / twice a year / $5 a year
        r"(?P<q>every|each)\s+(?:(?P<num>other|two|three|four|five|six|\d+)\s+)?"
        rf"(?P<unit>{UNIT}|(?P<wd>{WEEKDAY})|(?P<month>{MONTH})|{SEASON}|morning|afternoon|evening|night)"
        r"(?![\w-])",
    ),
    (
        "set",
        r"(?P<adv>daily|weekly|monthly|annually|yearly|hourly|nightly|quarterly|biweekly"
        r"|semiannually|bimonthly)(?![\w-])",
    ),
    (
        "set_a",
        r"(?P<lead>once|twice|three\s+times|four\s+times|several\s+times|times|[\d.,]+"
        r"(?:\s+(?:million|billion|trillion|thousand|percent|%|dollars|euros|rubles))?|\$[\d.,]+"
        r"(?:\s+(?:million|billion|trillion))?)\s+(?P<x>an?\s+(?P<unit>second|minute|hour|day|"
        r"week|month|year|quarter))(?![\w-])",
    ),
    (
        "set",
        r"(?-i:on\s+)(?P<wds>(?-i:Mondays|Tuesdays|Wednesdays|Thursdays|Fridays|Saturdays|Sundays))",
    ),
    (
        "ref",
        r"(?P<ref>right\s+now|just\s+now|now|currently|nowadays|presently|these\s+days|"
        r"at\s+present|the\s+present(?:\s+day)?|recently|more\s+recently|formerly|"
        r"then[\s-]current|current|"
        r"the\s+past|the\s+(?:near\s+|distant\s+|immediate\s+|foreseeable\s+)?future|"
        r"the\s+(?:near|short|long)\s+term|soon|as\s+soon\s+as\s+possible|a\s+later\s+date|"
        r"recent\s+(?:days|weeks|months|quarters|years|decades)|"
        r"coming\s+(?:days|weeks|months|quarters|years)|"
        r"the\s+(?:days|weeks|months|years)\s+ahead|this\s+(?:crucial\s+)?moment|"
        r"the\s+time\s+being|someday)(?![\w-])",
    ),
]

# Each rule is tried only near the words that can start or anchor it: scanning
# every position of an article with every rule costs more than all the rest.
_UNIT_WORDS = {
    "second",
    "seconds",
    "minute",
    "minutes",
    "hour",
    "hours",
    "day",
    "days",
    "week",
    "weeks",
    "fortnight",
    "fortnights",
    "month",
    "months",
    "quarter",
    "quarters",
    "year",
    "years",
    "decade",
    "decades",
    "century",
    "centuries",
    "millennium",
    "millennia",
}
_POD_WORDS = {"morning", "afternoon", "evening", "night", "overnight", "tonight"}


def _words(spaced: str) -> set[str]:
    return set(spaced.split())


_TRIGGERS: dict[str, set[str]] = {
    "month": set(MONTHS),
    "weekday": set(WEEKDAYS),
    "year": {"#4", "nineteen", "eighteen", "thousand"},
    "decade": {"#decade", *DECADE_WORDS},
    "century": {"century"},
    "season": set(SEASONS),
    "quarter": {"quarter", "half", "q", "period"},
    "relday": _words("yesterday today tomorrow tonight overnight hours midday mid") | _POD_WORDS,
    "clock": _words(
        "#clock am pm a.m p.m noon midnight midday clock gmt utc est edt msk morning night "
        "afternoon evening"
    ),
    "relunit": _words("week weekend month year decade century end"),
    "duration": _UNIT_WORDS,
    "set": _words(
        "every each daily weekly monthly annually yearly hourly nightly quarterly biweekly "
        "semiannually bimonthly mondays tuesdays wednesdays thursdays fridays saturdays sundays "
        "mornings afternoons evenings nights"
    ),
    "set_a": _words("second minute hour day week month year quarter"),
    "dayref": {"day"},
    "holiday": _words(
        "christmas year valentine halloween victory independence easter thanksgiving boxing "
        "labor memorial"
    ),
    "ref": _words(
        "quarters now current currently nowadays presently days present recently formerly past "
        "future term soon possible date recent coming ahead moment being someday weeks months "
        "years decades"
    ),
}
_RULE_TRIGGER = {
    "calendar": "month", "iso": "year", "numeric": "year", "month_year": "month", "month": "month",
    "year": "year", "decade": "decade", "century": "century", "season": "season",
    "quarter": "quarter", "quarter_rel": "quarter", "weekday": "weekday",
    "relday": "relday", "clock": "clock", "relunit": "relunit", "duration": "duration",
    "set": "set", "set_a": "set_a", "ref": "ref", "dayref": "dayref", "holiday": "holiday",
}  # fmt: skip
# How far before and after a trigger word a match of its rules can reach.
_REACH: dict[str, tuple[int, int]] = {
    "month": (40, 40), "weekday": (45, 35), "year": (45, 25), "decade": (30, 10),
    "century": (25, 5), "season": (35, 25), "quarter": (50, 35), "relday": (40, 30),
    "clock": (35, 60), "relunit": (45, 20), "duration": (45, 30), "set": (35, 30),
    "set_a": (45, 5), "ref": (30, 25), "dayref": (25, 15), "holiday": (30, 20),
}  # fmt: skip

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (kind, re.compile(r"(?<![\w'’-])(?:" + rx + ")", re.IGNORECASE)) for kind, rx in _RULES
]


_CLASSES_OF: dict[str, list[str]] = {}
for _cls, _words in _TRIGGERS.items():
    for _w in _words:
        _CLASSES_OF.setdefault(_w, []).append(_cls)


def _trie(words: list[str]) -> str:
    """A regex alternation factored by common prefixes; Python's engine tries
    alternatives one by one, so a flat list of 150 words is several times slower."""
    tree: dict = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return emit(tree)


# Matched against the lower-cased text: case-insensitive matching is twice as slow.
_TRIGGER_WORDS = re.compile(
    r"\d{1,2}[:.]\d\d(?!\d)|\d{2,4}'?s\b|'\d0s\b|\bq(?=[1-4]\b)|\d+|\b(?:"
    + _trie([w for w in _CLASSES_OF if not w.startswith("#")])
    + r")\b"
)


def _token_key(tok: str) -> str:
    if not tok[0].isdigit() and tok[0] != "'":
        return tok
    if tok.endswith("s"):
        return "#decade"
    if ":" in tok or "." in tok:
        return "#clock"
    return "#4" if len(tok) == 4 else "#n"  # other numbers anchor nothing by themselves


def _windows(text: str) -> dict[str, list[tuple[int, int]]]:
    """Per trigger class, merged text windows around the words that trigger it."""
    hits: dict[str, list[tuple[int, int]]] = {k: [] for k in _TRIGGERS}
    n = len(text)
    for m in _TRIGGER_WORDS.finditer(text.lower()):
        key = _token_key(m.group())
        start, end = m.span()
        for cls in _CLASSES_OF.get(key, ()):
            before, after = _REACH[cls]
            lo, hi = max(0, start - before), min(n, end + after)
            spans = hits[cls]
            if spans and lo <= spans[-1][1]:
                spans[-1] = (spans[-1][0], hi)
            else:
                spans.append((lo, hi))
    for spans in hits.values():
        for i, (lo, hi) in enumerate(spans):
            while hi < n and not text[hi].isspace():
                hi += 1
            spans[i] = (lo, hi)
    return hits


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


def _accept(text: str, m: re.Match[str], kind: str, parts: dict[str, str]) -> bool:
    """Context checks that keep look-alikes out."""
    s, e = m.span()
    before = text[max(0, s - 30) : s]
    after = text[e : e + 25]
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
    if kind == "weekday" and (
        re.match(_TITLE_AFTER_WEEKDAY, after) or parts.get("pod", "x")[0].isupper()
    ):
        return False  # "the Sunday Times", "Monday Night Football"
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


def _span(m: re.Match[str]) -> tuple[int, int]:
    """The reported span: a rule's ``x`` part, or the match minus a leading preposition."""
    groups = m.re.groupindex
    if "x" in groups and m.group("x") is not None:
        return m.span("x")
    if "prep" in groups and m.group("prep") is not None:
        s = m.end("prep")
        while s < m.end() and m.string[s].isspace():
            s += 1
        return s, m.end()
    return m.span()


def _finditer(pattern: re.Pattern[str], text: str, spans: list[tuple[int, int]]):
    for lo, hi in spans:
        yield from pattern.finditer(text, lo, hi)


def find_candidates(text: str) -> list[Candidate]:
    """All accepted candidates, overlaps settled longest-first then by rule order."""
    found: list[tuple[int, int, int, str, dict[str, str]]] = []
    windows = _windows(text)
    for order, (kind, pattern) in enumerate(PATTERNS):
        for m in _finditer(pattern, text, windows[_RULE_TRIGGER[kind]]):
            parts = {k: v for k, v in m.groupdict().items() if v is not None}
            if not _accept(text, m, kind, parts):
                continue
            s, e = _span(m)
            if kind == "season" and parts.get("rel", "").lower() == "a":
                s = m.start("season") if not parts.get("pre2") else m.start("pre2")
            while e > s and text[e - 1] in " \t\n,":
                e -= 1
            if e > s:
                found.append((s, e, order, kind, parts))
    found.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    taken: list[tuple[int, int]] = []
    chosen: list[Candidate] = []
    for s, e, _order, kind, parts in found:
        if any(s < te and ts < e for ts, te in taken):
            continue
        taken.append((s, e))
        chosen.append(Candidate(s, e, kind, parts))
    chosen.sort(key=lambda c: c.start)
    return chosen
