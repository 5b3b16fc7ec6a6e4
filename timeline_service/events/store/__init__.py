"""Applying clustering to the database: the one place events and mentions are linked.

Mentions are clustered per *block*, and a block's clustering is a function of the set of
mentions in it (see :mod:`..cluster`):

- a **day block** holds the mentions dated to one local calendar day or finer (the date
  value's first ten characters: ``2022-02-24``, ``2022-02-24T05:00``, ``2022-02-24TMO``);
  different days merge only as a *near miss*: clusters of adjacent days that report one
  happening whose day is disputed (see :func:`..cluster.near_miss`);
- a **coarse mention** (week, month, season, quarter) joins the best matching event of a
  day inside its range ("last February" joins the invasion of 24 February), else it
  clusters with the other coarse mentions of the same value.

A write re-decides only what it can have changed (:mod:`.regrouping`), finding candidates
through the ``merge_keys`` index (:mod:`.lookup`), so its cost follows the write, not the
size of the archive. An event's public key is derived from its canonical first mention
(document content hash + sentence offset), so re-ingesting the same documents in any
order yields the same keys.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from ...extract.actors import ActorTable
from ...store.models import Mention
from .derived import recompute, write_derived
from .regrouping import Work, regroup, work_for_new, work_for_stale
from .rows import (
    FRESH,
    TABLE,
    SignatureCache,
    StoredMention,
    bind_table,
    chunks,
    day_window,
    index,
    load_ids,
    load_windows,
    mention_row,
    mention_values,
    remember,
    signature_cache,
)


def attach(
    session: Session,
    mentions: Iterable[int | Mention],
    table: ActorTable,
    *,
    new: bool = True,
) -> set[int]:
    """Give new (or, with ``new=False``, re-dated) mentions their events; return the ids
    of the events touched. Call :func:`rederive` with the result to bring those events'
    fields up to date."""
    ids = [m if isinstance(m, int) else m.id for m in mentions]
    session.info[TABLE] = table
    session.flush()
    index(session, load_ids(session, ids), again=not new)
    touched = regroup(session, work_for_new(session, ids))
    session.info.setdefault(FRESH, set()).update(touched)
    return touched


def rederive(session: Session, event_ids: Iterable[int], table: ActorTable) -> None:
    """Recompute events from their mentions; delete those left with none.

    Events not just produced by :func:`attach` (e.g. after a document was deleted) have
    what their loss may change decided again first, so removing a mention can also split
    an event or let a coarse claim join another.
    """
    session.info[TABLE] = table
    session.flush()
    ids = set(event_ids)
    stale = ids - session.info.pop(FRESH, set())
    if stale:
        ids |= regroup(session, work_for_stale(session, stale))
    if ids:
        write_derived(session, sorted(ids))


def redated(
    session: Session, mention_ids: Iterable[int], left: Iterable[int], table: ActorTable
) -> set[int]:
    """After re-dating: index the moved mentions again, decide their events afresh, and
    what the events they left lost; return the events touched (to :func:`recompute`)."""
    ids = list(mention_ids)
    session.info[TABLE] = table
    session.flush()
    index(session, load_ids(session, ids), again=True)
    work = work_for_new(session, ids)
    stale = work_for_stale(session, left)
    touched = regroup(
        session,
        Work(work.days | stale.days, work.mentions, work.coarse | stale.coarse, stale.loose),
    )
    return touched | set(left)


__all__ = [
    "SignatureCache",
    "StoredMention",
    "Work",
    "attach",
    "bind_table",
    "chunks",
    "day_window",
    "load_windows",
    "mention_row",
    "mention_values",
    "recompute",
    "redated",
    "rederive",
    "regroup",
    "remember",
    "signature_cache",
]
