"""The ingest pipeline: one straight line from a raw document to stored events.

``prepare`` does everything that needs no database (choose the source, parse, find and
resolve dates, extract mentions); ``ingest`` stores the result in one transaction. Each
step is a function over the dataclasses of the step before it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import limits, merge
from .article import Article, PublishedAtOrigin, RawDocument
from .mentions import EventMention, extract_mentions
from .models import DataVersion, Document, Event, Mention
from .models import Source as SourceRow
from .plugins import get_plugin_manager, get_sources, plugin_of, version_of
from .sources import Source, choose_source, parse_with_budget
from .temporal import TemporalExpression, find_temporal_expressions, infer_publication_date


@dataclass(frozen=True)
class Prepared:
    """A parsed, dated and extracted document, ready to be stored."""

    raw: RawDocument
    source: Source
    article: Article
    content_hash: str
    published_at: datetime | None
    published_at_origin: PublishedAtOrigin
    timezone: str
    expressions: list[TemporalExpression]
    mentions: list[EventMention]
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class IngestResult:
    """The stored document, whether this call created it, and the events it touched."""

    document: Document
    created: bool
    events: list[Event]


def content_hash(raw: RawDocument) -> str:
    """A hash of the input's words, so re-posting the same article is recognised."""
    words = " ".join(raw.content.split())
    return hashlib.sha256(words.encode("utf-8")).hexdigest()


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _as_datetime(value: datetime | date, zone: ZoneInfo) -> datetime:
    """A bare date is midnight in the article's zone; a naive datetime is local time there."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    return datetime.combine(value, time(0), tzinfo=zone)


def publication_context(
    raw: RawDocument, article: Article, zone: ZoneInfo, *, now: datetime
) -> tuple[datetime | None, PublishedAtOrigin]:
    """When the article was published, and how we know: request, text, inference, or not."""
    if raw.published_at is not None:
        return _as_datetime(raw.published_at, zone), "metadata"
    if article.published_at is not None:
        origin = article.published_at_origin if article.published_at_origin != "unknown" else "text"
        return _as_datetime(article.published_at, zone), origin
    inferred = infer_publication_date(article.body, not_after=now.astimezone(zone).date())
    if inferred is not None:
        return _as_datetime(inferred, zone), "inferred"
    return None, "unknown"


def prepare(
    raw: RawDocument,
    sources: dict[str, Source] | None = None,
    *,
    parse_budget: float = 5.0,
    now: datetime | None = None,
) -> Prepared:
    """Run every step that needs no database. Raises the plugin errors of ``sources``."""
    sources = get_sources() if sources is None else sources
    now = now or datetime.now(UTC)
    source = choose_source(raw, sources).source
    article = parse_with_budget(source, raw, seconds=parse_budget)
    tz_name = article.timezone or source.timezone or "UTC"
    zone = _zone(tz_name)
    published_at, origin = publication_context(raw, article, zone, now=now)
    expressions = find_temporal_expressions(
        article.body, published_at, timezone=tz_name, language=article.language
    )
    notes = []
    if published_at is None:
        notes.append("publication date unknown: relative dates left unresolved")
    custom = get_plugin_manager().hook.extract_mentions(article=article, source=source)
    mentions = (
        custom
        if custom is not None
        else extract_mentions(article, expressions, anchor_at=published_at, anchor_timezone=tz_name)
    )
    return Prepared(
        raw=raw,
        source=source,
        article=article,
        content_hash=content_hash(raw),
        published_at=published_at,
        published_at_origin=origin,
        timezone=tz_name,
        expressions=expressions,
        mentions=list(mentions),
        notes=notes,
    )


def find_existing(session: Session, raw: RawDocument) -> Document | None:
    """The stored document with the same content or the same URL, if any."""
    clauses = [Document.content_hash == content_hash(raw)]
    if raw.url:
        clauses.append(Document.url == raw.url)
    return session.scalars(select(Document).where(or_(*clauses)).limit(1)).first()


def source_row(session: Session, source: Source) -> SourceRow:
    """The outlet's row, created on first use and kept in step with the plugin."""
    row = session.scalar(select(SourceRow).where(SourceRow.slug == source.slug))
    if row is None:
        row = SourceRow(slug=source.slug, name=source.name, plugin=plugin_of(source))
        session.add(row)
    row.name = source.name
    row.homepage = source.homepage
    row.domains = list(source.domains)
    row.language = source.language
    row.timezone = source.timezone
    row.plugin = plugin_of(source)
    row.plugin_version = version_of(source)
    return row


def store(session: Session, prepared: Prepared) -> Document:
    """Add the document, its mentions and their events to the session (not committed)."""
    bump_data_version(session)  # first: the write lock, see bump_data_version
    article = prepared.article
    raw = prepared.raw
    document = Document(
        source=source_row(session, prepared.source),
        url=raw.url,
        title=raw.title or article.title,
        published_at=prepared.published_at,
        published_at_origin=prepared.published_at_origin,
        timezone=prepared.timezone,
        language=article.language,
        dateline=article.dateline,
        byline=article.byline,
        raw=raw.content,
        raw_format="html" if raw.text is None else "text",
        body=article.body,
        captions=list(article.captions),
        content_hash=prepared.content_hash,
        notes=list(prepared.notes),
    )
    session.add(document)
    session.flush()
    rows = [merge.mention_row(document.id, m) for m in prepared.mentions]
    if rows:  # one executemany; the rows themselves only tell attach their dates
        table = Mention.__table__
        keys = [c.key for c in table.columns if c.key not in ("id", "event_id")]
        session.execute(table.insert(), [{k: getattr(r, k) for k in keys} for r in rows])
    merge.rederive(session, merge.attach(session, rows))
    return document


def bump_data_version(session: Session) -> None:
    """Mark the stored timeline as changed, inside the caller's transaction.

    Writers call it before anything else: updating the single row takes a lock held to
    commit, so concurrent writes run one at a time and each one's reads (which source and
    event rows exist, how many mentions an event has) see every earlier commit. Without
    it two ingests racing to create the same source or event, or to count the same
    event's mentions, fail or store wrong counts.
    """
    session.execute(
        update(DataVersion)
        .where(DataVersion.id == 1)
        .values(version=DataVersion.version + 1, changed_at=datetime.now(UTC))
    )


def ingest(
    session: Session,
    raw: RawDocument,
    *,
    parse_budget: float = 5.0,
    time_budget: float | None = None,
) -> IngestResult:
    """Store ``raw`` with its mentions and events in one transaction, or return the copy.

    The same content or URL ingested twice (even concurrently) yields the existing
    document. Any failure rolls the whole document back. ``time_budget`` bounds the
    preparation (parse, dates, extraction), never the transaction.
    """
    existing = find_existing(session, raw)
    if existing is not None:
        return IngestResult(existing, False, _events_of(session, existing))
    with limits.time_budget(time_budget):
        prepared = prepare(raw, parse_budget=parse_budget)
    try:
        document = store(session, prepared)
        session.commit()
    except IntegrityError:
        session.rollback()
        existing = find_existing(session, raw)
        if existing is None:
            raise
        return IngestResult(existing, False, _events_of(session, existing))
    except BaseException:
        session.rollback()
        raise
    return IngestResult(document, True, _events_of(session, document))


def delete_document(session: Session, document: Document) -> None:
    """Delete a document and its mentions, and re-derive the events they fed."""
    bump_data_version(session)  # first: the write lock, see bump_data_version
    event_ids = {
        e
        for e in session.scalars(select(Mention.event_id).where(Mention.document_id == document.id))
    }
    session.delete(document)
    session.flush()
    merge.rederive(session, {e for e in event_ids if e is not None})
    session.commit()


def _events_of(session: Session, document: Document) -> list[Event]:
    return list(
        session.scalars(
            select(Event)
            .where(Event.id.in_(select(Mention.event_id).where(Mention.document_id == document.id)))
            .order_by(Event.start_at, Event.key)
        )
    )
