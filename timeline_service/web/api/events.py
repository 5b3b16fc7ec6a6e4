"""``GET /v1/events/{id}``: one merged event with every mention and its date claim.

The id is the event's stable key: it survives re-ingestion, so deep links keep working.
"""

from __future__ import annotations

from flask import Blueprint, Response

from ...sdk.formats import dumps
from ..caching import versioned
from ..database import get_session
from ..errors import APIError
from ..representations import event_detail

bp = Blueprint("events", __name__, url_prefix="/v1")


@bp.get("/events/<event_id>")
@versioned
def get_event(event_id: str) -> Response:
    data = event_detail(get_session(), event_id)
    if data is None:
        raise APIError(404, "Event not found", f"No event has the id {event_id!r}.")
    return Response(dumps(data), mimetype="application/json")
