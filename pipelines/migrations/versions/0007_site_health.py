"""Site health (issue 15): each run's health status, its one-line reason and the signals it was judged on.

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-12
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # runs recorded before were never judged: null, and later runs judge on absolute signals until they have history
    op.add_column("crawl_runs", sa.Column("health", sa.String(20), nullable=True))
    op.add_column("crawl_runs", sa.Column("health_reason", sa.Text(), nullable=True))
    op.add_column("crawl_runs", sa.Column("health_signals", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("crawl_runs") as table:
        table.drop_column("health_signals")
        table.drop_column("health_reason")
        table.drop_column("health")
