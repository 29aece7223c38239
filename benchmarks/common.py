"""What every benchmark shares: where ../shared is, timing, result tables and the dated record in the docs."""

from __future__ import annotations

import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DANGJIAN_SHARED_DIR", REPO.parent / "shared"))
RESULTS = REPO / "docs" / "benchmarks.md"


class Skipped(Exception):
    """A benchmark cannot run here (its input or service is absent); the message says why."""


def progress(message: str) -> None:
    """A line on stderr while a long step runs (the tables go to stdout at the end)."""
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def corpus_dir() -> Path:
    corpus = SHARED / "corpus"
    if not (corpus / "pages").is_dir():
        raise Skipped(
            f"{corpus}/pages is absent (set DANGJIAN_SHARED_DIR to the shared folder): "
            "the real-page corpus lives beside the clone, never in the repo"
        )
    return corpus


def corpus_pages(corpus: Path) -> list[Path]:
    return sorted((corpus / "pages").glob("*.html"))


def cores() -> int:
    return os.cpu_count() or 1


def machine() -> str:
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    python = f"Python {platform.python_version()}, {platform.machine()}"
    return f"{cores()} cores, load average {load} at start, {python}"


@dataclass(frozen=True)
class Timing:
    """Wall-clock and CPU seconds of one measured step (CPU of this process plus children it reaped)."""

    items: int
    wall: float
    cpu: float

    @property
    def per_second(self) -> float:
        return self.items / self.wall if self.wall else float("inf")

    @property
    def per_cpu_second(self) -> float:
        return self.items / self.cpu if self.cpu else float("inf")


def _cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(items: int, work: Callable[[], object]) -> Timing:
    """Run `work` once; child processes count only once reaped (a process pool's are, when it shuts down)."""
    cpu, started = _cpu_seconds(), time.perf_counter()
    work()
    return Timing(items, time.perf_counter() - started, _cpu_seconds() - cpu)


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def verdict(value: float, target: float, *, at_most: bool = False) -> str:
    met = value <= target if at_most else value >= target
    return f"{'met' if met else 'MISSED'} ({'<=' if at_most else '>='} {target:g})"


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[object]] = field(default_factory=list)

    def add(self, *values: object) -> None:
        self.rows.append(list(values))

    def markdown(self) -> str:
        lines = [
            f"**{self.title}**",
            "",
            "| " + " | ".join(self.columns) + " |",
            "|" + "|".join("---" for _ in self.columns) + "|",
        ]
        lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in self.rows]
        return "\n".join(lines)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    return str(value).replace("|", "\\|")


@dataclass
class Section:
    """One benchmark's outcome: tables plus notes (targets, caveats), printed and appended to the docs."""

    name: str
    parameters: str
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def markdown(self, stamp: str, machine_line: str) -> str:
        parts = [f"### {stamp} — {self.name}", "", f"{machine_line}; {self.parameters}.", ""]
        for table in self.tables:
            parts += [table.markdown(), ""]
        parts += [f"- {note}" for note in self.notes]
        return "\n".join(parts).rstrip() + "\n"


def publish(section: Section, *, record: bool, machine_line: str | None = None) -> None:
    text = section.markdown(
        datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"), machine_line or machine()
    )
    print(text, flush=True)
    if record:
        with RESULTS.open("a", encoding="utf-8") as results:
            results.write("\n" + text)
