"""Output formats on the seeds and on crafted events: each one true to its standard."""

from __future__ import annotations

import csv
import io
import json

import pytest
from timeline_plugins.formats import render_csv, render_ics, render_timelinejs

from timeline_service.hookspecs import hookimpl
from timeline_service.plugins import get_formats, get_plugin_manager
from timeline_service.sdk import OutputFormat, PageMeta


def crafted(value: str, granularity: str, **overrides) -> dict:
    """An event in the API's shape, with hostile text where text can be hostile."""
    event = {
        "id": "ev_crafted",
        "date": {
            "value": value,
            "granularity": granularity,
            "start": "2022-06-30T21:00:00Z",
            "end": "2022-07-31T21:00:00Z",
            "agreement": "single",
        },
        "title": '<img src=x onerror="alert(1)"> & co',
        "type": "statement",
        "actors": ["Aleksandr Lukashenko"],
        "location": None,
        "source_count": 1,
        "mention_count": 1,
        "first_reported_at": None,
        "sources": [
            {
                "source": "evil",
                "name": "<b>Evil</b>",
                "document_id": 1,
                "url": "javascript:alert(1)",
                "published_at": None,
                "sentence": "It happened <script>x</script>.",
                "when_text": None,
            }
        ],
    }
    event.update(overrides)
    return event


def test_installed_formats_come_through_the_hook():
    assert {"json", "ndjson", "csv", "ics", "timelinejs", "grafana"} <= set(get_formats())


def test_ndjson_is_the_json_page_one_event_a_line(seeded, client):
    page = client.get("/v1/timeline?limit=5").json
    response = client.get("/v1/timeline?limit=5&format=ndjson")
    assert response.mimetype == "application/x-ndjson"
    lines = response.data.decode().splitlines()
    assert [json.loads(line) for line in lines] == page["events"]
    assert page["next_cursor"] in response.headers["Link"]


def test_csv_has_a_row_per_event(seeded, client):
    page = client.get("/v1/timeline?limit=500").json["events"]
    response = client.get("/v1/timeline?limit=500&format=csv")
    assert response.mimetype == "text/csv"
    assert 'filename="timeline.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.data.decode())))
    assert [r["id"] for r in rows] == [e["id"] for e in page]
    assert [r["date"] for r in rows] == [e["date"]["value"] for e in page]
    assert all(r["sources"] for r in rows)


def test_csv_neutralises_formulas():
    text = render_csv([crafted("2022-07", "month", title="=HYPERLINK(1)")], PageMeta())
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["title"] == "'=HYPERLINK(1)"


def _vevents(text: str) -> list[dict[str, str]]:
    unfolded = text.replace("\r\n ", "")
    events, current = [], None
    for line in unfolded.split("\r\n"):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None and line:
            name, _, value = line.partition(":")
            current[name] = value
    return events


def test_ics_is_rfc5545(seeded, client):
    page = client.get("/v1/timeline?limit=500").json["events"]
    response = client.get("/v1/timeline?limit=500&format=ics")
    assert response.mimetype == "text/calendar"
    text = response.data.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    vevents = _vevents(text)
    assert [v["UID"] for v in vevents] == [f"{e['id']}@timeline-service" for e in page]
    for event, v in zip(page, vevents, strict=True):
        if event["date"]["granularity"] == "time":
            assert v["DTSTART"].endswith("Z")
        else:
            assert "DTSTART;VALUE=DATE" in v and "DTEND;VALUE=DATE" in v


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        ("2022-07", "20220701", "20220801"),
        ("2022-12", "20221201", "20230101"),
        ("2022-02-24", "20220224", "20220225"),
        ("1990", "19900101", "19910101"),
        ("2023-W07", "20230213", "20230220"),
    ],
)
def test_ics_calendar_dates_are_all_day_spans(value, start, end):
    (v,) = _vevents(render_ics([crafted(value, "x")], PageMeta()))
    assert v["DTSTART;VALUE=DATE"] == start
    assert v["DTEND;VALUE=DATE"] == end


def test_ics_escapes_text():
    event = crafted("2022-07", "month", title="a, b; c\\d\nnext")
    (v,) = _vevents(render_ics([event], PageMeta()))
    assert v["SUMMARY"] == "a\\, b\\; c\\\\d\\nnext"
    assert "URL" not in v, "a javascript: link never leaves the service"


INJECTED = "BEGIN:VALARM\r\nACTION:DISPLAY\r\nEND:VALARM"


@pytest.mark.parametrize(
    "where",
    ["url", "title", "sentence", "name", "type", "location"],
)
def test_ics_text_cannot_add_calendar_lines(where):
    """Stored text with line breaks or control characters (data older than any input
    check, or a plugin's) stays inside its own property: no injected line reaches a
    subscriber."""
    hostile = f"x\r\n{INJECTED}\rY\x0bZ\u2028W"
    source = dict(crafted("2022-07", "month")["sources"][0], url="https://ok.example/a")
    if where in ("url", "sentence", "name"):
        source[where] = "https://ok.example/a" + hostile if where == "url" else hostile
        event = crafted("2022-07", "month", sources=[source])
    else:
        event = crafted("2022-07", "month", sources=[source], **{where: hostile})
    text = render_ics([event], PageMeta())
    lines = text.replace("\r\n ", "").split("\r\n")
    names = [line.partition(":")[0].partition(";")[0] for line in lines if line]
    assert "BEGIN:VALARM" not in lines and "ACTION" not in names
    assert names.count("BEGIN") == 2 and names.count("END") == 2
    assert all(ch not in text.replace("\r\n", "") for ch in "\r\n\x0b\u2028")
    (v,) = _vevents(text)
    if where == "url":
        assert "URL" not in v, "a URL that holds a line break is no link"
    else:
        assert v["URL"] == "https://ok.example/a"


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        ("2022-07", {"year": 2022, "month": 7}, None),
        ("2022", {"year": 2022}, None),
        ("2022-02-24", {"year": 2022, "month": 2, "day": 24}, None),
        ("2022-02-24T05:00", {"year": 2022, "month": 2, "day": 24, "hour": 5, "minute": 0}, None),
        (
            "2023-W07",
            {"year": 2023, "month": 2, "day": 13, "display_date": "week 7 of 2023"},
            {"year": 2023, "month": 2, "day": 19},
        ),
        (
            "2023-SP",
            {"year": 2023, "month": 3, "display_date": "spring 2023"},
            {"year": 2023, "month": 5},
        ),
    ],
)
def test_timelinejs_dates_hold_only_known_fields(value, start, end):
    (slide,) = json.loads(render_timelinejs([crafted(value, "x")], PageMeta()))["events"]
    assert slide["start_date"] == start
    assert slide.get("end_date") == end


def test_timelinejs_escapes_text_and_drops_unsafe_links():
    (slide,) = json.loads(render_timelinejs([crafted("2022-07", "month")], PageMeta()))["events"]
    assert slide["unique_id"] == "ev_crafted"
    assert slide["text"]["headline"] == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; co"
    assert "<script>" not in slide["text"]["text"] and "&lt;script&gt;" in slide["text"]["text"]
    assert "javascript:" not in slide["text"]["text"] and "&lt;b&gt;Evil" in slide["text"]["text"]


def test_timelinejs_on_the_seeds(seeded, client):
    page = client.get("/v1/timeline?limit=500").json["events"]
    slides = client.get("/v1/timeline?limit=500&format=timelinejs").json["events"]
    assert [s["unique_id"] for s in slides] == [e["id"] for e in page]
    assert {s["group"] for s in slides} == {e["type"] for e in page}
    by_source = client.get("/v1/timeline?limit=500&format=timelinejs&group=source").json
    assert {s["group"] for s in by_source["events"]} <= {
        r["name"] for e in page for r in e["sources"]
    }
    for e, s in zip(page, slides, strict=True):
        if e["date"]["granularity"] == "month":
            assert "day" not in s["start_date"]
        if e["date"]["granularity"] == "day":
            assert s["start_date"]["day"] == int(e["date"]["value"][8:10])
        assert '<a href="http' in s["text"]["text"]


def test_grafana_rows_need_no_transform(seeded, client):
    page = client.get("/v1/timeline?limit=500").json["events"]
    body = client.get("/v1/timeline?limit=500&format=grafana").json
    rows = body["annotations"]
    assert [r["id"] for r in rows] == [e["id"] for e in page]
    for event, row in zip(page, rows, strict=True):
        assert row["time"] == event["date"]["start"] and row["timeEnd"] == event["date"]["end"]
        assert row["time"].endswith("Z") and row["title"] == event["title"]
        assert event["type"] in row["tags"] and row["text"]


class Shout:
    @hookimpl
    def register_output_formats(self):
        return [
            OutputFormat(
                "shout",
                "text/plain",
                lambda events, meta: (e["title"].upper() + "\n" for e in events),
                extension="txt",
            ),
            "not a format",
        ]


def test_a_plugin_adds_a_format(seeded, client):
    pm = get_plugin_manager()
    pm.register(Shout(), name="shout-test")
    try:
        response = client.get("/v1/timeline?limit=2&format=shout")
        assert response.status_code == 200 and response.mimetype == "text/plain"
        titles = [e["title"].upper() for e in client.get("/v1/timeline?limit=2").json["events"]]
        assert response.data.decode().splitlines() == titles
    finally:
        pm.unregister(name="shout-test")
    assert client.get("/v1/timeline?limit=2&format=shout").status_code == 400
