"""Measure the service on general news: the MEANTIME English Apple corpus (30 Wikinews
articles, hand-annotated), through its public HTTP API, on a tune part and a held-aside
part.

    python bench/meantime_eval.py [--corpus DIR]   (with the venv active)

Each article's text is rebuilt from its tokens (the title, the date line, then one
paragraph per sentence) and POSTed to /v1/documents with published_at = its DCT (the
TIMEX3 whose functionInDocument is CREATION_TIME); GET /v1/documents/{id} gives the stored
body, its mentions and (when the API has them) its entities. The corpus tokens are aligned
to that body to compare offsets. Split, fixed: documents sorted by numeric id, every third
(positions 2, 5, 8, ...) held aside: 20 to tune on, 10 held aside. Each part is ingested
into its own fresh service, so a part's cross-document links are the service's own.

a. TIMEX3 DATE/TIME: gold DATE and TIME expressions (the DCT excluded; a few gold TIMEX3
   have no tokens and are left out) against the date engine's DATE/TIME expressions on
   the rebuilt text with the DCT (``find_temporal_expressions``, the one internal imported:
   the date engine is a pure library). Expressions over the date line (the DCT) are not
   scored on either side; MEANTIME annotates TIMEX3 in the first six sentences only (the
   title, the date line, four body sentences), so the engine's expressions are scored
   there only. Scored as bench/temporal_eval.py scores TimeBank (its functions
   are used): strict = exact span, relaxed = any overlap, one-to-one; value F1 = relaxed
   F1 x value accuracy.
b. Entity-mention recall: a gold ENTITY_MENTION is found when a span the service reports
   overlaps it: the document's ``entities`` (body offsets, canonical id) when the API has
   them, else each mention's ``actors`` names found (case-insensitive, whole words) in
   that mention's sentence. Mentions in the title and date line count as gold (the
   service keeps them out of the body, so it never finds them): the number is shown.
c. Cross-document entity linking, pairwise: over found gold entity mentions, pairs in
   different documents that share a gold instance vs pairs whose matched service entities
   share an id (the same actor name in the fallback).
d. Event-mention recall: gold EVENT_MENTION tokens overlapped by a mention's ``trigger``
   span (0 while the API has no ``trigger``); and, as a diagnostic, sentence-level recall:
   the gold event's sentence holds a service mention.
e. Cross-document event coreference, pairwise: over gold event mentions matched to a
   service mention (by trigger; while there are no triggers, the first mention of its
   sentence), pairs in different documents sharing a cross-document instance vs pairs
   whose service mentions were merged into one event id.

Cross-document instances: the files have no CROSS_DOC_COREF element; a mention's instance
is the ``instance_id`` of the ENTITY or EVENT its REFERS_TO relation points to (events
without one are coreferent within their document only). Exits 0.
"""

from __future__ import annotations

import argparse
import re
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from evalkit import (
    CORPORA,
    Alignment,
    Service,
    Token,
    align_tokens,
    best_sentence,
    pairs_across_documents,
    prf,
    temp_service,
    trigger_span,
)
from temporal_eval import Score, Timex, match, norm_value

DEFAULT_CORPUS = CORPORA / "meantime-apple" / "intra_cross-doc_annotation"
HOLD_ASIDE_EVERY = 3  # documents sorted by id: positions 2, 5, 8, ... are held aside
COREF_RELATIONS = ("REFERS_TO", "CROSS_DOC_COREF")
TITLE, DATE_LINE = 0, 1
# MEANTIME annotates TIMEX3 in the first sentences only: none of this corpus lies after
# sentence 5 (the title, the date line and four body sentences)
TIMEX_LAST_SENTENCE = 5

# ----------------------------------------------------------------------------------------
# reading the corpus


@dataclass(frozen=True)
class GoldMention:
    """An annotated span: markable id, its tokens, type attributes and instance."""

    m_id: str
    tokens: tuple[str, ...]
    kind: str  # TIMEX3 type, ENTITY_MENTION syntactic_type, EVENT_MENTION pos
    value: str | None = None  # TIMEX3 value
    function: str | None = None  # TIMEX3 functionInDocument
    instance: str | None = None  # cross-document instance id


@dataclass
class MeantimeDoc:
    """One MEANTIME document: tokens and its TIMEX3, entity and event mentions."""

    doc_id: str
    url: str
    tokens: list[Token]
    timexes: list[GoldMention] = field(default_factory=list)
    entities: list[GoldMention] = field(default_factory=list)
    events: list[GoldMention] = field(default_factory=list)

    @property
    def dct(self) -> GoldMention:
        return next(t for t in self.timexes if t.function == "CREATION_TIME")

    def sentence_of(self) -> dict[str, int]:
        return {t.id: t.sentence for t in self.tokens}


def read_meantime(path: Path) -> MeantimeDoc:
    """Parse one MEANTIME XML file (NAF-like: tokens, Markables, Relations)."""
    root = ET.parse(path).getroot()
    tokens = [
        Token(t.get("t_id", ""), int(t.get("sentence", "0")), t.text or "")
        for t in root.iter("token")
    ]
    markables = root.find("Markables")
    by_id = {m.get("m_id"): m for m in (markables if markables is not None else [])}
    instance: dict[str, str] = {}
    relations = root.find("Relations")
    for rel in relations if relations is not None else []:
        if rel.tag not in COREF_RELATIONS:
            continue
        targets = [by_id.get(t.get("m_id")) for t in rel.findall("target")]
        inst = next(
            (t.get("instance_id") for t in targets if t is not None and t.get("instance_id")), None
        )
        if inst:
            for src in rel.findall("source"):
                instance[src.get("m_id", "")] = inst
    doc = MeantimeDoc(root.get("doc_id", path.stem), root.get("url", ""), tokens)
    for m in by_id.values():
        anchors = tuple(a.get("t_id", "") for a in m.findall("token_anchor"))
        m_id = m.get("m_id", "")
        if m.tag == "TIMEX3":
            doc.timexes.append(
                GoldMention(
                    m_id, anchors, m.get("type", ""), m.get("value"), m.get("functionInDocument")
                )
            )
        elif m.tag == "ENTITY_MENTION" and anchors:
            doc.entities.append(
                GoldMention(m_id, anchors, m.get("syntactic_type", ""), instance=instance.get(m_id))
            )
        elif m.tag == "EVENT_MENTION" and anchors:
            doc.events.append(
                GoldMention(m_id, anchors, m.get("pos", ""), instance=instance.get(m_id))
            )
    return doc


# fmt: off
NO_SPACE_BEFORE = frozenset((
    ",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "...",
    "'s", "'S", "n't", "'ve", "'ll", "'re", "'d", "'m", "''", "”", "’",
))
NO_SPACE_AFTER = frozenset(("(", "[", "{", "$", "#", "``", "“", "‘"))
# fmt: on
TOKEN_FORMS = {"``": '"', "''": '"'}


def detokenize(tokens: list[Token]) -> tuple[str, dict[str, tuple[int, int]]]:
    """Text from tokens (sentence 0 the title, 1 the date line, then one paragraph per
    sentence) and each token's (start, end) in it."""
    parts: list[str] = []
    spans: dict[str, tuple[int, int]] = {}
    length, prev, prev_sentence, open_quote = 0, None, None, False
    for tok in tokens:
        form = TOKEN_FORMS.get(tok.text, tok.text)
        if prev_sentence is not None and tok.sentence != prev_sentence:
            sep = "\n\n"
            open_quote = False
        elif prev is None:
            sep = ""
        elif tok.text == '"':
            sep = " " if not open_quote else ""
        elif tok.text in NO_SPACE_BEFORE or prev in NO_SPACE_AFTER:
            sep = ""
        elif tok.text == "'" and prev.endswith("s"):
            sep = ""  # a plural possessive: "Beatles' Apple Corps"
        elif prev == '"' and open_quote:
            sep = ""
        else:
            sep = " "
        if tok.text == '"':
            open_quote = not open_quote
        parts.append(sep + form)
        length += len(sep)
        spans[tok.id] = (length, length + len(form))
        length += len(form)
        prev, prev_sentence = tok.text, tok.sentence
    return "".join(parts), spans


def load_corpus(directory: Path) -> list[MeantimeDoc]:
    docs = [read_meantime(p) for p in sorted(directory.glob("*.xml"))]
    return sorted(docs, key=lambda d: int(d.doc_id) if d.doc_id.isdigit() else 0)


def split(docs: list[MeantimeDoc]) -> tuple[list[MeantimeDoc], list[MeantimeDoc]]:
    """(tune, held aside): sorted by id, every third document held aside."""
    held = [d for i, d in enumerate(docs) if i % HOLD_ASIDE_EVERY == HOLD_ASIDE_EVERY - 1]
    tune = [d for i, d in enumerate(docs) if i % HOLD_ASIDE_EVERY != HOLD_ASIDE_EVERY - 1]
    return tune, held


# ----------------------------------------------------------------------------------------
# a. dates


def span_of(token_ids: Iterable[str], spans: dict[str, tuple[int, int]]) -> tuple[int, int] | None:
    """From the first to the last of these tokens that have a span."""
    found = [spans[t] for t in token_ids if t in spans]
    if not found:
        return None
    return min(s for s, _ in found), max(e for _, e in found)


@dataclass
class TimexResult:
    """The TimeBank-style score, and gold left out: no tokens, or after the region."""

    score: Score
    untokened: int = 0
    after_region: int = 0


def score_timexes(docs: list[MeantimeDoc]) -> TimexResult:
    """Gold DATE/TIME (no DCT) vs the engine's DATE/TIME, in the annotated sentences."""
    from timeline_service.temporal import find_temporal_expressions

    res = TimexResult(Score())
    score = res.score
    for doc in docs:
        text, spans = detokenize(doc.tokens)
        dct = doc.dct
        dct_span = span_of(dct.tokens, spans) or (0, 0)
        annotated = span_of([t.id for t in doc.tokens if t.sentence <= TIMEX_LAST_SENTENCE], spans)
        region_end = annotated[1] if annotated else 0
        gold = []
        for t in doc.timexes:
            if t.kind not in ("DATE", "TIME") or t.function == "CREATION_TIME":
                continue
            span = span_of(t.tokens, spans)
            if span is None:
                res.untokened += 1
                continue
            res.after_region += span[0] >= region_end
            gold.append(Timex(span[0], span[1], text[span[0] : span[1]], t.kind, t.value))
        found = find_temporal_expressions(text, date.fromisoformat((dct.value or "")[:10]))
        system = [
            Timex(e.start, e.end, e.text, e.type, e.value)
            for e in found
            if e.type in ("DATE", "TIME")
            and e.start < region_end
            and overlap((e.start, e.end), dct_span) <= 0
        ]
        pairs = match(gold, system)
        score.gold += len(gold)
        score.system += len(system)
        score.relaxed += len(pairs)
        score.strict += sum(g.start == s.start and g.end == s.end for g, s in pairs)
        score.value_ok += sum(norm_value(g.value) == norm_value(s.value) for g, s in pairs)
    return res


# ----------------------------------------------------------------------------------------
# b-e. what the service reports, through the API


@dataclass(frozen=True)
class ServiceMention:
    """A stored mention: its event, sentence span, trigger span and CAT sentence."""

    event_id: str
    span: tuple[int, int]
    trigger: tuple[int, int] | None
    sentence: int | None


@dataclass
class Reported:
    """One document as the service stored it, with the gold tokens aligned to its body."""

    doc: MeantimeDoc
    alignment: Alignment
    entities: list[tuple[str, int, int]]  # (entity id, start, end) in the body
    mentions: list[ServiceMention]


def actor_spans(body: str, mentions: list[dict[str, Any]]) -> list[tuple[str, int, int]]:
    """The fallback entities: each mention's actor names where they occur in its sentence."""
    out = set()
    for m in mentions:
        start, end = m["span"]
        for name in m.get("actors") or []:
            pattern = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", re.IGNORECASE)
            for hit in pattern.finditer(body, start, end):
                out.add((name, hit.start(), hit.end()))
    return sorted(out, key=lambda e: (e[1], e[2], e[0]))


def ingest_part(service: Service, docs: list[MeantimeDoc]) -> tuple[list[Reported], str]:
    """POST each document, read it back; and which source the entities came from."""
    reported, source = [], "entities"
    for doc in docs:
        text, _ = detokenize(doc.tokens)
        payload = {"text": text, "published_at": doc.dct.value, "url": doc.url, "source": "generic"}
        stored = service.document(service.ingest(payload))
        body = stored["body"]
        alignment = align_tokens(doc.tokens, body)
        sentences = alignment.sentence_spans(doc.tokens)
        raw_mentions = stored.get("mentions") or []
        if isinstance(stored.get("entities"), list):
            entities = [(str(e["id"]), int(e["start"]), int(e["end"])) for e in stored["entities"]]
        else:
            source = "mention actors (the API has no `entities` yet)"
            entities = actor_spans(body, raw_mentions)
        mentions = [
            ServiceMention(
                str(m["event_id"]),
                (m["span"][0], m["span"][1]),
                trigger_span(m),
                best_sentence(sentences, m["span"][0], m["span"][1]),
            )
            for m in raw_mentions
        ]
        reported.append(Reported(doc, alignment, entities, mentions))
    return reported, source


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return min(a[1], b[1]) - max(a[0], b[0])


def best_overlap(span: tuple[int, int] | None, items: Iterable[tuple[Any, tuple[int, int]]]) -> Any:
    """The item whose span overlaps ``span`` the most, the shortest of equals (so an exact
    match beats an enclosing span); None when none overlaps."""
    if span is None:
        return None
    best, best_key = None, (0, 0)
    for item, other in items:
        key = (overlap(span, other), other[0] - other[1])
        if key[0] > 0 and key > best_key:
            best, best_key = item, key
    return best


@dataclass
class Linking:
    """Found gold mentions, grouped by gold instance and by what the service linked."""

    gold: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    system: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, doc_id: str, m_id: str, instance: str | None, link: str) -> None:
        key = (doc_id, f"{doc_id}:{m_id}")
        if instance:
            self.gold[instance].append(key)
        self.system[link].append(key)

    def prf(self) -> tuple[float, float, float, int, int]:
        gold = set(pairs_across_documents(self.gold))
        system = set(pairs_across_documents(self.system))
        return (*prf(len(gold & system), len(system), len(gold)), len(system), len(gold))


@dataclass
class PartResult:
    """Every measure of one part of the corpus."""

    docs: int
    timexes: TimexResult
    entity_source: str
    event_match: str
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    entity_links: Linking = field(default_factory=Linking)
    event_links: Linking = field(default_factory=Linking)
    ingest_s: float = 0.0
    align_failed: tuple[int, int, int] = (0, 0, 0)  # failed in body, in title/date line, all


def score_entities(reported: list[Reported], res: PartResult) -> None:
    c = res.counts
    for rep in reported:
        sentence = rep.doc.sentence_of()
        entities = [(eid, (s, e)) for eid, s, e in rep.entities]
        for g in rep.doc.entities:
            named = g.kind == "NAM"
            c["ent gold"] += 1
            c["ent gold named"] += named
            c["ent gold head"] += sentence[g.tokens[0]] in (TITLE, DATE_LINE)
            link = best_overlap(span_of(g.tokens, rep.alignment.spans), entities)
            if link is None:
                continue
            c["ent found"] += 1
            c["ent found named"] += named
            res.entity_links.add(rep.doc.doc_id, g.m_id, g.instance, link)


def score_events(reported: list[Reported], res: PartResult) -> None:
    c = res.counts
    by_trigger = res.event_match == "trigger"
    for rep in reported:
        sentence = rep.doc.sentence_of()
        triggers = [(m, m.trigger) for m in rep.mentions if m.trigger]
        in_sentence: dict[int, ServiceMention] = {}
        for m in sorted(rep.mentions, key=lambda m: m.span):
            if m.sentence is not None:
                in_sentence.setdefault(m.sentence, m)
        for g in rep.doc.events:
            c["ev gold"] += 1
            c["ev gold head"] += sentence[g.tokens[0]] in (TITLE, DATE_LINE)
            c["ev gold instance"] += g.instance is not None
            hit = best_overlap(span_of(g.tokens, rep.alignment.spans), triggers)
            near = in_sentence.get(sentence[g.tokens[0]])
            c["ev found"] += hit is not None
            c["ev sentence found"] += near is not None
            matched = hit if by_trigger else near
            if matched is not None:
                res.event_links.add(rep.doc.doc_id, g.m_id, g.instance, matched.event_id)


def evaluate_part(docs: list[MeantimeDoc]) -> PartResult:
    timexes = score_timexes(docs)
    with temp_service() as service:
        reported, source = ingest_part(service, docs)
        ingest_s = service.ingest_seconds
    has_triggers = any(m.trigger for rep in reported for m in rep.mentions)
    res = PartResult(len(docs), timexes, source, "trigger" if has_triggers else "sentence")
    res.ingest_s = ingest_s
    head = {
        (r.doc.doc_id, t.id)
        for r in reported
        for t in r.doc.tokens
        if t.sentence in (TITLE, DATE_LINE)
    }
    failed = [(r.doc.doc_id, t) for r in reported for t in r.alignment.failed]
    in_head = sum(f in head for f in failed)
    res.align_failed = (len(failed) - in_head, in_head, sum(len(r.doc.tokens) for r in reported))
    score_entities(reported, res)
    score_events(reported, res)
    return res


# ----------------------------------------------------------------------------------------
# report


def pct(n: int, d: int) -> float:
    return 100 * n / d if d else 0.0


def share(found: int, gold: int) -> tuple[str, float]:
    return f"{pct(found, gold):.1f} ({found}/{gold})", pct(found, gold)


def measures(r: PartResult) -> list[tuple[str, str, float | None]]:
    """The table's rows for one part: (label, cell, headline number for the gap)."""
    strict_f1, rel_p, rel_r, rel_f1, value_acc, value_f1 = r.timexes.score.row()
    c = r.counts
    entity_recall = share(c["ent found"], c["ent gold"])
    named_recall = share(c["ent found named"], c["ent gold named"])
    trigger_recall = share(c["ev found"], c["ev gold"])
    sentence_recall = share(c["ev sentence found"], c["ev gold"])
    ent_p, ent_r, ent_f, ent_sys, ent_gold = r.entity_links.prf()
    ev_p, ev_r, ev_f, ev_sys, ev_gold = r.event_links.prf()
    return [
        (
            "a. TIMEX3 DATE/TIME gold | system",
            f"{r.timexes.score.gold} | {r.timexes.score.system}",
            None,
        ),
        ("   strict span F1", f"{strict_f1:.1f}", strict_f1),
        ("   relaxed span P / R / F1", f"{rel_p:.1f} / {rel_r:.1f} / {rel_f1:.1f}", rel_f1),
        ("   value accuracy (of relaxed)", f"{value_acc:.1f}", value_acc),
        ("   value F1", f"{value_f1:.1f}", value_f1),
        ("b. entity mention recall", *entity_recall),
        ("   of named (NAM) mentions", *named_recall),
        ("c. x-doc entity links P / R / F1", f"{ent_p:.1f} / {ent_r:.1f} / {ent_f:.1f}", ent_f),
        ("   pairs system | gold", f"{ent_sys} | {ent_gold}", None),
        ("d. event trigger recall", *trigger_recall),
        ("   sentence-level recall (diag.)", *sentence_recall),
        ("e. x-doc event coref P / R / F1", f"{ev_p:.1f} / {ev_r:.1f} / {ev_f:.1f}", ev_f),
        ("   pairs system | gold", f"{ev_sys} | {ev_gold}", None),
    ]


def print_report(tune: PartResult, held: PartResult, seconds: float) -> None:
    width = 36
    print(
        f"MEANTIME English, Apple: {tune.docs + held.docs} documents; tune {tune.docs}, "
        f"held aside {held.docs} (sorted by id; positions {HOLD_ASIDE_EVERY - 1}, "
        f"{2 * HOLD_ASIDE_EVERY - 1}, {3 * HOLD_ASIDE_EVERY - 1}, ... held aside)"
    )
    head = f"{'measure':<{width}}{'tune':>22}{'held aside':>22}{'gap':>8}"
    print("\n" + head)
    print("-" * len(head))
    for (label, cell_t, num_t), (_, cell_h, num_h) in zip(
        measures(tune), measures(held), strict=True
    ):
        gap = f"{num_h - num_t:+.1f}" if num_t is not None and num_h is not None else ""
        print(f"{label:<{width}}{cell_t:>22}{cell_h:>22}{gap:>8}")
    print("(gap = held aside - tune, on the headline number of the row)\n")
    for name, r in (("tune", tune), ("held aside", held)):
        c = r.counts
        body, head_failed, total = r.align_failed
        print(
            f"{name}: ingest {r.ingest_s:.2f} s; tokens aligned to the stored bodies "
            f"{total - body - head_failed}/{total} (not: {head_failed} in titles/date lines, "
            f"{body} in bodies)\n  gold in titles/date lines, never in the body: "
            f"{c['ent gold head']} entity and {c['ev gold head']} event mentions; event "
            f"mentions with a cross-doc instance: {c['ev gold instance']}\n  gold TIMEX3 "
            f"left out: {r.timexes.untokened} without tokens, {r.timexes.after_region} "
            f"after sentence {TIMEX_LAST_SENTENCE}"
        )
    print(f"entities from: {tune.entity_source}")
    note = (
        ""
        if tune.event_match == "trigger"
        else (
            " (the API has no `trigger` yet: d. is 0 and e. matches gold events to mentions by"
            " sentence)"
        )
    )
    print(f"events matched by: {tune.event_match}{note}")
    print(f"whole run: {seconds:.1f} s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="the XML directory")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    docs = load_corpus(args.corpus)
    if not docs:
        print(f"no MEANTIME XML files in {args.corpus}")
        return 2
    tune_docs, held_docs = split(docs)
    tune, held = evaluate_part(tune_docs), evaluate_part(held_docs)
    print_report(tune, held, time.perf_counter() - t0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
