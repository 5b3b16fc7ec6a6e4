"""Finding what mentions can merge with through the ``merge_keys`` index: the day-level
events coarse mentions may join, the loose coarse mentions they may cluster with, and the
coarse mentions a change on some days may concern.

Each lookup reads, for a batch of mentions at once, the index rows of the mentions that
share a key with them in the blocks that matter, then keeps those that share enough
(:func:`..similarity.could_match`). Its cost follows how much those mentions have in
common with the batch, not how many the archive holds for a month or a year.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...store.models import Document, Event, Mention
from ..cluster import best_event
from ..dates import is_fine, local_range
from ..similarity import (
    Signature,
    could_match,
    head_key,
    key_prefixes,
    merge_keys,
    thread_key,
)
from .rows import chunks, load_ids, load_members


def _mark(session: Session) -> str:
    return "?" if session.connection().dialect.paramstyle == "qmark" else "%s"


#: one ``merge_keys`` row: (mention id, key, the mention's whole weight)
Posting = tuple[int, str, float]


def _span_postings(
    session: Session, keys: Iterable[str], span: tuple[str, str]
) -> dict[str, list[Posting]]:
    """The fine mentions' index rows with one of ``keys`` in a span of days, by key."""
    connection = session.connection()
    mark = _mark(session)
    out: dict[str, list[Posting]] = {}
    for part in chunks(sorted(set(keys)), 400):
        sql = (
            "SELECT mention_id, key, total FROM merge_keys "
            f"WHERE key IN ({', '.join([mark] * len(part))}) AND fine = {mark} "
            f"AND block >= {mark} AND block < {mark}"
        )
        for posting in connection.exec_driver_sql(sql, (*part, True, *span)):
            out.setdefault(posting[1], []).append(posting)
    return out


def _matching(sig: Signature, postings: dict[str, list[Posting]]) -> set[int]:
    """The mentions among ``postings`` that may report the same event as ``sig``."""
    head = head_key(sig.family, sig.head) if sig.head is not None else None
    thread = thread_key(sig.thread) if sig.thread is not None else None
    found: dict[int, list[float | bool]] = {}
    for key, weight in merge_keys(sig).items():
        for mention_id, _, total in postings.get(key, ()):
            entry = found.get(mention_id)
            if entry is None:
                entry = found[mention_id] = [0.0, total, False, False]
            entry[0] += weight  # type: ignore[operator]
            if key == head:
                entry[2] = True
            elif key == thread:
                entry[3] = True
    return {
        i
        for i, (shared, total, h, t) in found.items()
        if i != sig.id and could_match(sig, shared, total, h, t)  # type: ignore[arg-type]
    }


#: rows sent per statement by :func:`coarse_candidates` (a key or a block is one row)
PROBE_ROWS = 300


def coarse_candidates(
    session: Session, probes: Sequence[tuple[Signature, Sequence[str]]]
) -> dict[int, set[int]]:
    """For each mention probed (by id), the stored coarse mentions in the given blocks
    (coarse values) that may report the same event (:func:`.similarity.could_match`).

    The database joins the probes' keys with the ``(key, fine, block)`` index and sums
    the weight each stored mention shares with each probe: one row comes back per
    candidate pair, not one per shared key, so a dense value (a year thousands of
    mentions claim) costs index reads in the database, not rows in Python."""
    out: dict[int, set[int]] = {sig.id: set() for sig, _ in probes}
    batch: list[tuple[Signature, Sequence[str]]] = []
    rows = 0
    for sig, blocks in probes:
        size = len(merge_keys(sig)) + len(blocks)
        if batch and rows + size > PROBE_ROWS:
            _coarse_candidates(session, batch, out)
            batch, rows = [], 0
        batch.append((sig, blocks))
        rows += size
    if batch:
        _coarse_candidates(session, batch, out)
    return out


def _coarse_candidates(
    session: Session,
    probes: Sequence[tuple[Signature, Sequence[str]]],
    out: dict[int, set[int]],
) -> None:
    mark = _mark(session)
    keys: list[object] = []
    places: list[object] = []
    by_id = {}
    for sig, blocks in probes:
        by_id[sig.id] = sig
        head = head_key(sig.family, sig.head) if sig.head is not None else None
        thread = thread_key(sig.thread) if sig.thread is not None else None
        for key, weight in merge_keys(sig).items():
            keys += [sig.id, key, weight, int(key == head), int(key == thread)]
        places += [x for block in blocks for x in (sig.id, block)]
    if not keys or not places:
        return
    q_rows = ", ".join([f"({mark}, {mark}, {mark}, {mark}, {mark})"] * (len(keys) // 5))
    b_rows = ", ".join([f"({mark}, {mark})"] * (len(places) // 2))
    sql = (
        f"WITH q(probe, key, weight, head, thread) AS (VALUES {q_rows}), "
        f"b(probe, block) AS (VALUES {b_rows}) "
        "SELECT q.probe, k.mention_id, SUM(q.weight), MAX(k.total), MAX(q.head), MAX(q.thread) "
        # CROSS JOIN fixes SQLite's join order: the probes' blocks, their keys, the index
        "FROM b CROSS JOIN q CROSS JOIN merge_keys k "
        f"WHERE q.probe = b.probe AND k.key = q.key AND k.fine = {mark} AND k.block = b.block "
        "GROUP BY q.probe, k.mention_id"
    )
    for probe, mention_id, shared, total, head, thread in session.connection().exec_driver_sql(
        sql, (*keys, *places, False)
    ):
        sig = by_id[probe]
        if mention_id != probe and could_match(sig, shared, total, bool(head), bool(thread)):
            out[probe].add(mention_id)


def day_mentions(
    session: Session, days: Iterable[date], families: Collection[str] | None = None
) -> list[Signature]:
    """The fine mentions of some days that can merge with anything (those with a key;
    the others stay alone whatever else arrives), of some families only if given.

    One row per mention, from the ``(block, fine, mention_id)`` index; a family is
    chosen by the ranges of its keys (see :func:`.similarity.key_prefixes`)."""
    connection = session.connection()
    mark = _mark(session)
    prefixes = sorted({p for f in families for p in key_prefixes(f)}) if families else []
    ranges = [(p, p[:-1] + chr(ord(p[-1]) + 1)) for p in prefixes]
    ids: set[int] = set()
    for part in chunks(sorted({d.isoformat() for d in days}), 400):
        sql = (
            "SELECT DISTINCT mention_id FROM merge_keys "
            f"WHERE block IN ({', '.join([mark] * len(part))}) AND fine = {mark}"
        )
        params: list[object] = [*part, True]
        if ranges:
            sql += " AND (" + " OR ".join([f"(key >= {mark} AND key < {mark})"] * len(ranges))
            sql += ")"
            params += [bound for pair in ranges for bound in pair]
        ids.update(i for (i,) in connection.exec_driver_sql(sql, tuple(params)))
    return load_ids(session, ids) if ids else []


def best_events(session: Session, sigs: Sequence[Signature]) -> dict[int, int | None]:
    """The day-level event each coarse mention joins, if any: of the events with a member
    dated inside its range that may report the same event, the one that matches it best
    (see :func:`.cluster.best_event`; only members inside the range count)."""
    # the mentions of one value look in one span of days: each key is read once for them
    by_span: dict[tuple[str, str], list[Signature]] = {}
    for sig in sigs:
        first, after = local_range(sig.value)
        by_span.setdefault((first.isoformat(), after.isoformat()), []).append(sig)
    wanted: dict[int, set[int]] = {}
    for span, group in by_span.items():
        postings = _span_postings(session, {k for s in group for k in merge_keys(s)}, span)
        for sig in group:
            wanted[sig.id] = _matching(sig, postings)
    found = {c.id: c for c in load_ids(session, set().union(*wanted.values()))}
    events = {c.event_id for c in found.values() if c.event_id is not None}
    members: dict[int, list[Signature]] = {}
    for m in load_members(session, events):
        if m.fine:
            members.setdefault(m.event_id or 0, []).append(m)
    for listed in members.values():
        listed.sort(key=lambda s: s.order)
    out: dict[int, int | None] = {}
    for sig in sigs:
        lo, hi = (d.isoformat() for d in local_range(sig.value))
        matched = sorted({found[i].event_id for i in wanted[sig.id] if i in found} - {None})
        in_range = [[m for m in members.get(e, []) if lo <= m.value[:10] < hi] for e in matched]  # type: ignore[arg-type]
        out[sig.id] = best_event(sig, [ms for ms in in_range if ms])
    return out


def loose_neighbours(session: Session, sigs: Sequence[Signature]) -> list[Signature]:
    """The stored coarse mentions of the sigs' values that may cluster with one of them."""
    found = coarse_candidates(session, [(s, [s.value]) for s in sigs])
    ids = set().union(*found.values()) if found else set()
    return load_ids(session, ids) if ids else []


def loose_events(session: Session, event_ids: Iterable[int]) -> dict[int, str]:
    """Which of the events are clusters of loose coarse mentions (not day-level events),
    with the value their members share."""
    out: dict[int, str] = {}
    for part in chunks(sorted(set(event_ids)), 500):
        for event_id, value, granularity in session.execute(
            select(Event.id, Event.date_value, Event.granularity).where(Event.id.in_(part))
        ):
            if not is_fine(granularity, value):
                out[event_id] = value
    return out


def key_members(
    session: Session, event_ids: Iterable[int]
) -> dict[int, tuple[str, tuple[str, int]]]:
    """Each event's key member as :func:`.cluster.key_member` orders members: (its
    document's publication, ISO, or ``~`` without one; (content hash, sentence offset))."""
    out: dict[int, tuple[str, tuple[str, int]]] = {}
    for part in chunks(sorted(set(event_ids)), 500):
        rows = session.execute(
            select(Mention.event_id, Document.published_at, Document.content_hash,
                   Mention.sentence_start)
            .join(Document, Mention.document_id == Document.id)
            .where(Mention.event_id.in_(part))
        )  # fmt: skip
        for event_id, published, content_hash, start in rows:
            rank = (published.isoformat() if published else "~", (content_hash, start))
            if event_id not in out or rank < out[event_id]:
                out[event_id] = rank
    return out


def attached_to(session: Session, event_ids: Iterable[int]) -> set[int]:
    """The coarse mentions that belong to some events (joined to a day of theirs)."""
    out: set[int] = set()
    for part in chunks(sorted(set(event_ids)), 500):
        rows = session.execute(
            select(Mention.id, Mention.date_value, Mention.granularity).where(
                Mention.event_id.in_(part)
            )
        )
        out.update(i for i, value, granularity in rows if not is_fine(granularity, value))
    return out


def covering(day: date) -> set[str]:
    """The week-to-quarter values (the coarse claims that may join a day's event) that
    cover the day: its ISO week (and weekend), month, quarter and season."""
    iso = day.isocalendar()
    out = {
        f"{iso.year}-W{iso.week:02d}",
        f"{day.year}-{day.month:02d}",
        f"{day.year}-Q{(day.month - 1) // 3 + 1}",
    }
    if day.weekday() >= 5:
        out.add(f"{iso.year}-W{iso.week:02d}-WE")
    if day.month == 12:
        out.add(f"{day.year}-WI")
    elif day.month <= 2:
        out.add(f"{day.year - 1}-WI")
    else:
        out.add(f"{day.year}-{('SP', 'SU', 'FA')[(day.month - 3) // 3]}")
    return out


def concerned(session: Session, members: Sequence[Signature]) -> set[int]:
    """The coarse mentions that may now join one of these day-level mentions' events (or
    may have joined them before): those covering a member's day that may report the same
    event as the member (same family, so its keys find them)."""
    probes = [(m, sorted(covering(date.fromisoformat(m.value[:10])))) for m in members]
    found = coarse_candidates(session, probes)
    return set().union(*found.values()) if found else set()
