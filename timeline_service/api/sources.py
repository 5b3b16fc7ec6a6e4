"""``GET /v1/sources``: the installed source plugins and how much each has contributed."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint

from ..db import get_session
from ..plugins import get_sources, list_plugins
from ..queries import source_counts
from ..schemas import SourcesOut

bp = Blueprint("sources", __name__, url_prefix="/v1")

_out = SourcesOut()


@bp.get("/sources")
def get_sources_list():
    counts = source_counts(get_session())
    installed = get_sources()
    rows = []
    for info in list_plugins():
        row = asdict(info)
        row["homepage"] = installed[info.slug].homepage
        row["document_count"] = counts.get(info.slug, 0)
        rows.append(row)
    return _out.dump({"sources": rows})
