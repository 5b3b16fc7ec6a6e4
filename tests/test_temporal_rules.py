"""Resolution rules on news sentences (many adapted from TimeBank documents)."""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from timeline_service.temporal import (
    Interval,
    TemporalExpression,
    find_temporal_expressions,
    infer_publication_date,
)
from timeline_service.temporal.calendar_math import dateparser_year
from timeline_service.temporal.dates import PREFER_BY_TENSE, parse_calendar


def one(text: str, published: date | datetime | None, phrase: str, **kw) -> TemporalExpression:
    """The expression whose span covers ``phrase`` (which must be found)."""
    at = text.index(phrase)
    hits = [
        e
        for e in find_temporal_expressions(text, published, **kw)
        if e.start < at + len(phrase) and at < e.end
    ]
    assert len(hits) == 1, (phrase, hits)
    return hits[0]


def values(text: str, published: date | None, **kw) -> list[tuple[str, str | None]]:
    return [(e.text, e.value) for e in find_temporal_expressions(text, published, **kw)]


THU_1989 = date(1989, 10, 26)  # a Thursday
MON_1989 = date(1989, 10, 30)


@pytest.mark.parametrize(
    ("text", "published", "phrase", "value"),
    [
        # Weekdays follow the clause's tense.
        ("The Nasdaq Composite Index tumbled 5.39 on Friday.", MON_1989, "Friday", "1989-10-27"),
        (
            "The monarch will meet Bush on Thursday in Maine.",
            date(1990, 8, 15),
            "Thursday",
            "1990-08-16",
        ),
        (
            "Sony's acquisition is scheduled to close Monday.",
            date(1989, 11, 2),
            "Monday",
            "1989-11-06",
        ),
        ("It had been due to expire Friday evening.", MON_1989, "Friday evening", "1989-10-27TEV"),
        ("Stocks fell sharply last Friday.", MON_1989, "last Friday", "1989-10-27"),
        ("The talks resume next Tuesday.", THU_1989, "next Tuesday", "1989-10-31"),
        # Year-less dates: tense, or the nearest when the date is a deadline.
        (
            "The increased dividend will be paid Dec. 14 to holders of record Nov. 15.",
            THU_1989,
            "Dec. 14",
            "1989-12-14",
        ),
        ("A rival bid was extended to Nov. 16.", MON_1989, "Nov. 16", "1989-11-16"),
        ("The thrift announced the plan Aug. 21.", date(1989, 10, 27), "Aug. 21", "1989-08-21"),
        (
            "U.S. Trust created an office of the chairman, effective Feb. 1.",
            THU_1989,
            "Feb. 1",
            "1990-02-01",
        ),
        (
            "Its ratio of tangible equity to total assets as of Sept. 30 was 3.6%.",
            THU_1989,
            "Sept. 30",
            "1989-09-30",
        ),
        # Months.
        (
            "The company said it expects to release results in mid-November.",
            date(1989, 10, 27),
            "mid-November",
            "1989-11",
        ),
        (
            "The stock split would be paid on a still unspecified date in January.",
            THU_1989,
            "January",
            "1990-01",
        ),
        (
            "Helicopters crashed en route to Lebanon last February.",
            date(1998, 3, 1),
            "last February",
            "1997-02",
        ),
        ("Last August the index peaked.", date(1991, 2, 25), "Last August", "1990-08"),
        (
            "In July last year Hun Sen staged a coup.",
            date(1998, 2, 19),
            "July last year",
            "1997-07",
        ),
        # Years, decades, centuries, seasons, quarters.
        ("The fund has doubled its profits annually since 1980.", MON_1989, "1980", "1980"),
        ("Profit fell in fiscal 1988.", date(1989, 11, 2), "fiscal 1988", "1988"),
        ("It was a collapse unseen since the 1930s.", MON_1989, "the 1930s", "193X"),
        ("Growth slowed in the mid-1990s.", date(1998, 2, 1), "the mid-1990s", "199X"),
        (
            "Glass making flourished in the 11th century.",
            date(1998, 1, 21),
            "the 11th century",
            "10XX",
        ),
        ("The survey was taken last spring.", THU_1989, "last spring", "1989-SP"),
        ("Sales rose in the third quarter.", date(1989, 11, 2), "the third quarter", "1989-Q3"),
        ("Third-quarter profit fell 5%.", date(1989, 11, 2), "Third-quarter", "1989-Q3"),
        (
            "Earnings should recover in the first quarter.",
            date(1989, 11, 2),
            "the first quarter",
            "1990-Q1",
        ),
        (
            "It lost money in the fourth quarter of 1990.",
            date(1991, 2, 25),
            "the fourth quarter of 1990",
            "1990-Q4",
        ),
        # Relative units and offsets from the publication day.
        ("The bank raised its rates last week.", date(1989, 10, 27), "last week", "1989-W42"),
        (
            "A CNN team visited the border earlier this week.",
            date(2023, 2, 16),
            "earlier this week",
            "2023-W07",
        ),
        ("Prices rose 4% last year.", date(1998, 1, 8), "last year", "1997"),
        ("Inflation will ease next month.", date(1998, 1, 8), "next month", "1998-02"),
        ("The index fell five months ago.", date(1998, 3, 22), "five months ago", "1997-10"),
        ("He left two weeks ago.", date(1998, 3, 22), "two weeks ago", "1998-W10"),
        ("The plant opened 10 days ago.", date(1998, 3, 22), "10 days ago", "1998-03-12"),
        ("A year ago the company was profitable.", date(1989, 11, 2), "A year ago", "1988"),
        ("Shares rose yesterday.", date(1989, 11, 2), "yesterday", "1989-11-01"),
        ("Shares will open tomorrow.", date(1989, 11, 2), "tomorrow", "1989-11-03"),
        ("The vote is tonight.", date(1998, 3, 3), "tonight", "1998-03-03TNI"),
        ("Ministers met this morning.", date(1998, 3, 3), "this morning", "1998-03-03TMO"),
        ("The offer was raised late yesterday.", date(1989, 11, 2), "late yesterday", "1989-11-01"),
        # Absolute dates.
        (
            "The acquisition was terminated on Sept. 27, 1989.",
            date(1989, 11, 2),
            "Sept. 27, 1989",
            "1989-09-27",
        ),
        ("The meeting on 24 February 2022 was short.", None, "24 February 2022", "2022-02-24"),
        ("The deal closed on 2/24/2022.", None, "2/24/2022", "2022-02-24"),
        (
            "In nineteen ninety-one Charles Keating was convicted.",
            date(1998, 1, 15),
            "nineteen ninety-one",
            "1991",
        ),
        (
            "The promise to halve unemployment by the year two thousand.",
            date(1998, 2, 5),
            "the year two thousand",
            "2000",
        ),
        # Durations, sets, references.
        ("Volume fell over the past three months.", None, "the past three months", "P3M"),
        (
            "In the last twenty four hours the market fell.",
            None,
            "the last twenty four hours",
            "PT24H",
        ),
        ("The plan covers two years.", None, "two years", "P2Y"),
        ("It lasted several weeks.", None, "several weeks", "PXW"),
        ("He signed a two-year contract.", None, "two-year", "P2Y"),
        ("Dividends are paid every month.", None, "every month", "P1M"),
        ("Sales grow 8% annually.", None, "annually", "P1Y"),
        ("Flights leave each Thursday.", None, "each Thursday", "XXXX-WXX-4"),
        ("The market is now in turmoil.", None, "now", "PRESENT_REF"),
        ("He recently resigned.", None, "recently", "PAST_REF"),
        ("Rates may fall in the near future.", None, "the near future", "FUTURE_REF"),
    ],
)
def test_resolves(text: str, published: date | None, phrase: str, value: str) -> None:
    assert one(text, published, phrase).value == value


@pytest.mark.parametrize(
    ("text", "phrase", "type_"),
    [
        ("The plan covers two years.", "two years", "DURATION"),
        ("Dividends are paid every month.", "every month", "SET"),
        ("Ministers met this morning.", "this morning", "TIME"),
        ("Sales rose in the third quarter.", "the third quarter", "DATE"),
    ],
)
def test_types(text: str, phrase: str, type_: str) -> None:
    assert one(text, date(1998, 3, 3), phrase).type == type_


@pytest.mark.parametrize(
    "text",
    [
        "We are not going to get involved.",
        "The minister may resign if the talks fail.",
        "Protesters march on the capital every year.",  # only "every year" is temporal
        "April Smith and June Carter joined the board.",
        "Tu-22 bombers used Belarusian airspace.",
        "The border is 1,000 kilometers long and the budget rose by $650 million.",
        "About 2000 troops crossed the border, a 12% rise.",
        "Mr. Schwarz, 52 years old, will succeed Mr. Davison.",
        "Magna recently cut its quarterly dividend in half.",  # only "recently" is temporal
        "The chip runs at 15 million instructions per second.",
        "An Orion 1980 rocket stood on the pad.",
    ],
)
def test_look_alikes_are_not_dates(text: str) -> None:
    found = find_temporal_expressions(text, date(2023, 2, 16))
    assert all(e.text in ("every year", "recently") for e in found), found


def test_march_and_may_as_months_need_a_date_context() -> None:
    text = "Talks resume in May, and the march on March 3 will draw crowds."
    assert values(text, date(2023, 2, 16)) == [("May", "2023-05"), ("March 3", "2023-03-03")]


def test_range_keeps_one_span_and_covers_all_days() -> None:
    text = "The summit runs Sept. 17-19 in Minsk."
    e = one(text, date(2022, 9, 1), "Sept. 17-19")
    assert e.value == "2022-09-17"
    assert e.interval == Interval(
        datetime(2022, 9, 17, tzinfo=UTC), datetime(2022, 9, 20, tzinfo=UTC)
    )


def test_nov_16_is_not_split_at_the_period() -> None:
    assert values("The offer was extended to Nov. 16.", date(1989, 10, 30)) == [
        ("Nov. 16", "1989-11-16")
    ]


def test_weekday_said_on_the_publication_day_is_that_day() -> None:
    text = "Lukashenko said Thursday that his army is not taking part."
    assert one(text, date(2022, 2, 24), "Thursday").value == "2022-02-24"


def test_future_weekday_named_on_that_weekday_is_the_same_day() -> None:
    assert one("He will speak on Friday.", date(2023, 2, 17), "Friday").value == "2023-02-17"


def test_explicit_zone_sets_the_offset() -> None:
    text = "Dow Jones extended its offer until 5 p.m. EST, Nov. 6."
    e = one(text, date(1989, 10, 30), "5 p.m.")
    assert (e.value, e.utc_offset, e.timezone) == ("1989-11-06T17:00", "-05:00", "EST")
    assert e.interval is not None
    assert e.interval.start == datetime(1989, 11, 6, 22, 0, tzinfo=UTC)


def test_caller_zone_interprets_local_clock_times_and_days() -> None:
    text = "The call took place at 10:30 p.m. on Thursday."
    e = one(text, date(2022, 2, 24), "10:30 p.m.", timezone="America/New_York")
    assert (e.value, e.utc_offset) == ("2022-02-24T22:30", "-05:00")
    assert e.interval is not None
    assert e.interval.start == datetime(2022, 2, 25, 3, 30, tzinfo=UTC)
    text = "The senator spoke on Thursday."
    day = one(text, date(2022, 2, 24), "Thursday", timezone="America/New_York")
    assert day.interval == Interval(
        datetime(2022, 2, 24, 5, 0, tzinfo=UTC), datetime(2022, 2, 25, 5, 0, tzinfo=UTC)
    )


def test_aware_publication_moment_is_read_in_the_document_zone() -> None:
    # 23:30 UTC on the 23rd is already the 24th in Minsk.
    published = datetime(2022, 2, 23, 23, 30, tzinfo=UTC)
    e = one("Troops crossed the border today.", published, "today", timezone="Europe/Minsk")
    assert e.value == "2022-02-24"


def test_hours_ago_uses_the_publication_moment_when_known() -> None:
    published = datetime(2022, 2, 24, 9, 0, tzinfo=timezone(timedelta(hours=3)))
    e = one(
        "Shelling began three hours ago.", published, "three hours ago", timezone="Europe/Minsk"
    )
    assert (e.type, e.value) == ("TIME", "2022-02-24T06:00")


def test_without_publication_date_relative_expressions_stay_unresolved() -> None:
    text = "On Thursday, last year's talks resumed; two weeks ago, on February 24, 2022, it began."
    got = {e.text: (e.value, e.interval, e.anchored) for e in find_temporal_expressions(text, None)}
    assert got["Thursday"] == (None, None, True)
    assert got["last year"][0] is None
    assert got["two weeks ago"][0] is None
    assert got["February 24, 2022"][0] == "2022-02-24"
    assert got["February 24, 2022"][2] is False


def test_naive_datetime_is_taken_in_the_document_zone() -> None:
    e = one("Shares rose yesterday.", datetime(1989, 11, 2, 16, 0), "yesterday", timezone="UTC")
    assert e.value == "1989-11-01"


@pytest.mark.parametrize(
    ("text", "not_after", "expected"),
    [
        (
            "Lukashenko told the media in Minsk on Thursday, February 24, BelTA has learned.",
            date(2026, 1, 1),
            date(2022, 2, 24),
        ),
        ("The vote is set for Saturday, April 25.", date(1998, 12, 31), date(1998, 4, 25)),
        ("The ceremony was held on Monday, 3 March 2008.", date(2024, 1, 1), date(2008, 3, 3)),
        ("It happened on Friday, February 24, 2022.", date(2024, 1, 1), None),  # not a Friday
        ("It happened on Thursday, February 24.", date(2022, 2, 23), date(2011, 2, 24)),
        ("No weekday pins anything on February 24.", date(2024, 1, 1), None),
    ],
)
def test_infer_publication_date(text: str, not_after: date, expected: date | None) -> None:
    assert infer_publication_date(text, not_after=not_after) == expected


def test_year_back_comparison_in_a_quarterly_report_is_that_quarter() -> None:
    text = (
        "Net income rose 12% in the third quarter. A year earlier the company earned "
        "$5 million, and year-earlier sales were lower."
    )
    got = values(text, date(1989, 10, 26))
    assert got == [
        ("the third quarter", "1989-Q3"),
        ("A year earlier", "1988-Q3"),
        ("year-earlier", "1988-Q3"),
    ]


def test_year_back_without_a_quarter_is_the_previous_year() -> None:
    assert values("A year ago the plant was idle.", date(1989, 10, 26)) == [("A year ago", "1988")]


@pytest.mark.parametrize(
    ("text", "phrase", "type_", "value"),
    [
        ("Revenue was $76 million for the year ended March 31.", "the year", "DURATION", "P1Y"),
        ("Sales for the full year were $6.6 billion.", "the full year", "DATE", "1989"),
        ("He blamed current market conditions.", "current", "DATE", "PRESENT_REF"),
        ("Shares rose in recent days.", "recent days", "DATE", "PAST_REF"),
        ("The stock has fluctuated since March.", "March", "DATE", "1989-03"),
    ],
)
def test_news_phrases(text: str, phrase: str, type_: str, value: str) -> None:
    e = one(text, date(1989, 10, 30), phrase)
    assert (e.type, e.value) == (type_, value)


@pytest.mark.parametrize(
    ("text", "published", "phrase", "value"),
    [
        ("Celebrations on Victory Day were cancelled.", date(2023, 3, 15), "Victory Day",
         "2022-05-09"),
        ("Parades are planned for Victory Day.", date(2023, 3, 15), "Victory Day", "2023-05-09"),
        ("He will visit at Thanksgiving.", date(2023, 3, 15), "Thanksgiving", "2023-11-23"),
        ("Easter falls late.", date(2023, 3, 15), "Easter", "2023-04-09"),
        ("Last Christmas was quiet.", date(2023, 3, 15), "Last Christmas", "2022-12-25"),
        ("Talks on Feb. 3 failed, and the next day a ceasefire collapsed.", date(2023, 3, 15),
         "the next day", "2023-02-04"),
        ("Officials hope to finish by the end of the year.", date(2023, 3, 15),
         "the end of the year", "2023"),
    ],
)  # fmt: skip
def test_holidays_and_narrative_days(text: str, published: date, phrase: str, value: str) -> None:
    assert one(text, published, phrase).value == value


def test_part_of_day_takes_the_day_under_discussion_but_not_habits() -> None:
    text = "On Friday, dealers placed heavy buy orders in the morning. I always run in the morning."
    assert values(text, date(1989, 10, 30)) == [
        ("Friday", "1989-10-27"),
        ("the morning", "1989-10-27TMO"),
    ]


def test_reported_quarter_anchors_year_back_comparisons() -> None:
    text = (
        "Third-quarter profit rose, up from the second quarter. "
        "The year-ago period included a gain."
    )
    assert values(text, date(1989, 10, 26))[-1] == ("The year-ago period", "1988-Q3")


def test_a_unit_or_two_is_vague() -> None:
    text = "It may change in a year or two. He stayed for a day or two."
    got = [(e.text, e.type, e.value) for e in find_temporal_expressions(text, date(1998, 3, 31))]
    assert got == [("a year or two", "DATE", "FUTURE_REF"), ("a day or two", "DURATION", "PXD")]


def test_then_refers_to_the_last_named_date() -> None:
    text = (
        "The offer ends on Nov. 30. Until then, shares trade. It began in 1985. "
        "Since then, it grew."
    )
    assert values(text, date(1989, 10, 30)) == [
        ("Nov. 30", "1989-11-30"),
        ("then", "1989-11-30"),
        ("1985", "1985"),
        ("then", "1985"),
    ]


def test_modal_one_day_is_an_indefinite_future() -> None:
    text = "Islam will one day be the second largest religion in America."
    assert values(text, date(1998, 3, 3)) == [("one day", "FUTURE_REF")]


def test_end_of_period_sets_the_mod() -> None:
    e = one("Officials hope to finish by the end of the year.", date(2023, 3, 15), "the year")
    assert e.mod == "END"


def test_current_account_is_not_a_time_reference() -> None:
    assert values("The current account deficit widened.", date(1989, 10, 30)) == []


def test_unknown_language_falls_back_to_english_normalisation() -> None:
    e = one("He will arrive on February 24.", date(2023, 2, 16), "February 24", language="xx")
    assert e.value == "2023-02-24"


def test_infer_accepts_a_datetime_bound() -> None:
    text = "on Thursday, February 24"
    assert infer_publication_date(text, not_after=datetime(2023, 1, 1, 12, 0)) == date(2022, 2, 24)


def test_concurrent_calls_agree() -> None:
    texts = [
        ("Putin will meet Lukashenko on Friday, after talks on Feb. 24.", date(2023, 2, 16)),
        ("Shares fell Friday and will recover in January.", date(1989, 10, 30)),
    ] * 20
    expected = [values(t, d) for t, d in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda td: values(*td), texts))
    assert got == expected


@pytest.mark.parametrize("anchor", [date(2023, 6, 15), date(2024, 2, 29), date(2023, 2, 28),
                                    date(2024, 12, 31), date(2100, 3, 1)])  # fmt: skip
def test_the_year_of_a_month_and_day_is_the_one_dateparser_gives(anchor: date) -> None:
    """``dateparser_year`` computes what dateparser answers for "February 24" with a
    relative base and a preference, on month ends, leap days and the anchor's own days."""
    days = {(m, d) for m in range(1, 13) for d in (1, 13, 28, 29, 30, 31)}
    days |= {((anchor + timedelta(days=k)).month, (anchor + timedelta(days=k)).day)
             for k in (-1, 0, 1)}  # fmt: skip
    names = [date(2000, m, 1).strftime("%B") for m in range(1, 13)]
    for (month, day), tense in itertools.product(sorted(days), ("past", "future", None)):
        parsed = parse_calendar(f"{names[month - 1]} {day}", "en", anchor, tense)
        expected = (
            parsed[0].year if parsed and (parsed[0].month, parsed[0].day) == (month, day) else None
        )
        prefer = PREFER_BY_TENSE.get(tense or "", "current_period")
        assert dateparser_year(anchor, month, day, prefer) == expected, (month, day, tense)
