"""Tense of the clause around an expression: it decides which way a bare
weekday or a year-less date points ("said Thursday" vs "will meet on Friday")."""

from __future__ import annotations

import re

_FUTURE = {
    "will", "'ll", "shall", "won't", "wo", "would", "going", "expected", "plans", "plan",
    "planned", "scheduled", "due", "upcoming", "next", "intends", "aims", "hopes", "set",
    "until", "tomorrow", "forthcoming", "coming", "be", "could", "might", "should",
}  # fmt: skip
_PAST = {
    "was", "were", "had", "did", "said", "told", "made", "came", "went", "took", "gave",
    "met", "began", "left", "saw", "sent", "held", "spoke", "wrote", "won", "lost", "rose",
    "fell", "paid", "sold", "bought", "brought", "thought", "knew", "found", "became",
    "got", "ran", "led", "struck", "ago", "last", "yesterday", "has", "have", "been",
    "earlier", "previously", "since", "drew", "fought", "flew", "shot", "broke", "chose",
    "stood", "felt", "kept", "meant", "grew", "threw", "wore", "hid", "fled", "sought",
}  # fmt: skip
_PRESENT = {"is", "are", "am", "says", "does", "do", "now", "currently", "today"}
_NOT_PAST_ED = {
    "need", "speed", "feed", "seed", "indeed", "red", "bed", "hundred", "deed", "shed",
    "steed", "creed", "weed", "embed", "proceed", "exceed", "succeed", "breed", "bleed",
    "united", "limited", "based", "detailed", "advanced", "armed", "related", "so-called",
    "called", "alleged", "supposed", "concerned", "interested", "expected", "scheduled",
    "planned", "proposed", "combined", "balanced", "skilled", "fixed", "mixed",
}  # fmt: skip

_WORD = re.compile(r"[A-Za-z']+")
_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])|\n")
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Gen|Col|Sen|Rep|Gov|Lt|Sgt|Jr|Sr|Inc|Corp|Co|Ltd|Prof|Rev|"
    r"Jan|Feb|Mar|Apr|Aug|Sept|Sep|Oct|Nov|Dec|No|U\.S|a\.m|p\.m|[A-Z])\.)[\"”’)]?\s+$"
)


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence holding ``text[start:end]`` (abbreviation-aware, cheap)."""
    lo = 0
    for m in _BOUNDARY.finditer(text, max(0, start - 400), start):
        if not _ABBREV.search(text, max(0, m.start() - 8), m.end()):
            lo = m.end()
    hi = len(text)
    for m in _BOUNDARY.finditer(text, end, min(len(text), end + 400)):
        if not _ABBREV.search(text, max(0, m.start() - 8), m.end()):
            hi = m.start()
            break
    return lo, hi


def _cue(word: str) -> str | None:
    w = word.lower()
    if w in _FUTURE:
        return "future"
    if w in _PAST:
        return "past"
    if w in _PRESENT:
        return "present"
    if len(w) > 4 and w.endswith("ed") and w not in _NOT_PAST_ED and word[0].islower():
        return "past"
    return None


def clause_tense(text: str, start: int, end: int) -> str | None:
    """ "past", "present", "future" or None, from the tense cue nearest the span.

    A future auxiliary wins over a past one at a similar distance, since
    "said ... will meet on Friday" is about the meeting.
    """
    lo, hi = sentence_bounds(text, start, end)
    best: tuple[float, str] | None = None
    for m in _WORD.finditer(text, lo, hi):
        if start <= m.start() < end:
            continue
        cue = _cue(m.group())
        if cue is None:
            continue
        dist = start - m.end() if m.end() <= start else m.start() - end
        score = dist * (0.6 if cue == "future" else 1.0) + (15 if m.start() >= end else 0)
        if best is None or score < best[0]:
            best = (score, cue)
    return best[1] if best else None
