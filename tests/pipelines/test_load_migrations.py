"""The migrations that made loads cheaper upgrade databases with rows in them, on SQLite and PostgreSQL: 0011
(PostgreSQL compresses the long text columns with lz4) and 0012 (lsh_buckets without a foreign key)."""

from __future__ import annotations

from alembic import command
from sqlalchemy import create_engine, text

from pipelines import dedup
from pipelines.records import Article
from pipelines.store import Store
from tests.pipelines import syndication
from tests.pipelines.test_archive_refs import migrate
from tests.pipelines.test_store import stories

OLD_BODY = "旧正文，迁移之前存入的文章。" * 200
NEW_BODY = "新正文，迁移之后存入的文章，重复的句子可以压缩。" * 200  # well past the 2 kB PostgreSQL compresses from


def test_migration_0011_upgrades_a_database_with_rows_and_new_bodies_are_stored_lz4(db_url):
    Store(db_url)
    migrate(db_url, command.downgrade, "0010")
    engine = create_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO sites (id, name, created_at) VALUES (1, 'a', '2024-05-01')"))
        connection.execute(text(
            "INSERT INTO articles (id, site_id, canonical_url, authors, editors, photographers, body, attachments, "
            "keywords, page_kind, extractor_version, first_seen_at, last_seen_at, updated_at) VALUES (1, 1, "
            "'http://a.test/old', '[]', '[]', '[]', :body, '[]', '[]', 'article', '1', '2024-05-01', '2024-05-01', "
            "'2024-05-01')"), {"body": OLD_BODY})
    migrate(db_url, command.upgrade, "head")
    Store(db_url).load([Article(url="http://a.test/new", title="新", body=NEW_BODY, extractor_version="1")], site="a")

    with engine.connect() as connection:
        bodies = dict(connection.execute(text("SELECT canonical_url, body FROM articles")).all())
        if engine.dialect.name == "postgresql":
            compression = connection.execute(text(
                "SELECT pg_column_compression(a.body), pg_column_compression(s.body_tokens) FROM articles a "
                "JOIN article_search s ON s.article_id = a.id")).one()
    engine.dispose()
    assert bodies == {"http://a.test/old": OLD_BODY, "http://a.test/new": NEW_BODY}
    if engine.dialect.name == "postgresql":
        assert tuple(compression) == ("lz4", "lz4")


def test_migration_0012_keeps_the_buckets_and_copies_still_find_their_story(db_url):
    import random

    original = stories(1, seed=12)[0]
    store = Store(db_url)
    migrate(db_url, command.downgrade, "0011")
    store.load([Article(url="http://a.test/1", title=original.title, body=original.body, extractor_version="1")],
               site="a")
    engine = create_engine(db_url)
    with engine.connect() as connection:
        buckets = connection.execute(text("SELECT count(*) FROM lsh_buckets")).scalar()
    migrate(db_url, command.upgrade, "head")

    copy = syndication.copies_of(original.body, random.Random(4), count=1)[0]
    result = store.load([Article(url="http://b.test/1", title=original.title, body=copy, extractor_version="1")],
                        site="b")
    with engine.begin() as connection:
        kept = connection.execute(text("SELECT count(*) FROM lsh_buckets WHERE article_id = 1")).scalar()
        connection.execute(text("INSERT INTO lsh_buckets (bucket, article_id) VALUES (7, 999)"))  # no key now
    engine.dispose()
    assert buckets == kept == dedup.load_rules().bands
    assert (result.new, result.duplicates, result.stories) == (1, 1, 0)
