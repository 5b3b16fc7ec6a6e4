"""Database engine and sessions, attached to the Flask app with :func:`init_app`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


def _migrations() -> Path:
    """Alembic's scripts: the package ``timeline_service.migrations`` (the checkout's
    ``migrations/``, installed inside the package), or the checkout's folder itself."""
    try:
        from . import migrations
    except ImportError:  # run from a checkout that was never installed
        return Path(__file__).resolve().parents[1] / "migrations"
    return Path(migrations.__file__).resolve().parent


MIGRATIONS = _migrations()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine with the per-backend settings the service relies on.

    SQLite gets foreign keys (document deletion cascades to mentions), WAL (readers do
    not block the writer), a busy timeout (concurrent writers wait instead of failing) and
    memory-mapped reads of the first 256 MiB: merging reads the index pages around each
    ingested day, and through the map they come from the one OS page cache that every
    connection and worker shares, rather than from each connection's small private cache.
    """
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": 30})
        engine = create_engine(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA mmap_size=268435456")
            cur.close()

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def default_url(app: Flask) -> str:
    return f"sqlite:///{Path(app.instance_path) / 'timeline.sqlite'}"


def init_app(app: Flask) -> None:
    """Create the app's engine and session factory, and close sessions after requests."""
    url = app.config.get("DATABASE_URL") or default_url(app)
    app.config["DATABASE_URL"] = url
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    app.extensions["timeline_db"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def engine() -> Engine:
    factory: sessionmaker[Session] = current_app.extensions["timeline_db"]
    return factory.kw["bind"]


def get_session() -> Session:
    """The request's session, opened on first use and closed at teardown."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["timeline_db"]()
    return g.db_session


@contextmanager
def session_scope() -> Iterator[Session]:
    """A fresh session for work outside a request (CLI), committed or rolled back whole."""
    session: Session = current_app.extensions["timeline_db"]()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at ``url`` to ``revision`` with Alembic."""
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config
