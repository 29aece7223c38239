"""Crawl throughput: `crawlers.run.crawl_site` against a generated local farm, politeness delays off.

The crawl runs as the flows run it (its own OS process); `crawl_site` is called from a fresh spawned
process, so that process's reaped-children usage is the crawl's own: CPU seconds and peak resident memory.
The farm is served from this process's threads; its CPU is not charged to the crawl.
"""

from __future__ import annotations

import multiprocessing
import resource
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from benchmarks.common import Section, Table, progress, timed, verdict
from benchmarks.farm import Farm, FarmServer, build
from pipelines.archive import read_archive

PAGES_PER_S_TARGET = 200.0
PEAK_MEMORY_TARGET_MIB = 1024.0
CONCURRENCY = 16  # per domain: the site config's maximum
# Politeness off for a server we own: no delay, no AutoThrottle, enough requests in flight to fill a core.
SETTINGS = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS": 32}
# Scrapy starts CONCURRENT_ITEMS (default 100) asyncio tasks for every callback's output; our spider yields
# a handful of requests per page, so crawlers/settings.py lowers it to 4. Scrapy's default runs beside it to
# keep the evidence for that setting in every run.
VARIANTS = {"crawlers/settings.py": {}, "Scrapy's default CONCURRENT_ITEMS = 100": {"CONCURRENT_ITEMS": 100}}


def site_config(base_url: str, start_paths: list[str], max_pages: int) -> dict:
    return {
        "name": "bench_farm",
        "start_urls": [base_url + path for path in start_paths],
        "download_delay": 0,
        "concurrency": CONCURRENCY,
        "max_pages": max_pages,
    }


def crawl_in_fresh_process(config_path: str, archive_dir: str, settings: dict) -> dict:
    """Runs in a spawned process whose only child is the crawl: its children's usage is the crawl's."""
    from crawlers.run import crawl_site

    started = time.perf_counter()
    result = crawl_site(Path(config_path), archive_dir=Path(archive_dir), mode="nightly", settings=settings)
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "returncode": result.returncode,
        "error": result.error,
        "stats": result.stats,
        "wall": wall,
        "warc_paths": [str(path) for path in result.warc_paths],
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_mib": usage.ru_maxrss / 1024,
    }


def crawl_once(farm: Farm, settings: dict) -> tuple[dict, list]:
    with tempfile.TemporaryDirectory(prefix="dangjian-bench-crawl-") as workdir, FarmServer(farm) as server:
        config_path = Path(workdir) / "bench_farm.yaml"
        config = site_config(server.base_url, farm.start_paths, max_pages=2 * len(farm.pages))
        config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
            outcome = pool.submit(
                crawl_in_fresh_process, str(config_path), str(Path(workdir) / "archive"), settings
            ).result()
        archived = [page for path in outcome["warc_paths"] for page in read_archive(Path(path))]
    return outcome, archived


def run(article_count: int) -> Section:
    built: list[Farm] = []
    generation = timed(article_count, lambda: built.append(build(article_count)))
    farm = built[0]
    section = Section(
        "Crawl throughput",
        f"farm of {article_count:,} articles + "
        f"{len(farm.pages) - article_count - 1} list pages on 127.0.0.1, generated in "
        f"{generation.wall:.1f} s; {CONCURRENCY} concurrent requests per domain, no delays",
    )
    table = Table(
        "Crawl of the generated farm",
        [
            "settings",
            "responses",
            "archived records",
            "articles missing",
            "paths fetched twice",
            "crawl s",
            "pages/s (crawl)",
            "pages/s (process start to exit)",
            "CPU s",
            "pages per CPU-second",
            "peak RSS MiB",
        ],
    )
    section.tables.append(table)
    for label, extra in VARIANTS.items():
        farm.requests.clear()
        progress(f"crawling {len(farm.pages):,} pages, {label}")
        outcome, archived = crawl_once(farm, {**SETTINGS, **extra})
        stats = outcome["stats"]
        if outcome["returncode"] != 0:
            section.notes.append(f"{label}: crawl FAILED (exit {outcome['returncode']}): {outcome['error']}")
        fetched = stats.get("responses", 0)
        crawl_seconds = stats.get("elapsed_seconds") or outcome["wall"]
        found = {urlsplit(page.url or "").path for page in archived if page.kind == "article"}
        table.add(
            label,
            fetched,
            len(archived),
            len(set(farm.article_paths) - found),
            sum(1 for count in farm.requests.values() if count > 1),
            crawl_seconds,
            fetched / crawl_seconds,
            fetched / outcome["wall"],
            outcome["cpu"],
            fetched / outcome["cpu"],
            outcome["peak_mib"],
        )
        rate, peak = fetched / crawl_seconds, outcome["peak_mib"]
        section.notes.append(
            f"{label}: {rate:.0f} pages/s fetched and archived during the crawl, target "
            f"{verdict(rate, PAGES_PER_S_TARGET)} ({fetched / outcome['wall']:.0f} counting the child's "
            f"start-up; {fetched / outcome['cpu']:.0f} per CPU-second, the rate with a core to itself); "
            f"peak memory {peak:.0f} MiB, target {verdict(peak, PEAK_MEMORY_TARGET_MIB, at_most=True)}"
        )
    return section
