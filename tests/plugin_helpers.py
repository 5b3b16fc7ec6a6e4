"""Shared data for the plugin tests: the seeds by outlet and the extra outlet articles."""

from __future__ import annotations

import json
from pathlib import Path

from timeline_service.pipeline.parse import choose_source, parse_with_budget
from timeline_service.plugins import get_sources
from timeline_service.sdk.article import Article, RawDocument

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
ARTICLES = Path(__file__).parent / "data" / "articles"

SLUG_BY_OUTLET = {
    "The Moscow Times": "moscow-times",
    "Free Russia Forum": "free-russia-forum",
    "PanARMENIAN.Net": "panarmenian",
    "Republic World": "republic-world",
    "CNN": "cnn",
}


def manifest() -> list[dict]:
    return json.loads((SEEDS / "manifest.json").read_text(encoding="utf-8"))


def seed(outlet: str) -> tuple[dict, str]:
    """The manifest entry and the text of the seed from ``outlet``."""
    entry = next(e for e in manifest() if e["outlet"] == outlet)
    return entry, (SEEDS / entry["file"]).read_text(encoding="utf-8")


def article_text(name: str) -> str:
    return (ARTICLES / name).read_text(encoding="utf-8")


def outlet_samples(slug: str) -> list[str]:
    """Every document the tests hold for an outlet: its seed and its extra articles."""
    outlet = next(o for o, s in SLUG_BY_OUTLET.items() if s == slug)
    prefix = slug.replace("-", "_")
    return [seed(outlet)[1]] + [p.read_text("utf-8") for p in sorted(ARTICLES.glob(prefix + "_*"))]


def route_and_parse(raw: RawDocument) -> tuple[str, Article]:
    """What ingestion does: choose the source, parse within the budget."""
    choice = choose_source(raw, get_sources())
    return choice.source.slug, parse_with_budget(choice.source, raw, seconds=5)


def body_has(article: Article, fragment: str) -> bool:
    return any(fragment in p for p in article.paragraphs)
