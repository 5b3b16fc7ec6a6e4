"""Sentences of an article body: where they start and end, and their quotes."""

from __future__ import annotations

import re

from ..text.memo import story_cache

# A sentence ends at . ! or ? (optionally followed by a closing quote) before whitespace
# and a capital or an opening quote, unless the period closes a common abbreviation.
# Matched from the stop itself (the end is group 1): a pattern led by a character set,
# which the engine skips through, rather than by a look-behind tried at every position.
_SENTENCE_END = re.compile(r"""[.!?](["”’)]?\s+)(?=["“‘(]?[A-Z0-9])""")


_ABBREVIATION_WORDS = [
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Lt", "Col", "Sgt", "Capt", "Gov", "Sen", "Rep", "St",
    "Jr", "Sr", "No", "vs", "etc", "U.S", "U.K", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug",
    "Sep", "Sept", "Oct", "Nov", "Dec", "a.m", "p.m",
]  # fmt: skip


_ABBREVIATIONS = re.compile(
    r"\b(?:" + "|".join(map(re.escape, _ABBREVIATION_WORDS)) + r"|[A-Z])\.$"
)


# A match is one of the words and its period: only a head's last characters are searched.
_ABBREVIATION_SIZE = max(map(len, _ABBREVIATION_WORDS)) + 1


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``, paragraph breaks always ending one.

    A quotation running over several sentences stays in one span with its attribution
    ("“... We will not. ...,” the Belarusian leader said").
    """
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+", text):
        start = para.start()
        spans.extend((start + s, start + e) for s, e in _paragraph_sentences(para.group()))
    return spans


@story_cache(4096)  # pure; a story's paragraphs recur in its updates and reposts
def _paragraph_sentences(chunk: str) -> tuple[tuple[int, int], ...]:
    """:func:`split_sentences` of one paragraph (a line), offsets within it."""
    cursor = 0
    pieces: list[tuple[int, int]] = []
    for m in _SENTENCE_END.finditer(chunk):
        gap, after = m.span(1)
        head = chunk[cursor:gap].rstrip('"”’)')
        if _ABBREVIATIONS.search(head, max(0, len(head) - _ABBREVIATION_SIZE)):
            continue
        end = gap + len(chunk[gap:after].rstrip())
        pieces.append((cursor, end))
        cursor = after
    if chunk[cursor:].strip():
        pieces.append((cursor, len(chunk.rstrip())))
    merged: list[tuple[int, int]] = []
    open_from: int | None = None
    for s, e in pieces:
        begin = s if open_from is None else open_from
        if _quote_open(chunk[begin:e]):
            open_from = begin
            continue
        merged.append((begin, e))
        open_from = None
    if open_from is not None:
        merged.append((open_from, pieces[-1][1]))
    return tuple(merged)


def _quote_open(text: str) -> bool:
    curly = text.count("“") - text.count("”")
    return curly > 0 or (curly == 0 and text.count('"') % 2 == 1)


_QUOTED = re.compile(r"“[^”]*(?:”|$)|\"[^\"]*(?:\"|$)")


def quoted_spans(sentence: str) -> list[tuple[int, int]]:
    """The quotations of a sentence (double quotes; an unclosed one runs to the end)."""
    if "“" not in sentence and '"' not in sentence:  # most sentences quote no one
        return []
    return [m.span() for m in _QUOTED.finditer(sentence)]
