"""``GET /docs``: the API reference, rendered on the server from ``openapi.yaml``.

Plain HTML with no script and no CDN: the contract the tests hold the app to is the page
people read. Descriptions are escaped text; only `backticks` become ``<code>``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml
from flask import Blueprint, Response, render_template
from markupsafe import Markup, escape

from .meta import OPENAPI

bp = Blueprint("docs", __name__, template_folder="../templates")

METHODS = ("get", "post", "put", "patch", "delete")
_CODE = re.compile(r"`([^`]+)`")


def prose(text: str | None) -> Markup:
    """Escaped text in paragraphs, with `code` spans: enough for the spec's descriptions."""
    if not text:
        return Markup("")
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", str(text)) if p.strip()]
    out = []
    for p in paragraphs:
        html = _CODE.sub(lambda m: f"<code>{m.group(1)}</code>", str(escape(" ".join(p.split()))))
        out.append(f"<p>{html}</p>")
    return Markup("".join(out))


def type_of(schema: dict[str, Any] | None) -> str:
    """A short human name for a schema: ``string``, ``array of Event``, ``integer 1..500``."""
    if not schema:
        return ""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[1]
    for combo in ("allOf", "anyOf", "oneOf"):
        if combo in schema:
            joiner = " and " if combo == "allOf" else " or "
            return joiner.join(type_of(s) for s in schema[combo])
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = " or ".join(kind)
    if kind == "array":
        return f"array of {type_of(schema.get('items'))}"
    extras = []
    if "enum" in schema:
        extras.append("one of " + ", ".join(map(str, schema["enum"])))
    if "minimum" in schema or "maximum" in schema:
        extras.append(f"{schema.get('minimum', '')}..{schema.get('maximum', '')}")
    if "format" in schema:
        extras.append(schema["format"])
    if "default" in schema:
        extras.append(f"default {schema['default']}")
    return f"{kind} ({'; '.join(extras)})" if extras else kind


def _anchor(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@lru_cache(maxsize=4)
def _render(mtime: float) -> str:
    spec = yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))
    operations = []
    for path, item in spec.get("paths", {}).items():
        shared = item.get("parameters", [])
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            params = []
            for p in [*shared, *op.get("parameters", [])]:
                if "$ref" in p:
                    p = spec["components"]["parameters"][p["$ref"].rsplit("/", 1)[1]]
                params.append(p)
            responses = []
            for status, response in op.get("responses", {}).items():
                if "$ref" in response:
                    response = spec["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
                responses.append((status, response))
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "anchor": _anchor(op.get("operationId") or f"{method}-{path}"),
                    "op": op,
                    "params": params,
                    "responses": responses,
                }
            )
    return render_template(
        "docs.html",
        spec=spec,
        info=spec.get("info", {}),
        operations=operations,
        schemas=spec.get("components", {}).get("schemas", {}),
        prose=prose,
        type_of=type_of,
    )


@bp.get("/docs")
def docs() -> Response:
    html = _render(OPENAPI.stat().st_mtime)
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'"
    )
    return response
