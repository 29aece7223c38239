"""Initial schema: sites, crawl runs, fetches, articles, URLs, images, clusters, LSH index, search, view.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)

SQLITE_SEARCH = [
    """CREATE VIRTUAL TABLE article_fts USING fts5(
        title_tokens, body_tokens, terms, content='article_search', content_rowid='article_id')""",
    """CREATE TRIGGER article_search_ai AFTER INSERT ON article_search BEGIN
        INSERT INTO article_fts(rowid, title_tokens, body_tokens, terms)
        VALUES (new.article_id, new.title_tokens, new.body_tokens, new.terms); END""",
    """CREATE TRIGGER article_search_ad AFTER DELETE ON article_search BEGIN
        INSERT INTO article_fts(article_fts, rowid, title_tokens, body_tokens, terms)
        VALUES ('delete', old.article_id, old.title_tokens, old.body_tokens, old.terms); END""",
    """CREATE TRIGGER article_search_au AFTER UPDATE ON article_search BEGIN
        INSERT INTO article_fts(article_fts, rowid, title_tokens, body_tokens, terms)
        VALUES ('delete', old.article_id, old.title_tokens, old.body_tokens, old.terms);
        INSERT INTO article_fts(rowid, title_tokens, body_tokens, terms)
        VALUES (new.article_id, new.title_tokens, new.body_tokens, new.terms); END""",
]
POSTGRES_SEARCH = [
    """CREATE INDEX ix_article_search_document ON article_search USING gin (
        to_tsvector('simple', title_tokens || ' ' || body_tokens || ' ' || terms))""",
]

# One row per story: the canonical copy, how many copies exist and every URL any copy was seen at.
VIEW_COLUMNS = """
    c.id AS cluster_id, a.id AS article_id, s.name AS site, a.canonical_url, a.url, a.title, a.subtitle,
    a.authors, a.source, a.site_name, a.category, a.published_at, a.date_precision, a.date_source,
    a.editors, a.photographers, a.summary, a.body, a.keywords, a.extractor_version,
    a.first_seen_at, a.last_seen_at,
    (SELECT count(*) FROM cluster_members m WHERE m.cluster_id = c.id) AS copies"""
VIEW_FROM = """
    FROM clusters c
    JOIN articles a ON a.id = c.canonical_article_id
    JOIN sites s ON s.id = a.site_id"""
STORY_URLS = """
    SELECT DISTINCT u.url FROM article_urls u JOIN cluster_members m ON m.article_id = u.article_id
    WHERE m.cluster_id = c.id ORDER BY u.url"""
CLEAN_ARTICLES = {
    "sqlite": f"""CREATE VIEW clean_articles AS SELECT {VIEW_COLUMNS},
        (SELECT json_group_array(url) FROM ({STORY_URLS})) AS urls {VIEW_FROM}""",
    "postgresql": f"""CREATE VIEW clean_articles AS SELECT {VIEW_COLUMNS},
        array_to_json(ARRAY({STORY_URLS})) AS urls {VIEW_FROM}""",
}


def upgrade() -> None:
    op.create_table(
        "sites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sites"),
        sa.UniqueConstraint("name", name="uq_sites_name"),
    )
    op.create_table(
        "crawl_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("finished_at", TS, nullable=True),
        sa.Column("stats", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name="fk_crawl_runs_site_id_sites"),
        sa.PrimaryKeyConstraint("id", name="pk_crawl_runs"),
    )
    op.create_index("ix_crawl_runs_site_id", "crawl_runs", ["site_id"])
    op.create_table(
        "fetches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("fetched_at", TS, nullable=True),
        sa.Column("archive_ref", sa.Text(), nullable=True),
        sa.Column("list_url", sa.Text(), nullable=True),
        sa.Column("content_type", sa.String(200), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["crawl_runs.id"], name="fk_fetches_run_id_crawl_runs"),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name="fk_fetches_site_id_sites"),
        sa.PrimaryKeyConstraint("id", name="pk_fetches"),
    )
    op.create_index("ix_fetches_run_id", "fetches", ["run_id"])
    op.create_index("ix_fetches_site_id", "fetches", ["site_id"])
    op.create_index("ix_fetches_url", "fetches", ["url"])
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("canonical_url", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("subtitle", sa.Text(), nullable=True),
        sa.Column("authors", sa.JSON(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("site_name", sa.Text(), nullable=True),
        sa.Column("category", sa.Text(), nullable=True),
        sa.Column("published_at", TS, nullable=True),
        sa.Column("date_precision", sa.String(10), nullable=True),
        sa.Column("date_source", sa.String(100), nullable=True),
        sa.Column("editors", sa.JSON(), nullable=False),
        sa.Column("photographers", sa.JSON(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("page_kind", sa.String(20), nullable=False),
        sa.Column("fetched_at", TS, nullable=True),
        sa.Column("archive_ref", sa.Text(), nullable=True),
        sa.Column("extractor_version", sa.String(40), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=True),
        sa.Column("minhash", sa.LargeBinary(), nullable=True),
        sa.Column("first_seen_at", TS, nullable=False),
        sa.Column("last_seen_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name="fk_articles_site_id_sites"),
        sa.PrimaryKeyConstraint("id", name="pk_articles"),
        sa.UniqueConstraint("canonical_url", name="uq_articles_canonical_url"),
    )
    op.create_index("ix_articles_site_id", "articles", ["site_id"])
    op.create_index("ix_articles_published_at", "articles", ["published_at"])
    op.create_index("ix_articles_content_hash", "articles", ["content_hash"])
    op.create_table(
        "article_urls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("first_seen_at", TS, nullable=False),
        sa.Column("last_seen_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name="fk_article_urls_article_id_articles",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_article_urls"),
        sa.UniqueConstraint("article_id", "url", name="uq_article_urls_article_id_url"),
    )
    op.create_index("ix_article_urls_url", "article_urls", ["url"])
    op.create_table(
        "images",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("caption", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name="fk_images_article_id_articles",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_images"),
        sa.UniqueConstraint("article_id", "position", name="uq_images_article_id_position"),
    )
    op.create_table(
        "clusters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("canonical_article_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["canonical_article_id"], ["articles.id"],
                                name="fk_clusters_canonical_article_id_articles"),
        sa.PrimaryKeyConstraint("id", name="pk_clusters"),
    )
    op.create_index("ix_clusters_canonical_article_id", "clusters", ["canonical_article_id"])
    op.create_table(
        "cluster_members",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.Column("match_kind", sa.String(10), nullable=False),
        sa.Column("matched_article_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name="fk_cluster_members_article_id_articles",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["cluster_id"], ["clusters.id"], name="fk_cluster_members_cluster_id_clusters"),
        sa.PrimaryKeyConstraint("article_id", name="pk_cluster_members"),
    )
    op.create_index("ix_cluster_members_cluster_id", "cluster_members", ["cluster_id"])
    op.create_table(
        "lsh_buckets",
        sa.Column("bucket", sa.BigInteger(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name="fk_lsh_buckets_article_id_articles",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("bucket", "article_id", name="pk_lsh_buckets"),
    )
    op.create_index("ix_lsh_buckets_article_id", "lsh_buckets", ["article_id"])
    op.create_table(
        "article_search",
        sa.Column("article_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("title_tokens", sa.Text(), nullable=False),
        sa.Column("body_tokens", sa.Text(), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name="fk_article_search_article_id_articles",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_id", name="pk_article_search"),
    )
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_SEARCH if dialect == "sqlite" else POSTGRES_SEARCH:
        op.execute(statement)
    op.execute(CLEAN_ARTICLES[dialect])


def downgrade() -> None:
    op.execute("DROP VIEW clean_articles")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE article_fts")
    for table in ("article_search", "lsh_buckets", "cluster_members", "clusters", "images", "article_urls",
                  "articles", "fetches", "crawl_runs", "sites"):
        op.drop_table(table)
