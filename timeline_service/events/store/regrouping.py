"""Regrouping: deciding again, after a write, what the write may have changed.

A write names its work (:class:`Work`): the days whose day-level clustering to redo, the
coarse mentions to decide again, the loose clusters to redo. Everything else it cannot
have changed is left as it is, so the result is the one a full re-clustering of the
stored set gives (every ingest order gives one timeline, a deletion restores the store
exactly), at a cost that follows the write, not the archive:

- a day is clustered whole, with the joins of adjacent days it takes part in
  (:func:`.cluster.join_days`);
- a coarse mention of a week, month, season or quarter joins the best matching day-level
  event inside its range (found through ``merge_keys``: :func:`.lookup.best_events`);
  it is decided again when it is new or re-dated, when its event changed, or when an
  event that changed on a day of its range shares a key with it;
- the other coarse mentions of a value form clusters that are the connected components
  of the same-event relation (all of one value, so their dates agree); a new one joins
  the components of the stored ones it matches (found through ``merge_keys``), and a
  component that lost a member is clustered again from its own members.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from ...store.db import check_deadline
from ...store.models import Event, Mention
from ..cluster import DISPUTABLE, REACH, cluster, event_key, join_days, key_member
from ..dates import ATTACHING, is_fine, local_range
from ..similarity import Signature, same_event
from . import lookup
from .rows import WRITTEN, load_ids, load_members


@dataclass
class Work:
    """What a write asks merging to decide again."""

    days: set[date] = field(default_factory=set)  # day blocks to cluster again
    mentions: set[int] = field(default_factory=set)  # fine mentions new to their day
    coarse: set[int] = field(default_factory=set)  # coarse mentions to decide again
    loose: set[int] = field(default_factory=set)  # loose clusters (events) to redo


class Assigner:
    """Collects event assignments and writes them in a few statements."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.touched: set[int] = set()
        self.moves: dict[int, list[int]] = {}  # event id -> mention ids
        self.moved: set[int] = set()  # mentions given another event (or a first one)

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
            written = self.session.info.setdefault(WRITTEN, {})
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
            self.moved.add(sig.id)
            sig.event_id = event_id

    def absorb(self, events: set[int], into: int) -> None:
        """Move every member of ``events`` to the event ``into``, in one statement (the
        members are not read; loaded rows are expired)."""
        if not events:
            return
        table = Mention.__table__
        self.session.execute(
            table.update().where(table.c.event_id.in_(sorted(events))).values(event_id=into)
        )
        self.touched |= events | {into}
        for obj in list(self.session.identity_map.values()):
            if isinstance(obj, Mention) and obj.event_id in events:
                set_committed_value(obj, "event_id", into)

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


def regroup(session: Session, work: Work) -> set[int]:
    """Do the work; return the ids of the events whose members changed (created, grown,
    shrunk or emptied)."""
    out = Assigner(session)
    with session.no_autoflush:
        coarse = set(work.coarse)
        if work.days:
            coarse |= _day_phase(session, work.days, work.mentions, out)
        if coarse or work.loose:
            _coarse_phase(session, out, coarse, set(work.loose))
    return out.touched


def _day_phase(session: Session, touched: set[date], new: set[int], out: Assigner) -> set[int]:
    """Cluster the days again (see :func:`.cluster.join_days`); return the coarse
    mentions the change concerns (see :func:`_concerned`).

    A day is read as its mentions that can merge with anything, and the ``new`` ones:
    a mention without a merge key stays alone whatever else arrives, so its event never
    changes. Around the touched days, only what may join across days is read (a family
    where the day can be in dispute): the rest of a neighbour day is not clustered again.
    """
    one = timedelta(days=1)
    loaded = {t + k * one for t in touched for k in range(-REACH - 1, REACH + 2)}
    by_key = {d.isoformat(): d for d in loaded}
    by_day: dict[date, list[Signature]] = {d: [] for d in loaded}
    seen: set[int] = set()
    for sig in [
        *lookup.day_mentions(session, touched),
        *lookup.day_mentions(session, loaded - touched, DISPUTABLE),
        *load_ids(session, new),
    ]:
        day = by_key.get(sig.value[:10]) if sig.fine else None
        if day is not None and sig.id not in seen:
            by_day[day].append(sig)
            seen.add(sig.id)
    found = join_days(by_day, touched, tick=lambda: check_deadline(session))
    out.clusters(found)
    out.write()
    changed = [members for members in found if (members[0].event_id or 0) in out.touched]
    if not changed:
        return set()
    return lookup.attached_to(session, out.touched) | lookup.concerned(
        session, _concerning(changed, out.moved)
    )


def _concerning(changed: list[list[Signature]], moved: set[int]) -> list[Signature]:
    """The members of changed events whose arrival may change a coarse mention's choice.

    A coarse mention picks the event with the best-scoring member in its range, ties
    going to the event whose first member there comes first. An event's scores change
    only through the members that moved into it (one that lost members scores no better,
    and those attached to it are decided again anyway); its first member in a range
    changes only if a moved member is now its first on that day, and then any coarse
    mention matching any of its members may choose again.
    """
    out: list[Signature] = []
    for members in changed:
        firsts: dict[str, Signature] = {}
        for s in members:
            day = s.value[:10]
            if day not in firsts or s.order < firsts[day].order:
                firsts[day] = s
        if any(f.id in moved for f in firsts.values()):
            out += members
        else:
            out += [s for s in members if s.id in moved]
    return out


def _coarse_phase(session: Session, out: Assigner, ids: set[int], dirty: set[int]) -> None:
    """Decide the coarse mentions again: each joins its best day-level event, or is loose;
    then cluster the loose ones that changed with the components they touch."""
    sigs = sorted(load_ids(session, ids), key=lambda s: s.order)
    sigs = [s for s in sigs if not s.fine]
    loose_now = lookup.loose_events(session, {s.event_id for s in sigs if s.event_id})
    added: dict[str, list[Signature]] = {}
    leaving: set[int] = set()  # loose mentions that join a day-level event now
    targets = lookup.best_events(session, [s for s in sigs if s.granularity in ATTACHING])
    check_deadline(session)
    for sig in sigs:
        target = targets.get(sig.id)
        cluster_value = loose_now.get(sig.event_id or 0)  # the value of its loose cluster
        if target is not None:
            if cluster_value is not None:
                dirty.add(sig.event_id)  # type: ignore[arg-type]
                leaving.add(sig.id)
            out.move(sig, target)
        elif cluster_value is None:  # new, or no longer part of a day-level event
            added.setdefault(sig.value, []).append(sig)
        elif cluster_value != sig.value:  # re-dated: from one value's clusters to another's
            dirty.add(sig.event_id)  # type: ignore[arg-type]
            added.setdefault(sig.value, []).append(sig)
    _loose_clusters(session, out, added, dirty, leaving)
    out.write()


def _loose_clusters(
    session: Session,
    out: Assigner,
    added: dict[str, list[Signature]],
    dirty: set[int],
    leaving: set[int],
) -> None:
    """Bring each value's loose clusters up to date with the mentions that joined or left
    them: a cluster that lost a member is clustered again from its members; otherwise
    the new mentions and the clusters they match are united (the clusters of one value
    are the connected components of the same-event relation), moving the smaller side."""
    new_ids = {s.id for sigs in added.values() for s in sigs}
    newcomers = [s for sigs in added.values() for s in sigs]
    links: list[tuple[Signature, Signature]] = [
        (sig, c)
        for c in lookup.loose_neighbours(session, newcomers)
        if c.id not in new_ids and c.id not in leaving and c.event_id is not None
        for sig in added.get(c.value, ())
        if same_event(sig, c, dated=False) is not None
    ]
    check_deadline(session)
    loose = lookup.loose_events(session, {c.event_id for _, c in links if c.event_id})
    links = [(sig, c) for sig, c in links if c.event_id in loose]
    dirty_values = set(lookup.loose_events(session, dirty).values())
    again: dict[str, list[Signature]] = {}  # values clustered again from their members
    for value in dirty_values:
        again[value] = list(added.pop(value, []))
    touched = {c.event_id for sig, c in links if sig.value in again} | dirty
    for member in load_members(session, touched):
        if member.id not in leaving and member.id not in new_ids and member.value in again:
            again[member.value].append(member)
    clusters = []
    for value in sorted(again):
        check_deadline(session)
        clusters += cluster(again[value])
    out.clusters(clusters)
    united = [(sig, c) for sig, c in links if sig.value in added]
    _unite(session, out, added, united)


def _unite(
    session: Session,
    out: Assigner,
    added: dict[str, list[Signature]],
    links: list[tuple[Signature, Signature]],
) -> None:
    """New loose mentions, and the stored clusters they match, become one cluster each
    group (union-find), under the key of its first-published member; only the members of
    the clusters that do not keep their event move, in one statement each."""
    parent: dict[object, object] = {}

    def find(x: object) -> object:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]  # type: ignore[index]
            x = parent[x]
        return x

    def join(x: object, y: object) -> None:
        parent[find(x)] = find(y)

    for sigs in added.values():
        for group in cluster(sigs):  # the new ones among themselves
            for sig in group:
                join(("m", sig.id), ("m", group[0].id))
    for sig, c in links:
        join(("m", sig.id), ("e", c.event_id))
    groups: dict[object, tuple[list[Signature], set[int]]] = {}
    for sig in (s for sigs in added.values() for s in sigs):
        groups.setdefault(find(("m", sig.id)), ([], set()))[0].append(sig)
    for _, c in links:
        groups[find(("e", c.event_id))][1].add(c.event_id)  # type: ignore[arg-type]
    firsts = lookup.key_members(session, {e for _, events in groups.values() for e in events})
    kept: list[tuple[int, set[int]]] = []  # (the stored event kept, the events it absorbs)
    new: list[tuple[list[Signature], set[int]]] = []  # (a new event's members, absorbed)
    for sigs, events in groups.values():
        first = key_member(sigs)
        keeper = min(events, key=lambda e: firsts[e], default=None)
        if keeper is not None and firsts[keeper] < (first.published, first.order):
            for sig in sigs:
                out.move(sig, keeper)
            kept.append((keeper, events - {keeper}))
        else:
            new.append((sigs, events))
    check_deadline(session)
    out.clusters([sigs for sigs, _ in new])  # one lookup and one insert for them all
    for sigs, events in new:
        kept.append((sigs[0].event_id, events - {sigs[0].event_id}))  # type: ignore[arg-type]
    for survivor, absorbed in kept:
        out.absorb(absorbed, survivor)


# ------------------------------------------------------------------ what a write asks


def work_for_new(session: Session, mention_ids: Iterable[int]) -> Work:
    """New (or re-dated) mentions: their days and themselves."""
    work = Work()
    for sig in load_ids(session, mention_ids):
        if sig.fine:
            work.days.add(date.fromisoformat(sig.value[:10]))
            work.mentions.add(sig.id)
        else:
            work.coarse.add(sig.id)
    return work


def work_for_stale(session: Session, event_ids: Iterable[int]) -> Work:
    """Events that lost members (a document deleted, a claim re-dated away): the days of
    day-level ones (and a day either side, where their members may lie), the coarse
    mentions that belong to them, and the loose ones' clusters."""
    work = Work()
    for part_ids in _parts(event_ids):
        for event_id, value, granularity, start, end in session.execute(
            select(Event.id, Event.date_value, Event.granularity, Event.start_at, Event.end_at)
            .where(Event.id.in_(part_ids))
        ):  # fmt: skip
            if is_fine(granularity, value):
                day = local_range(value, start, end)[0]
                work.days.update(day + timedelta(days=k) for k in (-1, 0, 1))
            else:
                work.loose.add(event_id)
    work.coarse |= lookup.attached_to(session, set(event_ids) - work.loose)
    return work


def _parts(ids: Iterable[int]) -> list[list[int]]:
    ordered = sorted(set(ids))
    return [ordered[i : i + 500] for i in range(0, len(ordered), 500)]
