"""The layout corpus (``tests/data/layouts/``) is sound: what each manifest says is on its page.

These tests check the corpus, not the plugins: ``bench/plugin_eval.py`` measures how the
plugins fare on it. A manifest whose sentences or boilerplate lines are not on its page
would make that measurement wrong, so every visible line of a page must be accounted for:
the headline, a sub-heading, a run of body sentences, or a listed boilerplate line.
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from timeline_service import create_app

LAYOUTS = Path(__file__).parent / "data" / "layouts"
MIN_LAYOUTS_PER_OUTLET = 4
MIN_LIVE_POSTS = 3
FIELDS = {
    "outlet",
    "layout",
    "form",
    "file",
    "url",
    "published_at",
    "title",
    "notes",
    "body_sentences",
    "headings",
    "boilerplate",
    "stamps",
}


# ---------------------------------------------------------------------------
# A page's visible text, line by line
# ---------------------------------------------------------------------------

#: elements a browser shows as their own block (a line of their own when copied)
# fmt: off
_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "button", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
    "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "legend", "li", "main", "nav", "ol",
    "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
# fmt: on
#: elements whose content is never shown
_HIDDEN = frozenset(["head", "script", "style", "noscript", "template", "svg", "iframe"])


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._buffer: list[str] = []
        self._hidden = 0

    def _flush(self) -> None:
        line = " ".join("".join(self._buffer).split())
        if line:
            self.lines.append(line)
        self._buffer = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag in _BLOCK:
            self._flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCK:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self._buffer.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def visible_lines(page: str, form: str) -> list[str]:
    """The lines a reader sees: text lines as they are, HTML by its block elements."""
    if form == "text":
        return [" ".join(line.split()) for line in page.splitlines() if line.strip()]
    parser = _Visible()
    parser.feed(page)
    parser.close()
    return parser.lines


def norm(text: str) -> str:
    """Text compared loosely: Unicode-normalised, quotes unified, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub("[\u2018\u2019\u201b\u2032]", "'", text)
    text = re.sub("[\u201c\u201d\u201e\u2033]", '"', text)
    return " ".join(text.split())


# ---------------------------------------------------------------------------
# The corpus
# ---------------------------------------------------------------------------


def manifests() -> list[tuple[Path, dict]]:
    return [
        (path, json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(LAYOUTS.glob("*/*.json"))
    ]


CORPUS = manifests()
IDS = [f"{path.parent.name}/{path.stem}" for path, _ in CORPUS]


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> dict[str, dict]:
    """The installed sources, as ``GET /v1/sources`` lists them, by slug."""
    path = tmp_path_factory.mktemp("layouts") / "timeline.sqlite"
    shutil.copy(sqlite_template, path)
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{path}"})
    try:
        response = app.test_client().get("/v1/sources")
    finally:
        app.extensions["timeline_db"].kw["bind"].dispose()
    assert response.status_code == 200
    return {s["slug"]: s for s in response.get_json()["sources"]}


def page_of(path: Path, manifest: dict) -> str:
    return (path.parent / manifest["file"]).read_text(encoding="utf-8")


def test_the_corpus_is_there() -> None:
    assert len(CORPUS) >= 20
    assert (LAYOUTS / "README.md").is_file()


def test_every_outlet_has_enough_layouts(sources: dict[str, dict]) -> None:
    built_in = {slug for slug, s in sources.items() if s["domains"] and s["origin"] == "built-in"}
    by_outlet: dict[str, set[str]] = {}
    for _, m in CORPUS:
        by_outlet.setdefault(m["outlet"], set()).add(m["layout"])
    assert built_in <= set(by_outlet), "every built-in outlet plugin has layouts"
    for slug, layouts in by_outlet.items():
        assert len(layouts) >= MIN_LAYOUTS_PER_OUTLET, (slug, sorted(layouts))
    forms = {m["form"] for _, m in CORPUS}
    assert forms == {"html", "text"}


@pytest.mark.parametrize(("path", "manifest"), CORPUS, ids=IDS)
def test_manifest_is_complete(path: Path, manifest: dict, sources: dict[str, dict]) -> None:
    missing = FIELDS - set(manifest)
    assert not missing, missing
    slug = manifest["outlet"]
    assert slug == path.parent.name, "a fixture lives in its outlet's folder"
    assert slug in sources, f"no installed source has the slug {slug!r}"
    host = urlsplit(manifest["url"]).hostname or ""
    assert any(host == d or host.endswith("." + d) for d in sources[slug]["domains"]), host
    assert path.stem == manifest["layout"]
    assert (path.parent / manifest["file"]).is_file()
    assert manifest["form"] == ("html" if manifest["file"].endswith(".html") else "text")
    assert len(manifest["body_sentences"]) >= 4, "an article of at least four sentences"
    assert len(set(manifest["body_sentences"])) == len(manifest["body_sentences"])


@pytest.mark.parametrize(("path", "manifest"), CORPUS, ids=IDS)
def test_times_carry_a_time_and_an_offset(path: Path, manifest: dict) -> None:
    times = [manifest["published_at"], *(p["time"] for p in manifest.get("posts", []))]
    for value in times:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?[+-]\d\d:\d\d", value), value
        assert datetime.fromisoformat(value).utcoffset() is not None


@pytest.mark.parametrize(("path", "manifest"), CORPUS, ids=IDS)
def test_html_pages_carry_their_metadata(path: Path, manifest: dict) -> None:
    if manifest["form"] != "html":
        return
    page = page_of(path, manifest)
    published = manifest["published_at"]
    assert '<meta property="og:site_name"' in page
    assert f'<meta property="article:published_time" content="{published}"' in page
    assert re.search(r'"datePublished":\s*"' + re.escape(published) + '"', page)
    assert "NewsArticle" in page or "LiveBlogPosting" in page
    assert re.search(r"<time[^>]+datetime=", page)


@pytest.mark.parametrize(("path", "manifest"), CORPUS, ids=IDS)
def test_what_the_manifest_lists_is_on_the_page(path: Path, manifest: dict) -> None:
    lines = visible_lines(page_of(path, manifest), manifest["form"])
    text = norm("\n".join(lines))
    assert norm(manifest["title"]) in text
    for sentence in manifest["body_sentences"]:
        assert norm(sentence) in text, sentence
    shown = {norm(line) for line in lines}
    leads = {_lead(norm(line), manifest) for line in lines} - {None}
    for line in manifest["boilerplate"] + manifest["headings"]:
        assert norm(line) in shown | leads, f"not a line of the page: {line!r}"
    for stamp in manifest["stamps"]:
        assert stamp in manifest["boilerplate"], f"a stamp is boilerplate too: {stamp!r}"


def _lead(line: str, manifest: dict) -> str | None:
    """The boilerplate item that opens ``line`` right before a body sentence, if any.

    Lead tags such as "PanARMENIAN.Net -" or "Washington (CNN)" are not lines of their own.
    """
    sentences = [norm(s) for s in manifest["body_sentences"]]
    leads = sorted((norm(b) for b in manifest["boilerplate"]), key=len, reverse=True)
    for lead in leads:
        rest = line[len(lead) :].lstrip() if line.startswith(lead) else ""
        if rest and any(rest.startswith(s) for s in sentences):
            return lead
    return None


@pytest.mark.parametrize(("path", "manifest"), CORPUS, ids=IDS)
def test_every_visible_line_is_accounted_for(path: Path, manifest: dict) -> None:
    """Headline, sub-heading, boilerplate, or whole body sentences: nothing unlisted.

    A boilerplate item may also open a line of sentences: a lead tag such as
    "PanARMENIAN.Net -" or "Washington (CNN)" before the first sentence.
    """
    known = {norm(x) for x in [manifest["title"], *manifest["headings"], *manifest["boilerplate"]]}
    sentences = sorted({norm(s) for s in manifest["body_sentences"]}, key=len, reverse=True)
    unaccounted = []
    for line in visible_lines(page_of(path, manifest), manifest["form"]):
        rest = norm(line)
        if rest in known:
            continue
        lead = _lead(rest, manifest)
        rest = rest[len(lead) :].lstrip() if lead else rest
        while rest:
            head = next((s for s in sentences if rest.startswith(s)), None)
            if head is None:
                unaccounted.append(line)
                break
            rest = rest[len(head) :].lstrip()
    assert not unaccounted, unaccounted


@pytest.mark.parametrize(("path", "manifest"), CORPUS, ids=IDS)
def test_body_sentences_are_in_page_order(path: Path, manifest: dict) -> None:
    text = norm("\n".join(visible_lines(page_of(path, manifest), manifest["form"])))
    at = 0
    for sentence in manifest["body_sentences"]:
        found = text.find(norm(sentence), at)
        assert found >= 0, f"out of order: {sentence!r}"
        at = found + len(norm(sentence))


@pytest.mark.parametrize(("path", "manifest"), CORPUS, ids=IDS)
def test_boilerplate_and_prose_do_not_overlap(path: Path, manifest: dict) -> None:
    """The bench tells prose from junk by these lists, so they must not overlap.

    A sentence inside a boilerplate line would hide that line's leak; a stamp inside a
    sentence would count that sentence's mention as a stamp's.
    """
    body = [norm(s) for s in manifest["body_sentences"]]
    for line in manifest["boilerplate"]:
        inside = [s for s in body if s in norm(line)]
        assert not inside, f"prose inside a boilerplate line: {line!r}"
    for stamp in manifest["stamps"]:
        hits = [s for s in body if norm(stamp) in s]
        assert not hits, (stamp, hits)


@pytest.mark.parametrize(("path", "manifest"), CORPUS, ids=IDS)
def test_live_blogs_have_timed_posts(path: Path, manifest: dict) -> None:
    posts = manifest.get("posts")
    if posts is None:
        assert "live" not in manifest["layout"]
        return
    assert len(posts) >= MIN_LIVE_POSTS
    body = manifest["body_sentences"]
    for post in posts:
        assert post["sentences"], post
        assert all(s in body for s in post["sentences"]), post["time"]
    times = [datetime.fromisoformat(p["time"]) for p in posts]
    assert len(set(times)) == len(times), "each post has its own time"
