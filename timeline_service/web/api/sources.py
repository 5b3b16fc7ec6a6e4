"""``GET /v1/sources`` and ``GET /v1/plugins``: what is installed, from the same listing
``timeline-service plugins`` prints."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint

from ...plugins import get_sources, list_plugins, list_sources
from ...store.queries import source_counts
from ..database import get_session
from ..schemas import PluginsOut, SourcesOut

bp = Blueprint("sources", __name__, url_prefix="/v1")

_out = SourcesOut()
_plugins = PluginsOut()


@bp.get("/sources")
def get_sources_list():
    counts = source_counts(get_session())
    installed = get_sources()
    rows = []
    for info in list_sources():
        row = asdict(info)
        row["homepage"] = installed[info.slug].homepage
        row["document_count"] = counts.get(info.slug, 0)
        rows.append(row)
    return _out.dump({"sources": rows})


@bp.get("/plugins")
def get_plugins_list():
    """Every registered plugin: where it came from, its hooks, what it provides."""
    return _plugins.dump({"plugins": [asdict(p) for p in list_plugins()]})
