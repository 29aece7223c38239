"""Prefect flows: the nightly crawl and the deep backfill of one or more sites.

Each site runs as one task (crawl in its own OS process, then extract → dates → dedup → load); sites run
concurrently up to `flows.concurrency`, and a failing site is retried, then reported, never stopping the others.
A run where a site failed or is degraded (pipelines/health.py) ends in Prefect's Failed state with the sites'
reasons as its message (so automations and notifications on failed runs fire); an interrupted run (SIGINT,
SIGTERM) ends Cancelled.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.events import emit_event
from prefect.runtime import flow_run
from prefect.states import Cancelled, Failed
from prefect.task_runners import ThreadPoolTaskRunner

from crawlers.run import crawl_site, frontier_run_id
from crawlers.site_config import SiteConfig, load_distinct_site_configs
from flows import database, interrupt, progress
from flows.sites import enabled_site_paths
from pipelines import config, health
from pipelines.archive import read_archive
from pipelines.ingest import ingest_pages
from pipelines.store import Store, StoreUnavailableError


@dataclass
class SiteReport:
    site: str
    status: str = "ok"  # health (pipelines/health.py): "ok" | "stale" | "degraded" | "failed"; or "interrupted"
    reason: str | None = None  # the health status in one line: what broke, or what the night brought
    list_pages: int = 0
    article_pages: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    errors: int = 0
    seconds: float = 0.0
    error: str | None = None
    causes: dict = field(default_factory=dict)  # failed fetches by cause: refused, timeout, http_500, robots, …
    first_failure: str | None = None  # the first failed fetch: "URL (reason)"
    log: str | None = None  # the crawl's log file
    crawl: dict = field(default_factory=dict)
    extraction: dict = field(default_factory=dict)  # what extraction made of the article pages (site health)


class CrawlFailed(RuntimeError):
    """A crawl that ended in error; its stats (failures by cause) still reach the site's report."""

    def __init__(self, message: str, stats: dict):
        super().__init__(message)
        self.stats = stats


class SitesFailed(Exception):
    """The outcome of a run in which some sites failed or were interrupted; every report rides along."""

    def __init__(self, reports: list[SiteReport]):
        super().__init__("; ".join(f"{r.site}: {r.error or f'{r.status}: {r.reason}'}" for r in reports
                                   if r.status not in health.HEALTHY))
        self.reports = reports


def flow_settings() -> config.FlowSettings:
    return config.settings().flows


def _known_urls_file(store: Store, site: str) -> Path:
    path = config.data_dir() / "state" / f"{site}.known-urls.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{url}\n" for url in sorted(store.known_urls(site))), encoding="utf-8")
    return path


@task(name="crawl-site", task_run_name="crawl {site.name}", cache_policy=NO_CACHE, persist_result=False)
def crawl_task(site: SiteConfig, config_path: Path, mode: str, since: date | None, until: date | None,
               known_urls_file: Path, frontier_run: str) -> dict:
    interrupt.check()
    logger = get_run_logger()
    settings = flow_settings()
    result = crawl_site(
        config_path,
        archive_dir=config.archive_dir(),
        mode=mode,
        since=since,
        until=until,
        known_urls_file=known_urls_file,
        jobdir=config.data_dir() / "jobs" / f"{site.name}-{mode}",
        timeout=settings.crawl_timeout_seconds,
        frontier_run=frontier_run,
    )
    stats = result.stats
    logger.info("site=%s crawl finished rc=%s: %s list pages, %s article pages, %s errors (log: %s)", site.name,
                result.returncode, stats.get("list_pages"), stats.get("article_pages"), stats.get("errors"),
                result.log_path)
    stats["first_failure"] = first_failed_fetch(result.log_path)
    if stats["first_failure"] is None and result.error and not stats.get("list_pages"):
        # Refusals by robots.txt or the offsite filter are not logged; with no list page, every start URL failed.
        stats["first_failure"] = site.start_urls[0]
    stats["log"] = str(result.log_path) if result.log_path else None
    if result.error and not interrupt.received():  # an interrupted crawl is resumed by the next run, not retried
        raise CrawlFailed(result.error, stats)
    return {"warc_paths": [str(p) for p in result.warc_paths], "stats": stats}


def _unless_interrupted(task, task_run, state) -> bool:
    """A retry that was waiting when the run was stopped gives up instead of crawling again."""
    return interrupt.received() is None


FAILED_FETCH_MARK = "ERROR: fetch failed: "  # how the spider logs a request that gave no page


def first_failed_fetch(log_path: Path | None) -> str | None:
    """`URL (reason)` of the crawl log's first failed fetch."""
    if log_path is None or not Path(log_path).is_file():
        return None
    with Path(log_path).open(encoding="utf-8", errors="replace") as log:
        for line in log:
            if FAILED_FETCH_MARK in line:
                return line.split(FAILED_FETCH_MARK, 1)[1].strip()
    return None


def _loading_until_interrupted(pages):
    for page in pages:
        interrupt.check()
        yield page


@task(name="process-site", task_run_name="process {site.name}", cache_policy=NO_CACHE, persist_result=False)
def process_task(site: SiteConfig, warc_paths: list[str], run_id: int, crawled_records: int | None) -> dict:
    store = Store()
    pages = _loading_until_interrupted(page for path in warc_paths for page in read_archive(path))
    stats = ingest_pages(pages, store, site=site.name, run_id=run_id, timezone=site.timezone,
                         encoding=site.encoding, site_rules=site.extract, workers=flow_settings().extraction_processes,
                         on_batch=lambda done: progress.report(site.name, "loading", done=done,
                                                               total=crawled_records))
    for sample in stats.errors[:20]:
        get_run_logger().warning("site=%s %s", site.name, sample)
    return stats.as_dict()


@task(name="site-pipeline", task_run_name="{site.name}", cache_policy=NO_CACHE, persist_result=False)
def site_pipeline(site: SiteConfig, config_path: Path, mode: str, since: date | None, until: date | None,
                  frontier_run: str) -> SiteReport:
    """Crawl then load one site; every failure ends as a failed (or interrupted) report instead of an exception."""
    started = time.monotonic()
    report = SiteReport(site=site.name)
    if interrupt.received():
        report.status, report.error = "interrupted", f"not started: {interrupt.signal_name()} stopped the run"
        return report
    settings = flow_settings()
    retries, delay = settings.crawl_retries, settings.crawl_retry_delay_seconds
    # Back off: a site that is down for a minute is often still down a minute later.
    crawl = crawl_task.with_options(retries=retries, retry_delay_seconds=[delay * 2**n for n in range(retries)],
                                    retry_condition_fn=_unless_interrupted)
    store = run_id = None
    stage = "crawling"
    try:
        store = Store()
        run_id = store.start_run(site.name, mode)
        progress.report(site.name, "crawling")
        crawled = crawl(site, config_path, mode, since, until, _known_urls_file(store, site.name), frontier_run)
        _take_crawl_stats(report, crawled["stats"])
        interrupt.check()
        stage = "loading"
        progress.report(site.name, "loading", done=0, total=report.crawl.get("archived_records"))
        processed = process_task(site, crawled["warc_paths"], run_id, report.crawl.get("archived_records"))
        for key in ("list_pages", "article_pages", "new", "updated", "unchanged", "duplicates", "errors",
                    "extraction"):
            setattr(report, key, processed[key])
        # robots.txt refusing an article is the site's policy, counted in causes but no error of a crawl
        # that read its lists; a crawl that could read nothing counts every cause (below)
        report.errors += sum(count for cause, count in report.causes.items() if cause != "robots")
    except Exception as exc:  # noqa: BLE001 - isolate the site: the others go on, the report says why
        if isinstance(exc, CrawlFailed):
            _take_crawl_stats(report, exc.stats)
            report.errors = sum(report.causes.values())
        if interrupt.received():
            report.status, report.error = "interrupted", _interrupted_while(stage, site.name)
        else:
            report.status, report.error = "failed", _failure(exc, report, stage)
        get_run_logger().error("site=%s %s: %s", site.name, report.status, report.error)
    report.seconds = round(time.monotonic() - started, 1)
    signals = _judge_health(store, run_id, site, report) if run_id is not None and report.status != "interrupted" else None
    fetched = report.crawl.get("archived_records", 0)
    progress.report(site.name, f"done: {report.new} new" if report.status == "ok" else report.status,
                    done=fetched, total=fetched)
    if run_id is not None:
        _record_run(store, run_id, report, signals)
    return report


def _judge_health(store: Store, run_id: int, site: SiteConfig, report: SiteReport) -> health.Signals | None:
    """Tonight's run against the site's earlier runs: the report's status becomes its health, with the reason.
    A site that is not healthy is logged and announced as a Prefect event (`dangjian.site.<status>`), which
    automations turn into notifications."""
    thresholds = site.health_settings
    signals = health.signals_of(asdict(report))
    try:
        history = [health.RunRecord.from_row(row)
                   for row in store.run_history(site.name, runs=thresholds.window_runs, before=run_id)]
    except Exception as exc:  # noqa: BLE001 - the database went away: the crawl's own outcome stands
        get_run_logger().error("site=%s: could not read its earlier runs to judge its health: %s", site.name, exc)
        return None
    verdict = health.judge(signals, history, thresholds, datetime.now(UTC))
    report.status, report.reason = verdict.status, verdict.reason
    if verdict.status != "ok":
        get_run_logger().warning("site=%s %s: %s", site.name, verdict.status, "; ".join(verdict.findings))
        emit_event(f"dangjian.site.{verdict.status}",
                   resource={"prefect.resource.id": f"dangjian.site.{site.name}", "prefect.resource.name": site.name},
                   payload={"site": site.name, "status": verdict.status, "reason": verdict.reason,
                            "findings": verdict.findings})
    return signals


def _take_crawl_stats(report: SiteReport, stats: dict) -> None:
    report.crawl = stats
    report.causes = stats.get("causes", {})
    report.first_failure, report.log = stats.get("first_failure"), stats.get("log")


def _failure(exc: Exception, report: SiteReport, stage: str) -> str:
    """The cause first, then the first failed fetch and the log: what an operator checks, in that order."""
    if isinstance(exc, StoreUnavailableError):
        return f"{database.unavailable(exc)}; " + (database.ARCHIVE_HINT if stage == "loading" else "nothing crawled")
    if not isinstance(exc, CrawlFailed):
        return f"{type(exc).__name__}: {exc}"
    details = [f"first failure: {report.first_failure}"] if report.first_failure else []
    details += [f"log: {report.log}"] if report.log else []
    return "; ".join([f"crawl failed: {exc}", *details])


def _interrupted_while(stage: str, site: str) -> str:
    if stage == "crawling":
        return (f"{interrupt.signal_name()} while crawling: crawl state and job directory kept, "
                "the next run resumes and loads what was fetched")
    return (f"{interrupt.signal_name()} while loading: batches loaded so far are stored; "
            f"`dangjian reprocess --site {site}` loads the rest from the archive")


def _record_run(store: Store, run_id: int, report: SiteReport, signals: health.Signals | None) -> None:
    """The run's row in the database; if the database went away meanwhile, the report still reaches the caller
    (the pages are safe in the archive, and `dangjian reprocess` loads them later)."""
    try:
        store.finish_run(run_id, stats=asdict(report), error=report.error,
                         health=report.status if signals else None, health_reason=report.reason,
                         health_signals=signals.as_dict() if signals else None)
    except Exception as exc:  # noqa: BLE001
        get_run_logger().error("site=%s: could not record the run: %s", report.site, exc)


def summary_markdown(reports: list[SiteReport], title: str) -> str:
    lines = [f"# {title}", "", "| site | status | reason | list pages | article pages | new | updated | duplicates | "
             "errors | seconds |", "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {r.site} | {r.status} | {(r.reason or '').replace('|', '/')} | {r.list_pages} | {r.article_pages} | "
              f"{r.new} | {r.updated} | {r.duplicates} | {r.errors} | {r.seconds} |" for r in reports]
    lines += [f"\n**{r.site}** failed: {r.error}" for r in reports if r.error]
    return "\n".join(lines)


def _crawl_sites(config_paths: list[Path] | None, mode: str, since: date | None, until: date | None,
                 frontier_run: str | None):
    """The sites' reports when every site succeeded, else a Failed (Cancelled when interrupted) state whose
    message names each failed site and why, and whose data is a SitesFailed carrying every report."""
    sites = load_distinct_site_configs(config_paths or enabled_site_paths())
    if not sites:
        get_run_logger().warning("no enabled site in %s: nothing to crawl (`dangjian sites add URL` adds one)",
                                 config.sites_dir())
    with interrupt.handled():
        # With a shared Redis frontier every process crawling a site on the same night joins one job: the
        # night is this flow run's scheduled start, which its retries keep, so a retry rejoins the job too.
        night = flow_run.get_scheduled_start_time()
        futures = [site_pipeline.submit(site, path, mode, since, until, frontier_run or frontier_run_id(
            site, mode, at=night, since=since, until=until)) for site, path in sites]
        reports = [future.result() for future in futures]
    create_markdown_artifact(summary_markdown(reports, f"{mode} crawl"), key=f"{mode}-summary",
                             description=f"Per-site counts of the {mode} crawl")
    if all(r.status in health.HEALTHY for r in reports):
        return reports
    outcome = SitesFailed(reports)
    if interrupt.received():
        return Cancelled(message=f"{interrupt.signal_name()}: {outcome}", data=outcome)
    return Failed(message=str(outcome), data=outcome)


@flow(name="nightly-crawl")
def nightly_crawl(config_paths: list[Path] | None = None, frontier_run: str | None = None) -> list[SiteReport]:
    """Fetch the list pages of every given site (default: every enabled one in config/sites), follow only
    new article links, and load what is new. Called directly, it raises SitesFailed if a site failed.
    `frontier_run`: the shared-frontier job to join (default: the night's date in each site's time zone)."""
    return _crawl_sites(config_paths, "nightly", None, None, frontier_run)


@flow(name="backfill")
def backfill(config_paths: list[Path], since: date, until: date | None = None,
             frontier_run: str | None = None) -> list[SiteReport]:
    """Page deeper into the sites' columns until list dates pass `since`; skip what is already stored.
    `frontier_run`: the shared-frontier job to join (default: the night's date and the since..until window)."""
    return _crawl_sites(config_paths, "backfill", since, until, frontier_run)


def with_configured_runner(flow_obj):
    """The flow with its site concurrency taken from config/settings.yaml at call time, not import time."""
    return flow_obj.with_options(task_runner=ThreadPoolTaskRunner(max_workers=flow_settings().concurrency))
