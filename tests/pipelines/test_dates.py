"""Publication dates: labelled lines, metas, URLs, list dates, relative dates, and the honest null."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import html as lxml_html

from pipelines.dates import date_from_url, parse_date_text, publication_date
from pipelines.page import BLOCK
from pipelines.page import read as read_page
from pipelines.records import format_published

SHANGHAI = ZoneInfo("Asia/Shanghai")
FETCHED = datetime(2024, 5, 20, 9, 30, tzinfo=SHANGHAI)


def page(head: str = "", body: str = "") -> str:
    return f"<html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


ARTICLE_BODY = """
<div class="nav">首页 > 党建动态 > 正文</div>
<div class="side"><ul><li><a href="/a1.html">学习贯彻全会精神</a> 2019-01-02</li></ul></div>
<h1>县委组织部开展主题党日活动</h1>
<div class="info">来源：组织部 {byline}</div>
<div class="content">
  <p>3月23日—4月20日，按照县委组织部党性锻炼工作方案，全县各支部开展了为期近一个月的学习活动，1月29日中午举行了
  动员会，各小组每天选派一名党员诵读经典章节并分享到工作群，供全体党员学习交流。</p>
  <p>2020年11月5日下午，活动在行政楼306会议室举行，共有45名党员参加了线下分会场的学习交流，另有210余名党员
  通过视频会议参加了线上分会场的学习，大家结合工作实际畅谈了体会。</p>
</div>
<div class="related"><h3>相关文章</h3><ul>
  <li><a href="/b.html">另一篇文章的标题</a> 发布时间：2018-03-04</li></ul></div>
<div class="footer">Copyright © 2008-2024 某县委组织部 版权所有</div>
"""


def article(byline: str = "", head: str = "") -> str:
    return page(head, ARTICLE_BODY.format(byline=byline))


def shown(guess) -> str | None:
    return format_published(guess.value, guess.precision)


# ------------------------------------------------------------------------------------------ whole pages


@pytest.mark.parametrize(
    ("byline", "expected", "source"),
    [
        ("发布时间:2020-12-08 18:21", "2020-12-08T18:21:00+08:00", "label:发布时间"),
        ("日期 : 2020-11-05", "2020-11-05", "label:日期"),
        ("发布日期：2020年12月8日", "2020-12-08", "label:发布日期"),
        ("时间：２０２０年１２月８日", "2020-12-08", "label:时间"),
        ("2021-06-04 00:00:00:0", "2021-06-04", "header"),
        ("2020/12/8 9:05 阅读 12", "2020-12-08T09:05:00+08:00", "header"),
    ],
)
def test_byline_date_near_the_headline_wins(byline, expected, source):
    guess = publication_date(html=article(byline), fetched_at=FETCHED)
    assert (shown(guess), guess.source) == (expected, source)


def test_body_event_dates_related_lists_and_footers_are_no_publication_date():
    guess = publication_date(html=article(), fetched_at=FETCHED)
    assert guess.value is None and guess.source is None


EDITION_PAGE = """
<div class="crumb">澄川日报 {edition}：党建</div>
<h1>社区党组织牵头改造老旧小区</h1>
<div class="content"><p>在街道党工委推动下，小区成立了由党员、业主代表和物业人员组成的议事会，先后召开协调会十余次，
逐项解决了加装电梯、停车位划线和绿化提升等群众关心的问题，居民满意度明显提高。</p></div>
"""


@pytest.mark.parametrize("edition", ["2024年04月09日 星期二 第03版", "2024-04-09 第A3版", "2024年4月9日 第三版"])
def test_the_date_of_an_edition_line_dates_a_newspaper_page(edition):
    guess = publication_date(html=page(body=EDITION_PAGE.format(edition=edition)), fetched_at=FETCHED)
    assert (shown(guess), guess.source) == ("2024-04-09", "edition")


def test_a_date_bar_without_an_edition_dates_nothing():
    guess = publication_date(html=page(body=EDITION_PAGE.format(edition="今天是 2024年04月09日 星期二")),
                             fetched_at=FETCHED)
    assert guess.value is None


def test_a_speech_date_under_the_headline_read_twice_does_not_outvote_the_labelled_date():
    body = """<div class="info">发布时间：2024-03-01 10:00 来源：市委组织部</div>
    <h1>在全市基层党建工作推进会上的讲话</h1><p>市委常委、组织部部长 庞 远</p><p>（2024年2月27日）</p><p>同志们：</p>
    <div class="content"><p>今天召开全市基层党建工作推进会，主要任务是总结去年工作，部署今年任务，推动基层党建各项重点
    工作落地见效，刚才几个单位作了交流发言，讲得都很好，我都同意，会后各地各单位要认真抓好贯彻落实。</p></div>"""
    guess = publication_date(html=page(body=body), fetched_at=FETCHED)
    assert (shown(guess), guess.source) == ("2024-03-01T10:00:00+08:00", "label:发布时间")


def test_meta_with_offset_is_converted_to_the_site_zone():
    head = '<meta property="article:published_time" content="2020-12-07T16:01:00Z">'
    guess = publication_date(html=article(head=head), fetched_at=FETCHED)
    assert shown(guess) == "2020-12-08T00:01:00+08:00"
    assert guess.source == "meta:article:published_time"


def test_other_zone_per_call():
    head = '<meta name="PubDate" content="2020-12-07 16:01:00+00:00">'
    guess = publication_date(html=article(head=head), fetched_at=FETCHED, timezone="Europe/Paris")
    assert guess.value.isoformat() == "2020-12-07T17:01:00+01:00"


def test_jsonld_date_published():
    head = '<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", "datePublished": "2023-02-21"}]}</script>'
    guess = publication_date(html=article(head=head), fetched_at=FETCHED)
    assert (shown(guess), guess.source) == ("2023-02-21", "jsonld")


def test_agreeing_label_and_url_outvote_a_lone_meta():
    head = '<meta name="PubDate" content="2015-01-01">'
    guess = publication_date(html=article("发布时间：2021-06-04", head), url="http://127.0.0.1/c/202106/04/c_1.html",
                             fetched_at=FETCHED)
    assert shown(guess) == "2021-06-04"


def test_agreement_keeps_the_most_precise_value():
    head = '<meta name="publishdate" content="2021-06-04">'
    guess = publication_date(html=article("发布时间：2021-06-04 10:20", head), fetched_at=FETCHED)
    assert (shown(guess), guess.source) == ("2021-06-04T10:20:00+08:00", "label:发布时间")


def test_future_and_prehistoric_values_are_rejected():
    assert publication_date(html=article("发布时间：2024-05-22"), fetched_at=FETCHED).value is None
    assert publication_date(html=article("发布时间：1985-05-22"), fetched_at=FETCHED).value is None
    assert shown(publication_date(html=article("发布时间：2024-05-20 10:00"), fetched_at=FETCHED)) is not None


def test_a_date_printed_by_an_inline_script_counts():
    body = '<h1>县委组织部开展主题党日活动</h1><div><script>showDate("2020/04/17 01:43:09")</script> 浏览 7</div>'
    guess = publication_date(html=page("", body), fetched_at=FETCHED)
    assert shown(guess) == "2020-04-17T01:43:00+08:00"


def test_caller_tree_is_reused():
    tree = lxml_html.document_fromstring(article("发布时间：2019-07-01"))
    assert shown(publication_date(tree=tree, fetched_at=FETCHED)) == "2019-07-01"


@pytest.mark.parametrize(
    "html",
    [
        article("发布时间：2019-07-01"),
        page("", '<h1>主题党日活动</h1><div><script>showDate("2020/04/17 01:43:09")</script> 浏览 7</div>'),
        # a page whose parser leaves everything in <head>: its text is still the page's
        "<html><head><title>主题党日</title><x-cms><h1>主题党日</h1><div>发布时间：2018-03-04</div></x-cms></head></html>",
    ],
)
def test_the_page_model_extraction_read_dates_the_page_as_reading_it_again(html):
    tree = lxml_html.document_fromstring(html)
    read = publication_date(tree=tree, page=read_page(tree), fetched_at=FETCHED)
    assert shown(read) is not None
    assert read == publication_date(tree=tree, fetched_at=FETCHED)


def test_the_page_rows_given_are_what_the_page_text_witnesses_are_read_from():
    tree = lxml_html.document_fromstring(article())
    rows = replace(read_page(tree), text=BLOCK.join(["县委组织部开展主题党日活动", "发布时间：二〇二一年六月四日"]))
    assert shown(publication_date(page=rows, fetched_at=FETCHED)) == "2021-06-04"


def test_text_dump_uses_header_lines_and_list_date():
    lines = ["首页 >> 教学动态", "践行初心使命", "作者:王明 来源:一班 发布时间:2020-12-08 18:21", "3月23日—4月20日，开展活动。"]
    assert shown(publication_date(header_lines=lines)) == "2020-12-08T18:21:00+08:00"
    guess = publication_date(header_lines=["没有日期的标题"], list_date="昨天 10:20", listed_at=FETCHED)
    assert (shown(guess), guess.source) == ("2024-05-19T10:20:00+08:00", "list:relative")
    assert publication_date(header_lines=["2020年春节期间，3月23日开展活动"]).value is None


def test_crawl_time_alone_is_no_date():
    assert publication_date(html=page("", "<p>正文</p>"), fetched_at=FETCHED).value is None


# ------------------------------------------------------------------------------------------ URLs and text


@pytest.mark.parametrize(
    ("url", "expected", "precision"),
    [
        ("http://127.0.0.1/pc/content/202106/04/content_4980.html", "2021-06-04", "day"),
        ("http://127.0.0.1/zxdt/t20210604_123.html", "2021-06-04", "day"),
        ("http://127.0.0.1/art/2021/6/4/art_1_2.html", "2021-06-04", "day"),
        ("http://127.0.0.1/news/2021-06/04/c_1.htm", "2021-06-04", "day"),
        ("http://127.0.0.1/n1/2024/0424/c1001-1.html", "2024-04-24", "day"),
        ("http://127.0.0.1/article/2005-07/4651.htm", "2005-07", "month"),
    ],
)
def test_date_from_url(url, expected, precision):
    guess = date_from_url(url)
    assert (format_published(guess.value, guess.precision), guess.precision, guess.source) == (expected, precision, "url")


def test_month_only_url_never_wins_alone():
    assert date_from_url("http://127.0.0.1/web/20120611024252/x.html") is None
    assert publication_date(url="http://127.0.0.1/article/2005-07/4651.htm").value is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3小时前", "2024-05-20"),
        ("5分钟前", "2024-05-20"),
        ("刚刚", "2024-05-20"),
        ("2天前", "2024-05-18"),
        ("昨天 10:20", "2024-05-19T10:20:00+08:00"),
        ("前天", "2024-05-18"),
        ("今天", "2024-05-20"),
        ("[05-18]", "2024-05-18"),
        ("12月8日", "2023-12-08"),
        ("二〇二〇年十二月八日", "2020-12-08"),
        ("9/17/2004 5:54:13 PM", "2004-09-17T17:54:00+08:00"),
        ("Posted on November 17, 2023", "2023-11-17"),
        ("发布时间：2021年6月", "2021-06"),
    ],
)
def test_parse_date_text(text, expected):
    assert shown(parse_date_text(text, now=FETCHED)) == expected


def test_text_without_a_date_is_none():
    assert parse_date_text("党史学习教育", now=FETCHED) is None
    assert parse_date_text("2020-13-45", now=FETCHED) is None


# ------------------------------------------------------------------------------------------ properties

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
LABELS = st.sampled_from(["", "发布时间:", "发布时间：", "日期 : ", "发布日期：", "时间：", "【发布时间】"])


@st.composite
def written_dates(draw):
    day = draw(st.dates(min_value=date(1990, 1, 1), max_value=date(2024, 5, 19)))
    pad = draw(st.booleans())
    m, d = (f"{day.month:02d}", f"{day.day:02d}") if pad else (str(day.month), str(day.day))
    style = draw(st.sampled_from(["-", "/", ".", "年"]))
    text = f"{day.year}年{m}月{d}日" if style == "年" else f"{day.year}{style}{m}{style}{d}"
    clock = draw(st.none() | st.tuples(st.integers(0, 23), st.integers(0, 59)).filter(lambda hm: hm != (0, 0)))
    if clock:
        text += f" {clock[0]}:{clock[1]:02d}"
    if draw(st.booleans()):
        text = text.translate(FULL_WIDTH)
    return draw(LABELS) + text, day, clock


@given(written_dates())
def test_generated_date_strings_parse_to_their_day_and_time(case):
    text, day, clock = case
    guess = parse_date_text(text, now=FETCHED)
    assert guess.value.date() == day and guess.value.tzinfo is not None
    if clock:
        assert (guess.precision, guess.value.hour, guess.value.minute) == ("minute", *clock)
    else:
        assert (guess.precision, guess.value.hour, guess.value.minute) == ("day", 0, 0)


@given(written_dates())
def test_generated_labelled_lines_give_the_page_date(case):
    text, day, _ = case
    guess = publication_date(header_lines=["标题", f"作者:某某 来源:某报 {text}"], fetched_at=FETCHED)
    assert guess.value.date() == day


@given(st.integers(0, 23), st.integers(0, 59), st.sampled_from(["分钟", "小时"]), st.integers(1, 30))
def test_relative_dates_name_the_day_of_their_span_and_no_finer(hour, minute, unit, amount):
    """`N小时前` means N to N+1 hours before `now`: the day when that span lies in one day, else nothing."""
    now = datetime(2024, 3, 1, hour, minute, tzinfo=SHANGHAI)
    step = timedelta(hours=1) if unit == "小时" else timedelta(minutes=1)
    latest, earliest = now - amount * step, now - (amount + 1) * step
    guess = parse_date_text(f"{amount}{unit}前", now=now)
    if earliest.date() == latest.date():
        assert (guess.value.date(), guess.precision, guess.source) == (latest.date(), "day", "relative")
        assert (guess.value.hour, guess.value.minute) == (0, 0)
    else:
        assert guess is None


@pytest.mark.parametrize(
    ("utc", "local"),
    [("2020-12-08T15:59:00Z", "2020-12-08T23:59:00+08:00"), ("2020-12-08T16:01:00Z", "2020-12-09T00:01:00+08:00")],
)
def test_shanghai_day_boundary(utc, local):
    guess = parse_date_text(utc)
    assert shown(guess) == local and guess.value.date().isoformat() == local[:10]


def test_day_precision_is_midnight_in_the_site_zone():
    guess = parse_date_text("2020-12-08T16:00:00Z")
    assert guess.precision == "day" and guess.value == datetime(2020, 12, 9, tzinfo=SHANGHAI)


# ------------------------------------------------------------------------------------------ sample files


@pytest.mark.shared
def test_seed_text_dumps_give_the_expected_dates(shared_dir):
    for path in sorted((shared_dir / "seeds").glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        want = json.loads((shared_dir / "seeds" / "expected" / f"{path.stem}.json").read_text())["published_at"]
        # The extractor hands over the lines around the title plus any CMS residue lines it strips.
        residue = [line for line in lines[12:] if line[:4].isdigit() and len(line) < 80]
        guess = publication_date(header_lines=lines[:12] + residue)
        assert shown(guess) == want, path.name


@pytest.mark.parametrize("printed", ["2021-06-04", "2021年6月4日 10:20", "2021/06/04 10:20:33", "2004-12-30 07:31PM"])
def test_the_header_parser_and_the_crawler_read_dates_with_the_one_grammar(printed):
    from crawlers.link_rules import LinkRules
    from crawlers.site_config import SiteConfig
    from pipelines.headers import is_date_line

    find_date = LinkRules(SiteConfig(name="t", start_urls=["http://example.cn/"])).find_date
    assert find_date(f"某镇召开党建工作推进会 {printed}") == printed
    assert is_date_line(f"({printed})")
    assert parse_date_text(printed, now=FETCHED) is not None
