"""The conformance kit: one call that holds a source plugin to the plugin contract.

Use it from a plugin's own tests::

    from timeline_service.conformance import check_source

    def test_conforms():
        check_source(MyOutlet(), samples=[Path("tests/sample.txt").read_text()])

It checks what every source must do, whatever its outlet: declare itself properly, parse
each sample into a sound :class:`~timeline_service.article.Article` within the time budget,
let a caller's ``published_at`` win, never leak a line it declared as boilerplate into the
body, and reject empty and garbage input with :class:`~timeline_service.article.ParseError`.
Outlet-specific expectations (this junk gone, that sentence kept) stay in the plugin's own
tests. Plain ``assert``-style failures, so it works under pytest or anywhere else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from types import ModuleType

from .pipeline.parse import parse_with_budget
from .plugins import PluginFailure, PluginRejected
from .sdk import Source
from .sdk.article import Article, ParseError, RawDocument
from .sdk.textkit import valid_zone

__all__ = ["GARBAGE", "ConformanceError", "Report", "check_plugin", "check_source", "leaks"]

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DOMAIN = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}$")

#: Inputs every source must refuse with ``ParseError``.
GARBAGE: tuple[str, ...] = (
    "",
    "   \n\n\t  \n",
    "\x00\x01\x02\x03\x04\x05\x06\x07\x08" * 40,
    "--- *** ### +++ === ... ||| 12345 67890 !!! ???",
    "\n".join(["|"] * 50),
)


class ConformanceError(AssertionError):
    """The source breaks the plugin contract; the message lists every problem found."""

    def __init__(self, source: Source, problems: list[str]) -> None:
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source!r} fails the plugin contract:\n{lines}")
        self.problems = problems


@dataclass
class Report:
    """What a passing check saw: the parsed samples, for the plugin's own assertions."""

    source: Source
    articles: list[Article] = field(default_factory=list)


def leaks(article: Article) -> list[str]:
    """Boilerplate lines that still appear in the body.

    A boilerplate line leaks when a paragraph equals it, or, for a line of four words
    or more, when a paragraph contains it: a short one ("Share") may honestly occur
    inside a sentence, a whole junk sentence may not.
    """
    found = []
    paragraphs = [" ".join(p.split()) for p in article.paragraphs]
    for junk in {" ".join(b.split()) for b in article.boilerplate}:
        if not junk:
            continue
        long_enough = len(junk.split()) >= 4
        if any(p == junk or (long_enough and junk in p) for p in paragraphs):
            found.append(junk)
    return sorted(found)


def check_source(
    source: Source,
    samples: Iterable[str | RawDocument],
    *,
    seconds: float = 2.0,
    garbage: Sequence[str] = GARBAGE,
) -> Report:
    """Hold ``source`` to the plugin contract on ``samples``; raise :class:`ConformanceError`.

    ``samples`` are real documents from the outlet (text, or ``RawDocument`` to give a
    URL or HTML). At least one is required: a plugin is only as good as the text it was
    tried on. Returns a :class:`Report` with the parsed articles.
    """
    problems = _declaration(source)
    report = Report(source)
    docs = [s if isinstance(s, RawDocument) else RawDocument(text=s) for s in samples]
    if not docs:
        problems.append("no samples given: pass at least one real document from the outlet")
    for n, raw in enumerate(docs, 1):
        article = _check_sample(source, raw, f"sample {n}", seconds, problems)
        if article is not None:
            report.articles.append(article)
    for text in garbage:
        _check_rejects(source, RawDocument(text=text), problems)
    if problems:
        raise ConformanceError(source, problems)
    return report


def check_plugin(
    plugin: ModuleType | object, samples: dict[str, Iterable[str | RawDocument]]
) -> list[Report]:
    """Check every source a plugin module registers, with ``{slug: samples}``.

    Calls the plugin's ``register_sources`` hook the way the service does; a slug
    missing from ``samples`` is a failure, so a new source cannot go untested.
    """
    register = getattr(plugin, "register_sources", None)
    if register is None:
        raise AssertionError(f"{plugin!r} has no register_sources hook")
    sources = register() or []
    if not sources:
        raise AssertionError(f"{plugin!r} registers no sources")
    reports = []
    for source in sources:
        if not isinstance(source, Source):
            raise AssertionError(f"register_sources returned {source!r}, not a Source")
        if source.slug not in samples:
            raise AssertionError(f"no samples given for source {source.slug!r}")
        reports.append(check_source(source, samples[source.slug]))
    return reports


def _declaration(source: Source) -> list[str]:
    problems = []
    slug = getattr(source, "slug", None)
    if not isinstance(slug, str) or not SLUG.match(slug):
        problems.append(f"slug {slug!r} must be lower-case words joined by hyphens")
    name = getattr(source, "name", None)
    if not isinstance(name, str) or not name.strip():
        problems.append("name must be a non-empty display name")
    domains = getattr(source, "domains", ())
    if not isinstance(domains, tuple | list):
        problems.append("domains must be a tuple of host names")
    else:
        problems += [
            f"domain {d!r} must be a lower-case host name without scheme or 'www.'"
            for d in domains
            if not isinstance(d, str) or not DOMAIN.match(d) or d.startswith("www.")
        ]
    if not isinstance(source.language, str) or not source.language:
        problems.append("language must be a language code such as 'en'")
    if source.timezone is not None and not valid_zone(source.timezone):
        problems.append(f"timezone {source.timezone!r} is not an IANA zone name")
    return problems


def _check_sample(
    source: Source, raw: RawDocument, label: str, seconds: float, problems: list[str]
) -> Article | None:
    try:
        score = float(source.match(raw))
    except Exception as exc:
        problems.append(f"{label}: match raised {type(exc).__name__}: {exc}")
        return None
    if not 0.0 <= score <= 1.0:
        problems.append(f"{label}: match returned {score}, outside 0..1")
    if score <= 0 and source.slug != "generic":
        problems.append(f"{label}: match returned 0 for the outlet's own document")
    try:
        article = parse_with_budget(source, raw, seconds=seconds)
    except PluginFailure as exc:
        problems.append(f"{label}: {exc.detail}")
        return None
    if any(p != p.strip() or not p for p in article.paragraphs):
        problems.append(f"{label}: paragraphs must be trimmed and non-empty")
    problems += [f"{label}: boilerplate leaks into the body: {j!r}" for j in leaks(article)]
    body = set(article.paragraphs)
    problems += [f"{label}: caption also in the body: {c!r}" for c in article.captions if c in body]
    if article.title is not None and article.title in body:
        problems.append(f"{label}: the title is repeated as a paragraph")
    try:
        again = source.parse(raw)
    except Exception as exc:
        problems.append(f"{label}: a second parse raised {type(exc).__name__}: {exc}")
        return article
    if again != article:
        problems.append(f"{label}: parsing the same document twice gave different articles")
    given = datetime(2001, 2, 3, 4, 5, tzinfo=UTC)
    dated = source.parse(replace(raw, published_at=given))
    if dated.published_at != given or dated.published_at_origin != "metadata":
        problems.append(
            f"{label}: a caller-given published_at must win, with origin 'metadata' "
            f"(got {dated.published_at!r}, {dated.published_at_origin!r})"
        )
    return article


def _check_rejects(source: Source, raw: RawDocument, problems: list[str]) -> None:
    shown = repr(raw.content[:30])
    try:
        parse_with_budget(source, raw, seconds=2.0)
    except PluginRejected:
        return
    except PluginFailure as exc:
        problems.append(f"garbage input {shown}: must raise ParseError, got {exc.detail}")
        return
    problems.append(f"garbage input {shown}: parsed instead of raising {ParseError.__name__}")
