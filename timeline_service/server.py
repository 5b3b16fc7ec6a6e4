"""Serving with gunicorn, the production WSGI server, configured from the CLI's options."""

from __future__ import annotations

import gc
from typing import Any

from flask import Flask


def serve(app: Flask, *, host: str, port: int, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    class _Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("accesslog", "-")
            self.cfg.set("post_worker_init", _freeze)

        def load(self) -> Any:
            return app

    _Server().run()


def _freeze(_worker: Any) -> None:
    """Load the date engine's data, then move start-up objects out of the collector's view.

    The first dateparser call loads its language data (most of a second); doing it here
    keeps that off the first request, and freezing spares every request the collector's
    walk over long-lived objects.
    """
    from .temporal.dates import warm_up

    warm_up()
    gc.collect()
    gc.freeze()
