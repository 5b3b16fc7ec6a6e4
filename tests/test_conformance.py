"""The conformance kit passes every built-in source and catches each kind of broken one."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from plugin_helpers import SLUG_BY_OUTLET, outlet_samples

from timeline_service.conformance import ConformanceError, check_plugin, check_source, leaks
from timeline_service.plugins import get_sources
from timeline_service.sdk import Source, textkit
from timeline_service.sdk.article import Article, ParseError, RawDocument


@pytest.mark.parametrize("slug", sorted(SLUG_BY_OUTLET.values()))
def test_builtin_outlet_conforms(slug: str) -> None:
    samples = outlet_samples(slug)
    report = check_source(get_sources()[slug], samples)
    assert len(report.articles) == len(samples) >= 2


def test_generic_conforms_on_every_sample() -> None:
    samples = [s for slug in SLUG_BY_OUTLET.values() for s in outlet_samples(slug)]
    html = RawDocument(
        html="<html><body><article><h1>Talks stall</h1><p>The talks stalled on Tuesday, the "
        "ministry said in a statement.</p></article></body></html>"
    )
    report = check_source(get_sources()["generic"], [*samples, html])
    assert report.articles[-1].title == "Talks stall"


def test_check_plugin_checks_every_registered_source() -> None:
    import timeline_plugins.cnn as cnn

    reports = check_plugin(cnn, {"cnn": outlet_samples("cnn")})
    assert [r.source.slug for r in reports] == ["cnn"]
    with pytest.raises(AssertionError, match="no samples given for source 'cnn'"):
        check_plugin(cnn, {})


SAMPLE = "Daily Planet\nThe mayor said on Monday that the bridge will reopen.\nSee also: Sports"


class Good(Source):
    slug = "daily-planet"
    name = "Daily Planet"
    domains = ("dailyplanet.example",)

    def match_text(self, text: str) -> float:
        return 0.9 if "Daily Planet" in text else 0.0

    def parse(self, raw: RawDocument) -> Article:
        page = textkit.read(raw)
        draft = textkit.Draft(lines=page.lines)
        draft.cut_from(re.compile(r"^See also:"))
        draft.drop(lambda line: line == "Daily Planet")
        return draft.finish(raw, self, page)


def test_a_good_source_passes() -> None:
    report = check_source(Good(), [SAMPLE])
    assert report.articles[0].paragraphs == (
        "The mayor said on Monday that the bridge will reopen.",
    )


class Leaky(Good):
    def parse(self, raw: RawDocument) -> Article:
        a = super().parse(raw)
        return Article(a.title, (*a.paragraphs, "See also: Sports"), boilerplate=a.boilerplate)


class AcceptsGarbage(Good):
    def parse(self, raw: RawDocument) -> Article:
        return Article(None, (raw.content or "nothing",))


class IgnoresCallerDate(Good):
    def parse(self, raw: RawDocument) -> Article:
        a = super().parse(raw)
        return Article(
            a.title, a.paragraphs, datetime.fromisoformat("2020-01-01T00:00+00:00"), "text"
        )


class WrongError(Good):
    def parse(self, raw: RawDocument) -> Article:
        if not raw.content.strip():
            raise ValueError("empty")
        return super().parse(raw)


class BadDeclaration(Good):
    slug = "Daily Planet"
    domains = ("https://www.dailyplanet.example/",)
    timezone = "Metropolis/Downtown"


class Blind(Good):
    def match_text(self, text: str) -> float:
        return 0.0


class CaptionInBody(Good):
    def parse(self, raw: RawDocument) -> Article:
        a = super().parse(raw)
        return Article(a.title, a.paragraphs, captions=a.paragraphs[:1])


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        (Leaky(), "boilerplate leaks into the body: 'See also: Sports'"),
        (AcceptsGarbage(), "parsed instead of raising ParseError"),
        (IgnoresCallerDate(), "caller-given published_at must win"),
        (WrongError(), "must raise ParseError, got parse raised ValueError"),
        (BadDeclaration(), "slug 'Daily Planet'"),
        (BadDeclaration(), "domain 'https://www.dailyplanet.example/'"),
        (BadDeclaration(), "timezone 'Metropolis/Downtown'"),
        (Blind(), "match returned 0 for the outlet's own document"),
        (CaptionInBody(), "caption also in the body"),
    ],
)
def test_the_kit_catches(source: Source, problem: str) -> None:
    with pytest.raises(ConformanceError) as info:
        check_source(source, [SAMPLE])
    assert any(problem in p for p in info.value.problems), info.value.problems


def test_no_samples_is_a_failure() -> None:
    with pytest.raises(ConformanceError, match="no samples given"):
        check_source(Good(), [])


def test_leaks_ignores_short_words_inside_sentences() -> None:
    article = Article(None, ("Share prices fell on Monday.",), boilerplate=("Share",))
    assert leaks(article) == []
    article = Article(None, ("Share",), boilerplate=("Share",))
    assert leaks(article) == ["Share"]


def test_parse_error_is_what_empty_input_raises() -> None:
    with pytest.raises(ParseError):
        Good().parse(RawDocument(text=""))
