"""The sixth held-out farm: six synthetic sites in conventions none of demo/farm.py, demo/coverage.py and
demo/holdout.py .. demo/holdout5.py uses.

Written like the other held-out farms, by someone who read neither the crawler's code nor its rules: fixed
seeds, text from demo/text.py, `ExpectedArticle` ground truth, a robots.txt Disallow path holding one linked
article-looking page, an endless by-month page, links to peers and public hosts. Every article is a
server-rendered HTML page answering a plain GET:
- `last_id`: a 融媒体 党建频道 whose first six rows are server-rendered as `<li data-id="N">`; 加载更多 reads the
  `data-id` of the last row shown and asks `/api/news/more?channel=djpd&lastId=N&size=6` (the rows with a smaller
  id), JSON `{code, hasMore, data: [{id, title, pubDate, url}]}`: the next request is computed from the last
  row, no page number or cursor is ever given; one record is a repost on a public host.
- `year_tabs`: a 街道党工委 column split by year: tabs `<li data-year="2020">2020年</li>` (no hrefs) whose
  jQuery click handler `$.get('/dgw/djdt/yearList.jsp', {year: y})`s an HTML fragment of that year's rows into
  the list; only the current year's rows are server-rendered, the stories span 2019 .. 2021.
- `config_js`: a Vue shell whose list API URL is assembled in `/static/js/app.3c9e1f.js` from
  `window.__CONFIG__` of a separate `/config.js` (`apiBase: '/prod-api'`, `siteId`, `catalogs.news`) and a
  route table (`/news/:contentId.html`): `GET /prod-api/cms/content/list?siteId=3&catalogId=12&pageNum=N&pageSize=6`,
  RuoYi-like `{code, total, rows: [{contentId, title, publishDate, linkType, redirectUrl}]}`; without the site and
  catalog ids it answers `{code: 500}`; one row is a repost on a public host.
- `link_header`: a 党建办 column whose inline script `fetch`es `/api/posts/?category=dangjian` (Django REST-like):
  the answer is a bare JSON array `[{id, title, created, absolute_url}]`, its only paging the HTTP header
  `Link: <http://host/api/posts/?category=dangjian&page=2>; rel="next"` (no count, no page total anywhere); the
  加载更多 button follows `rel="next"` until it is gone; a page past the last is a 404 `{"detail": "无效页面。"}`.
  (It replaces `art_template`, found whole on the first run: rows, URL pattern and pager only in art-template
  `<script type="text/html">` templates fed by `/djb/api/list.do?columnId=gzdt&page=N&rows=6`, 14/14.)
- `signed_api`: a 党建研究会 column whose list API wants a WeChat-Pay-like signature: the inline script sorts the
  parameters (`channelId, pageNo, pageSize, timestamp`), joins them `k=v&...`, appends `&key=<APP_KEY>` and sends
  `sign=MD5(...)` upper-case; an unsigned or wrongly signed request answers HTTP 200 `{code: 1001, msg: 签名校验失败}`.
- `jump_input`: a 区委党校 column whose only pager is `共3页 转到第 [  ] 页 [GO]`: an `<input id="pageNum">`
  and a button calling `jumpPage()`, which sends the browser to `index.html` or `index_' + p + '.html'`,
  `p` checked against `var pageCount = 3;`; no page link anywhere.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Mapping
from datetime import date
from functools import cache

from demo.coverage import coverage_plan
from demo.farm import PUBLIC_HOSTS, Entry, Resource, esc, pages_of, plan
from demo.holdout import Trap, held_out_plan, holdout_plan, unique_ids
from demo.holdout2 import Holdout2Site, holdout2_plan, json_resource, number, query_of
from demo.holdout3 import holdout3_plan
from demo.holdout4 import holdout4_plan
from demo.holdout5 import H5Kit, holdout5_plan, js_resource

HOLDOUT6_TITLES = {
    "last_id": "东湖区融媒体中心",
    "year_tabs": "南湖街道党工委",
    "config_js": "滨海新区党群工作部",
    "link_header": "石门县委党建办",
    "signed_api": "云岭市党建研究会",
    "jump_input": "清河区委党校",
}
HOLDOUT6_SITE_NAMES = tuple(HOLDOUT6_TITLES)
HOLDOUT6_COUNTS = {
    "last_id": 16,
    "year_tabs": 15,
    "config_js": 17,
    "link_header": 14,
    "signed_api": 16,
    "jump_input": 13,
}
HOLDOUT6_WINDOW = (date(2021, 1, 4), date(2021, 6, 25))
YEARS_WINDOW = (date(2019, 2, 11), date(2021, 6, 18))  # year_tabs: a column kept since 2019


@cache
def holdout6_plan() -> dict[str, list[Entry]]:
    """The stories of each site, newest first; no title repeats one of the other farms'."""
    earlier = (plan(), coverage_plan(), holdout_plan(), holdout2_plan(), holdout3_plan(), holdout4_plan(),
               holdout5_plan())
    counts = {name: n for name, n in HOLDOUT6_COUNTS.items() if name != "year_tabs"}
    sites = held_out_plan("holdout6", counts, HOLDOUT6_WINDOW, earlier)[0]
    years = held_out_plan("holdout6-years", {"year_tabs": HOLDOUT6_COUNTS["year_tabs"]}, YEARS_WINDOW,
                          (*earlier, sites))[0]
    sites.update(years)
    return {name: sites[name] for name in HOLDOUT6_SITE_NAMES}


class H6Kit(H5Kit):
    TAG = "holdout6"
    TITLES = HOLDOUT6_TITLES


JQUERY = "/*! jQuery v1.12.4 | (c) jQuery Foundation | jquery.org/license */"


def crumbs(column: str, category: str) -> str:
    return f'<a href="/">首页</a> &gt; <a href="{column}">{category}</a> &gt; 正文'


# --------------------------------------------------------------------------- 1. 加载更多 by the last row's id

LAST_ID_SCRIPT = """<script type="text/javascript">
$(function () {
  var $list = $('#newsList'), $more = $('#loadMore');
  $more.on('click', function () {
    var lastId = $list.children('li').last().attr('data-id');
    $more.text('加载中...');
    $.getJSON('/api/news/more', { channel: 'djpd', lastId: lastId, size: 6 }, function (res) {
      $.each(res.data, function (i, item) {
        $list.append('<li data-id="' + item.id + '"><a href="' + item.url + '" target="_blank">' + item.title
          + '</a><span class="time">' + item.pubDate + '</span></li>');
      });
      if (res.hasMore) { $more.text('加载更多'); } else { $more.text('没有更多了').off('click'); }
    });
  });
});
</script>"""


def last_id(base_urls: Mapping[str, str]) -> Holdout2Site:
    kit = H6Kit("last_id", base_urls, "/djpd/shengao/", Trap("/huodong/rili.html?d={y}{m}", "活动日历"))
    entries = holdout6_plan()[kit.name]
    start, category, size, api = "/djpd/index.html", "党建频道", 6, "/api/news/more"
    nav = (f'<a href="/">首页</a><a href="/xwzx/index.html">新闻中心</a><a href="{start}">{category}</a>'
           '<a href="/zhuanti/index.html">专题</a>')

    def page(page_title: str, main: str, scripts: str = "") -> Resource:
        return kit.chrome(page_title, main, nav, "东湖区融媒体中心 主办　东ICP备00000061号",
                          scripts='<script type="text/javascript" src="/js/jquery.min.js"></script>\n' + scripts)

    hidden_id = 0
    rows: list[dict] = [{"title": e.title, "pubDate": f"{e.published:%Y-%m-%d}"} for e in entries]
    rows.insert(9, {"title": "送审稿：党建频道内部审读样稿", "pubDate": "2021-02-03", "hidden": True})
    rows.insert(4, {"title": "【转载】全市融媒体中心党建工作交流会举行", "pubDate": "2021-05-11",
                    "url": f"{PUBLIC_HOSTS[0]}rmt/2021-05/11/content_8812.htm"})
    for row, n in zip(rows, sorted(unique_ids(kit.rng, len(rows), 20000, 99999), reverse=True), strict=True):
        row["id"] = n
        if row.pop("hidden", False):
            row["url"], hidden_id = f"{kit.disallowed}{n}.html", n
        row.setdefault("url", f"/djpd/{row['pubDate'][:4]}/{row['pubDate'][5:7]}{row['pubDate'][8:]}/{n}.html")
    paths = [r["url"] for r in rows if r["title"] in {e.title for e in entries}]
    kit.articles(entries, paths, category, crumbs(start, category), page)
    kit.routes[f"{kit.disallowed}{hidden_id}.html"] = page("审读样稿", "<p>送审样稿，未经审核不得发布。</p>")
    records = [{"id": r["id"], "title": r["title"], "pubDate": r["pubDate"], "url": r["url"]} for r in rows]

    def dynamic(target: str) -> Resource | None:
        path, query = query_of(target)
        if path != api:
            return None
        want, before = number(query.get("size"), 10), number(query.get("lastId"), 10**9)
        if not want or before is None or not 1 <= want <= 30:
            return json_resource({"code": 400, "msg": "参数错误", "hasMore": False, "data": []}, status=400)
        chosen = [r for r in records if r["id"] < before] if query.get("channel") == "djpd" else []
        return json_resource({"code": 0, "msg": "success", "hasMore": len(chosen) > want, "data": chosen[:want]})

    items = [f'<li data-id="{r["id"]}"><a href="{r["url"]}" target="_blank">{esc(r["title"])}</a>'
             f'<span class="time">{r["pubDate"]}</span></li>' for r in records[:size]]
    main = (f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; {category}</div>\n<ul id="newsList" class="news-list">\n'
            + "\n".join(items) + '\n</ul>\n<a id="loadMore" class="load-more" href="javascript:;">加载更多</a>')
    kit.listing(start, page(f"{category}-{kit.title}", main, LAST_ID_SCRIPT + "\n"))
    kit.extra_listings.add(api)
    kit.routes["/js/jquery.min.js"] = js_resource(JQUERY)
    kit.routes["/"] = page(kit.title, f'<a href="{start}">{category}</a>')
    site = kit.site((start,), dynamic=dynamic)
    site.last_ids = [r["id"] for r in records]  # for the farm's own test
    return site


# ------------------------------------------------------------------------------------ 2. year tabs

YEAR_SCRIPT = """<script type="text/javascript">
$(function () {
  $('.year-tab li').on('click', function () {
    var $tab = $(this), year = $tab.data('year');
    $tab.addClass('on').siblings().removeClass('on');
    $.get('/dgw/djdt/yearList.jsp', { year: year }, function (html) {
      $('#yearList').html(html);
    });
  });
});
</script>"""


ON = ' class="on"'


def year_tabs(base_urls: Mapping[str, str]) -> Holdout2Site:
    kit = H6Kit("year_tabs", base_urls, "/dgw/neibu/", Trap("/dgw/rili.jsp?month={y}-{m}", "工作日历"))
    entries = holdout6_plan()[kit.name]
    start, category, fragment = "/dgw/djdt/index.html", "党建动态", "/dgw/djdt/yearList.jsp"
    ids = unique_ids(kit.rng, len(entries), 1000, 9999)
    paths = [f"/dgw/djdt/{e.published:%Y}/{e.published:%m%d}{n}.html" for e, n in zip(entries, ids, strict=True)]
    hidden = f"{kit.disallowed}{kit.rng.randint(1000, 9999)}.html"
    nav = (f'<a href="/">首页</a><a href="{start}">{category}</a><a href="/dgw/sqfw/index.html">社区服务</a>'
           '<a href="/dgw/tzgg/index.html">通知公告</a>')

    def page(page_title: str, main: str, scripts: str = "") -> Resource:
        return kit.chrome(page_title, main, nav, "中共南湖街道工作委员会 主办　南ICP备00000062号",
                          scripts='<script type="text/javascript" src="/js/jquery.min.js"></script>\n' + scripts)

    kit.articles(entries, paths, category, crumbs(start, category), page)
    kit.routes[hidden] = page("内部材料", "<p>党工委内部材料，不予公开。</p>")
    by_year: dict[int, list[tuple[str, str, str]]] = {}
    for entry, path in zip(entries, paths, strict=True):
        by_year.setdefault(entry.published.year, []).append((entry.title, path, f"{entry.published:%Y-%m-%d}"))
    by_year.setdefault(2020, []).insert(1, ("党工委内部学习材料（2020年）", hidden, "2020-09-14"))
    years = sorted(by_year, reverse=True)

    def rows(year: int) -> str:
        return "\n".join(f'<li><a href="{href}" target="_blank" title="{esc(title)}">{esc(title)}</a>'
                         f'<span class="date">{day}</span></li>' for title, href, day in by_year.get(year, []))

    def dynamic(target: str) -> Resource | None:
        path, query = query_of(target)
        if path != fragment:
            return None
        year = number(query.get("year"), years[0])
        body = rows(year) if year in by_year else '<li class="empty">暂无信息</li>'
        return Resource(body.encode(), "text/html; charset=utf-8")

    tabs = "".join(f'<li{ON if y == years[0] else ""} data-year="{y}">{y}年</li>' for y in years)
    main = (f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; {category}</div>\n'
            f'<ul class="year-tab">{tabs}</ul>\n<ul id="yearList" class="news-list">\n{rows(years[0])}\n</ul>')
    kit.listing(start, page(f"{category}-{kit.title}", main, YEAR_SCRIPT + "\n"))
    kit.extra_listings.add(fragment)
    kit.routes["/js/jquery.min.js"] = js_resource(JQUERY)
    kit.routes["/"] = page(kit.title, f'<a href="{start}">{category}</a>')
    site = kit.site((start,), dynamic=dynamic)
    site.years = years  # for the farm's own test
    return site


# ------------------------------------------------------------------- 3. an API base in a separate config.js

CONFIG_JS = """// 部署配置：由运维按环境修改，勿提交到代码库
window.__CONFIG__ = {
  apiBase: '/prod-api',
  siteId: 3,
  catalogs: { news: 12, notice: 13 },
  title: '滨海新区党群工作部'
};
"""
APP_JS = """(function () {
  var config = window.__CONFIG__ || {};
  var http = axios.create({ baseURL: config.apiBase, timeout: 10000 });
  var routes = [
    { path: '/news/', name: 'NewsList' },
    { path: '/news/:contentId.html', name: 'NewsDetail' },
    { path: '/notice/', name: 'NoticeList' }
  ];
  function resolve(name, params) {
    var route = routes.filter(function (r) { return r.name === name; })[0];
    return route.path.replace(/:(\\w+)/g, function (m, key) { return params[key]; });
  }
  new Vue({
    el: '#app',
    data: { rows: [], total: 0, pageNum: 1, pageSize: 6 },
    created: function () { this.load(); },
    methods: {
      link: function (row) {
        return row.linkType === 1 ? row.redirectUrl : resolve('NewsDetail', { contentId: row.contentId });
      },
      load: function () {
        var vm = this;
        http.get('/cms/content/list', {
          params: { siteId: config.siteId, catalogId: config.catalogs.news, pageNum: vm.pageNum, pageSize: vm.pageSize }
        }).then(function (res) {
          vm.rows = res.data.rows;
          vm.total = res.data.total;
        });
      },
      change: function (n) { this.pageNum = n; this.load(); }
    },
    template: '<div class="news"><ul class="news-list"><li v-for="row in rows" :key="row.contentId">'
      + '<a :href="link(row)" target="_blank">{{ row.title }}</a><span>{{ row.publishDate }}</span></li></ul>'
      + '<el-pagination layout="prev, pager, next" :total="total" :page-size="pageSize" @current-change="change">'
      + '</el-pagination></div>'
  });
})();
"""


def config_js(base_urls: Mapping[str, str]) -> Holdout2Site:
    kit = H6Kit("config_js", base_urls, "/news/preview/", Trap("/activity/calendar?month={y}{m}", "活动日历"))
    entries = holdout6_plan()[kit.name]
    start, category, api = "/news/", "党群动态", "/prod-api/cms/content/list"
    ids = unique_ids(kit.rng, len(entries) + 2, 100000, 999999)
    paths = [f"/news/{n}.html" for n in ids[: len(entries)]]
    hidden = f"{kit.disallowed}{ids[-1]}.html"
    nav = (f'<a href="/">首页</a><a href="{start}">{category}</a><a href="/notice/">通知公告</a>'
           '<a href="/about/">机构简介</a>')

    def page(page_title: str, main: str, scripts: str = "") -> Resource:
        return kit.chrome(page_title, main, nav, "中共滨海新区委员会党群工作部 主办", scripts=scripts)

    kit.articles(entries, paths, category, crumbs(start, category), page)
    kit.routes[hidden] = page("内容预览", "<p>内容预览，尚未发布。</p>")
    rows = [{"contentId": n, "title": e.title, "publishDate": f"{e.published:%Y-%m-%d %H:%M:%S}", "linkType": 0,
             "redirectUrl": None} for e, n in zip(entries, ids, strict=False)]
    rows.insert(7, {"contentId": ids[-1], "title": "党群工作部内容预览（未发布）", "publishDate": "2021-02-22 09:00:00",
                    "linkType": 1, "redirectUrl": hidden})
    rows.insert(3, {"contentId": ids[-2], "title": "【转载】全国党群工作座谈会在京召开", "publishDate": "2021-05-20 10:00:00",
                    "linkType": 1, "redirectUrl": f"{PUBLIC_HOSTS[0]}dqgz/2021-05/20/content_5530.htm"})

    def dynamic(target: str) -> Resource | None:
        path, query = query_of(target)
        if path != api:
            return None
        n, want = number(query.get("pageNum")), number(query.get("pageSize"), 10)
        if query.get("siteId") != "3" or query.get("catalogId") != "12":
            return json_resource({"code": 500, "msg": "站点或栏目不存在"})
        if not n or not want or n < 1 or not 1 <= want <= 50:
            return json_resource({"code": 500, "msg": "分页参数错误"})
        return json_resource({"code": 200, "msg": "查询成功", "total": len(rows), "rows": rows[(n - 1) * want : n * want]})

    shell = ('<div id="app"><div class="loading">加载中...</div></div>\n'
             '<noscript>本站需要启用 JavaScript。</noscript>')
    scripts = ('<script src="/config.js"></script>\n<script src="/static/js/chunk-vendors.91b2a4.js"></script>\n'
               '<script src="/static/js/app.3c9e1f.js"></script>\n')
    kit.listing(start, page(f"{category}-{kit.title}", shell, scripts))
    kit.listing("/config.js", js_resource(CONFIG_JS))
    kit.listing("/static/js/app.3c9e1f.js", js_resource(APP_JS))
    kit.routes["/static/js/chunk-vendors.91b2a4.js"] = js_resource("/* vue@2.6.14, axios@0.21.1, element-ui@2.15.1 */")
    kit.extra_listings.add(api)
    kit.routes["/"] = page(kit.title, f'<a href="{start}">{category}</a>')
    return kit.site((start,), dynamic=dynamic)


# --------------------------------------------------------------- 4. a JSON API paged by its Link header

LINK_SCRIPT = """<script type="text/javascript">
(function () {
  var list = document.getElementById('posts');
  var more = document.getElementById('more');
  var next = '/api/posts/?category=dangjian';
  function nextOf(resp) {
    var m = /<([^>]+)>;\\s*rel="next"/.exec(resp.headers.get('Link') || '');
    return m ? m[1] : null;
  }
  function load() {
    if (!next) { return; }
    fetch(next, { headers: { Accept: 'application/json' } }).then(function (resp) {
      next = nextOf(resp);
      if (!next) { more.style.display = 'none'; }
      return resp.json();
    }).then(function (posts) {
      posts.forEach(function (post) {
        list.insertAdjacentHTML('beforeend', '<li><a href="' + post.absolute_url + '">' + post.title
          + '</a><time>' + post.created.slice(0, 10) + '</time></li>');
      });
    });
  }
  more.addEventListener('click', load);
  load();
})();
</script>"""


def link_header(base_urls: Mapping[str, str]) -> Holdout2Site:
    kit = H6Kit("link_header", base_urls, "/djb/nbcl/", Trap("/djb/rili/{y}-{m}.html", "工作日历"))
    entries = holdout6_plan()[kit.name]
    start, category, api, size = "/djb/gzdt/", "工作动态", "/api/posts/", 5
    ids = unique_ids(kit.rng, len(entries), 10000, 99999)
    paths = [f"/djb/gzdt/{e.published:%Y%m}/{n}/" for e, n in zip(entries, ids, strict=True)]
    hidden = f"{kit.disallowed}{kit.rng.randint(10000, 99999)}/"
    nav = (f'<a href="/">首页</a><a href="{start}">{category}</a><a href="/djb/jczz/">基层组织</a>'
           '<a href="/djb/dyjy/">党员教育</a>')

    def page(page_title: str, main: str, scripts: str = "") -> Resource:
        return kit.chrome(page_title, main, nav, "中共石门县委党建工作领导小组办公室 主办", scripts=scripts)

    kit.articles(entries, paths, category, crumbs(start, category), page)
    kit.routes[hidden] = page("内部材料", "<p>内部材料，请勿外传。</p>")
    posts = [{"id": n, "title": e.title, "created": f"{e.published:%Y-%m-%dT%H:%M:00+08:00}", "absolute_url": path}
             for e, n, path in zip(entries, ids, paths, strict=True)]
    posts.insert(8, {"id": 1, "title": "党建办内部工作材料", "created": "2021-02-08T09:00:00+08:00", "absolute_url": hidden})
    count = -(-len(posts) // size)

    def dynamic(target: str) -> Resource | None:
        path, query = query_of(target)
        if path != api:
            return None
        n = number(query.get("page"))
        if query.get("category") != "dangjian":
            return json_resource([])
        if not n or not 1 <= n <= count:
            return json_resource({"detail": "无效页面。"}, "application/json", 404)
        links = [f'<{kit.base}{api}?category=dangjian&page={k}>; rel="{rel}"'
                 for k, rel in ((n + 1, "next"), (n - 1, "prev")) if 1 <= k <= count]
        answer = json_resource(posts[(n - 1) * size : n * size], "application/json")
        return dataclasses.replace(answer, headers=(("Link", ", ".join(links)),) if links else ())

    main = (f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; {category}</div>\n<ul id="posts" class="news-list"></ul>\n'
            '<button id="more" class="more" type="button">加载更多</button>')
    kit.listing(start, page(f"{category}-{kit.title}", main, LINK_SCRIPT + "\n"))
    kit.extra_listings.add(api)
    kit.routes["/"] = page(kit.title, f'<a href="{start}">{category}</a>')
    site = kit.site((start,), dynamic=dynamic)
    site.pages = count  # for the farm's own test
    return site


# ------------------------------------------------------------------------------ 5. a signed list API

APP_KEY = "yl@djyjh#2021"
SIGNED_SCRIPT = """<script type="text/javascript">
var APP_KEY = '%(key)s';
function signed(params) {
  var text = Object.keys(params).sort().map(function (k) { return k + '=' + params[k]; }).join('&');
  params.sign = md5(text + '&key=' + APP_KEY).toUpperCase();
  return params;
}
var pageNo = 1;
function load() {
  $.getJSON('/api/v1/news/list', signed({ channelId: 5, pageNo: pageNo, pageSize: 6, timestamp: new Date().getTime() }),
    function (res) {
      if (res.code !== 0) { $('#list').html('<li>' + res.msg + '</li>'); return; }
      $.each(res.data.list, function (i, item) {
        $('#list').append('<li><a href="' + item.detailUrl + '" target="_blank">' + item.title + '</a><span>'
          + item.publishTime.substring(0, 10) + '</span></li>');
      });
      if (pageNo >= res.data.totalPage) { $('#more').hide(); } else { pageNo += 1; }
    });
}
$(function () { load(); $('#more').on('click', load); });
</script>"""


def signature(params: Mapping[str, str], key: str = APP_KEY) -> str:
    text = "&".join(f"{k}={params[k]}" for k in sorted(params) if k != "sign")
    return hashlib.md5(f"{text}&key={key}".encode()).hexdigest().upper()


def signed_api(base_urls: Mapping[str, str]) -> Holdout2Site:
    kit = H6Kit("signed_api", base_urls, "/dyfc/daishen/", Trap("/hyrl/{y}{m}.html", "会议日历"))
    entries = holdout6_plan()[kit.name]
    start, category, api = "/dyfc/index.html", "党员风采", "/api/v1/news/list"
    ids = unique_ids(kit.rng, len(entries), 100, 9999)
    paths = [f"/dyfc/{e.published:%Y-%m/%d}/{n}.html" for e, n in zip(entries, ids, strict=True)]
    hidden = f"{kit.disallowed}{kit.rng.randint(100, 9999)}.html"
    nav = (f'<a href="/">首页</a><a href="{start}">{category}</a><a href="/yjcg/index.html">研究成果</a>'
           '<a href="/hyfc/index.html">会员风采</a>')

    def page(page_title: str, main: str, scripts: str = "") -> Resource:
        return kit.chrome(page_title, main, nav, "云岭市党建研究会 主办　云ICP备00000065号", scripts=scripts)

    kit.articles(entries, paths, category, crumbs(start, category), page)
    kit.routes[hidden] = page("待审稿件", "<p>稿件待审，暂不公开。</p>")
    records = [{"newsId": n, "title": e.title, "publishTime": f"{e.published:%Y-%m-%d %H:%M:%S}", "detailUrl": path}
               for e, n, path in zip(entries, ids, paths, strict=True)]
    records.insert(10, {"newsId": 1, "title": "研究会待审稿件（内部）", "publishTime": "2021-01-28 09:00:00",
                        "detailUrl": hidden})

    def dynamic(target: str) -> Resource | None:
        path, query = query_of(target)
        if path != api:
            return None
        fields = {"channelId", "pageNo", "pageSize", "timestamp", "sign"}
        if set(query) != fields or not query["timestamp"].isdigit() or query["sign"] != signature(query):
            return json_resource({"code": 1001, "msg": "签名校验失败", "data": None})
        n, want = number(query["pageNo"]), number(query["pageSize"])
        if not n or not want or n < 1 or not 1 <= want <= 50:
            return json_resource({"code": 1002, "msg": "分页参数错误", "data": None})
        chosen = records if query["channelId"] == "5" else []
        return json_resource({"code": 0, "msg": "ok", "data": {
            "pageNo": n, "totalPage": -(-len(chosen) // want), "total": len(chosen),
            "list": chosen[(n - 1) * want : n * want]}})

    main = (f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; {category}</div>\n<ul id="list" class="news-list"></ul>\n'
            '<button id="more" class="more" type="button">加载更多</button>')
    scripts = ('<script type="text/javascript" src="/js/jquery.min.js"></script>\n'
               '<script type="text/javascript" src="/js/md5.min.js"></script>\n'
               + SIGNED_SCRIPT % {"key": APP_KEY} + "\n")
    kit.listing(start, page(f"{category}-{kit.title}", main, scripts))
    kit.extra_listings.add(api)
    kit.routes["/js/jquery.min.js"] = js_resource(JQUERY)
    kit.routes["/js/md5.min.js"] = js_resource("/* blueimp-md5 2.18.0 | MIT */")
    kit.routes["/"] = page(kit.title, f'<a href="{start}">{category}</a>')
    return kit.site((start,), dynamic=dynamic)


# ---------------------------------------------------------------------------- 6. a jump-to-page box

JUMP_SCRIPT = """<script type="text/javascript">
var pageCount = %(count)d;
var currentPage = %(current)d;
function jumpPage() {
  var p = parseInt(document.getElementById('pageNum').value, 10);
  if (isNaN(p) || p < 1 || p > pageCount) { alert('请输入1至' + pageCount + '之间的页码'); return; }
  if (p === currentPage) { return; }
  window.location.href = p === 1 ? 'index.html' : 'index_' + p + '.html';
}
</script>"""


def jump_input(base_urls: Mapping[str, str]) -> Holdout2Site:
    kit = H6Kit("jump_input", base_urls, "/xxyd/jiaoan/", Trap("/xxyd/kebiao.html?ym={y}{m}", "课程安排"))
    entries = holdout6_plan()[kit.name]
    column, category, per_page = "/xxyd/djyw/index.html", "党建要闻", 5
    ids = unique_ids(kit.rng, len(entries), 1000, 9999)
    paths = [f"/xxyd/djyw/{e.published:%Y%m%d}/{n}.html" for e, n in zip(entries, ids, strict=True)]
    hidden = f"{kit.disallowed}{kit.rng.randint(1000, 9999)}.html"
    nav = (f'<a href="/">首页</a><a href="{column}">{category}</a><a href="/xxyd/jxky/index.html">教学科研</a>'
           '<a href="/xxyd/xyfc/index.html">学员风采</a>')

    def page(page_title: str, main: str, scripts: str = "") -> Resource:
        return kit.chrome(page_title, main, nav, "中共清河区委党校 主办　清ICP备00000066号", scripts=scripts)

    kit.articles(entries, paths, category, crumbs(column, category), page)
    kit.routes[hidden] = page("内部教案", "<p>内部教案，仅供教研室使用。</p>")
    rows = [(e.title, path, f"{e.published:%Y-%m-%d}") for e, path in zip(entries, paths, strict=True)]
    rows.insert(6, ("教研室内部教案（试行稿）", hidden, "2021-02-19"))
    groups = pages_of(rows, per_page)
    names = ["index.html"] + [f"index_{n}.html" for n in range(2, len(groups) + 1)]
    for n, chosen in enumerate(groups, start=1):
        items = [f'<li><a href="{href}" target="_blank">{esc(title)}</a><span class="date">{day}</span></li>'
                 for title, href, day in chosen]
        pager = (f'<div class="page">共{len(rows)}条　共{len(groups)}页　当前第{n}页　'
                 '转到第 <input type="text" id="pageNum" size="2" value=""> 页 '
                 '<input type="button" value="GO" onclick="jumpPage()"></div>')
        main = (f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; {category}</div>\n<ul class="list">\n'
                + "\n".join(items) + f"\n</ul>\n{pager}")
        scripts = JUMP_SCRIPT % {"count": len(groups), "current": n} + "\n"
        kit.listing(f"/xxyd/djyw/{names[n - 1]}", page(f"{category}-{kit.title}", main, scripts))
    kit.routes["/"] = page(kit.title, f'<a href="{column}">{category}</a>')
    return kit.site((column,))


HOLDOUT6_BUILDERS: dict[str, Callable[[Mapping[str, str]], Holdout2Site]] = {
    "last_id": last_id,
    "year_tabs": year_tabs,
    "config_js": config_js,
    "link_header": link_header,
    "signed_api": signed_api,
    "jump_input": jump_input,
}
