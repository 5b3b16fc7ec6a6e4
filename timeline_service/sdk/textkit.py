"""Text chores every source plugin needs, so an outlet plugin holds only its outlet's rules.

A typical ``parse``::

    page = read(raw)                    # lines, crawl header, HTML metadata; ParseError
    draft = Draft(lines=page.lines)
    draft.cut_from("Related stories")   # a trailing block, kept as boilerplate
    draft.drop(JUNK.match)              # single junk lines anywhere
    take_title(draft, raw, page=page)
    take_dateline(draft)
    return draft.finish(raw, self, page)  # decides published_at and its origin

Every helper works on lines: the crawled text of news pages carries one paragraph per
line, and a junk block is best recognised line by line. Whatever a helper removes goes to
``Draft.boilerplate`` so the conformance kit can check it never reaches the body.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..temporal.lexicon import MONTHS
from ..temporal.places import is_known_place, zone_for_place
from ..temporal.zones import resolve, valid_zone
from ..temporal.zones import zone as named_zone
from .article import Article, ParseError, PublishedAtOrigin, RawDocument

if TYPE_CHECKING:
    from .source import Source

__all__ = [
    "CrawlHeader",
    "Draft",
    "HtmlExtract",
    "LeadDateline",
    "Page",
    "When",
    "clean_line",
    "cut_between",
    "cut_from",
    "date_from_url",
    "guess_language",
    "html_to_text",
    "is_chat_widget",
    "looks_like_caption",
    "looks_like_heading",
    "looks_like_title",
    "normalize",
    "parse_byline",
    "parse_date_line",
    "parse_dateline",
    "partition",
    "read",
    "repeated_short_lines",
    "require_text",
    "split_crawl_header",
    "split_lead_dateline",
    "split_paragraphs",
    "strip_aggregator",
    "take_byline",
    "take_date_line",
    "take_dateline",
    "take_title",
    "valid_zone",
    "zone_for_place",
]

# ---------------------------------------------------------------------------
# Normalising and reading
# ---------------------------------------------------------------------------

_INVISIBLE = re.compile("[\ufeff\u200b\u200c\u200d\u2060\u00ad]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")


def normalize(text: str) -> str:
    """Unify line ends, drop invisible characters, turn exotic spaces into plain ones.

    Crawled text carries no-break spaces (PanARMENIAN's "\\u00a0Top stories") and
    zero-width characters that would defeat a plain string comparison of a marker line.
    """
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _SPACES.sub(" ", text)


def clean_line(line: str) -> str:
    """One line with its whitespace collapsed and trimmed."""
    return " ".join(line.split())


_WORD = re.compile(r"[^\W\d_]{2,}")


def require_text(text: str) -> None:
    """Raise :class:`ParseError` unless ``text`` holds readable prose.

    Empty input, binary junk and punctuation-only input are rejected here, before any
    outlet rule runs, so every plugin rejects them the same documented way.
    """
    if not text or not text.strip():
        raise ParseError("document is empty")
    sample = text[:4000]
    if len(_CONTROLS.findall(sample)) > len(sample) * 0.05:
        raise ParseError("document looks binary, not text")
    if not any(len(_WORD.findall(line)) >= 3 for line in text.splitlines()):
        raise ParseError("document has no readable text")


@dataclass(frozen=True)
class CrawlHeader:
    """A crawl-record header such as `` date 2022-02-24`` that opens a crawled page."""

    line: str
    value: date | datetime


_CRAWL_HEADER = re.compile(
    r"\A\s*date:?[ \t]+(\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
    r"(?:Z|[+-]\d{2}:?\d{2})?)?)(?=\s|\Z)[ \t]*\n?"
)


def split_crawl_header(text: str) -> tuple[CrawlHeader | None, str]:
    """Split off a leading `` date YYYY-MM-DD`` crawl header; it may share the first line.

    The header is the crawler's record of the publication date, not the outlet's text,
    and it can precede a page from any outlet.
    """
    m = _CRAWL_HEADER.match(text)
    if not m:
        return None, text
    raw_value = m.group(1)
    try:
        if len(raw_value) == 10:
            value: date | datetime = date.fromisoformat(raw_value)
        else:
            value = datetime.fromisoformat(raw_value.replace("Z", "+00:00"))
    except ValueError:
        return None, text
    return CrawlHeader(line=m.group(0).strip(), value=value), text[m.end() :]


@dataclass(frozen=True)
class HtmlExtract:
    """What trafilatura found in an HTML page: main text and metadata."""

    text: str
    title: str | None = None
    date: date | None = None
    author: str | None = None
    language: str | None = None


def html_to_text(html: str, url: str | None = None) -> HtmlExtract:
    """Main text and metadata of an HTML page, via trafilatura (imported on first use)."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    if doc is None or not getattr(doc, "text", None):
        raise ParseError("no main text found in the HTML")
    day = None
    if doc.date:
        try:
            day = date.fromisoformat(str(doc.date)[:10])
        except ValueError:
            day = None
    return HtmlExtract(
        text=doc.text,
        title=doc.title or None,
        date=day,
        author=doc.author or None,
        language=doc.language or None,
    )


@dataclass
class Page:
    """A raw document read into lines, with what was found around the text itself."""

    lines: list[str]
    header: CrawlHeader | None = None
    html: HtmlExtract | None = None
    blank_separated: bool = False
    text: str = ""


def read(raw: RawDocument) -> Page:
    """Read a raw document into non-empty, whitespace-collapsed lines.

    HTML goes through :func:`html_to_text` first; a crawl header is split off and kept.
    Raises :class:`ParseError` for empty or garbage input.
    """
    extract = None
    if raw.text is None and raw.html is not None:
        require_text(_strip_tags(raw.html))
        extract = html_to_text(raw.html, raw.url)
        text = extract.text
    else:
        text = raw.text or ""
    text = normalize(text)
    header, text = split_crawl_header(text)
    require_text(text)
    lines = [clean_line(line) for line in text.split("\n")]
    return Page(
        lines=[line for line in lines if line],
        header=header,
        html=extract,
        blank_separated=bool(re.search(r"\n[ \t]*\n", text)),
        text=text,
    )


_TAG = re.compile(r"<[^>]*>")


def _strip_tags(html: str) -> str:
    return _TAG.sub(" ", html)


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of plain text: blank-line blocks, hard-wrapped lines re-joined.

    A block whose lines are all short and mostly unpunctuated at the end is one wrapped
    paragraph; otherwise each line is its own paragraph, as on most crawled pages.
    """
    text = normalize(text)
    out: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [clean_line(line) for line in block.split("\n") if line.strip()]
        if len(lines) > 1 and _hard_wrapped(lines):
            out.append(" ".join(lines))
        else:
            out.extend(lines)
    return out


def _hard_wrapped(lines: list[str]) -> bool:
    body = lines[:-1]
    if any(len(line) > 100 for line in body):
        return False
    open_ends = sum(1 for line in body if not _ENDS_SENTENCE.search(line))
    return open_ends * 2 >= len(body)


# ---------------------------------------------------------------------------
# Cutting junk
# ---------------------------------------------------------------------------

Predicate = Callable[[str], bool]


def _pred(marker: str | re.Pattern[str] | Predicate) -> Predicate:
    if isinstance(marker, str):
        return lambda line: line == marker
    if isinstance(marker, re.Pattern):
        return lambda line: bool(marker.search(line))
    return marker


def cut_from(
    lines: list[str], marker: str | re.Pattern[str] | Predicate, *, start: int = 0
) -> tuple[list[str], list[str]]:
    """Cut the first line matching ``marker`` (at or after ``start``) and all after it.

    For a trailing block (a donation appeal, a sidebar, a breadcrumb) whose end is the end
    of the page. Returns ``(kept, removed)``; nothing is removed when no line matches.
    """
    match = _pred(marker)
    for i in range(start, len(lines)):
        if match(lines[i]):
            return lines[:i], lines[i:]
    return list(lines), []


def cut_between(
    lines: list[str],
    start: str | re.Pattern[str] | Predicate,
    end: str | re.Pattern[str] | Predicate,
) -> tuple[list[str], list[str]]:
    """Cut a block from a ``start`` line through an ``end`` line (to the end if no end)."""
    first, last = _pred(start), _pred(end)
    for i, line in enumerate(lines):
        if first(line):
            for j in range(i, len(lines)):
                if last(lines[j]):
                    return lines[:i] + lines[j + 1 :], lines[i : j + 1]
            return lines[:i], lines[i:]
    return list(lines), []


def partition(lines: Iterable[str], junk: Predicate) -> tuple[list[str], list[str]]:
    """Split ``lines`` into ``(kept, removed)`` by a per-line junk test."""
    kept: list[str] = []
    removed: list[str] = []
    for line in lines:
        (removed if junk(line) else kept).append(line)
    return kept, removed


def repeated_short_lines(lines: list[str], *, max_words: int = 6) -> set[str]:
    """Short unpunctuated lines that occur more than once: banners and menus, not prose."""
    counts = Counter(lines)
    return {
        line
        for line, n in counts.items()
        if n > 1 and len(line.split()) <= max_words and not _ENDS_SENTENCE.search(line)
    }


_AGGREGATOR_TAIL = re.compile(
    r"^(?:source link|source|original source|read (?:the )?(?:full|original) (?:article|story)"
    r"(?: here)?|view original(?: article)?)\s*:?$",
    re.IGNORECASE,
)
_CHAT_WIDGET = re.compile(
    r"how can (?:i|we) help(?: you)?\??$|ask us anything|our customer support team|"
    r"chat with us|we(?:'|’)re online|we are online|leave (?:us )?a message|"
    r"typically replies within"
)


def is_chat_widget(line: str) -> bool:
    """A support-chat widget's text ("Hi, how can I help?"), which aggregators embed."""
    return len(line) < 200 and bool(_CHAT_WIDGET.search(line.lower()))


def strip_aggregator(lines: list[str], *, keep: int = 3) -> tuple[list[str], list[str]]:
    """Remove what an aggregator adds around a re-posted article.

    Cuts from its "Source link" line to the end, drops chat-widget lines, and drops its
    banner (a short line repeated on the page). The first ``keep`` lines are never taken
    for the tail marker, so a one-word title cannot end the article.
    """
    kept, removed = cut_from(lines, _AGGREGATOR_TAIL, start=min(keep, len(lines)))
    banners = repeated_short_lines(lines)
    kept, dropped = partition(kept, lambda s: s in banners or is_chat_widget(s))
    return kept, dropped + removed


# ---------------------------------------------------------------------------
# Recognising the parts of an article
# ---------------------------------------------------------------------------

_ENDS_SENTENCE = re.compile(r"[.!?…:;][\"'”’»)\]]*$")


def looks_like_title(line: str) -> bool:
    """A headline: one short line, two words or more, not ended like a sentence."""
    return len(line) <= 200 and len(line.split()) >= 2 and not re.search(r"[.:;,][\"'”’»]*$", line)


def looks_like_heading(line: str) -> bool:
    """A sub-heading between paragraphs: a few words, no sentence-ending punctuation."""
    return 1 <= len(line.split()) <= 14 and len(line) <= 110 and not _ENDS_SENTENCE.search(line)


_CREDIT_SUFFIX = re.compile(
    r"(?:\b[\w.'-]+(?: [\w.'-]+)*/)?(?:Getty Images|AFP|AP|Reuters|Sputnik|TASS|EPA|"
    r"Bloomberg|Shutterstock|Anadolu Agency|Kremlin\.ru)(?:/[\w .'-]+)*\)?$"
)
_CAPTION_VERB = re.compile(
    r"\b(?:patrols?|stands?|walks?|sits?|arrives?|attends?|gestures?|looks? on|holds?|"
    r"waits?|poses?|watches|watch|rides?|drives?|fires?|carries|carry|inspects?|greets?|"
    r"shakes? hands|prays?|mourns?|lays?|march(?:es)?|flies|fly|speaks? during|"
    r"is seen|are seen|is pictured|are pictured|pictured|take part|takes part|"
    r"stand guard|stands guard|gather|gathers|line up|lines up|listens?|meets? with|"
    r"checks?|works?|sorts?|clears?|crosses|cross|protests?|rally|rallies)\b"
)
# Captions end by saying when (and often where) the picture was taken.
_CAPTION_WHEN = re.compile(
    r"\b(?:on|in|at|during|earlier|last|this)\b[^.!?]{0,60}?\b(?:Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday|week|month|year|(?:January|February|March|April|May|"
    r"June|July|August|September|October|November|December)(?: \d{1,2})?(?:, \d{4})?|"
    r"\d{4})\.$"
)
# A caption verb after a modal or auxiliary is not a scene in the present tense.
_NOT_PRESENT = re.compile(
    r"\b(?:will|would|to|can|could|may|might|must|should|did|does|do|not)\s*$"
)
_REPORTING = re.compile(r"\b(?:said|says|told|tells|according to|announced|claimed|stated)\b")
_QUOTES = re.compile(r"[\"“”«»]")


def looks_like_caption(line: str) -> bool:
    """A photo caption left in crawled text between paragraphs.

    Either it ends with a photo credit ("... on Wednesday. Viktor Drachev/AFP/Getty
    Images"), or it is one short sentence describing a scene in the present tense and
    ending with when it was taken ("A border guard patrols near ... on Wednesday."), with
    no quote or reported speech: news prose, written in the past tense around what people
    said, rarely is.
    """
    if len(line) > 300:
        return False
    if "/" in line and _CREDIT_SUFFIX.search(line):
        return True
    words = line.split()
    if len(words) > 35 or _QUOTES.search(line) or _REPORTING.search(line):
        return False
    if re.search(r"[.!?]\s+[A-Z]", line.rstrip(".")) or not _CAPTION_WHEN.search(line):
        return False
    verb = _CAPTION_VERB.search(" ".join(words[:12]))
    return bool(verb) and not _NOT_PRESENT.search(line[: verb.start()])


_BYLINE = re.compile(
    r"^(?:By|BY|Written [Bb]y|Author|Authors?)\s*:?\s+(?P<who>[^\d.!?]{3,100}?)\s*$"
)


def parse_byline(line: str) -> str | None:
    """The names in a byline line ("By Jane Smith and Ivan Petrov, CNN"), else None."""
    m = _BYLINE.match(line)
    if not m or len(m.group("who").split()) > 14:
        return None
    return m.group("who").strip(" ,")


def parse_dateline(line: str) -> str | None:
    """A standalone dateline line ("Minsk, Belarus", "MOSCOW") naming a known place."""
    if len(line) > 60 or len(line.split()) > 6 or _ENDS_SENTENCE.search(line):
        return None
    if re.search(r"\d", line) or not is_known_place(line.split(",")[0]):
        return None
    return _tidy_place(line)


def _tidy_place(place: str) -> str:
    parts = [p.strip() for p in place.split(",")]
    return ", ".join(p.title() if p.isupper() and len(p) > 2 else p for p in parts if p)


_LEAD_DATELINE = re.compile(
    r"^(?:(?P<place>[A-Z][A-Za-z.'’ -]{1,40}?(?:, ?[A-Z][A-Za-z.'’ ]{1,30}?)?)"
    r"(?:, ?(?P<when>\d{1,2} [A-Z][a-z]+|[A-Z][a-z]{2,8}\.? \d{1,2}))?\s*)?"
    r"(?:\((?P<agency>[A-Za-z][\w .&-]{1,24})\)\s*)?[—–-]{1,2}\s+(?=\S)"
)


@dataclass(frozen=True)
class LeadDateline:
    """The ``MINSK, Belarus (CNN) —`` opening of a first paragraph, split off it."""

    prefix: str
    place: str | None
    agency: str | None
    when: str | None
    rest: str


def split_lead_dateline(paragraph: str) -> LeadDateline | None:
    """Split ``PLACE[, DAY MONTH] (AGENCY) —`` off a paragraph's start, or return None.

    The place must be in :mod:`timeline_service.places` unless an agency tag follows it,
    so an ordinary sentence with a dash is never mistaken for a dateline.
    """
    m = _LEAD_DATELINE.match(paragraph)
    if not m:
        return None
    place, agency = m.group("place"), m.group("agency")
    if place is None and agency is None:
        return None
    city = (place or "").split(",")[0]
    if place is not None and not is_known_place(city) and (agency is None or not city.isupper()):
        return None
    return LeadDateline(
        prefix=m.group(0).strip(),
        place=_tidy_place(place) if place else None,
        agency=agency,
        when=m.group("when"),
        rest=paragraph[m.end() :],
    )


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class When:
    """A publication date read from the text: a day, maybe a local time, maybe a zone
    (an IANA name, or an abbreviation such as ``EST`` as the page printed it)."""

    day: date
    time: time | None = None
    zone: str | None = None

    def to_datetime(self, default_zone: str | None) -> datetime:
        """Aware datetime: the given time (or midnight) in the printed or default zone."""
        where = resolve(self.zone) if self.zone else named_zone(default_zone)
        return datetime.combine(self.day, self.time or time(0), tzinfo=where)


_DATE_PREFIX = re.compile(
    r"^(?:(?:last )?updated(?: on)?|published(?: on)?|posted(?: on)?|date|first published)"
    r"\s*:?\s*",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"\b(?P<h>\d{1,2}):(?P<m>\d{2})(?::\d{2})?\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?"
    r"(?:\s*(?P<tz>UTC|GMT|[ECP][SD]?T|BST|CEST|CET|EEST|EET|MSK|AMT|IST))?\b"
)
_WEEKDAY = re.compile(r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:[a-z]*)\.?\b", re.I)
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_NUM_DAY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_MDY = re.compile(r"^([A-Za-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)? (\d{4})$")
_DMY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]{3,9})\.? (\d{4})$")


def parse_date_line(line: str) -> When | None:
    """A line that is only a date, as outlets print one under the headline.

    Understands "February 24, 2022", "Feb. 24, 2022 - 13:14 AMT", "24th February, 2022
    15:37 IST", "24.02.2022", "2022-02-24" and "Updated 10:15 AM EST, Thu February 16,
    2023". Returns None for anything else, including a sentence that contains a date.
    """
    s = line.strip()
    if len(s) > 70:
        return None
    s = _DATE_PREFIX.sub("", s)
    at: time | None = None
    zone = None
    m = _TIME.search(s)
    if m:
        hour, minute = int(m.group("h")), int(m.group("m"))
        ampm = (m.group("ampm") or "").lower().replace(".", "")
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        if hour > 23 or minute > 59:
            return None
        at = time(hour, minute)
        zone = m.group("tz")
        s = s[: m.start()] + " " + s[m.end() :]
    s = _WEEKDAY.sub(" ", s)
    s = re.sub(r"\s*[,|–—]\s*|\s+-\s+|\s+at\s+|\s+", " ", s).strip(" ,-")
    day = _day_of(s)
    return When(day, at, zone) if day else None


def _day_of(s: str) -> date | None:
    try:
        if m := _ISO_DAY.match(s):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _NUM_DAY.match(s):
            return date(int(m[3]), int(m[2]), int(m[1]))
        if (m := _MDY.match(s)) and m[1].lower() in MONTHS:
            return date(int(m[3]), MONTHS[m[1].lower()], int(m[2]))
        if (m := _DMY.match(s)) and m[2].lower() in MONTHS:
            return date(int(m[3]), MONTHS[m[2].lower()], int(m[1]))
    except ValueError:
        return None
    return None


_URL_DATE = re.compile(r"/(\d{4})([/-])(\d{2})\2(\d{2})(?=[/-]|$)")


def date_from_url(url: str | None) -> date | None:
    """The publication day many outlets put in article URLs (``/2022/02/24/``, ``/2023-08-22/``)."""
    if not url:
        return None
    m = _URL_DATE.search(urlsplit(url).path)
    if not m:
        return None
    try:
        day = date(int(m[1]), int(m[3]), int(m[4]))
    except ValueError:
        return None
    return day if 1990 <= day.year <= 2100 else None


# ---------------------------------------------------------------------------
# The draft an outlet plugin fills in, and the Article it becomes
# ---------------------------------------------------------------------------


@dataclass
class Draft:
    """An article being cleaned: its remaining lines and what was taken out of them."""

    lines: list[str]
    title: str | None = None
    dateline: str | None = None
    byline: str | None = None
    published: When | None = None
    language: str | None = None
    captions: list[str] = field(default_factory=list)
    boilerplate: list[str] = field(default_factory=list)

    def drop(self, junk: Predicate) -> None:
        """Move every line ``junk`` matches to the boilerplate."""
        self.lines, removed = partition(self.lines, junk)
        self.boilerplate.extend(removed)

    def cut_from(self, marker: str | re.Pattern[str] | Predicate, *, start: int = 0) -> bool:
        """Cut a trailing block (see :func:`cut_from`); True if the marker was found."""
        self.lines, removed = cut_from(self.lines, marker, start=start)
        self.boilerplate.extend(removed)
        return bool(removed)

    def finish(self, raw: RawDocument, source: Source, page: Page | None = None) -> Article:
        """Build the Article, deciding its publication date by precedence.

        The caller's ``published_at`` wins ("metadata"); then a date in the text or a
        crawl header ("text"); then the HTML page's metadata or a date in the URL
        ("metadata"). A date without a time is midnight in the outlet's time zone.
        """
        header = [page.header.line] if page and page.header else []
        boilerplate = tuple(b for b in [*header, *self.boilerplate] if b)
        paragraphs = _without_junk(self.lines, boilerplate)
        if not any(len(_WORD.findall(p)) >= 3 for p in paragraphs):
            raise ParseError(f"no article body left after removing {source.name} boilerplate")
        zone = zone_for_place(self.dateline) if self.dateline else None
        zone = zone or source.timezone
        outlet_zone = source.timezone or zone or "UTC"
        published, origin = _published(raw, self.published, page, outlet_zone)
        title = raw.title or self.title or (page.html.title if page and page.html else None)
        byline = self.byline or (page.html.author if page and page.html else None)
        language = self.language or guess_language("\n".join(paragraphs[:3]), source.language)
        return Article(
            title=title,
            paragraphs=paragraphs,
            published_at=published,
            published_at_origin=origin,
            timezone=zone,
            language=language,
            dateline=self.dateline,
            byline=byline,
            captions=tuple(self.captions),
            boilerplate=boilerplate,
        )


def _without_junk(lines: list[str], boilerplate: tuple[str, ...]) -> tuple[str, ...]:
    """The body lines, less any copy of a removed junk line.

    A junk line can also occur above its block (a sidebar item repeating a sentence, a
    marker quoted twice); the body keeps none of it, so what the plugin declared as
    boilerplate never reaches the timeline (the rule :func:`conformance.leaks` checks).
    """
    junk = {" ".join(b.split()) for b in boilerplate}
    long_junk = [j for j in junk if len(j.split()) >= 4]
    return tuple(p for p in lines if p and p not in junk and not any(j in p for j in long_junk))


def _published(
    raw: RawDocument, from_text: When | None, page: Page | None, zone: str
) -> tuple[datetime | None, PublishedAtOrigin]:
    given = raw.published_in(named_zone(zone))
    if given is not None:
        return given, "metadata"
    if from_text is not None:
        return from_text.to_datetime(zone), "text"
    if page is not None and page.header is not None:
        value = page.header.value
        if isinstance(value, datetime):
            if value.tzinfo is None:
                value = value.replace(tzinfo=named_zone(zone))
            return value, "text"
        return When(value).to_datetime(zone), "text"
    if page is not None and page.html is not None and page.html.date is not None:
        return When(page.html.date).to_datetime(zone), "metadata"
    day = date_from_url(raw.url)
    if day is not None:
        return When(day).to_datetime(zone), "metadata"
    return None, "unknown"


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")


def guess_language(text: str, default: str = "en") -> str:
    """ "ru" for mostly Cyrillic text, else ``default``: enough to pick date-parsing rules."""
    if _CYRILLIC.search(text) is None:  # the common case, without counting letters
        return default
    cyr = len(_CYRILLIC.findall(text))
    return "ru" if cyr > len(_LATIN.findall(text)) else default


# ---------------------------------------------------------------------------
# Common steps on a draft
# ---------------------------------------------------------------------------


def take_title(draft: Draft, raw: RawDocument, *, page: Page | None = None) -> None:
    """Take the headline off the top: the caller's title, the HTML title, or a title-like line.

    A repeat of the headline right below it (some sites print it twice) is boilerplate.
    """
    if not draft.lines:
        return
    known = raw.title or (page.html.title if page and page.html else None)
    first = draft.lines[0]
    given = bool(known) and clean_line(known or "") == first
    guessed = known is None and len(draft.lines) > 1 and looks_like_title(first)
    if given or guessed:
        draft.title = first
        draft.lines = draft.lines[1:]
    if draft.title:
        head = draft.lines[:3]
        dupes = [line for line in head if line == draft.title]
        if dupes:
            draft.lines = [line for line in head if line != draft.title] + draft.lines[3:]
            draft.boilerplate.extend(dupes)


def take_byline(draft: Draft, *, within: int = 5) -> None:
    """Take a ``By ...`` line from the first lines into ``draft.byline``."""
    for i, line in enumerate(draft.lines[:within]):
        who = parse_byline(line)
        if who:
            draft.byline = who
            del draft.lines[i]
            return


def take_date_line(draft: Draft, *, within: int = 5) -> None:
    """Take a date line (see :func:`parse_date_line`) from the first lines."""
    for i, line in enumerate(draft.lines[:within]):
        when = parse_date_line(line)
        if when:
            draft.published = draft.published or when
            del draft.lines[i]
            return


def take_dateline(draft: Draft, *, within: int = 4) -> None:
    """Take a dateline: a standalone place line near the top, or the first paragraph's lead.

    The lead form (``MINSK, Belarus (CNN) —``) is cut from the paragraph and kept in
    the boilerplate, so the body starts with the story's first word.
    """
    for i, line in enumerate(draft.lines[:within]):
        place = parse_dateline(line)
        if place:
            draft.dateline = place
            del draft.lines[i]
            return
    for i, line in enumerate(draft.lines[:within]):
        if len(line.split()) < 8:
            continue
        lead = split_lead_dateline(line)
        if lead:
            draft.dateline = draft.dateline or lead.place
            draft.lines[i] = lead.rest
            draft.boilerplate.append(lead.prefix)
        return
