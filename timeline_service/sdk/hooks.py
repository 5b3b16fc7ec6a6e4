"""The marker a plugin decorates its hook implementations with (see
:mod:`timeline_service.hookspecs` for the hooks)."""

from __future__ import annotations

import pluggy

#: the project name of the hooks and of the entry point group plugins register under
PROJECT = "timeline_service"

hookimpl = pluggy.HookimplMarker(PROJECT)
