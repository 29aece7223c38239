"""One page (HTML bytes or a plain-text dump) in, one clean `Article` out.

decode (pipelines.decode) -> one lxml parse -> trafilatura on that tree -> Chinese chrome cleaner
(pipelines.chrome) -> header/footer metadata (pipelines.headers) over both trafilatura's text and a text dump
of the whole page -> publication date (pipelines.dates) -> keywords (pipelines.keywords).
Every rule reads the page's text folded (pipelines.chrome.fold: `，` as `,`); the fields are stored as the page
printed them (`as_published`).
"""

from __future__ import annotations

import hashlib
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from functools import cache
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import trafilatura
from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring
from trafilatura.utils import load_html

from pipelines import chrome, headers, people
from pipelines import page as page_model
from pipelines.config import config_dir, rules
from pipelines.dates import publication_date
from pipelines.decode import Decoded, DecodeError, decode
from pipelines.keywords import keywords
from pipelines.records import Article, FetchedPage, Image, PageKind
from pipelines.site_rules import SiteRules, platform_rules, platforms


def extractor_version() -> str:
    """The package version and a hash of the rule files extraction reads: a row whose extractor_version differs
    was extracted by other rules (`dangjian reprocess --outdated`). dedup.yaml is left out: it changes no
    extracted field, and the near-duplicate index records its own parameters (`dangjian reindex`)."""
    digest = hashlib.sha256()
    for path in sorted((config_dir() / "rules").glob("*.yaml")):
        if path.name != "dedup.yaml":
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    try:
        release = package_version("dangjian")
    except PackageNotFoundError:
        release = "0"
    return f"{release}+{digest.hexdigest()[:12]}"


EXTRACTOR_VERSION = extractor_version()

HTML_TAG = re.compile(
    r"<\s*(!doctype|html|head|body|meta|title|div|p|table|span|a|script|br)\b", re.IGNORECASE
)
DOCUMENT_END = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)
TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
TABLE_RULE = re.compile(r"[\s|:-]*")
PARAGRAPH_BREAK = "\n\n"  # between the body's lines
FALLBACK_PARSER = HTMLParser(encoding="utf-8", remove_comments=True)
# favor_precision scores better than the default on the dev corpus (teaser lists after the article); recall
# mode, without the fallback comparisons, only when precision mode finds no prose. Images come from the tree
# (include_images lowers body F1 here).
PRECISION = {"favor_precision": True, "include_tables": True, "include_comments": False}
RECALL = {"favor_recall": True, "fast": True, "include_tables": True, "include_comments": False}


class ExtractionError(Exception):
    """The input is not a readable page (empty, binary junk, undecodable bytes) or took over its time budget."""


DEADLINE: ContextVar[float | None] = ContextVar("extraction_deadline", default=None)


def limits() -> dict:
    return rules("extract")


def warm_up() -> None:
    """Load what extraction loads lazily (jieba's dictionary, the rule files) before forking worker processes,
    so that every worker inherits it instead of loading it again."""
    keywords("预热")
    people.segmenter()
    people.people_rules()
    headers.header_rules()
    chrome.chrome_rules()
    chrome.fold_table()
    page_model.vocabulary()
    page_model.recommendation_marker()
    platforms()


def extract_file(
    path: str | Path, *, timezone: str = "Asia/Shanghai", site_rules: SiteRules | None = None
) -> Article:
    """An HTML file (bytes in any Chinese encoding) or a plain-text dump, told apart by their content."""
    with open(path, "rb") as handle:
        raw = handle.read(limits()["max_input_bytes"])
    return extract_page(FetchedPage(url=None, body=raw), timezone=timezone, site_rules=site_rules)


def extract_page(
    page: FetchedPage,
    *,
    timezone: str = "Asia/Shanghai",
    encoding: str | None = None,
    site_rules: SiteRules | None = None,
) -> Article:
    """The page's article; ExtractionError for unreadable input or past `time_budget_seconds`. `site_rules`:
    the site's own selectors (its config's `extract:` block), which win where they match; without them, those
    of a publishing platform whose template the page shows (config/rules/platforms.yaml)."""
    with time_budget(limits()["time_budget_seconds"]):
        return extract_decoded(page, timezone=timezone, encoding=encoding, site_rules=site_rules)


def extract_decoded(
    page: FetchedPage, *, timezone: str, encoding: str | None, site_rules: SiteRules | None = None
) -> Article:
    decoded = decode_page(page, encoding)
    text = decoded.text
    check_budget("decode")
    if looks_like_html(text):
        article = article_from_html(
            text, url=page.url, list_date=page.list_date, listed_at=page.listed_at, fetched_at=page.fetched_at,
            timezone=timezone, site_rules=site_rules,
        )
    else:
        article = extract_text(text, url=page.url, timezone=timezone)
    article.site, article.fetched_at, article.archive_ref = page.site, page.fetched_at, page.archive_ref
    article.encoding, article.encoding_source = decoded.encoding, decoded.source
    article.encoding_errors = decoded.replacements
    if page.original_url and page.original_url != page.url:
        article.aliases = [page.original_url]
    return article


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Give up on one page after `seconds`: SIGALRM interrupts any stage when this is the main thread (a worker
    process, the CLI); in other threads (Prefect tasks) no signal can reach, so `check_budget` between the
    stages does it there, after the stage that overran. An enclosing budget is left to rule."""
    if DEADLINE.get() is not None:
        yield
        return
    token = DEADLINE.set(time.monotonic() + seconds)
    try:
        with alarm(seconds):
            yield
    finally:
        DEADLINE.reset(token)


def check_budget(stage: str) -> None:
    deadline = DEADLINE.get()
    if deadline is not None and time.monotonic() > deadline:
        raise over_budget(stage)


def over_budget(stage: str) -> ExtractionError:
    return ExtractionError(f"time budget exceeded ({limits()['time_budget_seconds']:g} s, at {stage})")


@contextmanager
def alarm(seconds: float) -> Iterator[None]:
    """SIGALRM after `seconds`, in the main thread only, and only if no other real-time timer is running."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable or signal.getitimer(signal.ITIMER_REAL)[0]:
        yield
        return

    def on_alarm(signum, frame):
        raise over_budget(frame.f_code.co_name if frame else "?")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)


def extract_text(text: str, *, url: str | None = None, timezone: str = "Asia/Shanghai") -> Article:
    """A plain-text dump of a page (like the user's sample files): same cleaner, same header parser."""
    published = chrome.Published()
    header, body = headers.split_article(published.lines(text))
    check_budget("headers")
    kind = "other" if is_error_page([header.title], body) else "article"
    article = build_article(header, body if kind == "article" else [], url=url)
    article.page_kind = kind
    article.apply_date(publication_date(header_lines=header.date_lines, url=url, timezone=timezone))
    return finish(article, published)


def decode_page(page: FetchedPage, encoding: str | None) -> Decoded:
    raw = page.body[: limits()["max_input_bytes"]]
    if not raw.strip():
        raise ExtractionError("empty input")
    try:
        decoded = decode(raw, declared=encoding, content_type=page.content_type)
    except DecodeError as exc:
        raise ExtractionError(str(exc)) from exc
    if not decoded.text.strip():
        raise ExtractionError("empty input")
    return decoded


def looks_like_html(text: str) -> bool:
    return len(HTML_TAG.findall(text[:5000])) >= limits()["min_html_tags"]


def article_from_html(
    html: str,
    *,
    url: str | None,
    list_date: str | None = None,
    listed_at=None,
    fetched_at=None,
    timezone: str = "Asia/Shanghai",
    site_rules: SiteRules | None = None,
) -> Article:
    tree = parse_html(html)
    check_budget("parse")
    site_rules = site_rules or platform_rules(tree)
    page = page_model.read(tree)
    published, page_lines, title = page.published, page.lines, page.headline
    page_header, _ = headers.split_article(page_lines, title_hint=title)
    check_budget("page text")
    main_header, body = main_text(tree, url, title, page_lines, published)
    body = without_recommendations(body, set(chrome.normalize_lines(page.boxed_blocks)))
    body = without_link_runs(body, lambda: link_texts(tree))
    header = merge_headers(page_header, main_header)
    if header.summary:  # found above the text trafilatura chose, printed again as its lead
        body = [line for line in body if line != header.summary]
    header.title = header.title or title
    if not header.authors:
        meta_author(tree, header, published)
    site_date = None
    if site_rules:
        body, site_date = with_site_rules(site_rules, tree, header, body, published)
    header.site_name = header.site_name or site_name(tree, header.title, published)
    kind = html_page_kind(tree, header, body, published)
    if kind == "article":
        article = build_article(header, body, url=url, images=article_images(article_container(tree), url))
        article.attachments = attachment_links(tree, url)
        article.print_urls = print_view_links(tree, url)
    else:
        article = build_article(header, [], url=url)
        article.page_kind = kind
    article.canonical_url = canonical_url(tree, url, published)
    article.apply_date(
        publication_date(
            page=page,
            header_lines=header.date_lines,
            url=url,
            list_date=list_date,
            listed_at=listed_at,
            fetched_at=fetched_at,
            timezone=timezone,
        )
    )
    if site_date:
        dated = publication_date(header_lines=[site_date], url=url, timezone=timezone)
        if dated.value is not None:
            article.apply_date(replace(dated, source="site:date"))
    return finish(article, published)


def meta_author(tree: HtmlElement, header: headers.Header, published: chrome.Published) -> None:
    """`<meta name="author">` on a page that shows no author: a byline only the head carries, kept when the name
    model reads it as a person's (`网易`, `admin` are not) and the page does not show that person as its editor
    (news CMSs put the editor who posted the story there: `责任编辑：肖春芳` and `<meta name="author" content="肖春芳">`)."""
    named = page_model.meta_content(tree, published, "author")
    if named and named not in (*header.editors, *header.photographers):
        header.add("authors", named, "position")


def selected_texts(site_rules: SiteRules, tree: HtmlElement, name: str) -> list[str]:
    """The text of what the site's `name` selector picks, each element as a reader sees it."""
    texts = [node if isinstance(node, str) else page_model.read(node).blocks for node in site_rules.matches(tree, name)]
    return [text for text in texts if text.strip()]


def with_site_rules(
    site_rules: SiteRules, tree: HtmlElement, header: headers.Header, body: list[str], published: chrome.Published
) -> tuple[list[str], str | None]:
    """The body and the date text after the site's own rules: a selector that matches text replaces what the
    global rules found (the body still goes through the chrome cleaner and header parser, the author through
    the people checks as a labelled value); one that matches nothing changes nothing. `drop_lines` then leave
    the body."""
    titles = selected_texts(site_rules, tree, "title")
    if titles:
        header.title = published.line(titles[0])
    authors = selected_texts(site_rules, tree, "author")
    if authors:
        own = headers.Header()
        for text in authors:
            own.add("authors", published.line(text))
        header.authors = own.authors or header.authors
    bodies = selected_texts(site_rules, tree, "body")
    if bodies:
        own, body = headers.split_article(published.lines("\n".join(bodies)), title_hint=header.title)
        merge_headers(header, own)
    dates = selected_texts(site_rules, tree, "date")
    return [line for line in body if site_rules.keep(line)], published.line(dates[0]) if dates else None


def parse_html(html: str) -> HtmlElement:
    """One lxml tree for everything; trafilatura's loader first, lxml itself for pages it finds dubious.

    Pages stitched from server-side includes often close the document in the header template; libxml2 drops
    everything after that early `</body></html>`, the article included. The parser closes them at the end."""
    html = DOCUMENT_END.sub("", html)
    tree = load_html(html)
    if tree is None:
        try:
            tree = document_fromstring(html.encode("utf-8"), parser=FALLBACK_PARSER)
        except (etree.ParserError, ValueError) as exc:
            raise ExtractionError(f"not parseable as HTML: {exc}") from exc
    return tree


def site_name(tree: HtmlElement, title: str | None, published: chrome.Published) -> str | None:
    """og:site_name, else what follows the headline in <title> (`标题-克拉玛依党建网`)."""
    named = page_model.meta_content(tree, published, "og:site_name", "application-name")
    if named:
        return named
    full = page_model.title_tag(tree, published)
    suffix = chrome.title_suffix(full, title) if title else None
    if not suffix:
        return None
    parts = [part for part in chrome.chrome_rules().title_suffix_separators.split(suffix) if part.strip()]
    return parts[-1].strip() if parts else None


def canonical_url(tree: HtmlElement, url: str | None, published: chrome.Published) -> str | None:
    """The page's declared canonical URL (rel=canonical, else og:url) when it names a page on the fetched
    URL's own host: a canonical on another host (a syndicated copy naming its origin, a template copied
    between sites) or the bare site root would file the page under an article it is not."""
    declared = tree.xpath('//link[@rel="canonical"]/@href') or [page_model.meta_content(tree, published, "og:url") or ""]
    try:
        canonical = urljoin(url or "", declared[0].strip())
        target = urlsplit(canonical)
        same_site = url is None or target.netloc.lower() == urlsplit(url).netloc.lower()
    except ValueError:
        return None
    return canonical if declared[0].strip() and same_site and target.path.strip("/") else None


def without_recommendations(body: list[str], recommended: set[str]) -> list[str]:
    """The body minus teaser lines, unless its first line is one of them (then the box wraps the article)."""
    if not body or body[0] in recommended:
        return body
    return [line for line in body if line not in recommended]


def link_texts(tree: HtmlElement) -> set[str]:
    return {chrome.normalize_line(a.text_content()) for a in tree.iter("a")} - {""}


def without_link_runs(body: list[str], page_links: Callable[[], set[str]]) -> list[str]:
    """The body without a menu (`文学城首页 / 新闻直通车 / …`) or a list of headlines that trafilatura kept
    before or after the text: a run at the start or at the end holding `link_run_min_lines` or more link lines
    (a link's whole text, or links side by side: `[查看目录] [加入书签]`). Inside the run, and between it and
    the body's edge, it may hold what lists carry besides links: bullets and rules (`·`, `|`: no letter at
    all) and up to `link_run_max_gap` short lines of no prose in a row (a heading `博客书架`, a heading set
    one character a line `推 / 荐`); a list at the end takes such a heading just above it too. Links are the
    positive evidence: poems and table cells are short lines too, but not links. The page's links are only
    gathered when the body starts or ends with lines of headline size."""
    least, longest = limits()["link_run_min_lines"], limits()["list_link_length"][1]
    if not any(len(edge) == least and all(len(line) <= longest for line in edge)
               for edge in (body[:least], body[-least:])):
        return body
    kinds = LineKinds(page_links(), limits()["link_run_heading_max_chars"])
    start = kinds.run_length(body, least)
    end = len(body) - kinds.run_length(body[::-1], least, with_heading=True)
    if end <= start:
        return body
    kept = body[start:end]
    return kept if prose_length(kept) else body


class LineKinds:
    """What a body line is to a link run: a link line (a link's text, behind a bullet too), a filler (no letter
    or digit), a short line of no prose (a heading), or text that ends the run."""

    LINK, FILLER, SHORT, TEXT = range(4)
    SEPARATORS = re.compile(r"[\s|｜/·•\[\]【】]+")

    def __init__(self, links: set[str], heading_max_chars: int):
        self.links = links
        self.heading_max_chars = heading_max_chars

    def kind(self, line: str) -> int:
        if not any(character.isalnum() for character in line):
            return self.FILLER
        if line in self.links or self.SEPARATORS.sub(" ", line).strip() in self.links:  # `· 某某会议召开`
            return self.LINK
        parts = [part for part in self.SEPARATORS.split(line) if part]
        if len(parts) > 1 and all(part in self.links for part in parts):
            return self.LINK
        if len(line) <= self.heading_max_chars and not headers.is_paragraph(line):
            return self.SHORT
        return self.TEXT

    def run_length(self, lines: list[str], least: int, *, with_heading: bool = False) -> int:
        """How many lines from the start of `lines` are a link run (0 when there is none)."""
        max_gap = limits()["link_run_max_gap"]
        links = gap = others = 0
        length = 0  # up to the last link line seen
        for index, line in enumerate(lines):
            kind = self.kind(line)
            if kind == self.TEXT:
                break
            if kind == self.SHORT:
                gap += 1
                if gap > max_gap:
                    break
            elif kind == self.LINK:
                links += 1
                others += gap  # short lines count against the run once a link follows them
                length = index + 1
                gap = 0
        if links < least or others > links:
            return 0
        if with_heading:  # the list's heading, just inside it
            for line in lines[length : length + max_gap]:
                if self.kind(line) not in (self.SHORT, self.FILLER):
                    break
                length += 1
        return length


def main_text(
    tree: HtmlElement, url: str | None, title: str | None, page_lines: list[str], published: chrome.Published
) -> tuple[headers.Header, list[str]]:
    """Header and body lines of trafilatura's text. When precision mode found little prose (`min_prose_chars`)
    on a page that shows at least that much: its recall mode, and if that misses the prose too (it took a
    profile box or a menu for the article), the page's own lines from its first paragraph to its last, unless
    the page is an index of headlines (the prose there is teasers). On pages without that much prose the
    second passes would be wasted."""
    blocks = PageBlocks(page_lines)
    least = limits()["min_prose_chars"]

    def split(options: dict) -> tuple[headers.Header, list[str]]:
        lines = blocks.resplit(published.lines(trafilatura_text(tree, url, options)))
        return headers.split_article(lines, title_hint=title)

    found = split(PRECISION)
    check_budget("trafilatura")
    if prose_length(found[1]) >= least or prose_length(page_lines) < least:
        return found
    recalled = split(RECALL)
    check_budget("trafilatura recall")
    best = max(found, recalled, key=lambda candidate: prose_length(candidate[1]))
    if prose_length(best[1]) < least and headline_links(tree) < limits()["list_min_links"]:
        shown = headers.split_article(prose_span(page_lines), title_hint=title)
        if prose_length(shown[1]) > prose_length(best[1]):
            return shown
    return best


def prose_span(lines: list[str]) -> list[str]:
    """The lines from the first paragraph of prose to the last, headings and short lines between included."""
    paragraphs = [index for index, line in enumerate(lines) if headers.is_paragraph(line)]
    return lines[paragraphs[0] : paragraphs[-1] + 1] if paragraphs else []


class PageBlocks:
    """The page's own text blocks, to cut trafilatura lines that run several of them together.

    trafilatura writes a table cell as one line whatever it holds; in a layout table one cell holds the whole
    article, so paragraphs, bylines and CMS residue (`-->`, `enpproperty` dumps) arrive as a single line that
    the line-based cleaner can only keep or drop whole.
    """

    def __init__(self, page_lines: list[str]):
        self.lines = page_lines
        self.keys = [page_model.nospace(line) for line in page_lines]
        self.known = set(self.keys)

    def resplit(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        for line in lines:
            key = page_model.nospace(line)
            out.extend([line] if key in self.known else self.run_of(key) or [line])
        return out

    def run_of(self, key: str) -> list[str] | None:
        """The page blocks that, in page order, make up exactly this text (blocks it left out skipped)."""
        for start, first in enumerate(self.keys):
            if key.startswith(first):
                run = self.run_from(key, start)
                if run:
                    return run
        return None

    def run_from(self, key: str, start: int) -> list[str] | None:
        max_skipped = limits()["resplit_max_skipped_blocks"]
        position, run, skipped = len(self.keys[start]), [start], 0
        index = start + 1
        while position < len(key) and index < len(self.keys) and skipped <= max_skipped:
            if key.startswith(self.keys[index], position):
                position += len(self.keys[index])
                run.append(index)
                skipped = 0
            else:
                skipped += 1
            index += 1
        if position < len(key) or len(run) < 2:
            return None
        return with_label_values([self.lines[index] for index in run])


def with_label_values(lines: list[str]) -> list[str]:
    """A block that ends in a colon (`来源:`) joined to the block after it, its value."""
    out: list[str] = []
    for line in lines:
        if out and out[-1].endswith(":"):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def prose_length(body: list[str]) -> int:
    return sum(len(line) for line in body if headers.is_paragraph(line))


def trafilatura_text(tree: HtmlElement, url: str | None, options: dict = PRECISION) -> str:
    """trafilatura's main text, table rows split into their cells (layout tables hold whole articles)."""
    document = trafilatura.bare_extraction(tree, url=url, **options)
    if document is None or not document.text:
        return ""
    lines: list[str] = []
    for line in document.text.replace("\\|", "|").splitlines():
        if TABLE_ROW.match(line):
            lines.extend(
                cell for cell in line.strip().strip("|").split(" | ") if not TABLE_RULE.fullmatch(cell)
            )
        else:
            lines.append(line)
    return "\n".join(lines)


def article_container(tree: HtmlElement) -> HtmlElement | None:
    """The element whose <p> children hold the most text: where the article's own images are."""
    weight: dict[HtmlElement, int] = {}
    for paragraph in tree.iter("p"):
        parent = paragraph.getparent()
        if parent is not None:
            weight[parent] = weight.get(parent, 0) + len(paragraph.text_content())
    return max(weight, key=weight.__getitem__) if weight else None


def article_images(container: HtmlElement | None, url: str | None) -> list[Image]:
    """Images inside the article container, captioned by alt/title or a <figcaption>."""
    if container is None:
        return []
    images: list[Image] = []
    for img in container.iter("img"):
        src = img.get("src") or img.get("data-src") or img.get("data-original")
        if not src or src.startswith("data:"):
            continue
        figure = next((a for a in img.iterancestors("figure")), None)
        captions = figure.xpath(".//figcaption") if figure is not None else []
        caption = chrome.clean_space(
            captions[0].text_content() if captions else img.get("alt") or img.get("title") or ""
        )
        images.append(Image(urljoin(url or "", src.strip()), caption or None))
    return images


def attachment_links(tree: HtmlElement, url: str | None) -> list[str]:
    """Links to documents (`attachment_extensions` in extract.yaml): the files the article offers."""
    suffixes = tuple(f".{extension}" for extension in limits()["attachment_extensions"])
    found: list[str] = []
    for href in tree.xpath("//body//a/@href"):
        named = href.strip().split("#", 1)[0].split("?", 1)[0]
        if named and not named.lower().endswith(suffixes):
            continue  # the link's own path names no document (most links): no need to resolve it
        try:
            target = urljoin(url or "", href.strip())
            is_document = urlsplit(target).path.lower().endswith(suffixes)
        except ValueError:  # `http://[broken`: not a link anyone can follow
            continue
        if is_document and target not in found:
            found.append(target)
    return found


@cache
def print_view_rules() -> tuple[list[re.Pattern], int]:
    section = rules("cms")["print_views"]
    return [re.compile(pattern) for pattern in section["url_patterns"]], section["min_id_digits"]


def print_view_links(tree: HtmlElement, url: str | None) -> list[str]:
    """Links to print views of this article (`print_views` in cms.yaml): a print-style URL on the same host
    that carries the article's identity, a number of its file name or query."""
    if not url:
        return []
    patterns, min_digits = print_view_rules()
    own = urlsplit(url)
    stem = own.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    identities = [run for run in re.findall(r"\d+", f"{stem}?{own.query}") if len(run) >= min_digits]
    found: list[str] = []
    for href in tree.xpath("//body//a/@href"):
        try:
            target = urljoin(url, href.strip()).split("#", 1)[0]
            parts = urlsplit(target)
        except ValueError:
            continue
        shown = f"{parts.path}?{parts.query}"
        if (parts.netloc.lower() == own.netloc.lower() and target != url and target not in found
                and any(p.search(shown) for p in patterns)
                and any(re.search(rf"(?<!\d){re.escape(i)}(?!\d)", shown) for i in identities)):
            found.append(target)
    return found


def merge_headers(primary: headers.Header, secondary: headers.Header) -> headers.Header:
    """The page dump sees the title zone; trafilatura's text sees the article's own byline rows."""
    for name in ("title", "subtitle", "source", "site_name", "category", "summary"):
        if not getattr(primary, name):
            setattr(primary, name, getattr(secondary, name))
    for name in ("authors", "editors", "photographers", "date_lines"):
        merged = getattr(primary, name)
        merged.extend(value for value in getattr(secondary, name) if value not in merged)
    return primary


def html_page_kind(
    tree: HtmlElement, header: headers.Header, body: list[str], published: chrome.Published
) -> PageKind:
    if is_error_page([*page_model.title_parts(page_model.title_tag(tree, published)), header.title], body):
        return "other"
    return "list" if is_list_page(tree, body) else "article"


@cache
def error_message() -> re.Pattern:
    raw = limits()["error_page"]
    return re.compile(f"{raw['apology']}(?:{'|'.join(raw['messages'])}){raw['tail']}", re.IGNORECASE)


def is_error_page(titles: list[str | None], body: list[str]) -> bool:
    """A short page whose title, headline or a body line is an error message (`系统繁忙`, `404 Not Found`)."""
    if sum(map(len, body)) > limits()["error_page"]["max_body_chars"]:
        return False
    pattern = error_message()
    return any(line and pattern.fullmatch(line) for line in [*titles, *body])


def headline_links(tree: HtmlElement) -> int:
    low, high = limits()["list_link_length"]
    return sum(1 for a in tree.iter("a") if low <= len(a.text_content().strip()) <= high)


def is_list_page(tree: HtmlElement, body: list[str]) -> bool:
    """An index of articles: no paragraph of prose, many headline-sized links and less text than links."""
    if prose_length(body):
        return False
    headlines = headline_links(tree)
    return headlines >= limits()["list_min_links"] and sum(map(len, body)) < headlines


def build_article(
    header: headers.Header, body: list[str], *, url: str | None, images: list[Image] | None = None
) -> Article:
    return Article(
        url=url,
        title=header.title,
        subtitle=header.subtitle,
        authors=header.authors,
        source=header.source,
        site_name=header.site_name,
        category=header.category,
        editors=header.editors,
        photographers=header.photographers,
        summary=header.summary,
        body=PARAGRAPH_BREAK.join(body),
        images=images or [],
        extractor_version=EXTRACTOR_VERSION,
    )


def finish(article: Article, published: chrome.Published) -> Article:
    """Keywords (search tokens: read from the folded body), then every text field as the page printed it."""
    check_budget("dates")
    if not article.body and article.page_kind == "article":
        article.page_kind = "other"
    article.keywords = keywords(article.body)
    return as_published(article, published)


TEXT_FIELDS = ("title", "subtitle", "source", "site_name", "category", "summary")
PEOPLE_FIELDS = ("authors", "editors", "photographers")


def as_published(article: Article, published: chrome.Published) -> Article:
    """The article's text in the page's own characters (`，：（）` stay full-width): every rule above read the
    folded forms, the stored row gets what was printed."""
    for name in TEXT_FIELDS:
        setattr(article, name, published.shown(getattr(article, name)))
    for name in PEOPLE_FIELDS:
        setattr(article, name, [published.shown(person) for person in getattr(article, name)])
    article.body = PARAGRAPH_BREAK.join(map(published.shown, article.body.split(PARAGRAPH_BREAK)))
    return article
