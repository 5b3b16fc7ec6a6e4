"""Event mentions: the sentences of an article that report something at a known time.

Each mention carries a :class:`DateClaim`, the ledger entry that says which words dated it,
against which anchor, by which resolver version, to which interval.

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
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import eventtypes
from .actors import ActorHit, ActorTable, default_table
from .article import Article
from .memo import story_cache
from .temporal.fast_patterns import Caseless, WordStarts, trie

if TYPE_CHECKING:
    from .temporal import TemporalExpression

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

    ``terms`` is the content signature merging compares (concepts ``c:...``, word stems
    ``w:...``, the event's head concept ``h:...``, and ``p:<offset>``, the start of a run
    of adjacent sentences in which one speaker goes on: one statement), so events can be
    merged without re-reading the text.
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


# ------------------------------------------------------------------ sentences

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


def _inside(pos: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


# ------------------------------------------------------------------ reporting frames


def _expand(words: list[str]) -> list[str]:
    """Spell out the British/American ``[sz]`` of some words."""
    return [w.replace("[sz]", c) for w in words for c in "sz"[: 1 + ("[sz]" in w)]]


_REPORT_VERBS = (
    r"said|says|say|told|tells|tell|claimed|claims|stated|states|announced|announces"
    r"|added|adds|noted|notes|emphasi[sz]ed|emphasi[sz]es|stressed|stresses|insisted|insists"
    r"|confirmed|confirms|acknowledged|acknowledges|revealed|reveals|informed|informs"
    r"|recalled|recalls|assured|assures|asked|asks|explained|explains|declared|declares"
    r"|reported|reports|denied|denies|accused|accuses|warned|warns|urged|urges|suggested"
    r"|proposed|wrote|writes|tweeted|admitted|admits|argued|argues|vowed|pledged|promised"
    r"|conceded|cited|has learned|has learnt"
)
# One of these verbs at a time can match at any place, so their order does not matter and
# a prefix-factored alternation finds the same ones, faster.
_REPORT = WordStarts(rf"(?:{trie(_expand(_REPORT_VERBS.split('|')))})(?![\w-])", inside=r"\w-")
# Verbs that close a sentence after the reported clause ("..., X said"); "suggested" and
# the like take an object instead.
_INVERTIBLE = re.compile(
    r"said|says|told|tells|added|adds|stated|claimed|claims|noted|reported|reports|wrote"
    r"|writes|tweeted|has learned|has learnt|emphasi[sz]ed|stressed|insisted|explained|asked"
)
_ACCORDING = Caseless(
    r"(?:,\s*)?(?<![\w-])(?:according to|as per|citing)\s+",
    needles=("according to", "as per", "citing"),
)
_PRONOUN = re.compile(r"(?<![\w-])(?:he|she|He|She)(?![\w-])")
_CAPITALISED_RUN = re.compile(r"((?:[A-Z][\w.&'’-]*\s+){0,4}[A-Z][\w.&'’-]*)\s*$")
_BACKGROUND = Caseless(
    r"(?<![\w-])(?:previously|earlier|once said|in the past|has since|have since|had (?:"
    rf"{_REPORT_VERBS})|repeatedly|on numerous occasions|often|has long|have long"
    r"|used to|formerly|recently|in recent (?:days|weeks|months|years))(?![\w-])"
)
_THAT = re.compile(r"^\s*(?:,\s*)?(?:that\s+)?", re.IGNORECASE)


@dataclass(frozen=True)
class Frame:
    """A reporting frame: the verb, who speaks, and which part of the sentence is reported."""

    verb_start: int
    verb_end: int
    speaker: str | None  # canonical actor, or the words naming a non-actor source
    speaker_words: str | None
    speaker_is_actor: bool
    content_start: int
    content_end: int


def find_frame(
    sentence: str,
    hits: Sequence[ActorHit],
    table: ActorTable,
    last_person: str | None,
    quotes: Sequence[tuple[int, int]] | None = None,
    verbs: Sequence[tuple[int, int]] | None = None,
) -> Frame | None:
    """The sentence's reporting frame, if it reports speech ("X said that ...").

    ``quotes`` are the sentence's :func:`quoted_spans` and ``verbs`` the spans of its
    reporting verbs (``_REPORT.spans(sentence)``), when the caller has them.
    """
    if quotes is None:
        quotes = quoted_spans(sentence)
    if verbs is None:
        verbs = _REPORT.spans(sentence)
    verb = next((v for v in verbs if not _inside(v[0], quotes)), None)
    according = _ACCORDING.search(sentence)
    if verb is None and according is None:
        return None
    if verb is None and according is not None:
        tail = sentence[according.end() :].rstrip(" .")
        speaker = _actor_in(hits, according.end(), len(sentence), table)
        return Frame(
            according.start(),
            according.end(),
            speaker or tail[:80] or None,
            tail[:80] or None,
            speaker is not None,
            0,
            according.start(),
        )
    assert verb is not None
    v_start, v_end = verb
    before = sentence[:v_start]
    after = sentence[v_end:]
    closing = max(before.rfind("”"), before.rfind('"') if before.count('"') % 2 == 0 else -1)
    # "“...,” said Lukashenko" / "“...,” Lukashenko said" / "Belarus is ..., X told the media"
    inverted_quote = closing >= 0 and not before[closing + 1 :].strip(" ,").count(" ") > 12
    comma = before.rfind(", ")
    inverted_clause = (
        not inverted_quote
        and _INVERTIBLE.match(sentence[v_start:v_end]) is not None
        and comma > 15
        and not re.match(r"\s*(?:that|[,:]?\s*“|,?\s*\")", after)
        and len(after.split()) <= 14
        and "that" not in after.split()[:3]
    )
    if inverted_quote or inverted_clause:
        cut = closing + 1 if inverted_quote else comma
        seg_start, seg_end = cut, v_start
        content = (0, cut)
        if not sentence[seg_start:seg_end].strip(" ,”\"'’"):  # "..., said Lukashenko"
            seg_start, seg_end = v_end, len(sentence)
    else:
        seg_start, seg_end = 0, v_start
        lead = _THAT.match(after)
        content = (v_end + (lead.end() if lead else 0), len(sentence))
    speaker = _actor_in(hits, seg_start, seg_end, table)
    words: str | None = None
    is_actor = speaker is not None
    if speaker is None and _PRONOUN.search(sentence[seg_start:seg_end]):
        speaker, is_actor = last_person, last_person is not None
        words = _PRONOUN.search(sentence[seg_start:seg_end]).group()  # type: ignore[union-attr]
    if speaker is None:
        run = _CAPITALISED_RUN.search(sentence[seg_start:seg_end].rstrip(" ,"))
        if run and seg_end == v_start:
            speaker = words = run.group(1)
    if words is None and speaker is not None:
        words = next(
            (h.text for h in hits if seg_start <= h.start < seg_end and speaker == h.actor),
            speaker,
        )
    return Frame(v_start, v_end, speaker, words, is_actor, *content)


def _frame_words(sentence: str, frame: Frame) -> str:
    """The sentence outside the reported content, plus two words after the verb."""
    after_verb = " ".join(sentence[frame.verb_end :].split()[:2])
    return f"{sentence[: frame.content_start]} {after_verb} {sentence[frame.content_end :]}"


def _actor_in(hits: Sequence[ActorHit], start: int, end: int, table: ActorTable) -> str | None:
    """The speaker among the actors of a span: the first person, else the first actor."""
    inside = [h for h in hits if start <= h.start < end and (h.actor or h.country)]
    for hit in inside:
        if hit.actor and table.kind(hit.actor) == "person":
            return hit.actor
    for hit in inside:
        return hit.actor or hit.country
    return None


# ------------------------------------------------------------------ expressions


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PREPOSITIONS = _words("on in at during since until till by from before after of for early late")
_FOLLOWERS = _words(
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


# ------------------------------------------------------------------ non-sentences


def _ends_like_sentence(text: str) -> bool:
    """A stop (then closing quotes or brackets) or a closing quote, then only spaces."""
    tail = text.rstrip()
    return tail.endswith(('"', "”", "’")) or tail.rstrip('"”’)]').endswith((".", "!", "?", "…"))


_CAPTION = re.compile(
    r"^(?:(?:A|An|The)\s+)?(?:[\w’'-]+\s+){1,6}(?:patrols|stands|walks|looks"
    r"|attends|arrives|gestures|sits|poses|waits|shakes|rides|fires|passes|carries|inspects"
    r"|greets|leaves|prepares|drives|marches|gathers|watches|mourns|plays|lays|delivers"
    r"|holds|is seen|are seen|stand|walk|pose|gather|march|wait|attend|mourn|ride)\b"
)


@story_cache(8192)  # pure; a story's sentences recur in its updates and reposts
def is_text_sentence(sentence: str) -> bool:
    """A sentence of running text: ends like one and is not a photo caption."""
    words = sentence.split()
    if len(words) < 4 or not _ends_like_sentence(sentence):
        return False
    return not (len(words) <= 30 and _CAPTION.match(sentence) and not _REPORT.spans(sentence))


# ------------------------------------------------------------------ titles and terms

_LEAD_SOURCE = re.compile(r"^[A-Z][\w.]*(?:\s[A-Z][\w.]*){0,3}\s+[-–—]\s+")
_LEAD_CLAUSE = re.compile(
    r"^(?:(?:As|After|While|Stressing|Slamming|Amid|Despite|Moreover|Also|Meanwhile"
    r"|However|Furthermore|In addition)\b[^,]{0,90},\s+)"
)
_TAIL_SOURCE = re.compile(
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
    text = _TAIL_SOURCE.sub("", text).rstrip(" .")
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


_STOP = _words(
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


# ------------------------------------------------------------------ extraction


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def anchor_day(anchor_at: datetime, anchor_timezone: str | None) -> date:
    """The publication's local calendar day (the same whether the anchor is read back in
    UTC from storage or given in the outlet's offset)."""
    if anchor_at.tzinfo is None or not anchor_timezone:
        return anchor_at.date()
    return anchor_at.astimezone(_zone(anchor_timezone)).date()


def publication_claim(anchor_at: datetime, anchor_timezone: str | None, version: str) -> DateClaim:
    """The publication day as a claim: the date of speech reported without a date."""
    day = anchor_day(anchor_at, anchor_timezone)
    zone = _zone(anchor_timezone)
    start = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
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


def extract_mentions(
    article: Article,
    expressions: list[TemporalExpression],
    *,
    anchor_at: datetime | None,
    anchor_timezone: str | None,
    actors: ActorTable | None = None,
) -> list[EventMention]:
    """The event mentions of the article body, each with its date claim (pure function)."""
    from .temporal import RESOLVER_VERSION

    table = actors or default_table()
    body = article.body
    day = anchor_day(anchor_at, anchor_timezone) if anchor_at is not None else None
    hits = table.find(body, on=day)
    hit_starts = [h.start for h in hits]  # in order: a sentence's hits are one slice
    # Reporting verbs, found in one pass over the body: a sentence starts after a line
    # or space break and ends before one, and no verb spans a stop, so a sentence's
    # verbs are the body's verbs inside it.
    verbs = _REPORT.spans(body)
    verb_starts = [s for s, _ in verbs]
    dated = [e for e in expressions if usable(e, body)]
    published: DateClaim | None = None  # the publication claim, made once
    mentions: list[EventMention] = []
    last_person: str | None = None
    paragraph_claim: DateClaim | None = None
    paragraph_end = -1
    # the last speech mention: (sentence number, paragraph number, speaker, thread start)
    thread: tuple[int, int, str, int] | None = None
    paragraph_no = 0
    for number, (s_start, s_end) in enumerate(split_sentences(body)):
        if s_start > paragraph_end:  # a new paragraph
            paragraph_no += 1
            paragraph_claim = None
            nl = body.find("\n", s_start)
            paragraph_end = len(body) if nl < 0 else nl
        sentence = body[s_start:s_end]
        s_hits = [
            ActorHit(h.start - s_start, h.end - s_start, h.text, h.actor, h.how, h.country)
            for h in hits[bisect_left(hit_starts, s_start) : bisect_left(hit_starts, s_end)]
        ]
        quotes = quoted_spans(sentence)
        s_verbs = [
            (v_start - s_start, v_end - s_start)
            for v_start, v_end in verbs[
                bisect_left(verb_starts, s_start) : bisect_left(verb_starts, s_end)
            ]
        ]
        frame = find_frame(sentence, s_hits, table, last_person, quotes, s_verbs)
        persons = [h.actor for h in s_hits if h.actor and table.kind(h.actor) == "person"]
        if frame is not None and frame.speaker_is_actor and frame.speaker:
            if table.kind(frame.speaker) == "person":
                last_person = frame.speaker
        elif persons:
            last_person = persons[0]
        if not is_text_sentence(sentence):
            continue
        inside = [e for e in dated if s_start <= e.start and e.end <= s_end]
        claim: DateClaim | None = None
        expr = None
        if inside:
            expr = min(inside, key=lambda e: (_width(e), e.start))
            assert expr.interval is not None
            claim = DateClaim(
                expr.text,
                expr.start,
                expr.end,
                expr.value or "",
                expr.granularity or "day",
                expr.interval.start,
                expr.interval.end,
                anchor_at,
                anchor_timezone,
                RESOLVER_VERSION,
                "expression",
            )
        elif (
            frame is not None
            and frame.speaker_is_actor
            and anchor_at is not None
            and not _BACKGROUND.search(_frame_words(sentence, frame))
        ):
            earlier = paragraph_claim
            if earlier is not None and day and _far_from(earlier, day):
                claim = DateClaim(**{**earlier.__dict__, "basis": "inherited"})
            else:
                if published is None:
                    published = publication_claim(anchor_at, anchor_timezone, RESOLVER_VERSION)
                claim = published
        if claim is None:
            continue
        if claim.basis == "expression":
            paragraph_claim = claim
        statement = None
        if frame is not None and frame.speaker_is_actor and frame.speaker:
            verb = sentence[frame.verb_start : frame.verb_end]
            continues = (
                thread is not None
                and thread[2] == frame.speaker
                and (
                    (thread[0] == number - 1 and thread[1] == paragraph_no)
                    or verb in ("added", "adds")
                )
            )
            start = thread[3] if continues and thread is not None else s_start
            thread = (number, paragraph_no, frame.speaker, start)
            statement = f"p:{start}"
        else:
            thread = None
        mentions.append(
            _mention(
                sentence,
                s_start,
                s_end,
                claim,
                expr,
                frame,
                s_hits,
                table,
                day,
                quotes,
                statement,
            )
        )
    return mentions


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
    statement: str | None = None,
) -> EventMention:
    """The mention of one dated sentence; ``day`` is the publication's local day (the
    anchor of every claim of the document), ``statement`` the ``p:`` term, if any."""
    e_span = (expr.start - s_start, expr.end - s_start) if expr is not None else None
    if frame is not None:
        c_start, c_end = frame.content_start, frame.content_end
    else:
        c_start, c_end = 0, len(sentence)
    content = sentence[c_start:c_end]
    date_in_content = e_span is not None and c_start <= e_span[0] < c_end
    planned = False
    if e_span is not None:
        clause = sentence[c_start if date_in_content else 0 : e_span[0]]
        ahead = day is not None and _is_future(claim, day)
        planned = ahead or (bool(_FUTURE.search(clause)) and date_in_content)
    event_type = eventtypes.classify(
        content, reported_speech=frame is not None, date_in_content=date_in_content or planned
    )
    names = list(table.canonical(hits))
    attribution = None
    if frame is not None and frame.speaker:
        attribution = frame.speaker
        if frame.speaker_is_actor and frame.speaker not in names:
            names.insert(0, frame.speaker)
    skip = [(h.start, h.end) for h in hits]
    if e_span is not None:
        skip.append(e_span)
    if frame is not None:  # what was said, not who said it or where
        skip.append((0, frame.content_start))
        tail = _TAIL_SOURCE.search(sentence[: frame.content_end].rstrip(" ."))
        skip.append((tail.start() if tail else frame.content_end, len(sentence)))
    terms = set(content_terms(sentence, skip))
    head = eventtypes.head(content, event_type)
    if head:
        terms.add("h:" + head)
    if eventtypes.called_name(sentence):
        terms.add("c:call")
    if (
        frame is not None
        and frame.speaker_words
        and quotes
        and quotes[0][0] <= 1
        and frame.content_end <= quotes[0][1] + 2
    ):
        title = quote_title(frame.speaker_words, sentence[quotes[0][0] : quotes[0][1]])
    else:
        title = headline(sentence)
    return EventMention(
        sentence=sentence,
        sentence_start=s_start,
        sentence_end=s_end,
        claim=claim,
        title=title,
        type=event_type,
        actors=tuple(names),
        attribution=attribution,
        modality="planned" if planned else "reported",
        terms=(*sorted(terms), statement) if statement else tuple(sorted(terms)),
    )
