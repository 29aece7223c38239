"""Search compares folded text: a full-width query finds the half-width word and back, while the stored body
keeps the page's own characters."""

from __future__ import annotations

from pipelines.records import Article
from pipelines.store import Store


def test_full_width_and_half_width_find_each_other(db_url):
    store = Store(db_url)
    published = "我镇举办ＡＩ赋能基层治理培训，３０名支部书记参加。" * 4
    store.load([Article(url="http://a.test/1", title="ＡＩ培训", body=published, extractor_version="t"),
                Article(url="http://a.test/2", title="AI讲座", body="社区开展AI知识讲座，居民踊跃参与。" * 4,
                        extractor_version="t")], site="a")
    assert {hit["url"] for hit in store.search("AI")} == {"http://a.test/1", "http://a.test/2"}
    assert {hit["url"] for hit in store.search("ＡＩ")} == {"http://a.test/1", "http://a.test/2"}
    assert next(row for row in store.export_rows(all_copies=True) if row["url"] == "http://a.test/1")["body"] == published
