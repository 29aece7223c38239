"""Archive refs relative to the local archive: `fetches` and `articles` named WARC files by absolute path, so
moving the data directory left every ref stale. Refs under the archive root of the environment the migration
runs in become `<site>/<file>.warc.gz#<offset>` (what `pipelines.archive.stored_ref` now records); refs of a
remote archive, or of files elsewhere, stay as they are.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-15
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from pipelines import config

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

UNDER_ROOT = "substr(archive_ref, 1, :length) = :prefix"
# Rows holding a relative ref already (recorded by a newer version before this ran) may be what an absolute
# one rewrites to: they share the fetches.archive_ref unique index.
RELATIVE = "archive_ref NOT LIKE '/%' AND archive_ref NOT LIKE '%://%'"


def upgrade() -> None:
    root = config.local_archive_root()
    if root is None:  # a remote archive: its refs are URLs, which no move of the data directory breaks
        return
    prefix = f"{root.as_posix().rstrip('/')}/"
    under_root = {"length": len(prefix), "prefix": prefix}
    connection = op.get_bind()
    # One row per archive record (0008): of the rows a rewrite makes equal, the lowest id is the one its crawl
    # recorded; the others are re-reads of the same record.
    keeper: dict[str, int] = {}
    repeats, updates = [], []
    rows = connection.execute(sa.text(f"SELECT id, archive_ref FROM fetches WHERE {UNDER_ROOT} OR ({RELATIVE}) "
                                      "ORDER BY id"), under_root)
    for row_id, ref in rows:
        relative = ref[len(prefix):] if ref.startswith(prefix) else ref
        if keeper.setdefault(relative, row_id) != row_id:
            repeats.append({"id": row_id})
        elif relative != ref:
            updates.append({"id": row_id, "ref": relative})
    if repeats:  # first, so that no rewritten ref meets the row it would collide with
        connection.execute(sa.text("DELETE FROM fetches WHERE id = :id"), repeats)
    if updates:
        connection.execute(sa.text("UPDATE fetches SET archive_ref = :ref WHERE id = :id"), updates)
    connection.execute(sa.text(f"UPDATE articles SET archive_ref = substr(archive_ref, :length + 1) WHERE {UNDER_ROOT}"),
                       under_root)


def downgrade() -> None:
    root = config.local_archive_root()
    if root is None:
        return
    prefix = f"{root.as_posix().rstrip('/')}/"
    for table in ("fetches", "articles"):
        op.execute(sa.text(f"UPDATE {table} SET archive_ref = :prefix || archive_ref WHERE {RELATIVE}")
                   .bindparams(prefix=prefix))
