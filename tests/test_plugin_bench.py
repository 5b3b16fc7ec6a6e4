"""Keep bench/plugin_eval.py measuring right: its scoring on made-up documents, and one run.

These tests hold the measurement, not the plugins: whatever the plugins make of the layout
corpus, the bench must count it correctly and exit 0.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _bench():
    spec = importlib.util.spec_from_file_location("plugin_eval", ROOT / "bench" / "plugin_eval.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["plugin_eval"] = module
    spec.loader.exec_module(module)
    return module


bench = _bench()

MANIFEST = {
    "outlet": "cnn",
    "layout": "made-up",
    "form": "text",
    "file": "made-up.txt",
    "url": "https://www.cnn.com/2023/09/14/us/made-up/index.html",
    "published_at": "2023-09-14T10:42:00-04:00",
    "title": "Council approves the budget",
    "body_sentences": [
        "The council approved the budget on Wednesday.",
        "Shares of the utility rose 3% after the vote.",
        "The mayor will sign it next week.",
    ],
    "headings": ["What comes next"],
    "boilerplate": ["Share", "1 min ago", "By Ann Lee, CNN", "Most Read", "Mayor resigns"],
    "stamps": ["1 min ago", "By Ann Lee, CNN"],
    "posts": [
        {"time": "2023-09-14T10:42:00-04:00", "sentences": ["The mayor will sign it next week."]},
        {
            "time": "2023-09-14T09:00:00-04:00",
            "sentences": ["The council approved the budget on Wednesday."],
        },
    ],
}


def _document(body: str, published_at: str | None, mentions: list[dict]) -> dict:
    return {
        "source": "cnn",
        "body": body,
        "published_at": published_at,
        "timezone": "America/New_York",
        "mentions": mentions,
    }


def _mention(sentence: str, anchor: str = "2023-09-14T14:42:00Z") -> dict:
    return {"sentence": sentence, "anchor": {"published_at": anchor}, "date": {}}


def _evaluate(document: dict):
    return bench.evaluate(bench.Fixture(Path("made-up.json"), MANIFEST), document, 201)


def test_a_clean_document_meets_every_target() -> None:
    first, second, third = MANIFEST["body_sentences"]
    body = "\n\n".join([first, second, "What comes next", third])
    mentions = [_mention(third), _mention(first, "2023-09-14T13:00:00Z")]
    r = _evaluate(_document(body, "2023-09-14T14:42:00Z", mentions))
    assert r.recognised and r.kept == 3 and r.lost == []
    assert r.leaked == [] and r.stamp_mentions == [] and r.junk_mentions == []
    assert r.published == "ok"
    assert r.posts_timed == 2


def test_leaks_stamps_and_junk_are_counted_where_they_are() -> None:
    sentences = MANIFEST["body_sentences"]
    body = "\n\n".join(
        [
            MANIFEST["title"],
            "1 min ago " + sentences[0],  # a stamp glued to a sentence
            sentences[1],  # "Shares" is prose, not the "Share" button
            "Share",
            "Most Read",
            "Mayor resigns",
        ]
    )
    mentions = [_mention("1 min ago " + sentences[0]), _mention("Mayor resigns")]
    r = _evaluate(_document(body, "2023-09-14T04:00:00Z", mentions))
    assert r.kept == 2 and r.lost == [sentences[2]]
    assert sorted(r.leaked) == sorted(
        ["(headline) " + MANIFEST["title"], "1 min ago", "Share", "Most Read", "Mayor resigns"]
    )
    assert r.stamp_mentions == [("1 min ago", "1 min ago " + sentences[0])]
    assert r.junk_mentions == ["Mayor resigns"]
    assert r.published == "midnight"  # the day in New York, without its time
    assert r.posts_timed == 0  # the only mention of the 9:00 post carries a stamp


@pytest.mark.parametrize(
    ("got", "verdict"),
    [
        ("2023-09-14T14:42:00Z", "ok"),
        ("2023-09-14T10:42:00-04:00", "ok"),
        ("2023-09-14T00:00:00Z", "midnight"),
        ("2023-09-14T04:00:00Z", "midnight"),
        ("2023-09-14T10:42:00Z", "wrong"),
        ("2023-09-13T04:00:00Z", "wrong"),
        (None, "missing"),
    ],
)
def test_published_at_verdicts(got: str | None, verdict: str) -> None:
    assert bench._published(MANIFEST["published_at"], _document("", got, [])) == verdict


def test_one_outlet_runs_and_reports(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--outlet", "panarmenian", "--verbose"]) == 0
    out = capsys.readouterr().out
    assert "Each cell: with URL|without URL." in out
    for layout in ("news-classic-text", "mobile-text", "news", "analytics"):
        assert f"  {layout} " in out
    assert "layouts recognised" in out and "target" in out
    assert re.search(r"^all \(\d+ layouts\)", out, re.MULTILINE)


def test_an_unknown_outlet_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--outlet", "no-such-outlet"]) == 2
    assert "no layout fixtures" in capsys.readouterr().out
