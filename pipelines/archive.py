"""The raw archive: every fetched response as a WARC `response` record, so re-extraction never refetches.

One append-only `.warc.gz` file per crawl run, each record its own gzip member, built in memory and appended
with unbuffered writes: a writer killed mid-record leaves every earlier record readable, and `read_archive`
stops at the torn tail with a warning. A write that fails (disk full) is cut off again before the error is
raised (`ArchiveWriteError`), so the file stays a readable archive that later records may extend.

Our own facts about a page (site, kind, where its link was found, the date printed beside that link, the URL
before canonicalization, for page 2, 3 … of an article its first page and page number) travel as
`WARC-Dangjian-*` headers; header values are percent-encoded UTF-8 so any WARC reader can parse them.

The archive is a local directory or any fsspec URL (`s3://bucket/prefix`, `memory://` in tests). Object stores
cannot append, so a crawl always writes to a local file and `upload_archive` copies the finished file up whole,
byte for byte: an `archive_ref` ("<location>#<offset>") names the published copy and its offsets stay valid.
"""

from __future__ import annotations

import base64
import errno
import hashlib
import logging
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from pathlib import Path, PurePosixPath
from typing import BinaryIO
from urllib.parse import quote, unquote

import fsspec
from fsspec.core import url_to_fs
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date, iso_date_to_datetime
from warcio.warcwriter import WARCWriter

from pipelines.records import FetchedPage

logger = logging.getLogger(__name__)

EXTRA_HEADERS = {  # FetchedPage field -> WARC header
    "site": "WARC-Dangjian-Site",
    "kind": "WARC-Dangjian-Kind",
    "list_url": "WARC-Dangjian-List-URL",
    "list_date": "WARC-Dangjian-List-Date",
    "original_url": "WARC-Dangjian-Original-URL",
    "part_of": "WARC-Dangjian-Part-Of",
    "part_number": "WARC-Dangjian-Part-Number",
    "listed_at": "WARC-Dangjian-Listed-At",
}
NUMBER_FIELDS = {"part_number"}  # EXTRA_HEADERS read back as int
TIME_FIELDS = {"listed_at"}  # EXTRA_HEADERS read back as datetime
FETCHED_AT_HEADER = "WARC-Dangjian-Fetched-At"  # WARC-Date keeps only seconds
READ_ERRORS = (ArchiveLoadFailed, EOFError, OSError, ValueError, IndexError)
WARC_GLOB = "*.warc.gz"
RECORD_READ_BLOCK = 1 << 20  # a remote read of one record fetches this much, not the store's whole-file default


class ArchiveWriteError(OSError):
    """A record could not be appended (disk full, I/O error); the archive was cut back to its last good record."""


class ArchiveWriter:
    """Appends FetchedPages to one local WARC file; `write` returns the page's archive_ref, which names
    `published_as` (where `upload_archive` will put the finished file) when given, else the file itself."""

    def __init__(self, path: Path, published_as: str | None = None):
        self.path = Path(path)
        self.published_as = published_as or str(self.path)
        self._file: BinaryIO | None = None

    def __enter__(self) -> ArchiveWriter:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = self.path.open("ab", buffering=0)  # no buffer that could hold half a record past an error
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def write(self, page: FetchedPage) -> str:
        if self._file is None:
            raise RuntimeError("ArchiveWriter.write outside its `with` block")
        record = _record_bytes(page)
        offset = self._file.seek(0, os.SEEK_END)
        try:
            _write_all(self._file, record)
        except OSError as exc:
            self._file.truncate(offset)
            raise ArchiveWriteError(exc.errno or errno.EIO,
                                    f"{self.path}: could not append {page.url} ({exc.strerror or exc}); "
                                    f"the archive was cut back to its {offset} good bytes") from exc
        page.archive_ref = f"{self.published_as}#{offset}"
        return page.archive_ref


def _record_bytes(page: FetchedPage) -> bytes:
    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    writer.write_record(_to_record(writer, page))
    return buffer.getvalue()


def _write_all(file: BinaryIO, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = file.write(view)
        if not written:
            raise OSError(errno.EIO, "write returned no progress")
        view = view[written:]


def read_archive(location: str | Path) -> Iterator[FetchedPage]:
    """Every response record in the WARC file at `location` (a path or an fsspec URL), in order; a torn last
    record is skipped with a warning."""
    path = os.fspath(location)
    with _open(path) as stream:
        records = ArchiveIterator(stream)
        while True:
            try:
                record = next(records)
                if record.rec_type != "response":
                    continue
                page = _to_page(record)
                offset = records.get_record_offset()
            except StopIteration:
                return
            except READ_ERRORS as exc:
                logger.warning("%s: unreadable record after the last good one (%s); stopping there", path, exc)
                return
            page.archive_ref = f"{path}#{offset}"
            yield page


def read_record(archive_ref: str) -> FetchedPage:
    location, _, offset = archive_ref.rpartition("#")
    with _open(location, block_size=RECORD_READ_BLOCK) as stream:
        stream.seek(int(offset))
        for record in ArchiveIterator(stream):
            if record.rec_type == "response":
                page = _to_page(record)
                page.archive_ref = archive_ref
                return page
    raise ValueError(f"{archive_ref}: no response record at that offset")


def is_remote(location: str | Path) -> bool:
    """An fsspec URL of anything but the local disk (s3://…, memory://…); plain paths and file:// are local."""
    text = os.fspath(location)
    return "://" in text and fsspec.utils.get_protocol(text) not in ("file", "local")


def archive_exists(location: str | Path) -> bool:
    if not is_remote(location):
        return Path(location).exists()
    fs, path = url_to_fs(os.fspath(location))
    return fs.exists(path)


def list_archives(root: str | Path, site: str | None = None) -> list[str]:
    """The WARC files of an archive (a directory or an fsspec URL): `<root>/<site>/*.warc.gz`, sorted,
    each as a location `read_archive` takes (a path, or a URL spelled like `root`)."""
    pattern = f"{site}/{WARC_GLOB}" if site else f"*/{WARC_GLOB}"
    if not is_remote(root):
        return sorted(str(path) for path in Path(root).glob(pattern))
    root = os.fspath(root).rstrip("/")
    fs, base = url_to_fs(root)
    base = base.rstrip("/")
    return sorted(root + found[len(base):] for found in fs.glob(f"{base}/{pattern}"))


def site_of(location: str | Path) -> str:
    """The site a WARC file belongs to: the name of its folder, in a path or a URL alike."""
    return PurePosixPath(os.fspath(location)).parent.name


def upload_archive(path: Path, url: str) -> str:
    """Copies a finished local WARC file to `url` and removes the local file once the store holds every byte;
    returns `url`. A failed upload leaves the local file in place, so it can be uploaded again. An S3 bucket
    must exist already: creating buckets is the store's administration, not the crawler's."""
    fs, target = url_to_fs(url)
    fs.put_file(os.fspath(path), target)
    stored, written = fs.size(target), Path(path).stat().st_size
    if stored != written:
        raise OSError(errno.EIO, f"{url}: the store holds {stored} bytes of {written}; {path} is kept")
    Path(path).unlink()
    return url


def _open(location: str, block_size: int | None = None) -> BinaryIO:
    if not is_remote(location):
        return open(location, "rb")
    fs, path = url_to_fs(location)
    return fs.open(path, "rb", block_size=block_size)


def _to_record(writer: WARCWriter, page: FetchedPage):
    if not page.url:
        raise ValueError("only fetched pages (with a URL) are archived")
    fetched_at = page.fetched_at or datetime.now(UTC)
    status_line = f"{page.status} {_reason(page.status)}"
    http_headers = StatusAndHeaders(status_line, list(page.headers.items()), protocol="HTTP/1.1")
    warc_headers = {"WARC-Date": datetime_to_iso_date(fetched_at), FETCHED_AT_HEADER: fetched_at.isoformat()}
    for field_name, header in EXTRA_HEADERS.items():
        value = getattr(page, field_name)
        if value is not None:
            text = value.isoformat() if isinstance(value, datetime) else str(value)
            warc_headers[header] = quote(text, safe="/:?&=#[]@!$'()*+,;~%-._ ")
    return writer.create_warc_record(page.url, "response", payload=BytesIO(page.body),
                                     http_headers=http_headers, warc_headers_dict=warc_headers)


def _to_page(record) -> FetchedPage:
    body = record.raw_stream.read()  # as stored: no de-chunking or decompression on the way out
    warc = record.rec_headers
    if not _digest_matches(body, warc.get_header("WARC-Payload-Digest")):
        raise EOFError("payload does not match its digest: the record was cut short")
    fetched_at = warc.get_header(FETCHED_AT_HEADER)
    extras: dict[str, str | int | datetime] = {field_name: unquote(value) for field_name, header in EXTRA_HEADERS.items()
                                    if (value := warc.get_header(header)) is not None}
    for field_name in NUMBER_FIELDS & extras.keys():
        extras[field_name] = int(extras[field_name])
    for field_name in TIME_FIELDS & extras.keys():
        extras[field_name] = datetime.fromisoformat(extras[field_name])
    return FetchedPage(
        url=warc.get_header("WARC-Target-URI"),
        body=body,
        fetched_at=datetime.fromisoformat(fetched_at) if fetched_at else iso_date_to_datetime(warc.get_header("WARC-Date")),
        status=int(record.http_headers.get_statuscode()),
        headers={name.lower(): value for name, value in record.http_headers.headers},
        **extras,
    )


def _digest_matches(body: bytes, digest: str | None) -> bool:
    """warcio writes `sha1:<base32>`; a truncated gzip member decodes silently to a shorter body."""
    if not digest or not digest.startswith("sha1:"):
        return True
    return base64.b32encode(hashlib.sha1(body).digest()).decode() == digest[5:]


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
