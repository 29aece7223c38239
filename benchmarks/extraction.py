"""Extraction throughput: our whole processing step against plain trafilatura on the same pages, same run.

Ours is `extract_page` on the raw bytes (decode, extract, clean, metadata, dates, keywords); plain trafilatura
is `bare_extraction` with its defaults on text decoded beforehand (decoding is not charged to it: on raw bytes
it would mis-decode GB pages). Both run in one process, page by page in turn; ours also on a process pool over
all cores, forked after `extract.warm_up` and a first page so workers inherit jieba's dictionary, dateparser's
patterns and the rules, as the pipeline's own worker pools do.
Also: how long `dangjian extract --json` takes from process start to exit, and whether it imports
Prefect or Scrapy on the way.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import trafilatura

from benchmarks.common import (
    Section,
    Skipped,
    Table,
    Timing,
    cores,
    corpus_dir,
    corpus_pages,
    median,
    progress,
    timed,
    verdict,
)
from pipelines.decode import decode_bytes
from pipelines.extract import ExtractionError, extract_page, warm_up
from pipelines.records import FetchedPage

ALL_CORES_TARGET = 2.0  # ours on all cores / plain trafilatura single-process (issue 16)
OVERHEAD_TARGET = 0.30  # ours single-process vs plain trafilatura: extra time allowed
POOL_CHUNK = 2  # pages per pool task: pages differ in size 100-fold, small chunks keep both workers busy
FORBIDDEN_IMPORTS = ("prefect", "scrapy")
STARTUP_RUNS = 3
IMPORT_LINE = re.compile(r"^import time:\s*(\d+)\s*\|\s*(\d+)\s*\|(\s*)(\S+)")


def ours(body: bytes) -> int:
    """Characters of body text our step yields (0 for a page it rejects as unreadable)."""
    try:
        return len(extract_page(FetchedPage(url=None, body=body)).body)
    except ExtractionError:
        return 0


def plain_trafilatura(text: str) -> int:
    document = trafilatura.bare_extraction(text)
    return len(document.text or "") if document else 0


def _run_pool(function, items: list, workers: int) -> None:
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for _ in pool.map(function, items, chunksize=POOL_CHUNK):
            pass


def interleaved(pages: list[bytes], texts: list[str]) -> tuple[Timing, Timing]:
    """Plain trafilatura and ours page by page, alternating which goes first: load from other processes on
    a shared machine then falls on both alike instead of on whichever pass ran during a busy minute."""
    wall, cpu = [0.0, 0.0], [0.0, 0.0]
    for number, (body, text) in enumerate(zip(pages, texts, strict=True)):
        order = ((0, plain_trafilatura, text), (1, ours, body))
        for slot, function, item in order if number % 2 == 0 else reversed(order):
            started, used = time.perf_counter(), time.process_time()
            function(item)
            wall[slot] += time.perf_counter() - started
            cpu[slot] += time.process_time() - used
    return Timing(len(texts), wall[0], cpu[0]), Timing(len(pages), wall[1], cpu[1])


def measure(pages: list[bytes], workers: int) -> dict[str, Timing]:
    progress(
        f"extracting {len(pages)} pages: plain trafilatura and ours in turn, then ours on {workers} processes"
    )
    texts = [decode_bytes(body) for body in pages]
    # What the pipeline's own pools load before forking (pipelines.batch): without it each worker would load
    # jieba's dictionary for the name checks inside the timed run.
    warm_up()
    ours(pages[0]), plain_trafilatura(texts[0])  # warm-up: what the first page loads lazily (dateparser, lxml)
    plain, single = interleaved(pages, texts)
    return {
        "plain trafilatura, 1 process": plain,
        "ours, 1 process": single,
        f"ours, {workers} processes": timed(len(pages), lambda: _run_pool(ours, pages, workers)),
    }


def throughput_table(pages: list[bytes], label: str, workers: int) -> tuple[Table, dict[str, float]]:
    timings = measure(pages, workers)
    plain, single, pooled = timings.values()
    table = Table(
        f"Extraction, {label}: {len(pages)} pages",
        ["step", "pages/s (wall)", "pages per CPU-second", "wall s", "CPU s", "vs plain (wall)"],
    )
    for name, timing in timings.items():
        table.add(
            name,
            timing.per_second,
            timing.per_cpu_second,
            timing.wall,
            timing.cpu,
            f"{timing.per_second / plain.per_second:.2f}x",
        )
    ratios = {
        "all_cores_vs_plain": pooled.per_second / plain.per_second,
        "overhead_wall": plain.per_second / single.per_second - 1,
        "overhead_cpu": plain.per_cpu_second / single.per_cpu_second - 1,
    }
    return table, ratios


def _small_page(directory: Path) -> Path:
    """A small page of our own writing: start-up cost, not extraction cost, is what this times."""
    path = directory / "small.html"
    paragraph = "区委组织部召开专题会议，研究部署基层党组织建设工作，要求各支部结合实际抓好落实。" * 3
    path.write_text(
        '<html><head><meta charset="utf-8"><title>基层党建工作推进会召开_示例党建网</title></head><body>'
        '<h1>基层党建工作推进会召开</h1><div class="info">发布时间：2021-06-04 09:30 来源：区委组织部</div>'
        f'<div class="content"><p>{paragraph}</p><p>{paragraph}</p></div></body></html>',
        encoding="utf-8",
    )
    return path


def _dangjian() -> str:
    return str(Path(sys.executable).with_name("dangjian"))


def startup(workdir: Path) -> tuple[Table, list[str]]:
    """Median seconds from process start to exit of `dangjian extract --json` on one small file."""
    page = _small_page(workdir)
    command = [_dangjian(), "extract", "--json", str(page)]
    seconds = []
    for _ in range(STARTUP_RUNS):
        seconds.append(timed(1, lambda: subprocess.run(command, check=True, capture_output=True)).wall)
    traced = subprocess.run(
        [sys.executable, "-X", "importtime", _dangjian(), "extract", "--json", str(page)],
        check=True,
        capture_output=True,
        text=True,
    )
    imports = _top_level_imports(traced.stderr)
    forbidden = sorted(name for name in imports if name in FORBIDDEN_IMPORTS)
    table = Table(
        "`dangjian extract --json` on one small file",
        ["median s (start to exit)", "min s", "max s", "Prefect/Scrapy imported"],
    )
    table.add(median(seconds), min(seconds), max(seconds), ", ".join(forbidden) or "no")
    heaviest = sorted(imports.items(), key=lambda item: -item[1])[:6]
    notes = [
        "heaviest top-level imports (cumulative s, from `python -X importtime`): "
        + ", ".join(f"{name} {micros / 1e6:.2f}" for name, micros in heaviest)
    ]
    return table, notes


def _top_level_imports(importtime_log: str) -> dict[str, int]:
    """Cumulative microseconds of each top-level package imported (a package's first import is top-level)."""
    found: dict[str, int] = {}
    for line in importtime_log.splitlines():
        match = IMPORT_LINE.match(line)
        if match:
            package = match.group(4).split(".")[0]
            found[package] = max(found.get(package, 0), int(match.group(2)))
    return found


def run(replicas: tuple[int, ...] = (1,), workers: int | None = None) -> Section:
    workers = workers or cores()
    section = Section("Extraction throughput", f"{workers} worker processes for the all-cores step")
    try:
        pages = [path.read_bytes() for path in corpus_pages(corpus_dir())]
    except Skipped as skipped:
        section.notes.append(f"throughput skipped: {skipped}")
        pages = []
    for replica in replicas if pages else ():
        label = "the corpus" if replica == 1 else f"the corpus replicated {replica}x"
        table, ratios = throughput_table(pages * replica, label, workers)
        section.tables.append(table)
        section.notes += [
            f"{label}: all cores / plain trafilatura = {ratios['all_cores_vs_plain']:.2f}x, target "
            f"{verdict(ratios['all_cores_vs_plain'], ALL_CORES_TARGET)}",
            f"{label}: single-process overhead over plain trafilatura = {ratios['overhead_wall']:+.0%} wall, "
            f"{ratios['overhead_cpu']:+.0%} CPU; target by wall "
            f"{verdict(ratios['overhead_wall'], OVERHEAD_TARGET, at_most=True)}, "
            f"by CPU {verdict(ratios['overhead_cpu'], OVERHEAD_TARGET, at_most=True)}",
        ]
    with tempfile.TemporaryDirectory() as workdir:
        table, notes = startup(Path(workdir))
    section.tables.append(table)
    section.notes += notes
    return section
