"""The stored data model: sources, documents, their mentions, and the merged events.

A :class:`Mention` is one document's dated claim about something that happened; an
:class:`Event` is derived from the mentions that report the same real-world happening.
Events hold no fact of their own that their mentions do not support: deleting a document
deletes its mentions and re-derives the events they fed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as UTC, read back aware on every backend (SQLite too)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _now() -> datetime:
    return datetime.now(UTC)


#: full-text search objects made by migration 0005 outside the models (FTS5 tables and
#: their shadow tables on SQLite, GIN expression indexes on PostgreSQL); schema
#: comparisons leave them alone (see :func:`include_name`)
FULL_TEXT_OBJECTS = ("events_fts", "mentions_fts", "ix_events_title_search")
FULL_TEXT_OBJECTS += ("ix_mentions_sentence_search",)


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic's ``include_name`` hook: compare everything but the full-text objects."""
    return name is None or not name.startswith(FULL_TEXT_OBJECTS)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class Source(Base):
    """An outlet, as declared by the source plugin that parses it."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    homepage: Mapped[str | None] = mapped_column(String(500))
    domains: Mapped[list[Any]] = mapped_column(default=list)
    language: Mapped[str] = mapped_column(String(16), default="en")
    timezone: Mapped[str | None] = mapped_column(String(64))
    plugin: Mapped[str] = mapped_column(String(200))
    plugin_version: Mapped[str | None] = mapped_column(String(64))

    documents: Mapped[list[Document]] = relationship(back_populates="source")


class Document(Base):
    """One ingested article: its raw input, its cleaned body and its publication context."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    url: Mapped[str | None] = mapped_column(String(2000), unique=True)
    title: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None]
    published_at_origin: Mapped[str] = mapped_column(String(16), default="unknown")
    timezone: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(16), default="en")
    dateline: Mapped[str | None] = mapped_column(String(200))
    byline: Mapped[str | None] = mapped_column(String(500))
    raw: Mapped[str] = mapped_column(Text)
    raw_format: Mapped[str] = mapped_column(String(8), default="text")
    body: Mapped[str] = mapped_column(Text)
    captions: Mapped[list[Any]] = mapped_column(default=list)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    notes: Mapped[list[Any]] = mapped_column(default=list)
    ingested_at: Mapped[datetime] = mapped_column(default=_now)

    source: Mapped[Source] = relationship(back_populates="documents")
    mentions: Mapped[list[Mention]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True
    )


class Event(Base):
    """A merged real-world event, dated from the claims of its mentions.

    ``key`` is the public, stable identifier: it is derived from the event's earliest
    supporting claim, so re-ingesting the same articles yields the same keys.
    """

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_start_at_end_at", "start_at", "end_at"),
        # the timeline's order, and its date window answered per granularity
        Index("ix_events_start_at_key", "start_at", "key"),
        Index("ix_events_granularity_start_at_key", "granularity", "start_at", "key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    date_value: Mapped[str] = mapped_column(String(40))
    granularity: Mapped[str] = mapped_column(String(16))
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    agreement: Mapped[str] = mapped_column(String(16), default="single")
    #: ids of the mentions whose date claims conflict with the event's date
    dissent: Mapped[list[Any]] = mapped_column(default=list)
    title: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(32), index=True)
    actors: Mapped[list[Any]] = mapped_column(default=list)
    location: Mapped[str | None] = mapped_column(String(200))
    source_count: Mapped[int] = mapped_column(default=0, index=True)
    mention_count: Mapped[int] = mapped_column(default=0)
    first_reported_at: Mapped[datetime | None]

    mentions: Mapped[list[Mention]] = relationship(back_populates="event")


class EventActor(Base):
    """One actor of an event, for indexed filtering by canonical name.

    It repeats the event's granularity, interval and key (written with the event, see
    ``merge._rederive``), so an actor's events in a date window are one index range per
    granularity, already in timeline order: a page reads about as many index entries as
    it returns, however many events the actor has.
    """

    __tablename__ = "event_actors"
    __table_args__ = (
        # end_at last: the window's overlap test is answered from the index alone
        Index(
            "ix_event_actors_actor_granularity_start_at_key",
            "actor",
            "granularity",
            "start_at",
            "key",
            "end_at",
        ),
    )

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    actor: Mapped[str] = mapped_column(String(200), primary_key=True)
    granularity: Mapped[str] = mapped_column(String(16))
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    key: Mapped[str] = mapped_column(String(40))


class Mention(Base):
    """One document's dated claim that an event happened: the date-claim ledger's entry.

    It keeps the raw words, the anchor they were resolved against and the resolver's
    version, so dates can be re-resolved when the date engine improves.
    """

    __tablename__ = "mentions"
    __table_args__ = (
        Index("ix_mentions_start_at_end_at", "start_at", "end_at"),
        Index("ix_mentions_granularity_start_at", "granularity", "start_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL"), index=True
    )
    sentence: Mapped[str] = mapped_column(Text)
    sentence_start: Mapped[int]
    sentence_end: Mapped[int]
    when_text: Mapped[str | None] = mapped_column(String(200))
    when_start: Mapped[int | None]
    when_end: Mapped[int | None]
    date_value: Mapped[str] = mapped_column(String(40))
    granularity: Mapped[str] = mapped_column(String(16))
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    anchor_at: Mapped[datetime | None]
    anchor_timezone: Mapped[str | None] = mapped_column(String(64))
    resolver_version: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(32))
    actors: Mapped[list[Any]] = mapped_column(default=list)
    attribution: Mapped[str | None] = mapped_column(String(200))
    modality: Mapped[str] = mapped_column(String(16), default="reported")
    #: where the date came from: expression | publication | inherited
    basis: Mapped[str] = mapped_column(String(16), default="expression")
    #: the content signature merging compares (concepts and word stems)
    terms: Mapped[list[Any]] = mapped_column(default=list)

    document: Mapped[Document] = relationship(back_populates="mentions")
    event: Mapped[Event | None] = relationship(back_populates="mentions")


class MergeKey(Base):
    """What merging looks a mention up by: one row per key of its signature (each content
    term, its head concept, its thread), in its block (its local day, or its coarse value).

    Candidates for a new mention are found through the ``(key, fine, block)`` index: the
    mentions of a day range or of a coarse value that share a key with it, with how much
    of its weight they share, rather than every mention of that month or year. The
    ``(block, fine)`` index gives the mentions of a day that can merge with anything at
    all (a mention without keys never does).
    """

    __tablename__ = "merge_keys"
    __table_args__ = (
        Index("ix_merge_keys_key_fine_block", "key", "fine", "block"),
        Index("ix_merge_keys_block_fine", "block", "fine", "mention_id"),
    )

    mention_id: Mapped[int] = mapped_column(
        ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    #: the mention's local day (``2022-02-24``) when fine, else its date value
    block: Mapped[str] = mapped_column(String(40))
    fine: Mapped[bool] = mapped_column(Boolean)
    #: what the key weighs in the content similarity (0 for a head or a thread)
    weight: Mapped[float] = mapped_column(Float)
    #: the mention's whole content weight, repeated so a lookup needs no other table
    total: Mapped[float] = mapped_column(Float)


class DataVersion(Base):
    """A single row counting changes to the stored timeline.

    Every ingest and delete bumps it in the same transaction, so a reader can tell with
    one cheap query whether anything it rendered before is stale (ETags, response cache).
    """

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
    changed_at: Mapped[datetime] = mapped_column(default=_now)
