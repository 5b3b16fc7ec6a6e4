"""A faulty plugin rejects its document, names itself, and leaves the others working."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import pluggy
import pytest

from timeline_service import hookspecs, plugins
from timeline_service.hookspecs import hookimpl
from timeline_service.pipeline.parse import choose_source, parse_with_budget, validate_article
from timeline_service.plugins import PluginFailure, PluginRejected, get_plugin_manager, get_sources
from timeline_service.sdk import Source
from timeline_service.sdk.article import Article, ParseError, RawDocument

TEXT = "Belarus said on Thursday that its troops would not take part in the war."


class Faulty(Source):
    slug = "faulty"
    name = "Faulty"

    def __init__(self, behaviour: str) -> None:
        self.behaviour = behaviour
        self.release = threading.Event()

    def parse(self, raw: RawDocument) -> Article:
        if self.behaviour == "raise":
            raise KeyError("boom")
        if self.behaviour == "reject":
            raise ParseError("not one of ours")
        if self.behaviour == "hang":
            self.release.wait(30)
        if self.behaviour == "none":
            return None  # type: ignore[return-value]
        if self.behaviour == "empty":
            return Article(title=None, paragraphs=("", "  "))
        if self.behaviour == "naive":
            return Article(None, (TEXT,), datetime(2022, 2, 24), "text")
        if self.behaviour == "zone":
            return Article(None, (TEXT,), timezone="Mars/Olympus")
        if self.behaviour == "origin":
            return Article(None, (TEXT,), published_at_origin="guessed")  # type: ignore[arg-type]
        return Article(None, (TEXT,))


def test_a_sound_result_passes() -> None:
    article = parse_with_budget(Faulty("ok"), RawDocument(text=TEXT), seconds=1)
    assert article.paragraphs == (TEXT,)


def test_an_exception_becomes_a_failure_naming_the_plugin() -> None:
    with pytest.raises(PluginFailure) as info:
        parse_with_budget(Faulty("raise"), RawDocument(text=TEXT), seconds=1)
    assert not isinstance(info.value, PluginRejected)
    assert info.value.plugin == "faulty"
    assert "KeyError" in info.value.detail


def test_parse_error_becomes_a_rejection() -> None:
    with pytest.raises(PluginRejected) as info:
        parse_with_budget(Faulty("reject"), RawDocument(text=TEXT), seconds=1)
    assert (info.value.plugin, info.value.detail, info.value.kind) == (
        "faulty",
        "not one of ours",
        "rejected",
    )


def test_a_hung_parse_is_abandoned_within_the_budget() -> None:
    source = Faulty("hang")
    start = time.perf_counter()
    with pytest.raises(PluginFailure, match=r"longer than 0\.2 s"):
        parse_with_budget(source, RawDocument(text=TEXT), seconds=0.2)
    assert time.perf_counter() - start < 1.5
    source.release.set()
    # The next parse gets a fresh worker and works.
    assert parse_with_budget(Faulty("ok"), RawDocument(text=TEXT), seconds=1).paragraphs


@pytest.mark.parametrize(
    ("behaviour", "problem"),
    [
        ("none", "not Article"),
        ("empty", "no non-empty paragraph"),
        ("naive", "naive"),
        ("zone", "not an IANA zone"),
        ("origin", "published_at_origin"),
    ],
)
def test_nonsense_is_a_failure(behaviour: str, problem: str) -> None:
    with pytest.raises(PluginFailure, match=problem):
        parse_with_budget(Faulty(behaviour), RawDocument(text=TEXT), seconds=1)


def test_validate_article_accepts_the_builtins_output() -> None:
    article = parse_with_budget(get_sources()["generic"], RawDocument(text=TEXT), seconds=1)
    assert validate_article(article) == []


class FaultyPlugin:
    """Registered on the manager as a third-party plugin would be, then unregistered."""

    @hookimpl
    def register_sources(self) -> list[Source]:
        return [Faulty("raise")]


class BrokenHookPlugin:
    @hookimpl
    def register_sources(self) -> list[Source]:
        raise RuntimeError("cannot build my sources")


def test_a_failing_plugin_does_not_stop_the_others(caplog: pytest.LogCaptureFixture) -> None:
    pm = get_plugin_manager()
    pm.register(FaultyPlugin(), name="faulty-plugin")
    pm.register(BrokenHookPlugin(), name="broken-hook")
    try:
        with caplog.at_level(logging.WARNING):
            sources = get_sources()
        assert "broken-hook" in caplog.text
        assert "faulty" in sources and "moscow-times" in sources
        with pytest.raises(PluginFailure) as info:
            parse_with_budget(sources["faulty"], RawDocument(text=TEXT, source="faulty"), seconds=1)
        assert info.value.plugin == "faulty-plugin"
        raw = RawDocument(text="Body.\nA Message from The Moscow Times:\nDear readers,")
        choice = choose_source(raw, sources)
        assert choice.source.slug == "moscow-times"
    finally:
        pm.unregister(name="faulty-plugin")
        pm.unregister(name="broken-hook")
    assert "faulty" not in get_sources()


def test_a_plugin_that_fails_to_import_is_logged_and_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A real installed distribution whose entry point cannot be imported."""
    dist = tmp_path / "timeline_source_broken-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: timeline-source-broken\nVersion: 0.1\n"
    )
    (dist / "entry_points.txt").write_text(
        "[timeline_service]\nbroken = timeline_source_broken_missing_module\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(plugins, "_failed", {})
    monkeypatch.setattr(plugins, "_origins", {})
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    with caplog.at_level(logging.WARNING):
        plugins._load(pm)
    assert "broken" in plugins._failed and "ModuleNotFoundError" in plugins._failed["broken"]
    assert "timeline-source-broken" in caplog.text
    assert pm.has_plugin("cnn") and not pm.has_plugin("broken")
    assert "timeline_source_broken_missing_module" not in sys.modules


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_parsing_works_in_a_forked_worker() -> None:
    """Like a gunicorn worker forked after the master parsed: the pool's threads are gone."""
    parse_with_budget(Faulty("ok"), RawDocument(text=TEXT), seconds=1)  # pool now has a worker
    pid = os.fork()
    if pid == 0:  # the child
        try:
            parse_with_budget(Faulty("ok"), RawDocument(text=TEXT), seconds=2)
        except BaseException:
            os._exit(1)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_document_budget_interrupting_a_parse_is_not_blamed_on_the_plugin() -> None:
    """On the main thread the parse runs inline: the earlier, outer budget interrupts it."""
    from timeline_service.pipeline.limits import BudgetExceeded, time_budget

    source = Faulty("hang")
    start = time.perf_counter()
    try:
        with pytest.raises(BudgetExceeded), time_budget(0.3):
            parse_with_budget(source, RawDocument(text=TEXT), seconds=10)
        assert time.perf_counter() - start < 1.5
        article = parse_with_budget(Faulty("ok"), RawDocument(text=TEXT), seconds=2)
        assert article.paragraphs == (TEXT,)
    finally:
        source.release.set()


def test_a_parse_that_swallows_the_alarm_is_still_stopped() -> None:
    """A plugin catching every exception cannot outlive its budget: the alarm fires again."""

    class Stubborn(Faulty):
        def parse(self, raw: RawDocument) -> Article:
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                with contextlib.suppress(Exception):  # swallows whatever it can
                    time.sleep(0.01)
            return Article(None, (TEXT,))

    start = time.perf_counter()
    with pytest.raises(PluginFailure, match="longer than"):
        parse_with_budget(Stubborn("ok"), RawDocument(text=TEXT), seconds=0.2)
    assert time.perf_counter() - start < 4


def test_off_the_main_thread_a_hung_parse_is_abandoned() -> None:
    """Where no alarm can be set, the parse runs on a pool thread that is left behind."""
    from timeline_service.pipeline.parse import _pool

    source = Faulty("hang")
    before = _pool.abandoned
    outcome: list[BaseException | Article] = []

    def run() -> None:
        try:
            outcome.append(parse_with_budget(source, RawDocument(text=TEXT), seconds=0.2))
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(5)
    source.release.set()
    assert isinstance(outcome[0], PluginFailure) and "longer than" in outcome[0].detail
    assert _pool.abandoned == before + 1


def test_a_checkout_that_was_never_installed_has_its_built_in_plugins() -> None:
    """The built-ins are registered by module name (DEFAULT_PLUGINS): when the installed
    ``timeline_plugins`` package cannot be found, they load from the checkout's folder."""
    import subprocess

    code = (
        "import importlib.abc, sys\n"
        "class Hide(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'timeline_plugins':  # not installed\n"
        "            raise ModuleNotFoundError(name, name='timeline_plugins')\n"
        "sys.meta_path.insert(0, Hide())\n"
        "from timeline_service.plugins import get_formats, get_sources\n"
        "print(sorted(get_sources()), 'ics' in get_formats())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("]")[0].count("'") == 12  # six sources
    assert done.stdout.strip().endswith("True")
