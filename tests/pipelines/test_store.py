"""The store on a real database: every test runs on a SQLite file and on PostgreSQL (`db_url` fixture)."""

from __future__ import annotations

import dataclasses
import json
import random
import re
import sqlite3
import threading
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, func, select, text

from pipelines import dedup
from pipelines import store as store_module
from pipelines.models import Base
from pipelines.records import Article, FetchedPage, Image
from pipelines.store import DedupIndexStaleError, Store, StoreBusyError, StoreUnavailableError
from pipelines.store import engine as store_engine
from pipelines.store import loading as store_loading
from pipelines.store import near_dups as store_near_dups
from tests.pipelines import syndication

SHANGHAI = ZoneInfo("Asia/Shanghai")
REPO = Path(__file__).resolve().parents[2]


def article(url: str, body: str, **fields) -> Article:
    fields.setdefault("title", "标题")
    fields.setdefault("extractor_version", "test-1")
    return Article(url=url, body=body, **fields)


def stories(count: int, seed: int = 3) -> list[syndication.Story]:
    rng = random.Random(seed)
    found: dict[str, syndication.Story] = {}
    while len(found) < count:
        story = syndication.story(rng, sentences=6)
        found.setdefault(story.body, story)
    return list(found.values())


def table_counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as connection:
        counts = {t.name: connection.execute(select(func.count()).select_from(t)).scalar()
                  for t in Base.metadata.sorted_tables}
    engine.dispose()
    return counts


def _not_search_index(name, kind, _parents) -> bool:
    """The full-text index is dialect-specific: FTS5 tables (SQLite), an expression GIN index (PostgreSQL)."""
    return not (name or "").startswith(("article_fts", "ix_article_search_document"))


def test_migrations_build_exactly_the_models(db_url):
    Store(db_url)
    engine = create_engine(db_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": _not_search_index})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


def test_loading_the_same_batch_twice_changes_nothing(db_url):
    db = Store(db_url)
    batch = [article(f"http://a.test/{i}.html", s.body, title=s.title,
                     images=[Image(f"http://a.test/{i}.jpg", "图")]) for i, s in enumerate(stories(5))]
    first = db.load(batch, site="a")
    counts = table_counts(db_url)
    second = db.load(batch, site="a")
    assert (first.new, first.unchanged, first.stories) == (5, 0, 5)
    assert (second.new, second.updated, second.unchanged, second.duplicates) == (0, 0, 5, 0)
    assert table_counts(db_url) == counts
    recrawl = db.load([dataclasses.replace(a, fetched_at=datetime(2030, 1, 1, tzinfo=SHANGHAI)) for a in batch],
                      site="a")
    assert (recrawl.updated, recrawl.unchanged) == (0, 5)
    assert counts["articles"] == 5 and counts["images"] == 5 and counts["clusters"] == 5
    assert db.known_urls("a") == {a.url for a in batch}
    assert db.known_urls("b") == set()


def test_syndicated_copies_on_other_sites_join_one_story_and_hard_negatives_do_not(db_url):
    db = Store(db_url)
    rng = random.Random(5)
    original, other_story = stories(2, seed=9)
    copies = syndication.copies_of(original.body, rng, count=3)
    template_mate = syndication.in_chrome(other_story.body, "东湖党建网", "东湖", 0)
    db.load([article("http://county.test/1.html", syndication.in_chrome(original.body, "东湖党建网", "东湖", 0)),
             article("http://county.test/2.html", template_mate)], site="county")
    result = db.load([article(f"http://city.test/{i}.html", copy) for i, copy in enumerate(copies)], site="city")
    assert (result.new, result.duplicates, result.stories) == (3, 3, 0)
    rows = list(db.export_rows())
    assert len(rows) == 2
    story = next(r for r in rows if r["url"] == "http://county.test/1.html")
    assert story["urls"] == sorted(["http://county.test/1.html", *(f"http://city.test/{i}.html" for i in range(3))])
    assert next(r for r in rows if r["url"] == "http://county.test/2.html")["urls"] == ["http://county.test/2.html"]


def test_sites_loading_copies_of_the_same_stories_at_once_still_found_each_story_once(db_url):
    """The nightly flow loads sites in parallel threads; a copy committed meanwhile must not found a second story."""
    originals = stories(12, seed=21)
    per_site = {site: [article(f"http://{site}.test/{i}.html", f"{s.body}\n来源：{site}党建网")
                       for i, s in enumerate(originals)] for site in ("county", "city", "school")}
    start = threading.Barrier(len(per_site))
    results = {}

    def load_one_by_one(site: str) -> None:
        db = Store(db_url)
        start.wait()
        results[site] = [db.load([copy], site=site) for copy in per_site[site]]

    threads = [threading.Thread(target=load_one_by_one, args=(site,)) for site in per_site]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    loads = [load for site_loads in results.values() for load in site_loads]
    assert len(loads) == 3 * len(originals)
    assert sum(load.stories for load in loads) == len(originals)
    assert sum(load.duplicates for load in loads) == 2 * len(originals)
    assert len(list(Store(db_url).export_rows())) == len(originals)


def _two_stories_with_copies(db: Store) -> list[str]:
    original, other = stories(2, seed=11)
    copies = syndication.copies_of(original.body, random.Random(2), count=2)
    db.load([article("http://county.test/1", original.body), article("http://county.test/2", other.body)],
            site="county")
    db.load([article(f"http://city.test/{i}", copy) for i, copy in enumerate(copies)], site="city")
    return copies


def test_a_changed_dedup_setting_stops_loads_until_reindex_rebuilds_the_stories(db_url, monkeypatch):
    db = Store(db_url)
    copies = _two_stories_with_copies(db)
    before = table_counts(db_url)
    changed = dataclasses.replace(dedup.load_rules(), shingle_size=4)
    monkeypatch.setattr(dedup, "load_rules", lambda: changed)

    with pytest.raises(DedupIndexStaleError, match=r"shingle_size 5 → 4.*dangjian reindex"):
        db.load([article("http://town.test/1", copies[0])], site="town")
    with pytest.raises(DedupIndexStaleError):
        db.check(copies[0])
    assert table_counts(db_url) == before

    rebuilt = db.reindex()
    assert (rebuilt.stories, rebuilt.duplicates) == (2, 2)
    assert db.check(copies[1]).kind == "exact"
    joined = db.load([article("http://town.test/1", copies[0] + "\n（完）")], site="town")
    assert (joined.new, joined.duplicates, joined.stories) == (1, 1, 0)
    assert len(list(db.export_rows())) == 2


def test_an_interrupted_reindex_keeps_loads_out_until_it_is_run_again(db_url, monkeypatch):
    db = Store(db_url)
    copies = _two_stories_with_copies(db)

    def fail(*_args):
        raise RuntimeError("killed")

    with monkeypatch.context() as patched:
        patched.setattr(store_near_dups, "choose_canonical", fail)
        with pytest.raises(RuntimeError, match="killed"):
            db.reindex()
    with pytest.raises(DedupIndexStaleError, match="has not finished"):
        db.load([article("http://town.test/1", copies[0])], site="town")

    assert (db.reindex().stories, len(list(db.export_rows()))) == (2, 2)
    assert db.load([article("http://town.test/1", copies[0])], site="town").duplicates == 1


def test_a_new_threshold_needs_no_reindex(db_url, monkeypatch):
    db = Store(db_url)
    copies = _two_stories_with_copies(db)
    stricter = dataclasses.replace(dedup.load_rules(), threshold=0.6)
    monkeypatch.setattr(dedup, "load_rules", lambda: stricter)
    assert db.load([article("http://town.test/1", copies[0])], site="town").new == 1


def test_check_tells_which_stored_story_a_body_would_join_without_storing_it(db_url):
    db = Store(db_url)
    original, other = stories(2, seed=8)
    db.load([article("http://a.test/1", original.body)], site="a")
    (story,) = db.export_rows()
    copy = syndication.copies_of(original.body, random.Random(1), count=1)[0]
    assert (db.check(copy).cluster_id, db.check(copy).matched_article_id) == (story["cluster_id"], story["id"])
    assert db.check(other.body).kind == "founder"
    assert len(list(db.export_rows())) == 1


def test_an_identical_body_in_the_same_batch_is_an_exact_duplicate(db_url):
    db = Store(db_url)
    body = stories(1)[0].body
    result = db.load([article("http://a.test/1", body), article("http://b.test/1", f"【转载】\n{body}\n来源：某某网")],
                     site="a")
    assert (result.new, result.duplicates, result.stories) == (2, 1, 1)
    engine = create_engine(db_url)
    with engine.connect() as connection:
        kinds = connection.execute(text("SELECT match_kind, similarity FROM cluster_members ORDER BY article_id")).all()
    engine.dispose()
    assert [tuple(k) for k in kinds] == [("founder", 1.0), ("exact", 1.0)]


def test_a_reload_replaces_the_fields_as_a_whole_and_clears_what_it_lacks(db_url):
    db = Store(db_url)
    body = stories(1)[0].body
    published = datetime(2021, 6, 4, tzinfo=SHANGHAI)
    db.load([article("http://a.test/1", body, title="原标题", authors=["王建国"], published_at=published,
                     date_precision="day", date_source="label:发布时间", images=[Image("http://a.test/1.jpg")])],
            site="a")
    result = db.load([article("http://a.test/1", body, title=None, authors=[], source="东湖日报")], site="a")
    assert (result.new, result.updated) == (0, 1)
    (row,) = db.export_rows()
    assert (row["title"], row["authors"], row["source"]) == (None, [], "东湖日报")
    assert (row["published_at"], row["date_precision"], row["date_source"]) == (None, None, None)
    assert row["images"] == []


def test_published_times_come_back_aware_in_utc(db_url):
    db = Store(db_url)
    published = datetime(2021, 6, 4, 9, 30, tzinfo=SHANGHAI)
    db.load([article("http://a.test/1", stories(1)[0].body, published_at=published, date_precision="minute")],
            site="a")
    engine = create_engine(db_url)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT published_at FROM articles")).scalar()
    engine.dispose()
    assert str(stored).startswith("2021-06-04 01:30:00")
    (row,) = db.export_rows()
    assert row["published_at"] == "2021-06-04T09:30:00+08:00"
    assert db.stats()[0]["first_published"] == published


def test_the_canonical_copy_is_the_earliest_published_then_the_most_complete(db_url):
    db = Store(db_url)
    body = stories(1)[0].body
    day = datetime(2022, 3, 1, tzinfo=SHANGHAI)
    db.load([article("http://late.test/1", body, published_at=day.replace(day=5), date_precision="day")], site="late")
    db.load([article("http://bare.test/1", body, title=None, published_at=day, date_precision="day"),
             article("http://rich.test/1", body, authors=["李红梅"], source="日报", published_at=day,
                     date_precision="day")], site="other")
    (row,) = db.export_rows()
    assert row["url"] == "http://rich.test/1"
    assert row["urls"] == ["http://bare.test/1", "http://late.test/1", "http://rich.test/1"]
    copies = list(db.export_rows(all_copies=True))
    assert len(copies) == 3 and {c["story_url"] for c in copies} == {"http://rich.test/1"}
    assert [c["is_canonical"] for c in copies].count(True) == 1


def test_a_new_body_moves_the_article_to_its_new_story(db_url):
    db = Store(db_url)
    first, second = stories(2)
    db.load([article("http://a.test/1", first.body), article("http://b.test/1", first.body)], site="a")
    result = db.load([article("http://b.test/1", second.body)], site="a")
    assert (result.updated, result.stories) == (1, 1)
    assert sorted(len(r["urls"]) for r in db.export_rows()) == [1, 1]


def test_clean_articles_view_has_one_row_per_story_with_all_its_urls(db_url):
    db = Store(db_url)
    first, second = stories(2)
    db.load([article("http://a.test/1", first.body, canonical_url="http://a.test/canonical/1"),
             article("http://a.test/2", second.body)], site="a")
    db.load([article("http://b.test/1", first.body)], site="b")
    engine = create_engine(db_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT canonical_url, copies, urls FROM clean_articles ORDER BY canonical_url"))
        view = [(url, copies, urls if isinstance(urls, list) else json.loads(urls)) for url, copies, urls in rows]
        columns = set(connection.execute(text("SELECT * FROM clean_articles")).keys())
    engine.dispose()
    assert view == [("http://a.test/2", 1, ["http://a.test/2"]),
                    ("http://a.test/canonical/1", 2, ["http://a.test/1", "http://a.test/canonical/1", "http://b.test/1"])]
    listed, left_out = documented_view_columns()
    assert columns == listed
    # every article column is either in the view or named as left out, and none is both
    article_columns = set(Base.metadata.tables["articles"].columns.keys())
    assert (listed & article_columns) | left_out == article_columns
    assert not listed & left_out


def documented_view_columns() -> tuple[set[str], set[str]]:
    """docs/schema.md's `clean_articles` section: the columns its table lists, and the article columns it
    says the view leaves out."""
    doc = (REPO / "docs" / "schema.md").read_text(encoding="utf-8")
    section = doc.split("## `clean_articles` (view)", 1)[1].split("\n#", 1)[0]
    table = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    left_out = section.split("Every other column of `articles` is left out:", 1)[1].split("; join", 1)[0]
    left_out = re.sub(r"\([^)]*\)", "", left_out)  # the asides name view columns standing in for them
    return set(re.findall(r"`(\w+)`", " ".join(table))), set(re.findall(r"`(\w+)`", left_out))


def test_export_filters_by_site_and_publication_day(db_url):
    db = Store(db_url)
    first, second = stories(2)
    db.load([article("http://a.test/1", first.body, published_at=datetime(2020, 1, 1, tzinfo=SHANGHAI),
                     date_precision="day"),
             article("http://a.test/2", second.body, published_at=datetime(2023, 5, 6, 0, 30, tzinfo=SHANGHAI),
                     date_precision="minute")], site="a")
    db.load([article("http://b.test/1", first.body)], site="b")
    assert [r["url"] for r in db.export_rows(since=date(2023, 5, 6))] == ["http://a.test/2"]
    assert [r["url"] for r in db.export_rows(site="b")] == ["http://a.test/1"]
    assert [r["url"] for r in db.export_rows(site="b", all_copies=True)] == ["http://b.test/1"]


def test_search_finds_a_segmented_word_ranked_with_a_snippet(db_url):
    db = Store(db_url)
    db.load([article("http://a.test/1", "今天天气很好。" * 20, title="天气"),
             article("http://a.test/2", "我们召开了基层党建工作推进会，研究部署乡村振兴任务。" * 3 + "其他内容。" * 20,
                     title="推进会"),
             article("http://b.test/1", "他们讨论了乡村振兴的经验做法，交流很热烈，收获很大。" * 10, title="交流")],
            site="a")
    hits = db.search("乡村振兴")
    assert [h["url"] for h in hits] == ["http://b.test/1", "http://a.test/2"]
    assert "[乡村振兴]" in hits[1]["snippet"] and " " not in hits[1]["snippet"]
    assert [h["url"] for h in db.search("党建")] == ["http://a.test/2"]
    assert db.search("乡村振兴", limit=1)[0]["url"] == "http://b.test/1"
    assert db.search("不存在的词语组合") == []


def test_search_filters_by_site_and_keeps_one_hit_per_story(db_url):
    db = Store(db_url)
    body = "各级党组织要压紧压实管党治党政治责任，推动全面从严治党向纵深发展。" * 5
    db.load([article("http://a.test/1", body)], site="a")
    db.load([article("http://b.test/1", body)], site="b")
    assert len(db.search("从严治党")) == 1
    assert [h["site"] for h in db.search("从严治党", site="b")] == ["b"]
    assert db.search("从严治党", since=date(2999, 1, 1)) == []
    assert len(db.search("从严治党", since=date(2000, 1, 1))) == 1


def test_runs_fetches_and_statistics(db_url):
    db = Store(db_url)
    run = db.start_run("a", "nightly")
    db.record_fetches([FetchedPage("http://a.test/1", b"<html>", status=200, site="a", archive_ref="x.warc.gz#0"),
                       FetchedPage("http://a.test/404", b"", status=404, site="a", archive_ref="x.warc.gz#512"),
                       FetchedPage(None, "一份文本导出的全文。".encode(), site="a")], run_id=run)  # a text dump: no fetch
    body = stories(1)[0].body
    db.load([article("http://a.test/1", body, published_at=datetime(2021, 1, 2, tzinfo=SHANGHAI),
                     date_precision="day")], site="a", run_id=run)
    db.finish_run(run, stats={"pages": 2, "when": date(2021, 1, 2)})
    failed = db.start_run("b", "backfill")
    db.load([article("http://b.test/1", body)], site="b", run_id=failed)
    db.finish_run(failed, stats={}, error="timeout")
    stats = {row["site"]: row for row in db.stats()}
    assert (stats["a"]["articles"], stats["a"]["stories"], stats["a"]["duplicates"]) == (1, 1, 0)
    assert (stats["b"]["articles"], stats["b"]["stories"], stats["b"]["duplicates"]) == (1, 0, 1)
    assert (stats["a"]["runs"], stats["a"]["errors"], stats["b"]["errors"]) == (1, 0, 1)
    summary = {row["name"]: row for row in db.sites_summary()}
    assert summary["b"]["last_error"] == "timeout" and summary["a"]["last_error"] is None
    assert summary["a"]["last_crawl"].tzinfo is not None
    assert table_counts(db_url)["fetches"] == 2


def test_reading_the_archive_again_keeps_one_fetch_row_per_record(db_url, tmp_path):
    """What `reprocess` does each time: every record of the archive through ingest_pages again."""
    from pipelines.archive import ArchiveWriter, read_archive
    from pipelines.ingest import ingest_pages

    path = tmp_path / "archive" / "a" / "night.warc.gz"
    with ArchiveWriter(path) as writer:
        for number, story in enumerate(stories(3)):
            writer.write(FetchedPage(f"http://a.test/{number}", f"<html><body><h1>标题{number}</h1><p>{story.body}"
                                     "</p></body></html>".encode(), status=200, site="a", kind="article",
                                     headers={"content-type": "text/html; charset=utf-8"}))
        writer.write(FetchedPage("http://a.test/list", b"<html></html>", status=200, site="a", kind="list"))
    db = Store(db_url)

    for _ in range(3):
        ingest_pages(read_archive(path), db, site="a", run_id=db.start_run("a", "reprocess"))

    assert table_counts(db_url)["fetches"] == 4
    assert table_counts(db_url)["articles"] == 3


def test_the_migration_keeps_the_first_row_of_each_record_recorded_twice(tmp_path):
    from alembic import command
    from alembic.config import Config

    url = f"sqlite:///{tmp_path / 'old.db'}"
    settings = Config()
    settings.set_main_option("script_location", str(store_module.MIGRATIONS))
    engine = create_engine(url)
    insert_fetch = text("INSERT INTO fetches (id, run_id, site_id, url, status, kind, archive_ref, size, "
                        "recorded_at) VALUES (:id, :run, 1, :url, 200, 'article', :ref, 10, '2024-05-01 00:00:00')")
    with engine.begin() as connection:
        settings.attributes["connection"] = connection
        command.upgrade(settings, "0007")
        connection.execute(text("INSERT INTO sites (id, name, created_at) VALUES (1, 'a', '2024-05-01 00:00:00')"))
        connection.execute(text("INSERT INTO crawl_runs (id, site_id, mode, status, started_at) VALUES "
                                "(1, 1, 'nightly', 'ok', '2024-05-01 00:00:00'), "
                                "(2, 1, 'reprocess', 'ok', '2024-05-02 00:00:00')"))
        for id_, run, ref in [(1, 1, "a/x.warc.gz#0"), (2, 1, "a/x.warc.gz#900"), (3, 2, "a/x.warc.gz#0"),
                              (4, 2, "a/x.warc.gz#900"), (5, 2, None), (6, 2, None)]:
            connection.execute(insert_fetch, {"id": id_, "run": run, "url": f"http://a.test/{id_}", "ref": ref})
    engine.dispose()

    store = Store(url)

    with store.engine.connect() as connection:
        kept = connection.execute(text("SELECT id, run_id, archive_ref FROM fetches ORDER BY id")).all()
    assert [tuple(row) for row in kept] == [(1, 1, "a/x.warc.gz#0"), (2, 1, "a/x.warc.gz#900"), (5, 2, None),
                                            (6, 2, None)]


def test_known_urls_include_every_url_an_article_was_seen_at(db_url):
    db = Store(db_url)
    db.load([article("http://a.test/list?id=1", stories(1)[0].body, canonical_url="http://a.test/1.html")], site="a")
    assert db.known_urls("a") == {"http://a.test/list?id=1", "http://a.test/1.html"}


def test_an_article_without_any_url_is_refused(db_url):
    with pytest.raises(ValueError, match="neither canonical_url nor url"):
        Store(db_url).load([Article(body="正文")], site="a")


def _hold_write_lock(path: str, seconds: float) -> threading.Thread:
    locked = threading.Event()

    def hold() -> None:
        connection = sqlite3.connect(path, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        locked.set()
        threading.Event().wait(seconds)
        connection.execute("ROLLBACK")
        connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    locked.wait()
    return thread


def test_sqlite_waits_for_another_writer_then_gives_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(store_engine, "SQLITE_BUSY_TIMEOUT_MS", 50)
    monkeypatch.setattr(store_engine, "BUSY_FIRST_WAIT", 0.05)
    monkeypatch.setattr(store_engine, "BUSY_RETRIES", 2)
    path = tmp_path / "busy.db"
    db = Store(f"sqlite:///{path}")
    holder = _hold_write_lock(str(path), 0.2)
    assert db.load([article("http://a.test/1", "正文" * 50)], site="a").new == 1  # retried until released
    holder.join()
    holder = _hold_write_lock(str(path), 2.0)
    with pytest.raises(StoreBusyError, match="locked by another writer"):
        db.load([article("http://a.test/2", "正文" * 50)], site="a")
    holder.join()
    assert db.known_urls("a") == {"http://a.test/1"}


@pytest.mark.postgres
@pytest.mark.parametrize(("path", "cause"), [
    ("/never_created_db", 'database "never_created_db" does not exist (create it'),
    ("/test?user=no_such_role", 'role "no_such_role" does not exist (fix the user or password'),
    ("/test?no_such_option=1", 'invalid connection option "no_such_option" (fix the database URL)'),
])
def test_a_database_no_retry_can_help_fails_at_the_first_attempt_naming_the_cause(postgres_database, monkeypatch,
                                                                                   path, cause):
    from tests.db import PG_SERVER

    attempts = []
    real_migrate = store_engine.migrate
    monkeypatch.setattr(store_engine, "migrate", lambda engine: (attempts.append(1), real_migrate(engine)))
    with pytest.raises(StoreUnavailableError) as raised:
        Store(f"{PG_SERVER}{path}")
    assert attempts == [1]
    assert str(raised.value).startswith(f"{PG_SERVER}{path.partition('?')[0]}") and cause in str(raised.value)
    assert "raw archive" not in str(raised.value), "the commands that fetched pages say so themselves"


@pytest.mark.postgres
def test_a_user_without_the_privileges_fails_at_once_naming_the_permission(postgres_database, monkeypatch):
    """PostgreSQL 15 grants no CREATE on schema public to other users: a role of its own migrates nothing."""
    import uuid

    from sqlalchemy.engine import make_url

    role = f"dangjian_unprivileged_{uuid.uuid4().hex[:8]}"
    admin = create_engine(postgres_database, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE ROLE "{role}" LOGIN'))
    attempts = []
    real_migrate = store_engine.migrate
    monkeypatch.setattr(store_engine, "migrate", lambda engine: (attempts.append(1), real_migrate(engine)))
    try:
        with pytest.raises(StoreUnavailableError) as raised:
            Store(make_url(postgres_database).set(username=role).render_as_string(hide_password=False))
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP ROLE "{role}"'))
        admin.dispose()
    assert attempts == [1]
    assert "permission denied for" in str(raised.value)
    assert "(grant the database user the privilege it lacks)" in str(raised.value)


def test_the_default_database_is_a_wal_sqlite_file_in_the_data_dir(data_dir):
    db = Store()
    db.load([article("http://a.test/1", "正文" * 50)], site="a")
    connection = sqlite3.connect(data_dir / "dangjian.db")
    assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert connection.execute("SELECT count(*) FROM articles").fetchone() == (1,)
    connection.close()



def analyze_count(url: str, table: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        count = connection.execute(text("SELECT analyze_count FROM pg_stat_user_tables WHERE relname = :table"),
                                   {"table": table}).scalar()
    engine.dispose()
    return count


@pytest.mark.postgres
def test_a_bulk_load_refreshes_postgresql_statistics_so_dedup_lookups_use_the_indexes(postgres_database, monkeypatch):
    from tests.db import _empty_postgres

    _empty_postgres(postgres_database)
    monkeypatch.setattr(store_loading, "ANALYZE_EVERY_NEW", 3)
    store = Store(postgres_database)
    bodies = [s.body for s in stories(3, seed=9)]
    before = analyze_count(postgres_database, "cluster_members")

    store.load([article(f"http://a.example/{i}", body) for i, body in enumerate(bodies[:2])], site="a")
    below_threshold = analyze_count(postgres_database, "cluster_members")
    store.load([article("http://a.example/2", bodies[2])], site="a")

    assert below_threshold == before
    assert analyze_count(postgres_database, "cluster_members") == before + 1



def test_opening_a_database_another_connection_is_writing_to_waits_instead_of_failing(tmp_path):
    """Several sites open the store at once in the nightly flow: the first connection switches the new file to
    WAL and migrates while the others connect; they must wait for its lock, not fail with "database is locked"."""
    path = tmp_path / "busy.db"
    writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    writer.execute("CREATE TABLE other_tool (a)")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO other_tool VALUES (1)")
    release = threading.Timer(1.0, writer.execute, args=("COMMIT",))
    release.start()
    try:
        run_id = Store(f"sqlite:///{path}").start_run("a", "nightly")
    finally:
        release.join()
        writer.close()
    assert run_id == 1


def test_a_first_page_loaded_alone_keeps_the_text_its_later_pages_gave(db_url):
    db = Store(db_url)
    whole, first_only = stories(2)[0].body, stories(2)[1].body
    pages = ["http://a.test/9_2.html", "http://a.test/9_3.html"]
    db.load([article("http://a.test/9.html", whole, title="原标题", page_urls=pages, keywords=["党建"])], site="a")

    result = db.load([article("http://a.test/9.html", first_only, title="新标题", keywords=["别的"])], site="a")

    (row,) = db.export_rows()
    assert result.updated == 1 and row["title"] == "新标题"
    assert (row["body"], row["keywords"], row["page_urls"]) == (whole, ["党建"], pages)


def test_known_urls_include_the_urls_an_article_was_linked_printed_and_paged_at(db_url):
    db = Store(db_url)
    db.load([article("http://a.test/n/5.html", stories(1)[0].body, canonical_url="http://a.test/n/5.html",
                     aliases=["http://a.test/r?id=5"], print_urls=["http://a.test/p/5.html"],
                     page_urls=["http://a.test/n/5_2.html"])], site="a")
    assert db.known_urls("a") == {"http://a.test/n/5.html", "http://a.test/r?id=5", "http://a.test/p/5.html",
                                  "http://a.test/n/5_2.html"}
    assert db.known_urls("b") == set()
