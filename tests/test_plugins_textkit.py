"""The plugin author's helpers, on the shapes of text real pages have."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from timeline_service.sdk import textkit
from timeline_service.sdk.article import ParseError, RawDocument
from timeline_service.temporal.places import CITY_ZONES, zone_for_place


def test_crawl_header_on_the_first_paragraphs_line() -> None:
    header, rest = textkit.split_crawl_header(" date 2022-02-24 As Russia wages war")
    assert header is not None and header.value == date(2022, 2, 24)
    assert header.line == "date 2022-02-24"
    assert rest == "As Russia wages war"


def test_crawl_header_with_time_and_on_its_own_line() -> None:
    header, rest = textkit.split_crawl_header("date 2023-02-16T10:15:00+00:00\nKyiv said")
    assert header is not None and header.value == datetime.fromisoformat(
        "2023-02-16T10:15:00+00:00"
    )
    assert rest == "Kyiv said"


@pytest.mark.parametrize(
    "text",
    ["The date 2022-02-24 was a Thursday.", "date 2022-13-45 nonsense", "update 2022-02-24 x"],
)
def test_no_crawl_header(text: str) -> None:
    assert textkit.split_crawl_header(text) == (None, text)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("February 24, 2022", textkit.When(date(2022, 2, 24))),
        ("Feb. 24, 2022", textkit.When(date(2022, 2, 24))),
        ("24.02.2022", textkit.When(date(2022, 2, 24))),
        ("2022-02-24", textkit.When(date(2022, 2, 24))),
        (
            "Last Updated: 24th February, 2022 15:37 IST",
            textkit.When(date(2022, 2, 24), time(15, 37), "IST"),
        ),
        (
            "Updated 10:15 AM EST, Thu February 16, 2023",
            textkit.When(date(2023, 2, 16), time(10, 15), "EST"),
        ),
        (
            "February 24, 2022 - 13:14 AMT",
            textkit.When(date(2022, 2, 24), time(13, 14), "AMT"),
        ),
        (
            "Updated 1:05 PM EDT, Mon March 20, 2023",
            textkit.When(date(2023, 3, 20), time(13, 5), "EDT"),
        ),
    ],
)
def test_date_lines(line: str, expected: textkit.When) -> None:
    assert textkit.parse_date_line(line) == expected


@pytest.mark.parametrize(
    ("line", "offset"),
    [
        ("Updated 10:15 AM EST, Thu February 16, 2023", "-05:00"),
        ("Updated 10:15 AM EST, Thu July 13, 2023", "-05:00"),  # EST is -5 all year
        ("Updated 1:05 PM EDT, Mon March 20, 2023", "-04:00"),
        ("Updated 10:15 AM ET, Thu July 13, 2023", "-04:00"),  # a region follows DST
        ("Last Updated: 24th February, 2022 15:37 IST", "+05:30"),
        ("February 24, 2022 - 13:14 AMT", "+04:00"),
    ],
)
def test_a_printed_zone_means_what_the_date_engine_reads(line: str, offset: str) -> None:
    """One table of zone abbreviations: a stamp under the headline and a time in the text
    ("5:00 a.m. EST") read the same abbreviation the same way."""
    from timeline_service.temporal.zones import zone_from_text

    when = textkit.parse_date_line(line)
    assert when is not None and when.zone is not None
    moment = when.to_datetime("UTC")
    assert moment.isoformat().endswith(offset)
    in_text = zone_from_text(when.zone, default=moment.tzinfo)  # type: ignore[arg-type]
    assert in_text is not None and in_text.utcoffset(moment.replace(tzinfo=None)) == (
        moment.utcoffset()
    )


@pytest.mark.parametrize(
    "line",
    [
        "Russian troops launched the invasion on February 24, crossing into Ukraine.",
        "In July 2022, the Belarusian president acknowledged it.",
        "February 30, 2022",
        "Home / News / In the world",
    ],
)
def test_not_date_lines(line: str) -> None:
    assert textkit.parse_date_line(line) is None


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://www.themoscowtimes.com/2022/02/24/belarus-says-a76564", date(2022, 2, 24)),
        ("https://www.forumfreerussia.org/en/news-en/2023-08-22/lukashenko", date(2023, 8, 22)),
        ("https://www.cnn.com/2023/02/16/europe/belarus-intl", date(2023, 2, 16)),
        ("http://www.panarmenian.net/eng/news/298676/", None),
        (None, None),
    ],
)
def test_date_from_url(url: str | None, day: date | None) -> None:
    assert textkit.date_from_url(url) == day


def test_standalone_and_lead_datelines() -> None:
    assert textkit.parse_dateline("Minsk, Belarus") == "Minsk, Belarus"
    assert textkit.parse_dateline("MOSCOW") == "Moscow"
    assert textkit.parse_dateline("Digital Marketing Aganecy") is None
    assert textkit.parse_dateline("Minsk said Putin called.") is None
    lead = textkit.split_lead_dateline("MINSK, Belarus (CNN) — Belarus said on Thursday ...")
    assert lead is not None
    assert (lead.place, lead.agency, lead.rest) == (
        "Minsk, Belarus",
        "CNN",
        "Belarus said on Thursday ...",
    )
    belta = textkit.split_lead_dateline("MINSK, 24 February (BelTA) - Belarus will not ...")
    assert belta is not None and (belta.place, belta.when) == ("Minsk", "24 February")
    assert textkit.split_lead_dateline("Belarus - not for the first time - said no.") is None
    assert textkit.split_lead_dateline("Ukraine's border guards said Thursday - again.") is None


def test_places() -> None:
    assert zone_for_place("Minsk") == "Europe/Minsk"
    assert zone_for_place("KIEV") == zone_for_place("Kyiv") == "Europe/Kyiv"
    assert zone_for_place("Washington, D.C.") == "America/New_York"
    assert zone_for_place("Moscow region") is None
    assert zone_for_place("Atlantis") is None
    for zone in set(CITY_ZONES.values()):
        assert textkit.valid_zone(zone), zone


def test_headings_captions_titles() -> None:
    assert textkit.looks_like_heading("Lukashenko hold talks with Putin")
    assert textkit.looks_like_heading("'Belarus is currently unaffected by any external threats'")
    assert not textkit.looks_like_heading("He said no.")
    assert not textkit.looks_like_heading('"We will not," he said."')
    assert textkit.looks_like_caption(
        "A Belarusian border guard patrols near the Divin border crossing point between "
        "Belarus and Ukraine on Wednesday."
    )
    for body in (
        "Belarusian officials told CNN the border crossing from their side is still functioning.",
        "A CNN team visited Belarus’s southwest border near northwest Ukraine earlier this week.",
        "Lukashenko continued to say Thursday that Russia has “never asked” him to start a war.",
        "Belarus and Russia have engaged in joint military drills near the border.",
        "Russia holds about a fifth of Ukraine's territory.",
        "Putin will meet with Lukashenko in the Moscow region on Friday.",
    ):
        assert not textkit.looks_like_caption(body), body
    assert textkit.looks_like_caption(
        "Ukrainian servicemen ride a tank near Bakhmut, Ukraine, on March 5, 2023."
    )
    assert textkit.looks_like_title("Belarus says not going to get involved in Russia-Ukraine war")
    assert not textkit.looks_like_title(
        "Putin launched the offensive in the early hours of Thursday."
    )


def test_bylines() -> None:
    assert textkit.parse_byline("By Simone McCarthy and Anna Chernova, CNN") == (
        "Simone McCarthy and Anna Chernova, CNN"
    )
    assert textkit.parse_byline("Written By: Digital Desk") == "Digital Desk"
    assert (
        textkit.parse_byline("By supporting The Moscow Times, you're defending open journalism.")
        is None
    )


def test_strip_aggregator() -> None:
    lines = [
        "Title here",
        "Banner Co",
        "Minsk, Belarus",
        "Body sentence one is here.",
        "Body two is here.",
        "Source link",
        "Banner Co",
        "Hi, how can I help?",
    ]
    kept, removed = textkit.strip_aggregator(lines)
    assert kept == [
        "Title here",
        "Minsk, Belarus",
        "Body sentence one is here.",
        "Body two is here.",
    ]
    assert set(removed) == {"Banner Co", "Source link", "Hi, how can I help?"}


def test_cut_helpers() -> None:
    lines = ["a", "b", "MARK", "c", "END", "d"]
    assert textkit.cut_from(lines, "MARK") == (["a", "b"], ["MARK", "c", "END", "d"])
    assert textkit.cut_between(lines, "MARK", "END") == (["a", "b", "d"], ["MARK", "c", "END"])
    assert textkit.cut_from(lines, "NONE") == (lines, [])


def test_split_paragraphs_joins_hard_wrapped_text_only() -> None:
    wrapped = (
        "Belarus said on Thursday that its\ntroops would not take part in\nthe war.\n\nSecond one."
    )
    assert textkit.split_paragraphs(wrapped) == [
        "Belarus said on Thursday that its troops would not take part in the war.",
        "Second one.",
    ]
    lined = "First paragraph is a full sentence.\nSecond paragraph is another sentence."
    assert textkit.split_paragraphs(lined) == lined.split("\n")


@pytest.mark.parametrize("text", ["", " \n\t", "\x00\x01\x02" * 30, "*** --- 123 ###"])
def test_read_rejects_empty_and_garbage(text: str) -> None:
    with pytest.raises(ParseError):
        textkit.read(RawDocument(text=text))


def test_read_normalizes_odd_spaces() -> None:
    page = textkit.read(RawDocument(text="Body one is a sentence.\r\n\u00a0Top stories\u200b\r\n"))
    assert page.lines == ["Body one is a sentence.", "Top stories"]
