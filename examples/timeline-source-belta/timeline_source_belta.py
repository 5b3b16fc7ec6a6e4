"""BelTA, the Belarusian Telegraph Agency (eng.belta.by): a third-party source plugin.

An example of a plugin shipped as its own pip package. BelTA stories open with the
agency's dateline, "MINSK, 24 February (BelTA) - ", print the date and time under the
headline ("24 February 2022, 15:40"), and end with a "Follow BelTA on ..." line and a
list of related stories.
"""

from __future__ import annotations

import re

from timeline_service.sdk import Article, RawDocument, Source, hookimpl, textkit

# The agency's dateline, which no other outlet prints: "MINSK, 24 February (BelTA) - ".
SIGNATURE = re.compile(r"^[A-Z][A-Z .'-]+, \d{1,2} [A-Z][a-z]+ \(BelTA\) [-–—]", re.MULTILINE)
# The first line of the block that ends every page.
FOOTER = re.compile(r"^(?:Follow BelTA on .*|Related news|Read also|Print version)$")
# Single junk lines anywhere on the page.
JUNK = re.compile(r"^(?:Photo(?: archive)?: .{1,60}|Video|Email|Tweet|Share)$")


class BelTA(Source):
    slug = "belta"
    name = "BelTA"
    domains = ("belta.by",)
    homepage = "https://eng.belta.by"
    language = "en"
    timezone = "Europe/Minsk"

    def match_text(self, text: str) -> float:
        return 0.9 if "(BelTA)" in text and SIGNATURE.search(text) else 0.0

    def parse(self, raw: RawDocument) -> Article:
        page = textkit.read(raw)  # raises ParseError on empty or garbage input
        draft = textkit.Draft(lines=page.lines)
        draft.cut_from(FOOTER)
        draft.drop(JUNK.match)
        textkit.take_title(draft, raw, page=page)
        textkit.take_date_line(draft)
        textkit.take_dateline(draft)  # "MINSK, 24 February (BelTA) -" -> dateline "Minsk"
        return draft.finish(raw, self, page)


@hookimpl
def register_sources() -> list[Source]:
    return [BelTA()]
