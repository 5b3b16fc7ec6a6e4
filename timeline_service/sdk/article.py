"""The types that cross the plugin boundary: what comes in and what a source plugin returns.

Plugins import only this module and :mod:`timeline_service.hookspecs`, so everything a
plugin author needs to build an :class:`Article` lives here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from typing import Literal

PublishedAtOrigin = Literal["metadata", "text", "inferred", "unknown"]


class ParseError(ValueError):
    """Raised by a source plugin when a document is empty, garbage or not its format.

    The service turns it into a 422 problem naming the plugin; nothing is stored.
    """


@dataclass(frozen=True)
class RawDocument:
    """An article as it arrives: exactly one of ``text`` or ``html``, plus optional hints.

    ``published_at`` given as a bare ``date`` means that calendar day in the outlet's zone.
    """

    text: str | None = None
    html: str | None = None
    url: str | None = None
    source: str | None = None
    published_at: datetime | date | None = None
    title: str | None = None

    @property
    def content(self) -> str:
        """The raw input, whichever form it came in."""
        return self.text if self.text is not None else (self.html or "")

    def published_in(self, zone: tzinfo) -> datetime | None:
        """The caller's publication time, which wins over anything read from the page
        (origin ``metadata``): a bare date is midnight in ``zone``, a naive time is local
        time there. None when the caller gave none."""
        given = self.published_at
        if given is None:
            return None
        if not isinstance(given, datetime):
            return datetime.combine(given, time(0), tzinfo=zone)
        return given if given.tzinfo else given.replace(tzinfo=zone)

    @property
    def domain(self) -> str | None:
        """The URL's host without a leading ``www.``, lower-cased."""
        if not self.url:
            return None
        from urllib.parse import urlsplit

        host = (urlsplit(self.url).hostname or "").lower()
        return host[4:] if host.startswith("www.") else host or None


@dataclass(frozen=True)
class Article:
    """A cleaned article: the body a plugin vouches for, and what it knows of its origin.

    ``paragraphs`` is the article body only: no captions, credits, navigation, appeals or
    widgets. ``boilerplate`` lists the input lines the plugin removed as junk, so the
    conformance kit can check none of them leaks into the body.
    """

    title: str | None
    paragraphs: tuple[str, ...]
    published_at: datetime | None = None
    published_at_origin: PublishedAtOrigin = "unknown"
    timezone: str | None = None
    language: str = "en"
    dateline: str | None = None
    byline: str | None = None
    captions: tuple[str, ...] = ()
    boilerplate: tuple[str, ...] = field(default=(), compare=False)

    @property
    def body(self) -> str:
        """The cleaned text: paragraphs separated by a blank line."""
        return "\n\n".join(self.paragraphs)
