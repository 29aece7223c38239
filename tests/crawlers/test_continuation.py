"""continuation_urls: an article's own pager is followed, every other numbered link is left alone."""

from __future__ import annotations

import pytest

from crawlers.continuation import continuation_urls, page_component


def page(body: str, head: str = "") -> str:
    return f"""<html><head><meta charset="utf-8"><title>学习贯彻会议精神</title>{head}</head><body>
<div class="crumb"><a href="/">首页</a> &gt; <a href="../index.html">工作动态</a></div>
<h1>学习贯彻会议精神</h1><div class="txt"><p>全体党员围绕主题开展专题学习,交流心得体会。</p></div>
{body}
<div class="related"><h3>相关文章</h3><ul>
<li><a href="4522.html">机关党委召开专题组织生活会</a></li><li><a href="/zx/2023/0611/4520.html">2</a></li>
</ul></div></body></html>"""


def test_suffix_pages_in_a_digit_pager_in_order_without_neighbours_or_the_column_pager():
    html = page("""<div class="fy"><span>第1页</span> <a href="4521_3.html">第3页</a>
<a href="4521_2.html">第2页</a> <a href="4521_2.html">下一页</a></div>
<div class="listpager"><a href="/zx/index_1.html">2</a> <a href="/zx/index_2.html">3</a></div>""")

    pages = continuation_urls(html, "http://127.0.0.1:8101/zx/2023/0611/4521.html")

    assert pages == [(2, "http://127.0.0.1:8101/zx/2023/0611/4521_2.html"),
                     (3, "http://127.0.0.1:8101/zx/2023/0611/4521_3.html")]


def test_hyphenated_pages_with_bracketed_numbers_and_a_fragment():
    html = page("""<p class="pages">[1] <a href="/p/meeting-77-2.shtml#top">[2]</a>
<a href="/p/meeting-77-3.shtml">[3]</a> <a href="/p/meeting-78.shtml">[4]</a></p>""")

    assert continuation_urls(html, "http://127.0.0.1:8102/p/meeting-77.shtml") == [
        (2, "http://127.0.0.1:8102/p/meeting-77-2.shtml"), (3, "http://127.0.0.1:8102/p/meeting-77-3.shtml")]


def test_an_added_page_parameter_on_a_detail_script():
    html = page("""<div id="pageNav"><a href="detail.do?aid=9031&amp;pg=2">2</a>
<a href="detail.do?aid=9031&amp;pg=3">3</a> <a href="detail.do?aid=9031&amp;pg=2">后页</a>
<a href="detail.do?aid=9032">下一篇:另一篇文章</a></div>""")

    assert continuation_urls(html, "http://127.0.0.1:8103/cms/detail.do?aid=9031") == [
        (2, "http://127.0.0.1:8103/cms/detail.do?aid=9031&pg=2"),
        (3, "http://127.0.0.1:8103/cms/detail.do?aid=9031&pg=3")]


def test_a_changed_page_parameter_but_never_a_changed_id():
    html = page("""<div class="pg"><a href="read.aspx?nid=3302&amp;pageindex=2">2</a>
<a href="read.aspx?nid=3303&amp;pageindex=1">3</a> <a href="read.aspx?nid=3304&amp;pageindex=1">4</a>
<a href="read.aspx?nid=5&amp;pageindex=1">5</a></div>""")

    assert continuation_urls(html, "http://127.0.0.1:8104/read.aspx?nid=3302&pageindex=1") == [
        (2, "http://127.0.0.1:8104/read.aspx?nid=3302&pageindex=2")]


@pytest.mark.parametrize(("article", "other", "expected"), [
    ("http://h/a/123.html", "http://h/a/123_2.html", (2, "suffix")),
    ("http://h/a/123.html", "http://h/a/124.html", None),  # the next article, not page 2
    ("http://h/a/123.html", "http://h/b/123_2.html", None),  # another folder
    ("http://h/a/123.html", "http://other/a/123_2.html", None),  # another host
    ("http://h/a/123.html", "http://h/a/123_2.html?x=1", None),  # another query
    ("http://h/a/123.html", "http://h/a/1234_2.html", None),
    ("http://h/v.php?id=123", "http://h/v.php?id=124", None),
    ("http://h/v.php?id=123", "http://h/v.php?id=123&n=4", (4, "parameter")),
    ("http://h/v.php?id=123", "http://h/v.php?id=123&n=4&k=5", None),  # two parameters added
    ("http://h/v.php?id=123&c=1", "http://h/v.php?id=123&c=2", (2, "parameter")),  # 1 was the page
    ("http://h/v.php?id=123", "http://h/v.php?id=123&n=99999", None),  # not a small page number
    ("http://h/a/123.html", "http://h/a/123.html", None),
])
def test_page_component(article, other, expected):
    assert page_component(article, other) == expected


def test_a_script_pager_call_counting_from_zero():
    html = page("""<div id="pg"></div><script>
writePager(4, 0, "t20230611_8812", "htm");</script>""")

    assert continuation_urls(html, "http://127.0.0.1:8105/xw/202306/t20230611_8812.htm") == [
        (2, "http://127.0.0.1:8105/xw/202306/t20230611_8812_1.htm"),
        (3, "http://127.0.0.1:8105/xw/202306/t20230611_8812_2.htm"),
        (4, "http://127.0.0.1:8105/xw/202306/t20230611_8812_3.htm")]


def test_a_pager_a_script_writes_into_the_page():
    html = page("""<script type="text/javascript">
document.write('<div class="pages"><a href=\\'n612_2.html\\'>2</a>&nbsp;<a href="n612_3.html">3</a></div>');
</script>""")

    assert continuation_urls(html, "http://127.0.0.1:8106/n/n612.html") == [
        (2, "http://127.0.0.1:8106/n/n612_2.html"), (3, "http://127.0.0.1:8106/n/n612_3.html")]


def test_only_a_next_link_to_an_underscore_one_is_the_second_page():
    html = page('<div class="turn"><a href="art_5_1.html">下一页</a></div>')

    assert continuation_urls(html, "http://127.0.0.1:8107/art/art_5.html") == [
        (2, "http://127.0.0.1:8107/art/art_5_1.html")]


def test_a_later_page_links_further_pages_of_the_first():
    html = page("""<div class="fy"><a href="55.html">1</a> <a href="55_3.html">3</a> <a href="55_4.html">4</a>
<a href="55_3.html">下一页</a></div>""")

    pages = continuation_urls(html, "http://127.0.0.1:8108/x/55_2.html", first_page="http://127.0.0.1:8108/x/55.html")

    assert pages == [(3, "http://127.0.0.1:8108/x/55_3.html"), (4, "http://127.0.0.1:8108/x/55_4.html")]


def test_a_page_without_a_pager_has_no_continuations():
    html = page('<p><a href="4521_2.html">附件二:活动安排表</a></p>')

    assert continuation_urls(html, "http://127.0.0.1:8109/zx/2023/0611/4521.html") == []
    assert continuation_urls("", "http://127.0.0.1:8109/zx/2023/0611/4521.html") == []
