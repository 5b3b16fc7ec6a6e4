"""The HTML pages served without a browser: ``/docs`` from the spec, ``/embed``'s shell."""

from __future__ import annotations

import re

import yaml
from conftest import ROOT

SPEC = yaml.safe_load((ROOT / "openapi.yaml").read_text())


def test_docs_render_every_operation_parameter_and_schema(client):
    response = client.get("/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.data.decode()
    for path, item in SPEC["paths"].items():
        for method, op in item.items():
            if method == "parameters":
                continue
            assert f'id="{op["operationId"].lower()}"' in html, op["operationId"]
            assert f'<span class="path">{path}</span>' in html
    for name in ("agreement", "include", "format", "If-None-Match"):
        assert f"<code>{name}</code>" in html
    for name in SPEC["components"]["schemas"]:
        assert f'id="schema-{name}"' in html
    assert "<script" not in html and "http://" not in html.replace("http://127.0.0.1:8000", "")
    assert "&lt;iframe" in html, "descriptions are escaped, not markup"


def test_embed_is_self_contained_and_locked_down(client):
    response = client.get("/embed?actor=Lukashenka&from=2022")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.data.decode()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "no external resources"
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy
    assert "script-src 'sha256-" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors *" in policy and "X-Frame-Options" not in response.headers
    assert "innerHTML" not in html and "textContent" in html
    assert 'data-api="/v1/timeline"' in html


def test_embed_rejects_bad_filters_like_the_api(client):
    response = client.get("/embed?from=yesterday")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert set(response.json["errors"]) == {"from"}


def test_embed_frame_ancestors_are_configurable(app, client):
    app.config["EMBED_FRAME_ANCESTORS"] = "https://news.example"
    policy = client.get("/embed").headers["Content-Security-Policy"]
    assert policy.endswith("frame-ancestors https://news.example")
