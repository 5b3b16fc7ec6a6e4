"""Merging on a dense archive of real news: the copies of ``bench/event_eval.py``'s dense
mode (TimeBank, the TimeLine trial articles, the project's articles and the seeds, each
copy moved a week and given a made-up word per sentence), where many mentions share a
day, a month or a year and events gain members from copy after copy.

What the merge promises there, on both databases: every ingest order and every way of
ingesting (batches or one document per transaction) gives one timeline; deleting
documents leaves exactly the timeline of the rest; the ``merge_keys`` index holds what
merging computes, as the migration that created it would have written it; and the
signature cache stays within its byte budget and never hands out a stale signature.
"""

from __future__ import annotations

import importlib.util
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_merge import open_session

from timeline_service.events import store as events
from timeline_service.events.similarity import block_of, merge_keys
from timeline_service.events.store import rows
from timeline_service.pipeline import ingest as pipeline
from timeline_service.plugins import actor_table
from timeline_service.sdk.article import RawDocument
from timeline_service.store.models import Document, Event, Mention, MergeKey

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import event_eval  # noqa: E402

#: every 5th article of the real news, copied three times (three weeks): ~135 documents
STEP, CYCLES = 5, 3


@pytest.fixture(scope="module")
def news() -> list[RawDocument]:
    return event_eval.real_news()[::STEP]


def dense(news: list[RawDocument]) -> list[RawDocument]:
    return [event_eval.dense_copy(news, i) for i in range(CYCLES * len(news))]


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    with open_session(database_url) as s:
        yield s


def clear(session: Session) -> None:
    for table in ("event_actors", "merge_keys", "mentions", "events", "documents"):
        session.execute(Document.metadata.tables[table].delete())
    session.commit()


def snapshot(session: Session) -> list[tuple]:
    """Every event a reader sees, its members named by content (ids depend on order)."""
    session.expire_all()
    members: dict[int, list[tuple[str, int]]] = {}
    for event_id, content_hash, start in session.execute(
        select(Mention.event_id, Document.content_hash, Mention.sentence_start).join(
            Document, Mention.document_id == Document.id
        )
    ):
        members.setdefault(event_id, []).append((content_hash, start))
    out = [
        (e.key, e.date_value, e.granularity, e.agreement, e.type, e.title, e.source_count,
         e.mention_count, tuple(e.actors), len(e.dissent), tuple(sorted(members.pop(e.id))))
        for e in session.scalars(select(Event))
    ]  # fmt: skip
    assert not members, "every mention belongs to an event"
    return sorted(out)


def bulk(session: Session, docs: list[RawDocument], batch_size: int = 16) -> None:
    for outcome in pipeline.ingest_many(session, docs, batch_size=batch_size, with_events=False):
        assert outcome.result is not None, outcome.error


def test_every_order_and_way_of_ingesting_gives_one_timeline(
    session: Session, news: list[RawDocument]
) -> None:
    docs = dense(news)
    bulk(session, docs)
    in_batches = snapshot(session)
    assert len(in_batches) > 200
    assert max(len(e[-1]) for e in in_batches) >= CYCLES  # copies met in one event

    clear(session)
    shuffled = docs[:]
    random.Random(18).shuffle(shuffled)
    for raw in shuffled:  # the API's path: one document per transaction
        assert pipeline.ingest(session, raw).created
    assert snapshot(session) == in_batches

    clear(session)
    bulk(session, docs[::-1], batch_size=40)
    assert snapshot(session) == in_batches


def test_deleting_documents_leaves_exactly_the_timeline_of_the_rest(
    session: Session, news: list[RawDocument]
) -> None:
    docs = dense(news)
    gone = set(range(1, len(docs), 3))
    kept = [raw for i, raw in enumerate(docs) if i not in gone]
    bulk(session, kept[::-1])
    expected = snapshot(session)

    clear(session)
    bulk(session, docs)
    hashes = {i: pipeline.prepare(raw).content_hash for i, raw in enumerate(docs) if i in gone}
    by_hash = {d.content_hash: d for d in session.scalars(select(Document))}
    assert snapshot(session) != expected
    for i in sorted(gone, key=lambda i: (i * 7) % len(docs)):  # an order of their own
        pipeline.delete_document(session, by_hash[hashes[i]])
    assert snapshot(session) == expected


def test_the_index_holds_the_keys_merging_computes_and_the_migration_writes(
    session: Session, news: list[RawDocument]
) -> None:
    bulk(session, dense(news)[: len(news)])
    stored = {
        (k.mention_id, k.key): (k.block, k.fine, k.weight, k.total)
        for k in session.scalars(select(MergeKey))
    }
    rows.bind_table(session, actor_table())
    ids = list(session.scalars(select(Mention.id)))
    sigs = rows.load_ids(session, ids)
    computed = {
        (s.id, key): (block_of(s), s.fine, weight, s.weight)
        for s in sigs
        for key, weight in merge_keys(s).items()
    }
    assert stored == computed
    assert len({m for m, _ in stored}) < len(ids)  # mentions without keys have no rows

    spec = importlib.util.spec_from_file_location(
        "merge_keys_migration", ROOT / "migrations" / "versions" / "0006_merge_keys.py"
    )
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    backfilled = {}
    for m in session.scalars(select(Mention)):
        terms = json.loads(m.terms) if isinstance(m.terms, str) else list(m.terms or [])
        for row in migration._rows(m.id, m.document_id, m.date_value, m.granularity, m.type, terms):
            backfilled[(row["mention_id"], row["key"])] = (
                row["block"], row["fine"], row["weight"], row["total"]
            )  # fmt: skip
    assert backfilled == stored


def test_the_signature_cache_keeps_to_its_byte_budget_and_its_rows(
    session: Session, news: list[RawDocument]
) -> None:
    bulk(session, dense(news)[: len(news)])
    rows.bind_table(session, actor_table())
    ids = sorted(session.scalars(select(Mention.id)))
    cache = rows.signature_cache(session)
    cache.clear()
    cache.max_bytes = 64 * 1024  # room for about 50 signatures
    sigs = rows.load_ids(session, ids)
    assert len(sigs) == len(ids) > 150
    assert cache.bytes <= cache.max_bytes
    assert 0 < len(cache) < 80
    assert cache.bytes == sum(rows.footprint(s) for s in cache._items.values())
    kept = next(iter(cache._items))  # the least recently used
    rows.load_ids(session, [kept])  # used again: now the most recent
    assert next(reversed(cache._items)) == kept

    # a re-dated row is read afresh, not from the cache
    mention = session.get(Mention, kept)
    assert mention is not None
    cached = cache._items[kept]
    mention.date_value = "1999-12-31"
    session.flush()
    (again,) = rows.load_ids(session, [kept])
    assert again.value == "1999-12-31" and cache._items[kept] is not cached
    session.rollback()
    cache.max_bytes = events.SignatureCache().max_bytes
