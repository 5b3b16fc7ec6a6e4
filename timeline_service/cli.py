"""The ``timeline-service`` command line: database, seeds, ingestion, serving, plugins."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from .pipeline.limits import DocumentLimits, LimitExceeded, check_document
from .sdk import RawDocument
from .server import WORKER_CLASSES
from .store.db import upgrade
from .temporal.timestamps import check_publication_time, parse_timestamp
from .web.database import session_scope
from .web.schemas import load_document

SEEDS = Path(__file__).resolve().parents[1] / "seeds"  # in a checkout of the project


@dataclass(frozen=True)
class Item:
    """One document to ingest, as the API would receive it, and the name to report it by;
    ``error`` when it could not even be read."""

    label: str
    data: dict[str, Any] | None
    error: str | None = None


class Summary(Counter[str]):
    """Counts of ingested / already present / rejected, with the reasons for rejections."""

    def __init__(self) -> None:
        super().__init__()
        self.reasons: list[str] = []

    def reject(self, label: str, reason: str) -> None:
        self["rejected"] += 1
        self.reasons.append(f"{label}: {reason}")


def ingest_items(items: list[Item], *, label: str = "Ingesting", jobs: int = 1) -> Summary:
    """Ingest the items in batches (one transaction each); a document that is rejected is
    reported and never stops the rest. Each is checked as the API checks a post: the same
    schema (:func:`~.web.schemas.load_document`) and the same document limits."""
    from .pipeline.ingest import ingest_many

    limits = DocumentLimits.from_config(current_app.config)
    summary = Summary()
    readable: list[tuple[Item, RawDocument]] = []
    for item in items:
        try:
            if item.data is None:
                raise ValueError(item.error)
            raw = load_document(item.data)
            check_document(raw, limits)
        except LimitExceeded as exc:
            summary.reject(item.label, f"{exc.field}: {exc}")
        except ValueError as exc:  # DocumentInvalid names the fields
            summary.reject(item.label, str(exc))
        else:
            readable.append((item, raw))
    bar = click.progressbar(length=len(readable), label=label, file=sys.stderr)
    with bar, session_scope() as session:
        outcomes = ingest_many(
            session,
            [raw for _, raw in readable],
            jobs=jobs,
            parse_budget=current_app.config["PARSE_BUDGET_SECONDS"],
            time_budget=limits.seconds,
            with_events=False,  # only counted
        )
        for (item, _), outcome in zip(readable, outcomes, strict=True):  # as committed
            bar.update(1)
            if outcome.result is None:
                summary.reject(item.label, str(outcome.error))
            else:
                summary["ingested" if outcome.result.created else "already present"] += 1
    return summary


def report(summary: Summary) -> None:
    click.echo(
        f"ingested: {summary['ingested']}, already present: {summary['already present']}, "
        f"rejected: {summary['rejected']}"
    )
    for reason in summary.reasons:
        click.echo(f"  rejected {reason}")


def _jsonl_items(path: Path, defaults: dict[str, Any]) -> Iterator[Item]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        label = f"{path.name}:{number}"
        try:
            record = json.loads(line)
        except ValueError as exc:
            yield Item(label, None, f"not JSON: {exc}")
            continue
        if not isinstance(record, dict):
            yield Item(label, None, "each line must be a JSON object")
            continue
        yield Item(label, {**defaults, **record})


def collect(paths: tuple[Path, ...], defaults: dict[str, Any]) -> list[Item]:
    """Files, folders (their .txt/.html/.htm/.jsonl files) and JSON-lines files as items."""
    items: list[Item] = []
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            suffix = file.suffix.lower()
            if suffix in (".jsonl", ".ndjson"):
                items.extend(_jsonl_items(file, defaults))
                continue
            if path.is_dir() and suffix not in (".txt", ".html", ".htm"):
                continue
            try:
                content = file.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError) as exc:
                items.append(Item(str(file), None, f"unreadable: {exc}"))
                continue
            kind = "html" if suffix in (".html", ".htm") else "text"
            items.append(Item(str(file), {kind: content, **defaults}))
    return items


def seed_items(folder: Path = SEEDS) -> list[Item]:
    """The seed articles with the URL and publication date their manifest records."""
    if not (folder / "manifest.json").is_file():
        raise click.ClickException(
            f"no seed articles at {folder}: they come with a checkout of the project, "
            "not with an installed package (seed --dir loads them from a checkout)"
        )
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return [
        Item(
            entry["file"],
            {
                "text": (folder / entry["file"]).read_text(encoding="utf-8"),
                **{k: entry[k] for k in ("url", "published_at") if entry.get(k)},
            },
        )
        for entry in manifest
    ]


# ----------------------------------------------------------------------------- commands

db_cli = AppGroup("db", help="Manage the database schema.")


@db_cli.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Create or migrate the schema with Alembic."""
    upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"database at {revision}")


@click.command("seed")
@with_appcontext
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=SEEDS,
    show_default=True,
    help="The folder of seed articles and their manifest.json.",
)
def seed_command(folder: Path) -> None:
    """Load the seed articles (idempotent: a second run adds nothing)."""
    upgrade(current_app.config["DATABASE_URL"])
    report(ingest_items(seed_items(folder), label="Seeding"))


@click.command("ingest")
@with_appcontext
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--source", help="Source plugin slug for every document.")
@click.option("--published-at", help="Publication date or timestamp (ISO 8601).")
@click.option("--url", help="Original URL (for a single document).")
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Processes preparing documents (parse, dates, extraction) while others are stored.",
)
def ingest_command(
    paths: tuple[Path, ...],
    source: str | None,
    published_at: str | None,
    url: str | None,
    jobs: int,
) -> None:
    """Ingest files, folders or JSON-lines files of documents."""
    defaults: dict[str, Any] = {}
    if source:
        defaults["source"] = source
    if published_at:
        try:
            check_publication_time(parse_timestamp(published_at))
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--published-at") from None
        defaults["published_at"] = published_at
    items = collect(paths, defaults)
    if url:
        if len(items) != 1 or items[0].data is None:
            raise click.BadParameter(
                "--url needs exactly one readable document", param_hint="--url"
            )
        items = [Item(items[0].label, {**items[0].data, "url": url})]
    upgrade(current_app.config["DATABASE_URL"])
    summary = ingest_items(items, jobs=jobs)
    report(summary)
    if summary["rejected"] and not (summary["ingested"] or summary["already present"]):
        raise SystemExit(1)


@click.command("plugins")
@with_appcontext
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
def plugins_command(as_json: bool) -> None:
    """List every plugin with its hooks and what it provides, then the installed sources."""
    from dataclasses import asdict

    from .plugins import failed_plugins, list_plugins, list_sources

    plugins, sources = list_plugins(), list_sources()
    if as_json:
        data = {"plugins": [asdict(p) for p in plugins], "sources": [asdict(s) for s in sources]}
        click.echo(json.dumps(data, indent=2))
        return
    _table(
        ("plugin", "origin", "version", "hooks", "provides"),
        [(p.name, p.origin, p.version or "-", ", ".join(p.hooks), _provides(p)) for p in plugins],
    )
    click.echo()
    _table(
        ("source", "name", "domains", "plugin"),
        [(s.slug, s.name, ", ".join(s.domains) or "-", s.plugin) for s in sources],
    )
    for name, error in failed_plugins().items():
        click.echo(f"failed to load {name}: {error}", err=True)


def _provides(plugin: Any) -> str:
    parts = []
    if plugin.sources:
        parts.append("sources: " + ", ".join(plugin.sources))
    if plugin.formats:
        parts.append("formats: " + ", ".join(plugin.formats))
    if plugin.actor_aliases:
        parts.append(f"actor aliases: {plugin.actor_aliases}")
    return "; ".join(parts) or "-"


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


@click.command("serve")
@with_appcontext
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(min=1))
@click.option(
    "--worker-class",
    type=click.Choice(WORKER_CLASSES),
    default="gevent",
    show_default=True,
    help="gevent: slow and idle clients cost a greenlet, not a worker; sync: one request "
    "per process at a time.",
)
@click.option(
    "--client-timeout",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Seconds a gevent worker waits on one read from a client before dropping it.",
)
@click.option("--seed", is_flag=True, help="Load the seed articles before serving.")
def serve_command(
    host: str, port: int, workers: int, worker_class: str, client_timeout: int, seed: bool
) -> None:
    """Migrate the database and serve the API with gunicorn."""
    upgrade(current_app.config["DATABASE_URL"])
    if seed:
        report(ingest_items(seed_items(), label="Seeding"))
    from .server import ServerOptions, serve
    from .web.database import engine

    engine().dispose()  # no connection of this process may be shared by forked workers
    serve(
        ServerOptions(
            host=host,
            port=port,
            workers=workers,
            worker_class=worker_class,
            client_timeout=client_timeout,
        )
    )


@click.command("new-plugin")
@click.argument("name")
@click.option(
    "--dest",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder to create the plugin package in.",
)
def new_plugin_command(name: str, dest: Path) -> None:
    """Scaffold a pip-installable source plugin package that passes the conformance kit."""
    from .scaffold import create_plugin

    try:
        folder = create_plugin(name, dest)
    except (ValueError, FileExistsError) as exc:
        raise click.BadParameter(str(exc), param_hint="NAME") from None
    click.echo(f"created {folder}")
    click.echo(f"next: pip install -e {folder} && pytest {folder}")


@click.command("reresolve")
@with_appcontext
@click.option("--document", "documents", type=int, multiple=True, help="Only this document.")
@click.option("--dry-run", is_flag=True, help="Report what would move; change nothing.")
def reresolve_command(documents: tuple[int, ...], dry_run: bool) -> None:
    """Re-date every stored claim with the current date engine and report what moved."""
    from .pipeline.ingest import bump_data_version
    from .pipeline.reresolve import reresolve

    with session_scope() as session:
        report = reresolve(session, document_ids=documents or None)
        if dry_run:
            session.rollback()
        elif report.moved:
            bump_data_version(session)
    click.echo(report.summary())
    if dry_run:
        click.echo("dry run: nothing changed")


@click.command("check")
@with_appcontext
def check_command() -> None:
    """Verify every event is supported by stored mentions and every mention by a document."""
    from .store.check import check

    with session_scope() as session:
        problems = check(session)
    for problem in problems:
        click.echo(f"{problem.kind}: {problem.detail}")
    click.echo(f"{len(problems)} problems found" if problems else "consistent")
    if problems:
        raise SystemExit(1)


def init_app(app: Flask) -> None:
    """Register the commands on ``app.cli`` too, for ``flask --app timeline_service ...``."""
    for command in COMMANDS:
        app.cli.add_command(command)


COMMANDS: list[click.Command] = [
    db_cli,
    seed_command,
    ingest_command,
    plugins_command,
    serve_command,
    check_command,
    new_plugin_command,
    reresolve_command,
]


class _AppCommandGroup(click.Group):
    """Runs every command inside an application context of a freshly created app."""

    def invoke(self, ctx: click.Context) -> Any:
        from . import create_app

        with create_app().app_context():
            return super().invoke(ctx)


main = _AppCommandGroup(name="timeline-service", help=__doc__)
for _command in COMMANDS:
    main.add_command(_command)
