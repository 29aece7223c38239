"""The fourth held-out farm: six synthetic sites in conventions none of demo/farm.py, demo/coverage.py and
demo/holdout.py .. demo/holdout3.py uses.

Written like the other held-out farms, by someone who read neither the crawler's code nor its rules: fixed
seeds, text from demo/text.py, `ExpectedArticle` ground truth, a robots.txt Disallow path holding one linked
article-looking page, an endless by-month page, links to peers and public hosts. Every article is a
server-rendered HTML page answering a plain GET:
- `redirect_count`: a county 融媒体 column whose rows go through a click counter, `/redirect.php?aid=N`,
  answering 200 with a 正在跳转 page whose script counts the hit and sets `window.location.href =
  '/html/2021/0604/N.html'` (the article's own URL, on no list); plain `list.php?cid=5&page=N` pager links.
  The counter page is no article.
- `sitemap_html`: an SOE 党委 site whose column page `/dwgk/index.shtml` is image banners and the latest four
  headlines, no pager and no 更多: the older articles are listed only on the 网站地图 `/wzdt.shtml` the footer
  links (every article of the column, grouped under its name); articles `/dwgk/2021-06/04/content_N.shtml`.
- `jsonld_list`: a university 党委宣传部 column listed as schema.org JSON-LD (`<script type="application/ld+json">`
  ItemList, absolute `url`s); the visible rows are `<div>`s without links, the next page is named only by
  `<link rel="next" href="list2.htm">` in the head (the visible pager is plain text).
- `data_js`: a 组织部 column page that is a shell: an inline script `document.write`s
  `<script src="/data/zzgz_' + p + '.js">` (p from `?p=N`), the data file holds `var pageCount=3; var
  newsData=[{id:..., title:..., date:...}]`, a second script writes the rows (`/zzgz/content/{id}.html`) and
  a pager of `list.html?p=N` links.
- `token_api`: a 机关工委 shell whose list API `/api/article/list?column=djyw&page=N&size=6&_token=...` answers
  403 without a token that only a first call gives: `$.getJSON('/api/auth/token', {appid: 'djportal'}, ...)`
  answers `{"code":0,"data":{"token":"<32 hex>"}}` and its callback calls `load(1)`; articles
  `/portal/article.html?id=N`.
- `custom_element`: a web component `<news-list data-src="/api/list?col=7" data-page-size="6">` defined in
  `/static/js/news-list.js` (`customElements.define`), whose `connectedCallback` fetches
  `this.dataset.src + '&page=' + n + '&size=' + this.dataset.pageSize`; JSON `{total, items:[{id,title,date}]}`,
  articles `/content/{id}.html`, a 加载更多 button until `total` is reached.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date
from functools import cache

from demo.coverage import coverage_plan
from demo.farm import (
    PUBLIC_HOSTS,
    Entry,
    Resource,
    esc,
    pages_of,
    person,
    plan,
)
from demo.holdout import Trap, held_out_plan, holdout_plan, unique_ids
from demo.holdout2 import Holdout2Site, holdout2_plan, json_resource, number, query_of
from demo.holdout3 import H3Kit, article_main, holdout3_plan

HOLDOUT4_TITLES = {
    "redirect_count": "云溪县融媒体中心",
    "sitemap_html": "中海建工集团党委",
    "jsonld_list": "南屏大学党委宣传部",
    "data_js": "柳江县委组织部",
    "token_api": "东湖市直机关工委",
    "custom_element": "西林区委网信办",
}
HOLDOUT4_SITE_NAMES = tuple(HOLDOUT4_TITLES)
HOLDOUT4_COUNTS = {
    "redirect_count": 15,
    "sitemap_html": 16,
    "jsonld_list": 14,
    "data_js": 17,
    "token_api": 13,
    "custom_element": 18,
}
HOLDOUT4_WINDOW = (date(2021, 1, 5), date(2021, 6, 26))


@cache
def holdout4_plan() -> dict[str, list[Entry]]:
    """The stories of each site, newest first; no title repeats one of the other farms'."""
    return held_out_plan("holdout4", HOLDOUT4_COUNTS, HOLDOUT4_WINDOW,
                         (plan(), coverage_plan(), holdout_plan(), holdout2_plan(), holdout3_plan()))[0]


class H4Kit(H3Kit):
    TAG = "holdout4"
    TITLES = HOLDOUT4_TITLES

    def chrome(self, page_title: str, main: str, nav: str, footer: str, head: str = "", scripts: str = "") -> Resource:
        return self.html(
            '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">\n'
            f'<title>{esc(page_title)}</title>\n<link rel="stylesheet" href="/css/main.css">\n{head}</head>\n<body>\n'
            f'<div class="header"><div class="logo">{self.title}</div></div>\n<div class="nav">{nav}</div>\n'
            f'<div class="main">{main}</div>\n<div class="side">{self.trap.link()}</div>\n'
            f'<div class="footer">{self.friends()}<p>{footer}</p></div>\n{scripts}</body></html>')

    def articles(self, entries: list[Entry], paths: list[str], category: str, crumb: str, page,
                 aliases: Callable[[int], tuple[str, ...]] = lambda i: ()) -> None:
        for i, (entry, path) in enumerate(zip(entries, paths, strict=True)):
            shown = f"{entry.published:%Y-%m-%d %H:%M}"
            editors = (person(self.rng),)
            self.routes[path] = page(f"{entry.title}-{self.title}", article_main(self, entry, shown, editors, crumb))
            self.expect(entry, path, category=category, published=shown, minute=True,
                        list_date=f"{entry.published:%Y-%m-%d}", editors=editors, aliases=aliases(i))


def js_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


# ------------------------------------------------------------------------- 1. a click-counter redirect


def redirect_count(base_urls: Mapping[str, str]) -> Holdout2Site:
    kit = H4Kit("redirect_count", base_urls, "/neibu/", Trap("/huodong/rili.php?ym={y}{m}", "活动日历"))
    entries = holdout4_plan()[kit.name]
    column, category, per_page = "/dj/list.php?cid=5", "党建要闻", 6
    ids = unique_ids(kit.rng, len(entries), 3000, 9999)
    paths = [f"/html/{e.published:%Y}/{e.published:%m%d}/{n}.html" for e, n in zip(entries, ids, strict=True)]
    counters = [f"/redirect.php?aid={n}" for n in ids]
    hidden = f"{kit.disallowed}{kit.rng.randint(10000, 19999)}.html"
    groups = pages_of(list(range(len(entries))), per_page)
    list_paths = [column] + [f"{column}&page={n}" for n in range(2, len(groups) + 1)]
    nav = (f'<a href="/">首页</a><a href="{esc(column)}">{category}</a><a href="/dj/list.php?cid=6">基层动态</a>'
           '<a href="/dj/list.php?cid=7">廉政建设</a>')

    def page(page_title: str, main: str) -> Resource:
        return kit.chrome(page_title, main, nav, "云溪县融媒体中心 主办　云ICP备00000041号")

    crumb = f'<a href="/">首页</a> &gt; <a href="{esc(column)}">{category}</a> &gt; 正文'
    kit.articles(entries, paths, category, crumb, page)
    kit.routes[hidden] = page("内部资料", "<p>内部资料，请勿转发。</p>")
    for counter, path, n in zip(counters, paths, ids, strict=True):  # counts the click, then a script moves on
        kit.routes[counter] = kit.html(
            '<html><head><meta charset="utf-8"><title>正在跳转...</title></head><body>\n<script type="text/javascript">\n'
            f"document.write('<img src=\"/count/hits.gif?aid={n}\" width=\"0\" height=\"0\">');\n"
            f"window.location.href = '{path}';\n</script>\n<p>页面正在跳转，请稍候……</p>\n</body></html>")

    for n, members in enumerate(groups, start=1):
        rows = [f'<li><a href="{counters[i]}" target="_blank" title="{esc(entries[i].title)}">{esc(entries[i].title)}</a>'
                f'<span>{entries[i].published:%Y-%m-%d}</span></li>' for i in members]
        if n == 2:
            rows.insert(1, f'<li><a href="{hidden}" target="_blank">县委宣传部内部通报</a><span>2021-01-12</span></li>')
        pager = [f"共{len(entries)}条 第{n}/{len(groups)}页"]
        if n > 1:
            pager += [f'<a href="{esc(list_paths[0])}">首页</a>', f'<a href="{esc(list_paths[n - 2])}">上一页</a>']
        if n < len(groups):
            pager += [f'<a href="{esc(list_paths[n])}">下一页</a>', f'<a href="{esc(list_paths[-1])}">尾页</a>']
        main = (f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; {category}</div>\n<ul class="newslist">\n'
                + "\n".join(rows) + f'\n</ul>\n<div class="pages">{" ".join(pager)}</div>')
        kit.listing(list_paths[n - 1], page(f"{category}-{kit.title}", main))
    kit.routes["/"] = page(kit.title, f'<a href="{esc(column)}">{category}</a>')
    return kit.site((column,))


# ------------------------------------------------------------- 2. articles only on the 网站地图 page


def sitemap_html(base_urls: Mapping[str, str]) -> Holdout2Site:
    kit = H4Kit("sitemap_html", base_urls, "/nbgl/", Trap("/rcap/{y}{m}.shtml", "日程安排"))
    entries = holdout4_plan()[kit.name]
    column, category, sitemap, latest = "/dwgk/index.shtml", "党务公开", "/wzdt.shtml", 4
    ids = unique_ids(kit.rng, len(entries), 1000, 9999)
    paths = [f"/dwgk/{e.published:%Y-%m/%d}/content_{n}.shtml" for e, n in zip(entries, ids, strict=True)]
    hidden = f"{kit.disallowed}content_{kit.rng.randint(1000, 9999)}.shtml"
    nav = (f'<a href="/index.shtml">首页</a><a href="{column}">{category}</a><a href="/qywh/index.shtml">企业文化</a>'
           '<a href="/ljjs/index.shtml">廉洁建设</a>')

    def page(page_title: str, main: str) -> Resource:
        return kit.chrome(page_title, main, nav, f'<a href="{sitemap}">网站地图</a> | <a href="/lxwm.shtml">联系我们</a>'
                          "　中海建工集团有限公司党委 版权所有")

    crumb = f'<a href="/index.shtml">首页</a> &gt; <a href="{column}">{category}</a>'
    kit.articles(entries, paths, category, crumb, page)
    kit.routes[hidden] = page("内部资料", "<p>内部资料。</p>")
    banner = (f'<div class="banner"><a href="{column}"><img src="/images/banner_dwgk.jpg" alt="{category}"></a></div>\n'
              '<div class="icons"><a href="/dwgk/index.shtml"><img src="/images/ico_djdt.png" alt=""></a>'
              '<a href="/dwgk/index.shtml"><img src="/images/ico_zzjs.png" alt=""></a></div>\n')
    rows = [f'<li><a href="{paths[i]}" target="_blank">{esc(entries[i].title)}</a><span>{entries[i].published:%m-%d}</span></li>'
            for i in range(latest)]
    main = (banner + '<div class="box"><div class="box-title">最新动态</div><ul>\n' + "\n".join(rows) + "\n</ul></div>")
    kit.listing(column, page(f"{category}-{kit.title}", main))
    listed = [f'<li><a href="{p}">{esc(e.title)}</a></li>' for e, p in zip(entries, paths, strict=True)]
    listed.insert(6, f'<li><a href="{hidden}">党委内部学习资料</a></li>')
    lxwm = '<dl><dt>联系我们</dt><dd><a href="/lxwm.shtml">联系方式</a></dd></dl>'
    main = (f'<div class="crumb">当前位置：<a href="/index.shtml">首页</a> &gt; 网站地图</div>\n<div class="sitemap">\n'
            f'<dl><dt><a href="{column}">{category}</a></dt><dd><ul>\n' + "\n".join(listed) + f"\n</ul></dd></dl>\n{lxwm}</div>")
    kit.listing(sitemap, page(f"网站地图-{kit.title}", main))
    kit.routes["/lxwm.shtml"] = page(f"联系我们-{kit.title}", "<p>地址：滨海路88号　电话：0000-00000000</p>")
    kit.routes["/index.shtml"] = page(kit.title, f'<a href="{column}">{category}</a>')
    return kit.site((column,))


# ------------------------------------------------------------------------------ 3. schema.org JSON-LD


def jsonld_list(base_urls: Mapping[str, str]) -> Holdout2Site:
    kit = H4Kit("jsonld_list", base_urls, "/_private/", Trap("/xiaoli/{y}-{m}.htm", "校历"))
    entries = holdout4_plan()[kit.name]
    column, category, per_page = "/news/dangjian/", "党建动态", 5
    ids = unique_ids(kit.rng, len(entries), 100000, 999999)
    paths = [f"/news/{e.published:%Y}/{e.published:%m%d}/c2047a{n}/page.htm" for e, n in zip(entries, ids, strict=True)]
    hidden = f"{kit.disallowed}c2047a{kit.rng.randint(1000, 9999)}/page.htm"
    groups = pages_of(list(range(len(entries))), per_page)
    names = ["list.htm"] + [f"list{n}.htm" for n in range(2, len(groups) + 1)]
    nav = (f'<a href="/">学校首页</a><a href="{column}">{category}</a><a href="/news/llxx/">理论学习</a>'
           '<a href="/news/tzgg/">通知公告</a>')

    def page(page_title: str, main: str, head: str = "") -> Resource:
        return kit.chrome(page_title, main, nav, "南屏大学党委宣传部 版权所有", head=head)

    crumb = f'<a href="/">首页</a> &gt; <a href="{column}">{category}</a>'
    kit.articles(entries, paths, category, crumb, page)
    kit.routes[hidden] = page("内部稿件", "<p>稿件审核中。</p>")

    for n, members in enumerate(groups, start=1):
        items = [{"name": entries[i].title, "url": kit.base + paths[i], "datePublished": f"{entries[i].published:%Y-%m-%d}"}
                 for i in members]
        if n == 2:
            items.insert(2, {"name": "宣传部内部审稿件", "url": kit.base + hidden, "datePublished": "2021-01-12"})
        data = {"@context": "https://schema.org", "@type": "ItemList", "name": category,
                "numberOfItems": len(items),
                "itemListElement": [{"@type": "ListItem", "position": k, **item} for k, item in enumerate(items, start=1)]}
        head = ('<script type="application/ld+json">\n' + json.dumps(data, ensure_ascii=False, indent=1) + "\n</script>\n")
        if n < len(groups):
            head += f'<link rel="next" href="{names[n]}">\n'
        if n > 1:
            head += f'<link rel="prev" href="{names[n - 2]}">\n'
        rows = [f'<div class="news-row" data-pos="{k}"><span class="news-title">{esc(item["name"])}</span>'
                f'<span class="news-date">{item["datePublished"]}</span></div>' for k, item in enumerate(items, start=1)]
        main = (f'<div class="crumb">当前位置：首页 &gt; {category}</div>\n<div class="news-list">\n' + "\n".join(rows)
                + f'\n</div>\n<div class="wp_paging"><span class="pages">第 {n} 页 / 共 {len(groups)} 页</span></div>')
        resource = page(f"{category}-{kit.title}", main, head)
        if n == 1:
            kit.listing(column, resource, column + names[0])
        else:
            kit.listing(column + names[n - 1], resource)
    kit.routes["/"] = page(kit.title, f'<a href="{column}">{category}</a>')
    return kit.site((column,))


# ----------------------------------------------------------------- 4. an external data file, document.write

DATA_SHELL_SCRIPT = """<script type="text/javascript">
var p = parseInt((location.search.match(/[?&]p=(\\d+)/) || [0, 1])[1], 10);
document.write('<script type="text/javascript" src="/data/zzgz_' + p + '.js"><\\/script>');
</script>
<script type="text/javascript">
for (var i = 0; i < newsData.length; i++) {
  var d = newsData[i];
  var href = d.link ? d.link : '/zzgz/content/' + d.id + '.html';
  document.write('<li><a href="' + href + '" target="_blank">' + d.title + '</a><span>' + d.date + '</span></li>');
}
</script>"""
DATA_PAGER_SCRIPT = """<script type="text/javascript">
document.write('共' + pageCount + '页 ');
if (p > 1) { document.write('<a href="list.html?p=' + (p - 1) + '">上一页</a> '); }
if (p < pageCount) { document.write('<a href="list.html?p=' + (p + 1) + '">下一页</a>'); }
</script>"""


def data_js(base_urls: Mapping[str, str]) -> Holdout2Site:
    kit = H4Kit("data_js", base_urls, "/nbwj/", Trap("/gzrl/index.html?d={y}{m}", "工作日历"))
    entries = holdout4_plan()[kit.name]
    column, category, per_page = "/zzgz/list.html", "组织工作", 6
    ids = [f"{e.published:%Y%m%d}{n:03d}" for e, n in zip(entries, unique_ids(kit.rng, len(entries), 1, 999), strict=True)]
    paths = [f"/zzgz/content/{n}.html" for n in ids]
    hidden = f"{kit.disallowed}{kit.rng.randint(100, 999)}.html"
    groups = pages_of(list(range(len(entries))), per_page)
    nav = (f'<a href="/">首页</a><a href="{column}">{category}</a><a href="/gbgz/list.html">干部工作</a>'
           '<a href="/rcgz/list.html">人才工作</a>')

    def page(page_title: str, main: str, scripts: str = "") -> Resource:
        return kit.chrome(page_title, main, nav, "中共柳江县委组织部 主办", scripts=scripts)

    crumb = f'<a href="/">首页</a> &gt; <a href="{column}">{category}</a>'
    kit.articles(entries, paths, category, crumb, page)
    kit.routes[hidden] = page("内部文件", "<p>内部文件，不予公开。</p>")
    for n, members in enumerate(groups, start=1):
        records = [{"id": ids[i], "title": entries[i].title, "date": f"{entries[i].published:%Y-%m-%d}"} for i in members]
        if n == 2:
            records.insert(2, {"id": "0", "title": "部务会内部学习文件", "date": "2021-01-12", "link": hidden})
        text = (f"/* 组织工作 第{n}页 */\nvar pageCount = {len(groups)};\nvar newsData = [\n"
                + ",\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n];\n")
        kit.listing(f"/data/zzgz_{n}.js", Resource(text.encode(), "application/javascript; charset=utf-8"))
    main = (f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; {category}</div>\n<ul class="list">\n'
            f'{DATA_SHELL_SCRIPT}\n</ul>\n<div class="page">{DATA_PAGER_SCRIPT}</div>')
    shell = page(f"{category}-{kit.title}", main)
    kit.listing(column, shell)

    def dynamic(target: str) -> Resource | None:
        path, query = query_of(target)
        if path == column and set(query) == {"p"}:
            n = number(query["p"])
            return shell if n and 1 <= n <= len(groups) else None  # the shell reads p itself
        return None

    for n in range(2, len(groups) + 1):
        kit.listings.add(f"{column}?p={n}")
    kit.routes["/"] = page(kit.title, f'<a href="{column}">{category}</a>')
    return kit.site((column,), dynamic=dynamic)


# ---------------------------------------------------------------------- 5. a list API needing a token

TOKEN_API = "/api/auth/token"
TOKEN_SCRIPT = """<script type="text/javascript">
$(function () {
  var token = '';
  function load(page) {
    $.ajax({
      url: '/api/article/list',
      type: 'GET',
      dataType: 'json',
      data: { column: 'djyw', page: page, size: 6, _token: token },
      success: function (res) {
        if (res.code !== 0) { return; }
        var html = '';
        $.each(res.data.list, function (i, item) {
          var href = item.url || ('/portal/article.html?id=' + item.id);
          html += '<li><a href="' + href + '" target="_blank">' + item.title + '</a><span>' + item.pubDate + '</span></li>';
        });
        $('#list').html(html);
        $('#pager').html('第' + page + '页 / 共' + res.data.pages + '页');
        $('#next').toggle(page < res.data.pages).off('click').on('click', function () { load(page + 1); });
      }
    });
  }
  $.getJSON('/api/auth/token', { appid: 'djportal' }, function (res) {
    token = res.data.token;
    load(1);
  });
});
</script>"""


def token_api(base_urls: Mapping[str, str]) -> Holdout2Site:
    kit = H4Kit("token_api", base_urls, "/portal/internal/", Trap("/portal/calendar.html?month={y}-{m}", "会议日历"))
    entries = holdout4_plan()[kit.name]
    start, category, api, size = "/portal/news.html", "党建要闻", "/api/article/list", 6
    token = "".join(kit.rng.choice("0123456789abcdef") for _ in range(32))
    ids = unique_ids(kit.rng, len(entries), 500, 5000)
    paths = [f"/portal/article.html?id={n}" for n in ids]
    hidden = f"{kit.disallowed}draft.html?id={kit.rng.randint(10, 99)}"
    nav = f'<a href="/">首页</a><a href="{start}">{category}</a><a href="/portal/notice.html">通知公告</a>'

    def page(page_title: str, main: str, head: str = "", scripts: str = "") -> Resource:
        return kit.chrome(page_title, main, nav, "中共东湖市直属机关工作委员会 主办", head=head, scripts=scripts)

    crumb = f'<a href="/">首页</a> &gt; <a href="{start}">{category}</a>'
    kit.articles(entries, paths, category, crumb, page)
    kit.routes[hidden] = page("草稿", "<p>草稿，未发布。</p>")
    rows = [{"id": n, "title": e.title, "pubDate": f"{e.published:%Y-%m-%d}"} for e, n in zip(entries, ids, strict=True)]
    rows.insert(7, {"id": 1, "title": "工委内部工作提示（草稿）", "pubDate": "2021-01-12", "url": hidden})
    pages = -(-len(rows) // size)

    def dynamic(target: str) -> Resource | None:
        path, query = query_of(target)
        if path == TOKEN_API:
            if query.get("appid") != "djportal":
                return json_resource({"code": 401, "msg": "应用未授权"}, status=401)
            return json_resource({"code": 0, "msg": "success", "data": {"token": token, "expires": 7200}})
        if path != api:
            return None
        if query.get("_token") != token:
            return json_resource({"code": 403, "msg": "非法请求：令牌无效"}, status=403)
        n, want = number(query.get("page")), number(query.get("size"), 10)
        if not n or not want or n < 1 or not 1 <= want <= 50:
            return json_resource({"code": 400, "msg": "参数错误"}, status=400)
        chosen = rows if query.get("column") == "djyw" else []
        return json_resource({"code": 0, "msg": "success", "data": {
            "list": chosen[(n - 1) * want : n * want], "total": len(chosen), "pages": -(-len(chosen) // want),
            "page": n, "size": want}})

    head = '<script src="/static/js/jquery.min.js"></script>\n'
    main = (f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; {category}</div>\n<ul id="list" class="list"></ul>\n'
            '<div id="pager" class="pager"></div><button id="next" type="button" style="display:none">下一页</button>')
    kit.listing(start, page(f"{category}-{kit.title}", main, head, TOKEN_SCRIPT + "\n"))
    kit.extra_listings.update((api, TOKEN_API))
    kit.routes["/static/js/jquery.min.js"] = Resource(b"/*! jQuery v3.5.1 | (c) JS Foundation */", "application/javascript")
    kit.routes["/"] = page(kit.title, f'<a href="{start}">{category}</a>')
    site = kit.site((start,), dynamic=dynamic)
    site.token, site.pages = token, pages  # for the farm's own test
    return site


# ---------------------------------------------------------------------------- 6. a custom element

NEWS_LIST_JS = """/* news-list.js: <news-list data-src="..." data-page-size="N"> */
class NewsList extends HTMLElement {
  connectedCallback() {
    this.page = 1;
    this.innerHTML = '<ul class="items"></ul><button class="more" type="button">加载更多</button>';
    this.querySelector('.more').addEventListener('click', () => this.load(this.page + 1));
    this.load(1);
  }
  load(page) {
    const size = parseInt(this.dataset.pageSize, 10) || 10;
    fetch(this.dataset.src + '&page=' + page + '&size=' + size)
      .then((resp) => resp.json())
      .then((data) => {
        const ul = this.querySelector('.items');
        data.items.forEach((item) => {
          const href = item.href || '/content/' + item.id + '.html';
          ul.insertAdjacentHTML('beforeend', `<li><a href="${href}">${item.title}</a><time>${item.date}</time></li>`);
        });
        this.page = page;
        if (page * size >= data.total) { this.querySelector('.more').remove(); }
      });
  }
}
customElements.define('news-list', NewsList);
"""


def custom_element(base_urls: Mapping[str, str]) -> Holdout2Site:
    kit = H4Kit("custom_element", base_urls, "/content/nb/", Trap("/rili/{y}/{m}/", "工作日历"))
    entries = holdout4_plan()[kit.name]
    start, category, api = "/wxdt/", "网信动态", "/api/list"
    ids = unique_ids(kit.rng, len(entries), 20000, 29999)
    paths = [f"/content/{n}.html" for n in ids]
    hidden = f"{kit.disallowed}{kit.rng.randint(100, 999)}.html"
    nav = f'<a href="/">首页</a><a href="{start}">{category}</a><a href="/zcfg/">政策法规</a>'

    def page(page_title: str, main: str, scripts: str = "") -> Resource:
        return kit.chrome(page_title, main, nav, "中共西林区委网络安全和信息化委员会办公室", scripts=scripts)

    crumb = f'<a href="/">首页</a> &gt; <a href="{start}">{category}</a>'
    kit.articles(entries, paths, category, crumb, page)
    kit.routes[hidden] = page("内部资料", "<p>内部资料。</p>")
    rows = [{"id": n, "title": e.title, "date": f"{e.published:%Y-%m-%d}"} for e, n in zip(entries, ids, strict=True)]
    rows.insert(9, {"id": 1, "title": "网信办内部通报", "date": "2021-01-12", "href": hidden})
    rows.insert(4, {"id": 2, "title": "【转载】网络综合治理体系建设推进", "date": "2021-05-20",
                    "href": f"{PUBLIC_HOSTS[0]}wxdt/2021-05/20/content_3318.htm"})

    def dynamic(target: str) -> Resource | None:
        path, query = query_of(target)
        if path != api:
            return None
        n, want = number(query.get("page")), number(query.get("size"), 10)
        if not n or not want or n < 1 or not 1 <= want <= 50:
            return json_resource({"error": "bad request"}, status=400)
        chosen = rows if query.get("col") == "7" else []
        return json_resource({"total": len(chosen), "page": n, "items": chosen[(n - 1) * want : n * want]})

    main = (f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; {category}</div>\n'
            f'<news-list data-src="{api}?col=7" data-page-size="6"></news-list>')
    scripts = '<script type="module" src="/static/js/news-list.js"></script>\n'
    kit.listing(start, page(f"{category}-{kit.title}", main, scripts))
    kit.listing("/static/js/news-list.js", Resource(NEWS_LIST_JS.encode(), "application/javascript; charset=utf-8"))
    kit.extra_listings.add(api)
    kit.routes["/"] = page(kit.title, f'<a href="{start}">{category}</a>')
    return kit.site((start,), dynamic=dynamic)


HOLDOUT4_BUILDERS: dict[str, Callable[[Mapping[str, str]], Holdout2Site]] = {
    "redirect_count": redirect_count,
    "sitemap_html": sitemap_html,
    "jsonld_list": jsonld_list,
    "data_js": data_js,
    "token_api": token_api,
    "custom_element": custom_element,
}
