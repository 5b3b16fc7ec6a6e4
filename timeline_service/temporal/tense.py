"""Tense of the clause around an expression: it decides which way a bare
weekday or a year-less date points ("said Thursday" vs "will meet on Friday").

A light verb-group reading, not a parser: auxiliaries head their group ("will
be paid" is future, "had been due" past, "is to resume" future), reporting
verbs count only right beside the expression ("said Thursday"), and the
nearest group before the expression wins over one after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..text.memo import story_cache

_MODAL = {
    "will", "'ll", "shall", "won't", "wo", "would", "could", "might", "may", "should",
    "must", "can", "cannot", "can't", "wouldn't", "couldn't", "shouldn't",
}  # fmt: skip
_AUX_PAST = {
    "was", "were", "had", "did", "has", "have", "hasn't", "haven't", "hadn't", "didn't",
    "wasn't", "weren't", "'ve", "'d",
}  # fmt: skip
_AUX_PRESENT = {"is", "are", "am", "do", "does", "isn't", "aren't", "doesn't", "don't", "'s", "'re"}
_AUXILIARIES = _MODAL | _AUX_PAST | _AUX_PRESENT
_BE = {"be", "been", "being", "have", "get", "got"}
_ADVERBS = {
    "not", "n't", "also", "still", "already", "just", "never", "then", "now", "soon",
    "again", "previously", "reportedly", "probably", "likely", "only", "finally", "first",
    "recently", "once", "allegedly", "expected", "scheduled", "due", "set", "going", "able",
    "unlikely", "about",
}  # fmt: skip
_IRREGULAR_PAST = {
    "said", "told", "made", "came", "went", "took", "gave", "met", "began", "left", "saw",
    "sent", "held", "spoke", "wrote", "won", "lost", "rose", "fell", "paid", "sold", "bought",
    "brought", "thought", "knew", "found", "became", "ran", "led", "struck", "drew",
    "fought", "flew", "shot", "broke", "chose", "stood", "felt", "kept", "meant", "grew",
    "threw", "wore", "hid", "fled", "sought", "ago", "spent", "built", "heard",
    "taught", "caught", "slid", "sank", "swore", "forgot", "arose", "withdrew", "overtook",
}  # fmt: skip
IRREGULAR_PAST = _IRREGULAR_PAST
_PRESENT_VERBS = {"says", "tells", "thinks", "expects", "plans", "hopes", "intends", "aims"}
_REPORTING = {
    "said", "says", "told", "tells", "announced", "reported", "added", "stated", "noted",
    "claimed", "confirmed", "disclosed", "declared", "explained", "insisted", "argued",
    "wrote", "warned", "emphasized", "stressed",
}  # fmt: skip
_NOT_PAST_ED = {
    "need", "speed", "feed", "seed", "indeed", "red", "bed", "hundred", "deed", "shed",
    "steed", "creed", "weed", "embed", "proceed", "exceed", "succeed", "breed", "bleed",
    "united", "limited", "based", "detailed", "advanced", "armed", "related", "called",
    "alleged", "supposed", "concerned", "interested", "combined", "balanced", "skilled",
    "fixed", "mixed", "naked", "wicked", "sacred", "kindred", "rugged", "biased",
    "coordinated", "orchestrated", "controlled",
}  # fmt: skip
_PLANNED = {
    "to", "going", "about", "scheduled", "expected", "due", "set", "slated", "poised",
    "likely", "planning", "preparing",
}  # fmt: skip
_INTENT = {
    "expect", "expects", "expected", "plan", "plans", "planned", "planning", "agree",
    "agrees", "agreed", "intend", "intends", "intended", "aim", "aims", "hope", "hopes",
    "want", "wants", "going", "due", "scheduled", "set", "likely", "unlikely", "able",
    "ready", "seek", "seeks", "sought", "promise", "promised", "promises", "vowed", "pledged",
    "decided", "offered", "threatened", "slated", "poised", "prepared", "preparing",
}  # fmt: skip

_CAPITAL = re.compile(r"[A-Z]")
_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?|'(?:ll|ve|d|s|re)\b|n't|[^\sA-Za-z]+")
_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "our", "this", "that", "these"}
_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])|\n")
# The same breaks, found from the stop or line break itself: a pattern led by a
# character set, which the engine skips through instead of trying every position.
_BREAK = re.compile(r"[.!?\n](?:(?<=\n)|(?P<gap>[\"”’)]?\s+)(?=[\"“‘(]?[A-Z0-9]))")
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Gen|Col|Sen|Rep|Gov|Lt|Sgt|Jr|Sr|Inc|Corp|Co|Ltd|Prof|Rev|"
    r"Jan|Feb|Mar|Apr|Aug|Sept|Sep|Oct|Nov|Dec|No|U\.S|a\.m|p\.m|[A-Z])\.)[\"”’)]?\s+$"
)


# How far either side of an expression the tense reader looks when no sentence
# break is near: a run-on text (a table, a transcript without stops) is read in a
# window around each expression, never as a whole, so cost stays linear in size.
# A clipped edge snaps to a grid of ``GRID`` characters, so neighbouring
# expressions share windows (and their verb groups) instead of each reading its own.
REACH = 400
GRID = 200


def window_cap(start: int, end: int) -> int:
    """The most text the tense reader reads for the expression at ``text[start:end]``."""
    return (end - start) + 2 * (REACH + GRID)


def _word_edge(text: str, pos: int, forward: bool) -> int:
    """``pos`` moved off a word it cuts (by at most a few characters, toward the
    expression), so a window never starts or ends mid-word."""
    step = 1 if forward else -1
    for _ in range(30):
        if not (0 < pos < len(text) and text[pos - 1].isalnum() and text[pos].isalnum()):
            break
        pos += step
    return pos


def _breaks(text: str, lo: int, hi: int) -> Iterator[tuple[int, int]]:
    """The spans of ``_BOUNDARY.finditer(text, lo, hi)``: a stop's break starts after it
    (so one just before ``lo`` counts), a line break is its own span."""
    for m in _BREAK.finditer(text, max(0, lo - 1), hi):
        span = m.span() if m.group("gap") is None else m.span("gap")
        if span[0] >= lo:
            yield span


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence holding ``text[start:end]`` (abbreviation-aware, cheap),
    clipped to at least ``REACH`` and at most ``REACH + GRID`` characters either
    side of the expression."""
    floor = max(0, (start - REACH) // GRID * GRID)
    lo = floor if floor == 0 else _word_edge(text, floor, True)
    for b_start, b_end in _breaks(text, max(0, start - REACH), start):
        if not _ABBREV.search(text, max(0, b_start - 8), b_end):
            lo = b_end
    ceiling = min(len(text), -(-(end + REACH) // GRID) * GRID)
    hi = ceiling if ceiling == len(text) else _word_edge(text, ceiling, False)
    for b_start, b_end in _breaks(text, end, min(len(text), end + REACH)):
        if not _ABBREV.search(text, max(0, b_start - 8), b_end):
            hi = b_start
            break
    return lo, hi


def _participle_like(word: str) -> bool:
    return (
        word in _IRREGULAR_PAST
        or word in _BE
        or word in _ADVERBS
        or word in ("n't", "not", "set", "put", "cut", "hit", "let", "shut", "spread")
        or (len(word) > 3 and (word.endswith(("ed", "en", "wn"))))
    )


def _word_role(
    word: str, nxt: str | None, prev: str | None = None, prev2: str | None = None
) -> str | None:
    """What a word contributes to a verb group: a tense or "chain" (be/been/adverb)."""
    w = word.lower()
    if word == "May" or word == "March":
        return None
    if w in _MODAL:
        return "past" if nxt == "have" else "future"  # "may have been" looks back
    if w in ("has", "have", "'ve") and nxt is not None and not _participle_like(nxt):
        return "present"  # "now has 45 banks": possession, not a perfect tense
    if w in _AUX_PAST:
        return "past"
    if w in _AUX_PRESENT:
        return "future" if nxt in _PLANNED else "present"
    if w == "to":
        # "expects to release", "agreed to buy", "to be completed": not yet done.
        if nxt == "be" or (prev is not None and prev.lower() in _INTENT):
            return "future"
        return None
    if w in _BE or w in _ADVERBS:
        return "chain"
    if w in _IRREGULAR_PAST:
        return "past"
    if w in _PRESENT_VERBS:
        return "present"
    if len(w) > 4 and w.endswith("ed") and w not in _NOT_PAST_ED and word[0].islower():
        # "the proposed merger", "Series H preferred shares": adjectives, not verbs.
        if (
            w.startswith("un")
            or (prev is not None and (prev.lower() in _DETERMINERS or _CAPITAL.fullmatch(prev)))
            or (
                prev is not None
                and prev2 is not None
                and prev2.lower() in _DETERMINERS
                and (prev.endswith("ly") or prev.lower() in ("still", "newly", "just"))
            )
        ):
            return None  # "the proposed merger", "a still unspecified date"
        return "past"
    return None


def _groups(text: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int, str, bool]]:
    """Verb groups in ``text[lo:hi]``: (start, end, tense, is a lone reporting verb).
    A group never runs across punctuation or a line break."""
    hi = len(text) if hi is None else hi
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text, lo, hi)]
    # Index of the first word of each word's line: words before it are another line.
    line_start = [0] * len(words)
    if "\n" in text[lo:hi]:
        for k in range(1, len(words)):
            broken = "\n" in text[words[k - 1][1] : words[k][0]]
            line_start[k] = k if broken else line_start[k - 1]
    groups: list[tuple[int, int, str, bool]] = []
    # Most words cannot be part of a verb group: look only at those that can.
    cues = [
        k
        for k, (_, _, word) in enumerate(words)
        if (low := word.lower()) in _CUE_WORDS or (len(low) > 4 and low.endswith("ed"))
    ]
    taken = 0  # words before this one are in a group already
    for i in cues:
        if i < taken:
            continue
        first = line_start[i]
        same_line = i + 1 < len(words) and line_start[i + 1] == first
        nxt = words[i + 1][2].lower() if same_line else None
        prev = words[i - 1][2] if i - 1 >= first else None
        prev2 = words[i - 2][2] if i - 2 >= first else None
        role = _word_role(words[i][2], nxt, prev, prev2)
        if role is None or role == "chain":
            continue
        start, tense, j, size = words[i][0], role, i + 1, 1
        head = words[i][2].lower()
        after_aux = head in _AUXILIARIES
        while j < len(words) and line_start[j] == first:
            word = words[j][2].lower()
            same_line = j + 1 < len(words) and line_start[j + 1] == first
            nxt = words[j + 1][2].lower() if same_line else None
            r = _word_role(words[j][2], nxt, words[j - 1][2])
            if r is None:
                break
            is_aux = word in _AUXILIARIES or word in _BE or word == "to"
            if r != "chain" and not is_aux and not after_aux:
                break  # "announced plans": a second main verb is a noun or a new group
            after_aux = is_aux or (r == "chain" and after_aux)
            if r == "future" and words[j][2].lower() == "to" and head not in _AUXILIARIES:
                tense = "future"  # "agreed to purchase", "expects to release"
            size += r != "chain"
            j += 1
        end = words[j - 1][1]
        reporting = size == 1 and words[i][2].lower() in _REPORTING
        groups.append((start, end, tense, reporting))
        taken = j
    return groups


_CUE_WORDS = (
    _MODAL | _AUX_PAST | _AUX_PRESENT | _BE | _ADVERBS | _IRREGULAR_PAST | _PRESENT_VERBS | {"to"}
)


@story_cache(4096)  # pure; a story's sentences recur in its updates and reposts
def _sentence_groups(sentence: str) -> tuple[tuple[int, int, str, bool], ...]:
    """:func:`_groups` of a whole text: reading ``text[lo:hi]`` finds the same groups as
    ``_groups(text, lo, hi)``, moved by ``lo`` (no rule looks outside the range)."""
    return tuple(_groups(sentence))


# A later clause ("..., and the march drew crowds") says nothing about this one.
_CLAUSE_BREAK = re.compile(r";|,\s+(?:and|but|while|whereas)\b|\s(?:but|whereas)\s")


_BOUNDARY_BEFORE = re.compile(r"[.!?][\"”’)]?\s+$|\n$")
_BLOCK = 1000  # verb groups are read block by block, only where expressions are
_MARGIN = 120  # context read beyond a block so its groups come out as in one pass


class TenseReader:
    """Tense look-ups for one text: verb groups are read once per block of text
    (only blocks near an expression), and each expression looks only at those
    inside its bounded sentence window, so cost stays linear in the text's size."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._blocks: dict[int, list[tuple[int, int, str, bool]]] = {}
        self._sentences: dict[tuple[int, int], list[tuple[int, int, str, bool]]] = {}

    def _clipped(self, start: int, end: int, bounds: tuple[int, int]) -> bool:
        """Whether either edge of the window is the reach limit, not a sentence break."""
        lo, hi = bounds
        return (
            (hi - lo) > 2 * REACH
            or (
                lo > 0
                and lo <= max(0, start - REACH) + 30
                and not _BOUNDARY_BEFORE.search(self.text, max(0, lo - 4), lo)
            )
            or (
                hi < len(self.text)
                and hi >= end + REACH - 30
                and not _BOUNDARY.match(self.text, hi)
            )
        )

    def window(self, start: int, end: int) -> tuple[int, int]:
        """The part of the text read for the expression at ``text[start:end]``:
        its sentence, at most ``window_cap(start, end)`` characters."""
        return sentence_bounds(self.text, start, end)

    def _block(self, k: int) -> list[tuple[int, int, str, bool]]:
        groups = self._blocks.get(k)
        if groups is None:
            lo, hi = k * _BLOCK, (k + 1) * _BLOCK
            a = max(0, lo - _MARGIN)
            a = a if a == 0 else _word_edge(self.text, a, True)
            b = min(len(self.text), hi + _MARGIN)
            b = b if b == len(self.text) else _word_edge(self.text, b, False)
            groups = [g for g in _groups(self.text, a, b) if lo <= g[0] < hi]
            self._blocks[k] = groups
        return groups

    def tense(self, start: int, end: int) -> str | None:
        """ "past", "present", "future" or None for the expression at ``text[start:end]``."""
        bounds = self.window(start, end)
        if self._clipped(start, end, bounds):
            # A run-on stretch: groups come from the shared blocks around it.
            last = (max(bounds[1], bounds[0] + 1) - 1) // _BLOCK
            groups = [
                g
                for k in range(bounds[0] // _BLOCK, last + 1)
                for g in self._block(k)
                if g[0] >= bounds[0] and g[1] <= bounds[1]
            ]
        else:
            # The common case: a whole sentence, read once for all its expressions.
            groups = self._sentences.get(bounds)
            if groups is None:
                lo, hi = bounds
                groups = self._sentences[bounds] = [
                    (g_start + lo, g_end + lo, g_tense, reporting)
                    for g_start, g_end, g_tense, reporting in _sentence_groups(self.text[lo:hi])
                ]
        best: tuple[int, str] | None = None
        clause = _CLAUSE_BREAK.search(self.text, end, bounds[1])
        clause_end = clause.start() if clause else bounds[1]
        # A reporting verb between a group and the expression opens the reported
        # clause: "reports attributed to X said ... in September" ignores "attributed".
        barrier = max(
            (g_end for g_start, g_end, _, rep in groups if rep and g_end <= start - 4),
            default=bounds[0],
        )
        # A fronted adverbial ("Over the weekend, officials confirmed ...", "On
        # Monday, the agency said it will ..."): nothing before it in its sentence,
        # so the verb that follows, reporting or not, is its clause's verb.
        fronted = not any(g_end <= start and g_end >= barrier for _, g_end, _, _ in groups)
        after_reach = 60 if fronted else 8
        for g_start, g_end, tense, reporting in groups:
            if (g_start < end and start < g_end) or g_start >= clause_end or g_end < barrier:
                continue
            dist = start - g_end if g_end <= start else g_start - end
            if reporting and dist > (30 if g_end <= start else after_reach):
                continue  # "told a news conference on Tuesday", not "said ... in September"
            score = dist if g_end <= start else dist + 40
            if best is None or score < best[0]:
                best = (score, tense)
        return best[1] if best else None
