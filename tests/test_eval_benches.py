"""Keep the pure helpers of the corpus evaluations in bench/ honest: token alignment on a
real TimeLine document, the task's date format and line order, the baseline's rules,
and the MEANTIME reader on a real file. Quick: no service is started."""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
TRIAL = CORPORA / "timeline-trial" / "apple"
MEANTIME = CORPORA / "meantime-apple" / "intra_cross-doc_annotation"


def _bench(name: str) -> ModuleType:
    if str(ROOT / "bench") not in sys.path:
        sys.path.insert(0, str(ROOT / "bench"))
    return importlib.import_module(name)


def _need(path: Path) -> None:
    if not path.exists():
        if os.environ.get("CI"):  # CI has the corpora beside the repo: their absence is a fault
            pytest.fail(f"corpus missing at {path}")
        pytest.skip(f"corpus not present at {path}")


def _trial_doc(doc_id: str) -> tuple[object, str]:
    """A CAT document of meta.json and its ingest text."""
    te = _bench("timeline_eval")
    doc = te.load_meta(TRIAL / "meta.json")[doc_id]
    for line in (TRIAL / "ingest.jsonl").read_text(encoding="utf-8").splitlines():
        payload = json.loads(line)
        if payload["url"] == doc.url:
            return doc, payload["text"]
    raise AssertionError(f"{doc_id} not in ingest.jsonl")


def test_tokens_align_to_a_body_without_title_and_date_line() -> None:
    _need(TRIAL)
    doc, text = _trial_doc("10718")
    # the service's body: title and date line moved out, spacing changed, quotes curled
    body = text.split("\n\n", 2)[2].replace("\n\n", "\n").replace(' "', " “")
    alignment = _bench("evalkit").align_tokens(doc.tokens, body)
    head = [t.id for t in doc.tokens if t.sentence < 2]
    assert alignment.failed == head
    for tok in doc.tokens[len(head) :]:
        start, end = alignment.spans[tok.id]
        assert body[start:end].replace("“", '"') == tok.text
    sentences = alignment.sentence_spans(doc.tokens)
    assert body[slice(*sentences[2])].startswith("The European Commission has forced Apple")


def test_alignment_reports_a_removed_sentence_and_keeps_the_rest() -> None:
    _need(TRIAL)
    doc, text = _trial_doc("10718")
    paragraphs = text.split("\n\n")
    del paragraphs[4]  # sentence 4
    alignment = _bench("evalkit").align_tokens(doc.tokens, "\n\n".join(paragraphs))
    failed = [t for t in doc.tokens if t.id in alignment.failed]
    # a diff cannot tell which of two equal neighbours went: the full stop may swap sides
    assert all(t in failed for t in doc.tokens if t.sentence == 4 and t.text != ".")
    assert [t.text for t in failed if t.sentence != 4] in ([], ["."])
    neighbours = [t for t in doc.tokens if t.sentence in (3, 5)]
    assert sum(t.id in alignment.spans for t in neighbours) >= len(neighbours) - 1


def test_dates_in_the_task_format() -> None:
    te = _bench("timeline_eval")
    cases = {
        "2008-01-09": "2008-01-09",
        "2008-01-09T10:30": "2008-01-09",
        "2008-01-09TMO": "2008-01-09",
        "2008-01": "2008-01-XX",
        "2008": "2008-XX-XX",
        "2008-Q1": "2008-XX-XX",
        "2008-SU": "2008-XX-XX",
        "2008-W02": "2008-01-XX",  # 7-13 January
        "2008-W05": "2008-XX-XX",  # 28 January - 3 February
        "199": "XXXX-XX-XX",
        "PRESENT_REF": "XXXX-XX-XX",
        None: "XXXX-XX-XX",
    }
    assert {value: te.format_date(value) for value in cases} == cases


def test_events_of_one_date_share_an_order_and_unknown_dates_get_zero() -> None:
    te = _bench("timeline_eval")
    rows = [
        te.Row("2008-01-09", ("2008-01-09T00", "2008-01-10T00"), ["1-2-said"]),
        te.Row("XXXX-XX-XX", ("", ""), ["1-3-met"]),
        te.Row("2008-XX-XX", ("2008-01-01T00", "2009-01-01T00"), ["1-4-sold"]),
        te.Row("2008-01-09", ("2008-01-09T00", "2008-01-10T00"), ["1-5-won"]),
        te.Row("2007-06-XX", ("2007-06-01T00", "2007-07-01T00"), []),
    ]
    assert te.timeline_lines(rows) == [
        (0, "XXXX-XX-XX", ["1-3-met"]),
        (1, "2008-XX-XX", ["1-4-sold"]),
        (2, "2008-01-09", ["1-2-said"]),
        (2, "2008-01-09", ["1-5-won"]),
    ]


def test_baseline_names_and_event_tokens() -> None:
    te = _bench("timeline_eval")
    tok = te.Token

    def sentence(text: str) -> list:
        return [tok(str(i), 2, w) for i, w in enumerate(text.split())]

    jobs = te.name_patterns("Steve Jobs")
    words = sentence("On Monday , Jobs has announced a new iPod")
    named = te.name_token_range(words, jobs)
    assert named == range(3, 4)
    assert te.baseline_token(words, named).text == "announced"
    assert te.name_token_range(sentence("iPhone 4 sales began"), te.name_patterns("iPhone 4"))
    assert te.name_token_range(sentence("It sold 4 million"), te.name_patterns("iPhone 4")) is None
    assert te.name_token_range(sentence("a store opened"), te.name_patterns("iTunes store")) is None
    before = sentence("Sales soared for the iPod")
    assert te.baseline_token(before, range(4, 5)).text == "soared"


def test_a_trigger_becomes_its_head_token() -> None:
    _need(TRIAL)
    te = _bench("timeline_eval")
    doc, text = _trial_doc("10718")
    body = text.split("\n\n", 2)[2]
    alignment = _bench("evalkit").align_tokens(doc.tokens, body)
    stored = te.Stored(doc, 1, body, alignment, alignment.sentence_spans(doc.tokens), [])
    start = body.index("has forced")
    sentence = alignment.sentence_spans(doc.tokens)[2]
    mention = {"span": list(sentence), "trigger": {"text": "has forced", "start": start}}
    mention["trigger"]["end"] = start + len("has forced")
    site = te.locate(mention, stored)
    assert site.sentence == 2
    assert te.head_token(site.trigger).text == "forced"
    assert te.locate({"span": list(sentence)}, stored).trigger is None  # no trigger field


def test_meantime_reader_on_a_real_file() -> None:
    _need(MEANTIME)
    me = _bench("meantime_eval")
    doc = me.read_meantime(
        MEANTIME / "101354_Apple_releases_iPhone_SDK,_announces_upcoming_update.xml"
    )
    assert doc.doc_id == "101354"
    assert len(doc.tokens) > 100 and doc.timexes and doc.entities and doc.events
    assert doc.dct.value == "2008-03-06"
    assert {doc.sentence_of()[t] for t in doc.dct.tokens} == {1}
    assert any(e.instance for e in doc.entities) and any(e.instance for e in doc.events)
    text, spans = me.detokenize(doc.tokens)
    assert text.startswith("Apple releases iPhone SDK, announces upcoming update\n\nMarch 06, 2008")
    for tok in doc.tokens:
        assert text[slice(*spans[tok.id])] == me.TOKEN_FORMS.get(tok.text, tok.text)


def test_split_and_pairs() -> None:
    me = _bench("meantime_eval")
    docs = [me.MeantimeDoc(str(i), "", []) for i in range(7)]
    tune, held = me.split(docs)
    assert [d.doc_id for d in held] == ["2", "5"] and len(tune) == 5
    pairs = _bench("evalkit").pairs_across_documents(
        {"x": [("d1", "a"), ("d1", "b"), ("d2", "c")], "y": [("d3", "e")]}
    )
    assert sorted(pairs) == [("a", "c"), ("b", "c")]
