"""Merging mentions into events, and an event's date from its claims.

Order independence: mentions are clustered per *block*, and a block's clustering is a
function of the set of mentions in it, processed in a canonical order (document content
hash, sentence offset):

- a **day block** holds the mentions dated to one local calendar day or finer (the date
  value's first ten characters: ``2022-02-24``, ``2022-02-24T05:00``, ``2022-02-24TMO``);
  different days merge only as a *near miss*: clusters of adjacent days that report one
  happening whose day is disputed (see :func:`near_miss` and :func:`_day_phase`);
- a **coarse mention** (week, month, season, year) joins the best matching event of a
  day inside its range ("last February" joins the invasion of 24 February), else it
  clusters with the other coarse mentions of the same value.

An ingest or a deletion re-derives only the blocks it touched, found through the
``(start_at, end_at)`` indexes, and the coarse mentions whose range covers a touched day,
so the cost does not grow with the store. An event's public key is derived from its
canonical first mention (document content hash + sentence offset), so re-ingesting the
same documents in any order yields the same keys.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from sqlalchemy import and_, bindparam, delete, event, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from . import eventtypes
from .actors import ActorTable, default_table
from .db import check_deadline
from .mentions import FINE_GRANULARITIES, EventMention
from .models import Document, Event, EventActor, Mention

#: A local day, in any zone, starts within this margin of its UTC midnight.
ZONE_MARGIN = timedelta(hours=14)
#: Content similarity needed to merge two speech acts that share no head or thread.
THRESHOLD = 0.5
_GENERIC = frozenset({"c:negative", "c:troops", "c:war", "c:border", "c:launch"})
_FRESH = "timeline_merge_fresh"
#: Coarse granularities whose mentions may join an event of a day inside them; coarser
#: claims ("in 2022") only merge with each other.
ATTACHING = ("week", "month", "season", "quarter")
ATTACH_SPAN = timedelta(days=93)


# ------------------------------------------------------------------ dates


def local_range(
    value: str, start: datetime | None = None, end: datetime | None = None
) -> tuple[date, date]:
    """The local calendar days ``[first, after)`` a TIMEX3 value covers.

    A value that is not a calendar value falls back to the UTC dates of ``start``/``end``.
    """
    try:
        return _calendar_range(value)
    except ValueError:
        if start is not None and end is not None:
            return start.date(), max(end.date(), start.date() + timedelta(days=1))
        raise


@lru_cache(maxsize=65536)
def _calendar_range(value: str) -> tuple[date, date]:
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        d = date(int(m[1]), int(m[2]), int(m[3]))
        return d, d + timedelta(days=1)
    m = re.match(r"^(\d{4})-(\d{2})$", value)
    if m:
        y, mo = int(m[1]), int(m[2])
        return date(y, mo, 1), date(y + mo // 12, mo % 12 + 1, 1)
    m = re.match(r"^(\d{4})-W(\d{2})", value)
    if m:
        first = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        return first, first + timedelta(days=7)
    m = re.match(r"^(\d{4})-(SP|SU|FA|AU|WI)$", value)
    if m:
        y = int(m[1])
        if m[2] == "WI":
            return date(y, 12, 1), date(y + 1, 3, 1)
        a, b = {"SP": (3, 6), "SU": (6, 9), "FA": (9, 12), "AU": (9, 12)}[m[2]]
        return date(y, a, 1), date(y, b, 1)
    m = re.match(r"^(\d{4})-Q([1-4])$", value)
    if m:
        y, q = int(m[1]), int(m[2])
        return date(y, 3 * q - 2, 1), date(y + q // 4, (3 * q) % 12 + 1, 1)
    m = re.match(r"^(\d{4})-H([12])$", value)
    if m:
        y, h = int(m[1]), int(m[2])
        return (date(y, 1, 1), date(y, 7, 1)) if h == 1 else (date(y, 7, 1), date(y + 1, 1, 1))
    m = re.match(r"^(\d{4})$", value)
    if m:
        return date(int(m[1]), 1, 1), date(int(m[1]) + 1, 1, 1)
    m = re.match(r"^(\d{3})X$", value)
    if m:
        return date(int(m[1]) * 10, 1, 1), date(int(m[1]) * 10 + 10, 1, 1)
    m = re.match(r"^(\d{2})XX$", value)
    if m:
        return date(int(m[1]) * 100, 1, 1), date(int(m[1]) * 100 + 100, 1, 1)
    raise ValueError(f"not a calendar value: {value!r}")


def is_fine(granularity: str, value: str) -> bool:
    """Dated to a day or finer (a day block), as opposed to a week, month, year..."""
    return granularity in FINE_GRANULARITIES or bool(re.match(r"^\d{4}-\d{2}-\d{2}", value))


def _clock(value: str) -> int | None:
    m = re.search(r"T(\d{2}):(\d{2})", value)
    return int(m[1]) * 60 + int(m[2]) if m else None


def values_compatible(
    a: str,
    b: str,
    a_span: tuple[datetime, datetime] | None = None,
    b_span: tuple[datetime, datetime] | None = None,
) -> bool:
    """Whether two date values can be the same happening: nested calendar ranges, and
    two clock times on the same day no more than an hour apart.

    With the claims' UTC intervals, those must also overlap (give or take a time zone):
    "earlier this week" does not contain the coming Friday although the ISO week does.
    """
    if (
        a_span
        and b_span
        and not (a_span[0] - ZONE_MARGIN < b_span[1] and b_span[0] - ZONE_MARGIN < a_span[1])
    ):
        return False
    return _values_nest(a, b)


@lru_cache(maxsize=65536)
def _values_nest(a: str, b: str) -> bool:
    try:
        ra, rb = _calendar_range(a), _calendar_range(b)
    except ValueError:
        return a == b
    nested = (ra[0] <= rb[0] and rb[1] <= ra[1]) or (rb[0] <= ra[0] and ra[1] <= rb[1])
    if not nested:
        return False
    ca, cb = _clock(a), _clock(b)
    return ca is None or cb is None or abs(ca - cb) <= 60


_PRECISION = {
    "second": 0, "minute": 0, "time": 0, "hour": 1, "part_of_day": 2, "day": 3, "week": 4,
    "month": 5, "season": 6, "quarter": 6, "half": 7, "year": 8, "decade": 9, "century": 10,
}  # fmt: skip


@dataclass(frozen=True)
class Claim:
    """One mention's date claim, as the event date computation sees it."""

    mention_id: int
    source_id: int
    value: str
    granularity: str
    start: datetime
    end: datetime
    order: tuple[str, int] = ("", 0)


@dataclass(frozen=True)
class EventDate:
    """An event's date from its claims, whether they agree, and the dissenting claims.

    ``agreement``: ``single`` (one claim), ``agree`` (all say the same value),
    ``compatible`` (they differ only in precision: a day inside a reported month),
    ``disputed`` (``dissent`` lists the mention ids whose claims conflict).
    """

    value: str
    granularity: str
    start: datetime
    end: datetime
    agreement: str
    dissent: tuple[int, ...] = ()


def _agrees(a: Claim, b: Claim) -> bool:
    return values_compatible(a.value, b.value, (a.start, a.end), (b.start, b.end))


def event_date(claims: Sequence[Claim]) -> EventDate:
    """The most precise value that the most sources are compatible with."""
    if not claims:
        raise ValueError("an event needs at least one claim")
    ordered = sorted(claims, key=lambda c: c.order)
    # a day claim, when there is one, dates the event: a month around two disputed days is
    # compatible with both and so has the most support, but says less than either
    fine = any(is_fine(c.granularity, c.value) for c in claims)
    best: tuple[tuple[bool, int, int, int], Claim] | None = None
    supports: dict[tuple[str, datetime, datetime], int] = {}  # equal claims, equal support
    for index, cand in enumerate(ordered):
        key = (cand.value, cand.start, cand.end)
        support = supports.get(key)
        if support is None:
            support = supports[key] = len({c.source_id for c in claims if _agrees(cand, c)})
        rank = (
            fine and not is_fine(cand.granularity, cand.value),
            -support,
            _PRECISION.get(cand.granularity, 11),
            index,
        )
        if best is None or rank < best[0]:
            best = (rank, cand)
    assert best is not None
    chosen = best[1]
    dissent = tuple(sorted(c.mention_id for c in claims if not _agrees(chosen, c)))
    if len(claims) == 1:
        agreement = "single"
    elif dissent:
        agreement = "disputed"
    elif len({c.value for c in claims}) == 1:
        agreement = "agree"
    else:
        agreement = "compatible"
    return EventDate(chosen.value, chosen.granularity, chosen.start, chosen.end, agreement, dissent)


# ------------------------------------------------------------------ the same-event predicate

#: Merging reads mentions through the Core tables: plain rows, no ORM statement handling.
_M = Mention.__table__
_D = Document.__table__


@dataclass
class Signature:
    """What merging compares of one mention, read from the store in one query."""

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
    thread: tuple[int, str] | None  # (document, run start): one speaker going on
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


_COLUMNS = (
    _M.c.id, _M.c.document_id, _M.c.event_id, _M.c.sentence_start,
    _M.c.date_value, _M.c.granularity, _M.c.start_at, _M.c.end_at, _M.c.type,
    _M.c.actors, _M.c.attribution, _M.c.terms, _M.c.sentence, _M.c.basis, _M.c.when_text,
    _D.c.content_hash, _D.c.published_at,
)  # fmt: skip


def signature(row: Any, table: ActorTable | None = None) -> Signature:
    """A mention's comparable parts (``row`` has the ``_COLUMNS``); actors are widened to
    the countries they stand for, so "the Kremlin" and "Russia" can meet."""
    expanded, principals = (table or default_table()).comparable(tuple(row.actors or ()))
    terms = frozenset(row.terms or _terms_from_text(row.sentence, row.type))
    head = next((t[2:] for t in terms if t.startswith("h:")), None)
    thread = next((t for t in terms if t.startswith("p:")), None)
    return Signature(
        id=row.id,
        document_id=row.document_id,
        event_id=row.event_id,
        order=(row.content_hash, row.sentence_start),
        value=row.date_value,
        granularity=row.granularity,
        start_at=row.start_at,
        end_at=row.end_at,
        type=row.type,
        actors=expanded,
        principals=principals,
        speaker=row.attribution if row.attribution in (table or default_table()).actors else None,
        terms=frozenset(t for t in terms if t[:2] not in ("h:", "p:")),
        head=head,
        thread=(row.document_id, thread) if thread else None,
        published=row.published_at.isoformat() if row.published_at else "~",
        relative=is_relative_day(row.basis, row.when_text),
    )


def is_relative_day(basis: str | None, when_text: str | None) -> bool:
    """Whether a claim's day was counted from the publication ("Thursday", "yesterday",
    an undated statement) rather than written out ("February 24", "on the 24th"): such a
    day is off by one when the anchor's day is (a late story, another time zone)."""
    if basis not in (None, "expression"):
        return True
    return not re.search(r"\d", when_text or "")


def _terms_from_text(sentence: str, event_type: str) -> tuple[str, ...]:
    """A signature for rows stored without one (the whole sentence read as content)."""
    from .mentions import content_terms

    terms = content_terms(sentence)
    head = eventtypes.head(sentence, event_type)
    return (*terms, "h:" + head) if head else terms


def _weight(terms: Iterable[str]) -> float:
    return sum(0.5 if t in _GENERIC else 1.0 for t in terms)


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


class _Cluster:
    """A cluster being built, kept so that a new mention is compared with little of it.

    ``dates``: its distinct (value, start, end); a mention joins only if its date is
    compatible with every member's, and these are all that test needs. ``kinds``: one
    member per distinct set of what :func:`same_event` reads besides the date and the
    thread (members alike in those score alike against any mention; wire copies and
    reposts make many such). ``threads``: its members by thread. For speech acts, the
    kinds are also indexed by head and by term, so that only those sharing the mention's
    head or enough of its terms are scored (as :class:`_DayPool` does).
    """

    __slots__ = (
        "dates", "family", "heads", "kind_heads", "kind_terms", "kinds", "members", "seq",
        "threads",
    )  # fmt: skip

    def __init__(self, seq: int, sig: Signature) -> None:
        self.seq = seq
        self.family = sig.family
        self.members: list[Signature] = []
        self.dates: dict[tuple[str, datetime, datetime], None] = {}
        self.kinds: dict[tuple[Any, ...], Signature] = {}
        self.threads: dict[tuple[int, str], list[Signature]] = {}
        self.heads: set[str | None] = set()
        self.kind_heads: dict[str, list[Signature]] = {}  # speech acts only
        self.kind_terms: dict[str, list[Signature]] = {}  # speech acts only
        self.add(sig)

    def add(self, sig: Signature) -> None:
        self.members.append(sig)
        self.dates.setdefault((sig.value, sig.start_at, sig.end_at), None)
        self._add_kind(_kind(sig), sig)
        if sig.thread is not None:
            self.threads.setdefault(sig.thread, []).append(sig)
        self.heads.add(sig.head)

    def _add_kind(self, key: tuple[Any, ...], sig: Signature) -> None:
        if key in self.kinds:
            return
        self.kinds[key] = sig
        if self.family == "speech":
            if sig.head is not None:
                self.kind_heads.setdefault(sig.head, []).append(sig)
            for term in sig.terms:
                self.kind_terms.setdefault(term, []).append(sig)

    def absorb(self, other: _Cluster) -> None:
        self.members.extend(other.members)
        self.dates.update(other.dates)
        for key, sig in other.kinds.items():
            self._add_kind(key, sig)
        for thread, sigs in other.threads.items():
            self.threads.setdefault(thread, []).extend(sigs)
        self.heads |= other.heads
        other.members = []

    def fits(self, sig: Signature) -> bool:
        """Whether ``sig``'s date is compatible with every member's (their family is
        ``sig``'s, by construction)."""
        return all(
            values_compatible(sig.value, value, sig.span, (start, end))
            for value, start, end in self.dates
        )

    def fits_cluster(self, other: _Cluster) -> bool:
        """Whether every member of ``other`` fits this cluster."""
        return all(
            values_compatible(value, mine, (start, end), (my_start, my_end))
            for value, start, end in other.dates
            for mine, my_start, my_end in self.dates
        )

    def _candidates(self, sig: Signature) -> Iterable[Signature]:
        """The kinds that may be the same event as ``sig`` but for a shared thread: for
        a material mention those of its head (all of them), for a speech act those of its
        head and those sharing at least ``THRESHOLD`` of the smaller side's terms."""
        if self.family != "speech":
            return self.kinds.values() if sig.head in self.heads else ()
        found: dict[int, Signature] = {}
        if sig.head is not None:
            found.update((id(k), k) for k in self.kind_heads.get(sig.head, ()))
        shared: dict[int, float] = {}
        kinds: dict[int, Signature] = {}
        for term in sig.terms:
            listed = self.kind_terms.get(term)
            if listed is None:
                continue
            weight = 0.5 if term in _GENERIC else 1.0
            for kind in listed:
                shared[id(kind)] = shared.get(id(kind), 0.0) + weight
                kinds[id(kind)] = kind
        for key, weight in shared.items():
            kind = kinds[key]
            smaller = min(sig.weight, kind.weight)
            if smaller > 0 and weight >= THRESHOLD * smaller - 1e-9:
                found[key] = kind
        return found.values()

    def score(self, sig: Signature, *, any_match: bool = False) -> float | None:
        """The best :func:`same_event` score of ``sig`` with a member, or None; with
        ``any_match``, the first score found."""
        best: float | None = None
        # members that share the thread are compared one by one; the others as their kinds
        # (alike but for the thread, which only those members can share with ``sig``)
        threaded = self.threads.get(sig.thread, []) if sig.thread is not None else []
        for member in [*threaded, *self._candidates(sig)]:
            found = same_event(sig, member, dated=False)
            if found is not None:
                if any_match:
                    return found
                best = found if best is None else max(best, found)
        return best


def cluster(sigs: Sequence[Signature]) -> list[list[Signature]]:
    """Greedy clustering in canonical order.

    A mention joins the clusters it matches (some member reports the same event, every
    member's date and type are compatible); clusters it bridges are joined when they are
    compatible with each other, best match first (the best score with a member, then the
    oldest cluster). Otherwise it starts a cluster.

    A material mention is compared only with the clusters of its head, a speech act only
    with the members of each speech cluster that share its head, thread or enough of its
    terms; dates are checked once per distinct date, and members alike in all that
    :func:`same_event` reads are scored once. A day many outlets report then costs about
    as many comparisons as it has different reports, not their square.
    """
    clusters: list[_Cluster] = []
    by_head: dict[tuple[str, str | None], list[_Cluster]] = {}  # non-speech families
    speech: list[_Cluster] = []
    for sig in sorted(sigs, key=lambda s: s.order):
        if sig.family == "speech":
            candidates = speech
        else:
            candidates = by_head.get((sig.family, sig.head), []) if sig.head is not None else []
        matching = [
            c for c in candidates
            if c.members and c.fits(sig) and c.score(sig, any_match=True) is not None
        ]  # fmt: skip
        if not matching:
            new = _Cluster(len(clusters), sig)
            clusters.append(new)
            if sig.family == "speech":
                speech.append(new)
            else:
                by_head.setdefault((sig.family, sig.head), []).append(new)
            continue
        if len(matching) > 1:  # only then does the best score matter
            matching.sort(key=lambda c: (-(c.score(sig) or 0.0), c.seq))
        target = matching[0]
        target.add(sig)
        for other in matching[1:]:
            if target.fits_cluster(other):
                if other.family != "speech":  # one head each, in practice; kept exact
                    for head in other.heads - target.heads:
                        by_head.setdefault((other.family, head), []).append(target)
                target.absorb(other)
        if len(matching) > 1:
            clusters = [c for c in clusters if c.members]
            speech[:] = [c for c in speech if c.members]
            for key, listed in by_head.items():
                by_head[key] = [c for c in listed if c.members]
    return [c.members for c in clusters]


#: Families whose reports may disagree on the day by one and still be one event; military
#: action recurs day after day, so two days of it are two events.
DISPUTABLE = frozenset({"speech", "meeting", "diplomatic"})


def near_miss(x: Sequence[Signature], y: Sequence[Signature]) -> bool:
    """Whether two clusters of adjacent days report one happening with its day in dispute.

    Other documents, a family where that is plausible (:data:`DISPUTABLE`), nothing that
    rules it out between any two members (different actors, principals that are not one
    party list within the other, speakers of a speech act that differ), the
    same head concept in at least one pair (the same call, the same denial; mere similar
    words are not enough), and at least one day counted from a publication date, where an
    off-by-one day comes from (see :func:`is_relative_day`).
    """
    family = x[0].family
    if family not in DISPUTABLE or y[0].family != family:
        return False
    if not any(s.relative for s in x) and not any(s.relative for s in y):
        return False
    if not {s.document_id for s in x}.isdisjoint(s.document_id for s in y):
        return False
    strong = False
    # the documents differ, so no thread is shared: members alike in everything else the
    # tests read are compared once (reposts of one report make many such)
    for a in _alike(x):
        for b in _alike(y):
            if family == "speech" and a.speaker and b.speaker and a.speaker != b.speaker:
                return False
            if (
                a.principals
                and b.principals
                and not (a.principals <= b.principals or b.principals <= a.principals)
            ):  # the same parties: Putin's call with Macron is not his call with Lukashenko
                return False
            score = same_event(a, b, dated=False)
            if score is None and a.actors and b.actors and a.actors.isdisjoint(b.actors):
                return False
            strong = strong or (score is not None and score >= 1.0 and a.head is not None)
    return strong


def _kind(sig: Signature) -> tuple[Any, ...]:
    """What :func:`same_event` reads of a mention besides its family, date and thread."""
    return (sig.actors, sig.principals, sig.head, sig.speaker, sig.terms)


def _alike(sigs: Sequence[Signature]) -> list[Signature]:
    """One member per :func:`_kind`."""
    return list({_kind(s): s for s in sigs}.values())


def _best_event(sig: Signature, events: Sequence[list[Signature]]) -> int | None:
    """The day-level event a coarse mention belongs to, if any (ties: canonical order)."""
    best: tuple[float, tuple[str, int], int] | None = None
    for members in events:
        if members[0].event_id is None or any(sig.family != m.family for m in members):
            continue
        # members that share the mention's thread one by one, the others by kind and date
        # (alike in all that same_event reads but the thread)
        threaded = [m for m in members if sig.thread is not None and m.thread == sig.thread]
        alike = {(_kind(m), m.value, m.start_at, m.end_at): m for m in members}.values()
        scores = [s for m in [*threaded, *alike] if (s := same_event(sig, m)) is not None]
        if not scores:
            continue
        rank = (-max(scores), members[0].order, members[0].event_id)
        if best is None or rank < best:
            best = rank
    return best[2] if best else None


def key_member(members: Sequence[Signature]) -> Signature:
    """The mention an event's key comes from: the first published (then canonical order),
    so later reports of an event rarely change its key."""
    return min(members, key=lambda s: (s.published, s.order))


def event_key(first: Signature) -> str:
    """The public id, from the key member's document and offset: the same documents give
    the same keys in any ingest order."""
    content_hash, offset = first.order
    return "ev_" + hashlib.sha1(f"{content_hash}:{offset}".encode()).hexdigest()[:20]


# ------------------------------------------------------------------ storage


def mention_values(document_id: int, m: EventMention) -> dict[str, Any]:
    """The ledger row of an extracted mention as column values (every column merging and
    re-dating need), for a bulk insert."""
    c = m.claim
    return {
        "document_id": document_id,
        "sentence": m.sentence,
        "sentence_start": m.sentence_start,
        "sentence_end": m.sentence_end,
        "when_text": c.when_text,
        "when_start": c.when_start,
        "when_end": c.when_end,
        "date_value": c.value,
        "granularity": c.granularity,
        "start_at": c.start,
        "end_at": c.end,
        "anchor_at": c.anchor_at,
        "anchor_timezone": c.anchor_timezone,
        "resolver_version": c.resolver_version,
        "basis": c.basis,
        "title": m.title,
        "type": m.type,
        "actors": list(m.actors),
        "attribution": m.attribution,
        "modality": m.modality,
        "terms": list(m.terms),
    }


def mention_row(document_id: int, m: EventMention) -> Mention:
    """The ledger row of an extracted mention, as a model instance."""
    return Mention(**mention_values(document_id, m))


def _utc_day(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def _day_window(day: date) -> tuple[datetime, datetime]:
    """Where the UTC start of anything dated to local ``day`` can fall."""
    return _utc_day(day) - ZONE_MARGIN, _utc_day(day + timedelta(days=1)) + ZONE_MARGIN


_LIGHT = (
    _M.c.id, _M.c.document_id, _M.c.event_id, _M.c.date_value, _M.c.granularity,
    _M.c.start_at, _D.c.content_hash,
)  # fmt: skip
#: Signatures by (engine, mention id): rows never change but for their event and, when
#: re-dated, their date, which the check covers (re-dating keeps the words and the basis a
#: signature also reads). Bounded; cleared when full.
_CACHE: dict[tuple[int, int], tuple[tuple[Any, ...], Signature]] = {}
_CACHE_LIMIT = 250_000


def _signatures(session: Session, light: Sequence[Any]) -> list[Signature]:
    """Signatures for rows of ``_LIGHT`` columns, reading the heavy columns only of rows
    not seen before."""
    bind = id(session.get_bind())
    out: list[Signature] = []
    missing: dict[int, Any] = {}
    for row in light:
        hit = _CACHE.get((bind, row.id))
        check = (row.document_id, row.date_value, row.granularity, row.start_at, row.content_hash)
        if hit is not None and hit[0] == check:
            sig = object.__new__(Signature)
            sig.__dict__.update(hit[1].__dict__)
            sig.event_id = row.event_id
            out.append(sig)
        else:
            missing[row.id] = check
    if missing:
        if len(_CACHE) > _CACHE_LIMIT:
            _CACHE.clear()
        table = default_table()
        rows = session.execute(
            select(*_COLUMNS)
            .join(_D, _M.c.document_id == _D.c.id)
            .where(_M.c.id.in_(sorted(missing)))
        ).all()
        for row in rows:
            sig = signature(row, table)
            kept = object.__new__(Signature)
            kept.__dict__.update(sig.__dict__)
            _CACHE[(bind, row.id)] = (missing[row.id], kept)
            out.append(sig)
    return out


@dataclass(frozen=True)
class StoredMention:
    """A just-inserted mention: its id, the values it was inserted with
    (:func:`mention_values`), and its document's content hash and publication time."""

    id: int
    values: dict[str, Any]
    content_hash: str
    published_at: datetime | None


def remember(session: Session, stored: Iterable[StoredMention]) -> None:
    """Cache the signatures of mentions just inserted, from the values in hand: merging
    them then reads only their ids and dates back, not their sentences and terms."""
    bind = id(session.get_bind())
    table = default_table()
    pending = session.info.setdefault(_REMEMBERED, [])
    for m in stored:
        row = SimpleNamespace(**m.values)  # the row shape of ``_COLUMNS``
        row.id, row.event_id, row.content_hash = m.id, None, m.content_hash
        row.start_at = row.start_at.astimezone(UTC)  # as the store gives them back
        row.end_at = row.end_at.astimezone(UTC)
        row.published_at = m.published_at.astimezone(UTC) if m.published_at else None
        check = (row.document_id, row.date_value, row.granularity, row.start_at, m.content_hash)
        if len(_CACHE) > _CACHE_LIMIT:
            _CACHE.clear()
        _CACHE[(bind, m.id)] = (check, signature(row, table))
        pending.append((bind, m.id))


_REMEMBERED = "timeline_merge_remembered"
#: The derived columns of the events this transaction wrote, as written (see _rederive).
_WRITTEN = "timeline_merge_written"


@event.listens_for(Session, "after_commit")
def _kept(session: Session) -> None:
    session.info.pop(_REMEMBERED, None)
    session.info.pop(_WRITTEN, None)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    """A rolled-back insert's ids may be given to other rows: drop what was remembered."""
    session.info.pop(_WRITTEN, None)
    for key in session.info.pop(_REMEMBERED, ()):
        _CACHE.pop(key, None)


#: terms of one OR: SQLite parses ``a OR b OR ...`` into a tree it refuses past depth 1000
OR_CHUNK = 200


def chunks(items: Sequence[Any], size: int = OR_CHUNK) -> Iterator[Sequence[Any]]:
    """``items`` in slices of at most ``size``, for statements with one term per item."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _load(session: Session, windows: Iterable[Any], *criteria: Any) -> list[Signature]:
    """Mentions whose start falls in any of the windows ``(lo, hi, ...)`` (through the
    start_at index; nearby windows are read as one range, callers filter)."""
    spans = sorted((lo, hi) for lo, hi, *_ in windows)
    merged: list[list[datetime]] = []
    for lo, hi in spans:  # few, simple ranges: the statement stays cheap to build
        if merged and lo <= merged[-1][1] + timedelta(days=2):
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    ranges = [and_(_M.c.start_at >= lo, _M.c.start_at < hi) for lo, hi in merged]
    light = [
        row
        for part in chunks(ranges)
        for row in session.execute(
            select(*_LIGHT).join(_D, _M.c.document_id == _D.c.id).where(or_(*part), *criteria)
        )
    ]
    return _signatures(session, light)


def _coarse_values_covering(session: Session, days: Sequence[date]) -> set[str]:
    """The week-to-quarter values whose range covers one of the days (through the
    (granularity, start_at) index: such a range starts at most ~92 days earlier)."""
    out: set[str] = set()
    # one range per run of days whose ranges overlap: overlapping ranges in one OR would
    # read their common rows once per range
    runs: list[list[date]] = []
    for d in sorted(days):
        if runs and d - ATTACH_SPAN <= runs[-1][1] + timedelta(days=1):
            runs[-1][1] = d
        else:
            runs.append([d, d])
    clauses = [
        and_(
            _M.c.start_at >= _utc_day(first) - ATTACH_SPAN - ZONE_MARGIN,
            _M.c.start_at <= _utc_day(last) + ZONE_MARGIN,
        )
        for first, last in runs
    ]
    rows = {
        row
        for part in chunks(clauses)
        for row in session.execute(
            select(_M.c.date_value, _M.c.granularity)
            .where(_M.c.granularity.in_(ATTACHING), or_(*part))
            .distinct()
        )
    }
    for value, granularity in rows:
        if is_fine(granularity, value):
            continue
        try:
            first, after = local_range(value)
        except ValueError:
            continue
        if any(first <= d < after for d in days):
            out.add(value)
    return out


class _Assigner:
    """Collects event assignments and writes them in a few statements."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.touched: set[int] = set()
        self.moves: dict[int, list[int]] = {}  # event id -> mention ids

    def clusters(self, clusters: list[list[Signature]]) -> None:
        firsts = {event_key(key_member(c)): c for c in clusters}
        if not firsts:
            return
        events = Event.__table__
        known = dict(
            self.session.execute(
                select(events.c.key, events.c.id).where(events.c.key.in_(list(firsts)))
            ).all()
        )
        missing = [k for k in firsts if k not in known]
        if missing:
            rows = []
            for key in missing:
                first = key_member(firsts[key])
                rows.append(
                    {
                        "key": key, "date_value": first.value, "granularity": first.granularity,
                        "start_at": first.start_at, "end_at": first.end_at, "title": "",
                        "type": first.type, "actors": [], "dissent": [], "agreement": "single",
                        "source_count": 0, "mention_count": 0, "first_reported_at": None,
                    }
                )  # fmt: skip
            written = self.session.info.setdefault(_WRITTEN, {})
            by_key = {row["key"]: row for row in rows}
            for event_id, key in self.session.execute(
                events.insert().returning(events.c.id, events.c.key), rows
            ):
                known[key] = event_id
                written[event_id] = by_key[key]
        for key, members in firsts.items():
            for sig in members:
                self.move(sig, known[key])

    def move(self, sig: Signature, event_id: int) -> None:
        """Assign; an event is touched only when its members change."""
        if sig.event_id != event_id:
            self.touched.add(event_id)
            if sig.event_id is not None:
                self.touched.add(sig.event_id)
            self.moves.setdefault(event_id, []).append(sig.id)
            sig.event_id = event_id

    def write(self) -> None:
        moved = {mid: event_id for event_id, ids in self.moves.items() for mid in ids}
        if moved:
            table = Mention.__table__
            self.session.execute(
                table.update().where(table.c.id == bindparam("b_id")),
                [{"b_id": mid, "event_id": eid} for mid, eid in sorted(moved.items())],
            )
        for mid, eid in moved.items():  # keep loaded rows truthful (looked up, not scanned)
            obj = self.session.identity_map.get(identity_key(Mention, (mid,)))
            if obj is not None:
                set_committed_value(obj, "event_id", eid)
        self.moves.clear()


def rebuild(session: Session, days: Iterable[date], values: Iterable[str]) -> set[int]:
    """Re-cluster the given day blocks and coarse values; return the ids of the events
    whose members changed (created, grown, shrunk or emptied).

    Coarse claims covering a re-clustered day are re-decided incrementally: their best
    event was elsewhere and is unchanged, so only it and the day's new events compete —
    unless it was one of the day's old events, and then the claim's month is read whole.
    """
    full = set(values)
    out = _Assigner(session)
    day_events: dict[int, list[Signature]] = {}
    old_day_events: set[int] = set()
    incremental: set[str] = set()
    with session.no_autoflush:
        if days := set(days):
            found = _day_phase(session, days)
            old_members: dict[int, set[int]] = {}
            for members in found:
                for sig in members:
                    if sig.event_id is not None:
                        old_members.setdefault(sig.event_id, set()).add(sig.id)
            out.clusters(found)
            out.write()
            changed: set[date] = set()  # days whose events gained or lost members
            for members in found:
                event_id = members[0].event_id or 0
                day_events[event_id] = members
                if event_id in out.touched:
                    changed.update(date.fromisoformat(s.value[:10]) for s in members)
            new_members = {e: {s.id for s in day_events[e]} for e in out.touched & set(day_events)}
            # events that lost members or vanished: a claim attached to one needs a full look
            old_day_events = {
                e
                for e, ids in old_members.items()
                if e in out.touched and not ids <= new_members.get(e, set())
            }
            incremental = _coarse_values_covering(session, sorted(changed)) - full
        if full or incremental:
            _coarse_phase(session, out, full, incremental, day_events, old_day_events)
    return out.touched


#: How far a day's change reaches: whether clusters of days d and d+1 join depends on the
#: clusters of days d-1 to d+2 (see _day_phase).
_REACH = 2


def _day_phase(session: Session, touched: set[date]) -> list[list[Signature]]:
    """The day-level events of the touched days and of the days their joins reach.

    Each day is clustered on its own. Then a cluster joins one of the next day when the
    two are a :func:`near_miss` and each is the other's only one among its neighbouring
    days' clusters, so the join of days d and d+1 is a function of the mentions of days
    d-1 to d+2 alone: a change on day t re-decides the joins of days t-2 to t+2, reading
    days t-3 to t+3. Untouched days keep their clustering, read back from their events.
    """
    one = timedelta(days=1)
    decided = {t + k * one for t in touched for k in range(-_REACH, _REACH + 1)}
    loaded = {t + k * one for t in touched for k in range(-_REACH - 1, _REACH + 2)}
    pairs = {t + k * one for t in touched for k in range(-_REACH, _REACH)}  # (e, e + 1 day)
    by_key = {d.isoformat(): d for d in loaded}
    by_day: dict[date, list[Signature]] = {d: [] for d in loaded}
    for sig in _load(session, (_day_window(d) for d in loaded)):
        day = by_key.get(sig.value[:10]) if sig.fine else None
        if day is not None:
            by_day[day].append(sig)
    clusters: dict[date, list[list[Signature]]] = {}
    for day, sigs in by_day.items():
        check_deadline(session)
        if day in touched or any(s.event_id is None for s in sigs):
            clusters[day] = cluster(sigs)
        else:  # unchanged: its events' members on this day are its clusters
            groups: dict[int | None, list[Signature]] = {}
            for sig in sorted(sigs, key=lambda s: s.order):
                groups.setdefault(sig.event_id, []).append(sig)
            clusters[day] = list(groups.values())

    near: dict[int, list[tuple[date, list[Signature]]]] = {}

    def neighbours(members: list[Signature], day: date) -> list[tuple[date, list[Signature]]]:
        if id(members) not in near:
            near[id(members)] = [
                (side, other)
                for side in (day - one, day + one)
                for other in clusters.get(side, ())
                if near_miss(members, other)
            ]
        return near[id(members)]

    partner: dict[int, list[Signature]] = {}
    for day in sorted(pairs):
        for members in clusters[day]:
            found = neighbours(members, day)
            if len(found) != 1 or found[0][0] != day + one:
                continue
            other = found[0][1]
            back = neighbours(other, day + one)
            if len(back) == 1 and back[0][1] is members:
                partner[id(members)] = other
                partner[id(other)] = members
    out: list[list[Signature]] = []
    emitted: set[int] = set()
    for day in sorted(decided):
        for members in clusters[day]:
            if id(members) in emitted:
                continue
            other = partner.get(id(members)) or _stored_partner(members, day, clusters, pairs)
            emitted.add(id(members))
            if other is not None:
                emitted.add(id(other))
                out.append([*members, *other])
            else:
                out.append(members)
    return out


def _stored_partner(
    members: list[Signature],
    day: date,
    clusters: dict[date, list[list[Signature]]],
    pairs: set[date],
) -> list[Signature] | None:
    """The other day's half of an untouched cluster's event, when that join was not
    re-decided (the pair of days lies beyond the reach of the change)."""
    event_id = members[0].event_id
    if event_id is None:  # not stored yet: no join to keep
        return None
    one = timedelta(days=1)
    for side, first in ((day - one, day - one), (day + one, day)):
        if first in pairs:
            continue
        for other in clusters.get(side, ()):
            if other[0].event_id == event_id:
                return other
    return None


def _coarse_phase(
    session: Session,
    out: _Assigner,
    full: set[str],
    incremental: set[str],
    day_events: dict[int, list[Signature]],
    old_day_events: set[int],
) -> None:
    ranges = {v: local_range(v) for v in sorted(full | incremental)}
    starts = [(_utc_day(a) - ZONE_MARGIN, _utc_day(a) + ZONE_MARGIN) for a, _ in ranges.values()]
    coarse_by_value: dict[str, list[Signature]] = {v: [] for v in ranges}
    for sig in _load(session, starts, _M.c.date_value.in_(list(ranges))):
        if not sig.fine and sig.value in coarse_by_value:
            coarse_by_value[sig.value].append(sig)
    for value in list(incremental):  # was a claim's best event shrunk or gone?
        if any(s.event_id in old_day_events for s in coarse_by_value[value]):
            incremental.discard(value)
            full.add(value)
    attaching = [v for v in sorted(full) if coarse_by_value[v]
                 and coarse_by_value[v][0].granularity in ATTACHING]  # fmt: skip
    families = {s.family for v in attaching for s in coarse_by_value[v]}
    types = [t for t in eventtypes.TYPES if eventtypes.family(t) in families]
    month_sigs = _load(
        session,
        [(_utc_day(ranges[v][0]) - ZONE_MARGIN, _utc_day(ranges[v][1]) + ZONE_MARGIN)
         for v in attaching],
        _M.c.type.in_(types),
        _M.c.event_id.is_not(None),
    )  # fmt: skip
    current = {s.event_id for v in incremental for s in coarse_by_value[v] if s.event_id}
    current_sigs = _load_events(session, current - set(day_events)) if current else []
    pools = {
        "incremental": _DayPool([s for m in day_events.values() for s in m] + current_sigs),
        "attaching": _DayPool(month_sigs),
    }
    loose: list[list[Signature]] = []
    for value, coarse in coarse_by_value.items():
        check_deadline(session)
        if not coarse:
            continue
        if value in incremental and coarse[0].granularity in ATTACHING:
            pool = pools["incremental"]
        elif value in attaching:
            pool = pools["attaching"]
        else:
            pool = _DayPool([])
        unattached = []
        for sig in sorted(coarse, key=lambda s: s.order):
            target = pool.best(sig, *ranges[value])
            if target is None:
                unattached.append(sig)
            else:
                out.move(sig, target)
        loose += cluster(unattached)
    out.clusters(loose)
    out.write()


class _DayPool:
    """Day-level mentions with events, and an inverted index to find the events a coarse
    mention can possibly match among those of a range of days.

    ``same_event`` needs, for a material mention, the same head; for a speech act, the
    same head, the same thread, or shared content terms weighing at least ``THRESHOLD`` of
    the smaller side. Only events with a member in the range passing that test are
    compared (each through its members in the range); the answer is that of
    :func:`_best_event` over all the range's events. Members are numbered in day order,
    so every posting list is too and a range is a slice of it.
    """

    def __init__(self, sigs: Iterable[Signature]) -> None:
        self.sigs = sorted(
            (s for s in sigs if s.fine and s.event_id is not None),
            key=lambda s: (s.value[:10], s.event_id, s.order, s.id),
        )
        self.days = [s.value[:10] for s in self.sigs]
        self.keys: dict[tuple[str, Any], list[int]] = {}
        self.terms: dict[str, list[int]] = {}
        self.members: dict[int, list[int]] = {}
        for j, m in enumerate(self.sigs):
            self.members.setdefault(m.event_id or 0, []).append(j)
            if m.head is not None:
                self.keys.setdefault(("h", m.head), []).append(j)
            if m.thread is not None:
                self.keys.setdefault(("p", m.thread), []).append(j)
            if m.family == "speech":
                for t in m.terms:
                    self.terms.setdefault(t, []).append(j)

    def best(self, sig: Signature, first: date, after: date) -> int | None:
        """The event of a day in ``[first, after)`` that ``sig`` belongs to, if any."""
        lo = bisect_left(self.days, first.isoformat())
        hi = bisect_left(self.days, after.isoformat())
        if lo == hi:
            return None
        found: set[int] = set()
        if sig.head is not None:
            found.update(_within(self.keys.get(("h", sig.head)), lo, hi))
        if sig.family == "speech":
            if sig.thread is not None:
                found.update(_within(self.keys.get(("p", sig.thread)), lo, hi))
            shared: dict[int, float] = {}
            for t in sig.terms:
                weight = 0.5 if t in _GENERIC else 1.0
                for j in _within(self.terms.get(t), lo, hi):
                    shared[j] = shared.get(j, 0.0) + weight
            for j, w in shared.items():
                smaller = min(sig.weight, self.sigs[j].weight)
                if smaller > 0 and w >= THRESHOLD * smaller - 1e-9:
                    found.add(j)
        events = sorted({self.sigs[j].event_id or 0 for j in found})
        return _best_event(
            sig,
            [
                sorted((self.sigs[j] for j in _within(self.members[e], lo, hi)),
                       key=lambda s: s.order)
                for e in events
            ],
        )  # fmt: skip


def _within(postings: list[int] | None, lo: int, hi: int) -> list[int]:
    """The part of an ascending posting list in ``[lo, hi)``."""
    if not postings:
        return []
    return postings[bisect_left(postings, lo) : bisect_left(postings, hi)]


def _load_events(session: Session, event_ids: set[int]) -> list[Signature]:
    """The mentions of some events (through the event_id index)."""
    light = session.execute(
        select(*_LIGHT)
        .join(_D, _M.c.document_id == _D.c.id)
        .where(_M.c.event_id.in_(sorted(event_ids)))
    ).all()
    return _signatures(session, light)


def _blocks(claims: Iterable[tuple[str, str, datetime, datetime]]) -> tuple[set[date], set[str]]:
    days: set[date] = set()
    values: set[str] = set()
    for value, granularity, start, end in claims:
        if is_fine(granularity, value):
            days.add(local_range(value, start, end)[0])
        else:
            values.add(value)
    return days, values


def attach(session: Session, mentions: Iterable[Mention | dict[str, Any]]) -> set[int]:
    """Give new (or re-dated) mentions their events; return the event ids touched.

    ``mentions`` are stored rows, or the column values they were inserted with. Call
    :func:`rederive` with the result to bring those events' fields up to date.
    """
    claims = [
        (m["date_value"], m["granularity"], m["start_at"], m["end_at"])
        if isinstance(m, dict)
        else (m.date_value, m.granularity, m.start_at, m.end_at)
        for m in mentions
    ]
    session.flush()
    days, values = _blocks(claims)
    touched = rebuild(session, days, values)
    session.info.setdefault(_FRESH, set()).update(touched)
    return touched


def rederive(session: Session, event_ids: Iterable[int]) -> None:
    """Recompute events from their mentions; delete those left with none.

    Events not just produced by :func:`attach` (e.g. after a document was deleted) have
    their blocks re-clustered first, so removing a mention can also split an event.
    """
    session.flush()
    ids = set(event_ids)
    fresh = session.info.pop(_FRESH, set())
    stale = ids - fresh
    if stale:
        days: set[date] = set()
        values: set[str] = set()
        for value, granularity, start, end in session.execute(
            select(Event.date_value, Event.granularity, Event.start_at, Event.end_at).where(
                Event.id.in_(stale)
            )
        ):
            if is_fine(granularity, value):  # its members may lie a day either side
                day = local_range(value, start, end)[0]
                days.update(day + timedelta(days=k) for k in (-1, 0, 1))
            else:
                values.add(value)
        # coarse claims attached to these events lost (some of) what they matched: decide
        # them afresh, as if the event had never been
        for value, granularity in session.execute(
            select(_M.c.date_value, _M.c.granularity).where(_M.c.event_id.in_(stale)).distinct()
        ):
            if not is_fine(granularity, value):
                values.add(value)
        ids |= rebuild(session, days, values)
    if ids:
        _rederive(session, sorted(ids))


def recompute(session: Session, event_ids: Iterable[int]) -> None:
    """Recompute the fields of events whose members are already right (no re-clustering)."""
    ids = sorted(set(event_ids))
    if ids:
        _rederive(session, ids)


#: The event columns derived from its mentions, and those its actor rows repeat.
_DERIVED = (
    "date_value", "granularity", "start_at", "end_at", "agreement", "dissent", "type",
    "title", "actors", "mention_count", "source_count", "first_reported_at",
)  # fmt: skip
_ACTOR_COLUMNS = frozenset({"actors", "granularity", "start_at", "end_at"})


def _rederive(session: Session, ids: list[int]) -> None:
    rows = session.execute(
        select(
            _M.c.id, _M.c.event_id, _M.c.date_value, _M.c.granularity,
            _M.c.start_at, _M.c.end_at, _M.c.type, _M.c.title, _M.c.basis,
            _M.c.modality, _M.c.actors, _M.c.sentence_start, _D.c.source_id,
            _D.c.published_at, _D.c.content_hash,
        )
        .join(_D, _M.c.document_id == _D.c.id)
        .where(_M.c.event_id.in_(ids))
    ).all()  # fmt: skip
    by_event: dict[int, list[Any]] = {}
    for r in rows:
        by_event.setdefault(r.event_id, []).append(r)
    empty = [i for i in ids if i not in by_event]
    actor_table = EventActor.__table__
    if empty:
        session.execute(actor_table.delete().where(actor_table.c.event_id.in_(empty)))
        session.execute(
            delete(Event).where(Event.id.in_(empty)),
            execution_options={"synchronize_session": "fetch"},
        )
    ev = Event.__table__
    # what the rows hold: as this transaction wrote them (most are new), else as stored
    written: dict[int, dict[str, Any]] = session.info.setdefault(_WRITTEN, {})
    for event_id in empty:  # gone: its id may be given to a new event
        written.pop(event_id, None)
    unknown = [i for i in by_event if i not in written]
    if unknown:
        columns = (ev.c.id, ev.c.key, *(ev.c[name] for name in _DERIVED))
        for r in session.execute(select(*columns).where(ev.c.id.in_(unknown))):
            written[r.id] = r._asdict()
    # write only what changed, grouped by the columns that did: an unchanged column keeps
    # its index entries (and an unchanged title its full-text entry) untouched
    updates: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    actor_rows: list[dict[str, Any]] = []
    moved_actors: list[int] = []
    for event_id, members in sorted(by_event.items()):
        members.sort(key=lambda r: (r.content_hash, r.sentence_start))
        claims = [
            Claim(r.id, r.source_id, r.date_value, r.granularity, r.start_at, r.end_at,
                  (r.content_hash, r.sentence_start))
            for r in members
        ]  # fmt: skip
        when = event_date(claims)
        event_type = _majority_type(r.type for r in members)
        counts = Counter(a for r in members for a in dict.fromkeys(r.actors or []))
        actors = [a for a, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
        published = [r.published_at for r in members if r.published_at is not None]
        fields = {
            "date_value": when.value, "granularity": when.granularity,
            "start_at": when.start, "end_at": when.end, "agreement": when.agreement,
            "dissent": list(when.dissent), "type": event_type,
            "title": _title(members, when.value, event_type), "actors": actors,
            "mention_count": len(members),
            "source_count": len({r.source_id for r in members}),
            "first_reported_at": min(published) if published else None,
        }  # fmt: skip
        old = written[event_id]
        changed = tuple(name for name in _DERIVED if old[name] != fields[name])
        old.update(fields)
        if changed:
            updates.setdefault(changed, []).append(
                {"b_id": event_id, **{name: fields[name] for name in changed}}
            )
        if any(name in _ACTOR_COLUMNS for name in changed):
            # each actor row repeats its event's timeline columns: the actor filter reads
            # them in timeline order (models.EventActor)
            moved_actors.append(event_id)
            actor_rows += [
                {"event_id": event_id, "actor": a, "granularity": when.granularity,
                 "start_at": when.start, "end_at": when.end, "key": old["key"]}
                for a in actors
            ]  # fmt: skip
    for rows in updates.values():
        session.execute(ev.update().where(ev.c.id == bindparam("b_id")), rows)
    if moved_actors:
        session.execute(actor_table.delete().where(actor_table.c.event_id.in_(moved_actors)))
    if actor_rows:
        session.execute(actor_table.insert(), actor_rows)  # Core: no ORM bulk pass
    for event_id in by_event:
        loaded = session.identity_map.get(identity_key(Event, (event_id,)))
        if loaded is not None:
            session.expire(loaded)


_TYPE_PRECEDENCE = (
    "meeting", "military", "diplomatic", "accusation", "threat", "statement", "other",
)  # fmt: skip


def _majority_type(types: Iterable[str]) -> str:
    counts = Counter(types)
    return min(
        counts,
        key=lambda t: (
            -counts[t],
            _TYPE_PRECEDENCE.index(t) if t in _TYPE_PRECEDENCE else len(_TYPE_PRECEDENCE),
        ),
    )


def _title(members: Sequence[Any], value: str, event_type: str) -> str:
    """The title of the mention that best represents the event: of its type and date,
    dated by its own words, reported rather than planned; ties to the canonical first."""

    def rank(pair: tuple[int, Any]) -> tuple[bool, bool, bool, bool, int]:
        index, m = pair
        return (
            m.type != event_type,
            m.date_value != value,
            (m.basis or "expression") != "expression",
            m.modality != "reported",
            index,
        )

    return min(enumerate(members), key=rank)[1].title
