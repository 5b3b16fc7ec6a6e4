"""The timeline query on the seeds: windows, filters, order, paging, totals, stable ids."""

from __future__ import annotations

import re

import pytest
from conftest import seed_manifest, seed_text

from timeline_service.temporal.timestamps import parse_timestamp
from timeline_service.web.representations import partial_date_bounds
from timeline_service.web.schemas import TimelineOut


def pages(client, **params) -> list[dict]:
    """Every event, fetched in small pages through the cursor."""
    events, cursor = [], None
    while True:
        query = dict(params, limit=params.get("limit", 4), **({"cursor": cursor} if cursor else {}))
        page = client.get("/v1/timeline", query_string=query)
        assert page.status_code == 200, page.json
        events += page.json["events"]
        cursor = page.json["next_cursor"]
        if cursor is None:
            return events


def overlaps(event: dict, start: str | None, end: str | None) -> bool:
    s, e = parse_timestamp(event["date"]["start"]), parse_timestamp(event["date"]["end"])
    lo = partial_date_bounds(start)[0] if start else None
    hi = partial_date_bounds(end)[1] if end else None
    return (lo is None or e > lo) and (hi is None or s < hi)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2022", "2022"),
        ("2022-02", "2022-02"),
        ("2022-02-24", None),
        (None, "2022-02-24"),
        ("1990-06", "1990-06"),
        ("2023-02-14", "2023-02-16"),
        ("2022-02-24T02:00:30Z", "2022-02-24T02:00:30Z"),
    ],
)
def test_window_is_exactly_the_overlapping_events(seeded, client, start, end):
    everything = pages(client, limit=500)
    params = {k: v for k, v in (("from", start), ("to", end)) if v}
    expected = [e["id"] for e in everything if overlaps(e, start, end)]
    assert expected, "each window holds some seed events"
    assert [e["id"] for e in pages(client, **params)] == expected
    assert len(expected) < len(everything)


def test_order_is_date_then_id_and_pages_are_seamless(seeded, client):
    one_page = client.get("/v1/timeline?limit=500").json["events"]
    keys = [(parse_timestamp(e["date"]["start"]), e["id"]) for e in one_page]
    assert keys == sorted(keys)
    assert [e["id"] for e in pages(client, limit=3)] == [e["id"] for e in one_page]


def test_partial_dates_cover_their_period(seeded, client):
    by_year = pages(client, **{"from": "2022", "to": "2022"})
    by_days = pages(client, **{"from": "2022-01-01", "to": "2022-12-31"})
    assert by_year == by_days


def test_actor_filter_accepts_canonical_name_and_aliases(seeded, client):
    everything = pages(client, limit=500)
    name = "Aleksandr Lukashenko"
    expected = [e["id"] for e in everything if name in e["actors"]]
    assert expected, "the seeds name Lukashenko"
    for asked in (name, "Lukashenka", "lukashenko", "Alexander Lukashenko"):
        assert [e["id"] for e in pages(client, actor=asked)] == expected, asked
    assert pages(client, actor="Nobody In Particular") == []


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"from": "2022", "to": "2022"},
        {"from": "2022-02-24"},
        {"to": "2022-03"},
        {"type": "military"},
        {"source": "moscow-times"},
        {"q": "Belarus"},
        {"min_sources": "2", "from": "2022"},
    ],
)
def test_actor_filter_with_window_and_filters_pages_through_the_actor_index(seeded, client, extra):
    """The actor path (an index range per granularity) agrees with filtering everything
    else alone, page by page through the cursor, for canonical names and aliases."""
    name = "Aleksandr Lukashenko"
    rest = [e["id"] for e in pages(client, limit=500, **extra)]
    everything = {e["id"]: e for e in pages(client, limit=500)}
    expected = [i for i in rest if name in everything[i]["actors"]]
    assert expected, "the seeds hold such events"
    for asked in (name, "Lukashenka"):
        for limit in (1, 2, 500):
            got = [e["id"] for e in pages(client, actor=asked, limit=limit, **extra)]
            assert got == expected, (asked, limit)


def test_actor_index_follows_the_events_it_repeats(seeded, client, app):
    """The actor index repeats each event's date and key; deletes and re-derivations
    keep it equal to the events."""
    from sqlalchemy import func, select

    from timeline_service.store.models import Event, EventActor

    def mismatched() -> tuple[list, int]:
        with app.extensions["timeline_db"]() as session:
            rows = session.execute(
                select(EventActor.event_id)
                .join(Event, Event.id == EventActor.event_id)
                .where(
                    (EventActor.granularity != Event.granularity)
                    | (EventActor.start_at != Event.start_at)
                    | (EventActor.end_at != Event.end_at)
                    | (EventActor.key != Event.key)
                )
            ).all()
            count = session.scalar(select(func.count()).select_from(EventActor))
        return rows, count

    rows, count = mismatched()
    assert rows == [] and count > 0
    assert client.delete("/v1/documents/1").status_code == 204
    assert mismatched()[0] == []


def test_type_agreement_and_min_sources(seeded, client):
    everything = pages(client, limit=500)
    for event_type in {e["type"] for e in everything}:
        got = pages(client, type=event_type)
        assert [e["id"] for e in got] == [e["id"] for e in everything if e["type"] == event_type]
    for agreement in ("single", "agree", "disputed"):
        got = pages(client, agreement=agreement)
        want = [e["id"] for e in everything if e["date"]["agreement"] == agreement]
        assert [e["id"] for e in got] == want
    bad = client.get("/v1/timeline?agreement=maybe")
    assert bad.status_code == 400 and "agreement" in bad.json["errors"]


def texts(event: dict) -> list[set[str]]:
    """An event's title and each of its evidence sentences, as sets of lower-case words."""
    return [
        set(re.findall(r"[a-z0-9]+", t.lower()))
        for t in [event["title"], *(m["sentence"] for m in event["mentions"])]
    ]


def searched(client, q: str) -> list[str]:
    return [e["id"] for e in pages(client, q=q, limit=500)]


@pytest.fixture(params=["collected", "scanned"])
def search_plan(request, monkeypatch):
    """Both plans of a search on PostgreSQL: matches collected from the index, or the
    window's events tested in turn (a common search); SQLite always collects."""
    from timeline_service.store import queries

    if request.param == "scanned":
        monkeypatch.setattr(queries, "COMMON_SEARCH_ROWS", 0)
    return request.param


def test_text_search_finds_words_and_their_stems_in_titles_and_sentences(
    seeded, client, search_plan
):
    everything = pages(client, limit=500, include="mentions")
    want = [e["id"] for e in everything if any("troops" in t for t in texts(e))]
    assert 1 < len(want) < len(everything)
    assert searched(client, "troops") == want
    assert searched(client, "Troops!") == want, "case and punctuation do not matter"
    assert searched(client, "troop") == want, "words match by their stem"
    assert searched(client, "nonsensicalwordzz") == []
    # a word only one seed sentence has finds that event alone
    once = [e["id"] for e in everything if any("slaughter" in t for t in texts(e))]
    assert len(once) == 1 and searched(client, "slaughter") == once


def test_text_search_words_are_anded_within_a_title_or_a_sentence(seeded, client, search_plan):
    everything = pages(client, limit=500, include="mentions")
    both = [e["id"] for e in everything if any({"troops", "border"} <= t for t in texts(e))]
    troops = searched(client, "troops")
    assert both and set(both) < set(troops)
    assert searched(client, "troops border") == both
    assert searched(client, "border troops") == both, "word order does not matter"
    assert searched(client, "troops nonsensicalwordzz") == []


@pytest.mark.parametrize(
    "q",
    ['"', '"troops', "*", "troops*", "(", "troops)", "NEAR(troops border)", "NOT", "AND OR",
     "title:troops", "^troops", "-troops", "%", "_", "\\", "'", "troops' OR 1=1 --", "\u00e9"],
)  # fmt: skip
def test_text_search_reads_query_syntax_as_plain_words(seeded, client, q):
    response = client.get("/v1/timeline", query_string={"q": q, "limit": 500})
    assert response.status_code == 200, response.json
    words = re.findall(r"[^\W_]+", q)
    if not words:
        assert response.json["events"] == [], "no word, nothing found"
        return
    plain = client.get("/v1/timeline", query_string={"q": " ".join(words), "limit": 500})
    assert response.json["events"] == plain.json["events"]  # the same as its words, plainly


def test_text_search_follows_deletes_reingests_and_title_changes(seeded, client, app, search_plan):
    from sqlalchemy import text

    everything = {e["id"]: e for e in pages(client, limit=500)}
    (found,) = searched(client, "slaughter")
    documents = {s["document_id"] for s in everything[found]["sources"]}
    urls = {client.get(f"/v1/documents/{d}").json["url"] for d in documents}
    for d in documents:
        assert client.delete(f"/v1/documents/{d}").status_code == 204
    assert searched(client, "slaughter") == []
    for entry in seed_manifest():
        if entry["url"] in urls:
            fields = ("url", "published_at", "source", "title")
            payload = {k: v for k, v in entry.items() if k in fields}
            posted = client.post(
                "/v1/documents", json={"text": seed_text(entry["file"]), **payload}
            )
            assert posted.status_code == 201, posted.json
    assert searched(client, "slaughter") == [found], "re-ingested, found again, same id"
    engine = app.extensions["timeline_db"].kw["bind"]
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE events SET title = 'Quetzalcoatl summit' WHERE key = :k"), {"k": found}
        )
    assert searched(client, "quetzalcoatl") == [found]
    if engine.dialect.name == "sqlite":  # the FTS5 tables agree with their content tables
        with engine.begin() as conn:
            for fts in ("events_fts", "mentions_fts"):
                conn.exec_driver_sql(f"INSERT INTO {fts}({fts}) VALUES ('integrity-check')")


def test_total_only_on_request(seeded, client):
    plain = client.get("/v1/timeline?limit=2").json
    assert "total" not in plain
    counted = client.get("/v1/timeline?limit=2&total=true&from=2022").json
    assert counted["total"] == len(pages(client, **{"from": "2022"}))
    last_page = client.get(
        "/v1/timeline", query_string={"total": "true", "cursor": plain["next_cursor"]}
    ).json
    assert last_page["total"] == len(pages(client)), "the total ignores the cursor"
    assert counted["total_capped"] is False and last_page["total_capped"] is False


def test_total_stops_at_the_cap_and_says_so(seeded, client, app):
    """A count reads every match up to the cap, so a common word at a million events costs
    no more than the cap; the page says the true count is larger."""
    everything = len(pages(client))
    app.config["MAX_TOTAL"] = 5
    for query in ({}, {"q": "said"}, {"from": "2022"}):
        capped = client.get("/v1/timeline", query_string={"total": "true", **query}).json
        matching = len(pages(client, **query))
        assert capped["total"] == min(5, matching)
        assert capped["total_capped"] is (matching > 5)
    app.config["MAX_TOTAL"] = 10_000
    uncapped = client.get("/v1/timeline?total=true&limit=3").json
    assert (uncapped["total"], uncapped["total_capped"]) == (everything, False)


def test_include_mentions_and_claims(seeded, client):
    events = client.get("/v1/timeline?limit=500&include=mentions,claims").json["events"]
    for e in events:
        assert len(e["mentions"]) == e["mention_count"] == len(e["claims"])
        assert all(m["event_id"] == e["id"] for m in e["mentions"])
        assert {c["value"] for c in e["claims"]} >= {e["date"]["value"]} or e["date"][
            "agreement"
        ] == "disputed"
    plain = client.get("/v1/timeline?limit=1").json["events"][0]
    assert "mentions" not in plain and "claims" not in plain
    assert client.get("/v1/timeline?include=everything").status_code == 400


def test_fast_path_output_is_what_the_schema_dumps(seeded, client):
    body = client.get("/v1/timeline?limit=500&total=true").json
    assert TimelineOut().dump(body) == body
    detail = client.get(f"/v1/events/{body['events'][0]['id']}").json
    from timeline_service.web.schemas import EventDetailOut

    assert EventDetailOut().dump(detail) == detail


def test_event_ids_survive_reingestion(seeded, client):
    before = {e["id"]: e for e in pages(client, limit=500)}
    fed = [i for i, e in before.items() if any(s["document_id"] == 1 for s in e["sources"])]
    assert fed
    url = client.get("/v1/documents/1").json["url"]
    assert client.delete("/v1/documents/1").status_code == 204
    gone = [i for i in fed if client.get(f"/v1/events/{i}").status_code == 404]
    assert gone, "events only document 1 supported are gone"
    entry = next(e for e in seed_manifest() if e["url"] == url)
    payload = {k: v for k, v in entry.items() if k in ("url", "published_at", "source", "title")}
    posted = client.post("/v1/documents", json={"text": seed_text(entry["file"]), **payload})
    assert posted.status_code == 201, posted.json
    after = {e["id"] for e in pages(client, limit=500)}
    assert set(before) == after, "the same articles give the same event ids"
    for event_id in fed:
        assert client.get(f"/v1/events/{event_id}").status_code == 200


@pytest.mark.parametrize(
    "query",
    ["from=2022-02-30", "to=10000", "from=0000", "limit=501", "cursor=bm9wZQ", "format=pdf"],
)
def test_bad_parameters_are_named(client, query):
    response = client.get(f"/v1/timeline?{query}")
    assert response.status_code == 400
    assert set(response.json["errors"]) == {query.split("=")[0]}
