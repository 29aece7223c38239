"""Where extraction spends its time: cProfile over the corpus, summarized by library, stage and function.

Time inside C functions (lxml's xpath and parser, compiled regexes) is charged to the Python code that called
them, so "trafilatura" includes the lxml work trafilatura asks for. cProfile's own overhead inflates code
that makes many small Python calls; the shares, not the absolute seconds, are the finding.
"""

from __future__ import annotations

import cProfile
import pstats
from collections import defaultdict
from pathlib import Path

from benchmarks.common import Section, Skipped, Table, corpus_dir, corpus_pages, progress
from benchmarks.extraction import ours
from pipelines.extract import warm_up

# Pipeline stages: (file suffix, function) whose cumulative time is the stage's. Some nest (dates' own
# tree walk runs inside publication_date when no page model is given); none of these call each other.
STAGES = {
    "decode bytes": ("pipelines/decode.py", "decode_bytes"),
    "lxml parse": ("pipelines/extract.py", "parse_html"),
    "page model": ("pipelines/page.py", "read"),
    "headline": ("pipelines/page.py", "find_headline"),
    "trafilatura": ("pipelines/extract.py", "trafilatura_text"),
    "chrome normalize": ("pipelines/chrome.py", "normalize_lines"),
    "header/footer split": ("pipelines/headers.py", "split_article"),
    "list-page check": ("pipelines/extract.py", "is_list_page"),
    "images": ("pipelines/extract.py", "article_images"),
    "dates": ("pipelines/dates.py", "publication_date"),
    "keywords": ("pipelines/keywords.py", "keywords"),
}
LIBRARIES = (
    "trafilatura",
    "htmldate",
    "courlan",
    "justext",
    "lxml",
    "dateparser",
    "jieba",
    "charset_normalizer",
    "w3lib",
    "regex",
    "yaml",
)
TOP_FUNCTIONS = 15

Key = tuple[str, int, str]


def profile(pages: list[bytes]) -> pstats.Stats:
    warm_up()  # one-off loading (rules, jieba's dictionaries) is not the steady state: workers inherit it
    ours(pages[0])  # nor what the first page loads lazily (dateparser)
    profiler = cProfile.Profile()
    profiler.enable()
    for body in pages:
        ours(body)
    profiler.disable()
    return pstats.Stats(profiler)


def area(key: Key) -> str:
    """The library or pipeline module a Python function belongs to."""
    path = key[0].replace("\\", "/")
    if "/pipelines/" in path:
        return "pipelines/" + Path(path).name
    for library in LIBRARIES:
        if f"/{library}/" in path:
            return library
    return "python stdlib" if "/lib/python" in path else "other"


def own_time_by_area(stats: pstats.Stats) -> dict[str, float]:
    """Own time per area, C functions' time split among their Python callers by the time spent per caller."""
    totals: dict[str, float] = defaultdict(float)
    for key, (_calls, _primitive, own, _cumulative, callers) in stats.stats.items():
        if key[0] != "~":
            totals[area(key)] += own
            continue
        edges = {caller: edge[2] for caller, edge in callers.items()}
        spent = sum(edges.values())
        for caller, share in edges.items():
            totals[area(caller) if caller[0] != "~" else "C code"] += own * share / spent if spent else 0
        if not edges:
            totals["C code"] += own
    return dict(totals)


def stage_times(stats: pstats.Stats) -> dict[str, float]:
    found = {}
    for stage, (suffix, function) in STAGES.items():
        found[stage] = sum(
            cumulative
            for key, (_c, _p, _own, cumulative, _callers) in stats.stats.items()
            if key[2] == function and key[0].replace("\\", "/").endswith(suffix)
        )
    return found


def label(key: Key) -> str:
    path, line, function = key
    if path == "~":
        return function
    return f"{area(key)}:{line} {function}"


def run(pages_limit: int | None = None) -> Section:
    section = Section("Extraction profile (cProfile)", "one process over the corpus, after a warm-up page")
    try:
        paths = corpus_pages(corpus_dir())[:pages_limit]
    except Skipped as skipped:
        section.notes.append(f"skipped: {skipped}")
        return section
    progress(f"profiling extraction of {len(paths)} pages")
    stats = profile([path.read_bytes() for path in paths])
    total = stats.total_tt
    by_area = Table(
        f"Own time by library/module ({len(paths)} pages, {total:.1f} s profiled)", ["where", "s", "share"]
    )
    for name, seconds in sorted(own_time_by_area(stats).items(), key=lambda item: -item[1])[:14]:
        by_area.add(name, seconds, f"{seconds / total:.0%}")
    by_stage = Table("Cumulative time by pipeline stage", ["stage", "s", "share", "ms/page"])
    for name, seconds in sorted(stage_times(stats).items(), key=lambda item: -item[1]):
        by_stage.add(name, seconds, f"{seconds / total:.0%}", 1000 * seconds / len(paths))
    top = Table(f"Top {TOP_FUNCTIONS} functions by own time", ["function", "calls", "own s", "cumulative s"])
    ranked = sorted(stats.stats.items(), key=lambda item: -item[1][2])[:TOP_FUNCTIONS]
    for key, (_primitive, calls, own, cumulative, _callers) in ranked:
        top.add(label(key), calls, own, cumulative)
    section.tables += [by_stage, by_area, top]
    return section
