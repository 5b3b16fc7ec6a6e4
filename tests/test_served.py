"""The served process: what ``timeline-service serve`` runs, tested over real sockets.

Every test here talks to gunicorn with two workers, on SQLite and on PostgreSQL. Each
request opens its own connection, so consecutive requests reach different workers;
``until_every_worker`` repeats a request until every worker has answered it. The
per-request state checked: the API key decision, the rate-limit identity, the data version
and the response cache keyed by it, the database session (closed, and rolled back, after
every request), the identity map, and the read connection (dropped when it breaks).
"""

from __future__ import annotations

import csv
import io
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import BACKENDS, POSTGRES_URL, scratch_postgres
from served import KEY, Served
from sqlalchemy import create_engine, text


def article(word: str | None = None, day: int = 3) -> dict:
    """An article of its own: a made-up word keeps it apart from every other."""
    word = word or f"Zorvex{uuid.uuid4().hex[:8]}"
    return {
        "text": f"Officials of the {word} commission met in Geneva on March {day}, 2021, "
        "the ministry said.",
        "published_at": "2021-03-05",
    }


@pytest.fixture(scope="module", params=BACKENDS)
def backend_url(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[str]:
    """A fresh database for the module's served processes: SQLite, and PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('served') / 'served.sqlite'}"
    else:
        assert POSTGRES_URL
        with scratch_postgres(POSTGRES_URL) as url:
            yield url


@pytest.fixture(scope="module")
def served(backend_url: str, tmp_path_factory) -> Iterator[Served]:
    """The service as ``timeline-service serve`` runs it: gunicorn, two workers."""
    folder = tmp_path_factory.mktemp("serve")
    with Served(backend_url, folder, env={"TIMELINE_RATE_LIMIT_PER_ADDRESS": "0"}) as server:
        yield server


@pytest.fixture
def serve(backend_url: str, tmp_path: Path) -> Iterator:
    """Start a served process of the test's own (settings, restarts); all stop at the end."""
    started: list[Served] = []

    def start(env: dict[str, str] | None = None, args: tuple[str, ...] = ()) -> Served:
        server = Served(backend_url, tmp_path, env=env, args=args)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


# ------------------------------------------------------------------ the API key, per request


def test_the_key_decision_is_made_per_request_in_either_order(serve) -> None:
    """A worker whose first request had no key (a load balancer's probe) still takes writes
    with a key, and a worker that saw a valid key still refuses the next request without one."""
    server = serve()
    for answer in server.until_every_worker("GET", "/healthz"):  # key-less first
        assert answer.status_code == 200
    for answer in server.until_every_worker("POST", "/v1/documents", key=KEY, json=article()):
        assert answer.status_code in (200, 201), answer.text
    document = server.request("POST", "/v1/documents", key=KEY, json=article()).json()
    doc_id = document["document"]["id"]
    other = article()
    for answer in server.until_every_worker("POST", "/v1/documents", json=other):
        assert answer.status_code == 401, answer.text
        assert answer.headers["Content-Type"] == "application/problem+json"
    for answer in server.until_every_worker("DELETE", f"/v1/documents/{doc_id}"):
        assert answer.status_code == 401
    for answer in server.until_every_worker("DELETE", f"/v1/documents/{doc_id}", key="not-the-key"):
        assert answer.status_code == 401
    assert server.request("GET", f"/v1/documents/{doc_id}").status_code == 200
    assert "commission" not in str(
        server.request("GET", "/v1/timeline", params={"q": other["text"].split()[3]}).json()
    )


def test_private_reads_need_a_key_on_every_request(serve) -> None:
    """With public reads off, a key-less cross-origin read is refused even on a worker whose
    previous request carried a valid key."""
    server = serve(env={"TIMELINE_PUBLIC_READS": "false"})
    for _ in range(3):
        for answer in server.until_every_worker("GET", "/v1/timeline", key=KEY):
            assert answer.status_code == 200
        for answer in server.until_every_worker(
            "GET", "/v1/timeline", headers={"Origin": "https://dash.example"}
        ):
            assert answer.status_code == 401
    assert server.request("GET", "/healthz").status_code == 200
    # a browser on another origin may still read with the key: its preflight is answered
    preflight = server.request(
        "OPTIONS",
        "/v1/timeline",
        headers={
            "Origin": "https://dash.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert preflight.status_code in (200, 204)
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
    keyed = server.request(
        "GET", "/v1/timeline", key=KEY, headers={"Origin": "https://dash.example"}
    )
    assert keyed.status_code == 200 and keyed.headers["Access-Control-Allow-Origin"] == "*"


def test_rate_limits_keep_addresses_and_keys_apart(serve) -> None:
    """Anonymous requests never spend the key holder's bucket; an empty bucket is a 429
    with Retry-After."""
    server = serve(
        env={"TIMELINE_RATE_LIMIT_PER_KEY": "10", "TIMELINE_RATE_LIMIT_PER_ADDRESS": "1000"}
    )
    for _ in range(60):  # far more than the key's bucket holds, on every worker
        assert server.request("GET", "/v1/sources").status_code == 200
    keyed = [server.request("GET", "/v1/sources", key=KEY) for _ in range(8)]
    assert [a.status_code for a in keyed] == [200] * 8
    limited = None
    for _ in range(60):  # two workers: each has its own bucket of 10
        answer = server.request("GET", "/v1/sources", key=KEY)
        if answer.status_code == 429:
            limited = answer
            break
    assert limited is not None, "the key's bucket never ran dry"
    assert int(limited.headers["Retry-After"]) >= 1
    assert "API key" in limited.json()["detail"]
    assert server.request("GET", "/v1/sources").status_code == 200, "the address is not limited"


# ------------------------------------------------------------- data version and caches


def test_a_write_through_one_worker_is_read_on_every_worker(served: Served) -> None:
    """Cached pages, ETags and exports follow every write, on every worker; 304 only while
    nothing changed."""
    word = f"Quillon{uuid.uuid4().hex[:6]}"
    query = f"/v1/timeline?q={word}"
    before = served.until_every_worker("GET", query)
    etags = {a.headers["ETag"] for a in before}
    assert len(etags) == 1 and all(a.json()["events"] == [] for a in before)
    old = etags.pop()
    for fmt in ("ics", "csv"):  # fill every worker's cache with the empty exports
        served.until_every_worker("GET", f"{query}&format={fmt}")

    posted = served.request("POST", "/v1/documents", key=KEY, json=article(word))
    assert posted.status_code == 201, posted.text
    doc_id = posted.json()["document"]["id"]
    after = served.until_every_worker("GET", query)
    assert all(len(a.json()["events"]) == 1 for a in after)
    assert len({a.headers["ETag"] for a in after}) == 1 and after[0].headers["ETag"] != old
    new = after[0].headers["ETag"]
    for answer in served.until_every_worker("GET", query, headers={"If-None-Match": old}):
        assert answer.status_code == 200
    for answer in served.until_every_worker("GET", query, headers={"If-None-Match": new}):
        assert answer.status_code == 304
    for answer in served.until_every_worker("GET", f"{query}&format=ics"):
        assert word in answer.text
    for answer in served.until_every_worker("GET", f"{query}&format=csv"):
        assert len(list(csv.reader(io.StringIO(answer.text)))) == 2

    assert served.request("DELETE", f"/v1/documents/{doc_id}", key=KEY).status_code == 204
    for answer in served.until_every_worker("GET", query, headers={"If-None-Match": new}):
        assert answer.status_code == 200 and answer.json()["events"] == []
    for answer in served.until_every_worker("GET", f"{query}&format=ics"):
        assert word not in answer.text and "BEGIN:VEVENT" not in answer.text
    for answer in served.until_every_worker("GET", f"{query}&format=csv"):
        assert word not in answer.text
    for answer in served.until_every_worker("GET", f"/v1/documents/{doc_id}"):
        assert answer.status_code == 404


def test_a_deleted_document_is_gone_and_a_reused_id_is_the_new_document(served: Served) -> None:
    """Nothing of a deleted document outlives it in a worker: not its body, not its
    mentions, not under an id the database gives to the next document."""
    first = article(f"Brastov{uuid.uuid4().hex[:6]}")
    posted = served.request("POST", "/v1/documents", key=KEY, json=first).json()
    doc_id = posted["document"]["id"]
    for answer in served.until_every_worker("GET", f"/v1/documents/{doc_id}"):
        assert answer.json()["body"] == first["text"]
    assert served.request("DELETE", f"/v1/documents/{doc_id}", key=KEY).status_code == 204
    second = article(f"Morvane{uuid.uuid4().hex[:6]}", day=4)
    again = served.request("POST", "/v1/documents", key=KEY, json=second).json()
    new_id = again["document"]["id"]
    for answer in served.until_every_worker("GET", f"/v1/documents/{new_id}"):
        body = answer.json()
        assert body["body"] == second["text"]
        assert all(m["sentence"] in second["text"] for m in body["mentions"])
    if new_id != doc_id:  # PostgreSQL never reuses an id; SQLite may
        for answer in served.until_every_worker("GET", f"/v1/documents/{doc_id}"):
            assert answer.status_code == 404


def test_one_query_has_one_etag_on_every_worker_and_after_a_restart(serve) -> None:
    server = serve()
    first = {a.headers["ETag"] for a in server.until_every_worker("GET", "/v1/timeline?limit=3")}
    server.stop()
    restarted = serve()
    again = {a.headers["ETag"] for a in restarted.until_every_worker("GET", "/v1/timeline?limit=3")}
    assert len(first) == 1 and first == again


def test_serve_with_seeds_answers_its_first_reads(serve) -> None:
    """``serve --seed`` writes before it forks; no worker inherits the connections."""
    server = serve(args=("--seed",))
    for answer in server.until_every_worker("GET", "/v1/timeline?limit=5"):
        assert answer.status_code == 200 and len(answer.json()["events"]) == 5


# --------------------------------------------------------------------- the process itself


def test_sigterm_lets_in_flight_requests_finish(serve) -> None:
    server = serve()
    body = b'{"text": "Officials met in Geneva on March 3, 2021.", "published_at": "2021-03-05"}'
    head = (
        "POST /v1/documents HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
        f"Authorization: Bearer {KEY}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", server.port)) as client:
        client.sendall(head.encode() + body[:10])
        time.sleep(0.5)
        server.process.send_signal(15)  # SIGTERM while the body is still arriving
        time.sleep(0.5)
        client.sendall(body[10:])
        client.settimeout(20)
        reply = b""
        while chunk := client.recv(65536):
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 201"), reply[:200]
    assert server.process.wait(30) == 0
    assert "Traceback" not in server.log(), "workers stop cleanly"


def _slow_client(port: int, stop: threading.Event, body: bool) -> None:
    with socket.create_connection(("127.0.0.1", port)) as s:
        if body:
            s.sendall(
                b"POST /v1/documents HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                b"Content-Length: 100000\r\n\r\n{"
            )
        else:
            s.sendall(b"GET /v1/timeline HTTP/1.1\r\nHost: t\r\n")
        while not stop.wait(0.3):
            try:
                s.sendall(b" " if body else b"X-Slow: 1\r\n")
            except OSError:
                return


def test_slow_clients_do_not_stop_the_others(served: Served) -> None:
    """Clients that send headers or a body a byte at a time hold a greenlet each, not a
    worker: sixteen of them, more than the workers and their sync equivalents, while
    others are answered at once."""
    stop = threading.Event()
    slow = [
        threading.Thread(target=_slow_client, args=(served.port, stop, n % 2 == 0), daemon=True)
        for n in range(16)
    ]
    for thread in slow:
        thread.start()
    try:
        time.sleep(1.0)
        for _ in range(20):
            started = time.monotonic()
            assert served.request("GET", "/v1/timeline?limit=2", timeout=5).status_code == 200
            assert time.monotonic() - started < 2
    finally:
        stop.set()


def test_a_slow_body_is_cut_off_by_the_client_timeout(serve) -> None:
    """A body that stops arriving ends its request (the greenlet is not held forever)."""
    server = serve(args=("--client-timeout", "1"))
    with socket.create_connection(("127.0.0.1", server.port)) as s:
        s.sendall(
            b"POST /v1/documents HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000\r\n\r\n{"
        )
        s.settimeout(10)
        started = time.monotonic()
        reply = s.recv(65536)
    assert time.monotonic() - started < 8
    assert reply == b"" or reply.startswith(b"HTTP/1.1 4"), reply[:100]


# ------------------------------------------------------------------ PostgreSQL sessions


def _admin(url: str):
    return create_engine(url, isolation_level="AUTOCOMMIT")


def _count(url: str, sql: str) -> int:
    """One count from PostgreSQL's own view of the service's database."""
    admin = _admin(url)
    try:
        with admin.connect() as conn:
            return conn.execute(text(sql)).scalar() or 0
    finally:
        admin.dispose()


def test_terminated_connections_do_not_take_the_service_down(served: Served) -> None:
    """After every backend of the service is terminated (a database restart looks the same),
    the next requests are answered: sessions are closed per request, dead connections
    dropped."""
    if not is_postgres(served.database_url):
        pytest.skip("PostgreSQL only")
    for answer in served.until_every_worker("GET", "/v1/timeline?limit=2"):
        assert answer.status_code == 200
    killed = _count(
        served.database_url,
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    assert killed >= 2
    for answer in served.until_every_worker("GET", "/healthz"):
        assert answer.status_code == 200, answer.text
    for answer in served.until_every_worker("GET", "/v1/timeline?limit=2&total=true"):
        assert answer.status_code == 200, answer.text
    posted = served.request("POST", "/v1/documents", key=KEY, json=article())
    assert posted.status_code == 201, posted.text


def test_no_connection_is_left_idle_in_a_transaction(served: Served) -> None:
    """After reads and writes, no session of the service holds a transaction open, so a
    migration's ALTER TABLE gets its lock at once."""
    if not is_postgres(served.database_url):
        pytest.skip("PostgreSQL only")
    posted = served.request("POST", "/v1/documents", key=KEY, json=article()).json()
    for path in ("/v1/timeline", f"/v1/documents/{posted['document']['id']}", "/v1/sources"):
        served.until_every_worker("GET", path)
    served.until_every_worker("GET", "/healthz")
    idle = _count(
        served.database_url,
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND state LIKE 'idle in transaction%'",
    )
    assert idle == 0
    migrator = create_engine(served.database_url)
    with migrator.begin() as conn:
        conn.execute(text("SET LOCAL lock_timeout = '2s'"))
        conn.execute(text("ALTER TABLE documents ADD COLUMN probe_column integer"))
        conn.execute(text("ALTER TABLE documents DROP COLUMN probe_column"))
    migrator.dispose()


def test_a_lock_timeout_is_a_503_and_the_worker_recovers(serve, backend_url: str) -> None:
    """A write that waits too long for a lock is refused as busy (503, Retry-After), rolled
    back, and the same worker then serves writes again."""
    if not is_postgres(backend_url):
        pytest.skip("PostgreSQL only")
    server = serve(env={"TIMELINE_DATABASE_URL": backend_url + "?options=-c%20lock_timeout%3D300"})
    posted = server.request("POST", "/v1/documents", key=KEY, json=article()).json()
    doc_id = posted["document"]["id"]
    admin = _admin(backend_url)
    with admin.connect() as conn:
        conn.execute(text("BEGIN"))
        conn.execute(text("SELECT version FROM data_version WHERE id = 1 FOR UPDATE"))
        for answer in server.until_every_worker("DELETE", f"/v1/documents/{doc_id}", key=KEY):
            assert answer.status_code == 503, answer.text
            assert answer.headers["Retry-After"]
        conn.execute(text("ROLLBACK"))
    admin.dispose()
    assert server.request("DELETE", f"/v1/documents/{doc_id}", key=KEY).status_code == 204
    for answer in server.until_every_worker("POST", "/v1/documents", key=KEY, json=article()):
        assert answer.status_code in (200, 201), answer.text


# ------------------------------------------------------------------- input and exports


@pytest.mark.parametrize("url", ["https://a.example/x\r\nBEGIN:VALARM", "https://a.example/\tx"])
def test_a_url_with_line_breaks_is_refused(served: Served, url: str) -> None:
    answer = served.request("POST", "/v1/documents", key=KEY, json={**article(), "url": url})
    assert answer.status_code == 422
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert "url" in answer.json()["errors"]


def test_a_document_with_a_thousand_dates_is_stored(served: Served) -> None:
    from test_cli import long_chronicle

    posted = served.request(
        "POST",
        "/v1/documents",
        key=KEY,
        json={"text": long_chronicle(), "published_at": "1990-06-01"},
    )
    assert posted.status_code == 201, posted.text
    assert len(posted.json()["events"]) >= 1000


def test_an_invalid_chunked_body_is_a_400(served: Served) -> None:
    head = (
        "POST /v1/documents HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
        f"Authorization: Bearer {KEY}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    for broken in (b"zz\r\n{}\r\n0\r\n\r\n", b"5\r\n{}\r\n0\r\n\r\n", b"2\r\n{}"):
        with socket.create_connection(("127.0.0.1", served.port)) as s:
            s.sendall(head.encode() + broken)
            s.shutdown(socket.SHUT_WR)
            s.settimeout(20)
            reply = b""
            while chunk := s.recv(65536):
                reply += chunk
        status = reply.split(b" ", 2)[1] if reply else b""
        assert status == b"400", (broken, reply[:300])
    assert served.request("GET", "/healthz").status_code == 200


def test_a_total_counts_up_to_its_cap(serve) -> None:
    """``total=true`` costs at most the cap's worth of matches, and says when it stopped."""
    server = serve(env={"TIMELINE_MAX_TOTAL": "3"}, args=("--seed",))
    everything = server.request("GET", "/v1/timeline?limit=500").json()["events"]
    for answer in server.until_every_worker("GET", "/v1/timeline?limit=1&total=true"):
        body = answer.json()
        assert (body["total"], body["total_capped"]) == (3, len(everything) > 3)


def test_a_write_past_its_store_budget_is_refused_whole(serve) -> None:
    """The store phase has a budget: past it the write is a 503 with Retry-After, rolled
    back whole, and the service keeps serving."""
    server = serve(env={"TIMELINE_STORE_BUDGET_SECONDS": "0.000001"})
    stored = sum(
        s["document_count"] for s in server.request("GET", "/v1/sources").json()["sources"]
    )
    word = f"Vantrel{uuid.uuid4().hex[:6]}"
    posted = server.request("POST", "/v1/documents", key=KEY, json=article(word))
    assert posted.status_code == 503, posted.text
    assert posted.headers["Content-Type"] == "application/problem+json"
    assert int(posted.headers["Retry-After"]) > 0
    assert "rolled back" in posted.json()["detail"]
    for answer in server.until_every_worker("GET", f"/v1/timeline?q={word}"):
        assert answer.status_code == 200 and answer.json()["events"] == []
    sources = server.request("GET", "/v1/sources").json()["sources"]
    assert sum(s["document_count"] for s in sources) == stored
