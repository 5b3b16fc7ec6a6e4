"""Content terms: the stems and concepts of what a sentence reports, compared by merging."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from ..text.memo import story_cache
from . import eventtypes


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOP = word_set(
    """a an the and or but if of to in on at by for from with without into onto over under
    about after before during since until than then that this these those there here it its
    it's he him his she her they them their we us our you your i me my is are was were be
    been being has have had do does did will would can could may might must shall should
    also just only very more most such any some all each every both either other another
    who whom whose which what when where why how as so not no nor never too again once
    further still yet even while amid among between through across against per via
    mr mrs ms said says say told tell claimed stated announced added noted according
    reported reports emphasized stressed insisted confirmed acknowledged revealed informed
    recalled assured asked explained declared one two three four five six seven eight nine
    ten first second last next new own same well can't don't won't didn't isn't wasn't
    today yesterday tomorrow tonight morning afternoon evening night week month year
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december spring summer autumn winter
    earlier later soon now currently recently time times day days hours hour moreover adding
    meanwhile furthermore however therefore"""
)


_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=1 << 16)
def _word_term(word: str) -> str | None:
    """The ``w:`` term of a word, None for a stop word (cached: words recur)."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) < 3 or word in _STOP:
        return None
    return "w:" + _stem(word)


def _blank(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` with the spans turned to spaces (offsets kept).

    Joined from the pieces between the spans, in order, rather than character by
    character: a sentence is a few hundred characters, its spans a handful.
    """
    n = len(text)
    pieces: list[str] = []
    pos = 0  # the text before this is copied or blanked
    for s, e in sorted(spans):
        if not 0 <= s <= e <= n:  # outside the text: blank as slice assignment does
            return _blank_chars(text, spans)
        if e <= pos:
            continue
        if s > pos:
            pieces.append(text[pos:s])
            pos = s
        pieces.append(" " * (e - pos))
        pos = e
    pieces.append(text[pos:])
    return "".join(pieces)


def _blank_chars(text: str, spans: Sequence[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        chars[s:e] = " " * (e - s)
    return "".join(chars)


def content_terms(text: str, skip: Sequence[tuple[int, int]] = ()) -> tuple[str, ...]:
    """The signature of a sentence: concepts (``c:``) and other content-word stems (``w:``).

    ``skip`` are spans to leave out (actor names, date words).
    """
    return _content_terms(text, tuple(skip))


@story_cache(8192)  # pure; a story's sentences recur in its updates and reposts
def _content_terms(text: str, skip: tuple[tuple[int, int], ...]) -> tuple[str, ...]:
    if skip:
        text = _blank(text, skip)
    concepts = eventtypes.concept_spans(text)
    terms = {"c:" + name for name, _, _ in concepts}
    if concepts:
        text = _blank(text, [(s, e) for _, s, e in concepts])
    terms.update(map(_word_term, _WORD.findall(text)))
    terms.discard(None)  # type: ignore[arg-type]
    return tuple(sorted(terms))
