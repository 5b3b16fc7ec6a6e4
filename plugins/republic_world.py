"""Republic World (republicworld.com).

Stories put short sub-headings between paragraphs ("Lukashenko hold talks with Putin",
or a quoted phrase) and photo credits such as "(Image: AP)". Sub-headings are headings,
not reported sentences, so they leave the body (kept in ``boilerplate``); credits too.
"""

from __future__ import annotations

import re

from timeline_service.sdk import Article, RawDocument, Source, hookimpl, textkit

CREDIT = re.compile(
    r"^\(?(?:Image|Images|Photo|Picture|Representative Image)(?: Credit)?\s*:\s*[^()]{1,80}\)?$"
)
_JUNK = re.compile(
    r"^(?:(?:Also )?Read(?: More)?\s*[|:].*|Watch(?: Live)?\s*[|:].*|Follow .{0,60} on .{1,40}|"
    r"Written By:?|Last Updated:?|Republic World|Share)$",
    re.IGNORECASE,
)


class RepublicWorld(Source):
    slug = "republic-world"
    name = "Republic World"
    domains = ("republicworld.com",)
    homepage = "https://www.republicworld.com"
    language = "en"
    timezone = "Asia/Kolkata"

    def match_text(self, text: str) -> float:
        if "Image" not in text and "republicworld" not in text:
            return 0.0
        if re.search(r"(?mi)^\s*\(Image: [^()\n]{1,60}\)\s*$", text):
            return 0.6
        return 0.6 if re.search(r"(?i)republicworld\.com|Image: Republic World", text) else 0.0

    def parse(self, raw: RawDocument) -> Article:
        page = textkit.read(raw)
        draft = textkit.Draft(lines=page.lines)
        _written_by(draft)
        draft.drop(lambda line: bool(CREDIT.match(line) or _JUNK.match(line)))
        textkit.take_title(draft, raw, page=page)
        textkit.take_date_line(draft)
        textkit.take_byline(draft)
        textkit.take_dateline(draft)
        # Sub-headings: short unpunctuated lines between paragraphs (never the first one).
        body, headings = draft.lines[:1], []
        for line in draft.lines[1:]:
            (headings if textkit.looks_like_heading(line) else body).append(line)
        draft.lines = body
        draft.boilerplate.extend(headings)
        return draft.finish(raw, self, page)


def _written_by(draft: textkit.Draft) -> None:
    """Republic World prints "Written By" and the author's name on two lines."""
    for i, line in enumerate(draft.lines[:5]):
        if re.fullmatch(r"(?i)written by:?", line) and i + 1 < len(draft.lines):
            draft.byline = draft.lines[i + 1]
            draft.boilerplate.extend(draft.lines[i : i + 2])
            del draft.lines[i : i + 2]
            return


@hookimpl
def register_sources() -> list[Source]:
    return [RepublicWorld()]
