"""The extractor on held-out pages of our own writing (tests/fixtures/unseen_articles, unseen_articles2 and
unseen_articles3, see their READMEs).

The pages were written without reading the extractor, in layouts and byline conventions it was not built on.
They are split in two by a hash of the file name: the tuning half may be looked at when a rule is designed,
the check half is not. Both halves are printed; docs/quality.md records the figures, the first run's
included. Floors sit a little under the measured figures: quality on this set may only go up. The third set
(other CMS families, app/platform shares, Traditional Chinese and bilingual pages, GB18030/Big5 bytes) starts
from its first run, recorded in its README.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path

import pytest

from pipelines.extract import extract_file
from pipelines.people import valid_person

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PAGES = FIXTURES / "unseen_articles"
# Per set, a little under its measured figures (docs/quality.md); the third set's check half was never tuned on.
FLOORS = {
    "unseen_articles": {"title": 0.95, "date": 0.95, "author": 0.95, "editor": 0.95, "source": 0.95,
                        "body_edges": 0.95},
    "unseen_articles2": {"title": 0.95, "date": 0.95, "author": 0.95, "editor": 0.8, "source": 0.9,
                         "body_edges": 0.95},
    "unseen_articles3": {"title": 0.93, "date": 0.78, "author": 0.8, "editor": 0.95, "source": 0.79,
                         "body_edges": 0.95},
}
CEILINGS = {
    "unseen_articles": {"date_invented": 0.0, "leak": 0.05},
    "unseen_articles2": {"date_invented": 0.0, "leak": 0.05},
    "unseen_articles3": {"date_invented": 0.2, "leak": 0.25},
}


def comparable(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def names_found(wanted: list[str], found: list[str]) -> bool:
    joined = "|".join(comparable(name) for name in found)
    return all(comparable(name) in joined for name in wanted)


def half(page: dict) -> str:
    return "check" if int(hashlib.sha1(page["file"].encode()).hexdigest(), 16) % 2 == 0 else "tune"


def scored(page: dict, pages: Path | None = None) -> dict[str, bool]:
    """Per measure, whether this page got it right (a page is scored only on the measures its truth has)."""
    article = extract_file(str((pages or PAGES) / page["file"]))
    published = article.published_at.date().isoformat() if article.published_at else None
    body = comparable(article.body)
    scores = {
        "title": comparable(article.title) == comparable(page["title"]),
        "body_edges": comparable(page["body_first"]) in body and comparable(page["body_last"]) in body,
        "leak": any(comparable(snippet) in body for snippet in page["not_in_body"]),
        "valid_people": all(map(valid_person, [*article.authors, *article.editors, *article.photographers])),
    }
    if page["published"]:
        scores["date"] = published == page["published"]
    else:
        scores["date_invented"] = published is not None
    if page["authors"]:
        scores["author"] = names_found(page["authors"], article.authors)
    if page["editors"]:
        scores["editor"] = names_found(page["editors"], article.editors)
    if page["source"]:
        scores["source"] = comparable(page["source"]) in comparable(article.source)
    return scores


def shares(pages: list[dict]) -> dict[str, float]:
    totals: dict[str, list[int]] = {}
    for page in pages:
        for measure, right in page["scores"].items():
            counted = totals.setdefault(measure, [0, 0])
            counted[0] += right
            counted[1] += 1
    return {measure: good / count for measure, (good, count) in totals.items()}


@pytest.fixture(scope="module", params=sorted(FLOORS))
def held_out(request) -> tuple[str, list[dict]]:
    pages = FIXTURES / request.param
    truth = json.loads((pages / "truth.json").read_text(encoding="utf-8"))
    return request.param, [{**page, "half": half(page), "scores": scored(page, pages)} for page in truth]


def test_the_set_is_what_its_readme_says(held_out):
    _, results = held_out
    assert len(results) == 40
    assert {page["half"] for page in results} == {"tune", "check"}
    assert sum(page["encoding"] == "gbk" for page in results) >= 5
    assert sum(page["published"] is None for page in results) >= 3


def test_held_out_pages_stay_above_their_floors(held_out):
    name, results = held_out
    figures = {part: shares([p for p in results if part in ("all", p["half"])]) for part in ("all", "tune", "check")}
    print(f"\nUNSEEN-ARTICLES {name} " + json.dumps(figures, sort_keys=True))
    overall, floors, ceilings = figures["all"], FLOORS[name], CEILINGS[name]
    assert {m: overall[m] for m in floors if overall[m] < floors[m]} == {}
    assert {m: overall[m] for m in ceilings if overall[m] > ceilings[m]} == {}
    assert overall["valid_people"] == 1.0
