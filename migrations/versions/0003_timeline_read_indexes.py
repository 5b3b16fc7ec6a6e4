"""timeline read indexes: order, per-granularity window, actor lookup

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 03:05:00
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_start_at_key", ["start_at", "key"], unique=False)
        batch_op.create_index(
            "ix_events_granularity_start_at_key", ["granularity", "start_at", "key"], unique=False
        )
    with op.batch_alter_table("event_actors", schema=None) as batch_op:
        batch_op.drop_index("ix_event_actors_actor")
        batch_op.create_index("ix_event_actors_actor_event_id", ["actor", "event_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("event_actors", schema=None) as batch_op:
        batch_op.drop_index("ix_event_actors_actor_event_id")
        batch_op.create_index("ix_event_actors_actor", ["actor"], unique=False)
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_granularity_start_at_key")
        batch_op.drop_index("ix_events_start_at_key")
