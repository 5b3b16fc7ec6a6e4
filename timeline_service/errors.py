"""Errors as RFC 7807 ``application/problem+json``, with field-level detail for bad input."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, json
from werkzeug.exceptions import HTTPException

PROBLEM = "application/problem+json"


class APIError(Exception):
    """An error the API reports to the caller; ``errors`` maps field names to messages."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str | None = None,
        *,
        errors: dict[str, Any] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = errors
        self.extra = extra


def problem(
    status: int,
    title: str,
    detail: str | None = None,
    *,
    errors: dict[str, Any] | None = None,
    **extra: Any,
) -> Response:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    body.update(extra)
    return Response(json.dumps(body), status=status, mimetype=PROBLEM)


def init_app(app: Flask) -> None:
    """Every error, ours or Werkzeug's, leaves as problem+json; nothing leaks a traceback."""

    @app.errorhandler(APIError)
    def _api_error(exc: APIError) -> Response:
        return problem(exc.status, exc.title, exc.detail, errors=exc.errors, **exc.extra)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        response = problem(exc.code or 500, exc.name, exc.description)
        for key, value in exc.get_headers():
            if key.lower() == "allow":
                response.headers[key] = value
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        app.logger.exception("unhandled error")
        return problem(500, "Internal Server Error", "The server failed to handle the request.")
