"""Archive refs survive a move of the data directory: the store keeps refs under the local archive relative to
it, reading resolves them against the archive configured now, and migration 0010 rewrites the absolute refs
stored before. On SQLite and PostgreSQL, through real WARC files."""

from __future__ import annotations

import re
import shutil

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from pipelines.archive import read_archive, read_record
from pipelines.ingest import ingest_pages
from pipelines.store import MIGRATIONS, Store
from tests.pipelines.test_multipage import PAGE_URL, SITE, crawl_order, expected_body, write_warc

RELATIVE_REF = re.compile(rf"{SITE}/night\.warc\.gz#\d+")


@pytest.fixture(scope="module")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


def refs(db_url: str, table: str) -> list[tuple[int, str | None]]:
    engine = create_engine(db_url)
    with engine.connect() as connection:
        found = [tuple(row) for row in connection.execute(text(f"SELECT id, archive_ref FROM {table} ORDER BY id"))]
    engine.dispose()
    return found


def test_reprocess_reads_every_page_and_the_parts_after_the_data_directory_moved(
        db_url, tmp_path, monkeypatch, prefect_harness):
    from flows.maintenance import reprocess

    data, moved = tmp_path / "data", tmp_path / "moved"
    monkeypatch.setenv("DANGJIAN_DATA_DIR", str(data))
    monkeypatch.setenv("DANGJIAN_DB_URL", db_url)
    monkeypatch.delenv("DANGJIAN_ARCHIVE_URL", raising=False)
    warc = write_warc(data / "archive" / SITE / "night.warc.gz", crawl_order())
    first = ingest_pages(read_archive(warc), Store(db_url), site=SITE)
    assert (first.article_pages, first.part_pages, first.errors) == (1, 2, [])
    fetches, articles = refs(db_url, "fetches"), refs(db_url, "articles")
    assert len(fetches) == 4 and all(RELATIVE_REF.fullmatch(ref) for _, ref in fetches + articles)

    shutil.move(data, moved)
    monkeypatch.setenv("DANGJIAN_DATA_DIR", str(moved))
    assert [read_record(ref).url for _, ref in fetches] == [page.url for page in crawl_order()]

    [report] = reprocess(site=SITE).values()

    assert (report["article_pages"], report["part_pages"], report["list_pages"]) == (1, 2, 1)
    assert report["errors"] == 0, f"every part is read back through its stored ref: {report['error_samples']}"
    [row] = Store(db_url).export_rows(all_copies=True)
    assert row["body"] == expected_body() and row["page_urls"] == [PAGE_URL[2], PAGE_URL[3]]
    assert refs(db_url, "fetches") == fetches, "the records read again from the moved archive are the same rows"
    assert refs(db_url, "articles") == articles


def migrate(db_url: str, step, revision: str) -> None:
    """Alembic directly: `Store` migrates a database once per process."""
    settings = Config()
    settings.set_main_option("script_location", str(MIGRATIONS))
    engine = create_engine(db_url)
    with engine.begin() as connection:
        settings.attributes["connection"] = connection
        step(settings, revision)
    engine.dispose()


def test_migration_0010_makes_refs_under_the_archive_relative_keeping_the_first_of_colliding_rows(
        db_url, data_dir):
    Store(db_url)
    migrate(db_url, command.downgrade, "0009")
    archive = data_dir / "archive"
    rows = [  # (id, archive_ref) of fetches, in the order they were recorded
        (1, f"{archive}/{SITE}/a.warc.gz#0"),
        (2, f"{SITE}/a.warc.gz#0"),  # the same record, recorded again by a version storing relative refs
        (3, f"{SITE}/a.warc.gz#900"),
        (4, f"{archive}/{SITE}/a.warc.gz#900"),  # ... and the other way round
        (5, f"{archive}/{SITE}/b.warc.gz#0"),
        (6, f"{data_dir}/elsewhere/{SITE}/c.warc.gz#0"),
        (7, f"s3://bucket/{SITE}/d.warc.gz#0"),
        (8, None),
    ]
    engine = create_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO sites (id, name, created_at) VALUES (1, :site, '2024-05-01')"),
                           {"site": SITE})
        connection.execute(text("INSERT INTO fetches (id, status, kind, archive_ref, size, recorded_at) "
                                "VALUES (:id, 200, 'article', :ref, 0, '2024-05-01')"),
                           [{"id": row_id, "ref": ref} for row_id, ref in rows])
        connection.execute(text(
            "INSERT INTO articles (id, site_id, canonical_url, authors, editors, photographers, body, attachments, "
            "keywords, page_kind, archive_ref, extractor_version, first_seen_at, last_seen_at, updated_at) "
            "VALUES (:id, 1, :url, '[]', '[]', '[]', '正文', '[]', '[]', 'article', :ref, '1', '2024-05-01', "
            "'2024-05-01', '2024-05-01')"),
            [{"id": 1, "url": "http://a.test/1", "ref": rows[0][1]}, {"id": 2, "url": "http://a.test/2", "ref": rows[5][1]}])
    engine.dispose()

    migrate(db_url, command.upgrade, "head")  # through 0010, and back to the schema later tests expect

    assert refs(db_url, "fetches") == [
        (1, f"{SITE}/a.warc.gz#0"), (3, f"{SITE}/a.warc.gz#900"), (5, f"{SITE}/b.warc.gz#0"),
        (6, f"{data_dir}/elsewhere/{SITE}/c.warc.gz#0"), (7, f"s3://bucket/{SITE}/d.warc.gz#0"), (8, None)]
    assert refs(db_url, "articles") == [(1, f"{SITE}/a.warc.gz#0"), (2, f"{data_dir}/elsewhere/{SITE}/c.warc.gz#0")]
