"""What an operator sees through the real `dangjian` command: failures named by cause, interrupts that stop
cleanly, run states Prefect can alert on, a first run that works, database errors that fit the command."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from demo.server import FarmServer, Fault

REPO = Path(__file__).resolve().parents[2]
DANGJIAN = Path(sys.executable).parent / "dangjian"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def config_dir(tmp_path) -> Path:
    """A private copy of config/ without the shipped sites, where a failed crawl is not retried a minute later."""
    directory = tmp_path / "config"
    shutil.copytree(REPO / "config", directory, ignore=shutil.ignore_patterns("sites"))
    (directory / "sites").mkdir()
    (directory / "settings.yaml").write_text("flows:\n  concurrency: 4\n  crawl_retries: 0\n", encoding="utf-8")
    return directory


@pytest.fixture
def env(data_dir, config_dir) -> dict[str, str]:
    return {**os.environ, "DANGJIAN_DATA_DIR": str(data_dir), "DANGJIAN_CONFIG_DIR": str(config_dir),
            "COLUMNS": "200"}


def dangjian(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(DANGJIAN), *args], capture_output=True, text=True, timeout=timeout, cwd=REPO, env=env)


def write_site(directory: Path, name: str, start_url: str, **extra) -> Path:
    path = directory / f"{name}.yaml"
    path.write_text(yaml.safe_dump({"name": name, "start_urls": [start_url], **extra}), encoding="utf-8")
    return path


def site_reports(result: subprocess.CompletedProcess) -> dict[str, dict]:
    return {site["site"]: site for site in json.loads(result.stdout.splitlines()[-1])["sites"]}


@pytest.mark.slow
def test_each_failed_site_names_and_counts_its_cause_with_the_first_failing_url_and_the_log(env, tmp_path,
                                                                                           prefect_api):
    def faults(site: str, target: str) -> Fault | None:
        if target == "/robots.txt":
            return None
        return {"party_school": Fault.error(500, times=None),
                "county_news": Fault.redirect(f"http://127.0.0.1:{closed_port()}/moved", times=None),
                "city_portal": Fault.slow(3, times=None)}.get(site)

    with FarmServer(sites=["party_school", "county_news", "city_portal", "university"], faults=faults) as farm:
        urls = farm.base_urls
        refused_url = f"http://127.0.0.1:{closed_port()}/list.htm"
        configs = [
            write_site(tmp_path, "refused", refused_url),
            write_site(tmp_path, "http500", f"{urls['party_school']}/"),
            write_site(tmp_path, "redirected", f"{urls['county_news']}/"),
            write_site(tmp_path, "slow", f"{urls['city_portal']}/", download_timeout=1),
            write_site(tmp_path, "forbidden", f"{urls['university']}/info/1099/1.htm"),  # robots.txt: Disallow
            write_site(tmp_path, "tls", f"{urls['university'].replace('http:', 'https:')}/"),
        ]
        result = dangjian("crawl", "--json", *(arg for path in configs for arg in ("--config", str(path))),
                          env={**env, **prefect_api})

    assert result.returncode == 1, result.stderr[-3000:]
    reports = site_reports(result)
    assert {name: r["status"] for name, r in reports.items()} == dict.fromkeys(
        ["refused", "http500", "redirected", "slow", "forbidden", "tls"], "failed")
    assert reports["refused"]["causes"] == {"refused": 1}
    assert reports["http500"]["causes"] == {"http_500": 1}
    assert reports["redirected"]["causes"] == {"offsite_redirect": 1}
    assert reports["slow"]["causes"] == {"timeout": 1}
    assert reports["forbidden"]["causes"] == {"robots": 1}
    assert reports["tls"]["causes"] == {"tls": 1}
    assert "SSL" in reports["tls"]["first_failure"]
    assert reports["refused"]["first_failure"].startswith(f"{refused_url} (Connection was refused")
    for name, report in reports.items():
        assert report["errors"] == sum(report["causes"].values()), name
        assert Path(report["log"]).is_file() and report["log"] in report["error"], name
        cause = next(iter(report["causes"]))
        assert f"{cause} ×1" in report["error"], name


def wait_until(condition, what: str, timeout: float = 120) -> None:
    """A hang guard, not a speed target."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.1)


def archived_articles(directory: Path) -> int:
    from pipelines.archive import read_archive

    return sum(page.kind == "article" for path in directory.glob("*.warc.gz") for page in read_archive(path))


def article_requests(farm: FarmServer) -> list[str]:
    return [entry.path for entry in farm.requests if entry.path.startswith("/art/")]


@pytest.mark.slow
@pytest.mark.parametrize(("signum", "to_group", "exit_code"), [
    pytest.param(2, True, 130, id="Ctrl-C at a terminal: SIGINT to the process group"),
    pytest.param(15, False, 143, id="SIGTERM to the dangjian process only"),
])
def test_an_interrupted_crawl_stops_without_a_retry_keeps_its_job_and_the_next_run_resumes_it(
        env, tmp_path, data_dir, signum, to_group, exit_code):
    import signal

    from pipelines.store import Store

    site = "city_portal"
    with FarmServer(sites=[site], faults=lambda s, target: Fault.slow(0.3) if target.startswith("/art/") else None
                    ) as farm:
        [config] = farm.write_site_configs(tmp_path / "sites")
        truth = {article.url for article in farm.truth(site)}
        start_paths = farm.site(site).start_paths
        child = subprocess.Popen([str(DANGJIAN), "crawl", "--config", str(config), "--json"], cwd=REPO, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        wait_until(lambda: archived_articles(data_dir / "archive" / site) >= 3, "the crawl to archive articles")
        (os.killpg if to_group else os.kill)(child.pid, signum)
        stdout, stderr = child.communicate(timeout=120)
        fetched_before = len(article_requests(farm))
        start_requests = [entry.path for entry in farm.requests if entry.path in start_paths]

        assert child.returncode == exit_code, stderr[-3000:]
        [report] = json.loads(stdout.splitlines()[-1])["sites"]
        assert report["status"] == "interrupted" and signal.Signals(signum).name in report["error"]
        assert fetched_before < len(truth), "the crawl stopped before its end"
        assert len(start_requests) == len(set(start_requests)), "an interrupted crawl is not retried"
        [hint] = [line for line in stderr.splitlines() if line.startswith("interrupted")]
        assert "run the same command again to resume" in hint
        assert "Traceback" not in stderr and "never awaited" not in stderr
        assert (data_dir / "jobs" / f"{site}-nightly" / "warcs.txt").is_file(), "the job is kept for the resume"
        assert (data_dir / "archive" / site / "crawl-state.json").is_file()

        farm.faults = None
        resumed = dangjian("crawl", "--config", str(config), "--json", env=env)

    assert resumed.returncode == 0, resumed.stderr[-3000:]
    [report] = site_reports(resumed).values()
    assert report["crawl"]["skipped_archived"] > 0, "articles fetched before the interrupt are not fetched again"
    assert report["new"] == len(truth)
    assert Store(f"sqlite:///{data_dir / 'dangjian.db'}").known_urls(site) == truth


@pytest.mark.slow
def test_a_first_run_adds_a_checked_site_and_crawls_it_and_names_mistakes(env, config_dir, tmp_path, prefect_api):
    env = {**env, **prefect_api}
    sites = config_dir / "sites"
    nothing_enabled = dangjian("crawl", "--all", env=env)
    assert nothing_enabled.returncode == 2
    assert "no site" in nothing_enabled.stderr and "dangjian sites add URL" in nothing_enabled.stderr

    unreachable = dangjian("sites", "add", f"http://127.0.0.1:{closed_port()}/list.htm", env=env)
    assert unreachable.returncode == 1 and "nothing written" in unreachable.stderr
    assert list(sites.iterdir()) == []

    with FarmServer(sites=["university"]) as farm:
        start_url = farm.site_config("university")["start_urls"][0]
        added = dangjian("sites", "add", start_url, "--name", "uni", env=env)
        taken = dangjian("sites", "add", start_url, "--name", "uni", env=env)
        crawled = dangjian("crawl", "--all", "--json", env=env)
        truth = farm.truth("university")

    assert added.returncode == 0, added.stderr
    assert yaml.safe_load((sites / "uni.yaml").read_text()) == {"name": "uni", "start_urls": [start_url],
                                                                 "enabled": True}
    assert f"page {start_url}: " in added.stdout and "list date\ttitle\turl\n" in added.stdout
    assert "/info/" in added.stdout
    assert taken.returncode == 2 and "exists already" in taken.stderr
    assert crawled.returncode == 0, crawled.stderr[-3000:]
    assert site_reports(crawled)["uni"]["new"] == len(truth)

    typo = dangjian("crawl", "--site", "unii", env=env)
    assert typo.returncode == 2 and "'unii'" in typo.stderr and "known sites: uni" in typo.stderr
    reprocess_typo = dangjian("reprocess", "--site", "unii", env=env)
    assert reprocess_typo.returncode == 2 and "known sites: uni" in reprocess_typo.stderr

    (sites / "copy.yaml").write_text(yaml.safe_dump({"name": "uni", "start_urls": [start_url]}), encoding="utf-8")
    for command in (["crawl", "--all"], ["sites", "list"]):
        duplicate = dangjian(*command, env=env)
        assert duplicate.returncode == 2, command
        assert "uni" in duplicate.stderr and str(sites / "uni.yaml") in duplicate.stderr, command
        assert str(sites / "copy.yaml") in duplicate.stderr, command


@pytest.mark.slow
@pytest.mark.parametrize(("signum", "to_group", "exit_code"), [
    pytest.param(2, True, 130, id="Ctrl-C at a terminal"),
    pytest.param(15, False, 143, id="SIGTERM to the dangjian process"),
])
def test_serve_warns_when_no_site_is_enabled_and_stops_quietly_on_a_signal(env, signum, to_group, exit_code):
    child = subprocess.Popen([str(DANGJIAN), "serve"], cwd=REPO, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, start_new_session=True)
    first_line = child.stdout.readline()
    assert first_line.startswith("serving the nightly crawl"), first_line
    # Once Prefect's runner is up: a signal while Prefect 3.8 is still creating its event loop leaves a broken
    # loop behind (tracebacks at exit) or a hung runner; the runner starts right after this banner.
    while "being served" not in (line := child.stdout.readline()):
        assert line, "serve ended before its runner started"
    time.sleep(3)
    (os.killpg if to_group else os.kill)(child.pid, signum)
    stdout, stderr = child.communicate(timeout=60)

    assert child.returncode == exit_code, stderr[-3000:]
    assert "warning: no enabled site" in stderr and "dangjian sites add URL" in stderr
    assert "Traceback" not in stderr and "never awaited" not in stderr


@pytest.fixture
def webhook_receiver():
    """A local HTTP endpoint that queues the body of every POST it gets."""
    import queue
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    bodies: queue.Queue[str] = queue.Queue()

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            bodies.put(self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode())
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/hook", bodies
    server.shutdown()
    server.server_close()


@pytest.mark.slow
def test_a_run_whose_site_failed_ends_failed_in_prefect_and_a_failed_run_automation_fires(
        env, tmp_path, prefect_server, webhook_receiver):
    import asyncio
    import uuid

    from prefect.automations import Automation
    from prefect.blocks.webhook import Webhook
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName
    from prefect.events.actions import CallWebhook
    from prefect.events.schemas.automations import EventTrigger, Posture
    from prefect.settings import PREFECT_API_URL

    hook_url, bodies = webhook_receiver
    block_id = Webhook(url=hook_url, allow_private_urls=True).save(f"failed-runs-{uuid.uuid4().hex[:8]}")
    Automation(
        name="tell someone when a nightly run fails",
        trigger=EventTrigger(expect={"prefect.flow-run.Failed"}, match={"prefect.resource.id": "prefect.flow-run.*"},
                             posture=Posture.Reactive, threshold=1),
        actions=[CallWebhook(block_document_id=block_id, payload="{{ flow_run.id }}: {{ flow_run.state.message }}")],
    ).create()
    site = f"dead-{uuid.uuid4().hex[:8]}"
    dead = write_site(tmp_path, site, f"http://127.0.0.1:{closed_port()}/list.htm")

    result = dangjian("crawl", "--config", str(dead), "--quiet", env={**env, "PREFECT_API_URL": PREFECT_API_URL.value()})

    assert result.returncode == 1, result.stderr[-3000:]

    async def failed_run():
        async with get_client() as client:
            runs = await client.read_flow_runs(flow_filter=FlowFilter(name=FlowFilterName(any_=["nightly-crawl"])))
            [run] = [run for run in runs if site in (run.state.message or "")]
            return run

    run = asyncio.run(failed_run())
    assert run.state.is_failed()
    assert run.state.message.startswith(f"{site}: crawl failed: no list page could be fetched: refused ×1")
    body = bodies.get(timeout=120)
    assert body.startswith(f"{run.id}: {site}: crawl failed")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def unusable_db(request, tmp_path) -> str:
    """A database no retry can help: a SQLite file under a regular file, a PostgreSQL database never created."""
    if request.param == "sqlite":
        (tmp_path / "not-a-directory").write_text("")
        return f"sqlite:///{tmp_path / 'not-a-directory' / 'dangjian.db'}"
    from tests.db import PG_SERVER

    return f"{PG_SERVER}/never_created_{os.getpid()}"


@pytest.mark.slow
@pytest.mark.parametrize(("command", "consequence"), [
    (["stats"], None),
    (["export", "--format", "csv"], None),
    (["crawl", "--all"], "nothing was crawled"),
])
def test_a_database_that_cannot_be_used_is_one_line_that_fits_the_command(env, config_dir, unusable_db, command,
                                                                          consequence):
    write_site(config_dir / "sites", "somewhere", f"http://127.0.0.1:{closed_port()}/", enabled=True)

    result = dangjian(*command, "--db", unusable_db, env=env)

    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ") and ("does not exist" in line or "cannot be written" in line)
    assert "raw archive" not in line, "nothing was fetched, so no page waits in the archive"
    if consequence and "postgresql" in unusable_db:  # SQLite's unwritable directory stops every command first
        assert line.endswith(consequence)


@pytest.mark.postgres
def test_a_postgresql_database_that_does_not_exist_fails_at_once_in_one_line(env, postgres_database):
    """`postgres_database` only makes sure the server runs: the answer must come from a server that lacks the
    database, not from one that is down (that is retried)."""
    result = dangjian("stats", "--db", "postgresql+psycopg://127.0.0.1:5432/no_such_db", env=env)

    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        'error: postgresql+psycopg://127.0.0.1:5432/no_such_db: database "no_such_db" does not exist '
        "(create it, or fix the database name in the URL)"]


def test_a_database_url_sqlalchemy_cannot_read_is_a_usage_error(env):
    result = dangjian("stats", "--db", "nonsense://somewhere", env=env)

    assert result.returncode == 2
    assert result.stderr.startswith("error: not a database URL (--db or DANGJIAN_DB_URL)")
    assert "Traceback" not in result.stderr


def test_tables_into_a_pipe_are_whole_tab_separated_lines(env, config_dir):
    long_name = "city_portal_of_a_county_with_a_very_long_name_indeed"
    write_site(config_dir / "sites", long_name, "http://127.0.0.1:9/list.htm", enabled=False)

    result = dangjian("sites", "list", env={**env, "COLUMNS": "80"})

    assert result.returncode == 0, result.stderr
    header, row = result.stdout.splitlines()
    assert header.split("\t")[:3] == ["name", "enabled", "start_urls"]
    assert row.split("\t")[:3] == [long_name, "False", "1"]


@pytest.mark.slow
@pytest.mark.xdist_group("demo-ports")  # config/demo's fixed ports: one demo at a time
def test_the_demo_serves_a_site_whose_port_is_busy_on_a_free_one(env, data_dir, prefect_api):
    from demo.server import ports_from_configs

    site, port = next(iter(ports_from_configs().items()))
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", port))
        squatter.listen()
        result = dangjian("demo", "--json", env={**env, **prefect_api})

    assert result.returncode == 0, result.stderr[-2000:]
    assert f"note: port {port} on 127.0.0.1 is in use: {site} is served at http://127.0.0.1:" in result.stderr
    assert all(report["status"] == "ok" and report["new"] for report in site_reports(result).values())
    moved = yaml.safe_load((data_dir / "demo-sites" / f"{site}.yaml").read_text(encoding="utf-8"))
    assert f":{port}/" not in moved["start_urls"][0]


@pytest.mark.slow
def test_ingest_text_shows_its_progress_at_a_terminal(env, tmp_path, prefect_api):
    import pty

    from tests.flows.test_cli import TEXT_DUMP

    dump = tmp_path / "dump.txt"
    dump.write_text(TEXT_DUMP, encoding="utf-8")
    controller, terminal = pty.openpty()
    child = subprocess.Popen([str(DANGJIAN), "ingest-text", "--site", "dumps", str(dump)], cwd=REPO,
                             env={**env, **prefect_api},
                             stdin=terminal, stdout=terminal, stderr=terminal)
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)

    assert child.wait(timeout=120) == 0, shown.decode(errors="replace")[-3000:]
    screen = shown.decode(errors="replace")
    assert "dumps" in screen and "loading" in screen and "1/1" in screen


@pytest.mark.slow
def test_sites_check_probes_a_live_start_url_and_says_what_it_found(env, data_dir):
    with FarmServer(sites=["json_endpoint", "party_school"]) as farm:
        shell = farm.site_config("json_endpoint")["start_urls"][0]
        found = dangjian("sites", "check", shell, env=env)
        calendar = farm.base_urls["party_school"] + "/calendar?month=2021-01"  # a page of no list at all
        nothing = dangjian("sites", "check", calendar, env=env)
        titles = {entry.title for entry in farm.truth("json_endpoint")}
        fetched = [entry.path for entry in farm.requests if entry.site == "json_endpoint"]
    assert found.returncode == 0, found.stderr
    lines = found.stdout.splitlines()
    assert any(line.startswith(f"page {shell}: 0 article links") for line in lines)
    endpoint = [line for line in lines if line.startswith("endpoint ")]
    assert len(endpoint) == 2 and all(" article links (endpoint " in line for line in endpoint)
    assert any(line.startswith("article URL shapes: ") for line in lines)
    samples = [line.split("\t") for line in lines[lines.index("list date\ttitle\turl") + 1:]]
    # the site's robots-disallowed article is listed too: the probe says what the list shows
    assert len(samples) == 5 and len({title for _, title, _ in samples} & titles) >= 4
    assert not [path for path in fetched if path in {urlsplit(url).path for _, _, url in samples}]  # no article
    assert nothing.returncode == 1 and "no article link found" in nothing.stdout
    assert "article_url_pattern" in nothing.stdout and str(data_dir) in nothing.stdout  # the probe's log
