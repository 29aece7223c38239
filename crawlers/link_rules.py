"""What a link on a list page is: an article, the column's next page, an attachment, a trap, or off-site.

Pure functions over URLs and HTML text; the conventions themselves are data in `config/rules/cms.yaml`
and the site's config. The spider (crawlers/spiders/site.py) asks these questions, nothing else does.
"""

from __future__ import annotations

import ipaddress
import posixpath
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from urllib.parse import parse_qsl, unquote_plus, urljoin, urlsplit, urlunsplit

import lxml.html
from w3lib.url import canonicalize_url, safe_url_string

from crawlers.article_blocks import BlockRules, Candidate, article_templates, assign_blocks, template_matches
from crawlers.feeds import feed_urls
from crawlers.pagination import Pagination, PostBack, declared_next_pages
from crawlers.site_config import SiteConfig
from crawlers.sources import (
    Endpoint,
    Link,
    clickable_links,
    page_endpoints,
    plugin_endpoints,
    script_links,
    script_sources,
)
from pipelines.config import rules as load_rules
from pipelines.dates import grammar_pattern, written_out
from pipelines.decode import DecodeError, decode_bytes
from pipelines.page import collapse_space, text_outside

DEFAULT_PORTS = {"http": 80, "https": 443}
FOLLOWABLE_SCHEMES = ("http", "https")
HOME_PATH = re.compile(r"(?i)/(?:(?:index|default|home|main|portal)\.[a-z]+)?")
REFRESH_URL = re.compile(r"(?i)url\s*=\s*(\S+)")
SCRIPT_REDIRECT = re.compile(
    r"""(?:window\.|self\.|top\.|document\.)?location(?:\.href)?\s*=\s*["']([^"']+)["']|location\.(?:replace|assign)\(\s*["']([^"']+)["']""")


@dataclass(frozen=True, slots=True)
class ListPage:
    articles: list[Link]
    next_pages: list[str]  # absolute URLs of the column's following page(s), usually one
    endpoints: list[Endpoint] = field(default_factory=list)  # list data the page's inline scripts load
    scripts: list[str] = field(default_factory=list)  # on-site <script src>, where endpoints may hide
    feeds: list[str] = field(default_factory=list)  # RSS/Atom/JSON feeds the page announces
    columns: list[str] = field(default_factory=list)  # news columns a home page leads to, best first
    refresh: str | None = None  # where an entry page sends the visitor (meta refresh, one-line script)
    frames: list[str] = field(default_factory=list)  # on-site <iframe>/<frame> documents, where old lists live
    postbacks: list[PostBack] = field(default_factory=list)  # pages behind pager links that post a form
    continued_by: list[Endpoint] = field(default_factory=list)  # data proxies of a list plugin: the later records
    unlinked_records: int = 0  # headline records in the page's script data whose URL no script read so far builds
    site_maps: list[str] = field(default_factory=list)  # the site's own index of its pages (网站地图), on-site


DATASTORE_RECORD = re.compile(r"<record[\s>]")


def in_page_encoding(page: ListPage, encoding: str) -> ListPage:
    """The page's links as a browser sends them: a query written in raw Chinese (`list.asp?lm=党建动态`) is
    percent-encoded in the page's own encoding (old GBK sites answer only that), the path in UTF-8."""
    def sent(url: str) -> str:
        return url if url.isascii() else safe_url_string(url, encoding=encoding)

    return replace(
        page,
        articles=[replace(link, url=sent(link.url)) for link in page.articles],
        next_pages=[sent(url) for url in page.next_pages],
        scripts=[sent(url) for url in page.scripts],
        feeds=[sent(url) for url in page.feeds],
        columns=[sent(url) for url in page.columns],
        refresh=page.refresh and sent(page.refresh),
        frames=[sent(url) for url in page.frames],
        site_maps=[sent(url) for url in page.site_maps],
    )


class LinkRules:
    """The CMS conventions compiled for one site."""

    def __init__(self, config: SiteConfig, cms: dict | None = None, learned: dict[str, int] | None = None):
        cms = cms if cms is not None else load_rules("cms")
        date_grammar = load_rules("dates")["grammar"]
        self.config = config
        patterns = [config.article_url_pattern] if config.article_url_pattern else [
            rule["pattern"] for rule in cms["article_urls"]
        ]
        self.article_patterns = [re.compile(pattern) for pattern in patterns]
        self.generic_articles = config.article_url_pattern is None
        self.pagination = Pagination(cms, config.list_url_pattern)
        self.date_patterns = [re.compile(written_out(pattern)) for pattern in date_grammar["list_dates"]]
        generic = cms["generic_articles"]
        self.item_tags = set(generic["item_tags"])
        self.min_anchor_chars = generic["min_anchor_chars"]
        self.max_ancestor_levels = generic["max_ancestor_levels"]
        self.block_rules = BlockRules.from_rules(cms["article_blocks"])
        self.date_label = re.compile(grammar_pattern("date_only_text"))
        self.more_label = re.compile(cms["columns"]["more_label"])
        self.more_bonus = cms["columns"]["more_bonus"]
        self.site_map_labels = frozenset(label.lower() for label in cms["columns"]["site_map_labels"])
        self.learned: Counter[str] = Counter(learned or {})  # article URL templates -> links seen with each
        self.strip_params = {name.lower() for name in cms["strip_query_params"]}
        sessions = cms["session_ids"]
        self.session_params = {name.lower() for name in sessions["params"]}
        self.session_value = re.compile(sessions["value"])
        self.session_path = re.compile(sessions["path"])
        self.attachment_extensions = {ext.lower() for ext in cms["attachment_extensions"]}
        traps = cms["traps"]
        self.trap_patterns = [re.compile(pattern) for pattern in traps["patterns"]]
        self.max_url_length = traps["max_url_length"]
        self.max_path_depth = traps["max_path_depth"]
        self.max_query_params = traps["max_query_params"]
        self.max_segment_repeats = traps["max_segment_repeats"]

    # --- where the crawl may go -------------------------------------------------------------------

    @cached_property
    def own_hosts(self) -> set[str]:
        return {urlsplit(url).hostname for url in self.config.start_urls}

    @cached_property
    def allowed(self) -> set[str]:
        """host:port entries, and bare hosts (which also admit their subdomains on the default port)."""
        if self.config.allowed_domains:
            return {entry.lower().strip() for entry in self.config.allowed_domains}
        return {host_port(url) for url in self.config.start_urls}

    def is_on_site(self, url: str) -> bool:
        """Same host AND port as the site; an IP in a private/loopback range only if it is the site's own."""
        parts = urlsplit(url)
        if parts.scheme not in FOLLOWABLE_SCHEMES or not parts.hostname:
            return False
        host = parts.hostname.lower()
        if _is_non_public_ip(host) and host not in self.own_hosts:
            return False
        if host_port(url) in self.allowed:
            return True
        default_port = _port(parts) == DEFAULT_PORTS[parts.scheme]
        return default_port and any(host == entry or host.endswith("." + entry) for entry in self.allowed)

    def request_url(self, url: str) -> str:
        """The URL to fetch: as linked, minus fragment, default port, visitor-tracking parameters and session
        ids (some servers care about parameter order, so it is kept); its path with backslashes as slashes and
        dot segments resolved, as a browser sends it (robots.txt and the seen set then judge that path)."""
        parts = urlsplit(url)
        query = "&".join(pair for pair in parts.query.split("&") if pair and not self._dropped_param(pair))
        netloc = parts.hostname or ""
        if _port(parts) != DEFAULT_PORTS.get(parts.scheme):
            netloc = f"{netloc}:{parts.port}"
        path = self.session_path.sub("", without_dot_segments(parts.path.replace("\\", "/"))) or "/"
        return urlunsplit((parts.scheme, netloc, path, query, ""))

    def _dropped_param(self, pair: str) -> bool:
        """Visitor tracking, and session ids: a session parameter's value must look like a token, since the
        same names (`sid`) also carry real ids on some sites."""
        name, _, value = pair.partition("=")
        name = unquote_plus(name).lower()
        return name in self.strip_params or (name in self.session_params and bool(self.session_value.match(value)))

    def canonical(self, url: str) -> str:
        """One spelling per page, for identity: the request URL with its query sorted and escapes normalized."""
        return canonicalize_url(self.request_url(url))

    def is_attachment(self, url: str) -> bool:
        path = urlsplit(url).path.lower()
        return "." in posixpath.basename(path) and path.rsplit(".", 1)[1] in self.attachment_extensions

    def trap_reason(self, url: str) -> str | None:
        """Why a URL looks like a crawler trap, or None."""
        reason = self.structural_trap(url)
        if reason:
            return reason
        if len(parse_qsl(urlsplit(url).query, keep_blank_values=True)) > self.max_query_params:
            return "query-params"
        if any(pattern.search(url) for pattern in self.trap_patterns):
            return "trap-pattern"
        return None

    def structural_trap(self, url: str) -> str | None:
        """The guards that hold for every URL, documents (feeds, endpoints) included: length and loops."""
        if len(url) > self.max_url_length:
            return "url-length"
        parts = urlsplit(url)
        segments = [segment for segment in parts.path.split("/") if segment]
        if len(segments) > self.max_path_depth:
            return "path-depth"
        if max((segments.count(segment) for segment in segments), default=0) > self.max_segment_repeats:
            return "repeated-segment"
        return None

    # --- what a URL is ------------------------------------------------------------------------------

    def is_article_url(self, url: str) -> bool:
        return any(pattern.search(url) for pattern in self.article_patterns)

    # --- reading a list page ------------------------------------------------------------------------

    def parse_list_page(self, html: str, url: str, column_dir: str | None = None, page_index: int = 1,
                        encoding: str = "utf-8", script_files: Mapping[str, str] | None = None) -> ListPage:
        """Article links (with the date beside each), the next page of the column at `url`, and the other
        places the page says its lists live (script endpoints, feeds, news columns, an entry redirect).

        `column_dir` is the path directory of the column's first page: pagination links outside it
        belong to other columns; `page_index` says which page of the column this is (1: its first);
        `encoding` is the page's own: links written with raw Chinese in their query are sent in it;
        `script_files` are the texts of script files read so far, by URL: those this page loads say what its
        links call (`openDetail(…)`), how its records' URLs are built, and hold data it renders."""
        return in_page_encoding(self._list_page(html, url, column_dir, page_index, script_files or {}), encoding)

    def _list_page(self, html: str, url: str, column_dir: str | None, page_index: int,
                   script_files: Mapping[str, str]) -> ListPage:
        root = _parse_html(html, url)
        if root is None:
            return ListPage([], [])
        column_dir = column_dir or column_directory(url)
        own_scripts = script_sources(root, url)
        scripts = [script_files[source] for source in own_scripts if source in script_files]
        anchors = list(_anchors(root, url))
        clickable = clickable_links(root, url, self.find_date, scripts)
        unlinked: list[dict] = []
        scripted = script_links(root, url, self.find_date, scripts, unlinked)
        # a pager a script writes (`document.write('<a href="list.html?p=' + (p + 1) + '">下一页</a>')`) pages too
        pager = [(href, text) for _, href, text in anchors] + [(link.url, link.text) for link in (*clickable, *scripted)]
        next_pages = self.pagination.next_pages(html, url, pager, column_dir=column_dir, page_index=page_index,
                                                is_on_site=self.is_on_site)
        if not next_pages:
            next_pages = [page for page in declared_next_pages(root, url) if self.is_on_site(page) and page != url]
        skip = set(next_pages) | {url}
        blocks = assign_blocks([element for element, _, _ in anchors], self.block_rules.min_items)
        links = [(Link(href, text, self.date_beside(element)), block)
                 for (element, href, text), block in zip(anchors, blocks, strict=True)]
        # Records built by scripts are list items by construction: each source's records form one block.
        links += [(link, link.source) for link in (*clickable, *scripted)]
        links = [(link, block) for link, block in links
                 if link.url not in skip and not self._never_article(link.url, link.text, url)]
        articles = self.articles_among(links, url)
        inline = "\n".join(script.text or "" for script in root.iter("script") if not script.get("src"))
        shown = sum(len(DATASTORE_RECORD.findall(script.text or "")) for script in root.iter("script")
                    if (script.get("type") or "").lower().endswith("/xml"))  # a datastore's first records
        return ListPage(articles, next_pages,
                        endpoints=page_endpoints(inline, root, url) if inline.strip() else [],
                        scripts=[src for src in own_scripts if self.is_on_site(src)],
                        feeds=[feed for feed in feed_urls(root, url) if self.is_on_site(feed)],
                        columns=self.columns(links, articles, url),
                        refresh=entry_redirect(root, url, len(anchors)),
                        frames=[frame for frame in frame_sources(root, url) if self.is_on_site(frame)],
                        postbacks=[] if next_pages else [postback for postback in
                                                         self.pagination.postback_pages(root, url, page_index)
                                                         if self.is_on_site(postback.url)],
                        continued_by=[endpoint for endpoint in plugin_endpoints(inline, url, shown)
                                      if self.is_on_site(endpoint.url)] if inline.strip() else [],
                        unlinked_records=len(unlinked),
                        site_maps=list(dict.fromkeys(href for _, href, text in anchors
                                                     if text.lower() in self.site_map_labels
                                                     and self.is_on_site(href) and not self.is_attachment(href))))

    def columns(self, links: list[tuple[Link, object]], articles: list[Link], page_url: str) -> list[str]:
        """The news columns a home page leads to, best first: on-site links that are not articles, ranked
        by how many of the page's own article links live under their directory, and by a "more" label
        beside a headline block. Links with neither are not columns."""
        article_urls = {link.url for link in articles}
        article_paths = [urlsplit(url).path for url in article_urls]
        own = urlsplit(page_url).path
        home = column_directory(page_url)
        scores: Counter[str] = Counter()
        for link, _ in links:
            if link.url in article_urls or not self.is_on_site(link.url) or urlsplit(link.url).path == own:
                continue
            directory = column_directory(link.url)
            # The home page's own directory holds every column: only a directory below it marks one.
            below = directory.startswith(home) and directory != home
            under = sum(path.startswith(directory) for path in article_paths) if below else 0
            more = self.more_label.fullmatch(link.text) is not None
            if under or more:
                scores[link.url] = max(scores[link.url], under + (self.more_bonus if more else 0))
        return [url for url, _ in scores.most_common()]

    def _never_article(self, href: str, text: str, page_url: str) -> bool:
        """Attachments, pager links, and links whose text is only a date or a month: a date archive's
        (`2021年6月`, a post's date linking its month), never a headline."""
        return (self.is_attachment(href) or self.pagination.is_page_link(href, text, page_url)
                or (bool(text) and self.date_label.fullmatch(text) is not None))

    def articles_among(self, links: list[tuple[Link, object]], page_url: str) -> list[Link]:
        """The article links among a page's links (each with its repeating block, None for a lone link):
        a known article URL shape, a dated headline, or a template this page's blocks (or earlier pages of
        the site) show to be articles'. Templates learned here are remembered in `self.learned`."""
        article_blocks: set[object] = set()
        if self.generic_articles:
            candidates = [Candidate(link.url, link.text, link.date_text is not None, block,
                                    self.is_article_url(link.url))
                          for link, block in links if self.is_on_site(link.url)]
            templates, article_blocks = article_templates(candidates, page_url, self.block_rules,
                                                          set(self.learned))
            self.learned.update(templates)
        articles = [link for link, block in links
                    if self._is_article(link) or (block in article_blocks and link.date_text is not None)]
        return _unique_by_url(articles)

    def _is_article(self, link: Link) -> bool:
        if self.is_article_url(link.url):
            return True
        if not self.generic_articles:
            return False
        if link.date_text is not None and len(link.text) >= self.min_anchor_chars:
            return True
        return self.has_learned_shape(link.url)

    def has_learned_shape(self, url: str) -> bool:
        return any(template_matches(template, url) for template in self.learned)

    def date_beside(self, anchor: lxml.html.HtmlElement) -> str | None:
        """The date printed in the same list item as `anchor` (not inside another link's item)."""
        element = anchor
        for _ in range(self.max_ancestor_levels):
            parent = element.getparent()
            if parent is None:
                break
            if any(other is not anchor and len(collapse_space(other.text_content())) >= self.min_anchor_chars
                   for other in parent.iter("a")):
                break  # the parent holds several items: a date in it belongs to one of them
            element = parent
            outside = text_outside(element, anchor)
            found = self.find_date(outside)
            if found:
                return found
            if element.tag in self.item_tags:
                break
        return self.find_date(collapse_space(anchor.text_content()), at_end=True)

    def find_date(self, text: str, *, at_end: bool = False) -> str | None:
        for pattern in self.date_patterns:
            matches = list(pattern.finditer(text))
            if at_end:
                matches = [match for match in matches if not text[match.end():].strip()]
            if matches:
                return collapse_space(matches[-1].group(0))
        return None

def is_home_page(url: str) -> bool:
    """A site's root or its root index page: where a start URL leads to columns rather than articles."""
    return HOME_PATH.fullmatch(urlsplit(url).path or "/") is not None


def host_port(url: str) -> str:
    parts = urlsplit(url)
    return f"{(parts.hostname or '').lower()}:{_port(parts)}"


def column_directory(url: str) -> str:
    path = urlsplit(url).path or "/"
    return path if path.endswith("/") else posixpath.dirname(path).rstrip("/") + "/"


def _port(parts) -> int | None:
    try:
        return parts.port or DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        return None


def _is_non_public_ip(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return not address.is_global


def frame_sources(root, url: str) -> list[str]:
    """The documents a page frames (`<iframe src>`, `<frame src>`), absolute, in page order."""
    sources = (urljoin(url, element.get("src").strip()) for element in root.iter("iframe", "frame")
               if (element.get("src") or "").strip() and not element.get("src").strip().lower().startswith(
                   ("javascript:", "about:", "data:")))
    return list(dict.fromkeys(source for source in sources if urlsplit(source).scheme in FOLLOWABLE_SCHEMES))


def entry_redirect(root, url: str, anchor_count: int) -> str | None:
    """Where an entry page sends its visitor: a `<meta http-equiv="refresh">` target, or, on a page with
    next to no links, the URL a one-line script assigns to the location."""
    for meta in root.iter("meta"):
        if (meta.get("http-equiv") or "").lower() == "refresh":
            found = REFRESH_URL.search(meta.get("content") or "")
            if found:
                return urljoin(url, found.group(1).strip("'\" "))
    if anchor_count <= 2:
        for script in root.iter("script"):
            found = SCRIPT_REDIRECT.search(script.text or "")
            if found:
                return urljoin(url, found.group(1) or found.group(2))
    return None


STUB_MAX_BYTES = 8192
STUB_MAX_TEXT = 200


@lru_cache(maxsize=64)
def redirect_stub_target(body: bytes, url: str) -> str | None:
    """Where a page that only sends its visitor on points (a click counter's 正在跳转 page, an article moved
    with a meta refresh): small, next to no links or text, and a meta refresh or a location script. The
    archive files such a page as no article, and the crawl follows it as it follows an HTTP redirect."""
    if len(body) > STUB_MAX_BYTES or not (b"location" in body or b"refresh" in body.lower()):
        return None
    try:
        root = _parse_html(decode_bytes(body), url)
    except DecodeError:
        return None
    if root is None or len(collapse_space(text_outside(root, root.find(".//head")))) > STUB_MAX_TEXT:
        return None
    return entry_redirect(root, url, sum(1 for _ in root.iter("a")))


def _parse_html(html: str, url: str):
    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html.encode("utf-8"), base_url=url,
                                             parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (ValueError, lxml.etree.ParserError):
        return None


def resolve(base_url: str, href: str) -> str:
    """A link's address as a browser reads it: backslashes are slashes in a web address (old sites made on
    Windows write `..\\shenhe\\5665.htm`), then joined to the page's."""
    return urljoin(base_url, href.replace("\\", "/"))


def without_dot_segments(path: str) -> str:
    """`/xcdt/../shenhe/5665.htm` as `/shenhe/5665.htm` (RFC 3986 5.2.4, which urljoin applies)."""
    return urlsplit(urljoin("http://host/", path)).path if "/." in path else path


def _anchors(root, base_url: str) -> Iterator[tuple[lxml.html.HtmlElement, str, str]]:
    base = root.find(".//base[@href]")
    base_url = resolve(base_url, base.get("href")) if base is not None else base_url
    for element in root.iter("a"):
        href = (element.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        absolute = resolve(base_url, href)
        if urlsplit(absolute).scheme not in FOLLOWABLE_SCHEMES:
            continue
        text = collapse_space(element.text_content()) or collapse_space(element.get("title") or "")
        yield element, absolute, text


def _unique_by_url(links: Iterable[Link]) -> list[Link]:
    seen: dict[str, Link] = {}
    for link in links:
        if link.url not in seen or (seen[link.url].date_text is None and link.date_text):
            seen[link.url] = link
    return list(seen.values())
