"""Framed journals: one row per appended batch instead of one row per record (ADR 0507).

Revision ID: 0003
Revises: 0002

``journal`` and ``event_log`` (a row per record, a UNIQUE index on the idempotency key)
become ``journal_frame`` and ``event_log_frame``: ``(first_seq, last_seq, ts_us, meta,
payloads)``, one row per group commit. Existing rows are copied into frames of at most
1,000 records (payloads as a JSON array, stamps as offsets), then the old tables are
dropped. The frame format is written out here, not imported, so this script never changes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
OLD = ("journal", "event_log")
COPY_FRAME = 1_000


def _create_frames(name: str) -> None:
    op.create_table(
        f"{name}_frame",
        sa.Column("first_seq", SEQ, nullable=False, autoincrement=False),
        sa.Column("last_seq", sa.BigInteger, nullable=False),
        sa.Column("ts_us", sa.BigInteger, nullable=False),
        sa.Column("meta", sa.Text, nullable=False),
        sa.Column("payloads", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("first_seq", name=f"pk_{name}_frame"),
        sa.CheckConstraint("first_seq > 0 AND last_seq >= first_seq", name=f"ck_{name}_frame_seqs"),
    )


def _frame(rows: Sequence[Any]) -> dict[str, Any]:
    first_us = rows[0].ts_us
    meta: dict[str, Any] = {"kinds": [r.kind for r in rows]}
    if any(r.key_account is not None for r in rows):
        meta["keys"] = [
            None if r.key_account is None else [r.key_account, r.key_client_order_id] for r in rows
        ]
    if any(r.ts_us != first_us for r in rows):
        meta["ts"] = [r.ts_us - first_us for r in rows]
    return {
        "first_seq": rows[0].seq,
        "last_seq": rows[-1].seq,
        "ts_us": first_us,
        "meta": json.dumps(meta, separators=(",", ":")),
        "payloads": json.dumps([r.payload for r in rows], separators=(",", ":")),
    }


def _copy_rows(name: str) -> None:
    bind = op.get_bind()
    old = sa.table(
        name,
        sa.column("seq"),
        sa.column("ts_us"),
        sa.column("kind"),
        sa.column("payload"),
        sa.column("key_account"),
        sa.column("key_client_order_id"),
    )
    new = sa.table(
        f"{name}_frame",
        sa.column("first_seq"),
        sa.column("last_seq"),
        sa.column("ts_us"),
        sa.column("meta"),
        sa.column("payloads"),
    )
    after = 0
    while True:
        rows = bind.execute(
            sa.select(old).where(old.c.seq > after).order_by(old.c.seq).limit(COPY_FRAME)
        ).all()
        if not rows:
            return
        runs, start = [], 0  # a frame holds consecutive seqs only
        for i in range(1, len(rows) + 1):
            if i == len(rows) or rows[i].seq != rows[i - 1].seq + 1:
                runs.append(_frame(rows[start:i]))
                start = i
        bind.execute(new.insert(), runs)
        after = rows[-1].seq


def upgrade() -> None:
    for name in OLD:
        _create_frames(name)
        _copy_rows(name)
        op.drop_table(name)


def downgrade() -> None:
    bind = op.get_bind()
    for name in OLD:
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
        frames = bind.execute(
            sa.text(f"SELECT first_seq, ts_us, meta, payloads FROM {name}_frame ORDER BY 1")
        ).all()
        for first_seq, ts_us, meta_text, payload_text in frames:
            meta = json.loads(meta_text)
            payloads = payload_text.split("\n") if meta.get("lines") else json.loads(payload_text)
            keys = meta.get("keys") or [None] * len(payloads)
            offsets = meta.get("ts") or [0] * len(payloads)
            bind.execute(
                sa.text(f"INSERT INTO {name} VALUES (:seq, :ts_us, :kind, :payload, :acct, :coid)"),
                [
                    {
                        "seq": first_seq + i,
                        "ts_us": ts_us + offsets[i],
                        "kind": meta["kinds"][i],
                        "payload": payloads[i],
                        "acct": None if keys[i] is None else keys[i][0],
                        "coid": None if keys[i] is None else keys[i][1],
                    }
                    for i in range(len(payloads))
                ],
            )
        op.drop_table(f"{name}_frame")
