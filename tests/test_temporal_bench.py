"""Keep the TimeBank scorer in bench/ working: score three documents."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(
    os.environ.get("TIMELINE_TIMEBANK_DIR", ROOT.parent / "shared" / "corpora" / "timebank")
)


def _bench():
    spec = importlib.util.spec_from_file_location(
        "temporal_eval", ROOT / "bench" / "temporal_eval.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["temporal_eval"] = module
    spec.loader.exec_module(module)
    return module


def test_scorer_runs_on_three_documents(capsys: pytest.CaptureFixture[str]) -> None:
    if not CORPUS.is_dir():
        if os.environ.get("CI"):  # CI has the corpus beside the repo: its absence is a fault
            pytest.fail(f"TimeBank corpus missing at {CORPUS}")
        pytest.skip("TimeBank corpus not present beside the repo")
    bench = _bench()
    assert bench.main(["--dir", str(CORPUS), "--limit", "3", "--errors", "2", "--no-baseline"]) == 0
    out = capsys.readouterr().out
    assert "engine        DATE/TIME" in out
    row = next(line for line in out.splitlines() if line.startswith("engine        all"))
    relaxed_f1 = float(row.split()[5])
    assert relaxed_f1 > 70


def test_loader_maps_gold_offsets_into_stripped_text(tmp_path: Path) -> None:
    bench = _bench()
    doc = tmp_path / "x.tml"
    doc.write_text(
        '<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="1998-01-08" '
        'functionInDocument="CREATION_TIME">19980108</TIMEX3></DCT>\n<TEXT>Shares &amp; bonds '
        '<EVENT eid="e1">fell</EVENT> <TIMEX3 tid="t1" type="DATE" value="1998-01-07">'
        "yesterday</TIMEX3>.</TEXT></TimeML>",
        encoding="utf-8",
    )
    parsed = bench.load_doc(doc)
    assert parsed.text == "Shares & bonds fell yesterday."
    (gold,) = parsed.gold
    assert parsed.text[gold.start : gold.end] == "yesterday"
    assert (gold.type, gold.value, str(parsed.dct)) == ("DATE", "1998-01-07", "1998-01-08")
