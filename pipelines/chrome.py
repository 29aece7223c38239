"""The Chinese chrome cleaner: text normalization and the removal of page furniture, line by line.

Rules (patterns) live in config/rules/chrome.yaml; this module holds only the mechanism, so the same cleaner
serves trafilatura's output, a whole-page text dump of an HTML tree and the user's plain-text dumps.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from pipelines.config import rules

WHITESPACE = re.compile(r"\s+")
HORIZONTAL_SPACE = re.compile(r"[^\S\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+")
OPENERS, CLOSERS = "(（[【", ")）]】"
# A bracket left open at the end of a line, closed within a few short lines: a layout break inside a byline.
MAX_BROKEN_TAIL, MAX_BROKEN_LINES, MAX_BROKEN_PIECE = 20, 3, 10
LETTER_SPACED_MAX = 30  # `相 关 链 接 推 荐`: a letter-spaced heading is short


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
    )


def normalize_line(line: str) -> str:
    """NFKC (full-width ASCII becomes half-width, as in the sample files) with white space collapsed."""
    return WHITESPACE.sub(" ", unicodedata.normalize("NFKC", line)).strip()


def normalize_lines(text: str) -> list[str]:
    """Non-empty normalized lines, with brackets broken over several short layout lines joined again."""
    lines = (
        HORIZONTAL_SPACE.sub(" ", line).strip() for line in unicodedata.normalize("NFKC", text).splitlines()
    )
    return join_broken_brackets([line for line in lines if line])


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


def join_broken_brackets(lines: list[str]) -> list[str]:
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if open_bracket_tail(line) is not None:
            pieces = lines[index + 1 : index + 1 + MAX_BROKEN_LINES]
            for count, piece in enumerate(pieces, 1):
                if len(piece) > MAX_BROKEN_PIECE:
                    break
                if any(char in CLOSERS for char in piece):
                    line, index = " ".join([line, *pieces[:count]]), index + count
                    break
        out.append(line)
        index += 1
    return out


def is_nav(line: str) -> bool:
    """A row of short navigation items: `重庆大学| 主页焦点| 主页推荐| 网站地图`."""
    r = chrome_rules()
    items = [item.strip() for item in r.nav_separators.split(line) if item.strip()]
    return len(items) >= r.nav_min_items and all(len(item) <= r.nav_max_item_length for item in items)


def is_chrome(line: str) -> bool:
    return bool(chrome_rules().drop_lines.fullmatch(line)) or is_nav(line)


def is_tail_marker(line: str) -> bool:
    """A heading that starts the page's trailing boxes, also letter-spaced (`相 关 链 接`, `郑 重 声 明`)."""
    markers = chrome_rules().tail_markers
    if markers.fullmatch(line):
        return True
    return " " in line and len(line) <= LETTER_SPACED_MAX and bool(markers.fullmatch(line.replace(" ", "")))


def strip_chrome(lines: list[str]) -> list[str]:
    """Body lines without chrome; a related-articles heading in the latter part ends the body."""
    r = chrome_rules()
    kept: list[str] = []
    cut_from = int(len(lines) * r.tail_min_position)
    for position, line in enumerate(lines):
        if is_tail_marker(line):
            if position >= cut_from or sum(map(len, kept)) >= r.tail_min_chars:
                break
            continue
        if not is_chrome(line):
            kept.append(line)
    return kept


def title_suffix(line: str, title: str) -> str | None:
    """`标题-克拉玛依党建网` -> `克拉玛依党建网` when the line is the title plus a site suffix."""
    if not title or not line.startswith(title) or len(line) == len(title):
        return None
    match = chrome_rules().title_suffix_separators.match(line, len(title))
    suffix = line[match.end() :].strip() if match else ""
    return suffix or None
