"""Read queries behind the API, as SQL only: the timeline page, evidence, mentions, counts.

The timeline's hot path selects only the columns it shows and fetches the evidence of a
whole page in one query; the rows go to :mod:`timeline_service.web.representations`,
which shapes them without ORM objects or a schema pass. The date window is answered per
granularity (see :func:`page_statement`): an index range per group starting at ``from -
longest span``, read in order until the page is full, so the work follows the page size
and the filters' selectivity rather than the width of the window. An actor filter reads
the actor index instead, one range per granularity in timeline order
(:func:`_build_by_actor`), so a common actor in a large database costs what a small one
does. Hot statements run as driver SQL on a driver connection (:class:`DriverSQL`,
:class:`DriverConnection`): SQLAlchemy writes the SQL once per query shape, and each
request pays only for the database's work (measured in ``bench/api_load.py``).
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections import namedtuple
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    bindparam,
    column,
    exists,
    false,
    func,
    literal_column,
    or_,
    select,
    table,
    type_coerce,
    union_all,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, aliased

from .models import DataVersion, Document, Event, EventActor, Mention, Source

#: what ``include=`` may add to each event
INCLUDES = ("mentions", "claims")


AGREEMENTS = ("single", "agree", "compatible", "disputed")


@dataclass
class TimelineFilter:
    """A timeline query: the window, the filters, the page."""

    start: datetime | None = None
    end: datetime | None = None
    sources: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    type: str | None = None
    q: str | None = None
    min_sources: int | None = None
    agreement: str | None = None
    after: tuple[datetime, str] | None = None
    limit: int = 50
    include: frozenset[str] = frozenset()
    total: bool = False
    #: ``total`` counts at most this many events (a count reads every match)
    total_cap: int = 10_000


SQLITE_READ_PRAGMAS = ("PRAGMA mmap_size = 4294967296", "PRAGMA cache_size = -65536")


@dataclass
class DriverConnection:
    """A driver connection in autocommit mode, lent to one request at a time for the hot
    reads (see :class:`timeline_service.caching.HotPool`).

    No Session, no pool checkout, no BEGIN/ROLLBACK: on PostgreSQL that saves several
    round trips per request. Statements see the latest committed data each; the caller
    makes a page consistent by reading the data version before and after (see
    :mod:`timeline_service.caching`), which every write bumps in its own transaction.
    """

    engine: Engine
    dbapi: Any
    pid: int
    #: when the current loan's statements must stop (SQLite's progress handler reads it)
    deadline: float | None = None

    @classmethod
    def open(cls, engine: Engine, *, statement_timeout: float | None = None) -> DriverConnection:
        proxied = engine.raw_connection()
        dbapi = proxied.driver_connection
        proxied.detach()  # ours for the thread's life, not the pool's
        conn = cls(engine, dbapi, os.getpid())
        if engine.dialect.name == "sqlite":
            dbapi.isolation_level = None
            # reads map the file instead of copying pages through a 2 MB cache: random
            # row lookups in a large database stay as cheap as in a small one
            for pragma in SQLITE_READ_PRAGMAS:
                dbapi.execute(pragma)
            if statement_timeout:
                dbapi.set_progress_handler(conn._overdue, 50_000)
        else:
            dbapi.autocommit = True
            if statement_timeout:
                ms = max(1, int(statement_timeout * 1000))
                dbapi.execute(f"SET statement_timeout = {ms}")
        return conn

    def _overdue(self) -> bool:
        return self.deadline is not None and time.monotonic() > self.deadline

    def broken(self) -> bool:
        """Whether the connection can no longer be used (closed, or lost by the server)."""
        return bool(getattr(self.dbapi, "closed", False) or getattr(self.dbapi, "broken", False))

    def scalar(self, sql: str) -> Any:
        cursor = self.dbapi.cursor()
        try:
            cursor.execute(sql)
            row = cursor.fetchone()
        finally:
            cursor.close()
        return row[0] if row else None

    def close(self) -> None:
        with suppress(Exception):  # already broken: nothing to release
            self.dbapi.close()


#: the read queries run on a Session, a Core connection, or the hot driver connection
DB = Session | Connection | DriverConnection


@contextmanager
def _core(db: DB) -> Iterator[Session | Connection]:
    """Something that runs SQLAlchemy statements: ``db`` itself, or a short connection."""
    if isinstance(db, DriverConnection):
        with db.engine.connect() as conn:
            yield conn
    else:
        yield db


def _cursor(db: DB) -> Any:
    if isinstance(db, DriverConnection):
        return db.dbapi.cursor()
    conn = db.connection() if isinstance(db, Session) else db
    return conn.connection.driver_connection.cursor()


def _engine(db: DB) -> Engine:
    if isinstance(db, Session):
        return db.get_bind()  # type: ignore[return-value]
    return db.engine


def data_version(session: DB) -> tuple[int, datetime | None]:
    """The stored timeline's change counter and when it last changed: one tiny query."""
    with _core(session) as conn:
        row = conn.execute(
            select(DataVersion.version, DataVersion.changed_at).where(DataVersion.id == 1)
        ).first()
    return (row[0], row[1]) if row else (0, None)


_EVENT_COLUMNS = (
    Event.id,
    Event.key,
    Event.date_value,
    Event.granularity,
    Event.start_at,
    Event.end_at,
    Event.agreement,
    Event.title,
    Event.type,
    Event.actors,
    Event.location,
    Event.source_count,
    Event.mention_count,
    Event.first_reported_at,
)


_TIMESTAMPS = frozenset({"start_at", "end_at", "first_reported_at", "published_at"})


def _columns(columns: Iterable[Any], dialect: str) -> list[Any]:
    """On SQLite, timestamps are selected as their stored text (see :func:`stamp`)."""
    if dialect != "sqlite":
        return list(columns)
    return [type_coerce(c, String).label(c.key) if c.key in _TIMESTAMPS else c for c in columns]


_WORD = re.compile(r"[^\W_]+")


_EVENTS_FTS = table("events_fts", column("rowid"))


_MENTIONS_FTS = table("mentions_fts", column("rowid"))


def search_words(text: str | None) -> list[str]:
    """The words of a ``q=`` value: runs of letters and digits; everything else (quotes,
    ``*``, parentheses, operators' punctuation) only separates them."""
    return _WORD.findall(text or "")[:32]


#: on PostgreSQL, a search matching more sentences than this tests the window's events
#: one by one instead of collecting its matches (see :func:`common_search`)
COMMON_SEARCH_ROWS = 20_000


def _search(dialect: str, common: bool = False) -> ColumnElement[bool]:
    """Events whose title, or one of whose evidence sentences, holds every word of
    ``q`` (stemmed): SQLite's FTS5 tables, PostgreSQL's ``to_tsvector`` GIN indexes
    (both made by migration 0005).

    The matching events are collected from the full-text indexes once per index range
    read, so a search costs about as much as it has matches in the whole database (a
    rare word is cheap, the commonest words cost most; see ``docs/api.md``). On
    PostgreSQL a ``common`` search instead tests each event of the window in timeline
    order, which soon fills a page when many events match (collecting hundreds of
    thousands of matches would overflow the bitmap and re-read every sentence).
    """
    words = bindparam("search")
    if dialect == "sqlite":
        titles = select(_EVENTS_FTS.c.rowid).where(literal_column("events_fts").op("MATCH")(words))
        sentences = (
            select(Mention.event_id)
            .select_from(_MENTIONS_FTS)
            .join(Mention, Mention.id == _MENTIONS_FTS.c.rowid)
            .where(literal_column("mentions_fts").op("MATCH")(words))
        )
    else:
        english = literal_column("'english'")
        query = func.plainto_tsquery(english, words)
        if common:
            return or_(
                func.to_tsvector(english, Event.title).op("@@")(query),
                exists().where(
                    Mention.event_id == Event.id,
                    func.to_tsvector(english, Mention.sentence).op("@@")(query),
                ),
            )
        other = aliased(Event)
        titles = select(other.id).where(func.to_tsvector(english, other.title).op("@@")(query))
        sentences = select(Mention.event_id).where(
            func.to_tsvector(english, Mention.sentence).op("@@")(query)
        )
    return Event.id.in_(union_all(titles, sentences))


def common_search(session: DB, f: TimelineFilter) -> bool:
    """On PostgreSQL, whether ``q`` matches more than :data:`COMMON_SEARCH_ROWS`
    sentences: one count through the GIN index that stops there."""
    dialect = _engine(session).dialect.name
    if dialect == "sqlite" or not search_words(f.q):
        return False
    english = literal_column("'english'")
    query = func.plainto_tsquery(english, bindparam("search"))
    found = select(Mention.id).where(func.to_tsvector(english, Mention.sentence).op("@@")(query))
    limit = bindparam("search_limit", type_=Integer)
    counted = select(func.count()).select_from(found.limit(limit).subquery())
    params = {**_parameters(f, dialect), "search_limit": COMMON_SEARCH_ROWS + 1}
    rows = _run(session, ("search-count",), counted, params)
    return bool(rows) and rows[0][0] > COMMON_SEARCH_ROWS


def _search_parameter(words: list[str], dialect: str) -> str:
    """The ``q`` words as the backend's query: FTS5 phrases of one word each (quoted, so
    no word is read as an operator) joined by AND; plain words for ``plainto_tsquery``."""
    if dialect == "sqlite":
        return " ".join(f'"{w}"' for w in words)
    return " ".join(words)


def _conditions(
    f: TimelineFilter, dialect: str = "default", common: bool = False
) -> list[ColumnElement[bool]]:
    """Every filter except the date window, as bound parameters named after the filter.

    Only which filters are present shapes the statement; their values are parameters, so
    one statement object (and its compiled SQL) serves every query of that shape.
    """
    conds: list[ColumnElement[bool]] = []
    if f.end is not None:
        conds.append(Event.start_at < bindparam("end"))
    if f.type:
        conds.append(Event.type == bindparam("type"))
    if f.agreement:
        conds.append(Event.agreement == bindparam("agreement"))
    if f.min_sources:
        conds.append(Event.source_count >= bindparam("min_sources"))
    if f.actors:
        conds.append(
            exists().where(
                EventActor.event_id == Event.id,
                EventActor.actor.in_([bindparam(f"actor{i}") for i in range(len(f.actors))]),
            )
        )
    if f.sources:
        conds.append(
            exists()
            .where(Mention.event_id == Event.id)
            .where(Document.id == Mention.document_id)
            .where(
                Source.id == Document.source_id,
                Source.slug.in_([bindparam(f"source{i}") for i in range(len(f.sources))]),
            )
        )
    if f.q:
        conds.append(_search(dialect, common) if search_words(f.q) else false())
    if f.after is not None:
        conds.append(Event.start_at >= bindparam("after_start"))
        conds.append(
            or_(Event.start_at > bindparam("after_start"), Event.key > bindparam("after_key"))
        )
    return conds


def _parameters(f: TimelineFilter, dialect: str = "default") -> dict[str, Any]:
    words = search_words(f.q)
    values: dict[str, Any] = {
        "end": f.end,
        "type": f.type,
        "agreement": f.agreement,
        "min_sources": f.min_sources,
        "search": _search_parameter(words, dialect) if words else None,
    }
    values.update((f"actor{i}", a) for i, a in enumerate(f.actors))
    values.update((f"source{i}", v) for i, v in enumerate(f.sources))
    if f.after is not None:
        values["after_start"], values["after_key"] = f.after
    return {k: v for k, v in values.items() if v not in (None, [])}


class SpanCache:
    """The longest interval of each granularity, per database and data version.

    A window query asks each granularity for events starting no earlier than
    ``from - longest span``: an index range that holds little besides the answer.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._spans: dict[int, tuple[int, dict[str, float]]] = {}

    def get(self, session: DB, version: int) -> dict[str, float]:
        bind = _engine(session)
        key = id(bind)  # one engine per app; str(url) would cost more than the lookup
        with self._lock:
            hit = self._spans.get(key)
        if hit is not None and hit[0] == version:
            return hit[1]
        if bind.dialect.name == "sqlite":
            days = func.max(func.julianday(Event.end_at) - func.julianday(Event.start_at))
        else:
            days = func.max(func.extract("epoch", Event.end_at - Event.start_at)) / 86400.0
        with _core(session) as conn:
            rows = conn.execute(select(Event.granularity, days).group_by(Event.granularity))
            spans = {g: float(d or 0.0) for g, d in rows}
        with self._lock:
            self._spans[key] = (version, spans)
        return spans


spans = SpanCache()


#: within this many days, granularities share one index range (day, time, part of day)
SHORT_SPAN_DAYS = 1.5


_statements: dict[tuple[Any, ...], Select[Any]] = {}


_statements_lock = threading.Lock()


def _window_groups(granularity_spans: dict[str, float]) -> list[tuple[tuple[str, ...], float]]:
    """Granularities grouped for the window: all short ones together, each long one alone."""
    short = sorted(g for g, d in granularity_spans.items() if d <= SHORT_SPAN_DAYS)
    groups = [(tuple(short), max(granularity_spans[g] for g in short))] if short else []
    groups += sorted(((g,), d) for g, d in granularity_spans.items() if d > SHORT_SPAN_DAYS)
    return groups


def _build(
    f: TimelineFilter,
    groups: list[tuple[tuple[str, ...], float]],
    dialect: str,
    common: bool = False,
) -> Select[Any]:
    if f.actors:
        return _build_by_actor(f, groups, dialect, common)
    conds = _conditions(f, dialect, common)
    columns = _columns(_EVENT_COLUMNS, dialect)
    order = (Event.start_at, Event.key)
    n = f.limit + 1
    if f.start is None:
        return select(*columns).where(*conds).order_by(*order).limit(n)
    parts = []
    for i, (granularities, _) in enumerate(groups):
        which = Event.granularity.in_(
            [bindparam(f"g{i}_{j}", g) for j, g in enumerate(granularities)]
        )
        parts.append(
            select(*columns)
            .where(
                which,
                Event.start_at > bindparam(f"lowest{i}", type_=Event.start_at.type),
                Event.end_at > bindparam("start", type_=Event.end_at.type),
                *conds,
            )
            .order_by(*order)
            .limit(n)
        )
    if len(parts) == 1:
        return parts[0]
    merged = union_all(*(select(p.subquery()) for p in parts)).subquery()
    return select(merged).order_by(merged.c.start_at, merged.c.key).limit(n)


def _build_by_actor(
    f: TimelineFilter,
    groups: list[tuple[tuple[str, ...], float]],
    dialect: str,
    common: bool = False,
) -> Select[Any]:
    """An actor's page from the actor index (see :class:`~.models.EventActor`).

    One part per (actor name, granularity): an index range on ``(actor, granularity,
    start_at, key)`` read in timeline order, its window and cursor tested on the index's
    own columns, the other filters on the event, ``LIMIT`` page size + 1. The parts'
    union holds the page; only its events are read in full.
    """
    ea = EventActor
    rest = _conditions(
        TimelineFilter(**{**f.__dict__, "actors": [], "end": None, "after": None}),
        dialect,
        common,
    )
    n = f.limit + 1
    parts = []
    for k in range(len(f.actors)):
        for i, (granularities, _) in enumerate(groups):
            where = [
                ea.actor == bindparam(f"actor{k}"),
                ea.granularity == bindparam(f"g{i}_0", granularities[0]),
            ]
            if f.start is not None:
                where.append(ea.start_at > bindparam(f"lowest{i}", type_=ea.start_at.type))
                where.append(ea.end_at > bindparam("start", type_=ea.end_at.type))
            if f.end is not None:
                where.append(ea.start_at < bindparam("end", type_=ea.start_at.type))
            if f.after is not None:
                after = bindparam("after_start", type_=ea.start_at.type)
                where.append(ea.start_at >= after)
                where.append(or_(ea.start_at > after, ea.key > bindparam("after_key")))
            part = select(ea.event_id, ea.start_at, ea.key).where(*where)
            if rest:
                part = part.join(Event, Event.id == ea.event_id).where(*rest)
            parts.append(part.order_by(ea.start_at, ea.key).limit(n))
    if len(parts) == 1:
        found = parts[0].subquery("found")
    else:
        found = union_all(*(select(p.subquery()) for p in parts)).subquery("found")
    ids = select(found.c.event_id, found.c.start_at, found.c.key)
    if len(f.actors) > 1:  # an event may be stored under both names
        ids = ids.distinct()
    page = ids.order_by(found.c.start_at, found.c.key).limit(n).subquery("page")
    return (
        select(*_columns(_EVENT_COLUMNS, dialect))
        .join(page, Event.id == page.c.event_id)
        .order_by(page.c.start_at, page.c.key)
    )


def page_statement(
    f: TimelineFilter,
    granularity_spans: dict[str, float] | None,
    dialect: str = "default",
    common: bool = False,
) -> tuple[Select[Any], dict[str, Any], tuple[Any, ...]] | None:
    """The page's SQL and its parameters: one ordered index range, or a few when windowed.

    Statements are cached by shape (which filters, which granularity groups, the limit).
    """
    if f.actors:  # the actor index: every granularity alone, windowed or not
        groups = sorted(((g,), d) for g, d in (granularity_spans or {}).items())
        if not groups:
            return None
    else:
        groups = _window_groups(granularity_spans or {}) if f.start is not None else []
        if f.start is not None and not groups:
            return None
        if f.q and len(groups) > 1:  # one range: the search's matches are collected once
            groups = [(tuple(g for names, _ in groups for g in names), max(d for _, d in groups))]
    shape = (
        dialect,
        f.start is not None,
        f.end is not None,
        bool(f.type),
        bool(f.agreement),
        bool(f.min_sources),
        len(f.actors),
        len(f.sources),
        bool(f.q),
        bool(search_words(f.q)),
        common,
        f.after is not None,
        f.limit,
        tuple(g for g, _ in groups),
    )
    with _statements_lock:
        stmt = _statements.get(shape)
    if stmt is None:
        stmt = _build(f, groups, dialect, common)
        with _statements_lock:
            if len(_statements) > 512:
                _statements.clear()
            _statements[shape] = stmt
    params = _parameters(f, dialect)
    if f.start is not None:
        params["start"] = f.start
        floor = datetime(1, 1, 2, tzinfo=UTC)
        for i, (_, days) in enumerate(groups):
            reach = timedelta(days=days + 1e-3)
            lowest = f.start - reach if f.start - floor > reach else floor - timedelta(days=1)
            params[f"lowest{i}"] = lowest
    return stmt, params, shape


@dataclass
class DriverSQL:
    """A statement compiled once for a dialect and run as driver SQL.

    SQLAlchemy's per-execution work (cache key, parameter and result processing) cost
    more than the query itself on the timeline's hot path; this keeps SQLAlchemy as the
    SQL writer and leaves only the database's work. Parameters are converted here the way
    the column types would (timestamps as SQLite's stored text); results come back raw
    and are read by :func:`stamp` and :func:`_json_list`.
    """

    sql: str
    names: tuple[str, ...] | None  # positional parameter order, None for named styles
    defaults: dict[str, Any]
    sqlite: bool
    row: Any = None  # a namedtuple of the result's columns, made on first run

    @classmethod
    def compile(cls, stmt: Any, dialect: Any) -> DriverSQL | None:
        compiled = stmt.compile(dialect=dialect)
        if "POSTCOMPILE" in compiled.string:
            return None  # an expanding parameter: leave it to SQLAlchemy
        defaults = {k: b.value for k, b in compiled.binds.items() if b.value is not None}
        names = tuple(compiled.positiontup) if compiled.positional else None
        return cls(compiled.string, names, defaults, dialect.name == "sqlite")

    def run(self, session: DB, values: dict[str, Any]) -> list[Any]:
        params = {**self.defaults, **values}
        if self.sqlite:
            for key, value in params.items():
                if isinstance(value, datetime):
                    params[key] = value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        args: Any = tuple(params[n] for n in self.names) if self.names is not None else params
        cursor = _cursor(session)
        try:
            cursor.execute(self.sql, args)
            rows = cursor.fetchall()
            if self.row is None:
                self.row = namedtuple("Row", [d[0] for d in cursor.description], rename=True)
        finally:
            cursor.close()
        make = self.row._make
        return [make(r) for r in rows]


_driver: dict[tuple[Any, ...], DriverSQL | None] = {}


def _run(session: DB, key: tuple[Any, ...], stmt: Select[Any], params: dict[str, Any]) -> Any:
    """Run ``stmt`` as cached driver SQL when it compiles to plain SQL, else through Core."""
    dialect = _engine(session).dialect
    full = (dialect.name, *key)
    if full not in _driver:
        if len(_driver) > 2048:
            _driver.clear()
        _driver[full] = DriverSQL.compile(stmt, dialect)
    driver = _driver[full]
    if driver is None:
        with _core(session) as conn:
            return conn.execute(stmt, params).all()
    return driver.run(session, params)


def json_list(value: Any) -> list[Any]:
    """A JSON list column read raw: text on SQLite, maybe already parsed elsewhere."""
    if value is None:
        return []
    if isinstance(value, str):
        return list(json.loads(value))
    return list(value)


def count_events(session: DB, f: TimelineFilter, common: bool = False) -> tuple[int, bool]:
    """How many events match the filter over all pages, up to ``f.total_cap``, and whether
    the count stopped there. Only when asked: it reads every match up to the cap, so its
    cost is bounded by the cap, not by the archive (a common word at a million events)."""
    counted = TimelineFilter(**{**f.__dict__, "after": None})
    dialect = _engine(session).dialect.name
    conds = _conditions(counted, dialect, common)
    params = _parameters(counted, dialect)
    if f.start is not None:
        conds.append(Event.end_at > bindparam("start", type_=Event.end_at.type))
        params["start"] = f.start
    matches = select(Event.id).where(*conds).limit(bindparam("cap", type_=Integer))
    stmt = select(func.count()).select_from(matches.subquery())
    params["cap"] = f.total_cap + 1
    with _core(session) as conn:
        found = conn.scalar(stmt, params) or 0
    return min(found, f.total_cap), found > f.total_cap


_REF_COLUMNS = (
    Mention.event_id,
    Source.slug,
    Source.name,
    Document.id,
    Document.url,
    Document.published_at,
    Mention.sentence,
    Mention.when_text,
)


_VERSION = (
    select(DataVersion.version).where(DataVersion.id == 1).scalar_subquery().label("data_version")
)


@lru_cache(maxsize=1024)
def _refs_statement(dialect: str, n: int) -> Select[Any]:
    """The evidence of ``n`` events; each row also carries the data version its statement
    saw, so the caller can tell whether a write committed while it was reading."""
    return (
        select(*_columns(_REF_COLUMNS, dialect), _VERSION)
        .join(Document, Mention.document_id == Document.id)
        .join(Source, Document.source_id == Source.id)
        .where(Mention.event_id.in_([bindparam(f"id{i}") for i in range(n)]))
        .order_by(Mention.event_id, Document.published_at, Document.id, Mention.sentence_start)
    )


def source_refs(db: DB, event_ids: list[int]) -> tuple[dict[int, list[Any]], int | None]:
    """Each event's evidence rows (source slug and name, document id, url and publication,
    sentence, when_text), the first of each document, and the data version the statement
    saw (None without rows)."""
    if not event_ids:
        return {}, None
    statement = _refs_statement(_engine(db).dialect.name, len(event_ids))
    params = {f"id{i}": event_id for i, event_id in enumerate(event_ids)}
    rows = _run(db, ("refs", len(event_ids)), statement, params)
    refs: dict[int, list[Any]] = {}
    seen: set[tuple[int, int]] = set()
    for row in rows:
        if (row[0], row[3]) in seen:
            continue
        seen.add((row[0], row[3]))
        refs.setdefault(row[0], []).append(row)
    return refs, (rows[0].data_version if rows else None)


_MENTION_COLUMNS = (
    Mention.id,
    Mention.basis,
    Mention.document_id,
    Mention.event_id,
    Mention.sentence,
    Mention.sentence_start,
    Mention.sentence_end,
    Mention.when_text,
    Mention.date_value,
    Mention.granularity,
    Mention.start_at,
    Mention.end_at,
    Mention.anchor_at,
    Mention.anchor_timezone,
    Mention.resolver_version,
    Mention.title,
    Mention.type,
    Mention.actors,
    Mention.attribution,
    Mention.modality,
)


def _mention_query(where: Any) -> Any:
    """Mentions with their event's key and dissent and their source, in reading order."""
    return (
        select(
            *_MENTION_COLUMNS,
            Event.key.label("event_key"),
            Event.dissent.label("event_dissent"),
            Source.slug,
        )
        .join(Document, Mention.document_id == Document.id)
        .join(Source, Document.source_id == Source.id)
        .outerjoin(Event, Mention.event_id == Event.id)
        .where(where)
        .order_by(Document.published_at, Document.id, Mention.sentence_start)
    )


def mentions_by_event(db: DB, event_ids: list[int]) -> dict[int, list[Any]]:
    """The mention rows of some events, each event's in reading order."""
    out: dict[int, list[Any]] = {}
    with _core(db) as conn:
        rows = conn.execute(_mention_query(Mention.event_id.in_(event_ids))).all()
    for m in rows:
        out.setdefault(m.event_id, []).append(m)
    return out


def mention_rows(session: Session, where: Any) -> list[Any]:
    """Mentions with their date claims, event key and dissent, and source, in reading
    order, for an event's or a document's detail view."""
    return list(session.execute(_mention_query(where)).all())


def event_row(session: Session, key: str) -> Any | None:
    """One event's row (the timeline's columns) by its public id."""
    return session.execute(select(*_EVENT_COLUMNS).where(Event.key == key)).first()


@dataclass
class PageRows:
    """One page of event rows in (start, key) order, and whether another page follows."""

    rows: list[Any]
    more: bool
    common: bool = False  # the search was answered as a common one (see common_search)


def page_rows(db: DB, f: TimelineFilter, *, version: int | None = None) -> PageRows:
    """The rows of one page of merged events in (start, id) order."""
    granularity_spans = None
    if f.start is not None or f.actors:
        if version is None:
            version = data_version(db)[0]
        granularity_spans = spans.get(db, version)
    dialect = _engine(db).dialect.name
    common = common_search(db, f) if f.q else False
    built = page_statement(f, granularity_spans, dialect, common)
    rows: list[Any] = []
    if built is not None:
        stmt, params, shape = built
        rows = _run(db, ("page", *shape), stmt, params)
    return PageRows(rows[: f.limit], len(rows) > f.limit, common)


def source_counts(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(Source.slug, func.count(Document.id))
        .outerjoin(Document, Document.source_id == Source.id)
        .group_by(Source.slug)
    ).all()
    return {slug: count for slug, count in rows}
