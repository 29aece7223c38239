"""Run one site's crawl in its own OS process, and the command line that process runs.

Scrapy's Twisted reactor cannot be restarted and Prefect runs tasks in threads, so `crawl_site` (called
by the flows) starts `python -m crawlers.run …` and reads the JSON stats it prints as its last stdout
line. Exit codes: 0 crawled, 1 crawl failed, 2 bad config.

Per site, under `archive_dir/<site>/`: one `<site>-<stamp>.warc.gz` per run (+ its `.log`), and
`crawl-state.json`: ETag / Last-Modified of list pages and where their last copy is archived (for
conditional GETs), and the article URLs that cannot be fetched (robots.txt, 4xx), which nightly runs
count as known so one forbidden link does not keep a column paging forever, and the article URL templates
the list pages showed (crawlers/article_blocks.py), so the next night knows the site's article shape at once.
A job directory (`jobdir`) makes a crawl resumable: it lists the WARC files the unfinished job has written;
a rerun with the same jobdir replays the list pages and skips the articles already in them. A crawl that
finishes closes its job, so one fixed jobdir per site and mode is right: the next run after a finished one
starts afresh, the next run after a killed or failed one resumes.
With a shared frontier (`--frontier redis://…`, a site's `frontier:` key or `crawl.frontier` in
config/settings.yaml) the Redis queue is the job state instead: processes given the same site, mode and
`--frontier-run` id split the crawl, and a rerun with that id resumes it; the jobdir is not used then
(see crawlers/frontier.py and docs/scaling.md). The id defaults to `frontier_run_id`: the night's date in the
site's time zone (and a backfill's window), so independent invocations on one night join one job.
With a remote archive (`--archive-url s3://…`, `DANGJIAN_ARCHIVE_URL`) `archive_dir` is the local spool: the
WARC file is written there as always and uploaded when the crawl ends (an old job's files before it resumes,
a killed crawl's by `crawl_site`); its records' archive_refs name the uploaded copy. `crawl-state.json` stays
in the spool directory of the machine that crawled.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from pipelines.archive import archive_exists, read_archive, upload_archive
from pipelines.config import ConfigError, remote_archive_url

EXIT_OK, EXIT_FAILED, EXIT_BAD_CONFIG = 0, 1, 2
STATE_FILE = "crawl-state.json"
JOB_WARCS_FILE = "warcs.txt"
TIMEOUT_GRACE = 0.9  # the child closes itself at this share of the timeout, before the parent kills it
SUMMARY_KEYS = {  # our name -> Scrapy stats key
    "list_pages": "dangjian/list_pages",
    "article_pages": "dangjian/article_pages",
    "not_modified": "dangjian/not_modified",
    "replayed": "dangjian/replayed",
    "skipped_known": "dangjian/skipped_known",
    "skipped_archived": "dangjian/skipped_archived",
    "skipped_unfetchable": "dangjian/skipped_unfetchable",
    "skipped_out_of_window": "dangjian/skipped_out_of_window",
    "attachments_not_fetched": "dangjian/attachments_not_fetched",
    "robots_forbidden": "robotstxt/forbidden",
    "archived_records": "dangjian/archived_records",
    "responses": "downloader/response_count",
    "bytes": "downloader/response_bytes",
    "retries": "retry/count",
    "errors": "log_count/ERROR",
    "frontier_list_pages": "dangjian/frontier/job_list_pages",
}


@dataclass
class CrawlResult:
    site: str
    warc_paths: list[Path | str]  # local files, or the URLs of their uploaded copies in a remote archive
    stats: dict
    returncode: int
    error: str | None = None
    log_path: Path | None = field(default=None, repr=False)


def crawl_site(config_path: Path, *, archive_dir: Path, mode: Literal["nightly", "backfill", "probe"] = "nightly",
               since: date | None = None, until: date | None = None, known_urls_file: Path | None = None,
               jobdir: Path | None = None, timeout: float | None = None, settings: dict | None = None,
               frontier: str | None = None, frontier_run: str | None = None,
               archive_url: str | None = None) -> CrawlResult:
    """Crawl one site in a child process; WARC paths are this run's file plus the job's earlier ones.
    `frontier` (a Redis URL) overrides the configured one; `frontier_run` names the shared job (default:
    `frontier_run_id` of now).
    `archive_url` (an fsspec URL; default: the configured archive when it is remote) receives the finished
    WARC files, `archive_dir` being their local spool; without one they stay in `archive_dir`."""
    from crawlers.site_config import load_site_config

    try:
        config = load_site_config(Path(config_path))
        if frontier_url(config, frontier):
            jobdir = None
        archive_url = None if mode == "probe" else archive_url or remote_archive_url()  # a probe keeps nothing
    except ConfigError as exc:
        return CrawlResult(Path(config_path).stem, [], {}, EXIT_BAD_CONFIG, str(exc))
    warc_path = new_warc_path(Path(archive_dir).resolve(), config.name)
    earlier = job_warcs(Path(jobdir)) if jobdir else []
    command = [sys.executable, "-m", "crawlers.run", "--config", str(config_path), "--archive-dir", str(archive_dir),
               "--mode", mode, "--warc-file", str(warc_path)]
    command += _optional_args(since=since, until=until, known_urls=known_urls_file, jobdir=jobdir,
                              timeout=timeout * TIMEOUT_GRACE if timeout else None,
                              frontier=frontier, frontier_run=frontier_run, archive_url=archive_url)
    if settings:
        command += ["--settings-json", json.dumps(settings)]
    log_path = warc_path.with_suffix("").with_suffix(".log")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w", encoding="utf-8") as log:
        try:
            child = subprocess.run(command, stdout=subprocess.PIPE, stderr=log, text=True, timeout=timeout,
                                   cwd=Path(__file__).resolve().parent.parent)
            stats, returncode = _last_json_line(child.stdout), child.returncode
            error = stats.get("error") or (None if returncode == EXIT_OK else f"exit {returncode}; see {log_path}")
        except subprocess.TimeoutExpired:
            stats, returncode, error = {}, EXIT_FAILED, f"killed after {timeout:.0f}s timeout; see {log_path}"
    try:  # what the child could not upload (killed, or the store was away) goes up now
        warc_paths = publish_warcs([*earlier, warc_path], archive_url, config.name)
    except Exception as exc:  # noqa: BLE001 - any store error: the files stay spooled, the result says why
        return CrawlResult(config.name, _existing([*earlier, warc_path]), stats, EXIT_FAILED,
                           upload_error(archive_url, warc_path, exc), log_path)
    return CrawlResult(config.name, warc_paths, stats, returncode, error, log_path)


def _optional_args(**values) -> list[str]:
    args: list[str] = []
    for name, value in values.items():
        if value is not None:
            args += [f"--{name.replace('_', '-')}", str(value)]
    return args


def _existing(paths: Iterable[Path]) -> list[Path]:
    return [Path(path) for path in dict.fromkeys(paths) if Path(path).exists()]


def _last_json_line(stdout: str) -> dict:
    for line in reversed(stdout.strip().splitlines()):
        try:
            return json.loads(line)
        except json.JSONDecodeError:
            continue
    return {}


# --- the child process ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from crawlers.site_config import load_site_config

    try:
        config = load_site_config(args.config)
        args.frontier = None if args.mode == "probe" else frontier_url(config, args.frontier)
    except ConfigError as exc:
        print(json.dumps({"error": str(exc)}, ensure_ascii=False))
        return EXIT_BAD_CONFIG
    summary = run_crawl(config, args)
    print(json.dumps(summary, ensure_ascii=False, default=str))
    return EXIT_OK if summary.get("error") is None else EXIT_FAILED


def run_crawl(config, args: argparse.Namespace) -> dict:
    from scrapy.crawler import CrawlerProcess

    from crawlers.link_rules import LinkRules
    from crawlers.spiders.site import CrawlPlan, SiteSpider

    site_dir = args.archive_dir / config.name
    warc_path = args.warc_file or new_warc_path(args.archive_dir, config.name)
    jobdir = None if args.frontier else args.jobdir  # the shared frontier is the job state
    # An old job's files go up before the crawl replays them, so every archive_ref names the remote copy.
    earlier = publish_warcs(job_warcs(jobdir), args.archive_url, config.name) if jobdir else []
    if jobdir:
        register_job_warc(jobdir, warc_path)
    link_rules = LinkRules(config)
    state_path = site_dir / STATE_FILE
    state = load_state(state_path)
    plan = CrawlPlan(
        config=config, mode=args.mode, since=args.since, until=args.until,
        known_urls=read_known_urls(args.known_urls, link_rules.canonical) if args.known_urls else set(),
        archived=archived_index(earlier),
        validators=state["validators"],
        unfetchable=state["unfetchable"],
        templates=state["templates"],
    )
    published_as = remote_warc_url(args.archive_url, config.name, warc_path) if args.archive_url else None
    settings = site_settings(config, warc_path, published_as=published_as, timeout=args.timeout,
                             overrides=args.settings_json)
    job = None
    if args.frontier:
        from crawlers.frontier import frontier_settings, job_key

        run = args.frontier_run or frontier_run_id(config, args.mode, since=args.since, until=args.until)
        job = job_key(config.name, args.mode, run)
        settings.setdict(frontier_settings(args.frontier, job), priority="cmdline")
    started = time.monotonic()
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(SiteSpider)
    process.crawl(crawler, plan=plan)
    process.start()
    learned = dict(crawler.spider.link_rules.learned)
    if args.mode != "probe":  # a probe looks; it leaves the site's state as the crawls left it
        try:
            save_state(state_path, {"validators": plan.validators, "unfetchable": plan.unfetchable,
                                    "templates": learned})
        except OSError as exc:  # the state only saves requests; a full disk must not hide the crawl's own summary
            logging.getLogger(__name__).warning("could not save %s (%s); the next run starts without it",
                                                state_path, exc)
    summary = summarize(crawler.stats.get_stats())
    summary.update(site=config.name, mode=args.mode, warc_path=str(warc_path),
                   elapsed_seconds=round(time.monotonic() - started, 2), frontier_job=job)
    if args.mode == "probe":
        summary.update(discovery=crawler.spider.discovery, templates=learned)
    if published_as:
        try:
            summary["warc_path"] = upload_archive(warc_path, published_as)
        except Exception as exc:  # noqa: BLE001 - any store error: the file stays spooled, the summary says why
            summary["upload_error"] = upload_error(args.archive_url, warc_path, exc)
    summary["error"] = crawl_error(summary)
    if jobdir and summary["error"] is None:
        close_job(jobdir)
    return summary


def site_settings(config, warc_path: Path, *, published_as: str | None = None, timeout: float | None = None,
                  overrides: dict | None = None) -> dict:
    from scrapy.utils.project import get_project_settings

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawlers.settings")
    settings = get_project_settings()
    settings.setdict({
        "DANGJIAN_SITE": config.name,
        "DANGJIAN_WARC_PATH": str(warc_path),
        "DANGJIAN_WARC_URL": published_as,
        "CONCURRENT_REQUESTS_PER_DOMAIN": config.concurrency,
        "DOWNLOAD_DELAY": config.download_delay,
        "AUTOTHROTTLE_START_DELAY": config.download_delay,
        "DOWNLOAD_MAXSIZE": config.max_response_bytes,
        "DOWNLOAD_WARNSIZE": config.max_response_bytes // 2,
        "DOWNLOAD_TIMEOUT": config.download_timeout,
        "CLOSESPIDER_PAGECOUNT": config.max_pages,
        "CLOSESPIDER_TIMEOUT": timeout or 0,
        "USER_AGENT": config.user_agent or settings.get("USER_AGENT"),
    }, priority="spider")
    settings.setdict(overrides or {}, priority="cmdline")
    return settings


def summarize(stats: dict) -> dict:
    summary = {name: stats.get(key, 0) for name, key in SUMMARY_KEYS.items()}
    summary["offsite_dropped"] = stats.get("dangjian/offsite_dropped", 0) + stats.get("offsite/filtered", 0)
    summary["trap_dropped"] = sum(value for key, value in stats.items() if key.startswith("dangjian/trap_dropped/"))
    summary["failed"] = {key.rsplit("/", 1)[1]: value for key, value in stats.items() if key.startswith("dangjian/failed/")}
    summary["failure_reasons"] = {key.rsplit("/", 1)[1]: value for key, value in stats.items()
                                  if key.startswith("dangjian/failure_reason/")}
    summary["causes"] = failure_causes(summary["failure_reasons"], stats)
    summary["archive_error"] = stats.get("dangjian/archive_error")
    summary["stops"] = {key.rsplit("/", 1)[1]: value for key, value in stats.items() if key.startswith("dangjian/stop/")}
    summary["finish_reason"] = stats.get("finish_reason")
    # per list document: the article links it showed and its title (site health, pipelines/health.py)
    for name, prefix in (("list_links", "dangjian/list_links/"), ("list_titles", "dangjian/list_title/")):
        summary[name] = {key.removeprefix(prefix): value for key, value in stats.items() if key.startswith(prefix)}
    summary["statuses"] = {key.rsplit("/", 1)[1]: value for key, value in stats.items()
                           if key.startswith("downloader/response_status_count/")}
    return summary


FAILURE_CAUSES = {  # the exception class a failed request ends with -> the cause an operator acts on
    "CannotResolveHostError": "dns",
    "DNSLookupError": "dns",
    "DownloadConnectionRefusedError": "refused",
    "ConnectionRefusedError": "refused",
    "DownloadTimeoutError": "timeout",
    "TimeoutError": "timeout",
    "TCPTimedOutError": "timeout",
    # Twisted's ResponseFailed: a TLS handshake error, a reset or a lost connection; the log's message says which.
    "DownloadFailedError": "connection_failed",
    "TLSError": "tls",
}


def failure_causes(failure_reasons: dict[str, int], stats: dict) -> dict[str, int]:
    """Failed requests counted by cause: dns, refused, timeout, tls, connection_failed, http_<status>, robots
    (refused by robots.txt), offsite_redirect (redirected off the allowed hosts), or the exception's class."""
    causes: dict[str, int] = {}
    for reason, count in failure_reasons.items():
        cause = FAILURE_CAUSES.get(reason, reason)
        causes[cause] = causes.get(cause, 0) + count
    # The spider drops off-site links itself, so Scrapy's offsite filter only sees redirects leaving the site.
    for cause, key in (("robots", "robotstxt/forbidden"), ("offsite_redirect", "offsite/filtered")):
        if stats.get(key):
            causes[cause] = stats[key]
    return dict(sorted(causes.items()))


def describe_causes(causes: dict[str, int]) -> str:
    return ", ".join(f"{cause} ×{count}" for cause, count in causes.items())


def crawl_error(summary: dict) -> str | None:
    if summary.get("upload_error"):
        return summary["upload_error"]
    if summary.get("archive_error"):
        return (f"archive write failed, crawl stopped: {summary['archive_error']}. Records before it are intact; "
                "free space and run again to resume")
    if summary["finish_reason"] not in ("finished", "closespider_pagecount"):
        return f"crawl ended early: {summary['finish_reason']}"
    # With a shared frontier a process may find its peers fetched every list page: the job's count decides.
    if not (summary["list_pages"] or summary["not_modified"] or summary["replayed"] or summary["frontier_list_pages"]):
        causes = describe_causes(summary["causes"]) or "no start URL answered with a list page"
        return f"no list page could be fetched: {causes}"
    return None


def frontier_url(config, override: str | None = None) -> str | None:
    """The Redis URL of the shared frontier: the command line's, else the site's, else the pipeline's."""
    from pipelines.config import check_frontier_url, settings

    url = override or config.frontier or settings().crawl.frontier or None
    try:
        return check_frontier_url(url)
    except ValueError as exc:
        raise ConfigError(f"frontier: {exc}") from exc


def frontier_run_id(config, mode: str, *, at: datetime | None = None, since: date | None = None,
                    until: date | None = None) -> str:
    """The shared-frontier run every process crawling `config` in `mode` joins unless given another id: the
    date, in the site's time zone, of `at` (the scheduled start of the night's run; default now), so separate
    invocations, machines and retries of one night share a job; a backfill adds its window, so a different
    window is a different job. The job key adds the site and the mode (`crawlers.frontier.job_key`)."""
    day = (at or datetime.now(UTC)).astimezone(ZoneInfo(config.timezone)).date().isoformat()
    if mode != "backfill":
        return day
    return f"{day}:{since.isoformat() if since else ''}..{until.isoformat() if until else ''}"


def upload_error(archive_url: str, warc_path: Path, exc: Exception) -> str:
    return (f"archive upload to {archive_url} failed ({type(exc).__name__}: {exc}); the WARC files stay in "
            f"{Path(warc_path).parent}, and the job's next run (or crawl_site) uploads them")


# --- state between runs -------------------------------------------------------------------------------------


def new_warc_path(archive_dir: Path, site: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return Path(archive_dir) / site / f"{site}-{stamp}-{os.getpid()}.warc.gz"


def remote_warc_url(archive_url: str, site: str, warc_path: Path) -> str:
    return f"{archive_url.rstrip('/')}/{site}/{Path(warc_path).name}"


def publish_warcs(warc_paths: Iterable[Path], archive_url: str | None, site: str) -> list[Path | str]:
    """Where readers find these WARC files: without a remote archive the local files that exist; with one the
    URLs of their copies there, uploading each that is still in the local spool. Never-written files drop out."""
    if not archive_url:
        return _existing(warc_paths)
    located: list[Path | str] = []
    for path in dict.fromkeys(map(Path, warc_paths)):
        url = remote_warc_url(archive_url, site, path)
        if path.exists():
            located.append(upload_archive(path, url))
        elif archive_exists(url):
            located.append(url)
    return located


def job_warcs(jobdir: Path) -> list[Path]:
    listing = Path(jobdir) / JOB_WARCS_FILE
    if not listing.exists():
        return []
    return [Path(line) for line in listing.read_text(encoding="utf-8").splitlines() if line.strip()]


def register_job_warc(jobdir: Path, warc_path: Path) -> None:
    Path(jobdir).mkdir(parents=True, exist_ok=True)
    if Path(warc_path) in job_warcs(jobdir):
        return
    with (Path(jobdir) / JOB_WARCS_FILE).open("a", encoding="utf-8") as listing:
        listing.write(f"{Path(warc_path).resolve()}\n")


def close_job(jobdir: Path) -> None:
    (Path(jobdir) / JOB_WARCS_FILE).unlink(missing_ok=True)


def archived_index(warc_paths: Iterable[Path | str]) -> dict[str, tuple[str, str]]:
    """URL -> (kind, archive_ref) of every complete 2xx response the job's earlier runs archived."""
    index: dict[str, tuple[str, str]] = {}
    for path in warc_paths:
        if not archive_exists(path):
            continue
        for page in read_archive(path):
            if 200 <= page.status < 300 and page.url and page.kind in ("list", "article", "part"):
                index[page.url] = (page.kind, page.archive_ref)
    return index


def read_known_urls(path: Path, canonical) -> set[str]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return {canonical(line.strip()) for line in lines if line.strip()}


def load_state(path: Path) -> dict[str, dict]:
    """The site's state between runs; validators only where the archived copy still exists (a 304 is
    only useful if we can read the old page)."""
    state = {"validators": {}, "unfetchable": {}, "templates": {}}
    if path.exists():
        try:
            state.update(json.loads(path.read_text(encoding="utf-8")))
        except json.JSONDecodeError:
            pass
    archived = {location: archive_exists(location) for location in
                {entry.get("archive_ref", "").rpartition("#")[0] for entry in state["validators"].values()}}
    state["validators"] = {url: entry for url, entry in state["validators"].items()
                           if archived[entry.get("archive_ref", "").rpartition("#")[0]]}
    return state


def save_state(path: Path, state: dict) -> None:
    """Merged into what is on disk: processes sharing a frontier and an archive dir each save their part."""
    on_disk = load_state(path)
    state = {key: {**on_disk[key], **state.get(key, {})} for key in on_disk}
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".json.partial")
    try:
        partial.write_text(json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    except OSError:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(path)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m crawlers.run", description="Crawl one site into a WARC file.")
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--archive-dir", type=Path, required=True,
                        help="where the WARC file is written (the local spool when --archive-url is given)")
    parser.add_argument("--archive-url", help="remote archive (fsspec URL) the finished WARC files are uploaded to")
    parser.add_argument("--mode", choices=("nightly", "backfill", "probe"), default="nightly",
                        help="probe: read the start URLs' list documents and report them, fetch no article")
    parser.add_argument("--since", type=date.fromisoformat)
    parser.add_argument("--until", type=date.fromisoformat)
    parser.add_argument("--known-urls", type=Path, help="canonical URLs already stored, one per line")
    parser.add_argument("--jobdir", type=Path, help="resume state of this crawl job")
    parser.add_argument("--warc-file", type=Path, help="default: a new file under ARCHIVE_DIR/<site>/")
    parser.add_argument("--timeout", type=float, help="seconds after which the crawl closes itself")
    parser.add_argument("--settings-json", type=json.loads, help="Scrapy settings overriding the defaults")
    parser.add_argument("--frontier", help="Redis URL of a shared frontier (default: site config, settings.yaml)")
    parser.add_argument("--frontier-run", help="id shared by the processes of one distributed run (default: the "
                        "date in the site's time zone, and a backfill's --since..--until)")
    return parser


if __name__ == "__main__":
    sys.exit(main())
