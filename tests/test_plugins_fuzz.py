"""Whatever text arrives, a built-in source returns a sound Article or raises ParseError."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline_service.conformance import leaks
from timeline_service.pipeline.parse import validate_article
from timeline_service.plugins import get_sources
from timeline_service.sdk.article import ParseError, RawDocument

# Lines that trigger the plugins' rules, mixed with prose and noise.
MARKERS = [
    "A Message from The Moscow Times:",
    "Remind me later.",
    "Home / News / In the world / Title",
    "PanARMENIAN.Net - Armenia said on Monday that talks will resume.",
    "\u00a0Top stories",
    "Partner news",
    "(Image: AP)",
    "Written By",
    "Source link",
    "Hi, how can I help?",
    "Minsk, Belarus",
    "MOSCOW (CNN) — Russia said on Friday it had fired a missile.",
    "By Jane Smith, CNN",
    "Updated 10:15 AM EST, Thu February 16, 2023",
    " date 2022-02-24",
    "24.02.2022",
    "Lukashenko hold talks with Putin",
    "A border guard patrols near the crossing on Wednesday.",
    "The president said on Thursday that the troops would stay in the country.",
    "“We will not,” he said.",
    "---",
    "",
]
LINES = st.one_of(st.sampled_from(MARKERS), st.text(max_size=80))
DOCUMENTS = st.lists(LINES, max_size=14).map("\n".join) | st.text(max_size=400)


@pytest.mark.parametrize("slug", sorted(get_sources()))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=DOCUMENTS)
def test_any_text_parses_soundly_or_is_rejected(slug: str, text: str) -> None:
    source = get_sources()[slug]
    raw = RawDocument(text=text)
    score = source.match(raw)
    assert 0.0 <= score <= 1.0
    try:
        article = source.parse(raw)
    except ParseError:
        return
    assert validate_article(article) == []
    assert leaks(article) == []
