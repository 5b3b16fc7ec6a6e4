"""``GET /v1/timeline``: merged events in date order, filtered and paginated."""

from __future__ import annotations

from flask import Blueprint, current_app, request
from marshmallow import ValidationError

from ..db import get_session
from ..errors import APIError
from ..queries import TimelineFilter, decode_cursor, partial_date_bounds, timeline
from ..schemas import TimelineOut, TimelineQuery

bp = Blueprint("timeline", __name__, url_prefix="/v1")

_query = TimelineQuery()
_out = TimelineOut()


def _args() -> dict:
    args = request.args.to_dict()
    if "source" in request.args:
        args["source"] = request.args.getlist("source")
    return args


def build_filter() -> TimelineFilter:
    """The request's filter, or a 400 problem naming each bad parameter."""
    try:
        args = _query.load(_args())
    except ValidationError as exc:
        raise APIError(400, "Invalid query parameters", errors=exc.messages_dict) from None
    errors: dict[str, list[str]] = {}
    f = TimelineFilter(limit=args.get("limit", current_app.config["DEFAULT_PAGE_SIZE"]))
    for name, attr, side in (("from", "from_", 0), ("to", "to", 1)):
        if attr in args:
            try:
                setattr(f, "start" if side == 0 else "end", partial_date_bounds(args[attr])[side])
            except ValueError as exc:
                errors[name] = [str(exc)]
    if "cursor" in args:
        try:
            f.after = decode_cursor(args["cursor"])
        except ValueError as exc:
            errors["cursor"] = [str(exc)]
    if errors:
        raise APIError(400, "Invalid query parameters", errors=errors)
    f.sources = args.get("source", [])
    f.actor = args.get("actor")
    f.type = args.get("type")
    f.q = args.get("q")
    f.min_sources = args.get("min_sources")
    return f


@bp.get("/timeline")
def get_timeline():
    events, next_cursor = timeline(get_session(), build_filter())
    return _out.dump({"events": events, "next_cursor": next_cursor})
