"""Another article from each outlet, in the outlet's format: the plugins are for the outlet."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from plugin_helpers import article_text, body_has, route_and_parse

from timeline_service.conformance import leaks
from timeline_service.sdk.article import RawDocument


def parse(name: str, **hints: object) -> tuple[str, object]:
    return route_and_parse(RawDocument(text=article_text(name), **hints))


def test_moscow_times_article() -> None:
    slug, a = parse("moscow_times_kaliningrad.txt")
    assert slug == "moscow-times"
    assert a.title == "Lithuania Restricts Rail Transit of Sanctioned Goods to Kaliningrad"
    assert a.published_at == datetime(2022, 6, 20, tzinfo=ZoneInfo("Europe/Moscow"))
    assert a.published_at_origin == "text"
    assert a.paragraphs[0].startswith("Lithuania has begun blocking the rail transit")
    assert a.paragraphs[-1] == (
        "Kaliningrad, home to Russia's Baltic Fleet, is sandwiched between EU members "
        "Lithuania and Poland."
    )
    for junk in ("AFP contributed reporting.", "Read more about:", "Continue", "Dear readers,"):
        assert not body_has(a, junk)
    assert leaks(a) == []


def test_free_russia_forum_article() -> None:
    slug, a = parse("free_russia_forum_mobilization.txt")
    assert slug == "free-russia-forum"
    assert a.title == "Putin signs law on electronic draft notices"
    assert a.published_at == datetime(2023, 4, 12, tzinfo=ZoneInfo("Europe/Vilnius"))
    assert a.paragraphs[0].startswith("Vladimir Putin has signed a law")
    assert a.paragraphs[-1].endswith("for men of military age.")
    assert not body_has(a, "Home / News /")
    assert not body_has(a, "12.04.2023")


def test_free_russia_forum_title_from_breadcrumb_when_the_top_lost_it() -> None:
    text = article_text("free_russia_forum_mobilization.txt").split("\n", 2)[2]
    _, a = route_and_parse(RawDocument(text=text, source="free-russia-forum"))
    assert a.title == "Putin signs law on electronic draft notices"


def test_panarmenian_article() -> None:
    slug, a = parse("panarmenian_washington_talks.txt")
    assert slug == "panarmenian"
    assert a.title == "Armenia, Azerbaijan foreign ministers to meet in Washington"
    assert a.paragraphs[0].startswith("The foreign ministers of Armenia and Azerbaijan")
    assert a.paragraphs[-1].endswith("a gross violation of the 2020 ceasefire statement.")
    for junk in (
        "PanARMENIAN.Net",
        "Pashinyan will visit Moscow",
        "retirement age",
        "Partner news",
    ):
        assert not body_has(a, junk)
    assert len(a.paragraphs) == 5


def test_republic_world_article() -> None:
    slug, a = parse("republic_world_g20.txt")
    assert slug == "republic-world"
    assert a.title.startswith("India's G20 Summit")
    assert a.byline == "Digital Desk"
    assert a.published_at == datetime(2023, 9, 9, tzinfo=ZoneInfo("Asia/Kolkata"))
    assert a.paragraphs[0].startswith("In a major diplomatic win for India")
    assert a.paragraphs[-1].endswith('with a session on "One Future".')
    for junk in (
        "(Image:",
        "Also Read |",
        "African Union becomes permanent member",
        "historic moment",
    ):
        assert not body_has(a, junk)
    assert len(a.paragraphs) == 4


def test_cnn_article_from_cnn_itself() -> None:
    slug, a = parse("cnn_xi_moscow.txt")
    assert slug == "cnn"
    assert a.byline == "Simone McCarthy and Anna Chernova, CNN"
    assert a.dateline == "Moscow"
    assert a.timezone == "Europe/Moscow"
    # The page prints the time in US Eastern: that is when it was published.
    assert a.published_at == datetime(2023, 3, 20, 8, 14, tzinfo=ZoneInfo("America/New_York"))
    assert a.paragraphs[0].startswith("Chinese leader Xi Jinping arrived in Moscow on Monday")
    assert a.paragraphs[-1].endswith("even as it has refused to condemn the invasion.")
    assert len(a.captions) == 1 and a.captions[0].startswith("Chinese leader Xi Jinping walks past")
    for junk in (
        "(CNN)",
        "Ad Feedback",
        "Related article",
        "contributed reporting",
        "Getty Images",
    ):
        assert not body_has(a, junk)


def test_cnn_repost_with_other_aggregator_junk() -> None:
    """Another aggregator: a different banner, a chat widget, no "(CNN)" tag."""
    text = "\n\n".join(
        [
            "Ukraine says it shot down Russian drones over Kyiv overnight",
            "World News Daily Hub",
            "Kyiv, Ukraine",
            "Ukraine's air defenses shot down more than two dozen Russian drones over the capital "
            "overnight, the city's military administration said Tuesday.",
            "Residents told CNN they were woken by explosions shortly after 2 a.m.",
            "A CNN team in the city heard at least six blasts.",
            "Source link",
            "World News Daily Hub",
            "Chat with us, we are online!",
        ]
    )
    slug, a = route_and_parse(RawDocument(text=text))
    assert slug == "cnn"
    assert a.dateline == "Kyiv, Ukraine" and a.timezone == "Europe/Kyiv"
    assert a.paragraphs[-1] == "A CNN team in the city heard at least six blasts."
    assert not body_has(a, "World News Daily Hub")
    assert not body_has(a, "Chat with us")


def test_unknown_outlet_goes_to_generic() -> None:
    text = (
        "Poland to build fence on Belarus border\n\n"
        "WARSAW (Reuters) - Poland will build a fence along its border with Belarus, the "
        "defence minister said on Monday.\n\nWork is expected to start next month."
    )
    slug, a = route_and_parse(RawDocument(text=text))
    assert slug == "generic"
    assert a.title == "Poland to build fence on Belarus border"
    assert a.dateline == "Warsaw"
    assert a.timezone == "Europe/Warsaw"
    assert a.paragraphs[0].startswith("Poland will build a fence")


def test_generic_html_uses_trafilatura_metadata() -> None:
    html = (
        "<html><head><title>Belarus holds drills | Example News</title>"
        '<meta property="article:published_time" content="2023-02-16T10:00:00Z">'
        '<meta name="author" content="Jane Doe"></head><body>'
        "<nav><a href='/'>Home</a> | <a href='/world'>World</a></nav><article>"
        "<h1>Belarus holds snap military drills</h1>"
        "<p>Belarus began snap military drills near its western border on Thursday, "
        "the defence ministry said in a statement.</p>"
        "<p>The exercises will last until Saturday and involve about 5,000 troops, the "
        "ministry said, without giving further details.</p></article>"
        "<footer><p>Subscribe to our newsletter for the latest updates every morning.</p>"
        "</footer></body></html>"
    )
    slug, a = route_and_parse(RawDocument(html=html, url="https://news.example.org/belarus"))
    assert slug == "generic"
    assert a.title == "Belarus holds snap military drills"
    assert a.byline == "Jane Doe"
    assert a.published_at is not None and a.published_at.date().isoformat() == "2023-02-16"
    assert a.paragraphs[0].startswith("Belarus began snap military drills")
    assert not body_has(a, "Subscribe") and not body_has(a, "Home")


def test_outlet_html_goes_through_trafilatura_then_outlet_rules() -> None:
    html = (
        "<html><body><article><h1>Kremlin says talks stalled</h1>"
        "<p>The Kremlin said on Tuesday that peace talks with Kyiv had stalled.</p>"
        "<p>Spokesman Dmitry Peskov blamed Ukraine for the lack of progress in the talks.</p>"
        "<p>A Message from The Moscow Times:</p>"
        "<p>Dear readers, we need your support to keep reporting from Russia.</p>"
        "</article></body></html>"
    )
    url = "https://www.themoscowtimes.com/2022/05/17/kremlin-says-talks-stalled-a77701"
    slug, a = route_and_parse(RawDocument(html=html, url=url))
    assert slug == "moscow-times"
    assert a.paragraphs[-1].startswith("Spokesman Dmitry Peskov")
    assert not body_has(a, "Dear readers")
    assert a.published_at == datetime(2022, 5, 17, tzinfo=ZoneInfo("Europe/Moscow"))


def test_cnn_lead_in_the_current_style() -> None:
    text = (
        "Ukraine says it shot down Russian drones over Kyiv\n"
        "Kyiv, Ukraine CNN — Ukraine’s air defenses shot down more than two dozen Russian drones "
        "over the capital overnight, the city’s military administration said Tuesday.\n"
        "Residents told CNN they were woken by explosions shortly after 2 a.m."
    )
    slug, a = route_and_parse(RawDocument(text=text))
    assert slug == "cnn"
    assert a.dateline == "Kyiv, Ukraine"
    assert a.paragraphs[0].startswith("Ukraine’s air defenses shot down")


def test_free_russia_forum_russian_page() -> None:
    text = (
        "Путин подписал закон об электронных повестках\n\n"
        "Владимир Путин подписал закон об электронных повестках, сообщает портал правовой "
        "информации.\n\n"
        "Повестка будет считаться врученной через семь дней после размещения в личном кабинете.\n\n"
        "Главная / Новости / Россия / Путин подписал закон об электронных повестках"
    )
    slug, a = route_and_parse(RawDocument(text=text))
    assert slug == "free-russia-forum"
    assert a.language == "ru"
    assert a.title == "Путин подписал закон об электронных повестках"
    assert a.paragraphs[-1].startswith("Повестка будет считаться")
