"""One generic spider for every site: page through each start URL's column, fetch the articles it lists.

Nightly: only articles not already known; stop paging a column at a page whose articles are all known
(from `known_urls`) or all older than the site's cutoff. List pages are fetched with conditional GETs;
on 304 the previous copy is read back from the archive. Backfill: page until list dates pass `since`,
skipping what is known. A crawl resumed in the same job directory replays the list pages it already
archived and skips the articles it already archived, so nothing fetched before the kill is fetched again.
Article pages are archived by the middleware and not parsed here: extraction is the pipelines' job.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Literal
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import scrapy
from OpenSSL import SSL
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import JsonRequest, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from crawlers.continuation import continuation_urls
from crawlers.feeds import limits as feed_limits
from crawlers.feeds import parse_feed, parse_sitemap, rendered_with_stylesheet, stylesheet_url
from crawlers.link_rules import LinkRules, column_directory, is_home_page
from crawlers.middlewares import REPLAYED, RefusedResponse, response_headers
from crawlers.pagination import PostBack
from crawlers.site_config import SiteConfig
from crawlers.sources import (
    Endpoint,
    Link,
    builds_links,
    endpoint_page,
    find_endpoints,
    next_endpoint_request,
    token_value,
    with_element_reads,
    with_token,
)
from pipelines.archive import read_record
from pipelines.dates import parse_date_text
from pipelines.decode import decode, decode_bytes
from pipelines.health import SITEMAPS, page_title

NOT_MODIFIED = 304
MAX_SCRIPTS_PER_PAGE = 4  # on-site scripts read for list endpoints when a list page shows no article link
Mode = Literal["nightly", "backfill", "probe"]  # probe: read the list documents only (`dangjian sites check`)
PROBE_LIST_PAGES = 2


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
    templates: dict[str, int] = field(default_factory=dict)  # article URL templates learned on earlier runs


class SiteSpider(scrapy.Spider):
    name = "site"

    def __init__(self, plan: CrawlPlan, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.config = plan.config
        self.link_rules = LinkRules(plan.config, learned=plan.templates)
        self.zone = ZoneInfo(plan.config.timezone)
        self.started = datetime.now(self.zone)
        self.oldest_wanted = self._oldest_wanted()
        self.sitemap_links: list[Link] = []  # judged once the list pages have shown the article shape
        self.sitemap_files = 0
        self.stylesheets: dict[str, bytes] = {}  # XSLT stylesheets of XML columns, by URL
        self.scripts: dict[str, str] = {}  # on-site script files read for list pages that showed no article
        self.postbacks_sent: set[tuple[str, str, str]] = set()  # WebForms pager events already posted
        self.discovery: list[dict] = []  # probe mode: what each list document showed

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(spider.idle, signal=signals.spider_idle)
        return spider

    def _oldest_wanted(self) -> date | None:
        bounds = [self.plan.since]
        if self.plan.mode == "nightly" and self.config.cutoff_days:
            bounds.append(self.started.date() - timedelta(days=self.config.cutoff_days))
        return max((bound for bound in bounds if bound), default=None)

    async def start(self):
        for url in self.config.start_urls:
            yield self._list_request(url, column_dir=column_directory(url), page_index=1,
                                     home=bool(self.config.max_columns) and is_home_page(url))

    # --- list pages ---------------------------------------------------------------------------------

    def parse_list(self, response: Response):
        body, headers = self._list_body(response)
        if body is None:
            return
        stylesheet = stylesheet_url(body, response.url)
        if stylesheet:
            yield from self._styled_list(body, stylesheet, response)
            return
        decoded = decode(body, declared=self.config.encoding, content_type=headers.get("content-type"))
        yield from self._list_page(decoded.text, response.url, response.meta, decoded.encoding)

    def _styled_list(self, body: bytes, stylesheet: str, response: Response):
        """An XML column drawn by an XSLT stylesheet: its list is what the stylesheet draws. The stylesheet
        is fetched once per crawl (and archived like any other document)."""
        context = {key: response.meta.get(key) for key in ("column_dir", "page_index", "home", "fetched_at")}
        context["drawn"] = True
        if stylesheet in self.stylesheets:
            yield from self._list_page(self._drawn(body, self.stylesheets[stylesheet], response.url), response.url,
                                       context)
            return
        yield from self._follow_document(scrapy.Request(
            stylesheet, callback=self.parse_stylesheet, errback=self.failed, dont_filter=True,
            meta={"kind": "other", "styled": (body, response.url, context)}), optional=False)

    def parse_stylesheet(self, response: Response):
        body, url, context = response.meta["styled"]
        self.stylesheets[response.url] = response.body
        yield from self._list_page(self._drawn(body, response.body, url), url, context)

    def _drawn(self, body: bytes, stylesheet: bytes, url: str) -> str:
        drawn = rendered_with_stylesheet(body, stylesheet, url)
        if drawn is None:  # not XSLT lxml can run: the XML itself is all there is to read
            self.crawler.stats.inc_value("dangjian/stylesheet_failed")
            return decode_bytes(body, declared=self.config.encoding)
        return drawn

    def _list_page(self, html: str, url: str, meta: dict, encoding: str = "utf-8"):
        page = self.link_rules.parse_list_page(html, url, column_dir=meta["column_dir"], page_index=meta["page_index"],
                                               encoding=encoding, script_files=self.scripts)
        self.crawler.stats.set_value(f"dangjian/list_title/{url}", page_title(html))
        if page.refresh and not page.articles and meta["page_index"] == 1:
            self.crawler.stats.inc_value("dangjian/entry_redirects")
            yield from self._follow(self._list_request(page.refresh, column_dir=column_directory(page.refresh),
                                                       page_index=1, home=meta.get("home", False)))
            return
        self._discovered("page", url, page.articles, next_pages=page.next_pages,
                         endpoints=[endpoint.url for endpoint in page.endpoints], feeds=page.feeds,
                         frames=page.frames if not page.articles else [],
                         columns=page.columns[:self.config.max_columns] if meta.get("home") else [])
        yield from self._article_requests(page.articles, list_url=url, listed_at=meta.get("fetched_at"))
        if self._keep_paging(page.articles, meta["page_index"]):
            for next_page in page.next_pages:
                yield from self._next_list_request(next_page, meta)
            for postback in page.postbacks:
                yield from self._postback_request(postback, meta)
            for endpoint in page.continued_by:
                yield from self._endpoint_request(endpoint, 1, column_dir=meta["column_dir"], list_url=url,
                                                  records_seen=len(page.articles))
            if page.articles and not (page.next_pages or page.postbacks or page.continued_by) and meta["page_index"] == 1:
                # the first page is printed, the rest only comes from the list endpoints its scripts call (a pager,
                # 加载更多, year tabs)
                for endpoint in page.endpoints:
                    yield from self._endpoint_request(endpoint, 1, column_dir=meta["column_dir"], list_url=url)
        for site_map in page.site_maps:  # optional, and once a crawl: the duplicate filter drops the other links
            yield from self._follow_document(self._list_request(site_map, column_dir=column_directory(site_map),
                                                                page_index=1))
        for feed in page.feeds:
            yield from self._follow_document(self._list_request(feed, column_dir=column_directory(feed),
                                                                page_index=1, callback=self.parse_feed))
        if not page.articles:
            for frame in page.frames:  # an old column page frames the real list
                yield from self._follow(self._list_request(frame, column_dir=column_directory(frame), page_index=1))
            for endpoint in page.endpoints:
                yield from self._endpoint_request(endpoint, 1, column_dir=meta["column_dir"], list_url=url)
        # its script files say where the list comes from, or how the records of its data get their URLs
        if not page.articles and not page.endpoints or page.unlinked_records:
            context = {key: meta.get(key) for key in ("column_dir", "page_index", "home", "fetched_at", "drawn")}
            read = page.scripts[:MAX_SCRIPTS_PER_PAGE]
            for script in read:
                if script in self.scripts:
                    continue
                yield from self._follow_document(scrapy.Request(
                    script, callback=self.parse_script, errback=self.failed,
                    meta={"kind": "other", "list_url": url, "column_dir": meta["column_dir"],
                          "list_page": (html, context, encoding), "page_scripts": read}))
        if meta.get("home"):
            columns = [column for column in page.columns if self._followable(column)][:self.config.max_columns]
            self.crawler.stats.inc_value("dangjian/columns", len(columns))
            for column in columns:
                yield self._list_request(column, column_dir=column_directory(column), page_index=1)

    def parse_script(self, response: Response):
        """An on-site script of a list page that showed no article: the list endpoints it loads, and how it
        builds article URLs (the function its links call, `onclick="openDetail('2021','0604','123')"`, or a
        URL from a record's id, for the records of the page's state): then the list page is read again with
        it, and so are the column's later pages, which load the same file."""
        text = decode_bytes(response.body, content_type=response_headers(response).get("content-type"))
        self.scripts[response.url] = text
        html, context, encoding = response.meta["list_page"]
        # the page's script files share their globals (a config.js the app reads): all read so far, in page order
        shared = "\n".join(self.scripts[src] for src in response.meta.get("page_scripts", ()) if src in self.scripts)
        for endpoint in find_endpoints(with_element_reads(shared or text, html), response.meta["list_url"]):
            yield from self._endpoint_request(endpoint, 1, column_dir=response.meta["column_dir"],
                                              list_url=response.meta["list_url"])
        if builds_links(text):
            yield from self._list_page(html, response.meta["list_url"], context, encoding)

    def parse_endpoint(self, response: Response):
        body, headers = self._list_body(response)
        if body is None:
            return
        meta = response.meta
        endpoint = meta["endpoint"]
        found = endpoint_page(body, headers.get("content-type"), meta["list_url"], self.link_rules.find_date,
                              templates=endpoint.url_templates, headers=headers, keyset=endpoint.keyset_param)
        articles = self.link_rules.articles_among([(link, "endpoint") for link in found.links], response.url)
        self._discovered("endpoint", response.url, articles, total_pages=found.total_pages,
                         total_records=found.total_records)
        yield from self._article_requests(articles, list_url=response.url, listed_at=meta.get("fetched_at"))
        page_index = meta["page_index"]
        seen = meta.get("records_seen", 0) + len(found.links)
        more = ((found.total_pages is None or page_index < found.total_pages)
                and (found.total_records is None or seen < found.total_records))
        if not self._keep_paging(articles, page_index):
            return
        if endpoint.page_param is None and found.next_cursor:  # the answer names the next batch itself
            yield from self._endpoint_request(replace(endpoint, cursor=found.next_cursor), page_index + 1,
                                              column_dir=meta["column_dir"], list_url=meta["list_url"],
                                              records_seen=seen)
        elif endpoint.page_param is None and endpoint.method == "GET" and found.next_link:  # in its Link header
            following = urljoin(response.url, found.next_link)
            if self.link_rules.is_on_site(following):
                yield from self._endpoint_request(replace(endpoint, next_url=following), page_index + 1,
                                                  column_dir=meta["column_dir"], list_url=meta["list_url"],
                                                  records_seen=seen)
        elif more:
            yield from self._endpoint_request(endpoint, page_index + 1, column_dir=meta["column_dir"],
                                              list_url=meta["list_url"], records_seen=seen)

    def parse_token(self, response: Response):
        """The answer holding the token a list endpoint sends: the endpoint is then asked with it."""
        meta = response.meta
        endpoint = meta["endpoint"]
        value = token_value(response.body, endpoint.token)
        if value is None:
            self.crawler.stats.inc_value("dangjian/token_missing")
            return
        yield from self._endpoint_request(with_token(endpoint, value), meta["page_index"], column_dir=meta["column_dir"],
                                          list_url=meta["list_url"], records_seen=meta["records_seen"])

    def parse_feed(self, response: Response):
        """Feed entries are articles by what a feed is; the site's own rules still say where we may go."""
        body, _ = self._list_body(response)
        if body is not None:
            entries = parse_feed(body, response.url)
            self._discovered("feed", response.url, entries)
            yield from self._article_requests(entries, list_url=response.url,
                                              listed_at=response.meta.get("fetched_at"))

    def robots_parsed(self, robotparser, request) -> None:
        """The site's robots.txt names its sitemaps (Protego reads the `Sitemap:` lines)."""
        for url in getattr(getattr(robotparser, "rp", None), "sitemaps", ()):
            self._request_sitemap(url)

    def parse_sitemap(self, response: Response):
        body, _ = self._list_body(response)
        if body is None:
            return
        sitemap = parse_sitemap(body, response.url)
        for url in sitemap.sitemaps:
            self._request_sitemap(url)
        self.sitemap_links.extend(sitemap.links)

    def _request_sitemap(self, url: str) -> None:
        if self.sitemap_files >= feed_limits()["max_sitemap_files"] or not self._followable(url, document=True):
            return
        self.sitemap_files += 1
        self.crawler.engine.crawl(self._list_request(url, column_dir=column_directory(url), page_index=1,
                                                     callback=self.parse_sitemap, optional=True))

    def idle(self) -> None:
        """Sitemaps list every page of a site, columns and all: their URLs are taken once the crawl has
        nothing else to do, when the list pages have shown which URL shapes are articles."""
        pending, self.sitemap_links = self.sitemap_links, []
        scheduled = 0
        shaped = [link for link in pending
                  if self.link_rules.is_article_url(link.url) or self.link_rules.has_learned_shape(link.url)]
        if pending:
            self._discovered("sitemap", f"{len(pending)} sitemap URLs", shaped)
        for link in shaped:
            if self.plan.mode != "probe" and self._accept_article(link):
                self.crawler.engine.crawl(self._article_request(link, list_url=None))
                scheduled += 1
        if scheduled:
            raise DontCloseSpider

    def _list_body(self, response: Response) -> tuple[bytes | None, dict]:
        """The list page's bytes: live, replayed from this job's archive, or (on 304) the stored copy."""
        stats = self.crawler.stats
        if response.status == NOT_MODIFIED:
            stats.inc_value("dangjian/not_modified")
            validators = self.plan.validators.get(self.link_rules.canonical(response.url))
            if validators is None:  # a 304 we did not ask for: nothing to compare against
                return None, {}
            page = read_record(validators["archive_ref"])
            response.meta["fetched_at"] = page.fetched_at  # its relative dates mean the stored copy's clock
            return page.body, page.headers
        headers = response_headers(response)
        if REPLAYED not in response.flags:
            stats.inc_value("dangjian/list_pages")
            if response.request.method == "GET":  # a POST's answer is not what a GET of its URL returns
                self._remember_validators(self.link_rules.canonical(response.url), headers,
                                          response.meta.get("archive_ref"))
        return response.body, headers

    def _remember_validators(self, url: str, headers: dict, archive_ref: str | None) -> None:
        validators = {key: headers[header] for key, header in (("etag", "etag"), ("last_modified", "last-modified"))
                      if header in headers}
        if validators and archive_ref:
            self.plan.validators[url] = {**validators, "archive_ref": archive_ref}

    def _keep_paging(self, articles: list[Link], page_index: int) -> bool:
        stats = self.crawler.stats
        limit = PROBE_LIST_PAGES if self.plan.mode == "probe" else self.config.max_list_pages
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
        """The column's next page. A column drawn by a stylesheet pages through XML documents (`index_2.xml`),
        which are no attachments there."""
        request = self._list_request(url, column_dir=meta["column_dir"], page_index=meta["page_index"] + 1)
        if self._followable(request.url, document=bool(meta.get("drawn"))):
            yield request

    def _postback_request(self, postback: PostBack, meta: dict):
        """A WebForms page of the column, asked for once per pager event: every page links its siblings
        with view states of its own. Archived as "other": its URL is the first page's, which a resumed
        crawl must not replay for it."""
        if postback.event in self.postbacks_sent or not self._followable(postback.url):
            return
        self.postbacks_sent.add(postback.event)
        yield scrapy.FormRequest(postback.url, formdata=dict(postback.fields), callback=self.parse_list,
                                 errback=self.failed, meta={"kind": "other", "column_dir": meta["column_dir"],
                                                            "page_index": postback.page})

    def _follow(self, request: scrapy.Request):
        if self._followable(request.url):
            yield request

    def _follow_document(self, request: scrapy.Request, *, optional: bool = True):
        """Feeds, sitemaps and scripts are optional: one the site links but does not serve is no failure of
        the crawl; a list endpoint is not."""
        if self._followable(request.url, document=True):
            request.meta["optional"] = optional
            yield request

    def _list_request(self, url: str, *, column_dir: str, page_index: int, home: bool = False, callback=None,
                      **extra_meta) -> scrapy.Request:
        meta = {"kind": "list", "column_dir": column_dir, "page_index": page_index, "original_url": url,
                "handle_httpstatus_list": [NOT_MODIFIED], "home": home, **extra_meta}
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
        return scrapy.Request(self.link_rules.request_url(url), callback=callback or self.parse_list,
                              errback=self.failed, meta=meta, headers=headers)

    def _endpoint_request(self, endpoint: Endpoint, page_index: int, *, column_dir: str, list_url: str,
                          records_seen: int = 0):
        """Page `page_index` of a list endpoint. A POST endpoint's pages share one URL, so they are never
        replayed from the archive by URL. `list_url` is the page whose script calls it: the links in its
        answer resolve against that page, as they do in a browser."""
        if endpoint.token is not None:  # the script asks for its token first: so do we, then carry on
            token = endpoint.token
            meta = {"kind": "other", "endpoint": endpoint, "page_index": page_index, "column_dir": column_dir,
                    "list_url": list_url, "records_seen": records_seen}
            request = (scrapy.FormRequest(token.url, formdata=token.form, callback=self.parse_token,
                                          errback=self.failed, meta=meta) if token.method == "POST" else
                       scrapy.Request(token.url, callback=self.parse_token, errback=self.failed, meta=meta))
            yield from self._follow_document(request, optional=False)
            return
        following = next_endpoint_request(endpoint, page_index)
        if following is None:
            return
        url, method, form = following
        meta = {"endpoint": endpoint, "list_url": list_url, "records_seen": records_seen}
        if method == "POST":
            request_class = JsonRequest if endpoint.body_format == "json" else scrapy.FormRequest
            body = {"data": form} if endpoint.body_format == "json" else {"formdata": {k: str(v) for k, v in form.items()}}
            request = request_class(url, method="POST", callback=self.parse_endpoint, errback=self.failed,
                                    meta={"kind": "list", "column_dir": column_dir, "page_index": page_index,
                                          **meta}, **body)
        else:
            request = self._list_request(url, column_dir=column_dir, page_index=page_index,
                                         callback=self.parse_endpoint, **meta)
        yield from self._follow_document(request, optional=False)

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

    def _article_requests(self, links: list[Link], *, list_url: str, listed_at: datetime | None = None):
        if self.plan.mode == "probe":
            return
        for link in links:
            if self._accept_article(link):
                yield self._article_request(link, list_url=list_url, listed_at=listed_at)

    def _discovered(self, document: str, url: str, articles: list[Link], **details) -> None:
        # Every run: the article links each list document showed, which site health compares night to night.
        self.crawler.stats.set_value(f"dangjian/list_links/{SITEMAPS if document == 'sitemap' else url}",
                                     len(articles))
        if self.plan.mode == "probe":
            self.discovery.append({
                "document": document, "url": url, "articles": len(articles),
                "sources": dict(Counter(link.source for link in articles)),
                "samples": [{"title": link.text, "list_date": link.date_text, "url": link.url}
                            for link in articles[:5]],
                **{key: value for key, value in details.items() if value not in (None, [])}})

    def _article_request(self, link: Link, *, list_url: str | None, listed_at: datetime | None = None
                         ) -> scrapy.Request:
        meta = {"kind": "article", "list_url": self.link_rules.canonical(list_url) if list_url else None,
                "list_date": link.date_text, "listed_at": listed_at if link.date_text else None,
                "original_url": link.url}
        return scrapy.Request(self.link_rules.request_url(link.url), callback=self.parse_article,
                              errback=self.failed, meta=meta)

    def parse_article(self, response: Response):
        """Article pages are archived by the middleware, not parsed here; only an article split over pages
        needs reading, for the pages it continues on."""
        self.crawler.stats.inc_value("dangjian/article_pages")
        yield from self._part_requests(response, part_of=self.link_rules.canonical(response.url))

    def parse_part(self, response: Response):
        self.crawler.stats.inc_value("dangjian/article_parts")
        yield from self._part_requests(response, part_of=response.meta["part_of"],
                                       first_page=response.meta["first_page"])

    def _part_requests(self, response: Response, *, part_of: str, first_page: str | None = None):
        if response.status != 200 or not isinstance(response, TextResponse):
            return
        html = decode_bytes(response.body, declared=self.config.encoding,
                            content_type=response_headers(response).get("content-type"))
        first_page = first_page or response.url
        for number, url in continuation_urls(html, response.url, first_page=first_page):
            canonical = self.link_rules.canonical(url)
            if canonical in self.plan.archived or not self._followable(url):
                continue
            yield scrapy.Request(self.link_rules.request_url(url), callback=self.parse_part, errback=self.failed,
                                 meta={"kind": "part", "part_of": part_of, "part_number": number,
                                       "first_page": first_page, "original_url": url})

    # --- shared -------------------------------------------------------------------------------------

    def _followable(self, url: str, *, document: bool = False) -> bool:
        """On site, not an attachment, not a trap; counts why not. A document (feed, sitemap, script, list
        endpoint) ends in .xml, .js or .json and carries many parameters: only the structural trap guards
        apply to it."""
        stats = self.crawler.stats
        if not self.link_rules.is_on_site(url):
            stats.inc_value("dangjian/offsite_dropped")
            return False
        if not document and self.link_rules.is_attachment(url):
            stats.inc_value("dangjian/attachments_not_fetched")
            return False
        reason = self.link_rules.structural_trap(url) if document else self.link_rules.trap_reason(url)
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
        if request.meta.get("optional"):  # a feed, sitemap or script the site links but does not serve
            stats.inc_value(f"dangjian/optional_failed/{failure_reason(failure)}")
            self.logger.info("optional document not fetched: %s (%s)", request.url, failure.getErrorMessage())
            return
        stats.inc_value(f"dangjian/failed/{request.meta.get('kind', 'other')}")
        stats.inc_value(f"dangjian/failure_reason/{failure_reason(failure)}")
        self.logger.error("fetch failed: %s (%s)", request.url, failure.getErrorMessage())


def failure_reason(failure) -> str:
    """`http_503`, `TLSError`, or the exception's class name (`DownloadTimeoutError`, `RedirectLoop`, ...)."""
    if failure.check(HttpError):
        return f"http_{failure.value.response.status}"
    if _failed_in_tls(failure.value):
        return "TLSError"
    return type(failure.value).__name__


def _failed_in_tls(error: BaseException) -> bool:
    """A TLS handshake failure reaches the errback wrapped: Scrapy's DownloadFailedError raised from
    Twisted's ResponseFailed/ResponseNeverReceived, whose `reasons` hold OpenSSL's error."""
    pending, seen = [error], 0
    while pending and seen < 16:
        current = pending.pop()
        seen += 1
        if isinstance(current, SSL.Error):
            return True
        pending += [reason.value for reason in getattr(current, "reasons", None) or []]
        pending += [linked for linked in (current.__cause__, current.__context__) if linked is not None]
    return False
