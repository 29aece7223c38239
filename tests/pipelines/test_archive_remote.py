"""The archive on a remote store, exercised with fsspec's in-memory filesystem (`memory://`, this process only)."""

import logging
import uuid
from pathlib import Path

import pytest
from fsspec.core import url_to_fs
from fsspec.implementations.memory import MemoryFileSystem

from crawlers.run import archived_index, load_state, publish_warcs, remote_warc_url, save_state
from pipelines import config
from pipelines.archive import (
    ArchiveWriter,
    archive_exists,
    is_remote,
    list_archives,
    read_archive,
    read_record,
    site_of,
    upload_archive,
)
from tests.pipelines.test_archive import page


@pytest.fixture
def store_url():
    """A fresh `memory://` archive root, emptied afterwards (the in-memory store lives as long as the process)."""
    url = f"memory://archive-{uuid.uuid4().hex}"
    yield url
    fs, root = url_to_fs(url)
    if fs.exists(root):
        fs.rm(root, recursive=True)


def spool(tmp_path, name="party_school-1.warc.gz", numbers=(1, 2), published_as=None) -> Path:
    path = tmp_path / "spool" / "party_school" / name
    with ArchiveWriter(path, published_as=published_as) as writer:
        for number in numbers:
            writer.write(page(number))
    return path


def test_an_uploaded_archive_reads_back_byte_for_byte_with_refs_naming_the_remote_copy(tmp_path, store_url):
    url = f"{store_url}/party_school/party_school-1.warc.gz"
    path = tmp_path / "party_school-1.warc.gz"
    with ArchiveWriter(path, published_as=url) as writer:
        refs = [writer.write(page(number)) for number in (1, 2, 3)]
    local = list(read_archive(path))
    size = path.stat().st_size

    assert upload_archive(path, url) == url
    assert not path.exists() and archive_exists(url) and url_to_fs(url)[0].size(url_to_fs(url)[1]) == size
    remote = list(read_archive(url))
    assert [p.archive_ref for p in remote] == refs and all(ref.startswith(f"{url}#") for ref in refs)
    assert [(p.url, p.body, p.headers, p.fetched_at, p.list_date) for p in remote] == [
        (p.url, p.body, p.headers, p.fetched_at, p.list_date) for p in local]
    assert read_record(refs[2]).body == page(3).body


def test_a_torn_remote_archive_stops_at_its_last_good_record(tmp_path, store_url, caplog):
    path = spool(tmp_path, numbers=(1, 2, 3))
    url = f"{store_url}/party_school/torn.warc.gz"
    fs, target = url_to_fs(url)
    fs.pipe(target, path.read_bytes()[:-60])
    with caplog.at_level(logging.WARNING, logger="pipelines.archive"):
        assert [p.url[-7:] for p in read_archive(url)] == ["_1.html", "_2.html"]
    assert "unreadable record" in caplog.text


def test_a_short_upload_keeps_the_local_file(tmp_path, store_url, monkeypatch):
    path = spool(tmp_path)

    def lossy_put(self, lpath, rpath, **kwargs):
        self.pipe(rpath, Path(lpath).read_bytes()[:-1])

    monkeypatch.setattr(MemoryFileSystem, "put_file", lossy_put)
    with pytest.raises(OSError, match="is kept"):
        upload_archive(path, f"{store_url}/party_school/x.warc.gz")
    assert len(list(read_archive(path))) == 2


def test_listing_finds_each_sites_files_spelled_like_the_root(tmp_path, store_url):
    for site, name in [("party_school", "b.warc.gz"), ("party_school", "a.warc.gz"), ("county_news", "c.warc.gz")]:
        upload_archive(spool(tmp_path, name=name), f"{store_url}/{site}/{name}")
    url_to_fs(store_url)[0].pipe(url_to_fs(f"{store_url}/party_school/crawl-state.json")[1], b"{}")

    assert list_archives(store_url) == [f"{store_url}/county_news/c.warc.gz", f"{store_url}/party_school/a.warc.gz",
                                        f"{store_url}/party_school/b.warc.gz"]
    assert list_archives(f"{store_url}/", "party_school") == [f"{store_url}/party_school/a.warc.gz",
                                                              f"{store_url}/party_school/b.warc.gz"]
    assert [site_of(location) for location in list_archives(store_url)] == ["county_news", "party_school",
                                                                             "party_school"]
    local_root = tmp_path / "spool"
    spool(tmp_path, name="d.warc.gz")
    assert list_archives(local_root) == [str(local_root / "party_school" / "d.warc.gz")]
    assert list_archives(store_url, "nowhere") == []


@pytest.mark.parametrize("configured, remote", [
    (None, None),
    ("memory://bucket/prefix/", "memory://bucket/prefix"),
    ("s3://bucket/dangjian", "s3://bucket/dangjian"),
])
def test_a_remote_archive_url_makes_the_data_dir_archive_its_spool(data_dir, monkeypatch, configured, remote):
    if configured:
        monkeypatch.setenv("DANGJIAN_ARCHIVE_URL", configured)
    else:
        monkeypatch.delenv("DANGJIAN_ARCHIVE_URL", raising=False)
    assert config.remote_archive_url() == remote
    assert config.archive_dir() == data_dir.resolve() / "archive" and config.archive_dir().is_dir()
    assert config.archive_url() == (remote or str(data_dir.resolve() / "archive"))


@pytest.mark.parametrize("spelling", ["path", "file_url"])
def test_a_local_archive_location_is_written_in_place(data_dir, tmp_path, monkeypatch, spelling):
    shared = tmp_path / "nfs" / "archive"
    monkeypatch.setenv("DANGJIAN_ARCHIVE_URL", str(shared) if spelling == "path" else shared.as_uri())
    assert config.remote_archive_url() is None
    assert config.archive_dir() == shared and shared.is_dir()
    assert config.archive_url() == str(shared) and not is_remote(config.archive_url())


def test_publishing_uploads_what_is_spooled_keeps_what_is_uploaded_and_drops_what_was_never_written(
        tmp_path, store_url):
    uploaded = spool(tmp_path, name="old.warc.gz")
    upload_archive(uploaded, remote_warc_url(store_url, "party_school", uploaded))
    spooled = spool(tmp_path, name="killed.warc.gz")
    never = tmp_path / "spool" / "party_school" / "never.warc.gz"

    located = publish_warcs([uploaded, spooled, never, spooled], store_url, "party_school")
    assert located == [f"{store_url}/party_school/old.warc.gz", f"{store_url}/party_school/killed.warc.gz"]
    assert not spooled.exists()
    assert publish_warcs([uploaded, spooled, never], None, "party_school") == []  # local: only files on disk
    index = archived_index(located)
    first_record = next(read_archive(located[1])).archive_ref
    assert index[page(1).url] == ("article", first_record)  # the later file wins, as with local files


def test_conditional_get_validators_survive_only_while_their_remote_copy_exists(tmp_path, store_url):
    url = f"{store_url}/party_school/a.warc.gz"
    upload_archive(spool(tmp_path, name="a.warc.gz", published_as=url), url)
    state_path = tmp_path / "spool" / "party_school" / "crawl-state.json"
    validators = {"http://x/list.html": {"etag": '"1"', "archive_ref": f"{url}#0"},
                  "http://x/gone.html": {"etag": '"2"', "archive_ref": f"{store_url}/party_school/gone.warc.gz#0"}}
    save_state(state_path, {"validators": validators, "unfetchable": {}})
    assert list(load_state(state_path)["validators"]) == ["http://x/list.html"]
