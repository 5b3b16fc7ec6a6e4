"""``/v1/documents``: ingest an article, read it back with its mentions, delete it."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, current_app, request
from werkzeug.exceptions import HTTPException

from ...pipeline.ingest import delete_document, ingest
from ...pipeline.limits import BudgetExceeded, DocumentLimits, LimitExceeded, check_document
from ...plugins import PluginFailure, PluginRejected
from ...store.db import StoreBudgetExceeded
from ...store.models import Document
from ..database import get_session
from ..errors import APIError
from ..representations import document_dict, event_dicts
from ..schemas import DocumentInvalid, DocumentOut, IngestOut, load_document

bp = Blueprint("documents", __name__, url_prefix="/v1")

_out = DocumentOut()
_ingest_out = IngestOut()


#: the encodings RFC 8259 allows for JSON (UTF-8 is the one to send)
_CHARSETS = {"utf-8", "utf8", "utf-16", "utf-16le", "utf-16be", "utf-32", "utf-32le", "utf-32be"}


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object hook that refuses duplicate keys: which copy wins would be a guess."""
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise ValueError(f"duplicate key {key!r}")
        data[key] = value
    return data


def _decode(raw: bytes) -> str:
    """The body as text: the declared charset if any, else UTF-8/16/32 by its first bytes."""
    charset = (request.mimetype_params.get("charset") or "").lower()
    if charset and charset not in _CHARSETS:
        raise APIError(
            415, "Unsupported Media Type", f"JSON must be UTF-8 (or UTF-16/32), not {charset!r}."
        )
    encoding = charset or json.detect_encoding(raw)
    try:
        return raw.decode(encoding).removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise APIError(
            400, "Invalid encoding", f"The body is not valid {encoding.upper()}: {exc.reason}."
        ) from None


def read_json_object() -> dict:
    """The request body as a JSON object, strictly: no NaN, no duplicate keys, no trailing
    garbage, valid Unicode (what a database would refuse is :func:`load_document`'s)."""
    if not request.is_json:
        raise APIError(415, "Unsupported Media Type", "Send the document as application/json.")
    try:
        raw = request.get_data(cache=False)
    except HTTPException:  # too large (413), the client went away (400): said as such
        raise
    except Exception as exc:  # the server's own parse errors: a bad chunk, a body cut short
        raise APIError(
            400,
            "Unreadable request body",
            f"The body could not be read: {type(exc).__name__}: {exc}".rstrip(": ") + ".",
        ) from None
    if not raw.strip():
        raise APIError(400, "Empty request body", "Send a JSON object with 'text' or 'html'.")
    try:
        data = json.loads(
            _decode(raw), parse_constant=_reject_constant, object_pairs_hook=_unique_keys
        )
    except RecursionError:
        raise APIError(400, "Malformed JSON", "The body is nested too deeply.") from None
    except ValueError as exc:
        raise APIError(400, "Malformed JSON", str(exc)) from None
    if not isinstance(data, dict):
        raise APIError(400, "Malformed JSON", "The body must be a JSON object.")
    return data


@bp.post("/documents")
def post_document():
    try:
        raw = load_document(read_json_object())
    except DocumentInvalid as exc:
        raise APIError(422, "Invalid document", errors=exc.errors) from None
    limits = DocumentLimits.from_config(current_app.config)
    try:
        check_document(raw, limits)
    except LimitExceeded as exc:
        raise APIError(422, "Document too large", errors={exc.field: [str(exc)]}) from None
    session = get_session()
    try:
        result = ingest(
            session,
            raw,
            parse_budget=current_app.config["PARSE_BUDGET_SECONDS"],
            time_budget=limits.seconds,
            store_seconds=current_app.config.get("STORE_BUDGET_SECONDS"),
        )
    except (PluginFailure, PluginRejected) as exc:
        raise APIError(
            422, "Document rejected by its source plugin", str(exc), plugin=exc.plugin
        ) from None
    except BudgetExceeded as exc:
        raise APIError(422, "Document too costly to process", str(exc)) from None
    except StoreBudgetExceeded as exc:
        raise store_overrun(exc) from None
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


#: the largest id an INTEGER column holds; a larger one would be a database error, not a 404
MAX_ID = 2**31 - 1


def _document(document_id: int) -> Document:
    document = get_session().get(Document, document_id) if document_id <= MAX_ID else None
    if document is None:
        raise APIError(404, "Document not found", f"No document has the id {document_id}.")
    return document


@bp.get("/documents/<int:document_id>")
def get_document(document_id: int):
    return _out.dump(document_dict(get_session(), _document(document_id)))


@bp.delete("/documents/<int:document_id>")
def remove_document(document_id: int):
    try:
        delete_document(
            get_session(),
            _document(document_id),
            store_seconds=current_app.config.get("STORE_BUDGET_SECONDS"),
        )
    except StoreBudgetExceeded as exc:
        raise store_overrun(exc) from None
    return "", 204


def store_overrun(exc: StoreBudgetExceeded) -> APIError:
    """The write ran past its store budget and was rolled back: a 503 to retry later."""
    return APIError(
        503,
        "Write took too long",
        f"{exc}; it was rolled back and nothing changed. Retry later.",
        headers={"Retry-After": "5"},
    )
