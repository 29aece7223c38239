"""The page model: one parsed page and its visible text, read in one walk of the tree.

Extraction, dates, headers and the crawler's list pages all read a page's text the way this module lays it
out, with one tag vocabulary (config/rules/page.yaml): invisible elements show nothing, block elements break
lines. The walk records the text once, marking where blocks, table cells and short inline scripts sit, and
gives two views of it:

- `blocks`: one line per block element or table cell, scripts left out: what the chrome cleaner, the header
  parser and the body resplitter read (a layout table holds a whole article in one cell);
- `rows`: white space collapsed as a browser does, table cells side by side and what short inline scripts
  print (`showDate("2020/04/17")`): where dates are read, since a label and its date often sit in
  neighbouring cells or a date is written by script.

`boxed` holds the blocks inside recommendation boxes (chrome.yaml `prune_id_class`), teasers trafilatura
takes for paragraphs on some news sites. `lines` are the blocks folded (chrome.Published), and `headline` is
the page's headline as `find_headline` reads it once for every reader: extraction takes it for the title,
the header parser looks for it among the lines it splits, dates anchor their byline window on its row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from lxml import etree
from lxml.html import HtmlElement

from pipelines import chrome
from pipelines.config import rules

# Marks the walk leaves in the text, views turn them into line breaks or spaces (str.replace: translate with a
# mapping costs a lookup per character): Unicode noncharacters, which no published text holds.
BLOCK = "\ufdd0"  # around a block element
CELL = "\ufdd1"  # around a table cell: a line break among blocks, a space in rows
SCRIPT_START, SCRIPT_END = "\ufdd2", "\ufdd3"  # around what a script prints: shown in rows only
SCRIPT_SPAN = re.compile(f"{SCRIPT_START}[^{SCRIPT_END}]*{SCRIPT_END}")
SCRIPT_STRING = re.compile(r"""(["'])((?:(?!\1).){4,80})\1""")
INLINE = "\ufdd4"  # at the start and the end of an inline element: a space between digits, else nothing
# Two inline elements side by side that each print a number (`<span>2023/09/05</span><span>07:58</span>`) are
# two values set apart by the layout: read as one, the day would run into the clock (`0507:58`).
DIGITS_APART = re.compile(f"(?<=\\d){INLINE}+(?=\\d)")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    block: frozenset[str]
    cell: frozenset[str]
    invisible: frozenset[str]
    inline_script_max_chars: int


@cache
def vocabulary() -> Vocabulary:
    raw = rules("page")
    return Vocabulary(frozenset(raw["block_tags"]), frozenset(raw["cell_tags"]), frozenset(raw["invisible_tags"]),
                      int(raw["inline_script_max_chars"]))


@cache
def recommendation_marker() -> re.Pattern:
    return re.compile("|".join(map(re.escape, rules("chrome")["prune_id_class"])))


@dataclass(slots=True)
class Page:
    """A parsed page and its text as laid out by `read` (see the module's docstring for the two views), its
    blocks as folded lines (`lines`, remembered by `published` with their printed form) and its headline."""

    tree: HtmlElement
    text: str  # the text nodes as the page has them, with the marks above
    boxed: str  # the same for the recommendation boxes only
    published: chrome.Published
    lines: list[str]  # the blocks, folded, non-empty (chrome.Published.lines)
    headline: str | None  # folded, as `find_headline` reads it

    @property
    def blocks(self) -> str:
        """The page as a reader sees it, one line per block or cell (lines may be empty)."""
        return blocks_of(self.text)

    @property
    def boxed_blocks(self) -> str:
        return blocks_of(self.boxed)

    @property
    def rows(self) -> list[str]:
        """The non-empty lines, white space collapsed as a browser does (a line break in the source is a
        space), table cells side by side and short scripts' output shown."""
        shown = self.text.replace(CELL, " ").replace(SCRIPT_START, "").replace(SCRIPT_END, "")
        return [row for row in map(collapse_space, shown.split(BLOCK)) if row]


def blocks_of(text: str) -> str:
    """A line per block or cell. The source's own line breaks stay (the chrome cleaner and the header
    parser were tuned on them)."""
    if SCRIPT_START in text:
        text = SCRIPT_SPAN.sub("", text)
    return text.replace(BLOCK, "\n").replace(CELL, "\n")


def collapse_space(text: str) -> str:
    return " ".join(text.split())


def read(tree: HtmlElement) -> Page:
    """The page's text in one walk over the whole document: every visible text node in document order, a line
    break around each block, a cell mark around each table cell, the strings of short inline scripts."""
    words = vocabulary()
    marker = recommendation_marker()
    chunks: list[str] = []
    boxed: list[str] = []
    box = hidden = None  # the recommendation box / the invisible subtree, while the walk is inside them
    box_start = 0
    walker = etree.iterwalk(tree, events=("start", "end", "comment", "pi"))
    for event, element in walker:
        if event == "end":
            if element is hidden:
                hidden = None
            else:
                chunks.append(boundary(element.tag, words))
                if element is box:
                    boxed.append(joined(chunks[box_start:]))
                    box = None
            chunks.append(element.tail or "")
        elif event == "start" and element.tag not in words.invisible:
            if box is None and marker.search(f"{element.get('id', '')} {element.get('class', '')}".lower()):
                box, box_start = element, len(chunks)
            chunks.append(boundary(element.tag, words))
            chunks.append(element.text or "")
        elif event == "start":  # invisible: only what a short script prints, then its tail at its end event
            hidden = element
            if element.tag == "script":
                chunks.append(f"{SCRIPT_START}{script_output(element, words)}{SCRIPT_END}")
            walker.skip_subtree()
        else:  # a comment or processing instruction: nothing shows but the text after it
            chunks.append(element.tail or "")
    text = joined(chunks)
    published = chrome.Published()
    lines = published.lines(blocks_of(text))
    return Page(tree, text, "\n".join(boxed), published, lines, find_headline(tree, lines, published))


def boundary(tag: str, words: Vocabulary) -> str:
    """The mark a block or a cell puts at its start and at its end; an inline element's (see `joined`)."""
    return BLOCK if tag in words.block else CELL if tag in words.cell else INLINE


def joined(chunks: list[str]) -> str:
    """The walk's text with the inline marks gone: a space where one sets two numbers apart or starts a
    labelled field (`<span>来源：某部</span><span>撰文：某某</span>`), else nothing."""
    text = "".join(chunks)
    if INLINE not in text:
        return text
    return labels_apart().sub(" ", DIGITS_APART.sub(" ", text)).replace(INLINE, "")


@cache
def labels_apart() -> re.Pattern:
    """Inline marks between some text and an element that opens with a byline label and its colon or slash:
    fields side by side, which the layout sets apart (read as one, a value runs into the next label)."""
    raw = rules("headers")
    names = {label for labels in raw["labels"].values() for label in labels} | set(raw["slash_labels"])
    alternation = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    return re.compile(f"(?<=[^\\s{INLINE}]){INLINE}+(?=(?:{alternation})\\s*[:：/|｜丨])")


def script_output(script: HtmlElement, words: Vocabulary) -> str:
    """What a short inline script prints: its string literals (`showDate("2020/04/17 01:43")`)."""
    code = script.text or ""
    if script.get("src") or len(code) > words.inline_script_max_chars:
        return ""
    return " ".join(match[2] for match in SCRIPT_STRING.finditer(code))


def text_outside(container: HtmlElement, inner: HtmlElement | None) -> str:
    """The visible text of `container` without `inner`'s (a list item's text beside its link; None: all of
    it), one line."""
    parts = []
    invisible = vocabulary().invisible
    walker = etree.iterwalk(container, events=("start", "end", "comment", "pi"))
    for event, element in walker:
        if event == "start" and (element is inner or element.tag in invisible):
            walker.skip_subtree()
        elif event == "start":
            parts.append(element.text or "")
        elif element is not container:
            parts.append(element.tail or "")
    return collapse_space(" ".join(parts))


# --------------------------------------------------------------------------------------------------- headline

HEADLINE_MAX_LINES = 3  # a long headline broken by <br> is printed on up to this many lines


def meta_content(tree: HtmlElement, published: chrome.Published, *names: str) -> str | None:
    for name in names:
        for value in tree.xpath(f'//meta[@property="{name}" or @name="{name}"]/@content'):
            value = published.line(value)
            if value:
                return value
    return None


def title_tag(tree: HtmlElement, published: chrome.Published) -> str:
    element = tree.find(".//title")
    return published.line(element.text_content()) if element is not None else ""


def title_parts(title: str) -> list[str]:
    """The pieces of a <title> between its separators (`标题_栏目_站点名`)."""
    return [part for part in chrome.chrome_rules().title_suffix_separators.split(title) if part]


def find_headline(tree: HtmlElement, lines: list[str], published: chrome.Published) -> str | None:
    """The page's headline, the one every reader of the page anchors on: the page line (or lines) that
    og:title/<title> begins with (before a site suffix), else <h1>, else the line it ends with (after a site
    prefix), else what the page declares."""
    declared = [t for t in (meta_content(tree, published, "og:title"), title_tag(tree, published)) if t]
    for candidate in declared:
        found = headline_line(candidate, lines)
        if found:
            return found
    longest = rules("headers")["title_max_length"]
    for element in tree.iter("h1"):
        text = published.line(element.text_content())
        if 2 <= len(text) <= longest:
            return text
    for candidate in declared:
        found = headline_after_prefix(candidate, lines)
        if found:
            return found
    return declared[0] if declared else None


def headline_after_prefix(declared: str, lines: list[str]) -> str | None:
    """The page line the declared title ends with after a shorter site prefix (`檀溪日报数字报-檀溪：…`, e-papers
    and some portals put the site first), for pages without an <h1>."""
    pattern = chrome.chrome_rules().title_suffix_separators.pattern
    compact = nospace(declared)
    for line in lines:
        shown = nospace(line)
        head = compact[: len(compact) - len(shown)]
        if 2 <= len(shown) < len(compact) and compact.endswith(shown) and len(head) < len(shown) and re.search(
                f"(?:{pattern})$", head) and re.sub(f"(?:{pattern})$", "", head):
            return line
    return None


def headline_line(declared: str, lines: list[str]) -> str | None:
    """The longest page line that is the declared title minus a site suffix, else one equal to it, white space
    aside; only when no single line is, a run of lines (a headline broken by <br>)."""
    separators = chrome.chrome_rules().title_suffix_separators
    compact = nospace(declared)
    best, best_length, equal = None, 0, None
    for _, count, text in headline_windows(lines, starting_with=compact[:1]):
        if count > 1 and (best or equal):
            break
        shown = nospace(text)
        if len(shown) < 2 or not compact.startswith(shown):
            continue
        if len(shown) == len(compact):
            equal = equal or text
        elif separators.match(compact, len(shown)) and len(shown) > best_length:
            best, best_length = text, len(shown)
    return best or equal


def headline_windows(lines: list[str], starting_with: str = "") -> Iterator[tuple[int, int, str]]:
    """(index, line count, text) of every line, then of every run of 2 to HEADLINE_MAX_LINES lines joined;
    only those whose first character is `starting_with`, when given (a cheap filter before comparing)."""
    starts = [index for index, line in enumerate(lines) if line.startswith(starting_with)]
    for count in range(1, HEADLINE_MAX_LINES + 1):
        for index in starts:
            if index + count <= len(lines):
                yield index, count, "".join(lines[index : index + count])


def nospace(text: str | None) -> str:
    return chrome.WHITESPACE.sub("", text or "")
