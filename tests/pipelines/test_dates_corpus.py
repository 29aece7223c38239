"""Publication dates measured on the shared corpus: day accuracy and no invented dates."""

from __future__ import annotations

import json

import pytest

from pipelines.dates import publication_date

pytestmark = pytest.mark.shared


def corpus_dates(shared_dir):
    corpus = shared_dir / "corpus"
    for line in (corpus / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        truth = json.loads(line)
        if truth["published_kind"] not in ("day", "absent"):
            continue
        encoding = truth["encoding"].split("(")[0]
        html = (corpus / "pages" / f"{truth['id']}.html").read_bytes().decode(encoding, errors="replace")
        guess = publication_date(html=html, url=truth["url"])
        yield truth, guess.value.date().isoformat() if guess.value else None


def test_corpus_day_accuracy_and_no_invented_dates(shared_dir):
    results = list(corpus_dates(shared_dir))
    dated = [(truth, got) for truth, got in results if truth["published_kind"] == "day"]
    invented = [truth["id"] for truth, got in results if truth["published_kind"] == "absent" and got]
    wrong = [(truth["id"], truth["published"], got) for truth, got in dated if got != truth["published"]]
    assert dated and 1 - len(wrong) / len(dated) >= 0.95, wrong
    assert not invented
