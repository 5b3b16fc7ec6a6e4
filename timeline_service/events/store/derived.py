"""Writing events' derived columns from their members, and deleting memberless ones."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from ...store.models import Event, EventActor
from ..derive import event_fields
from .rows import WRITTEN, D, M


def recompute(session: Session, event_ids: Iterable[int]) -> None:
    """Recompute the fields of events whose members are already right (no re-clustering)."""
    ids = sorted(set(event_ids))
    if ids:
        write_derived(session, ids)


#: The event columns derived from its mentions, and those its actor rows repeat.
_DERIVED = (
    "date_value", "granularity", "start_at", "end_at", "agreement", "dissent", "type",
    "title", "actors", "mention_count", "source_count", "first_reported_at",
)  # fmt: skip


_ACTOR_COLUMNS = frozenset({"actors", "granularity", "start_at", "end_at"})


def write_derived(session: Session, ids: list[int]) -> None:
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
            M.c.id, M.c.event_id, M.c.date_value, M.c.granularity,
            M.c.start_at, M.c.end_at, M.c.type, M.c.title, M.c.basis,
            M.c.modality, M.c.actors, M.c.sentence_start, D.c.source_id,
            D.c.published_at, D.c.content_hash,
        )
        .join(D, M.c.document_id == D.c.id)
        .where(M.c.event_id.in_(ids))
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
    written: dict[int, dict[str, Any]] = session.info.setdefault(WRITTEN, {})
    for event_id in empty:  # gone: its id may be given to a new event
        written.pop(event_id, None)


def _written_fields(session: Session, ids: list[int]) -> dict[int, dict[str, Any]]:
    """What the event rows hold: as this transaction wrote them (most are new), else as
    stored."""
    written: dict[int, dict[str, Any]] = session.info.setdefault(WRITTEN, {})
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
