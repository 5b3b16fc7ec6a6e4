"""Score the service on the SemEval-2015 Task 4 TimeLine trial split (30 Wikinews articles
about Apple, 6 target entities) through its public HTTP API, with the task's metric, next
to a trivial baseline.

    python bench/timeline_eval.py [--corpus DIR] [--out DIR]   (with the venv active)

The 30 documents are POSTed to /v1/documents (a fresh SQLite database). For each target
entity the timeline is GET /v1/timeline?actor=<entity> (every page), each event's
mentions come from GET /v1/events/{id}, and the timeline is written in the task's format
(ORDER<TAB>DATE<TAB>docid-sentence-word...): the date is the event's date value at the
precision it has (2008-01-09, 2008-01-XX, 2008-XX-XX; unknown XXXX-XX-XX, order 0), and
events of one date share an order number. The corpus's tokens (apple/meta.json) are
aligned to each stored body to place mentions in CAT sentences and tokens.

Three systems go through ``score.py`` (the official-style temporal-awareness F1, micro
over the targets, plus its sentence-level diagnostics):

- service strict: the task's metric. A mention's event token is the token under its
  ``trigger`` span (the first that is not an auxiliary when it covers several); a mention
  without ``trigger`` (the API has no such field yet) gives no event.
- service generous: NOT the task metric, a diagnostic upper bound for sentence-level
  extraction: every mention of the target's timeline is credited with every gold event
  of that target in its sentence (a sentence without one gives a wrong event).
- baseline: every body sentence that names the target, dated by the document's
  publication date (DCT), all in one order group per DCT. A sentence names the target
  when it contains the name (case-insensitive, on word boundaries) or, for a multiword
  name, its last word when that word is capitalised and alphabetic (a surname or a
  proper-noun head: "Steve Jobs" -> "Jobs", "Beatles Apple Corps" -> "Corps"); a number
  or a common word ("iPhone 4" -> "4", "iTunes store" -> "store") would name other things,
  so it is not used. Only body sentences count (not the title, sentence 0, nor the date
  line, sentence 1), the text the service reads. Its event token, the same rule for every
  sentence and blind to the gold: the nearest verb-like token after the name (an -ed or
  -ing word, or one of a short list of common news verbs), else the nearest one before
  it, else the first word after the name.

The gold writes events as docid-sentence-WORD (the token's text, not its id), so the
systems do too. Also printed: targets answerable with actor= (non-empty timeline), gold
(doc, sentence) pairs covered by any mention of the corpus and by the target's own
timeline, token alignment failures, and ingest time. Exits 0.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
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
    temp_service,
    trigger_span,
)

DEFAULT_CORPUS = CORPORA / "timeline-trial"
UNKNOWN_DATE = "XXXX-XX-XX"
BODY_FIRST_SENTENCE = 2  # 0 is the title, 1 the date line


def wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


AUXILIARIES = wordset(
    "a an the to be been being is are was were am has have had having do does did will "
    "would shall should can could may might must not"
)
COMMON_VERBS = wordset(
    "said says say told tells sold sells sell made makes make took takes take gave gives "
    "give became becomes become began begins begin won wins win lost loses lose went goes "
    "came comes come bought buys built builds held holds led leads paid pays left leaves "
    "sent sends set sets spent spends spoke speaks wrote writes found finds met meets "
    "announces unveils launches releases introduces plans sues files reports expects "
    "shows offers"
)
NOT_VERBS = wordset(
    "during morning evening thing things nothing something anything everything including "
    "according bring king ring spring string building need needs red bed speed feed "
    "hundred"
)


# ----------------------------------------------------------------------------------------
# the corpus


@dataclass
class CatDoc:
    """One CAT document of meta.json: id, url, DCT and tokens (id = CAT token id)."""

    doc_id: str
    url: str
    dct: str
    tokens: list[Token]

    def sentences(self) -> dict[int, list[Token]]:
        out: dict[int, list[Token]] = defaultdict(list)
        for tok in self.tokens:
            out[tok.sentence].append(tok)
        return out


def load_meta(path: Path) -> dict[str, CatDoc]:
    """meta.json: {doc_id: CatDoc}."""
    meta = json.loads(path.read_text(encoding="utf-8"))
    docs = {}
    for d in meta["documents"]:
        tokens = [
            Token(str(tid), int(s["id"]), text) for s in d["sentences"] for tid, text in s["tokens"]
        ]
        docs[str(d["doc_id"])] = CatDoc(str(d["doc_id"]), d["url"], d["dct"], tokens)
    return docs


def load_targets(path: Path) -> list[tuple[str, str]]:
    """targets.txt: [(entity name, gold file name)]."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            name, file = line.split("\t")
            out.append((name.strip(), file.strip()))
    return out


def split_event(event: str) -> tuple[str, int, str]:
    """'docid-sentence-word' -> (docid, sentence, word)."""
    doc, sentence, word = event.split("-", 2)
    return doc, int(sentence), word


def load_gold_events(path: Path) -> dict[tuple[str, int], list[str]]:
    """A gold timeline's events by (doc, sentence), every line (order 0 included)."""
    out: dict[tuple[str, int], list[str]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        for event in line.split("\t")[2:]:
            if event.strip():
                doc, sentence, _ = split_event(event.strip())
                out[(doc, sentence)].append(event.strip())
    return out


# ----------------------------------------------------------------------------------------
# the task's timeline format


def format_date(value: str | None) -> str:
    """A TIMEX3 date value as the task writes dates: YYYY-MM-DD with XX for what the value
    does not say. A time or part of day keeps its day; a week its month when it lies in one
    (else its year); a quarter, half or season its year; anything else is unknown."""
    if not value:
        return UNKNOWN_DATE
    if m := re.match(r"(\d{4})-(\d{2})-(\d{2})", value):
        return f"{m[1]}-{m[2]}-{m[3]}"
    if m := re.match(r"(\d{4})-W(\d{2})", value):
        monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        sunday = date.fromisocalendar(int(m[1]), int(m[2]), 7)
        if (monday.year, monday.month) == (sunday.year, sunday.month):
            return f"{monday.year:04d}-{monday.month:02d}-XX"
        return f"{m[1]}-XX-XX"
    if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
        return f"{m[1]}-{m[2]}-XX"
    if m := re.match(r"(\d{4})(?:$|-)", value):
        return f"{m[1]}-XX-XX"
    return UNKNOWN_DATE


@dataclass
class Row:
    """One timeline line: a task date, a sort key (interval start, end) and events."""

    date: str
    key: tuple[str, str]
    events: list[str]


def timeline_lines(rows: Iterable[Row]) -> list[tuple[int, str, list[str]]]:
    """(order, date, events) lines: rows of one date share an order number, dates are
    numbered by their earliest interval; an unknown date gets order 0 (not evaluated)."""
    rows = [r for r in rows if r.events]
    first: dict[str, tuple[str, str]] = {}
    for r in rows:
        if r.date != UNKNOWN_DATE:
            first[r.date] = min(first.get(r.date, r.key), r.key)
    order = {d: i for i, d in enumerate(sorted(first, key=lambda d: (first[d], d)), start=1)}
    lines = [(order.get(r.date, 0), r.date, r.events) for r in rows]
    return sorted(lines, key=lambda line: (line[0], line[1]))


def write_timeline(path: Path, entity: str, rows: Iterable[Row]) -> int:
    """Write a timeline file; the number of events written."""
    lines = timeline_lines(rows)
    text = entity + "\n" + "".join(f"{o}\t{d}\t" + "\t".join(evs) + "\n" for o, d, evs in lines)
    path.write_text(text, encoding="utf-8")
    return sum(len(evs) for _, _, evs in lines)


# ----------------------------------------------------------------------------------------
# the service's documents and mentions in CAT coordinates


@dataclass
class Stored:
    """A document as the service stored it, with the corpus tokens aligned to its body."""

    cat: CatDoc
    service_id: int
    body: str
    alignment: Alignment
    sentence_spans: dict[int, tuple[int, int]]
    mentions: list[dict[str, Any]]


@dataclass(frozen=True)
class Site:
    """Where a mention is in CAT terms: document, sentence, trigger tokens (None: no
    trigger field; empty: a trigger no aligned token lies under)."""

    doc: str
    sentence: int | None
    trigger: tuple[Token, ...] | None


def head_token(tokens: tuple[Token, ...]) -> Token | None:
    """The event token of a trigger: its first token that is not an auxiliary."""
    for tok in tokens:
        if tok.text.lower() not in AUXILIARIES:
            return tok
    return tokens[0] if tokens else None


def locate(mention: dict[str, Any], stored: Stored) -> Site:
    start, end = mention["span"]
    sentence = best_sentence(stored.sentence_spans, start, end)
    trig = trigger_span(mention)
    tokens = None
    if trig is not None:
        tokens = tuple(stored.alignment.tokens_in(stored.cat.tokens, *trig))
    return Site(stored.cat.doc_id, sentence, tokens)


def ingest_corpus(service: Service, ingest_path: Path, docs: dict[str, CatDoc]) -> list[Stored]:
    """POST every line of ingest.jsonl, then read each stored document back."""
    by_url = {d.url: d for d in docs.values()}
    out = []
    for line in ingest_path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        payload = json.loads(line)
        cat = by_url[payload["url"]]
        service_id = service.ingest(payload)
        stored = service.document(service_id)
        alignment = align_tokens(cat.tokens, stored["body"])
        out.append(
            Stored(
                cat,
                service_id,
                stored["body"],
                alignment,
                alignment.sentence_spans(cat.tokens),
                stored.get("mentions", []),
            )
        )
    return out


# ----------------------------------------------------------------------------------------
# the three systems


@dataclass
class TargetRun:
    """What the service answered for one target, as timelines and counts."""

    events: int = 0
    mentions: int = 0
    strict: list[Row] = field(default_factory=list)
    generous: list[Row] = field(default_factory=list)
    sentences: set[tuple[str, int]] = field(default_factory=set)


def service_target(
    service: Service,
    name: str,
    by_service_id: dict[int, Stored],
    gold: dict[tuple[str, int], list[str]],
) -> TargetRun:
    """The target's timeline from the API, as strict and generous rows."""
    run = TargetRun()
    seen_tokens: set[tuple[str, str]] = set()
    credited: set[tuple[str, int]] = set()
    for event in service.timeline(actor=name):
        run.events += 1
        when = event.get("date") or {}
        day = format_date(when.get("value"))
        key = (str(when.get("start") or ""), str(when.get("end") or ""))
        strict: list[str] = []
        generous: list[str] = []
        for mention in service.event(event["id"]).get("mentions", []):
            stored = by_service_id.get(mention.get("document_id"))
            if stored is None:
                continue
            run.mentions += 1
            site = locate(mention, stored)
            head = head_token(site.trigger) if site.trigger else None
            if head is not None and (site.doc, head.id) not in seen_tokens:
                seen_tokens.add((site.doc, head.id))
                strict.append(f"{site.doc}-{head.sentence}-{head.text}")
            if site.sentence is None:
                continue
            pair = (site.doc, site.sentence)
            run.sentences.add(pair)
            if pair not in credited:
                credited.add(pair)
                generous.extend(gold.get(pair) or [f"{site.doc}-{site.sentence}-_none_"])
        run.strict.append(Row(day, key, strict))
        run.generous.append(Row(day, key, generous))
    return run


def name_patterns(name: str) -> list[re.Pattern[str]]:
    """The full name, and a multiword name's last word when it is a capitalised word."""
    forms = [name]
    words = name.split()
    if len(words) > 1 and re.fullmatch(r"[A-Z][a-z]+", words[-1]):
        forms.append(words[-1])
    return [re.compile(r"(?<!\w)" + re.escape(f) + r"(?!\w)", re.IGNORECASE) for f in forms]


def verb_like(word: str) -> bool:
    w = word.lower()
    if not word.isalpha() or word[0].isupper() or w in NOT_VERBS:
        return False
    return (
        w in COMMON_VERBS or (w.endswith("ed") and len(w) > 3) or (w.endswith("ing") and len(w) > 4)
    )


def name_token_range(tokens: list[Token], patterns: list[re.Pattern[str]]) -> range | None:
    """Token indexes of the first place the sentence names the target."""
    text, starts = "", []
    for tok in tokens:
        starts.append(len(text))
        text += tok.text + " "
    for pattern in patterns:
        if m := pattern.search(text):
            first = max(i for i, s in enumerate(starts) if s <= m.start())
            last = max(i for i, s in enumerate(starts) if s < m.end())
            return range(first, last + 1)
    return None


def baseline_token(tokens: list[Token], named: range) -> Token:
    """The nearest verb-like token after the name, else before it, else the first word
    after the name, else the name's last token."""
    after, before = tokens[named.stop :], tokens[: named.start][::-1]
    for tok in (*after, *before):
        if verb_like(tok.text):
            return tok
    words = [tok for tok in after if tok.text.isalpha()]
    return words[0] if words else tokens[named.stop - 1]


def baseline_rows(name: str, docs: Iterable[CatDoc]) -> list[Row]:
    patterns = name_patterns(name)
    rows = []
    for doc in docs:
        events = []
        for sentence, tokens in sorted(doc.sentences().items()):
            if sentence < BODY_FIRST_SENTENCE:
                continue
            named = name_token_range(tokens, patterns)
            if named is not None:
                tok = baseline_token(tokens, named)
                events.append(f"{doc.doc_id}-{sentence}-{tok.text}")
        rows.append(Row(format_date(doc.dct), (doc.dct, doc.dct), events))
    return rows


# ----------------------------------------------------------------------------------------
# scoring and report


def run_scorer(score_py: Path, gold_dir: Path, system_dir: Path) -> dict[str, Any]:
    """score.py GOLD SYSTEM --json FILE: the micro summary and summed counts."""
    out_json = system_dir.parent / f"{system_dir.name}.score.json"
    proc = subprocess.run(
        [sys.executable, str(score_py), str(gold_dir), str(system_dir), "--json", str(out_json)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"score.py failed on {system_dir}: {proc.stderr.strip()[-500:]}")
    result = json.loads(out_json.read_text(encoding="utf-8"))
    # the counts share key names with the summary ("date_exact"): keep the summary's
    return {**result["counts"], **result["micro"]}


def fmt(x: float | None) -> str:
    return "    -" if x is None else f"{x:5.1f}"


def print_report(
    summary: list[str], scores: dict[str, dict[str, Any]], written: dict[str, int]
) -> None:
    for line in summary:
        print(line)
    head = (
        f"\n{'system':<20}{'P':>6}{'R':>6}{'F1':>6}   {'relations sys/gold':>18}"
        f"   {'sent P':>6}{'sent R':>7}{'sent F1':>8}{'date ok':>8}{'events':>8}"
    )
    print(head)
    print("-" * (len(head) - 1))
    for label, s in scores.items():
        rel = f"{s['prec_matched']}/{s['sys_total']} {s['rec_matched']}/{s['gold_total']}"
        print(
            f"{label:<20}{s['P']:>6.1f}{s['R']:>6.1f}{s['F1']:>6.1f}   {rel:>18}"
            f"   {s['sent_P']:>6.1f}{s['sent_R']:>7.1f}{s['sent_F1']:>8.1f}"
            f"{fmt(s['date_exact']):>8}{written[label]:>8}"
        )
    print(
        "\nP/R/F1: score.py's official-style temporal awareness, micro over the targets"
        " (relations: matched/total of system, of gold).\nsent P/R/F1: its (doc, sentence)"
        " diagnostic; date ok: exact dates of matched sentences (gold anchored); events:"
        " events written.\n* service generous is NOT the task metric: each mention is"
        " credited with the gold events of its sentence (best case for sentence-level"
        " extraction)."
    )


def describe(
    docs: dict[str, CatDoc],
    stored: list[Stored],
    targets: list[tuple[str, str]],
    gold: dict[str, dict[tuple[str, int], list[str]]],
    runs: dict[str, TargetRun],
    ingest_s: float,
) -> list[str]:
    """The lines above the score table: corpus, ingest, alignment, coverage."""
    n_tokens = sum(len(d.tokens) for d in docs.values())
    failed = [(s.cat, t) for s in stored for t in s.alignment.failed]
    sentence_of = {(s.cat.doc_id, t.id): t.sentence for s in stored for t in s.cat.tokens}
    head_failed = sum(sentence_of[(d.doc_id, t)] < BODY_FIRST_SENTENCE for d, t in failed)
    mentions = [(s, m) for s in stored for m in s.mentions]
    with_trigger = sum(trigger_span(m) is not None for _, m in mentions)
    placed = {(s.cat.doc_id, locate(m, s).sentence) for s, m in mentions}
    gold_pairs = {pair for g in gold.values() for pair in g}
    own_total = sum(len(gold[file]) for _, file in targets)
    own_covered = sum(len(set(gold[file]) & runs[file].sentences) for _, file in targets)
    answerable = [name for name, file in targets if runs[file].events]
    lines = [
        f"TimeLine trial split (apple): {len(docs)} documents, {len(targets)} targets, "
        f"{sum(len(v) for g in gold.values() for v in g.values())} gold events "
        f"in {len(gold_pairs)} (doc, sentence) pairs",
        f"ingest: {len(stored)} documents through POST /v1/documents in {ingest_s:.2f} s "
        f"({ingest_s / max(len(stored), 1) * 1000:.0f} ms/doc)",
        f"token alignment to stored bodies: {n_tokens - len(failed)}/{n_tokens} aligned; "
        f"{len(failed)} not ({head_failed} in titles and date lines, which the service keeps "
        f"out of the body; {len(failed) - head_failed} in bodies)",
        f"mentions stored: {len(mentions)}; with a `trigger`: {with_trigger}"
        + (
            "  (the API has no `trigger` field yet: strict mode gets no event from them)"
            if mentions and not with_trigger
            else ""
        ),
        f"targets answerable with actor= (non-empty timeline): {len(answerable)}/{len(targets)}"
        + (f" ({', '.join(answerable)})" if answerable else ""),
        f"gold (doc, sentence) pairs covered by any mention: {len(gold_pairs & placed)}"
        f"/{len(gold_pairs)}; by a mention in the target's own timeline: {own_covered}"
        f"/{own_total} (summed over targets)",
    ]
    lines.append(
        "per target: "
        + "; ".join(
            f"{name} {runs[file].events} ev/{runs[file].mentions} mentions"
            for name, file in targets
        )
    )
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="timeline-trial dir")
    ap.add_argument("--out", type=Path, help="keep the timelines here (default: a temp dir)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()

    apple = args.corpus / "apple"
    docs = load_meta(apple / "meta.json")
    targets = load_targets(apple / "targets.txt")
    gold = {file: load_gold_events(apple / "gold" / file) for _, file in targets}

    with tempfile.TemporaryDirectory(prefix="timeline-eval-") as tmp:
        out = args.out or Path(tmp)
        dirs = {
            "service strict": out / "service_strict",
            "service generous*": out / "service_generous",
            "baseline": out / "baseline",
        }
        for d in dirs.values():
            d.mkdir(parents=True, exist_ok=True)
        written = dict.fromkeys(dirs, 0)

        with temp_service() as service:
            stored = ingest_corpus(service, apple / "ingest.jsonl", docs)
            by_service_id = {s.service_id: s for s in stored}
            runs = {}
            for name, file in targets:
                run = service_target(service, name, by_service_id, gold[file])
                runs[file] = run
                written["service strict"] += write_timeline(
                    dirs["service strict"] / file, name, run.strict
                )
                written["service generous*"] += write_timeline(
                    dirs["service generous*"] / file, name, run.generous
                )
                written["baseline"] += write_timeline(
                    dirs["baseline"] / file, name, baseline_rows(name, docs.values())
                )
            ingest_s = service.ingest_seconds
        scores = {
            label: run_scorer(args.corpus / "score.py", apple / "gold", d)
            for label, d in dirs.items()
        }
        summary = describe(docs, stored, targets, gold, runs, ingest_s)
        summary.append(f"whole run: {time.perf_counter() - t0:.1f} s")
        if args.out:
            summary.append(f"timelines written to {args.out}")
        print_report(summary, scores, written)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
