"""Re-dating the ledger: resolve every stored date claim again with the current engine.

Each mention keeps the words that dated it (``when_text`` and their span in the stored
body), the anchor they were resolved against (``anchor_at``, ``anchor_timezone``) and the
resolver version. After the date engine improves, :func:`reresolve` reads each stored
document's body once, asks the engine again with the same anchor, and updates the claims
whose value, granularity or interval moved; then the events of the days they left and
joined are re-derived. Nothing is re-parsed or re-extracted, so what moved is exactly
what the new engine reads differently.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..events import store as events
from ..extract.mentions import publication_claim
from ..plugins import actor_table
from ..store.models import Document, Event, Mention
from ..temporal import RESOLVER_VERSION, find_temporal_expressions


@dataclass(frozen=True)
class Moved:
    """One claim whose date changed."""

    mention_id: int
    document_id: int
    when_text: str | None
    old_value: str
    old_granularity: str
    new_value: str
    new_granularity: str
    old_event: str | None = None
    new_event: str | None = None


@dataclass
class Report:
    """What a re-dating run examined and what moved (call ``summary()`` for people)."""

    resolver_version: str
    documents: int = 0
    examined: int = 0
    unchanged: int = 0
    unresolved: int = 0  # words the engine no longer dates: the old claim is kept
    moved: list[Moved] = field(default_factory=list)
    events_touched: int = 0

    def summary(self) -> str:
        lines = [
            f"resolver {self.resolver_version}: {self.documents} documents, "
            f"{self.examined} claims examined, {len(self.moved)} moved, "
            f"{self.unchanged} unchanged, {self.unresolved} no longer resolved (kept), "
            f"{self.events_touched} events re-derived"
        ]
        for m in self.moved:
            event = f" (event {m.old_event} -> {m.new_event})" if m.old_event != m.new_event else ""
            lines.append(
                f"  mention {m.mention_id} in document {m.document_id}: {m.when_text!r} "
                f"{m.old_value} ({m.old_granularity}) -> {m.new_value} ({m.new_granularity}){event}"
            )
        return "\n".join(lines)


@dataclass
class _Changes:
    """What re-dating moved: the claims that moved, and the events they left."""

    left_events: set[int] = field(default_factory=set)
    changed: list[tuple[Mention, int | None]] = field(default_factory=list)


def reresolve(
    session: Session, *, document_ids: Iterable[int] | None = None, batch: int = 200
) -> Report:
    """Re-date every stored claim (or those of ``document_ids``) with the current engine.

    Updates the session (the caller commits, or rolls back for a dry run) and returns a
    report of what moved.
    """
    report = Report(RESOLVER_VERSION)
    query = select(Document.id).order_by(Document.id)
    if document_ids is not None:
        query = query.where(Document.id.in_(list(document_ids)))
    ids = list(session.scalars(query))
    changes = _Changes()
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        documents = {
            d.id: d for d in session.scalars(select(Document).where(Document.id.in_(chunk)))
        }
        by_doc: dict[int, list[Mention]] = {}
        for m in session.scalars(select(Mention).where(Mention.document_id.in_(chunk))):
            by_doc.setdefault(m.document_id, []).append(m)
        for doc_id, mentions in by_doc.items():
            report.documents += 1
            _redate_document(documents[doc_id], mentions, report, changes)
    session.flush()
    if changes.changed:
        _regroup(session, report, changes)
    return report


def _redate_document(
    doc: Document, mentions: list[Mention], report: Report, changes: _Changes
) -> None:
    """Re-date one document's claims in place, noting what moved."""
    found: dict[tuple[datetime | None, str | None], dict[tuple[int, int], object]] = {}
    for m in mentions:
        report.examined += 1
        new = _redate(m, doc, found, find_temporal_expressions)
        if new is None:
            report.unresolved += 1
            continue
        m.resolver_version = RESOLVER_VERSION
        old = (m.date_value, m.granularity, m.start_at, m.end_at)
        if new == old:
            report.unchanged += 1
            continue
        if m.event_id is not None:
            changes.left_events.add(m.event_id)
        report.moved.append(Moved(m.id, doc.id, m.when_text, old[0], old[1], new[0], new[1]))
        changes.changed.append((m, m.event_id))
        m.date_value, m.granularity, m.start_at, m.end_at = new


def _regroup(session: Session, report: Report, changes: _Changes) -> None:
    """Re-cluster the blocks claims left and joined, re-derive the events touched, and
    name in the report the events each moved claim left and joined."""
    moved = [m.id for m, _ in changes.changed]
    touched = events.redated(session, moved, changes.left_events, actor_table())
    events.recompute(session, sorted(touched))
    report.events_touched = len(touched)
    moved_ids = [m.id for m, _ in changes.changed]
    event_of = dict(
        session.execute(select(Mention.id, Mention.event_id).where(Mention.id.in_(moved_ids))).all()
    )
    wanted = touched | {e for e in event_of.values() if e is not None}
    keys = dict(session.execute(select(Event.id, Event.key).where(Event.id.in_(wanted))).all())
    report.moved = [
        Moved(
            mv.mention_id, mv.document_id, mv.when_text, mv.old_value, mv.old_granularity,
            mv.new_value, mv.new_granularity, keys.get(old_event) if old_event else None,
            keys.get(event_of.get(mv.mention_id) or -1),
        )
        for mv, (_, old_event) in zip(report.moved, changes.changed, strict=True)
    ]  # fmt: skip


def _redate(
    m: Mention,
    doc: Document,
    found: dict[tuple[datetime | None, str | None], dict[tuple[int, int], object]],
    engine: object,
) -> tuple[str, str, datetime, datetime] | None:
    """The claim's new (value, granularity, start, end), or None if no longer dated."""
    if m.basis == "publication":
        if m.anchor_at is None:
            return None
        claim = publication_claim(m.anchor_at, m.anchor_timezone, m.resolver_version)
        return claim.value, claim.granularity, claim.start, claim.end
    if m.when_start is None or m.when_end is None:
        return None
    anchor = (m.anchor_at, m.anchor_timezone)
    if anchor not in found:
        expressions = engine(  # type: ignore[operator]
            doc.body, m.anchor_at, timezone=m.anchor_timezone, language=doc.language or "en"
        )
        found[anchor] = {(e.start, e.end): e for e in expressions}
    expr = found[anchor].get((m.when_start, m.when_end))
    if expr is None:  # the engine now reads a wider or narrower span: same words inside
        expr = next(
            (
                e for (s, e_), e in found[anchor].items()
                if s <= m.when_start < e_ and m.when_text and m.when_text in e.text  # type: ignore[attr-defined]
            ),
            None,
        )  # fmt: skip
    if expr is None or not getattr(expr, "value", None) or getattr(expr, "interval", None) is None:
        return None
    value, granularity = expr.value, expr.granularity or "day"  # type: ignore[attr-defined]
    interval = expr.interval  # type: ignore[attr-defined]
    return value, granularity, interval.start, interval.end
