"""``openapi.yaml`` is a valid spec, names exactly the app's routes, and real responses fit it."""

from __future__ import annotations

import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from openapi_spec_validator import validate
from referencing import Registry, Resource

SPEC_PATH = Path(__file__).resolve().parents[1] / "openapi.yaml"
SPEC = yaml.safe_load(SPEC_PATH.read_text())
_REGISTRY = Registry().with_resource(
    "urn:spec",
    Resource.from_contents({**SPEC, "$schema": "https://json-schema.org/draft/2020-12/schema"}),
)


def check(response, path: str, method: str = "get") -> None:
    """Validate a real response against the spec's schema for that path, method and status."""
    operation = SPEC["paths"][path][method]
    spec_response = operation["responses"][str(response.status_code)]
    if "$ref" in spec_response:
        name = spec_response["$ref"].rsplit("/", 1)[1]
        spec_response = SPEC["components"]["responses"][name]
    content = spec_response.get("content")
    if not content:
        assert not response.data
        return
    assert response.mimetype in content, f"{response.mimetype} not documented for {path}"
    schema = content[response.mimetype]["schema"]
    if response.mimetype.endswith("json"):
        validator = jsonschema.Draft202012Validator(
            {"$ref": "urn:spec#/" + "/".join(_pointer(path, method, response, content))},
            registry=_REGISTRY,
            format_checker=jsonschema.FormatChecker(),
        )
        validator.validate(response.json)
    else:
        assert schema["type"] == "string"


def _pointer(path, method, response, content):
    """The JSON pointer of the response schema inside the spec."""
    spec_response = SPEC["paths"][path][method]["responses"][str(response.status_code)]
    escaped = path.replace("~", "~0").replace("/", "~1")
    if "$ref" in spec_response:
        name = spec_response["$ref"].rsplit("/", 1)[1]
        base = ["components", "responses", name]
    else:
        base = ["paths", escaped, method, "responses", str(response.status_code)]
    return [*base, "content", response.mimetype.replace("/", "~1"), "schema"]


def test_spec_is_valid_openapi():
    validate(SPEC)


def test_spec_paths_are_the_app_routes(app):
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        routes.add(re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule))
    assert routes == set(SPEC["paths"])


def test_responses_match_the_spec(seeded, client):
    timeline = client.get("/v1/timeline?limit=3")
    check(timeline, "/v1/timeline")
    with_claims = client.get("/v1/timeline?include=claims&include=mentions&min_sources=2")
    check(with_claims, "/v1/timeline")
    claims = [c for e in with_claims.json["events"] for c in e["claims"]]
    assert claims and {c["basis"] for c in claims} >= {"expression", "publication"}
    assert all(
        c["dissents"] is False
        for e in with_claims.json["events"]
        for c in e["claims"]
        if e["date"]["agreement"] != "disputed"
    )
    event_id = timeline.json["events"][0]["id"]
    check(client.get(f"/v1/events/{event_id}"), "/v1/events/{event_id}")
    check(client.get("/v1/events/nope"), "/v1/events/{event_id}")
    check(client.get("/v1/documents/2"), "/v1/documents/{document_id}")
    check(client.get("/v1/documents/99"), "/v1/documents/{document_id}")
    check(client.get("/v1/sources"), "/v1/sources")
    check(client.get("/healthz"), "/healthz")
    check(client.get("/openapi.yaml"), "/openapi.yaml")
    check(client.get("/v1/timeline?from=bad"), "/v1/timeline")
    posted = client.post(
        "/v1/documents", json={"text": "Officials met in Geneva on March 3, 2021."}
    )
    check(posted, "/v1/documents", "post")
    check(
        client.post("/v1/documents", json={"text": "Officials met in Geneva on March 3, 2021."}),
        "/v1/documents",
        "post",
    )
    check(client.post("/v1/documents", json={}), "/v1/documents", "post")
    doc_id = posted.json["document"]["id"]
    check(client.delete(f"/v1/documents/{doc_id}"), "/v1/documents/{document_id}", "delete")


@pytest.mark.parametrize("path", sorted(SPEC["paths"]))
def test_every_operation_documents_its_responses(path):
    for method, operation in SPEC["paths"][path].items():
        if method == "parameters":
            continue
        assert operation["responses"], f"{method} {path} documents no response"
        assert operation.get("summary"), f"{method} {path} has no summary"


def test_every_route_documents_its_rate_limit():
    """Rate limits apply to every request, reads included: each operation says so."""
    for path, item in SPEC["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            assert "429" in operation["responses"], f"{method} {path} lacks 429"


@pytest.mark.parametrize("path", ["/v1/timeline", "/v1/sources", "/healthz", "/embed"])
def test_reads_over_the_rate_limit_get_the_documented_429(seeded, client, path):
    client.application.config["RATE_LIMIT_PER_ADDRESS"] = 1
    assert client.get(path).status_code == 200
    limited = client.get(path)
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1
    check(limited, path)
    headers = SPEC["components"]["responses"]["TooManyRequests"]["headers"]
    assert set(headers) == {"Retry-After"}
