"""From fetched pages to loads, without a database: a recording store stands in for pipelines.store."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor

import pytest

from pipelines import ingest
from pipelines.records import FetchedPage

STORY = ("{n}月{n}日上午,某区委组织部在党群服务中心召开第{n}次基层党建工作推进会,各街道党工委书记参加会议,"
         "会议通报了基层党建重点任务的推进情况,并对下一阶段工作作出安排部署。")


def article_page(n: int) -> FetchedPage:
    html = f"""<html><head><meta charset="utf-8"><title>第{n}次基层党建工作推进会召开-某某党建网</title></head>
<body><div class="nav"><a href="/">首页</a> &gt;&gt; <a href="/dj/">党建动态</a></div>
<h1>第{n}次基层党建工作推进会召开</h1><div class="info">发布时间:2024-03-{n:02d} 09:30 来源:区委组织部</div>
<div class="content"><p>{STORY.format(n=n)}</p><p>{STORY.format(n=n + 1)}</p></div>
<div class="share">分享到: 微信 微博</div></body></html>"""
    return FetchedPage(url=f"http://127.0.0.1/dj/{n}.html", body=html.encode(), kind="article", site="s")


class RecordingStore:
    def __init__(self) -> None:
        self.fetches: list[str] = []
        self.loaded: list[tuple[str | None, str | None, str]] = []

    def record_fetches(self, pages, *, run_id):
        self.fetches += [page.url for page in pages]

    def load(self, articles, *, site, run_id):
        self.loaded += [(a.url, a.title, a.body) for a in articles]
        return ingest.IngestStats()  # counts of a real load do not matter here


def pages() -> list[FetchedPage]:
    listing = FetchedPage(url="http://127.0.0.1/dj/index.html", body=b"<html></html>", kind="list", site="s")
    junk = FetchedPage(url="http://127.0.0.1/dj/junk.html", body=b"\x00\x01\x02" * 50, kind="article", site="s")
    return [listing, *map(article_page, range(1, 7)), junk, *map(article_page, range(7, 13))]


@pytest.fixture
def pools(monkeypatch) -> list[int]:
    """How many worker pools ingest_pages started, and with how many processes."""
    started: list[int] = []

    class CountedPool(ProcessPoolExecutor):
        def __init__(self, workers, **kwargs):
            started.append(workers)
            super().__init__(workers, **kwargs)

    monkeypatch.setattr(ingest, "ProcessPoolExecutor", CountedPool)
    return started


def test_worker_processes_extract_the_same_articles_in_the_same_order(pools):
    inline, spread = RecordingStore(), RecordingStore()

    alone = ingest.ingest_pages(pages(), inline, site="s", batch_size=10)
    together = ingest.ingest_pages(pages(), spread, site="s", batch_size=10, workers=2)

    assert pools == [2], "the second run extracts in a pool of two processes, started once for all batches"
    assert spread.loaded == inline.loaded
    assert [title for _, title, _ in spread.loaded] == [f"第{n}次基层党建工作推进会召开" for n in range(1, 13)]
    assert spread.fetches == inline.fetches == [page.url for page in pages()]
    assert (together.list_pages, together.article_pages, together.not_articles) == (1, 13, 0)
    assert together.errors == alone.errors and len(together.errors) == 1
    assert together.errors[0].startswith("http://127.0.0.1/dj/junk.html: ExtractionError")


def test_a_few_pages_are_extracted_in_this_process(pools):
    store = RecordingStore()
    ingest.ingest_pages(pages()[:4], store, site="s", workers=2)
    assert pools == [] and len(store.loaded) == 3


class CrashingPage(FetchedPage):
    """A page whose extraction kills the worker process outright, as a crash inside C code would."""

    def __reduce__(self):
        return os._exit, (70,)


def test_a_page_that_kills_its_worker_is_recorded_and_the_rest_of_the_batch_still_loads(pools):
    crashing = CrashingPage(url="http://127.0.0.1/dj/crash.html", body=b"<html></html>", kind="article", site="s")
    batch = [*map(article_page, range(1, 6)), crashing, *map(article_page, range(6, 11))]
    store = RecordingStore()

    stats = ingest.ingest_pages(batch, store, site="s", workers=2)

    assert [title for _, title, _ in store.loaded] == [f"第{n}次基层党建工作推进会召开" for n in range(1, 11)]
    assert stats.errors == ["http://127.0.0.1/dj/crash.html: the extraction worker died on this page (a crash, "
                            "or out of memory)"]
    assert pools[0] == 2 and pools.count(1) == 2, "the batch was retried one page at a time, and once restarted"
