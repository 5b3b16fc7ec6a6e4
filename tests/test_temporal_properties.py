"""Property: any text is safe to feed the engine, and spans always point into it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from timeline_service.temporal import find_temporal_expressions, infer_publication_date

# Text built from date-like pieces as well as arbitrary characters, so that the
# grammar's rules are actually exercised rather than only ever failing to match.
PIECES = st.sampled_from(
    [
        "Thursday", "Feb. 24", "February 24, 2022", "May", "March", "last", "next", "week",
        "year", "ago", "two", "the", "early", "hours", "of", "5:00 a.m.", "(0200 GMT)", "1990s",
        "quarter", "third", "spring", "every", "month", "now", "-", ",", ".", "\n", "'", "$27",
        "Tu-22", "We", "mid-", "1,000", "31", "0", "nineteen ninety-six", "Sept. 17-19", "noon",
        "tonight", "said", "will", "2/30/2022", "Feb. 30", "25:99", "a.m.", "EST", "local time",
    ]
)  # fmt: skip
TEXTS = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=40).map(" ".join),
)
ANCHORS = st.one_of(
    st.none(),
    st.dates(min_value=date(1, 1, 2), max_value=date(9998, 12, 30)),
    st.datetimes(
        min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1),
        timezones=st.sampled_from([UTC, timezone(timedelta(hours=-5))]),
    ),
)  # fmt: skip
ZONES = st.sampled_from([None, "UTC", "Europe/Minsk", "America/New_York", "Not/AZone"])


@settings(max_examples=250, deadline=None)
@given(text=TEXTS, published=ANCHORS, zone=ZONES)
def test_never_raises_and_spans_match_the_text(text, published, zone) -> None:
    found = find_temporal_expressions(text, published, timezone=zone)
    previous_end = 0
    for e in found:
        assert 0 <= e.start < e.end <= len(text)
        assert text[e.start : e.end] == e.text
        assert e.start >= previous_end  # ordered, never overlapping
        previous_end = e.end
        assert e.type in ("DATE", "TIME", "DURATION", "SET")
        if e.interval is not None:
            assert e.interval.start < e.interval.end
            assert e.interval.start.utcoffset() == timedelta(0)
        if published is None and e.anchored and e.type in ("DATE", "TIME"):
            assert e.value is None or e.value.endswith("_REF") or "T" in e.value


@settings(max_examples=100, deadline=None)
@given(text=TEXTS, not_after=st.dates(min_value=date(100, 1, 1), max_value=date(9999, 1, 1)))
def test_inferred_publication_date_is_never_after_the_bound(text, not_after) -> None:
    inferred = infer_publication_date(text, not_after=not_after)
    assert inferred is None or inferred <= not_after
