"""The raw archive: every fetched response as WARC 1.1, so re-extraction never refetches and any replay tool
(pywb, warcio, fastwarc) serves what the site sent.

A crawl hands over each `HttpExchange` as it crossed the wire, the way Heritrix and wget write WARCs: a
`warcinfo` record opens each file; every response (3xx and 4xx too) is a `response` record holding its status
line, header lines and payload as received (still gzip when it was, so Content-Length and the payload digest
describe the stored bytes), with WARC-Date at fetch time to the microsecond, WARC-IP-Address, and the URL as
sent as WARC-Target-URI, followed by a `request` record (`WARC-Concurrent-To` it); a 304 is a `revisit`
(server-not-modified profile). A page with no wire behind it (a test, a local file) is written as one response.

One append-only `.warc.gz` file per crawl run, each record its own gzip member, built in memory and appended
with unbuffered writes: a writer killed mid-record leaves every earlier record readable, and `read_archive`
stops at the torn tail with a warning. A write that fails (disk full) is cut off again before the error is
raised (`ArchiveWriteError`), so the file stays a readable archive that later records may extend.

Our own facts about a page (site, kind, its canonical URL, where its link was found, the date printed beside
that link, the URL as linked, for page 2, 3 … of an article its first page and page number) travel as
`WARC-Dangjian-*` headers of the response record; values are percent-encoded UTF-8 so any WARC reader can
parse them. Reading back gives the pipeline's view, `FetchedPage`: the canonical URL as `url`, the body with its
Content-Encoding undone. Archives written before WARC 1.1 (decoded bodies, canonical URL as target) read the same.

The archive is a local directory or any fsspec URL (`s3://bucket/prefix`, `memory://` in tests). Object stores
cannot append, so a crawl always writes to a local file and `upload_archive` copies the finished file up whole,
byte for byte: an `archive_ref` ("<location>#<offset>") names the published copy and its offsets stay valid.
The database keeps the refs of files under a local archive relative to it (`stored_ref`: `<site>/<file>#<offset>`),
so the data directory can move; a relative ref is read from the configured archive (`resolve_location`).
"""

from __future__ import annotations

import base64
import errno
import hashlib
import logging
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from http import HTTPStatus
from importlib.metadata import PackageNotFoundError, version
from io import BytesIO
from pathlib import Path, PurePosixPath
from typing import BinaryIO
from urllib.parse import quote, urlsplit

import fsspec
from fsspec.core import url_to_fs
from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import BufferedReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date, iso_date_to_datetime
from warcio.warcwriter import WARCWriter

from pipelines import config
from pipelines.records import FetchedPage, HttpExchange

logger = logging.getLogger(__name__)

EXTRA_HEADERS = {  # FetchedPage field -> WARC header
    "url": "WARC-Dangjian-URL",  # the canonical URL, when it is not the URL as sent
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
FETCHED_AT_HEADER = "WARC-Dangjian-Fetched-At"  # with the fetch's own offset; WARC-Date is UTC
PAGE_RECORDS = ("response", "revisit")  # the records a FetchedPage is read from
NOT_MODIFIED = 304
REVISIT_PROFILE = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
# Far above any site's max_response_bytes: a body archived compressed (a gzip bomb the crawl refused) is never
# inflated past this on reading back.
DECODED_BODY_LIMIT = 64 << 20
DECODE_BLOCK = 1 << 16
READ_ERRORS = (ArchiveLoadFailed, EOFError, OSError, ValueError, IndexError)
WARC_GLOB = "*.warc.gz"
RECORD_READ_BLOCK = 1 << 20  # a remote read of one record fetches this much, not the store's whole-file default


class ArchiveWriteError(OSError):
    """A record could not be appended (disk full, I/O error); the archive was cut back to its last good record."""


class BodyTooLarge(ValueError):
    """An archived body inflates past DECODED_BODY_LIMIT: the record stays in the archive, the pipeline skips it."""


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
        if self._file.seek(0, os.SEEK_END) == 0:  # a resumed crawl appends to a file that has its warcinfo
            self._append(_warcinfo_bytes(self.path.name), "the warcinfo record")
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def write(self, page: FetchedPage, exchange: HttpExchange | None = None) -> str:
        """Appends the page's records (from `exchange` when the crawl saw the wire, else from the page itself)
        in one write; the archive_ref points at the response (or revisit) record."""
        if self._file is None:
            raise RuntimeError("ArchiveWriter.write outside its `with` block")
        offset = self._append(_record_bytes(page, exchange), page.url)
        page.archive_ref = f"{self.published_as}#{offset}"
        return page.archive_ref

    def _append(self, data: bytes, what: str | None) -> int:
        assert self._file is not None
        offset = self._file.seek(0, os.SEEK_END)
        try:
            _write_all(self._file, data)
        except OSError as exc:
            self._file.truncate(offset)
            raise ArchiveWriteError(exc.errno or errno.EIO,
                                    f"{self.path}: could not append {what} ({exc.strerror or exc}); "
                                    f"the archive was cut back to its {offset} good bytes") from exc
        return offset


def _warcinfo_bytes(filename: str) -> bytes:
    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version="1.1")
    writer.write_record(writer.create_warcinfo_record(filename, {
        "software": f"dangjian/{_version()} (Scrapy; warcio)",
        "format": "WARC File Format 1.1",
        "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
        "description": "responses as received, one request record each; WARC-Dangjian-* headers carry the "
                       "crawler's canonical URL and fetch context",
    }))
    return buffer.getvalue()


def _version() -> str:
    try:
        return version("dangjian")
    except PackageNotFoundError:
        return "unknown"


def _record_bytes(page: FetchedPage, exchange: HttpExchange | None) -> bytes:
    if not page.url:
        raise ValueError("only fetched pages (with a URL) are archived")
    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version="1.1")
    response = _response_record(writer, page, exchange or _as_received(page))
    writer.write_record(response)
    if exchange is not None:
        writer.write_record(_request_record(writer, exchange, response.rec_headers))
    return buffer.getvalue()


def _write_all(file: BinaryIO, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = file.write(view)
        if not written:
            raise OSError(errno.EIO, "write returned no progress")
        view = view[written:]


def read_archive(location: str | Path) -> Iterator[FetchedPage]:
    """Every response and revisit record in the WARC file at `location` (a path or an fsspec URL), in order; a
    torn last record is skipped with a warning, and so is a body inflating past DECODED_BODY_LIMIT."""
    path = os.fspath(location)
    with _open(path) as stream:
        records = ArchiveIterator(stream)
        while True:
            try:
                record = next(records)
                if record.rec_type not in PAGE_RECORDS:
                    continue
                page = _to_page(record)
                offset = records.get_record_offset()
            except StopIteration:
                return
            except BodyTooLarge as exc:
                logger.warning("%s: %s; skipped", path, exc)
                continue
            except READ_ERRORS as exc:
                logger.warning("%s: unreadable record after the last good one (%s); stopping there", path, exc)
                return
            page.archive_ref = f"{path}#{offset}"
            yield page


def read_record(archive_ref: str) -> FetchedPage:
    location, _, offset = archive_ref.rpartition("#")
    with _open(resolve_location(location), block_size=RECORD_READ_BLOCK) as stream:
        stream.seek(int(offset))
        for record in ArchiveIterator(stream):
            if record.rec_type in PAGE_RECORDS:
                page = _to_page(record)
                page.archive_ref = archive_ref
                return page
    raise ValueError(f"{archive_ref}: no response record at that offset")


def is_remote(location: str | Path) -> bool:
    """An fsspec URL of anything but the local disk (s3://…, memory://…); plain paths and file:// are local."""
    text = os.fspath(location)
    return "://" in text and fsspec.utils.get_protocol(text) not in ("file", "local")


def archive_exists(location: str | Path) -> bool:
    location = resolve_location(os.fspath(location))
    if not is_remote(location):
        return Path(location).exists()
    fs, path = url_to_fs(location)
    return fs.exists(path)


def stored_ref(archive_ref: str | None, root: Path | None) -> str | None:
    """`archive_ref` as the database keeps it: relative to the local archive `root` (`<site>/<file>.warc.gz#<offset>`)
    when its file lies under it, so moving the data directory leaves it valid; any other ref (a remote copy, a
    file elsewhere, one relative already) as it is. `root` is `config.local_archive_root()`, which callers look up
    once a batch: it resolves a path on the file system."""
    location, _, offset = (archive_ref or "").rpartition("#")
    if root is None or not os.path.isabs(location):
        return archive_ref
    try:
        relative = Path(location).relative_to(root)
    except ValueError:
        return archive_ref
    return f"{relative.as_posix()}#{offset}"


def resolve_location(location: str) -> str:
    """Where a WARC location points: a relative one (a `stored_ref`'s) lies under the configured archive, local
    or remote; an absolute path or a URL is itself."""
    if "://" in location or os.path.isabs(location):
        return location
    return f"{config.archive_url().rstrip('/')}/{location}"


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


def _as_received(page: FetchedPage) -> HttpExchange:
    """A page written without its wire (a test, a local file): its own headers under a standard status line."""
    return HttpExchange(method="GET", url=page.url or "", request_headers=[], request_body=b"",
                        protocol="HTTP/1.1", status=page.status, reason=standard_reason(page.status),
                        headers=list(page.headers.items()), body=page.body)


class _ReceivedHeaders(StatusAndHeaders):
    """Header lines written back as the bytes they were (latin-1 text): warcio would percent-encode any
    non-ASCII byte a server sent."""

    def compute_headers_buffer(self, header_filter=None) -> None:
        self.headers_buff = self.to_bytes(header_filter, encoding="latin-1")


def _response_record(writer: WARCWriter, page: FetchedPage, exchange: HttpExchange):
    fetched_at = page.fetched_at or datetime.now(UTC)
    warc_headers = {"WARC-Date": datetime_to_iso_date(fetched_at.astimezone(UTC).replace(tzinfo=None), use_micros=True),
                    FETCHED_AT_HEADER: fetched_at.isoformat()}
    if exchange.ip_address:
        warc_headers["WARC-IP-Address"] = exchange.ip_address
    for field_name, header in EXTRA_HEADERS.items():
        value = getattr(page, field_name)
        if value is not None and not (field_name == "url" and value == exchange.url):
            text = value.isoformat() if isinstance(value, datetime) else str(value)
            warc_headers[header] = quote(text, safe="/:?&=#[]@!$'()*+,;~%-._ ")
    http_headers = _ReceivedHeaders(f"{exchange.status} {exchange.reason}", exchange.headers,
                                    protocol=exchange.protocol)
    if exchange.status == NOT_MODIFIED:
        record = writer.create_warc_record(exchange.url, "revisit", http_headers=http_headers,
                                           warc_headers_dict={**warc_headers, "WARC-Profile": REVISIT_PROFILE})
        record.rec_headers.remove_header("WARC-Payload-Digest")  # nothing was sent: no payload to digest
        return record
    return writer.create_warc_record(exchange.url, "response", payload=BytesIO(exchange.body),
                                     length=len(exchange.body), http_headers=http_headers,
                                     warc_headers_dict=warc_headers)


def _request_record(writer: WARCWriter, exchange: HttpExchange, response_headers: StatusAndHeaders):
    split = urlsplit(exchange.url)
    target = (split.path or "/") + (f"?{split.query}" if split.query else "")
    http_headers = _ReceivedHeaders(f"{exchange.method} {target} HTTP/1.1", exchange.request_headers)
    warc_headers = {"WARC-Date": response_headers.get_header("WARC-Date"),
                    "WARC-Concurrent-To": response_headers.get_header("WARC-Record-ID")}
    if exchange.ip_address:
        warc_headers["WARC-IP-Address"] = exchange.ip_address
    return writer.create_warc_record(exchange.url, "request", payload=BytesIO(exchange.request_body),
                                     length=len(exchange.request_body), http_headers=http_headers,
                                     warc_headers_dict=warc_headers)


PERCENT_RUN = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def _header_text(value: str) -> str:
    """A `WARC-Dangjian-*` value as it was written: the writer percent-encoded non-ASCII text as UTF-8 and left
    a URL's own escapes alone, so only runs that are UTF-8 are decoded. A GBK query (`lm=%B5%B3%BD%A8`) stays as
    the site's URL has it instead of turning into U+FFFD."""
    def decoded(run: re.Match) -> str:
        try:
            return bytes.fromhex(run.group().replace("%", "")).decode("utf-8")
        except UnicodeDecodeError:
            return run.group()

    return PERCENT_RUN.sub(decoded, value)


def _to_page(record) -> FetchedPage:
    payload = record.raw_stream.read()  # as stored: no de-chunking or decompression on the way out
    warc = record.rec_headers
    if record.rec_type == "response" and not _digest_matches(payload, warc.get_header("WARC-Payload-Digest")):
        raise EOFError("payload does not match its digest: the record was cut short")
    fetched_at = warc.get_header(FETCHED_AT_HEADER)
    extras: dict[str, str | int | datetime] = {field_name: _header_text(value)
                                               for field_name, header in EXTRA_HEADERS.items()
                                               if (value := warc.get_header(header)) is not None}
    for field_name in NUMBER_FIELDS & extras.keys():
        extras[field_name] = int(extras[field_name])
    for field_name in TIME_FIELDS & extras.keys():
        extras[field_name] = datetime.fromisoformat(extras[field_name])
    extras.setdefault("url", warc.get_header("WARC-Target-URI"))
    headers: dict[str, str] = {}
    for name, value in record.http_headers.headers:
        name = name.lower()
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return FetchedPage(
        body=_decoded(payload, headers, extras["url"]),
        fetched_at=datetime.fromisoformat(fetched_at) if fetched_at else iso_date_to_datetime(warc.get_header("WARC-Date")),
        status=int(record.http_headers.get_statuscode()),
        headers=headers,
        **extras,
    )


def _decoded(payload: bytes, headers: dict[str, str], url) -> bytes:
    """The body with its Content-Encoding undone, as the crawl's spider saw it; `headers` then no longer
    name the encoding or the stored length. An encoding no reader here knows is left as it is, like Scrapy."""
    codings = [coding.strip().lower() for coding in headers.get("content-encoding", "").split(",") if coding.strip()]
    if not codings or not set(codings) <= set(BufferedReader.get_supported_decompressors()):
        return payload
    body = payload
    for coding in reversed(codings):  # the last one named was applied last
        reader, parts, size = BufferedReader(BytesIO(body), decomp_type=coding), [], 0
        while part := reader.read(DECODE_BLOCK):
            size += len(part)
            if size > DECODED_BODY_LIMIT:
                raise BodyTooLarge(f"{url}: the {coding} body inflates past {DECODED_BODY_LIMIT} bytes")
            parts.append(part)
        body = b"".join(parts)
    del headers["content-encoding"]
    headers.pop("content-length", None)
    return body


def _digest_matches(body: bytes, digest: str | None) -> bool:
    """warcio writes `sha1:<base32>`; a truncated gzip member decodes silently to a shorter body."""
    if not digest or not digest.startswith("sha1:"):
        return True
    return base64.b32encode(hashlib.sha1(body).digest()).decode() == digest[5:]


def standard_reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
