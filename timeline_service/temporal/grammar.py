"""Detection: a compiled regular grammar over English news dates.

Finding expressions is the service's own job (``search_dates`` reads "We" as
Wednesday and "Tu-22" as a date). Each rule (:mod:`.rules`) yields
:class:`Candidate` spans with named parts, tried only near its trigger words
(:mod:`.triggers`); each kind has a context check (:mod:`.filters`) that rejects
look-alikes; overlapping spans are settled longest-first.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from .filters import accept
from .rules import PATTERNS
from .triggers import RULE_TRIGGER, windows


@dataclass(frozen=True, slots=True)
class Candidate:
    """A detected span, its rule (``kind``) and the parts the rule captured."""

    start: int
    end: int
    kind: str
    parts: dict[str, str]


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


def _finditer(
    pattern: re.Pattern[str], text: str, spans: list[tuple[int, int]]
) -> Iterator[re.Match[str]]:
    for lo, hi in spans:
        yield from pattern.finditer(text, lo, hi)


def find_candidates(text: str) -> list[Candidate]:
    """All accepted candidates, overlaps settled longest-first then by rule order."""
    found: list[tuple[int, int, int, str, dict[str, str]]] = []
    reach = windows(text)
    for order, (kind, pattern) in enumerate(PATTERNS):
        spans = reach[RULE_TRIGGER[kind]]
        if not spans:  # no trigger word for this rule: most rules, in most texts
            continue
        for m in _finditer(pattern, text, spans):
            parts = {k: v for k, v in m.groupdict().items() if v is not None}
            if not accept(text, m, kind, parts):
                continue
            s, e = _span(m)
            if kind == "season" and parts.get("rel", "").lower() == "a":
                s = m.start("season") if not parts.get("pre2") else m.start("pre2")
            while e > s and text[e - 1] in " \t\n,":
                e -= 1
            if e > s:
                found.append((s, e, order, kind, parts))
    found.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    # Taken spans are disjoint, so kept sorted by start their ends are sorted too:
    # an overlap can only be with the neighbours of the insertion point.
    starts: list[int] = []
    ends: list[int] = []
    chosen: list[Candidate] = []
    for s, e, _order, kind, parts in found:
        i = bisect_right(starts, s)
        if (i > 0 and ends[i - 1] > s) or (i < len(starts) and starts[i] < e):
            continue
        starts.insert(i, s)
        ends.insert(i, e)
        chosen.append(Candidate(s, e, kind, parts))
    chosen.sort(key=lambda c: c.start)
    return chosen
