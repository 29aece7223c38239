"""A farm crawl with the raw archive on S3: moto's S3 server on 127.0.0.1 stands in for the object store."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fsspec.core import url_to_fs

from crawlers.run import crawl_site
from demo.server import FarmServer, Fault
from pipelines import config
from pipelines.archive import list_archives, read_archive, read_record
from pipelines.ingest import ingest_pages
from pipelines.store import Store
from tests.crawlers.test_crawl_farm import FAST, REPO

pytestmark = pytest.mark.slow
BUCKET = "dangjian-test"


def archive_files(site=None):
    """What `dangjian reprocess` reads (flows.maintenance.archive_files, without importing Prefect here)."""
    return list_archives(config.archive_url(), site)


@pytest.fixture
def s3_archive(data_dir, monkeypatch):
    """DANGJIAN_ARCHIVE_URL on a moto S3 server started for this test (random port, stopped after)."""
    pytest.importorskip("moto.server", reason="moto[server] is not installed: the S3 archive is untested here")
    s3fs = pytest.importorskip("s3fs", reason="s3fs is not installed: the S3 archive is untested here")
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", "0"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        endpoint = _announced_endpoint(server)
        for name, value in {"AWS_ENDPOINT_URL_S3": endpoint, "AWS_ACCESS_KEY_ID": "test",
                            "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "us-east-1"}.items():
            monkeypatch.setenv(name, value)  # the crawler children inherit them
        s3fs.S3FileSystem.clear_instance_cache()  # a cached client would still talk to an earlier server
        url = f"s3://{BUCKET}/archive"
        url_to_fs(url)[0].mkdir(BUCKET)
        monkeypatch.setenv("DANGJIAN_ARCHIVE_URL", url)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
        s3fs.S3FileSystem.clear_instance_cache()


def _announced_endpoint(server: subprocess.Popen) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = server.stderr.readline()
        if found := re.search(r"Running on (http://127\.0\.0\.1:\d+)", line):
            return found.group(1)
        if not line and server.poll() is not None:
            break
    pytest.fail("moto_server did not announce its port")


def test_a_crawl_archives_to_s3_and_every_record_reads_back_and_loads(tmp_path, s3_archive):
    name = "county_news"
    spool = tmp_path / "spool"
    with FarmServer() as farm:
        config = farm.write_site_configs(tmp_path / "sites")[farm.names.index(name)]
        result = crawl_site(config, archive_dir=spool, settings=FAST, timeout=120)
        assert result.returncode == 0, result.error
        assert [str(location).rpartition("/")[0] for location in result.warc_paths] == [f"{s3_archive}/{name}"]
        assert not list(spool.glob("*/*.warc.gz"))  # uploaded, then removed from the spool
        assert archive_files(name) == result.warc_paths

        pages = list(read_archive(result.warc_paths[0]))
        assert len(pages) == result.stats["archived_records"]
        articles = [page for page in pages if page.kind == "article" and page.status == 200]
        assert sorted(page.url for page in articles) == sorted(article.url for article in farm.truth(name))
        for page in pages:
            assert page.archive_ref.startswith(f"{result.warc_paths[0]}#")
            assert read_record(page.archive_ref).body == page.body

        store = Store(f"sqlite:///{tmp_path / 'dangjian.db'}")
        stats = ingest_pages((page for location in archive_files() for page in read_archive(location)), store,
                             site=name)
        assert stats.new == len(farm.truth(name)) and not stats.errors
        rows = list(store.export_rows(all_copies=True))
        assert {row["url"] for row in rows} == {article.url for article in farm.truth(name)}
        assert all(row["archive_ref"].startswith(f"{s3_archive}/{name}/") for row in rows)

        # The next run's conditional GETs rest on list pages archived on S3: 304s, answered from there.
        known = tmp_path / "known.txt"
        known.write_text("".join(f"{row['url']}\n" for row in rows), encoding="utf-8")
        again = crawl_site(config, archive_dir=spool, known_urls_file=known, settings=FAST, timeout=120)
        assert again.returncode == 0, again.error
        assert again.stats["not_modified"] == len(farm.site(name).start_paths) and again.stats["article_pages"] == 0


def test_a_killed_crawl_is_uploaded_on_resume_and_not_fetched_again(tmp_path, s3_archive):
    name = "city_portal"
    with FarmServer() as farm:
        truth = {article.url for article in farm.truth(name)}
        farm.faults = lambda site, target: Fault.slow(0.3) if target.startswith("/art/") else None
        config = farm.write_site_configs(tmp_path / "sites")[farm.names.index(name)]
        jobdir, spool = tmp_path / "job", tmp_path / "spool"
        killed_warc = spool / name / "killed.warc.gz"
        child = subprocess.Popen(
            [sys.executable, "-m", "crawlers.run", "--config", str(config), "--archive-dir", str(spool),
             "--archive-url", s3_archive, "--jobdir", str(jobdir), "--warc-file", str(killed_warc),
             "--settings-json", json.dumps(FAST)],
            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and sum(
                page.kind == "article" for page in (read_archive(killed_warc) if killed_warc.exists() else [])) < 3:
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        archived_before = {page.url for page in read_archive(killed_warc) if page.status == 200} & truth
        assert 0 < len(archived_before) < len(truth)
        before = len(farm.requests)
        farm.faults = None

        result = crawl_site(config, archive_dir=spool, jobdir=jobdir, settings=FAST, timeout=120)
        assert result.returncode == 0, result.error
        assert f"{s3_archive}/{name}/killed.warc.gz" in result.warc_paths and len(result.warc_paths) == 2
        assert not killed_warc.exists()
        fetched = {page.url for location in result.warc_paths for page in read_archive(location)
                   if page.kind == "article" and page.status == 200}
        assert fetched == truth
        assert result.stats["skipped_archived"] == len(archived_before) and result.stats["replayed"] >= 1
        assert not {farm.base_urls[name] + entry.path for entry in farm.requests[before:]} & archived_before
        assert {Path(location).name for location in archive_files(name)} == {Path(p).name for p in result.warc_paths}
