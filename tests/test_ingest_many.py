"""Bulk ingest: batches give the timeline one-by-one ingest gives, and report every input."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from test_merge import MANIFEST, open_session, seed, timeline

from timeline_service.pipeline import collector
from timeline_service.pipeline import ingest as pipeline
from timeline_service.plugins import PluginRejected
from timeline_service.sdk.article import RawDocument
from timeline_service.store.models import Document, Mention

ARTICLES = Path(__file__).parent / "data" / "articles"


def articles() -> list[RawDocument]:
    """The seeds and the second article of each outlet (dated by their own text)."""
    others = [RawDocument(text=p.read_text("utf-8")) for p in sorted(ARTICLES.glob("*.txt"))]
    return [seed(i) for i in range(len(MANIFEST))] + others


def clear(session: Session) -> None:
    """Empty the store, so that the same database can be filled another way."""
    for table in ("event_actors", "mentions", "events", "documents"):
        session.execute(Document.metadata.tables[table].delete())
    session.commit()


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    with open_session(database_url) as s:
        yield s


@pytest.fixture
def other_session(database_url: str) -> Iterator[Session]:
    """A second connection: another writer."""
    with open_session(database_url) as s:
        yield s


@pytest.mark.parametrize("batch_size", [1, 3, 64])
def test_batches_give_the_one_by_one_timeline(
    session: Session, other_session: Session, batch_size: int
) -> None:
    docs = articles()
    for raw in docs:
        pipeline.ingest(other_session, raw)
    expected = timeline(other_session)
    clear(other_session)

    outcomes = []
    for outcome in pipeline.ingest_many(session, reversed(docs), batch_size=batch_size):
        assert outcome.result is not None and outcome.result.created
        document_id = outcome.result.document.id
        fed = session.scalars(select(Mention.event_id).where(Mention.document_id == document_id))
        assert {e.id for e in outcome.result.events} == set(fed)  # as its batch committed
        outcomes.append(outcome)

    assert [o.raw for o in outcomes] == list(reversed(docs))
    assert timeline(session) == expected
    assert len(expected) > 27  # the seeds' events and the other articles'


def test_repeats_and_rejections_are_reported_and_the_rest_stored(session: Session) -> None:
    pipeline.ingest(session, seed(0))
    moved = RawDocument(
        text=seed(1).text, url="https://example.org/copy", published_at=date(2022, 2, 24)
    )
    inputs = [
        seed(0),  # stored before
        seed(1),
        RawDocument(text="   \n  "),  # nothing to parse
        moved,  # seed 1's words again, under another URL
        seed(2),
        seed(2),  # the same input twice in one batch
    ]
    outcomes = list(pipeline.ingest_many(session, inputs, batch_size=10))

    created = [o.result.created if o.result else None for o in outcomes]
    assert created == [False, True, None, False, True, False]
    assert isinstance(outcomes[2].error, PluginRejected)
    assert outcomes[3].result is not None and outcomes[1].result is not None
    assert outcomes[3].result.document.id == outcomes[1].result.document.id
    assert outcomes[5].result.document.id == outcomes[4].result.document.id  # type: ignore[union-attr]
    assert outcomes[0].result is not None and outcomes[0].result.events
    assert session.scalar(select(func.count()).select_from(Document)) == 3


def test_a_document_stored_meanwhile_by_another_writer_is_found(
    session: Session, other_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another writer commits one of the batch's documents after the batch looked for it:
    the batch's transaction fails on the unique constraint and its documents are ingested
    one by one, the raced one as already present."""
    real_prepare = pipeline.prepare
    raced = seed(3)

    def prepare_while_another_writer_stores(raw: RawDocument, *args, **kwargs):
        if raw is raced and not other_session.scalar(select(func.count()).select_from(Document)):
            pipeline.ingest(other_session, seed(3))
        return real_prepare(raw, *args, **kwargs)

    monkeypatch.setattr(pipeline, "prepare", prepare_while_another_writer_stores)
    outcomes = list(pipeline.ingest_many(session, [seed(0), raced, seed(4)], batch_size=10))

    assert [o.result.created for o in outcomes if o.result] == [True, False, True]
    assert session.scalar(select(func.count()).select_from(Document)) == 3


def test_preparing_processes_give_the_same_timeline_and_rejections(
    session: Session, other_session: Session
) -> None:
    docs = [*articles(), RawDocument(text="   \n  ")]
    here = list(pipeline.ingest_many(other_session, docs, batch_size=4))
    expected = timeline(other_session)
    clear(other_session)

    there = list(pipeline.ingest_many(session, docs, batch_size=4, jobs=2))

    assert timeline(session) == expected
    assert [o.result is None for o in there] == [o.result is None for o in here]
    rejected = there[-1].error
    assert isinstance(rejected, PluginRejected)  # rebuilt whole from the other process
    assert (rejected.plugin, str(rejected)) == (here[-1].error.plugin, str(here[-1].error))  # type: ignore[union-attr]


def test_full_collections_are_rarer_only_while_a_bulk_ingest_runs(session: Session) -> None:
    before = gc.get_threshold()
    outcomes = pipeline.ingest_many(session, articles()[:3], batch_size=1)
    assert next(outcomes).result is not None
    during = gc.get_threshold()
    assert during[:2] == before[:2] and during[2] >= collector.BULK_THRESHOLD
    with collector.fewer_full_collections():  # nested: one change, undone by the last
        assert gc.get_threshold() == during
    assert gc.get_threshold() == during
    outcomes.close()  # abandoned part-way, as a caller that stops reading does
    assert gc.get_threshold() == before
    assert len(list(pipeline.ingest_many(session, articles()[3:5]))) == 2
    assert gc.get_threshold() == before
