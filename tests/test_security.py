"""Access and input: API keys on writes, rate limits, and hostile or absurd request bodies."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import threading
import time
from html.parser import HTMLParser

import pytest
from conftest import TEST_API_KEY
from sqlalchemy import func, select
from werkzeug.serving import make_server

from timeline_service import create_app
from timeline_service.hookspecs import hookimpl
from timeline_service.pipeline.limits import BudgetExceeded, html_depth, longest_run, time_budget
from timeline_service.plugins import get_plugin_manager
from timeline_service.store.models import Document, Event, Mention
from timeline_service.web.auth import KeyRing
from timeline_service.web.database import get_session
from timeline_service.web.ratelimit import TokenBuckets

ARTICLE = {
    "text": "Officials met in Geneva on March 3, 2021, the ministry said.",
    "published_at": "2021-03-05",
}


def counts(app) -> tuple[int, int, int]:
    with app.app_context():
        s = get_session()
        return tuple(
            s.scalar(select(func.count()).select_from(m)) for m in (Document, Mention, Event)
        )


def make_app(database_url: str, **config):
    return create_app({"TESTING": True, "DATABASE_URL": database_url, **config})


@pytest.fixture
def apps():
    """Apps a test builds itself, disposed of afterwards."""
    made = []
    yield made
    for app in made:
        app.extensions["timeline_db"].kw["bind"].dispose()


# ----------------------------------------------------------------------------- API keys


def test_writes_without_a_key_are_401_and_change_nothing(client, anon_client, app):
    created = client.post("/v1/documents", json=ARTICLE)
    assert created.status_code == 201
    doc_id = created.json["document"]["id"]
    before = counts(app)
    other = dict(ARTICLE, text="Talks resumed in Vienna on March 4, 2021.")
    for headers in ({}, {"Authorization": "Bearer wrong-key"}, {"Authorization": "Basic eDp5"}):
        posted = anon_client.post("/v1/documents", json=other, headers=headers)
        assert posted.status_code == 401, posted.json
        assert posted.mimetype == "application/problem+json"
        assert posted.headers["WWW-Authenticate"].startswith("Bearer")
        deleted = anon_client.delete(f"/v1/documents/{doc_id}", headers=headers)
        assert deleted.status_code == 401
    assert counts(app) == before
    assert anon_client.get(f"/v1/documents/{doc_id}").status_code == 200, "reads stay public"
    assert anon_client.get("/v1/timeline").status_code == 200


def test_no_key_configured_refuses_writes_but_cli_ingests(database_url, apps, tmp_path):
    app = make_app(database_url)
    apps.append(app)
    client = app.test_client()
    response = client.post(
        "/v1/documents", json=ARTICLE, headers={"Authorization": f"Bearer {TEST_API_KEY}"}
    )
    assert response.status_code == 403
    assert "TIMELINE_API_KEYS" in response.json["detail"]
    assert client.delete("/v1/documents/1").status_code == 403
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE["text"])
    result = app.test_cli_runner().invoke(args=["ingest", str(path)])
    assert result.exit_code == 0 and "ingested: 1" in result.output, result.output
    assert client.get("/v1/documents/1").status_code == 200


def test_keys_are_kept_only_as_digests(database_url, apps):
    digest = hashlib.sha256(b"second-key").hexdigest()
    app = make_app(database_url, API_KEYS="first-key, ", API_KEY_HASHES=f"sha256:{digest}")
    apps.append(app)
    assert "API_KEYS" not in app.config
    ring = app.extensions["timeline_keys"]
    assert len(ring.digests) == 2 and all(len(d) == 32 for d in ring.digests)
    assert b"first-key" not in b"".join(ring.digests)
    client = app.test_client()
    for key in ("first-key", "second-key"):
        posted = client.post(
            "/v1/documents",
            json=dict(ARTICLE, text=f"{ARTICLE['text']} ({key})"),
            headers={"Authorization": f"Bearer {key}"},
        )
        assert posted.status_code == 201, posted.json
    refused = client.post(
        "/v1/documents", json=ARTICLE, headers={"Authorization": f"Bearer {digest}"}
    )
    assert refused.status_code == 401, "the stored digest is not itself a key"


def test_key_ring_identifies_only_its_keys():
    ring = KeyRing.from_config(["alpha", "beta"], [])
    assert ring.identify("alpha") and ring.identify("alpha") != ring.identify("beta")
    assert ring.identify("gamma") is None and ring.identify("") is None
    with pytest.raises(ValueError, match="SHA-256"):
        KeyRing.from_config([], ["not-a-digest"])


def test_private_reads_need_a_key_except_health(database_url, apps):
    app = make_app(database_url, API_KEYS=TEST_API_KEY, PUBLIC_READS=False)
    apps.append(app)
    client = app.test_client()
    assert client.get("/v1/timeline").status_code == 401
    assert client.get("/v1/sources").status_code == 401
    assert client.get("/healthz").status_code == 200
    assert client.get("/openapi.yaml").status_code == 200
    auth = {"Authorization": f"Bearer {TEST_API_KEY}"}
    assert client.get("/v1/timeline", headers=auth).status_code == 200


# -------------------------------------------------------------------------- rate limits


def test_rate_limit_per_address_is_429_with_retry_after(database_url, apps):
    app = make_app(database_url, API_KEYS=TEST_API_KEY, RATE_LIMIT_PER_ADDRESS=3)
    apps.append(app)
    client = app.test_client()
    assert [client.get("/healthz").status_code for _ in range(3)] == [200] * 3
    limited = client.get("/v1/timeline")
    assert limited.status_code == 429
    assert limited.mimetype == "application/problem+json"
    assert 1 <= int(limited.headers["Retry-After"]) <= 20
    refused_write = client.post("/v1/documents", json=ARTICLE)
    assert refused_write.status_code == 429, "an unauthenticated flood is limited too"
    other = client.get("/healthz", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 200, "another address has its own bucket"


def test_rate_limit_per_key_spans_addresses(database_url, apps):
    app = make_app(database_url, API_KEYS=TEST_API_KEY, RATE_LIMIT_PER_KEY=2)
    apps.append(app)
    client = app.test_client()
    auth = {"Authorization": f"Bearer {TEST_API_KEY}"}
    statuses = [
        client.get("/healthz", headers=auth, environ_base={"REMOTE_ADDR": f"192.0.2.{i}"})
        for i in range(3)
    ]
    assert [r.status_code for r in statuses] == [200, 200, 429]
    assert "API key" in statuses[2].json["detail"]
    assert client.get("/healthz").status_code == 200, "anonymous reads use the address bucket"


def test_trusted_proxy_limits_the_forwarded_client(database_url, apps):
    app = make_app(database_url, RATE_LIMIT_PER_ADDRESS=1, TRUSTED_PROXIES=1)
    apps.append(app)
    client = app.test_client()
    for address in ("198.51.100.1", "198.51.100.2"):
        headers = {"X-Forwarded-For": address}
        assert client.get("/healthz", headers=headers).status_code == 200
        assert client.get("/healthz", headers=headers).status_code == 429


def test_rate_limits_follow_the_config_at_run_time(client, app):
    app.config["RATE_LIMIT_PER_ADDRESS"] = 2
    assert [client.get("/healthz").status_code for _ in range(3)] == [200, 200, 429]
    app.config["RATE_LIMIT_PER_ADDRESS"] = 0
    assert [client.get("/healthz").status_code for _ in range(5)] == [200] * 5


def test_token_bucket_refills_and_stays_bounded():
    now = [0.0]
    buckets = TokenBuckets(2, period=10.0, clock=lambda: now[0], max_entries=100)
    assert buckets.take("a") == 0 and buckets.take("a") == 0
    assert buckets.take("a") == pytest.approx(5.0), "one token every 5 s"
    now[0] = 5.0
    assert buckets.take("a") == 0
    for i in range(1000):
        buckets.take(f"flood-{i}")
    assert len(buckets._buckets) <= 100


# ------------------------------------------------------------------------ request bodies


def post_raw(client, body: bytes, content_type: str = "application/json"):
    return client.post("/v1/documents", data=body, content_type=content_type)


HOSTILE = [
    ("duplicate keys", b'{"text": "a b c", "text": "d e f"}', "application/json", 400, None),
    ("nested 100k deep", b"[" * 100_000 + b"]" * 100_000, "application/json", 400, None),
    ("NUL in text", b'{"text": "Talks\\u0000 resumed on 4 March 2021."}', None, 422, "text"),
    ("NUL in title", b'{"text": "Talks resumed.", "title": "a\\u0000"}', None, 422, "title"),
    ("lone surrogate", b'{"text": "Talks \\ud800 resumed."}', None, 422, "text"),
    ("latin-1 charset", b'{"text": "caf\xe9"}', "application/json; charset=latin-1", 415, None),
    ("bad utf-16", b"\xff\xfe{\x00\x00\xd8", "application/json; charset=utf-16", 400, None),
    ("year 99999", b'{"text": "Talks.", "published_at": "99999-01-01"}', None, 422, None),
    ("trailing garbage", b'{"text": "Talks resumed."} x', None, 400, None),
    ("Infinity", b'{"text": "Talks resumed.", "title": Infinity}', None, 400, None),
    ("text not string", b'{"text": ["Talks"]}', None, 422, "text"),
]


@pytest.mark.parametrize(
    ("case", "body", "ctype", "status", "field"), HOSTILE, ids=[c[0] for c in HOSTILE]
)
def test_hostile_bodies_are_clear_4xx(client, app, case, body, ctype, status, field):
    before = counts(app)
    response = post_raw(client, body, ctype or "application/json")
    assert response.status_code == status, response.json
    assert response.mimetype == "application/problem+json"
    if field:
        assert field in response.json["errors"]
    assert counts(app) == before
    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-32"])
def test_json_in_any_rfc8259_encoding_is_read(client, encoding):
    text = "Officials met in Genève on March 3, 2021, the ministry said."
    body = json.dumps({"text": text, "published_at": "2021-03-05"}, ensure_ascii=False)
    response = post_raw(client, body.encode(encoding))
    assert response.status_code == 201, response.json
    assert "Genève" in response.json["document"]["body"]


@pytest.mark.parametrize("doc_id", [2**31, 2**63, 10**30])
def test_ids_too_large_for_the_database_are_404(client, anon_client, doc_id):
    assert anon_client.get(f"/v1/documents/{doc_id}").status_code == 404
    assert client.delete(f"/v1/documents/{doc_id}").status_code == 404


def test_year_99999_in_the_text_is_handled(client):
    text = (
        "The lease runs until the year 99999, the ministry said on March 3, 2021. "
        "Talks resumed on 1 January 99999 and 31/12/99999, it added."
    )
    response = client.post("/v1/documents", json={"text": text, "published_at": "2021-03-05"})
    assert response.status_code == 201, response.json
    assert response.json["events"], "the real date in it still makes an event"
    for event in response.json["events"]:
        assert re.fullmatch(r"\d{4}(-\d\d){0,2}", event["date"]["value"]), event["date"]
        assert "99999" not in event["date"]["value"]


ABSURD = [
    ("10 MB single line", lambda: "word " * 2_000_000, "text", 413),
    ("2 MB single line", lambda: "word " * 399_000, "text", 422),
    ("a million tiny paragraphs", lambda: "Talks.\n" * 1_000_000, "text", 413),
    ("100 thousand tiny paragraphs", lambda: "Talks.\n" * 100_000, "text", 422),
    ("a 20 kB sentence", lambda: "word " * 4_000, "text", 422),
    ("html nested 50k deep", lambda: "<div>" * 50_000 + "Talks." + "</div>" * 50_000, "html", 422),
]


@pytest.mark.parametrize(("case", "make", "kind", "status"), ABSURD, ids=[c[0] for c in ABSURD])
def test_absurd_documents_are_refused_quickly(client, app, case, make, kind, status):
    started = time.perf_counter()
    response = client.post("/v1/documents", json={kind: make(), "published_at": "2021-03-05"})
    elapsed = time.perf_counter() - started
    assert response.status_code == status, response.json
    assert response.mimetype == "application/problem+json"
    if status == 422:
        assert kind in response.json["errors"]
    assert elapsed < 5, f"{case} took {elapsed:.1f} s"
    assert counts(app) == (0, 0, 0)


def test_limits_measure_the_shapes_that_cost():
    assert html_depth("<div><p>a<br>b<img src=x></p><p>c</p></div>") == 2
    assert html_depth("<div>" * 10 + "</div>" * 10) == 10
    assert html_depth("<div>" * 1000, stop_at=5) == 5
    assert longest_run("Short. Then a longer one; and\nnext") == len(" Then a longer one")
    assert longest_run("x" * 50) == 50


class _SlowExtractor:
    """A plugin whose extraction never finishes: only the time budget can stop it."""

    @hookimpl
    def extract_mentions(self, article, source):
        while True:
            time.sleep(0.01)


def test_preparation_over_its_time_budget_is_422_and_stores_nothing(client, app):
    app.config["INGEST_BUDGET_SECONDS"] = 0.5
    manager = get_plugin_manager()
    plugin = _SlowExtractor()
    manager.register(plugin)
    try:
        started = time.perf_counter()
        response = client.post("/v1/documents", json=ARTICLE)
        elapsed = time.perf_counter() - started
    finally:
        manager.unregister(plugin)
    assert response.status_code == 422, response.json
    assert "0.5 s" in response.json["detail"]
    assert elapsed < 3
    assert counts(app) == (0, 0, 0)
    assert client.post("/v1/documents", json=ARTICLE).status_code == 201


def test_time_budget_interrupts_python_code_and_restores_the_timer():
    started = time.perf_counter()
    with pytest.raises(BudgetExceeded), time_budget(0.2):
        while True:
            pass
    assert time.perf_counter() - started < 1
    with time_budget(0.5):
        pass
    time.sleep(0.6)  # the timer was disarmed: nothing fires after the block


def test_time_budget_leaves_a_timer_it_did_not_arm():
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(True))
    signal.setitimer(signal.ITIMER_REAL, 0.3)
    try:
        with time_budget(0.05):
            time.sleep(0.1)  # not interrupted: the outer timer is someone else's
        time.sleep(0.4)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert fired == [True]


# ------------------------------------------------------------------------- the contract


def test_refusals_match_the_openapi_contract(database_url, apps, client, anon_client):
    from test_openapi import SPEC, check

    for path, method in (("/v1/documents", "post"), ("/v1/documents/{document_id}", "delete")):
        assert SPEC["paths"][path][method]["security"] == [{"apiKey": []}]
    assert SPEC["components"]["securitySchemes"]["apiKey"]["scheme"] == "bearer"

    check(anon_client.post("/v1/documents", json=ARTICLE), "/v1/documents", "post")
    doc_id = client.post("/v1/documents", json=ARTICLE).json["document"]["id"]
    refused = anon_client.delete(f"/v1/documents/{doc_id}")
    check(refused, "/v1/documents/{document_id}", "delete")

    closed = make_app(database_url)
    limited = make_app(database_url, API_KEYS=TEST_API_KEY, RATE_LIMIT_PER_KEY=1)
    apps.extend([closed, limited])
    check(closed.test_client().post("/v1/documents", json=ARTICLE), "/v1/documents", "post")
    auth = {"Authorization": f"Bearer {TEST_API_KEY}"}
    flood = limited.test_client()
    flood.delete("/v1/documents/999", headers=auth)
    too_many = flood.delete("/v1/documents/999", headers=auth)
    assert too_many.status_code == 429
    check(too_many, "/v1/documents/{document_id}", "delete")
    documented = SPEC["components"]["responses"]["TooManyRequests"]["headers"]
    assert "Retry-After" in documented and too_many.headers["Retry-After"].isdigit()


# ------------------------------------------------------ hostile text on its way to HTML

HOSTILE_TEXT = (
    'Officials met in Geneva <script>window.__pwned="script"</script> on March 3, 2021, '
    "the ministry said <img src=x onerror=\"window.__pwned='img'\"> and "
    '<svg onload="window.__pwned=\'svg\'"></svg> "><iframe srcdoc="<script>'
    "parent.__pwned='iframe'</script>\"></iframe> {{7*7}} ${7*7}."
)
HOSTILE_HTML = (
    "<html><body><article><p>Delegates gathered in Vienna on March 4, 2021, "
    "<img src=x onerror=\"window.__pwned='html-img'\"> "
    "<a href=\"javascript:window.__pwned='href'\">the agency</a> reported.</p>"
    "<script>window.__pwned='html-script'</script></article></body></html>"
)
HOSTILE_URL = 'https://example.org/a"onmouseover="window.__pwned=\'url\'"x'


def post_hostile(client) -> list[dict]:
    """Hostile markup in the text, the HTML, the URL and the title; all stored."""
    responses = [
        client.post(
            "/v1/documents",
            json={
                "text": HOSTILE_TEXT,
                "url": HOSTILE_URL,
                "title": "<script>window.__pwned='title'</script>",
                "published_at": "2021-03-05",
            },
        ),
        client.post("/v1/documents", json={"html": HOSTILE_HTML, "published_at": "2021-03-05"}),
    ]
    for response in responses:
        assert response.status_code == 201, response.json
    return responses


class _Markup(HTMLParser):
    """Collects the elements and attributes a browser would build from an HTML fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def markup_of(fragment: str) -> list[tuple[str, dict]]:
    parser = _Markup()
    parser.feed(fragment)
    parser.close()
    return parser.tags


def test_timelinejs_export_escapes_article_text(client):
    post_hostile(client)
    slides = client.get("/v1/timeline?format=timelinejs&limit=500").json["events"]
    assert slides
    hostile = [s for s in slides if "Geneva" in s["text"]["text"] or "Vienna" in s["text"]["text"]]
    assert hostile, "the hostile articles' events are exported"
    for slide in slides:
        assert markup_of(slide["text"]["headline"]) == [], "a headline is plain text"
        assert markup_of(slide["group"]) == []
        for tag, attrs in markup_of(slide["text"]["text"]):
            assert tag in ("ul", "li", "a"), tag
            assert set(attrs) <= {"href"}, attrs
            if tag == "a":
                assert attrs["href"].startswith(("http://", "https://"))
    assert any("&lt;script" in s["text"]["text"] for s in hostile), "shown as text, not dropped"


@pytest.fixture(scope="module")
def chromium():
    """Headless Chromium through Playwright; skipped without one, except under CI."""
    sync_api = pytest.importorskip("playwright.sync_api")
    path = os.environ.get("TIMELINE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        if os.environ.get("CI"):
            pytest.fail(f"no Chromium at {path}")
        pytest.skip("Chromium is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=path,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
        )
        yield browser
        browser.close()


def test_hostile_articles_execute_nothing_in_the_embed_view(app, client, chromium):
    post_hostile(client)
    page_html = client.get("/embed").get_data(as_text=True)
    assert "__pwned" not in page_html, "the page itself carries no article text"
    policy = client.get("/embed").headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy

    app.config["RATE_LIMIT_PER_ADDRESS"] = 0
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    context = chromium.new_context()
    try:
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(f"http://127.0.0.1:{server.server_port}/embed?limit=500")
        page.wait_for_selector("#timeline[data-loaded]", timeout=15000)
        titles = page.eval_on_selector_all("li.event .title", "els => els.map(e => e.textContent)")
        assert any("Geneva" in t for t in titles) and any("Vienna" in t for t in titles)
        for link in page.locator("li.event a").all():
            link.hover()
        page.wait_for_timeout(300)
        assert page.evaluate("window.__pwned") is None, "no injected script or handler ran"
        assert dialogs == []
        built = "li.event img, li.event script, li.event svg, li.event iframe"
        assert page.locator(built).count() == 0, "no element was built from article text"
        hrefs = page.eval_on_selector_all("li.event a", "els => els.map(a => a.href)")
        assert hrefs and all(h.startswith(("http://", "https://")) for h in hrefs)
        shown = page.eval_on_selector_all("li.event a", "els => els.map(a => a.title)")
        assert any("<script>" in t for t in titles + shown), "markup is shown as text"
    finally:
        context.close()
        server.shutdown()
        thread.join(5)
