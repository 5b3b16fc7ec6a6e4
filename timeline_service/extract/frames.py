"""Reported speech: who says what in a sentence ("X said ...", "according to X", a quote
and its speaker), so a statement is attributed and dated like an event."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..text.fast_patterns import Caseless, WordStarts, trie
from .actors import ActorHit, ActorTable
from .sentences import quoted_spans


def _inside(pos: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


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
REPORT_VERBS = WordStarts(rf"(?:{trie(_expand(_REPORT_VERBS.split('|')))})(?![\w-])", inside=r"\w-")


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


BACKGROUND = Caseless(
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
    reporting verbs (``REPORT_VERBS.spans(sentence)``), when the caller has them.

    Longer than most functions here on purpose: the frames are tried in a fixed order
    (a quote and its speaker, "according to", "X said", "said X", a pronoun), and reading
    that order top to bottom is what makes the precedence between them checkable.
    """
    if quotes is None:
        quotes = quoted_spans(sentence)
    if verbs is None:
        verbs = REPORT_VERBS.spans(sentence)
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


def frame_words(sentence: str, frame: Frame) -> str:
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
