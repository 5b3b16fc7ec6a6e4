"""Per-document budgets: absurd input is refused up front, and preparation is timed.

The body-size limit (``MAX_CONTENT_LENGTH``) bounds the bytes, but not the work: two
megabytes can hold half a million one-word paragraphs, one 2 MB "sentence", or HTML nested
ten thousand deep, and each of those costs the parser or the date engine far more than a
real article. :func:`check_document` rejects such shapes in linear time before any plugin
runs; :func:`time_budget` stops preparation that still overruns, so one document cannot
hold a worker for minutes.
"""

from __future__ import annotations

import re
import signal
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..sdk.article import RawDocument

#: elements that never enclose content, so never deepen the nesting
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
     "source", "track", "wbr"}
)  # fmt: skip
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*?(/?)>")
_BLOCK = re.compile(r"<(?:p|br|div|li|tr|h[1-6]|blockquote|section|article)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?;:\n]")


class LimitExceeded(ValueError):
    """The document is beyond a configured budget; ``field`` names the input at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class BudgetExceeded(Exception):
    """Preparing the document took longer than its time budget."""


@dataclass(frozen=True)
class DocumentLimits:
    """How large a document may be, in the units that drive the cost of ingesting it."""

    max_chars: int = 1_000_000
    max_paragraphs: int = 5_000
    max_html_depth: int = 200
    max_sentence_chars: int = 5_000
    seconds: float = 20.0

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> DocumentLimits:
        return cls(
            max_chars=int(config.get("MAX_DOCUMENT_CHARS", cls.max_chars)),
            max_paragraphs=int(config.get("MAX_PARAGRAPHS", cls.max_paragraphs)),
            max_html_depth=int(config.get("MAX_HTML_DEPTH", cls.max_html_depth)),
            max_sentence_chars=int(config.get("MAX_SENTENCE_CHARS", cls.max_sentence_chars)),
            seconds=float(config.get("INGEST_BUDGET_SECONDS", cls.seconds)),
        )


def check_document(raw: RawDocument, limits: DocumentLimits) -> None:
    """Raise :class:`LimitExceeded` for input whose shape no real article has."""
    field = "text" if raw.text is not None else "html"
    content = raw.content
    if len(content) > limits.max_chars:
        raise LimitExceeded(
            field, f"{len(content):,} characters; at most {limits.max_chars:,} are accepted."
        )
    paragraphs = (
        len(_BLOCK.findall(content))
        if field == "html"
        else sum(1 for line in content.splitlines() if line.strip())
    )
    if paragraphs > limits.max_paragraphs:
        raise LimitExceeded(
            field, f"{paragraphs:,} paragraphs; at most {limits.max_paragraphs:,} are accepted."
        )
    if field == "html":
        depth = html_depth(content, stop_at=limits.max_html_depth + 1)
        if depth > limits.max_html_depth:
            raise LimitExceeded(
                field, f"HTML nested deeper than {limits.max_html_depth} elements is not accepted."
            )
    longest = longest_run(content)
    if longest > limits.max_sentence_chars:
        raise LimitExceeded(
            field,
            f"a run of {longest:,} characters without a sentence break; at most "
            f"{limits.max_sentence_chars:,} are accepted.",
        )


def html_depth(html: str, *, stop_at: int | None = None) -> int:
    """The deepest element nesting in ``html``, counted tag by tag (unclosed tags count)."""
    depth = deepest = 0
    for m in _TAG.finditer(html):
        closing, name, self_closing = m.group(1), m.group(2).lower(), m.group(3)
        if closing:
            depth = max(0, depth - 1)
        elif not self_closing and name not in _VOID:
            depth += 1
            if depth > deepest:
                deepest = depth
                if stop_at is not None and deepest >= stop_at:
                    break
    return deepest


def longest_run(text: str) -> int:
    """The longest stretch of ``text`` with no sentence or line break in it."""
    longest = previous = 0
    for m in _SENTENCE_END.finditer(text):
        longest = max(longest, m.start() - previous)
        previous = m.end()
    return max(longest, len(text) - previous)


class _Alarm(BaseException):
    """Raised into the block when a budget expires; a ``BaseException`` so that the code
    under budget (a plugin's ``except Exception``) cannot swallow it. The budget's own
    context turns it into the budget's error."""

    def __init__(self, budget: object) -> None:
        super().__init__()
        self.budget = budget


#: the budgets open on this process's main thread, innermost last: [deadline, seconds]
_budgets: list[list[float]] = []
#: how soon an expired budget fires again if the block swallowed its alarm anyway
_REPEAT = 0.05


def _expired(_signum: int, _frame: Any) -> None:
    earliest = min(_budgets, key=lambda budget: budget[0])
    signal.setitimer(signal.ITIMER_REAL, _REPEAT)  # until the block ends; see _arm
    raise _Alarm(earliest)


def _arm() -> None:
    if _budgets:
        left = min(deadline for deadline, _ in _budgets) - time.monotonic()
        signal.setitimer(signal.ITIMER_REAL, max(left, 1e-3))
    else:
        signal.setitimer(signal.ITIMER_REAL, 0)


@contextmanager
def time_budget(
    seconds: float | None, *, error: Callable[[], BaseException] | None = None
) -> Iterator[bool]:
    """Raise ``error()`` (:class:`BudgetExceeded` by default) in the block once ``seconds``
    of wall time have passed; yields whether the budget is enforced.

    Uses ``SIGALRM``, so it applies on a process's main thread only: gunicorn's workers
    (sync, and gevent, whose greenlets all run there), the CLI, the test client. Elsewhere
    the block runs unbounded, and the static limits of :func:`check_document` are the
    guard. Budgets nest (a plugin's parse inside a document's preparation): the earliest
    deadline fires first. A block must not wait on I/O under a budget, since on a gevent
    worker another request's greenlet would run meanwhile. An interval timer someone else
    armed (a test-timeout plugin, say) is left alone, and so then is the block.
    """
    if not seconds or (not _budgets and signal.getitimer(signal.ITIMER_REAL)[0] > 0):
        yield False
        return
    previous = None
    if not _budgets:
        try:
            previous = signal.signal(signal.SIGALRM, _expired)
        except ValueError:  # not the main thread
            yield False
            return
    budget = [time.monotonic() + seconds, seconds]
    _budgets.append(budget)
    _arm()
    try:
        yield True
    except _Alarm as alarm:
        if alarm.budget is not budget:
            raise
        raise (error or _document_overrun(seconds))() from None
    finally:
        del _budgets[next(i for i, b in enumerate(_budgets) if b is budget)]
        _arm()
        if not _budgets:
            signal.signal(signal.SIGALRM, previous)


def _document_overrun(seconds: float) -> Callable[[], BaseException]:
    return lambda: BudgetExceeded(f"preparing the document took longer than {seconds:g} s")
