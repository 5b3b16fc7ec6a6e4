"""BelTA plugin tests: the outlet's own expectations, then the conformance kit."""

from __future__ import annotations

import importlib.metadata
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from timeline_service.conformance import check_plugin
from timeline_service.sdk.article import RawDocument

import timeline_source_belta as plugin

FOLDER = Path(__file__).parent / "samples"
SAMPLES = {p.stem: p.read_text(encoding="utf-8") for p in FOLDER.glob("*.txt")}


def parse(name: str):
    return plugin.BelTA().parse(RawDocument(text=SAMPLES[name]))


def test_story_is_cleaned() -> None:
    article = parse("belta_no_involvement")
    assert article.title.startswith("Lukashenko: Belarusian troops are not taking part")
    assert article.dateline == "Minsk"
    assert article.timezone == "Europe/Minsk"
    assert article.published_at == datetime(2022, 2, 24, 15, 40, tzinfo=ZoneInfo("Europe/Minsk"))
    assert article.published_at_origin == "text"
    assert article.paragraphs[0].startswith("Belarusian troops are not taking part")
    assert article.paragraphs[-1].endswith("the protection of the state border with Ukraine.")
    for junk in ("(BelTA)", "Photo archive", "Follow BelTA", "Related news", "Union Resolve"):
        assert not any(junk in p for p in article.paragraphs), junk


def test_dateline_city_sets_the_zone() -> None:
    article = parse("belta_border_press_tour")
    assert article.dateline == "Brest"
    assert article.paragraphs[-1].startswith("Border guards told the journalists")
    assert not any(p in ("Share", "Print version") for p in article.paragraphs)


def test_recognised_without_url() -> None:
    assert plugin.BelTA().match(RawDocument(text=SAMPLES["belta_no_involvement"])) > 0.5
    assert plugin.BelTA().match(RawDocument(text="Minsk said on Thursday (BelTA) that ...")) == 0
    url = "https://eng.belta.by/president/view/lukashenko-147821-2022/"
    assert plugin.BelTA().match(RawDocument(text="anything", url=url)) == 1.0


def test_conforms() -> None:
    check_plugin(plugin, {"belta": list(SAMPLES.values())})


def test_registered_once_installed() -> None:
    """Runs after ``pip install``: the service finds the plugin through its entry point."""
    if not importlib.metadata.entry_points(group="timeline_service", name="belta"):
        pytest.skip("not installed; run pip install -e .")
    from timeline_service.plugins import get_sources, list_sources

    assert type(get_sources()["belta"]).__name__ == "BelTA"
    info = next(s for s in list_sources() if s.slug == "belta")
    assert info.origin == "timeline-source-belta"
