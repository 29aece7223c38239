"""Which links on a list page are articles, learned from the page itself.

A list page shows its articles as a repeating block: many sibling items of the same shape, each holding one
headline link, and the headline links share one URL template (the same path and query keys, only the id or
date parts varying). Navigation, tag, author and column links come in blocks too, but their URLs vary in a
directory rather than in the leaf, their anchor texts are short, and they share the list page's own template.
So: group the page's links into repeating blocks, abstract each link's URL into a template, and accept a block's
dominant template when the evidence says "headlines" (dated items, headline-length texts, a template already
known to be an article's). The accepted templates are remembered per site, so the next page and the next night
start from them. Pure functions; the thresholds are data in `config/rules/cms.yaml` (`article_blocks`).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

NUMBER = re.compile(r"\d+")
# A leaf that is a word slug (`some-title-words`, `a_long_slug`): varies per article like an id does.
SLUG = re.compile(r"^(?=[^.]*[A-Za-z])[\w%]+(?:[-_][\w%]+){2,}$")
HEX_ID = re.compile(r"^(?=.*\d)(?=.*[a-f])[0-9a-f]{12,}$|^[0-9a-f]{8}-[0-9a-f]{4}-")
ID_PLACEHOLDERS = ("{n}", "{slug}", "{v}")


@dataclass(frozen=True, slots=True)
class BlockRules:
    min_items: int  # links sharing a template in one block before it counts as a list
    min_share: float  # the dominant template's share of the block's links
    headline_chars: int  # median anchor text length (characters) that reads as headlines
    dated_share: float  # share of dated items that makes a block a list of articles by itself

    @classmethod
    def from_rules(cls, rules: dict) -> BlockRules:
        return cls(rules["min_items"], rules["min_share"], rules["headline_chars"], rules["dated_share"])


@dataclass(frozen=True, slots=True)
class Candidate:
    """One link of the page as the block finder sees it."""

    url: str
    text: str
    dated: bool
    block: object  # identity of the repeating block the link sits in (None: a link on its own)
    prior: bool  # its URL has a known article shape (cms.yaml or the site's config)


def url_template(url: str) -> str:
    """The URL's shape: path segments with numbers, slugs and hex ids abstracted, query keys with values
    abstracted. `/news/2021/0604/art_123.html?id=5&from=x` -> `/news/{n}/{n}/art_{n}.html?from={v}&id={n}`."""
    parts = urlsplit(url)
    segments = [_segment_shape(segment) for segment in (parts.path or "/").split("/")]
    template = "/".join(segments)
    if parts.query:
        pairs = sorted({(key, "{n}" if value.isdigit() else "{v}") for key, value in
                        parse_qsl(parts.query, keep_blank_values=True)})
        template += "?" + "&".join(f"{key}={value}" for key, value in pairs)
    return template


def _segment_shape(segment: str) -> str:
    stem, dot, extension = segment.partition(".") if not segment.startswith(".") else (segment, "", "")
    if HEX_ID.match(stem.lower()):
        return "{hex}" + dot + extension
    if SLUG.match(stem):
        return "{slug}" + dot + extension
    return NUMBER.sub("{n}", stem) + dot + extension


def varies_in_leaf(template: str) -> bool:
    """Detail pages differ in their last segment or in a query value; columns differ in a directory
    (`/col/col{n}/index.html`) or not at all."""
    path, _, query = template.partition("?")
    leaf = path.rsplit("/", 1)[-1]
    return any(mark in leaf for mark in (*ID_PLACEHOLDERS, "{hex}")) or "{n}" in query


def article_templates(candidates: Iterable[Candidate], page_url: str, rules: BlockRules,
                      known: set[str] = frozenset()) -> Counter[str]:
    """Templates this page shows to be articles' -> how many of its links have each.

    A block's dominant template is accepted when its URLs vary in the leaf, it is not the list page's own
    shape, and the block reads as headlines: dated, headline-length texts, a known article template, or
    links of a known article shape."""
    own = url_template(page_url).partition("?")[0]
    blocks: dict[object, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        if candidate.block is not None:
            blocks[candidate.block].append(candidate)
    accepted: Counter[str] = Counter()
    for members in blocks.values():
        by_template: dict[str, dict[str, Candidate]] = defaultdict(dict)
        for candidate in members:
            by_template[url_template(candidate.url)].setdefault(candidate.url, candidate)
        template, links = max(by_template.items(), key=lambda item: len(item[1]))
        distinct = sum(len(urls) for urls in by_template.values())
        if len(links) < rules.min_items or len(links) < rules.min_share * distinct:
            continue
        if not varies_in_leaf(template) or template.partition("?")[0] == own:
            continue
        if _reads_as_headlines(list(links.values()), template, rules, known):
            accepted[template] += len(links)
    return accepted


def _reads_as_headlines(links: list[Candidate], template: str, rules: BlockRules, known: set[str]) -> bool:
    if template in known:
        return True
    if sum(link.prior for link in links) * 2 > len(links):
        return True
    if sum(link.dated for link in links) >= rules.dated_share * len(links):
        return True
    return statistics.median(len(link.text) for link in links) >= rules.headline_chars


def block_key(element, max_levels: int = 5):
    """The repeating block an element sits in, as a key shared by its siblings of the same shape: the
    nearest ancestor whose descendants repeat the element's path (`ul > li > a`). The caller counts keys;
    a key held by one link only is no block."""
    path: list[str] = []
    node = element
    keys = []
    for _ in range(max_levels):
        parent = node.getparent()
        if parent is None:
            break
        path.append(node.tag if isinstance(node.tag, str) else "")
        keys.append((parent, "/".join(reversed(path))))  # the element itself: lxml reuses freed ids
        node = parent
    return keys


def assign_blocks(elements: list, min_items: int) -> list[object]:
    """For each element, the tightest ancestor level at which at least `min_items` elements share the same
    ancestor and the same path below it; None where there is none."""
    chains = [block_key(element) for element in elements]
    counts = Counter(key for chain in chains for key in chain)
    return [next((key for key in chain if counts[key] >= min_items), None) for chain in chains]
