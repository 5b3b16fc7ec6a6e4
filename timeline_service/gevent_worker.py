"""gunicorn's gevent worker, with a bound on how long one client may take to send.

A gevent worker serves each connection on its own greenlet, so a client that sends its
request a byte at a time (or holds an idle stream open) costs a greenlet, not the worker.
gunicorn already bounds the wait for a request's headers by ``keepalive``; this adds a
socket timeout, so a body that stops arriving ends its request after ``client_timeout``
seconds instead of holding the greenlet and its memory for as long as the client likes.

Imported by gunicorn only (as ``worker_class``), never by the application.
"""

from __future__ import annotations

from typing import Any

from gunicorn.workers.base_async import AsyncWorker
from gunicorn.workers.ggevent import GeventWorker


class Worker(GeventWorker):
    """The gevent worker; each client socket reads with a timeout."""

    client_timeout: float = 10.0

    def handle(self, listener: Any, client: Any, addr: Any) -> None:
        client.settimeout(self.client_timeout)
        AsyncWorker.handle(self, listener, client, addr)
