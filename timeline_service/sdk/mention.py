"""The event mention: one article's report of an event, with the date claim behind it.

The built-in extractor produces these; a plugin's ``extract_mentions`` hook may return
them too (for structured feeds whose events are already explicit).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Modality = Literal["reported", "planned"]
Basis = Literal["expression", "publication", "inherited"]

FINE_GRANULARITIES = frozenset({"day", "part_of_day", "time", "hour", "minute", "second"})


@dataclass(frozen=True)
class DateClaim:
    """What a mention says about when: raw words, anchor, resolver, and the result.

    ``basis`` says where the date came from: the sentence's own words (``expression``),
    the publication day (``publication``, ``when_text`` None), or an earlier sentence of
    the paragraph (``inherited``; ``when_start``/``when_end`` point at its words).
    """

    when_text: str | None
    when_start: int | None
    when_end: int | None
    value: str
    granularity: str
    start: datetime
    end: datetime
    anchor_at: datetime | None
    anchor_timezone: str | None
    resolver_version: str = ""
    basis: Basis = "expression"


@dataclass(frozen=True)
class EventMention:
    """One report of an event in one article; offsets index into ``Article.body``.

    What merging compares, so events can be merged without re-reading the text:
    ``terms``, the content signature (concepts ``c:...`` and word stems ``w:...``);
    ``head``, the concept that names the event (``invade``, ``call``), if any; and
    ``thread``, the body offset where a run of adjacent sentences in which one speaker goes
    on begins (one statement told over several sentences).
    """

    sentence: str
    sentence_start: int
    sentence_end: int
    claim: DateClaim
    title: str
    type: str = "statement"
    actors: tuple[str, ...] = ()
    attribution: str | None = None
    modality: Modality = "reported"
    terms: tuple[str, ...] = field(default=())
    head: str | None = None
    thread: int | None = None
