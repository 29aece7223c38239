"""The WARC archive is what went over the wire: checked with warcio's own tools (and pywb where installed) on a
real crawl of the farm's GBK site, with one article served gzip and one redirected, then a second night of 304s."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from warcio.archiveiterator import ArchiveIterator

from crawlers.run import crawl_site
from demo.server import FarmServer, Fault, gzip_bomb
from pipelines.archive import read_archive, read_record

pytestmark = pytest.mark.slow
SITE = "party_school"
FAST = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_START_DELAY": 0, "RETRY_BACKOFF_BASE": 0.05}
GZIP_SIZE = 2**20  # a gzip body that inflates to 1 MiB: under the crawl's cap, so the page is taken
OLD_FORMAT = Path(__file__).parent / "warcs" / "dangjian-format-1.warc.gz"  # written by the archive before WARC 1.1
def _pywb_bin() -> str | None:
    """`make test` installs pywb into .venv-pywb and names its bin directory in PYWB_BIN; else one on the PATH."""
    candidates = [Path(os.environ["PYWB_BIN"]) / "wayback"] if os.environ.get("PYWB_BIN") else []
    if found := shutil.which("wayback"):
        candidates.append(Path(found))
    return next((str(wayback.parent) for wayback in candidates if wayback.exists()), None)


PYWB = _pywb_bin()


def records(path):
    """(type, WARC headers, HTTP headers, raw payload) of every record, as warcio reads them."""
    with open(path, "rb") as stream:
        return [(r.rec_type, r.rec_headers, r.http_headers, r.raw_stream.read()) for r in ArchiveIterator(stream)]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fidelity")
    with FarmServer(sites=[SITE]) as farm:
        articles = sorted(urlsplit(a.url).path for a in farm.truth(SITE))
        gzipped, redirected, target = articles[0], articles[1], articles[2]
        farm.faults = {(SITE, gzipped): Fault.gzip_bomb(size=GZIP_SIZE),
                       (SITE, redirected): Fault.redirect(target)}
        config = tmp / f"{SITE}.yaml"
        config.write_text(yaml.safe_dump(farm.site_config(SITE)), encoding="utf-8")
        first = crawl_site(config, archive_dir=tmp / "archive", settings=FAST, timeout=120)
        assert first.returncode == 0, first.error
        served = list(farm.requests)
        known = tmp / "known.txt"
        known.write_text("".join(f"{p.url}\n" for w in first.warc_paths for p in read_archive(w)), encoding="utf-8")
        second = crawl_site(config, archive_dir=tmp / "archive", settings=FAST, timeout=120, known_urls_file=known)
        assert second.returncode == 0, second.error
        yield {"first": first.warc_paths[0], "second": second.warc_paths[0], "served": served,
               "gzipped": gzipped, "redirected": redirected, "target": target}


def test_warcio_check_passes_every_digest_of_both_nights(crawled):
    for path in (crawled["first"], crawled["second"]):
        checked = subprocess.run([sys.executable, "-m", "warcio.cli", "check", "-v", str(path)],
                                 capture_output=True, text=True, timeout=120)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert "digest pass" in checked.stdout and "digest fail" not in checked.stdout


def test_each_file_opens_with_warcinfo_and_each_response_has_its_request(crawled):
    found = records(crawled["first"])
    assert found[0][0] == "warcinfo" and [r[0] for r in found].count("warcinfo") == 1
    assert found[0][1].get_header("WARC-Filename") == Path(crawled["first"]).name
    responses = [r for r in found if r[0] == "response"]
    requests = {r[1].get_header("WARC-Concurrent-To"): r for r in found if r[0] == "request"}
    assert len(requests) == len(responses) == len(crawled["served"])  # every answer the server gave, once
    for _, warc, _, _ in responses:
        request = requests[warc.get_header("WARC-Record-ID")]
        assert request[1].get_header("WARC-Target-URI") == warc.get_header("WARC-Target-URI")
        assert warc.get_header("WARC-IP-Address") == "127.0.0.1"
        assert warc.protocol == "WARC/1.1"
        assert len(warc.get_header("WARC-Date")) == len("2024-05-06T07:08:09.123456Z")  # microseconds


def test_target_uris_and_request_headers_are_what_the_server_received(crawled):
    served = {entry.path: entry for entry in crawled["served"]}
    found = records(crawled["first"])
    targets = [urlsplit(r[1].get_header("WARC-Target-URI")) for r in found if r[0] == "response"]
    assert sorted(t.path + (f"?{t.query}" if t.query else "") for t in targets) == sorted(served)
    for kind, warc, http, _ in found:
        if kind != "request":
            continue
        target = urlsplit(warc.get_header("WARC-Target-URI"))
        entry = served[target.path + (f"?{target.query}" if target.query else "")]
        assert http.protocol == "GET" and http.statusline.startswith(target.path)
        sent = {name.lower(): value for name, value in http.headers}
        received = {name: value for name, value in entry.headers.items() if name != "connection"}
        assert sent == received  # User-Agent, Accept-Encoding, Host, If-None-Match …: nothing made up or lost


def test_a_gzip_response_is_stored_compressed_and_read_back_decoded(crawled):
    [(_, warc, http, payload)] = [r for r in records(crawled["first"]) if r[0] == "response"
                                  and urlsplit(r[1].get_header("WARC-Target-URI")).path == crawled["gzipped"]]
    assert payload == gzip_bomb(GZIP_SIZE)  # the bytes as sent, not inflated
    assert http.get_header("Content-Encoding") == "gzip" and http.get_header("Content-Length") == str(len(payload))
    [page] = [p for p in read_archive(crawled["first"]) if urlsplit(p.url).path == crawled["gzipped"]]
    assert page.body == bytes(GZIP_SIZE) and "content-encoding" not in page.headers
    assert read_record(page.archive_ref).body == page.body


def test_a_redirect_is_archived_as_received(crawled):
    found = records(crawled["first"])
    [(_, _, http, _)] = [r for r in found if r[0] == "response"
                         and urlsplit(r[1].get_header("WARC-Target-URI")).path == crawled["redirected"]]
    assert http.get_statuscode() == "302" and http.get_header("Location") == crawled["target"]
    assert http.statusline == "302 Found" and http.protocol == "HTTP/1.1"
    pages = {urlsplit(p.url).path: p for p in read_archive(crawled["first"])}
    assert pages[crawled["redirected"]].status == 302 and pages[crawled["target"]].body.decode("gbk")


def test_a_304_is_a_revisit_record_and_reads_back_as_a_304(crawled):
    found = records(crawled["second"])
    revisits = [r for r in found if r[0] == "revisit"]
    assert revisits and all(r[2].get_statuscode() == "304" and r[3] == b"" for r in revisits)
    assert {r[1].get_header("WARC-Profile") for r in revisits} == {
        "http://netpreserve.org/warc/1.1/revisit/server-not-modified"}
    lists = [p for p in read_archive(crawled["second"]) if p.kind == "list"]
    assert lists and {p.status for p in lists} == {304}


def test_an_archive_written_before_warc_1_1_still_reads_the_same():
    first, part, not_modified = read_archive(OLD_FORMAT)
    assert first.url == "http://127.0.0.1:8001/news/a.html?a=1&b=2"
    assert first.original_url == "http://127.0.0.1:8001/news/a.html?b=2&a=1"
    assert first.body.decode("gbk").count("党校新闻") == 2 and first.headers["content-type"] == "text/html; charset=gbk"
    assert (first.site, first.kind, first.list_date, first.fetched_at.microsecond) == (
        "party_school", "article", "2024-05-01", 123456)
    assert (part.kind, part.part_of, part.part_number) == ("part", first.url, 2)
    assert (not_modified.status, not_modified.body) == (304, b"")
    assert read_record(part.archive_ref).body == part.body


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.skipif(PYWB is None, reason="pywb is not installed: its pinned redis==2.10.6 conflicts with the "
                                         "project's, so `make test` puts it in .venv-pywb (PYWB_BIN=<its bin dir>)")
def test_pywb_replays_the_gzip_page_the_redirect_and_a_gbk_page_byte_for_byte(crawled, tmp_path):
    bin_dir = Path(PYWB)
    subprocess.run([bin_dir / "wb-manager", "init", "fidelity"], cwd=tmp_path, check=True, capture_output=True)
    subprocess.run([bin_dir / "wb-manager", "add", "fidelity", str(crawled["first"])], cwd=tmp_path, check=True,
                   capture_output=True)
    port = _free_port()
    server = subprocess.Popen([bin_dir / "wayback", "-b", "127.0.0.1", "-p", str(port)], cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        found = {urlsplit(r[1].get_header("WARC-Target-URI")).path: r for r in records(crawled["first"])
                 if r[0] == "response"}
        gbk = next(path for path, r in found.items() if r[2].get_statuscode() == "200"
                   and path not in (crawled["gzipped"], "/robots.txt"))
        for path in (crawled["gzipped"], crawled["redirected"], gbk):
            _, warc, http, payload = found[path]
            stamp = warc.get_header("WARC-Date")[:19].translate(str.maketrans("", "", "-:T"))
            status, headers, body = _replay(port, f"fidelity/{stamp}id_/{warc.get_header('WARC-Target-URI')}")
            assert status == int(http.get_statuscode()) and body == payload, path
            assert headers.get("Content-Encoding") == http.get_header("Content-Encoding")
            if status == 302:
                assert headers["Location"].endswith(crawled["target"])
    finally:
        server.terminate()
        server.wait(timeout=10)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _replay(port: int, path: str):
    opener = urllib.request.build_opener(_NoRedirect)
    opener.addheaders = [("Accept-Encoding", "gzip")]  # else pywb inflates the gzip page for the client
    deadline = time.monotonic() + 30
    while True:
        try:
            with opener.open(f"http://127.0.0.1:{port}/{path}", timeout=10) as answer:
                return answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as answer:
            return answer.code, answer.headers, answer.read()
        except (ConnectionError, urllib.error.URLError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
