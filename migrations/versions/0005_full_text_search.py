"""full-text search over event titles and mention sentences

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 07:10:00

SQLite: two FTS5 tables with external content (``events.title``, ``mentions.sentence``,
Porter stemming) kept in step by triggers on the content tables. PostgreSQL: GIN indexes
on ``to_tsvector('english', ...)`` of the same columns. Neither is in the models (see
``models.FULL_TEXT_OBJECTS``); a later migration that rebuilds ``events`` or ``mentions``
on SQLite (batch mode copies the table) must create these triggers again.
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TOKENIZE = "porter unicode61 remove_diacritics 2"
#: (content table, its text column, the full-text table)
INDEXED = (("events", "title", "events_fts"), ("mentions", "sentence", "mentions_fts"))


def _sqlite_statements(table: str, column: str, fts: str) -> list[str]:
    delete = f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column});"
    insert = f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column});"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({column}, content='{table}', "
        f"content_rowid='id', tokenize='{TOKENIZE}')",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {column} ON {table} "
        f"WHEN old.{column} IS NOT new.{column} BEGIN {delete} {insert} END",
    ]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, column, fts in INDEXED:
        if sqlite:
            for statement in _sqlite_statements(table, column, fts):
                op.execute(statement)
        else:
            op.execute(
                f"CREATE INDEX ix_{table}_{column}_search ON {table} "
                f"USING gin (to_tsvector('english', {column}))"
            )


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, column, fts in INDEXED:
        if sqlite:
            for suffix in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {fts}")
        else:
            op.execute(f"DROP INDEX IF EXISTS ix_{table}_{column}_search")
