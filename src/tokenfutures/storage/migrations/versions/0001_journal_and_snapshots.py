"""Command journal, event log (gap-free seq, idempotency keys) and snapshots.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# INTEGER PRIMARY KEY makes the sequence number SQLite's rowid: one b-tree per table.
SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    for name in ("journal", "event_log"):
        op.create_table(
            name,
            sa.Column("seq", SEQ, nullable=False, autoincrement=False),
            sa.Column("ts_us", sa.BigInteger, nullable=False),
            sa.Column("kind", sa.String(64), nullable=False),
            sa.Column("payload", sa.Text, nullable=False),
            sa.Column("key_account", sa.String(128)),
            sa.Column("key_client_order_id", sa.String(128)),
            sa.PrimaryKeyConstraint("seq", name=f"pk_{name}"),
            sa.CheckConstraint("seq > 0", name=f"ck_{name}_seq_positive"),
            sa.UniqueConstraint("key_account", "key_client_order_id", name=f"uq_{name}_key"),
        )
    op.create_table(
        "snapshot",
        sa.Column("seq", SEQ, nullable=False, autoincrement=False),
        sa.Column("state_hash", sa.String(128), nullable=False),
        sa.Column("blob", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_snapshot"),
    )


def downgrade() -> None:
    for name in ("snapshot", "event_log", "journal"):
        op.drop_table(name)
