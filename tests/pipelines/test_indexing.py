"""The dedup step before the load (`pipelines.indexing`): ingest's workers compute each article's hash,
fingerprint and search words, and the load uses them only for the text they were computed from."""

from __future__ import annotations

import dataclasses

from sqlalchemy import create_engine, text

from pipelines import dedup, indexing, ingest
from pipelines.records import Article
from pipelines.store import Store
from tests.pipelines.test_ingest import RecordingStore, pages

BODY = "区委组织部召开基层党建工作推进会，各街道党工委书记参加会议，会议通报了重点任务推进情况。" * 3
OTHER = "社区开展文明实践志愿服务活动，志愿者走进小区为居民提供义诊、理发和政策宣讲服务。" * 3


def stored_text(url: str) -> tuple[str, str]:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = connection.execute(text("SELECT a.content_hash, s.body_tokens FROM articles a "
                                        "JOIN article_search s ON s.article_id = a.id")).one()
    engine.dispose()
    return found.content_hash, found.body_tokens


def test_articles_leave_the_extraction_workers_with_the_indexing_of_their_own_text():
    store = RecordingStore()
    loaded: list[Article] = []
    store.load = lambda articles, **_: loaded.extend(articles) or ingest.IngestStats()
    ingest.ingest_pages(pages(), store, site="s", batch_size=10, workers=2)
    rules = dedup.load_rules()
    assert len(loaded) == 12
    for article in loaded:
        expected = indexing.index_text(article.title, article.body, rules)
        assert indexing.indexing_for(article, article.title, article.body, rules) is article.indexing
        assert (article.indexing.content_hash, article.indexing.search) == (expected.content_hash, expected.search)
        assert article.indexing.fingerprint.bucket_keys == expected.fingerprint.bucket_keys


def test_a_prepared_article_is_stored_as_one_loaded_without_the_step(db_url):
    Store(db_url).load([indexing.prepare(Article(url="http://a.test/1", title="推进会", body=BODY,
                                                 extractor_version="t"))], site="a")
    expected = indexing.index_text("推进会", BODY, dedup.load_rules())
    assert stored_text(db_url) == (expected.content_hash, expected.search.body_tokens)


def test_an_indexing_computed_from_another_text_is_not_used(db_url):
    stale = indexing.prepare(Article(url="http://a.test/1", title="推进会", body=OTHER, extractor_version="t"))
    Store(db_url).load([dataclasses.replace(stale, body=BODY)], site="a")
    expected = indexing.index_text("推进会", BODY, dedup.load_rules())
    assert stored_text(db_url) == (expected.content_hash, expected.search.body_tokens)
