"""CNN (cnn.com), also as re-posted by aggregator sites.

CNN's own pages open with "PLACE (CNN) —"; an aggregator that re-posts the story drops
that, wraps it in its banner line, ends it with "Source link" and appends a chat widget.
Without a URL, a CNN story is recognised by the "(CNN)" tag or by CNN attributing its
own reporting ("told CNN", "the CNN team"). Photo captions left between paragraphs are
kept as captions, never as body.
"""

from __future__ import annotations

import re

from timeline_service.sdk import Article, RawDocument, Source, hookimpl, textkit

CNN_TAG = re.compile(r"(?:\(CNN(?: Business| Español)?\)|\bCNN)\s*[—–]")
# CNN's lead today, "Minsk, Belarus CNN — ", and before 2023, "MINSK, Belarus (CNN) — ".
LEAD = re.compile(
    r"^(?:(?P<place>[A-Z][\w.'’ -]{1,40}(?:, [A-Z][\w.'’ ]{1,30})?)\s+)?"
    r"\(?CNN(?: Business| Español)?\)?\s*(?:[—–]{1,2}|--?(?=\s))\s*"
)
ATTRIBUTION = re.compile(
    r"\b(?:told|to|according to|reported by|confirmed to|obtained by|reviewed by) CNN\b|"
    r"\bCNN(?:'s|’s)? (?:team|crew|correspondents?|reporters?|producers?|has learned|"
    r"has reported|reported|obtained|understands|analysis|poll|asked)\b"
)
_JUNK = re.compile(
    r"^(?:(?:Video )?Ad Feedback|Related (?:article|video)\b.*|Sign up for CNN.*|"
    r"Get our free .{1,60}newsletter.*|Read More|See More Videos|Link Copied!|"
    r"Credit:? .{1,80}|CNN\s*[—–-]?|"
    r"(?:CNN(?:'s|’s) )?[A-Z][\w.'-]+(?: [A-Z][\w.'-]+)*(?:,? (?:and )?(?:CNN(?:'s|’s) )?"
    r"[A-Z][\w.'-]+(?: [A-Z][\w.'-]+)*)* contributed (?:to )?(?:this )?report(?:ing)?\.?)$"
)


class CNN(Source):
    slug = "cnn"
    name = "CNN"
    domains = ("cnn.com",)
    homepage = "https://www.cnn.com"
    language = "en"
    timezone = "America/New_York"

    def match_text(self, text: str) -> float:
        if "CNN" not in text:
            return 0.0
        if CNN_TAG.search(text[:2000]):
            return 0.9
        return 0.7 if len(ATTRIBUTION.findall(text)) >= 2 else 0.0

    def parse(self, raw: RawDocument) -> Article:
        page = textkit.read(raw)
        lines, junk = textkit.strip_aggregator(page.lines)
        draft = textkit.Draft(lines=lines, boilerplate=junk)
        draft.drop(_JUNK.match)
        textkit.take_title(draft, raw, page=page)
        textkit.take_byline(draft)
        textkit.take_date_line(draft)
        textkit.take_date_line(draft)  # "Published ..." and "Updated ..." may both appear
        _take_lead(draft)
        textkit.take_dateline(draft)
        body, captions = draft.lines[:1], []
        for line in draft.lines[1:]:
            (captions if textkit.looks_like_caption(line) else body).append(line)
        draft.lines, draft.captions = body, captions
        return draft.finish(raw, self, page)


def _take_lead(draft: textkit.Draft) -> None:
    """Cut CNN's lead tag off the first paragraph; its place is the dateline."""
    for i, line in enumerate(draft.lines[:4]):
        m = LEAD.match(line)
        if m and len(line) > m.end():
            draft.boilerplate.append(m.group(0).strip())
            draft.lines[i] = line[m.end() :]
            place = m.group("place")
            draft.dateline = (textkit.parse_dateline(place) if place else None) or draft.dateline
            return


@hookimpl
def register_sources() -> list[Source]:
    return [CNN()]
