"""event_actors repeat their event's granularity, interval and key, indexed in timeline order

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 06:50:00

An actor filter then reads one index range per granularity in (start_at, key) order and
stops when the page is full, instead of collecting every event of the actor.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COLUMNS = ("granularity", "start_at", "end_at", "key")


def upgrade() -> None:
    with op.batch_alter_table("event_actors", schema=None) as batch_op:
        batch_op.add_column(sa.Column("granularity", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("start_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("end_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("key", sa.String(length=40), nullable=True))
    # UPDATE ... FROM: PostgreSQL, and SQLite since 3.33
    op.execute(
        "UPDATE event_actors SET granularity = e.granularity, start_at = e.start_at, "
        "end_at = e.end_at, key = e.key FROM events AS e WHERE e.id = event_actors.event_id"
    )
    with op.batch_alter_table("event_actors", schema=None) as batch_op:
        batch_op.alter_column("granularity", existing_type=sa.String(length=16), nullable=False)
        batch_op.alter_column("start_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.alter_column("end_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.alter_column("key", existing_type=sa.String(length=40), nullable=False)
        batch_op.drop_index("ix_event_actors_actor_event_id")
        batch_op.create_index(
            "ix_event_actors_actor_granularity_start_at_key",
            ["actor", "granularity", "start_at", "key", "end_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("event_actors", schema=None) as batch_op:
        batch_op.drop_index("ix_event_actors_actor_granularity_start_at_key")
        batch_op.create_index("ix_event_actors_actor_event_id", ["actor", "event_id"], unique=False)
        for column in reversed(COLUMNS):
            batch_op.drop_column(column)
