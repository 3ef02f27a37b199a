"""Alembic environment: runs against the connection handed over by medtrust.storage.migrate."""

from __future__ import annotations

from alembic import context

from medtrust.storage import model_registry  # noqa: F401  (registers every table)
from medtrust.storage.base import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through 'medtrust db upgrade'")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
