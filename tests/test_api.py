"""The HTTP API over the seeds: ingest, read back, timeline, delete, and bad input."""

from __future__ import annotations

import pytest
from conftest import seed_manifest, seed_text
from sqlalchemy import func, select

from timeline_service.store.models import Document, Event, Mention
from timeline_service.web.database import get_session


def counts(app) -> tuple[int, int, int]:
    with app.app_context():
        s = get_session()
        return tuple(
            s.scalar(select(func.count()).select_from(m)) for m in (Document, Mention, Event)
        )


def all_events(client, **params) -> list[dict]:
    events, cursor = [], None
    while True:
        query = dict(params, limit=7, **({"cursor": cursor} if cursor else {}))
        page = client.get("/v1/timeline", query_string=query)
        assert page.status_code == 200, page.json
        events += page.json["events"]
        cursor = page.json["next_cursor"]
        if cursor is None:
            return events


def test_timeline_has_every_seed_with_evidence(seeded, client):
    events = all_events(client)
    assert events, "the seeds produce events"
    docs = {d["id"]: d for d in (client.get(f"/v1/documents/{i}").json for i in range(1, 6))}
    assert {doc["url"] for doc in docs.values()} == {e["url"] for e in seed_manifest()}
    reported = {ref["document_id"] for e in events for ref in e["sources"]}
    assert reported == set(docs), "every seed document supports at least one event"
    for event in events:
        assert event["source_count"] == len({r["source"] for r in event["sources"]})
        for ref in event["sources"]:
            body = docs[ref["document_id"]]["body"]
            assert ref["sentence"] in body
            # the dating words are the sentence's own or its context's, never invented
            assert ref["when_text"] is None or ref["when_text"] in body
            assert ref["url"] == docs[ref["document_id"]]["url"]
    starts = [(e["date"]["start"], e["id"]) for e in events]
    assert starts == sorted(starts), "date order with the id as tie-break"
    assert len({e["id"] for e in events}) == len(events), "pages neither repeat nor skip"


def test_seed_twice_is_idempotent(seeded, runner, app):
    before = counts(app)
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "ingested: 0, already present: 5, rejected: 0" in result.output
    assert counts(app) == before


def test_post_then_repost_returns_existing(client, app):
    entry = seed_manifest()[0]
    payload = {"text": seed_text(entry["file"]), "published_at": entry["published_at"]}
    first = client.post("/v1/documents", json=payload)
    assert first.status_code == 201, first.json
    doc_id = first.json["document"]["id"]
    assert first.headers["Location"] == f"/v1/documents/{doc_id}"
    assert first.json["created"] is True
    assert first.json["events"], "the article produced events"
    before = counts(app)
    again = client.post("/v1/documents", json=payload)
    assert again.status_code == 200 and again.json["created"] is False
    assert again.json["document"]["id"] == doc_id
    assert again.json["events"] == first.json["events"]
    reflowed = dict(payload, text=payload["text"].replace("\n", "\n\n"))
    assert client.post("/v1/documents", json=reflowed).json["document"]["id"] == doc_id
    assert counts(app) == before


def test_same_url_is_the_same_document(client, app):
    url = "https://example.org/2021/03/geneva"
    first = client.post(
        "/v1/documents", json={"text": "Talks resumed on March 3, 2021.", "url": url}
    )
    assert first.status_code == 201
    before = counts(app)
    edited = client.post(
        "/v1/documents", json={"text": "Talks resumed on March 3, 2021, in Geneva.", "url": url}
    )
    assert edited.status_code == 200
    assert edited.json["document"]["id"] == first.json["document"]["id"]
    assert counts(app) == before


def test_get_document_returns_cleaned_body_and_mentions(seeded, client):
    doc = client.get("/v1/documents/1").json
    assert doc["body"] and doc["mentions"]
    assert doc["published_at"].startswith("2022-02-2")
    for m in doc["mentions"]:
        start, end = m["span"]
        assert doc["body"][start:end] == m["sentence"]
        assert m["event_id"] is not None
        assert m["anchor"]["published_at"] is not None


def test_delete_document_removes_its_contribution(seeded, client, app):
    events = all_events(client)
    doc_id = 1
    fed = {e["id"] for e in events if any(r["document_id"] == doc_id for r in e["sources"])}
    assert fed
    assert client.delete(f"/v1/documents/{doc_id}").status_code == 204
    assert client.get(f"/v1/documents/{doc_id}").status_code == 404
    after = all_events(client)
    for e in after:
        assert all(r["document_id"] != doc_id for r in e["sources"])
        assert e["sources"], "no event survives without a supporting document"
    still = {e["id"] for e in after}
    shared = {e["id"] for e in events if len({r["document_id"] for r in e["sources"]}) > 1}
    assert fed - shared <= fed - still, "events only this document fed are gone"
    assert client.delete(f"/v1/documents/{doc_id}").status_code == 404


def test_timeline_filters(seeded, client):
    everything = all_events(client)
    in_2023 = all_events(client, **{"from": "2023", "to": "2023"})
    assert in_2023 and len(in_2023) < len(everything)
    assert all(e["date"]["end"] > "2023" and e["date"]["start"] < "2024" for e in in_2023)
    feb = all_events(client, **{"from": "2022-02", "to": "2022-02"})
    assert all(e["date"]["start"] < "2022-03" for e in feb)
    cnn = all_events(client, source="cnn")
    assert cnn and all(any(r["source"] == "cnn" for r in e["sources"]) for e in cnn)
    both = client.get("/v1/timeline?source=cnn&source=moscow-times&limit=500").json["events"]
    assert len(both) >= len(cnn)
    assert all_events(client, source="no-such-outlet") == []
    multi = all_events(client, min_sources=2)
    assert all(e["source_count"] >= 2 for e in multi)
    word = all_events(client, q="lukashenko")
    assert word and len(word) < len(everything)
    for e in word:
        detail = client.get(f"/v1/events/{e['id']}").json
        text = e["title"] + " ".join(m["sentence"] for m in detail["mentions"])
        assert "lukashenko" in text.lower()


def test_sources_lists_plugins_with_counts(seeded, client):
    sources = client.get("/v1/sources").json["sources"]
    by_slug = {s["slug"]: s for s in sources}
    assert "generic" in by_slug
    assert sum(s["document_count"] for s in sources) == 5
    from importlib.metadata import version

    from timeline_service.store.models import Source

    with seeded.app_context():
        stored = get_session().scalars(select(Source)).all()
    assert len(stored) == 5
    assert {row.plugin_version for row in stored} == {version("timeline-service")}


def test_health_and_spec(client):
    assert client.get("/healthz").json == {"status": "ok", "database": "ok"}
    spec = client.get("/openapi.yaml")
    assert spec.status_code == 200 and spec.data.startswith(b"openapi: 3.1")


BAD_POSTS = [
    ("malformed json", b"{not json", "application/json", 400, None),
    ("not an object", b"[1, 2]", "application/json", 400, None),
    ("NaN", b'{"text": "x", "title": NaN}', "application/json", 400, None),
    ("empty body", b"", "application/json", 400, None),
    ("wrong media type", b"text=hello", "application/x-www-form-urlencoded", 415, None),
    ("missing text", b'{"url": "https://example.com/a"}', "application/json", 422, "text"),
    ("blank text", b'{"text": "   "}', "application/json", 422, "text"),
    ("both bodies", b'{"text": "a b", "html": "<p>a</p>"}', "application/json", 422, "html"),
    (
        "bad date",
        b'{"text": "Hello there.", "published_at": "Thursday"}',
        "application/json",
        422,
        "published_at",
    ),
    (
        "year 1",
        b'{"text": "They meet tomorrow.", "published_at": "0001-01-01"}',
        "application/json",
        422,
        "published_at",
    ),
    (
        "calendar end",
        b'{"text": "Hi there.", "published_at": "9999-12-31T23:59:59-12:00"}',
        "application/json",
        422,
        "published_at",
    ),
    (
        "unknown source",
        b'{"text": "Hello there.", "source": "nope"}',
        "application/json",
        422,
        "source",
    ),
    ("bad url", b'{"text": "Hello there.", "url": "ftp:/x"}', "application/json", 422, "url"),
    (
        "unknown field",
        b'{"text": "Hello there.", "colour": "red"}',
        "application/json",
        422,
        "colour",
    ),
    ("invalid utf-8", b'{"text": "caf\xe9"}', "application/json", 400, None),
]


@pytest.mark.parametrize(
    ("case", "body", "ctype", "status", "field"), BAD_POSTS, ids=[c[0] for c in BAD_POSTS]
)
def test_bad_posts_are_problems_and_change_nothing(client, app, case, body, ctype, status, field):
    before = counts(app)
    response = client.post("/v1/documents", data=body, content_type=ctype)
    assert response.status_code == status, response.json
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == status and response.json["title"]
    if field:
        assert field in response.json["errors"]
    assert counts(app) == before
    assert client.get("/healthz").status_code == 200, "the service keeps serving"


def test_body_over_the_limit_is_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/v1/documents", json={"text": "word " * 1000})
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
    assert counts(app) == (0, 0, 0)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/v1/events/ev_missing", 404),
        ("/v1/documents/999", 404),
        ("/v1/nowhere", 404),
        ("/v1/timeline?limit=0", 400),
        ("/v1/timeline?from=2022-13", 400),
        ("/v1/timeline?cursor=garbage", 400),
        ("/v1/timeline?min_sources=x", 400),
    ],
)
def test_bad_reads_are_problems(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"


def test_bad_query_names_each_field(client):
    response = client.get("/v1/timeline?from=yesterday&limit=-3")
    assert response.status_code == 400
    assert set(response.json["errors"]) == {"from", "limit"}
    response = client.get("/v1/timeline?to=2022-13&cursor=nope&format=pdf&min_sources=0")
    assert set(response.json["errors"]) == {"to", "cursor", "format", "min_sources"}
    response = client.get("/v1/timeline?from=yesterday")
    assert set(response.json["errors"]) == {"from"}


def test_event_detail_lists_mentions_with_claims(seeded, client):
    event = client.get("/v1/timeline?min_sources=1&limit=1").json["events"][0]
    detail = client.get(f"/v1/events/{event['id']}").json
    assert detail["id"] == event["id"]
    assert len(detail["mentions"]) == detail["mention_count"] >= 1
    for m in detail["mentions"]:
        assert m["event_id"] == event["id"]
        assert m["resolver_version"]
        assert m["date"]["value"]


def test_stored_ledger_keeps_basis_and_terms(seeded):
    """What merging and re-dating read back is what extraction produced."""
    with seeded.app_context():
        rows = get_session().scalars(select(Mention)).all()
    bases = {m.basis for m in rows}
    assert {"expression", "publication"} <= bases
    assert all(m.terms for m in rows)
    assert all(m.when_text is None for m in rows if m.basis == "publication")
