"""Conditional and cached reads: ETags from the data version, 304s, rendered-body cache.

Every ingest and delete bumps the ``data_version`` row in its own transaction, so a read
that names its normalized query and that version names its response exactly. A
:func:`versioned` view therefore costs one tiny query when the client already has the
response (304) or when another client asked the same thing before (the body is served
from an in-process LRU cache); only a new question runs the real query.

Other reads get a content hash ETag and are answered with 304 when it matches.
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask, Response, current_app, g, request
from sqlalchemy import Engine, event
from sqlalchemy.exc import TimeoutError as PoolTimeout

from ..store.queries import DriverConnection, data_version

#: endpoints whose responses must never be cached or conditional
UNCACHED = frozenset({"meta.healthz"})


@dataclass(frozen=True)
class Rendered:
    """A response body as the cache keeps it."""

    body: bytes
    mimetype: str
    headers: tuple[tuple[str, str], ...] = ()


class ResponseCache:
    """A thread-safe LRU of rendered bodies, bounded by entries and total bytes."""

    def __init__(self, max_entries: int = 1024, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._items: OrderedDict[Any, Rendered] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Any) -> Rendered | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: Any, value: Rendered) -> None:
        size = len(value.body)
        if self.max_entries <= 0 or size > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._items[key] = value
            self._bytes += size
            while len(self._items) > self.max_entries or self._bytes > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped.body)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._items)


def normalized_query() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The query string as a canonical key: names sorted, repeated values sorted."""
    args = request.args
    return tuple(sorted((name, tuple(sorted(args.getlist(name)))) for name in args))


VERSION_SQL = "SELECT version FROM data_version WHERE id = 1"


class HotPool:
    """Idle autocommit driver connections of one engine, lent to one request at a time.

    Simpler than the engine's pool on purpose: no ping, no reset, no transaction. At most
    ``size`` are lent at once (a request waits ``wait`` seconds for one, else the database
    is busy: a 503), so a worker serving many clients at once cannot exhaust the server's
    connections. Each statement is bounded by ``timeout`` seconds (PostgreSQL's
    ``statement_timeout``; on SQLite a progress handler against the loan's deadline). A
    connection that broke, or whose request failed, is closed rather than lent again; all
    are closed when the engine is disposed.
    """

    def __init__(
        self, eng: Engine, *, size: int = 8, timeout: float = 10.0, wait: float = 10.0
    ) -> None:
        self.engine = eng
        self.idle: list[DriverConnection] = []
        self.lock = threading.Lock()
        self.slots = threading.BoundedSemaphore(size)
        self.timeout = timeout
        self.wait = wait
        self.pid = os.getpid()
        event.listen(eng, "engine_disposed", lambda _engine: self.close_all())

    def acquire(self) -> DriverConnection:
        if not self.slots.acquire(timeout=self.wait):
            raise HotPoolExhausted(f"no read connection free within {self.wait:g} s")
        try:
            with self.lock:
                if self.pid != os.getpid():  # forked: the parent's sockets are not ours
                    self.idle, self.pid = [], os.getpid()
                conn = self.idle.pop() if self.idle else None
            if conn is None:
                conn = DriverConnection.open(self.engine, statement_timeout=self.timeout)
        except BaseException:
            self.slots.release()
            raise
        conn.deadline = time.monotonic() + self.timeout
        return conn

    def release(self, conn: DriverConnection, *, failed: bool = False) -> None:
        if conn.pid != os.getpid():
            return  # lent before a fork: the slot and the socket belong to the parent
        try:
            if failed or conn.broken():
                conn.close()
                return
            conn.deadline = None
            with self.lock:
                self.idle.append(conn)
        finally:
            self.slots.release()

    def close_all(self) -> None:
        with self.lock:
            idle, self.idle = self.idle, []
        for conn in idle:
            conn.close()


class HotPoolExhausted(PoolTimeout):
    """Every read connection of the worker is lent out and none came back in time."""


def read_connection() -> DriverConnection:
    """The request's autocommit driver connection for hot reads (see DriverConnection)."""
    if "hot_connection" not in g:
        g.hot_connection = current_app.extensions["timeline_hot"].acquire()
    return g.hot_connection


def _release(exc: BaseException | None) -> None:
    conn = g.pop("hot_connection", None)
    if conn is not None:
        current_app.extensions["timeline_hot"].release(conn, failed=exc is not None)


def _read_version() -> int:
    try:
        return read_connection().scalar(VERSION_SQL) or 0
    except Exception:  # a dropped connection: take a fresh one, once
        current_app.extensions["timeline_hot"].release(g.pop("hot_connection"), failed=True)
        return read_connection().scalar(VERSION_SQL) or 0


def current_version() -> int:
    """The data version for this request, read once: one tiny query, no Session, no pool
    (this is all a 304 or a cache hit costs)."""
    if "data_version" not in g:
        g.data_version = _read_version()
    return g.data_version


def current_changed_at() -> datetime | None:
    """When the data last changed (for renderers that stamp it, e.g. iCalendar)."""
    return data_version(read_connection())[1]


def versioned(
    view: Callable[..., Any] | None = None, *, salt: Callable[[], Any] | None = None
) -> Any:
    """Answer a read from (normalized query, data version): 304, cached body, or the view.

    The ETag is derived from the key alone, so a matching ``If-None-Match`` is answered
    without rendering anything. ``salt`` adds whatever else the body depends on (the
    installed output formats). Only 200 responses are cached.
    """
    if view is None:
        return functools.partial(versioned, salt=salt)

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        version = current_version()
        key = (request.endpoint, request.path, normalized_query(), salt() if salt else None)
        digest = hashlib.blake2b(repr(key).encode(), digest_size=8).hexdigest()
        etag = f"v{version}-{digest}"
        cache: ResponseCache = current_app.extensions["timeline_cache"]
        # Only tags we issued for a 200 count here: `*` must not turn a bad query into a 304.
        wanted = request.if_none_match
        if not wanted.star_tag and wanted.contains_weak(etag):
            return _tagged(Response(status=304), etag)
        hit = cache.get((version, key))
        attempts = 3
        while hit is None:
            response = current_app.make_response(view(*args, **kwargs))
            if response.status_code != 200 or response.is_streamed:
                return response
            # The view read with autocommit statements: it is one consistent snapshot only
            # if no write committed meanwhile, i.e. the version did not move. Else redo it.
            # A view may report the version its last statement saw (``seen_version``).
            after = g.pop("seen_version", None)
            if after is None:
                after = _read_version()
            attempts -= 1
            if after != version and attempts > 0:
                g.data_version = version = after
                etag = f"v{version}-{digest}"
                hit = cache.get((version, key))
                continue
            kept = tuple(
                (k, v) for k, v in response.headers.items() if k in ("Link", "Content-Disposition")
            )
            hit = Rendered(response.get_data(), response.mimetype or "", kept)
            if after == version:
                cache.put((version, key), hit)
        if wanted.star_tag:
            return _tagged(Response(status=304), etag)
        response = Response(hit.body, mimetype=hit.mimetype, headers=list(hit.headers))
        return _tagged(response, etag)

    return wrapper


def _tagged(response: Response, etag: str) -> Response:
    response.set_etag(etag)
    response.headers["Cache-Control"] = current_app.config["CACHE_CONTROL"]
    return response


def _conditional(response: Response) -> Response:
    """Give any other successful read a content ETag and honour ``If-None-Match``."""
    if request.method not in ("GET", "HEAD") or request.endpoint in UNCACHED:
        if request.endpoint in UNCACHED:
            response.headers["Cache-Control"] = "no-store"
        return response
    if response.status_code != 200 or response.is_streamed:
        return response
    if "ETag" not in response.headers:
        response.add_etag()
        response.headers.setdefault("Cache-Control", current_app.config["CACHE_CONTROL"])
        response.make_conditional(request)
    return response


def init_app(app: Flask) -> None:
    app.config.setdefault("CACHE_CONTROL", "public, no-cache")
    app.config.setdefault("RESPONSE_CACHE_ENTRIES", 1024)
    app.extensions["timeline_cache"] = ResponseCache(
        max_entries=int(app.config["RESPONSE_CACHE_ENTRIES"])
    )
    app.after_request(_conditional)
    app.extensions["timeline_hot"] = HotPool(
        app.extensions["timeline_db"].kw["bind"],
        size=int(app.config.get("READ_CONNECTIONS", 8)),
        timeout=float(app.config.get("READ_TIMEOUT_SECONDS", 10.0)),
    )
    app.teardown_appcontext(_release)
