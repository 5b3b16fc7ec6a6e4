"""Read queries behind the API: the timeline page, one event, one document, the sources.

They return plain dicts ready for the response schemas, and fetch the evidence of a whole
page of events in one query rather than one per event.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from .models import Document, Event, EventActor, Mention, Source
from .timeutil import parse_timestamp, rfc3339

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def partial_date_bounds(text: str) -> tuple[datetime, datetime]:
    """``2022`` / ``2022-02`` / ``2022-02-24`` / a timestamp as a half-open UTC interval."""
    m = _PARTIAL.match(text.strip())
    if not m:
        moment = parse_timestamp(text)
        return moment, moment
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if year < 1:
        raise ValueError("year must be 1 or later")
    if month is None:
        return datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    mon = int(month)
    if not 1 <= mon <= 12:
        raise ValueError(f"month out of range: {text!r}")
    start = datetime(year, mon, 1, tzinfo=UTC)
    if day is None:
        end = datetime(year + mon // 12, mon % 12 + 1, 1, tzinfo=UTC)
        return start, end
    start = datetime(year, mon, int(day), tzinfo=UTC)
    return start, start + timedelta(days=1)


def encode_cursor(event: Event) -> str:
    payload = json.dumps([rfc3339(event.start_at), event.key]).encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        start, key = json.loads(base64.urlsafe_b64decode(padded.encode()))
        return parse_timestamp(start), str(key)
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        raise ValueError("not a cursor this service issued") from None


@dataclass
class TimelineFilter:
    start: datetime | None = None
    end: datetime | None = None
    sources: list[str] = field(default_factory=list)
    actor: str | None = None
    type: str | None = None
    q: str | None = None
    min_sources: int | None = None
    after: tuple[datetime, str] | None = None
    limit: int = 50


def timeline(session: Session, f: TimelineFilter) -> tuple[list[dict[str, Any]], str | None]:
    """One page of merged events in date order, and the cursor of the next page."""
    stmt = select(Event)
    if f.start is not None:
        stmt = stmt.where(Event.end_at > f.start)
    if f.end is not None:
        stmt = stmt.where(Event.start_at < f.end)
    if f.type:
        stmt = stmt.where(Event.type == f.type)
    if f.min_sources:
        stmt = stmt.where(Event.source_count >= f.min_sources)
    if f.actor:
        stmt = stmt.where(
            Event.id.in_(
                select(EventActor.event_id).where(func.lower(EventActor.actor) == f.actor.lower())
            )
        )
    if f.sources:
        stmt = stmt.where(
            Event.id.in_(
                select(Mention.event_id)
                .join(Document, Mention.document_id == Document.id)
                .join(Source, Document.source_id == Source.id)
                .where(Source.slug.in_(f.sources))
            )
        )
    if f.q:
        like = f"%{f.q.lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(Event.title).like(like),
                Event.id.in_(
                    select(Mention.event_id).where(func.lower(Mention.sentence).like(like))
                ),
            )
        )
    if f.after is not None:
        start, key = f.after
        stmt = stmt.where(
            or_(Event.start_at > start, and_(Event.start_at == start, Event.key > key))
        )
    events = list(session.scalars(stmt.order_by(Event.start_at, Event.key).limit(f.limit + 1)))
    next_cursor = encode_cursor(events[f.limit - 1]) if len(events) > f.limit else None
    events = events[: f.limit]
    return event_dicts(session, events), next_cursor


def event_dicts(session: Session, events: list[Event]) -> list[dict[str, Any]]:
    """Events with their per-document evidence, fetched for the whole page at once."""
    refs = _source_refs(session, [e.id for e in events])
    return [dict(_event_dict(e), sources=refs.get(e.id, [])) for e in events]


def _event_dict(e: Event) -> dict[str, Any]:
    return {
        "id": e.key,
        "date": {
            "value": e.date_value,
            "granularity": e.granularity,
            "start": e.start_at,
            "end": e.end_at,
            "agreement": e.agreement,
        },
        "title": e.title,
        "type": e.type,
        "actors": list(e.actors or []),
        "location": e.location,
        "source_count": e.source_count,
        "mention_count": e.mention_count,
        "first_reported_at": e.first_reported_at,
    }


def _source_refs(session: Session, event_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    if not event_ids:
        return {}
    rows = session.execute(
        select(
            Mention.event_id,
            Source.slug,
            Source.name,
            Document.id,
            Document.url,
            Document.published_at,
            Mention.sentence,
            Mention.when_text,
        )
        .join(Document, Mention.document_id == Document.id)
        .join(Source, Document.source_id == Source.id)
        .where(Mention.event_id.in_(event_ids))
        .order_by(Mention.event_id, Document.published_at, Document.id, Mention.sentence_start)
    ).all()
    refs: dict[int, list[dict[str, Any]]] = {}
    seen: set[tuple[int, int]] = set()
    for event_id, slug, name, doc_id, url, published_at, sentence, when_text in rows:
        if (event_id, doc_id) in seen:
            continue
        seen.add((event_id, doc_id))
        refs.setdefault(event_id, []).append(
            {
                "source": slug,
                "name": name,
                "document_id": doc_id,
                "url": url,
                "published_at": published_at,
                "sentence": sentence,
                "when_text": when_text,
            }
        )
    return refs


def mention_dicts(session: Session, where: Any) -> list[dict[str, Any]]:
    """Mentions with their date claims, for an event's or a document's detail view."""
    rows = session.execute(
        select(Mention, Event.key, Source.slug)
        .join(Document, Mention.document_id == Document.id)
        .join(Source, Document.source_id == Source.id)
        .outerjoin(Event, Mention.event_id == Event.id)
        .where(where)
        .order_by(Document.published_at, Document.id, Mention.sentence_start)
    ).all()
    return [
        {
            "id": m.id,
            "document_id": m.document_id,
            "event_id": key,
            "source": slug,
            "sentence": m.sentence,
            "span": [m.sentence_start, m.sentence_end],
            "when_text": m.when_text,
            "date": {
                "value": m.date_value,
                "granularity": m.granularity,
                "start": m.start_at,
                "end": m.end_at,
            },
            "anchor": {"published_at": rfc3339(m.anchor_at), "timezone": m.anchor_timezone},
            "resolver_version": m.resolver_version,
            "title": m.title,
            "type": m.type,
            "actors": list(m.actors or []),
            "attribution": m.attribution,
            "modality": m.modality,
        }
        for m, key, slug in rows
    ]


def event_detail(session: Session, key: str) -> dict[str, Any] | None:
    event = session.scalar(select(Event).where(Event.key == key))
    if event is None:
        return None
    data = event_dicts(session, [event])[0]
    data["mentions"] = mention_dicts(session, Mention.event_id == event.id)
    return data


def document_dict(session: Session, document: Document, *, full: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": document.id,
        "source": document.source.slug,
        "url": document.url,
        "title": document.title,
        "published_at": document.published_at,
        "published_at_origin": document.published_at_origin,
        "timezone": document.timezone,
        "language": document.language,
        "dateline": document.dateline,
        "byline": document.byline,
        "content_hash": document.content_hash,
        "ingested_at": document.ingested_at,
        "notes": list(document.notes or []),
        "captions": list(document.captions or []),
    }
    if full:
        data["body"] = document.body
        data["mentions"] = mention_dicts(session, Mention.document_id == document.id)
    return data


def source_counts(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(Source.slug, func.count(Document.id))
        .outerjoin(Document, Document.source_id == Source.id)
        .group_by(Source.slug)
    ).all()
    return {slug: count for slug, count in rows}
