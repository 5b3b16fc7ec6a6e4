"""Soak test: a bounded mixed read/write load against gunicorn + PostgreSQL on loopback.

    .venv/bin/python bench/soak.py [--seconds 120] [--threads 8] [--workers 3]

Creates a scratch PostgreSQL database (dropped afterwards unless --keep), serves the app
with gunicorn on a free 127.0.0.1 port, and runs ``--threads`` clients for ``--seconds``:
timeline pages and filters, event and document reads, new articles, re-posts of stored
ones (must answer 200 with the same id) and deletes. Each client only re-posts and
deletes its own documents, so every acknowledged write has one expected outcome.

Afterwards it verifies that every acknowledged write is there (each 201/200 document
readable with its URL, each 204 gone, the stored count equal to the ledger's) and runs
the consistency check. It prints requests served, statuses, latencies and errors, and
exits non-zero on any 5xx, transport error, lost write or inconsistency. Not part of the
test suite (CI never runs it).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

CITIES = ["Geneva", "Vienna", "Minsk", "Ankara", "Doha", "Oslo", "Astana", "Baku"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August"]
PARTIES = ["Russia", "Ukraine", "Belarus", "Turkey", "the United States", "China", "the EU"]


@dataclass
class Stats:
    """What the clients saw, merged under a lock."""

    statuses: Counter = field(default_factory=Counter)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, status: int, seconds: float, detail: str = "") -> None:
        with self.lock:
            self.statuses[(kind, status)] += 1
            self.latencies[kind].append(seconds)
            if status >= 500 or status == 0:
                self.failures.append(f"{kind} -> {status} {detail[:200]}")


@dataclass
class Ledger:
    """One client's acknowledged writes: document id -> (url, still stored?)."""

    documents: dict[int, tuple[str, bool]] = field(default_factory=dict)
    payloads: dict[int, dict] = field(default_factory=dict)
    wrong: list[str] = field(default_factory=list)


def article(rng: random.Random, client: int, n: int) -> dict:
    """A short dated article; shared sentences make events merge across documents."""
    city, month = rng.choice(CITIES), rng.choice(MONTHS)
    a, b = rng.sample(PARTIES, 2)
    day, year = rng.randint(1, 28), rng.choice([2021, 2022, 2023])
    text = (
        f"Officials from {a} and {b} met in {city} on {month} {day}, {year}, the ministry said. "
        f"The delegations will meet again on Friday, a spokesman said.\n\n"
        f"Talks on the corridor resumed in {rng.choice(CITIES)} on {rng.choice(MONTHS)} "
        f"{rng.randint(1, 28)}, {year}. Report {client}-{n}-{uuid.uuid4().hex[:8]}."
    )
    return {
        "text": text,
        "url": f"https://soak.example/{client}/{n}/{uuid.uuid4().hex[:8]}",
        "published_at": f"{year}-{rng.randint(9, 12):02d}-{rng.randint(1, 28):02d}",
    }


def call(base: str, method: str, path: str, key: str | None = None, body: dict | None = None):
    """(status, parsed JSON or None); status 0 for a transport error."""
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as exc:
        raw = exc.read()
        try:
            return exc.code, json.loads(raw) if raw else None
        except ValueError:
            return exc.code, {"raw": raw[:200].decode(errors="replace")}
    except (OSError, urllib.error.URLError) as exc:
        return 0, {"error": repr(exc)}


def client_loop(
    base: str, key: str, client: int, until: float, stats: Stats, ledger: Ledger, seed: int
) -> None:
    rng = random.Random(seed + client)
    n = 0
    event_ids: list[str] = []
    while time.monotonic() < until:
        roll = rng.random()
        stored = [i for i, (_, alive) in ledger.documents.items() if alive]
        started = time.perf_counter()
        if roll < 0.45:
            kind = "timeline"
            query = rng.choice(
                ["", "?limit=5", "?from=2022&to=2022", "?q=ministry", "?min_sources=2",
                 "?from=2021-03&limit=20", "?source=generic"]
            )  # fmt: skip
            status, body = call(base, "GET", "/v1/timeline" + query)
            if status == 200 and body["events"]:
                event_ids = [e["id"] for e in body["events"]][:20]
        elif roll < 0.55 and event_ids:
            kind = "event"
            status, body = call(base, "GET", f"/v1/events/{rng.choice(event_ids)}")
            if status == 404:  # its last document was deleted meanwhile: a valid answer
                status = 200
        elif roll < 0.65 and stored:
            kind = "document"
            doc_id = rng.choice(stored)
            status, body = call(base, "GET", f"/v1/documents/{doc_id}")
            if status == 200 and body["url"] != ledger.documents[doc_id][0]:
                ledger.wrong.append(f"document {doc_id} has url {body['url']}")
        elif roll < 0.85 or not stored:
            kind = "post"
            n += 1
            payload = article(rng, client, n)
            status, body = call(base, "POST", "/v1/documents", key, payload)
            if status in (200, 201):
                doc_id = body["document"]["id"]
                if status == 200 or doc_id in ledger.documents:
                    ledger.wrong.append(f"new article {payload['url']} answered {status} {doc_id}")
                ledger.documents[doc_id] = (payload["url"], True)
                ledger.payloads[doc_id] = payload
        elif roll < 0.93:
            kind = "repost"
            doc_id = rng.choice(stored)
            status, body = call(base, "POST", "/v1/documents", key, ledger.payloads[doc_id])
            if status in (200, 201) and (status, body["document"]["id"]) != (200, doc_id):
                ledger.wrong.append(f"re-post of {doc_id} answered {status}")
        else:
            kind = "delete"
            doc_id = rng.choice(stored)
            status, body = call(base, "DELETE", f"/v1/documents/{doc_id}", key)
            if status == 204:
                ledger.documents[doc_id] = (ledger.documents[doc_id][0], False)
        stats.record(kind, status, time.perf_counter() - started, json.dumps(body)[:200])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(base: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited during start-up")
        if call(base, "GET", "/healthz")[0] == 200:
            return
        time.sleep(0.25)
    raise SystemExit("gunicorn did not become healthy")


def percentile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def verify(base: str, ledgers: list[Ledger], url: str) -> tuple[list[str], int, int]:
    """Every acknowledged write as acknowledged: (problems, present, deleted)."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from timeline_service.store.check import check
    from timeline_service.store.db import make_engine
    from timeline_service.store.models import Document

    problems = [w for ledger in ledgers for w in ledger.wrong]
    present = deleted = 0
    for ledger in ledgers:
        for doc_id, (doc_url, alive) in ledger.documents.items():
            status, body = call(base, "GET", f"/v1/documents/{doc_id}")
            if alive:
                present += 1
                if status != 200 or body["url"] != doc_url:
                    problems.append(f"acknowledged document {doc_id} missing: {status}")
            else:
                deleted += 1
                if status != 404:
                    problems.append(f"deleted document {doc_id} answered {status}")
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            stored = session.scalar(select(func.count()).select_from(Document))
            if stored != present:
                problems.append(f"{stored} documents stored, {present} acknowledged")
            problems += [f"check: {p.kind}: {p.detail}" for p in check(session)]
    finally:
        engine.dispose()
    return problems, present, deleted


def scratch_database(admin_url: str) -> tuple[str, str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = make_url(admin_url).set(drivername="postgresql+psycopg")
    name = f"timeline_soak_{uuid.uuid4().hex[:8]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return admin.set(database=name).render_as_string(hide_password=False), name


def drop_database(admin_url: str, name: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = make_url(admin_url).set(drivername="postgresql+psycopg")
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "TIMELINE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        ),
        help="an existing PostgreSQL database to create the scratch database from",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    if not 1 <= args.seconds <= 3600 or not 1 <= args.threads <= 64:
        parser.error("--seconds must be 1..3600 and --threads 1..64")

    from timeline_service.store.db import upgrade

    url, name = scratch_database(args.postgres)
    key = secrets.token_urlsafe(24)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "TIMELINE_DATABASE_URL": url,
        "TIMELINE_API_KEYS": key,
        "TIMELINE_RATE_LIMIT_PER_ADDRESS": "0",  # one address makes all the load
        "TIMELINE_RATE_LIMIT_PER_KEY": "0",
    }
    server = None
    try:
        upgrade(url)
        server = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "--workers", str(args.workers)),
                *("--preload", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"),
                "timeline_service:create_app()",
            ],
            env=env,
            cwd=REPO,
        )
        wait_healthy(base, server)
        stats = Stats()
        ledgers = [Ledger() for _ in range(args.threads)]
        until = time.monotonic() + args.seconds
        started = time.perf_counter()
        threads = [
            threading.Thread(
                target=client_loop, args=(base, key, i, until, stats, ledgers[i], args.seed)
            )
            for i in range(args.threads)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        problems, present, deleted = verify(base, ledgers, url)
    finally:
        if server is not None:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        if not args.keep:
            drop_database(args.postgres, name)

    served = sum(stats.statuses.values())
    by_status = Counter()
    for (_, status), count in stats.statuses.items():
        by_status[status] += count
    five_xx = sum(c for s, c in by_status.items() if s >= 500)
    transport = by_status.get(0, 0)
    print(
        f"soak: {args.seconds:g} s, {args.threads} clients, {args.workers} gunicorn workers, "
        "PostgreSQL"
    )
    print(f"requests served: {served} in {elapsed:.1f} s ({served / elapsed:.1f}/s)")
    print("statuses: " + ", ".join(f"{s}: {c}" for s, c in sorted(by_status.items())))
    print(f"{'kind':<10}{'count':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  statuses")
    for kind in ("timeline", "event", "document", "post", "repost", "delete"):
        lat = stats.latencies.get(kind, [])
        kinds = {s: c for (k, s), c in stats.statuses.items() if k == kind}
        print(
            f"{kind:<10}{len(lat):>8}{percentile(lat, 50) * 1000:>9.1f}"
            f"{percentile(lat, 95) * 1000:>9.1f}{percentile(lat, 99) * 1000:>9.1f}  "
            + ", ".join(f"{s}: {c}" for s, c in sorted(kinds.items()))
        )
    print(f"5xx responses: {five_xx}; transport errors: {transport}")
    print(
        f"acknowledged writes: {present} documents present, {deleted} deleted; "
        f"verified: {'all' if not problems else 'NOT all'}"
    )
    for failure in stats.failures[:10]:
        print(f"  failure: {failure}")
    for problem in problems[:20]:
        print(f"  problem: {problem}")
    inconsistent = [p for p in problems if p.startswith("check:")]
    print(
        "consistency check: " + (f"{len(inconsistent)} problems" if inconsistent else "consistent")
    )
    return 1 if five_xx or transport or problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
