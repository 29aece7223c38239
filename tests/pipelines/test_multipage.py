"""Articles over several pages and articles under several URLs: one row each, through real WARC files and a
real store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from pipelines.archive import ArchiveWriter, read_archive
from pipelines.ingest import ingest_pages, merge_parts
from pipelines.records import Article, FetchedPage, Image
from pipelines.store import MIGRATIONS, Store
from tests.db import db_url  # noqa: F401 - the fixture

SITE = "zhibu-demo"
HOST = "http://127.0.0.1:8231"
FIRST = f"{HOST}/dtxw/2024/0517/6630.shtml"
PAGE_URL = {1: FIRST, 2: f"{HOST}/dtxw/2024/0517/6630_2.shtml", 3: f"{HOST}/dtxw/2024/0517/6630_3.shtml"}
PARAGRAPHS = {
    1: ["五月中旬,街道党工委组织辖区各支部开展主题党日活动,党员们重温入党誓词,交流学习体会,现场气氛热烈。",
        "活动第一站来到社区党群服务中心,讲解员介绍了近年来基层治理创新的做法和成效,大家认真聆听并记录。"],
    2: ["第二站是新建成的邻里食堂,支部书记讲述了党员志愿者轮流值守、为高龄老人送餐上门的经过和体会。",
        "参加活动的青年党员表示,要把学到的经验带回岗位,在服务群众的小事上多下功夫,做到件件有回音。"],
    3: ["活动最后,街道党工委负责同志作总结讲话,要求各支部把主题党日办成常态,持续推动作风建设见行见效。",
        "据悉,下一阶段街道还将围绕文明实践、应急服务等内容组织系列实践活动,进一步激发党员队伍活力。"],
}


def article_html(number: int, *, extra_head: str = "", extra_body: str = "") -> bytes:
    pager = " ".join(f"<span>{n}</span>" if n == number else f'<a href="{PAGE_URL[n].rsplit("/", 1)[1]}">{n}</a>'
                     for n in (1, 2, 3))
    following = (f'<a href="{PAGE_URL[number + 1].rsplit("/", 1)[1]}">下一页</a>' if number < 3 else "")
    text_ = "".join(f"<p>{paragraph}</p>" for paragraph in PARAGRAPHS[number])
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>街道开展主题党日活动_支部风采网</title>
{extra_head}</head><body><div class="top"><a href="/">首页</a> | <a href="/dtxw/">动态新闻</a></div>
<div class="article"><h1>街道开展主题党日活动</h1>
<div class="byline">发布日期:2024-05-17 来源:街道党工委 作者:林晓</div>
<div class="content">{text_}<div class="page-nav">{pager} {following}</div></div>{extra_body}</div>
<div class="foot">版权所有 支部风采网 备案号:示例ICP备00000号</div></body></html>""".encode()


def fetched(url: str, body: bytes, *, kind: str, minutes: int, **extra) -> FetchedPage:
    return FetchedPage(url=url, body=body, kind=kind, site=SITE, headers={"content-type": "text/html"},
                       fetched_at=datetime(2024, 5, 18, 2, 0, tzinfo=UTC) + timedelta(minutes=minutes), **extra)


def part(number: int, minutes: int) -> FetchedPage:
    return fetched(PAGE_URL[number], article_html(number), kind="part", minutes=minutes, part_of=FIRST,
                   part_number=number)


def listing(minutes: int) -> FetchedPage:
    items = "".join(f'<li><a href="/dtxw/2024/05{n:02d}/{6600 + n}.shtml">第{n}期支部工作简报发布</a></li>'
                    for n in range(1, 9))
    return fetched(f"{HOST}/dtxw/index.shtml", f"<html><body><ul>{items}</ul></body></html>".encode(),
                   kind="list", minutes=minutes)


def write_warc(path: Path, pages: list[FetchedPage]) -> Path:
    with ArchiveWriter(path) as writer:
        for page in pages:
            writer.write(page)
    return path


def crawl_order() -> list[FetchedPage]:
    """As the spider fetches: page 1, then the next list page, then the parts as their requests come back."""
    return [fetched(FIRST, article_html(1), kind="article", minutes=0), listing(1), part(3, 2), part(2, 3)]


def ingest(store: Store, *paths: Path, batch_size: int = 200):
    pages = (page for path in paths for page in read_archive(path))
    return ingest_pages(pages, store, site=SITE, batch_size=batch_size)


def stored(store: Store) -> list[dict]:
    return list(store.export_rows(all_copies=True))


def expected_body() -> str:
    return "\n\n".join(paragraph for number in (1, 2, 3) for paragraph in PARAGRAPHS[number])


@pytest.mark.parametrize("batch_size", [200, 2, 1])
def test_a_three_page_article_is_one_row_with_its_pages_in_order(db_url, tmp_path, batch_size):  # noqa: F811
    store = Store(db_url)
    warc = write_warc(tmp_path / "a.warc.gz", crawl_order())

    stats = ingest(store, warc, batch_size=batch_size)

    [row] = stored(store)
    assert row["url"] == FIRST and row["title"] == "街道开展主题党日活动" and row["authors"] == ["林晓"]
    assert row["published_at"] == "2024-05-17" and row["source"] == "街道党工委"
    assert row["body"] == expected_body()
    assert row["page_urls"] == [PAGE_URL[2], PAGE_URL[3]]
    assert set(row["urls"]) == set(PAGE_URL.values())
    assert (stats.article_pages, stats.part_pages, stats.list_pages, stats.errors) == (1, 2, 1, [])
    assert store.known_urls(SITE) >= set(PAGE_URL.values()), "tomorrow's crawl skips every page of it"

    again = ingest(store, warc, batch_size=batch_size)

    assert (again.new, again.updated) == (0, 0) and again.unchanged >= 1
    assert stored(store) == [row]


def test_parts_archived_by_a_resumed_job_in_another_file_complete_the_stored_article(db_url, tmp_path):  # noqa: F811
    store = Store(db_url)
    first, *rest = crawl_order()
    earlier = write_warc(tmp_path / "run-1.warc.gz", [first, rest[0]])
    resumed = write_warc(tmp_path / "run-2.warc.gz", rest[1:])

    ingest(store, earlier)
    assert stored(store)[0]["body"] == "\n\n".join(PARAGRAPHS[1]) and stored(store)[0]["page_urls"] == []

    late = ingest(store, resumed)

    [row] = stored(store)
    assert late.updated == 1 and row["body"] == expected_body()
    assert row["page_urls"] == [PAGE_URL[2], PAGE_URL[3]]


def test_a_part_that_cannot_be_read_is_left_out_and_reported(db_url, tmp_path):  # noqa: F811
    store = Store(db_url)
    broken = fetched(PAGE_URL[3], b"\x00\x01" * 40, kind="part", minutes=2, part_of=FIRST, part_number=3)
    pages = [fetched(FIRST, article_html(1), kind="article", minutes=0), part(2, 1), broken]

    stats = ingest(store, write_warc(tmp_path / "a.warc.gz", pages))

    [row] = stored(store)
    assert row["body"] == "\n\n".join([*PARAGRAPHS[1], *PARAGRAPHS[2]]) and row["page_urls"] == [PAGE_URL[2]]
    assert len(stats.errors) == 1 and stats.errors[0].startswith(f"{PAGE_URL[3]}: ExtractionError")


def test_merge_parts_keeps_the_first_pages_fields_and_drops_lines_the_pages_share():
    first = Article(url=FIRST, title="标题", body="甲段\n\n第1页 第2页", images=[Image(f"{HOST}/1.jpg")],
                    attachments=[f"{HOST}/a.pdf"], authors=["林晓"])
    second = Article(url=PAGE_URL[2], title="标题(2)", body="乙段\n\n第1页 第2页", images=[Image(f"{HOST}/1.jpg"),
                     Image(f"{HOST}/2.jpg", "合影")], attachments=[f"{HOST}/a.pdf", f"{HOST}/b.doc"])

    merged = merge_parts(first, [second])

    assert merged.body == "甲段\n\n第1页 第2页\n\n乙段"
    assert merged.title == "标题" and merged.authors == ["林晓"] and merged.page_urls == [PAGE_URL[2]]
    assert [image.url for image in merged.images] == [f"{HOST}/1.jpg", f"{HOST}/2.jpg"]
    assert merged.attachments == [f"{HOST}/a.pdf", f"{HOST}/b.doc"]
    assert first.body == "甲段\n\n第1页 第2页", "the first page's record is not changed in place"


# --- one article under several URLs ----------------------------------------------------------------------

LINKED = f"{HOST}/show.asp?newsid=6630"
PRINT = f"{HOST}/tools/print.asp?newsid=6630"


def redirected_article() -> FetchedPage:
    head = '<link rel="canonical" href="http://www.elsewhere.example/news/6630.html">'
    body = '<div class="tools"><a href="/tools/print.asp?newsid=6630">打印本页</a> ' \
           '<a href="/tools/print.asp?newsid=6629">打印上一篇</a> <a href="javascript:window.print()">打印</a></div>'
    return fetched(FIRST, article_html(1, extra_head=head, extra_body=body), kind="article", minutes=0,
                   original_url=LINKED)


def test_a_redirected_article_and_its_print_view_are_one_row_with_both_aliases(db_url, tmp_path):  # noqa: F811
    store = Store(db_url)
    print_view = fetched(PRINT, article_html(1), kind="article", minutes=5)
    warc = write_warc(tmp_path / "a.warc.gz", [redirected_article(), print_view])

    ingest(store, warc)

    [row] = stored(store)
    assert row["canonical_url"] == FIRST, "a canonical link to another host is not trusted"
    assert row["print_urls"] == [PRINT]
    assert row["aliases"] == sorted([LINKED, PRINT])
    assert set(row["urls"]) == {FIRST, LINKED, PRINT}
    assert [story["urls"] for story in store.export_rows()] == [sorted([FIRST, LINKED, PRINT])]
    assert store.known_urls(SITE) >= {FIRST, LINKED, PRINT}


def test_a_print_view_loaded_after_its_article_is_that_article_seen_again(db_url, tmp_path):  # noqa: F811
    store = Store(db_url)
    ingest(store, write_warc(tmp_path / "a.warc.gz", [redirected_article()]))

    later = ingest(store, write_warc(tmp_path / "b.warc.gz", [fetched(PRINT, article_html(1), kind="article",
                                                                      minutes=60)]))

    assert (later.new, later.unchanged) == (0, 1)
    assert [row["url"] for row in stored(store)] == [FIRST]


def test_an_article_whose_key_changed_keeps_its_row_under_the_new_key(db_url, tmp_path):  # noqa: F811
    store = Store(db_url)
    store.load([Article(url=LINKED, canonical_url=f"{HOST}/old-canonical/6630.html", title="街道开展主题党日活动",
                        body=expected_body())], site=SITE)

    ingest(store, write_warc(tmp_path / "a.warc.gz", [redirected_article()]))

    [row] = stored(store)
    assert row["canonical_url"] == FIRST and row["body"] == "\n\n".join(PARAGRAPHS[1])
    assert f"{HOST}/old-canonical/6630.html" in row["aliases"]


def test_rows_stored_before_the_page_columns_survive_the_migration(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    settings = Config()
    settings.set_main_option("script_location", str(MIGRATIONS))
    engine = create_engine(url)
    now = "2024-05-01 00:00:00"
    with engine.begin() as connection:
        settings.attributes["connection"] = connection
        command.upgrade(settings, "0002")
        connection.execute(text("INSERT INTO sites (id, name, created_at) VALUES (1, :site, :now)"),
                           {"site": SITE, "now": now})
        connection.execute(text(
            "INSERT INTO articles (id, site_id, canonical_url, url, title, authors, editors, photographers, body, "
            "attachments, keywords, page_kind, extractor_version, first_seen_at, last_seen_at, updated_at) "
            "VALUES (1, 1, :url, :url, '旧文章', '[]', '[]', '[]', '旧正文', '[]', '[]', 'article', '1', :now, "
            ":now, :now)"), {"url": FIRST, "now": now})
    engine.dispose()

    store = Store(url)
    store.load([Article(url=PAGE_URL[2], title="新文章", body=expected_body(), page_urls=[PAGE_URL[3]])], site=SITE)

    with store.engine.connect() as connection:
        rows = connection.execute(text("SELECT canonical_url, title, page_urls, print_urls FROM articles "
                                       "ORDER BY id")).all()
    assert [tuple(row) for row in rows] == [(FIRST, "旧文章", "[]", "[]"),
                                            (PAGE_URL[2], "新文章", f'["{PAGE_URL[3]}"]', "[]")]
