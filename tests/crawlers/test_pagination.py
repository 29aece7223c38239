"""Generic pagination of list pages: invented list pages of many shapes, through `Pagination.next_pages`."""

from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest

from crawlers.link_rules import column_directory
from crawlers.pagination import Pagination, declared_next_pages
from pipelines.config import rules

SITE = "http://127.0.0.1:18602"


@pytest.fixture(scope="module")
def pagination() -> Pagination:
    return Pagination(rules("cms"))


def anchors_of(html: str, url: str) -> list[tuple[str, str]]:
    """(absolute href, normalized text or title) of every followable link, in document order."""
    found = []
    for element in lxml.html.document_fromstring(html).iter("a"):
        href = (element.get("href") or "").strip()
        absolute = urljoin(url, href)
        if href and not href.startswith("#") and urlsplit(absolute).scheme in ("http", "https"):
            found.append((absolute, " ".join(element.text_content().split()) or (element.get("title") or "")))
    return found


def on_site(url: str) -> bool:
    return url.startswith(SITE + "/")


def page(body: str, items: int = 3) -> str:
    rows = "".join(f'<li><a href="/wz/2024/{n}.html">第{n}篇支部学习活动的新闻标题</a><span>2024-05-0{n}</span></li>'
                   for n in range(1, items + 1))
    return (f'<html><head><meta charset="utf-8"><title>党建动态</title></head><body>'
            f'<div class="menu"><a href="/">首页</a><a href="/gk/">学院概况</a></div>'
            f'<ul class="news">{rows}</ul>{body}<p>版权所有 某某党校</p></body></html>')


def next_of(pagination: Pagination, html: str, url: str, page_index: int = 1, column_dir: str | None = None):
    return pagination.next_pages(html, url, anchors_of(html, url), column_dir=column_dir or column_directory(url),
                                 page_index=page_index, is_on_site=on_site)


# --- the cases tests/crawlers/test_link_rules.py checks through LinkRules -------------------------------

def test_trs_page_script_counts_from_zero(pagination):
    html = page('<script type="text/javascript">createPageHTML(3, 0, "index", "html");</script>')
    assert next_of(pagination, html, SITE + "/jxdt/index.html") == [SITE + "/jxdt/index_1.html"]
    middle = html.replace("createPageHTML(3, 0", "createPageHTML(3, 1")
    assert next_of(pagination, middle, SITE + "/jxdt/index_1.html", 2) == [SITE + "/jxdt/index_2.html"]
    last = html.replace("createPageHTML(3, 0", "createPageHTML(3, 2")
    assert next_of(pagination, last, SITE + "/jxdt/index_2.html", 3) == []


def test_vsb_urls_count_down_while_the_pager_counts_up(pagination):
    pager = ('<div class="pb"><a href="list.htm">首页</a><a href="list/3.htm">2</a><a href="list/2.htm">3</a>'
             '<a href="list/1.htm">尾页</a></div>')
    assert next_of(pagination, page(pager), SITE + "/djgz/list.htm") == [SITE + "/djgz/list/3.htm"]
    second = page(pager.replace('"list/', '"'))
    assert next_of(pagination, second, SITE + "/djgz/list/3.htm", 2, column_dir="/djgz/") == [SITE + "/djgz/list/2.htm"]


def test_next_label_stays_in_the_column(pagination):
    pager = ('<a href="/other/index.html?page=2">别的栏目</a><a href="index.html?page=5">5</a>'
             '<a href="index.html?page=2">下一页</a><a href="index.html?page=9">尾页</a>')
    assert next_of(pagination, page(pager), SITE + "/xwzx/index.html") == [SITE + "/xwzx/index.html?page=2"]


def test_jcms_numbered_pages_without_labels(pagination):
    pager = '<a href="index.html?uid=456&pageNum=1">1</a><a href="index.html?uid=456&pageNum=2">2</a>'
    url = SITE + "/col/col123/index.html"
    assert next_of(pagination, page(pager), url) == [url + "?uid=456&pageNum=2"]
    assert next_of(pagination, page(pager), url + "?uid=456&pageNum=2", 2, column_dir="/col/col123/") == []


def test_asp_numbered_pages_with_any_capitalisation(pagination):
    pager = '<a href="news_list.asp?classid=3&Page=1">1</a><a href="news_list.asp?classid=3&Page=2">2</a>'
    assert next_of(pagination, page(pager), SITE + "/news_list.asp?classid=3") == [
        SITE + "/news_list.asp?classid=3&Page=2"]


# --- pager blocks -------------------------------------------------------------------------------------

@pytest.mark.parametrize("shown", ["{n}", "[{n}]", "第{n}页", "（{n}）", "【 {n} 】"])
def test_the_pager_link_numbered_one_past_this_page(pagination, shown):
    links = "".join(f'<a href="/dy/yw-{n}.shtml">{shown.format(n=n)}</a>' for n in (1, 2, 4, 5, 6))
    pager = f'<div class="fy"><a href="/dy/yw.shtml">« 上一页</a>{links}<span>共6页</span></div>'
    assert next_of(pagination, page(pager), SITE + "/dy/yw-3.shtml", 3) == [SITE + "/dy/yw-4.shtml"]


def test_urls_counting_down_in_an_unknown_shape(pagination):
    # the column's newest page is lb.htm, older pages lb/31.htm, lb/30.htm …; the pager text counts up
    pager = ('<p class="pagelink"><a href="../lb.htm">首 页</a><a href="../lb.htm">1</a><a href="30.htm">3</a>'
             '<a href="29.htm">4</a><a href="30.htm">下页</a><a href="1.htm">末页</a></p>')
    url = SITE + "/tzgg/lb/31.htm"
    assert next_of(pagination, page(pager), url, 2, column_dir="/tzgg/") == [SITE + "/tzgg/lb/30.htm"]


def test_numbered_link_and_next_link_that_disagree_are_both_followed(pagination):
    pager = ('<div><a href="?p=2">2</a><a href="?p=3">3</a><a href="?p=4">3</a>'
             '<a href="?p=7">下一页</a><a href="?p=9">尾页</a></div>')
    found = next_of(pagination, page(pager), SITE + "/zbjs/list.php?p=2", 2)
    assert found == [SITE + "/zbjs/list.php?p=3", SITE + "/zbjs/list.php?p=7"]


@pytest.mark.parametrize("label", ["下一页", "[下一页]", "下一页>>", "Next »", "next page ›", "下页", "后一页"])
def test_next_labels_in_many_spellings(pagination, label):
    pager = f'<div class="pages"><span>1</span><a href="dt_p2.html">{label}</a></div>'
    assert next_of(pagination, page(pager), SITE + "/dt/dt.html") == [SITE + "/dt/dt_p2.html"]


def test_a_bare_arrow_is_next_only_inside_a_pager(pagination):
    more = page('<div class="side"><h3>通知公告</h3><a href="/dt/tz.html">»</a></div>')
    assert next_of(pagination, more, SITE + "/dt/index.html") == []
    pager = page('<div class="pg"><a href="/dt/index.html">‹</a><a href="/dt/p/2.html">»</a></div>')
    assert next_of(pagination, pager, SITE + "/dt/index.html") == [SITE + "/dt/p/2.html"]


def test_an_e_papers_page_menu_leads_through_the_pages_of_one_issue(pagination):
    menu = ('<div class="nodes"><h4>版面导航</h4><ul><li><a href="node_1.htm">第01版：要闻</a></li>'
            '<li><a href="node_2.htm">第02版：党建</a></li><li><a href="node_3.htm">第A3版</a></li></ul></div>')
    issue = SITE + "/html/2021-06/11/"
    assert next_of(pagination, page(menu), issue + "node_1.htm") == [issue + "node_2.htm"]
    assert next_of(pagination, page(menu), issue + "node_2.htm", 2) == [issue + "node_3.htm"]
    assert next_of(pagination, page(menu), issue + "node_3.htm", 3) == []


def test_never_this_page_another_column_or_another_site(pagination):
    pager = ('<div class="pager"><a href="/xwzx/list.html">1</a><a href="http://other.example.cn/xwzx/2.html">2</a>'
             '<a href="/tzgg/list_2.html">下一页</a><a href="list.html#top">下一页</a></div>')
    assert next_of(pagination, page(pager), SITE + "/xwzx/list.html") == []


def test_query_pagination_of_the_same_script_stays_in_the_column(pagination):
    pager = '<div><a href="/cms/show.php?lanmu=4&amp;ye=2">2</a><a href="/cms/show.php?lanmu=4&amp;ye=2">下一页</a></div>'
    found = next_of(pagination, page(pager), SITE + "/cms/show.php?lanmu=4", column_dir="/cms/show/")
    assert found == [SITE + "/cms/show.php?lanmu=4&ye=2"]


# --- URL forms, when the pager has no texts ----------------------------------------------------------

def icons(*hrefs: str) -> str:
    return '<div class="fy">' + "".join(f'<a href="{href}"><img src="/img/p.gif"></a>' for href in hrefs) + "</div>"


@pytest.mark.parametrize(("url", "hrefs", "expected"), [
    ("/djyw/", ["/djyw/page/2/", "/djyw/page/3/", "/djyw/page/12/"], "/djyw/page/2/"),
    ("/djyw/page/2/", ["/djyw/", "/djyw/page/3/"], "/djyw/page/3/"),
    ("/jcdt/", ["index_1.html", "index_2.html"], "/jcdt/index_1.html"),
    ("/a/dangjian/", ["list_8_2.html", "list_8_3.html", "list_8_20.html"], "/a/dangjian/list_8_2.html"),
    ("/a/dangjian/list_8_2.html", ["list_8_1.html", "list_8_3.html"], "/a/dangjian/list_8_3.html"),
    ("/dwgz/tongzhi.shtml", ["tongzhi-2.shtml", "tongzhi-3.shtml"], "/dwgz/tongzhi-2.shtml"),
    ("/dwgz/more.htm", ["more/1.htm", "more/2.htm"], "/dwgz/more/1.htm"),
    ("/cms/lanmu.php?lm=7", ["?lm=7&yema=1", "?lm=7&yema=2", "?lm=7&yema=3"], "/cms/lanmu.php?lm=7&yema=2"),
    ("/cms/lanmu.php?lm=7&PgIdx=2", ["?lm=8&PgIdx=1", "?lm=7&PgIdx=1", "?lm=7&PgIdx=3"],
     "/cms/lanmu.php?lm=7&PgIdx=3"),
    ("/col/col77/s_3.html", ["s_2.html", "s_4.html", "s_5.html"], "/col/col77/s_4.html"),
])
def test_url_forms_without_pager_texts(pagination, url, hrefs, expected):
    column_dir = "/" + url.split("/")[1] + "/"
    found = next_of(pagination, page(icons(*hrefs)), SITE + url, 2 if "2" in url else 1, column_dir=column_dir)
    assert found == [SITE + expected]


def test_the_varying_number_is_the_one_that_forms_a_sequence(pagination):
    # categories of the sidebar differ in `fl`; the pages of this list differ in `dq`
    links = icons("?fl=2&dq=4", "?fl=1&dq=5", "?fl=1&dq=6", "?fl=1&dq=7", "?fl=1&dq=3")
    assert next_of(pagination, page(links), SITE + "/ww/list.aspx?fl=1&dq=4", 4) == [SITE + "/ww/list.aspx?fl=1&dq=5"]


def test_last_page_by_url_form(pagination):
    assert next_of(pagination, page(icons("s_3.html", "s_4.html")), SITE + "/col/col77/s_5.html", 5) == []


# --- pagination written by scripts, jump menus and jump forms -----------------------------------------

def test_page_count_and_a_paging_function_that_builds_the_url(pagination):
    script = ('<script>var pageCount = 9; var curPage = 1;\n'
              'function turnPage(n) { if (n > pageCount) return; location.href = "lb_" + n + ".html"; }</script>'
              '<div id="pager"><a href="javascript:turnPage(2)">2</a></div>')
    assert next_of(pagination, page(script), SITE + "/xxgk/lb_1.html") == [SITE + "/xxgk/lb_2.html"]
    last = script.replace("curPage = 1", "curPage = 9")
    assert next_of(pagination, page(last), SITE + "/xxgk/lb_9.html", 9) == []


def test_page_count_in_an_object_and_a_query_string_template(pagination):
    script = ("<script>new Paginator({ totalPage: 4, onJump: function (pg) { window.location = "
              "'?lmid=3&pg=' + pg; } });</script>")
    url = SITE + "/ztzl/list.asp?lmid=3"
    assert next_of(pagination, page(script), url) == [SITE + "/ztzl/list.asp?lmid=3&pg=2"]
    assert next_of(pagination, page(script), url + "&pg=4", 4) == []


def test_a_zero_based_url_number_in_the_template(pagination):
    script = '<script>var pageTotal = 3;\nfunction goPage(p){ location = "index_" + (p - 1) + ".htm"; }</script>'
    assert next_of(pagination, page(script), SITE + "/dwjs/index.htm") == [SITE + "/dwjs/index_1.htm"]
    assert next_of(pagination, page(script), SITE + "/dwjs/index_1.htm", 2) == [SITE + "/dwjs/index_2.htm"]


def test_prefix_and_suffix_strings_beside_a_page_count(pagination):
    script = '<script>var cfg = {maxPage: 5, urlPrefix: "more", fileExt: "shtml"};</script>'
    assert next_of(pagination, page(script), SITE + "/tz/more.shtml", 2) == [SITE + "/tz/more_3.shtml"]


def test_a_pager_widget_counts_its_pages_from_records_and_page_size(pagination):
    script = ("<script>layui.use('laypage', function () { layui.laypage.render({elem: 'pager', count: 16, "
              "limit: 6, curr: 1, jump: function (obj, first) {\n  if (!first) {\n"
              "    location.href = obj.curr === 1 ? 'index.html' : 'index_' + obj.curr + '.html';\n  }\n}});});</script>")
    url = SITE + "/jgdj/index.html"
    assert next_of(pagination, page(script), url) == [SITE + "/jgdj/index_2.html"]
    assert next_of(pagination, page(script.replace("curr: 1", "curr: 3")), SITE + "/jgdj/index_3.html", 3) == []
    # the callback's field is where it goes only when it sends the browser there
    shown = script.replace("location.href = ", "console.log(")
    assert next_of(pagination, page(shown), url) == []


def test_a_jump_box_function_named_for_pages_gives_the_template(pagination):
    script = ('<script>var pageCount = 3;\nvar currentPage = 1;\nfunction jumpPage() {\n'
              "  var p = parseInt(document.getElementById('pageNum').value, 10);\n"
              "  window.location.href = p === 1 ? 'index.html' : 'index_' + p + '.html';\n}</script>"
              '转到第 <input type="text" id="pageNum"> 页 <input type="button" value="GO" onclick="jumpPage()">')
    assert next_of(pagination, page(script), SITE + "/djyw/index.html") == [SITE + "/djyw/index_2.html"]
    # a function that is not named for pages builds some other URL from its number
    other = script.replace("jumpPage", "showPhoto")
    assert next_of(pagination, page(other), SITE + "/djyw/index.html") == []


def test_a_page_script_without_a_count_says_nothing(pagination):
    script = '<script>function toPage(k){ location.href = "list_" + k + ".html"; } var pageSize = 20;</script>'
    assert next_of(pagination, page(script), SITE + "/tz/list_1.html") == []


def test_the_printed_page_count_bounds_a_script_template(pagination):
    script = ('<script>function showPage(k){ location.href = "fl-" + k + ".html"; }</script>'
              '<div class="pg">共 2 页</div>')
    assert next_of(pagination, page(script), SITE + "/tz/fl-1.html") == [SITE + "/tz/fl-2.html"]
    assert next_of(pagination, page(script), SITE + "/tz/fl-2.html", 2) == []


@pytest.mark.parametrize("shown", ["{n}", "第{n}页"])
def test_select_jump_menu_of_page_urls(pagination, shown):
    options = "".join(f'<option value="{href}">{shown.format(n=n)}</option>'
                      for n, href in ((1, "dt.htm"), (2, "dt_a2.htm"), (3, "dt_a3.htm")))
    menu = f'<select onchange="window.location.href=this.value">{options}</select>'
    assert next_of(pagination, page(menu), SITE + "/zx/dt_a2.htm", 2) == [SITE + "/zx/dt_a3.htm"]
    assert next_of(pagination, page(menu), SITE + "/zx/dt_a3.htm", 3) == []


def test_a_jump_menu_of_numbers_counts_the_pages_for_the_script(pagination):
    options = "".join(f'<option value="{n}">{n}</option>' for n in range(1, 4))
    html = page('<script>function jumpPage(v){ location = "?tid=8&page_idx=" + v; }</script>'
                f'<select onchange="jumpPage(this.value)">{options}</select>')
    assert next_of(pagination, html, SITE + "/xw.jsp?tid=8") == [SITE + "/xw.jsp?tid=8&page_idx=2"]
    assert next_of(pagination, html, SITE + "/xw.jsp?tid=8&page_idx=3", 3) == []


def test_get_form_with_a_page_field(pagination):
    form = ('<form action="lm_list.jsp" method="get"><input type="hidden" name="colid" value="12">'
            '共6页 到第<input type="text" name="go_to" size="2">页 <input type="submit" value="确定"></form>')
    url = SITE + "/bm/lm_list.jsp?colid=12"
    assert next_of(pagination, page(form), url) == [SITE + "/bm/lm_list.jsp?colid=12&go_to=2"]
    assert next_of(pagination, page(form), url + "&go_to=6", 6) == []


def test_form_field_named_for_pages_needs_no_label(pagination):
    form = '<form><input name="sid" type="hidden" value="a1"><input name="curPg" value="1"><button>›</button></form>'
    assert next_of(pagination, page(form), SITE + "/sy/list.do?x=1", 3) == [SITE + "/sy/list.do?x=1&sid=a1&curPg=4"]


@pytest.mark.parametrize("form", [
    '<form action="/search.jsp" method="get"><input name="keyword"><input type="submit" value="搜索"></form>',
    '<form action="lm.jsp" method="post">第<input name="pageNo">页<input type="submit" value="跳转"></form>',
    '<form action="javascript:void(0)">第<input name="pageNo">页</form>',
])
def test_forms_that_are_not_static_page_jumpers(pagination, form):
    assert next_of(pagination, page(form), SITE + "/bm/lm.jsp") == []


# --- what a link is ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "number"), [
    ("/jxdt/index_3.html", 3), ("/djgz/list/12.htm", 12), ("/col/col1/index.html?uid=4&pageNum=5", 5),
    ("/a/xw/list_8_2.html", 2), ("/news_list.asp?classid=3&PageNo=4", 4), ("/djyw/page/6/", 6),
    ("/xw/list.php?page=0", 0), ("/jxdt/202106/t20210604_4872901.html", None), ("/info/1034/12345.htm", None),
])
def test_page_number_by_known_forms(pagination, path, number):
    assert pagination.page_number(SITE + path) == number


def test_a_site_pattern_is_a_known_form():
    own = Pagination(rules("cms"), list_url_pattern=r"/lanmu(?P<page>\d+)\.html$")
    assert own.page_number(SITE + "/zt/lanmu7.html") == 7
    assert Pagination(rules("cms")).page_number(SITE + "/zt/lanmu7.html") is None


@pytest.mark.parametrize(("href", "text"), [
    ("/x/a.html", "3"), ("/x/a.html", "[4]"), ("/x/a.html", "第5页"), ("/x/a.html", "下一页"), ("/x/a.html", "尾页"),
    ("/x/a.html", "Next »"), ("/x/a.html", "上一页"), ("/jx/index_2.html", "党建工作要闻汇总"),
    ("/x/list.php?c=1&yema=2", ""), ("/x/lb-3.html", ""),
])
def test_pager_links(pagination, href, text):
    assert pagination.is_page_link(SITE + href, text, SITE + "/x/lb.html" if "lb-" in href else SITE + "/x/list.php?c=1")


@pytest.mark.parametrize(("href", "text"), [
    ("/x/list.php?c=1&id=5", "支部书记讲党课活动纪实"), ("/x/list.php?c=1&id=5", "更多»"),
    ("/info/1034/12345.htm", ""), ("/x/show.php?id=6", "学习贯彻全会精神"),
])
def test_links_that_are_not_pager_links(pagination, href, text):
    assert not pagination.is_page_link(SITE + href, text, SITE + "/x/list.php?c=1")


# --- bounds ------------------------------------------------------------------------------------------

def test_at_most_two_next_pages_and_never_this_page(pagination):
    pager = "".join(f'<a href="?p={n}">下一页</a>' for n in range(1, 8)) + '<a href="?p=2">2</a>'
    found = next_of(pagination, page(pager), SITE + "/q/l.php?p=1")
    assert len(found) == 2 and SITE + "/q/l.php?p=1" not in found


def test_a_long_list_page_with_a_busy_script(pagination):
    """Its cost is measured by the crawl benchmark (`make bench`), not here: timings do not belong in tests."""
    pager = '<div class="pg">' + "".join(f'<a href="lb_{n}.html">{n}</a>' for n in range(1, 40)) + "</div>"
    script = "<script>" + "var x1 = 'a' + b + 'c';\n" * 200 + "</script>"
    html = page(pager + script + "<select><option>甲</option></select><form><input name=q></form>", items=400)
    url = SITE + "/lb/lb_7.html"
    anchors = anchors_of(html, url)
    assert pagination.next_pages(html, url, anchors, column_dir="/lb/", page_index=7,
                                 is_on_site=on_site) == [SITE + "/lb/lb_8.html"]
    # no pager: every mechanism tried in turn, none answers
    assert pagination.next_pages(html, url, anchors[:-39], column_dir="/lb/", page_index=7, is_on_site=on_site) == []


def test_first_last_and_previous_links_are_never_the_next_page_by_url(pagination):
    links = '<div><a href="index_40.html">尾页</a><a href="index_3.html">上一页</a><a href="/">首页</a></div>'
    assert next_of(pagination, page(links), SITE + "/gg/index.html") == []


def test_a_script_concatenation_needs_url_text(pagination):
    script = '<script>var totalPages = 5; function fmtPage(p){ return "." + p; }</script>'
    assert next_of(pagination, page(script), SITE + "/gg/index.html") == []


def test_a_page_that_prints_it_is_the_last_ends_the_column_whatever_its_links_suggest():
    pagination = Pagination(rules("cms"))
    html = ('<table><tr><td><a href="show.aspx?xxid=9">某某通知</a></td></tr></table>'
            '<div class="pg">当前第3/3页 <a href="list.aspx?lm=2&curpage=2">上一页</a></div>'
            '<form action="list.aspx" method="get"><input type="hidden" name="lm" value="2">'
            '跳转到第<input type="text" name="curpage">页 <input type="submit" value="GO"></form>')
    url = SITE + "/xxgk/list.aspx?lm=2&curpage=3"
    assert pagination.next_pages(html, url, [(SITE + "/xxgk/list.aspx?lm=2&curpage=2", "上一页")],
                                 column_dir="/xxgk/", page_index=3, is_on_site=lambda _: True) == []
    # an item's own page count (an article over three pages) does not end a longer column
    items = "".join(f'<li><a href="/a/{n}.html">第{n}篇</a><em>（共3页）</em></li>' for n in range(3))
    pager = '<div class="pg">共5页 <a href="index_4.html">下一页</a></div>'
    assert pagination.next_pages(items + pager, SITE + "/a/index_3.html", [(SITE + "/a/index_4.html", "下一页")],
                                 column_dir="/a/", page_index=4, is_on_site=lambda _: True) == [SITE + "/a/index_4.html"]


def test_webforms_pager_links_post_the_form_back_once_per_page(pagination):
    url = SITE + "/News/NewsList.aspx?ClassID=12"

    def listing(current: int) -> lxml.html.HtmlElement:
        pager = "".join(f"<span>{n}</span>" if n == current else
                        f"<a href=\"javascript:__doPostBack('ctl00$Main$Pager','{n}')\">{n}</a>" for n in (1, 2, 3))
        return lxml.html.document_fromstring(
            '<html><body><form name="aspnetForm" method="post" action="NewsList.aspx?ClassID=12">'
            f'<input type="hidden" name="__EVENTTARGET" value=""><input type="hidden" name="__VIEWSTATE" value="vs{current}">'
            '<input type="submit" name="btnSearch" value="搜索"><input type="checkbox" name="keep" value="1">'
            "<a href=\"javascript:__doPostBack('ctl00$Header$lbtnLogin','')\">登录</a>"
            f"<div class=\"pager\">共3页 {pager}"
            f"<a href=\"javascript:__doPostBack('ctl00$Main$Pager','{current + 1}')\">下一页</a></div>"
            "</form></body></html>", base_url=url)

    first = pagination.postback_pages(listing(1), url, 1)
    assert [postback.page for postback in first] == [2, 3]  # the login link shows no page number
    assert dict(first[0].fields) == {"__EVENTTARGET": "ctl00$Main$Pager", "__VIEWSTATE": "vs1",
                                     "__EVENTARGUMENT": "2"}
    assert first[0].url == url
    second = pagination.postback_pages(listing(2), url, 2)
    assert [postback.page for postback in second] == [3]  # page 1 is behind, the next label is page 3 again
    assert second[0].event == first[1].event  # the same page whatever view state asked for it
    assert pagination.postback_pages(listing(3), url, 3) == []  # 共3页: the last


def test_a_pager_function_that_fills_a_form_field_and_submits_it_posts_that_form(pagination):
    url = SITE + "/jsp/xwzx/list.jsp?lmid=8"

    def listing(current: int, script: str) -> lxml.html.HtmlElement:
        pager = "".join(f"<b>{n}</b>" if n == current else f'<a href="#" onclick="toPage({n});return false;">{n}</a>'
                        for n in (1, 2, 3))
        return lxml.html.document_fromstring(
            '<html><body><ul><li><a href="show.jsp?id=5">某支部学习会</a></li></ul>'
            '<form id="listForm" method="post" action="list.jsp?lmid=8"><input type="hidden" name="curPage" value="1">'
            f'<input type="hidden" name="rows" value="15"></form><div class="pg">共3页 {pager}'
            f'<a href="javascript:toPage({current + 1})">下一页</a> <a href="javascript:openHelp(2)">帮助</a></div>'
            f"<script>{script}</script></body></html>", base_url=url)

    by_name = "function toPage(p){ var f=document.forms['listForm']; f.curPage.value=p; f.submit(); }"
    first = pagination.postback_pages(listing(1, by_name), url, 1)
    assert [(postback.page, dict(postback.fields)) for postback in first] == [
        (2, {"curPage": "2", "rows": "15"}), (3, {"curPage": "3", "rows": "15"})]
    assert first[0].url == url and first[0].event == (url, "2")
    by_id = ("function toPage(n) { $('#curPage').val(n); document.getElementById('listForm').submit(); }"
             "function openHelp(n) { window.open('help.html'); }")
    html = lxml.html.tostring(listing(2, by_id)).decode().replace('name="curPage"', 'name="curPage" id="curPage"')
    second = pagination.postback_pages(lxml.html.document_fromstring(html, base_url=url), url, 2)
    assert [(postback.page, dict(postback.fields)["curPage"]) for postback in second] == [(3, "3")]
    # a function that only opens something submits no form: no page
    assert pagination.postback_pages(listing(1, "function toPage(p){ location.href = 'list.jsp?p=' + p; }"),
                                     url, 1) == []


def test_a_page_that_declares_its_next_page_in_its_head_names_it():
    root = lxml.html.document_fromstring(
        '<html><head><link rel="next" href="list2.htm#top"><link rel="stylesheet" href="a.css"></head>'
        '<body><div class="row">某支部学习会</div><a rel="nofollow" href="/login">登录</a></body></html>',
        base_url=SITE + "/news/dangjian/")
    assert declared_next_pages(root, SITE + "/news/dangjian/") == [SITE + "/news/dangjian/list2.htm"]
    assert declared_next_pages(lxml.html.document_fromstring("<html><body><p>无</p></body></html>"), SITE) == []
