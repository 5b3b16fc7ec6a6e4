"""The plugin manager, and every call into a plugin.

The built-in plugins (:data:`DEFAULT_PLUGINS`) are registered first, by module name, so a
checkout that was never installed still has its sources and formats; then every entry
point of the ``timeline_service`` group, which is how a third-party package arrives.
Tests register and unregister plugins on the manager; the caches here follow the set of
registered plugins.

Every hook is called through this module, one implementation at a time, so a plugin
that raises or returns nonsense is logged and skipped (registrations) or turned into a
:class:`PluginFailure` naming it (calls made for one document): it never takes the
service down.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import logging
import os
import sys
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy

from . import hookspecs
from .extract.actors import ActorTable, load_table
from .sdk import Article, EventMention, OutputFormat, Source
from .sdk.formats import JSON

log = logging.getLogger(__name__)

#: the plugins that come with the service, registered before any entry point
DEFAULT_PLUGINS = (
    "timeline_plugins.generic",
    "timeline_plugins.moscow_times",
    "timeline_plugins.free_russia_forum",
    "timeline_plugins.panarmenian",
    "timeline_plugins.republic_world",
    "timeline_plugins.cnn",
    "timeline_plugins.formats",
)
#: extra actor alias tables (YAML or JSON), separated by ``os.pathsep``
ACTORS_FILES = "TIMELINE_ACTORS_FILES"

_lock = threading.Lock()
_pm: pluggy.PluginManager | None = None
_origins: dict[str, str] = {}
_failed: dict[str, str] = {}


class PluginFailure(Exception):
    """A plugin raised, hung past its time budget, or returned something malformed while
    handling one document. The service answers 422 naming ``plugin``; nothing is stored."""

    kind = "failure"

    def __init__(self, plugin: str, detail: str) -> None:
        super().__init__(f"plugin {plugin!r}: {detail}")
        self.plugin = plugin
        self.detail = detail


class PluginRejected(PluginFailure):
    """The plugin refused the document with ``ParseError`` (empty, garbage, not its format).

    A subclass of :class:`PluginFailure`, so one ``except`` turns both into a 422, while
    ``isinstance`` still tells a deliberate refusal from a plugin bug.
    """

    kind = "rejected"


# ------------------------------------------------------------------ loading


def _checkout_plugins() -> ModuleType:
    """``timeline_plugins`` from the checkout's ``plugins/`` folder (not installed)."""
    folder = Path(__file__).resolve().parents[1] / "plugins"
    spec = importlib.util.spec_from_file_location(
        "timeline_plugins", folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError("timeline_plugins", name="timeline_plugins")
    module = importlib.util.module_from_spec(spec)
    sys.modules["timeline_plugins"] = module
    spec.loader.exec_module(module)
    return module


def _import_builtin(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != "timeline_plugins":
            raise
        _checkout_plugins()
        return importlib.import_module(name)


def _load(pm: pluggy.PluginManager) -> None:
    for name in DEFAULT_PLUGINS:
        short = name.rsplit(".", 1)[1]
        if pm.has_plugin(short):
            continue
        try:
            pm.register(_import_builtin(name), name=short)
        except Exception as exc:
            log.warning("built-in plugin %r failed to load: %s", name, exc)
            _failed[short] = f"{type(exc).__name__}: {exc}"
            continue
        _origins[short] = "built-in"
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
        _origins[ep.name] = dist


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
    """Plugins that failed to import, with the error, for diagnostics."""
    get_plugin_manager()
    return dict(_failed)


def _generation() -> frozenset[str]:
    """Names the registered plugins: the caches below are kept per generation."""
    return frozenset(name for name, _ in get_plugin_manager().list_name_plugin())


def _collect(hook_name: str) -> Iterable[tuple[str, Any]]:
    """Each implementation's result of a registration hook, skipping (and logging) those
    that raise."""
    caller = getattr(get_plugin_manager().hook, hook_name)
    for impl in caller.get_hookimpls():
        try:
            yield impl.plugin_name, impl.function()
        except Exception as exc:
            log.warning("plugin %r failed in %s: %s", impl.plugin_name, hook_name, exc)


# ------------------------------------------------------------------ sources


@lru_cache(maxsize=4)
def _sources(generation: frozenset[str]) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for plugin, provided in _collect("register_sources"):
        for source in provided or []:
            if not isinstance(source, Source) or not getattr(source, "slug", None):
                log.warning("plugin %r registered an invalid source %r", plugin, source)
                continue
            if source.slug in sources:
                log.warning("source slug %r registered twice; keeping the first", source.slug)
                continue
            source._plugin_name = plugin  # type: ignore[attr-defined]
            sources[source.slug] = source
    return dict(sorted(sources.items()))


def get_sources() -> dict[str, Source]:
    """All registered sources by slug (a plugin whose hook raises is logged and skipped)."""
    return _sources(_generation())


def plugin_of(source: Source) -> str:
    """The registered plugin name that provided ``source``."""
    return getattr(source, "_plugin_name", type(source).__module__)


def origin_of(plugin: str) -> str:
    """``built-in``, the distribution that installed ``plugin``, or ``registered`` by hand."""
    return _origins.get(plugin, "registered")


def plugin_version(plugin: str) -> str | None:
    """The version of the distribution that installed the plugin named ``plugin``."""
    origin = origin_of(plugin)
    if origin == "registered":
        return None
    dist = "timeline-service" if origin == "built-in" else origin
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def version_of(source: Source) -> str | None:
    """The source's declared version, else its distribution's version."""
    return source.version if source.version is not None else plugin_version(plugin_of(source))


# ------------------------------------------------------------------ output formats


@lru_cache(maxsize=4)
def _formats(generation: frozenset[str]) -> tuple[dict[str, OutputFormat], str]:
    formats = {JSON.name: JSON}
    providers: dict[str, str] = {JSON.name: "timeline-service"}
    for plugin, provided in _collect("register_output_formats"):
        for fmt in provided or []:
            if not isinstance(fmt, OutputFormat) or not fmt.name:
                log.warning("plugin %r registered an invalid format %r", plugin, fmt)
            elif fmt.name in formats:
                log.warning("output format %r registered twice; keeping the first", fmt.name)
            else:
                formats[fmt.name] = fmt
                providers[fmt.name] = plugin
    fingerprint = ";".join(
        f"{name}={fmt.media_type}@{providers[name]}/{plugin_version(providers[name]) or '-'}"
        for name, fmt in sorted(formats.items())
    )
    return formats, fingerprint


def get_formats() -> dict[str, OutputFormat]:
    """JSON plus every plugin's formats, by name; the first plugin to claim a name keeps
    it, and ``json`` is the service's own."""
    return _formats(_generation())[0]


def formats_fingerprint() -> str:
    """Names the installed formats and the plugin versions that render them: the same in
    every worker and after a restart, different once a format comes, goes or changes, so
    an ETag that includes it never outlives the renderer that made the body."""
    return _formats(_generation())[1]


# ------------------------------------------------------------------ the actor table


@lru_cache(maxsize=4)
def _actor_table(generation: frozenset[str], files: tuple[str, ...]) -> ActorTable:
    mappings: list[Mapping[str, Iterable[str]]] = []
    for plugin, aliases in _collect("actor_aliases"):
        if isinstance(aliases, Mapping):
            mappings.append(aliases)
        elif aliases is not None:
            log.warning("plugin %r returned actor aliases that are not a mapping", plugin)
    return load_table(files, mappings)


def actor_table() -> ActorTable:
    """The actor table extraction and merging read: the built-in data, the files of
    ``TIMELINE_ACTORS_FILES`` and every plugin's ``actor_aliases``."""
    files = tuple(p for p in os.environ.get(ACTORS_FILES, "").split(os.pathsep) if p)
    return _actor_table(_generation(), files)


# ------------------------------------------------------------------ per-document calls


def custom_mentions(article: Article, source: Source) -> list[EventMention] | None:
    """The first plugin's own mentions of ``article`` (``extract_mentions``), or None to
    use the built-in extractor. Raises :class:`PluginFailure` naming a plugin that raises
    or returns something other than a list of :class:`EventMention`."""
    caller = get_plugin_manager().hook.extract_mentions
    for impl in reversed(caller.get_hookimpls()):  # pluggy's order: last registered first
        try:
            found = impl.function(article=article, source=source)
        except Exception as exc:
            detail = f"extract_mentions raised {type(exc).__name__}: {exc}"
            raise PluginFailure(impl.plugin_name, detail) from exc
        if found is None:
            continue
        if not isinstance(found, list | tuple) or not all(
            isinstance(m, EventMention) for m in found
        ):
            raise PluginFailure(
                impl.plugin_name, "extract_mentions returned something not a list of EventMention"
            )
        return list(found)
    return None


# ------------------------------------------------------------------ listing


@dataclass(frozen=True)
class PluginInfo:
    """One registered plugin, as ``timeline-service plugins`` and ``GET /v1/plugins`` show
    it: where it came from, which hooks it implements, what it provides."""

    name: str
    origin: str
    version: str | None
    hooks: tuple[str, ...]
    sources: tuple[str, ...]
    formats: tuple[str, ...]
    actor_aliases: int


@dataclass(frozen=True)
class SourceInfo:
    """One installed source, as ``GET /v1/sources`` shows it."""

    slug: str
    name: str
    version: str | None
    domains: tuple[str, ...]
    language: str
    timezone: str | None
    plugin: str
    origin: str


def list_plugins() -> list[PluginInfo]:
    """Every registered plugin with its hooks and what it provides (CLI and HTTP)."""
    pm = get_plugin_manager()
    sources = get_sources()
    formats = get_formats()
    format_plugins = _format_providers()
    aliases = dict(_collect("actor_aliases"))
    out = []
    for name, plugin in sorted(pm.list_name_plugin(), key=lambda np: np[0]):
        if plugin is None:
            continue
        hooks = tuple(sorted(h.name for h in pm.get_hookcallers(plugin) or ()))
        mapping = aliases.get(name)
        out.append(
            PluginInfo(
                name=name,
                origin=origin_of(name),
                version=plugin_version(name),
                hooks=hooks,
                sources=tuple(s for s, src in sources.items() if plugin_of(src) == name),
                formats=tuple(f for f in formats if format_plugins.get(f) == name),
                actor_aliases=len(mapping) if isinstance(mapping, Mapping) else 0,
            )
        )
    return out


def _format_providers() -> dict[str, str]:
    providers: dict[str, str] = {}
    for plugin, provided in _collect("register_output_formats"):
        for fmt in provided or []:
            if isinstance(fmt, OutputFormat):
                providers.setdefault(fmt.name, plugin)
    return providers


def list_sources() -> list[SourceInfo]:
    """Installed sources with their plugin and origin (``GET /v1/sources``)."""
    return [
        SourceInfo(
            slug=slug,
            name=source.name,
            version=version_of(source),
            domains=tuple(source.domains),
            language=source.language,
            timezone=source.timezone,
            plugin=plugin_of(source),
            origin=origin_of(plugin_of(source)),
        )
        for slug, source in get_sources().items()
    ]
