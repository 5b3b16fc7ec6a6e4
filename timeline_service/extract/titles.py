"""Short titles for mentions: a sentence cut to its headline, or a speaker and a quote."""

from __future__ import annotations

import re

from ..text.memo import story_cache

_LEAD_SOURCE = re.compile(r"^[A-Z][\w.]*(?:\s[A-Z][\w.]*){0,3}\s+[-–—]\s+")


_LEAD_CLAUSE = re.compile(
    r"^(?:(?:As|After|While|Stressing|Slamming|Amid|Despite|Moreover|Also|Meanwhile"
    r"|However|Furthermore|In addition)\b[^,]{0,90},\s+)"
)


TAIL_SOURCE = re.compile(
    r",\s+(?:according to|as per|citing)\s+[^,]+$|,\s+(?:[A-Z][\w.]*\s*){1,4}"
    r"(?:reported|reports|has learned|has learnt|said)$"
)


@story_cache(8192)  # pure; a story's sentences recur in its updates and reposts
def headline(sentence: str, limit: int = 120) -> str:
    """A one-line title from the sentence's own words, cut at a word boundary."""
    text = " ".join(sentence.split()).strip()
    text = _LEAD_SOURCE.sub("", text)
    stripped = _LEAD_CLAUSE.sub("", text)
    if len(stripped.split()) >= 6:
        text = stripped
    text = text.rstrip(" .")
    text = TAIL_SOURCE.sub("", text).rstrip(" .")
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:—–- ")
    return cut + "…"


def quote_title(speaker_words: str, quote: str, limit: int = 120) -> str:
    """ "Speaker: quoted words…", both taken from the text."""
    head = speaker_words.strip()
    head = head[0].upper() + head[1:] if head else head
    return headline(f"{head}: {quote.strip()}", limit)
