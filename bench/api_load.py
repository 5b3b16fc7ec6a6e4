"""API load benchmark: the dashboard query under gunicorn, against two references.

    .venv/bin/python bench/api_load.py [--quick] [--backend sqlite|postgres|both]
                                       [--events 100000] [--scales 10000,1000000]
                                       [--postgres-scales 10000] [--seconds 10]
                                       [--connections 4] [--rounds 3]

Builds a database of ``--events`` events (2.5 mentions each on average) generated from the
structure of the seed timeline (its granularities, types, actors, sentences), inserted
with SQLAlchemy Core ``executemany`` straight into the tables; databases are kept under
``bench/.data/`` (SQLite) or as ``timeline_bench_<n>`` (PostgreSQL) and reused (migrated
to the current schema first, as a deployment would be). Then it
serves, each with gunicorn (2 sync workers) on a free 127.0.0.1 port:

- ``minimal``: a Flask endpoint returning the dashboard page's JSON as fixed bytes;
- ``raw``: a Flask endpoint running the same SQL with the bare driver (``sqlite3`` or
  ``psycopg``) and building the same JSON with ``json.dumps`` (checked byte-equal);
- ``app``: the service itself.

and measures each with ``wrk`` over loopback: the dashboard query (a year window plus an
actor, 50 events with their sources) as a *first-time* query (every request a new query,
salted afresh for every wrk run, warm-ups included: no response cache can help) and as a
*repeated* query (the polling pattern). The p99 of the first-time query is also measured
at each of ``--scales``. Each comparison alternates
its servers over ``--rounds`` rounds and keeps the median (the machine may be shared).
It prints a table. Loopback only, bounded runs; ``--quick`` is a smoke run.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DATA = REPO / "bench" / ".data"
PG_ADMIN = os.environ.get(
    "TIMELINE_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
ACTOR = "Aleksandr Lukashenko"
YEARS = (2000, 2025)  # generated events fall in [2000, 2025)
OFFSET = timedelta(hours=3)  # the seeds' outlets are mostly on Moscow/Minsk time
PAGE = 50

# ------------------------------------------------------------------------ generation


@dataclass
class Template:
    """One seed event: what a generated event copies, besides its date."""

    granularity: str
    value: str
    title: str
    type: str
    actors: list[str]
    sentences: list[tuple[str, str | None]]


def seed_templates() -> list[Template]:
    """The seed timeline, built once through the pipeline in a scratch database."""
    from timeline_service import create_app
    from timeline_service.store.db import upgrade

    scratch = Path(tempfile.mkdtemp(prefix="bench-seed-"))
    url = f"sqlite:///{scratch / 'seed.sqlite'}"
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "RATE_LIMIT_PER_ADDRESS": 0})
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    client = app.test_client()
    events = client.get("/v1/timeline?limit=500&include=mentions").json["events"]
    app.extensions["timeline_db"].kw["bind"].dispose()
    shutil.rmtree(scratch, ignore_errors=True)
    return [
        Template(
            e["date"]["granularity"],
            e["date"]["value"],
            e["title"],
            e["type"],
            e["actors"],
            [(m["sentence"], m["when_text"]) for m in e["mentions"]],
        )
        for e in events
    ]


def _month_start(y: int, m: int) -> datetime:
    return datetime(y + (m - 1) // 12, (m - 1) % 12 + 1, 1)


def dated(t: Template, day: date, rng: random.Random) -> tuple[str, datetime, datetime]:
    """The template's granularity placed on ``day``: (value, start UTC, end UTC)."""
    midnight = datetime(day.year, day.month, day.day)
    g = t.granularity
    if g == "year":
        value, start, end = str(day.year), datetime(day.year, 1, 1), datetime(day.year + 1, 1, 1)
    elif g == "month":
        value = f"{day:%Y-%m}"
        start, end = _month_start(day.year, day.month), _month_start(day.year, day.month + 1)
    elif g == "week":
        y, w, _ = day.isocalendar()
        start = datetime.combine(date.fromisocalendar(y, w, 1), datetime.min.time())
        value, end = f"{y}-W{w:02d}", start + timedelta(days=7)
    elif g == "season":
        code = t.value[-2:] if t.value[-2:] in ("SP", "SU", "FA", "WI") else "SP"
        first = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[code]
        value = f"{day.year}-{code}"
        start, end = _month_start(day.year, first), _month_start(day.year, first + 3)
    elif g == "time":
        hour, minute = rng.randrange(24), rng.randrange(60)
        value = f"{day:%Y-%m-%d}T{hour:02d}:{minute:02d}"
        start = midnight + timedelta(hours=hour, minutes=minute)
        end = start + timedelta(minutes=1)
    elif g == "part_of_day":
        code = t.value[-2:] if t.value[-3:-2] == "T" else "MO"
        hours = {"MO": (6, 12), "AF": (12, 18), "EV": (18, 22), "NI": (22, 30)}.get(code, (6, 12))
        value = f"{day:%Y-%m-%d}T{code}"
        start, end = midnight + timedelta(hours=hours[0]), midnight + timedelta(hours=hours[1])
    else:
        value, start, end = f"{day:%Y-%m-%d}", midnight, midnight + timedelta(days=1)
    return value, (start - OFFSET).replace(tzinfo=UTC), (end - OFFSET).replace(tzinfo=UTC)


class Writer:
    """Core ``executemany`` into one table, every column filled (defaults for the rest).

    On SQLite the rows go through a plain-typed copy of the table with timestamps and
    JSON already as the text SQLAlchemy would store, skipping per-value type processing
    (several times faster); PostgreSQL gets the model's table and types.
    """

    def __init__(self, table: Any, sqlite: bool) -> None:
        from sqlalchemy import JSON, Column, Integer, MetaData, Table, Text

        self.defaults: dict[str, Any] = {}
        for col in table.columns:
            default = col.default
            if default is not None and not col.primary_key:
                self.defaults[col.name] = default.arg(None) if default.is_callable else default.arg
            elif col.nullable:
                self.defaults[col.name] = None
        self.sqlite = sqlite
        self.json = {c.name for c in table.columns if isinstance(c.type, JSON)}
        if sqlite:
            plain = [
                Column(c.name, Integer if c.type.python_type is int else Text)
                for c in table.columns
                if not c.name.startswith("_")
            ]
            table = Table(table.name, MetaData(), *plain)
        self.table = table
        self.columns = [c.name for c in table.columns]

    def row(self, values: dict[str, Any]) -> dict[str, Any]:
        row = {**self.defaults, **values}
        if self.sqlite:
            for key, value in row.items():
                if isinstance(value, datetime):
                    row[key] = value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
                elif key in self.json:
                    row[key] = json.dumps(value)
        return row

    def write(self, conn: Any, rows: list[dict[str, Any]]) -> None:
        from sqlalchemy import insert

        if rows:
            conn.execute(insert(self.table), [self.row(r) for r in rows])


def generate(url: str, n_events: int, templates: list[Template], seed: int = 7) -> None:
    """Insert ``n_events`` events, ~2.5 mentions each, their documents, sources and actors."""
    from sqlalchemy import text, update

    from timeline_service.store.db import make_engine, upgrade
    from timeline_service.store.models import (
        DataVersion,
        Document,
        Event,
        EventActor,
        Mention,
        Source,
    )

    upgrade(url)
    rng = random.Random(seed)
    engine = make_engine(url)
    n_docs = max(10, n_events // 2)
    slugs = ["moscow-times", "free-russia-forum", "panarmenian", "republic-world", "cnn"]
    slugs += [f"outlet-{i:02d}" for i in range(15)]
    now = datetime(2025, 1, 1, tzinfo=UTC)
    span_days = (date(YEARS[1], 1, 1) - date(YEARS[0], 1, 1)).days
    pool = [a for t in templates for a in t.actors] or [ACTOR]
    pool += [f"Person {i:03d}" for i in range(300)]
    t0 = time.perf_counter()
    sqlite = engine.dialect.name == "sqlite"
    indexes = [ix for t in (Document, Event, EventActor, Mention) for ix in t.__table__.indexes]
    with engine.begin() as conn:  # bulk load first, build the indexes once afterwards
        if sqlite:
            conn.exec_driver_sql("PRAGMA cache_size = -262144")
            conn.exec_driver_sql("PRAGMA synchronous = OFF")
        for ix in indexes:
            ix.drop(conn)
        # PostgreSQL's full-text indexes (migration 0005, not in the models) likewise
        searching = []
        if not sqlite:
            searching = conn.execute(
                text("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE :n"),
                {"n": "ix_%_search"},
            ).all()
            for name, _ in searching:
                conn.execute(text(f'DROP INDEX "{name}"'))
    w_source, w_document, w_event, w_actor, w_mention = (
        Writer(m.__table__, sqlite) for m in (Source, Document, Event, EventActor, Mention)
    )
    with engine.begin() as conn:
        w_source.write(
            conn,
            [
                {"id": i + 1, "slug": s, "name": s.replace("-", " ").title(), "plugin": s}
                for i, s in enumerate(slugs)
            ],
        )
        published: list[datetime] = []
        doc_source: list[int] = []
        batch: list[dict[str, Any]] = []
        for i in range(1, n_docs + 1):
            when = datetime(YEARS[0], 1, 1, tzinfo=UTC) + timedelta(days=rng.random() * span_days)
            published.append(when)
            doc_source.append(rng.randrange(len(slugs)) + 1)
            batch.append(
                {
                    "id": i,
                    "source_id": doc_source[-1],
                    "url": f"https://news.example/{i}",
                    "title": f"Article {i}",
                    "published_at": when,
                    "published_at_origin": "metadata",
                    "raw": "",
                    "body": "",
                    "content_hash": hashlib.sha256(str(i).encode()).hexdigest(),
                    "ingested_at": now,
                }
            )
            if len(batch) == 20_000:
                w_document.write(conn, batch)
                batch = []
        w_document.write(conn, batch)
        # documents sorted by publication, so an event's reports come from around its date
        by_time = sorted(range(n_docs), key=published.__getitem__)
        events: list[dict[str, Any]] = []
        mentions: list[dict[str, Any]] = []
        actors: list[dict[str, Any]] = []
        mention_id = 0
        for i in range(1, n_events + 1):
            t = templates[i % len(templates)]
            day = date(YEARS[0], 1, 1) + timedelta(days=rng.randrange(span_days))
            value, start, end = dated(t, day, rng)
            names = list(t.actors) if rng.random() < 0.3 else rng.sample(pool, rng.randint(1, 3))
            names = sorted(set(names))
            k = rng.randint(1, 4)
            pos = int((day - date(YEARS[0], 1, 1)).days / span_days * n_docs)
            docs = sorted({by_time[min(n_docs - 1, max(0, pos + rng.randint(-3, 30)))] + 1
                           for _ in range(k)})  # fmt: skip
            first = min(published[d - 1] for d in docs)
            key = "ev_" + hashlib.sha1(f"bench{i}".encode()).hexdigest()[:20]
            events.append(
                {
                    "id": i,
                    "key": key,
                    "date_value": value,
                    "granularity": t.granularity,
                    "start_at": start,
                    "end_at": end,
                    "agreement": "single" if k == 1 else "agree",
                    "title": t.title,
                    "type": t.type,
                    "actors": names,
                    "source_count": len({doc_source[d - 1] for d in docs}),
                    "mention_count": k,
                    "first_reported_at": first,
                }
            )
            actors += [
                {"event_id": i, "actor": a, "granularity": t.granularity, "start_at": start,
                 "end_at": end, "key": key}
                for a in names
            ]  # fmt: skip
            for j in range(k):
                mention_id += 1
                sentence, when_text = t.sentences[j % len(t.sentences)]
                mentions.append(
                    {
                        "id": mention_id,
                        "document_id": docs[j % len(docs)],
                        "event_id": i,
                        "sentence": sentence,
                        "sentence_start": 100 * j,
                        "sentence_end": 100 * j + len(sentence),
                        "when_text": when_text,
                        "date_value": value,
                        "granularity": t.granularity,
                        "start_at": start,
                        "end_at": end,
                        "anchor_at": published[docs[j % len(docs)] - 1],
                        "anchor_timezone": "Europe/Moscow",
                        "resolver_version": "bench",
                        "title": t.title,
                        "type": t.type,
                        "actors": names,
                        "modality": "reported",
                    }
                )
            if len(events) >= 20_000 or i == n_events:
                w_event.write(conn, events)
                w_actor.write(conn, actors)
                w_mention.write(conn, mentions)
                events, actors, mentions = [], [], []
                if i % 100_000 == 0 or i == n_events:
                    print(f"  {i:>9,} events  {time.perf_counter() - t0:6.1f} s", file=sys.stderr)
        conn.execute(update(DataVersion).values(version=DataVersion.version + 1))
        for ix in indexes:
            ix.create(conn)
        for _, definition in searching:
            conn.execute(text(definition))
        if engine.dialect.name == "postgresql":
            for table in ("sources", "documents", "events", "mentions"):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()
    engine.dispose()
    print(
        f"  generated {n_events:,} events, {mention_id:,} mentions, {n_docs:,} documents "
        f"in {time.perf_counter() - t0:.0f} s",
        file=sys.stderr,
    )


def database(backend: str, n_events: int, templates: list[Template]) -> str:
    """The URL of a generated database of ``n_events`` events, made on first use."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from timeline_service.store.db import upgrade

    if backend == "sqlite":
        DATA.mkdir(parents=True, exist_ok=True)
        path = DATA / f"api_load_{n_events}.sqlite"
        done = path.with_suffix(".done")
        if not done.exists():
            for stale in DATA.glob(f"api_load_{n_events}.sqlite*"):
                stale.unlink()
            print(f"generating SQLite database of {n_events:,} events", file=sys.stderr)
            generate(f"sqlite:///{path}", n_events, templates)
            done.write_text("ok")
        upgrade(f"sqlite:///{path}")  # a database made by an older revision catches up
        return f"sqlite:///{path}"
    name = f"timeline_bench_{n_events}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    url = make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
    if exists:
        probe = create_engine(url)
        try:
            with probe.connect() as conn:
                have = conn.scalar(text("SELECT count(*) FROM events"))
        except Exception:
            have = -1
        probe.dispose()
        if have == n_events:
            admin.dispose()
            upgrade(url)
            return url
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    print(f"generating PostgreSQL database of {n_events:,} events", file=sys.stderr)
    generate(url, n_events, templates)
    return url


# ------------------------------------------------------------------ the served apps


def _freeze() -> None:
    gc.collect()
    gc.freeze()


def timeline_app() -> Any:
    """The service, as ``timeline-service serve`` runs it."""
    from timeline_service import create_app

    app = create_app(
        {
            "DATABASE_URL": os.environ["BENCH_URL"],
            "RATE_LIMIT_PER_ADDRESS": 0,
            "RATE_LIMIT_PER_KEY": 0,
        }
    )
    _freeze()
    return app


def minimal_app() -> Any:
    """Fixed JSON bytes: the ceiling for any Flask endpoint on this machine."""
    from flask import Flask, Response

    body = Path(os.environ["BENCH_BODY"]).read_bytes()
    app = Flask("minimal")

    @app.get("/v1/timeline")
    def fixed() -> Response:
        return Response(body, mimetype="application/json")

    _freeze()
    return app


_WINDOW_GRANULARITIES_SQL = "SELECT granularity, {span} FROM events GROUP BY granularity"
_COLUMNS = (
    "id, key, date_value, granularity, start_at, end_at, agreement, title, type, actors, "
    "location, source_count, mention_count, first_reported_at"
)


def raw_app() -> Any:
    """The same SQL through the bare driver, shaped by the service's own representations
    (``timeline_service.web.representations``) and written by its ``dumps``."""
    from collections import namedtuple

    from flask import Flask, Response, request

    from timeline_service.sdk import dumps
    from timeline_service.web.representations import encode_cursor, event_dict, ref_dict, stamp

    url = os.environ["BENCH_URL"]
    postgres = url.startswith("postgresql")
    if postgres:
        import psycopg

        conn = psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), autocommit=True)
        mark, span = "%s", "max(extract(epoch from end_at - start_at)) / 86400.0"
    else:
        import sqlite3

        from timeline_service.store.queries import SQLITE_READ_PRAGMAS

        conn = sqlite3.connect(url.removeprefix("sqlite:///"), check_same_thread=False)
        for pragma in SQLITE_READ_PRAGMAS:  # the same read settings as the service's
            conn.execute(pragma)
        mark, span = "?", "max(julianday(end_at) - julianday(start_at))"
    spans = dict(conn.execute(_WINDOW_GRANULARITIES_SQL.format(span=span)).fetchall())
    # the service's plan for an actor: one range of the actor index per granularity
    groups = sorted((g, float(d or 0)) for g, d in spans.items())

    def param(moment: datetime) -> Any:
        return moment if postgres else moment.strftime("%Y-%m-%d %H:%M:%S.%f")

    Row = namedtuple("Row", [c.strip() for c in _COLUMNS.split(",")])
    app = Flask("raw")

    @app.get("/v1/timeline")
    def timeline() -> Response:
        year_from, year_to = int(request.args["from"][:4]), int(request.args["to"][:4])
        start = datetime(year_from, 1, 1, tzinfo=UTC)
        end = datetime(year_to + 1, 1, 1, tzinfo=UTC)
        actor = request.args["actor"]
        limit = int(request.args.get("limit", PAGE))
        parts, args = [], []
        for granularity, days in groups:
            parts.append(
                f"SELECT * FROM (SELECT event_id, start_at, key FROM event_actors "
                f"WHERE actor = {mark} AND granularity = {mark} AND start_at > {mark} "
                f"AND end_at > {mark} AND start_at < {mark} ORDER BY start_at, key "
                f"LIMIT {mark}) AS g"
            )
            lowest = start - timedelta(days=days + 1e-3)
            args += [actor, granularity, param(lowest), param(start), param(end), limit + 1]
        columns = ", ".join(f"e.{c.strip()}" for c in _COLUMNS.split(","))
        sql = (
            f"SELECT {columns} FROM events AS e JOIN (SELECT event_id, start_at, key FROM "
            f"({' UNION ALL '.join(parts)}) AS u ORDER BY start_at, key LIMIT {mark}) AS p "
            "ON e.id = p.event_id ORDER BY p.start_at, p.key"
        )
        rows = [Row._make(r) for r in conn.execute(sql, [*args, limit + 1]).fetchall()]
        next_cursor = None
        if len(rows) > limit:
            rows = rows[:limit]
            next_cursor = encode_cursor(stamp(rows[-1].start_at) or "", rows[-1].key)
        refs: dict[int, list[dict[str, Any]]] = {}
        if rows:
            ids = [r.id for r in rows]
            marks = ", ".join([mark] * len(ids))
            seen = set()
            for ref in conn.execute(
                "SELECT m.event_id, s.slug, s.name, d.id, d.url, d.published_at, "
                "m.sentence, m.when_text FROM mentions m "
                "JOIN documents d ON m.document_id = d.id "
                "JOIN sources s ON d.source_id = s.id "
                f"WHERE m.event_id IN ({marks}) "
                "ORDER BY m.event_id, d.published_at, d.id, m.sentence_start",
                ids,
            ).fetchall():
                if (ref[0], ref[3]) in seen:
                    continue
                seen.add((ref[0], ref[3]))
                refs.setdefault(ref[0], []).append(ref_dict(ref))
        events = [event_dict(r, refs.get(r.id, [])) for r in rows]
        body = dumps({"events": events, "next_cursor": next_cursor})
        return Response(body, mimetype="application/json")

    _freeze()
    return app


# --------------------------------------------------------------- serving and loading


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """A gunicorn (2 sync workers) serving one of the factories above on loopback."""

    def __init__(self, factory: str, env: dict[str, str], workers: int = 2) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [str(gunicorn), "--chdir", str(REPO / "bench"), "--workers", str(workers)]
        command += ["--bind", f"127.0.0.1:{self.port}", "--log-level", "warning"]
        self.proc = subprocess.Popen(
            [*command, f"api_load:{factory}()"],
            env={**os.environ, **env, "PYTHONPATH": str(REPO)},
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.base + "/nowhere", timeout=2)
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{factory} did not start")

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.base + path, timeout=30) as response:
            return response.read()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def __enter__(self) -> Served:
        return self

    def __exit__(self, *_: Any) -> None:
        self.stop()


#: every request a query the service has not answered before: ``salt`` is set afresh for
#: each wrk run (the warm-up run included), so no run repeats another's requests
FIRST_TIME_LUA = """
counter = 0
request = function()
  counter = counter + 1
  local year = %d + (counter * 7) %% %d
  return wrk.format("GET", "/v1/timeline?from=" .. year .. "&to=" .. year ..
    "&actor=%s&limit=%d&n=" .. salt .. "-" .. counter)
end
"""


@dataclass
class Run:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    assert m, text
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def wrk(
    base: str, path: str | None, seconds: float, connections: int, lua: str | None = None
) -> Run:
    """One bounded ``wrk`` run (1 thread) on loopback, with its latency distribution,
    after a 2-second warm-up run (every worker's caches and connections made)."""
    if seconds > 2:
        wrk(base, path, 2, connections, lua)
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "--latency"]
    with tempfile.TemporaryDirectory() as tmp:
        if lua:
            script = Path(tmp) / "query.lua"
            script.write_text(f'salt = "{os.urandom(8).hex()}"\n{lua}')
            cmd += ["-s", str(script)]
        out = subprocess.run([*cmd, base + (path or "/")], capture_output=True, text=True).stdout
    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if found is None:
        raise RuntimeError(f"wrk failed: {' '.join(cmd)}\n{out}")
    rps = float(found.group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    socket_errors = re.search(r"Socket errors: (.*)", out)
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return Run(rps, p50, p99, errors)


def dashboard_path(year: int) -> str:
    actor = ACTOR.replace(" ", "%20")
    return f"/v1/timeline?from={year}&to={year}&actor={actor}&limit={PAGE}"


def first_time_lua() -> str:
    return FIRST_TIME_LUA % (YEARS[0], YEARS[1] - YEARS[0], ACTOR.replace(" ", "%20"), PAGE)


def median_run(runs: list[Run]) -> Run:
    """The round with the median throughput (its own latencies alongside)."""
    return sorted(runs, key=lambda r: r.rps)[len(runs) // 2]


def measure(
    backend: str, url: str, seconds: float, connections: int, rounds: int
) -> dict[str, Run]:
    """Minimal, raw and app at one database: first-time and repeated dashboard queries.

    Each comparison alternates its two servers for ``rounds`` rounds and keeps the
    median, so load from elsewhere on a shared machine hits both sides alike.
    """
    env = {"BENCH_URL": url}
    runs: dict[str, list[Run]] = {}
    repeated = dashboard_path(2012)
    with tempfile.TemporaryDirectory() as tmp:
        body_file = Path(tmp) / "body.json"
        with Served("timeline_app", env) as app, Served("raw_app", env) as raw:
            body = app.get(repeated)
            assert len(json.loads(body)["events"]) == PAGE, "the dashboard page is full"
            for year in (2003, 2012, 2024):
                assert raw.get(dashboard_path(year)) == app.get(dashboard_path(year)), (
                    f"raw and app JSON differ for {year}"
                )
            body_file.write_bytes(body)
            with Served("minimal_app", {"BENCH_BODY": str(body_file)}) as minimal:
                lua = first_time_lua()
                for _ in range(rounds):
                    for name, server, path, script in (
                        ("raw first-time", raw, None, lua),
                        ("app first-time", app, None, lua),
                        ("minimal", minimal, repeated, None),
                        ("app repeated", app, repeated, None),
                    ):
                        run = wrk(server.base, path, seconds, connections, script)
                        runs.setdefault(name, []).append(run)
    return {name: median_run(r) for name, r in runs.items()}


def scale_p99(backend: str, url: str, seconds: float, connections: int, rounds: int) -> Run:
    with Served("timeline_app", {"BENCH_URL": url}) as app:
        app.get(dashboard_path(2012))
        runs = [wrk(app.base, None, seconds, connections, first_time_lua()) for _ in range(rounds)]
    return sorted(runs, key=lambda r: r.p99_ms)[len(runs) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="10,000 events, 3 s runs")
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--scales", default="10000,1000000", help="extra sizes for the p99 row")
    parser.add_argument(
        "--postgres-scales",
        default="10000",
        help="the same for PostgreSQL (a 1,000,000-event load takes it ~40 min on 2 cores)",
    )
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds, median kept")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install wrk)")
    if args.quick:
        args.events, args.seconds, args.scales, args.rounds = 10_000, 3.0, "", 1
        args.postgres_scales = ""
    backends = ("sqlite", "postgres") if args.backend == "both" else (args.backend,)
    templates = seed_templates()
    rows: list[str] = []
    head = f"{'backend':<9} {'events':>9}  {'endpoint':<16} {'req/s':>8} {'p50 ms':>8} "
    head += f"{'p99 ms':>8}"
    notes: list[str] = []
    for backend in backends:
        url = database(backend, args.events, templates)
        results = measure(backend, url, args.seconds, args.connections, args.rounds)
        for name in ("minimal", "raw first-time", "app first-time", "app repeated"):
            r = results[name]
            err = f"  ({r.errors} errors)" if r.errors else ""
            rows.append(
                f"{backend:<9} {args.events:>9,}  {name:<16} {r.rps:>8.0f} "
                f"{r.p50_ms:>8.2f} {r.p99_ms:>8.2f}{err}"
            )
        first = results["app first-time"].rps / results["raw first-time"].rps
        repeat = results["app repeated"].rps / results["minimal"].rps
        notes.append(
            f"{backend}: first-time app/raw = {first:.2f}x (target >= 0.8), "
            f"repeated app/minimal = {repeat:.2f}x (target >= 0.5)"
        )
        extra = args.scales if backend == "sqlite" else args.postgres_scales
        scales = sorted({args.events, *(int(s) for s in extra.split(",") if s)})
        p99 = {args.events: results["app first-time"].p99_ms}
        for n in scales:
            if n == args.events:
                continue
            other = database(backend, n, templates)
            run = scale_p99(backend, other, args.seconds, args.connections, args.rounds)
            p99[n] = run.p99_ms
            rows.append(
                f"{backend:<9} {n:>9,}  {'app first-time':<16} {run.rps:>8.0f} "
                f"{run.p50_ms:>8.2f} {run.p99_ms:>8.2f}"
            )
        if len(p99) > 1:
            lo, hi = min(p99), max(p99)
            notes.append(
                f"{backend}: first-time p99 {p99[lo]:.2f} ms at {lo:,} events, "
                f"{p99[hi]:.2f} ms at {hi:,} = {p99[hi] / p99[lo]:.2f}x (target <= 1.5)"
            )
    print()
    print(
        f"dashboard query: one year + actor={ACTOR!r}, {PAGE} events with sources; "
        f"wrk -t1 -c{args.connections} -d{args.seconds:g}s, median of {args.rounds} "
        "alternating rounds; gunicorn 2 sync workers"
    )
    print(head)
    print("-" * len(head))
    print("\n".join(rows))
    print()
    print("\n".join(notes))


if __name__ == "__main__":
    main()
