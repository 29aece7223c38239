"""From archived pages to stored articles: extract → dates → dedup → load, in batches.

The one place that strings the steps together, so the nightly flow, backfill, reprocess and ingest-text all
process pages the same way. It takes the store as an argument and knows nothing of Prefect or Scrapy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from pipelines.extract import extract_page
from pipelines.records import Article, FetchedPage

BATCH_SIZE = 200


@dataclass
class IngestStats:
    list_pages: int = 0
    article_pages: int = 0
    not_articles: int = 0  # fetched as an article link but turned out to be a list, an empty or error page
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    errors: list[str] = field(default_factory=list)  # "url: reason", one per page that could not be processed

    def add_load(self, result) -> None:
        self.new += result.new
        self.updated += result.updated
        self.unchanged += result.unchanged
        self.duplicates += result.duplicates

    def as_dict(self) -> dict:
        return {
            "list_pages": self.list_pages,
            "article_pages": self.article_pages,
            "not_articles": self.not_articles,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "duplicates": self.duplicates,
            "errors": len(self.errors),
            "error_samples": self.errors[:20],
        }


def _articles(pages: Iterable[FetchedPage], stats: IngestStats, *, timezone: str,
              encoding: str | None) -> Iterator[Article]:
    for page in pages:
        if page.kind == "list":
            stats.list_pages += 1
        if page.kind != "article":
            continue  # list pages, robots.txt and the like are archived for the record, not extracted
        if page.status != 200:
            continue  # 5xx before a retry, 304s, 404s: the crawl's own stats count those failures
        stats.article_pages += 1
        try:
            article = extract_page(page, timezone=timezone, encoding=encoding)
        except Exception as exc:  # noqa: BLE001 - one bad page is recorded, the rest go on
            stats.errors.append(f"{page.url}: {type(exc).__name__}: {exc}")
            continue
        if article.page_kind != "article" or not article.body:
            stats.not_articles += 1
            continue
        yield article


def ingest_pages(pages: Iterable[FetchedPage], store, *, site: str, run_id: int | None = None,
                 timezone: str = "Asia/Shanghai", encoding: str | None = None,
                 batch_size: int = BATCH_SIZE, on_batch: Callable[[int], None] | None = None) -> IngestStats:
    """Record every fetch, extract the article pages and load them in one transaction per batch.

    Pages stream through in batches, so a year of archive never sits in memory at once; `on_batch` hears the
    number of pages done after each one.
    """
    stats = IngestStats()
    pages, done = iter(pages), 0
    while batch := list(islice(pages, batch_size)):
        store.record_fetches(batch, run_id=run_id)
        articles = list(_articles(batch, stats, timezone=timezone, encoding=encoding))
        if articles:
            stats.add_load(store.load(articles, site=site, run_id=run_id))
        done += len(batch)
        if on_batch:
            on_batch(done)
    return stats
