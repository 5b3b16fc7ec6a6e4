"""The Moscow Times (themoscowtimes.com).

Crawled pages carry one paragraph per line and end with the outlet's donation appeal,
"A Message from The Moscow Times:" through "Remind me later.". Nothing of the article
follows the appeal, so everything from its first line on is cut; the appeal's heading is
also the outlet's textual signature.
"""

from __future__ import annotations

import re

from timeline_service.sdk import Article, RawDocument, Source, hookimpl, textkit

APPEAL = re.compile(r"^A Message from The Moscow Times:?$", re.IGNORECASE)
_JUNK = re.compile(
    r"^(?:Read more(?: about)?:?(?: .{0,120})?|Sign up for our (?:free )?(?:weekly )?newsletter.*|"
    r"Support The Moscow Times!?|Contribute today|Subscribe|Share|"
    r"(?:[A-Z][\w.]*(?: [A-Z][\w.]*)?(?:,| and) )*[A-Z][\w.]* "
    r"contributed reporting(?: to this article)?\.?)$",
    re.IGNORECASE,
)


class MoscowTimes(Source):
    slug = "moscow-times"
    name = "The Moscow Times"
    domains = ("themoscowtimes.com",)
    homepage = "https://www.themoscowtimes.com"
    language = "en"
    timezone = "Europe/Moscow"

    def match_text(self, text: str) -> float:
        return 0.95 if _appeal_in(text) else 0.0

    def parse(self, raw: RawDocument) -> Article:
        page = textkit.read(raw)
        draft = textkit.Draft(lines=page.lines)
        draft.cut_from(APPEAL)
        draft.drop(_JUNK.match)
        textkit.take_title(draft, raw, page=page)
        textkit.take_date_line(draft)
        textkit.take_byline(draft)
        textkit.take_dateline(draft)
        return draft.finish(raw, self, page)


def _appeal_in(text: str) -> bool:
    if "message from the moscow times" not in text.lower():
        return False
    return any(APPEAL.match(line.strip()) for line in text.splitlines())


@hookimpl
def register_sources() -> list[Source]:
    return [MoscowTimes()]
