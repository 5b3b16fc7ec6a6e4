"""``GET /v1/timeline``: merged events in date order, filtered, paginated, in any format."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, g, request
from marshmallow import ValidationError

from ...plugins import formats_fingerprint, get_formats
from ...sdk.formats import OutputFormat, PageMeta, to_bytes
from ...store.queries import TimelineFilter
from ..caching import current_changed_at, current_version, read_connection, versioned
from ..errors import APIError
from ..representations import actor_names, decode_cursor, partial_date_bounds, timeline
from ..schemas import TimelineQuery

bp = Blueprint("timeline", __name__, url_prefix="/v1")

_query = TimelineQuery()

#: parameters that may be repeated (or, for ``include``, comma-separated)
LISTS = ("source", "include")


def _args() -> dict[str, Any]:
    args: dict[str, Any] = request.args.to_dict()
    for name in LISTS:
        if name in request.args:
            args[name] = request.args.getlist(name)
    if "include" in args:
        args["include"] = [part for v in args["include"] for part in v.split(",") if part]
    return args


def build_filter() -> tuple[TimelineFilter, OutputFormat, dict[str, Any]]:
    """The request's filter and format, or a 400 problem naming each bad parameter."""
    errors: dict[str, Any] = {}
    try:
        args = _query.load(_args())
    except ValidationError as exc:  # keep checking the rest, so every bad field is named
        errors.update(exc.messages_dict)
        args = exc.valid_data or {}
    limit = args.get("limit", current_app.config["DEFAULT_PAGE_SIZE"])
    if limit > current_app.config["MAX_PAGE_SIZE"]:
        errors["limit"] = [f"Must be at most {current_app.config['MAX_PAGE_SIZE']}."]
    f = TimelineFilter(limit=limit)
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
    formats = get_formats()
    fmt = formats.get(args.get("format", "json"))
    if fmt is None:
        errors["format"] = [f"Unknown format; installed: {', '.join(sorted(formats))}."]
    if errors:
        raise APIError(400, "Invalid query parameters", errors=errors)
    assert fmt is not None
    f.sources = args.get("source", [])
    f.actors = actor_names(args["actor"]) if "actor" in args else []
    f.type = args.get("type")
    f.q = args.get("q")
    f.min_sources = args.get("min_sources")
    f.agreement = args.get("agreement")
    f.include = frozenset(args.get("include", ()))
    f.total = bool(args.get("total", False))
    f.total_cap = int(current_app.config.get("MAX_TOTAL", f.total_cap))
    return f, fmt, args


def next_link(cursor: str) -> str:
    """The next page's ``Link`` header, relative so a cached response suits any host."""
    pairs = [(k, v) for k, v in request.args.items(multi=True) if k != "cursor"]
    pairs.append(("cursor", cursor))
    return f'<{request.path}?{urlencode(pairs)}>; rel="next"'


@bp.get("/timeline")
@versioned(salt=formats_fingerprint)
def get_timeline() -> Response:
    f, fmt, args = build_filter()
    page = timeline(read_connection(), f, version=current_version())
    g.seen_version = page.seen_version  # lets the cache check consistency without a query
    meta = PageMeta(
        next_cursor=page.next_cursor,
        total=page.total,
        total_capped=page.total_capped,
        params={k: v for k, v in args.items() if isinstance(v, str)},
        data_version=current_version(),
        changed_at_loader=current_changed_at,
    )
    response = Response(to_bytes(fmt.render(page.events, meta)), mimetype=fmt.media_type)
    if page.next_cursor:
        response.headers["Link"] = next_link(page.next_cursor)
    if fmt.extension not in ("json",):
        response.headers["Content-Disposition"] = f'inline; filename="timeline.{fmt.extension}"'
    return response
