"""Rate limits per client address and per API key: token buckets, 429 with ``Retry-After``.

The buckets live in the worker process. Under gunicorn with N workers a client can get up
to N times the configured rate (each worker refills its own buckets); that is the price of
not depending on a shared store, and operators size the limits with it in mind
(docs/operations.md). Behind a reverse proxy set ``TRUSTED_PROXIES`` so the client address
is read from ``X-Forwarded-For`` rather than being the proxy's for everyone.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, Response, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

from . import auth
from .errors import problem


@dataclass
class Bucket:
    tokens: float
    stamp: float


class TokenBuckets:
    """Buckets of ``capacity`` tokens refilled at ``capacity`` per ``period`` seconds.

    A request takes one token; with none left it must wait ``retry_after`` seconds. Full
    buckets are forgotten when the table grows past ``max_entries``, so a flood of new
    addresses costs bounded memory.
    """

    def __init__(
        self,
        capacity: int,
        period: float = 60.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_entries: int = 10_000,
    ) -> None:
        self.capacity = float(capacity)
        self.rate = capacity / period
        self.clock = clock
        self.max_entries = max_entries
        self._buckets: dict[str, Bucket] = {}
        self._lock = threading.Lock()

    def take(self, identity: str) -> float:
        """Take a token for ``identity``: 0 if granted, else seconds until one is available."""
        now = self.clock()
        with self._lock:
            bucket = self._buckets.get(identity)
            if bucket is None:
                if len(self._buckets) >= self.max_entries:
                    self._prune(now)
                bucket = self._buckets[identity] = Bucket(self.capacity, now)
            else:
                elapsed = max(0.0, now - bucket.stamp)
                bucket.tokens = min(self.capacity, bucket.tokens + elapsed * self.rate)
                bucket.stamp = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / self.rate

    def _prune(self, now: float) -> None:
        full = [
            key
            for key, b in self._buckets.items()
            if b.tokens + (now - b.stamp) * self.rate >= self.capacity
        ]
        for key in full:
            del self._buckets[key]
        if len(self._buckets) >= self.max_entries:  # all busy: drop the stalest half
            stale = sorted(self._buckets, key=lambda k: self._buckets[k].stamp)
            for key in stale[: len(stale) // 2]:
                del self._buckets[key]


class Limits:
    """The app's bucket tables, rebuilt when the configured rate changes (``0`` is off)."""

    def __init__(self) -> None:
        self._tables: dict[str, TokenBuckets] = {}
        self._lock = threading.Lock()

    def buckets(self, setting: str) -> TokenBuckets | None:
        capacity = int(current_app.config.get(setting) or 0)
        if capacity <= 0:
            return None
        table = self._tables.get(setting)
        if table is None or table.capacity != capacity:
            with self._lock:
                table = self._tables.get(setting)
                if table is None or table.capacity != capacity:
                    table = self._tables[setting] = TokenBuckets(capacity)
        return table


def too_many(wait: float, what: str) -> Response:
    seconds = max(1, math.ceil(wait))
    response = problem(
        429,
        "Too Many Requests",
        f"Rate limit per {what} exceeded; retry after {seconds} s.",
    )
    response.headers["Retry-After"] = str(seconds)
    return response


def _limit() -> Response | None:
    limits: Limits = current_app.extensions["timeline_ratelimit"]
    by_address = limits.buckets("RATE_LIMIT_PER_ADDRESS")
    if by_address is not None:
        wait = by_address.take(request.remote_addr or "unknown")
        if wait:
            return too_many(wait, "client address")
    by_key = limits.buckets("RATE_LIMIT_PER_KEY")
    if by_key is not None:
        key_id = auth.current_key_id()
        if key_id is not None:
            wait = by_key.take(key_id)
            if wait:
                return too_many(wait, "API key")
    return None


def init_app(app: Flask) -> None:
    """Limit every request; register before :func:`auth.init_app` so bad keys are limited too.

    The rates are read from the config on each request, so changing them takes effect
    at once (with fresh buckets); ``TRUSTED_PROXIES`` is read here, once.
    """
    app.extensions["timeline_ratelimit"] = Limits()
    proxies = int(app.config.get("TRUSTED_PROXIES", 0) or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies)  # type: ignore[method-assign]
    app.before_request(_limit)
