"""An event's fields from its member mentions: date, type, title, actors, counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from .dates import Claim, event_date


def event_fields(members: list[Any]) -> dict[str, Any]:
    """The derived columns of an event from its member rows (each with the mention's
    ``id``, ``date_value``, ``granularity``, ``start_at``, ``end_at``, ``type``, ``title``,
    ``basis``, ``modality``, ``actors``, ``sentence_start`` and its document's
    ``source_id``, ``published_at`` and ``content_hash``), sorted into canonical order."""
    members.sort(key=lambda r: (r.content_hash, r.sentence_start))
    claims = [
        Claim(r.id, r.source_id, r.date_value, r.granularity, r.start_at, r.end_at,
              (r.content_hash, r.sentence_start))
        for r in members
    ]  # fmt: skip
    when = event_date(claims)
    event_type = majority_type(r.type for r in members)
    counts = Counter(a for r in members for a in dict.fromkeys(r.actors or []))
    actors = [a for a, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    published = [r.published_at for r in members if r.published_at is not None]
    return {
        "date_value": when.value, "granularity": when.granularity,
        "start_at": when.start, "end_at": when.end, "agreement": when.agreement,
        "dissent": list(when.dissent), "type": event_type,
        "title": event_title(members, when.value, event_type), "actors": actors,
        "mention_count": len(members),
        "source_count": len({r.source_id for r in members}),
        "first_reported_at": min(published) if published else None,
    }  # fmt: skip


_TYPE_PRECEDENCE = (
    "meeting", "military", "diplomatic", "accusation", "threat", "statement", "other",
)  # fmt: skip


def majority_type(types: Iterable[str]) -> str:
    counts = Counter(types)
    return min(
        counts,
        key=lambda t: (
            -counts[t],
            _TYPE_PRECEDENCE.index(t) if t in _TYPE_PRECEDENCE else len(_TYPE_PRECEDENCE),
        ),
    )


def event_title(members: Sequence[Any], value: str, event_type: str) -> str:
    """The title of the mention that best represents the event: of its type and date,
    dated by its own words, reported rather than planned; ties to the canonical first."""

    def rank(pair: tuple[int, Any]) -> tuple[bool, bool, bool, bool, int]:
        index, m = pair
        return (
            m.type != event_type,
            m.date_value != value,
            (m.basis or "expression") != "expression",
            m.modality != "reported",
            index,
        )

    return min(enumerate(members), key=rank)[1].title
