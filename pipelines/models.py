"""The database schema as typed SQLAlchemy 2.x models; `docs/schema.md` describes every table for readers.

Only the `pipelines/store/` package opens sessions on these. The Alembic migrations in `pipelines/migrations/versions`
create the same schema (a test compares them); the search index (SQLite FTS5 table / PostgreSQL GIN index)
and the `clean_articles` view are dialect-specific and exist only in the migrations.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and gives them back aware (SQLite keeps no offset of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: the store only takes timezone-aware datetimes")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


EMPTY_LIST = text("'[]'")  # columns added to a table with rows: those rows start without any
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON(), list[str]: JSON()}


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime]


class CrawlRun(Base):
    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    mode: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))  # running | ok | failed
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    stats: Mapped[dict[str, Any] | None]
    error: Mapped[str | None] = mapped_column(Text)
    health: Mapped[str | None] = mapped_column(String(20))  # ok | stale | degraded | failed (pipelines/health.py)
    health_reason: Mapped[str | None] = mapped_column(Text)  # one line an operator reads
    health_signals: Mapped[dict[str, Any] | None]  # what the run showed (health.Signals), judged by later runs


class Fetch(Base):
    __tablename__ = "fetches"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    url: Mapped[str | None] = mapped_column(Text, index=True)
    status: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    fetched_at: Mapped[datetime | None]
    archive_ref: Mapped[str | None] = mapped_column(Text, unique=True, index=True)  # one row per record
    list_url: Mapped[str | None] = mapped_column(Text)
    part_of: Mapped[str | None] = mapped_column(Text, index=True)  # kind "part": its article's first page
    part_number: Mapped[int | None]
    content_type: Mapped[str | None] = mapped_column(String(200))
    size: Mapped[int]
    recorded_at: Mapped[datetime]


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    canonical_url: Mapped[str] = mapped_column(Text, unique=True)
    url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    subtitle: Mapped[str | None] = mapped_column(Text)
    authors: Mapped[list[str]]
    source: Mapped[str | None] = mapped_column(Text)
    site_name: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    date_precision: Mapped[str | None] = mapped_column(String(10))
    date_source: Mapped[str | None] = mapped_column(String(100))
    # the other dates its page or list item named (records.DateGuess.candidates), for audit
    date_candidates: Mapped[list[dict[str, Any]]] = mapped_column(JSON, server_default=EMPTY_LIST)
    editors: Mapped[list[str]]
    photographers: Mapped[list[str]]
    summary: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    attachments: Mapped[list[str]]
    keywords: Mapped[list[str]]
    page_urls: Mapped[list[str]] = mapped_column(server_default=EMPTY_LIST)
    print_urls: Mapped[list[str]] = mapped_column(server_default=EMPTY_LIST)
    page_kind: Mapped[str] = mapped_column(String(20))
    fetched_at: Mapped[datetime | None]
    archive_ref: Mapped[str | None] = mapped_column(Text)
    extractor_version: Mapped[str] = mapped_column(String(40))
    encoding: Mapped[str | None] = mapped_column(String(40))
    encoding_source: Mapped[str | None] = mapped_column(String(40))
    encoding_errors: Mapped[int] = mapped_column(server_default=text("0"))
    content_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    images: Mapped[list[ArticleImage]] = relationship(
        order_by="ArticleImage.position", cascade="all, delete-orphan", lazy="selectin"
    )


class ArticleUrl(Base):
    __tablename__ = "article_urls"
    __table_args__ = (UniqueConstraint("article_id", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(Text, index=True)
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]


class ArticleImage(Base):
    __tablename__ = "images"
    __table_args__ = (UniqueConstraint("article_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    position: Mapped[int]
    url: Mapped[str] = mapped_column(Text)
    caption: Mapped[str | None] = mapped_column(Text)


class Cluster(Base):
    """One story: every stored copy of the same text, wherever it was published."""

    __tablename__ = "clusters"

    id: Mapped[int] = mapped_column(primary_key=True)
    canonical_article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id"), index=True)
    created_at: Mapped[datetime]


class ClusterMember(Base):
    __tablename__ = "cluster_members"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("clusters.id"), index=True)
    similarity: Mapped[float] = mapped_column(Float)
    match_kind: Mapped[str] = mapped_column(String(10))  # founder | exact | near
    matched_article_id: Mapped[int | None] = mapped_column(Integer)


class LshBucket(Base):
    """The persisted near-duplicate index: one row per (band bucket, article).

    No foreign key to articles (migration 0012): its check a row was a tenth of the server's CPU a load, and a
    bucket names a candidate only through the article's cluster_members row, whose foreign key cascades."""

    __tablename__ = "lsh_buckets"
    __table_args__ = (Index("ix_lsh_buckets_article_id", "article_id"),)

    bucket: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article_id: Mapped[int] = mapped_column(Integer, primary_key=True)


class IndexState(Base):
    """What a derived index was built with (`dedup`: the dedup.yaml parameters behind every stored hash,
    signature and bucket), so a load never mixes fingerprints of two settings."""

    __tablename__ = "index_state"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime]


class ArticleSearch(Base):
    """jieba-segmented text that the full-text index (FTS5 / tsvector GIN) is built on."""

    __tablename__ = "article_search"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    title_tokens: Mapped[str] = mapped_column(Text)
    body_tokens: Mapped[str] = mapped_column(Text)
    terms: Mapped[str] = mapped_column(Text)  # extra sub-words (jieba search mode) that widen recall
