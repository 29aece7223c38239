"""Articles split over pages and the other URLs of an article: page and print-view URLs, part fetches.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

EMPTY_LIST = sa.text("'[]'")  # the rows already stored have neither


def upgrade() -> None:
    op.add_column("articles", sa.Column("page_urls", sa.JSON(), server_default=EMPTY_LIST, nullable=False))
    op.add_column("articles", sa.Column("print_urls", sa.JSON(), server_default=EMPTY_LIST, nullable=False))
    op.add_column("fetches", sa.Column("part_of", sa.Text(), nullable=True))
    op.add_column("fetches", sa.Column("part_number", sa.Integer(), nullable=True))
    op.create_index("ix_fetches_part_of", "fetches", ["part_of"])


def downgrade() -> None:
    op.drop_index("ix_fetches_part_of", "fetches")
    with op.batch_alter_table("fetches") as table:
        table.drop_column("part_number")
        table.drop_column("part_of")
    with op.batch_alter_table("articles") as table:
        table.drop_column("print_urls")
        table.drop_column("page_urls")
