"""Timeline Service: news articles in, one merged, source-attributed timeline out."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

from . import config as settings

__all__ = ["create_app"]


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The application factory: settings from the environment, overridden by ``config``."""
    app = Flask(__name__, instance_path=os.environ.get("TIMELINE_INSTANCE_PATH") or None)
    app.json.sort_keys = False
    app.config.update(settings.from_environment())
    if config:
        app.config.update(config)

    from . import cli
    from .web import api, auth, caching, cors, errors, ratelimit
    from .web import database as db

    db.init_app(app)
    errors.init_app(app)
    ratelimit.init_app(app)
    auth.init_app(app)
    caching.init_app(app)
    cors.init_app(app)
    api.init_app(app)
    cli.init_app(app)
    return app
