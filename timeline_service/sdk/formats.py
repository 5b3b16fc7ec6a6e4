"""Output formats of the timeline: JSON built in, the rest contributed by plugins.

A format is an :class:`OutputFormat` returned by the ``register_output_formats`` hook and
chosen with ``?format=NAME`` (:func:`timeline_service.plugins.get_formats` collects
them). It renders one page of events (plain dicts in the documented event shape) plus the
page's :class:`PageMeta`; the built-ins (NDJSON, CSV, iCalendar, TimelineJS, Grafana) are
registered through that same hook by ``timeline_plugins.formats``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

Rendered = str | bytes | Iterable[str]


@dataclass(frozen=True)
class PageMeta:
    """What a renderer may need besides the events: paging, totals and provenance.

    ``changed_at`` (when the stored timeline last changed) is read only if a renderer
    asks for it, so formats that do not use it cost no query.
    """

    next_cursor: str | None = None
    total: int | None = None
    #: whether ``total`` stopped at the service's cap (the true count is larger)
    total_capped: bool = False
    params: Mapping[str, str] = field(default_factory=dict)
    data_version: int = 0
    changed_at_loader: Callable[[], datetime | None] | None = field(default=None, repr=False)

    @property
    def changed_at(self) -> datetime | None:
        return self.changed_at_loader() if self.changed_at_loader else None


@dataclass(frozen=True)
class OutputFormat:
    """One ``?format=`` choice: a name, the media type it is served as, and a renderer.

    ``render(events, meta)`` returns text, bytes or an iterable of text chunks.
    ``params`` names extra query parameters the format reads from ``meta.params``.
    """

    name: str
    media_type: str
    render: Callable[[list[dict[str, Any]], PageMeta], Rendered]
    description: str = ""
    extension: str = "json"
    params: tuple[str, ...] = ()


def dumps(data: Any) -> str:
    """Compact JSON, UTF-8 kept as is (the hot path; no sorting, no pretty printing)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def render_json(events: list[dict[str, Any]], meta: PageMeta) -> str:
    body: dict[str, Any] = {"events": events, "next_cursor": meta.next_cursor}
    if meta.total is not None:
        body["total"] = meta.total
        body["total_capped"] = meta.total_capped
    return dumps(body)


JSON = OutputFormat(
    "json",
    "application/json",
    render_json,
    "The default: one page of events with `next_cursor`.",
)


def to_bytes(rendered: Rendered) -> bytes:
    if isinstance(rendered, bytes):
        return rendered
    if isinstance(rendered, str):
        return rendered.encode("utf-8")
    return "".join(rendered).encode("utf-8")
