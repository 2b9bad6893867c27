"""Double-entry ledger whose balance the database enforces, and hashed API keys.

Revision ID: 0002
Revises: 0001

SQLite has no deferred triggers, so an entry is *sealed*: its postings are inserted first,
then the entry row, whose insert trigger refuses unless the postings sum to zero; postings
of a sealed entry can no longer be added, changed or deleted, and a deferred foreign key
refuses postings whose entry never comes. PostgreSQL checks each entry's sum in a deferred
constraint trigger at commit. On both, postings are immutable.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ENTRY_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

SQLITE_TRIGGERS = (
    """CREATE TRIGGER ledger_entry_balanced BEFORE INSERT ON ledger_entry
    WHEN (SELECT count(*) FROM ledger_posting WHERE entry_id = NEW.entry_id) < 2
      OR (SELECT sum(amount_micros) FROM ledger_posting WHERE entry_id = NEW.entry_id) <> 0
    BEGIN SELECT RAISE(ABORT, 'unbalanced ledger entry: postings must sum to zero'); END""",
    """CREATE TRIGGER ledger_posting_sealed BEFORE INSERT ON ledger_posting
    WHEN EXISTS (SELECT 1 FROM ledger_entry WHERE entry_id = NEW.entry_id)
    BEGIN SELECT RAISE(ABORT, 'unbalanced ledger entry: the entry is sealed'); END""",
    """CREATE TRIGGER ledger_posting_no_update BEFORE UPDATE ON ledger_posting
    BEGIN SELECT RAISE(ABORT, 'ledger postings are immutable'); END""",
    """CREATE TRIGGER ledger_posting_no_delete BEFORE DELETE ON ledger_posting
    BEGIN SELECT RAISE(ABORT, 'ledger postings are immutable'); END""",
)

POSTGRES_TRIGGERS = (
    """CREATE FUNCTION ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE total numeric; legs bigint;
    BEGIN
      SELECT coalesce(sum(amount_micros), 0), count(*) INTO total, legs
        FROM ledger_posting WHERE entry_id = NEW.entry_id;
      IF total <> 0 OR legs < 2 THEN
        RAISE EXCEPTION 'unbalanced ledger entry %: postings sum to %', NEW.entry_id, total
          USING ERRCODE = 'check_violation';
      END IF;
      RETURN NULL;
    END $$""",
    """CREATE CONSTRAINT TRIGGER ledger_posting_balanced AFTER INSERT ON ledger_posting
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_balanced()""",
    """CREATE CONSTRAINT TRIGGER ledger_entry_balanced AFTER INSERT ON ledger_entry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_balanced()""",
    """CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'ledger postings are immutable' USING ERRCODE = 'check_violation';
    END $$""",
    """CREATE TRIGGER ledger_posting_immutable BEFORE UPDATE OR DELETE ON ledger_posting
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()""",
)


def upgrade() -> None:
    op.create_table(
        "ledger_entry",
        sa.Column("entry_id", ENTRY_ID, nullable=False, autoincrement=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("entry_id", name="pk_ledger_entry"),
    )
    op.create_table(
        "ledger_posting",
        sa.Column("entry_id", sa.BigInteger, nullable=False),
        sa.Column("leg", sa.BigInteger, nullable=False),
        sa.Column("account", sa.String(128), nullable=False),
        sa.Column("amount_micros", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("entry_id", "leg", name="pk_ledger_posting"),
        sa.CheckConstraint("amount_micros <> 0", name="ck_ledger_posting_nonzero"),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["ledger_entry.entry_id"],
            name="fk_ledger_posting_entry",
            deferrable=True,
            initially="DEFERRED",
        ),
    )
    op.create_index("ix_ledger_posting_account", "ledger_posting", ["account"])
    triggers = SQLITE_TRIGGERS if op.get_bind().dialect.name == "sqlite" else POSTGRES_TRIGGERS
    for statement in triggers:
        op.execute(statement)
    op.create_table(
        "api_key",
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("account", sa.String(128), nullable=False),
        sa.Column("salt", sa.LargeBinary, nullable=False),
        sa.Column("digest", sa.LargeBinary, nullable=False),
        sa.Column("revoked", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("key_id", name="pk_api_key"),
    )


def downgrade() -> None:
    op.drop_table("api_key")
    op.drop_table("ledger_posting")
    op.drop_table("ledger_entry")
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP FUNCTION ledger_check_balanced()")
        op.execute("DROP FUNCTION ledger_refuse_change()")
