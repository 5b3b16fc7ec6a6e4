"""Free Russia Forum (forumfreerussia.org), in English and Russian.

Pages open with the headline and end with the site's breadcrumb, "Home / News / <section>
/ <headline>" ("Главная / Новости / ..." on the Russian site): the breadcrumb is the
signature and the end of the article.
"""

from __future__ import annotations

import re

from timeline_service.sdk import Article, RawDocument, Source, hookimpl, textkit

BREADCRUMB = re.compile(r"^(?:Home|Главная) / (?:News|Новости|Events|События|Articles|Статьи) /")
_JUNK = re.compile(r"^(?:Share|Поделиться|Print|Tags?:.*|Теги:.*)$")


class FreeRussiaForum(Source):
    slug = "free-russia-forum"
    name = "Free Russia Forum"
    domains = ("forumfreerussia.org",)
    homepage = "https://www.forumfreerussia.org/en/"
    language = "en"
    timezone = "Europe/Vilnius"

    def match_text(self, text: str) -> float:
        tail = [line.strip() for line in text.strip().splitlines()[-3:]]
        return 0.9 if any(BREADCRUMB.match(line) for line in tail) else 0.0

    def parse(self, raw: RawDocument) -> Article:
        page = textkit.read(raw)
        draft = textkit.Draft(lines=page.lines)
        crumb = next((line for line in draft.lines[1:] if BREADCRUMB.match(line)), None)
        draft.cut_from(BREADCRUMB.match, start=1)
        draft.drop(_JUNK.match)
        textkit.take_title(draft, raw, page=page)
        if draft.title is None and crumb:
            # The breadcrumb's last step is the headline, even one that ends with a period.
            headline = crumb.split(" / ")[-1].strip()
            if draft.lines[:1] == [headline] and len(draft.lines) > 1:
                draft.lines.pop(0)
            draft.title = headline or None
        textkit.take_date_line(draft)
        textkit.take_byline(draft)
        textkit.take_dateline(draft)
        return draft.finish(raw, self, page)


@hookimpl
def register_sources() -> list[Source]:
    return [FreeRussiaForum()]
