"""The app's database: its engine and session factory (:func:`init_app`), the request's
session (closed at teardown: rolled back, identity map dropped), and a session for work
outside a request (the CLI)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask, current_app, g
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ..store.db import make_engine


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
