"""Through the API: a faulty plugin's document is a 422 naming it, and nothing is stored."""

from __future__ import annotations

import threading

import pytest
from plugin_helpers import seed

from timeline_service.hookspecs import hookimpl
from timeline_service.plugins import get_plugin_manager
from timeline_service.sdk import Source
from timeline_service.sdk.article import Article, ParseError, RawDocument

TEXT = "Belarus said on Thursday that its troops would not take part in the war in Ukraine."


class Misbehaving(Source):
    slug = "misbehaving"
    name = "Misbehaving"
    release = threading.Event()

    def parse(self, raw: RawDocument) -> Article:
        if "raise" in raw.content:
            raise ZeroDivisionError("division by zero")
        if "reject" in raw.content:
            raise ParseError("not a Misbehaving page")
        if "hang" in raw.content:
            self.release.wait(20)
        return Article(title=None, paragraphs=())


class Plugin:
    @hookimpl
    def register_sources(self) -> list[Source]:
        return [Misbehaving()]


@pytest.fixture
def misbehaving(app):
    app.config["PARSE_BUDGET_SECONDS"] = 0.3
    Misbehaving.release = threading.Event()
    pm = get_plugin_manager()
    pm.register(Plugin(), name="misbehaving-plugin")
    yield
    pm.unregister(name="misbehaving-plugin")
    Misbehaving.release.set()


@pytest.mark.parametrize(
    ("trigger", "detail"),
    [
        ("raise", "ZeroDivisionError"),
        ("reject", "not a Misbehaving page"),
        ("hang", "longer than"),
        ("nonsense", "no non-empty paragraph"),
    ],
)
def test_faulty_plugin_is_a_422_naming_it(misbehaving, client, trigger: str, detail: str) -> None:
    before = client.get("/v1/sources").json
    response = client.post(
        "/v1/documents", json={"text": f"{TEXT} {trigger}", "source": "misbehaving"}
    )
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.json["plugin"] == "misbehaving-plugin"
    assert detail in response.json["detail"]
    assert client.get("/v1/timeline").json["events"] == []
    assert client.get("/v1/sources").json == before
    # The other plugins keep working.
    _, text = seed("The Moscow Times")
    assert client.post("/v1/documents", json={"text": text}).status_code == 201
