"""PanARMENIAN.Net (panarmenian.net).

A crawled page repeats the headline, opens the story with the "PanARMENIAN.Net - " lead
(the outlet's dateline), and after the story carries the "Top stories" sidebar and the
"Partner news" block, taken at crawl time: their sentences and dates belong to other
articles, so everything from the first of them on is cut.
"""

from __future__ import annotations

import re

from timeline_service.sdk import Article, RawDocument, Source, hookimpl, textkit

LEAD = re.compile(r"^PanARMENIAN\.Net\s*[-–—]\s*")
SIDEBAR = re.compile(
    r"^(?:Top stories|Partner news|Most popular|Most read|Related news|Also read|Other news)$",
    re.IGNORECASE,
)
_JUNK = re.compile(r"^(?:-{3,}|Photo: .{1,60}|Photos?: .{1,60}|Share:?|Tweet)$")


class PanArmenian(Source):
    slug = "panarmenian"
    name = "PanARMENIAN.Net"
    domains = ("panarmenian.net",)
    homepage = "https://www.panarmenian.net/eng/"
    language = "en"
    timezone = "Asia/Yerevan"

    def match_text(self, text: str) -> float:
        if "PanARMENIAN" not in text:
            return 0.0
        if re.search(r"(?m)^\s*PanARMENIAN\.Net\s*[-–—]\s", text):
            return 0.95
        return 0.5 if "PanARMENIAN.Net" in text else 0.0

    def parse(self, raw: RawDocument) -> Article:
        page = textkit.read(raw)
        draft = textkit.Draft(lines=page.lines)
        lead = next((i for i, line in enumerate(draft.lines) if LEAD.match(line)), 0)
        draft.cut_from(SIDEBAR.match, start=lead + 1)
        draft.drop(_JUNK.match)
        textkit.take_title(draft, raw, page=page)
        textkit.take_date_line(draft)
        for i, line in enumerate(draft.lines[:4]):
            m = LEAD.match(line)
            if m:
                draft.boilerplate.append(m.group(0).strip())
                draft.lines[i] = line[m.end() :]
                break
        textkit.take_byline(draft)
        return draft.finish(raw, self, page)


@hookimpl
def register_sources() -> list[Source]:
    return [PanArmenian()]
