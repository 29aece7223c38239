"""The database: the one package that opens engines and sessions and runs queries.

`Store(url)` creates the database on first use and upgrades it to the newest Alembic revision (`engine`:
SQLite by default, `data/dangjian.db`; PostgreSQL with `DANGJIAN_DB_URL=postgresql+psycopg://...`, where
several workers on several machines share one near-duplicate index). Its methods are transactions over the
modules that do each job:

- `loading`: upserts of articles, their URLs, images and search rows, one transaction per batch
- `near_dups`: the near-duplicate index in tables, the stories it files articles into, and its locks
- `search`: the search rows (words from `pipelines.search_text`) and ranked queries over them
- `export_rows`, `article_rows`: stored stories as rows for export and as the pipeline's records
- `fetches`: archived responses and the URLs articles were seen at
- `crawl_runs`: crawl runs and per-site stats

See `docs/schema.md` for the tables and the `clean_articles` view.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date

from sqlalchemy.orm import Session

from pipelines import config, dedup, records
from pipelines.store import crawl_runs, export_rows, fetches, loading, near_dups, search
from pipelines.store.article_rows import article_key, canonical_order, to_record
from pipelines.store.engine import (
    MIGRATIONS,
    UNUSABLE,
    StoreBusyError,
    StoreUnavailableError,
    engine_for,
    write,
)
from pipelines.store.loading import PG_BATCH_SIZE, LoadResult
from pipelines.store.near_dups import DedupIndexStaleError
from pipelines.store.shared import BATCH_SIZE, T, chunks

__all__ = ["BATCH_SIZE", "MIGRATIONS", "PG_BATCH_SIZE", "UNUSABLE", "DedupIndexStaleError", "LoadResult", "Store",
           "StoreBusyError", "StoreUnavailableError", "article_key", "canonical_order", "to_record"]


class Store:
    def __init__(self, url: str | None = None) -> None:
        self.url = url or config.db_url()
        self.engine = engine_for(self.url)
        self.dialect = self.engine.dialect.name
        self._new_since_analyze = 0

    def _write(self, work: Callable[[Session], T]) -> T:
        return write(self.engine, work)

    def _read(self) -> Session:
        return Session(self.engine)

    # runs and fetches

    def start_run(self, site: str, mode: str) -> int:
        return self._write(lambda session: crawl_runs.start_run(session, site, mode))

    def finish_run(self, run_id: int, *, stats: dict, error: str | None = None, health: str | None = None,
                   health_reason: str | None = None, health_signals: dict | None = None) -> None:
        self._write(lambda session: crawl_runs.finish_run(session, run_id, stats=stats, error=error, health=health,
                                                          health_reason=health_reason, health_signals=health_signals))

    def run_history(self, site: str | None = None, *, runs: int = 30, before: int | None = None) -> list[dict]:
        """Each site's last `runs` finished runs (all sites', or `site`'s), oldest first, runs before run id
        `before` only: when they started, how they ended and were judged, and the signals they showed."""
        with self._read() as session:
            return crawl_runs.run_history(session, site, runs=runs, before=before)

    def record_fetches(self, pages: Iterable[records.FetchedPage], *, run_id: int | None) -> None:
        """Pointers to raw responses (the bytes stay in the WARC archive), one per archive record: a record read
        again (`reprocess`) keeps the row its crawl recorded. A page with no archive record (a text dump read by
        `ingest-text`) was never fetched: it has no row."""
        archived = (page for page in pages if page.archive_ref)
        for chunk in chunks(archived, BATCH_SIZE):
            self._write(lambda session, chunk=chunk: fetches.record_fetches(session, chunk, run_id))

    # loading

    def load(self, articles: Iterable[records.Article], *, site: str, run_id: int | None = None) -> LoadResult:
        """Upsert articles (one transaction per batch) and cluster new text against everything stored.

        `run_id` is accepted for symmetry with `record_fetches`; the article rows carry first/last seen times.
        """
        result = LoadResult()
        rules = dedup.load_rules()
        for chunk in chunks(articles, PG_BATCH_SIZE if self.dialect == "postgresql" else BATCH_SIZE):
            latest = {article_key(a): a for a in chunk}  # a URL twice in one batch: the later extraction wins
            result += self._write(lambda session, latest=latest: loading.load_batch(session, latest, site, rules))
        self._refresh_statistics(result.new)
        return result

    def _refresh_statistics(self, new_rows: int) -> None:
        self._new_since_analyze = loading.refresh_statistics(self.engine, self._new_since_analyze + new_rows)

    def reindex(self, on_batch: Callable[[int, int], None] | None = None) -> LoadResult:
        """Rebuild hashes, signatures, buckets and stories of every stored article with the current dedup.yaml,
        in load order; `on_batch(done, total)` hears progress.

        Loads refuse to run until it finishes (the index is marked as rebuilding first), and an interrupted
        rebuild is simply run again: it starts from scratch.
        """
        rules = dedup.load_rules()
        ids = self._write(near_dups.clear)
        result = LoadResult()
        for done, chunk in enumerate(chunks(ids, BATCH_SIZE), start=1):
            duplicates, stories = self._write(lambda session, chunk=chunk: near_dups.refile(session, chunk, rules))
            result += LoadResult(duplicates=duplicates, stories=stories)
            self._refresh_statistics(len(chunk))
            if on_batch:
                on_batch(min(done * BATCH_SIZE, len(ids)), len(ids))
        self._write(lambda session: near_dups.record_index(session, rules.index_key_json()))
        return result

    # reading

    def check(self, body: str) -> dedup.Assignment:
        """Which stored story a body would join, without storing it (kind "founder": a new story)."""
        rules = dedup.load_rules()
        with self._read() as session:
            near_dups.check_dedup_index(session, rules, claim=False)
            return dedup.cluster_batch([dedup.fingerprint(body, rules)], near_dups.TableIndex(session), rules)[0]

    def first_pages(self, urls: Iterable[str]) -> dict[str, str]:
        """The archive_ref of each URL's latest successful fetch as an article."""
        with self._read() as session:
            return fetches.first_pages(session, set(urls))

    def part_pages(self, first_pages: Iterable[str]) -> dict[str, list[tuple[int, str]]]:
        """The archived later pages of each first page, as (page number, archive_ref) in page order: the
        latest successful fetch of each number."""
        with self._read() as session:
            return fetches.part_pages(session, set(first_pages))

    def known_urls(self, site: str) -> set[str]:
        """Canonical URLs of the site's stored articles, and every other URL they were seen at."""
        with self._read() as session:
            return fetches.known_urls(session, site)

    def current_urls(self, site: str, extractor_version: str) -> set[str]:
        """Every URL of the site's articles whose fields `extractor_version` produced: what
        `reprocess --outdated` leaves alone."""
        with self._read() as session:
            return fetches.known_urls(session, site, extractor_version)

    def export_rows(self, *, all_copies: bool = False, since: date | None = None, site: str | None = None,
                    typed: bool = False) -> Iterator[dict]:
        """One row per story (its canonical copy) or, with `all_copies`, one per stored copy.

        Every row is `Article.to_json()` plus `id`, `cluster_id`, `is_canonical`, `story_url` (the canonical
        copy's URL) and `urls` (every URL where any copy of the story was seen; with `all_copies`, where this
        copy was seen). `since` keeps articles published on or after that day (first seen, when undated);
        `site` keeps stories with a copy on that site (with `all_copies`: that site's copies). With `typed`,
        `published_at` and `fetched_at` stay aware UTC datetimes (`date_precision` says how much of
        `published_at` is known) for formats that have a timestamp type, instead of their display text.
        """
        with self._read() as session:
            yield from export_rows.export_rows(session, all_copies=all_copies, since=since, site=site, typed=typed)

    def search(self, query: str, *, site: str | None = None, since: date | None = None, limit: int = 20
               ) -> list[dict]:
        """Ranked full-text hits, best first, one per story, each with a snippet (matches in [brackets])."""
        with self._read() as session:
            return search.search(session, query, site=site, since=since, limit=limit)

    def stats(self) -> list[dict]:
        """Per site: articles, stories it holds the canonical copy of, duplicates, date range, runs."""
        with self._read() as session:
            return crawl_runs.stats(session)

    def date_sources(self) -> list[dict]:
        """How many articles each date source dated (None: undated), most first: what an operator audits."""
        with self._read() as session:
            return crawl_runs.date_sources(session)

    def sites_summary(self) -> list[dict]:
        return [{"name": row["site"], "last_crawl": row["last_run"], "articles": row["articles"],
                 "last_error": row["last_error"]} for row in self.stats()]
