"""``/embed`` in headless Chromium, served by the process users run (``timeline-service
serve --seed``): it loads the seeds' timeline, filters, and stays inert to hostile article
text, including when framed by a page on another origin.

Needs Debian's ``chromium`` (``TIMELINE_CHROMIUM`` to point elsewhere). Without it the
tests skip, except under CI (``CI`` set), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator

import pytest
from served import KEY, Served
from werkzeug.serving import make_server

playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = os.environ.get("TIMELINE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"no Chromium at {CHROMIUM}")
        pytest.skip("Chromium is not installed")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


class Server:
    """A WSGI app on a loopback port, in a thread, for the test's duration."""

    def __init__(self, wsgi) -> None:
        self.server = make_server("127.0.0.1", 0, wsgi, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.thread.join(5)


@pytest.fixture(scope="module")
def live(tmp_path_factory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("embed")
    env = {"TIMELINE_RATE_LIMIT_PER_ADDRESS": "0"}
    with Served(f"sqlite:///{folder / 'embed.sqlite'}", folder, env=env, args=("--seed",)) as s:
        yield s


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    yield page
    context.close()
    assert errors == [], "the page logs no errors and violates no CSP"


def loaded(page) -> list[str]:
    page.wait_for_selector("#timeline[data-loaded]", timeout=15000)
    return page.eval_on_selector_all("li.event", "els => els.map(e => e.dataset.id)")


def api_ids(live: Served, **params) -> list[str]:
    body = live.request("GET", "/v1/timeline", params={"limit": 50, **params}).json()
    return [e["id"] for e in body["events"]]


def test_embed_shows_the_seeds_and_filters(live, page):
    page.goto(f"{live.url}/embed")
    everything = api_ids(live)
    assert loaded(page) == everything
    assert page.text_content("#status") == f"{len(everything)} events"

    page.fill("input[name=from]", "2023")
    page.fill("input[name=to]", "2023")
    page.click("button[type=submit]")
    in_2023 = api_ids(live, **{"from": "2023", "to": "2023"})
    assert 0 < len(in_2023) < len(everything)
    assert loaded(page) == in_2023
    assert "from=2023" in page.url and "to=2023" in page.url


def test_embed_takes_the_api_filters_from_its_query_string(live, page):
    page.goto(f"{live.url}/embed?source=cnn&limit=5")
    first = api_ids(live, source="cnn", limit=5)
    assert loaded(page) == first
    assert page.input_value("input[name=source]") == "cnn"
    page.click("#more")
    page.locator("li.event").nth(len(first)).wait_for()
    page.wait_for_selector("#timeline[data-loaded]")
    assert page.eval_on_selector_all("li.event", "els => els.length") == len(
        api_ids(live, source="cnn", limit=500)[:10]
    )


def test_events_show_date_precision_title_and_source_links(live, page):
    page.goto(f"{live.url}/embed?limit=500")
    loaded(page)
    events = live.request("GET", "/v1/timeline?limit=500").json()["events"]
    month = next(e for e in events if e["date"]["granularity"] == "month")
    item = page.locator(f"li.event[data-id='{month['id']}']")
    year, mon = month["date"]["value"].split("-")
    months = "January February March April May June July August September October November December"
    assert item.locator(".date").text_content() == f"{months.split()[int(mon) - 1]} {year}"
    assert item.locator(".precision").text_content() == "month"
    assert item.locator(".title").text_content() == month["title"]
    links = item.locator(".sources a")
    assert links.count() == len(month["sources"])
    assert links.first.get_attribute("href") == month["sources"][0]["url"]
    assert links.first.text_content() == month["sources"][0]["name"]
    day = next(e for e in events if e["date"]["granularity"] == "day")
    d = page.locator(f"li.event[data-id='{day['id']}'] .date").text_content()
    assert d.split()[0] == str(int(day["date"]["value"][8:]))


def test_a_source_without_a_url_is_named_not_linked(live, page):
    posted = live.request(
        "POST",
        "/v1/documents",
        key=KEY,
        json={
            "text": "Ferry crews struck in Lisbon on April 14, 2021.",
            "published_at": "2021-04-15",
        },
    ).json()
    assert posted["document"]["url"] is None
    event = next(e for e in posted["events"] if "Lisbon" in e["title"])
    page.goto(f"{live.url}/embed?q=Lisbon")
    assert event["id"] in loaded(page)
    item = page.locator(f"li.event[data-id='{event['id']}'] .sources")
    assert item.locator("a").count() == 0
    assert item.locator("span").first.text_content() == event["sources"][0]["name"]


HOSTILE = (
    'Officials met <img src=x onerror="window.__pwned=1"> and <script>window.__pwned=2'
    "</script> in Geneva on March 3, 2021."
)


def test_hostile_article_text_stays_text(live, page):
    posted = live.request(
        "POST", "/v1/documents", key=KEY, json={"text": HOSTILE, "source": "generic"}
    )
    assert posted.status_code == 201, posted.text
    event = next(e for e in posted.json()["events"] if "Geneva" in e["title"])
    page.goto(f"{live.url}/embed?q=Geneva")
    assert event["id"] in loaded(page)
    title = page.locator(f"li.event[data-id='{event['id']}'] .title").text_content()
    assert title == event["title"] and "<" in title
    assert page.evaluate("window.__pwned") is None
    assert page.locator("li.event img, li.event script").count() == 0


def test_embed_works_framed_by_another_origin(live, page):
    def host(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/html")])
        return [f'<iframe src="{live.url}/embed?from=2022-02&to=2022-02"></iframe>'.encode()]

    other = Server(host)
    try:
        page.goto(other.url)
        frame = page.frame_locator("iframe")
        frame.locator("#timeline[data-loaded]").wait_for(timeout=15000)
        shown = frame.locator("li.event").count()
        assert shown == len(api_ids(live, **{"from": "2022-02", "to": "2022-02"})) > 0
    finally:
        other.close()
