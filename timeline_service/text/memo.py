"""Caches of pure functions of a story's text.

A story's sentences and paragraphs recur in its updates, reposts and wire copies, so the
work done on one sentence (splitting, verb groups, concepts, titles) is cached on its text.
The caches are registered here so that they can be emptied together: a benchmark that
feeds the same stories again and again empties them before each document, to measure what
new text costs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_CACHES: list[Any] = []


def story_cache(maxsize: int) -> Callable[[F], F]:
    """``functools.lru_cache(maxsize)``, registered with :func:`forget_stories`."""

    def wrap(function: F) -> F:
        cached = lru_cache(maxsize=maxsize)(function)
        _CACHES.append(cached)
        return cached  # type: ignore[return-value]

    return wrap


def forget_stories() -> None:
    """Empty every story cache (caches of words and dates are kept: all text shares them)."""
    for cached in _CACHES:
        cached.cache_clear()
