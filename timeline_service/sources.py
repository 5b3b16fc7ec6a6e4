"""The source plugin base class and the choice of a source for a raw document."""

from __future__ import annotations

from dataclasses import dataclass
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


class UnknownSource(LookupError):
    """No installed source has the requested slug."""

    def __init__(self, slug: str) -> None:
        super().__init__(f"no source plugin with slug {slug!r}")
        self.slug = slug


@dataclass(frozen=True)
class Choice:
    """The chosen source and why: ``explicit``, or the match score it won with."""

    source: Source
    reason: str
    score: float


def choose_source(
    raw: RawDocument, sources: dict[str, Source], fallback: str = "generic"
) -> Choice:
    """Pick the source for ``raw``: the explicit slug, else the best match, else ``fallback``.

    Ties go to the alphabetically first slug, so the choice never depends on load order.
    """
    if raw.source:
        if raw.source not in sources:
            raise UnknownSource(raw.source)
        return Choice(sources[raw.source], "explicit", 1.0)
    best: tuple[float, str] | None = None
    for slug, source in sources.items():
        if slug == fallback:
            continue
        score = float(source.match(raw) or 0.0)
        if score > 0 and (best is None or (-score, slug) < (-best[0], best[1])):
            best = (score, slug)
    if best is not None:
        reason = "domain" if best[0] >= 1.0 and raw.domain else "signature"
        return Choice(sources[best[1]], reason, best[0])
    if fallback not in sources:
        raise UnknownSource(fallback)
    return Choice(sources[fallback], "fallback", 0.0)
