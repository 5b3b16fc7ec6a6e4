"""How the source plugins fare on the layout corpus, measured through the HTTP API.

    .venv/bin/python bench/plugin_eval.py [--outlet SLUG] [--verbose] [--dir PATH]

Every fixture of ``tests/data/layouts/`` (see its README) is posted to ``POST
/v1/documents`` twice, each pass on a fresh SQLite database: once with its URL, once
without. The stored document is read back with ``GET /v1/documents/{id}`` and compared
with the fixture's manifest:

- recognised: the document's source is the fixture's outlet;
- kept: body sentences found in the stored body (compared with whitespace, quotes and
  Unicode forms normalised);
- leaked: distinct boilerplate lines left in the body once the expected sentences and
  sub-headings are taken out of it (the headline counts too, as "(headline)");
- stamps: publication/updated stamps, bylines and relative times found in a mention's
  sentence; junk: other mentions whose sentence is not article prose;
- published_at: "ok" when it is the same instant as the manifest's, "midnight" when the
  day is right but the time was lost, else "missing" or "wrong";
- posts (live blogs): posts whose time is known, i.e. some mention from the post (and
  free of stamps) is anchored at the post's time or dated to it.

Only the public API is used, so the numbers stay comparable while the internals move. It
prints a table, totals and the targets, and exits 0: it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from datetime import time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DIR = REPO / "tests" / "data" / "layouts"
sys.path.insert(0, str(REPO))

from timeline_service import create_app  # noqa: E402
from timeline_service.store.db import upgrade  # noqa: E402

API_KEY = "k"
AUTH = {"Authorization": f"Bearer {API_KEY}"}
PASSES = ("url", "no-url")
#: date granularities that carry a time of day
TIMED = {"time", "hour", "minute", "second"}


# ---------------------------------------------------------------------------
# Comparing text
# ---------------------------------------------------------------------------


def norm(text: str) -> str:
    """Text compared loosely: Unicode-normalised, quotes unified, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub("[\u2018\u2019\u201b\u2032]", "'", text)
    text = re.sub("[\u201c\u201d\u201e\u2033]", '"', text)
    return " ".join(text.split())


def _bounded(needle: str) -> re.Pattern[str]:
    """``needle`` as a whole: not glued to a letter or digit on either side."""
    return re.compile(r"(?<!\w)" + re.escape(needle) + r"(?!\w)")


def _overlaps(a: str, b: str) -> bool:
    return a in b or b in a


# ---------------------------------------------------------------------------
# The corpus
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Fixture:
    path: Path
    manifest: dict

    @property
    def outlet(self) -> str:
        return self.manifest["outlet"]

    @property
    def layout(self) -> str:
        return self.manifest["layout"]

    @property
    def form(self) -> str:
        return self.manifest["form"]

    def payload(self, with_url: bool) -> dict:
        page = (self.path.parent / self.manifest["file"]).read_text(encoding="utf-8")
        body = {"html": page} if self.form == "html" else {"text": page}
        if with_url:
            body["url"] = self.manifest["url"]
        return body


def load(directory: Path, outlet: str | None) -> list[Fixture]:
    fixtures = [
        Fixture(path, json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(directory.glob("*/*.json"))
    ]
    return [f for f in fixtures if outlet is None or f.outlet == outlet]


# ---------------------------------------------------------------------------
# One fixture, one pass
# ---------------------------------------------------------------------------


@dataclass
class Result:
    fixture: Fixture
    status: int
    source: str | None = None
    error: str | None = None
    kept: int = 0
    lost: list[str] = field(default_factory=list)
    leaked: list[str] = field(default_factory=list)
    stamp_mentions: list[tuple[str, str]] = field(default_factory=list)
    junk_mentions: list[str] = field(default_factory=list)
    published: str = "missing"
    published_got: str | None = None
    posts_timed: int = 0
    posts_untimed: list[str] = field(default_factory=list)

    @property
    def expected(self) -> int:
        return len(self.fixture.manifest["body_sentences"])

    @property
    def posts(self) -> int:
        return len(self.fixture.manifest.get("posts", []))

    @property
    def recognised(self) -> bool:
        return self.source == self.fixture.outlet

    @property
    def stamps_as_mentions(self) -> int:
        return len({stamp for stamp, _ in self.stamp_mentions})


def evaluate(fixture: Fixture, document: dict, status: int) -> Result:
    m = fixture.manifest
    result = Result(fixture, status, source=document.get("source"))
    body = document.get("body") or ""
    flat = norm(body)
    sentences = [norm(s) for s in m["body_sentences"]]
    kept = [s for s in sentences if s in flat]
    result.kept = len(kept)
    result.lost = [s for s, n in zip(m["body_sentences"], sentences, strict=True) if n not in flat]
    result.leaked = _leaks(body, kept, m)

    clean = []
    for mention in document.get("mentions", []):
        sentence = norm(mention.get("sentence") or "")
        stamps = [s for s in m["stamps"] if _bounded(norm(s)).search(sentence)]
        result.stamp_mentions += [(s, mention["sentence"]) for s in stamps]
        if not stamps and not any(_overlaps(sentence, s) for s in sentences):
            result.junk_mentions.append(mention["sentence"])
        elif not stamps:
            clean.append(mention)

    result.published_got = document.get("published_at")
    result.published = _published(m["published_at"], document)
    for post in m.get("posts", []):
        if _post_timed(post, clean):
            result.posts_timed += 1
        else:
            result.posts_untimed.append(post["time"])
    return result


def _leaks(body: str, kept: list[str], manifest: dict) -> list[str]:
    """Distinct boilerplate lines (and the headline) left in the body, longest first.

    The expected sentences and sub-headings are taken out first, so a short widget line
    ("Share", "Latest") is never found inside article prose; a line found is blanked out,
    so a shorter line inside it is not counted again.
    """
    residue = "\n".join(norm(line) for line in body.splitlines() if line.strip())
    for sentence in sorted(kept, key=len, reverse=True):
        residue = residue.replace(sentence, "\n")
    for heading in manifest.get("headings", []):
        residue = _bounded(norm(heading)).sub("\n", residue)
    candidates = {norm(line): line for line in manifest["boilerplate"]}
    candidates.setdefault(norm(manifest["title"]), "(headline) " + manifest["title"])
    leaked = []
    for needle in sorted(candidates, key=len, reverse=True):
        pattern = _bounded(needle)
        if pattern.search(residue):
            leaked.append(candidates[needle])
            residue = pattern.sub("\n", residue)
    return leaked


def _instant(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _published(expected_value: str, document: dict) -> str:
    """How the stored publication time compares with the page's.

    "ok" (the same instant), "midnight" (the page's day at 00:00 in the page's, the
    document's or UTC's zone: the time was lost), "missing", or "wrong".
    """
    expected = datetime.fromisoformat(expected_value)
    got = _instant(document.get("published_at"))
    if got is None:
        return "missing"
    if got == expected:
        return "ok"
    zones: list[tzinfo] = [expected.tzinfo or UTC, UTC]
    with contextlib.suppress(ZoneInfoNotFoundError, ValueError):
        zones.append(ZoneInfo(document.get("timezone") or "UTC"))
    for zone in zones:
        local = got.astimezone(zone)
        if local.date() == expected.date() and local.timetz().replace(tzinfo=None) == dtime(0):
            return "midnight"
    return "wrong"


def _post_timed(post: dict, mentions: list[dict]) -> bool:
    """Whether a mention from the post is anchored at, or dated to, the post's time.

    ``mentions`` are those free of stamps: a time stamp glued to a sentence may date it
    to the post's time, but by the failure the stamps column counts.
    """
    at = datetime.fromisoformat(post["time"])
    sentences = [norm(s) for s in post["sentences"]]
    for mention in mentions:
        sentence = norm(mention.get("sentence") or "")
        if not any(_overlaps(sentence, s) for s in sentences):
            continue
        anchor = _instant((mention.get("anchor") or {}).get("published_at"))
        date = mention.get("date") or {}
        start = _instant(date.get("start"))
        if anchor == at or (date.get("granularity") in TIMED and start == at):
            return True
    return False


# ---------------------------------------------------------------------------
# A pass: a fresh database, every fixture posted once
# ---------------------------------------------------------------------------


def run_pass(fixtures: list[Fixture], with_url: bool) -> tuple[list[Result], set[str]]:
    with tempfile.TemporaryDirectory(prefix="plugin-eval-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'timeline.sqlite'}"
        upgrade(url)
        app = create_app(
            {
                "DATABASE_URL": url,
                "API_KEYS": API_KEY,
                "RATE_LIMIT_PER_ADDRESS": 0,
                "RATE_LIMIT_PER_KEY": 0,
            }
        )
        try:
            client = app.test_client()
            installed = {s["slug"] for s in client.get("/v1/sources").get_json()["sources"]}
            results = [_post(client, f, with_url) for f in fixtures]
        finally:
            app.extensions["timeline_db"].kw["bind"].dispose()
    return results, installed


def _post(client, fixture: Fixture, with_url: bool) -> Result:
    response = client.post("/v1/documents", json=fixture.payload(with_url), headers=AUTH)
    data = response.get_json(silent=True) or {}
    if response.status_code not in (200, 201):
        detail = data.get("detail") or data.get("title") or response.status
        result = Result(fixture, response.status_code, error=str(detail))
        result.lost = list(fixture.manifest["body_sentences"])
        result.posts_untimed = [p["time"] for p in fixture.manifest.get("posts", [])]
        return result
    document_id = data["document"]["id"]
    document = client.get(f"/v1/documents/{document_id}").get_json()
    return evaluate(fixture, document, response.status_code)


# ---------------------------------------------------------------------------
# Reporting
# ---------------------------------------------------------------------------

COLUMNS = (
    ("outlet / layout", 22),
    ("form", 4),
    ("recognised", 22),
    ("kept", 15),
    ("leaked", 7),
    ("stamps", 6),
    ("junk", 6),
    ("published_at", 17),
    ("posts", 9),
)


def _row(cells: list[str]) -> str:
    return "  ".join(c.ljust(w) for c, (_, w) in zip(cells, COLUMNS, strict=True)).rstrip()


def _cells(label: str, form: str, with_url: list[Result], without: list[Result]) -> list[str]:
    """One table row: each cell shows the pass with the URL, then the pass without."""
    one = len(with_url) == 1

    def recognised(rs: list[Result]) -> str:
        if not one:
            return f"{sum(r.recognised for r in rs)}/{len(rs)}"
        r = rs[0]
        return "yes" if r.recognised else (r.source or f"HTTP {r.status}")

    def kept(rs: list[Result]) -> str:
        return f"{sum(r.kept for r in rs)}/{sum(r.expected for r in rs)}"

    def published(rs: list[Result]) -> str:
        return rs[0].published if one else f"{sum(r.published == 'ok' for r in rs)}/{len(rs)}"

    def posts(rs: list[Result]) -> str:
        return f"{sum(r.posts_timed for r in rs)}/{sum(r.posts for r in rs)}"

    def count(rs: list[Result], get) -> str:
        return str(sum(get(r) for r in rs))

    def pair(show) -> str:
        return f"{show(with_url)}|{show(without)}"

    return [
        label,
        form,
        pair(recognised),
        pair(kept),
        pair(lambda rs: count(rs, lambda r: len(r.leaked))),
        pair(lambda rs: count(rs, lambda r: r.stamps_as_mentions)),
        pair(lambda rs: count(rs, lambda r: len(r.junk_mentions))),
        pair(published),
        pair(posts) if any(r.posts for r in with_url) else "-",
    ]


def report(by_pass: dict[str, list[Result]], verbose: bool) -> None:
    with_url, without = by_pass["url"], by_pass["no-url"]
    print()
    print("Each cell: with URL|without URL.")
    print(_row([name for name, _ in COLUMNS]))
    print(_row(["-" * w for _, w in COLUMNS]))
    for outlet in sorted({r.fixture.outlet for r in with_url}):
        pairs = [p for p in zip(with_url, without, strict=True) if p[0].fixture.outlet == outlet]
        print(outlet)
        for a, b in pairs:
            print(_row(_cells("  " + a.fixture.layout, a.fixture.form, [a], [b])))
        group_a, group_b = [a for a, _ in pairs], [b for _, b in pairs]
        print(_row(_cells(f"  ({len(pairs)} layouts)", "", group_a, group_b)))
    print(_row(["-" * w for _, w in COLUMNS]))
    print(_row(_cells(f"all ({len(with_url)} layouts)", "", with_url, without)))
    print()
    print("recognised: the source slug is the outlet's (else the slug it got); kept: body")
    print("sentences found in the body; leaked: distinct boilerplate lines left in the body;")
    print("stamps: stamps and bylines found in a mention's sentence; junk: other mentions not")
    print("taken from article prose; published_at: ok = the instant the page gives, midnight =")
    print("its day without its time; posts: live-blog posts whose time is known.")
    _totals(with_url, without)
    if verbose:
        _details(by_pass)


def _totals(with_url: list[Result], without: list[Result]) -> None:
    n = len(with_url)
    print()
    print("Totals (with URL / without URL) and targets")
    lines = []
    for label, target, get in (
        ("layouts recognised", "all", lambda rs: sum(r.recognised for r in rs)),
        ("body sentences lost", "0", lambda rs: sum(len(r.lost) for r in rs)),
        ("boilerplate lines in bodies", "0", lambda rs: sum(len(r.leaked) for r in rs)),
        ("stamps as mentions", "0", lambda rs: sum(r.stamps_as_mentions for r in rs)),
        ("junk mentions", "0", lambda rs: sum(len(r.junk_mentions) for r in rs)),
        ("published_at correct", "all", lambda rs: sum(r.published == "ok" for r in rs)),
        ("live-blog posts timed", "all", lambda rs: sum(r.posts_timed for r in rs)),
    ):
        a, b = get(with_url), get(without)
        if target == "all":
            whole = n if "posts" not in label else sum(r.posts for r in with_url)
            met = a == whole and b == whole
            shown = f"{a}/{whole} / {b}/{whole}"
            goal = f"{whole}/{whole}"
        else:
            met = a == 0 and b == 0
            shown = f"{a} / {b}"
            if "sentences" in label:
                expected = sum(r.expected for r in with_url)
                shown = f"{a} / {b} (of {expected})"
            goal = "0"
        lines.append((label, shown, goal, "met" if met else "NOT MET"))
    width = max(len(x[1]) for x in lines)
    for label, shown, goal, verdict in lines:
        print(f"  {label:<30} {shown:<{width}}   target {goal:<7} {verdict}")


def _details(by_pass: dict[str, list[Result]]) -> None:
    print()
    print("Details")
    for name, results in by_pass.items():
        for r in results:
            f = r.fixture
            head = f"[{name}] {f.outlet}/{f.layout}"
            problems = []
            if r.error:
                problems.append(f"HTTP {r.status}: {r.error}")
            elif not r.recognised:
                problems.append(f"routed to {r.source!r}")
            problems += [f"lost: {s}" for s in r.lost if not r.error]
            problems += [f"leaked: {s}" for s in r.leaked]
            problems += [f"stamp {s!r} in mention: {m}" for s, m in r.stamp_mentions]
            problems += [f"junk mention: {m}" for m in r.junk_mentions]
            if not r.error and r.published != "ok":
                problems.append(
                    f"published_at {r.published}: got {r.published_got}, "
                    f"page says {f.manifest['published_at']}"
                )
            problems += [f"post time unknown: {t}" for t in r.posts_untimed if not r.error]
            if problems:
                print(head)
                for p in problems:
                    print(f"    {p}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--outlet", metavar="SLUG", help="only this outlet's layouts")
    parser.add_argument("-v", "--verbose", action="store_true", help="list what leaked or was lost")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="the layout corpus")
    args = parser.parse_args(argv)

    fixtures = load(args.dir, args.outlet)
    if not fixtures:
        which = f" for {args.outlet!r}" if args.outlet else ""
        print(f"no layout fixtures in {args.dir}{which}")
        return 2
    print(f"Layout corpus: {len(fixtures)} layouts of {len({f.outlet for f in fixtures})} outlets")
    print(f"({args.dir}), each posted to POST /v1/documents with its URL and without.")
    by_pass: dict[str, list[Result]] = {}
    for name in PASSES:
        started = time.perf_counter()
        results, installed = run_pass(fixtures, with_url=name == "url")
        by_pass[name] = results
        print(f"  pass {name:<7} {time.perf_counter() - started:5.1f} s")
    unknown = sorted({f.outlet for f in fixtures} - installed)
    if unknown:
        print(f"  warning: no installed source for {', '.join(unknown)}")
    report(by_pass, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
