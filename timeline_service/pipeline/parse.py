"""Choosing the source plugin for a raw document, and running its parse safely: a time
budget, isolation from the plugin's errors, and a check of what it returns."""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..plugins import PluginFailure, PluginRejected
from ..sdk.article import Article, ParseError, RawDocument
from ..sdk.source import Source
from .limits import BudgetExceeded, time_budget


class UnknownSource(LookupError):
    """No installed source has the requested slug."""

    def __init__(self, slug: str) -> None:
        super().__init__(f"no source plugin with slug {slug!r}")
        self.slug = slug


@dataclass(frozen=True)
class Choice:
    """The chosen source and why: ``explicit``, or the match score it won with."""

    source: Source
    reason: str
    score: float


def choose_source(
    raw: RawDocument, sources: dict[str, Source], fallback: str = "generic"
) -> Choice:
    """Pick the source for ``raw``: the explicit slug, else the best match, else ``fallback``.

    Ties go to the alphabetically first slug, so the choice never depends on load order.
    """
    if raw.source:
        if raw.source not in sources:
            raise UnknownSource(raw.source)
        return Choice(sources[raw.source], "explicit", 1.0)
    best: tuple[float, str] | None = None
    for slug, source in sources.items():
        if slug == fallback:
            continue
        score = float(source.match(raw) or 0.0)
        if score > 0 and (best is None or (-score, slug) < (-best[0], best[1])):
            best = (score, slug)
    if best is not None:
        reason = "domain" if best[0] >= 1.0 and raw.domain else "signature"
        return Choice(sources[best[1]], reason, best[0])
    if fallback not in sources:
        raise UnknownSource(fallback)
    return Choice(sources[fallback], "fallback", 0.0)


# -------------------------------------------------------------------------
# Running a plugin's parse safely: a time budget and a check of what it returns
# -------------------------------------------------------------------------


_ORIGINS = frozenset({"metadata", "text", "inferred", "unknown"})


def validate_article(article: object) -> list[str]:
    """What is wrong with a plugin's result, as a list of problems (empty when sound)."""
    if not isinstance(article, Article):
        return [f"parse returned {type(article).__name__}, not Article"]
    problems: list[str] = []
    for name in ("title", "timezone", "dateline", "byline"):
        value = getattr(article, name)
        if value is not None and not isinstance(value, str):
            problems.append(f"{name} is {type(value).__name__}, not str or None")
    if not isinstance(article.language, str) or not article.language:
        problems.append("language must be a non-empty str")
    for name in ("paragraphs", "captions", "boilerplate"):
        value = getattr(article, name)
        if not isinstance(value, tuple | list) or not all(isinstance(v, str) for v in value):
            problems.append(f"{name} must be a tuple of str")
    if not problems and not any(p.strip() for p in article.paragraphs):
        problems.append("no non-empty paragraph")
    published = article.published_at
    if published is not None:
        if not isinstance(published, datetime):
            problems.append("published_at is not a datetime")
        elif published.tzinfo is None or published.utcoffset() is None:
            problems.append("published_at is naive; it must carry a time zone")
    if article.published_at_origin not in _ORIGINS:
        problems.append(
            f"published_at_origin {article.published_at_origin!r} is not one of {sorted(_ORIGINS)}"
        )
    elif (published is None) != (article.published_at_origin == "unknown"):
        problems.append("published_at_origin must be 'unknown' exactly when published_at is None")
    if article.timezone is not None and isinstance(article.timezone, str):
        from ..temporal.zones import valid_zone

        if not valid_zone(article.timezone):
            problems.append(f"timezone {article.timezone!r} is not an IANA zone")
    return problems


class _Worker(threading.Thread):
    """A daemon thread that runs parse jobs one at a time from its own queue."""

    def __init__(self) -> None:
        super().__init__(name="timeline-parse", daemon=True)
        self.jobs: queue.SimpleQueue[tuple[Callable[[], Any], Future[Any]] | None] = (
            queue.SimpleQueue()
        )
        self.start()

    def run(self) -> None:
        while (job := self.jobs.get()) is not None:
            fn, future = job
            try:
                future.set_result(fn())
            except BaseException as exc:  # handed to the waiting caller
                future.set_exception(exc)


class _ParsePool:
    """Reusable daemon workers, so a parse costs a queue hand-off, not a new thread.

    A parse that outlives its budget keeps its worker: Python cannot kill a thread. The
    worker is retired (it exits when the parse ends, if ever) and a fresh one takes its
    place. Daemon threads never block interpreter exit.
    """

    def __init__(self, keep: int = 8) -> None:
        self._idle: list[_Worker] = []
        self._keep = keep
        self._lock = threading.Lock()
        self.abandoned = 0

    def run(self, fn: Callable[[], Any], seconds: float) -> Any:
        with self._lock:
            worker = self._idle.pop() if self._idle else None
        if worker is None:
            worker = _Worker()
        future: Future[Any] = Future()
        worker.jobs.put((fn, future))
        try:
            result = future.result(timeout=seconds)
        except FutureTimeout:
            worker.jobs.put(None)
            with self._lock:
                self.abandoned += 1
            raise
        except BaseException:
            if future.done():
                self._release(worker)
            else:  # interrupted while waiting (a document budget): the parse runs on
                worker.jobs.put(None)
                with self._lock:
                    self.abandoned += 1
            raise
        self._release(worker)
        return result

    def _release(self, worker: _Worker) -> None:
        with self._lock:
            if len(self._idle) < self._keep:
                self._idle.append(worker)
                return
        worker.jobs.put(None)

    def forget_workers(self) -> None:
        """Drop the idle workers: after ``fork`` they are gone, only their records remain."""
        self._idle = []
        self._lock = threading.Lock()


_pool = _ParsePool()
# A forked server worker (gunicorn) inherits the pool's records but not its threads.
os.register_at_fork(after_in_child=_pool.forget_workers)


class _ParseOverrun(Exception):
    """A plugin's parse outlived its own budget (raised into it by the alarm)."""


def parse_with_budget(source: Source, raw: RawDocument, *, seconds: float = 5.0) -> Article:
    """Parse ``raw`` with ``source`` within ``seconds``, and check what comes back.

    Raises :class:`PluginRejected` when the plugin raises ``ParseError``, and
    :class:`PluginFailure` when it raises anything else, runs out of time, or returns
    something that is not a sound Article. Either names the plugin. A caller-given
    ``published_at`` wins over what the plugin read (see ``publication_context``).

    On a process's main thread (gunicorn's workers, the CLI) the parse runs inline and an
    alarm interrupts it when its time is up. Elsewhere it runs on a pool thread that is
    abandoned when its time is up (Python cannot kill a thread); a parse stuck inside one
    C call (a catastrophic regular expression) can be stopped by neither, so plugin authors
    should keep their patterns linear.
    """
    plugin = _plugin_name(source)
    try:
        with time_budget(seconds, error=_ParseOverrun) as bounded:
            article = source.parse(raw) if bounded else None
        if not bounded:  # off the main thread: no signals, so a thread we can abandon
            article = _pool.run(lambda: source.parse(raw), seconds)
    except (FutureTimeout, _ParseOverrun):
        raise PluginFailure(plugin, f"parse took longer than {seconds:g} s; abandoned") from None
    except ParseError as exc:
        raise PluginRejected(plugin, str(exc) or "document rejected") from exc
    except BudgetExceeded:  # the whole document's budget, not this plugin's fault
        raise
    except Exception as exc:
        raise PluginFailure(plugin, f"parse raised {type(exc).__name__}: {exc}") from exc
    problems = validate_article(article)
    if problems:
        raise PluginFailure(plugin, "returned a malformed Article: " + "; ".join(problems))
    return article


def _plugin_name(source: Source) -> str:
    return getattr(source, "_plugin_name", None) or getattr(source, "slug", None) or repr(source)
