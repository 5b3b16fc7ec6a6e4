"""Merging mentions into events, and an event's date from its claims.

Order independence: mentions are clustered per *block*, and a block's clustering is a
function of the set of mentions in it, processed in a canonical order (document content
hash, sentence offset):

- a **day block** holds the mentions dated to one local calendar day or finer (the date
  value's first ten characters: ``2022-02-24``, ``2022-02-24T05:00``, ``2022-02-24TMO``);
  different days never merge;
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
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from . import eventtypes
from .actors import ActorTable, default_table
from .mentions import FINE_GRANULARITIES, EventMention
from .models import Document, Event, EventActor, Mention

#: A local day, in any zone, starts within this margin of its UTC midnight.
ZONE_MARGIN = timedelta(hours=14)
#: Content similarity needed to merge two speech acts that share no head or thread.
THRESHOLD = 0.5
_GENERIC = frozenset({"c:negative", "c:troops", "c:war", "c:border", "c:launch"})
_FRESH = "timeline_merge_fresh"


# ------------------------------------------------------------------ dates


def local_range(
    value: str, start: datetime | None = None, end: datetime | None = None
) -> tuple[date, date]:
    """The local calendar days ``[first, after)`` a TIMEX3 value covers."""
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
    if start is not None and end is not None:
        return start.date(), max(end.date(), start.date() + timedelta(days=1))
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
    try:
        ra, rb = local_range(a), local_range(b)
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
    best: tuple[tuple[int, int, int], Claim] | None = None
    for index, cand in enumerate(ordered):
        support = len({c.source_id for c in claims if _agrees(cand, c)})
        rank = (-support, _PRECISION.get(cand.granularity, 11), index)
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


@dataclass
class Signature:
    """What merging compares of one mention, read from its row once."""

    id: int
    order: tuple[str, int]
    value: str
    granularity: str
    type: str
    actors: frozenset[str]
    principals: frozenset[str]
    speaker: str | None
    terms: frozenset[str]
    head: str | None
    thread: tuple[int, str] | None  # (document, run start): one speaker going on
    row: Mention = field(repr=False)

    @property
    def fine(self) -> bool:
        return is_fine(self.granularity, self.value)

    @property
    def span(self) -> tuple[datetime, datetime]:
        return self.row.start_at, self.row.end_at


def signature(row: Mention, content_hash: str, table: ActorTable | None = None) -> Signature:
    """A mention's comparable parts: actors widened to the countries they stand for."""
    table = table or default_table()
    names = list(row.actors or [])
    expanded = table.expand(names)
    for name in names:  # an office holder stands for the country too
        actor = table.actors.get(name)
        if actor is not None:
            expanded |= {r.country for r in actor.roles}
    principals = frozenset(n for n in names if table.kind(n) in ("person", "organization", "group"))
    terms = frozenset(row.terms or _terms_from_text(row))
    head = next((t[2:] for t in terms if t.startswith("h:")), None)
    thread = next((t for t in terms if t.startswith("p:")), None)
    speaker = row.attribution if row.attribution in table.actors else None
    return Signature(
        id=row.id,
        order=(content_hash, row.sentence_start),
        value=row.date_value,
        granularity=row.granularity,
        type=row.type,
        actors=frozenset(expanded),
        principals=principals,
        speaker=speaker,
        terms=frozenset(t for t in terms if t[:2] not in ("h:", "p:")),
        head=head,
        thread=(row.document_id, thread) if thread else None,
        row=row,
    )


def _terms_from_text(row: Mention) -> tuple[str, ...]:
    """A signature for rows stored without one (the whole sentence read as content)."""
    from .mentions import content_terms

    terms = content_terms(row.sentence)
    head = eventtypes.head(row.sentence, row.type)
    return (*terms, "h:" + head) if head else terms


def _weight(terms: Iterable[str]) -> float:
    return sum(0.5 if t in _GENERIC else 1.0 for t in terms)


def similarity(a: Signature, b: Signature) -> float:
    """Weighted overlap of the content terms (shared / smaller side)."""
    smaller = min(_weight(a.terms), _weight(b.terms))
    if smaller == 0:
        return 0.0
    return _weight(a.terms & b.terms) / smaller


def same_event(a: Signature, b: Signature) -> float | None:
    """How strongly two mentions report one event, or None when they cannot.

    Dates must be compatible and types of one family. Material events (meetings, military
    and diplomatic acts) need the same head concept and a shared actor; speech acts need
    the same speaker, and the same head (a denial of taking part), the same run of one
    speaker's sentences in a document, or similar words.
    """
    if not eventtypes.compatible(a.type, b.type):
        return None
    if not values_compatible(a.value, b.value, a.span, b.span):
        return None
    if a.actors and b.actors and not (a.actors & b.actors):
        return None
    sim = similarity(a, b)
    if eventtypes.family(a.type) != "speech":
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


def _fits(sig: Signature, members: Sequence[Signature]) -> bool:
    """Every member's date and type are compatible with the mention's (complete link)."""
    return all(
        values_compatible(sig.value, m.value, sig.span, m.span)
        and eventtypes.compatible(sig.type, m.type)
        for m in members
    )


def cluster(sigs: Sequence[Signature]) -> list[list[Signature]]:
    """Greedy clustering in canonical order.

    A mention joins the clusters it matches (some member reports the same event, every
    member's date and type are compatible); clusters it bridges are joined when they are
    compatible with each other, best match first. Otherwise it starts a cluster.
    """
    clusters: list[list[Signature]] = []
    for sig in sorted(sigs, key=lambda s: s.order):
        matches: list[tuple[float, int]] = []
        for index, members in enumerate(clusters):
            if not _fits(sig, members):
                continue
            scores = [s for m in members if (s := same_event(sig, m)) is not None]
            if scores:
                matches.append((-max(scores), index))
        if not matches:
            clusters.append([sig])
            continue
        matches.sort()
        target = clusters[matches[0][1]]
        target.append(sig)
        for _, index in matches[1:]:
            other = clusters[index]
            if all(_fits(m, target) for m in other):
                target.extend(other)
                other.clear()
        clusters = [c for c in clusters if c]
    return clusters


def event_key(first: Signature) -> str:
    """The public id: from the canonical first mention, so it survives re-ingestion."""
    content_hash, offset = first.order
    return "ev_" + hashlib.sha1(f"{content_hash}:{offset}".encode()).hexdigest()[:20]


# ------------------------------------------------------------------ storage


def mention_row(document_id: int, m: EventMention) -> Mention:
    """The ledger row of an extracted mention (every column merging and re-dating need)."""
    c = m.claim
    return Mention(
        document_id=document_id,
        sentence=m.sentence,
        sentence_start=m.sentence_start,
        sentence_end=m.sentence_end,
        when_text=c.when_text,
        when_start=c.when_start,
        when_end=c.when_end,
        date_value=c.value,
        granularity=c.granularity,
        start_at=c.start,
        end_at=c.end,
        anchor_at=c.anchor_at,
        anchor_timezone=c.anchor_timezone,
        resolver_version=c.resolver_version,
        basis=c.basis,
        title=m.title,
        type=m.type,
        actors=list(m.actors),
        attribution=m.attribution,
        modality=m.modality,
        terms=list(m.terms),
    )


def _utc_day(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def _load(session: Session, *criteria: object) -> list[Signature]:
    rows = session.execute(
        select(Mention, Document.content_hash)
        .join(Document, Mention.document_id == Document.id)
        .where(*criteria)  # type: ignore[arg-type]
    ).all()
    table = default_table()
    return [signature(m, h, table) for m, h in rows]


def _day_block(session: Session, day: date) -> list[Signature]:
    lo, hi = _utc_day(day) - ZONE_MARGIN, _utc_day(day + timedelta(days=1)) + ZONE_MARGIN
    key = day.isoformat()
    sigs = _load(session, Mention.start_at >= lo, Mention.start_at < hi)
    return [s for s in sigs if s.fine and s.value[:10] == key]


def _coarse_block(session: Session, value: str) -> list[Signature]:
    first = local_range(value)[0]
    lo, hi = _utc_day(first) - ZONE_MARGIN, _utc_day(first) + ZONE_MARGIN
    sigs = _load(session, Mention.start_at >= lo, Mention.start_at < hi)
    return [s for s in sigs if s.value == value and not s.fine]


def _coarse_values_covering(session: Session, day: date) -> set[str]:
    lo, hi = _utc_day(day) + ZONE_MARGIN, _utc_day(day + timedelta(days=1)) - ZONE_MARGIN
    rows = session.execute(
        select(Mention.date_value, Mention.granularity).where(
            Mention.start_at <= lo, Mention.end_at >= hi
        )
    ).all()
    out = set()
    for value, granularity in rows:
        if is_fine(granularity, value):
            continue
        try:
            first, after = local_range(value)
        except ValueError:
            continue
        if first <= day < after:
            out.add(value)
    return out


def _event_for(session: Session, key: str, first: Signature) -> Event:
    event = session.scalar(select(Event).where(Event.key == key))
    if event is None:
        row = first.row
        event = Event(
            key=key,
            date_value=row.date_value,
            granularity=row.granularity,
            start_at=row.start_at,
            end_at=row.end_at,
            title=row.title,
            type=row.type,
            actors=list(row.actors or []),
        )
        session.add(event)
        session.flush()
    return event


def _assign(session: Session, clusters: list[list[Signature]], touched: set[int]) -> None:
    for members in clusters:
        first = min(members, key=lambda s: s.order)
        event = _event_for(session, event_key(first), first)
        touched.add(event.id)
        for sig in members:
            if sig.row.event_id != event.id:
                if sig.row.event_id is not None:
                    touched.add(sig.row.event_id)
                sig.row.event_id = event.id


def _day_events(session: Session, value: str) -> list[list[Signature]]:
    """The day-level events inside a coarse value's range, as clusters of their members."""
    first, after = local_range(value)
    lo, hi = _utc_day(first) - ZONE_MARGIN, _utc_day(after) + ZONE_MARGIN
    sigs = _load(
        session, Mention.start_at >= lo, Mention.start_at < hi, Mention.event_id.is_not(None)
    )
    by_event: dict[int, list[Signature]] = {}
    for sig in sigs:
        if sig.fine and first.isoformat() <= sig.value[:10] < after.isoformat():
            by_event.setdefault(sig.row.event_id or 0, []).append(sig)
    return [sorted(v, key=lambda s: s.order) for _, v in sorted(by_event.items())]


def _best_event(sig: Signature, events: list[list[Signature]]) -> int | None:
    best: tuple[float, tuple[str, int], int] | None = None
    for members in events:
        if not all(eventtypes.compatible(sig.type, m.type) for m in members):
            continue
        scores = [s for m in members if (s := same_event(sig, m)) is not None]
        if not scores:
            continue
        # ties go to the event whose canonical first mention comes first: order-free
        rank = (-max(scores), members[0].order, members[0].row.event_id or 0)
        if best is None or rank < best:
            best = rank
    return best[2] if best else None


def rebuild(session: Session, days: Iterable[date], values: Iterable[str]) -> set[int]:
    """Re-cluster the given day blocks and coarse values; return every event id touched."""
    touched: set[int] = set()
    values = set(values)
    for day in sorted(set(days)):
        block = _day_block(session, day)
        touched |= {s.row.event_id for s in block if s.row.event_id is not None}
        _assign(session, cluster(block), touched)
        values |= _coarse_values_covering(session, day)
    session.flush()
    for value in sorted(values):
        coarse = sorted(_coarse_block(session, value), key=lambda s: s.order)
        if not coarse:
            continue
        touched |= {s.row.event_id for s in coarse if s.row.event_id is not None}
        day_events = _day_events(session, value)
        loose: list[Signature] = []
        for sig in coarse:
            target = _best_event(sig, day_events)
            if target is None:
                loose.append(sig)
                continue
            if sig.row.event_id is not None and sig.row.event_id != target:
                touched.add(sig.row.event_id)
            sig.row.event_id = target
            touched.add(target)
        _assign(session, cluster(loose), touched)
    session.flush()
    return touched


def _blocks(mentions: Iterable[Mention]) -> tuple[set[date], set[str]]:
    days: set[date] = set()
    values: set[str] = set()
    for m in mentions:
        if is_fine(m.granularity, m.date_value):
            days.add(local_range(m.date_value, m.start_at, m.end_at)[0])
        else:
            values.add(m.date_value)
    return days, values


def attach(session: Session, mentions: Iterable[Mention]) -> set[int]:
    """Give new (or re-dated) mentions their events; return the event ids touched.

    Call :func:`rederive` with the result to bring those events' fields up to date.
    """
    mentions = list(mentions)
    session.flush()
    days, values = _blocks(mentions)
    touched = rebuild(session, days, values)
    session.info.setdefault(_FRESH, set()).update(touched)
    return touched


def rederive(session: Session, event_ids: Iterable[int]) -> None:
    """Recompute events from their mentions; delete those left with none.

    Events not just produced by :func:`attach` (e.g. after a document was deleted) have
    their blocks re-clustered first, so removing a mention can also split an event.
    """
    ids = set(event_ids)
    fresh = session.info.pop(_FRESH, set())
    stale = ids - fresh
    if stale:
        days: set[date] = set()
        values: set[str] = set()
        for event in session.scalars(select(Event).where(Event.id.in_(stale))):
            if is_fine(event.granularity, event.date_value):
                days.add(local_range(event.date_value, event.start_at, event.end_at)[0])
            else:
                values.add(event.date_value)
        ids |= rebuild(session, days, values)
    for event_id in sorted(ids):
        _rederive_one(session, event_id)
    session.flush()


def _rederive_one(session: Session, event_id: int) -> None:
    event = session.get(Event, event_id)
    if event is None:
        return
    rows = session.execute(
        select(Mention, Document.source_id, Document.published_at, Document.content_hash)
        .join(Document, Mention.document_id == Document.id)
        .where(Mention.event_id == event_id)
        .order_by(Document.content_hash, Mention.sentence_start)
    ).all()
    session.execute(delete(EventActor).where(EventActor.event_id == event_id))
    if not rows:
        session.delete(event)
        return
    claims = [
        Claim(m.id, src, m.date_value, m.granularity, m.start_at, m.end_at, (h, m.sentence_start))
        for m, src, _, h in rows
    ]
    when = event_date(claims)
    event.date_value = when.value
    event.granularity = when.granularity
    event.start_at = when.start
    event.end_at = when.end
    event.agreement = when.agreement
    event.dissent = list(when.dissent)
    mentions = [r[0] for r in rows]
    event.type = _majority_type(m.type for m in mentions)
    event.title = _title(mentions, when.value, event.type)
    counts = Counter(a for m in mentions for a in dict.fromkeys(m.actors or []))
    actors = [a for a, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    event.actors = actors
    event.mention_count = len(mentions)
    event.source_count = len({r[1] for r in rows})
    published = [r[2] for r in rows if r[2] is not None]
    event.first_reported_at = min(published) if published else None
    session.add_all(EventActor(event_id=event_id, actor=a) for a in actors)


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


def _title(mentions: Sequence[Mention], value: str, event_type: str) -> str:
    """The title of the mention that best represents the event: of its type and date,
    dated by its own words, reported rather than planned; ties to the canonical first."""

    def rank(pair: tuple[int, Mention]) -> tuple[bool, bool, bool, bool, int]:
        index, m = pair
        return (
            m.type != event_type,
            m.date_value != value,
            (m.basis or "expression") != "expression",
            m.modality != "reported",
            index,
        )

    return min(enumerate(mentions), key=rank)[1].title
