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
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask, Response, current_app, g, request
from sqlalchemy.engine import Connection

from .db import engine
from .queries import data_version

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


def read_connection() -> Connection:
    """The request's Core connection for hot reads (no Session), closed at teardown."""
    if "read_connection" not in g:
        g.read_connection = engine().connect()
    return g.read_connection


def _close_read_connection(_exc: BaseException | None) -> None:
    conn = g.pop("read_connection", None)
    if conn is not None:
        conn.close()


def current_version() -> int:
    """The data version for this request, read once: one tiny query, no Session (this is
    all a 304 or a cache hit costs). The request's reads then share its transaction."""
    if "data_version" not in g:
        result = read_connection().exec_driver_sql(VERSION_SQL)
        g.data_version = result.scalar() or 0
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
        if hit is None:
            response = current_app.make_response(view(*args, **kwargs))
            if response.status_code != 200 or response.is_streamed:
                return response
            kept = tuple(
                (k, v) for k, v in response.headers.items() if k in ("Link", "Content-Disposition")
            )
            hit = Rendered(response.get_data(), response.mimetype or "", kept)
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
    app.teardown_appcontext(_close_read_connection)
