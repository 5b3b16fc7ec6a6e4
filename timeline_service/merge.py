"""Merging mentions into events.

An event is derived from its mentions and nothing else. Mentions are grouped by a merge
key computed from the mention alone, so the grouping cannot depend on ingest order, and
the event's public key is derived from the group's key, so it survives re-ingestion.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .models import Document, Event, EventActor, Mention


def merge_key(mention: Mention) -> str:
    """The grouping key: same date value, type and title means the same event."""
    parts = [mention.date_value, mention.type, " ".join(mention.title.lower().split())]
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:20]


def attach(session: Session, mentions: Iterable[Mention]) -> set[int]:
    """Give each new mention an event (found by key through the index, or created)."""
    touched: set[int] = set()
    for mention in mentions:
        key = "ev_" + merge_key(mention)
        event = session.scalar(select(Event).where(Event.key == key))
        if event is None:
            event = Event(
                key=key,
                date_value=mention.date_value,
                granularity=mention.granularity,
                start_at=mention.start_at,
                end_at=mention.end_at,
                title=mention.title,
                type=mention.type,
                actors=list(mention.actors),
            )
            session.add(event)
            session.flush()
        mention.event_id = event.id
        touched.add(event.id)
    session.flush()
    return touched


def rederive(session: Session, event_ids: Iterable[int]) -> None:
    """Recompute each event from its remaining mentions; delete those left with none."""
    for event_id in sorted(set(event_ids)):
        event = session.get(Event, event_id)
        if event is None:
            continue
        rows = session.execute(
            select(Mention, Document.source_id, Document.published_at)
            .join(Document, Mention.document_id == Document.id)
            .where(Mention.event_id == event_id)
            .order_by(Document.content_hash, Mention.sentence_start)
        ).all()
        if not rows:
            session.delete(event)
            continue
        mentions = [r[0] for r in rows]
        values = {m.date_value for m in mentions}
        first = mentions[0]
        event.date_value = first.date_value
        event.granularity = first.granularity
        event.start_at = first.start_at
        event.end_at = first.end_at
        event.title = first.title
        event.agreement = (
            "single" if len(mentions) == 1 else "agree" if len(values) == 1 else "disputed"
        )
        actors = sorted({a for m in mentions for a in m.actors})
        event.actors = actors
        event.mention_count = len(mentions)
        event.source_count = len({r[1] for r in rows})
        published = [r[2] for r in rows if r[2] is not None]
        event.first_reported_at = min(published) if published else None
        session.execute(delete(EventActor).where(EventActor.event_id == event_id))
        session.add_all(EventActor(event_id=event_id, actor=a) for a in actors)
    session.flush()
