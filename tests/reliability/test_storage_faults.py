"""What operators' machines do to the pipeline: a killed crawl, a locked or unreachable database, a full disk.

In every case the raw archive keeps what was fetched, readable, and loading it again later stores each
article exactly once.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest

import pipelines.store.engine as store_engine
from crawlers.run import crawl_site
from demo.server import FarmServer, Fault
from pipelines.archive import ArchiveWriteError, ArchiveWriter, read_archive
from pipelines.ingest import ingest_pages
from pipelines.records import FetchedPage
from pipelines.store import Store, StoreBusyError, StoreUnavailableError

REPO = Path(__file__).resolve().parents[2]
FAST = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_START_DELAY": 0, "RETRY_BACKOFF_BASE": 0.05}
UNREACHABLE_POSTGRES = "postgresql+psycopg://postgres:secret@127.0.0.1:1/dangjian"


def page(number: int, body: bytes | None = None) -> FetchedPage:
    text = "".join(f"<p>第{number}篇文章的第{i}段正文,讲述支部学习的具体安排与收获体会。</p>" for i in range(8))
    html = f"<html><head><title>测试文章{number}</title></head><body><h1>测试文章{number}</h1>{text}</body></html>"
    return FetchedPage(url=f"http://127.0.0.1/a/{number}.html", body=body or html.encode(), status=200,
                       headers={"content-type": "text/html; charset=utf-8"}, site="s", kind="article")


def archive_of(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "archive" / "s.warc.gz"
    with ArchiveWriter(path) as writer:
        for number in range(count):
            writer.write(page(number))
    return path


@pytest.fixture
def quick_retries(monkeypatch):
    monkeypatch.setattr(store_engine, "SQLITE_BUSY_TIMEOUT_MS", 50)
    monkeypatch.setattr(store_engine, "BUSY_FIRST_WAIT", 0.02)
    monkeypatch.setattr(store_engine, "BUSY_RETRIES", 2)
    monkeypatch.setattr(store_engine, "CONNECT_FIRST_WAIT", 0.02)
    monkeypatch.setattr(store_engine, "CONNECT_RETRIES", 2)


def hold_write_lock(path: Path, release: threading.Event) -> threading.Thread:
    locked = threading.Event()

    def hold() -> None:
        connection = sqlite3.connect(path, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        locked.set()
        release.wait(30)
        connection.execute("ROLLBACK")
        connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    locked.wait()
    return thread


# --- database ---------------------------------------------------------------------------------------------


def test_a_locked_sqlite_database_fails_clearly_and_the_archive_loads_later(tmp_path, quick_retries):
    warc = archive_of(tmp_path, 5)
    db_path = tmp_path / "store.db"
    store = Store(f"sqlite:///{db_path}")
    release = threading.Event()
    holder = hold_write_lock(db_path, release)
    try:
        with pytest.raises(StoreBusyError, match="locked by another writer"):
            ingest_pages(read_archive(warc), store, site="s")
    finally:
        release.set()
        holder.join()
    assert len(list(read_archive(warc))) == 5  # the fetched pages are untouched
    loaded = ingest_pages(read_archive(warc), store, site="s")
    assert (loaded.new, loaded.errors) == (5, [])
    assert len(list(store.export_rows(all_copies=True))) == 5


def test_an_unreachable_postgresql_is_retried_then_named_without_its_password(quick_retries, monkeypatch):
    attempts = Counter()
    real_migrate = store_engine.migrate
    monkeypatch.setattr(store_engine, "migrate", lambda engine: (attempts.update(["connect"]), real_migrate(engine)))
    with pytest.raises(StoreUnavailableError) as raised:
        Store(UNREACHABLE_POSTGRES)
    message = str(raised.value)
    assert attempts["connect"] == 3  # the first try and CONNECT_RETRIES more
    assert "127.0.0.1:1/dangjian" in message and "cannot be reached" in message and "refused" in message
    assert "secret" not in message
    assert "raw archive" not in message, "only a command that fetched pages says they wait in the archive"


@pytest.mark.postgres
def test_pages_fetched_while_postgresql_was_down_load_once_it_is_back(tmp_path, quick_retries, postgres_database):
    warc = archive_of(tmp_path, 4)
    with pytest.raises(StoreUnavailableError):
        ingest_pages(read_archive(warc), Store(UNREACHABLE_POSTGRES), site="s")
    store = Store(postgres_database)
    site = f"s-{uuid.uuid4().hex[:8]}"
    pages = [p for p in read_archive(warc)]
    for p in pages:
        p.url = p.url.replace("/a/", f"/{site}/")
    assert ingest_pages(pages, store, site=site).new == 4
    assert ingest_pages(pages, store, site=site).new == 0


def test_a_database_lost_between_batches_keeps_committed_batches_and_a_rerun_completes(tmp_path, quick_retries):
    warc = archive_of(tmp_path, 6)
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    release = threading.Event()
    original_load = store.load
    calls = Counter()

    def load_then_lock(articles, **options):
        calls["load"] += 1
        if calls["load"] == 2:  # the second batch finds the database locked for good
            hold_write_lock(tmp_path / "store.db", release)
        return original_load(articles, **options)

    store.load = load_then_lock
    with pytest.raises(StoreBusyError):
        ingest_pages(read_archive(warc), store, site="s", batch_size=3)
    release.set()
    store.load = original_load
    assert len(store.known_urls("s")) == 3  # the first batch committed whole, the second not at all
    again = ingest_pages(read_archive(warc), store, site="s", batch_size=3)
    assert (again.new, again.unchanged) == (3, 3)
    assert Counter(row["url"] for row in store.export_rows(all_copies=True)) == Counter(
        {p.url: 1 for p in read_archive(warc)})


# --- disk full ----------------------------------------------------------------------------------------------


class FullDisk:
    """A raw file that accepts `room` more bytes, then fails with ENOSPC, as a full file system does."""

    def __init__(self, raw, room: int):
        self.raw, self.room = raw, room

    def write(self, data) -> int:
        if self.room <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written = self.raw.write(bytes(data[: self.room]))
        self.room -= written
        return written

    def __getattr__(self, name):
        return getattr(self.raw, name)


def test_disk_full_mid_record_raises_a_clear_error_and_leaves_a_readable_archive(tmp_path):
    """Simulated: the writer's file object raises OSError(ENOSPC) half way through the third record."""
    path = tmp_path / "s.warc.gz"
    with ArchiveWriter(path) as writer:
        writer.write(page(0))
        writer.write(page(1))
        good_size = path.stat().st_size
        writer._file = FullDisk(writer._file, room=200)
        with pytest.raises(ArchiveWriteError, match="No space left on device") as raised:
            writer.write(page(2))
        assert raised.value.errno == errno.ENOSPC and str(path) in str(raised.value)
        assert path.stat().st_size == good_size  # the torn record was cut off again
        writer._file = writer._file.raw  # space freed: the same writer goes on appending
        writer.write(page(3))
    assert [p.url for p in read_archive(path)] == [page(n).url for n in (0, 1, 3)]


def can_mount_tmpfs(target: Path) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    target.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(target)], capture_output=True)
    return mounted.returncode == 0


@pytest.mark.slow
def test_a_crawl_onto_a_full_tmpfs_stops_with_a_clear_error_and_resumes_once_there_is_room(tmp_path):
    """Real: a 64 KB tmpfs fills during the crawl (needs root; skipped elsewhere, the test above stands in)."""
    small = tmp_path / "small"
    if not can_mount_tmpfs(small):
        pytest.skip("cannot mount a tmpfs here (not root or no mount): the simulated ENOSPC test covers this")
    try:
        with FarmServer(sites=["university"]) as farm:
            config = farm.write_site_configs(tmp_path / "sites")[0]
            jobdir = tmp_path / "job"
            (small / "filler").write_bytes(b"\0" * 48 * 1024)  # the archive and its log get 16 KB
            full = crawl_site(config, archive_dir=small, jobdir=jobdir, settings=FAST, timeout=120)
            assert full.returncode == 1 and "archive write failed" in full.error and "No space left" in full.error
            kept = [p for path in full.warc_paths for p in read_archive(path)]  # readable to its last record
            assert kept and full.stats["archived_records"] == len(kept)
            (small / "filler").unlink()
            resumed = crawl_site(config, archive_dir=small, jobdir=jobdir, settings=FAST, timeout=120)
            assert resumed.returncode == 0, resumed.error
            articles = Counter(p.url for path in resumed.warc_paths for p in read_archive(path)
                               if p.kind == "article" and p.status == 200)
            assert set(articles) == {a.url for a in farm.truth("university")} and set(articles.values()) == {1}
    finally:
        subprocess.run(["umount", str(small)], capture_output=True)


# --- killed crawl, then the database side of resume ---------------------------------------------------------


@pytest.mark.slow
def test_ingesting_a_killed_crawl_and_then_its_resume_stores_every_article_once(tmp_path):
    """tests/crawlers/test_crawl_farm.py proves the resume refetches nothing; this is the database side."""
    name = "county_news"
    with FarmServer(sites=[name]) as farm:
        truth = {a.url for a in farm.truth(name)}
        farm.faults = lambda site, target: Fault.slow(0.3) if target.startswith("/content/") else None
        config = farm.write_site_configs(tmp_path / "sites")[0]
        jobdir, archive_dir = tmp_path / "job", tmp_path / "archive"
        killed_warc = archive_dir / name / "killed.warc.gz"
        child = subprocess.Popen(
            [sys.executable, "-m", "crawlers.run", "--config", str(config), "--archive-dir", str(archive_dir),
             "--jobdir", str(jobdir), "--warc-file", str(killed_warc), "--settings-json", json.dumps(FAST)],
            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and sum(
                p.kind == "article" for p in (read_archive(killed_warc) if killed_warc.exists() else [])) < 3:
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        store = Store(f"sqlite:///{tmp_path / 'store.db'}")
        partial = ingest_pages(read_archive(killed_warc), store, site=name)  # what a reprocess would load now
        assert 0 < partial.new < len(truth)
        farm.faults = None
        resumed = crawl_site(config, archive_dir=archive_dir, jobdir=jobdir, settings=FAST, timeout=120)
        assert resumed.returncode == 0, resumed.error
        pages = [p for path in resumed.warc_paths for p in read_archive(path)]
        complete = ingest_pages(pages, store, site=name)
        assert complete.new == len(truth) - partial.new and complete.errors == []
        rows = list(store.export_rows(all_copies=True))
        assert Counter(row["url"] for row in rows) == Counter(truth)  # each article exactly once
