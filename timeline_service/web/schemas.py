"""Marshmallow schemas for every request and response body of the HTTP API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from marshmallow import (
    EXCLUDE,
    RAISE,
    Schema,
    ValidationError,
    fields,
    validate,
    validates,
    validates_schema,
)

from ..plugins import get_sources
from ..sdk import RawDocument
from ..store.queries import AGREEMENTS, INCLUDES
from ..temporal.timestamps import check_publication_time, parse_timestamp, rfc3339


class Timestamp(fields.Field):
    """RFC 3339 out; ISO 8601 timestamp or bare date in (a date means midnight UTC)."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return value if isinstance(value, str) else rfc3339(value)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, str):
            raise ValidationError("Must be an ISO 8601 date or timestamp string.")
        try:
            return parse_timestamp(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


# ----------------------------------------------------------------------------- requests


class DocumentIn(Schema):
    """``POST /v1/documents``: exactly one of ``text`` or ``html``, plus optional hints."""

    class Meta:
        unknown = RAISE

    text = fields.String(validate=validate.Length(min=1))
    html = fields.String(validate=validate.Length(min=1))
    url = fields.String(validate=validate.Length(max=2000))
    source = fields.String(validate=validate.Length(min=1, max=100))
    published_at = Timestamp()
    title = fields.String(validate=validate.Length(max=1000))

    @validates("published_at")
    def _published_at(self, value: Any, **_: Any) -> None:
        try:
            check_publication_time(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None

    @validates("url")
    def _url(self, value: str, **_: Any) -> None:
        # urlsplit drops tabs and line breaks before it looks, so check the raw text
        # first: a URL never holds whitespace or control characters (RFC 3986), and one
        # that did would break every format that writes it on a line (iCalendar, CSV).
        if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in value):
            raise ValidationError("Must not contain whitespace or control characters.")
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValidationError("Must be an absolute http(s) URL.")

    @validates_schema
    def _one_body(self, data: dict[str, Any], **_: Any) -> None:
        given = [k for k in ("text", "html") if k in data]
        if not given:
            raise ValidationError("One of 'text' or 'html' is required.", "text")
        if len(given) == 2:
            raise ValidationError("Give 'text' or 'html', not both.", "html")
        if not data[given[0]].strip():
            raise ValidationError("Must not be blank.", given[0])


class DocumentInvalid(ValueError):
    """A document that the API and the CLI refuse; ``errors`` maps each bad field to its
    messages."""

    def __init__(self, errors: dict[str, Any]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in errors.items()))
        self.errors = errors


def _bad_characters(data: Mapping[str, Any]) -> dict[str, list[str]]:
    """Fields whose text no database can store: NUL characters and unpaired surrogates."""
    errors: dict[str, list[str]] = {}
    for key, value in data.items():
        if not isinstance(value, str):
            continue
        if "\x00" in value:
            errors[key] = ["Must not contain NUL (U+0000) characters."]
            continue
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            errors[key] = ["Contains an unpaired surrogate (\\uD800-\\uDFFF); not valid text."]
    return errors


def load_document(data: Mapping[str, Any]) -> RawDocument:
    """A document as ``POST /v1/documents`` and ``timeline-service ingest`` both accept it:
    the :class:`DocumentIn` schema, text a database can store, and an installed source."""
    errors = _bad_characters(data)
    if errors:
        raise DocumentInvalid(errors)
    try:
        values = DocumentIn().load(dict(data))
    except ValidationError as exc:
        raise DocumentInvalid(exc.messages_dict) from None
    if "source" in values and values["source"] not in get_sources():
        slug = values["source"]
        raise DocumentInvalid({"source": [f"No installed source plugin has the slug {slug!r}."]})
    return RawDocument(**values)


def _printable(value: str) -> None:
    """Control characters are never part of a filter (and PostgreSQL rejects NUL)."""
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValidationError("Must not contain control characters.")


class Text(fields.String):
    """A query string value: no control characters."""

    def __init__(self, **kwargs: Any) -> None:
        validators = kwargs.pop("validate", None)
        chain = [_printable, *([validators] if validators else [])]
        super().__init__(validate=chain, **kwargs)


class TimelineQuery(Schema):
    """``GET /v1/timeline`` (and ``/embed``) query parameters.

    ``include`` arrives as a list (repeated or comma-separated); ``format`` is checked
    against the installed output formats by the view.
    """

    class Meta:
        unknown = EXCLUDE

    from_ = Text(data_key="from", validate=validate.Length(min=1, max=40))
    to = Text(validate=validate.Length(min=1, max=40))
    source = fields.List(Text(validate=validate.Length(min=1, max=100)))
    actor = Text(validate=validate.Length(min=1, max=200))
    type = Text(validate=validate.Length(min=1, max=32))
    q = Text(validate=validate.Length(min=1, max=200))
    min_sources = fields.Integer(validate=validate.Range(min=1, max=1000))
    limit = fields.Integer(validate=validate.Range(min=1, max=500))
    cursor = Text(validate=validate.Length(max=500))
    agreement = Text(validate=validate.OneOf(AGREEMENTS))
    include = fields.List(Text(validate=validate.OneOf(INCLUDES)))
    total = fields.Boolean()
    format = Text(validate=validate.Length(min=1, max=40))
    group = Text(validate=validate.OneOf(("type", "source")))


# ---------------------------------------------------------------------------- responses


class DateOut(Schema):
    value = fields.String()
    granularity = fields.String()
    start = Timestamp()
    end = Timestamp()
    agreement = fields.String()


class SourceRefOut(Schema):
    """One outlet's report of an event: the evidence for it."""

    source = fields.String()
    name = fields.String()
    document_id = fields.Integer()
    url = fields.String(allow_none=True)
    published_at = Timestamp(allow_none=True)
    sentence = fields.String()
    when_text = fields.String(allow_none=True)


class MentionOut(Schema):
    """A mention with its date claim, as shown with an event or a document."""

    id = fields.Integer()
    document_id = fields.Integer()
    event_id = fields.String(allow_none=True)
    source = fields.String()
    sentence = fields.String()
    span = fields.List(fields.Integer())
    when_text = fields.String(allow_none=True)
    date = fields.Nested(DateOut)
    anchor = fields.Dict()
    resolver_version = fields.String()
    title = fields.String()
    type = fields.String()
    actors = fields.List(fields.String())
    attribution = fields.String(allow_none=True)
    modality = fields.String()
    basis = fields.String()
    dissents = fields.Boolean()


class ClaimOut(Schema):
    """One mention's date claim, as ``include=claims`` adds it to an event."""

    source = fields.String()
    document_id = fields.Integer()
    value = fields.String()
    granularity = fields.String()
    when_text = fields.String(allow_none=True)
    attribution = fields.String(allow_none=True)
    modality = fields.String()
    basis = fields.String()
    dissents = fields.Boolean()


class EventOut(Schema):
    id = fields.String()
    date = fields.Nested(DateOut)
    title = fields.String()
    type = fields.String()
    actors = fields.List(fields.String())
    location = fields.String(allow_none=True)
    source_count = fields.Integer()
    mention_count = fields.Integer()
    first_reported_at = Timestamp(allow_none=True)
    sources = fields.List(fields.Nested(SourceRefOut))
    mentions = fields.List(fields.Nested(MentionOut))
    claims = fields.List(fields.Nested(ClaimOut))


class EventDetailOut(EventOut):
    """``GET /v1/events/{id}``: the event shape, always with ``mentions``."""


class TimelineOut(Schema):
    """The JSON format of a timeline page; the hot path renders it without this schema,
    and the tests hold that output equal to what this schema dumps."""

    events = fields.List(fields.Nested(EventOut))
    next_cursor = fields.String(allow_none=True)
    total = fields.Integer()
    total_capped = fields.Boolean()


class DocumentOut(Schema):
    id = fields.Integer()
    source = fields.String()
    url = fields.String(allow_none=True)
    title = fields.String(allow_none=True)
    published_at = Timestamp(allow_none=True)
    published_at_origin = fields.String()
    timezone = fields.String(allow_none=True)
    language = fields.String()
    dateline = fields.String(allow_none=True)
    byline = fields.String(allow_none=True)
    content_hash = fields.String()
    ingested_at = Timestamp()
    notes = fields.List(fields.String())
    body = fields.String()
    captions = fields.List(fields.String())
    mentions = fields.List(fields.Nested(MentionOut))


class IngestOut(Schema):
    created = fields.Boolean()
    document = fields.Nested(DocumentOut)
    events = fields.List(fields.Nested(EventOut))


class SourceOut(Schema):
    slug = fields.String()
    name = fields.String()
    homepage = fields.String(allow_none=True)
    domains = fields.List(fields.String())
    language = fields.String()
    timezone = fields.String(allow_none=True)
    plugin = fields.String()
    version = fields.String(allow_none=True)
    origin = fields.String()
    document_count = fields.Integer()


class PluginOut(Schema):
    name = fields.String()
    origin = fields.String()
    version = fields.String(allow_none=True)
    hooks = fields.List(fields.String())
    sources = fields.List(fields.String())
    formats = fields.List(fields.String())
    actor_aliases = fields.Integer()


class PluginsOut(Schema):
    plugins = fields.List(fields.Nested(PluginOut))


class SourcesOut(Schema):
    sources = fields.List(fields.Nested(SourceOut))
