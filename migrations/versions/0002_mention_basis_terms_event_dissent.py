"""mention date basis, terms and (granularity, start_at) index; event dissent

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 02:53:46.420859
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("dissent", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )

    with op.batch_alter_table("mentions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("basis", sa.String(length=16), nullable=False, server_default="expression")
        )
        batch_op.add_column(
            sa.Column("terms", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch_op.create_index(
            "ix_mentions_granularity_start_at", ["granularity", "start_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("mentions", schema=None) as batch_op:
        batch_op.drop_index("ix_mentions_granularity_start_at")
        batch_op.drop_column("terms")
        batch_op.drop_column("basis")

    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("dissent")
