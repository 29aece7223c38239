"""Date candidates: the other dates an article's page or list item named, kept for audit (issue 19).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

EMPTY_LIST = sa.text("'[]'")  # rows stored before were dated without keeping the losing witnesses


def upgrade() -> None:
    op.add_column("articles", sa.Column("date_candidates", sa.JSON(), server_default=EMPTY_LIST, nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("articles") as table:
        table.drop_column("date_candidates")
