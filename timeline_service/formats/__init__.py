"""Output formats of the timeline: JSON built in, the rest contributed by plugins.

A format is an :class:`OutputFormat` returned by the ``register_output_formats`` hook and
chosen with ``?format=NAME``. It renders one page of events (plain dicts in the documented
event shape) plus the page's :class:`PageMeta`; the built-ins (NDJSON, CSV, iCalendar,
TimelineJS, Grafana) are registered through that same hook by ``timeline_plugins.formats``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

log = logging.getLogger(__name__)

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


_cache: tuple[frozenset[str], dict[str, OutputFormat], str] | None = None


def get_formats() -> dict[str, OutputFormat]:
    """JSON plus every plugin's formats, by name; cached until the plugin set changes.

    A plugin whose hook raises or returns something that is not an OutputFormat is
    logged and skipped; the first plugin to claim a name keeps it, and ``json`` is ours.
    """
    global _cache
    from ..plugins import get_plugin_manager

    pm = get_plugin_manager()
    key = frozenset(name for name, _ in pm.list_name_plugin())
    cached = _cache
    if cached is not None and cached[0] == key:
        return cached[1]
    formats = {JSON.name: JSON}
    providers: dict[str, str] = {JSON.name: "timeline-service"}
    for impl in pm.hook.register_output_formats.get_hookimpls():
        try:
            provided = impl.function() or []
        except Exception as exc:
            log.warning("plugin %r failed in register_output_formats: %s", impl.plugin_name, exc)
            continue
        for fmt in provided:
            if not isinstance(fmt, OutputFormat) or not fmt.name:
                log.warning("plugin %r registered an invalid format %r", impl.plugin_name, fmt)
            elif fmt.name in formats:
                log.warning("output format %r registered twice; keeping the first", fmt.name)
            else:
                formats[fmt.name] = fmt
                providers[fmt.name] = impl.plugin_name
    _cache = (key, formats, _fingerprint(formats, providers))
    return formats


def formats_fingerprint() -> str:
    """Names the installed formats and the plugin versions that render them: the same in
    every worker and after a restart, different once a format comes, goes or changes, so
    an ETag that includes it never outlives the renderer that made the body."""
    get_formats()
    assert _cache is not None
    return _cache[2]


def _fingerprint(formats: dict[str, OutputFormat], providers: dict[str, str]) -> str:
    from ..plugins import plugin_version

    return ";".join(
        f"{name}={fmt.media_type}@{providers[name]}/{plugin_version(providers[name]) or '-'}"
        for name, fmt in sorted(formats.items())
    )
