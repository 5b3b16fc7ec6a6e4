"""The plugin manager: loads the ``timeline_service`` entry point group once per process.

Built-in plugins are registered through the same entry point group as third-party ones,
so the path a plugin author takes is the path the service itself uses.
"""

from __future__ import annotations

import importlib.metadata
import logging
import threading
from dataclasses import dataclass

import pluggy

from . import hookspecs
from .sources import Source

log = logging.getLogger(__name__)

_lock = threading.Lock()
_pm: pluggy.PluginManager | None = None
_origins: dict[str, str] = {}
_failed: dict[str, str] = {}


@dataclass(frozen=True)
class PluginInfo:
    """One installed source, as ``timeline-service plugins`` and ``GET /v1/sources`` show it."""

    slug: str
    name: str
    version: str | None
    domains: tuple[str, ...]
    language: str
    timezone: str | None
    plugin: str
    origin: str


def _load(pm: pluggy.PluginManager) -> None:
    for ep in importlib.metadata.entry_points(group=hookspecs.PROJECT):
        if pm.has_plugin(ep.name):
            continue
        dist = ep.dist.name if ep.dist else "unknown"
        try:
            pm.register(ep.load(), name=ep.name)
        except Exception as exc:  # a broken plugin must never take the service down
            log.warning("plugin %r from %s failed to load: %s", ep.name, dist, exc)
            _failed[ep.name] = f"{type(exc).__name__}: {exc}"
            continue
        _origins[ep.name] = "built-in" if dist == "timeline-service" else dist


def get_plugin_manager() -> pluggy.PluginManager:
    """The process-wide plugin manager, created and loaded on first use."""
    global _pm
    with _lock:
        if _pm is None:
            pm = pluggy.PluginManager(hookspecs.PROJECT)
            pm.add_hookspecs(hookspecs)
            _load(pm)
            _pm = pm
        return _pm


def failed_plugins() -> dict[str, str]:
    """Entry points that failed to import, with the error, for diagnostics."""
    get_plugin_manager()
    return dict(_failed)


_sources_cache: tuple[frozenset[str], dict[str, Source]] | None = None


def get_sources() -> dict[str, Source]:
    """All registered sources by slug; a plugin whose hook raises is logged and skipped.

    Cached until the set of registered plugins changes (tests register and unregister).
    """
    global _sources_cache
    pm = get_plugin_manager()
    key = frozenset(name for name, _ in pm.list_name_plugin())
    cached = _sources_cache
    if cached is not None and cached[0] == key:
        return cached[1]
    sources: dict[str, Source] = {}
    for impl in pm.hook.register_sources.get_hookimpls():
        try:
            provided = impl.function() or []
        except Exception as exc:
            log.warning("plugin %r failed in register_sources: %s", impl.plugin_name, exc)
            continue
        for source in provided:
            if not isinstance(source, Source) or not getattr(source, "slug", None):
                log.warning("plugin %r registered an invalid source %r", impl.plugin_name, source)
                continue
            if source.slug in sources:
                log.warning("source slug %r registered twice; keeping the first", source.slug)
                continue
            source._plugin_name = impl.plugin_name  # type: ignore[attr-defined]
            sources[source.slug] = source
    result = dict(sorted(sources.items()))
    _sources_cache = (key, result)
    return result


def plugin_of(source: Source) -> str:
    """The registered plugin name that provided ``source``."""
    return getattr(source, "_plugin_name", type(source).__module__)


def origin_of(source: Source) -> str:
    """``built-in``, the distribution that provides ``source``, or ``registered`` by hand."""
    return _origins.get(plugin_of(source), "registered")


def version_of(source: Source) -> str | None:
    """The source's declared version, else its distribution's version."""
    if source.version is not None:
        return source.version
    return plugin_version(plugin_of(source))


def plugin_version(plugin: str) -> str | None:
    """The version of the distribution that installed the plugin named ``plugin``."""
    origin = _origins.get(plugin, "registered")
    if origin == "registered":
        return None
    dist = "timeline-service" if origin == "built-in" else origin
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def list_plugins() -> list[PluginInfo]:
    """Installed sources with their origin: feeds both the CLI and ``GET /v1/sources``."""
    return [
        PluginInfo(
            slug=slug,
            name=source.name,
            version=version_of(source),
            domains=tuple(source.domains),
            language=source.language,
            timezone=source.timezone,
            plugin=plugin_of(source),
            origin=origin_of(source),
        )
        for slug, source in get_sources().items()
    ]
