"""End to end: the generic spider crawls the synthetic farm (demo.server) in a child process."""

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from crawlers.run import crawl_site
from demo.farm import SITE_NAMES
from demo.server import FarmServer, Fault
from pipelines.archive import read_archive
from pipelines.dates import parse_date_text

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
FAST = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_START_DELAY": 0, "RETRY_BACKOFF_BASE": 0.05}


def crawl(farm, name, tmp_path, **options):
    config = farm.write_site_configs(tmp_path / "sites")[farm.names.index(name)]
    result = crawl_site(config, archive_dir=tmp_path / "archive", settings=FAST, timeout=120, **options)
    assert result.returncode == 0, (result.error, result.stats)
    return result


def archived(result, kind="article"):
    return [page for path in result.warc_paths for page in read_archive(path) if page.kind == kind and page.status == 200]


def paths_of(urls):
    return {urlsplit(url).path + (f"?{urlsplit(url).query}" if urlsplit(url).query else "") for url in urls}


@pytest.mark.parametrize("name", SITE_NAMES)
def test_a_site_with_only_name_and_start_urls_yields_exactly_its_articles(tmp_path, name):
    with FarmServer() as farm:
        result = crawl(farm, name, tmp_path)
        truth = {article.url: article for article in farm.truth(name)}
        pages = archived(result)
        assert Counter(page.url for page in pages) == Counter(list(truth))  # every article once, nothing else
        assert {page.url: page.list_date for page in pages} == {url: a.list_date for url, a in truth.items()}
        requested = [entry.path for entry in farm.requests]
        assert {entry.site for entry in farm.requests} == {name}  # other farm sites (other ports) untouched
        disallowed = farm.site(name).disallowed_prefix
        assert not [path for path in requested if path.startswith(disallowed)]
        assert not [path for path in requested if path.startswith("/calendar")]
        assert not [path for path in requested if path.lower().endswith((".pdf", ".doc", ".docx"))]
        assert len(requested) == len(set(requested))  # nothing fetched twice
        assert result.stats["robots_forbidden"] >= 1 and result.stats["errors"] == 0


def test_list_pages_are_archived_as_raw_bytes(tmp_path):
    with FarmServer() as farm:
        result = crawl(farm, "party_school", tmp_path)
        lists = archived(result, kind="list")
        assert len(lists) >= 2
        for page in lists:
            served = farm.site("party_school").resource(urlsplit(page.url).path).body
            assert page.body == served and "charset" not in page.headers["content-type"]
        lists[0].body.decode("gbk")  # stored as served: GBK, not re-encoded to UTF-8
        with pytest.raises(UnicodeDecodeError):
            lists[0].body.decode("utf-8")


def test_second_nightly_run_fetches_only_list_pages(tmp_path):
    with FarmServer() as farm:
        first = crawl(farm, "county_news", tmp_path)
        known = tmp_path / "known.txt"
        known.write_text("\n".join(page.url for page in archived(first)) + "\n", encoding="utf-8")
        before = len(farm.requests)
        second = crawl(farm, "county_news", tmp_path, known_urls_file=known)
        again = farm.requests[before:]
        start_paths = set(farm.site("county_news").start_paths)
        assert {entry.path for entry in again} <= start_paths | {"/robots.txt"}
        list_requests = [entry for entry in again if entry.path in start_paths]
        assert list_requests and all("if-none-match" in entry.headers for entry in list_requests)
        assert {entry.status for entry in list_requests} == {304}
        assert second.stats["not_modified"] == len(start_paths) and second.stats["article_pages"] == 0
        assert second.stats["stops"] == {"all_known": len(start_paths)}


def test_backfill_pages_until_list_dates_pass_since(tmp_path):
    with FarmServer() as farm:
        truth = farm.truth("county_news")
        days = sorted({parse_date_text(a.list_date).value.date() for a in truth}, reverse=True)
        since = days[1]
        result = crawl(farm, "county_news", tmp_path, mode="backfill", since=since)
        got = {page.url for page in archived(result)}
        wanted = {a.url for a in truth if parse_date_text(a.list_date).value.date() >= since}
        assert got == wanted
        assert result.stats["stops"].get("older_than_window") == 1
        assert result.stats["list_pages"] == 2  # page 2 is all before `since`: page 3 is never fetched
        assert result.stats["skipped_out_of_window"] >= 1


def test_max_list_pages_bounds_paging(tmp_path):
    with FarmServer() as farm:
        config = {**farm.site_config("county_news"), "max_list_pages": 1}
        path = tmp_path / "county_news.yaml"
        path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        result = crawl_site(path, archive_dir=tmp_path / "archive", settings=FAST, timeout=120)
        assert result.stats["list_pages"] == 1 and result.stats["stops"] == {"max_list_pages": 1}
        assert not [entry for entry in farm.requests if "page=" in entry.path]


def test_server_errors_are_retried_and_recover(tmp_path):
    with FarmServer() as farm:
        target = urlsplit(farm.truth("university")[0].url).path
        farm.faults = {("university", target): Fault.error(503, times=2)}
        result = crawl(farm, "university", tmp_path)
        assert [entry.status for entry in farm.requests if entry.path == target] == [503, 503, 200]
        assert result.stats["retries"] == 2
        assert {page.url for page in archived(result)} == {a.url for a in farm.truth("university")}


def test_killed_crawl_resumes_without_refetching(tmp_path):
    name = "city_portal"
    with FarmServer() as farm:
        truth = {article.url for article in farm.truth(name)}
        farm.faults = lambda site, target: Fault.slow(0.3) if target.startswith("/art/") else None
        config = farm.write_site_configs(tmp_path / "sites")[farm.names.index(name)]
        jobdir, archive_dir = tmp_path / "job", tmp_path / "archive"
        killed_warc = archive_dir / name / "killed.warc.gz"
        child = subprocess.Popen(
            [sys.executable, "-m", "crawlers.run", "--config", str(config), "--archive-dir", str(archive_dir),
             "--jobdir", str(jobdir), "--warc-file", str(killed_warc), "--settings-json", json.dumps(FAST)],
            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and sum(p.kind == "article" for p in read_if_any(killed_warc)) < 3:
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        done_before = {page.url for page in read_archive(killed_warc) if page.status == 200 and page.kind != "other"}
        articles_before = done_before & truth
        assert 0 < len(articles_before) < len(truth)
        before = len(farm.requests)
        farm.faults = None
        result = crawl_site(config, archive_dir=archive_dir, jobdir=jobdir, settings=FAST, timeout=120)
        assert result.returncode == 0, result.error
        assert killed_warc in result.warc_paths and len(result.warc_paths) == 2
        assert {page.url for page in archived(result)} == truth  # the union is complete
        fetched_again = {canonical(farm.base_urls[name] + entry.path) for entry in farm.requests[before:]}
        assert fetched_again & done_before == set()  # nothing archived before the kill is fetched again
        assert result.stats["replayed"] >= 1 and result.stats["skipped_archived"] == len(articles_before)
        fresh = crawl_site(config, archive_dir=archive_dir, jobdir=jobdir, settings=FAST, timeout=120)
        assert len(fresh.warc_paths) == 1 and fresh.stats["replayed"] == 0  # a finished job is not resumed
        assert fresh.stats["list_pages"] + fresh.stats["not_modified"] == result.stats["list_pages"] + result.stats["replayed"]


def read_if_any(path):
    return list(read_archive(path)) if path.exists() else []


def canonical(url):
    from w3lib.url import canonicalize_url

    return canonicalize_url(url)


def test_cli_exit_codes(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\n", encoding="utf-8")
    child = subprocess.run([sys.executable, "-m", "crawlers.run", "--config", str(bad), "--archive-dir", str(tmp_path)],
                           capture_output=True, text=True, cwd=REPO)
    assert child.returncode == 2
    assert json.loads(child.stdout.splitlines()[-1])["error"] == f"{bad}: start_urls: field required"
    down = tmp_path / "down.yaml"
    down.write_text("name: down\nstart_urls: ['http://127.0.0.1:9/list.htm']\n", encoding="utf-8")
    result = crawl_site(down, archive_dir=tmp_path / "archive", settings={**FAST, "RETRY_TIMES": 0}, timeout=60)
    assert result.returncode == 1 and "no list page" in result.error
