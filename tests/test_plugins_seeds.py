"""Each seed is routed to its outlet's plugin and comes out as a clean article."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from plugin_helpers import SLUG_BY_OUTLET, manifest, outlet_samples, route_and_parse, seed

from timeline_service.conformance import leaks
from timeline_service.pipeline.parse import choose_source
from timeline_service.plugins import get_sources
from timeline_service.sdk.article import RawDocument

SEEDS = [(e["outlet"], SLUG_BY_OUTLET[e["outlet"]]) for e in manifest()]


@pytest.mark.parametrize(("outlet", "slug"), SEEDS)
def test_seed_without_url_is_routed_by_signature(outlet: str, slug: str) -> None:
    _, text = seed(outlet)
    choice = choose_source(RawDocument(text=text), get_sources())
    assert (choice.source.slug, choice.reason) == (slug, "signature")


@pytest.mark.parametrize(("outlet", "slug"), SEEDS)
def test_seed_with_url_is_routed_by_domain(outlet: str, slug: str) -> None:
    entry, text = seed(outlet)
    choice = choose_source(RawDocument(text=text, url=entry["url"]), get_sources())
    assert (choice.source.slug, choice.reason) == (slug, "domain")


def test_cnn_repost_on_aggregator_domain_is_still_cnn() -> None:
    entry, text = seed("CNN")
    choice = choose_source(RawDocument(text=text, url=entry["repost_url"]), get_sources())
    assert choice.source.slug == "cnn"


def test_panarmenian_quoting_cnn_is_not_cnn() -> None:
    """PanARMENIAN's seed says "CNN said earlier ...": one mention is not CNN's signature."""
    _, text = seed("PanARMENIAN.Net")
    assert "CNN said earlier" in text
    assert get_sources()["cnn"].match(RawDocument(text=text)) == 0.0


# For each seed: junk lines that must be gone, the first and last body sentences.
EXPECTED = {
    "The Moscow Times": (
        [
            "A Message from The Moscow Times:",
            "Dear readers,",
            "We are facing unprecedented challenges.",
            "please support us monthly starting from just $2",
            "Remind me later.",
        ],
        "Belarus's leader Alexander Lukashenko said Thursday that his military is not taking part",
        "stationed in Belarus, where it has held military drills.",
    ),
    "Free Russia Forum": (
        ["Home / News / In the world /"],
        "Aleksandr Lukashenko has announced the invasion of Russian army units into Ukraine",
        "counterintelligence and others – can be here without my knowledge”, he assured.",
    ),
    "PanARMENIAN.Net": (
        [
            "PanARMENIAN.Net - ",
            "Top stories",
            "192 Azerbaijani troops were killed",
            "defense budget by more than 1.1 billion manats",
            "unreasonably broad interpretation",
            "The earthquake caused a temporary blackout",
            "Partner news",
            "---",
        ],
        "Belarus is not going to get involved in the war, President Aleksandr Lukashenko told",
        "Belta cited the Belarusian presidential press service as saying.",
    ),
    "Republic World": (
        [
            "date 2022-02-24",
            "(Image: AP)",
            "Lukashenko hold talks with Putin",
            "'Belarus is currently unaffected by any external threats'",
        ],
        "As Russia wages war against Ukraine, Belarusian President Alexander Lukashenko claimed",
        "they will make it happen.",
    ),
    "CNN": (
        [
            "Digital Marketing Aganecy",
            "Source link",
            "Our customer support team is here to answer your questions. Ask us anything!",
            "Hi, how can I help?",
            "A Belarusian border guard patrols near the Divin border crossing point",
        ],
        "Belarusian President Alexander Lukashenko has claimed there is “no way” his country",
        "the two nations have engaged in joint military drills near the Belarus-Ukraine crossing.",
    ),
}


@pytest.mark.parametrize("outlet", list(EXPECTED))
def test_seed_body_is_clean(outlet: str) -> None:
    junk, first, last = EXPECTED[outlet]
    _, text = seed(outlet)
    slug, article = route_and_parse(RawDocument(text=text))
    assert slug == SLUG_BY_OUTLET[outlet]
    for line in junk:
        assert line in text  # the junk is really in the seed ...
        assert not any(line in p for p in article.paragraphs), line  # ... and not in the body
    assert article.paragraphs[0].startswith(first)
    assert article.paragraphs[-1].endswith(last)
    assert leaks(article) == []


@pytest.mark.parametrize("outlet", list(EXPECTED))
def test_seed_with_url_parses_the_same_body(outlet: str) -> None:
    entry, text = seed(outlet)
    _, plain = route_and_parse(RawDocument(text=text))
    _, with_url = route_and_parse(RawDocument(text=text, url=entry["url"]))
    assert with_url.paragraphs == plain.paragraphs


def test_moscow_times_seed_metadata() -> None:
    entry, text = seed("The Moscow Times")
    _, article = route_and_parse(RawDocument(text=text))
    assert article.title is None  # the crawl kept no headline; the first line is a sentence
    assert (article.published_at, article.published_at_origin) == (None, "unknown")
    assert article.timezone == "Europe/Moscow"
    assert len(article.paragraphs) == 9
    _, dated = route_and_parse(RawDocument(text=text, url=entry["url"]))
    assert dated.published_at == datetime(2022, 2, 24, tzinfo=ZoneInfo("Europe/Moscow"))
    assert dated.published_at_origin == "metadata"


def test_free_russia_forum_seed_metadata() -> None:
    _, text = seed("Free Russia Forum")
    _, article = route_and_parse(RawDocument(text=text))
    assert article.title == (
        "Lukashenko confirmed the invasion of “certain parts” of the Russian army into Ukraine "
        "from Belarus"
    )
    assert len(article.paragraphs) == 7
    assert article.timezone == "Europe/Vilnius"
    assert article.published_at is None


def test_panarmenian_seed_metadata() -> None:
    _, text = seed("PanARMENIAN.Net")
    _, article = route_and_parse(RawDocument(text=text))
    assert article.title == "Belarus says not going to get involved in Russia-Ukraine war"
    assert article.title not in article.paragraphs  # printed twice on the page, kept once
    assert len(article.paragraphs) == 8
    # The sidebar's "published on Monday" belongs to another article: no date from it.
    assert (article.published_at, article.published_at_origin) == (None, "unknown")
    assert article.timezone == "Asia/Yerevan"


def test_republic_world_seed_metadata() -> None:
    _, text = seed("Republic World")
    _, article = route_and_parse(RawDocument(text=text))
    assert article.published_at == datetime(2022, 2, 24, tzinfo=ZoneInfo("Asia/Kolkata"))
    assert article.published_at_origin == "text"
    assert len(article.paragraphs) == 5
    assert "Lukashenko hold talks with Putin" in article.boilerplate
    assert article.paragraphs[2].startswith(
        "The leaders of Belarus and Russia spoke over the phone"
    )


def test_cnn_seed_metadata() -> None:
    entry, text = seed("CNN")
    _, article = route_and_parse(RawDocument(text=text))
    assert article.title == (
        "Belarus claims it won’t send troops to Ukraine unless it is attacked, "
        "as tensions escalate at border"
    )
    assert article.dateline == "Minsk, Belarus"
    assert article.timezone == "Europe/Minsk"
    assert article.captions == (
        "A Belarusian border guard patrols near the Divin border crossing point between Belarus "
        "and Ukraine on Wednesday.",
    )
    assert len(article.paragraphs) == 17
    _, dated = route_and_parse(RawDocument(text=text, url=entry["url"]))
    assert dated.published_at is not None
    assert dated.published_at.date() == date(2023, 2, 16)


@pytest.mark.parametrize("outlet", list(EXPECTED))
def test_caller_published_at_wins_over_the_text(outlet: str) -> None:
    _, text = seed(outlet)
    given = datetime(2022, 3, 1, 9, 30, tzinfo=ZoneInfo("UTC"))
    _, article = route_and_parse(RawDocument(text=text, published_at=given))
    assert (article.published_at, article.published_at_origin) == (given, "metadata")


@pytest.mark.parametrize("slug", sorted(SLUG_BY_OUTLET.values()))
def test_no_other_outlet_claims_an_outlets_documents(slug: str) -> None:
    """Signatures are the outlet's own: no other plugin scores any of its documents."""
    sources = get_sources()
    for text in outlet_samples(slug):
        raw = RawDocument(text=text)
        claims = {s: src.match(raw) for s, src in sources.items() if s not in (slug, "generic")}
        assert all(score == 0 for score in claims.values()), claims
