"""Reports a day apart: one event with its date disputed, not two events.

The seeds date the Putin–Lukashenko call to the early hours of Thursday 24 February 2022
(three outlets). A wire story written in Washington the same day counts the call from its
own day and calls it Wednesday's: the 23rd. That is the classic off-by-one of a relative
day read in another time zone, and the timeline should show one call with the dissent.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_ingest_many import articles, clear
from test_merge import MANIFEST, open_session, seed, timeline
from test_openapi import check

from timeline_service.pipeline import ingest as pipeline
from timeline_service.sdk.article import RawDocument
from timeline_service.store.models import Document, Event, Mention

WIRE = """Putin and Lukashenko talk as Russian forces mass near Ukraine

WASHINGTON — Russian President Vladimir Putin spoke by phone with Belarusian President \
Alexander Lukashenko late on Wednesday, the Kremlin said, hours before Russian troops \
crossed into Ukraine.

U.S. officials said they were watching the border closely.
"""


def wire(text: str = WIRE, url: str = "https://example.org/wire/putin-lukashenko") -> RawDocument:
    return RawDocument(text=text, url=url, published_at=date(2022, 2, 24))


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    with open_session(database_url) as s:
        yield s


def call_event(session: Session) -> Event:
    """The event of the seeds' call (The Moscow Times' wording names it)."""
    words = "Putin called Lukashenko in the early hours of Thursday"
    mention = session.scalars(select(Mention).where(Mention.sentence.contains(words))).one()
    event = session.get(Event, mention.event_id)
    assert event is not None
    return event


def seeds(session: Session) -> None:
    for i in range(len(MANIFEST)):
        pipeline.ingest(session, seed(i))


def test_a_report_a_day_off_joins_the_event_as_a_dissenting_claim(session: Session) -> None:
    seeds(session)
    before = call_event(session)
    key, sources, value = before.key, before.source_count, before.date_value

    result = pipeline.ingest(session, wire())
    session.expire_all()
    event = call_event(session)

    assert (event.key, event.date_value) == (key, value)  # the majority's day stands
    assert value.startswith("2022-02-24")
    assert event.source_count == sources + 1
    assert event.agreement == "disputed"
    dissent = session.scalars(select(Mention).where(Mention.id.in_(event.dissent))).all()
    assert [(m.document_id, m.date_value, m.when_text) for m in dissent] == [
        (result.document.id, "2022-02-23", "Wednesday")
    ]


def test_the_dispute_is_the_same_in_any_order_and_goes_with_the_document(
    session: Session,
) -> None:
    seeds(session)
    alone = timeline(session)
    pipeline.ingest(session, wire())
    joined = timeline(session)
    stored = select(Document).where(Document.url == wire().url)
    pipeline.delete_document(session, session.scalars(stored).one())
    assert timeline(session) == alone

    clear(session)
    order = [wire(), *(seed(i) for i in reversed(range(len(MANIFEST))))]
    for raw in order:
        pipeline.ingest(session, raw)
    assert timeline(session) == joined


def counts(event: Event) -> tuple[int, int, str, str]:
    return event.source_count, event.mention_count, event.agreement, event.date_value


@pytest.mark.parametrize(
    "text",
    [
        # the seeds' invasion launch, a day early: but military action recurs day after
        # day, so an offensive launched on Wednesday is another one
        "Putin launched the offensive late on Wednesday, U.S. officials said.\n",
        # one document that reports a call on each day reports two calls
        "Russian President Vladimir Putin spoke by phone with Belarusian President "
        "Alexander Lukashenko on Wednesday, the Kremlin said. Putin spoke by phone with "
        "Lukashenko again on Thursday, Minsk said.\n",
        # Putin's call with another leader
        "French President Emmanuel Macron spoke by phone with Russian President Vladimir "
        "Putin late on Wednesday, the Elysee said.\n",
    ],
    ids=["military", "same-document", "other-parties"],
)
def test_reports_a_day_apart_that_are_not_one_happening_stay_apart(
    session: Session, text: str
) -> None:
    seeds(session)
    events = {e.key: counts(e) for e in session.scalars(select(Event))}
    result = pipeline.ingest(session, wire("Wire report\n\n" + text))
    session.expire_all()
    wednesday = session.scalars(
        select(Mention).where(
            Mention.document_id == result.document.id, Mention.date_value == "2022-02-23"
        )
    ).one()
    event = session.get(Event, wednesday.event_id)
    assert event is not None and event.mention_count == 1  # an event of its own
    disputed = [e.key for e in session.scalars(select(Event)) if e.agreement == "disputed"]
    assert disputed == []
    unchanged = {e.key: counts(e) for e in session.scalars(select(Event)) if e.key in events}
    if "again on Thursday" not in text:  # else its Thursday call joins the seeds' call
        assert unchanged == events


def test_a_second_report_of_the_same_day_off_joins_the_same_dispute(session: Session) -> None:
    """A second wire story dated Wednesday too clusters with the first one's claim on that
    day, and the two join the call together: two days, two dissenting claims."""
    seeds(session)
    pipeline.ingest(session, wire())
    second = WIRE.replace("late on Wednesday", "on Wednesday evening")
    pipeline.ingest(session, wire(second, "https://example.org/wire/second"))
    session.expire_all()
    event = call_event(session)
    days = {
        m.date_value[:10]
        for m in session.scalars(select(Mention).where(Mention.event_id == event.id))
    }
    assert days == {"2022-02-23", "2022-02-24"}
    assert event.agreement == "disputed" and len(event.dissent) == 2


@pytest.mark.parametrize("gone", range(len(MANIFEST)))
def test_deleting_a_document_leaves_the_timeline_of_the_rest(session: Session, gone: int) -> None:
    """Whatever a document fed (day events, a disputed day, coarse claims such as CNN's
    "last February" attached to its events) is re-derived as if it had never been."""
    docs = [*articles(), wire()]
    rest = [raw for i, raw in enumerate(docs) if i != gone]
    list(pipeline.ingest_many(session, rest))
    expected = timeline(session)
    clear(session)
    list(pipeline.ingest_many(session, docs))
    stored = select(Document).where(Document.url == docs[gone].url)
    pipeline.delete_document(session, session.scalars(stored).one())
    assert timeline(session) == expected


def test_the_api_shows_the_dispute(seeded, client) -> None:
    """A dashboard sees one call, disputed, with the dissenting claim marked."""
    posted = client.post(
        "/v1/documents", json={"text": WIRE, "url": wire().url, "published_at": "2022-02-24"}
    )
    assert posted.status_code == 201, posted.json
    page = client.get("/v1/timeline?agreement=disputed&include=claims")
    check(page, "/v1/timeline")
    (event,) = page.json["events"]
    assert event["date"]["value"] == "2022-02-24T05:00"
    assert event["date"]["agreement"] == "disputed"
    dissents = [(c["value"], c["when_text"]) for c in event["claims"] if c["dissents"]]
    assert dissents == [("2022-02-23", "Wednesday")]
    assert len({c["source"] for c in event["claims"]}) == 4
