"""General English-news reading rules: fronted time adverbials, year-less dates
just after publication in a past-tense clause, fractional durations."""

from __future__ import annotations

from datetime import date

import pytest

from timeline_service.temporal import find_temporal_expressions


def _value(text: str, published: date, phrase: str) -> str | None:
    (e,) = [e for e in find_temporal_expressions(text, published) if e.text == phrase]
    return e.value


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        # Monday 13 August 1990: the weekend just gone, read off the verb after it.
        (
            "The U.S. is taking steps to ensure it can carry out a blockade if necessary. "
            "Over the weekend, Pentagon officials confirmed reports that a carrier will sail.",
            "the weekend",
            "1990-W32-WE",
        ),
        (
            "Talks will resume later. On Friday, the ministry said the envoy will travel soon.",
            "Friday",
            "1990-08-10",
        ),
    ],
)
def test_fronted_adverbial_takes_the_verb_after_it(text, phrase, value) -> None:
    assert _value(text, date(1990, 8, 13), phrase) == value


def test_reporting_verb_after_a_clause_still_does_not_decide() -> None:
    text = "The envoy will arrive on Friday, the ministry said."
    assert _value(text, date(1990, 8, 13), "Friday") == "1990-08-17"


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("Dunkin' has set Nov. 10 as the deadline for competing bids.", "Nov. 10", "1989-11-10"),
        ("Dealers placed orders for November transactions.", "November", "1989-11"),
        # A past event dated by the expression stays in the past.
        ("The quarter ended Oct. 31 with a loss.", "Oct. 31", "1988-10-31"),
        ("The two leaders met Nov. 5 in Geneva.", "Nov. 5", "1988-11-05"),
        ("Sales rose in March, the company said.", "March", "1989-03"),
        ("The company was founded Dec. 20 by two brothers.", "Dec. 20", "1988-12-20"),
    ],
)
def test_past_clause_year_less_date_soon_after_publication(text, phrase, value) -> None:
    assert _value(text, date(1989, 10, 30), phrase) == value


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("Russian troops launched the invasion on February 24, crossing from Belarus.",
         "February 24", "2022-02-24"),
        ("The talks collapsed in March and never resumed.", "March", "2022-03"),
    ],
)  # fmt: skip
def test_past_event_time_just_after_publication_is_a_year_back(text, phrase, value) -> None:
    assert _value(text, date(2023, 2, 16), phrase) == value


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("They lived in camps for 2 1/2 years.", "2 1/2 years", "P2Y6M"),
        ("They lived in camps for two and a half years.", "two and a half years", "P2Y6M"),
        ("The meeting lasted one and a half hours.", "one and a half hours", "PT1H30M"),
        ("The strike lasted a day and a half.", "a day and a half", "P1DT12H"),
        ("The plant was idle for half a year.", "half a year", "P6M"),
        ("The talks took 3 1/2 months.", "3 1/2 months", "P3M15D"),
        ("The talks took two years.", "two years", "P2Y"),
    ],
)
def test_fractional_durations(text, phrase, value) -> None:
    assert _value(text, date(1998, 2, 27), phrase) == value


def test_first_two_quarters_of_a_year_is_its_first_half() -> None:
    text = "Analysts expect the trend to last through at least the first two quarters of 1990."
    found = find_temporal_expressions(text, date(1989, 10, 26))
    assert [(e.text, e.value) for e in found] == [
        ("at least the first two quarters of 1990", "1990-H1")
    ]


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("Stocks fell Friday. The index was 4.5% below the previous Friday.",
         "the previous Friday", "1989-10-20"),
        ("The deal closed on Oct. 3. The following Monday, shares rose.",
         "The following Monday", "1989-10-09"),
        ("The index was 4.5% below the previous Friday.", "the previous Friday", "1989-10-27"),
        ("Stocks fell Friday and will recover by next Friday.", "next Friday", "1989-11-03"),
    ],
)  # fmt: skip
def test_previous_and_following_weekday_count_from_the_day_discussed(text, phrase, value) -> None:
    assert _value(text, date(1989, 10, 30), phrase) == value


def test_year_back_comparison_follows_the_period_under_discussion() -> None:
    text = (
        "Du Pont said third-quarter profit rose to $155 million from $99 million a year "
        "earlier. For the nine months, Du Pont earned $2 billion, up from $1.69 billion "
        "a year earlier. In the third quarter, sales rose 10% from a year earlier."
    )
    found = find_temporal_expressions(text, date(1989, 10, 26))
    assert [e.value for e in found if e.text == "a year earlier"] == ["1988-Q3", "1988", "1988-Q3"]


def test_the_quarter_in_a_results_report_is_the_reported_quarter() -> None:
    text = (
        "The company posted a loss for the third quarter. The charge is offset by an "
        "after-tax gain of about $30 million in the quarter from the sale of a division."
    )
    found = find_temporal_expressions(text, date(1989, 10, 30))
    assert [(e.text, e.value) for e in found] == [
        ("the third quarter", "1989-Q3"),
        ("the quarter", "1989-Q3"),
    ]


def test_year_ago_quarter_after_the_nine_months_still_has_a_value() -> None:
    text = (
        "Net rose in the third quarter. For the nine months, net rose 5%. "
        "Net in the year-ago quarter included a gain."
    )
    found = find_temporal_expressions(text, date(1989, 10, 30))
    (e,) = [e for e in found if "year-ago" in e.text]
    assert e.value is not None


def test_overnight_in_a_past_clause_is_the_night_before_the_day_described() -> None:
    text = (
        "London share prices closed sharply lower Friday. London shares were depressed "
        "initially by overnight losses in New York."
    )
    found = find_temporal_expressions(text, date(1989, 10, 30))
    assert [(e.text, e.value) for e in found] == [
        ("Friday", "1989-10-27"),
        ("overnight", "1989-10-26TNI"),
    ]
    (e,) = find_temporal_expressions("Shares fell on overnight losses.", date(1989, 10, 30))
    assert e.value == "1989-10-29TNI"


def test_corresponding_period_last_year_is_the_reported_quarter_a_year_back() -> None:
    text = (
        "The company reported a net loss for the third quarter ended Sept. 30. These results "
        "compare with net income for the corresponding period last year. Sales fell from "
        "last year's quarter."
    )
    found = find_temporal_expressions(text, date(1989, 11, 1))
    assert [(e.text, e.value) for e in found][-2:] == [
        ("the corresponding period last year", "1988-Q3"),
        ("last year's quarter", "1988-Q3"),
    ]
