import pytest

from crawlers.link_rules import LinkRules, column_directory, is_home_page
from crawlers.site_config import SiteConfig
from pipelines.decode import decode_bytes

SITE = "http://127.0.0.1:18601"


def rules_for(start_url: str, learned: dict | None = None, **options) -> LinkRules:
    return LinkRules(SiteConfig(name="t", start_urls=[start_url], **options), learned=learned)


@pytest.mark.parametrize(
    "path",
    [
        "/jxdt/202106/t20210604_4872901.html",
        "/art/2021/6/4/art_1234_98765.html",
        "/info/1034/12345.htm",
        "/content/202106/04/content_4980.html",
        "/xhwz/2021-06/04/c_12345.htm",
        "/html/show-12-345.html",
        "/index.php?m=content&c=index&a=show&catid=12&id=345",
        "/a/news/20210604/123.html",
        "/content.jsp?urltype=news.NewsContentUrl&wbtreeid=1011&wbnewsid=2345",
        "/Article/ShowArticle.asp?ArticleID=123",
        "/news_view.asp?id=12",
        "/NewsDetail.aspx?newsid=34&classid=2",
        "/article.php?id=5",
    ],
)
def test_cms_article_urls(path):
    assert rules_for(SITE + "/").is_article_url(SITE + path)


@pytest.mark.parametrize(
    "path", ["/jxdt/index.html", "/jxdt/index_2.html", "/djgz/list.htm", "/djgz/list/3.htm",
             "/col/col123/index.html?uid=456&pageNum=2", "/", "/about/contact.html", "/info/1034.htm",
             "/news_list.asp?classid=3", "/NewsList.aspx?page=2", "/list.jsp?urltype=tree.TreeTempUrl&wbtreeid=1011"],
)
def test_list_and_other_pages_are_not_articles(path):
    assert not rules_for(SITE + "/").is_article_url(SITE + path)


def test_configured_article_pattern_replaces_the_conventions():
    rules = rules_for(SITE + "/news/", article_url_pattern=r"/detail\.jsp\?id=\d+")
    assert rules.is_article_url(SITE + "/news/detail.jsp?id=7")
    assert not rules.is_article_url(SITE + "/info/1034/12345.htm")


def list_html(items: str, extra: str = "", charset: str = "utf-8") -> str:
    return (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}"></head><body>'
            f'<div class="nav"><a href="/">首页</a> <a href="/about/">关于我们</a></div>'
            f'<ul class="list">{items}</ul>{extra}<div class="foot">版权所有</div></body></html>')


def test_trs_script_pagination_and_list_dates():
    rules = rules_for(SITE + "/jxdt/index.html")
    html = list_html(
        '<li><a href="./202012/t20201208_123456.html" title="践行初心使命">践行初心使命 强化责任担当</a>'
        '<span class="date">2020-12-08</span></li>'
        '<li><a href="./202011/t20201101_22.html">第二篇文章的标题</a><span>2020-11-01 09:30</span></li>',
        '<script>createPageHTML(3, 0, "index", "html");</script>',
    )
    page = rules.parse_list_page(html, SITE + "/jxdt/index.html")
    assert [(link.url, link.date_text) for link in page.articles] == [
        (SITE + "/jxdt/202012/t20201208_123456.html", "2020-12-08"),
        (SITE + "/jxdt/202011/t20201101_22.html", "2020-11-01 09:30"),
    ]
    assert page.next_pages == [SITE + "/jxdt/index_1.html"]
    middle = html.replace("createPageHTML(3, 0", "createPageHTML(3, 1")
    assert rules.parse_list_page(middle, SITE + "/jxdt/index_1.html").next_pages == [SITE + "/jxdt/index_2.html"]
    last = html.replace("createPageHTML(3, 0", "createPageHTML(3, 2")
    assert rules.parse_list_page(last, SITE + "/jxdt/index_2.html").next_pages == []


def test_vsb_pages_count_down():
    rules = rules_for(SITE + "/djgz/list.htm")
    pager = ('<div class="pb"><a href="list.htm">首页</a><a href="list/3.htm">2</a><a href="list/2.htm">3</a>'
             '<a href="list/1.htm">尾页</a></div>')
    html = list_html('<li><a href="../info/1034/12345.htm">一篇博达网站的新闻标题</a><span>[11-05]</span></li>', pager)
    page = rules.parse_list_page(html, SITE + "/djgz/list.htm")
    assert page.next_pages == [SITE + "/djgz/list/3.htm"]
    assert page.articles[0].date_text == "[11-05]" and page.articles[0].url == SITE + "/info/1034/12345.htm"
    assert rules.parse_list_page(html.replace('"list/', '"'), SITE + "/djgz/list/3.htm").next_pages == [
        SITE + "/djgz/list/2.htm"]


def test_next_label_wins_over_numbers_and_stays_in_the_column():
    rules = rules_for(SITE + "/xwzx/index.html")
    pager = ('<a href="/other/index.html?page=2">别的栏目</a><a href="index.html?page=5">5</a>'
             '<a href="index.html?page=2">下一页</a><a href="index.html?page=9">尾页</a>')
    html = list_html('<li><a href="/content/202106/04/content_4980.html">县里的新闻标题文字</a> 2021年06月04日</li>', pager)
    page = rules.parse_list_page(html, SITE + "/xwzx/index.html")
    assert page.next_pages == [SITE + "/xwzx/index.html?page=2"]
    assert [link.date_text for link in page.articles] == ["2021年06月04日"]


def test_jcms_numbered_pages_without_labels():
    rules = rules_for(SITE + "/col/col123/index.html")
    pager = '<a href="index.html?uid=456&pageNum=1">1</a><a href="index.html?uid=456&pageNum=2">2</a>'
    html = list_html('<li><a href="/art/2023/7/3/art_123_4567.html">党建网上的一篇新闻标题</a><span>2023-07-03</span></li>',
                     pager)
    assert rules.parse_list_page(html, SITE + "/col/col123/index.html").next_pages == [
        SITE + "/col/col123/index.html?uid=456&pageNum=2"]
    assert rules.parse_list_page(html, SITE + "/col/col123/index.html?uid=456&pageNum=2").next_pages == []


def test_dates_in_table_rows_and_relative_dates():
    rules = rules_for(SITE + "/news/")
    html = ('<table><tr><td><a href="/info/1/11.htm">表格布局里的新闻标题</a></td><td>2021/6/4</td></tr>'
            '<tr><td><a href="/info/1/12.htm">另一条表格新闻的标题</a></td><td>3小时前</td></tr></table>')
    page = rules.parse_list_page(html, SITE + "/news/")
    assert [link.date_text for link in page.articles] == ["2021/6/4", "3小时前"]


def test_a_dated_headline_of_unknown_shape_is_an_article_and_its_block_brings_its_siblings():
    rules = rules_for(SITE + "/news/")
    lone = list_html('<li><a href="/news/item.jsp?no=7">一条没有常见网址形式的较长新闻标题</a><span>2021-06-04</span></li>'
                     '<li><a href="/news/other.jsp?no=8">短标题</a></li>')
    assert [link.url for link in rules.parse_list_page(lone, SITE + "/news/").articles] == [
        SITE + "/news/item.jsp?no=7"]
    block = list_html(
        '<li><a href="/news/item.jsp?no=7">一条没有常见网址形式的较长新闻标题</a><span>2021-06-04</span></li>'
        '<li><a href="/news/item.jsp?no=8">短标题</a><span>2021-06-03</span></li>'
        '<li><a href="/news/item.jsp?no=9">一条旁边没有日期的较长的新闻标题</a></li>'
    )
    assert [link.url for link in rules_for(SITE + "/news/").parse_list_page(block, SITE + "/news/").articles] == [
        SITE + f"/news/item.jsp?no={number}" for number in (7, 8, 9)]
    strict = rules_for(SITE + "/news/", article_url_pattern=r"/content_\d+\.html")
    assert strict.parse_list_page(block, SITE + "/news/").articles == []


def test_undated_headline_blocks_are_learned_and_remembered_but_menus_and_tags_are_not():
    rules = rules_for(SITE + "/column/")
    html = list_html(
        "".join(f'<li><a href="/column/p/{number}">第{number}期理论学习小组开展专题研讨</a></li>' for number in range(5)),
        '<div class="menu"><a href="/column/">学习</a><a href="/notice/">通知</a><a href="/about/">关于</a>'
        '<a href="/contact/">联系</a></div><div class="tags">'
        + "".join(f'<a href="/tag/{number}">标签{number}</a>' for number in range(6))
        + '</div><ul class="cols">' + "".join(f'<li><a href="/col/col{n}/index.html">栏目{n}</a></li>' for n in range(4))
        + "</ul>",
    )
    page = rules.parse_list_page(html, SITE + "/column/")
    assert [link.url for link in page.articles] == [SITE + f"/column/p/{number}" for number in range(5)]
    assert dict(rules.learned) == {"/column/p/{n}": 5}
    later = rules_for(SITE + "/column/", learned=dict(rules.learned))
    single = list_html('<li><a href="/column/p/77">短</a></li>')
    assert [link.url for link in later.parse_list_page(single, SITE + "/column/").articles] == [SITE + "/column/p/77"]


def test_one_item_per_date_even_with_a_category_link():
    rules = rules_for(SITE + "/news/")
    html = list_html('<li>[<a href="/col/">要闻</a>] <a href="/info/1/1.htm">第一条新闻的完整标题</a> 2021-06-01</li>'
                     '<li><a href="/info/1/2.htm">第二条新闻的完整标题</a></li>')
    assert [link.date_text for link in rules.parse_list_page(html, SITE + "/news/").articles] == ["2021-06-01", None]


def test_gbk_list_page_decodes_with_its_meta_charset():
    body = list_html('<li><a href="202012/t20201208_1.html">践行初心使命 强化责任担当</a><span>2020年12月8日</span></li>',
                     charset="gbk").encode("gbk")
    html = decode_bytes(body, content_type="text/html")  # no charset in the HTTP header
    page = rules_for(SITE + "/jxdt/index.html").parse_list_page(html, SITE + "/jxdt/index.html")
    assert [(link.text, link.date_text) for link in page.articles] == [("践行初心使命 强化责任担当", "2020年12月8日")]


def test_gbk_list_page_behind_a_tomcat_latin1_header_reads_right():
    body = list_html('<li><a href="202012/t20201208_2.html">锤炼党性修养（第二期）：学思践悟</a>'
                     '<span>2020年12月9日</span></li>', charset="gbk").encode("gbk")
    html = decode_bytes(body, content_type="text/html; charset=ISO-8859-1")
    page = rules_for(SITE + "/jxdt/index.html").parse_list_page(html, SITE + "/jxdt/index.html")
    assert [(link.text, link.date_text) for link in page.articles] == [("锤炼党性修养（第二期）：学思践悟", "2020年12月9日")]


def test_raw_chinese_in_a_query_is_sent_in_the_page_encoding_and_in_utf8_in_the_path():
    items = ('<li><a href="show.asp?lm=党建动态&id=12">支部开展主题党日活动</a><span>2021-6-4</span></li>'
             '<li><a href="/文章/2021/13.html">党员冬训工作部署会召开</a><span>2021-6-5</span></li>')
    base = SITE + "/list.asp?lm=%B5%B3%BD%A8%B6%AF%CC%AC"
    page = rules_for(base).parse_list_page(list_html(items, charset="gbk"), base, encoding="gb18030")
    assert [link.url for link in page.articles] == [
        SITE + "/show.asp?lm=%B5%B3%BD%A8%B6%AF%CC%AC&id=12", SITE + "/%E6%96%87%E7%AB%A0/2021/13.html"]


def test_offsite_is_host_and_port():
    rules = rules_for("http://127.0.0.1:18601/jxdt/index.html")
    assert rules.is_on_site("http://127.0.0.1:18601/info/1/1.htm")
    assert not rules.is_on_site("http://127.0.0.1:18602/info/1/1.htm")
    assert not rules.is_on_site("http://192.168.1.10/x.html")
    assert not rules.is_on_site("http://www.example.gov.cn/")
    assert not rules.is_on_site("mailto:a@b.cn")


def test_allowed_domains_admit_subdomains_but_never_foreign_private_addresses():
    rules = rules_for("http://www.dj.gov.cn/news/", allowed_domains=["dj.gov.cn"])
    assert rules.is_on_site("http://news.dj.gov.cn/a.html") and rules.is_on_site("https://dj.gov.cn/a.html")
    assert not rules.is_on_site("http://news.dj.gov.cn:8088/a.html")
    assert not rules.is_on_site("http://evil-dj.gov.cn/a.html")
    private = rules_for("http://www.dj.gov.cn/news/", allowed_domains=["192.168.99.30:8088", "www.dj.gov.cn"])
    assert not private.is_on_site("http://192.168.99.30:8088/pc/content/202106/04/content_4980.html")


def test_a_link_written_with_backslashes_is_fetched_as_a_browser_reads_it():
    rules = rules_for(SITE + "/xcdt/index.htm")
    html = list_html(
        '<li><a href="2021\\0604\\5104.htm">城南区召开宣传思想工作会议</a><span>2021-06-04</span></li>'
        '<li><a href="..\\xcdt\\2021\\0603\\5101.htm">城南区开展理论宣讲进社区活动</a><span>2021-06-03</span></li>', "")
    page = rules.parse_list_page(html, SITE + "/xcdt/index_2.htm")
    assert [link.url for link in page.articles] == [SITE + "/xcdt/2021/0604/5104.htm",
                                                    SITE + "/xcdt/2021/0603/5101.htm"]
    # however the URL was joined, the request's path is the one robots.txt and the seen set judge
    assert rules.request_url(SITE + "/xcdt/..\\shenhe\\5665.htm") == SITE + "/shenhe/5665.htm"
    assert rules.request_url(SITE + "/a/./b/../c.htm?x=..") == SITE + "/a/c.htm?x=.."


def test_canonical_url_strips_tracking_and_sorts_but_requests_keep_order():
    rules = rules_for(SITE + "/")
    linked = SITE + "/col/col123/index.html?uid=456&pageNum=2&from=timeline#top"
    assert rules.request_url(linked) == SITE + "/col/col123/index.html?uid=456&pageNum=2"
    assert rules.canonical(linked) == SITE + "/col/col123/index.html?pageNum=2&uid=456"
    assert rules.canonical("HTTP://Example.gov.CN:80/a.html?utm_source=x") == "http://example.gov.cn/a.html"
    assert rules.canonical(SITE + "/a.html?from=timeline") == rules.canonical(SITE + "/a.html")


@pytest.mark.parametrize("path", ["/files/通知.PDF", "/up/a.docx", "/up/b.xls", "/up/c.zip", "/img/图片1.jpg"])
def test_attachments_are_not_pages(path):
    assert rules_for(SITE + "/").is_attachment(SITE + path)


def test_pages_are_not_attachments():
    rules = rules_for(SITE + "/")
    assert not rules.is_attachment(SITE + "/info/1034/12345.htm")
    assert not rules.is_attachment(SITE + "/col/col123/index.html?file=a.pdf")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (SITE + "/calendar?month=2020-01", "trap-pattern"),
        (SITE + "/news/index.html?date=2021-06-04", "trap-pattern"),
        (SITE + "/a/b/a/b/a/b/index.html", "repeated-segment"),
        (SITE + "/" + "/".join("abcdefghijkl") + "/x.html", "path-depth"),
        (SITE + "/list?a=1&b=2&c=3&d=4&e=5&f=6", "query-params"),
        (SITE + "/info/" + "9" * 400 + ".htm", "url-length"),
    ],
)
def test_trap_guards(url, reason):
    assert rules_for(SITE + "/").trap_reason(url) == reason


def test_ordinary_urls_are_no_traps():
    rules = rules_for(SITE + "/")
    for path in ("/col/col123/index.html?uid=456&pageNum=2", "/art/2021/6/4/art_1234_98765.html", "/djgz/list/3.htm"):
        assert rules.trap_reason(SITE + path) is None


def test_column_directory():
    assert column_directory(SITE + "/djgz/list.htm") == "/djgz/"
    assert column_directory(SITE + "/xwzx/") == "/xwzx/"
    assert column_directory(SITE + "/index.html?page=2") == "/"


@pytest.mark.shared
def test_real_list_pages_yield_dated_article_links(shared_dir):
    """The corpus's list pages come from sites these rules were never shown (news portals, funds, forums)."""
    import json

    rich = 0
    for line in (shared_dir / "corpus" / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        truth = json.loads(line)
        if truth["kind"] != "list":
            continue
        page_path = next((shared_dir / "corpus" / "pages").glob(f"{truth['id']}.*"))
        url = truth["url"] or "http://news.example.cn/list/index.html"
        page = rules_for(url).parse_list_page(decode_bytes(page_path.read_bytes()), url)
        rich += sum(1 for link in page.articles if link.date_text) >= 4
    assert rich >= 9


def test_asp_numbered_pages_with_any_capitalisation():
    rules = rules_for(SITE + "/news_list.asp?classid=3")
    pager = '<a href="news_list.asp?classid=3&Page=1">1</a><a href="news_list.asp?classid=3&Page=2">2</a>'
    html = list_html('<li><a href="/news_view.asp?id=12">一条学院党委的新闻标题</a><span>2023-07-03</span></li>', pager)
    page = rules.parse_list_page(html, SITE + "/news_list.asp?classid=3")
    assert [link.url for link in page.articles] == [SITE + "/news_view.asp?id=12"]
    assert page.next_pages == [SITE + "/news_list.asp?classid=3&Page=2"]


def test_session_ids_are_stripped_but_real_ids_of_the_same_name_stay():
    rules = rules_for(SITE + "/")
    token = "9F8E7D6C5B4A39281706F5E4D3C2B1A0"
    assert rules.request_url(SITE + f"/wz/88.html;jsessionid={token}?lm=3") == SITE + "/wz/88.html?lm=3"
    assert rules.canonical(SITE + f"/wz/88.html?PHPSESSID={token.lower()}&lm=3") == SITE + "/wz/88.html?lm=3"
    assert rules.request_url(SITE + "/show.php?sid=12&id=4") == SITE + "/show.php?sid=12&id=4"


@pytest.mark.parametrize(("url", "home"), [("/", True), ("", True), ("/index.html", True), ("/Default.aspx", True),
                                          ("/news/", False), ("/news/index.html", False), ("/list.htm", False)])
def test_home_pages(url, home):
    assert is_home_page(SITE + url) is home


def test_an_entry_page_names_where_it_sends_the_visitor():
    rules = rules_for(SITE + "/")
    refresh = '<html><head><meta http-equiv="Refresh" content="0; URL=\'/portal/main.html\'"></head><body></body></html>'
    assert rules.parse_list_page(refresh, SITE + "/").refresh == SITE + "/portal/main.html"
    script = '<html><body><script>window.location.href = "site/home.shtml";</script></body></html>'
    assert rules.parse_list_page(script, SITE + "/").refresh == SITE + "/site/home.shtml"
    # A page full of links that also runs a location script is a page, not an entry.
    busy = list_html("".join(f'<li><a href="/n/{n}.html">第{n}条新闻的标题写在这里</a></li>' for n in range(4)),
                     '<script>function go(){location.href="/x/";}</script>')
    assert rules.parse_list_page(busy, SITE + "/").refresh is None


def test_a_home_page_leads_to_the_columns_its_headlines_live_in():
    rules = rules_for(SITE + "/")
    html = list_html(
        '<li><a href="/xwzx/">新闻中心</a></li><li><a href="/tzgg/">通知公告</a></li><li><a href="/ldjs/">领导简介</a></li>'
        '<li><a href="/login.jsp">登录</a></li>',
        '<div class="box"><h3>工作动态</h3><a class="more" href="/gzdt/list_1.html">更多&gt;&gt;</a><ul>'
        + "".join(f'<li><a href="/gzdt/2021/n{n}.html">工作动态第{n}条的标题比较长</a><span>2021-06-0{n}</span></li>'
                  for n in range(1, 5))
        + '</ul></div><div class="box"><ul>'
        + "".join(f'<li><a href="/xwzx/2021/a{n}.html">新闻中心第{n}条新闻的标题</a><span>2021-05-0{n}</span></li>'
                  for n in range(1, 4))
        + "</ul></div>",
    )
    page = rules.parse_list_page(html, SITE + "/")
    assert len(page.articles) == 7
    assert page.columns == [SITE + "/gzdt/list_1.html", SITE + "/xwzx/"]


def test_links_named_by_a_date_are_archives_and_frames_are_listed():
    rules = rules_for(SITE + "/")
    html = list_html(
        "".join(f'<li><a href="/{2021}/{m:02d}/">2021年{m}月</a> (3)</li>' for m in range(1, 7)),
        '<iframe src="/news/list.asp?cls=3" width="100%"></iframe><iframe src="about:blank"></iframe>'
        '<iframe src="http://www.example.gov.cn/x.html"></iframe>')
    page = rules.parse_list_page(html, SITE + "/")
    assert page.articles == [] and not rules.learned
    assert page.frames == [SITE + "/news/list.asp?cls=3"]


def test_a_page_that_only_sends_its_visitor_on_is_a_redirect_stub():
    from crawlers.link_rules import redirect_stub_target

    counter = ('<html><head><title>正在跳转...</title></head><body><script>document.write(\'<img src="/count.gif">\');'
               "window.location.href = '/html/2021/0604/77.html';</script><p>页面正在跳转，请稍候……</p></body></html>")
    assert redirect_stub_target(counter.encode(), SITE + "/redirect.php?aid=77") == SITE + "/html/2021/0604/77.html"
    moved = '<html><head><meta http-equiv="refresh" content="0; url=/a/78.html"></head><body></body></html>'
    assert redirect_stub_target(moved.encode(), SITE + "/old/78.html") == SITE + "/a/78.html"
    article = ("<html><body><h1>某支部开展主题党日活动</h1>" + "<p>党员们认真学习，深入讨论，进一步坚定理想信念。</p>" * 12
               + "<script>if (isMobile()) { location.href = '/m/79.html'; }</script></body></html>")
    assert redirect_stub_target(article.encode(), SITE + "/a/79.html") is None  # an article with a mobile switch


def test_the_site_map_a_page_links_is_a_list_to_read():
    extra = '<div class="foot"><a href="/wzdt.shtml">网站地图</a> | <a href="/lxwm.shtml">联系我们</a></div>'
    page = rules_for(SITE + "/dwgk/index.shtml").parse_list_page(list_html("", extra), SITE + "/dwgk/index.shtml")
    assert page.site_maps == [SITE + "/wzdt.shtml"]
