"""The Chinese chrome cleaner: text normalization and the removal of page furniture, line by line.

Rules (patterns) live in config/rules/chrome.yaml; this module holds only the mechanism, so the same cleaner
serves trafilatura's output, a whole-page text dump of an HTML tree and the user's plain-text dumps.

Every rule compares *folded* text (NFKC width folding: `，：（）` read as `,:()`), but what is stored is the
text as published: `Published` keeps both forms of a page's lines, and gives back the printed form of any
folded value the cleaner and the header parser cut out of them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from pipelines.config import rules

WHITESPACE = re.compile(r"\s+")
HORIZONTAL_SPACE = re.compile(r"[^\S\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+")
OPENERS, CLOSERS = "(（[【", ")）]】"
# A bracket left open at the end of a line, closed within a few short lines: a layout break inside a byline.
MAX_BROKEN_TAIL, MAX_BROKEN_LINES, MAX_BROKEN_PIECE = 20, 3, 10
LETTER_SPACED_MAX = 30  # `相 关 链 接 推 荐`: a letter-spaced heading is short
LAST_FOLDED = 0x2FA1D  # the last character NFKC folds (a CJK compatibility ideograph); nothing above it does


@dataclass(frozen=True, slots=True)
class ChromeRules:
    drop_lines: re.Pattern
    tail_markers: re.Pattern
    tail_min_chars: int
    tail_min_position: float
    nav_separators: re.Pattern
    nav_min_items: int
    nav_max_item_length: int
    title_suffix_separators: re.Pattern
    footer_marks: re.Pattern
    footer_marks_min: int


@cache
def chrome_rules() -> ChromeRules:
    raw = rules("chrome")
    return ChromeRules(
        drop_lines=re.compile("|".join(f"(?:{p})" for p in raw["drop_lines"])),
        tail_markers=re.compile("|".join(f"(?:{p})" for p in raw["tail_markers"])),
        tail_min_chars=int(raw["tail_min_chars"]),
        tail_min_position=float(raw["tail_min_position"]),
        nav_separators=re.compile(raw["nav_separators"]),
        nav_min_items=int(raw["nav_min_items"]),
        nav_max_item_length=int(raw["nav_max_item_length"]),
        title_suffix_separators=re.compile(raw["title_suffix_separators"]),
        footer_marks=re.compile("|".join(sorted(map(re.escape, raw["footer_marks"]), key=len, reverse=True))),
        footer_marks_min=int(raw["footer_marks_min"]),
    )


@cache
def fold_table() -> dict[int, str]:
    """Every character that NFKC maps to one other character (full-width ASCII and punctuation, the
    ideographic space, CJK compatibility ideographs …). Expansions (`…` -> `...`, `㈠` -> `(一)`) are left
    out: folding stays one character for one, so a position in the folded text is one in the published text."""
    table: dict[int, str] = {}
    for code in range(0xA0, LAST_FOLDED + 1):
        char = chr(code)
        if not unicodedata.is_normalized("NFKC", char):
            folded = unicodedata.normalize("NFKC", char)
            if len(folded) == 1:
                table[code] = folded
    return table


def fold(text: str) -> str:
    """The comparison form of published text (rules, chrome, labels and dates are written for it)."""
    return text.translate(fold_table())


def clean_space(text: str) -> str:
    """White space collapsed and trimmed: the only change published text gets before it is stored."""
    return WHITESPACE.sub(" ", text).strip()


def normalize_line(line: str) -> str:
    """Folded (full-width ASCII becomes half-width, as in the sample files) with white space collapsed."""
    return fold(clean_space(line))


def normalize_lines(text: str) -> list[str]:
    """Non-empty folded lines, with brackets broken over several short layout lines joined again."""
    return published_lines(text)[1]


def published_lines(text: str) -> tuple[list[str], list[str]]:
    """The non-empty lines of `text` as published (white space cleaned) and folded, index for index, brackets
    broken over several short layout lines joined again in both."""
    shown = [line for line in (HORIZONTAL_SPACE.sub(" ", raw).strip() for raw in text.splitlines()) if line]
    folded = [fold(line) for line in shown]
    runs = bracket_runs(folded)
    return [" ".join(shown[start:end]) for start, end in runs], [" ".join(folded[start:end]) for start, end in runs]


class Published:
    """One page's text in both forms. `lines`/`line` hand out folded text for the rules and remember what was
    printed; `shown` maps a folded value cut from those lines (a body line, a headline over several lines, a
    name out of a byline) back to the page's own characters, from the first place that folded text stands."""

    __slots__ = ("_folded", "_joined", "_shown")

    def __init__(self) -> None:
        self._folded: list[str] = []
        self._shown: list[str] = []
        self._joined: tuple[str, str] | None = None

    def lines(self, text: str) -> list[str]:
        shown, folded = published_lines(text)
        self._remember(shown, folded)
        return folded

    def line(self, text: str) -> str:
        shown = clean_space(text)
        folded = fold(shown)
        self._remember([shown], [folded])
        return folded

    def _remember(self, shown: list[str], folded: list[str]) -> None:
        self._shown.extend(shown)
        self._folded.extend(folded)
        self._joined = None

    def shown(self, value: str | None) -> str | None:
        """The published form of a folded value; a value built from several places (`李 莹` read as `李莹`)
        that stands nowhere as such is returned as it is."""
        if not value:
            return value
        if self._joined is None:
            self._joined = ("".join(self._folded), "".join(self._shown))
        folded, shown = self._joined
        at = folded.find(value)
        return shown[at : at + len(value)] if at >= 0 else value


def open_bracket_tail(line: str) -> int | None:
    """Where a bracket left open within the last few characters of the line opens, if any."""
    offset = max(0, len(line) - MAX_BROKEN_TAIL)
    depth, start = 0, None
    for pos, char in enumerate(line[offset:], offset):
        if char in OPENERS:
            depth, start = depth + 1, pos if depth == 0 else start
        elif char in CLOSERS and depth:
            depth -= 1
    return start if depth else None


def bracket_runs(lines: list[str]) -> list[tuple[int, int]]:
    """[start, end) of each output line: one line, or one whose bracket is closed within a few short lines
    (a byline broken by the layout) together with those lines."""
    runs: list[tuple[int, int]] = []
    index = 0
    while index < len(lines):
        end = index + 1
        if open_bracket_tail(lines[index]) is not None:
            pieces = lines[index + 1 : index + 1 + MAX_BROKEN_LINES]
            for count, piece in enumerate(pieces, 1):
                if len(piece) > MAX_BROKEN_PIECE:
                    break
                if any(char in CLOSERS for char in piece):
                    end += count
                    break
        runs.append((index, end))
        index = end
    return runs


def is_nav(line: str) -> bool:
    """A row of short navigation items: `重庆大学| 主页焦点| 主页推荐| 网站地图`."""
    r = chrome_rules()
    items = [item.strip() for item in r.nav_separators.split(line) if item.strip()]
    return len(items) >= r.nav_min_items and all(len(item) <= r.nav_max_item_length for item in items)


def is_chrome(line: str) -> bool:
    return bool(chrome_rules().drop_lines.fullmatch(line)) or is_nav(line) or is_footer_row(line)


def is_footer_row(line: str) -> bool:
    """A site footer run into one row of any length: two or more different footer marks (`主办单位` … `ICP备` …)."""
    r = chrome_rules()
    return len({mark.group() for mark in r.footer_marks.finditer(line)}) >= r.footer_marks_min


def is_tail_marker(line: str) -> bool:
    """A heading that starts the page's trailing boxes, also letter-spaced (`相 关 链 接`, `郑 重 声 明`)."""
    markers = chrome_rules().tail_markers
    if markers.fullmatch(line):
        return True
    return " " in line and len(line) <= LETTER_SPACED_MAX and bool(markers.fullmatch(line.replace(" ", "")))


def strip_chrome(lines: list[str], keep: Callable[[str], bool] = lambda line: False) -> list[str]:
    """Body lines without chrome (but the lines `keep` holds to); a related-articles heading in the latter part
    ends the body."""
    r = chrome_rules()
    kept: list[str] = []
    cut_from = int(len(lines) * r.tail_min_position)
    for position, line in enumerate(lines):
        if is_tail_marker(line):
            if position >= cut_from or sum(map(len, kept)) >= r.tail_min_chars:
                break
            continue
        if not is_chrome(line) or keep(line):
            kept.append(line)
    return kept


def title_suffix(line: str, title: str) -> str | None:
    """`标题-克拉玛依党建网` -> `克拉玛依党建网` when the line is the title plus a site suffix."""
    if not title or not line.startswith(title) or len(line) == len(title):
        return None
    match = chrome_rules().title_suffix_separators.match(line, len(title))
    suffix = line[match.end() :].strip() if match else ""
    return suffix or None
