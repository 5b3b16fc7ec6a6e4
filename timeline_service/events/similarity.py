"""When two mentions report one event: their signatures and the same-event predicate.

A :class:`Signature` is what merging compares of a mention (date, type family, actors,
speaker, head concept, content terms, thread), built from a stored row without re-reading
the article. Pure functions; the store reads rows, this module never touches SQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter
from sys import intern
from typing import Any

from ..extract import eventtypes
from ..extract.actors import ActorTable
from .dates import is_fine, values_compatible

#: Content similarity needed to merge two speech acts that share no head or thread.
THRESHOLD = 0.5


GENERIC_TERMS = frozenset({"c:negative", "c:troops", "c:war", "c:border", "c:launch"})


@dataclass(slots=True)
class Signature:
    """What merging compares of one mention, read from the store in one query.

    Slotted, and its strings interned where :func:`signature` builds it: merging caches
    many of them, and most of their words, dates and hashes are shared with others."""

    id: int
    document_id: int
    event_id: int | None
    order: tuple[str, int]
    value: str
    granularity: str
    start_at: datetime
    end_at: datetime
    type: str
    actors: frozenset[str]
    principals: frozenset[str]
    speaker: str | None
    terms: frozenset[str]
    head: str | None
    thread: tuple[int, int] | None  # (document, run start): one speaker going on
    published: str = ""  # the document's publication time, ISO, for the event key
    weight: float = 0.0
    family: str = ""
    fine: bool = False  # dated to a day or finer: see is_fine
    relative: bool = False  # its day was counted from the publication, not written out

    def __post_init__(self) -> None:
        self.weight = _weight(self.terms)
        self.family = eventtypes.family(self.type)
        self.fine = is_fine(self.granularity, self.value)

    @property
    def span(self) -> tuple[datetime, datetime]:
        return self.start_at, self.end_at


_FIELDS = Signature.__slots__
_values = attrgetter(*_FIELDS)


def copy_of(sig: Signature) -> Signature:
    """A shallow copy (a cached signature is handed out as copies: merging sets their
    ``event_id``)."""
    new = object.__new__(Signature)
    for name, value in zip(_FIELDS, _values(sig), strict=True):
        setattr(new, name, value)
    return new


def signature(row: Any, table: ActorTable) -> Signature:
    """A mention's comparable parts (``row`` has the ``_COLUMNS``); actors are widened to
    the countries they stand for, so "the Kremlin" and "Russia" can meet."""
    expanded, principals = table.comparable(tuple(row.actors or ()))
    terms, head, thread = decode_terms(row.terms or ())
    return Signature(
        id=row.id,
        document_id=row.document_id,
        event_id=row.event_id,
        order=(intern(row.content_hash), row.sentence_start),
        value=intern(row.date_value),
        granularity=intern(row.granularity),
        start_at=row.start_at,
        end_at=row.end_at,
        type=intern(row.type),
        actors=expanded,
        principals=principals,
        speaker=row.attribution if row.attribution in table.actors else None,
        terms=frozenset(map(intern, terms)),
        head=intern(head) if head is not None else None,
        thread=(row.document_id, thread) if thread is not None else None,
        published=intern(row.published_at.isoformat()) if row.published_at else "~",
        relative=is_relative_day(row.basis, row.when_text),
    )


def is_relative_day(basis: str | None, when_text: str | None) -> bool:
    """Whether a claim's day was counted from the publication ("Thursday", "yesterday",
    an undated statement) rather than written out ("February 24", "on the 24th"): such a
    day is off by one when the anchor's day is (a late story, another time zone)."""
    if basis not in (None, "expression"):
        return True
    return not re.search(r"\d", when_text or "")


#: how the ``terms`` column stores a mention's head and thread beside its content terms
_HEAD, _THREAD = "h:", "p:"


def encode_terms(terms: Iterable[str], head: str | None, thread: int | None) -> list[str]:
    """The stored form of a mention's signature terms (one list column)."""
    out = list(terms)
    if head:
        out.append(_HEAD + head)
    if thread is not None:
        out.append(f"{_THREAD}{thread}")
    return out


def decode_terms(stored: Iterable[str]) -> tuple[frozenset[str], str | None, int | None]:
    """Content terms, head and thread from the stored form."""
    terms: set[str] = set()
    head: str | None = None
    thread: int | None = None
    for t in stored:
        if t.startswith(_HEAD):
            head = t[2:]
        elif t.startswith(_THREAD):
            thread = int(t[2:])
        else:
            terms.add(t)
    return frozenset(terms), head, thread


def _weight(terms: Iterable[str]) -> float:
    return sum(0.5 if t in GENERIC_TERMS else 1.0 for t in terms)


#: longest key stored (``store.models.MergeKey.key``)
KEY_LENGTH = 200


def merge_keys(sig: Signature) -> dict[str, float]:
    """What a mention is looked up by when merging, each key with its weight in
    :func:`similarity`. Two mentions :func:`same_event` can join share a key: material
    events the same head in the same family (``h:family:head``); speech acts the same head
    (``h:speech:head``), the same thread (``p:document:start``), or a content term of the
    similarity they need (``s|term``). Heads and threads weigh nothing; a material event's
    words are not keys, since they never decide whether it merges."""
    if sig.family != "speech":
        return {head_key(sig.family, sig.head): 0.0} if sig.head is not None else {}
    keys = {(_SPEECH + t)[:KEY_LENGTH]: (0.5 if t in GENERIC_TERMS else 1.0) for t in sig.terms}
    if sig.head is not None:
        keys[head_key("speech", sig.head)] = 0.0
    if sig.thread is not None:
        keys[thread_key(sig.thread)] = 0.0
    return keys


#: the prefix of a speech act's content terms among the merge keys
_SPEECH = "s|"


def head_key(family: str, head: str) -> str:
    return f"{_HEAD}{family}:{head}"[:KEY_LENGTH]


def thread_key(thread: tuple[int, int]) -> str:
    return f"{_THREAD}{thread[0]}:{thread[1]}"


def key_prefixes(family: str) -> tuple[str, ...]:
    """How the merge keys of a family's mentions begin."""
    if family == "speech":
        return (_SPEECH, _THREAD, f"{_HEAD}speech:")
    return (f"{_HEAD}{family}:",)


def block_of(sig: Signature) -> str:
    """The block a mention is merged in: its local day when fine, else its date value."""
    return sig.value[:10] if sig.fine else sig.value


def could_match(sig: Signature, shared: float, total: float, head: bool, thread: bool) -> bool:
    """Whether a mention sharing ``shared`` of its content weight (``total`` in all), and
    maybe the head or the thread of ``sig``, can be :func:`same_event` with it: material
    events need the head; speech acts the head, the thread, or the similarity."""
    if head:
        return True
    if sig.family != "speech":
        return False
    if thread:
        return True
    smaller = min(sig.weight, total)
    return smaller > 0 and shared >= THRESHOLD * smaller - 1e-9


def similarity(a: Signature, b: Signature) -> float:
    """Weighted overlap of the content terms (shared / smaller side)."""
    smaller = min(a.weight, b.weight)
    if smaller == 0:
        return 0.0
    return _weight(a.terms & b.terms) / smaller


def same_event(a: Signature, b: Signature, *, dated: bool = True) -> float | None:
    """How strongly two mentions report one event, or None when they cannot.

    Dates must be compatible (unless ``dated`` is false) and types of one family. Material
    events (meetings, military and diplomatic acts) need the same head concept and a shared
    actor; speech acts need the same speaker, and the same head (a denial of taking part),
    the same run of one speaker's sentences in a document, or similar words.
    """
    if a.family != b.family:
        return None
    if a.actors and b.actors and a.actors.isdisjoint(b.actors):
        return None
    if a.family != "speech" and (a.head is None or a.head != b.head):
        return None
    if dated and not values_compatible(a.value, b.value, a.span, b.span):
        return None
    sim = similarity(a, b)
    if a.family != "speech":
        if a.head is None or a.head != b.head:
            return None
        if a.principals and b.principals and not (a.principals & b.principals):
            return None
        return 1.0 + sim
    if a.speaker and b.speaker and a.speaker != b.speaker:
        return None
    if a.head is not None and a.head == b.head:
        return 1.0 + sim
    if a.thread is not None and a.thread == b.thread:
        return 1.0 + sim
    return sim if sim >= THRESHOLD else None


def kind_of(sig: Signature) -> tuple[Any, ...]:
    """What :func:`same_event` reads of a mention besides its family, date and thread."""
    return (sig.actors, sig.principals, sig.head, sig.speaker, sig.terms)


def alike(sigs: Sequence[Signature]) -> list[Signature]:
    """One member per :func:`kind_of`."""
    return list({kind_of(s): s for s in sigs}.values())
