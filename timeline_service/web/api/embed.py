"""``GET /embed``: a self-contained HTML timeline for iframes, newsroom pages and dashboards.

One response holds the markup, the style and the script (no CDN, no other request but the
API call). The script takes the page's own query string as the API filters and renders
every value with ``textContent``; a Content-Security-Policy that allows only this page's
own script and style (by hash) and API calls to this origin backs that up.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, url_for
from markupsafe import Markup

from .timeline import build_filter

bp = Blueprint("embed", __name__, template_folder="../templates")

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


@dataclass(frozen=True)
class Assets:
    css: str
    js: str
    policy: str


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@cache
def assets() -> Assets:
    """The inline style and script, and the CSP that admits exactly them."""
    css = (TEMPLATES / "embed.css").read_text(encoding="utf-8")
    js = (TEMPLATES / "embed.js").read_text(encoding="utf-8")
    policy = (
        f"default-src 'none'; script-src {_sha256(js)}; style-src {_sha256(css)}; "
        "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'"
    )
    return Assets(css, js, policy)


@bp.get("/embed")
def embed() -> Response:
    build_filter()  # the API's own validation: a bad filter is the same 400 problem
    a = assets()
    html = render_template(
        "embed.html",
        title=current_app.config.get("EMBED_TITLE", "Timeline"),
        api_url=url_for("timeline.get_timeline"),
        page_size=current_app.config["DEFAULT_PAGE_SIZE"],
        css=Markup(a.css),  # our own files, never data
        js=Markup(a.js),
    )
    response = Response(html, mimetype="text/html")
    ancestors = current_app.config.get("EMBED_FRAME_ANCESTORS", "*")
    response.headers["Content-Security-Policy"] = f"{a.policy}; frame-ancestors {ancestors}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    return response
