"""Built-in output formats: NDJSON, CSV, iCalendar, TimelineJS and Grafana annotations.

Registered through the ``register_output_formats`` hook like any third-party format, so
this module is also the example to copy. Every renderer takes one page of events in the
documented event shape and never invents precision: a month-level event stays a month.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from timeline_service.sdk import OutputFormat, PageMeta, calendar_date, dumps, hookimpl

Event = dict[str, Any]


def _safe_url(url: str | None) -> str | None:
    """Only absolute http(s) links without whitespace or control characters leave the
    service inside markup or a calendar line (stored data predates every input check)."""
    if not url or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        return None
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.hostname else None


# --------------------------------------------------------------------------- NDJSON


def render_ndjson(events: list[Event], meta: PageMeta) -> Iterator[str]:
    """One event per line; the next page is in the ``Link`` header."""
    for event in events:
        yield dumps(event) + "\n"


# ------------------------------------------------------------------------------ CSV

CSV_COLUMNS = (
    "id", "date", "granularity", "start", "end", "agreement", "title", "type", "actors",
    "location", "source_count", "mention_count", "sources", "urls",
)  # fmt: skip


def _cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in untrusted text (OWASP CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def render_csv(events: list[Event], meta: PageMeta) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for e in events:
        d = e["date"]
        row = (
            e["id"], d["value"], d["granularity"], d["start"], d["end"], d.get("agreement"),
            e["title"], e["type"], "; ".join(e["actors"]), e.get("location"),
            e["source_count"], e["mention_count"],
            "; ".join(dict.fromkeys(s["source"] for s in e["sources"])),
            " ".join(s["url"] for s in e["sources"] if s["url"]),
        )  # fmt: skip
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


# ------------------------------------------------------------------------ iCalendar


#: RFC 5545 §3.3.11: TEXT holds no control character but HTAB; line breaks are escaped
_ICS_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _ics_escape(text: str) -> str:
    """A TEXT value on one logical line: escaped, line breaks as ``\\n``, no controls."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = _ICS_CONTROL.sub(" ", text)
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545 §3.1: lines of at most 75 octets, continued with CRLF and a space."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while start < len(raw):
        end = min(start + limit, len(raw))
        while end < len(raw) and (raw[end] & 0xC0) == 0x80:  # never split a character
            end -= 1
        parts.append(raw[start:end].decode("utf-8"))
        start, limit = end, 74
    return "\r\n ".join(parts)


def _utc(text: str) -> str:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _ics_when(e: Event) -> list[str]:
    """All-day spans for calendar-level dates (a month is the whole month); times in UTC."""
    d = e["date"]
    cal = calendar_date(d["value"])
    if cal.hour is None and cal.first is not None and cal.last is not None:
        end = cal.last + timedelta(days=1)
        return [f"DTSTART;VALUE=DATE:{cal.first:%Y%m%d}", f"DTEND;VALUE=DATE:{end:%Y%m%d}"]
    return [f"DTSTART:{_utc(d['start'])}", f"DTEND:{_utc(d['end'])}"]


def render_ics(events: list[Event], meta: PageMeta) -> str:
    stamp = (meta.changed_at or datetime(1970, 1, 1, tzinfo=UTC)).astimezone(UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Timeline Service//Timeline//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Timeline",
    ]
    for e in events:
        reported = "\n".join(
            f"{s['name']}: {s['sentence']}" + (f" <{s['url']}>" if s["url"] else "")
            for s in e["sources"]
        )
        description = f"Date: {e['date']['value']}\n{reported}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{e['id']}@timeline-service",
            f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
            *_ics_when(e),
            f"SUMMARY:{_ics_escape(e['title'])}",
            f"DESCRIPTION:{_ics_escape(description)}",
            f"CATEGORIES:{_ics_escape(e['type'])}",
        ]
        url = next((u for u in (_safe_url(s["url"]) for s in e["sources"]) if u), None)
        if url:
            lines.append(f"URL:{url}")
        if e.get("location"):
            lines.append(f"LOCATION:{_ics_escape(e['location'])}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


# ----------------------------------------------------------------------- TimelineJS


def _tl_date(value: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """TimelineJS start/end dates holding only the fields the value knows."""
    cal = calendar_date(value)
    if cal.year is None and cal.first is None:
        return {"year": 1, "display_date": value}, None
    if cal.month is None and cal.first is not None and cal.last is not None:
        if cal.first.year == cal.last.year and (cal.first.month, cal.last.month) == (1, 12):
            return {"year": cal.first.year}, None  # a year, or nothing finer is known
        start = {"year": cal.first.year, "month": cal.first.month}
        end = {"year": cal.last.year, "month": cal.last.month}
        if cal.last - cal.first < timedelta(days=28):  # a week: its days are known
            start["day"], end["day"] = cal.first.day, cal.last.day
        start["display_date"] = cal.label
        return start, end
    date: dict[str, Any] = {"year": cal.year}
    for name in ("month", "day", "hour", "minute"):
        if getattr(cal, name) is not None:
            date[name] = getattr(cal, name)
    if cal.day is not None and cal.hour is None and cal.label[:1].isalpha():
        date["display_date"] = cal.label  # "morning of 24 February 2022"
    return date, None


def _tl_text(e: Event) -> str:
    items = []
    for s in e["sources"]:
        name = html.escape(s["name"])
        url = _safe_url(s["url"])
        link = f'<a href="{html.escape(url)}">{name}</a>' if url else name
        items.append(f"<li>{link}: {html.escape(s['sentence'])}</li>")
    return f"<ul>{''.join(items)}</ul>" if items else ""


def render_timelinejs(events: list[Event], meta: PageMeta) -> str:
    """Knight Lab TimelineJS JSON; ``group`` is the event type, or ``?group=source``."""
    by_source = meta.params.get("group") == "source"
    slides = []
    for e in events:
        start, end = _tl_date(e["date"]["value"])
        slide: dict[str, Any] = {"start_date": start}
        if end:
            slide["end_date"] = end
        slide["text"] = {"headline": html.escape(e["title"]), "text": _tl_text(e)}
        group = e["sources"][0]["name"] if by_source and e["sources"] else e["type"]
        slide["group"] = html.escape(group)
        slide["unique_id"] = e["id"]
        slides.append(slide)
    return dumps({"events": slides})


# -------------------------------------------------------------------------- Grafana


def render_grafana(events: list[Event], meta: PageMeta) -> str:
    """Annotation rows under ``annotations``: Infinity plots them with no transform."""
    rows = []
    for e in events:
        tags = [e["type"], e["date"]["granularity"]]
        tags += list(dict.fromkeys(s["source"] for s in e["sources"]))
        tags += e["actors"]
        rows.append(
            {
                "time": e["date"]["start"],
                "timeEnd": e["date"]["end"],
                "title": e["title"],
                "text": f"{e['date']['value']}: {e['title']}",
                "tags": tags,
                "id": e["id"],
                "source_count": e["source_count"],
                "url": next((s["url"] for s in e["sources"] if s["url"]), None),
            }
        )
    return json.dumps(
        {"annotations": rows, "next_cursor": meta.next_cursor},
        ensure_ascii=False,
        separators=(",", ":"),
    )


FORMATS = [
    OutputFormat(
        "ndjson",
        "application/x-ndjson",
        render_ndjson,
        "One event per line, for bulk export.",
        "ndjson",
    ),
    OutputFormat("csv", "text/csv", render_csv, "One row per event, for spreadsheets.", "csv"),
    OutputFormat(
        "ics",
        "text/calendar",
        render_ics,
        "iCalendar (RFC 5545); dates without a time are all-day spans.",
        "ics",
    ),
    OutputFormat(
        "timelinejs",
        "application/json",
        render_timelinejs,
        "Knight Lab TimelineJS JSON.",
        params=("group",),
    ),
    OutputFormat(
        "grafana",
        "application/json",
        render_grafana,
        "Rows for Grafana's Infinity data source, as annotations.",
    ),
]


@hookimpl
def register_output_formats() -> list[OutputFormat]:
    return list(FORMATS)
