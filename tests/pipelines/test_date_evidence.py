"""Dates are evidence, never a guess (issue 19): only witnesses that belong to the article date it.

Every page here is invented for these tests. Each rule is checked on a page where it must hold and, beside it,
on the same page with one real witness added, so that a test cannot pass by never finding a date.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from pipelines.dates import parse_date_text, publication_date
from pipelines.extract import extract_page
from pipelines.records import FetchedPage, format_published

SHANGHAI = ZoneInfo("Asia/Shanghai")
LISTED = datetime(2024, 5, 20, 9, 30, tzinfo=SHANGHAI)  # when the list page was fetched
FETCHED = datetime(2024, 5, 20, 11, 5, tzinfo=SHANGHAI)  # when the article itself was fetched, later

PROSE = (
    "<p>镇党委组织全体机关党员来到红色教育基地，重温入党誓词，聆听老党员讲述当年带领群众修渠引水、开荒造田的故事，"
    "大家纷纷表示要把革命传统转化为干事创业的动力，在乡村振兴一线当先锋、作表率。</p>"
    "<p>随后，各支部围绕基层治理中的难点问题开展交流研讨，结合网格化管理、村务公开等工作提出改进办法，"
    "会议还对下一阶段的学习安排作了部署，要求各支部书记带头讲好专题党课。</p>"
)


def shown(guess) -> str | None:
    return format_published(guess.value, guess.precision)


def html(body: str, title: str = "镇党委开展主题党日活动") -> str:
    return f"<html><head><meta charset='utf-8'><title>{title}_某镇党建网</title></head><body>{body}</body></html>"


# ------------------------------------------------------------------------------- widgets beside an undated page

HOT_BOX = """<div class="hot"><h3>热点新闻</h3><ul>
<li><a href="/a/1.html">全县召开基层党建工作推进会</a></li><li>2024-05-19</li>
<li><a href="/a/2.html">第一书记走访慰问困难党员</a></li><li>2024-05-18</li></ul></div>"""
LATEST_BOX = """<div class="side"><div class="t">最新文章 更多&gt;&gt;</div><ul>
<li><a href="/a/3.html">学习贯彻全会精神宣讲会举行</a> 2024-05-17</li>
<li><a href="/a/4.html">机关党支部开展读书分享活动</a> 2024-05-16 08:30</li></ul></div>"""
COMMENTS = """<div class="cmt"><h4>网友评论</h4>
<div>游客甲 2024-05-19 21:40</div><div>写得好，向老党员学习！</div>
<div>游客乙 2024-05-18 07:12</div><div>支持！</div></div>"""
RECOMMENDED = """<div class="rec"><b>推荐阅读</b>
<div><a href="/a/5.html">村级组织换届工作有序推进</a> 发布时间：2024-05-15</div>
<div><a href="/a/6.html">党员志愿服务队走进社区</a> 发布时间：2024-05-14</div></div>"""


def blog_page(byline: str = "") -> str:
    """A blog-style article: a hot list above the title, a latest-posts box under it, comments after the text."""
    return html(f"{HOT_BOX}<h1>镇党委开展主题党日活动</h1>{byline}{LATEST_BOX}<div class='post'>{PROSE}</div>{COMMENTS}")


def test_an_undated_article_beside_dated_widgets_stays_undated():
    guess = publication_date(html=blog_page(), fetched_at=FETCHED)
    assert (guess.value, guess.source, guess.candidates) == (None, None, [])


def test_the_same_page_with_its_own_byline_is_dated_by_it():
    guess = publication_date(html=blog_page("<div>作者：某某 发布时间：2024-05-02 16:40</div>"), fetched_at=FETCHED)
    assert (shown(guess), guess.source) == ("2024-05-02T16:40:00+08:00", "label:发布时间")


def test_widget_items_do_not_date_a_page_without_a_recognisable_headline():
    """No <h1>, a <title> the page does not show: the first labelled date anywhere would be the box's."""
    body = f"{RECOMMENDED}<div class='post'>{PROSE}</div>{COMMENTS}"
    assert publication_date(html=html(body, title="某镇党建网"), fetched_at=FETCHED).value is None
    dated = f"{RECOMMENDED}<div>发布时间：2024-05-03</div><div class='post'>{PROSE}</div>"
    assert shown(publication_date(html=html(dated, title="某镇党建网"), fetched_at=FETCHED)) == "2024-05-03"


def test_a_statistics_line_is_no_box_heading():
    """`评论:12` counts comments; the byline after it still dates the page."""
    body = "<h1>镇党委开展主题党日活动</h1><div>评论:12</div><div>2024-05-04 10:15</div>" + PROSE
    assert shown(publication_date(html=html(body), fetched_at=FETCHED)) == "2024-05-04T10:15:00+08:00"


# ------------------------------------------------------------------------------- relative dates in list items


@pytest.mark.parametrize(
    ("phrase", "expected", "precision"),
    [
        ("刚刚", "2024-05-20", "day"),
        ("5分钟前", "2024-05-20", "day"),
        ("3小时前", "2024-05-20", "day"),
        ("昨天", "2024-05-19", "day"),
        ("昨天 18:05", "2024-05-19T18:05:00+08:00", "minute"),
        ("今天", "2024-05-20", "day"),
    ],
)
def test_a_relative_date_in_the_articles_own_item_resolves_against_the_list_fetch(phrase, expected, precision):
    guess = publication_date(html=html(f"<h1>镇党委开展主题党日活动</h1>{PROSE}"), list_date=phrase, listed_at=LISTED,
                             fetched_at=FETCHED)
    assert (shown(guess), guess.precision, guess.source) == (expected, precision, "list:relative")


def test_a_relative_date_is_never_the_clock_to_the_minute():
    for phrase in ("刚刚", "0分钟前", "1分钟前", "30秒前"):
        guess = parse_date_text(phrase, now=LISTED)
        assert guess.precision == "day" and guess.value != LISTED.replace(second=0)


def test_an_hours_ago_span_over_midnight_names_no_day():
    after_midnight = datetime(2024, 5, 20, 1, 20, tzinfo=SHANGHAI)
    assert parse_date_text("1小时前", now=after_midnight) is None  # 23:20 to 00:20: two days
    assert shown(parse_date_text("2小时前", now=after_midnight)) == "2024-05-19"  # 22:20 to 23:20


def test_without_the_list_pages_fetch_time_a_relative_list_date_is_no_evidence():
    """The article's own fetch came later and the processing clock later still: neither is what the phrase meant."""
    page = html(f"<h1>镇党委开展主题党日活动</h1>{PROSE}")
    assert publication_date(html=page, list_date="3小时前", fetched_at=FETCHED).value is None
    assert publication_date(html=page, list_date="刚刚").value is None
    fetched = FetchedPage(url="http://127.0.0.1/blog/post-17.html", body=page.encode(), fetched_at=FETCHED,
                          list_date="刚刚")
    article = extract_page(fetched)
    assert (article.published_at, article.date_source) == (None, None)
    fetched.listed_at = LISTED
    assert extract_page(fetched).published_display() == "2024-05-20"


def test_relative_phrases_printed_on_the_page_itself_are_not_its_date():
    """`刚刚`, `3小时前` beside comments or other posts belong to them; only the list item's phrase is the article's."""
    body = f"<h1>镇党委开展主题党日活动</h1>{PROSE}<h4>网友评论</h4><div>游客甲 刚刚</div><div>游客乙 3小时前</div>"
    assert publication_date(html=html(body), fetched_at=FETCHED).value is None


# ------------------------------------------------------------------------------- asset paths


EPAPER = """<h1>第02版：要闻</h1>
<div class="pages"><img src="/images/2022-02/12/02/p2_b.jpg"><img src="http://127.0.0.1/images/2022/02/12/p2.png"></div>
<div>/images/2022-02/12/02/p2_b.jpg</div>
<script>var pdf = "/pdf/2022-02/12/02.pdf";</script>
<div><a href="/pdf/2022-02/12/02.pdf">本版PDF下载：/pdf/2022-02/12/02.pdf</a></div>""" + PROSE


def test_dates_in_asset_paths_never_date_the_page():
    assert publication_date(html=html(EPAPER, title="第02版：要闻"), url="http://127.0.0.1/epaper/node_2.htm",
                            fetched_at=FETCHED).value is None


def test_the_articles_own_url_does_date_it():
    guess = publication_date(html=html(EPAPER, title="第02版：要闻"),
                             url="http://127.0.0.1/epaper/html/2022-02/12/node_2.htm", fetched_at=FETCHED)
    assert (shown(guess), guess.source) == ("2022-02-12", "url")


def test_a_slashed_date_on_its_own_is_still_a_date():
    body = "<h1>镇党委开展主题党日活动</h1><div>2022/02/12 09:30</div>" + PROSE
    assert shown(publication_date(html=html(body), fetched_at=FETCHED)) == "2022-02-12T09:30:00+08:00"


# ------------------------------------------------------------------------------- disclosure pages


def disclosure(rows: str) -> str:
    table = f"<table class='xxgk'>{rows}</table>"
    return html(f"{table}<h1>关于开展基层党组织书记培训的通知</h1>{PROSE}", title="关于开展基层党组织书记培训的通知")


ROWS = """<tr><td>索引号：</td><td>113300000023/2024-00017</td><td>发布机构：</td><td>某县委组织部</td></tr>
<tr><td>成文日期：</td><td>2024年04月26日</td><td>发布日期：</td><td>2024年04月29日</td></tr>
<tr><td>生效日期：</td><td>2024年05月06日</td><td>印发日期：</td><td>2024年04月27日</td></tr>"""


def test_a_disclosure_page_is_published_on_its_release_date_and_keeps_the_others():
    guess = publication_date(html=disclosure(ROWS), fetched_at=FETCHED)
    assert (shown(guess), guess.source) == ("2024-04-29", "label:发布日期")
    assert sorted((c["source"], c["published_at"]) for c in guess.candidates) == [
        ("label:印发日期", "2024-04-27"), ("label:成文日期", "2024-04-26"), ("label:生效日期", "2024-05-06")]


def test_a_document_date_alone_is_no_publication_date():
    rows = "<tr><td>成文日期：</td><td>2024年04月26日</td></tr>"
    guess = publication_date(html=disclosure(rows), fetched_at=FETCHED)
    assert guess.value is None
    assert guess.candidates == [{"published_at": "2024-04-26", "precision": "day", "source": "label:成文日期"}]


def test_disclosure_dates_in_a_text_dump():
    lines = ["关于开展基层党组织书记培训的通知", "成文日期：2024-04-26 发布日期：2024-04-29"]
    guess = publication_date(header_lines=lines, fetched_at=FETCHED)
    assert (shown(guess), [c["source"] for c in guess.candidates]) == ("2024-04-29", ["label:成文日期"])


# ------------------------------------------------------------------------------- page against list item


def dated_page(day: str = "2024-05-01") -> str:
    return html(f"<h1>镇党委开展主题党日活动</h1><div>发布时间：{day}</div>{PROSE}")


def test_a_list_item_that_disagrees_is_kept_as_a_candidate_and_the_page_wins():
    guess = publication_date(html=dated_page(), list_date="2024-05-10", listed_at=LISTED, fetched_at=FETCHED)
    assert (shown(guess), guess.source) == ("2024-05-01", "label:发布时间")
    assert guess.candidates == [{"published_at": "2024-05-10", "precision": "day", "source": "list"}]


def test_the_page_wins_over_its_list_item_even_when_its_witness_is_weak():
    """A bare date line on a page without a recognisable headline still beats the list item."""
    body = f"<div>2024-05-01</div>{PROSE}"
    guess = publication_date(html=html(body, title="某镇党建网"), list_date="2024-05-10", fetched_at=FETCHED)
    assert shown(guess) == "2024-05-01" and [c["source"] for c in guess.candidates] == ["list"]


def test_a_list_item_a_day_off_is_no_conflict():
    guess = publication_date(html=dated_page(), list_date="2024-05-02", fetched_at=FETCHED)
    assert (shown(guess), guess.candidates) == ("2024-05-01", [])


def test_a_list_item_dates_a_page_that_names_no_day():
    guess = publication_date(html=html(f"<h1>镇党委开展主题党日活动</h1>{PROSE}"), list_date="2024-05-10",
                             fetched_at=FETCHED)
    assert (shown(guess), guess.source, guess.candidates) == ("2024-05-10", "list", [])


def test_the_conflict_reaches_the_article_record():
    fetched = FetchedPage(url="http://127.0.0.1/dj/1.html", body=dated_page().encode(), fetched_at=FETCHED,
                          list_date="2024-05-10")
    article = extract_page(fetched)
    assert article.published_display() == "2024-05-01"
    assert article.to_json()["date_candidates"] == [{"published_at": "2024-05-10", "precision": "day",
                                                     "source": "list"}]


# ------------------------------------------------------------------------------- the corpus miss, as a pattern


def test_a_short_sentence_opening_with_a_date_is_prose_not_a_byline():
    body = f"<div class='post'>{PROSE}</div><div>2017年7月18日,乡党委在村部召开了换届动员会 [3] 。</div>"
    assert publication_date(html=html(body, title="某镇党建网"), fetched_at=FETCHED).value is None


def test_a_credit_label_names_a_person_before_the_date():
    body = f"<div class='post'>{PROSE}</div><div>最近更新: 编辑小王(2020-02-14)</div>"
    guess = publication_date(html=html(body, title="某镇党建网"), fetched_at=FETCHED)
    assert (shown(guess), guess.source) == ("2020-02-14", "label:最近更新")
