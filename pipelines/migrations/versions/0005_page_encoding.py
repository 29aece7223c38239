"""Page encoding: the charset an article's bytes were decoded with, why, and how many bytes were undecodable
(issue 14).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # rows stored before were decoded without a record of how: unknown (null) until `dangjian reprocess`
    op.add_column("articles", sa.Column("encoding", sa.String(40), nullable=True))
    op.add_column("articles", sa.Column("encoding_source", sa.String(40), nullable=True))
    op.add_column("articles", sa.Column("encoding_errors", sa.Integer(), server_default=sa.text("0"),
                                        nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("articles") as table:
        table.drop_column("encoding_errors")
        table.drop_column("encoding_source")
        table.drop_column("encoding")
