"""merge_keys: the index merging finds candidate mentions through

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 06:00:00

One row per key of a mention's signature (a speech act's content terms, head and thread;
another event's head in its family) in its block (local day, or coarse date value),
indexed by (key, fine, block) and by (block, fine). Existing mentions
are indexed from their stored ``terms``, as the service computes keys (see
``timeline_service.events.similarity.merge_keys``); the rules are repeated here so that
the migration does not depend on code that may change after it.
"""

from __future__ import annotations

import json
import re

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

FINE = {"day", "part_of_day", "time", "hour", "minute", "second"}
GENERIC = {"c:negative", "c:troops", "c:war", "c:border", "c:launch"}
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


SPEECH = {"statement", "accusation", "threat"}


def _rows(
    mention_id: int, document_id: int, value: str, granularity: str, kind: str, terms: list[str]
) -> list[dict]:
    fine = granularity in FINE or bool(DAY.match(value))
    block = value[:10] if fine else value
    family = "speech" if kind in SPEECH else kind
    content = {t for t in terms if not t.startswith(("h:", "p:"))}
    total = sum(0.5 if t in GENERIC else 1.0 for t in content)
    keys: dict[str, float] = {}
    if family == "speech":
        keys = {f"s|{t}"[:200]: (0.5 if t in GENERIC else 1.0) for t in content}
    for t in terms:
        if t.startswith("h:"):
            keys[f"h:{family}:{t[2:]}"[:200]] = 0.0
        elif t.startswith("p:") and family == "speech":
            keys[f"p:{document_id}:{t[2:]}"] = 0.0
    return [
        {"mention_id": mention_id, "key": k, "block": block, "fine": fine, "weight": w,
         "total": total}
        for k, w in keys.items()
    ]  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "merge_keys",
        sa.Column("mention_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("block", sa.String(length=40), nullable=False),
        sa.Column("fine", sa.Boolean(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mention_id"], ["mentions.id"],
            name=op.f("fk_merge_keys_mention_id_mentions"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("mention_id", "key", name=op.f("pk_merge_keys")),
    )  # fmt: skip
    op.create_index("ix_merge_keys_key_fine_block", "merge_keys", ["key", "fine", "block"])
    op.create_index("ix_merge_keys_block_fine", "merge_keys", ["block", "fine", "mention_id"])
    bind = op.get_bind()
    table = sa.table(
        "merge_keys",
        *(sa.column(c) for c in ("mention_id", "key", "block", "fine", "weight", "total")),
    )
    read = sa.text(
        "SELECT id, document_id, date_value, granularity, type, terms FROM mentions "
        "WHERE id > :last ORDER BY id LIMIT 2000"
    )
    last = 0
    while rows := bind.execute(read, {"last": last}).all():
        batch: list[dict] = []
        for mention_id, document_id, value, granularity, kind, terms in rows:
            if isinstance(terms, str):
                terms = json.loads(terms)
            batch += _rows(mention_id, document_id, value, granularity, kind, list(terms or []))
        if batch:
            bind.execute(table.insert(), batch)
        last = rows[-1][0]


def downgrade() -> None:
    op.drop_index("ix_merge_keys_key_fine_block", table_name="merge_keys")
    op.drop_index("ix_merge_keys_block_fine", table_name="merge_keys")
    op.drop_table("merge_keys")
