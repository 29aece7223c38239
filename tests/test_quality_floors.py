"""Extraction quality may only go up: the shared scorers run against the real CLI and must stay above floors.

Floors sit a little under the figures in docs/quality.md. Per source group, body F1 must also stay at or
above plain `trafilatura.bare_extraction` on the same pages (measured once, recorded here and in the doc).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DANGJIAN = REPO / ".venv" / "bin" / "dangjian"

OVERALL_FLOORS = {
    "body_f1": 0.94,
    "precision": 0.92,
    "recall": 0.95,
    "title": 0.95,
    "author": 0.85,
    "editor": 0.95,
}
OVERALL_CEILINGS = {"without_leak": 0.02, "empty_articles": 0.03, "date_invented": 0.2}
# Plain trafilatura.bare_extraction (bytes in, defaults) on the dev corpus, body F1 per source group.
TRAFILATURA_BODY_F1 = {
    "cwced": 0.710,
    "fundus": 0.974,
    "magichtml": 0.838,
    "newspaper4k": 0.999,
    "readability": 0.988,
}

pytestmark = [pytest.mark.slow, pytest.mark.shared, pytest.mark.xdist_group("corpus-scores")]  # scored once


def extract_command() -> str:
    if not DANGJIAN.exists():
        pytest.skip(f"{DANGJIAN} is not installed: run `make test` (it installs the project into .venv)")
    return f"{DANGJIAN} extract --json"


def test_every_sample_file_field_matches(shared_dir):
    run = subprocess.run(
        [sys.executable, str(shared_dir / "tools" / "check_seeds.py"), "--cmd", extract_command()],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.stdout.strip().endswith(" 0 failed"), run.stdout[-3000:] + run.stderr[-2000:]


@pytest.fixture(scope="module")
def corpus_scores(shared_dir, tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("scores") / "corpus.json"
    run = subprocess.run(
        [
            sys.executable,
            str(shared_dir / "tools" / "score_corpus.py"),
            "--corpus",
            str(shared_dir / "corpus"),
            "--cmd",
            extract_command(),
            "--json-out",
            str(out),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert out.exists(), run.stdout[-2000:] + run.stderr[-2000:]
    return json.loads(out.read_text(encoding="utf-8"))


def test_corpus_overall_floors(corpus_scores):
    overall = corpus_scores["overall"]
    assert overall["crash"] == 0
    low = {key: overall[key] for key, floor in OVERALL_FLOORS.items() if overall[key] < floor}
    high = {key: overall[key] for key, ceiling in OVERALL_CEILINGS.items() if overall[key] > ceiling}
    assert not low and not high, f"below floor: {low}; above ceiling: {high}"


def test_no_source_group_below_plain_trafilatura(corpus_scores):
    per_source = corpus_scores["per_source"]
    worse = {
        source: round(per_source[source]["body_f1"], 3)
        for source, baseline in TRAFILATURA_BODY_F1.items()
        if per_source[source]["body_f1"] < baseline
    }
    assert not worse, f"body F1 below plain trafilatura: {worse}"
