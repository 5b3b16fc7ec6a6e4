"""Shared pieces of the corpus evaluations in bench/ (timeline_eval.py, meantime_eval.py).

- ``Service``: the service driven the way a user drives it, through its public HTTP API
  (a Flask test client on a temporary SQLite database); nothing of the service is
  imported but ``create_app`` and ``db.upgrade``.
- ``align_tokens``: the character span of each corpus token in a stored document body.
  The service keeps a cleaned ``body`` (the title and date line moved out, whitespace
  normalised), so tokens are aligned to it by a character-level diff of the two texts
  with whitespace left out, which survives removed lines and changed spacing.
- ``prf``: precision, recall and F1.
"""

from __future__ import annotations

import difflib
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
API_KEY = "k"
sys.path.insert(0, str(REPO))  # the checkout's service, also without an installed package


# ----------------------------------------------------------------------------------------
# the service, through its HTTP API


class ServiceError(RuntimeError):
    """An API call answered with an unexpected status."""


class Service:
    """A fresh service on its own SQLite file, answered through the HTTP API only."""

    def __init__(self, directory: Path) -> None:
        from timeline_service import create_app
        from timeline_service.store.db import upgrade

        url = f"sqlite:///{directory / 'bench.sqlite'}"
        upgrade(url)
        app = create_app(
            {
                "DATABASE_URL": url,
                "API_KEYS": API_KEY,
                "RATE_LIMIT_PER_ADDRESS": 0,
                "RATE_LIMIT_PER_KEY": 0,
                "INGEST_BUDGET_SECONDS": 60,
            }
        )
        self.client = app.test_client()
        self.headers = {"Authorization": f"Bearer {API_KEY}"}
        self.ingest_seconds = 0.0

    def _get(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.client.get(path, query_string=params or {}, headers=self.headers)
        if response.status_code != 200:
            raise ServiceError(f"GET {path} {params or ''}: {response.status_code}")
        return response.get_json()

    def ingest(self, payload: dict[str, Any]) -> int:
        """POST /v1/documents; the stored document's id (a re-ingest gives the same id)."""
        t0 = time.perf_counter()
        response = self.client.post("/v1/documents", json=payload, headers=self.headers)
        self.ingest_seconds += time.perf_counter() - t0
        if response.status_code not in (200, 201):
            detail = response.get_data(as_text=True)[:300]
            raise ServiceError(f"POST /v1/documents: {response.status_code} {detail}")
        return int(response.get_json()["document"]["id"])

    def document(self, doc_id: int) -> dict[str, Any]:
        return self._get(f"/v1/documents/{doc_id}")

    def event(self, event_id: str) -> dict[str, Any]:
        return self._get(f"/v1/events/{event_id}")

    def timeline(self, **params: Any) -> list[dict[str, Any]]:
        """Every event of GET /v1/timeline with these filters, all pages followed."""
        params = {"limit": 500, **params}
        events: list[dict[str, Any]] = []
        while True:
            page = self._get("/v1/timeline", params)
            events.extend(page.get("events", []))
            cursor = page.get("next_cursor")
            if not cursor:
                return events
            params = {**params, "cursor": cursor}


@contextmanager
def temp_service() -> Iterator[Service]:
    """``with temp_service() as service:`` a fresh service on a temporary directory."""
    with tempfile.TemporaryDirectory(prefix="timeline-bench-") as tmp:
        yield Service(Path(tmp))


def trigger_span(mention: dict[str, Any]) -> tuple[int, int] | None:
    """The body offsets of a mention's ``trigger`` (None while the API has no such field)."""
    trigger = mention.get("trigger")
    if not isinstance(trigger, dict):
        return None
    start, end = trigger.get("start"), trigger.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or end <= start:
        return None
    return start, end


# ----------------------------------------------------------------------------------------
# aligning corpus tokens to a stored body

# characters a cleaner may rewrite; both sides are folded before comparing
_FOLD = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
    }
)
# PTB-style quote tokens stand for one character of the text
_TOKEN_FORMS = {"``": '"', "''": '"', "-LRB-": "(", "-RRB-": ")"}


@dataclass(frozen=True)
class Token:
    """A corpus token: its id (as the corpus writes it), sentence number and text."""

    id: str
    sentence: int
    text: str


@dataclass
class Alignment:
    """Body offsets of the tokens that were found; the ids of those that were not."""

    spans: dict[str, tuple[int, int]]
    failed: list[str]

    def tokens_in(self, tokens: Sequence[Token], start: int, end: int) -> list[Token]:
        """Tokens whose body span overlaps [start, end), in order."""
        out = []
        for tok in tokens:
            span = self.spans.get(tok.id)
            if span and span[0] < end and start < span[1]:
                out.append(tok)
        return out

    def sentence_spans(self, tokens: Sequence[Token]) -> dict[int, tuple[int, int]]:
        """Each sentence's body span, from its first to its last aligned token."""
        out: dict[int, tuple[int, int]] = {}
        for tok in tokens:
            span = self.spans.get(tok.id)
            if span is None:
                continue
            old = out.get(tok.sentence)
            out[tok.sentence] = (
                span if old is None else (min(old[0], span[0]), max(old[1], span[1]))
            )
        return out


def _fold(text: str) -> str:
    folded = text.translate(_FOLD)
    # lower-case only where it keeps one character per character (offsets stay put)
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in folded)


def align_tokens(tokens: Sequence[Token], body: str) -> Alignment:
    """Find each token in ``body``: a token is aligned when every one of its characters is
    part of a block the diff of (tokens without spaces) and (body without whitespace) found
    equal; its span runs from its first to its last character in the body."""
    token_chars: list[str] = []
    owner: list[int] = []  # token index of each token character
    for i, tok in enumerate(tokens):
        form = _fold(_TOKEN_FORMS.get(tok.text, tok.text))
        form = "".join(c for c in form if not c.isspace())
        token_chars.append(form)
        owner.extend([i] * len(form))
    stream = "".join(token_chars)
    positions = [i for i, c in enumerate(body) if not c.isspace()]
    folded_body = _fold("".join(body[i] for i in positions))

    where = [-1] * len(stream)  # body offset of each token character, -1 when unmatched
    matcher = difflib.SequenceMatcher(None, stream, folded_body, autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            where[block.a + k] = positions[block.b + k]

    spans: dict[str, tuple[int, int]] = {}
    failed: list[str] = []
    cursor = 0
    for tok, form in zip(tokens, token_chars, strict=True):
        chars = where[cursor : cursor + len(form)]
        cursor += len(form)
        if chars and all(c >= 0 for c in chars):
            spans[tok.id] = (chars[0], chars[-1] + 1)
        else:
            failed.append(tok.id)
    return Alignment(spans, failed)


def best_sentence(sentence_spans: dict[int, tuple[int, int]], start: int, end: int) -> int | None:
    """The sentence whose body span overlaps [start, end) the most (None: no overlap)."""
    best, best_overlap = None, 0
    for sentence, (s, e) in sentence_spans.items():
        overlap = min(e, end) - max(s, start)
        if overlap > best_overlap:
            best, best_overlap = sentence, overlap
    return best


# ----------------------------------------------------------------------------------------
# numbers


def prf(tp: int, n_system: int, n_gold: int) -> tuple[float, float, float]:
    """Precision, recall, F1 in percent (0 where undefined)."""
    p = tp / n_system if n_system else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return 100 * p, 100 * r, 100 * f


def pairs_across_documents(items: dict[str, list[tuple[str, str]]]) -> Iterator[tuple[str, str]]:
    """For groups {key: [(document, item id), ...]}: every pair of item ids of one group
    that lie in different documents, each pair once and in sorted order."""
    for members in items.values():
        ordered = sorted(set(members))
        for i, (doc_a, a) in enumerate(ordered):
            for doc_b, b in ordered[i + 1 :]:
                if doc_a != doc_b:
                    yield (a, b) if a < b else (b, a)
