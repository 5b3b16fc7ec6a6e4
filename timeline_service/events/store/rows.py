"""The rows merging reads and writes: mentions as signatures (with their cache), the
``merge_keys`` index, and what a transaction remembers between its steps."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import and_, delete, event, or_, select
from sqlalchemy.orm import Session

from ...extract.actors import ActorTable
from ...sdk.mention import EventMention
from ...store.models import Document, Mention, MergeKey
from ..dates import ZONE_MARGIN
from ..similarity import Signature, block_of, copy_of, encode_terms, merge_keys, signature

#: Merging reads mentions through the Core tables: plain rows, no ORM statement handling.
M = Mention.__table__
D = Document.__table__
K = MergeKey.__table__

COLUMNS = (
    M.c.id, M.c.document_id, M.c.event_id, M.c.sentence_start,
    M.c.date_value, M.c.granularity, M.c.start_at, M.c.end_at, M.c.type,
    M.c.actors, M.c.attribution, M.c.terms, M.c.basis, M.c.when_text,
    D.c.content_hash, D.c.published_at,
)  # fmt: skip
LIGHT = (
    M.c.id, M.c.document_id, M.c.event_id, M.c.date_value, M.c.granularity,
    M.c.start_at, D.c.content_hash,
)  # fmt: skip


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
        "terms": encode_terms(m.terms, m.head, m.thread),
    }


def mention_row(document_id: int, m: EventMention) -> Mention:
    """The ledger row of an extracted mention, as a model instance."""
    return Mention(**mention_values(document_id, m))


def utc_day(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def day_window(day: date) -> tuple[datetime, datetime]:
    """Where the UTC start of anything dated to local ``day`` can fall."""
    return utc_day(day) - ZONE_MARGIN, utc_day(day + timedelta(days=1)) + ZONE_MARGIN


class SignatureCache:
    """Signatures by mention id, for one database: rows never change but for their event
    and, when re-dated, their date, which :meth:`get` checks against the row read
    (re-dating keeps the words and the basis a signature also reads).

    Bounded by an estimate of the bytes its entries hold, not by their number; the least
    recently used go first, so a long-running worker's memory stays flat while the
    signatures of the days it keeps merging stay at hand.
    """

    def __init__(self, max_bytes: int = 24 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self._items: OrderedDict[int, Signature] = OrderedDict()

    def get(self, row: Any) -> Signature | None:
        """The signature of a row of :data:`LIGHT` columns, if cached and still true."""
        sig = self._items.get(row.id)
        if sig is None or not (
            sig.value == row.date_value
            and sig.start_at == row.start_at
            and sig.granularity == row.granularity
            and sig.document_id == row.document_id
            and sig.order[0] == row.content_hash
        ):
            return None
        self._items.move_to_end(row.id)
        return sig

    def put(self, sig: Signature) -> None:
        self.drop(sig.id)
        self._items[sig.id] = sig
        self.bytes += footprint(sig)
        while self.bytes > self.max_bytes and self._items:
            _, dropped = self._items.popitem(last=False)
            self.bytes -= footprint(dropped)

    def drop(self, mention_id: int) -> None:
        found = self._items.pop(mention_id, None)
        if found is not None:
            self.bytes -= footprint(found)

    def clear(self) -> None:
        self._items.clear()
        self.bytes = 0

    def __len__(self) -> int:
        return len(self._items)


def footprint(sig: Signature) -> int:
    """About the bytes a cached signature holds beyond what it shares with others (its
    object, its sets, its dates; interned words are shared). Fitted with tracemalloc on
    the dense real-news archive of ``bench/event_eval.py``."""
    return FOOTPRINT_BASE + FOOTPRINT_PER_TERM * len(sig.terms)


#: measured: about 1,050 bytes for a signature of 2 terms, 1,390 for one of 10
FOOTPRINT_BASE = 960
FOOTPRINT_PER_TERM = 48


_caches: WeakKeyDictionary[Any, SignatureCache] = WeakKeyDictionary()


def signature_cache(session: Session) -> SignatureCache:
    """The signature cache of the session's database (one per engine, gone with it)."""
    bind = session.get_bind()
    cache = _caches.get(bind)
    if cache is None:
        cache = _caches[bind] = SignatureCache()
    return cache


def signatures(session: Session, light: Sequence[Any]) -> list[Signature]:
    """Signatures for rows of ``_LIGHT`` columns, reading the heavy columns only of rows
    not seen before."""
    cache = signature_cache(session)
    out: list[Signature] = []
    missing: dict[int, Any] = {}
    for row in light:
        hit = cache.get(row)
        if hit is not None:
            sig = copy_of(hit)
            sig.event_id = row.event_id
            out.append(sig)
        else:
            missing[row.id] = row
    if missing:
        table = _table(session)
        rows = session.execute(
            select(*COLUMNS).join(D, M.c.document_id == D.c.id).where(M.c.id.in_(sorted(missing)))
        ).all()
        for row in rows:
            sig = signature(row, table)
            cache.put(copy_of(sig))
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


def remember(session: Session, stored: Iterable[StoredMention], table: ActorTable) -> None:
    """Cache the signatures of mentions just inserted, from the values in hand: merging
    them then reads only their ids and dates back, not their terms and actors."""
    cache = signature_cache(session)
    session.info[TABLE] = table
    pending = session.info.setdefault(REMEMBERED, [])
    for m in stored:
        row = SimpleNamespace(**m.values)  # the row shape of ``_COLUMNS``
        row.id, row.event_id, row.content_hash = m.id, None, m.content_hash
        row.start_at = row.start_at.astimezone(UTC)  # as the store gives them back
        row.end_at = row.end_at.astimezone(UTC)
        row.published_at = m.published_at.astimezone(UTC) if m.published_at else None
        cache.put(signature(row, table))
        pending.append(m.id)


#: what a transaction keeps in ``session.info`` between its steps
FRESH = "timeline_merge_fresh"  # events attach produced (rederive needs no regrouping)
REMEMBERED = "timeline_merge_remembered"
#: The actor table of the write in progress (given to attach, rederive and remember).
TABLE = "timeline_merge_actor_table"


def bind_table(session: Session, table: ActorTable) -> None:
    """Give the session's merging its actor table (the entry points below do so)."""
    session.info[TABLE] = table


def _table(session: Session) -> ActorTable:
    return session.info[TABLE]


#: The derived columns of the events this transaction wrote, as written (see _rederive).
WRITTEN = "timeline_merge_written"


@event.listens_for(Session, "after_commit")
def _kept(session: Session) -> None:
    session.info.pop(FRESH, None)
    session.info.pop(TABLE, None)
    session.info.pop(REMEMBERED, None)
    session.info.pop(WRITTEN, None)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    """A rolled-back insert's ids may be given to other rows: drop what was remembered."""
    session.info.pop(WRITTEN, None)
    session.info.pop(FRESH, None)
    remembered = session.info.pop(REMEMBERED, ())
    if remembered:
        cache = signature_cache(session)
        for mention_id in remembered:
            cache.drop(mention_id)


#: terms of one OR: SQLite parses ``a OR b OR ...`` into a tree it refuses past depth 1000
OR_CHUNK = 200


def chunks(items: Sequence[Any], size: int = OR_CHUNK) -> Iterator[Sequence[Any]]:
    """``items`` in slices of at most ``size``, for statements with one term per item."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def load_windows(session: Session, windows: Iterable[Any], *criteria: Any) -> list[Signature]:
    """Mentions whose start falls in any of the windows ``(lo, hi, ...)`` (through the
    start_at index; nearby windows are read as one range, callers filter)."""
    spans = sorted((lo, hi) for lo, hi, *_ in windows)
    merged: list[list[datetime]] = []
    for lo, hi in spans:  # few, simple ranges: the statement stays cheap to build
        if merged and lo <= merged[-1][1] + timedelta(days=2):
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    ranges = [and_(M.c.start_at >= lo, M.c.start_at < hi) for lo, hi in merged]
    light = [
        row
        for part in chunks(ranges)
        for row in session.execute(
            select(*LIGHT).join(D, M.c.document_id == D.c.id).where(or_(*part), *criteria)
        )
    ]
    return signatures(session, light)


def load_ids(session: Session, mention_ids: Iterable[int]) -> list[Signature]:
    """The signatures of some mentions, by id."""
    return _load_where(session, M.c.id, mention_ids)


def load_members(session: Session, event_ids: Iterable[int]) -> list[Signature]:
    """The mentions of some events (through the event_id index)."""
    return _load_where(session, M.c.event_id, event_ids)


def _load_where(session: Session, column: Any, values: Iterable[int]) -> list[Signature]:
    ordered = sorted(set(values))
    light = [
        row
        for part in chunks(ordered, 500)
        for row in session.execute(
            select(*LIGHT).join(D, M.c.document_id == D.c.id).where(column.in_(part))
        )
    ]
    return signatures(session, light)


def index(session: Session, sigs: Sequence[Signature], *, again: bool = False) -> None:
    """Write the ``merge_keys`` rows of mentions (``again``: replacing their old ones, after
    their date moved)."""
    if again and sigs:
        for part in chunks([s.id for s in sigs], 500):
            session.execute(delete(MergeKey).where(MergeKey.mention_id.in_(part)))
    rows = [
        {"mention_id": s.id, "key": key, "block": block_of(s), "fine": s.fine,
         "weight": weight, "total": s.weight}
        for s in sigs
        for key, weight in merge_keys(s).items()
    ]  # fmt: skip
    if rows:
        session.execute(K.insert(), rows)
