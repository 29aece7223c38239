"""Date candidates and date sources in the database (issue 19): what an operator audits a choice with."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from pipelines.export import write_rows
from pipelines.records import Article
from pipelines.store import Store
from tests.pipelines.test_store import article, stories

SHANGHAI = ZoneInfo("Asia/Shanghai")
LIST_ITEM = {"published_at": "2024-05-10", "precision": "day", "source": "list"}
SIGNED = {"published_at": "2024-04-26", "precision": "day", "source": "label:成文日期"}


def dated(url: str, body: str, day: int, source: str, candidates: list[dict]) -> Article:
    return article(url, body, published_at=datetime(2024, 5, day, tzinfo=SHANGHAI), date_precision="day",
                   date_source=source, date_candidates=candidates)


def test_candidates_are_stored_exported_and_replaced_with_their_date(db_url, tmp_path):
    db = Store(db_url)
    body = stories(1)[0].body
    db.load([dated("http://a.test/1", body, 1, "label:发布时间", [LIST_ITEM, SIGNED])], site="a")
    (row,) = db.export_rows()
    assert (row["published_at"], row["date_candidates"]) == ("2024-05-01", [LIST_ITEM, SIGNED])
    out = tmp_path / "rows.csv"
    with out.open("w", encoding="utf-8", newline="") as handle:
        write_rows(db.export_rows(), handle, "csv")
    assert json.dumps([LIST_ITEM, SIGNED], ensure_ascii=False).replace('"', '""') in out.read_text(encoding="utf-8")

    # re-extracted after the rules changed: a new date without conflicts leaves no stale candidates behind
    result = db.load([dated("http://a.test/1", body, 2, "meta:PubDate", [])], site="a")
    (row,) = db.export_rows()
    assert result.updated == 1
    assert (row["published_at"], row["date_source"], row["date_candidates"]) == ("2024-05-02", "meta:PubDate", [])

    # a re-extraction that finds no date clears the stored one: a wrong date must not stay forever
    db.load([article("http://a.test/1", body)], site="a")
    (row,) = db.export_rows()
    assert (row["published_at"], row["date_source"], row["date_candidates"]) == (None, None, [])


def test_articles_are_counted_per_date_source(db_url):
    db = Store(db_url)
    bodies = [story.body for story in stories(4, seed=11)]
    db.load([dated("http://a.test/1", bodies[0], 1, "label:发布时间", []),
             dated("http://a.test/2", bodies[1], 2, "label:发布时间", []),
             dated("http://b.test/3", bodies[2], 3, "list:relative", [])], site="a")
    db.load([article("http://b.test/4", bodies[3])], site="b")
    assert db.date_sources() == [{"date_source": "label:发布时间", "articles": 2},
                                 {"date_source": "list:relative", "articles": 1},
                                 {"date_source": None, "articles": 1}]


def test_stats_prints_the_date_sources(tmp_path):
    from typer.testing import CliRunner

    from flows.cli import app

    url = f"sqlite:///{tmp_path / 'stats.db'}"
    bodies = [story.body for story in stories(2, seed=5)]
    Store(url).load([dated("http://a.test/1", bodies[0], 1, "url", []), article("http://a.test/2", bodies[1])],
                    site="a")
    result = CliRunner().invoke(app, ["stats", "--db", url, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.splitlines()[-1])["date_sources"] == [
        {"date_source": "url", "articles": 1}, {"date_source": None, "articles": 1}]
