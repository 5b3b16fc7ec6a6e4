"""The plugin guide's complete example and the hookspecs example work as written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

from timeline_service import hookspecs
from timeline_service.conformance import check_source

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "plugins.md"
FILE_BLOCK = re.compile(r"<!-- file: (?P<path>\S+) -->\n```\w*\n(?P<body>.*?)\n```", re.DOTALL)


def test_guide_example_passes_its_own_tests(tmp_path: Path) -> None:
    files = {m["path"]: m["body"] + "\n" for m in FILE_BLOCK.finditer(GUIDE.read_text("utf-8"))}
    assert set(files) == {
        "tests/samples/bridge.txt",
        "timeline_source_daily_planet.py",
        "tests/test_daily_planet.py",
    }
    for path, body in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(body, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout


def test_hookspecs_example_conforms() -> None:
    doc = hookspecs.__doc__ or ""
    code = doc.split("A complete source plugin, one module::\n", 1)[1].split("\nTest it with", 1)[0]
    namespace: dict[str, object] = {}
    exec(textwrap.dedent(code), namespace)
    source = namespace["register_sources"]()[0]  # type: ignore[operator]
    sample = (
        "Bridge reopens after repairs\n"
        "METROPOLIS (Daily Planet) - The Hobbs Bay bridge reopened on Monday after two years "
        "of repairs, the city said.\nRelated stories\nCouncil elections set for May"
    )
    report = check_source(source, [sample])
    assert report.articles[0].dateline == "Metropolis"
    assert report.articles[0].paragraphs == (
        "The Hobbs Bay bridge reopened on Monday after two years of repairs, the city said.",
    )
