"""Fixtures: an app per test on a clean database, on SQLite and on a real PostgreSQL.

PostgreSQL runs when ``TIMELINE_TEST_POSTGRES_URL`` is set (CI sets it); a set URL that
cannot be reached fails the run rather than skipping it.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from timeline_service import create_app
from timeline_service.store.db import upgrade
from timeline_service.store.models import Base

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
POSTGRES_URL = os.environ.get("TIMELINE_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", "postgres"] if POSTGRES_URL else ["sqlite"]
#: the API key the ``client`` fixture writes with
TEST_API_KEY = "test-key-0123456789abcdef"


def seed_manifest() -> list[dict]:
    return json.loads((SEEDS / "manifest.json").read_text(encoding="utf-8"))


def seed_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (migrating every time is slow)."""
    path = tmp_path_factory.mktemp("template") / "timeline.sqlite"
    upgrade(f"sqlite:///{path}")
    return path


@contextmanager
def scratch_postgres(admin_url: str, prefix: str = "timeline_scratch") -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards (connections and all)."""
    admin_url = make_url(admin_url).set(drivername="postgresql+psycopg")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        pytest.fail(f"PostgreSQL at TIMELINE_TEST_POSTGRES_URL is unreachable: {exc}")
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this run, migrated, dropped at the end."""
    if not POSTGRES_URL:
        pytest.skip("TIMELINE_TEST_POSTGRES_URL not set")
    with scratch_postgres(POSTGRES_URL, "timeline_test") as url:
        upgrade(url)
        yield url


def _truncate(url: str) -> None:
    engine = create_engine(url)
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables if t.name != "data_version")
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        conn.execute(text("UPDATE data_version SET version = 0"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """A clean, migrated database: SQLite, and PostgreSQL when configured."""
    if request.param == "sqlite":
        path = tmp_path / "timeline.sqlite"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_url")
    _truncate(url)
    return url


@pytest.fixture
def app(database_url: str, tmp_path: Path):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "PARSE_BUDGET_SECONDS": 10.0,
            "API_KEYS": TEST_API_KEY,
        }
    )
    app.instance_path = str(tmp_path / "instance")
    yield app
    app.extensions["timeline_db"].kw["bind"].dispose()


@pytest.fixture
def client(app):
    """A client that sends the test API key, so writes are authorised."""
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {TEST_API_KEY}"
    return client


@pytest.fixture
def anon_client(app):
    """A client without credentials: reads as the public does."""
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def seeded(app, runner):
    """The app with the five seed articles loaded through the CLI."""
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    return app
