"""Event mentions: the sentences of an article that report something at a known time.

Each mention carries a :class:`~timeline_service.sdk.DateClaim`, the ledger entry that
says which words dated it, against which anchor, by which resolver version, to which
interval.

A sentence is a mention when it reports something happening at a resolvable time:

- it holds a temporal expression the date engine resolved (not one used as an adjective,
  as in "a spring offensive"), or
- it reports speech ("Lukashenko said ...", "“...,” he said") without background markers
  ("previously", "had said"): then it is dated by the publication day — or, inside a
  paragraph whose earlier sentence dated the speech to a clearly different time ("In July
  2022, the president acknowledged ... He said ..."), by that earlier date.

Headings, captions and other non-sentences of the body are never mentions.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from ..sdk.article import Article
from ..sdk.mention import FINE_GRANULARITIES, DateClaim, EventMention
from ..temporal import RESOLVER_VERSION
from ..temporal.zones import zone
from . import eventtypes
from .actors import ActorHit, ActorTable
from .frames import BACKGROUND, REPORT_VERBS, Frame, find_frame, frame_words
from .prose import is_text_sentence
from .sentences import quoted_spans, split_sentences
from .terms import content_terms, word_set
from .titles import TAIL_SOURCE, headline, quote_title

if TYPE_CHECKING:
    from ..temporal import TemporalExpression


_PREPOSITIONS = word_set("on in at during since until till by from before after of for early late")


_FOLLOWERS = word_set(
    """that and or but when as after before while with to in on at by for from of the a an
    his her its their it he she they we i said says told amid during until since about
    against into than then there this is was were are has have had will would morning
    afternoon evening night"""
)


def usable(expr: TemporalExpression, body: str) -> bool:
    """A resolved DATE/TIME that dates the clause, not one used as an adjective."""
    if expr.type not in ("DATE", "TIME") or not expr.value or expr.interval is None:
        return False
    prev = body[max(0, expr.start - 20) : expr.start].split()
    if prev and prev[-1].lower().strip(",") in _PREPOSITIONS:
        return True
    follow = body[expr.end : expr.end + 30]
    if re.match(r"['’]s\b", follow):
        return False
    nxt = re.match(r"\s+([a-z][a-z-]*)", follow)
    return not (nxt and nxt.group(1) not in _FOLLOWERS)


def _width(expr: TemporalExpression) -> timedelta:
    assert expr.interval is not None
    return expr.interval.end - expr.interval.start


def anchor_day(anchor_at: datetime, anchor_timezone: str | None) -> date:
    """The publication's local calendar day (the same whether the anchor is read back in
    UTC from storage or given in the outlet's offset)."""
    if anchor_at.tzinfo is None or not anchor_timezone:
        return anchor_at.date()
    return anchor_at.astimezone(zone(anchor_timezone)).date()


def publication_claim(anchor_at: datetime, anchor_timezone: str | None, version: str) -> DateClaim:
    """The publication day as a claim: the date of speech reported without a date."""
    day = anchor_day(anchor_at, anchor_timezone)
    where = zone(anchor_timezone)
    start = datetime.combine(day, time(0), tzinfo=where).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=where).astimezone(UTC)
    return DateClaim(
        None,
        None,
        None,
        day.isoformat(),
        "day",
        start,
        end,
        anchor_at,
        anchor_timezone,
        version,
        "publication",
    )


def _far_from(claim: DateClaim, day: date) -> bool:
    """Whether a claim dates a clearly different time than the publication day."""
    if claim.granularity not in FINE_GRANULARITIES:
        return True
    return abs((date.fromisoformat(claim.value[:10]) - day).days) >= 7


@dataclass(frozen=True)
class _Body:
    """What one pass over the whole body finds, shared by its sentences."""

    text: str
    table: ActorTable
    anchor_at: datetime | None
    anchor_timezone: str | None
    day: date | None
    hits: list[ActorHit]
    hit_starts: list[int]  # in order: a sentence's hits are one slice
    # Reporting verbs, found in one pass over the body: a sentence starts after a line or
    # space break and ends before one, and no verb spans a stop, so a sentence's verbs are
    # the body's verbs inside it.
    verbs: list[tuple[int, int]]
    verb_starts: list[int]
    dated: list[TemporalExpression]

    def sentence_hits(self, start: int, end: int) -> list[ActorHit]:
        """The actor hits inside ``[start, end)``, with offsets into the sentence."""
        found = self.hits[bisect_left(self.hit_starts, start) : bisect_left(self.hit_starts, end)]
        return [
            ActorHit(h.start - start, h.end - start, h.text, h.actor, h.how, h.country)
            for h in found
        ]

    def sentence_verbs(self, start: int, end: int) -> list[tuple[int, int]]:
        """The reporting verbs inside ``[start, end)``, with offsets into the sentence."""
        starts = self.verb_starts
        found = self.verbs[bisect_left(starts, start) : bisect_left(starts, end)]
        return [(a - start, b - start) for a, b in found]


@dataclass
class _Reading:
    """What extraction carries from one sentence to the next."""

    published: DateClaim | None = None  # the publication claim, made once
    last_person: str | None = None  # the person "he" or "she" most likely is
    paragraph_no: int = 0
    paragraph_end: int = -1
    paragraph_claim: DateClaim | None = None  # the paragraph's last written-out date
    # the last speech mention: (sentence number, paragraph number, speaker, thread start)
    thread: tuple[int, int, str, int] | None = None


def extract_mentions(
    article: Article,
    expressions: list[TemporalExpression],
    *,
    anchor_at: datetime | None,
    anchor_timezone: str | None,
    actors: ActorTable,
) -> list[EventMention]:
    """The event mentions of the article body, each with its date claim (pure function)."""
    body = article.body
    day = anchor_day(anchor_at, anchor_timezone) if anchor_at is not None else None
    hits = actors.find(body, on=day)
    verbs = REPORT_VERBS.spans(body)
    ctx = _Body(
        body, actors, anchor_at, anchor_timezone, day,
        hits, [h.start for h in hits], verbs, [s for s, _ in verbs],
        [e for e in expressions if usable(e, body)],
    )  # fmt: skip
    state = _Reading()
    mentions = []
    for number, (start, end) in enumerate(split_sentences(body)):
        found = _read_sentence(ctx, state, number, start, end)
        if found is not None:
            mentions.append(found)
    return mentions


def _read_sentence(
    ctx: _Body, state: _Reading, number: int, s_start: int, s_end: int
) -> EventMention | None:
    """The mention of one sentence, if it is one; updates what the reading carries."""
    if s_start > state.paragraph_end:  # a new paragraph
        state.paragraph_no += 1
        state.paragraph_claim = None
        nl = ctx.text.find("\n", s_start)
        state.paragraph_end = len(ctx.text) if nl < 0 else nl
    sentence = ctx.text[s_start:s_end]
    hits = ctx.sentence_hits(s_start, s_end)
    quotes = quoted_spans(sentence)
    table = ctx.table
    frame = find_frame(
        sentence, hits, table, state.last_person, quotes, ctx.sentence_verbs(s_start, s_end)
    )
    persons = [h.actor for h in hits if h.actor and table.kind(h.actor) == "person"]
    if frame is not None and frame.speaker_is_actor and frame.speaker:
        if table.kind(frame.speaker) == "person":
            state.last_person = frame.speaker
    elif persons:
        state.last_person = persons[0]
    if not is_text_sentence(sentence):
        return None
    inside = [e for e in ctx.dated if s_start <= e.start and e.end <= s_end]
    expr = min(inside, key=lambda e: (_width(e), e.start)) if inside else None
    claim = _claim(ctx, state, sentence, frame, expr)
    if claim is None:
        return None
    if claim.basis == "expression":
        state.paragraph_claim = claim
    thread = _thread(state, number, sentence, s_start, frame)
    return _mention(
        sentence, s_start, s_end, claim, expr, frame, hits, table, ctx.day, quotes, thread
    )


def _claim(
    ctx: _Body,
    state: _Reading,
    sentence: str,
    frame: Frame | None,
    expr: TemporalExpression | None,
) -> DateClaim | None:
    """What dates the sentence: its own date expression; else, for speech an actor
    reports without background markers, the paragraph's clearly different date or the
    publication day; else nothing (the sentence is no mention)."""
    if expr is not None:
        assert expr.interval is not None
        return DateClaim(
            expr.text, expr.start, expr.end, expr.value or "", expr.granularity or "day",
            expr.interval.start, expr.interval.end, ctx.anchor_at, ctx.anchor_timezone,
            RESOLVER_VERSION, "expression",
        )  # fmt: skip
    if (
        frame is None
        or not frame.speaker_is_actor
        or ctx.anchor_at is None
        or BACKGROUND.search(frame_words(sentence, frame))
    ):
        return None
    earlier = state.paragraph_claim
    if earlier is not None and ctx.day and _far_from(earlier, ctx.day):
        return DateClaim(**{**earlier.__dict__, "basis": "inherited"})
    if state.published is None:
        state.published = publication_claim(ctx.anchor_at, ctx.anchor_timezone, RESOLVER_VERSION)
    return state.published


def _thread(
    state: _Reading, number: int, sentence: str, s_start: int, frame: Frame | None
) -> int | None:
    """Where the run of sentences in which this one's speaker goes on began (one
    statement told over several sentences), or None for a sentence that is no speech."""
    if frame is None or not frame.speaker_is_actor or not frame.speaker:
        state.thread = None
        return None
    verb = sentence[frame.verb_start : frame.verb_end]
    last = state.thread
    continues = (
        last is not None
        and last[2] == frame.speaker
        and ((last[0] == number - 1 and last[1] == state.paragraph_no) or verb in ("added", "adds"))
    )
    start = last[3] if continues and last is not None else s_start
    state.thread = (number, state.paragraph_no, frame.speaker, start)
    return start


_FUTURE = re.compile(
    r"(?<![\w-])(?:will|shall|is to|are to|plans? to|is expected to|are expected to"
    r"|is scheduled to|is set to|are set to|going to)(?![\w-])"
)


_DAY_VALUE = re.compile(r"\d{4}-\d{2}-\d{2}")


_MONTH_VALUE = re.compile(r"\d{4}-\d{2}")


_YEAR_VALUE = re.compile(r"\d{4}")


def _is_future(claim: DateClaim, day: date) -> bool:
    """Whether the claim's local date lies wholly after the publication day."""
    value = claim.value
    if _DAY_VALUE.match(value):
        return value[:10] > day.isoformat()
    if _MONTH_VALUE.fullmatch(value):
        return value > day.isoformat()[:7]
    if _YEAR_VALUE.fullmatch(value):
        return int(value) > day.year
    return claim.start.date() > day


def _mention(
    sentence: str,
    s_start: int,
    s_end: int,
    claim: DateClaim,
    expr: TemporalExpression | None,
    frame: Frame | None,
    hits: Sequence[ActorHit],
    table: ActorTable,
    day: date | None,
    quotes: Sequence[tuple[int, int]],
    statement: int | None = None,
) -> EventMention:
    """The mention of one dated sentence; ``day`` is the publication's local day (the
    anchor of every claim of the document), ``statement`` where the speaker's run of
    sentences began, if any."""
    e_span = (expr.start - s_start, expr.end - s_start) if expr is not None else None
    if frame is not None:
        c_start, c_end = frame.content_start, frame.content_end
    else:
        c_start, c_end = 0, len(sentence)
    content = sentence[c_start:c_end]
    date_in_content = e_span is not None and c_start <= e_span[0] < c_end
    planned = _planned(sentence, claim, e_span, c_start, date_in_content, day)
    event_type = eventtypes.classify(
        content, reported_speech=frame is not None, date_in_content=date_in_content or planned
    )
    names = list(table.canonical(hits))
    attribution = None
    if frame is not None and frame.speaker:
        attribution = frame.speaker
        if frame.speaker_is_actor and frame.speaker not in names:
            names.insert(0, frame.speaker)
    return EventMention(
        sentence=sentence,
        sentence_start=s_start,
        sentence_end=s_end,
        claim=claim,
        title=_title(sentence, frame, quotes),
        type=event_type,
        actors=tuple(names),
        attribution=attribution,
        modality="planned" if planned else "reported",
        terms=_terms(sentence, hits, e_span, frame),
        head=eventtypes.head(content, event_type) or None,
        thread=statement,
    )


def _planned(
    sentence: str,
    claim: DateClaim,
    e_span: tuple[int, int] | None,
    c_start: int,
    date_in_content: bool,
    day: date | None,
) -> bool:
    """Whether the sentence reports something planned: dated after the publication day, or
    a future form ("will", "is to") before its own date in what is said."""
    if e_span is None:
        return False
    clause = sentence[c_start if date_in_content else 0 : e_span[0]]
    ahead = day is not None and _is_future(claim, day)
    return ahead or (bool(_FUTURE.search(clause)) and date_in_content)


def _terms(
    sentence: str,
    hits: Sequence[ActorHit],
    e_span: tuple[int, int] | None,
    frame: Frame | None,
) -> tuple[str, ...]:
    """The content terms of what the sentence reports: not its actors, its date, or (for
    speech) who said it and where."""
    skip = [(h.start, h.end) for h in hits]
    if e_span is not None:
        skip.append(e_span)
    if frame is not None:  # what was said, not who said it or where
        skip.append((0, frame.content_start))
        tail = TAIL_SOURCE.search(sentence[: frame.content_end].rstrip(" ."))
        skip.append((tail.start() if tail else frame.content_end, len(sentence)))
    terms = set(content_terms(sentence, skip))
    if eventtypes.called_name(sentence):
        terms.add("c:call")
    return tuple(sorted(terms))


def _title(sentence: str, frame: Frame | None, quotes: Sequence[tuple[int, int]]) -> str:
    """A quote led by its speaker when the sentence is one, else the sentence's headline."""
    if (
        frame is not None
        and frame.speaker_words
        and quotes
        and quotes[0][0] <= 1
        and frame.content_end <= quotes[0][1] + 2
    ):
        return quote_title(frame.speaker_words, sentence[quotes[0][0] : quotes[0][1]])
    return headline(sentence)
