"""The garbage collector's pace while a long ingest runs.

Bulk ingest keeps many objects alive for a while: a batch's rows and the merge's cache of
mention signatures (hundreds of thousands of objects in a large store). CPython walks every
live object in each full collection, and by default it considers one every ten collections
of the middle generation; at 10,000 stored documents those walks took about a tenth of
the ingest time. :func:`fewer_full_collections` makes them rarer while a bulk ingest runs;
cyclic garbage is still collected, later. Plain reference counting frees everything else
as before.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: Middle-generation collections between full ones while a bulk ingest runs (CPython: 10).
BULK_THRESHOLD = 100

_lock = threading.Lock()
_active = 0
_saved: tuple[int, int, int] | None = None


@contextmanager
def fewer_full_collections() -> Iterator[None]:
    """Raise the collector's oldest-generation threshold for the duration; nested and
    concurrent uses share one change, undone when the last one ends."""
    global _active, _saved
    with _lock:
        if _active == 0:
            _saved = gc.get_threshold()
            gc.set_threshold(_saved[0], _saved[1], max(_saved[2], BULK_THRESHOLD))
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0 and _saved is not None:
                gc.set_threshold(*_saved)
                _saved = None
