"""The database: engines with the per-backend settings the service relies on, Alembic
migrations, and the time budget of a write."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session


def _migrations() -> Path:
    """Alembic's scripts: the package ``timeline_service.migrations`` (the checkout's
    ``migrations/``, installed inside the package), or the checkout's folder itself."""
    try:
        from .. import migrations
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


# ------------------------------------------------------------------ the store budget


class StoreBudgetExceeded(Exception):
    """Storing a document (the merge and its writes) took longer than its budget; the
    transaction was rolled back, so nothing of the document is stored."""


_DEADLINE = "timeline_store_deadline"


def check_deadline(session: Session) -> None:
    """Raise :class:`StoreBudgetExceeded` if the session's store budget is spent: the
    merge calls it between units of work, so its pure-Python loops are bounded too."""
    deadline = session.info.get(_DEADLINE)
    if deadline is not None and time.monotonic() > deadline:
        raise StoreBudgetExceeded("storing the document took longer than its budget")


@contextmanager
def store_budget(session: Session, seconds: float | None) -> Iterator[None]:
    """Bound the store phase of one write to ``seconds``, lock waits included.

    Three guards, since no one of them sees everything: :func:`check_deadline` in the
    merge's loops, PostgreSQL's ``statement_timeout`` for the transaction, and SQLite's
    progress handler, which interrupts a statement running past the deadline. The caller
    rolls back on the exception, so an overrun leaves no trace.
    """
    if not seconds:
        yield
        return
    deadline = time.monotonic() + seconds
    connection = session.connection()
    driver = connection.connection.driver_connection
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        driver.set_progress_handler(lambda: time.monotonic() > deadline, 20_000)
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SET LOCAL statement_timeout = {max(1, int(seconds * 1000))}")
    session.info[_DEADLINE] = deadline
    try:
        yield
    except DBAPIError as exc:
        if time.monotonic() > deadline:
            raise StoreBudgetExceeded(
                f"storing the document took longer than {seconds:g} s"
            ) from exc
        raise
    finally:
        session.info.pop(_DEADLINE, None)
        if sqlite:
            driver.set_progress_handler(None, 0)
