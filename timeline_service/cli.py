"""The ``timeline-service`` command line: database, seeds, ingestion, serving, plugins."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from .article import RawDocument
from .db import session_scope, upgrade
from .limits import DocumentLimits, LimitExceeded, check_document
from .server import WORKER_CLASSES
from .timeutil import check_publication_time, parse_timestamp

SEEDS = Path(__file__).resolve().parents[1] / "seeds"  # in a checkout of the project


@dataclass(frozen=True)
class Item:
    """One document to ingest and the name to report it by."""

    label: str
    raw: RawDocument | None
    error: str | None = None


class Summary(Counter[str]):
    """Counts of ingested / already present / rejected, with the reasons for rejections."""

    def __init__(self) -> None:
        super().__init__()
        self.reasons: list[str] = []


def ingest_items(items: list[Item], *, label: str = "Ingesting", jobs: int = 1) -> Summary:
    """Ingest the items in batches (one transaction each); a document that is rejected is
    reported and never stops the rest. The API's document limits apply, as over HTTP."""
    from .pipeline import ingest_many

    limits = DocumentLimits.from_config(current_app.config)
    summary = Summary()
    readable = []
    for item in items:
        error = item.error
        if item.raw is not None:
            try:
                check_document(item.raw, limits)
                readable.append(item)
                continue
            except LimitExceeded as exc:
                error = f"{exc.field}: {exc}"
        summary["rejected"] += 1
        summary.reasons.append(f"{item.label}: {error}")
    raws = [item.raw for item in readable if item.raw is not None]
    bar = click.progressbar(length=len(raws), label=label, file=sys.stderr)
    with bar, session_scope() as session:
        outcomes = ingest_many(
            session,
            raws,
            jobs=jobs,
            parse_budget=current_app.config["PARSE_BUDGET_SECONDS"],
            time_budget=limits.seconds,
            with_events=False,  # only counted
        )
        for item, outcome in zip(readable, outcomes, strict=True):  # in order, as committed
            bar.update(1)
            if outcome.result is None:
                summary["rejected"] += 1
                summary.reasons.append(f"{item.label}: {outcome.error}")
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
    fields = {"text", "html", "url", "source", "published_at", "title"}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        label = f"{path.name}:{number}"
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("each line must be a JSON object")
            unknown = set(record) - fields
            if unknown:
                raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
            if isinstance(record.get("published_at"), str):
                record["published_at"] = check_publication_time(
                    parse_timestamp(record["published_at"])
                )
            yield Item(label, RawDocument(**{**defaults, **record}))
        except ValueError as exc:
            yield Item(label, None, str(exc))


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
            items.append(Item(str(file), RawDocument(**{kind: content, **defaults})))
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
            RawDocument(
                text=(folder / entry["file"]).read_text(encoding="utf-8"),
                url=entry.get("url"),
                published_at=date.fromisoformat(entry["published_at"])
                if entry.get("published_at")
                else None,
            ),
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
            defaults["published_at"] = check_publication_time(parse_timestamp(published_at))
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--published-at") from None
    items = collect(paths, defaults)
    if url:
        if len(items) != 1 or items[0].raw is None:
            raise click.BadParameter(
                "--url needs exactly one readable document", param_hint="--url"
            )
        items = [Item(items[0].label, RawDocument(**{**items[0].raw.__dict__, "url": url}))]
    upgrade(current_app.config["DATABASE_URL"])
    summary = ingest_items(items, jobs=jobs)
    report(summary)
    if summary["rejected"] and not (summary["ingested"] or summary["already present"]):
        raise SystemExit(1)


@click.command("plugins")
@with_appcontext
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def plugins_command(as_json: bool) -> None:
    """List installed source plugins: slug, name, version, domains, origin."""
    from dataclasses import asdict

    from .plugins import failed_plugins, list_plugins

    rows = list_plugins()
    if as_json:
        click.echo(json.dumps([asdict(r) for r in rows], indent=2))
        return
    header = ("slug", "name", "version", "domains", "origin")
    table = [header] + [
        (r.slug, r.name, r.version or "-", ", ".join(r.domains) or "-", r.origin) for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    for name, error in failed_plugins().items():
        click.echo(f"failed to load {name}: {error}", err=True)


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
    from .db import engine
    from .server import ServerOptions, serve

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
    from .pipeline import bump_data_version
    from .reresolve import reresolve

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
    from .check import check

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
