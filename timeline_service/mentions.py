"""Event mentions: the sentences of an article that report something at a known time.

Each mention carries a :class:`DateClaim`, the ledger entry that says which words dated it,
against which anchor, by which resolver version, to which interval.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from .article import Article
from .temporal import RESOLVER_VERSION, TemporalExpression

Modality = Literal["reported", "planned"]


@dataclass(frozen=True)
class DateClaim:
    """What a mention says about when: raw words, anchor, resolver, and the result."""

    when_text: str | None
    when_start: int | None
    when_end: int | None
    value: str
    granularity: str
    start: datetime
    end: datetime
    anchor_at: datetime | None
    anchor_timezone: str | None
    resolver_version: str = RESOLVER_VERSION


@dataclass(frozen=True)
class EventMention:
    """One report of an event in one article; offsets index into ``Article.body``."""

    sentence: str
    sentence_start: int
    sentence_end: int
    claim: DateClaim
    title: str
    type: str = "statement"
    actors: tuple[str, ...] = ()
    attribution: str | None = None
    modality: Modality = "reported"


# A sentence ends at . ! or ? (optionally followed by a closing quote) before whitespace
# and a capital or an opening quote, unless the period closes a common abbreviation.
_SENTENCE_END = re.compile(r"""(?<=[.!?])["”’)]?\s+(?=["“‘(]?[A-Z0-9])""")
_ABBREVIATIONS = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Sgt|Capt|Gov|Sen|Rep|St|Jr|Sr|No|vs|etc|U\.S|U\.K|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|a\.m|p\.m|[A-Z])\.$"
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``, paragraph breaks always ending one."""
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+", text):
        start = para.start()
        chunk = para.group()
        cursor = 0
        for m in _SENTENCE_END.finditer(chunk):
            head = chunk[cursor : m.start()].rstrip('"”’)')
            if _ABBREVIATIONS.search(head):
                continue
            end = m.start() + len(chunk[m.start() : m.end()].rstrip())
            spans.append((start + cursor, start + end))
            cursor = m.end()
        if chunk[cursor:].strip():
            spans.append((start + cursor, start + len(chunk.rstrip())))
    return spans


def headline(sentence: str, limit: int = 120) -> str:
    """A one-line title from the sentence's own words, cut at a word boundary."""
    text = " ".join(sentence.split()).strip("\"“”' ")
    if len(text) <= limit:
        return text.rstrip(".")
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:—–- ")
    return cut + "…"


def extract_mentions(
    article: Article,
    expressions: list[TemporalExpression],
    *,
    anchor_at: datetime | None,
    anchor_timezone: str | None,
) -> list[EventMention]:
    """The dated sentences of the article, each dated by its most precise expression."""
    body = article.body
    mentions: list[EventMention] = []
    dated = [e for e in expressions if e.type in ("DATE", "TIME") and e.value and e.interval]
    for s_start, s_end in split_sentences(body):
        inside = [e for e in dated if s_start <= e.start and e.end <= s_end]
        if not inside:
            continue
        expr = min(inside, key=lambda e: (e.interval.end - e.interval.start, e.start))
        sentence = body[s_start:s_end]
        claim = DateClaim(
            when_text=expr.text,
            when_start=expr.start,
            when_end=expr.end,
            value=expr.value,
            granularity=expr.granularity or "day",
            start=expr.interval.start,
            end=expr.interval.end,
            anchor_at=anchor_at,
            anchor_timezone=anchor_timezone,
        )
        mentions.append(
            EventMention(
                sentence=sentence,
                sentence_start=s_start,
                sentence_end=s_end,
                claim=claim,
                title=headline(sentence),
            )
        )
    return mentions
