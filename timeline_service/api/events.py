"""``GET /v1/events/{id}``: one merged event with every mention and its date claim."""

from __future__ import annotations

from flask import Blueprint

from ..db import get_session
from ..errors import APIError
from ..queries import event_detail
from ..schemas import EventDetailOut

bp = Blueprint("events", __name__, url_prefix="/v1")

_out = EventDetailOut()


@bp.get("/events/<event_id>")
def get_event(event_id: str):
    data = event_detail(get_session(), event_id)
    if data is None:
        raise APIError(404, "Event not found", f"No event has the id {event_id!r}.")
    return _out.dump(data)
