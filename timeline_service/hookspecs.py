"""Hook specifications: the plugin author's reference.

A plugin is a module (or object) with functions decorated ``@hookimpl`` whose names are
the hooks below. Register it under the ``timeline_service`` entry point group::

    [project.entry-points.timeline_service]
    my_outlet = "my_package.my_outlet"

Every hook is optional. Hooks take keyword arguments, and new arguments may be added to
a hook later: an implementation asks only for the arguments it uses.

A complete source plugin, one module::

    import re

    from timeline_service.sdk import Article, RawDocument, Source, hookimpl, textkit

    FOOTER = re.compile(r"^Related stories$")


    class DailyPlanet(Source):
        slug = "daily-planet"               # lower-case words joined by hyphens
        name = "Daily Planet"               # shown to people
        domains = ("dailyplanet.example",)  # subdomains match too
        language = "en"
        timezone = "America/New_York"       # a date without a time is midnight here

        def match_text(self, text: str) -> float:   # used when no URL matched
            return 0.9 if "(Daily Planet) -" in text else 0.0

        def parse(self, raw: RawDocument) -> Article:
            page = textkit.read(raw)        # ParseError on empty or garbage input
            draft = textkit.Draft(lines=page.lines)
            draft.cut_from(FOOTER)          # removed lines go to Article.boilerplate
            textkit.take_title(draft, raw, page=page)
            textkit.take_dateline(draft)
            return draft.finish(raw, self, page)  # decides published_at and its origin


    @hookimpl
    def register_sources():
        return [DailyPlanet()]

Test it with :func:`timeline_service.conformance.check_source`; ``timeline-service
new-plugin NAME`` writes such a package, tests included. The guide is ``docs/plugins.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from .sdk import Article, OutputFormat, Source

from .sdk.hooks import PROJECT, hookimpl

hookspec = pluggy.HookspecMarker(PROJECT)

__all__ = ["PROJECT", "hookimpl", "hookspec"]


# -------------------------------------------------------------------------
# Sources: recognising and parsing one outlet's documents
# -------------------------------------------------------------------------


@hookspec
def register_sources() -> list[Source]:
    """Return the :class:`~timeline_service.sdk.Source` objects this plugin provides.

    A source declares its outlet (``slug``, ``name``, ``domains``, ``language``,
    ``timezone``), scores how well it matches a raw document, and parses it into an
    :class:`~timeline_service.sdk.Article`:

    - ``match(raw) -> float`` from 0 (not ours) to 1: the default gives 1.0 for a URL on
      one of ``domains`` and otherwise asks ``match_text(text)``, which should recognise
      the outlet's own textual marks (a sign-off, a dateline tag, a footer), never words
      any article might contain. The best score wins; the generic source is the fallback.
    - ``parse(raw) -> Article``: ``paragraphs`` is the article body only, every removed
      junk line is listed in ``boilerplate``, photo captions go to ``captions``. A
      caller-given ``raw.published_at`` wins over anything in the text (origin
      ``"metadata"``); a date read from the text has origin ``"text"``. Raise
      :class:`~timeline_service.sdk.ParseError` for empty, garbage or foreign input.

    The service runs ``parse`` within a time budget and checks its result: a source that
    raises, hangs or returns a malformed Article gets the document rejected (422, naming
    the plugin) and nothing is stored. Called once per process; the result is cached.
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
def register_output_formats() -> list[OutputFormat]:
    """Return :class:`~timeline_service.sdk.OutputFormat` objects for ``?format=NAME``.

    Each has a ``name``, the ``media_type`` it is served as, and ``render(events, meta)``
    returning text, bytes or text chunks for one page of events (plain dicts in the
    documented event shape) and its :class:`~timeline_service.sdk.PageMeta`.
    ``json`` is built in; the first plugin to claim any other name keeps it.
    """
