"""The schema comes from Alembic, and the models and migrations agree on every backend."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from timeline_service.store.db import make_engine
from timeline_service.store.models import FULL_TEXT_OBJECTS, Base, include_name


def test_migrations_match_models(database_url):
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_name": include_name}
            )
            assert compare_metadata(context, Base.metadata) == []
            tables = set(inspect(conn).get_table_names())
    finally:
        engine.dispose()
    tables = {t for t in tables if not t.startswith(FULL_TEXT_OBJECTS)}
    assert set(Base.metadata.tables) | {"alembic_version"} == tables


def test_db_upgrade_command_creates_schema(tmp_path):
    from timeline_service import create_app

    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    app = create_app({"DATABASE_URL": url})
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    engine = make_engine(url)
    try:
        assert "documents" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
        app.extensions["timeline_db"].kw["bind"].dispose()


def test_migrations_and_the_contract_are_found_through_the_package():
    """What a non-editable install ships: ``timeline_service.migrations`` is the checkout's
    ``migrations/``, and the package's ``openapi.yaml`` is the top-level one."""
    from pathlib import Path

    import timeline_service
    from timeline_service import migrations
    from timeline_service.store.db import MIGRATIONS
    from timeline_service.web.api.meta import OPENAPI

    root = Path(__file__).resolve().parents[1]
    assert Path(migrations.__file__).resolve().parent == MIGRATIONS == root / "migrations"
    assert (MIGRATIONS / "env.py").is_file() and any((MIGRATIONS / "versions").glob("0001_*.py"))
    assert OPENAPI.parent == Path(timeline_service.__file__).resolve().parent
    assert OPENAPI.read_bytes() == (root / "openapi.yaml").read_bytes()
