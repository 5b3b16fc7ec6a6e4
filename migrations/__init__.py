"""Alembic's environment and versions, installed as ``timeline_service.migrations``."""
