"""Prefect flows that work from what is already on disk: re-extract the raw archive, ingest text dumps."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

from prefect import flow, get_run_logger

from flows import progress
from pipelines import config
from pipelines.archive import list_archives, read_archive, site_of
from pipelines.ingest import ingest_pages
from pipelines.records import FetchedPage
from pipelines.store import Store


def archive_files(site: str | None = None) -> list[str]:
    """The archive's WARC files (paths, or URLs in a remote archive), one site's or all."""
    return list_archives(config.archive_url(), site)


def archived_sites() -> list[str]:
    """The sites the archive holds pages of."""
    return sorted({site_of(path) for path in archive_files()})


def _archived_pages(paths: list[str], since: date | None) -> Iterator[FetchedPage]:
    for path in paths:
        for page in read_archive(path):
            if since is None or (page.fetched_at and page.fetched_at.date() >= since):
                yield page


@flow(name="reprocess")
def reprocess(since: date | None = None, site: str | None = None, timezone: str = "Asia/Shanghai") -> dict:
    """Re-extract archived pages after rules changed: changed fields are updated, nothing known is lost."""
    logger = get_run_logger()
    store = Store()
    paths = archive_files(site)
    by_site: dict[str, list[str]] = {}
    for path in paths:
        by_site.setdefault(site_of(path), []).append(path)
    results = {}
    for name, site_paths in by_site.items():
        run_id = store.start_run(name, "reprocess")
        progress.report(name, "reprocessing", done=0)
        stats = ingest_pages(_archived_pages(site_paths, since), store, site=name, run_id=run_id,
                             timezone=timezone, workers=config.settings().flows.extraction_processes,
                             on_batch=lambda done, name=name: progress.report(name, "reprocessing", done=done))
        store.finish_run(run_id, stats=stats.as_dict())
        logger.info("site=%s reprocessed %s archive files: %s", name, len(site_paths), stats.as_dict())
        results[name] = stats.as_dict()
    return results


@flow(name="ingest-text")
def ingest_text(paths: list[Path], site: str = "text-dumps", timezone: str = "Asia/Shanghai") -> dict:
    """Load plain-text dumps (or saved HTML files) into the database through the normal steps."""
    store = Store()
    run_id = store.start_run(site, "ingest-text")
    now = datetime.now(UTC)
    pages = (FetchedPage(url=path.resolve().as_uri(), body=path.read_bytes(), fetched_at=now, site=site)
             for path in paths)
    stats = ingest_pages(pages, store, site=site, run_id=run_id, timezone=timezone,
                         workers=config.settings().flows.extraction_processes,
                         on_batch=lambda done: progress.report(site, "loading", done=done, total=len(paths)))
    store.finish_run(run_id, stats=stats.as_dict())
    return stats.as_dict()
