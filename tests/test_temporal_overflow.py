"""Calendar overflow: absurd years, impossible days and huge counts never raise
and never yield a substitute date."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from timeline_service.temporal import find_temporal_expressions

PUBLISHED = date(2021, 6, 1)


@pytest.mark.parametrize(
    "text",
    [
        "1 January 99999",
        "January 1, 99999",
        "on 1 January 99999 the world ends",
        "the 1st of January, 123456",
    ],
)
def test_oversized_year_is_not_reinterpreted(text) -> None:
    for e in find_temporal_expressions(text, PUBLISHED):
        assert e.value is None or not e.value.startswith("2021"), (e.text, e.value)
        assert e.value is None or e.value[:4].isdigit()


@pytest.mark.parametrize(
    "text",
    [
        "10000 years ago",
        "3000 years ago",
        "10000000000 years ago",
        "10000000000 years from now",
        "10000000000 days ago",
        "99999999999999999999 weeks ago",
        "10000000000 months ago",
        "10000000000 hours ago",
        "10000000000 minutes ago",
        "10000000000 decades ago",
        "10000000000 centuries ago",
        "10000000000 quarters ago",
        "10000000000 days later",
    ],
)
@pytest.mark.parametrize(
    "published",
    [PUBLISHED, datetime(2021, 6, 1, 12, 0, tzinfo=UTC), date(9999, 12, 31), date(1, 1, 1)],
)
def test_huge_counts_never_raise_or_give_a_wrong_date(text, published) -> None:
    for e in find_temporal_expressions(text, published):
        if e.type in ("DATE", "TIME") and e.value and e.value[:1].isdigit():
            year = int(e.value[:4])
            assert 1 <= year <= 9999 and not e.value[4:5].isdigit(), e.value
            assert e.interval is not None
        if e.type in ("DATE", "TIME") and e.value:
            assert not e.value.startswith("-")


def test_huge_hours_without_clock_time_are_not_the_publication_day() -> None:
    for e in find_temporal_expressions("10000000000 hours ago", PUBLISHED):
        assert e.value is None
    (e,) = find_temporal_expressions("72 hours ago", PUBLISHED)
    assert e.value == "2021-05-29"
    (e,) = find_temporal_expressions("three hours ago", PUBLISHED)
    assert e.value == "2021-06-01"


@pytest.mark.parametrize(
    "text",
    [
        "March 32, 2022",
        "February 30, 2022",
        "30 February 2022",
        "February 29, 2023",
        "2022-02-30",
        "Feb. 30",
        "day 32",
        "in the year 0",
        "in 0000",
        "on 0/0/0",
        "13/13/2022",
        "99/99/9999",
        "the 99999s",
        "Q5 2022",
        "the 0th century",
        "December 31, 9999 and January 1, 10000",
        "25:99 GMT on Dec. 31, 9999",
    ],
)
@pytest.mark.parametrize("published", [PUBLISHED, date(9999, 12, 31), date(1, 1, 1), None])
def test_impossible_dates_never_raise_or_resolve_elsewhere(text, published) -> None:
    for e in find_temporal_expressions(text, published):
        if e.value and e.value[:1].isdigit() and e.type in ("DATE", "TIME"):
            # Whatever is read must be a real calendar value, not a nearby substitute.
            assert not e.value.startswith(("2022-02-3", "2023-02-29", "2022-03-32"))
            assert 1 <= int(e.value[:4]) <= 9999 and not e.value[4:5].isdigit()
            assert not (e.text.startswith(("March 32", "February 30")) and e.value != "2022")
