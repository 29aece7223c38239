"""Plain records passed between the pipeline's steps.

Nothing else travels between rooms: the crawler produces `FetchedPage`s (and archives them), extraction
turns one into an `Article`, dates produce a `DateGuess`, dedup and load take `Article`s.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from pipelines.indexing import TextIndexing

DEFAULT_TIMEZONE = "Asia/Shanghai"

PageKind = Literal["article", "list", "part", "other"]  # "part": page 2, 3 … of an article split over pages
DatePrecision = Literal["minute", "day", "month"]


@dataclass(slots=True)
class FetchedPage:
    """One HTTP response (or one local file) exactly as received, before any interpretation."""

    url: str | None
    body: bytes
    fetched_at: datetime | None = None  # timezone-aware; None for local files
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)  # lower-case header names
    site: str | None = None
    kind: PageKind = "article"  # what the crawler took it for
    list_url: str | None = None  # the list page the article link was found on
    list_date: str | None = None  # raw date text printed next to that link
    listed_at: datetime | None = None  # when that list page was fetched: the clock its relative dates mean
    archive_ref: str | None = None  # "<warc path>#<offset>" once archived
    original_url: str | None = None  # the URL as linked, when `url` is its canonical form
    part_of: str | None = None  # kind "part": the `url` of the article's first page
    part_number: int | None = None  # kind "part": its page number (2, 3 …)

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


@dataclass(slots=True)
class HttpExchange:
    """One HTTP request and its response as they crossed the wire: what the archive keeps, where a `FetchedPage`
    is the pipeline's view of it (body decoded, canonical URL)."""

    method: str
    url: str  # as sent
    request_headers: list[tuple[str, str]]
    request_body: bytes
    protocol: str  # of the response, "HTTP/1.1"
    status: int
    reason: str
    headers: list[tuple[str, str]]  # response header lines in the order received, repeated headers kept
    body: bytes  # the payload as received: still compressed when it was
    ip_address: str | None = None


@dataclass(slots=True)
class DateGuess:
    """A publication time, how precise it is, and which candidate it came from."""

    value: datetime | None  # timezone-aware, in the site's zone; midnight when precision is "day"
    precision: DatePrecision | None = None
    source: str | None = None  # e.g. "meta:PubDate", "label:发布时间", "url", "list", "list:relative"
    # the witnesses that named another day, and the document's other dates (成文日期 …), for audit:
    # {"published_at": "2021-06-01", "precision": "day", "source": "label:成文日期"}
    candidates: list[dict] = field(default_factory=list)

    @classmethod
    def none(cls) -> DateGuess:
        return cls(None, None, None)


@dataclass(slots=True)
class Image:
    url: str
    caption: str | None = None


@dataclass(slots=True)
class Article:
    """One extracted article; every field the database and `dangjian extract --json` know."""

    url: str | None = None
    canonical_url: str | None = None
    site: str | None = None
    title: str | None = None
    subtitle: str | None = None
    authors: list[str] = field(default_factory=list)
    source: str | None = None
    site_name: str | None = None
    category: str | None = None
    published_at: datetime | None = None
    date_precision: DatePrecision | None = None
    date_source: str | None = None
    editors: list[str] = field(default_factory=list)
    photographers: list[str] = field(default_factory=list)
    summary: str | None = None
    body: str = ""
    images: list[Image] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    page_urls: list[str] = field(default_factory=list)  # its pages 2, 3 … in order, their bodies in `body`
    print_urls: list[str] = field(default_factory=list)  # print views of it that the page links to
    aliases: list[str] = field(default_factory=list)  # every other URL it is known by (as linked, …)
    date_candidates: list[dict] = field(default_factory=list)  # DateGuess.candidates of its date
    page_kind: PageKind = "article"
    fetched_at: datetime | None = None
    archive_ref: str | None = None
    extractor_version: str = ""
    encoding: str | None = None  # the codec its bytes were decoded with (pipelines.decode.Decoded)
    encoding_source: str | None = None  # why: bom, config, header, meta, detected, or header-overruled …
    encoding_errors: int = 0  # undecodable bytes stored as U+FFFD: above 0 flags a damaged page
    # what the load files its text under, computed by the dedup step before the load (`pipelines.indexing`);
    # derived from the fields above, so neither compared nor printed
    indexing: TextIndexing | None = field(default=None, compare=False, repr=False)

    def apply_date(self, guess: DateGuess) -> None:
        self.published_at, self.date_precision, self.date_source = guess.value, guess.precision, guess.source
        self.date_candidates = list(guess.candidates)

    def published_display(self, tz: str = DEFAULT_TIMEZONE) -> str | None:
        return format_published(self.published_at, self.date_precision, tz)

    def to_json(self, tz: str = DEFAULT_TIMEZONE) -> dict:
        """The shape `dangjian extract --json` prints and `export` writes."""
        data = asdict(self)
        del data["indexing"]
        data["published_at"] = self.published_display(tz)
        data["fetched_at"] = self.fetched_at.isoformat() if self.fetched_at else None
        return data


def format_published(value: datetime | date | None, precision: str | None, tz: str = DEFAULT_TIMEZONE) -> str | None:
    """ISO 8601 with the site's offset; a day-precision date prints as YYYY-MM-DD, never a fake 00:00."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        return value.isoformat()
    local = value.astimezone(ZoneInfo(tz)) if value.tzinfo else value.replace(tzinfo=ZoneInfo(tz))
    if precision == "day":
        return local.date().isoformat()
    if precision == "month":
        return local.strftime("%Y-%m")
    return local.isoformat(timespec="seconds")
