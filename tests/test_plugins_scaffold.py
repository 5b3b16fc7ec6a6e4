"""``create_plugin`` writes a plugin package whose own tests pass as generated."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from timeline_service.scaffold import create_plugin, plugin_names

RUFF = Path(sys.executable).with_name("ruff")


def test_names() -> None:
    names = plugin_names("Daily Planet")
    assert (names.slug, names.display, names.module, names.cls, names.distribution) == (
        "daily-planet",
        "Daily Planet",
        "timeline_source_daily_planet",
        "DailyPlanet",
        "timeline-source-daily-planet",
    )
    assert plugin_names("kyiv-post").display == "Kyiv Post"
    for bad in ("", "  ", "42news", "!!!"):
        with pytest.raises(ValueError):
            plugin_names(bad)


def test_generated_package_is_installable_shape(tmp_path: Path) -> None:
    root = create_plugin("Daily Planet", tmp_path)
    assert root == tmp_path / "timeline-source-daily-planet"
    meta = tomllib.loads((root / "pyproject.toml").read_text())
    assert meta["project"]["name"] == "timeline-source-daily-planet"
    assert meta["project"]["entry-points"]["timeline_service"] == {
        "daily-planet": "timeline_source_daily_planet"
    }
    assert (root / "timeline_source_daily_planet.py").is_file()
    with pytest.raises(FileExistsError):
        create_plugin("daily-planet", tmp_path)


def test_generated_tests_pass_as_generated(tmp_path: Path) -> None:
    root = create_plugin("Daily Planet", tmp_path)
    env = {**os.environ, "PYTHONPATH": str(root)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(root / "tests")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed, 1 skipped" in result.stdout  # the install check skips until installed


def test_generated_code_is_lint_clean(tmp_path: Path) -> None:
    if not RUFF.exists():
        pytest.skip("ruff not installed next to this interpreter")
    root = create_plugin("Daily Planet", tmp_path)
    result = subprocess.run(
        [str(RUFF), "check", "--no-cache", "."],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_plugin_registers_and_parses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Registered on the manager the way the entry point would, then unregistered."""
    import importlib

    from timeline_service.pipeline.parse import choose_source
    from timeline_service.plugins import get_plugin_manager, get_sources
    from timeline_service.sdk.article import RawDocument

    root = create_plugin("Daily Planet", tmp_path)
    monkeypatch.syspath_prepend(str(root))
    module = importlib.import_module("timeline_source_daily_planet")
    pm = get_plugin_manager()
    pm.register(module, name="daily-planet")
    try:
        text = (root / "tests" / "samples" / "sample_1.txt").read_text()
        choice = choose_source(RawDocument(text=text), get_sources())
        assert choice.source.slug == "daily-planet"
    finally:
        pm.unregister(name="daily-planet")
        sys.modules.pop("timeline_source_daily_planet", None)
