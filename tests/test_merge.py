"""Merging the seeds into events: multi-source events, order independence, deletion."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from timeline_service.events import cluster as clustering
from timeline_service.events import store as events
from timeline_service.events.dates import Claim, event_date, is_fine, values_compatible
from timeline_service.events.similarity import Signature, same_event
from timeline_service.pipeline import ingest as pipeline
from timeline_service.pipeline.reresolve import reresolve
from timeline_service.plugins import actor_table
from timeline_service.sdk import DateClaim, EventMention
from timeline_service.sdk.article import RawDocument
from timeline_service.store.db import make_engine
from timeline_service.store.models import Document, Event, EventActor, Mention

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
MANIFEST = json.loads((SEEDS / "manifest.json").read_text("utf-8"))


def seed(i: int) -> RawDocument:
    entry = MANIFEST[i]
    return RawDocument(
        text=(SEEDS / entry["file"]).read_text("utf-8"),
        url=entry["url"],
        published_at=date.fromisoformat(entry["published_at"]),
    )


@contextmanager
def open_session(database_url: str) -> Iterator[Session]:
    engine = make_engine(database_url)
    with Session(engine, expire_on_commit=False) as s:
        yield s
    engine.dispose()


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    with open_session(database_url) as s:
        yield s


def ingest(session: Session, order: list[int]) -> dict[int, int]:
    return {i: pipeline.ingest(session, seed(i)).document.id for i in order}


def timeline(session: Session) -> list[tuple]:
    """Everything a reader sees, with documents named by URL (ids depend on order)."""
    session.expire_all()
    urls = dict(session.execute(select(Document.id, Document.url)).all())
    out = []
    for e in session.scalars(select(Event)):
        members = sorted(
            (urls[m.document_id], m.sentence_start, m.date_value)
            for m in session.scalars(select(Mention).where(Mention.event_id == e.id))
        )
        out.append(
            (e.key, e.date_value, e.granularity, e.agreement, e.type, e.title, e.source_count,
             e.mention_count, tuple(sorted(e.actors)), tuple(members))
        )  # fmt: skip
    return sorted(out)


def event_with(session: Session, words: str) -> Event:
    mention = session.scalars(select(Mention).where(Mention.sentence.contains(words))).one()
    event = session.get(Event, mention.event_id)
    assert event is not None
    return event


def sentences(session: Session, event: Event) -> list[str]:
    query = select(Mention.sentence).where(Mention.event_id == event.id)
    return list(session.scalars(query))


def test_multi_source_events_come_out_whole(session: Session) -> None:
    ingest(session, [0, 1, 2, 3, 4])
    call = event_with(session, "Minsk said Putin called Lukashenko")
    assert call.source_count == 3 and call.mention_count == 4
    assert (call.date_value, call.type) == ("2022-02-24T05:00", "meeting")
    assert call.agreement == "compatible"  # 05:00, Thursday, early this morning
    assert any("spoke over the phone early this morning" in s for s in sentences(session, call))

    denial = event_with(session, "Our armed forces are not taking part")
    assert denial.source_count == 3
    assert (denial.date_value, denial.type) == ("2022-02-24", "accusation")
    assert any("not participating" in s for s in sentences(session, denial))
    assert any("not going to get involved in the war, President" in s
               for s in sentences(session, denial))  # fmt: skip

    invasion = event_with(session, "Putin launched the offensive")
    texts = sentences(session, invasion)
    assert invasion.source_count == 2  # reported a year apart
    assert any("launched the invasion on February 24" in s for s in texts)
    assert any("last February" in s for s in texts)  # a month containing the day
    assert invasion.date_value.startswith("2022-02-24")

    recognition = event_with(session, "will soon decide on the recognition")
    assert recognition.source_count == 2
    assert (
        "Aleksandr Lukashenko"
        in session.scalars(
            select(EventActor.actor).where(EventActor.event_id == recognition.id)
        ).all()
    )


def test_unrelated_events_of_the_same_day_stay_apart(session: Session) -> None:
    ingest(session, [0, 1, 2, 3, 4])
    ids = {
        event_with(session, words).id
        for words in (
            "Minsk said Putin called Lukashenko",
            "Our armed forces are not taking part",
            "Putin launched the offensive",
            "Ukraine's border guards said Thursday",
            "will soon decide on the recognition",
            "the Russian leader told him",
            "launch of four ballistic missiles",
            "personally suggested",
            "he suggested conducting negotiations",
        )
    }
    assert len(ids) == 9


@pytest.mark.parametrize("order", [[4, 3, 2, 1, 0], [2, 0, 4, 1, 3], [1, 4, 0, 3, 2]])
def test_ingest_order_does_not_change_the_timeline(database_url: str, order: list[int]) -> None:
    snapshots = []
    for run in ([0, 1, 2, 3, 4], order):
        engine = make_engine(database_url)
        with Session(engine, expire_on_commit=False) as s:
            for table in (EventActor, Mention, Event, Document):
                s.query(table).delete()
            s.commit()
            ingest(s, run)
            snapshots.append(timeline(s))
        engine.dispose()
    assert snapshots[0] == snapshots[1]


def test_deleting_a_document_rederives_exactly_its_events(database_url: str) -> None:
    engine = make_engine(database_url)
    with Session(engine, expire_on_commit=False) as s:
        ingest(s, [0, 1, 3, 4])
        without = timeline(s)
        for table in (EventActor, Mention, Event, Document):
            s.query(table).delete()
        s.commit()
        ids = ingest(s, [2, 0, 1, 3, 4])
        assert timeline(s) != without
        document = s.get(Document, ids[2])
        pipeline.delete_document(s, document)
        assert timeline(s) == without
        call = event_with(s, "Minsk said Putin called Lukashenko")
        assert call.source_count == 2  # PanARMENIAN's two mentions went with it
    engine.dispose()


DENIALS = [  # Lukashenko's denial, reported on two days of a month and for the month
    ("https://example.org/a", date(2022, 3, 2), "said on March 1 that Belarusian troops were"),
    ("https://example.org/b", date(2022, 3, 16), "said on March 15 that Belarusian troops were"),
    ("https://example.org/c", date(2022, 4, 5), "said in March that his troops were"),
]


@pytest.mark.parametrize("which", ["attached", "other"])
def test_a_month_claim_moves_to_the_next_best_event_when_its_event_goes(
    database_url: str, which: str
) -> None:
    """ "In March" joins one of the month's two denials; delete that one's article and the
    claim joins the other, as in a store that never had it (not left on its own)."""
    docs = [
        RawDocument(
            text=f"Lukashenko denies again\n\nBelarusian President Alexander Lukashenko {words}"
            " not taking part in the war in Ukraine.\n",
            url=url,
            published_at=published,
        )
        for url, published, words in DENIALS
    ]
    with open_session(database_url) as s:
        for raw in docs:
            pipeline.ingest(s, raw)
        month = event_with(s, "said in March")
        assert month.mention_count == 2 and month.granularity == "day"
        urls = {url for url, _ in members(s, month)}
        gone = next(d for d in docs[:2] if (d.url in urls) == (which == "attached"))
        stored = select(Document).where(Document.url == gone.url)
        pipeline.delete_document(s, s.scalars(stored).one())
        after = timeline(s)
        for table in (EventActor, Mention, Event, Document):
            s.query(table).delete()
        s.commit()
        for raw in docs:
            if raw is not gone:
                pipeline.ingest(s, raw)
        assert timeline(s) == after
        assert event_with(s, "said in March").mention_count == 2


def members(session: Session, event: Event) -> list[tuple[str, str]]:
    query = (
        select(Document.url, Mention.date_value)
        .join(Mention, Mention.document_id == Document.id)
        .where(Mention.event_id == event.id)
    )
    return [tuple(r) for r in session.execute(query)]


def test_reingesting_returns_the_same_document_and_keys(session: Session) -> None:
    ingest(session, [0, 2])
    before = timeline(session)
    again = pipeline.ingest(session, seed(2))
    assert not again.created
    assert timeline(session) == before


def test_values_compatible() -> None:
    assert values_compatible("2022-02", "2022-02-24")
    assert values_compatible("2022-02-24T05:00", "2022-02-24")
    assert values_compatible("2022-02-24TMO", "2022-02-24T05:00")
    assert values_compatible("2023-W07", "2023-02-16")
    assert values_compatible("2022", "2022-10")
    assert not values_compatible("2022-02-23", "2022-02-24")
    assert not values_compatible("2022-02-24T05:00", "2022-02-24T17:00")
    assert not values_compatible("2022-03", "2022-02-24")
    # "earlier this week" ends before the coming Friday although the ISO week holds it
    week = (datetime(2023, 2, 12, 21, tzinfo=UTC), datetime(2023, 2, 15, 5, tzinfo=UTC))
    friday = (datetime(2023, 2, 16, 21, tzinfo=UTC), datetime(2023, 2, 17, 21, tzinfo=UTC))
    assert not values_compatible("2023-W07", "2023-02-17", week, friday)


def _claim(mid: int, source: int, value: str, day: int, hours: int = 24) -> Claim:
    start = datetime(2022, 2, day, tzinfo=UTC)
    return Claim(mid, source, value, "day" if len(value) == 10 else "month", start,
                 start + timedelta(hours=hours), ("", mid))  # fmt: skip


def test_event_date_agreement_and_dissent() -> None:
    single = event_date([_claim(1, 1, "2022-02-24", 24)])
    assert (single.value, single.agreement) == ("2022-02-24", "single")
    agree = event_date([_claim(1, 1, "2022-02-24", 24), _claim(2, 2, "2022-02-24", 24)])
    assert agree.agreement == "agree"
    month = event_date([_claim(1, 1, "2022-02", 1, 24 * 28), _claim(2, 2, "2022-02-24", 24)])
    assert (month.value, month.granularity, month.agreement) == ("2022-02-24", "day", "compatible")
    split = event_date(
        [_claim(1, 1, "2022-02-23", 23), _claim(2, 2, "2022-02-24", 24),
         _claim(3, 3, "2022-02-24", 24)]
    )  # fmt: skip
    assert (split.value, split.agreement, split.dissent) == ("2022-02-24", "disputed", (1,))
    # a month around two disputed days agrees with both, yet a day still dates the event
    around = event_date(
        [_claim(1, 1, "2022-02-24", 24), _claim(2, 2, "2022-02-25", 25),
         _claim(3, 3, "2022-02", 1, 24 * 28)]
    )  # fmt: skip
    assert (around.value, around.granularity) == ("2022-02-24", "day")
    assert (around.agreement, around.dissent) == ("disputed", (2,))


def test_reresolve_moves_claims_back_and_reports_them(session: Session) -> None:
    ingest(session, [0, 2, 3])
    report = reresolve(session)
    assert report.examined > 20 and not report.moved  # the same engine reads the same
    call = event_with(session, "Minsk said Putin called Lukashenko")
    mention = session.scalars(
        select(Mention).where(Mention.sentence.contains("Minsk said Putin called"))
    ).one()
    # what an older engine might have stored: the previous day
    mention.date_value = "2022-02-23T05:00"
    mention.start_at -= timedelta(days=1)
    mention.end_at -= timedelta(days=1)
    mention.resolver_version = "old"
    session.flush()
    table = actor_table()
    events.rederive(session, events.attach(session, [mention], table, new=False) | {call.id}, table)
    session.commit()
    disputed = event_with(session, "Also Thursday, Russian President")  # a day off: dissent
    assert (disputed.source_count, disputed.agreement) == (3, "disputed")
    assert disputed.dissent == [mention.id]

    report = reresolve(session)
    session.commit()
    assert [(m.old_value, m.new_value) for m in report.moved] == [
        ("2022-02-23T05:00", "2022-02-24T05:00")
    ]
    assert "moved" in report.summary()
    agreed = event_with(session, "Also Thursday, Russian President")
    assert (agreed.source_count, agreed.agreement, agreed.dissent) == (3, "compatible", [])
    assert mention.resolver_version != "old"


def test_mention_row_keeps_the_whole_claim() -> None:
    claim = DateClaim(
        "Thursday", 10, 18, "2022-02-24", "day", datetime(2022, 2, 23, 21, tzinfo=UTC),
        datetime(2022, 2, 24, 21, tzinfo=UTC), datetime(2022, 2, 24, tzinfo=UTC),
        "Europe/Moscow", "2026.11.1", "expression",
    )  # fmt: skip
    m = EventMention("s", 0, 1, claim, "t", "statement", ("A",), "A", "reported", ("w:x",))
    row = events.mention_row(7, m)
    assert (row.when_text, row.when_start, row.anchor_timezone, row.basis, row.terms) == (
        "Thursday",
        10,
        "Europe/Moscow",
        "expression",
        ["w:x"],
    )


def test_clustering_is_a_function_of_the_set() -> None:
    """Any order of the same signatures gives the same clusters (canonical processing)."""
    rows = []
    for i, (value, words) in enumerate(
        [("2022-02-24", "c:call"), ("2022-02-24T05:00", "c:call"), ("2022-02-24", "c:call")]
    ):
        rows.append(
            Signature(
                id=i, document_id=i, event_id=None, order=(f"h{i}", 0), value=value,
                granularity="day", start_at=datetime(2022, 2, 24, tzinfo=UTC),
                end_at=datetime(2022, 2, 25, tzinfo=UTC), type="meeting",
                actors=frozenset({"Vladimir Putin"}), principals=frozenset({"Vladimir Putin"}),
                speaker=None, terms=frozenset({words}), head="call", thread=None,
            )
        )  # fmt: skip
    results = {
        tuple(sorted(tuple(sorted(s.id for s in c)) for c in clustering.cluster(list(p))))
        for p in itertools.permutations(rows)
    }
    assert results == {((0, 1, 2),)}


def _fits(sig: Signature, members: list[Signature]) -> bool:
    """Complete link: the mention's type family and date agree with every member's."""
    return all(
        sig.family == m.family and values_compatible(sig.value, m.value, sig.span, m.span)
        for m in members
    )


def _plain_cluster(sigs: list[Signature]) -> list[list[Signature]]:
    """The clustering rule as written in ``cluster``'s docstring, comparing every
    mention with every member (what the indexed version must reproduce)."""
    clusters: list[list[Signature]] = []
    for sig in sorted(sigs, key=lambda s: s.order):
        matches = []
        for index, members in enumerate(clusters):
            if not _fits(sig, members):
                continue
            scores = [s for m in members if (s := same_event(sig, m)) is not None]
            if scores:
                matches.append((-max(scores), index))
        if not matches:
            clusters.append([sig])
            continue
        matches.sort()
        target = clusters[matches[0][1]]
        target.append(sig)
        for _, index in matches[1:]:
            if all(_fits(m, target) for m in clusters[index]):
                target.extend(clusters[index])
                clusters[index] = []
        clusters = [c for c in clusters if c]
    return clusters


def test_indexed_clustering_matches_the_plain_rule_on_many_reports(session: Session) -> None:
    """The seeds, the other outlets' articles, and each seed reported again by three more
    desks (so that days hold many alike and some differing reports): every day's mentions,
    and every three adjacent days' together, cluster as the plain rule clusters them."""
    ingest(session, list(range(len(MANIFEST))))
    articles = Path(__file__).parent / "data" / "articles"
    for path in sorted(articles.glob("*.txt")):
        pipeline.ingest(session, RawDocument(text=path.read_text("utf-8")))
    for desk, i in itertools.product(range(3), range(len(MANIFEST))):
        raw = seed(i)
        text = (raw.text or "").replace(". ", f" (desk {desk}). ", 1 + desk)
        pipeline.ingest(session, RawDocument(text=text, url=f"{raw.url}#{desk}",
                                             published_at=raw.published_at))  # fmt: skip
    events.bind_table(session, actor_table())
    days = sorted({m.date_value[:10] for m in session.scalars(select(Mention))
                   if is_fine(m.granularity, m.date_value)})  # fmt: skip
    compared = joined = 0
    for first in days:
        start = date.fromisoformat(first)
        for span in (1, 3):
            windows = [events.day_window(start + timedelta(days=k)) for k in range(span)]
            sigs = events.load_windows(session, windows)
            plain = [[s.id for s in c] for c in _plain_cluster(sigs)]
            assert [[s.id for s in c] for c in clustering.cluster(sigs)] == plain
            compared += len(sigs)
            joined += sum(len(c) > 1 for c in plain)
    assert compared > 500 and joined > 20


def test_a_speech_act_joins_through_any_member_that_matches() -> None:
    """The first member that shares its words is quoted from someone else; the second is
    unattributed, so the new report joins through it (as the plain rule has it)."""

    def said(i: int, speaker: str | None) -> Signature:
        return Signature(
            id=i, document_id=i, event_id=None, order=(f"h{i}", 0), value="2022-02-24",
            granularity="day", start_at=datetime(2022, 2, 24, tzinfo=UTC),
            end_at=datetime(2022, 2, 25, tzinfo=UTC), type="statement",
            actors=frozenset(), principals=frozenset(), speaker=speaker,
            terms=frozenset({"w:belarus", "w:troops", "w:ukraine"}), head=None, thread=None,
        )  # fmt: skip

    sigs = [said(0, "Alexander Lukashenko"), said(1, None), said(2, "Vladimir Putin")]
    assert [[s.id for s in c] for c in clustering.cluster(sigs)] == [[0, 1, 2]]
    assert [[s.id for s in c] for c in _plain_cluster(sigs)] == [[0, 1, 2]]
