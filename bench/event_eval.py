"""Event extraction and merge evaluation on the seeds, and ingest throughput at scale.

    .venv/bin/python bench/event_eval.py             # quality + throughput at 1,000 and 10,000
    .venv/bin/python bench/event_eval.py --quick     # quality + throughput at 200 and 1,000

Quality is scored on ``tests/data/events_gold.json``:

- mention recall: gold mentions whose sentence the extractor reported;
- date accuracy: of those, the share with the gold TIMEX3 value *and* granularity;
- extraction precision: reported mentions that are gold or allowed (``optional``);
- pairwise merge precision and recall over the found gold mentions (a pair is positive
  when both mentions report one gold event).

Throughput runs the whole pipeline (parse, dates, extraction, merge, storage) in one
process on a SQLite file, through the bulk path the CLI uses (``pipeline.ingest_many``:
one committed transaction per batch of ``--batch`` documents), over generated
variations of the seeds: each group of five (one per seed) is the same story moved by a
whole number of weeks, with its absolute dates moved with it, so the store grows the way a
news archive does. The caches of story text (``memo.forget_stories``) are emptied before
each document is prepared, so that five stories told again and again cost what new
articles cost (with ``--jobs``, the preparing processes keep theirs). The rate is measured
over the last ``--window`` documents before the store reaches each size. Then ``--single``
more documents are ingested one transaction each (the API's path, ``pipeline.ingest``) for
comparison.

A busy news day is measured apart (``--busy``): the seeds reported again and again on
their own days, each report's sentences carrying a word of their own so that no two are
alike, as a big story's coverage by many outlets piles up on a few days.

A dense archive is measured apart too (``--dense N``), on real news text: TimeBank, the
TimeLine trial split and the project's test articles and seeds (about 220 documents),
each copy with a made-up word of its own in every sentence and its publication moved a
week per cycle with its absolute dates, so years, quarters and months fill up the way a
real archive's do. It reports the rate of the first and the last thousand documents and
the process's resident memory at each thousand.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timeline_service.pipeline import ingest as pipeline  # noqa: E402
from timeline_service.pipeline.ingest import Prepared  # noqa: E402
from timeline_service.sdk.article import RawDocument  # noqa: E402
from timeline_service.store.db import make_engine, upgrade  # noqa: E402
from timeline_service.store.models import Document, Event, Mention  # noqa: E402
from timeline_service.text import memo  # noqa: E402

SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "data" / "events_gold.json"


def seed_documents() -> list[tuple[str, RawDocument]]:
    manifest = json.loads((SEEDS / "manifest.json").read_text("utf-8"))
    return [
        (
            entry["file"],
            RawDocument(
                text=(SEEDS / entry["file"]).read_text("utf-8"),
                url=entry["url"],
                published_at=date.fromisoformat(entry["published_at"]),
            ),
        )
        for entry in manifest
    ]


def fresh_session(directory: Path, name: str) -> Session:
    url = f"sqlite:///{directory / name}"
    upgrade(url)
    return Session(make_engine(url), expire_on_commit=False)


# ------------------------------------------------------------------ quality


def quality(order: list[int] | None = None) -> dict[str, float]:
    gold = json.loads(GOLD.read_text("utf-8"))
    docs = seed_documents()
    order = order or list(range(len(docs)))
    with tempfile.TemporaryDirectory() as tmp:
        session = fresh_session(Path(tmp), "quality.sqlite")
        ids: dict[str, int] = {}
        for i in order:
            name, raw = docs[i]
            ids[name] = pipeline.ingest(session, raw).document.id
        by_doc: dict[int, list[Mention]] = defaultdict(list)
        for m in session.scalars(select(Mention)):
            by_doc[m.document_id].append(m)
        found: list[tuple[str, Mention]] = []  # (gold event id, predicted mention)
        total = correct = 0
        misses: list[str] = []
        wrong: list[str] = []
        field_total: dict[str, int] = defaultdict(int)
        field_ok: dict[str, int] = defaultdict(int)
        for event in gold["events"]:
            for g in event["mentions"]:
                total += 1
                hit = next((m for m in by_doc[ids[g["file"]]] if g["text"] in m.sentence), None)
                if hit is None:
                    misses.append(f"{g['file'][:3]} {g['text']!r}")
                    continue
                found.append((event["id"], hit))
                if hit.date_value == g["value"] and hit.granularity == g["granularity"]:
                    correct += 1
                else:
                    wrong.append(
                        f"{g['file'][:3]} {g['text']!r}: {hit.date_value}/{hit.granularity}"
                        f" != {g['value']}/{g['granularity']}"
                    )
                for key in ("type", "modality", "attribution"):
                    if key in g:
                        field_total[key] += 1
                        field_ok[key] += getattr(hit, key) == g[key]
        allowed = [(m["file"], m["text"]) for e in gold["events"] for m in e["mentions"]]
        allowed += [(o["file"], o["text"]) for o in gold["optional"]]
        predicted = [m for ms in by_doc.values() for m in ms]
        names = {v: k for k, v in ids.items()}
        spurious = [
            m for m in predicted
            if not any(f == names[m.document_id] and t in m.sentence for f, t in allowed)
        ]  # fmt: skip
        forbidden = [
            n["text"] for n in gold["not_mentions"]
            if any(n["text"] in m.sentence for m in by_doc[ids[n["file"]]])
        ]  # fmt: skip
        tp = fp = fn = 0
        for (ga, ma), (gb, mb) in itertools.combinations(found, 2):
            if ma.id == mb.id:
                continue
            same_gold, same_pred = ga == gb, ma.event_id == mb.event_id
            tp += same_gold and same_pred
            fp += same_pred and not same_gold
            fn += same_gold and not same_pred
        fp_pairs = [
            (ma.sentence[:60], mb.sentence[:60])
            for (ga, ma), (gb, mb) in itertools.combinations(found, 2)
            if ga != gb and ma.event_id == mb.event_id
        ]
        fn_pairs = [
            (ma.sentence[:60], mb.sentence[:60])
            for (ga, ma), (gb, mb) in itertools.combinations(found, 2)
            if ga == gb and ma.event_id != mb.event_id and ma.id != mb.id
        ]
        events = session.scalar(select(func.count()).select_from(Event))
        session.close()
    result = {
        "gold mentions": total,
        "mention recall": len(found) / total,
        "date accuracy (value and granularity)": correct / max(1, len(found)),
        "extraction precision (gold or optional)": 1 - len(spurious) / max(1, len(predicted)),
        "merge precision (pairwise)": tp / max(1, tp + fp),
        "merge recall (pairwise)": tp / max(1, tp + fn),
        "events": events,
    }
    for key in field_total:
        result[f"{key} accuracy"] = field_ok[key] / field_total[key]
    result["_details"] = {  # type: ignore[assignment]
        "missed": misses,
        "wrong dates": wrong,
        "spurious": [m.sentence[:80] for m in spurious],
        "forbidden": forbidden,
        "false merges": fp_pairs,
        "missed merges": fn_pairs,
    }
    return result


# ------------------------------------------------------------------ throughput

_MONTHS = [date(2000, m, 1).strftime("%B") for m in range(1, 13)]
_MONTH_DAY_YEAR = re.compile(rf"\b({'|'.join(_MONTHS)}) (\d{{1,2}})(, (\d{{4}}))?\b")
_MONTH_YEAR = re.compile(rf"\b({'|'.join(_MONTHS)}) (\d{{4}})\b")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")


def shift_text(text: str, days: int, published: date) -> str:
    """Move the absolute dates of a text by ``days`` (months and years move with them)."""

    def month_day_year(m: re.Match[str]) -> str:
        year = int(m[4]) if m[4] else published.year
        try:
            moved = date(year, _MONTHS.index(m[1]) + 1, int(m[2])) + timedelta(days=days)
        except ValueError:
            return m[0]
        tail = f", {moved.year}" if m[4] else ""
        return f"{_MONTHS[moved.month - 1]} {moved.day}{tail}"

    def month_year(m: re.Match[str]) -> str:
        moved = date(int(m[2]), _MONTHS.index(m[1]) + 1, 15) + timedelta(days=days)
        return f"{_MONTHS[moved.month - 1]} {moved.year}"

    text = _MONTH_YEAR.sub(month_year, text)
    text = _MONTH_DAY_YEAR.sub(month_day_year, text)
    return _YEAR.sub(lambda m: str(int(m[1]) + days // 365), text)


def variation(seeds: list[tuple[str, RawDocument]], i: int) -> RawDocument:
    """Document ``i``: seed ``i % 5``, moved by ``i // 5`` weeks, with a unique sign-off."""
    _, raw = seeds[i % len(seeds)]
    weeks = i // len(seeds)
    days = 7 * weeks
    published = raw.published_at
    assert isinstance(published, date)
    text = shift_text(raw.text or "", days, published) + f"\n\nFiled by desk {i}."
    return RawDocument(
        text=text, url=f"{raw.url}?variant={i}", published_at=published + timedelta(days=days)
    )


@contextmanager
def as_new_text() -> Iterator[None]:
    """Within it, ``pipeline.prepare`` first forgets the stories it has read: the bench
    repeats five stories, which the caches of story text would make cheaper than news."""
    prepare = pipeline.prepare

    def prepare_new(*args: Any, **kwargs: Any) -> Prepared:
        memo.forget_stories()
        return prepare(*args, **kwargs)

    pipeline.prepare = prepare_new
    try:
        yield
    finally:
        pipeline.prepare = prepare


def throughput(
    sizes: list[int], window: int, *, batch_size: int = 64, jobs: int = 1, single: int = 0
) -> list[tuple[int, float]]:
    """Bulk ingest (``pipeline.ingest_many``, the CLI's path) in one stream up to the
    largest size, timing the whole batches among the last ``window`` documents before
    each size; then ``single`` documents one per transaction (the API's path) on top."""
    seeds = seed_documents()
    pipeline.prepare(seeds[0][1])  # warm up plugins and the date engine
    with as_new_text():
        results = []
        total = max(sizes)
        marks: dict[int, tuple[float, float]] = {0: (time.perf_counter(), time.process_time())}
        with tempfile.TemporaryDirectory() as tmp:
            session = fresh_session(Path(tmp), "throughput.sqlite")
            raws = (variation(seeds, i) for i in range(total))
            outcomes = pipeline.ingest_many(
                session, raws, batch_size=batch_size, jobs=jobs, with_events=False
            )  # as the CLI does
            for stored, outcome in enumerate(outcomes, 1):
                assert outcome.result is not None and outcome.result.created, outcome
                if stored % batch_size == 0 or stored == total:  # a batch has just committed
                    marks[stored] = (time.perf_counter(), time.process_time())
                if stored not in sizes:
                    continue
                last = max(m for m in marks if m <= stored)
                first = max(m for m in marks if m <= max(0, last - window))
                docs = last - first
                elapsed = marks[last][0] - marks[first][0]
                cpu = marks[last][1] - marks[first][1]
                results.append((stored, docs / (elapsed if jobs > 1 else cpu)))
                print(
                    f"  {stored:>6} stored documents: {docs / elapsed:7.1f} docs/s wall, "
                    f"{docs / cpu:7.1f} docs/s of {'this' if jobs > 1 else 'process'} CPU "
                    f"({docs} documents timed)",
                    flush=True,
                )
            docs = session.scalar(select(func.count()).select_from(Document))
            events = session.scalar(select(func.count()).select_from(Event))
            print(f"  stored: {docs} documents, {events} events", flush=True)
            if single:
                start, cpu = time.perf_counter(), time.process_time()
                for i in range(total, total + single):
                    assert pipeline.ingest(session, variation(seeds, i)).created
                elapsed = time.perf_counter() - start
                cpu = time.process_time() - cpu
                print(
                    f"  one transaction per document, {single} more: {single / elapsed:7.1f} "
                    f"docs/s wall, {single / cpu:7.1f} docs/s of process CPU",
                    flush=True,
                )
            session.close()
    return results


def busy_report(seeds: list[tuple[str, RawDocument]], i: int) -> RawDocument:
    """Report ``i`` of seed ``i % 5``, on the seed's own day, every sentence ending in a
    made-up word of this report's (``bcdq`` for 123)."""
    _, raw = seeds[i % len(seeds)]
    word = "".join(chr(ord("a") + int(c)) for c in str(i)) + "q"
    text = re.sub(r"\. (?=[A-Z])", f" {word}. ", raw.text or "")
    return RawDocument(
        text=f"{text}\n\nFiled by desk {i}.", url=f"{raw.url}?report={i}",
        published_at=raw.published_at,
    )  # fmt: skip


def busy_day(total: int, batch_size: int) -> None:
    """Time per document of the last batch before a quarter of ``total`` reports of the
    seeds' days are stored, and before all of them are."""
    seeds = seed_documents()
    marks = {max(batch_size, total // 4 // batch_size * batch_size), total}
    with as_new_text(), tempfile.TemporaryDirectory() as tmp:
        session = fresh_session(Path(tmp), "busy.sqlite")
        raws = (busy_report(seeds, i) for i in range(total))
        cpu = time.process_time()
        outcomes = pipeline.ingest_many(session, raws, batch_size=batch_size, with_events=False)
        for stored, outcome in enumerate(outcomes, 1):
            assert outcome.result is not None and outcome.result.created, outcome
            if stored % batch_size == 0:
                spent, cpu = time.process_time() - cpu, time.process_time()
                if stored in marks:
                    print(
                        f"  {stored:>6} reports of the seeds' days stored: "
                        f"{spent / batch_size * 1000:6.1f} ms of process CPU per document "
                        "(the last batch)",
                        flush=True,
                    )
        events = session.scalar(select(func.count()).select_from(Event))
        print(f"  stored: {total} reports, {events} events", flush=True)
        session.close()


# ------------------------------------------------------------------ a dense archive

CORPORA = ROOT.parent / "shared" / "corpora"


def real_news() -> list[RawDocument]:
    """Real articles with their publication dates: TimeBank, the TimeLine trial split,
    the project's test articles and the seeds."""
    sys.path.insert(0, str(ROOT / "bench"))
    from temporal_eval import load_doc

    docs = [
        RawDocument(text=d.text, published_at=d.dct)
        for d in map(load_doc, sorted((CORPORA / "timebank").glob("*.tml")))
    ]
    trial = CORPORA / "timeline-trial" / "apple" / "ingest.jsonl"
    for line in trial.read_text("utf-8").splitlines():
        record = json.loads(line)
        docs.append(
            RawDocument(
                text=record["text"], published_at=date.fromisoformat(record["published_at"][:10])
            )
        )
    for path in sorted((ROOT / "tests" / "data" / "articles").glob("*.txt")):
        docs.append(RawDocument(text=path.read_text("utf-8"), published_at=date(2023, 3, 1)))
    docs += [raw for _, raw in seed_documents()]
    return docs


def dense_copy(docs: list[RawDocument], i: int) -> RawDocument:
    """Copy ``i``: document ``i % n`` moved ``i // n`` weeks, every sentence carrying a
    made-up word of this copy's, so no two copies are alike."""
    raw = docs[i % len(docs)]
    days = 7 * (i // len(docs))
    published = raw.published_at
    assert isinstance(published, date)
    word = "".join(chr(ord("a") + int(c)) for c in str(i)) + "x"
    text = shift_text(raw.text or "", days, published)
    text = re.sub(r"([.!?])( +|\n)(?=[A-Z\"“])", rf" {word}\1\2", text) + f" {word}."
    return RawDocument(text=text, published_at=published + timedelta(days=days))


def resident_mb() -> tuple[float, float]:
    """The process's resident memory now, in MB: all of it, and the part that is the
    process's own (anonymous), without the pages of the database file it maps."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "RssAnon"):
            found[name] = int(rest.split()[0]) / 1024
    return found.get("VmRSS", float("nan")), found.get("RssAnon", float("nan"))


def dense(total: int, batch_size: int, single: int = 0) -> None:
    """Bulk ingest of ``total`` dense copies; the rate of each thousand and the memory;
    then ``single`` more through the HTTP API, one document per request."""
    docs = real_news()
    pipeline.prepare(docs[0])  # warm up plugins and the date engine
    with as_new_text(), tempfile.TemporaryDirectory() as tmp:
        session = fresh_session(Path(tmp), "dense.sqlite")
        outcomes = pipeline.ingest_many(
            session, (dense_copy(docs, i) for i in range(total)), batch_size=batch_size,
            with_events=False,
        )  # fmt: skip
        rates: dict[int, float] = {}
        started, cpu = time.perf_counter(), time.process_time()
        for stored, outcome in enumerate(outcomes, 1):
            assert outcome.result is not None, outcome.error
            if stored % 1000 == 0 or stored == total:
                spent = time.process_time() - cpu
                wall = time.perf_counter() - started
                rates[stored] = 1000 / spent
                rss, own = resident_mb()
                print(
                    f"  {stored:>6} stored: this thousand {1000 / wall:6.1f} docs/s wall, "
                    f"{1000 / spent:6.1f} docs/s of process CPU; resident {rss:4.0f} MB, "
                    f"of it the process's own {own:4.0f} MB",
                    flush=True,
                )
                started, cpu = time.perf_counter(), time.process_time()
        events = session.scalar(select(func.count()).select_from(Event))
        mentions = session.scalar(select(func.count()).select_from(Mention))
        print(f"  stored: {total} documents, {mentions} mentions, {events} events")
        if len(rates) >= 2:
            first, last = min(rates), max(rates)
            print(f"  time per document, last thousand vs first: {rates[first] / rates[last]:.2f}x")
        url = str(session.get_bind().url)
        session.close()
        if single:
            rate = api_path(url, docs, total, single)
            bulk = rates[max(rates)]
            print(
                f"  the API path (POST /v1/documents, one document per request), {single} "
                f"more: {rate:6.1f} docs/s of process CPU, {bulk / rate:.2f}x the bulk path's "
                "time per document (last thousand)"
            )


def api_path(url: str, docs: list[RawDocument], start: int, count: int) -> float:
    """``count`` more dense copies POSTed one per request to the service's HTTP API (a
    Flask test client on the database at ``url``); documents per second of process CPU."""
    from timeline_service import create_app

    app = create_app(
        {
            "DATABASE_URL": url, "API_KEYS": "k", "RATE_LIMIT_PER_ADDRESS": 0,
            "RATE_LIMIT_PER_KEY": 0, "INGEST_BUDGET_SECONDS": 60,
        }
    )  # fmt: skip
    client = app.test_client()
    headers = {"Authorization": "Bearer k"}
    cpu = time.process_time()
    for i in range(start, start + count):
        raw = dense_copy(docs, i)
        memo.forget_stories()  # as in bulk: news, not stories read before
        assert isinstance(raw.published_at, date)
        payload = {"text": raw.text, "published_at": raw.published_at.isoformat()}
        response = client.post("/v1/documents", json=payload, headers=headers)
        assert response.status_code == 201, response.get_data(as_text=True)[:300]
    return count / (time.process_time() - cpu)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="throughput at 200 and 1,000")
    parser.add_argument("--sizes", type=int, nargs="*", help="store sizes to measure at")
    parser.add_argument("--window", type=int, default=200, help="documents timed per size")
    parser.add_argument("--batch", type=int, default=64, help="documents per transaction")
    parser.add_argument(
        "--jobs", type=int, default=1, help="processes preparing documents (1: one process)"
    )
    parser.add_argument(
        "--single", type=int, default=100, help="documents then ingested one at a time"
    )
    parser.add_argument("--no-throughput", action="store_true")
    parser.add_argument(
        "--busy", type=int, default=512, help="reports of one busy news day (0: skip)"
    )
    parser.add_argument(
        "--dense", type=int, default=0, help="documents of the dense real-news archive (0: skip)"
    )
    parser.add_argument("--only-dense", action="store_true", help="skip the other measures")
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses and errors")
    args = parser.parse_args(argv)

    if args.dense:
        print(
            f"A dense archive of real news: {args.dense} copies of about 220 articles, "
            f"bulk ingest in batches of {args.batch}, one process, SQLite"
        )
        dense(args.dense, args.batch, args.single)
        if args.only_dense:
            return 0
    print("Event extraction and merge on the seeds (tests/data/events_gold.json)")
    result = quality()
    details = result.pop("_details")
    for key, value in result.items():
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        print(f"  {key:<42} {shown}")
    orders = [list(p) for p in itertools.permutations(range(5))][::17]
    keys = set()
    for order in orders:
        with tempfile.TemporaryDirectory() as tmp:
            session = fresh_session(Path(tmp), "order.sqlite")
            seeds = seed_documents()
            for i in order:
                pipeline.ingest(session, seeds[i][1])
            keys.add(tuple(sorted(
                (e.key, e.date_value, e.mention_count)
                for e in session.scalars(select(Event))
            )))  # fmt: skip
            session.close()
    print(f"  {'ingest orders tried / distinct timelines':<42} {len(orders)} / {len(keys)}")
    if args.verbose:
        for key, items in details.items():  # type: ignore[union-attr]
            for item in items:
                print(f"    {key}: {item}")

    if not args.no_throughput:
        sizes = args.sizes or ([200, 1000] if args.quick else [1000, 10000])
        window = min(args.window, min(sizes))
        how = "one process" if args.jobs <= 1 else f"{args.jobs} more processes preparing"
        print(
            f"Ingest throughput, whole pipeline, {how}, SQLite, bulk ingest in batches "
            f"of {args.batch}, the batches of the last {window} documents timed per size"
        )
        rates = throughput(sizes, window, batch_size=args.batch, jobs=args.jobs, single=args.single)
        if len(rates) >= 2:
            print(
                f"  time per document at {rates[-1][0]} vs at {rates[0][0]}: "
                f"{rates[0][1] / rates[-1][1]:.2f}x"
            )
    if args.busy:
        print(f"A busy news day: {args.busy} reports of the seeds' days, batches of {args.batch}")
        busy_day(args.busy - args.busy % args.batch or args.batch, args.batch)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
