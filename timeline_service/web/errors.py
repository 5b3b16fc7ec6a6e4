"""Errors as RFC 7807 ``application/problem+json``, with field-level detail for bad input."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, json
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
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
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}
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


#: PostgreSQL error classes and codes that mean "not now", not "never": connection
#: exceptions, too many connections or out of resources, lock not available, statement
#: timeout or cancel, server shutting down, serialization failure and deadlock
_TRANSIENT_CLASSES = ("08", "53", "57")
_TRANSIENT_CODES = frozenset({"55P03", "40001", "40P01"})
#: psycopg's errors for a connection that is gone (they carry no SQLSTATE)
_PG_DISCONNECTS = frozenset({"OperationalError", "InterfaceError"})
#: SQLite's words for another writer holding the file, or a read past its time limit
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy", "interrupted")


def unavailable(exc: BaseException) -> bool:
    """Whether a database error is transient (busy, timed out, disconnected): a 503 the
    caller may retry, rather than a fault of the service."""
    if isinstance(exc, PoolTimeout):
        return True
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        exc = exc.orig  # type: ignore[assignment]
    # the driver's own error (the hot read path runs driver SQL): psycopg names the
    # SQLSTATE, sqlite3 only says it in words
    code = getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)
    if code:
        return code[:2] in _TRANSIENT_CLASSES or code in _TRANSIENT_CODES
    if type(exc).__module__.startswith("psycopg") and type(exc).__name__ in _PG_DISCONNECTS:
        return True
    if type(exc).__module__ == "sqlite3" and type(exc).__name__ == "OperationalError":
        message = str(exc).lower()
        return any(words in message for words in _SQLITE_BUSY)
    return False


def init_app(app: Flask) -> None:
    """Every error, ours or Werkzeug's, leaves as problem+json; nothing leaks a traceback."""

    @app.errorhandler(APIError)
    def _api_error(exc: APIError) -> Response:
        response = problem(exc.status, exc.title, exc.detail, errors=exc.errors, **exc.extra)
        response.headers.update(exc.headers)
        return response

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        response = problem(exc.code or 500, exc.name, exc.description)
        for key, value in exc.get_headers():
            if key.lower() == "allow":
                response.headers[key] = value
        return response

    @app.errorhandler(DBAPIError)
    @app.errorhandler(PoolTimeout)
    def _database_error(exc: Exception) -> Response:
        if not unavailable(exc):
            return _unexpected(exc)
        # A lock or statement timeout, a busy SQLite file, a lost connection, a full pool:
        # the database could not answer now. The request's transaction is rolled back
        # when its session closes; the caller may simply retry.
        app.logger.warning("database unavailable: %s", getattr(exc, "orig", None) or exc)
        response = problem(
            503,
            "Database unavailable",
            "The database could not answer in time (busy or reconnecting); nothing was "
            "changed. Retry shortly.",
        )
        response.headers["Retry-After"] = "1"
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        if unavailable(exc):
            return _database_error(exc)
        app.logger.exception("unhandled error")
        return problem(500, "Internal Server Error", "The server failed to handle the request.")
