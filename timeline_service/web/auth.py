"""API keys: writes need ``Authorization: Bearer <key>``; reads are public unless configured.

Keys come from configuration (``API_KEYS`` in plain text, or ``API_KEY_HASHES`` as SHA-256
hex digests so the plain key never sits in the environment). Only digests are kept in
memory, and a presented key is hashed and compared to every digest with
:func:`hmac.compare_digest`, so neither a stored key nor the timing of a comparison tells
an attacker anything. With no key configured, every write is refused: the service starts
read-only until an operator sets one (the CLI still ingests locally).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass

from flask import Flask, Response, current_app, g, request

from .errors import problem

#: methods that never change the record
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: routes a caller needs even when reads require a key (load balancers, the contract)
ALWAYS_PUBLIC = frozenset({"meta.healthz", "meta.openapi"})


@dataclass(frozen=True)
class KeyRing:
    """The SHA-256 digests of the accepted keys; the plain keys are not kept."""

    digests: tuple[bytes, ...]

    @classmethod
    def from_config(cls, keys: Iterable[str], hashes: Iterable[str]) -> KeyRing:
        digests = [digest(k) for k in keys if k.strip()]
        for value in hashes:
            value = value.strip().lower().removeprefix("sha256:")
            if not value:
                continue
            try:
                raw = bytes.fromhex(value)
            except ValueError:
                raw = b""
            if len(raw) != 32:
                raise ValueError(f"API key hash {value[:12]!r}... is not a SHA-256 hex digest")
            digests.append(raw)
        return cls(tuple(digests))

    def identify(self, key: str) -> str | None:
        """A short, non-secret id of ``key`` if it is accepted (for rate limits and logs)."""
        presented = digest(key)
        found = False
        for stored in self.digests:  # no early exit: the time taken does not depend on a match
            found |= hmac.compare_digest(presented, stored)
        return presented.hex()[:12] if found else None


def digest(key: str) -> bytes:
    return hashlib.sha256(key.strip().encode("utf-8")).digest()


def split_list(value: str | Iterable[str] | None) -> list[str]:
    """A comma- or whitespace-separated setting as a list (lists pass through)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [p for p in value.replace(",", " ").split() if p]
    return [str(v) for v in value]


def keyring() -> KeyRing:
    return current_app.extensions["timeline_keys"]


def presented_key() -> str | None:
    """The bearer token of the request, or None when it has no usable Authorization."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def current_key_id() -> str | None:
    """The id of the request's valid API key, or None; computed once per request."""
    if "api_key_id" not in g:
        token = presented_key()
        g.api_key_id = keyring().identify(token) if token else None
    return g.api_key_id


def refusal() -> Response | None:
    """Why the request may not proceed without a key: 401 without a valid one, 403 if none exist."""
    if not keyring().digests:
        return problem(
            403,
            "Writes are disabled",
            "No API key is configured on this server; set TIMELINE_API_KEYS to enable writes.",
        )
    if current_key_id() is None:
        detail = (
            "Send a valid API key as 'Authorization: Bearer <key>'."
            if presented_key() is None
            else "The API key is not valid."
        )
        response = problem(401, "Unauthorized", detail)
        response.headers["WWW-Authenticate"] = 'Bearer realm="timeline-service"'
        return response
    return None


def _guard() -> Response | None:
    if request.routing_exception is not None:
        return None  # no such route or method: a 404 or 405 tells nothing a key protects
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        return None  # a CORS preflight never carries credentials, and returns no data
    if request.method in SAFE_METHODS and (
        current_app.config["PUBLIC_READS"] or request.endpoint in ALWAYS_PUBLIC
    ):
        return None
    return refusal()


def init_app(app: Flask) -> None:
    """Load the keys as digests and guard every write (and, if configured, every read)."""
    app.config.setdefault("PUBLIC_READS", True)
    app.extensions["timeline_keys"] = KeyRing.from_config(
        split_list(app.config.get("API_KEYS")), split_list(app.config.get("API_KEY_HASHES"))
    )
    app.config.pop("API_KEYS", None)  # only the digests stay in the running app
    app.before_request(_guard)
