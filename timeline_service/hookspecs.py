"""Hook specifications: the plugin author's reference.

A plugin is a module (or object) with functions decorated ``@hookimpl`` whose names are
the hooks below. Register it under the ``timeline_service`` entry point group::

    [project.entry-points.timeline_service]
    my_outlet = "my_package.my_outlet"

Every hook is optional. Hooks take keyword arguments, and new arguments may be added to
a hook later: an implementation asks only for the arguments it uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from .article import Article
    from .sources import Source

PROJECT = "timeline_service"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# -------------------------------------------------------------------------
# Sources: recognising and parsing one outlet's documents
# -------------------------------------------------------------------------


@hookspec
def register_sources() -> list[Source]:
    """Return the :class:`~timeline_service.sources.Source` objects this plugin provides.

    A source declares its outlet (slug, name, domains, language, timezone), scores how well
    it matches a raw document, and parses it into an :class:`~timeline_service.article.Article`.
    """


# -------------------------------------------------------------------------
# Events: overriding extraction and extending the actor table
# -------------------------------------------------------------------------


@hookspec(firstresult=True)
def extract_mentions(article: Article, source: Source) -> list[Any] | None:
    """Return the event mentions of a parsed article, or None to use the built-in extractor.

    For structured feeds whose events are already explicit. Stops at first non-None result.
    """


@hookspec
def actor_aliases() -> dict[str, list[str]]:
    """Return ``{canonical name: [alias, ...]}`` to add to the actor table."""


# -------------------------------------------------------------------------
# Output: formats of the timeline
# -------------------------------------------------------------------------


@hookspec
def register_output_formats() -> list[Any]:
    """Return output formats (name, media type, render function) for ``?format=NAME``."""
