"""An article record as an articles row and back: the fields copied, the key, and which copy of a story is
the canonical one."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipelines import records
from pipelines.archive import stored_ref
from pipelines.models import Article

LIST_FIELDS = ("authors", "editors", "photographers", "attachments", "keywords", "page_urls", "print_urls",
               "date_candidates")
COPIED_FIELDS = ("url", "title", "subtitle", "source", "site_name", "category", "published_at", "date_precision",
                 "date_source", "summary", "body", "page_kind", "fetched_at", "archive_ref", "extractor_version",
                 "encoding", "encoding_source", "encoding_errors", *LIST_FIELDS)
COMPLETENESS_FIELDS = ("title", "published_at", "source", "authors", "editors", "summary", "subtitle", "category")


def article_key(article: records.Article) -> str:
    key = article.canonical_url or article.url
    if not key:
        raise ValueError(f"article {article.title!r} has neither canonical_url nor url: the store keys on them")
    return key


def row_values(article: records.Article, archive_root: Path | None) -> dict[str, Any]:
    """The row's columns; `archive_root` is where archive refs are kept relative to (`archive.stored_ref`)."""
    values = {name: list(getattr(article, name)) if name in LIST_FIELDS else getattr(article, name)
              for name in COPIED_FIELDS}
    values["archive_ref"] = stored_ref(article.archive_ref, archive_root)
    return values


def to_record(row: Article, site: str) -> records.Article:
    """The stored article as the pipeline's plain record."""
    values = {name: getattr(row, name) for name in COPIED_FIELDS}
    return records.Article(canonical_url=row.canonical_url, site=site,
                           images=[records.Image(i.url, i.caption) for i in row.images], **values)


def _known(value: Any) -> bool:
    return value not in (None, "", [])


def _completeness(row: Any) -> int:
    return sum(_known(getattr(row, name)) for name in COMPLETENESS_FIELDS)


def canonical_order(row: Any) -> tuple:
    """Canonical copy of a story: earliest published (undated last), then most complete metadata, then lowest id."""
    published = row.published_at
    return (published is None, published or datetime.max.replace(tzinfo=UTC), -_completeness(row), row.id)
