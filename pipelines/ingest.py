"""From archived pages to stored articles: extract → dates → dedup → load, in batches.

The one place that strings the steps together, so the nightly flow, backfill, reprocess and ingest-text all
process pages the same way. It takes the store as an argument and knows nothing of Prefect or Scrapy.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack
from dataclasses import dataclass, field
from itertools import islice, repeat

from pipelines.batch import POOL_THRESHOLD
from pipelines.extract import extract_page, warm_up
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


def extract_one(page: FetchedPage, timezone: str, encoding: str | None) -> Article | str:
    """The page's article, or `url: reason` when it cannot be extracted: one bad page never stops the rest."""
    try:
        return extract_page(page, timezone=timezone, encoding=encoding)
    except Exception as exc:  # noqa: BLE001 - recorded in the stats, the batch goes on
        return f"{page.url}: {type(exc).__name__}: {exc}"


def _worker_pool(workers: int) -> ProcessPoolExecutor:
    # forkserver: forking the flow's process itself would copy its threads' locks mid-use.
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("forkserver"), initializer=warm_up)


class _Extractor:
    """Extracts article pages in this thread, or, once a batch is big enough and `workers` > 1, in worker
    processes: several cores, and each page under a SIGALRM time budget in the worker's main thread (a
    Prefect task thread can only check the budget between stages)."""

    def __init__(self, workers: int, timezone: str, encoding: str | None, resources: ExitStack) -> None:
        self.workers, self.timezone, self.encoding, self.resources = workers, timezone, encoding, resources
        self.pool: ProcessPoolExecutor | None = None

    def __call__(self, pages: list[FetchedPage]) -> list[Article | str]:
        if self.pool is None and self.workers > 1 and len(pages) >= POOL_THRESHOLD:
            self.pool = self.resources.enter_context(_worker_pool(self.workers))
        if self.pool is None:
            return [extract_one(page, self.timezone, self.encoding) for page in pages]
        try:
            return list(self.pool.map(extract_one, pages, repeat(self.timezone), repeat(self.encoding),
                                      chunksize=4))
        except BrokenProcessPool:
            self.pool = self.resources.enter_context(_worker_pool(self.workers))
            return self._isolating_the_crash(pages)

    def _isolating_the_crash(self, pages: list[FetchedPage]) -> list[Article | str]:
        """A worker died (a crash inside C code, the kernel's OOM killer): the batch again, one page at a time
        in a single worker, so the page that kills it is recorded and every other page still extracted."""
        results: list[Article | str] = []
        with ExitStack() as isolation:
            single = isolation.enter_context(_worker_pool(1))
            for page in pages:
                try:
                    results.append(single.submit(extract_one, page, self.timezone, self.encoding).result())
                except BrokenProcessPool:
                    results.append(f"{page.url}: the extraction worker died on this page (a crash, or out of "
                                   "memory)")
                    single.shutdown(wait=False)
                    single = isolation.enter_context(_worker_pool(1))
        return results


def _articles(pages: Iterable[FetchedPage], stats: IngestStats, extract: _Extractor) -> Iterator[Article]:
    candidates = []
    for page in pages:
        if page.kind == "list":
            stats.list_pages += 1
        if page.kind != "article":
            continue  # list pages, robots.txt and the like are archived for the record, not extracted
        if page.status != 200:
            continue  # 5xx before a retry, 304s, 404s: the crawl's own stats count those failures
        stats.article_pages += 1
        candidates.append(page)
    for extracted in extract(candidates):
        if isinstance(extracted, str):
            stats.errors.append(extracted)
        elif extracted.page_kind != "article" or not extracted.body:
            stats.not_articles += 1
        else:
            yield extracted


def ingest_pages(pages: Iterable[FetchedPage], store, *, site: str, run_id: int | None = None,
                 timezone: str = "Asia/Shanghai", encoding: str | None = None, workers: int = 1,
                 batch_size: int = BATCH_SIZE, on_batch: Callable[[int], None] | None = None) -> IngestStats:
    """Record every fetch, extract the article pages (on `workers` processes) and load them in one transaction
    per batch.

    Pages stream through in batches, so a year of archive never sits in memory at once; `on_batch` hears the
    number of pages done after each one.
    """
    stats = IngestStats()
    pages, done = iter(pages), 0
    with ExitStack() as resources:
        extract = _Extractor(workers, timezone, encoding, resources)
        while batch := list(islice(pages, batch_size)):
            store.record_fetches(batch, run_id=run_id)
            articles = list(_articles(batch, stats, extract))
            if articles:
                stats.add_load(store.load(articles, site=site, run_id=run_id))
            done += len(batch)
            if on_batch:
                on_batch(done)
    return stats
