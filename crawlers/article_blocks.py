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
# A short token of letters and digits mixed (`q5x2a`, `n7k3`): a generated id, not a word.
TOKEN_ID = re.compile(r"^(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z0-9]{4,}$")
ID_PLACEHOLDERS = ("{n}", "{slug}", "{v}", "{hex}", "{w")
WIDTH = re.compile(r"\{w(?P<width>\d+)\}(?:\.(?P<extension>.+))?")


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
    segments, query = _shapes(url)
    return "/".join(segments) + query


def _shapes(url: str) -> tuple[list[str], str]:
    parts = urlsplit(url)
    segments = [_segment_shape(segment) for segment in (parts.path or "/").split("/")]
    query = ""
    if parts.query:
        pairs = sorted({(key, "{n}" if value.isdigit() else "{v}") for key, value in
                        parse_qsl(parts.query, keep_blank_values=True)})
        query = "?" + "&".join(f"{key}={value}" for key, value in pairs)
    return segments, query


def _segment_shape(segment: str) -> str:
    stem, dot, extension = segment.partition(".") if not segment.startswith(".") else (segment, "", "")
    if HEX_ID.match(stem.lower()):
        return "{hex}" + dot + extension
    if SLUG.match(stem):
        return "{slug}" + dot + extension
    if TOKEN_ID.match(stem):
        return f"{{w{len(stem)}}}" + dot + extension  # matched by any token of that width (template_matches)
    return NUMBER.sub("{n}", stem) + dot + extension


def block_template(urls: list[str]) -> str | None:
    """One template for links of a block that differ in exactly the segments where each holds a generated
    token of one fixed width (`/note/q5xab/`, `/note/puuad/` -> `/note/{w5}/`): ids of letters only look
    like words one by one, but not as a set of equal-width values. None when the links differ otherwise."""
    shaped = [(_shapes(url), urlsplit(url).path.split("/")) for url in urls]
    if len({(len(segments), query) for (segments, query), _ in shaped}) != 1:
        return None
    (segments, query), _ = shaped[0]
    merged = []
    for position, shape in enumerate(segments):
        shapes = {shaped_segments[position] for (shaped_segments, _), _ in shaped}
        if len(shapes) == 1:
            merged.append(shape)
            continue
        stems = {raw[position].partition(".")[0] for _, raw in shaped}
        extensions = {raw[position].partition(".")[2] for _, raw in shaped}
        widths = {len(stem) for stem in stems}
        if len(widths) != 1 or len(extensions) != 1 or not all(stem.isalnum() and stem.isascii() for stem in stems):
            return None
        extension = extensions.pop()
        merged.append(f"{{w{widths.pop()}}}" + (f".{extension}" if extension else ""))
    return "/".join(merged) + query


def template_matches(template: str, url: str) -> bool:
    """Whether `url` has the shape `template` (from `url_template`, or a `block_template` with {wN})."""
    if "{w" not in template:
        return url_template(url) == template
    segments, query = _shapes(url)
    path, _, wanted_query = template.partition("?")
    wanted = path.split("/")
    raw = urlsplit(url).path.split("/")
    if query != (f"?{wanted_query}" if wanted_query else "") or len(wanted) != len(segments):
        return False
    for expected, shape, value in zip(wanted, segments, raw, strict=True):
        width = WIDTH.fullmatch(expected)
        if width:
            stem, _, extension = value.partition(".")
            if not (len(stem) == int(width["width"]) and stem.isalnum() and stem.isascii()
                    and extension == (width["extension"] or "")):
                return False
        elif expected != shape:
            return False
    return True


def varies_in_leaf(template: str) -> bool:
    """Detail pages differ in their last segment or in a query value; columns differ in a directory
    (`/col/col{n}/index.html`) or not at all."""
    path, _, query = template.partition("?")
    leaf = path.rstrip("/").rsplit("/", 1)[-1]  # `/note/{id}/`: a directory per article
    return any(mark in leaf for mark in ID_PLACEHOLDERS) or "{n}" in query


def article_templates(candidates: Iterable[Candidate], page_url: str, rules: BlockRules,
                      known: set[str] = frozenset()) -> tuple[Counter[str], set[object]]:
    """Templates this page shows to be articles' -> how many of its links have each, and the blocks that
    showed them (a dated link in such a block is an article whatever its shape: 内部通报 beside its date).

    A block's dominant template is accepted when its URLs vary in the leaf, it is not the list page's own
    shape, and the block reads as headlines: dated, headline-length texts, a known article template, or
    links of a known article shape."""
    own = url_template(page_url)
    blocks: dict[object, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        if candidate.block is not None:
            blocks[candidate.block].append(candidate)
    accepted: Counter[str] = Counter()
    article_blocks: set[object] = set()
    for block, members in blocks.items():
        by_template: dict[str, dict[str, Candidate]] = defaultdict(dict)
        for candidate in members:
            by_template[url_template(candidate.url)].setdefault(candidate.url, candidate)
        template, links = max(by_template.items(), key=lambda item: len(item[1]))
        distinct = sum(len(urls) for urls in by_template.values())
        if len(links) < rules.min_share * distinct:
            template, links = _merged(members, template, links)
        if len(links) < rules.min_items or len(links) < rules.min_share * distinct:
            continue
        if not varies_in_leaf(template) or template == own:
            continue
        if _reads_as_headlines(list(links.values()), template, rules, known):
            accepted[template] += len(links)
            article_blocks.add(block)
    return accepted, article_blocks


def _merged(members: list[Candidate], template: str, links: dict[str, Candidate]
            ) -> tuple[str, dict[str, Candidate]]:
    """The block's links of its most common skeleton (segment count and query keys) under one fixed-width
    template, when they have one; else the dominant exact template as it was."""
    skeletons: dict[tuple, dict[str, Candidate]] = defaultdict(dict)
    for candidate in members:
        segments, query = _shapes(candidate.url)
        skeletons[(len(segments), query)].setdefault(candidate.url, candidate)
    same = max(skeletons.values(), key=len)
    merged = block_template(list(same))
    return (merged, same) if merged and len(same) > len(links) else (template, links)


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
