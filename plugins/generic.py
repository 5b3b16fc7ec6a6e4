"""Generic sources: plain text and HTML from any outlet, the lowest-priority match.

Plain text gets the outlet-independent cleaning: a crawl-record header supplies the date,
an aggregator's banner, "Source link" tail and chat widget are cut, and a headline,
byline, date line and dateline are recognised near the top. HTML goes through
trafilatura, which finds the main text and the page's title, date and author.
"""

from __future__ import annotations

from timeline_service.sdk import Article, RawDocument, Source, hookimpl, textkit


class GenericText(Source):
    slug = "generic"
    name = "Generic text and HTML"

    def match(self, raw: RawDocument) -> float:
        return 0.01

    def parse(self, raw: RawDocument) -> Article:
        page = textkit.read(raw)
        lines = page.lines
        if page.html is None and page.blank_separated:
            lines = textkit.split_paragraphs(page.text)
        lines, junk = textkit.strip_aggregator(lines)
        draft = textkit.Draft(lines=lines, boilerplate=junk)
        textkit.take_title(draft, raw, page=page)
        textkit.take_byline(draft)
        textkit.take_date_line(draft)
        textkit.take_dateline(draft)
        return draft.finish(raw, self, page)


@hookimpl
def register_sources() -> list[Source]:
    return [GenericText()]
