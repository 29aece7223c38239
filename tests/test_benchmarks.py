"""`make bench` keeps working: the crawl benchmark, at a tiny size, runs end to end and loses no page.

No timing is asserted here (speed targets live in the benchmarks' own reports, docs/benchmarks.md).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_crawl_benchmark_runs_and_archives_every_farm_page_once():
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--only", "crawl", "--farm-pages", "60", "--no-record"],
        cwd=REPO, capture_output=True, text=True, timeout=600)

    assert result.returncode == 0, result.stderr[-2000:]
    rows = [line for line in result.stdout.splitlines() if line.startswith("| crawlers/settings.py")]
    assert rows, result.stdout[-2000:]
    cells = [cell.strip() for cell in rows[0].strip("|").split("|")]
    responses, archived, missing, twice = cells[1:5]
    assert responses == archived and missing == "0" and twice == "0"
