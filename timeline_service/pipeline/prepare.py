"""Preparing a document: everything that needs no database.

Choose the source, parse within a budget, fix the publication context, find and resolve
the date expressions, extract the event mentions. Each step is a function over the
dataclasses of the step before it; plugins are called only through
:mod:`timeline_service.plugins`, so a failing plugin is a rejection naming it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from ..extract.mentions import extract_mentions
from ..plugins import actor_table, custom_mentions, get_sources
from ..sdk import Article, EventMention, PublishedAtOrigin, RawDocument, Source
from ..temporal import TemporalExpression, find_temporal_expressions, infer_publication_date
from ..temporal.zones import zone
from .parse import choose_source, parse_with_budget


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


def content_hash(raw: RawDocument) -> str:
    """A hash of the input's words, so re-posting the same article is recognised."""
    words = " ".join(raw.content.split())
    return hashlib.sha256(words.encode("utf-8")).hexdigest()


def _as_datetime(value: datetime | date, where: ZoneInfo) -> datetime:
    """A bare date is midnight in the article's zone; a naive datetime is local time there."""
    return RawDocument(published_at=value).published_in(where)  # type: ignore[return-value]


def publication_context(
    raw: RawDocument, article: Article, where: ZoneInfo, *, now: datetime
) -> tuple[datetime | None, PublishedAtOrigin]:
    """When the article was published, and how we know: the caller's word wins
    (:meth:`RawDocument.published_in`), then the plugin's reading of the page, then an
    inference from the text, else it is unknown."""
    given = raw.published_in(where)
    if given is not None:
        return given, "metadata"
    if article.published_at is not None:
        origin = article.published_at_origin if article.published_at_origin != "unknown" else "text"
        return _as_datetime(article.published_at, where), origin
    inferred = infer_publication_date(article.body, not_after=now.astimezone(where).date())
    if inferred is not None:
        return _as_datetime(inferred, where), "inferred"
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
    published_at, origin = publication_context(raw, article, zone(tz_name), now=now)
    expressions = find_temporal_expressions(
        article.body, published_at, timezone=tz_name, language=article.language
    )
    notes = []
    if published_at is None:
        notes.append("publication date unknown: relative dates left unresolved")
    mentions = custom_mentions(article, source)
    if mentions is None:
        mentions = extract_mentions(
            article,
            expressions,
            anchor_at=published_at,
            anchor_timezone=tz_name,
            actors=actor_table(),
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
