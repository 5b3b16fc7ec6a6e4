"""Settings, read from the environment with defaults that suit the embedded quick start."""

from __future__ import annotations

import os
from typing import Any

#: environment variable -> (config key, default, converter)
ENVIRONMENT: dict[str, tuple[str, Any, Any]] = {
    "TIMELINE_DATABASE_URL": ("DATABASE_URL", None, str),
    "TIMELINE_MAX_CONTENT_LENGTH": ("MAX_CONTENT_LENGTH", 2 * 1024 * 1024, int),
    "TIMELINE_PARSE_BUDGET_SECONDS": ("PARSE_BUDGET_SECONDS", 5.0, float),
    "TIMELINE_DEFAULT_PAGE_SIZE": ("DEFAULT_PAGE_SIZE", 50, int),
    "TIMELINE_MAX_PAGE_SIZE": ("MAX_PAGE_SIZE", 500, int),
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
