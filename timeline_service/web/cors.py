"""CORS for the read side, so dashboards and notebooks on other origins can poll it.

Only safe methods get CORS headers: writes need an API key and are not meant to be made
from a browser on someone else's page. ``CORS_ORIGINS`` is ``*`` (any origin, the
default), a comma-separated list of origins, or ``none`` (no CORS at all).
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request

SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
EXPOSED = "ETag, Link, Content-Disposition"
#: request headers a cross-origin read may send (a key, when reads are private)
ALLOWED_HEADERS = "If-None-Match, Accept, Authorization"


def allowed_origins(setting: str | None) -> frozenset[str]:
    """``*``, a comma-separated list of origins, or ``none`` (also empty): no CORS."""
    if (setting or "").strip().lower() == "none":
        return frozenset()
    return frozenset(o.strip().rstrip("/") for o in (setting or "").split(",") if o.strip())


def _cors(response: Response) -> Response:
    origins: frozenset[str] = current_app.extensions["timeline_cors"]
    origin = request.headers.get("Origin")
    if not origins or request.method not in SAFE:
        return response
    if "*" in origins:
        response.headers["Access-Control-Allow-Origin"] = "*"
    else:
        response.vary.add("Origin")
        if origin is None or origin.rstrip("/") not in origins:
            return response
        response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Access-Control-Expose-Headers"] = EXPOSED
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


def init_app(app: Flask) -> None:
    app.config.setdefault("CORS_ORIGINS", "*")
    app.extensions["timeline_cors"] = allowed_origins(app.config["CORS_ORIGINS"])
    app.after_request(_cors)
