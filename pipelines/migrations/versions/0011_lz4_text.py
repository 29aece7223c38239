"""PostgreSQL compresses the long text columns (an article's body, its search words) with lz4 instead of pglz:
pglz spent more of the server's CPU a load than storing the row (it tries a body of Chinese text and gives up
on it, 2.5 kB stored as 2.5 kB), lz4 compresses what it can several times faster. Rows stored before keep
their compression until rewritten; a server built without lz4, and SQLite, are left as they are.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-16
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

LONG_TEXT = {"articles": ("body",), "article_search": ("title_tokens", "body_tokens", "terms")}


def _set_compression(method: str) -> None:
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    methods = connection.execute(sa.text(
        "SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'")).scalar()
    if method not in (methods or ()):
        return
    for table, columns in LONG_TEXT.items():
        op.execute(f"ALTER TABLE {table} " + ", ".join(f"ALTER COLUMN {c} SET COMPRESSION {method}" for c in columns))


def upgrade() -> None:
    _set_compression("lz4")


def downgrade() -> None:
    _set_compression("pglz")
