"""Downloader middlewares: where the crawl may go, how it retries, and the archive every response passes.

Order (lower runs first on the way out, last on the way back):
  50  SiteOffsiteMiddleware    - host AND port, no foreign private addresses (also catches redirects)
  60  ArchiveReplayMiddleware  - a list page this job already archived is served from the WARC, not refetched
 100  RobotsTxtMiddleware      - Scrapy's, with every request waiting for robots.txt checked against it
 550  BackoffRetryMiddleware   - Scrapy's retry, with an exponential pause before each new attempt
 590  CappedCompressionMiddleware - Scrapy's decompression; a body inflating past DOWNLOAD_MAXSIZE is refused
 600  LoopSafeRedirectMiddleware  - Scrapy's redirects, and an article link's 正在跳转 page followed as one;
                                a loop or an over-long chain is refused
 610  ArchiveMiddleware        - writes every response as received (before redirects, decompression, retry and
                                the spider see it: 3xx and gzip bodies included) and its request to the WARC

A refused response (`RefusedResponse`) is a failure of this run, counted and logged, unlike robots.txt or
offsite filtering; the article is tried again next run, as after a 5xx, because the site may mend it.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from scrapy import Request, Spider, signals
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as ScrapyRobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import HtmlResponse, Response
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.python import to_unicode

from crawlers.link_rules import redirect_stub_target
from pipelines.archive import ArchiveWriteError, ArchiveWriter, read_record, standard_reason
from pipelines.records import FetchedPage, HttpExchange

REPLAYED = "replayed"
ARCHIVE_FAILED = "archive_write_failed"  # the finish reason of a crawl whose archive could not be written


class RefusedResponse(IgnoreRequest):
    """A response the crawl will not take; the site may mend it, so the URL is not marked unfetchable."""


class RedirectLoop(RefusedResponse):
    pass


class TooManyRedirects(RefusedResponse):
    pass


class InflatesTooLarge(RefusedResponse):
    pass


class SiteOffsiteMiddleware(OffsiteMiddleware):
    """Scrapy's offsite check looks at host names only; every test site is 127.0.0.1 on its own port."""

    def should_follow(self, request: Request, spider: Spider) -> bool:
        return spider.link_rules.is_on_site(request.url)


class ArchiveReplayMiddleware:
    """A crawl resumed in the same job directory reads the list pages it already fetched from the archive."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_request(self, request: Request) -> Response | None:
        archive_ref = request.meta.get("replay_ref")
        if not archive_ref:
            return None
        page = read_record(archive_ref)
        self.stats.inc_value("dangjian/replayed")
        request.meta["archive_ref"] = archive_ref
        request.meta["fetched_at"] = page.fetched_at
        return HtmlResponse(request.url, status=page.status, headers=page.headers, body=page.body,
                            request=request, flags=[REPLAYED])


class RobotsTxtMiddleware(ScrapyRobotsTxtMiddleware):
    """Scrapy 2.19 awaits the pending robots.txt Deferred once per waiting request, and Deferred.asFuture
    hands the parser to the first waiter only: every other request queued behind the robots.txt fetch got
    None and went out unchecked. A worker on a shared frontier starts with many such requests (articles
    its peers queued), so it fetched Disallowed pages. The parser is read from the cache once it is there."""

    async def robot_parser(self, request: Request) -> RobotParser | None:
        parser = await super().robot_parser(request)
        return self._parsers.get(urlparse_cached(request).netloc, parser)


class BackoffRetryMiddleware(RetryMiddleware):
    """Retries 5xx/timeouts like Scrapy, pausing base * 2**(attempt-1) seconds (capped) before each attempt."""

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 30.0)

    async def process_request(self, request: Request) -> None:
        delay = request.meta.get("retry_backoff")
        if delay:
            await asyncio.sleep(delay)

    def _retry(self, request: Request, reason) -> Request | None:
        retry = super()._retry(request, reason)
        if retry is not None:
            attempt = retry.meta.get("retry_times", 1)
            retry.meta["retry_backoff"] = min(self.backoff_max, self.backoff_base * 2 ** (attempt - 1))
        return retry


class ArchiveMiddleware:
    """Every response, as received, is written to the WARC with its request before the redirect, decompression
    and retry logic or the spider see it; the request's meta then carries its `archive_ref`, which names the
    file's remote copy (DANGJIAN_WARC_URL) when the crawl uploads it at the end."""

    def __init__(self, crawler, path: Path, site: str, published_as: str | None = None):
        self.crawler = crawler
        self.path = path
        self.site = site
        self.published_as = published_as
        self.writer: ArchiveWriter | None = None

    @classmethod
    def from_crawler(cls, crawler):
        path = crawler.settings.get("DANGJIAN_WARC_PATH")
        if not path:
            raise NotConfigured("DANGJIAN_WARC_PATH is not set")
        middleware = cls(crawler, Path(path), crawler.settings.get("DANGJIAN_SITE"),
                         crawler.settings.get("DANGJIAN_WARC_URL"))
        crawler.signals.connect(middleware.open, signal=signals.spider_opened)
        crawler.signals.connect(middleware.close, signal=signals.spider_closed)
        return middleware

    def open(self) -> None:
        self.writer = ArchiveWriter(self.path, published_as=self.published_as).__enter__()

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()

    def process_response(self, request: Request, response: Response) -> Response:
        """A response that cannot be archived stops the crawl: what it fetched after that would be lost.

        The failure reaches the request's errback as a transient one, so nothing is marked unfetchable and
        a rerun of the job (once there is room) fetches what is missing."""
        if REPLAYED in response.flags or self.writer is None:
            return response
        page = fetched_page(request, response, self.site, canonical=self.crawler.spider.link_rules.canonical)
        request.meta["fetched_at"] = page.fetched_at  # the clock a list page's relative dates mean
        try:
            request.meta["archive_ref"] = self.writer.write(page, http_exchange(request, response))
        except ArchiveWriteError as exc:
            self._stop(exc)
            raise
        self.crawler.stats.inc_value("dangjian/archived_records")
        return response

    def _stop(self, error: ArchiveWriteError) -> None:
        stats = self.crawler.stats
        if stats.get_value("dangjian/archive_error") is None:
            stats.set_value("dangjian/archive_error", str(error))
            asyncio.ensure_future(self.crawler.engine.close_spider_async(reason=ARCHIVE_FAILED))


class CappedCompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's decompression already stops at DOWNLOAD_MAXSIZE (a gzip bomb inflates 8 MB, not gigabytes);
    the refusal becomes a counted failure instead of a silently ignored request."""

    def process_response(self, request: Request, response: Response) -> Response:
        try:
            return super().process_response(request, response)
        except IgnoreRequest as exc:
            raise InflatesTooLarge(str(exc)) from exc


class LoopSafeRedirectMiddleware(RedirectMiddleware):
    """A redirect back to a URL of its own chain would be dropped silently by the duplicate filter: refuse
    it as a loop; a chain longer than REDIRECT_MAX_TIMES is refused too, naming where it started. An article
    link that answers a page which only sends the visitor on (a click counter's 正在跳转 page with a location
    script or a meta refresh: `redirect_stub_target`) is followed the same way, as the browser follows it."""

    def process_response(self, request: Request, response: Response, spider: Spider | None = None):
        followed = super().process_response(request, response, spider)
        if followed is not response or not is_redirect_stub(request, response):
            return followed
        target = redirect_stub_target(response.body, response.url)
        return self._redirect(self._redirect_request_using_get(request, response, target), request, "script redirect")

    def _redirect(self, redirected: Request, request: Request, reason) -> Request:
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if redirected.url in chain:
            raise RedirectLoop("redirect loop: " + " -> ".join([*chain, redirected.url]))
        try:
            return super()._redirect(redirected, request, reason)
        except IgnoreRequest as exc:
            raise TooManyRedirects(f"more than {self.max_redirect_times} redirects from {chain[0]}") from exc


def is_redirect_stub(request: Request, response: Response) -> bool:
    """An article's link answered by a page that only sends the visitor on: it is no article."""
    return (request.meta.get("kind") in ("article", "part") and response.status == 200
            and redirect_stub_target(response.body, response.url) is not None)


def fetched_page(request: Request, response: Response, site: str | None, *, canonical) -> FetchedPage:
    """The archive's view of a response: identified by its canonical URL, the URL as linked kept beside it;
    a later page of an article (meta `part_of`, `part_number`) names its first page in the same canonical form."""
    url = canonical(response.url)
    original = request.meta.get("original_url") or response.url
    part_of = request.meta.get("part_of")
    return FetchedPage(
        url=url,
        body=response.body,
        fetched_at=datetime.now(UTC),
        status=response.status,
        headers=response_headers(response),
        site=site,
        kind="other" if is_redirect_stub(request, response) else request.meta.get("kind", "other"),
        list_url=request.meta.get("list_url"),
        list_date=request.meta.get("list_date"),
        original_url=original if original != url else None,
        part_of=canonical(part_of) if part_of else None,
        part_number=request.meta.get("part_number"),
        listed_at=request.meta.get("listed_at"),
    )


def http_exchange(request: Request, response: Response) -> HttpExchange:
    """What Scrapy keeps of the exchange. Twisted hands over header names in its canonical casing, drops the
    connection headers (Connection, Keep-Alive, Transfer-Encoding: the body is de-chunked) and the reason
    phrase; Scrapy puts Content-Length (the length received) first. The request's headers are Scrapy's, plus
    the Host line Twisted adds when sending."""
    request_headers = _header_lines(request.headers)
    if b"Host" not in request.headers:
        request_headers.insert(0, ("Host", urlparse_cached(request).netloc))
    return HttpExchange(
        method=request.method,
        url=response.url,
        request_headers=request_headers,
        request_body=request.body,
        protocol=response.protocol or "HTTP/1.1",
        status=response.status,
        reason=standard_reason(response.status),
        headers=_header_lines(response.headers),
        body=response.body,
        ip_address=str(response.ip_address) if response.ip_address else None,
    )


def _header_lines(headers) -> list[tuple[str, str]]:
    return [(to_unicode(name, "latin-1"), to_unicode(value, "latin-1"))
            for name, values in headers.items() for value in values]


def response_headers(response: Response) -> dict[str, str]:
    return {
        to_unicode(name, "latin-1").lower(): ", ".join(to_unicode(value, "latin-1") for value in values)
        for name, values in response.headers.items()
    }
