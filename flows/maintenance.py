"""Prefect flows that work from what is already on disk: re-extract the raw archive, ingest text dumps."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

from prefect import flow, get_run_logger

from crawlers.site_config import SiteConfig, load_distinct_site_configs
from flows import progress
from pipelines import config
from pipelines.archive import list_archives, read_archive, site_of
from pipelines.extract import EXTRACTOR_VERSION
from pipelines.ingest import ingest_pages
from pipelines.records import FetchedPage
from pipelines.store import Store


def archive_files(site: str | None = None) -> list[str]:
    """The archive's WARC files (paths, or URLs in a remote archive), one site's or all."""
    return list_archives(config.archive_url(), site)


def archived_sites() -> list[str]:
    """The sites the archive holds pages of."""
    return sorted({site_of(path) for path in archive_files()})


def _archived_pages(paths: list[str], since: date | None, current: set[str]) -> Iterator[FetchedPage]:
    """The archived pages fetched on or after `since`, but those of articles in `current` (their URLs)."""
    for path in paths:
        for page in read_archive(path):
            if since is not None and not (page.fetched_at and page.fetched_at.date() >= since):
                continue
            if current and {page.url, page.original_url, page.part_of} & current:
                continue
            yield page


def _site_configs() -> dict[str, SiteConfig]:
    """The configured sites by name: the time zone, encoding and extraction rules their pages are extracted with."""
    return {site.name: site for site, _ in load_distinct_site_configs(sorted(config.sites_dir().glob("*.yaml")))}


@flow(name="reprocess")
def reprocess(since: date | None = None, site: str | None = None, timezone: str = "Asia/Shanghai",
              outdated: bool = False) -> dict:
    """Re-extract archived pages after rules changed: each article's fields are replaced by the new extraction
    (`changed_fields` counts the articles each field changed in). With `outdated`, articles the current
    extractor version produced are left alone. A site's config gives its time zone, encoding and own
    extraction rules (`extract:`); `timezone` is for archived sites no longer configured."""
    logger = get_run_logger()
    store = Store()
    paths = archive_files(site)
    by_site: dict[str, list[str]] = {}
    for path in paths:
        by_site.setdefault(site_of(path), []).append(path)
    configs = _site_configs()
    results = {}
    for name, site_paths in by_site.items():
        site_config = configs.get(name)
        current = store.current_urls(name, EXTRACTOR_VERSION) if outdated else set()
        run_id = store.start_run(name, "reprocess")
        progress.report(name, "reprocessing", done=0)
        stats = ingest_pages(_archived_pages(site_paths, since, current), store, site=name, run_id=run_id,
                             timezone=site_config.timezone if site_config else timezone,
                             encoding=site_config.encoding if site_config else None,
                             site_rules=site_config.extract if site_config else None,
                             workers=config.settings().flows.extraction_processes,
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
