"""Issue 14: what is stored is what the site published, from the HTTP response to the database row."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from pipelines.extract import extract_page
from pipelines.records import FetchedPage
from pipelines.store import Store

TOMCAT = {"content-type": "text/html; charset=ISO-8859-1"}  # a default Tomcat's header on every page
FETCHED = datetime(2026, 11, 30, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
PARAGRAPHS = [
    "11月28日上午，县委党校（行政学校）召开秋季主体班开学典礼：全体学员参加，校领导出席并讲话。",
    "讲话指出，学员要珍惜学习机会！要把理论学习同岗位实践结合起来；做到学以致用、用以促学。",
    "典礼结束后，１２０名学员分组讨论：如何把所学转化为推动乡村振兴的实际行动？大家纷纷发言。",
]
TITLE = "县委党校召开秋季主体班开学典礼（第二期）"


def gbk_page(meta_charset: str | None = "gbk") -> bytes:
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={meta_charset}">' if meta_charset else ""
    paragraphs = "".join(f"<p>{text}</p>" for text in PARAGRAPHS)
    html = (f"<html><head>{meta}<title>{TITLE}_县委党校</title></head><body>"
            f'<div class="nav"><a href="/">首页</a> &gt; <a href="/xxdt/">学校动态</a></div>'
            f"<h1>{TITLE}</h1><div class=\"info\">来源：县委党校（教务处）　作者：王晓明　发布时间：2026-11-28</div>"
            f'<div class="content">{paragraphs}</div><div class="foot">版权所有：县委党校</div></body></html>')
    return html.encode("gbk")


def stored(db_url: str, page: FetchedPage) -> dict:
    store = Store(db_url)
    store.load([extract_page(page)], site="dangxiao")
    [row] = [row for row in store.export_rows(all_copies=True) if row["url"] == page.url]
    return row


def test_a_gbk_page_behind_tomcats_latin1_header_is_stored_readable_and_says_how(db_url):
    for meta in ("gbk", None):
        row = stored(db_url, FetchedPage(url=f"http://127.0.0.1:1/xxdt/{meta}.html", body=gbk_page(meta),
                                         headers=TOMCAT, fetched_at=FETCHED))
        assert row["title"].startswith("县委党校召开秋季主体班开学典礼")
        assert "学员要珍惜学习机会" in row["body"]
        assert (row["encoding"], row["encoding_source"], row["encoding_errors"]) == (
            "gb18030", "header-overruled", 0)


def test_a_page_with_stray_bytes_is_stored_with_its_replacement_count(db_url):
    raw = gbk_page()
    cut = raw.index(PARAGRAPHS[1][:4].encode("gbk"))
    damaged = raw[:cut] + b"\xff" + raw[cut:]
    row = stored(db_url, FetchedPage(url="http://127.0.0.1:1/xxdt/damaged.html", body=damaged, headers=TOMCAT,
                                     fetched_at=FETCHED))
    assert row["encoding_errors"] == 1 and "\ufffd" in row["body"]
    assert (row["encoding"], row["encoding_source"]) == ("gb18030", "header-overruled")


def test_full_width_punctuation_survives_from_html_to_the_stored_row(db_url):
    row = stored(db_url, FetchedPage(url="http://127.0.0.1:1/xxdt/1.html", body=gbk_page(),
                                     headers={"content-type": "text/html; charset=GBK"}, fetched_at=FETCHED))
    assert row["title"] == TITLE
    assert row["body"] == "\n\n".join(PARAGRAPHS)
    assert (row["source"], row["authors"], row["category"]) == ("县委党校（教务处）", ["王晓明"], "学校动态")
    assert row["published_at"] == "2026-11-28"
    assert (row["encoding"], row["encoding_source"]) == ("gb18030", "header")


def test_full_width_punctuation_survives_in_a_plain_text_dump(db_url):
    dump = "\n\n".join([TITLE, "来源：县委党校（教务处）　发布时间：2026-11-28", *PARAGRAPHS])
    row = stored(db_url, FetchedPage(url="http://127.0.0.1:1/dump/1.txt", body=dump.encode("utf-8")))
    assert (row["title"], row["source"]) == (TITLE, "县委党校（教务处）")
    assert row["body"] == "\n\n".join(PARAGRAPHS)
