"""ETags, 304s, the rendered-response cache, Cache-Control, CORS and the Link header."""

from __future__ import annotations

import pytest

from timeline_service import create_app


def test_timeline_etag_and_304(seeded, client):
    first = client.get("/v1/timeline?limit=5")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, no-cache"
    again = client.get("/v1/timeline?limit=5", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    weak = client.get("/v1/timeline?limit=5", headers={"If-None-Match": f"W/{etag}, x"})
    assert weak.status_code == 304
    other = client.get("/v1/timeline?limit=6", headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["ETag"] != etag


def test_equivalent_queries_share_an_etag(seeded, client):
    a = client.get("/v1/timeline?source=cnn&source=moscow-times&limit=5")
    b = client.get("/v1/timeline?limit=5&source=moscow-times&source=cnn")
    assert a.headers["ETag"] == b.headers["ETag"] and a.data == b.data


def test_a_change_to_the_data_changes_the_etag(seeded, client):
    before = client.get("/v1/timeline?limit=500")
    etag = before.headers["ETag"]
    posted = client.post(
        "/v1/documents",
        json={"text": "Officials met in Geneva on March 3, 2021.", "source": "generic"},
    )
    assert posted.status_code == 201
    after = client.get("/v1/timeline?limit=500", headers={"If-None-Match": etag})
    assert after.status_code == 200 and after.headers["ETag"] != etag
    assert len(after.json["events"]) > len(before.json["events"])
    client.delete(f"/v1/documents/{posted.json['document']['id']}")
    final = client.get("/v1/timeline?limit=500")
    assert final.headers["ETag"] not in (etag, after.headers["ETag"])
    assert final.json == before.json


def test_repeated_queries_are_served_from_the_cache(seeded, client, app):
    cache = app.extensions["timeline_cache"]
    first = client.get("/v1/timeline?limit=7&from=2022")
    hits = cache.hits
    second = client.get("/v1/timeline?limit=7&from=2022")
    assert cache.hits == hits + 1
    assert second.data == first.data and second.headers["Link"] == first.headers["Link"]


def test_event_and_other_reads_are_conditional(seeded, client):
    event_id = client.get("/v1/timeline?limit=1").json["events"][0]["id"]
    for path in (f"/v1/events/{event_id}", "/v1/sources", "/v1/documents/1", "/openapi.yaml"):
        response = client.get(path)
        assert response.status_code == 200, path
        etag = response.headers["ETag"]
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304, path
    assert "ETag" not in client.get("/healthz").headers
    assert client.get("/healthz").headers["Cache-Control"] == "no-store"


def test_errors_are_not_cached(seeded, client):
    assert client.get("/v1/events/ev_nope").status_code == 404
    assert "ETag" not in client.get("/v1/events/ev_nope").headers
    assert client.get("/v1/timeline?limit=0").status_code == 400


def test_link_header_mirrors_next_cursor(seeded, client):
    page = client.get("/v1/timeline?limit=3&source=cnn")
    cursor = page.json["next_cursor"]
    assert cursor
    link = page.headers["Link"]
    assert link.endswith('>; rel="next"')
    target = link[1 : link.index(">")]
    assert target.startswith("/v1/timeline?") and f"cursor={cursor}" in target
    following = client.get(target).json
    assert following == client.get(f"/v1/timeline?limit=3&source=cnn&cursor={cursor}").json
    last = client.get("/v1/timeline?limit=500")
    assert last.json["next_cursor"] is None and "Link" not in last.headers


def make_app(database_url, **config):
    return create_app({"TESTING": True, "DATABASE_URL": database_url, **config})


def test_cache_control_is_configurable(database_url):
    app = make_app(database_url, CACHE_CONTROL="public, max-age=30")
    try:
        response = app.test_client().get("/v1/timeline")
        assert response.headers["Cache-Control"] == "public, max-age=30"
    finally:
        app.extensions["timeline_db"].kw["bind"].dispose()


def test_cors_any_origin_by_default(client):
    response = client.get("/v1/timeline", headers={"Origin": "https://dash.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    exposed = {h.strip() for h in response.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"ETag", "Link"} <= exposed
    preflight = client.options(
        "/v1/timeline",
        headers={"Origin": "https://dash.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 200
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]
    post = client.post("/v1/documents", json={}, headers={"Origin": "https://dash.example"})
    assert "Access-Control-Allow-Origin" not in post.headers


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [("https://news.example", True), ("https://evil.example", False), (None, False)],
)
def test_cors_configured_origins(database_url, origin, allowed):
    app = make_app(database_url, CORS_ORIGINS="https://news.example, https://dash.example")
    try:
        headers = {"Origin": origin} if origin else {}
        response = app.test_client().get("/v1/sources", headers=headers)
        assert response.headers.get("Access-Control-Allow-Origin") == (origin if allowed else None)
        assert "Origin" in response.headers["Vary"]
    finally:
        app.extensions["timeline_db"].kw["bind"].dispose()


def test_cors_can_be_switched_off(database_url):
    app = make_app(database_url, CORS_ORIGINS="none")
    try:
        response = app.test_client().get("/v1/sources", headers={"Origin": "https://a.example"})
        assert "Access-Control-Allow-Origin" not in response.headers
    finally:
        app.extensions["timeline_db"].kw["bind"].dispose()


def test_a_write_during_a_read_is_never_cached_under_the_old_version(app):
    """The view reads in autocommit statements; if the data version moved meanwhile the
    page may mix two states, so it is redone, and only a consistent page is cached."""
    from sqlalchemy import text

    from timeline_service.web.caching import versioned
    from timeline_service.web.database import engine

    calls = []

    @versioned
    def racy():
        calls.append(1)
        if len(calls) == 1:  # a write commits while this (first) render is under way
            with engine().begin() as conn:
                conn.execute(text("UPDATE data_version SET version = version + 1"))
        return f"render {len(calls)}"

    app.add_url_rule("/racy-test", "racy_test", racy)
    client = app.test_client()
    first = client.get("/racy-test")
    assert first.data == b"render 2" and len(calls) == 2
    again = client.get("/racy-test", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and len(calls) == 2
    assert client.get("/racy-test").data == b"render 2" and len(calls) == 2, "served cached"


#: a statement that runs for minutes unless stopped
ENDLESS = (
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) "
    "SELECT count(*) FROM c"
)


def test_a_read_past_its_time_limit_is_stopped_and_a_503(app) -> None:
    """Hot reads are bounded per statement (PostgreSQL's statement_timeout, SQLite's
    progress handler); the error is one the API answers with 503, and the connection is
    lent again afterwards."""
    import time

    from timeline_service.web.caching import HotPool
    from timeline_service.web.errors import unavailable

    pool = HotPool(app.extensions["timeline_db"].kw["bind"], size=1, timeout=0.3, wait=0.2)
    conn = pool.acquire()
    started = time.monotonic()
    with pytest.raises(Exception) as info:
        conn.scalar(ENDLESS)
    assert time.monotonic() - started < 5
    assert unavailable(info.value), repr(info.value)
    with pytest.raises(Exception) as busy:  # the only connection is lent: the pool is full
        pool.acquire()
    assert unavailable(busy.value)
    pool.release(conn)
    again = pool.acquire()
    assert again.scalar("SELECT 1") == 1
    pool.release(again)
    pool.close_all()
