"""One generic spider for every site: page through each start URL's column, fetch the articles it lists.

Nightly: only articles not already known; stop paging a column at a page whose articles are all known
(from `known_urls`) or all older than the site's cutoff. List pages are fetched with conditional GETs;
on 304 the previous copy is read back from the archive. Backfill: page until list dates pass `since`,
skipping what is known. A crawl resumed in the same job directory replays the list pages it already
archived and skips the articles it already archived, so nothing fetched before the kill is fetched again.
Article pages are archived by the middleware and not parsed here: extraction is the pipelines' job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError

from crawlers.link_rules import Link, LinkRules, column_directory
from crawlers.middlewares import REPLAYED, RefusedResponse, response_headers
from crawlers.site_config import SiteConfig
from pipelines.archive import read_record
from pipelines.dates import parse_date_text
from pipelines.decode import decode_bytes

NOT_MODIFIED = 304
Mode = Literal["nightly", "backfill"]


@dataclass
class CrawlPlan:
    """Everything one run knows before it starts (built by crawlers.run)."""

    config: SiteConfig
    mode: Mode = "nightly"
    since: date | None = None
    until: date | None = None
    known_urls: set[str] = field(default_factory=set)  # canonical URLs stored by earlier runs
    archived: dict[str, tuple[str, str]] = field(default_factory=dict)  # this job's earlier url -> (kind, ref)
    validators: dict[str, dict] = field(default_factory=dict)  # list url -> etag / last_modified / archive_ref
    unfetchable: dict[str, str] = field(default_factory=dict)  # article url -> why it cannot be fetched


class SiteSpider(scrapy.Spider):
    name = "site"

    def __init__(self, plan: CrawlPlan, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.config = plan.config
        self.link_rules = LinkRules(plan.config)
        self.zone = ZoneInfo(plan.config.timezone)
        self.started = datetime.now(self.zone)
        self.oldest_wanted = self._oldest_wanted()

    def _oldest_wanted(self) -> date | None:
        bounds = [self.plan.since]
        if self.plan.mode == "nightly" and self.config.cutoff_days:
            bounds.append(self.started.date() - timedelta(days=self.config.cutoff_days))
        return max((bound for bound in bounds if bound), default=None)

    async def start(self):
        for url in self.config.start_urls:
            yield self._list_request(url, column_dir=column_directory(url), page_index=1)

    # --- list pages ---------------------------------------------------------------------------------

    def parse_list(self, response: Response):
        body, headers = self._list_body(response)
        if body is None:
            return
        html = decode_bytes(body, declared=self.config.encoding, content_type=headers.get("content-type"))
        page = self.link_rules.parse_list_page(html, response.url, column_dir=response.meta["column_dir"])
        for link in page.articles:
            if self._accept_article(link):
                yield self._article_request(link, list_url=response.url)
        if self._keep_paging(page.articles, response.meta["page_index"]):
            for url in page.next_pages:
                yield from self._next_list_request(url, response.meta)

    def _list_body(self, response: Response) -> tuple[bytes | None, dict]:
        """The list page's bytes: live, replayed from this job's archive, or (on 304) the stored copy."""
        stats = self.crawler.stats
        if response.status == NOT_MODIFIED:
            stats.inc_value("dangjian/not_modified")
            validators = self.plan.validators.get(self.link_rules.canonical(response.url))
            if validators is None:  # a 304 we did not ask for: nothing to compare against
                return None, {}
            page = read_record(validators["archive_ref"])
            return page.body, page.headers
        headers = response_headers(response)
        if REPLAYED not in response.flags:
            stats.inc_value("dangjian/list_pages")
            self._remember_validators(self.link_rules.canonical(response.url), headers, response.meta.get("archive_ref"))
        return response.body, headers

    def _remember_validators(self, url: str, headers: dict, archive_ref: str | None) -> None:
        validators = {key: headers[header] for key, header in (("etag", "etag"), ("last_modified", "last-modified"))
                      if header in headers}
        if validators and archive_ref:
            self.plan.validators[url] = {**validators, "archive_ref": archive_ref}

    def _keep_paging(self, articles: list[Link], page_index: int) -> bool:
        stats = self.crawler.stats
        limit = self.config.max_list_pages
        if limit and page_index >= limit:
            stats.inc_value("dangjian/stop/max_list_pages")
            return False
        if not articles:
            stats.inc_value("dangjian/stop/no_articles")
            return False
        canonical = [self.link_rules.canonical(link.url) for link in articles]
        if self.plan.mode == "nightly" and all(self._known(url) for url in canonical):
            stats.inc_value("dangjian/stop/all_known")
            return False
        dates = [day for link in articles if (day := self._list_day(link)) is not None]
        # Only a page with nothing in the window ends the column: lists are newest first, but not strictly
        # (pinned items on top, stragglers at the bottom), so one old date proves nothing.
        if self.oldest_wanted and dates and max(dates) < self.oldest_wanted:
            stats.inc_value("dangjian/stop/older_than_window")
            return False
        return True

    def _next_list_request(self, url: str, meta: dict):
        if not self._followable(url):
            return
        yield self._list_request(url, column_dir=meta["column_dir"], page_index=meta["page_index"] + 1)

    def _list_request(self, url: str, *, column_dir: str, page_index: int):
        meta = {"kind": "list", "column_dir": column_dir, "page_index": page_index, "original_url": url,
                "handle_httpstatus_list": [NOT_MODIFIED]}
        headers = {}
        canonical = self.link_rules.canonical(url)
        archived = self.plan.archived.get(canonical)
        if archived and archived[0] == "list":
            meta["replay_ref"] = archived[1]
        elif canonical in self.plan.validators:
            validators = self.plan.validators[canonical]
            if "etag" in validators:
                headers["If-None-Match"] = validators["etag"]
            if "last_modified" in validators:
                headers["If-Modified-Since"] = validators["last_modified"]
        return scrapy.Request(self.link_rules.request_url(url), callback=self.parse_list, errback=self.failed,
                              meta=meta, headers=headers)

    # --- articles -----------------------------------------------------------------------------------

    def _accept_article(self, link: Link) -> bool:
        stats = self.crawler.stats
        if not self._followable(link.url):
            return False
        canonical = self.link_rules.canonical(link.url)
        if canonical in self.plan.known_urls:
            stats.inc_value("dangjian/skipped_known")
            return False
        if self.plan.mode == "nightly" and canonical in self.plan.unfetchable:
            stats.inc_value("dangjian/skipped_unfetchable")
            return False
        if canonical in self.plan.archived:
            stats.inc_value("dangjian/skipped_archived")
            return False
        day = self._list_day(link)
        if day is not None and ((self.oldest_wanted and day < self.oldest_wanted)
                                or (self.plan.until and day > self.plan.until)):
            stats.inc_value("dangjian/skipped_out_of_window")
            return False
        return True

    def _article_request(self, link: Link, *, list_url: str) -> scrapy.Request:
        meta = {"kind": "article", "list_url": self.link_rules.canonical(list_url), "list_date": link.date_text,
                "original_url": link.url}
        return scrapy.Request(self.link_rules.request_url(link.url), callback=self.parse_article,
                             errback=self.failed, meta=meta)

    def parse_article(self, response: Response):
        self.crawler.stats.inc_value("dangjian/article_pages")
        return []

    # --- shared -------------------------------------------------------------------------------------

    def _followable(self, url: str) -> bool:
        """On site, not an attachment, not a trap; counts why not."""
        stats = self.crawler.stats
        if not self.link_rules.is_on_site(url):
            stats.inc_value("dangjian/offsite_dropped")
            return False
        if self.link_rules.is_attachment(url):
            stats.inc_value("dangjian/attachments_not_fetched")
            return False
        reason = self.link_rules.trap_reason(url)
        if reason:
            stats.inc_value(f"dangjian/trap_dropped/{reason}")
            return False
        return True

    def _list_day(self, link: Link) -> date | None:
        if not link.date_text:
            return None
        guess = parse_date_text(link.date_text, now=self.started, timezone=self.config.timezone)
        return guess.value.astimezone(self.zone).date() if guess and guess.value else None

    def _known(self, canonical: str) -> bool:
        return canonical in self.plan.known_urls or canonical in self.plan.unfetchable

    def failed(self, failure):
        """Article URLs that can never be fetched (4xx, robots.txt) are remembered; everything else (5xx,
        timeouts, resets, refused responses, an archive write error) is counted by reason and tried next run."""
        request = failure.request
        refused = failure.check(RefusedResponse)
        permanent = (failure.value.response.status < 500 if failure.check(HttpError)
                     else failure.check(IgnoreRequest) and not refused)
        if permanent and request.meta.get("kind") == "article":
            self.plan.unfetchable[self.link_rules.canonical(request.url)] = failure.getErrorMessage()
        if failure.check(IgnoreRequest) and not failure.check(HttpError) and not refused:
            return  # robots.txt and offsite filtering count themselves
        stats = self.crawler.stats
        stats.inc_value(f"dangjian/failed/{request.meta.get('kind', 'other')}")
        stats.inc_value(f"dangjian/failure_reason/{failure_reason(failure)}")
        self.logger.error("fetch failed: %s (%s)", request.url, failure.getErrorMessage())


def failure_reason(failure) -> str:
    """`http_503`, or the exception's class name (`DownloadTimeoutError`, `RedirectLoop`, ...)."""
    if failure.check(HttpError):
        return f"http_{failure.value.response.status}"
    return type(failure.value).__name__
