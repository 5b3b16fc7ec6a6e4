"""Service routes: health and the OpenAPI contract."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response
from sqlalchemy import text

from ..database import get_session
from ..errors import APIError

bp = Blueprint("meta", __name__)

OPENAPI = Path(__file__).resolve().parents[2] / "openapi.yaml"  # a link to the checkout's


@bp.get("/healthz")
def healthz():
    try:
        get_session().execute(text("SELECT 1"))
    except Exception as exc:
        raise APIError(503, "Database unavailable", str(exc.__class__.__name__)) from None
    return {"status": "ok", "database": "ok"}


@bp.get("/openapi.yaml")
def openapi():
    return Response(OPENAPI.read_bytes(), mimetype="application/yaml")
