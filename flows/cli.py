"""The `dangjian` command line: plain words in, a summary and an exit code a cron job can act on out.

Exit codes: 0 ok, 1 some sites or inputs failed, 2 usage or configuration error.
Heavy imports (Prefect, Scrapy, SQLAlchemy) happen inside the commands that need them, so that
`dangjian extract` starts fast and never loads the orchestration stack.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    help="dangjian: crawl, clean and store Chinese party-building (党建) news.",
)


@app.callback()
def _check_settings() -> None:
    """A mistake in config/settings.yaml stops every command before it starts, naming the file and the key."""
    from pipelines.config import settings

    settings()


DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default: $DANGJIAN_DB_URL, else SQLite in the data directory)."),
]


def _use_db(db: str | None) -> None:
    """--db over $DANGJIAN_DB_URL. A URL SQLAlchemy cannot read is a usage error, and a SQLite file whose
    directory cannot be written fails at once: no retry makes either work."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from pipelines.config import db_url

    if db:
        os.environ["DANGJIAN_DB_URL"] = db
    try:
        url = make_url(db_url())
        url.get_dialect()
    except ArgumentError as exc:
        raise _fail_usage(f"not a database URL (--db or DANGJIAN_DB_URL): {exc}") from exc
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        directory = Path(url.database).resolve().parent
        try:
            directory.mkdir(parents=True, exist_ok=True)
            writable = os.access(directory, os.W_OK)
        except OSError as exc:
            writable, directory = False, f"{directory} ({exc.strerror})"
        if not writable:
            typer.echo(f"error: {url}: the SQLite database's directory {directory} cannot be written", err=True)
            raise typer.Exit(EXIT_FAILED)


def _require_database(consequence: str) -> None:
    """Open (and migrate) the database before a flow starts: one line and exit 1 here, instead of the same
    failure once per site inside the flow."""
    from flows.database import unavailable
    from pipelines.store import Store, StoreUnavailableError

    try:
        Store()
    except StoreUnavailableError as exc:
        typer.echo(f"error: {unavailable(exc)}; {consequence}", err=True)
        raise typer.Exit(EXIT_FAILED) from exc


def _print_json(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="HTML files (any Chinese encoding) or plain-text dumps.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per input, one per line.")] = False,
    workers: Annotated[int, typer.Option(help="Processes to spread the files over (0 = all cores).")] = 0,
    timezone: Annotated[str, typer.Option(help="Time zone for dates without an offset.")] = "Asia/Shanghai",
) -> None:
    """Extract the article from each file and print it, in input order.

    Example: [bold]dangjian extract --json page1.html page2.txt[/bold]
    An unreadable input gives a line with an "error" key and the others still print: the exit code stays 0
    because every input got its answer (scripts read the "error" keys).
    """
    from pipelines.batch import extract_files

    for path, result in zip(paths, extract_files(paths, workers=workers, timezone=timezone), strict=True):
        if as_json:
            _print_json(result)
        else:
            _print_article(path, result)


def _print_article(path: Path, result: dict) -> None:
    from rich.console import Console

    console = Console()
    console.rule(str(path))
    if "error" in result:
        console.print(f"[red]error:[/red] {result['error']}")
        return
    for key in ("title", "subtitle", "published_at", "authors", "source", "site_name", "category", "editors",
                "photographers", "keywords"):
        if result.get(key):
            console.print(f"[bold]{key}[/bold]: {result[key]}")
    console.print(result.get("body") or "[dim](no body)[/dim]")


ConfigOption = Annotated[
    list[Path] | None,
    typer.Option("--config", "-c", help="A site config YAML file, from any path (repeatable)."),
]
SiteOption = Annotated[
    list[str] | None, typer.Option("--site", "-s", help="A site by name: config/sites/NAME.yaml (repeatable).")
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Only warnings and the final summary.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON (for scripts).")]
FrontierRunOption = Annotated[str | None, typer.Option(
    "--frontier-run", metavar="ID",
    help="With a shared Redis frontier: the job to join, so processes on several machines split one crawl "
         "(default: the night's date in the site's time zone; a backfill adds its --since..--until).")]


def _fail_usage(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_USAGE)


ADD_A_SITE = "Add one with `dangjian sites add URL [--name NAME]` (it checks the URL, then enables the site)."


def _unknown_site(names: list[str], known: list[str], where: str) -> typer.Exit:
    return _fail_usage(f"no site named {', '.join(map(repr, names))} in {where}; "
                       f"known sites: {', '.join(known) or 'none'}")


def _resolve_site_configs(configs: list[Path] | None, sites: list[str] | None, all_sites: bool) -> list[Path]:
    """The config files named on the command line, validated; usage errors exit 2 with the file and key."""
    from crawlers.site_config import load_distinct_site_configs
    from flows.sites import configured_site_names, enabled_site_paths
    from pipelines.config import ConfigError, sites_dir

    known = configured_site_names()
    if unknown := [name for name in sites or [] if name not in known]:
        raise _unknown_site(unknown, known, str(sites_dir()))
    paths = list(configs or [])
    paths += [sites_dir() / f"{name}.yaml" for name in sites or []]
    try:
        if all_sites:
            enabled = enabled_site_paths()
            if not enabled:
                raise _fail_usage(f"--all: no site in {sites_dir()} is enabled. {ADD_A_SITE}")
            paths += enabled
        if not paths:
            raise _fail_usage("name sites with --config FILE, --site NAME or --all (see --help)")
        if missing := [str(path) for path in paths if not path.is_file()]:
            raise _fail_usage(f"{', '.join(missing)}: no such site config")
        load_distinct_site_configs(paths)
    except ConfigError as exc:
        raise _fail_usage(str(exc)) from exc
    return paths


def _show_progress(quiet: bool, as_json: bool) -> bool:
    """Live progress bars are for a person at a terminal, never for scripts."""
    return not quiet and not as_json and sys.stdout.isatty()


def _prepare_prefect(quiet: bool, as_json: bool = False) -> None:
    """Before the first Prefect import: its home must exist (its ephemeral server keeps a SQLite file there),
    its console logs step aside for --quiet or for the progress bars (Prefect's server keeps them all), and a
    SIGTERM must exit through Python so the ephemeral server it starts is stopped with it."""
    from flows import interrupt

    interrupt.exit_on_sigterm()
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
    if quiet or _show_progress(quiet, as_json):
        os.environ["PREFECT_LOGGING_LEVEL"] = "WARNING"


def _run_sites_flow(flow_obj, *, quiet: bool, as_json: bool, **parameters):
    """Every site's report, also when the flow run ended Failed or Cancelled because some sites did not succeed."""
    from flows import interrupt, progress
    from flows.nightly import SitesFailed, with_configured_runner

    interrupt.start_prefect_server_shielded()
    with progress.shown(_show_progress(quiet, as_json)):
        state = with_configured_runner(flow_obj)(**parameters, return_state=True)
    outcome = state.result(raise_on_failure=False)
    if isinstance(outcome, SitesFailed):
        return outcome.reports
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


def _report_sites(reports, *, as_json: bool, title: str) -> None:
    from dataclasses import asdict

    from flows import interrupt
    from pipelines.health import HEALTHY

    if as_json:
        _print_json({"sites": [asdict(r) for r in reports]})
    else:
        from rich.console import Console
        from rich.text import Text

        _print_table(title, [{"site": r.site, "status": r.status, "list pages": r.list_pages,
                              "article pages": r.article_pages, "new": r.new, "updated": r.updated,
                              "duplicates": r.duplicates, "errors": r.errors, "seconds": r.seconds,
                              "reason": r.reason} for r in reports])
        console = Console(stderr=not sys.stdout.isatty())
        for r in reports:
            if r.error:
                # Plain text: reasons quote URLs and Twisted's "[<Failure …>]", which rich would read as markup.
                console.print(Text.assemble((r.site, "red"), f": {r.error}"), soft_wrap=True)
    if interrupt.received():
        typer.echo(f"interrupted by {interrupt.signal_name()}: run the same command again to resume "
                   "(crawl state, job directories and the archive are kept)", err=True)
        raise typer.Exit(interrupt.exit_code())
    if any(r.status not in HEALTHY for r in reports):  # failed or degraded; a stale site is a warning
        raise typer.Exit(EXIT_FAILED)


@app.command()
def crawl(
    configs: ConfigOption = None,
    sites: SiteOption = None,
    all_sites: Annotated[bool, typer.Option("--all", help="Every enabled site in config/sites/.")] = False,
    frontier_run: FrontierRunOption = None,
    db: DbOption = None,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    """Run the nightly crawl: list pages, then only article links not stored yet; load what is new.

    Examples: [bold]dangjian crawl --all[/bold] · [bold]dangjian crawl --site dangxiao[/bold] ·
    [bold]dangjian crawl --config ~/sites/new-site.yaml[/bold]
    Exit code 0 when every site succeeded, 1 when some failed, 2 on a usage or config error.
    """
    _use_db(db)
    paths = _resolve_site_configs(configs, sites, all_sites)
    _require_database("nothing was crawled")
    _prepare_prefect(quiet, as_json)
    from flows.nightly import nightly_crawl

    reports = _run_sites_flow(nightly_crawl, quiet=quiet, as_json=as_json, config_paths=paths,
                              frontier_run=frontier_run)
    _report_sites(reports, as_json=as_json, title="nightly crawl")


@app.command()
def backfill(
    since: Annotated[str, typer.Option(help="Oldest publication date to reach, YYYY-MM-DD.")],
    until: Annotated[str | None, typer.Option(help="Newest publication date to keep, YYYY-MM-DD.")] = None,
    configs: ConfigOption = None,
    sites: SiteOption = None,
    frontier_run: FrontierRunOption = None,
    db: DbOption = None,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    """Page deep into the sites' columns until list dates pass --since; skip what is stored.

    Safe to interrupt and run again. Example: [bold]dangjian backfill --site dangxiao --since 2020-01-01[/bold]
    """
    from datetime import date

    _use_db(db)
    try:
        since_date = date.fromisoformat(since)
        until_date = date.fromisoformat(until) if until else None
    except ValueError as exc:
        raise _fail_usage(f"--since/--until take YYYY-MM-DD dates: {exc}") from exc
    paths = _resolve_site_configs(configs, sites, False)
    _require_database("nothing was crawled")
    _prepare_prefect(quiet, as_json)
    from flows.nightly import backfill as backfill_flow

    reports = _run_sites_flow(backfill_flow, quiet=quiet, as_json=as_json, config_paths=paths, since=since_date,
                              until=until_date, frontier_run=frontier_run)
    _report_sites(reports, as_json=as_json, title=f"backfill since {since_date}")


@app.command()
def demo(
    db: DbOption = None,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    """Serve the bundled demo sites on 127.0.0.1 (on config/demo's ports where free, else on free ones), run
    the nightly flow on them into the data directory's database (or --db), stop the servers and print a
    summary. Running it again adds nothing new (while the ports stay free: a moved site's URLs change)."""
    from demo.server import FarmServer
    from pipelines.config import data_dir

    _use_db(db)
    _require_database("the demo did not start")
    _prepare_prefect(quiet, as_json)
    from flows.nightly import nightly_crawl

    with FarmServer.for_demo() as farm:
        for site, port in farm.moved.items():
            typer.echo(f"note: port {port} on 127.0.0.1 is in use: {site} is served at {farm.base_urls[site]} "
                       "instead, so its articles are stored under new URLs", err=True)
        paths = farm.write_demo_configs(data_dir() / "demo-sites")
        reports = _run_sites_flow(nightly_crawl, quiet=quiet, as_json=as_json, config_paths=paths)
    _report_sites(reports, as_json=as_json, title="demo: nightly crawl of the bundled sites")


@app.command()
def export(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="jsonl, csv or parquet (parquet needs -o).")] = "jsonl",
    all_copies: Annotated[bool, typer.Option("--all-copies", help="Every stored copy, not one line per story.")] = False,
    since: Annotated[str | None, typer.Option(help="Only articles published on or after YYYY-MM-DD.")] = None,
    site: Annotated[str | None, typer.Option(help="Only this site.")] = None,
    db: DbOption = None,
) -> None:
    """Write the cleaned articles, one per line (or row): by default one per story (its canonical copy) with
    cluster_id, canonical_url and every URL where it appeared.

    Examples: [bold]dangjian export -o articles.jsonl --since 2021-01-01[/bold] ·
    [bold]dangjian export --format parquet -o articles.parquet --all-copies[/bold]
    """
    from datetime import date

    from pipelines.export import FORMATS, export_file, write_rows
    from pipelines.store import Store

    _use_db(db)
    if fmt not in FORMATS:
        raise _fail_usage(f"--format takes {', '.join(FORMATS)}, not {fmt!r}")
    if fmt == "parquet" and not output:
        raise _fail_usage("parquet is a binary format: give an output file with -o FILE.parquet")
    try:
        since_date = date.fromisoformat(since) if since else None
    except ValueError as exc:
        raise _fail_usage(f"--since takes a YYYY-MM-DD date: {exc}") from exc
    rows = Store().export_rows(all_copies=all_copies, since=since_date, site=site, typed=fmt == "parquet")
    if output:
        count = export_file(rows, fmt, output)
        typer.echo(f"wrote {count} articles to {output}", err=True)
    else:
        write_rows(rows, sys.stdout, fmt)


@app.command()
def stats(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Per-site counts: articles, stories, duplicates, date range, last run and its errors and health; articles
    per date source (undated ones too); each site's health over its last runs."""
    from flows.report import by_site, run_status
    from pipelines.store import Store

    _use_db(db)
    store = Store()
    rows, sources = store.stats(), store.date_sources()
    recent = [{"site": site, "health of the last runs (oldest first)": " ".join(map(run_status, runs))}
              for site, runs in by_site(store.run_history(runs=STATS_RUNS)).items()]
    if as_json:
        _print_json({"sites": rows, "date_sources": sources, "health": recent})
        return
    _print_table("articles per site", rows)
    _print_table("articles per date source", sources)
    _print_table("site health", recent)


STATS_RUNS = 10  # runs per site `dangjian stats` shows the health of


@app.command()
def health(
    site: Annotated[str | None, typer.Option("--site", "-s", help="Only this site.")] = None,
    runs: Annotated[int, typer.Option("--runs", "-n", min=1, help="Runs per site, newest last.")] = 10,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Each site's last runs: health (ok, stale, degraded, failed) and why, new articles, the list pages read
    and the article links they showed. Example: [bold]dangjian health --site dangxiao --runs 30[/bold]"""
    from flows.report import run_row
    from pipelines.store import Store

    _use_db(db)
    history = Store().run_history(site, runs=runs)
    if site and not history:
        raise _fail_usage(f"no run of a site named {site!r} is stored (`dangjian stats` lists the sites)")
    if as_json:
        _print_json({"runs": history})
    else:
        _print_table("site health", [run_row(run) for run in history])


@app.command()
def report(
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path("report.html"),
    runs: Annotated[int, typer.Option("--runs", "-n", min=1, help="Runs per site in the sparklines.")] = 30,
    db: DbOption = None,
) -> None:
    """Write one static HTML page (no server needed) with every site's health: a sparkline of new articles per
    run, its status and reason, its last errors and the `dangjian sites check` command to run.
    Example: [bold]dangjian report -o report.html[/bold]"""
    from datetime import UTC, datetime

    from flows.report import render
    from pipelines.config import settings, sites_dir
    from pipelines.store import Store

    _use_db(db)
    configs = {path.stem: path for path in sorted(sites_dir().glob("*.yaml"))}  # `--site NAME` is the file name
    page = render(Store().run_history(runs=runs), configs, timezone=settings().timezone,
                  generated=datetime.now(UTC))
    output.write_text(page, encoding="utf-8")
    typer.echo(f"wrote {output}")


@app.command()
def reindex(db: DbOption = None, quiet: QuietOption = False, as_json: JsonOption = False) -> None:
    """Rebuild the near-duplicate index and the stories of every stored article after
    config/rules/dedup.yaml changed (shingles, permutations, bands, seed, min_chars, ignore_patterns).

    Loads refuse to run against an index built with other settings, and say so, until this has run.
    Safe to interrupt and run again. Example: [bold]dangjian reindex[/bold]
    """
    from flows import progress
    from pipelines.store import Store

    _use_db(db)
    store = Store()
    with progress.shown(_show_progress(quiet, as_json)):
        result = store.reindex(
            on_batch=lambda done, total: progress.report("all articles", "reindexing", done=done, total=total))
    counts = {"articles": result.stories + result.duplicates, "stories": result.stories,
              "duplicates": result.duplicates}
    if as_json:
        _print_json(counts)
    elif not quiet:
        _print_table("reindex", [counts])


def _print_table(title: str, rows: list[dict]) -> None:
    """A table at a terminal; tab-separated lines (a header, then one per row) into a pipe or a log, where
    a table would be cut to 80 columns."""
    from rich.console import Console
    from rich.table import Table

    if not rows:
        Console().print(f"{title}: nothing stored yet")
        return
    if not sys.stdout.isatty():
        for values in ([str(column) for column in rows[0]], *([_cell(v) for v in row.values()] for row in rows)):
            sys.stdout.write("\t".join(value.replace("\t", " ").replace("\n", " ") for value in values) + "\n")
        return
    table = Table(title=title)
    for column in rows[0]:
        table.add_column(str(column))
    for row in rows:
        table.add_row(*(_cell(v) for v in row.values()))
    Console().print(table)


def _cell(value) -> str:
    """Times in the pipeline's zone to the minute, as a reader expects them; None as blank."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from pipelines.config import settings

    if value is None:
        return ""
    if isinstance(value, datetime) and value.tzinfo:
        return value.astimezone(ZoneInfo(settings().timezone)).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dict):  # counts by name, e.g. reprocess's changed_fields
        return ", ".join(f"{name} {count}" for name, count in value.items())
    return str(value)


@app.command()
def reprocess(
    since: Annotated[str | None, typer.Option(help="Only pages fetched on or after YYYY-MM-DD.")] = None,
    site: Annotated[str | None, typer.Option(help="Only this site's archive.")] = None,
    outdated: Annotated[bool, typer.Option(
        "--outdated", help="Only articles extracted by older rules (another extractor_version).")] = False,
    db: DbOption = None,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    """Re-extract every archived page (after the rules changed) without fetching anything again.

    Each article's fields are replaced by the new extraction (a field it no longer finds is cleared);
    `changed_fields` counts the articles each field changed in. Example: [bold]dangjian reprocess --outdated[/bold]
    """
    from datetime import date

    _use_db(db)
    try:
        since_date = date.fromisoformat(since) if since else None
    except ValueError as exc:
        raise _fail_usage(f"--since takes a YYYY-MM-DD date: {exc}") from exc
    _require_database("nothing was reprocessed")
    _prepare_prefect(quiet, as_json)
    from flows import progress
    from flows.maintenance import archived_sites
    from flows.maintenance import reprocess as reprocess_flow
    from pipelines.config import archive_url

    if site and site not in (known := archived_sites()):
        raise _unknown_site([site], known, f"the archive {archive_url()}")
    with progress.shown(_show_progress(quiet, as_json)):
        results = reprocess_flow(since=since_date, site=site, outdated=outdated)
    _print_counts(results, as_json=as_json, title="reprocess")


@app.command("ingest-text")
def ingest_text(
    paths: Annotated[list[Path], typer.Argument(help="Plain-text dumps or saved HTML pages.")],
    site: Annotated[str, typer.Option(help="Site name to file them under.")] = "text-dumps",
    db: DbOption = None,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    """Load text dumps (like the sample files) into the database through the normal steps."""
    _use_db(db)
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise _fail_usage(f"no such file: {', '.join(missing)}")
    _require_database("nothing was loaded")
    _prepare_prefect(quiet, as_json)
    from flows import progress
    from flows.maintenance import ingest_text as ingest_flow

    with progress.shown(_show_progress(quiet, as_json)):
        counts = ingest_flow(paths=paths, site=site)
    _print_counts({site: counts}, as_json=as_json, title="ingest-text")


def _print_counts(results: dict[str, dict], *, as_json: bool, title: str) -> None:
    if as_json:
        _print_json(results)
    else:
        _print_table(title, [{"site": name} | {k: v for k, v in counts.items() if k != "error_samples"}
                             for name, counts in results.items()])
    if any(counts.get("errors") for counts in results.values()):
        raise typer.Exit(EXIT_FAILED)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find, e.g. 党史学习教育.")],
    site: Annotated[str | None, typer.Option(help="Only this site.")] = None,
    since: Annotated[str | None, typer.Option(help="Only articles published on or after YYYY-MM-DD.")] = None,
    limit: Annotated[int, typer.Option(help="How many results.")] = 20,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Full-text search over the stored articles (Chinese words segmented with jieba), best first, with snippets."""
    from datetime import date

    from pipelines.store import Store

    _use_db(db)
    try:
        since_date = date.fromisoformat(since) if since else None
    except ValueError as exc:
        raise _fail_usage(f"--since takes a YYYY-MM-DD date: {exc}") from exc
    hits = Store().search(query, site=site, since=since_date, limit=limit)
    if as_json:
        for hit in hits:
            _print_json(hit)
    else:
        _print_table(f"search: {query}", hits)


sites_app = typer.Typer(no_args_is_help=True, help="List the configured sites, add one, or check a site config.")
app.add_typer(sites_app, name="sites")


@sites_app.command("list")
def sites_list(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Every site in config/sites/: enabled or not, last crawl, articles stored, last error."""
    from crawlers.site_config import load_site_configs
    from pipelines.config import ConfigError, sites_dir
    from pipelines.store import Store

    _use_db(db)
    try:
        configs = load_site_configs(sites_dir())
    except ConfigError as exc:
        raise _fail_usage(str(exc)) from exc
    stored = {row["name"]: row for row in Store().sites_summary()}
    rows = [{"name": c.name, "enabled": c.enabled, "start_urls": len(c.start_urls)}
            | {k: v for k, v in stored.get(c.name, {}).items() if k != "name"} for c in configs]
    if as_json:
        _print_json({"sites": rows})
    else:
        _print_table("sites", rows)


@sites_app.command("check")
def sites_check(
    target: Annotated[str, typer.Argument(help="A site config YAML to validate, or a start URL to probe.")],
    live: Annotated[bool, typer.Option(help="Also probe the config's start URLs on the live site.")] = False,
    list_page: Annotated[Path | None, typer.Option(help="A saved list page (HTML) to try the spider's rules on.")] = None,
    url: Annotated[str | None, typer.Option(help="The saved page's URL (default: the first start URL).")] = None,
    article: Annotated[Path | None, typer.Option(help="A saved article page (HTML): the fields extraction takes "
                                                      "from it without and with the config's extract: rules.")] = None,
) -> None:
    """Validate a site config, and show what the spider sees: on the live site (a URL, or --live) the list
    documents it reads (pages, endpoints, feeds, sitemaps, frames, columns), how many article links each source
    gave, the article URL shapes it learned, the next pages and five sample articles -- fetching no article; on a
    saved list page (--list-page), the links it takes and its next page, fetching nothing. Exit 1 when the live
    site shows no article link, with what to put in the config. With --article, what the site's own extraction
    rules (`extract:`) change on a saved article page.

    Examples: [bold]dangjian sites check https://www.example.gov.cn/jxdt/[/bold],
    [bold]dangjian sites check config/sites/new.yaml --list-page saved/index.html[/bold],
    [bold]dangjian sites check config/sites/new.yaml --article saved/article.html[/bold]
    """
    from rich.console import Console

    from crawlers.site_config import load_site_config
    from pipelines.config import ConfigError
    from pipelines.decode import DecodeError, decode_bytes

    if target.startswith(("http://", "https://")):
        raise typer.Exit(_probe_and_show(_site_for_url(target)))
    try:
        site = load_site_config(Path(target))
    except ConfigError as exc:
        raise _fail_usage(str(exc)) from exc
    Console().print(f"[green]{target}: valid[/green] — site {site.name!r}, {len(site.start_urls)} start "
                    f"URL(s), {'enabled' if site.enabled else 'disabled'}, time zone {site.timezone}")
    if article is not None:
        _show_article(site, article)
    if live:
        raise typer.Exit(_probe_and_show(site))
    if list_page is None:
        return
    if not list_page.is_file():
        raise _fail_usage(f"{list_page}: no such file")
    try:
        html = decode_bytes(list_page.read_bytes(), declared=site.encoding)
    except DecodeError as exc:
        raise _fail_usage(f"{list_page}: {exc}") from exc
    _show_list_page(site, html, url or site.start_urls[0], list_page.name)


ARTICLE_FIELDS = {
    "title": lambda a, tz: a.title, "published": lambda a, tz: a.published_display(tz),
    "authors": lambda a, tz: ", ".join(a.authors), "editors": lambda a, tz: ", ".join(a.editors),
    "body start": lambda a, tz: a.body[:40], "body end": lambda a, tz: a.body[-40:],
    "body chars": lambda a, tz: len(a.body),
}


def _show_article(site, path: Path) -> None:
    """The fields extraction takes from a saved article page under the global rules and with the site's own."""
    from pipelines.extract import ExtractionError, extract_page
    from pipelines.records import FetchedPage

    if not path.is_file():
        raise _fail_usage(f"{path}: no such file")
    page = FetchedPage(url=site.start_urls[0], body=path.read_bytes())
    try:
        plain, own = (extract_page(page, timezone=site.timezone, encoding=site.encoding, site_rules=rules)
                      for rules in (None, site.extract))
    except ExtractionError as exc:
        raise _fail_usage(f"{path}: {exc}") from exc
    rows = [{"field": name, "global rules": show(plain, site.timezone), "with extract:": show(own, site.timezone)}
            for name, show in ARTICLE_FIELDS.items()]
    _print_table(f"article {path.name}" + ("" if site.extract else " (the config has no extract: block)"),
                 [row | {"changed": "yes" if row["global rules"] != row["with extract:"] else ""} for row in rows])


def _site_for_url(url: str, name: str | None = None):
    from pydantic import ValidationError

    from flows.probe import site_for_url
    from pipelines.config import describe_validation_error

    try:
        return site_for_url(url, name)
    except ValidationError as exc:
        raise _fail_usage(describe_validation_error(exc)) from exc


def _probe_and_show(site) -> int:
    """Probe the live site and print what it showed; the exit code: 0 with article links, else 1."""
    from flows.probe import found_articles, probe, report_lines, samples

    result = probe(site)
    for line in report_lines(result):
        typer.echo(line)
    _print_table(f"article links on {site.start_urls[0]} (samples)", samples(result))
    return EXIT_OK if result.returncode == EXIT_OK and found_articles(result) else EXIT_FAILED


def _show_list_page(site, html: str, url: str, label: str) -> int:
    """What the spider takes from a saved list page: its article links (dated) and its next page."""
    from rich.console import Console

    from crawlers.link_rules import LinkRules

    rules = LinkRules(site)
    page = rules.parse_list_page(html, url)
    _print_table(f"article links on {label}",
                 [{"date": link.date_text, "title": link.text, "url": rules.canonical(link.url)}
                  for link in page.articles])
    Console().print("next page: " + (", ".join(page.next_pages) or "none (the column ends here)"))


@sites_app.command("add")
def sites_add(
    url: Annotated[str, typer.Argument(help="A list (column) page of the site, e.g. https://www.example.gov.cn/jxdt/.")],
    name: Annotated[str | None, typer.Option(help="The site's name (default: the URL's host and port).")] = None,
) -> None:
    """Add a site: probe URL on the live site and show what the spider sees there (as [bold]sites check URL[/bold]
    does), then write config/sites/NAME.yaml with its name and start URL, enabled. Nothing is written when
    no list page can be fetched, the config would be invalid, or the name is taken.

    Example: [bold]dangjian sites add https://www.example.gov.cn/jxdt/index.html --name example[/bold]
    """
    import yaml

    from flows.probe import found_articles, probe, report_lines, samples
    from flows.sites import configured_site_names
    from pipelines.config import sites_dir

    site = _site_for_url(url, name)
    path = sites_dir() / f"{site.name}.yaml"
    if site.name in configured_site_names():
        raise _fail_usage(f"{path}: a site named {site.name!r} exists already; choose another --name")
    result = probe(site)
    if result.returncode != EXIT_OK:
        typer.echo(f"error: {url}: {result.error}; nothing written", err=True)
        raise typer.Exit(EXIT_FAILED)
    for line in report_lines(result):
        typer.echo(line)
    _print_table(f"article links on {url} (samples)", samples(result))
    if not found_articles(result):
        typer.echo(f"warning: no article links recognised on {url}; see above what to set in {path}", err=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"name": site.name, "start_urls": [url], "enabled": True}, allow_unicode=True,
                                   sort_keys=False), encoding="utf-8")
    typer.echo(f"wrote {path} (enabled): `dangjian crawl --site {site.name}` crawls it now, and nightly runs do")


@app.command()
def serve(db: DbOption = None, quiet: QuietOption = False) -> None:
    """Register the nightly deployment on its cron schedule (config/settings.yaml, default 02:00
    Asia/Shanghai) and keep serving it until interrupted. Point PREFECT_API_URL at a Prefect server to share it."""
    import signal
    import warnings

    from flows.sites import enabled_site_paths
    from pipelines.config import sites_dir

    _use_db(db)  # the runs it starts inherit the environment, and with it the database
    _prepare_prefect(quiet)
    from prefect import serve as prefect_serve

    from flows import interrupt
    from flows.schedule import nightly_deployment, nightly_schedule

    schedule = nightly_schedule()
    _require_database("the schedule was not served")
    if not enabled_site_paths():
        typer.echo(f"warning: no enabled site in {sites_dir()}: the nightly runs will crawl nothing. "
                   f"{ADD_A_SITE}", err=True)
    interrupt.start_prefect_server_shielded()
    interrupt.quiet_orphaned_event_loops()
    typer.echo(f"serving the nightly crawl on cron '{schedule.cron}' ({schedule.timezone}); Ctrl-C stops")
    # Prefect 3.8's runner answers SIGTERM with its async stop() left unawaited, then sys.exit(0); serve()'s
    # own shutdown still pauses the deployment, so only the warning about the coroutine is noise.
    warnings.filterwarnings("ignore", message="coroutine 'Runner.astop' was never awaited")
    stopped_by = signal.SIGINT

    def stop_as_on_ctrl_c(signum: int, frame) -> None:
        """Until the runner takes SIGTERM over: serve() shuts down on KeyboardInterrupt without noise."""
        nonlocal stopped_by
        stopped_by = signal.SIGTERM
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop_as_on_ctrl_c)
    try:
        prefect_serve(nightly_deployment())  # returns once Ctrl-C (or our SIGTERM) stopped it
    except SystemExit:  # the runner's own SIGTERM handler
        stopped_by = signal.SIGTERM
    typer.echo(f"serve stopped by {stopped_by.name}; start it again to resume the schedule", err=True)
    raise typer.Exit(128 + stopped_by)


def main() -> None:
    from pipelines.config import ConfigError

    try:
        app()
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except Exception as exc:
        # The database being down or locked is an operator's problem to fix, not a traceback to read.
        from flows.database import unavailable
        from pipelines.store import StoreBusyError, StoreUnavailableError

        if not isinstance(exc, StoreBusyError | StoreUnavailableError):
            raise
        typer.echo(f"error: {unavailable(exc) if isinstance(exc, StoreUnavailableError) else exc}", err=True)
        sys.exit(EXIT_FAILED)
