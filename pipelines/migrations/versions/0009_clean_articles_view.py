"""The `clean_articles` view carries the story's attachments and the article columns added since 0001 (its
later pages, print views, date witnesses, page encoding): readers no longer join `articles` for them.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-15
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# The view as 0001 created it; the definition is repeated here because a migration must not change when a
# later one does.
OLD_COLUMNS = """
    c.id AS cluster_id, a.id AS article_id, s.name AS site, a.canonical_url, a.url, a.title, a.subtitle,
    a.authors, a.source, a.site_name, a.category, a.published_at, a.date_precision, a.date_source,
    a.editors, a.photographers, a.summary, a.body, a.keywords, a.extractor_version,
    a.first_seen_at, a.last_seen_at,
    (SELECT count(*) FROM cluster_members m WHERE m.cluster_id = c.id) AS copies"""
NEW_COLUMNS = f"""{OLD_COLUMNS},
    a.attachments, a.page_urls, a.print_urls, a.date_candidates, a.encoding, a.encoding_source,
    a.encoding_errors"""
VIEW_FROM = """
    FROM clusters c
    JOIN articles a ON a.id = c.canonical_article_id
    JOIN sites s ON s.id = a.site_id"""
STORY_URLS = """
    SELECT DISTINCT u.url FROM article_urls u JOIN cluster_members m ON m.article_id = u.article_id
    WHERE m.cluster_id = c.id ORDER BY u.url"""
URLS = {
    "sqlite": f"(SELECT json_group_array(url) FROM ({STORY_URLS})) AS urls",
    "postgresql": f"array_to_json(ARRAY({STORY_URLS})) AS urls",
}


def _recreate(columns: str) -> None:
    op.execute("DROP VIEW clean_articles")
    op.execute(f"CREATE VIEW clean_articles AS SELECT {columns}, {URLS[op.get_bind().dialect.name]} {VIEW_FROM}")


def upgrade() -> None:
    _recreate(NEW_COLUMNS)


def downgrade() -> None:
    _recreate(OLD_COLUMNS)
