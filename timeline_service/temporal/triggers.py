"""Where to look: each rule is tried only near the words that can anchor it.

Scanning every position of an article with every rule costs more than all the
rest of the engine; one pass over the lower-cased text finds the trigger words
and gives each rule class the merged windows around them.
"""

from __future__ import annotations

import re

from ..text.fast_patterns import WordStarts, trie
from .lexicon import DECADE_WORDS, MONTHS, SEASONS, WEEKDAYS

_POD_WORDS = {"morning", "afternoon", "evening", "night", "overnight", "tonight"}


def _words(spaced: str) -> set[str]:
    return set(spaced.split())


_UNIT_WORDS = _words(
    "second seconds minute minutes hour hours day days week weeks fortnight fortnights month "
    "months quarter quarters year years decade decades century centuries millennium millennia"
)


TRIGGERS: dict[str, set[str]] = {
    "month": set(MONTHS),
    "weekday": set(WEEKDAYS),
    "year": {"#4", "nineteen", "eighteen", "thousand"},
    "decade": {"#decade", *DECADE_WORDS},
    "century": {"century"},
    "season": set(SEASONS),
    "quarter": {"quarter", "quarters", "half", "q", "period"},
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
    "dayref": {"day", "then"},
    "holiday": _words(
        "christmas year valentine halloween victory independence easter thanksgiving boxing "
        "labor memorial"
    ),
    "ref": _words(
        "day quarters now current currently nowadays presently days present recently formerly past "
        "future term soon possible date recent coming ahead moment being someday weeks months "
        "years decades"
    ),
}
RULE_TRIGGER = {
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


_CLASSES_OF: dict[str, list[str]] = {}
for _class, _members in TRIGGERS.items():
    for _member in _members:
        _CLASSES_OF.setdefault(_member, []).append(_class)


# Matched against the lower-cased text: case-insensitive matching is twice as slow.
# Numbers (clock times, decades, "'60s", digits) and trigger words are two scans, each
# led by a character set the engine skips through quickly. Their matches never overlap:
# words hold no digits or apostrophes, and a number ends in a digit or in an "s" after
# one ("1990s") or after an apostrophe ("1990's"), where only a word "s" could start. So
# they find what one alternation of both finds (checked below, as the word list grows).
_NUMBERS = re.compile(r"[\d'](?:(?<=\d)(?:\d?[:.]\d\d(?!\d)|\d{1,3}'?s\b|\d*)|(?<=')\d0s\b)")
_WORDS = [w for w in _CLASSES_OF if not w.startswith("#")]
if "s" in _WORDS or not all(re.fullmatch(r"[a-z][^\d']*", w) for w in _WORDS):
    raise AssertionError("trigger words must start with a letter and hold no digit or apostrophe")
_END, _Q = "\0", "\1"  # a word's end; "q" of "Q1" (never also the word "q": a digit follows)
_TRIGGER_WORDS = WordStarts(
    trie([w + _END for w in _WORDS] + ["q" + _Q], {_END: r"\b", _Q: r"(?=[1-4]\b)"})
)


def _token_key(tok: str) -> str:
    if not tok[0].isdigit() and tok[0] != "'":
        return tok
    if tok.endswith("s"):
        return "#decade"
    if ":" in tok or "." in tok:
        return "#clock"
    return "#4" if len(tok) == 4 else "#n"  # other numbers anchor nothing by themselves


def windows(text: str) -> dict[str, list[tuple[int, int]]]:
    """Per trigger class, merged text windows around the words that trigger it."""
    hits: dict[str, list[tuple[int, int]]] = {k: [] for k in TRIGGERS}
    n = len(text)
    lowered = text.lower()
    found = [m.span() for m in _NUMBERS.finditer(lowered)] + _TRIGGER_WORDS.spans(lowered)
    for start, end in sorted(found):
        key = _token_key(lowered[start:end])
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
