"""Arbitrary text into the date engine, the source plugins and the whole preparation.

Each must either answer or raise its documented error (the date engine has none; a plugin
raises ``ParseError``), and every span it reports must lie inside the text it was given.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline_service.pipeline.parse import validate_article
from timeline_service.pipeline.prepare import prepare
from timeline_service.plugins import PluginRejected, get_sources
from timeline_service.sdk.article import Article, ParseError, RawDocument
from timeline_service.temporal import find_temporal_expressions

#: words that steer text into the date grammar's corners
DATE_WORDS = [
    "March", "Mar.", "3", "31", "2021", "99999", "0", "1999-12-31", "31/12/99999", "29 February",
    "Thursday", "last", "next", "this", "week", "month", "year", "ago", "earlier", "later",
    "said", "will", "on", "in", "the", "early", "mid-", "late", "spring", "Q3", "2023-W07",
    "5:00", "a.m.", "p.m.", "(0200 GMT)", "local time", "noon", "tonight", "yesterday",
    "decade", "1990s", "'90s", "FY2024", "since", "until", "between", "and", "from", "to",
    "-", "–", ",", ".", ";", "\n", "\n\n", "  ", "\t", "¡", "Ωμέγα", "\u200b", "\ufeff",
]  # fmt: skip

ZONES = [None, "UTC", "Europe/Moscow", "America/New_York", "Asia/Kolkata", "Not/AZone"]

pieces = st.one_of(st.sampled_from(DATE_WORDS), st.text(max_size=12))
texts = st.one_of(
    st.text(max_size=300),
    st.lists(pieces, max_size=60).map(" ".join),
    st.lists(pieces, max_size=60).map("".join),
)
anchors = st.one_of(
    st.none(),
    st.dates(min_value=date(1, 1, 2), max_value=date(9999, 12, 30)),
    st.datetimes(
        min_value=datetime(1, 1, 2),
        max_value=datetime(9999, 12, 30),
        timezones=st.sampled_from(
            [UTC, timezone(timedelta(hours=-11)), timezone(timedelta(hours=14))]
        ),
    ),
)

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(text=texts, published_at=anchors, zone=st.sampled_from(ZONES))
def test_date_engine_answers_any_text_with_spans_inside_it(text, published_at, zone):
    expressions = find_temporal_expressions(text, published_at, timezone=zone)
    assert isinstance(expressions, list)
    previous = -1
    for expr in expressions:
        assert 0 <= expr.start < expr.end <= len(text), expr
        assert text[expr.start : expr.end] == expr.text
        assert expr.start >= previous, "expressions come in text order"
        previous = expr.start
        if expr.interval is not None:
            assert expr.interval.start < expr.interval.end
            assert expr.interval.start.tzinfo is not None
        if published_at is None and expr.value is not None:
            assert not expr.anchored, "nothing resolves against an unknown publication date"


SOURCES = sorted(get_sources().items())


@pytest.mark.parametrize(("slug", "source"), SOURCES, ids=[slug for slug, _ in SOURCES])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, as_html=st.booleans(), url=st.sampled_from([None, "https://example.org/a"]))
def test_plugins_parse_or_raise_parse_error(slug, source, text, as_html, url):
    content = f"<html><body><p>{text}</p></body></html>" if as_html else text
    raw = RawDocument(**{"html" if as_html else "text": content}, url=url)
    score = source.match(raw)
    assert 0.0 <= float(score or 0.0) <= 1.0
    try:
        article = source.parse(raw)
    except ParseError:
        return
    assert isinstance(article, Article)
    assert validate_article(article) == [], f"{slug} returned a malformed Article"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, published_at=st.one_of(st.none(), st.dates(date(1900, 1, 1), date(2100, 1, 1))))
def test_preparation_spans_lie_in_the_cleaned_body(text, published_at):
    raw = RawDocument(text=text or " ", published_at=published_at)
    try:
        prepared = prepare(raw, now=datetime(2026, 1, 1, tzinfo=UTC))
    except PluginRejected:
        return  # the documented refusal: empty or unreadable text
    body = prepared.article.body
    for expr in prepared.expressions:
        assert body[expr.start : expr.end] == expr.text
    for mention in prepared.mentions:
        assert 0 <= mention.sentence_start < mention.sentence_end <= len(body)
        assert body[mention.sentence_start : mention.sentence_end] == mention.sentence
        claim = mention.claim
        if claim.when_text is not None:
            assert body[claim.when_start : claim.when_end] == claim.when_text
        assert claim.start < claim.end
