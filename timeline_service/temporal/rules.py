"""The date grammar's rules: regular expressions over English news dates.

Each rule is a (kind, pattern) pair; the kind names the reader that will
resolve it. Month and weekday names match only capitalised ("May" is a month,
"may" a modal), and every rule starts at a word boundary.
"""

from __future__ import annotations

import re

from .lexicon import DECADE_WORDS, MONTHS, SEASONS, WEEKDAYS


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
        rf"(?:(?:at\s+least|about|roughly)\s+)?(?:the\s+)?(?P<halfq>first|last|final|second)\s+two\s+"
        rf"quarters\s+of\s+(?:fiscal\s+)?"
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
        r"(?:\s+of\s+(?:the\s+)?(?:morning|night))?|(?P<midpod>mid[\s-]?(?:morning|afternoon))"
        r"|(?:in|during|by)\s+(?P<x>the\s+(?P<pod2>morning|afternoon|evening))(?![\w-])",
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
        r"the\s+same|that)\s+day(?![\w-])|the\s+day\s+(?P<rel2>before|after)(?=\s*[,.;:!?)])"
        r"|(?P<pre2>earlier|later)\s+in\s+the\s+day(?![\w-])"
        r"|(?P<thenprep>until|till|by|since)\s+(?P<x>then)(?![\w-])",
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
        "quarter_rel",  # the corresponding period last year, in financial reports
        r"(?P<det>the)\s+(?:corresponding|comparable|same)\s+(?P<period>period|quarter)\s+"
        r"(?P<qrel>last\s+year|a\s+year\s+(?:ago|earlier))(?![\w-])",
    ),
    (
        "quarter_rel",  # last year's quarter
        r"(?P<qrel>last\s+year)['’]s\s+(?P<period>period|quarter)(?![\w-])",
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
        rf"(?P<halfa>half[\s-]+(?=an?\s))?(?P<num>{NUM})(?P<half>\s+1/2|\s*½|\s+and\s+a\s+half)?"
        r"(?:[\s-]+(?:more|additional|full|straight|consecutive|trading|business|"
        rf"calendar|long|-)(?=[\s-]))?[\s-]+(?P<unit>{UNIT})(?:-(?P<old>old|long))?(?![\w-])"
        r"(?P<half2>\s+and\s+a\s+half(?![\w-]))?"
        r"(?:(?P<orso>\s+or\s+so)|(?P<ortwo>\s+or\s+(?:two|three)))?"
        r"(?:\s+(?P<dir>ago|earlier|from\s+now|hence|running|"
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
        "ref",  # "Islam will one day be ...": an indefinite future
        r"(?:will|would|could|may|might|can|shall)\s+(?P<x>(?P<ref>one\s+day|some\s+day))(?![\w-])",
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

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (kind, re.compile(r"(?<![\w'’-])(?:" + rx + ")", re.IGNORECASE)) for kind, rx in _RULES
]
