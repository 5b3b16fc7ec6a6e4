"""Storing prepared documents: one transaction per document (the API) or per batch (the
CLI), and deleting one. The merge runs inside the same transaction, so a write is stored
whole or not at all, and the timeline never shows an event no stored document supports.
"""

from __future__ import annotations

import copyreg
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from itertools import chain
from multiprocessing import get_context
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from ..events import store as events
from ..plugins import PluginFailure, PluginRejected, actor_table, plugin_of, version_of
from ..sdk import RawDocument, Source
from ..store.db import store_budget
from ..store.models import DataVersion, Document, Event, Mention
from ..store.models import Source as SourceRow
from . import collector, limits
from .parse import UnknownSource
from .prepare import Prepared, content_hash, prepare


@dataclass(frozen=True)
class IngestResult:
    """The stored document, whether this call created it, and the events it touched."""

    document: Document
    created: bool
    events: list[Event]


def find_existing(session: Session, raw: RawDocument) -> Document | None:
    """The stored document with the same content or the same URL, if any."""
    clauses = [Document.content_hash == content_hash(raw)]
    if raw.url:
        clauses.append(Document.url == raw.url)
    return session.scalars(select(Document).where(or_(*clauses)).limit(1)).first()


def source_row(session: Session, source: Source) -> SourceRow:
    """The outlet's row, created on first use and kept in step with the plugin.

    Fields are assigned only when they differ, so an unchanged outlet costs no UPDATE.
    """
    row = session.scalar(select(SourceRow).where(SourceRow.slug == source.slug))
    if row is None:
        row = SourceRow(slug=source.slug, name=source.name, plugin=plugin_of(source))
        session.add(row)
    wanted = {
        "name": source.name,
        "homepage": source.homepage,
        "domains": list(source.domains),
        "language": source.language,
        "timezone": source.timezone,
        "plugin": plugin_of(source),
        "plugin_version": version_of(source),
    }
    for key, value in wanted.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
    return row


def _document_row(prepared: Prepared, source: SourceRow) -> Document:
    """The document's row. Linked to its source by id, not through the relationship: a
    long bulk ingest would otherwise keep every document in the source's pending
    ``documents`` collection for as long as the session lives."""
    article = prepared.article
    raw = prepared.raw
    return Document(
        source_id=source.id,
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


def store(session: Session, prepared: Prepared) -> Document:
    """Add the document, its mentions and their events to the session (not committed)."""
    return store_many(session, [prepared])[0]


def store_many(session: Session, prepared: Sequence[Prepared]) -> list[Document]:
    """Add documents, their mentions and their events to the session (not committed).

    The merge runs once for all of them: a batch re-clusters each day it touches once,
    not once per document, and since merging is a function of the stored set the events
    are the same as if the documents had been stored one by one.
    """
    bump_data_version(session)  # first: the write lock, see bump_data_version
    table = actor_table()
    outlets = {p.source.slug: p.source for p in prepared}
    rows = {slug: source_row(session, source) for slug, source in outlets.items()}
    if any(row.id is None for row in rows.values()):
        session.flush()  # a new outlet: its id
    documents = [_document_row(p, rows[p.source.slug]) for p in prepared]
    session.add_all(documents)
    session.flush()
    mentions = [
        events.mention_values(document.id, m)
        for document, p in zip(documents, prepared, strict=True)
        for m in p.mentions
    ]
    ids: list[int] = []
    if mentions:  # one executemany
        session.execute(Mention.__table__.insert(), mentions)
        rows = _inserted(session, documents)
        ids = [r.id for r in rows]
        events.remember(session, _stored_mentions(rows, documents, mentions), table)
    events.rederive(session, events.attach(session, ids, table), table)
    return documents


def _inserted(session: Session, documents: Sequence[Document]) -> list[Any]:
    """The mentions of the documents just stored, in insertion order (ids grow as rows
    are inserted)."""
    table = Mention.__table__
    return session.execute(
        select(table.c.id, table.c.document_id, table.c.sentence_start, table.c.when_start)
        .where(table.c.document_id.in_([d.id for d in documents]))
        .order_by(table.c.document_id, table.c.id)
    ).all()


def _stored_mentions(
    rows: list[Any], documents: Sequence[Document], mentions: list[dict[str, Any]]
) -> list[events.StoredMention]:
    """The mentions just inserted with their ids; nothing when the rows read back do not
    line up with the values inserted."""
    ordered = sorted(mentions, key=lambda m: m["document_id"])  # stable: insertion order
    if len(rows) != len(ordered) or any(
        (r.document_id, r.sentence_start, r.when_start)
        != (m["document_id"], m["sentence_start"], m["when_start"])
        for r, m in zip(rows, ordered, strict=True)
    ):
        return []
    owners = {d.id: d for d in documents}
    return [
        events.StoredMention(
            r.id,
            m,
            owners[r.document_id].content_hash,
            owners[r.document_id].published_at,
        )
        for r, m in zip(rows, ordered, strict=True)
    ]


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
    store_seconds: float | None = None,
) -> IngestResult:
    """Store ``raw`` with its mentions and events in one transaction, or return the copy.

    The same content or URL ingested twice (even concurrently) yields the existing
    document. Any failure rolls the whole document back. ``time_budget`` bounds the
    preparation (parse, dates, extraction); ``store_seconds`` the transaction (raising
    :class:`~timeline_service.db.StoreBudgetExceeded` when it overruns).
    """
    existing = find_existing(session, raw)
    if existing is not None:
        return IngestResult(existing, False, _events_of(session, existing))
    with limits.time_budget(time_budget):
        prepared = prepare(raw, parse_budget=parse_budget)
    try:
        with store_budget(session, store_seconds):
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


#: What a document can be rejected for before anything is stored; other errors are faults.
REJECTIONS: tuple[type[Exception], ...] = (
    PluginFailure,
    UnknownSource,
    limits.BudgetExceeded,
    ValueError,
)


@dataclass(frozen=True)
class Outcome:
    """What became of one document of :func:`ingest_many`: its result, or its rejection."""

    raw: RawDocument
    result: IngestResult | None = None
    error: Exception | None = None


def ingest_many(
    session: Session,
    raws: Iterable[RawDocument],
    *,
    batch_size: int = 64,
    jobs: int = 1,
    parse_budget: float = 5.0,
    time_budget: float | None = None,
    with_events: bool = True,
) -> Iterator[Outcome]:
    """Ingest documents in batches, one transaction per batch; yield an outcome for each,
    in order, as its batch commits.

    The bulk path: the duplicate check, the source rows and the merge run once per batch.
    A document the plugins or the limits reject is reported and skipped; the rest of its
    batch is stored. Should the batch's transaction fail, its documents are ingested one by
    one: on a unique constraint (another writer stored one of them meanwhile) the copy is
    found; after any other database error a document the database still refuses is
    reported with the reason (:class:`StoreFailed`) and the others are stored.

    With ``jobs`` > 1, that many worker processes prepare the next batch (parse, dates,
    extraction: no database) while this one stores the current one. They are new
    interpreters: they see installed plugins and ``TIMELINE_*`` settings from the
    environment, not plugins registered in this process at run time.

    ``with_events=False`` leaves each result's ``events`` empty, sparing a read of every
    batch's events back from the store when the caller only counts what happened.
    """
    with collector.fewer_full_collections():
        yield from _ingest_batches(
            session, _batches(raws, batch_size), jobs, parse_budget, time_budget, with_events
        )


def _ingest_batches(
    session: Session,
    batches: Iterator[list[RawDocument]],
    jobs: int,
    parse_budget: float,
    time_budget: float | None,
    with_events: bool,
) -> Iterator[Outcome]:
    if jobs <= 1:
        for batch in batches:
            work = [partial(_prepare_portably, raw, parse_budget, time_budget) for raw in batch]
            yield from _ingest_batch(session, batch, work, parse_budget, time_budget, with_events)
        return
    # spawned, not forked: a fork copies the parent's threads' locks, not the threads
    with ProcessPoolExecutor(jobs, mp_context=get_context("spawn")) as pool:
        ahead: tuple[list[RawDocument], list[Future[Prepared | Exception]]] | None = None
        for batch in chain(batches, [None]):
            if batch is not None:
                futures = [
                    pool.submit(_prepare_portably, raw, parse_budget, time_budget) for raw in batch
                ]
            if ahead is not None:
                done, pending = ahead
                work = [f.result for f in pending]
                yield from _ingest_batch(
                    session, done, work, parse_budget, time_budget, with_events
                )
            ahead = (batch, futures) if batch is not None else None


def _batches(raws: Iterable[RawDocument], size: int) -> Iterator[list[RawDocument]]:
    batch: list[RawDocument] = []
    for raw in raws:
        batch.append(raw)
        if len(batch) >= max(1, size):
            yield batch
            batch = []
    if batch:
        yield batch


def _prepare_portably(
    raw: RawDocument, parse_budget: float, time_budget: float | None
) -> Prepared | Exception:
    """``prepare`` with its rejection returned rather than raised (it may cross processes)."""
    try:
        with limits.time_budget(time_budget):
            return prepare(raw, parse_budget=parse_budget)
    except REJECTIONS as exc:
        return exc


# Rejections travel back from preparing processes: rebuild them from their own fields.
copyreg.pickle(PluginFailure, lambda e: (PluginFailure, (e.plugin, e.detail)))
copyreg.pickle(PluginRejected, lambda e: (PluginRejected, (e.plugin, e.detail)))
copyreg.pickle(UnknownSource, lambda e: (UnknownSource, (e.slug,)))


def _identity(raw: RawDocument) -> tuple[str, list[str]]:
    """The input's content hash, and what makes two inputs one document: the same words,
    or the same URL."""
    digest = content_hash(raw)
    return digest, ["hash:" + digest] + (["url:" + raw.url] if raw.url else [])


def _ingest_one(
    session: Session,
    raw: RawDocument,
    parse_budget: float,
    time_budget: float | None,
    *,
    tolerate: bool = False,
) -> Outcome:
    """Ingest one document of a failed batch; ``tolerate`` also reports a database error
    as that document's rejection, so it cannot take the rest of its batch down."""
    try:
        return Outcome(
            raw, ingest(session, raw, parse_budget=parse_budget, time_budget=time_budget)
        )
    except REJECTIONS as exc:
        return Outcome(raw, error=exc)
    except SQLAlchemyError as exc:
        if not tolerate:
            raise
        cause = getattr(exc, "orig", None) or exc
        return Outcome(raw, error=StoreFailed(f"{type(cause).__name__}: {cause}"))


class StoreFailed(Exception):
    """The database refused a document's rows (reported for that document alone)."""


@dataclass
class _Batch:
    """A batch sorted out: what is stored already, what repeats an earlier document of the
    batch, what was rejected, and what is prepared for storing (by index in the batch)."""

    raws: list[RawDocument]
    outcomes: list[Outcome | None]
    duplicates: dict[int, int]  # index -> index of the batch's copy it repeats
    prepared: list[tuple[int, Prepared]]


def _sort_batch(
    session: Session, raws: list[RawDocument], work: list[Callable[[], Prepared | Exception]]
) -> _Batch:
    """Find each document's stored copy or earlier copy in the batch; prepare the rest."""
    pairs = [_identity(raw) for raw in raws]
    hashes = [digest for digest, _ in pairs]
    identities = [identity for _, identity in pairs]
    urls = [raw.url for raw in raws if raw.url]
    stored: dict[str, Document] = {}
    for document in session.scalars(
        select(Document).where(or_(Document.content_hash.in_(hashes), Document.url.in_(urls)))
    ):
        stored["hash:" + document.content_hash] = document
        if document.url:
            stored["url:" + document.url] = document
    batch = _Batch(raws, [None] * len(raws), {}, [])
    first_of: dict[str, int] = {}  # identity -> index of the batch's document that has it
    for i, (raw, identity) in enumerate(zip(raws, identities, strict=True)):
        known = next((stored[k] for k in identity if k in stored), None)
        earlier = next((first_of[k] for k in identity if k in first_of), None)
        if known is not None:
            batch.outcomes[i] = Outcome(raw, IngestResult(known, False, []))
        elif earlier is not None:
            batch.duplicates[i] = earlier
        elif isinstance(result := work[i](), Exception):
            batch.outcomes[i] = Outcome(raw, error=result)
        else:
            batch.prepared.append((i, result))
            first_of.update(dict.fromkeys(identity, i))
    return batch


def _ingest_batch(
    session: Session,
    raws: list[RawDocument],
    work: list[Callable[[], Prepared | Exception]],
    parse_budget: float,
    time_budget: float | None,
    with_events: bool = True,
) -> list[Outcome]:
    """Store one batch; ``work[i]()`` prepares ``raws[i]`` (or hands over its preparation)."""
    batch = _sort_batch(session, raws, work)
    created: dict[int, Document] = {}
    if batch.prepared:
        try:
            documents = store_many(session, [p for _, p in batch.prepared])
            session.commit()
        except SQLAlchemyError as exc:
            # Another writer stored one of these meanwhile (a unique constraint), or one
            # document's rows broke the batch's statements: store each on its own, so the
            # rest are kept and a document that cannot be stored is reported by itself.
            session.rollback()
            tolerate = not isinstance(exc, IntegrityError)
            return [
                outcome if outcome is not None and outcome.error is not None
                else _ingest_one(session, raw, parse_budget, time_budget, tolerate=tolerate)
                for raw, outcome in zip(raws, batch.outcomes, strict=True)
            ]  # fmt: skip
        except BaseException:
            session.rollback()
            raise
        created = {i: d for (i, _), d in zip(batch.prepared, documents, strict=True)}
    return _outcomes(session, batch, created, with_events)


def _outcomes(
    session: Session, batch: _Batch, created: dict[int, Document], with_events: bool
) -> list[Outcome]:
    """Every document's outcome, in batch order, with its events when asked for."""
    known = [o.result.document.id for o in batch.outcomes if o is not None and o.result]
    events = (
        _events_of_many(session, [d.id for d in created.values()] + known) if with_events else {}
    )
    done: list[Outcome] = []
    for i, raw in enumerate(batch.raws):
        outcome = batch.outcomes[i]
        if i in created or i in batch.duplicates:  # stored now, or a repeat of one that was
            document = created[i] if i in created else created[batch.duplicates[i]]
            outcome = Outcome(
                raw, IngestResult(document, i in created, events.get(document.id, []))
            )
        elif outcome is not None and outcome.result is not None:
            document = outcome.result.document
            outcome = Outcome(raw, IngestResult(document, False, events.get(document.id, [])))
        assert outcome is not None
        done.append(outcome)
    return done


def delete_document(
    session: Session, document: Document, *, store_seconds: float | None = None
) -> None:
    """Delete a document and its mentions, and re-derive the events they fed, within
    ``store_seconds`` (else nothing changes)."""
    try:
        with store_budget(session, store_seconds):
            bump_data_version(session)  # first: the write lock, see bump_data_version
            event_ids = set(
                session.scalars(select(Mention.event_id).where(Mention.document_id == document.id))
            )
            session.delete(document)
            session.flush()
            events.rederive(session, {e for e in event_ids if e is not None}, actor_table())
            session.commit()
    except BaseException:
        session.rollback()
        raise


def _events_of(session: Session, document: Document) -> list[Event]:
    return _events_of_many(session, [document.id]).get(document.id, [])


def _events_of_many(session: Session, document_ids: list[int]) -> dict[int, list[Event]]:
    """Each document's events, in timeline order (two queries for any number)."""
    out: dict[int, list[Event]] = {}
    pairs = session.execute(
        select(Mention.document_id, Mention.event_id)
        .where(Mention.document_id.in_(sorted(set(document_ids))), Mention.event_id.is_not(None))
        .distinct()
    ).all()
    if not pairs:
        return out
    events = {
        e.id: e for e in session.scalars(select(Event).where(Event.id.in_({e for _, e in pairs})))
    }
    for document_id, event_id in pairs:
        out.setdefault(document_id, []).append(events[event_id])
    for found in out.values():
        found.sort(key=lambda e: (e.start_at, e.key))
    return out
