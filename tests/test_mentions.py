"""Event mentions on the seeds: which sentences, dated how, by whom, typed how."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from timeline_service.extract import eventtypes
from timeline_service.extract.mentions import extract_mentions
from timeline_service.extract.prose import is_text_sentence
from timeline_service.extract.sentences import split_sentences
from timeline_service.extract.terms import content_terms
from timeline_service.pipeline import ingest as pipeline
from timeline_service.plugins import actor_table
from timeline_service.sdk import EventMention
from timeline_service.sdk.article import Article, RawDocument

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
MANIFEST = json.loads((SEEDS / "manifest.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def prepared() -> dict[str, pipeline.Prepared]:
    out = {}
    for entry in MANIFEST:
        raw = RawDocument(text=(SEEDS / entry["file"]).read_text("utf-8"), url=entry["url"])
        out[entry["file"][:3]] = pipeline.prepare(raw)
    return out


def mention(prepared: dict[str, pipeline.Prepared], seed: str, words: str) -> EventMention:
    found = [m for m in prepared[seed].mentions if words in m.sentence]
    assert len(found) == 1, [m.sentence for m in prepared[seed].mentions]
    return found[0]


def test_the_call_is_dated_to_the_minute_and_typed_a_meeting(prepared) -> None:
    m = mention(prepared, "000", "Minsk said Putin called Lukashenko")
    assert (m.claim.value, m.claim.granularity) == ("2022-02-24T05:00", "time")
    assert m.claim.when_text == "around 5:00 a.m. (0200 GMT)"
    assert m.claim.basis == "expression"
    assert m.type == "meeting"
    assert m.attribution == "Minsk"
    assert {"Vladimir Putin", "Aleksandr Lukashenko"} <= set(m.actors)
    assert m.modality == "reported"


def test_reported_speech_without_a_date_takes_the_publication_day(prepared) -> None:
    m = mention(prepared, "000", "Our armed forces are not taking part")
    assert m.claim.basis == "publication"
    assert m.claim.when_text is None
    assert (m.claim.value, m.claim.granularity) == ("2022-02-24", "day")
    assert m.attribution == "Aleksandr Lukashenko"
    assert m.type == "accusation"  # a denial


def test_a_pronoun_speaker_is_the_person_last_quoted(prepared) -> None:
    m = mention(prepared, "000", "He said the Russian leader told him")
    assert m.attribution == "Aleksandr Lukashenko"
    assert "Vladimir Putin" in m.actors  # "the Russian leader", resolved in the document


def test_a_paragraph_dated_long_ago_dates_its_undated_speech(prepared) -> None:
    m = mention(prepared, "001", "not a single Russian serviceman has come")
    assert m.claim.basis == "inherited"
    assert (m.claim.value, m.claim.when_text) == ("2022-07", "July 2022")


def test_an_announced_meeting_is_planned_for_its_own_day(prepared) -> None:
    m = mention(prepared, "004", "Putin will meet with Lukashenko")
    assert m.modality == "planned"
    assert m.claim.value == "2023-02-17"
    assert m.type == "meeting"
    assert m.attribution == "Dmitry Peskov"


def test_a_date_a_year_later_resolves_backwards_and_types_the_invasion(prepared) -> None:
    m = mention(prepared, "004", "Russian troops launched the invasion on February 24")
    assert (m.claim.value, m.type, m.modality) == ("2022-02-24", "military", "reported")
    assert m.head == "invade"


def test_background_and_states_are_not_mentions(prepared) -> None:
    sentences = [m.sentence for p in prepared.values() for m in p.mentions]
    for words in (
        "Moscow has stationed tens of thousands",  # a state, no time
        "Russia has tens of thousands of soldiers",
        "Minsk has since claimed",  # background
        "Tensions have been mounting",
        "CNN said earlier",
        "fueling fears that a spring offensive",  # "spring" used as an adjective
        "A Belarusian border guard patrols",  # a caption
        "The bill, published on Monday",  # the outlet's sidebar
        "Remind me later",
        "Lukashenko hold talks with Putin",  # a heading
    ):
        assert not any(words in s for s in sentences), words


def test_spans_titles_and_signatures_are_drawn_from_the_body(prepared) -> None:
    for p in prepared.values():
        body = p.article.body
        words = set(re.findall(r"[\w’'-]+", body.lower()))
        for m in p.mentions:
            assert body[m.sentence_start : m.sentence_end] == m.sentence
            if m.claim.when_start is not None:
                assert body[m.claim.when_start : m.claim.when_end] == m.claim.when_text
            assert 0 < len(m.title) <= 120
            assert set(re.findall(r"[\w’'-]+", m.title.lower())) <= words, m.title
            assert m.type in eventtypes.TYPES
            assert m.terms or m.head or m.thread is not None  # something to compare


def test_a_multi_sentence_quote_stays_with_its_attribution() -> None:
    text = '"We will not. We are not going to war. No one asked us," the Belarusian leader said.'
    assert split_sentences(text) == [(0, len(text))]
    assert len(split_sentences("Putin spoke. Lukashenko listened.")) == 2


def test_headings_and_captions_are_not_sentences() -> None:
    assert not is_text_sentence("Lukashenko hold talks with Putin")
    assert not is_text_sentence("(Image: AP)")
    assert not is_text_sentence(
        "A Belarusian border guard patrols near the Divin border crossing point on Wednesday."
    )
    assert is_text_sentence("Putin launched the offensive in the early hours of Thursday.")


def test_extraction_is_pure_and_needs_a_dated_expression_or_speech(prepared) -> None:
    p = prepared["003"]
    again = extract_mentions(
        p.article,
        p.expressions,
        anchor_at=p.published_at,
        anchor_timezone=p.timezone,
        actors=actor_table(),
    )
    assert again == p.mentions
    no_anchor = extract_mentions(
        p.article, [], anchor_at=None, anchor_timezone=None, actors=actor_table()
    )
    assert no_anchor == []  # without a publication date nothing is dated by context


def test_signatures_share_concepts_across_wordings() -> None:
    a = content_terms("his military is not taking part in the invasion")
    b = content_terms("troops of his country are not participating in a military operation")
    c = content_terms("Belarus is not going to get involved in the war")
    shared = set(a) & set(b) & set(c)
    assert {"c:participate", "c:negative"} <= shared


@pytest.mark.parametrize(
    ("content", "reported", "in_content", "expected"),
    [
        ("Putin called Lukashenko early on Thursday", True, True, "meeting"),
        ("his military is not taking part in the invasion", True, False, "accusation"),
        ("Belarus will soon decide on the recognition", True, False, "statement"),
        ("Putin launched the offensive", False, False, "military"),
        ("declaring its sovereignty in 1990", False, False, "diplomatic"),
        ("the West threatened new sanctions", True, False, "threat"),
        ("a surprise televised address", False, False, "other"),
    ],
)
def test_event_type_rules(content: str, reported: bool, in_content: bool, expected: str) -> None:
    got = eventtypes.classify(content, reported_speech=reported, date_in_content=in_content)
    assert got == expected


def test_body_only_never_captions() -> None:
    article = Article(
        title="t",
        paragraphs=("Lukashenko said on Thursday that Belarus would stay out.",),
        captions=("Putin meets Lukashenko in Sochi on Friday.",),
    )
    got = extract_mentions(article, [], anchor_at=None, anchor_timezone=None, actors=actor_table())
    assert all("Sochi" not in m.sentence for m in got)


def test_forgetting_stories_empties_the_caches_of_story_text() -> None:
    from timeline_service.extract.mentions import headline, is_text_sentence
    from timeline_service.text import memo

    sentence = "Putin called Lukashenko early on Thursday, the Kremlin said."
    assert headline(sentence) == sentence[:-1] and is_text_sentence(sentence)
    assert headline.cache_info().currsize and is_text_sentence.cache_info().currsize
    memo.forget_stories()
    assert headline.cache_info().currsize == 0 == is_text_sentence.cache_info().currsize
