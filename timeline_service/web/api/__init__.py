"""The HTTP API: thin blueprints over the pipeline and the queries."""

from __future__ import annotations

from flask import Flask

from . import docs, documents, embed, events, meta, sources, timeline


def init_app(app: Flask) -> None:
    for module in (meta, timeline, events, documents, sources, embed, docs):
        app.register_blueprint(module.bp)
