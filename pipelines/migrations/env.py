"""Alembic environment: `pipelines.store` runs it programmatically with an open connection (no alembic.ini).

New revisions are written by hand in versions/ (next number, `down_revision` = the newest one); change
`pipelines/models.py` to match: tests/pipelines/test_store.py compares the migrated schema with the models.
"""

from __future__ import annotations

from alembic import context

from pipelines.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through pipelines.store.Store (it passes an open connection)")

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
