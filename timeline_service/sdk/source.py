"""The base class of a source plugin: one outlet, how to recognise its documents, how to
parse them."""

from __future__ import annotations

from typing import ClassVar

from .article import Article, RawDocument


class Source:
    """One outlet's parser. Subclass it, set the class attributes, implement :meth:`parse`.

    ``match`` scores a raw document from 0 (not ours) to 1 (certainly ours). The default
    scores 1.0 when the URL's domain is one of ``domains`` (or a subdomain of one) and
    otherwise asks :meth:`match_text`, which a plugin overrides to recognise the outlet's
    textual signature when no URL is given.
    """

    slug: ClassVar[str]
    name: ClassVar[str]
    domains: ClassVar[tuple[str, ...]] = ()
    homepage: ClassVar[str | None] = None
    language: ClassVar[str] = "en"
    timezone: ClassVar[str | None] = None
    version: ClassVar[str | None] = None

    def match(self, raw: RawDocument) -> float:
        domain = raw.domain
        if domain and any(domain == d or domain.endswith("." + d) for d in self.domains):
            return 1.0
        return self.match_text(raw.content)

    def match_text(self, text: str) -> float:
        """Score the raw text by the outlet's signature; 0 by default."""
        return 0.0

    def parse(self, raw: RawDocument) -> Article:
        """Turn a raw document into a clean :class:`Article`, or raise ``ParseError``."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.slug!r}>"
