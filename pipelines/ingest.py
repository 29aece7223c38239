"""From archived pages to stored articles: extract → dates → dedup → load, in batches.

The one place that strings the steps together, so the nightly flow, backfill, reprocess and ingest-text all
process pages the same way. It takes the store as an argument and knows nothing of Prefect or Scrapy.
Extraction, dates and the dedup step (each article's hash, MinHash fingerprint and search words,
`pipelines.indexing`) run together, in worker processes when there are several, so the load only writes and
clusters.

An article split over pages is archived as its first page (kind "article") and later pages (kind "part",
naming the first page's URL in `part_of`). Parts are never articles of their own: the store's fetch records
index them by first page (archive refs, not bodies), so whenever a batch holds a first page or one of its
parts, in whatever order, batch or archive file they arrive, the first page is extracted again with every part
archived so far read back (`read_record`) and appended in page order (`merge_parts`).
"""

from __future__ import annotations

import multiprocessing
import signal
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from itertools import islice, repeat

from pipelines import indexing
from pipelines.archive import read_record
from pipelines.batch import POOL_THRESHOLD
from pipelines.extract import extract_page, warm_up
from pipelines.health import ExtractionOutcomes
from pipelines.keywords import keywords
from pipelines.records import Article, FetchedPage
from pipelines.site_rules import SiteRules

BATCH_SIZE = 200


@dataclass
class IngestStats:
    list_pages: int = 0
    article_pages: int = 0
    part_pages: int = 0  # page 2, 3 … of an article, appended to its first page
    not_articles: int = 0  # fetched as an article link but turned out to be a list, an empty or error page
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    changed_fields: Counter[str] = field(default_factory=Counter)  # field -> stored articles it changed in
    errors: list[str] = field(default_factory=list)  # "url: reason", one per page that could not be processed
    extraction: ExtractionOutcomes = field(default_factory=ExtractionOutcomes)  # for site health

    def add_load(self, result) -> None:
        self.new += result.new
        self.updated += result.updated
        self.unchanged += result.unchanged
        self.duplicates += result.duplicates
        self.changed_fields.update(result.changed_fields)

    def as_dict(self) -> dict:
        return {
            "list_pages": self.list_pages,
            "article_pages": self.article_pages,
            "part_pages": self.part_pages,
            "not_articles": self.not_articles,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "duplicates": self.duplicates,
            "changed_fields": dict(sorted(self.changed_fields.items())),
            "errors": len(self.errors),
            "error_samples": self.errors[:20],
            "extraction": self.extraction.as_dict(),
        }


@dataclass(slots=True)
class Job:
    """An article page and the later pages of the same article archived so far, in page order."""

    page: FetchedPage
    parts: list[FetchedPage] = field(default_factory=list)


Extracted = tuple[Article | str, list[str]]  # the article or `url: reason`; `url: reason` per failed part


def extract_one(job: Job, timezone: str, encoding: str | None, site_rules: SiteRules | None = None) -> Extracted:
    """The job's article, or `url: reason` when it cannot be extracted: one bad page never stops the rest;
    a part that cannot be extracted is left out of the body and reported beside the article.

    An article to load leaves through the dedup step (`indexing.prepare`): in a worker process, that pure CPU
    runs in parallel instead of in the loader."""
    first = _extracted(job.page, timezone, encoding, site_rules)
    if isinstance(first, str):
        return first, []
    parts, errors = [], []
    for part in job.parts:
        extracted = _extracted(part, timezone, encoding, site_rules)
        if isinstance(extracted, str):
            errors.append(extracted)
        else:
            parts.append(extracted)
    article = merge_parts(first, parts) if job.parts else first
    return (indexing.prepare(article) if _to_load(article) else article), errors


def _to_load(article: Article) -> bool:
    return article.page_kind == "article" and bool(article.body)


def _extracted(page: FetchedPage, timezone: str, encoding: str | None, site_rules: SiteRules | None) -> Article | str:
    try:
        return extract_page(page, timezone=timezone, encoding=encoding, site_rules=site_rules)
    except Exception as exc:  # noqa: BLE001 - recorded in the stats, the batch goes on
        return f"{page.url}: {type(exc).__name__}: {exc}"


def merge_parts(first: Article, parts: list[Article]) -> Article:
    """One article from its first page and its later pages in page order: the later pages' text, images and
    attachments appended, every other field the first page's. A line a later page repeats from an earlier one
    is the pages' shared template (a pager, a standing note), not text."""
    lines = first.body.split("\n\n") if first.body else []
    seen = set(lines)
    for part in parts:
        for line in part.body.split("\n\n") if part.body else []:
            if line not in seen:
                lines.append(line)
                seen.add(line)
    images = list(first.images)
    images += [image for part in parts for image in part.images if image.url not in {i.url for i in images}]
    attachments = list(dict.fromkeys([*first.attachments, *(url for part in parts for url in part.attachments)]))
    body = "\n\n".join(lines)
    return replace(first, body=body, images=images, attachments=attachments, keywords=keywords(body),
                   page_urls=[part.url for part in parts if part.url])


def _start_worker() -> None:
    """Ctrl-C reaches the whole process group: the flow decides what stops (flows/interrupt.py) and finishes
    the batch in hand, so a worker must not die of it mid-batch and break the pool."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm_up()
    indexing.warm_up()


def _worker_pool(workers: int) -> ProcessPoolExecutor:
    # forkserver: forking the flow's process itself would copy its threads' locks mid-use.
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("forkserver"),
                               initializer=_start_worker)


class _Extractor:
    """Extracts article pages in this thread, or, once a batch is big enough and `workers` > 1, in worker
    processes: several cores, and each page under a SIGALRM time budget in the worker's main thread (a
    Prefect task thread can only check the budget between stages)."""

    def __init__(self, workers: int, timezone: str, encoding: str | None, site_rules: SiteRules | None,
                 resources: ExitStack) -> None:
        self.workers, self.timezone, self.encoding, self.resources = workers, timezone, encoding, resources
        self.site_rules = site_rules
        self.pool: ProcessPoolExecutor | None = None

    def __call__(self, jobs: list[Job]) -> list[Extracted]:
        if self.pool is None and self.workers > 1 and len(jobs) >= POOL_THRESHOLD:
            self.pool = self.resources.enter_context(_worker_pool(self.workers))
        if self.pool is None:
            return [extract_one(job, self.timezone, self.encoding, self.site_rules) for job in jobs]
        try:
            return list(self.pool.map(extract_one, jobs, repeat(self.timezone), repeat(self.encoding),
                                      repeat(self.site_rules), chunksize=4))
        except BrokenProcessPool:
            self.pool = self.resources.enter_context(_worker_pool(self.workers))
            return self._isolating_the_crash(jobs)

    def _isolating_the_crash(self, jobs: list[Job]) -> list[Extracted]:
        """A worker died (a crash inside C code, the kernel's OOM killer): the batch again, one page at a time
        in a single worker, so the page that kills it is recorded and every other page still extracted."""
        results: list[Extracted] = []
        with ExitStack() as isolation:
            single = isolation.enter_context(_worker_pool(1))
            for job in jobs:
                try:
                    results.append(single.submit(extract_one, job, self.timezone, self.encoding, self.site_rules).result())
                except BrokenProcessPool:
                    results.append((f"{job.page.url}: the extraction worker died on this page (a crash, or out "
                                    "of memory)", []))
                    single.shutdown(wait=False)
                    single = isolation.enter_context(_worker_pool(1))
        return results


class _Parts:
    """Which first pages of this ingest have later pages, and reading them back from the archive.

    Only the URLs of first pages whose parts were met are kept, so memory grows with the multi-page articles,
    not with the archive; the store (its fetch records) is asked only for batches that involve such pages."""

    def __init__(self, store, stats: IngestStats) -> None:
        self.store, self.stats = store, stats
        self.split: set[str] = set()  # first pages with parts

    def jobs(self, batch: list[FetchedPage]) -> list[Job]:
        firsts = []
        for page in batch:
            if page.kind == "list":
                self.stats.list_pages += 1
            elif page.kind == "part" and page.part_of:
                self.stats.part_pages += 1
                self.split.add(page.part_of)
            if page.kind != "article":
                continue  # list pages, parts, robots.txt and the like are archived for the record, not extracted
            if page.status != 200:
                continue  # 5xx before a retry, 304s, 404s: the crawl's own stats count those failures
            self.stats.article_pages += 1
            firsts.append(page)
        arrived = {page.part_of for page in batch if page.kind == "part" and page.part_of}
        firsts += self._read(self.store.first_pages(arrived - {page.url for page in firsts}) if arrived else {})
        split = {page.url for page in firsts} & self.split
        parts = self.store.part_pages(split) if split else {}
        return [Job(page, self._read(dict(parts.get(page.url, [])))) for page in firsts]

    def _read(self, refs: Mapping[str, str] | Mapping[int, str]) -> list[FetchedPage]:
        """The archived pages of `refs` (URL or page number -> archive_ref), in key order."""
        pages = []
        for key, ref in sorted(refs.items()):
            try:
                pages.append(read_record(ref))
            except (OSError, ValueError) as exc:
                self.stats.errors.append(f"{ref}: cannot read page {key} back from the archive: {exc}")
        return pages


def _articles(jobs: list[Job], stats: IngestStats, extract: _Extractor) -> Iterator[Article]:
    for extracted, part_errors in extract(jobs):
        stats.errors += part_errors
        stats.extraction.observe(extracted)
        if isinstance(extracted, str):
            stats.errors.append(extracted)
        elif not _to_load(extracted):
            stats.not_articles += 1
        else:
            yield extracted


def ingest_pages(pages: Iterable[FetchedPage], store, *, site: str, run_id: int | None = None,
                 timezone: str = "Asia/Shanghai", encoding: str | None = None,
                 site_rules: SiteRules | None = None, workers: int = 1,
                 batch_size: int = BATCH_SIZE, on_batch: Callable[[int], None] | None = None) -> IngestStats:
    """Record every fetch, extract the article pages (on `workers` processes) and load them in one transaction
    per batch; `site_rules` is the site's own extraction rules (its config's `extract:` block).

    Pages stream through in batches, so a year of archive never sits in memory at once; `on_batch` hears the
    number of pages done after each one.
    """
    stats = IngestStats()
    pages, done = iter(pages), 0
    parts = _Parts(store, stats)
    with ExitStack() as resources:
        extract = _Extractor(workers, timezone, encoding, site_rules, resources)
        while batch := list(islice(pages, batch_size)):
            store.record_fetches(batch, run_id=run_id)  # first: the parts of this batch are read back from it
            articles = list(_articles(parts.jobs(batch), stats, extract))
            if articles:
                stats.add_load(store.load(articles, site=site, run_id=run_id))
            done += len(batch)
            if on_batch:
                on_batch(done)
    return stats
