"""Serving with gunicorn, the production WSGI server, configured from the CLI's options.

Every worker builds its own application after the fork, in an empty context: no app
context, session, connection or cached decision of the process that started the server
reaches a request. Flask then pushes a fresh application context (and so a fresh ``g``)
for each request and tears it down afterwards, which is what the per-request state of the
service (the API key decision, the data version, the database session and the read
connection) relies on.
"""

from __future__ import annotations

import contextvars
import gc
import logging
import os
import sys
from dataclasses import dataclass
from typing import Any

#: worker classes ``serve`` offers: ``gevent`` (the default) keeps slow or idle clients
#: from holding a worker; ``sync`` is gunicorn's plain one-request-per-process worker
WORKER_CLASSES = ("gevent", "sync")


#: gunicorn's default access log line, then which worker served it and the caller's
#: ``X-Request-Id`` (``-`` without one), to follow one request through a proxy's logs
ACCESS_LOG_FORMAT = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" '
    "pid=%(p)s request_id=%({x-request-id}i)s"
)


@dataclass(frozen=True)
class ServerOptions:
    """How gunicorn runs: where it listens, how many processes, which worker class."""

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    worker_class: str = "gevent"
    #: connections one gevent worker serves at once (idle, slow and streaming included)
    worker_connections: int = 1000
    #: seconds a sync worker may be silent (one request) before gunicorn replaces it
    timeout: int = 60
    #: seconds a worker gets to finish its requests after SIGTERM
    graceful_timeout: int = 30
    #: seconds a client has to send a request's headers, and between reads of its body
    client_timeout: int = 10
    keepalive: int = 5


def serve(options: ServerOptions, config: dict[str, Any] | None = None) -> None:
    """Run gunicorn until it is stopped; each worker calls ``create_app(config)``."""
    from gunicorn.app.base import BaseApplication

    class _Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{options.host}:{options.port}")
            self.cfg.set("workers", options.workers)
            self.cfg.set("worker_class", options.worker_class)
            self.cfg.set("worker_connections", options.worker_connections)
            self.cfg.set("timeout", options.timeout)
            self.cfg.set("graceful_timeout", options.graceful_timeout)
            self.cfg.set("keepalive", options.keepalive)
            self.cfg.set("accesslog", "-")
            self.cfg.set("access_log_format", ACCESS_LOG_FORMAT)
            if "control_socket_disable" in self.cfg.settings:  # gunicorn 24+: not used here
                self.cfg.set("control_socket_disable", True)
            self.cfg.set("post_worker_init", _warm_up)
            if options.worker_class == "gevent":
                self.cfg.set("worker_class", "timeline_service.gevent_worker.Worker")
                self.cfg.set("post_fork", _client_timeout(options.client_timeout))
                self.cfg.set("worker_exit", _exit_now)

        def load(self) -> Any:  # in each worker, after the fork
            from . import create_app

            return create_app(config)

    # An empty context: whatever the caller had pushed stays out of the workers.
    contextvars.Context().run(_Server().run)


def _warm_up(_worker: Any) -> None:
    """Load the date engine's data, then move start-up objects out of the collector's view.

    The first dateparser call loads its language data (most of a second); doing it here
    keeps that off the first request, and freezing spares every request the collector's
    walk over long-lived objects.
    """
    from .temporal.dates import warm_up

    warm_up()
    gc.collect()
    gc.freeze()


def _client_timeout(seconds: int) -> Any:
    """A ``post_fork`` hook giving the worker its bound on each read from a client."""

    def post_fork(_server: Any, worker: Any) -> None:
        worker.client_timeout = seconds

    return post_fork


def _exit_now(_server: Any, _worker: Any) -> None:
    """End a gevent worker here, with the exit status it was leaving with.

    The worker has served its last request and closed its files; what is left is the
    interpreter's own shutdown, during which gevent's patched locks no longer work and
    logging's clean-up prints a traceback for every worker that stops.
    """
    leaving = sys.exc_info()[1]
    code = leaving.code if isinstance(leaving, SystemExit) else 1
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code if isinstance(code, int) else 0 if code is None else 1)
