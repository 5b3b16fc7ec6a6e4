"""Every temporal expression in every seed article, read as a careful editor would.

Publication dates come from ``seeds/manifest.json``; the zone is Minsk's (the
datelines and the events are in Belarus; Moscow keeps the same +03:00 offset).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from timeline_service.temporal import TemporalExpression, find_temporal_expressions

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
ZONE = "Europe/Minsk"


def _published() -> dict[str, date]:
    manifest = json.loads((SEEDS / "manifest.json").read_text(encoding="utf-8"))
    return {entry["file"][:3]: date.fromisoformat(entry["published_at"]) for entry in manifest}


PUBLISHED = _published()


def _file(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def read(prefix: str) -> tuple[str, list[TemporalExpression]]:
    text = _file(prefix).read_text(encoding="utf-8")
    return text, find_temporal_expressions(text, PUBLISHED[prefix], timezone=ZONE)


# (text, type, value, granularity, mod), in document order: the complete reading.
EXPECTED: dict[str, list[tuple[str, str, str, str | None, str | None]]] = {
    "000": [
        ("Thursday", "DATE", "2022-02-24", "day", None),
        ("Thursday", "DATE", "2022-02-24", "day", None),
        ("the early hours of Thursday", "TIME", "2022-02-24TMO", "part_of_day", "START"),
        ("around 5:00 a.m. (0200 GMT)", "TIME", "2022-02-24T05:00", "time", "APPROX"),
        ("the early hours of Thursday", "TIME", "2022-02-24TMO", "part_of_day", "START"),
        ("monthly", "SET", "P1M", None, None),
    ],
    "001": [
        ("the first days", "DURATION", "PXD", None, None),
        ("the first days", "DURATION", "PXD", None, None),
        ("February 24, 2022", "DATE", "2022-02-24", "day", None),
        ("about five in the morning", "TIME", "2022-02-24T05:00", "time", "APPROX"),
        ("October 2022", "DATE", "2022-10", "month", None),
        ("July 2022", "DATE", "2022-07", "month", None),
    ],
    "002": [
        ("Thursday, February 24", "DATE", "2022-02-24", "day", None),
        ("soon", "DATE", "FUTURE_REF", None, None),
        ("days earlier", "DATE", "PAST_REF", None, None),
        ("the near future", "DATE", "FUTURE_REF", None, None),
        ("Thursday", "DATE", "2022-02-24", "day", None),
        ("about 5:00 a.m. today", "TIME", "2022-02-24T05:00", "time", "APPROX"),
        ("2023", "DATE", "2023", "year", None),
        ("Monday", "DATE", "2022-02-21", "day", None),
    ],
    "003": [
        ("2022-02-24", "DATE", "2022-02-24", "day", None),
        ("around 5 am local time", "TIME", "2022-02-24T05:00", "time", "APPROX"),
        ("soon", "DATE", "FUTURE_REF", None, None),
        ("last night", "TIME", "2022-02-23TNI", "part_of_day", None),
        ("early this morning", "TIME", "2022-02-24TMO", "part_of_day", "START"),
        ("currently", "DATE", "PRESENT_REF", None, None),
        ("currently", "DATE", "PRESENT_REF", None, None),
        ("now", "DATE", "PRESENT_REF", None, None),
    ],
    "004": [
        ("spring", "DATE", "2023-SP", "season", None),  # "will help ... a spring offensive"
        ("Thursday", "DATE", "2023-02-16", "day", None),
        ("Friday", "DATE", "2023-02-17", "day", None),  # "Putin will meet ... on Friday"
        ("last February", "DATE", "2022-02", "month", None),
        ("Wednesday", "DATE", "2023-02-15", "day", None),
        ("recent days", "DATE", "PAST_REF", None, None),
        ("Thursday", "DATE", "2023-02-16", "day", None),
        ("spring", "DATE", "2023-SP", "season", None),
        ("earlier this week", "DATE", "2023-W07", "week", "START"),
        ("Formerly", "DATE", "PAST_REF", None, None),
        ("1990", "DATE", "1990", "year", None),
        ("February 24", "DATE", "2022-02-24", "day", None),  # "launched the invasion on"
        ("months", "DURATION", "PXM", None, None),
        ("the first days", "DURATION", "PXD", None, None),
        ("More recently", "DATE", "PAST_REF", None, None),
    ],
}


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_reads_every_expression(prefix: str) -> None:
    text, found = read(prefix)
    got = [(e.text, e.type, e.value, e.granularity, e.mod) for e in found]
    assert got == EXPECTED[prefix]
    for e in found:
        assert text[e.start : e.end] == e.text


@pytest.mark.parametrize(
    ("prefix", "phrase"),
    [
        ("004", "1,000-kilometer"),
        ("004", "621-mile"),
        ("004", "100 meters"),
        ("004", "328 feet"),
        ("004", "Tu-22"),
        ("004", "We are peaceful"),
        ("002", "$650 million"),
        ("002", "1.1 billion"),
        ("002", "192 Azerbaijani troops"),
        ("002", "We are not going"),
        ("000", "We are facing"),
        ("000", "$2"),
    ],
)
def test_seed_look_alikes_are_not_dates(prefix: str, phrase: str) -> None:
    text, found = read(prefix)
    at = text.index(phrase)
    assert not [e for e in found if e.start < at + len(phrase) and at < e.end]


def test_seed_000_clock_time_is_minsk_local_with_gmt_offset() -> None:
    _, found = read("000")
    call = next(e for e in found if "GMT" in e.text)
    assert call.utc_offset == "+03:00"
    assert call.interval is not None
    assert call.interval.start == datetime(2022, 2, 24, 2, 0, tzinfo=UTC)


def test_seed_000_thursday_interval_is_the_minsk_day_in_utc() -> None:
    _, found = read("000")
    thursday = found[0].interval
    assert thursday is not None
    assert (thursday.start, thursday.end) == (
        datetime(2022, 2, 23, 21, 0, tzinfo=UTC),
        datetime(2022, 2, 24, 21, 0, tzinfo=UTC),
    )


def test_seed_000_early_hours_cover_the_small_hours_only() -> None:
    _, found = read("000")
    early = next(e for e in found if e.text.startswith("the early hours"))
    assert early.interval is not None
    assert early.interval.start == datetime(2022, 2, 23, 21, 0, tzinfo=UTC)
    assert early.interval.end == datetime(2022, 2, 24, 3, 0, tzinfo=UTC)


def test_seed_004_tense_decides_the_weekdays() -> None:
    _, found = read("004")
    by_text = {e.text: e for e in found}
    assert by_text["Friday"].tense == "future"
    assert by_text["February 24"].tense == "past"


def test_seed_001_month_granularity_is_not_invented() -> None:
    _, found = read("001")
    october = next(e for e in found if e.text == "October 2022")
    assert october.interval is not None
    assert october.interval.start == datetime(2022, 9, 30, 21, 0, tzinfo=UTC)
    assert october.interval.end == datetime(2022, 10, 31, 21, 0, tzinfo=UTC)


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_without_publication_date_keeps_only_absolute_values(prefix: str) -> None:
    text = _file(prefix).read_text(encoding="utf-8")
    found = find_temporal_expressions(text, None, timezone=ZONE)
    with_anchor = {(e.start, e.end): e for e in read(prefix)[1]}
    assert {(e.start, e.end) for e in found} == set(with_anchor)
    for e in found:
        anchored = with_anchor[(e.start, e.end)]
        if re.search(r"\b(?:19|20)\d\d\b", e.text):
            assert e.value == anchored.value, e.text
        elif e.granularity == "time":
            # A bare clock time takes the day the text itself last named, if any.
            assert e.value in (None, anchored.value), e.text
        elif e.type in ("DATE", "TIME") and not (anchored.value or "").endswith("_REF"):
            assert e.value is None, e.text
            assert e.interval is None
