"""The other pages of one article split over several: what the pager inside one of its pages links to.

Pure functions over one page's HTML and URL. Page N of an article is the article's own URL with a page
component (the `continuation:` section of config/rules/cms.yaml); a link counts only when its text is a
pager label as well, so related articles, the column's own pagination and neighbouring ids (`/a/124.html`
beside `/a/123.html`) are never taken. The spider requests what `continuation_urls` returns with meta
kind="part", part_of=<the first page's URL>, part_number=N; ingest appends their bodies to page 1's.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple
from urllib.parse import parse_qsl, urljoin, urlsplit

import lxml.html
from lxml import etree

from pipelines.config import rules as load_rules

SCRIPT_ANCHOR = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*\\?["']([^"'\\]+)\\?["'][^>]*>(.*?)</a\s*>""",
                           re.IGNORECASE | re.DOTALL)
TAG = re.compile(r"<[^>]*>")
SPACE = re.compile(r"[\s\u3000\xa0]+")
SUFFIX, PARAMETER = "suffix", "parameter"


@dataclass(frozen=True, slots=True)
class ContinuationRules:
    labels: tuple[re.Pattern, ...]
    step_labels: frozenset[str]
    separators: tuple[str, ...]
    page_params: re.Pattern
    max_page: int
    page_scripts: tuple[re.Pattern, ...]

    @classmethod
    def from_rules(cls, section: dict) -> ContinuationRules:
        return cls(
            labels=tuple(re.compile(pattern) for pattern in section["labels"]),
            step_labels=frozenset(label.lower() for label in section["step_labels"]),
            separators=tuple(section["suffix_separators"]),
            page_params=re.compile(section["page_params"]),
            max_page=section["max_page"],
            page_scripts=tuple(re.compile(pattern) for pattern in section["page_scripts"]),
        )


@cache
def continuation_rules() -> ContinuationRules:
    return ContinuationRules.from_rules(load_rules("cms")["continuation"])


class PagerLink(NamedTuple):
    label: int | None  # the page number its text shows; None for a step word (下一页)
    number: int  # the number in its URL
    form: str  # SUFFIX or PARAMETER
    url: str


def continuation_urls(html: str, url: str, *, first_page: str | None = None,
                      rules: ContinuationRules | None = None) -> list[tuple[int, str]]:
    """The article's pages 2, 3 … that this page links to, as (page number, absolute URL), in page order.

    `url` is this page's URL; `first_page` the article's first page when this page is itself a later one
    (a long article's pager shows only the pages around the current one)."""
    rules = rules or continuation_rules()
    article = first_page or url
    found: list[PagerLink] = []
    exact: dict[int, str] = {}
    for href, text in _anchors(html):
        label = _page_label(text, rules)
        target = _absolute(url, href)
        if target is None or label is None and text.lower() not in rules.step_labels:
            continue
        match = page_component(article, target, rules)
        if match:
            found.append(PagerLink(label, *match, target))
    for total, prefix, extension in _script_pagers(html, rules):
        for number in range(1, min(total, rules.max_page)):
            target = _absolute(url, f"{prefix}_{number}.{extension}")
            if target and page_component(article, target, rules) == (number, SUFFIX):
                exact.setdefault(number + 1, target)  # the script counts from 0: `_1` is the second page
    offset = _numbering_offset(found)
    pages = dict(exact)
    for link in found:
        page = link.label if link.label is not None else link.number + offset
        if 2 <= page <= rules.max_page and link.url not in pages.values():
            pages.setdefault(page, link.url)
    return sorted(pages.items())


def page_component(article: str, target: str, rules: ContinuationRules | None = None) -> tuple[int, str] | None:
    """(N, form) when `target` is `article` with a page component N: the same path stem plus a separator
    and N, or the same path and query with one small-integer parameter added, or changed when it is a page
    parameter; None for any other URL, the article itself included."""
    rules = rules or continuation_rules()
    first, other = urlsplit(article), urlsplit(target)
    if (first.scheme, first.netloc.lower()) != (other.scheme, other.netloc.lower()) or target == article:
        return None
    if first.path != other.path:
        number = _suffix_number(first.path, other.path, rules) if first.query == other.query else None
        return (number, SUFFIX) if number else None
    number = _parameter_number(first.query, other.query, rules)
    return (number, PARAMETER) if number else None


def _suffix_number(path: str, other: str, rules: ContinuationRules) -> int | None:
    folder, _, name = path.rpartition("/")
    other_folder, _, other_name = other.rpartition("/")
    if folder != other_folder:
        return None
    stem, dot, extension = name.rpartition(".") if "." in name else (name, "", "")
    stems = {stem}
    for separator in rules.separators:
        if stem.endswith(f"{separator}1"):  # a site that names page 1 `88_1.html` too
            stems.add(stem[:-2])
    pattern = "|".join(re.escape(s) for s in sorted(stems))
    separators = "|".join(map(re.escape, rules.separators))
    found = re.fullmatch(f"(?:{pattern})(?:{separators})(\\d{{1,4}}){re.escape(dot + extension)}", other_name)
    return _small(found.group(1), rules) if found else None


def _parameter_number(query: str, other: str, rules: ContinuationRules) -> int | None:
    first, second = dict(parse_qsl(query, keep_blank_values=True)), dict(parse_qsl(other, keep_blank_values=True))
    changed = [name for name in second if first.get(name) != second[name]]
    if len(changed) != 1 or set(first) - set(second):
        return None
    name = changed[0]
    if name in first and not (rules.page_params.match(name) or first[name] in ("0", "1")):
        return None  # `id=88` -> `id=89` is the next article, not page 89 of this one
    return _small(second[name], rules)


def _small(digits: str, rules: ContinuationRules) -> int | None:
    number = int(digits) if digits.isdigit() else 0
    return number if 1 <= number <= rules.max_page else None


def _numbering_offset(links: list[PagerLink]) -> int:
    """How the URLs count pages: as their digit labels say, else from 0 when a suffix `_1` is linked (the
    second page of a CMS that names its pages 0, 1, 2 …)."""
    offsets = Counter(link.label - link.number for link in links if link.label is not None)
    if offsets:
        return offsets.most_common(1)[0][0]
    suffixes = [link.number for link in links if link.form == SUFFIX]
    return 1 if suffixes and min(suffixes) == 1 else 0


def _page_label(text: str, rules: ContinuationRules) -> int | None:
    """The page number a pager link shows (`3`, `[3]`, `第3页`)."""
    for pattern in rules.labels:
        found = pattern.match(text)
        if found:
            return int(found.group("page"))
    return None


def _anchors(html: str) -> Iterator[tuple[str, str]]:
    """(href, shown text) of every link, those a script writes into the page (`document.write`) included."""
    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return
    for anchor in tree.iter("a"):
        href = anchor.get("href")
        if href:
            yield href.strip(), _shown(anchor.text_content() or anchor.get("title") or "")
    for script in tree.iter("script"):
        for href, inner in SCRIPT_ANCHOR.findall(script.text or ""):
            yield href.strip(), _shown(TAG.sub("", inner))


def _script_pagers(html: str, rules: ContinuationRules) -> Iterator[tuple[int, str, str]]:
    for pattern in rules.page_scripts:
        for found in pattern.finditer(html):
            yield int(found.group("total")), found.group("prefix"), found.group("ext")


def _shown(text: str) -> str:
    return SPACE.sub(" ", text).strip()


def _absolute(base: str, href: str) -> str | None:
    if href.lower().startswith(("javascript:", "mailto:", "#")):
        return None
    try:
        return urljoin(base, href).split("#", 1)[0]
    except ValueError:  # `http://[broken`: not a link anyone can follow
        return None
