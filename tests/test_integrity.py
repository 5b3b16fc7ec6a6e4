"""The record holds: killed writers leave nothing half-written, concurrent duplicates make one
document, deletes and re-ingests keep the timeline true to the stored documents, and the
``check`` command finds corruption.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ROOT, TEST_API_KEY, seed_manifest, seed_text
from sqlalchemy import func, select, text

from timeline_service.store.check import check
from timeline_service.store.db import make_engine
from timeline_service.store.models import DataVersion, Document, Event, EventActor, Mention
from timeline_service.web.database import get_session

SHARED = "Officials met in Geneva on March 3, 2021, the ministry said."
FIRST = {"text": SHARED, "url": "https://example.org/first", "published_at": "2021-03-05"}
SECOND = {
    "text": SHARED + " Talks resumed in Vienna on March 4, 2021, the agency reported.",
    "url": "https://example.org/second",
    "published_at": "2021-03-05",
}


def snapshot(app) -> dict:
    """Everything the timeline is made of, comparable across a crash."""
    with app.app_context():
        s = get_session()
        return {
            "documents": s.scalars(select(Document.content_hash).order_by(Document.id)).all(),
            "mentions": s.scalar(select(func.count()).select_from(Mention)),
            "events": s.execute(
                select(Event.key, Event.mention_count, Event.source_count).order_by(Event.key)
            ).all(),
            "actors": s.scalar(select(func.count()).select_from(EventActor)),
            "version": s.scalar(select(DataVersion.version)),
        }


def problems(app) -> list:
    with app.app_context():
        return check(get_session())


# --------------------------------------------------------------- a writer killed mid-flight

#: Runs one ingest or delete and stops inside its transaction, once the document, its
#: mentions and their events are written and re-derived: the last step before commit.
#: It reports what its own transaction sees, then waits to be killed.
CHILD = """
import json, sys, time
from sqlalchemy import func, select
from timeline_service import create_app
from timeline_service.events import store as events
from timeline_service.pipeline import ingest as pipeline
from timeline_service.sdk import RawDocument
from timeline_service.store.models import Document, Mention
from timeline_service.web.database import session_scope

url, action, payload = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
rederive = events.rederive

def rederive_then_hang(session, event_ids, table):
    rederive(session, event_ids, table)
    session.flush()
    seen = [session.scalar(select(func.count()).select_from(m)) for m in (Document, Mention)]
    print("paused", *seen, flush=True)
    time.sleep(120)

events.rederive = rederive_then_hang
app = create_app({"DATABASE_URL": url})
with app.app_context(), session_scope() as session:
    if action == "ingest":
        payload["published_at"] = __import__("datetime").date.fromisoformat(
            payload["published_at"])
        pipeline.ingest(session, RawDocument(**payload))
    else:
        pipeline.delete_document(session, session.get(Document, payload["id"]))
print("committed", flush=True)
"""


def run_and_kill(database_url: str, action: str, payload: dict) -> list[int]:
    """Start the child, wait until it pauses inside its transaction, SIGKILL it."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, database_url, action, json.dumps(payload)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        line = _readline(child, timeout=60)
        assert line.startswith("paused"), f"child said {line!r}: {child.stderr.read()}"
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=10) == -signal.SIGKILL
        return [int(n) for n in line.split()[1:]]
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
        child.stderr.close()


def _readline(child: subprocess.Popen, timeout: float) -> str:
    box: list[str] = []
    reader = threading.Thread(target=lambda: box.append(child.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return box[0].strip() if box else ""


def test_ingest_killed_inside_its_transaction_leaves_nothing(app, client, database_url):
    assert client.post("/v1/documents", json=FIRST).status_code == 201
    before = snapshot(app)
    assert before["events"], "the first article made an event the second one shares"

    seen = run_and_kill(database_url, "ingest", dict(SECOND))
    assert seen[0] == len(before["documents"]) + 1 and seen[1] > before["mentions"], (
        "the child was killed after its document and mentions were written"
    )

    assert snapshot(app) == before, "no partial document, mention, event or version bump"
    assert problems(app) == []
    command = Path(sys.executable).with_name("timeline-service")
    result = subprocess.run(
        [str(command), "check"],
        env={**os.environ, "TIMELINE_DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and result.stdout.strip() == "consistent", result
    again = client.post("/v1/documents", json=SECOND)
    assert again.status_code == 201, "the killed writer left no lock or row behind"
    assert problems(app) == []


def test_delete_killed_inside_its_transaction_changes_nothing(app, client, database_url):
    client.post("/v1/documents", json=FIRST)
    doc_id = client.post("/v1/documents", json=SECOND).json["document"]["id"]
    before = snapshot(app)

    seen = run_and_kill(database_url, "delete", {"id": doc_id})
    assert seen[0] == len(before["documents"]) - 1, "the child had deleted the document"

    assert snapshot(app) == before
    assert problems(app) == []
    assert client.get(f"/v1/documents/{doc_id}").status_code == 200


# ------------------------------------------------------- many clients, one article, one row


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(database_url: str, tmp_path: Path) -> Iterator[str]:
    """The app under gunicorn with four workers on a free loopback port."""
    port = _free_port()
    log_path = tmp_path / "gunicorn.log"
    log = log_path.open("wb")
    env = {
        **os.environ,
        "TIMELINE_DATABASE_URL": database_url,
        "TIMELINE_API_KEYS": TEST_API_KEY,
        "TIMELINE_RATE_LIMIT_PER_ADDRESS": "0",
        "TIMELINE_RATE_LIMIT_PER_KEY": "0",
    }
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "--workers", "4", "--preload"),
            *("--bind", f"127.0.0.1:{port}", "--timeout", "60", "--log-level", "warning"),
            "timeline_service:create_app()",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except (OSError, urllib.error.URLError):
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not start: {log_path.read_text()}")
                time.sleep(0.2)
        yield base
    finally:
        server.send_signal(signal.SIGINT)  # quick shutdown: the requests are all answered
        try:
            server.wait(timeout=2)
        except subprocess.TimeoutExpired:  # workers are gone; the master lingers ~3 s
            server.kill()
            server.wait()
        log.close()
    assert "Traceback" not in log_path.read_text(), log_path.read_text()


def post(base: str, payload: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        base + "/v1/documents",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {TEST_API_KEY}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def post_all_at_once(base: str, payloads: list[dict]) -> list[tuple[int, dict]]:
    start = threading.Barrier(len(payloads))

    def one(payload: dict) -> tuple[int, dict]:
        start.wait()
        return post(base, payload)

    with ThreadPoolExecutor(len(payloads)) as pool:
        return list(pool.map(one, payloads))


def test_concurrent_posts_of_one_article_make_one_document(served, app):
    entry = seed_manifest()[4]
    article = {"text": seed_text(entry["file"]), "published_at": entry["published_at"]}
    results = post_all_at_once(served, [article] * 16)
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] * 15 + [201], [body for _, body in results if _ >= 400]
    assert len({body["document"]["id"] for _, body in results}) == 1
    assert len(snapshot(app)["documents"]) == 1
    assert problems(app) == []

    by_url = {"text": "Talks resumed on March 4, 2021.", "url": "https://example.org/x"}
    edits = [dict(by_url, text=f"{by_url['text']} Edit {i}.") for i in range(12)]
    results = post_all_at_once(served, edits)
    assert sorted(s for s, _ in results) == [200] * 11 + [201], "one URL, one document"
    assert len(snapshot(app)["documents"]) == 2
    assert problems(app) == []


def test_concurrent_articles_sharing_events_all_land(served, app):
    articles = [
        {
            "text": f"{SHARED} Delegation {i} arrived in Vienna on March 4, 2021.",
            "published_at": "2021-03-05",
        }
        for i in range(10)
    ]
    results = post_all_at_once(served, articles)
    assert [s for s, _ in results] == [201] * 10, [b for s, b in results if s != 201]
    assert len(snapshot(app)["documents"]) == 10
    assert problems(app) == []
    shared = [e for e in snapshot(app)["events"] if e.mention_count == 10]
    assert shared, "the sentence all of them carry is one event with every mention"


# ---------------------------------------------------- deletes, re-ingests and the checker


def timeline(client) -> dict[str, set]:
    """Each event id with its evidence (outlet, url, sentence), all pages."""
    events, cursor = {}, None
    while True:
        query = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        page = client.get("/v1/timeline", query_string=query).json
        for e in page["events"]:
            events[e["id"]] = {(r["source"], r["url"], r["sentence"]) for r in e["sources"]}
        cursor = page["next_cursor"]
        if cursor is None:
            return events


def test_delete_and_reingest_keep_the_timeline_true(seeded, client, app):
    original = timeline(client)
    assert original and problems(app) == []
    entry = seed_manifest()[0]
    doc = client.get("/v1/documents/1").json
    assert doc["url"] == entry["url"]

    assert client.delete("/v1/documents/1").status_code == 204
    assert problems(app) == []
    without = timeline(client)
    stored = {d.url for d in _documents(app)}
    assert all(url in stored for refs in without.values() for _, url, _ in refs)
    assert all(refs for refs in without.values())

    again = client.post(
        "/v1/documents",
        json={"text": seed_text(entry["file"]), "url": entry["url"],
              "published_at": entry["published_at"]},
    )  # fmt: skip
    assert again.status_code == 201
    assert problems(app) == []
    assert timeline(client) == original, "the same events, ids and evidence as before"

    for document in _documents(app):
        assert client.delete(f"/v1/documents/{document.id}").status_code == 204
    assert timeline(client) == {} and problems(app) == []
    assert snapshot(app)["mentions"] == snapshot(app)["actors"] == 0


def _documents(app) -> list[Document]:
    with app.app_context():
        return list(get_session().scalars(select(Document)))


def _without_constraints(conn) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
    else:
        conn.exec_driver_sql("SET session_replication_role = replica")


CORRUPTIONS = {
    "mention-without-document": "DELETE FROM documents WHERE id = 1",
    "mention-without-event": "UPDATE mentions SET event_id = NULL "
    "WHERE id = (SELECT min(id) FROM mentions)",
    "event-without-mentions": "INSERT INTO events (key, date_value, granularity, start_at, "
    "end_at, agreement, title, type, actors, source_count, mention_count) VALUES ('ev_forged', "
    "'2020-01-01', 'day', '2020-01-01 00:00:00', '2020-01-02 00:00:00', 'single', 'Forged', "
    "'other', '[]', 1, 1)",
    "event-counts": "UPDATE events SET source_count = source_count + 1 "
    "WHERE id = (SELECT min(id) FROM events)",
    "event-actor-index": "INSERT INTO event_actors (event_id, actor, granularity, start_at, "
    "end_at, key) SELECT id, 'Nobody In Particular', granularity, start_at, end_at, key "
    "FROM events WHERE id = (SELECT min(id) FROM events)",
    "event-actor-order": "UPDATE event_actors SET key = 'ev_elsewhere' "
    "WHERE event_id = (SELECT min(event_id) FROM event_actors)",
    "mention-evidence": "UPDATE mentions SET sentence = 'A forged claim.' "
    "WHERE id = (SELECT max(id) FROM mentions)",
}


@pytest.mark.parametrize("kind", sorted(CORRUPTIONS))
def test_check_command_finds_injected_corruption(seeded, runner, database_url, kind):
    clean = runner.invoke(args=["check"])
    assert clean.exit_code == 0 and clean.output.strip().endswith("consistent"), clean.output
    engine = make_engine(database_url)
    try:
        with engine.begin() as conn:
            _without_constraints(conn)
            conn.execute(text(CORRUPTIONS[kind]))
    finally:
        engine.dispose()
    result = runner.invoke(args=["check"])
    assert result.exit_code == 1, result.output
    reported = {line.split(":")[0] for line in result.output.splitlines()}
    assert kind in reported, result.output
