"""Applying clustering to the database: the one place events and mentions are linked.

Order independence: mentions are clustered per *block*, and a block's clustering is a
function of the set of mentions in it (see :mod:`.cluster`):

- a **day block** holds the mentions dated to one local calendar day or finer (the date
  value's first ten characters: ``2022-02-24``, ``2022-02-24T05:00``, ``2022-02-24TMO``);
  different days merge only as a *near miss*: clusters of adjacent days that report one
  happening whose day is disputed (see :func:`.cluster.near_miss`);
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

from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import and_, bindparam, delete, event, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from ..extract import eventtypes
from ..extract.actors import ActorTable
from ..sdk.mention import EventMention
from ..store.db import check_deadline
from ..store.models import Document, Event, EventActor, Mention
from .cluster import REACH, DayPool, cluster, event_key, join_days, key_member
from .dates import ATTACH_SPAN, ATTACHING, ZONE_MARGIN, is_fine, local_range
from .derive import event_fields
from .similarity import Signature, encode_terms, signature

_FRESH = "timeline_merge_fresh"


#: Merging reads mentions through the Core tables: plain rows, no ORM statement handling.
_M = Mention.__table__


_D = Document.__table__


_COLUMNS = (
    _M.c.id, _M.c.document_id, _M.c.event_id, _M.c.sentence_start,
    _M.c.date_value, _M.c.granularity, _M.c.start_at, _M.c.end_at, _M.c.type,
    _M.c.actors, _M.c.attribution, _M.c.terms, _M.c.sentence, _M.c.basis, _M.c.when_text,
    _D.c.content_hash, _D.c.published_at,
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


def _utc_day(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def _day_window(day: date) -> tuple[datetime, datetime]:
    """Where the UTC start of anything dated to local ``day`` can fall."""
    return _utc_day(day) - ZONE_MARGIN, _utc_day(day + timedelta(days=1)) + ZONE_MARGIN


_LIGHT = (
    _M.c.id, _M.c.document_id, _M.c.event_id, _M.c.date_value, _M.c.granularity,
    _M.c.start_at, _D.c.content_hash,
)  # fmt: skip


class SignatureCache:
    """Signatures by mention id, for one database: rows never change but for their event
    and, when re-dated, their date, which the check covers (re-dating keeps the words and
    the basis a signature also reads).

    Bounded by an estimate of the bytes its entries hold, not by their number; the least
    recently used go first, so a long-running worker's memory stays flat while the
    signatures of the days it keeps merging stay at hand.
    """

    def __init__(self, max_bytes: int = 32 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self._items: OrderedDict[int, tuple[tuple[Any, ...], Signature, int]] = OrderedDict()

    def get(self, mention_id: int, check: tuple[Any, ...]) -> Signature | None:
        found = self._items.get(mention_id)
        if found is None or found[0] != check:
            return None
        self._items.move_to_end(mention_id)
        return found[1]

    def put(self, mention_id: int, check: tuple[Any, ...], sig: Signature) -> None:
        self.drop(mention_id)
        size = _footprint(sig)
        self._items[mention_id] = (check, sig, size)
        self.bytes += size
        while self.bytes > self.max_bytes and self._items:
            _, (_, _, dropped) = self._items.popitem(last=False)
            self.bytes -= dropped

    def drop(self, mention_id: int) -> None:
        found = self._items.pop(mention_id, None)
        if found is not None:
            self.bytes -= found[2]

    def __len__(self) -> int:
        return len(self._items)


def _footprint(sig: Signature) -> int:
    """About what a cached signature holds, in bytes (its object, dict and sets; strings
    are counted by length, as most are shared with other signatures)."""
    words = len(sig.terms) + len(sig.actors) + len(sig.principals)
    return 700 + 64 * words + sum(len(t) for t in sig.terms)


_caches: WeakKeyDictionary[Any, SignatureCache] = WeakKeyDictionary()


def signature_cache(session: Session) -> SignatureCache:
    """The signature cache of the session's database (one per engine, gone with it)."""
    bind = session.get_bind()
    cache = _caches.get(bind)
    if cache is None:
        cache = _caches[bind] = SignatureCache()
    return cache


def _signatures(session: Session, light: Sequence[Any]) -> list[Signature]:
    """Signatures for rows of ``_LIGHT`` columns, reading the heavy columns only of rows
    not seen before."""
    cache = signature_cache(session)
    out: list[Signature] = []
    missing: dict[int, Any] = {}
    for row in light:
        check = (row.document_id, row.date_value, row.granularity, row.start_at, row.content_hash)
        hit = cache.get(row.id, check)
        if hit is not None:
            sig = object.__new__(Signature)
            sig.__dict__.update(hit.__dict__)
            sig.event_id = row.event_id
            out.append(sig)
        else:
            missing[row.id] = check
    if missing:
        table = _table(session)
        rows = session.execute(
            select(*_COLUMNS)
            .join(_D, _M.c.document_id == _D.c.id)
            .where(_M.c.id.in_(sorted(missing)))
        ).all()
        for row in rows:
            sig = signature(row, table)
            kept = object.__new__(Signature)
            kept.__dict__.update(sig.__dict__)
            cache.put(row.id, missing[row.id], kept)
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
    them then reads only their ids and dates back, not their sentences and terms."""
    cache = signature_cache(session)
    session.info[_TABLE] = table
    pending = session.info.setdefault(_REMEMBERED, [])
    for m in stored:
        row = SimpleNamespace(**m.values)  # the row shape of ``_COLUMNS``
        row.id, row.event_id, row.content_hash = m.id, None, m.content_hash
        row.start_at = row.start_at.astimezone(UTC)  # as the store gives them back
        row.end_at = row.end_at.astimezone(UTC)
        row.published_at = m.published_at.astimezone(UTC) if m.published_at else None
        check = (row.document_id, row.date_value, row.granularity, row.start_at, m.content_hash)
        cache.put(m.id, check, signature(row, table))
        pending.append(m.id)


_REMEMBERED = "timeline_merge_remembered"
#: The actor table of the write in progress (given to attach, rederive and remember).
_TABLE = "timeline_merge_actor_table"


def bind_table(session: Session, table: ActorTable) -> None:
    """Give the session's merging its actor table (the entry points below do so)."""
    session.info[_TABLE] = table


def _table(session: Session) -> ActorTable:
    return session.info[_TABLE]


#: The derived columns of the events this transaction wrote, as written (see _rederive).
_WRITTEN = "timeline_merge_written"


@event.listens_for(Session, "after_commit")
def _kept(session: Session) -> None:
    session.info.pop(_TABLE, None)
    session.info.pop(_REMEMBERED, None)
    session.info.pop(_WRITTEN, None)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    """A rolled-back insert's ids may be given to other rows: drop what was remembered."""
    session.info.pop(_WRITTEN, None)
    remembered = session.info.pop(_REMEMBERED, ())
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


def rebuild(
    session: Session, days: Iterable[date], values: Iterable[str], table: ActorTable | None = None
) -> set[int]:
    """Re-cluster the given day blocks and coarse values; return the ids of the events
    whose members changed (created, grown, shrunk or emptied).

    Coarse claims covering a re-clustered day are re-decided incrementally: their best
    event was elsewhere and is unchanged, so only it and the day's new events compete —
    unless it was one of the day's old events, and then the claim's month is read whole.
    """
    if table is not None:
        session.info[_TABLE] = table
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


def _day_phase(session: Session, touched: set[date]) -> list[list[Signature]]:
    """The day-level events of the touched days and of the days their joins reach (see
    :func:`.cluster.join_days`), from the mentions of those days and their neighbours."""
    one = timedelta(days=1)
    loaded = {t + k * one for t in touched for k in range(-REACH - 1, REACH + 2)}
    by_key = {d.isoformat(): d for d in loaded}
    by_day: dict[date, list[Signature]] = {d: [] for d in loaded}
    for sig in _load(session, (_day_window(d) for d in loaded)):
        day = by_key.get(sig.value[:10]) if sig.fine else None
        if day is not None:
            by_day[day].append(sig)
    return join_days(by_day, touched, tick=lambda: check_deadline(session))


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
        "incremental": DayPool([s for m in day_events.values() for s in m] + current_sigs),
        "attaching": DayPool(month_sigs),
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
            pool = DayPool([])
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


def attach(
    session: Session, mentions: Iterable[Mention | dict[str, Any]], table: ActorTable
) -> set[int]:
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
    session.info[_TABLE] = table
    session.flush()
    days, values = _blocks(claims)
    touched = rebuild(session, days, values)
    session.info.setdefault(_FRESH, set()).update(touched)
    return touched


def rederive(session: Session, event_ids: Iterable[int], table: ActorTable) -> None:
    """Recompute events from their mentions; delete those left with none.

    Events not just produced by :func:`attach` (e.g. after a document was deleted) have
    their blocks re-clustered first, so removing a mention can also split an event.
    """
    session.info[_TABLE] = table
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
    """Write the derived columns of events from their members; delete memberless ones."""
    by_event = _members_of(session, ids)
    empty = [i for i in ids if i not in by_event]
    if empty:
        _delete_events(session, empty)
    written = _written_fields(session, list(by_event))
    # write only what changed, grouped by the columns that did: an unchanged column keeps
    # its index entries (and an unchanged title its full-text entry) untouched
    updates: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    actor_rows: list[dict[str, Any]] = []
    moved_actors: list[int] = []
    for event_id, members in sorted(by_event.items()):
        fields = event_fields(members)
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
                {"event_id": event_id, "actor": a, "granularity": fields["granularity"],
                 "start_at": fields["start_at"], "end_at": fields["end_at"], "key": old["key"]}
                for a in fields["actors"]
            ]  # fmt: skip
    _write_events(session, updates, moved_actors, actor_rows)
    for event_id in by_event:
        loaded = session.identity_map.get(identity_key(Event, (event_id,)))
        if loaded is not None:
            session.expire(loaded)


def _members_of(session: Session, ids: list[int]) -> dict[int, list[Any]]:
    """The member rows of the events, with what deriving an event reads of them."""
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
    return by_event


def _delete_events(session: Session, empty: list[int]) -> None:
    actors = EventActor.__table__
    session.execute(actors.delete().where(actors.c.event_id.in_(empty)))
    session.execute(
        delete(Event).where(Event.id.in_(empty)),
        execution_options={"synchronize_session": "fetch"},
    )
    written: dict[int, dict[str, Any]] = session.info.setdefault(_WRITTEN, {})
    for event_id in empty:  # gone: its id may be given to a new event
        written.pop(event_id, None)


def _written_fields(session: Session, ids: list[int]) -> dict[int, dict[str, Any]]:
    """What the event rows hold: as this transaction wrote them (most are new), else as
    stored."""
    written: dict[int, dict[str, Any]] = session.info.setdefault(_WRITTEN, {})
    unknown = [i for i in ids if i not in written]
    if unknown:
        ev = Event.__table__
        columns = (ev.c.id, ev.c.key, *(ev.c[name] for name in _DERIVED))
        for r in session.execute(select(*columns).where(ev.c.id.in_(unknown))):
            written[r.id] = r._asdict()
    return written


def _write_events(
    session: Session,
    updates: dict[tuple[str, ...], list[dict[str, Any]]],
    moved_actors: list[int],
    actor_rows: list[dict[str, Any]],
) -> None:
    ev, actors = Event.__table__, EventActor.__table__
    for rows in updates.values():
        session.execute(ev.update().where(ev.c.id == bindparam("b_id")), rows)
    if moved_actors:
        session.execute(actors.delete().where(actors.c.event_id.in_(moved_actors)))
    if actor_rows:
        session.execute(actors.insert(), actor_rows)  # Core: no ORM bulk pass
