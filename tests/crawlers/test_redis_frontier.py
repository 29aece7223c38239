"""The shared Redis frontier: crawler processes started together split a site and never fetch a URL twice."""

import json
import os
import shutil
import subprocess
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from crawlers.run import crawl_site, frontier_run_id, frontier_url
from crawlers.site_config import SiteConfig, load_site_config
from demo.server import FarmServer, Fault
from pipelines.archive import read_archive
from pipelines.config import ConfigError

REPO = Path(__file__).resolve().parents[2]
REDIS_ROOT = "redis://127.0.0.1:6379"
REDIS_URL = f"{REDIS_ROOT}/0"
REDIS_START = ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379", "--save", "",
               "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log"]
FAST = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_START_DELAY": 0, "RETRY_BACKOFF_BASE": 0.05}
SITE = "county_news"


@pytest.fixture
def redis_run():
    """A unique run id on the real Redis (started if it is down); its keys are deleted afterwards."""
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL)
    if not _pings(client):
        if shutil.which("redis-server") is None:
            pytest.skip("redis-server is not installed: the shared frontier cannot be tested (apt-get install redis-server)")
        subprocess.run(REDIS_START, check=True)
        deadline = time.monotonic() + 10
        while not _pings(client) and time.monotonic() < deadline:
            time.sleep(0.1)
    run = f"test-{uuid.uuid4().hex}"
    yield client, run
    for key in client.scan_iter(match=f"dangjian:frontier:*:{run}:*"):
        client.delete(key)


def _pings(client) -> bool:
    try:
        return client.ping()
    except Exception:  # connection refused and its kin: the server is not up
        return False


def crawl_together(config_path, archive_dir, run, workers=2):
    with ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(crawl_site, config_path, archive_dir=archive_dir, settings=FAST, timeout=120,
                               frontier=REDIS_URL, frontier_run=run) for _ in range(workers)]
        return [future.result() for future in futures]


def articles_in(result):
    return [page.url for path in result.warc_paths for page in read_archive(path)
            if page.kind == "article" and page.status == 200]


def split_site_between_two_processes(tmp_path, redis_run):
    """Crawl one farm site with two processes on one shared frontier; check the split; (results, truth)."""
    client, run = redis_run
    with FarmServer(sites=[SITE]) as farm:
        # slow articles keep the crawl going long enough for both processes to take a share
        farm.faults = lambda site, target: Fault.slow(0.25) if target.startswith("/content/") else None
        config = farm.write_site_configs(tmp_path / "sites")[0]
        results = crawl_together(config, tmp_path / "archive", run)
        for result in results:
            assert result.returncode == 0, (result.error, result.stats)
        truth = {article.url for article in farm.truth(SITE)}
        shares = [articles_in(result) for result in results]
        assert Counter(url for share in shares for url in share) == Counter(truth)  # each article once, all of them
        assert all(shares), [len(share) for share in shares]  # both processes took part
        paths = [entry.path for entry in farm.requests]
        assert Counter(paths)["/robots.txt"] == 2  # each process reads robots.txt for itself ...
        fetched = [path for path in paths if path != "/robots.txt"]
        assert len(fetched) == len(set(fetched))  # ... and nothing else is fetched twice
        assert {result.stats["frontier_job"] for result in results} == {f"dangjian:frontier:{SITE}:nightly:{run}"}
        assert client.ttl(f"dangjian:frontier:{SITE}:nightly:{run}:seen") > 0  # a finished job expires
    return results, truth


@pytest.mark.slow
def test_two_processes_split_a_site_without_fetching_any_url_twice(tmp_path, redis_run):
    split_site_between_two_processes(tmp_path, redis_run)


@pytest.mark.slow
@pytest.mark.postgres
def test_two_workers_loading_their_shares_into_one_postgresql_hold_each_article_once(
        tmp_path, redis_run, postgres_database):
    from pipelines.ingest import ingest_pages
    from pipelines.store import Store
    from tests.db import _empty_postgres

    _empty_postgres(postgres_database)
    results, truth = split_site_between_two_processes(tmp_path, redis_run)

    def load_share(result):
        pages = (page for path in result.warc_paths for page in read_archive(path))
        return ingest_pages(pages, Store(postgres_database), site=SITE)

    with ThreadPoolExecutor(2) as pool:
        loaded = list(pool.map(load_share, results))

    assert sum(stats.new for stats in loaded) == len(truth)
    assert Store(postgres_database).known_urls(SITE) >= truth
    assert len(list(Store(postgres_database).export_rows(all_copies=True))) == len(truth)


@pytest.mark.slow
def test_a_process_joining_a_finished_run_fetches_nothing_and_succeeds(tmp_path, redis_run):
    _, run = redis_run
    with FarmServer(sites=[SITE]) as farm:
        config = farm.write_site_configs(tmp_path / "sites")[0]
        crawl_together(config, tmp_path / "archive", run, workers=1)
        before = len(farm.requests)
        [late] = crawl_together(config, tmp_path / "archive", run, workers=1)
        assert late.returncode == 0, late.error
        assert farm.requests[before:] == []  # its start URLs are seen already: not even robots.txt is read
        assert late.stats["list_pages"] == 0 and late.stats["frontier_list_pages"] > 0


def test_frontier_comes_from_the_command_line_then_the_site_then_settings(tmp_path):
    site = SiteConfig(name="s", start_urls=["http://127.0.0.1:1/"], frontier="redis://127.0.0.1:6379/3")
    assert frontier_url(site) == "redis://127.0.0.1:6379/3"
    assert frontier_url(site, "redis://127.0.0.1:6379/5") == "redis://127.0.0.1:6379/5"
    assert frontier_url(SiteConfig(name="s", start_urls=["http://127.0.0.1:1/"])) is None  # settings.yaml: local
    with pytest.raises(ConfigError, match="not a Redis URL"):
        frontier_url(site, "http://127.0.0.1:6379/")


def test_a_site_frontier_must_be_a_redis_url(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump({"name": "s", "start_urls": ["http://127.0.0.1:1/"], "frontier": "127.0.0.1:6379"}))
    with pytest.raises(ConfigError, match="frontier: .*not a Redis URL"):
        load_site_config(path)


# --- independent `dangjian crawl` invocations join one job by default ---------------------------------------

DANGJIAN = REPO / ".venv" / "bin" / "dangjian"
GATE_S = 150  # longest the farm holds the first list page for the second invocation to join; not a speed check


# Redis databases of their own for the gated tests: CLIENT LIST names each connection's database, so the gate
# sees this test's crawlers, not those of a frontier test running beside it on the other xdist worker.
GATED_DB = {"two_commands": 11, "netns_hosts": 12}


def waiting_on_the_queue(client, db: int) -> bool:
    """A crawler process of the test's database is idle in a blocking pop on a frontier queue: it has joined."""
    return any(connection.get("cmd") == "bzpopmin" and str(connection.get("db")) == str(db)
               for connection in client.client_list())


def dangjian_crawl(data_dir, config, db_url, *extra, prefix=()):
    """`dangjian crawl` as one machine runs it (its own data directory); `prefix` e.g. `ip netns exec NS`."""
    env = {**os.environ, "DANGJIAN_DATA_DIR": str(data_dir), "DANGJIAN_DB_URL": db_url}
    return subprocess.Popen([*prefix, str(DANGJIAN), "crawl", "--config", str(config), "--json", *extra], cwd=REPO,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def gate_first_list_page(farm, client, db: int, site=SITE):
    """Farm faults: the first request for the site's first list page waits (up to GATE_S) until a second
    crawler process is idle on the frontier in Redis database `db`, so both take a share; articles answer
    slowly, for the same reason."""
    start_path = farm.site(site).start_paths[0]

    def gate(name, target):
        if target == start_path and not any(entry.path == start_path for entry in farm.requests):
            deadline = time.monotonic() + GATE_S
            while not waiting_on_the_queue(client, db) and time.monotonic() < deadline:
                time.sleep(0.1)
        return Fault.slow(0.1) if target.startswith("/content/") else None

    return gate


def finished(process) -> dict:
    stdout, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, stderr[-3000:]
    [report] = json.loads(stdout.splitlines()[-1])["sites"]
    return report


@pytest.mark.slow
@pytest.mark.postgres
def test_two_crawl_commands_on_one_site_join_one_job_and_a_late_third_fetches_nothing(
        tmp_path, redis_run, postgres_database):
    from pipelines.store import Store
    from tests.db import _empty_postgres

    client, run = redis_run
    name = f"{SITE}_{run[-8:]}"  # the default job is the site's and today's: a name of its own keeps it apart
    db = GATED_DB["two_commands"]
    _empty_postgres(postgres_database)
    with FarmServer(sites=[SITE]) as farm:
        farm.faults = gate_first_list_page(farm, client, db)
        config = tmp_path / f"{name}.yaml"
        config.write_text(yaml.safe_dump({**farm.site_config(SITE), "name": name, "frontier": f"{REDIS_ROOT}/{db}",
                                          "download_timeout": GATE_S + 30}), encoding="utf-8")
        first = dangjian_crawl(tmp_path / "machine-a", config, postgres_database)
        second = dangjian_crawl(tmp_path / "machine-b", config, postgres_database)
        reports = [finished(first), finished(second)]

        truth = {article.url for article in farm.truth(SITE)}
        paths = [entry.path for entry in farm.requests if entry.path != "/robots.txt"]
        assert len(paths) == len(set(paths))  # not one page fetched twice between the two commands
        assert all(report["status"] == "ok" and report["article_pages"] for report in reports), reports
        assert {report["crawl"]["frontier_job"] for report in reports} == {
            f"dangjian:frontier:{name}:nightly:{frontier_run_id(load_site_config(config), 'nightly')}"}
        store = Store(postgres_database)
        assert sum(report["new"] for report in reports) == len(truth) == len(store.known_urls(name))
        assert store.known_urls(name) == truth

        before = len(farm.requests)
        late = finished(dangjian_crawl(tmp_path / "machine-c", config, postgres_database))
        assert farm.requests[before:] == []  # the night's job is done: the late command fetches nothing
        assert late["status"] == "ok" and late["new"] == 0
    gated = type(client).from_url(f"{REDIS_ROOT}/{db}")
    for key in gated.scan_iter(match=f"dangjian:frontier:{name}:*"):
        gated.delete(key)


def test_the_default_run_is_the_night_in_the_site_time_zone_and_a_backfill_adds_its_window():
    from datetime import UTC, date, datetime

    site = SiteConfig(name="s", start_urls=["http://127.0.0.1:1/"], timezone="Asia/Shanghai")
    late_evening_utc = datetime(2026, 3, 1, 17, 30, tzinfo=UTC)  # already 2 March in Shanghai
    assert frontier_run_id(site, "nightly", at=late_evening_utc) == "2026-03-02"
    assert frontier_run_id(site.model_copy(update={"timezone": "UTC"}), "nightly", at=late_evening_utc) == "2026-03-01"
    assert frontier_run_id(site, "backfill", at=late_evening_utc, since=date(2020, 1, 1)) == "2026-03-02:2020-01-01.."
