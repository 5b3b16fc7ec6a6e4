"""Everything a plugin author imports, and nothing else.

- :mod:`~timeline_service.sdk.article`: :class:`RawDocument` (what arrives),
  :class:`Article` (what a source plugin returns), :class:`ParseError`;
- :mod:`~timeline_service.sdk.source`: :class:`Source`, the base class of an outlet;
- :mod:`~timeline_service.sdk.textkit`: the helpers outlet plugins clean pages with;
- :mod:`~timeline_service.sdk.mention`: :class:`EventMention` and :class:`DateClaim`, what
  an ``extract_mentions`` hook returns;
- :mod:`~timeline_service.sdk.formats`: :class:`OutputFormat` and :class:`PageMeta` for
  ``register_output_formats``, and :func:`calendar_date` to read a stored date value;
- :data:`hookimpl`, the decorator of hook implementations (the hooks are documented in
  :mod:`timeline_service.hookspecs`).

Plugins import only this package; a test in the project holds the built-in ones to it.
"""

from __future__ import annotations

from ..temporal.timex import CalendarDate
from ..temporal.timex import read as calendar_date
from . import textkit
from .article import Article, ParseError, PublishedAtOrigin, RawDocument
from .formats import OutputFormat, PageMeta, Rendered, dumps
from .hooks import PROJECT, hookimpl
from .mention import Basis, DateClaim, EventMention, Modality
from .source import Source

__all__ = [
    "PROJECT",
    "Article",
    "Basis",
    "CalendarDate",
    "DateClaim",
    "EventMention",
    "Modality",
    "OutputFormat",
    "PageMeta",
    "ParseError",
    "PublishedAtOrigin",
    "RawDocument",
    "Rendered",
    "Source",
    "calendar_date",
    "dumps",
    "hookimpl",
    "textkit",
]
