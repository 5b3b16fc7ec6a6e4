"""``/v1/documents``: ingest an article, read it back with its mentions, delete it."""

from __future__ import annotations

import json

from flask import Blueprint, current_app, request
from marshmallow import ValidationError

from ..article import RawDocument
from ..db import get_session
from ..errors import APIError
from ..models import Document
from ..pipeline import delete_document, ingest
from ..plugins import get_sources
from ..queries import document_dict, event_dicts
from ..schemas import DocumentIn, DocumentOut, IngestOut
from ..sources import PluginFailure, PluginRejected

bp = Blueprint("documents", __name__, url_prefix="/v1")

_in = DocumentIn()
_out = DocumentOut()
_ingest_out = IngestOut()


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


def read_json_object() -> dict:
    """The request body as a JSON object, strictly: no NaN, no trailing garbage, UTF-8."""
    if not request.is_json:
        raise APIError(415, "Unsupported Media Type", "Send the document as application/json.")
    raw = request.get_data(cache=False)
    if not raw.strip():
        raise APIError(400, "Empty request body", "Send a JSON object with 'text' or 'html'.")
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except UnicodeDecodeError as exc:
        raise APIError(400, "Invalid encoding", f"The body is not UTF-8: {exc.reason}.") from None
    except ValueError as exc:
        raise APIError(400, "Malformed JSON", str(exc)) from None
    if not isinstance(data, dict):
        raise APIError(400, "Malformed JSON", "The body must be a JSON object.")
    return data


@bp.post("/documents")
def post_document():
    try:
        data = _in.load(read_json_object())
    except ValidationError as exc:
        raise APIError(422, "Invalid document", errors=exc.messages_dict) from None
    if "source" in data and data["source"] not in get_sources():
        raise APIError(
            422,
            "Invalid document",
            errors={"source": [f"No installed source plugin has the slug {data['source']!r}."]},
        )
    raw = RawDocument(**data)
    session = get_session()
    try:
        result = ingest(session, raw, parse_budget=current_app.config["PARSE_BUDGET_SECONDS"])
    except (PluginFailure, PluginRejected) as exc:
        raise APIError(
            422, "Document rejected by its source plugin", str(exc), plugin=exc.plugin
        ) from None
    body = _ingest_out.dump(
        {
            "created": result.created,
            "document": document_dict(session, result.document),
            "events": event_dicts(session, result.events),
        }
    )
    status = 201 if result.created else 200
    headers = {"Location": f"/v1/documents/{result.document.id}"}
    return body, status, headers


def _document(document_id: int) -> Document:
    document = get_session().get(Document, document_id)
    if document is None:
        raise APIError(404, "Document not found", f"No document has the id {document_id}.")
    return document


@bp.get("/documents/<int:document_id>")
def get_document(document_id: int):
    return _out.dump(document_dict(get_session(), _document(document_id)))


@bp.delete("/documents/<int:document_id>")
def remove_document(document_id: int):
    delete_document(get_session(), _document(document_id))
    return "", 204
