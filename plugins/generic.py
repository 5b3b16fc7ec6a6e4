"""Generic plain text: the lowest-priority source, used when no outlet plugin matches."""

from __future__ import annotations

import re

from timeline_service.article import Article, ParseError, RawDocument
from timeline_service.hookspecs import hookimpl
from timeline_service.sources import Source

_BLANK = re.compile(r"\n\s*\n")


class GenericText(Source):
    slug = "generic"
    name = "Generic text"

    def match(self, raw: RawDocument) -> float:
        return 0.01

    def parse(self, raw: RawDocument) -> Article:
        text = (raw.content or "").replace("\r\n", "\n").strip()
        if not text:
            raise ParseError("document is empty")
        blocks = [b.strip() for b in _BLANK.split(text)] if "\n\n" in text else text.split("\n")
        paragraphs = tuple(" ".join(b.split()) for b in blocks if b.strip())
        if not any(re.search(r"[A-Za-z]{2,}", p) for p in paragraphs):
            raise ParseError("document has no readable text")
        title = raw.title
        if (
            title is None
            and len(paragraphs) > 1
            and len(paragraphs[0]) < 200
            and not paragraphs[0].endswith(".")
        ):
            title, paragraphs = paragraphs[0], paragraphs[1:]
        return Article(
            title=title,
            paragraphs=paragraphs,
            published_at=raw.published_at,
            published_at_origin="metadata" if raw.published_at else "unknown",
        )


@hookimpl
def register_sources() -> list[Source]:
    return [GenericText()]
