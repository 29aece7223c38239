"""Feeds and sitemaps as link sources: where a site announces them, and the article links they list.

Feeds (RSS 2.0, RSS 1.0/RDF, Atom, JSON Feed) and sitemaps (urlset, sitemap index, gzip, plain text) often
list articles the column pages never show. Every function is pure: bytes or a parsed page in, `Link`s
(source "feed" or "sitemap") and URLs out; fetching, and which links are articles, is the spider's job.
The conventions (media types, feed-like URLs, well-known paths, limits) are the `feeds:` section of
config/rules/cms.yaml.

XML is read by lxml without network access, DTDs or entity substitution (an external entity stays an
unexpanded reference, so XXE reads nothing), in recover mode so a sloppy feed still yields its good
entries. Format elements are matched by local name, so RSS 0.9x-2.0, RDF and Atom 0.3/1.0 share one
reader, and so do feeds that forget their namespace. Text is decoded by pipelines.decode (the XML
declaration's charset, GB2312 widened to GB18030) before lxml sees it. Sitemaps are read incrementally and
stop at the URL limit and at the decompressed-size limit, so a sitemap bomb costs at most that much.
"""

from __future__ import annotations

import io
import json
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from functools import cache
from html.entities import name2codepoint
from urllib.parse import urljoin, urlsplit

import lxml.etree as etree
import lxml.html

from crawlers.sources import Link
from pipelines.config import rules
from pipelines.decode import DecodeError, decode_bytes

FOLLOWABLE_SCHEMES = ("http", "https")
GZIP_MAGIC = b"\x1f\x8b"
GZIP_PIECE = 1 << 16  # compressed bytes fed at a time: a corrupt stream loses at most one piece's output
SNIFF_BYTES = 2048
# Safe XML: no DTD, no network, entities left as references (no XXE, no entity expansion bombs).
XML_OPTIONS = {"recover": True, "resolve_entities": False, "no_network": True, "load_dtd": False,
               "huge_tree": False, "remove_comments": True, "remove_pis": True, "encoding": "utf-8"}

# The formats' own vocabulary (specifications, not site conventions), as local names.
ENTRY_ELEMENTS = {"item", "entry"}
PUBLISHED_ELEMENTS = ("published", "pubDate", "date", "issued", "created")  # dc:date is "date"
UPDATED_ELEMENTS = ("updated", "modified")
FEED_ROOTS = {"rss", "feed", "rdf"}
RSS_NAMESPACE_MARKERS = ("purl.org/rss/", "my.netscape.com/rdf/")
SITEMAP_ROOTS = {"urlset", "sitemapindex"}
JSON_FEED_MARKER = "jsonfeed.org/version"
ROOT_TAG = re.compile(r"<([A-Za-z_][\w.:-]*)")
MARKUP_PREAMBLE = re.compile(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", re.S | re.I)
LOOKS_LIKE_MARKUP = re.compile(r"<[A-Za-z/!]")
# What sloppy feeds and sitemaps get wrong about ampersands: a bare `&` (`?id=1&cat=2`) and HTML entities
# (`&nbsp;`, `&ldquo;`) XML does not know. CDATA sections are left as they are.
AMPERSAND = re.compile(r"<!\[CDATA\[.*?\]\]>|&(?:(#\d+|#x[0-9A-Fa-f]+|[A-Za-z][\w.-]*);)?", re.S)
XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}
STYLESHEET_PI = re.compile(r"<\?xml-stylesheet\s(?P<attributes>[^>]*?)\?>", re.I)
PI_ATTRIBUTE = re.compile(r"""(\w+)\s*=\s*(["'])(.*?)\2""", re.S)
XSLT_TYPES = {"text/xsl", "application/xslt+xml", "application/xml", "text/xml"}
ROBOTS_SITEMAP = re.compile(r"^[ \t\ufeff]*sitemap[ \t]*[:：][ \t]*(\S+)", re.I | re.M)


@dataclass(frozen=True, slots=True)
class Sitemap:
    links: list[Link]  # pages listed (source "sitemap"), in document order
    sitemaps: list[str]  # child sitemaps named by a sitemap index


@cache
def feed_rules() -> dict:
    """The `feeds:` section of config/rules/cms.yaml, with its URL patterns compiled."""
    section = dict(rules("cms")["feeds"])
    section["href_patterns"] = [re.compile(pattern) for pattern in section["href_patterns"]]
    section["media_types"] = {media_type.lower() for media_type in section["media_types"]}
    section["local_zone_names"] = {name.upper() for name in section["local_zone_names"]}
    return section


def limits() -> dict:
    """max_sitemap_files (per site and run: the spider counts), max_urls_per_sitemap, max_decompressed_bytes."""
    return feed_rules()["limits"]


# --- where a site announces its feeds and sitemaps ------------------------------------------------------


def feed_urls(root, base_url: str) -> list[str]:
    """Feeds a parsed HTML page (lxml.html root) announces: `<link rel="alternate" type="…rss+xml">` and
    the like first, then `<a>` links whose URL reads like a feed; absolute, in page order, without repeats.
    Relative hrefs resolve against `<base href>` when the page has one."""
    base = root.find(".//base[@href]")
    base_url = urljoin(base_url, base.get("href").strip()) if base is not None else base_url
    announced = [element.get("href") for element in root.iter("link") if _announces_feed(element)]
    linked = [element.get("href") for element in root.iter("a") if element.get("href")]
    found = [url for url in (_absolute(href, base_url) for href in announced) if url]
    found += [url for url in (_absolute(href, base_url) for href in linked) if url and _reads_like_feed(url)]
    return _unique(found)


def _announces_feed(element) -> bool:
    rel = (element.get("rel") or "").lower().split()
    media_type = (element.get("type") or "").partition(";")[0].strip().lower()
    announced = "alternate" in rel or "feed" in rel
    return announced and media_type in feed_rules()["media_types"] and bool(element.get("href"))


def _reads_like_feed(url: str) -> bool:
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    return any(pattern.search(target) for pattern in feed_rules()["href_patterns"])


def well_known_feeds(site_url: str) -> list[str]:
    """Where feeds usually live, whether or not a page links them (cms.yaml `feeds.well_known_feeds`)."""
    return _unique(urljoin(site_url, path) for path in feed_rules()["well_known_feeds"])


def well_known_sitemaps(site_url: str) -> list[str]:
    """Where sitemaps usually live when robots.txt names none (cms.yaml `feeds.well_known_sitemaps`)."""
    return _unique(urljoin(site_url, path) for path in feed_rules()["well_known_sitemaps"])


def robots_sitemaps(robots_txt: str, base_url: str) -> list[str]:
    """The URLs of robots.txt's `Sitemap:` lines (any case, a full-width colon too), absolute, in order."""
    values = (match.group(1).split("#", 1)[0] for match in ROBOTS_SITEMAP.finditer(robots_txt))
    return _unique(url for url in (_absolute(value, base_url) for value in values) if url)


# --- sniffing ---------------------------------------------------------------------------------------------


def looks_like_feed(content_type: str | None, body: bytes) -> bool:
    """True when the body is an RSS, RDF, Atom or JSON feed. The body decides; the media type only when
    the body shows no root element at all (a feed type on an HTML error page is not a feed)."""
    head = _head(body)
    if head.lstrip().startswith("{"):
        return JSON_FEED_MARKER in head
    root = _root_name(head)
    if root is None:
        return _media_type(content_type) in feed_rules()["media_types"]
    if root == "rdf":
        return any(marker in head for marker in RSS_NAMESPACE_MARKERS)
    return root in FEED_ROOTS


def looks_like_sitemap(content_type: str | None, body: bytes) -> bool:
    """True for an XML urlset or sitemap index (gzipped or not), or a plain-text sitemap: served as text
    (or untyped) and opening with nothing but absolute URLs."""
    head = _head(body)
    root = _root_name(head)
    if root is not None:
        return root in SITEMAP_ROOTS
    media_type = _media_type(content_type)
    if media_type and media_type not in feed_rules()["plain_text_types"]:
        return False
    words = head.split()
    whole_words = words[:-1] if len(words) > 1 and not head[-1:].isspace() else words  # the last may be cut
    return bool(whole_words) and all(_is_followable(word) for word in whole_words)


def _head(body: bytes) -> str:
    """The first characters of the document, gunzipped if need be. Markup names and the markers sniffed
    are ASCII, so a lossy decoding of a GB or cut-off head still shows them."""
    if body.startswith(GZIP_MAGIC):
        body = _bounded_gunzip(body, SNIFF_BYTES)
    return body[:SNIFF_BYTES].decode("utf-8", "replace").lstrip("\ufeff")


def _root_name(head: str) -> str | None:
    """The local name of the first element (lowercase), past the declaration, comments and DOCTYPE."""
    match = ROOT_TAG.search(MARKUP_PREAMBLE.sub("", head))
    return match.group(1).rpartition(":")[2].lower() if match else None


def _media_type(content_type: str | None) -> str:
    return (content_type or "").partition(";")[0].strip().lower()


# --- XML documents a stylesheet draws ------------------------------------------------------------------------


def stylesheet_url(body: bytes, base_url: str) -> str | None:
    """The XSLT stylesheet an XML document asks to be drawn with (`<?xml-stylesheet type="text/xsl" href=…?>`
    before its root): what a browser shows of such a column is the stylesheet's output, not the XML."""
    head = _head(body)
    if not head.lstrip().startswith("<?xml"):
        return None
    for match in STYLESHEET_PI.finditer(head):
        attributes = {name.lower(): value for name, _, value in PI_ATTRIBUTE.findall(match["attributes"])}
        kind = attributes.get("type", "text/xsl").lower()
        if attributes.get("href") and kind in XSLT_TYPES:
            return _absolute(attributes["href"], base_url)
    return None


def rendered_with_stylesheet(document: bytes, stylesheet: bytes, base_url: str) -> str | None:
    """The HTML the stylesheet draws from the document, as a browser would; None when either is not XSLT
    lxml can run. The transform may read nothing (no document(), no includes, no writes) and neither
    parse loads a DTD, an entity or anything from the network."""
    parser = etree.XMLParser(**{**XML_OPTIONS, "remove_pis": False})
    try:
        transform = etree.XSLT(etree.fromstring(_xml_utf8(stylesheet) or b"", parser, base_url=base_url),
                               access_control=etree.XSLTAccessControl.DENY_ALL)
        source = etree.fromstring(_xml_utf8(document) or b"", parser, base_url=base_url)
        drawn = str(transform(source))
    except (etree.XMLSyntaxError, etree.XSLTError, ValueError, TypeError):  # TypeError: nothing parsed
        return None
    return drawn if drawn.strip() else None


# --- feeds ------------------------------------------------------------------------------------------------


def parse_feed(body: bytes, base_url: str) -> list[Link]:
    """The entries of an RSS 2.0, RSS 1.0 (RDF), Atom or JSON feed, as Links with source "feed": the
    entry's link (Atom: rel="alternate", else the first href; RSS: <link>, else a permalink <guid>),
    its title, and its publication date (else its update date) as ISO 8601 where it was RFC 822.
    Entries without a followable link are skipped; a broken entry does not cost the others."""
    if body.lstrip().removeprefix(b"\xef\xbb\xbf").startswith(b"{"):
        return _unique_links(_json_feed_links(body, base_url))
    root = _parse_xml(body, base_url)
    if root is None:
        return []
    entries = (element for element in root.iter() if _local(element) in ENTRY_ELEMENTS)
    return _unique_links(link for link in map(_entry_link, entries) if link)


def _parse_xml(body: bytes, base_url: str):
    text = _xml_utf8(body)
    if text is None:
        return None
    try:
        return etree.fromstring(text, etree.XMLParser(**XML_OPTIONS), base_url=base_url)
    except etree.XMLSyntaxError:  # recover mode still gives up on documents with no element at all
        return None


def _xml_utf8(body: bytes) -> bytes | None:
    """The XML document as UTF-8 bytes (the parser is told so and ignores the declaration), with its
    ampersands repaired; None when the bytes are not text."""
    try:
        text = decode_bytes(body)
    except DecodeError:
        return None
    return AMPERSAND.sub(_repaired_ampersand, text).encode("utf-8")


def _repaired_ampersand(match: re.Match) -> str:
    found, name = match.group(0), match.group(1)
    if found.startswith("<"):
        return found  # CDATA
    if name is None:
        return "&amp;"
    if name in name2codepoint and name not in XML_ENTITIES:
        return chr(name2codepoint[name])
    return found  # character references, XML's own entities, and undeclared names (left unexpanded)


def _entry_link(entry) -> Link | None:
    children = _children_by_name(entry)
    url = _entry_url(entry, children.get("link", []), children.get("guid", []))
    if not url:
        return None
    title = _plain_text(children["title"][0]) if "title" in children else ""
    dates = [children[name][0] for name in PUBLISHED_ELEMENTS + UPDATED_ELEMENTS if name in children]
    date_text = next((value for value in map(_iso_date, map(_text, dates)) if value), None)
    return Link(url, title, date_text, source="feed")


def _entry_url(entry, links: list, guids: list) -> str | None:
    """The rel="alternate" (or rel-less) link's href; else RSS's <link> text; else the first href (an
    RSS item's atom:link rel="self" does not beat its own <link>); else a <guid> that is a permalink
    (RSS says it is unless isPermaLink="false")."""
    with_href = [link for link in links if link.get("href")]
    alternate = [link for link in with_href if (link.get("rel") or "alternate").lower() == "alternate"]
    candidates = [(link, link.get("href")) for link in alternate]
    candidates += [(link, _text(link)) for link in links if not link.get("href")]
    candidates += [(link, link.get("href")) for link in with_href]
    candidates += [(guid, _text(guid)) for guid in guids if (guid.get("isPermaLink") or "true").lower() == "true"]
    for element, value in candidates:
        url = _absolute(value, element.base or entry.base)
        if url:
            return url
    return None


def _json_feed_links(body: bytes, base_url: str) -> Iterator[Link]:
    try:
        feed = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return
    items = feed.get("items") if isinstance(feed, dict) else None
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        url = _absolute(item.get("url"), base_url)
        if url:
            date = item.get("date_published") or item.get("date_modified")
            title = item.get("title")
            yield Link(url, _squeeze(title) if isinstance(title, str) else "",
                       _iso_date(date) if isinstance(date, str) else None, source="feed")


def _plain_text(element) -> str:
    """An element's text, with HTML removed when the feed escaped markup into it (Atom type="html",
    RSS titles with <b>, &lt;em&gt; …)."""
    text = _text(element)
    if LOOKS_LIKE_MARKUP.search(text):
        try:
            text = lxml.html.fragment_fromstring(text, create_parent="div").text_content()
        except etree.ParserError:
            pass
    return _squeeze(text)


def _iso_date(text: str) -> str | None:
    """ISO 8601 as given; an RFC 822 date (RSS pubDate) converted; anything else as written (Chinese
    feeds print `2024年3月5日`, which pipelines.dates reads); None when empty. A zone abbreviation the
    site's servers mean locally (`CST`: China, not US Central) is dropped, leaving a local time."""
    text = _squeeze(text)
    if not text:
        return None
    try:
        datetime.fromisoformat(text)
        return text
    except ValueError:
        pass
    words = text.split()
    if len(words) > 1 and words[-1].upper() in feed_rules()["local_zone_names"]:
        words.pop()
    try:
        return parsedate_to_datetime(" ".join(words)).isoformat()
    except (TypeError, ValueError, IndexError):
        return text


# --- sitemaps ---------------------------------------------------------------------------------------------


def parse_sitemap(body: bytes, base_url: str) -> Sitemap:
    """The pages of a urlset (loc; news:title as text; news:publication_date, else lastmod, as date_text)
    or the child sitemaps of a sitemap index; gzip-compressed (by magic, whatever the URL says) or not;
    or a plain-text sitemap, one URL a line. Reads at most `max_urls_per_sitemap` entries and
    `max_decompressed_bytes` of document: what lies beyond is ignored."""
    max_bytes = limits()["max_decompressed_bytes"]
    document = _bounded_gunzip(body, max_bytes) if body.startswith(GZIP_MAGIC) else body[:max_bytes]
    if _root_name(_head(document)) is None:
        return Sitemap(_plain_text_links(document, base_url), [])
    links, sitemaps = [], []
    for kind, url, text, date_text in _sitemap_entries(document, base_url):
        if kind == "url":
            links.append(Link(url, text, date_text, source="sitemap"))
        else:
            sitemaps.append(url)
    return Sitemap(_unique_links(links), _unique(sitemaps))


def _bounded_gunzip(body: bytes, max_bytes: int) -> bytes:
    """At most `max_bytes` of the decompressed stream (every gzip member); a corrupt or truncated stream
    gives what decompressed before the damage."""
    chunks, size, position = [], 0, 0
    view = memoryview(body)
    while body.startswith(GZIP_MAGIC, position) and size < max_bytes:
        decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        while not decompressor.eof and position < len(body) and size < max_bytes:
            piece = view[position:position + GZIP_PIECE]
            try:
                chunk = decompressor.decompress(piece, max_bytes - size)
            except zlib.error:
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
            position += len(piece) - len(decompressor.unused_data)
        if not decompressor.eof:  # truncated, or the limit was reached inside this member
            break
    return b"".join(chunks)


def _plain_text_links(document: bytes, base_url: str) -> list[Link]:
    try:
        text = decode_bytes(document)
    except DecodeError:
        return []
    urls = (_absolute(line, base_url) for line in text.splitlines())
    found = [Link(url, "", None, source="sitemap") for url in urls if url]
    return _unique_links(found[:limits()["max_urls_per_sitemap"]])


def _sitemap_entries(document: bytes, base_url: str) -> Iterator[tuple[str, str, str, str | None]]:
    """(url | sitemap, absolute loc, title, date_text) per entry, read incrementally: each entry's
    subtree is dropped once read, and reading stops at the URL limit."""
    text = _xml_utf8(document)
    if text is None:
        return
    remaining = limits()["max_urls_per_sitemap"]
    events = etree.iterparse(io.BytesIO(text), events=("end",), **XML_OPTIONS)
    try:
        for _, element in events:
            kind = _local(element)
            if kind not in ("url", "sitemap"):
                continue
            entry = _sitemap_entry(element, base_url)
            element.clear(keep_tail=False)
            while element.getprevious() is not None:  # entries already read leave no trace in the tree
                del element.getparent()[0]
            if entry is None:
                continue
            yield (kind, *entry)
            remaining -= 1
            if remaining <= 0:
                return
    except etree.XMLSyntaxError:  # recover mode gave up: what was read stands
        return


def _sitemap_entry(element, base_url: str) -> tuple[str, str, str | None] | None:
    children = _children_by_name(element)
    url = _absolute(_text(children["loc"][0]), base_url) if "loc" in children else None
    if not url:
        return None
    news = _children_by_name(children["news"][0]) if "news" in children else {}
    title = _squeeze(_text(news["title"][0])) if "title" in news else ""
    dated = news.get("publication_date") or children.get("lastmod") or []
    return url, title, _iso_date(_text(dated[0])) if dated else None


# --- shared -----------------------------------------------------------------------------------------------


def _local(element) -> str | None:
    """The tag's local name (no namespace, no prefix a sloppy feed left undeclared); None for entities."""
    if not isinstance(element.tag, str):
        return None
    return element.tag.rpartition("}")[2].rpartition(":")[2]


def _children_by_name(element) -> dict[str, list]:
    children: dict[str, list] = {}
    for child in element:
        name = _local(child)
        if name:
            children.setdefault(name, []).append(child)
    return children


def _text(element) -> str:
    """All text inside an element; entity references (never expanded) contribute nothing."""
    return element.xpath("string()")


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def _absolute(href, base_url: str | None) -> str | None:
    """`href` as an absolute http(s) URL without fragment, or None. `feed:` URLs (feed://host/…,
    feed:https://host/…) are the feed they wrap."""
    if not isinstance(href, str) or not href.strip():
        return None
    href = href.strip()
    if href.lower().startswith("feed:"):
        href = href[5:] if href[5:].lower().startswith(FOLLOWABLE_SCHEMES) else "http:" + href[5:]
    try:
        url = urljoin(base_url or "", href).partition("#")[0]
    except ValueError:  # an unparsable netloc such as http://[broken/
        return None
    return url if _is_followable(url) else None


def _is_followable(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in FOLLOWABLE_SCHEMES and bool(parts.netloc) and not any(
        char.isspace() for char in url)


def _unique(urls: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(urls))


def _unique_links(links: Iterable[Link]) -> list[Link]:
    """One Link per URL, the first; a later copy only fills in a missing date."""
    seen: dict[str, Link] = {}
    for link in links:
        first = seen.get(link.url)
        if first is None:
            seen[link.url] = link
        elif first.date_text is None and link.date_text:
            seen[link.url] = Link(first.url, first.text or link.text, link.date_text, first.source)
    return list(seen.values())
