"""Alembic environment: always run programmatically on a connection passed in by ``migrate``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from tokenfutures.storage.migrate import VERSION_TABLE

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("run migrations through tokenfutures.storage.migrate, with a connection")
context.configure(connection=connection, version_table=VERSION_TABLE)
with context.begin_transaction():
    context.run_migrations()
