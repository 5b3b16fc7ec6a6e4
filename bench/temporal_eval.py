"""Score the date engine on TimeBank (TempEval-3 style), against dateparser's
``search_dates`` as a baseline, in one run.

    .venv/bin/python bench/temporal_eval.py [--limit N] [--errors N] [--dir PATH]

Spans: strict = exact offsets, relaxed = any overlap (one-to-one). Value
accuracy is over relaxed matches; value F1 = relaxed F1 x value accuracy.
"DATE/TIME" scores gold and system expressions of those types only; "all"
scores every type (durations and sets included). The corpus lives beside the
repository (``../shared/corpora/timebank``) or at ``$TIMELINE_TIMEBANK_DIR``.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DIR = REPO.parent / "shared" / "corpora" / "timebank"
sys.path.insert(0, str(REPO))


@dataclass(frozen=True)
class Timex:
    start: int
    end: int
    text: str
    type: str
    value: str | None


@dataclass
class Doc:
    name: str
    dct: date
    text: str
    gold: list[Timex]


_TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def load_doc(path: Path) -> Doc:
    """Plain ``<TEXT>`` content (tags stripped, entities decoded) and gold TIMEX3 offsets."""
    raw = path.read_text(encoding="utf-8")
    dct_value = re.search(
        r'functionInDocument="CREATION_TIME"[^>]*value="([^"]+)"', raw
    ) or re.search(r'value="([^"]+)"[^>]*functionInDocument="CREATION_TIME"', raw)
    dct = date.fromisoformat(dct_value.group(1)[:10])  # type: ignore[union-attr]
    body = raw[raw.index("<TEXT>") + len("<TEXT>") : raw.index("</TEXT>")]
    out: list[str] = []
    length = 0
    gold: list[Timex] = []
    open_timex: tuple[int, dict[str, str]] | None = None
    pos = 0
    for m in _TAG.finditer(body):
        piece = html.unescape(body[pos : m.start()])
        out.append(piece)
        length += len(piece)
        pos = m.end()
        if m.group(2) != "TIMEX3":
            continue
        if m.group(1) == "":
            open_timex = (length, dict(_ATTR.findall(m.group(3))))
        elif open_timex is not None:
            start, attrs = open_timex
            gold.append(Timex(start, length, "", attrs.get("type", ""), attrs.get("value")))
            open_timex = None
    out.append(html.unescape(body[pos:]))
    text = "".join(out)
    gold = [Timex(g.start, g.end, text[g.start : g.end], g.type, g.value) for g in gold]
    return Doc(path.stem, dct, text, gold)


def norm_value(value: str | None) -> str | None:
    """Decades and centuries: TIMEX2-style "199X"/"19XX" equal TIMEX3 "199"/"19"."""
    if value is None:
        return None
    v = value.upper()
    if re.fullmatch(r"\d{1,3}X+", v):
        v = v.rstrip("X")
    return v


def baseline_value(text: str, when: datetime) -> tuple[str, str]:
    """search_dates returns a datetime; render it at the precision its string states,
    so the baseline is not penalised for granularity it never claimed."""
    if when.time() != datetime.min.time():
        return "TIME", when.strftime("%Y-%m-%dT%H:%M")
    low = text.lower()
    if re.fullmatch(r"\s*\d{4}\s*", low):
        return "DATE", f"{when.year:04d}"
    has_day = re.search(r"\b\d{1,2}(?:st|nd|rd|th)?\b|day|yesterday|tomorrow|tonight|ago", low)
    if not has_day and re.search(r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|month", low):
        return "DATE", when.strftime("%Y-%m")
    if not has_day and re.search(r"year", low):
        return "DATE", f"{when.year:04d}"
    return "DATE", when.date().isoformat()


def kind_of(t: str) -> str:
    """Coarse kind of a gold expression, for the breakdown."""
    low = t.lower()
    if re.search(
        r"\b(?:a\.m|p\.m|am|pm|noon|midnight|morning|afternoon|evening|night|tonight|overnight)\b",
        low,
    ):
        return "time/part of day"
    if re.search(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b", low):
        return "weekday"
    if re.search(r"\b(?:yesterday|today|tomorrow)\b", low):
        return "yesterday/today"
    if re.search(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.? \d", low):
        return "month day"
    if re.search(r"\bquarter|\bhalf\b", low):
        return "quarter/half"
    if re.search(r"\b(?:ago|earlier|later)\b", low):
        return "ago/earlier"
    if re.search(
        r"\b(?:every|each|daily|weekly|monthly|annually|yearly|hourly|quarterly)\b|\ba year$", low
    ):
        return "set"
    if re.search(
        r"\b(?:january|february|march|april|may|june|july|august|september|october|november|december)\b",
        low,
    ):
        return "month"
    if re.search(r"\b(?:last|this|next|past|coming|current)\b.*\b(?:week|month|year|weekend)", low):
        return "this/last/next unit"
    if re.search(r"\b(?:1[0-9]|20)\d\d\b|nineteen|two thousand", low):
        return "year/decade"
    if re.search(
        r"\b(?:now|current|currently|recent|recently|past|future|soon|former|previously|present)\b",
        low,
    ):
        return "present/past/future ref"
    if re.search(
        r"\b(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centur)", low
    ):
        return "duration phrase"
    return "other"


@dataclass
class Score:
    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    value_ok: int = 0

    def row(self) -> tuple[float, float, float, float, float, float]:
        def f1(hit: int) -> tuple[float, float, float]:
            p = hit / self.system if self.system else 0.0
            r = hit / self.gold if self.gold else 0.0
            return p, r, (2 * p * r / (p + r) if p + r else 0.0)

        _, _, sf = f1(self.strict)
        rp, rr, rf = f1(self.relaxed)
        acc = self.value_ok / self.relaxed if self.relaxed else 0.0
        return sf * 100, rp * 100, rr * 100, rf * 100, acc * 100, rf * acc * 100


def match(gold: list[Timex], system: list[Timex]) -> list[tuple[Timex, Timex]]:
    """One-to-one pairs of overlapping spans, exact matches first, then largest overlap."""
    pairs = []
    for g in gold:
        for s in system:
            overlap = min(g.end, s.end) - max(g.start, s.start)
            if overlap > 0:
                exact = g.start == s.start and g.end == s.end
                pairs.append((not exact, -overlap, g.start, s.start, g, s))
    pairs.sort(key=lambda p: p[:4])
    used_g: set[int] = set()
    used_s: set[int] = set()
    out = []
    for *_key, g, s in pairs:
        if id(g) in used_g or id(s) in used_s:
            continue
        used_g.add(id(g))
        used_s.add(id(s))
        out.append((g, s))
    return out


@dataclass
class Run:
    name: str
    scores: dict[str, Score]
    by_kind: dict[str, Counter]
    errors: dict[str, list[str]]
    seconds: float


def evaluate(name: str, docs: list[Doc], system_fn, n_errors: int) -> Run:
    scores = {"DATE/TIME": Score(), "all": Score()}
    by_kind: dict[str, Counter] = defaultdict(Counter)
    errors: dict[str, list[str]] = {"missed": [], "spurious": [], "wrong value": []}
    total = 0.0
    for doc in docs:
        t0 = time.process_time()
        system = system_fn(doc)
        total += time.process_time() - t0
        for label, keep in (("DATE/TIME", {"DATE", "TIME"}), ("all", None)):
            g = [x for x in doc.gold if keep is None or x.type in keep]
            s = [x for x in system if keep is None or x.type in keep]
            pairs = match(g, s)
            sc = scores[label]
            sc.gold += len(g)
            sc.system += len(s)
            sc.relaxed += len(pairs)
            sc.strict += sum(a.start == b.start and a.end == b.end for a, b in pairs)
            sc.value_ok += sum(norm_value(a.value) == norm_value(b.value) for a, b in pairs)
            if label != "all":
                continue
            matched_g = {id(a): b for a, b in pairs}
            matched_s = {id(b) for _, b in pairs}
            for x in g:
                k = by_kind[kind_of(x.text)]
                k["gold"] += 1
                if id(x) in matched_g:
                    k["found"] += 1
                    ok = norm_value(x.value) == norm_value(matched_g[id(x)].value)
                    k["value ok"] += ok
                    if not ok:
                        y = matched_g[id(x)]
                        errors["wrong value"].append(
                            f"{doc.name} dct={doc.dct} {x.text!r} gold {x.type} {x.value} | "
                            f"got {y.text!r} {y.type} {y.value}"
                        )
                else:
                    ctx = doc.text[max(0, x.start - 40) : x.end + 30].replace("\n", " ")
                    errors["missed"].append(f"{doc.name} {x.text!r} {x.type} {x.value}  …{ctx}…")
            for y in s:
                if id(y) not in matched_s:
                    ctx = doc.text[max(0, y.start - 40) : y.end + 30].replace("\n", " ")
                    errors["spurious"].append(f"{doc.name} {y.text!r} {y.type} {y.value}  …{ctx}…")
    return Run(name, scores, by_kind, errors, total)


def print_table(runs: list[Run], n_docs: int) -> None:
    head = (
        f"{'system':<14}{'subset':<11}{'strict F1':>10}{'rel P':>8}{'rel R':>8}{'rel F1':>8}"
        f"{'val acc':>9}{'val F1':>8}{'ms/doc':>9}"
    )
    print(head)
    print("-" * len(head))
    for run in runs:
        for label, sc in run.scores.items():
            sf, rp, rr, rf, acc, vf = sc.row()
            print(
                f"{run.name:<14}{label:<11}{sf:>10.1f}{rp:>8.1f}{rr:>8.1f}{rf:>8.1f}{acc:>9.1f}"
                f"{vf:>8.1f}{run.seconds / n_docs * 1000:>9.2f}"
            )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--dir", type=Path, default=Path(os.environ.get("TIMELINE_TIMEBANK_DIR", DEFAULT_DIR))
    )
    ap.add_argument("--limit", type=int, default=0, help="score only the first N documents")
    ap.add_argument("--errors", type=int, default=10, help="sample errors to print per category")
    ap.add_argument("--no-baseline", action="store_true", help="skip search_dates")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    import timeline_service  # noqa: F401 - the parent package (the Flask app), timed apart

    package_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    from timeline_service.temporal import find_temporal_expressions

    import_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    find_temporal_expressions("He said it began on 2/24/2022.", date(2023, 2, 16))  # dateparser
    warm_s = time.perf_counter() - t0

    paths = sorted(args.dir.glob("*.tml"))
    if args.limit:
        paths = paths[: args.limit]
    if not paths:
        print(f"no .tml files in {args.dir}", file=sys.stderr)
        return 2
    docs = [load_doc(p) for p in paths]

    def engine(doc: Doc) -> list[Timex]:
        return [
            Timex(e.start, e.end, e.text, e.type, e.value)
            for e in find_temporal_expressions(doc.text, doc.dct)
        ]

    runs = [evaluate("engine", docs, engine, args.errors)]

    if not args.no_baseline:
        from dateparser.search import search_dates

        search_dates("on Thursday, February 24, 2022", languages=["en"])

        def baseline(doc: Doc) -> list[Timex]:
            base = datetime(doc.dct.year, doc.dct.month, doc.dct.day)
            found = search_dates(doc.text, languages=["en"], settings={"RELATIVE_BASE": base}) or []
            out, pos = [], 0
            for text, when in found:
                i = doc.text.find(text, pos)
                if i < 0:
                    i = doc.text.find(text)
                    if i < 0:
                        continue
                pos = i + len(text)
                out.append(Timex(i, i + len(text), text, *baseline_value(text, when)))
            return out

        runs.append(evaluate("search_dates", docs, baseline, 0))

    n_gold = sum(len(d.gold) for d in docs)
    print(
        f"TimeBank: {len(docs)} documents, {n_gold} gold TIMEX3 "
        f"({sum(x.type in ('DATE', 'TIME') for d in docs for x in d.gold)} DATE/TIME)\n"
    )
    print_table(runs, len(docs))
    if len(runs) == 2 and runs[0].seconds:
        print(
            f"\nspeed-up over search_dates: {runs[1].seconds / runs[0].seconds:.1f}x per document"
        )
    print(
        f"engine import: {import_s * 1000:.0f} ms (after {package_s * 1000:.0f} ms for the "
        "timeline_service package); first call (loads dateparser and its language data): "
        f"{warm_s * 1000:.0f} ms\n(ms/doc is this process's CPU time, so other load on the "
        "machine does not skew the comparison)"
    )

    print("\nengine by kind of gold expression (all types)")
    print(f"{'kind':<26}{'gold':>6}{'found':>8}{'value ok':>10}")
    for kind, k in sorted(runs[0].by_kind.items(), key=lambda kv: -kv[1]["gold"]):
        print(
            f"{kind:<26}{k['gold']:>6}{k['found'] / k['gold'] * 100:>7.0f}%"
            f"{(k['value ok'] / k['found'] * 100 if k['found'] else 0):>9.0f}%"
        )
    if args.errors:
        for cat, items in runs[0].errors.items():
            print(f"\n{cat} ({len(items)}), first {min(args.errors, len(items))}:")
            for line in items[: args.errors]:
                print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
