"""Consistency check: every event is supported by stored mentions, every mention by a document.

Events are derived data; this verifies the derivation still holds for what is stored, so a
crash, a bug or a hand edit that broke it is found rather than served.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from .models import Document, Event, EventActor, Mention


@dataclass(frozen=True)
class Problem:
    kind: str
    detail: str


def check(session: Session) -> list[Problem]:
    """All inconsistencies found, oldest rows first; an empty list means consistent."""
    return [*_mentions(session), *_event_counts(session), *_actor_index(session)]


def _mentions(session: Session) -> list[Problem]:
    """Mentions without a document or an event, or whose sentence is not in its body."""
    orphans = session.scalars(
        select(Mention.id).where(~Mention.document_id.in_(select(Document.id)))
    ).all()
    problems = [Problem("mention-without-document", f"mention {i}") for i in orphans]
    unmerged = session.scalars(select(Mention.id).where(Mention.event_id.is_(None))).all()
    problems += [Problem("mention-without-event", f"mention {i}") for i in unmerged]
    length = Mention.sentence_end - Mention.sentence_start
    forged = session.execute(
        select(Mention.id, Mention.document_id)
        .join(Document, Mention.document_id == Document.id)
        .where(func.substr(Document.body, Mention.sentence_start + 1, length) != Mention.sentence)
        .order_by(Mention.id)
    ).all()
    problems += [
        Problem("mention-evidence", f"mention {i}: its sentence is not at its span in document {d}")
        for i, d in forged
    ]
    return problems


def _event_counts(session: Session) -> list[Problem]:
    """Events no mention supports, or whose counts differ from their mentions'."""
    stats = (
        select(
            Mention.event_id,
            func.count(Mention.id).label("mentions"),
            func.count(func.distinct(Document.source_id)).label("sources"),
        )
        .join(Document, Mention.document_id == Document.id)
        .group_by(Mention.event_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Event.key, Event.mention_count, Event.source_count, stats.c.mentions, stats.c.sources
        )
        .outerjoin(stats, stats.c.event_id == Event.id)
        .order_by(Event.id)
    ).all()
    problems = []
    for key, mention_count, source_count, mentions, sources in rows:
        if not mentions:
            problems.append(Problem("event-without-mentions", f"event {key}"))
        elif (mention_count, source_count) != (mentions, sources):
            problems.append(
                Problem(
                    "event-counts",
                    f"event {key}: stored {mention_count} mentions / {source_count} sources, "
                    f"supported by {mentions} / {sources}",
                )
            )
    return problems


def _actor_index(session: Session) -> list[Problem]:
    """Actor index rows that disagree with their event's actors, date or key."""
    indexed: dict[int, set[str]] = {}
    for event_id, actor in session.execute(select(EventActor.event_id, EventActor.actor)):
        indexed.setdefault(event_id, set()).add(actor)
    problems = [
        Problem("event-actor-index", f"event {key}")
        for event_id, key, actors in session.execute(select(Event.id, Event.key, Event.actors))
        if set(actors or []) != indexed.get(event_id, set())
    ]
    # the actor rows repeat their event's timeline columns, which the actor filter reads
    stale = session.scalars(
        select(Event.key)
        .join(EventActor, EventActor.event_id == Event.id)
        .where(
            or_(
                EventActor.granularity != Event.granularity,
                EventActor.start_at != Event.start_at,
                EventActor.end_at != Event.end_at,
                EventActor.key != Event.key,
            )
        )
        .distinct()
        .order_by(Event.key)
    ).all()
    problems += [
        Problem("event-actor-order", f"event {key}: its actor rows differ in date or key")
        for key in stale
    ]
    return problems
