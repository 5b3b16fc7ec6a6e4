"""Clustering signatures into events: pure functions, in a canonical order.

A block's clustering is a function of the set of signatures in it (processed in the order
of document content hash and sentence offset), so every ingest order gives one timeline.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from .dates import values_compatible
from .similarity import GENERIC_TERMS, THRESHOLD, Signature, alike, kind_of, same_event

#: How far a day's change reaches: whether clusters of days d and d+1 join depends on the
#: clusters of days d-1 to d+2 (see :func:`join_days`).
REACH = 2


def join_days(
    by_day: dict[date, list[Signature]],
    touched: set[date],
    tick: Callable[[], None] = lambda: None,
) -> list[list[Signature]]:
    """The day-level events of the touched days and of the days their joins reach.

    ``by_day`` holds the signatures of the touched days and of :data:`REACH` + 1 days on
    either side. Each day is clustered on its own. Then a cluster joins one of the next
    day when the two are a :func:`near_miss` and each is the other's only one among its
    neighbouring days' clusters, so the join of days d and d+1 is a function of the
    mentions of days d-1 to d+2 alone: a change on day t re-decides the joins of days
    t-2 to t+2, reading days t-3 to t+3. Untouched days keep their clustering, read back
    from their events. ``tick`` is called between days (the store's deadline check).
    """
    one = timedelta(days=1)
    decided = {t + k * one for t in touched for k in range(-REACH, REACH + 1)}
    pairs = {t + k * one for t in touched for k in range(-REACH, REACH)}  # (e, e + 1 day)
    clusters: dict[date, list[list[Signature]]] = {}
    for day, sigs in by_day.items():
        tick()
        if day in touched or any(s.event_id is None for s in sigs):
            clusters[day] = cluster(sigs)
        else:  # unchanged: its events' members on this day are its clusters
            groups: dict[int | None, list[Signature]] = {}
            for sig in sorted(sigs, key=lambda s: s.order):
                groups.setdefault(sig.event_id, []).append(sig)
            clusters[day] = list(groups.values())

    partner = _partners(clusters, pairs)
    out: list[list[Signature]] = []
    emitted: set[int] = set()
    for day in sorted(decided):
        for members in clusters[day]:
            if id(members) in emitted:
                continue
            other = partner.get(id(members)) or stored_partner(members, day, clusters, pairs)
            emitted.add(id(members))
            if other is not None:
                emitted.add(id(other))
                out.append([*members, *other])
            else:
                out.append(members)
    return out


def _partners(
    clusters: dict[date, list[list[Signature]]], pairs: set[date]
) -> dict[int, list[Signature]]:
    """Clusters of adjacent days that join: each is the other's only near miss among its
    neighbouring days' clusters (by ``id`` of the member list, both ways)."""
    one = timedelta(days=1)
    near: dict[int, list[tuple[date, list[Signature]]]] = {}
    shared: dict[date, dict[str, set[int]]] = {}  # day -> what a near miss shares -> clusters

    def sharing(day: date) -> dict[str, set[int]]:
        if day not in shared:
            shared[day] = {}
            for members in clusters.get(day, ()):
                for token in _near_miss_tokens(members):
                    shared[day].setdefault(token, set()).add(id(members))
        return shared[day]

    def neighbours(members: list[Signature], day: date) -> list[tuple[date, list[Signature]]]:
        if id(members) not in near:
            tokens = _near_miss_tokens(members)
            found = []
            for side in (day - one, day + one):
                index = sharing(side)
                candidates = {i for t in tokens for i in index.get(t, ())}
                found += [
                    (side, other)
                    for other in clusters.get(side, ())
                    if id(other) in candidates and near_miss(members, other)
                ]
            near[id(members)] = found
        return near[id(members)]

    partner: dict[int, list[Signature]] = {}
    for day in sorted(pairs):
        for members in clusters[day]:
            found = neighbours(members, day)
            if len(found) != 1 or found[0][0] != day + one:
                continue
            other = found[0][1]
            back = neighbours(other, day + one)
            if len(back) == 1 and back[0][1] is members:
                partner[id(members)] = other
                partner[id(other)] = members
    return partner


class Cluster:
    """A cluster being built, kept so that a new mention is compared with little of it.

    ``dates``: its distinct (value, start, end); a mention joins only if its date is
    compatible with every member's, and these are all that test needs. ``kinds``: one
    member per distinct set of what :func:`same_event` reads besides the date and the
    thread (members alike in those score alike against any mention; wire copies and
    reposts make many such). ``threads``: its members by thread. For speech acts, the
    kinds are also indexed by head and by term, so that only those sharing the mention's
    head or enough of its terms are scored (as the ``merge_keys`` lookups do).
    """

    __slots__ = (
        "dates", "family", "heads", "kind_heads", "kind_terms", "kinds", "members", "seq",
        "threads",
    )  # fmt: skip

    def __init__(self, seq: int, sig: Signature) -> None:
        self.seq = seq
        self.family = sig.family
        self.members: list[Signature] = []
        self.dates: dict[tuple[str, datetime, datetime], None] = {}
        self.kinds: dict[tuple[Any, ...], Signature] = {}
        self.threads: dict[tuple[int, int], list[Signature]] = {}
        self.heads: set[str | None] = set()
        self.kind_heads: dict[str, list[Signature]] = {}  # speech acts only
        self.kind_terms: dict[str, list[Signature]] = {}  # speech acts only
        self.add(sig)

    def add(self, sig: Signature) -> None:
        self.members.append(sig)
        self.dates.setdefault((sig.value, sig.start_at, sig.end_at), None)
        self._add_kind(kind_of(sig), sig)
        if sig.thread is not None:
            self.threads.setdefault(sig.thread, []).append(sig)
        self.heads.add(sig.head)

    def _add_kind(self, key: tuple[Any, ...], sig: Signature) -> None:
        if key in self.kinds:
            return
        self.kinds[key] = sig
        if self.family == "speech":
            if sig.head is not None:
                self.kind_heads.setdefault(sig.head, []).append(sig)
            for term in sig.terms:
                self.kind_terms.setdefault(term, []).append(sig)

    def absorb(self, other: Cluster) -> None:
        self.members.extend(other.members)
        self.dates.update(other.dates)
        for key, sig in other.kinds.items():
            self._add_kind(key, sig)
        for thread, sigs in other.threads.items():
            self.threads.setdefault(thread, []).extend(sigs)
        self.heads |= other.heads
        other.members = []

    def fits(self, sig: Signature) -> bool:
        """Whether ``sig``'s date is compatible with every member's (their family is
        ``sig``'s, by construction)."""
        return all(
            values_compatible(sig.value, value, sig.span, (start, end))
            for value, start, end in self.dates
        )

    def fits_cluster(self, other: Cluster) -> bool:
        """Whether every member of ``other`` fits this cluster."""
        return all(
            values_compatible(value, mine, (start, end), (my_start, my_end))
            for value, start, end in other.dates
            for mine, my_start, my_end in self.dates
        )

    def _candidates(self, sig: Signature) -> Iterable[Signature]:
        """The kinds that may be the same event as ``sig`` but for a shared thread: for
        a material mention those of its head (all of them), for a speech act those of its
        head and those sharing at least ``THRESHOLD`` of the smaller side's terms."""
        if self.family != "speech":
            return self.kinds.values() if sig.head in self.heads else ()
        found: dict[int, Signature] = {}
        if sig.head is not None:
            found.update((id(k), k) for k in self.kind_heads.get(sig.head, ()))
        shared: dict[int, float] = {}
        kinds: dict[int, Signature] = {}
        for term in sig.terms:
            listed = self.kind_terms.get(term)
            if listed is None:
                continue
            weight = 0.5 if term in GENERIC_TERMS else 1.0
            for kind in listed:
                shared[id(kind)] = shared.get(id(kind), 0.0) + weight
                kinds[id(kind)] = kind
        for key, weight in shared.items():
            kind = kinds[key]
            smaller = min(sig.weight, kind.weight)
            if smaller > 0 and weight >= THRESHOLD * smaller - 1e-9:
                found[key] = kind
        return found.values()

    def score(self, sig: Signature, *, any_match: bool = False) -> float | None:
        """The best :func:`same_event` score of ``sig`` with a member, or None; with
        ``any_match``, the first score found."""
        best: float | None = None
        # members that share the thread are compared one by one; the others as their kinds
        # (alike but for the thread, which only those members can share with ``sig``)
        threaded = self.threads.get(sig.thread, []) if sig.thread is not None else []
        for member in [*threaded, *self._candidates(sig)]:
            found = same_event(sig, member, dated=False)
            if found is not None:
                if any_match:
                    return found
                best = found if best is None else max(best, found)
        return best


def cluster(sigs: Sequence[Signature]) -> list[list[Signature]]:
    """Greedy clustering in canonical order.

    A mention joins the clusters it matches (some member reports the same event, every
    member's date and type are compatible); clusters it bridges are joined when they are
    compatible with each other, best match first (the best score with a member, then the
    oldest cluster). Otherwise it starts a cluster.

    A material mention is compared only with the clusters of its head, a speech act only
    with the members of each speech cluster that share its head, thread or enough of its
    terms; dates are checked once per distinct date, and members alike in all that
    :func:`same_event` reads are scored once. A day many outlets report then costs about
    as many comparisons as it has different reports, not their square.
    """
    clusters: list[Cluster] = []
    by_head: dict[tuple[str, str | None], list[Cluster]] = {}  # non-speech families
    speech: list[Cluster] = []
    for sig in sorted(sigs, key=lambda s: s.order):
        if sig.family == "speech":
            candidates = speech
        else:
            candidates = by_head.get((sig.family, sig.head), []) if sig.head is not None else []
        matching = [
            c for c in candidates
            if c.members and c.fits(sig) and c.score(sig, any_match=True) is not None
        ]  # fmt: skip
        if not matching:
            new = Cluster(len(clusters), sig)
            clusters.append(new)
            if sig.family == "speech":
                speech.append(new)
            else:
                by_head.setdefault((sig.family, sig.head), []).append(new)
            continue
        if len(matching) > 1:  # only then does the best score matter
            matching.sort(key=lambda c: (-(c.score(sig) or 0.0), c.seq))
        target = matching[0]
        target.add(sig)
        for other in matching[1:]:
            if target.fits_cluster(other):
                if other.family != "speech":  # one head each, in practice; kept exact
                    for head in other.heads - target.heads:
                        by_head.setdefault((other.family, head), []).append(target)
                target.absorb(other)
        if len(matching) > 1:
            clusters = [c for c in clusters if c.members]
            speech[:] = [c for c in speech if c.members]
            for key, listed in by_head.items():
                by_head[key] = [c for c in listed if c.members]
    return [c.members for c in clusters]


#: Families whose reports may disagree on the day by one and still be one event; military
#: action recurs day after day, so two days of it are two events.
DISPUTABLE = frozenset({"speech", "meeting", "diplomatic"})


def _near_miss_tokens(members: Sequence[Signature]) -> set[str]:
    """What two clusters must share to be a :func:`near_miss`: its strong pair scores at
    least 1, so shares a head or (a speech act's similarity) a content term."""
    if members[0].family not in DISPUTABLE:
        return set()
    out: set[str] = set()
    for s in members:
        if s.head is not None:
            out.add("h:" + s.head)
        if s.family == "speech":
            out.update("t:" + t for t in s.terms)
    return out


def near_miss(x: Sequence[Signature], y: Sequence[Signature]) -> bool:
    """Whether two clusters of adjacent days report one happening with its day in dispute.

    Other documents, a family where that is plausible (:data:`DISPUTABLE`), nothing that
    rules it out between any two members (different actors, principals that are not one
    party list within the other, speakers of a speech act that differ), the
    same head concept in at least one pair (the same call, the same denial; mere similar
    words are not enough), and at least one day counted from a publication date, where an
    off-by-one day comes from (see :func:`is_relative_day`).
    """
    family = x[0].family
    if family not in DISPUTABLE or y[0].family != family:
        return False
    if not any(s.relative for s in x) and not any(s.relative for s in y):
        return False
    if not {s.document_id for s in x}.isdisjoint(s.document_id for s in y):
        return False
    strong = False
    # the documents differ, so no thread is shared: members alike in everything else the
    # tests read are compared once (reposts of one report make many such)
    for a in alike(x):
        for b in alike(y):
            if family == "speech" and a.speaker and b.speaker and a.speaker != b.speaker:
                return False
            if (
                a.principals
                and b.principals
                and not (a.principals <= b.principals or b.principals <= a.principals)
            ):  # the same parties: Putin's call with Macron is not his call with Lukashenko
                return False
            score = same_event(a, b, dated=False)
            if score is None and a.actors and b.actors and a.actors.isdisjoint(b.actors):
                return False
            strong = strong or (score is not None and score >= 1.0 and a.head is not None)
    return strong


def best_event(sig: Signature, events: Sequence[list[Signature]]) -> int | None:
    """The day-level event a coarse mention belongs to, if any (ties: canonical order)."""
    best: tuple[float, tuple[str, int], int] | None = None
    for members in events:
        if members[0].event_id is None or any(sig.family != m.family for m in members):
            continue
        # members that share the mention's thread one by one, the others by kind and date
        # (alike in all that same_event reads but the thread)
        threaded = [m for m in members if sig.thread is not None and m.thread == sig.thread]
        alike = {(kind_of(m), m.value, m.start_at, m.end_at): m for m in members}.values()
        scores = [s for m in [*threaded, *alike] if (s := same_event(sig, m)) is not None]
        if not scores:
            continue
        rank = (-max(scores), members[0].order, members[0].event_id)
        if best is None or rank < best:
            best = rank
    return best[2] if best else None


def key_member(members: Sequence[Signature]) -> Signature:
    """The mention an event's key comes from: the first published (then canonical order),
    so later reports of an event rarely change its key."""
    return min(members, key=lambda s: (s.published, s.order))


def event_key(first: Signature) -> str:
    """The public id, from the key member's document and offset: the same documents give
    the same keys in any ingest order."""
    content_hash, offset = first.order
    return "ev_" + hashlib.sha1(f"{content_hash}:{offset}".encode()).hexdigest()[:20]


def stored_partner(
    members: list[Signature],
    day: date,
    clusters: dict[date, list[list[Signature]]],
    pairs: set[date],
) -> list[Signature] | None:
    """The other day's half of an untouched cluster's event, when that join was not
    re-decided (the pair of days lies beyond the reach of the change)."""
    event_id = members[0].event_id
    if event_id is None:  # not stored yet: no join to keep
        return None
    one = timedelta(days=1)
    for side, first in ((day - one, day - one), (day + one, day)):
        if first in pairs:
            continue
        for other in clusters.get(side, ()):
            if other[0].event_id == event_id:
                return other
    return None
