"""A database made at the first revision, with rows in it, upgrades to head losing nothing.

Rows are written through tables reflected at the first revision (never through today's
models), the schema is walked up one revision at a time, and after every step each row
must still hold every value it had. At head the data must pass the consistency check and
be served by the API.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from conftest import BACKENDS, POSTGRES_URL, scratch_postgres
from sqlalchemy import MetaData, select, text
from sqlalchemy.orm import Session

from timeline_service import create_app
from timeline_service.store.check import check
from timeline_service.store.db import alembic_config, make_engine, upgrade

BODY_A = "Officials met in Geneva on March 3, 2021, the ministry said. Talks went on."
BODY_B = "The ministry said officials met in Geneva on March 3, 2021."
SENTENCE = "Officials met in Geneva on March 3, 2021, the ministry said."


@pytest.fixture(params=BACKENDS)
def blank_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database with no schema at all."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.sqlite'}"
        return
    assert POSTGRES_URL
    with scratch_postgres(POSTGRES_URL, "timeline_upgrade") as url:
        yield url


def revisions(url: str) -> list[str]:
    """Every revision id, oldest first."""
    script = ScriptDirectory.from_config(alembic_config(url))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def first_release_rows(sqlite: bool) -> dict[str, list[dict]]:
    """Two outlets reporting one event, in the columns of the first revision."""

    def at(*args: int) -> datetime:
        moment = datetime(*args, tzinfo=UTC)
        return moment.replace(tzinfo=None) if sqlite else moment

    start = BODY_B.index("officials")
    mention = {
        "sentence_start": 0,
        "sentence_end": len(SENTENCE),
        "when_text": "March 3, 2021",
        "when_start": SENTENCE.index("March"),
        "when_end": SENTENCE.index("March") + len("March 3, 2021"),
        "date_value": "2021-03-03",
        "granularity": "day",
        "start_at": at(2021, 3, 3),
        "end_at": at(2021, 3, 4),
        "anchor_at": at(2021, 3, 5),
        "anchor_timezone": "UTC",
        "resolver_version": "2026.11.1",
        "title": "Officials met in Geneva",
        "type": "meeting",
        "actors": ["Officials"],
        "attribution": "the ministry",
        "modality": "reported",
    }

    def document(i: int, source_id: int, body: str) -> dict:
        return {
            "id": i,
            "source_id": source_id,
            "url": f"https://example.org/{i}",
            "title": f"Report {i}",
            "published_at": at(2021, 3, 5),
            "published_at_origin": "metadata",
            "timezone": "Europe/Zurich",
            "language": "en",
            "dateline": "GENEVA",
            "byline": "A. Reporter",
            "raw": body,
            "raw_format": "text",
            "body": body,
            "captions": ["A caption"],
            "content_hash": f"{i:064x}",
            "notes": [],
            "ingested_at": at(2021, 3, 5, 12),
        }

    def source(i: int, slug: str) -> dict:
        return {
            "id": i,
            "slug": slug,
            "name": slug.title(),
            "homepage": f"https://{slug}.example",
            "domains": [f"{slug}.example"],
            "language": "en",
            "timezone": None,
            "plugin": f"timeline_plugins.{slug}",
            "plugin_version": "1.0",
        }

    return {
        "sources": [source(1, "alpha"), source(2, "beta")],
        "documents": [document(1, 1, BODY_A), document(2, 2, BODY_B)],
        "events": [
            {
                "id": 1,
                "key": "ev_00000000000000000001",
                "date_value": "2021-03-03",
                "granularity": "day",
                "start_at": at(2021, 3, 3),
                "end_at": at(2021, 3, 4),
                "agreement": "agree",
                "title": "Officials met in Geneva",
                "type": "meeting",
                "actors": ["Officials"],
                "location": "Geneva",
                "source_count": 2,
                "mention_count": 2,
                "first_reported_at": at(2021, 3, 5),
            }
        ],
        "event_actors": [{"event_id": 1, "actor": "Officials"}],
        "mentions": [
            {"id": 1, "document_id": 1, "event_id": 1, "sentence": SENTENCE, **mention},
            {
                **mention,
                "id": 2,
                "document_id": 2,
                "event_id": 1,
                "sentence": BODY_B,
                "sentence_start": 0,
                "sentence_end": len(BODY_B),
                "when_start": BODY_B.index("March"),
                "when_end": BODY_B.index("March") + len("March 3, 2021"),
                "attribution": "The ministry",
                "title": BODY_B[start:].split(" on ")[0].capitalize(),
            },
        ],
    }


def read_rows(url: str, tables: list[str]) -> dict[str, dict[tuple, dict]]:
    """Each table's rows by primary key, as plain values."""
    engine = make_engine(url)
    try:
        meta = MetaData()
        meta.reflect(engine, only=tables)
        out: dict[str, dict[tuple, dict]] = {}
        with engine.connect() as conn:
            for name in tables:
                table = meta.tables[name]
                key = [c.name for c in table.primary_key.columns]
                out[name] = {
                    tuple(row[k] for k in key): dict(row)
                    for row in conn.execute(select(table)).mappings()
                }
        return out
    finally:
        engine.dispose()


def test_first_revision_with_rows_upgrades_to_head_intact(blank_url):
    chain = revisions(blank_url)
    upgrade(blank_url, chain[0])
    rows = first_release_rows(blank_url.startswith("sqlite"))
    engine = make_engine(blank_url)
    try:
        meta = MetaData()
        meta.reflect(engine, only=list(rows))
        with engine.begin() as conn:
            for name, values in rows.items():  # in foreign-key order
                conn.execute(meta.tables[name].insert(), values)
            if conn.dialect.name == "postgresql":  # explicit ids: move the sequences on
                for name in ("sources", "documents", "events", "mentions"):
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), 10)"))
    finally:
        engine.dispose()
    tables = [*rows, "data_version"]
    before = read_rows(blank_url, tables)
    assert {name: len(before[name]) for name in rows} == {n: len(v) for n, v in rows.items()}

    for revision in chain[1:]:
        upgrade(blank_url, revision)
        after = read_rows(blank_url, tables)
        for name, by_key in before.items():
            assert set(after[name]) == set(by_key), f"{name}: rows lost at {revision}"
            for key, row in by_key.items():
                kept = {column: after[name][key][column] for column in row}
                assert kept == row, f"{name} {key} changed at {revision}"

    engine = make_engine(blank_url)
    try:
        with Session(engine) as session:
            assert check(session) == []
    finally:
        engine.dispose()
    app = create_app({"TESTING": True, "DATABASE_URL": blank_url})
    try:
        client = app.test_client()
        event = client.get("/v1/events/ev_00000000000000000001")
        assert event.status_code == 200, event.json
        assert event.json["source_count"] == 2
        assert {m["document_id"] for m in event.json["mentions"]} == {1, 2}
        assert client.get("/v1/documents/2").json["body"] == BODY_B
    finally:
        app.extensions["timeline_db"].kw["bind"].dispose()
