"""One `fetches` row per archive record: `reprocess` and `ingest-text` recorded every archived response again
on every run (136 rows for 65 records); a unique index on archive_ref now keeps the first.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-14
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# The first row of each record is the one its crawl recorded (with the crawl's run); later ones are re-reads.
DROP_REPEATS = """DELETE FROM fetches WHERE archive_ref IS NOT NULL AND id NOT IN (
    SELECT min(id) FROM fetches WHERE archive_ref IS NOT NULL GROUP BY archive_ref)"""


def upgrade() -> None:
    op.execute(DROP_REPEATS)
    op.create_index("ix_fetches_archive_ref", "fetches", ["archive_ref"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_fetches_archive_ref", "fetches")
