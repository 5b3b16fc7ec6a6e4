"""Settings, read from the environment with defaults that suit the embedded quick start."""

from __future__ import annotations

import os
from typing import Any


def _flag(raw: str) -> bool:
    """A boolean setting: 1/true/yes/on or 0/false/no/off."""
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"not a boolean: {raw!r}")


#: environment variable -> (config key, default, converter)
ENVIRONMENT: dict[str, tuple[str, Any, Any]] = {
    "TIMELINE_DATABASE_URL": ("DATABASE_URL", None, str),
    "TIMELINE_MAX_CONTENT_LENGTH": ("MAX_CONTENT_LENGTH", 2 * 1024 * 1024, int),
    "TIMELINE_PARSE_BUDGET_SECONDS": ("PARSE_BUDGET_SECONDS", 5.0, float),
    "TIMELINE_DEFAULT_PAGE_SIZE": ("DEFAULT_PAGE_SIZE", 50, int),
    "TIMELINE_MAX_PAGE_SIZE": ("MAX_PAGE_SIZE", 500, int),
    "TIMELINE_MAX_TOTAL": ("MAX_TOTAL", 10_000, int),
    "TIMELINE_CORS_ORIGINS": ("CORS_ORIGINS", "*", str),
    "TIMELINE_CACHE_CONTROL": ("CACHE_CONTROL", "public, no-cache", str),
    "TIMELINE_RESPONSE_CACHE_ENTRIES": ("RESPONSE_CACHE_ENTRIES", 1024, int),
    "TIMELINE_READ_CONNECTIONS": ("READ_CONNECTIONS", 8, int),
    "TIMELINE_READ_TIMEOUT_SECONDS": ("READ_TIMEOUT_SECONDS", 10.0, float),
    "TIMELINE_EMBED_FRAME_ANCESTORS": ("EMBED_FRAME_ANCESTORS", "*", str),
    "TIMELINE_API_KEYS": ("API_KEYS", None, str),
    "TIMELINE_API_KEY_HASHES": ("API_KEY_HASHES", None, str),
    "TIMELINE_PUBLIC_READS": ("PUBLIC_READS", True, _flag),
    "TIMELINE_RATE_LIMIT_PER_ADDRESS": ("RATE_LIMIT_PER_ADDRESS", 600, int),
    "TIMELINE_RATE_LIMIT_PER_KEY": ("RATE_LIMIT_PER_KEY", 1200, int),
    "TIMELINE_TRUSTED_PROXIES": ("TRUSTED_PROXIES", 0, int),
    "TIMELINE_MAX_DOCUMENT_CHARS": ("MAX_DOCUMENT_CHARS", 1_000_000, int),
    "TIMELINE_MAX_PARAGRAPHS": ("MAX_PARAGRAPHS", 5_000, int),
    "TIMELINE_MAX_HTML_DEPTH": ("MAX_HTML_DEPTH", 200, int),
    "TIMELINE_MAX_SENTENCE_CHARS": ("MAX_SENTENCE_CHARS", 5_000, int),
    "TIMELINE_INGEST_BUDGET_SECONDS": ("INGEST_BUDGET_SECONDS", 20.0, float),
    "TIMELINE_STORE_BUDGET_SECONDS": ("STORE_BUDGET_SECONDS", 15.0, float),
}


def from_environment(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """The configuration the environment asks for; unset variables keep their defaults."""
    environ = os.environ if environ is None else environ
    config: dict[str, Any] = {}
    for var, (key, default, convert) in ENVIRONMENT.items():
        raw = environ.get(var)
        if raw not in (None, ""):
            config[key] = convert(raw)
        elif default is not None:
            config[key] = default
    return config
