"""The example third-party plugin, pip-installed from ``examples/``, is listed and used.

The package is built and installed by pip exactly as a third party's would be, into a
throwaway ``--target`` folder put on ``PYTHONPATH``, so the service's own environment is
left untouched and no dependency is downloaded (``--no-deps``: the service is already
installed). Then the real ``timeline-service`` command lists and ingests with it.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "timeline-source-belta"
CLI = Path(sys.executable).with_name("timeline-service")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Install the example with pip; return the environment that sees it."""
    tmp = tmp_path_factory.mktemp("example")
    package = tmp / "package"
    shutil.copytree(EXAMPLE, package, ignore=shutil.ignore_patterns("*.egg-info", "build"))
    pip = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(tmp / "site")]
    # Fast path without build isolation; fall back to pip's isolated build when the
    # environment lacks what setuptools needs to build a wheel.
    done = subprocess.run([*pip, "--no-build-isolation", str(package)], capture_output=True)
    if done.returncode != 0:
        done = subprocess.run([*pip, str(package)], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp / "site" / "timeline_source_belta.py").is_file()
    return {
        **os.environ,
        "PYTHONPATH": str(tmp / "site"),
        "TIMELINE_DATABASE_URL": f"sqlite:///{tmp / 'timeline.sqlite'}",
    }


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CLI), *args], env=env, capture_output=True, text=True, timeout=120, cwd=ROOT
    )


def test_installed_plugin_is_listed(installed: dict[str, str]) -> None:
    result = run(installed, "plugins", "--json")
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    rows = {row["slug"]: row for row in listed["sources"]}
    plugin = next(p for p in listed["plugins"] if p["name"] == "belta")
    assert (plugin["origin"], plugin["hooks"], plugin["sources"]) == (
        "timeline-source-belta",
        ["register_sources"],
        ["belta"],
    )
    assert rows["belta"]["name"] == "BelTA"
    assert rows["belta"]["origin"] == "timeline-source-belta"
    assert rows["belta"]["version"] == "0.1.0"
    assert rows["belta"]["domains"] == ["belta.by"]
    assert rows["moscow-times"]["origin"] == "built-in"


def test_installed_plugin_is_used_for_ingestion(installed: dict[str, str]) -> None:
    samples = EXAMPLE / "tests" / "samples"
    # Routed by its textual signature, with no --source ...
    result = run(installed, "ingest", str(samples / "belta_no_involvement.txt"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ingested: 1" in result.stdout
    # ... and chosen explicitly by slug.
    result = run(
        installed, "ingest", str(samples / "belta_border_press_tour.txt"), "--source", "belta"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    database = installed["TIMELINE_DATABASE_URL"].removeprefix("sqlite:///")
    with closing(sqlite3.connect(database)) as db:
        rows = db.execute(
            "SELECT s.slug, d.dateline, d.body FROM documents d "
            "JOIN sources s ON s.id = d.source_id ORDER BY d.id"
        ).fetchall()
    assert [(r[0], r[1]) for r in rows] == [("belta", "Minsk"), ("belta", "Brest")]
    assert rows[0][2].startswith("Belarusian troops are not taking part")
    assert "Follow BelTA" not in rows[0][2] and "(BelTA)" not in rows[0][2]


def test_example_package_own_tests_pass_once_installed(installed: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=EXAMPLE,
        env=installed,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 passed" in result.stdout  # including the check that it is registered
