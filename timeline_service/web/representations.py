"""Representations: what the HTTP API says, built from what the store reads.

Response shapes (events, evidence, mentions, claims, documents) as plain dicts with
RFC 3339 timestamps, cursors, and the reading of query-string values (partial dates,
actor aliases). The marshmallow schemas in :mod:`.schemas` remain the contract; the tests
hold these dicts to them.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from ..plugins import actor_table
from ..store.models import Document, Event, Mention
from ..store.queries import (
    DB,
    TimelineFilter,
    count_events,
    event_row,
    json_list,
    mention_rows,
    mentions_by_event,
    page_rows,
    source_refs,
)
from ..temporal.timestamps import parse_timestamp, rfc3339, utc

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def partial_date_bounds(text: str) -> tuple[datetime, datetime]:
    """``2022`` / ``2022-02`` / ``2022-02-24`` / a timestamp as a half-open UTC interval."""
    m = _PARTIAL.match(text.strip())
    if not m:
        try:
            moment = parse_timestamp(text).astimezone(UTC)
        except OverflowError:
            raise ValueError(f"out of range: {text!r}") from None
        return moment, moment
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if year < 1:
        raise ValueError("year must be 1 or later")
    if month is None:
        if year >= 9999:
            raise ValueError("year must be before 9999")
        return datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    mon = int(month)
    if not 1 <= mon <= 12:
        raise ValueError(f"month out of range: {text!r}")
    start = datetime(year, mon, 1, tzinfo=UTC)
    if day is None:
        if year == 9999 and mon == 12:
            raise ValueError("month must be before 9999-12")
        end = datetime(year + mon // 12, mon % 12 + 1, 1, tzinfo=UTC)
        return start, end
    try:
        start = datetime(year, mon, int(day), tzinfo=UTC)
        return start, start + timedelta(days=1)
    except (ValueError, OverflowError):
        raise ValueError(f"not a calendar date: {text!r}") from None


def encode_cursor(start_at: str, key: str) -> str:
    """An opaque cursor: the sort key of the last event of a page."""
    payload = json.dumps([start_at, key]).encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        start, key = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(start, str) or not isinstance(key, str):
            raise TypeError
        return parse_timestamp(start).astimezone(UTC), key
    except (ValueError, TypeError, OverflowError, binascii.Error, UnicodeDecodeError):
        raise ValueError("not a cursor this service issued") from None


@dataclass
class TimelinePage:
    """One page; ``seen_version`` is the data version the evidence query saw, if it ran."""

    events: list[dict[str, Any]]
    next_cursor: str | None
    total: int | None = None
    seen_version: int | None = None
    #: whether ``total`` stopped at the filter's cap (there are more)
    total_capped: bool = False


def stamp(value: Any) -> str | None:
    """RFC 3339 text for a stored timestamp: a datetime, or SQLite's stored text as is.

    SQLite keeps UTC timestamps as ``YYYY-MM-DD HH:MM:SS.ffffff``; reformatting that text
    is several times cheaper than parsing it into a datetime and printing it again.
    """
    if value is None or not isinstance(value, str):
        return rfc3339(utc(value))
    if len(value) == 26 and value[10] == " " and value[19] == ".":
        micro = value[20:]
        return f"{value[:10]}T{value[11:19]}{'' if micro == '000000' else '.' + micro}Z"
    return rfc3339(datetime.fromisoformat(value).replace(tzinfo=UTC))


def actor_names(name: str) -> list[str]:
    """The stored names an ``actor=`` value stands for: its canonical name, and itself.

    Aliases ("Lukashenka", "the Kremlin") resolve through the actor table, case-insensitively.
    """
    found = actor_table().canonical_name(name)
    return [found, name] if found and found != name else [name]


def event_dict(r: Any, sources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": r.key,
        "date": {
            "value": r.date_value,
            "granularity": r.granularity,
            "start": stamp(r.start_at),
            "end": stamp(r.end_at),
            "agreement": r.agreement,
        },
        "title": r.title,
        "type": r.type,
        "actors": json_list(r.actors),
        "location": r.location,
        "source_count": r.source_count,
        "mention_count": r.mention_count,
        "first_reported_at": stamp(r.first_reported_at),
        "sources": sources,
    }


def claim_dict(m: dict[str, Any]) -> dict[str, Any]:
    """A mention reduced to its date claim: who dated the event how, from which words."""
    return {
        "source": m["source"],
        "document_id": m["document_id"],
        "value": m["date"]["value"],
        "granularity": m["date"]["granularity"],
        "when_text": m["when_text"],
        "attribution": m["attribution"],
        "modality": m["modality"],
        "basis": m["basis"],
        "dissents": m["dissents"],
    }


def mention_dict(m: Any) -> dict[str, Any]:
    return {
        "id": m.id,
        "document_id": m.document_id,
        "event_id": m.event_key,
        "source": m.slug,
        "sentence": m.sentence,
        "span": [m.sentence_start, m.sentence_end],
        "when_text": m.when_text,
        "date": {
            "value": m.date_value,
            "granularity": m.granularity,
            "start": rfc3339(m.start_at),
            "end": rfc3339(m.end_at),
        },
        "anchor": {"published_at": rfc3339(m.anchor_at), "timezone": m.anchor_timezone},
        "resolver_version": m.resolver_version,
        "title": m.title,
        "type": m.type,
        "actors": list(m.actors or ()),
        "attribution": m.attribution,
        "modality": m.modality,
        "basis": m.basis,
        "dissents": m.id in json_list(m.event_dissent),
    }


def event_detail(session: Session, key: str) -> dict[str, Any] | None:
    """One event by its public id, with every mention and its date claim."""
    row = event_row(session, key)
    if row is None:
        return None
    data = event_rows_to_dicts(session, [row])[0]
    data["mentions"] = mention_dicts(session, Mention.event_id == row.id)
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


def event_dicts(session: Session, events: list[Event]) -> list[dict[str, Any]]:
    """ORM events (as ingest returns them) in the timeline's event shape."""
    return event_rows_to_dicts(session, events)


def event_rows_to_dicts(
    session: DB, rows: Sequence[Any], include: Iterable[str] = ()
) -> list[dict[str, Any]]:
    """Rows of ``_EVENT_COLUMNS`` as event dicts, with their evidence batched in."""
    return _event_dicts_seen(session, rows, include)[0]


def ref_dict(row: Any) -> dict[str, Any]:
    """One outlet's report of an event: the evidence, as ``sources`` lists it."""
    _, slug, name, doc_id, url, published_at, sentence, when_text, *_ = row
    return {
        "source": slug,
        "name": name,
        "document_id": doc_id,
        "url": url,
        "published_at": stamp(published_at),
        "sentence": sentence,
        "when_text": when_text,
    }


def _event_dicts_seen(
    db: DB, rows: Sequence[Any], include: Iterable[str] = ()
) -> tuple[list[dict[str, Any]], int | None]:
    ids = [r.id for r in rows]
    refs, seen_version = source_refs(db, ids)
    events = [event_dict(r, [ref_dict(x) for x in refs.get(r.id, ())]) for r in rows]
    include = set(include)
    if include and ids:
        mentions = mentions_by_event(db, ids)
        for row, event in zip(rows, events, strict=True):
            found = [mention_dict(m) for m in mentions.get(row.id, ())]
            if "mentions" in include:
                event["mentions"] = found
            if "claims" in include:
                event["claims"] = [claim_dict(m) for m in found]
        seen_version = None  # a later statement: the version it saw is unknown
    return events, seen_version


def timeline(db: DB, f: TimelineFilter, *, version: int | None = None) -> TimelinePage:
    """One page of merged events in (start, id) order, and the cursor of the next page."""
    page = page_rows(db, f, version=version)
    next_cursor = None
    if page.more:
        last = page.rows[-1]
        next_cursor = encode_cursor(stamp(last.start_at) or "", last.key)
    events, seen_version = _event_dicts_seen(db, page.rows, f.include)
    total, capped = None, False
    if f.total:
        (total, capped), seen_version = count_events(db, f, page.common), None
    return TimelinePage(events, next_cursor, total, seen_version, capped)


def mention_dicts(session: Session, where: Any) -> list[dict[str, Any]]:
    """Mentions with their date claims, for an event's or a document's detail view."""
    return [mention_dict(m) for m in mention_rows(session, where)]
