"""The fifth held-out farm: six synthetic sites in conventions none of demo/farm.py, demo/coverage.py and
demo/holdout.py .. demo/holdout4.py uses.

Written like the other held-out farms, by someone who read neither the crawler's code nor its rules: fixed
seeds, text from demo/text.py, `ExpectedArticle` ground truth, a robots.txt Disallow path holding one linked
article-looking page, an endless by-month page, links to peers and public hosts. Every article is a
server-rendered HTML page answering a plain GET:
- `laypage_jump`: a 机关工委 column whose pager is a layui `laypage.render({elem: 'pager', count: 16, limit: 6,
  curr: N, jump: function (obj, first) {...}})` call: the `<div id="pager">` is empty and the page URLs exist only
  in the `jump` callback (`location.href = obj.curr === 1 ? 'index.html' : 'index_' + obj.curr + '.html'`); the
  number of pages is `count / limit`, rounded up; the rows are plain links.
- `hash_pager`: a university 党委 column whose page 1 is server-rendered; the pager links are `#page=N`
  (fragments only: one and the same URL for the browser); an inline script reads `location.hash` on
  `hashchange` and `fetch`es `/dwgz/api/list?catalog=djdt&pageIndex=N&pageSize=6`, JSON
  `{code, data: {pageIndex, pageCount, records: [{id, title, publishTime, url}]}}`.
- `base64_state`: a 组织部 column whose rows sit only in `JSON.parse(decodeURIComponent(escape(window.atob('...'))))`
  (UTF-8 JSON, base64: no URL or title is readable in the page), drawn by a second inline script; a plain
  `index_N.shtml` pager; one record is a repost on a public host.
- `epaper`: a county 融媒体中心's 数字报 (a 方正-like e-paper): the start URL is the latest issue's first 版面
  `/html/2021-06/11/node_1.htm`, whose 版面导航 links the issue's other 版面 and whose 标题导航 links that 版面's
  articles `content_N.htm`; earlier issues are reached only through the 往期回顾 calendar: `/js/calendar.js`
  reads `/html/YYYY-MM/period.xml` (`<period><period_date>2021-06-11</period_date><front_page>node_1.htm`) and
  steps back month by month to the paper's first month, which the page's `showCalendar(...)` call names.
- `graphql_list`: an SOE 党委 column whose inline module script POSTs a GraphQL query to `/graphql`
  (`{operationName, query: "query PartyNews(...) { articles(channel:, page:, pageSize:) { total nodes { id title
  publishedAt path } } }", variables: {channel: 'dangjian', page: N, size: 6}}`); a GET of the endpoint is a 405;
  加载更多 asks the next page until `total` is reached; one node is a repost on a public host.
- `backslash_links`: an old Windows-made 宣传部 site whose relative hrefs use backslashes
  (`2021\\0604\\5104.htm`, `..\\index.htm`): a browser reads `\\` as `/` in an http URL, so
  `/xcdt/2021/0604/5104.htm`; sent as they stand (`%5C`) they name nothing; the pager `index_N.htm` has no directory.
"""

from __future__ import annotations

import base64
import dataclasses
import json
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
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
    relative,
)
from demo.holdout import Trap, held_out_plan, holdout_plan, unique_ids
from demo.holdout2 import Holdout2Site, holdout2_plan, json_resource, number, query_of
from demo.holdout3 import article_main, holdout3_plan
from demo.holdout4 import H4Kit, holdout4_plan

HOLDOUT5_TITLES = {
    "laypage_jump": "江北区直机关工委",
    "hash_pager": "北陵大学党委",
    "base64_state": "青峰县委组织部",
    "epaper": "临江县融媒体中心",
    "graphql_list": "华新能源集团党委",
    "backslash_links": "城南区委宣传部",
}
HOLDOUT5_SITE_NAMES = tuple(HOLDOUT5_TITLES)
HOLDOUT5_COUNTS = {
    "laypage_jump": 15,
    "hash_pager": 16,
    "base64_state": 14,
    "epaper": 16,
    "graphql_list": 17,
    "backslash_links": 13,
}
HOLDOUT5_WINDOW = (date(2021, 1, 6), date(2021, 6, 27))
EPAPER_WINDOW = (date(2021, 5, 8), date(2021, 6, 18))  # a weekly paper out on Fridays, 2021-05-14 .. 2021-06-18
PAPER_NAME = "临江报"


def issue_of(day: date) -> date:
    """The Friday issue a story written on `day` appears in."""
    return day + timedelta(days=(4 - day.weekday()) % 7)


@cache
def holdout5_plan() -> dict[str, list[Entry]]:
    """The stories of each site, newest first; no title repeats one of the other farms'. The e-paper's stories
    are dated by the issue that prints them."""
    earlier = (plan(), coverage_plan(), holdout_plan(), holdout2_plan(), holdout3_plan(), holdout4_plan())
    counts = {name: n for name, n in HOLDOUT5_COUNTS.items() if name != "epaper"}
    sites = held_out_plan("holdout5", counts, HOLDOUT5_WINDOW, earlier)[0]
    paper = held_out_plan("holdout5-epaper", {"epaper": HOLDOUT5_COUNTS["epaper"]}, EPAPER_WINDOW, (*earlier, sites))[0]
    sites["epaper"] = [dataclasses.replace(e, published=datetime.combine(issue_of(e.published.date()), time(0, 0)))
                       for e in paper["epaper"]]
    return {name: sites[name] for name in HOLDOUT5_SITE_NAMES}


class H5Kit(H4Kit):
    TAG = "holdout5"
    TITLES = HOLDOUT5_TITLES


def js_resource(text: str) -> Resource:
    return Resource(text.encode(), "application/javascript; charset=utf-8")


# ----------------------------------------------------------------------- 1. a layui laypage pager

LAYPAGE_SCRIPT = """<script type="text/javascript">
layui.use('laypage', function () {
  var laypage = layui.laypage;
  laypage.render({
    elem: 'pager',
    count: %(count)d,
    limit: %(limit)d,
    curr: %(curr)d,
    groups: 5,
    layout: ['count', 'prev', 'page', 'next', 'skip'],
    jump: function (obj, first) {
      if (!first) {
        location.href = obj.curr === 1 ? 'index.html' : 'index_' + obj.curr + '.html';
      }
    }
  });
});
</script>"""


def laypage_jump(base_urls: Mapping[str, str]) -> Holdout2Site:
    kit = H5Kit("laypage_jump", base_urls, "/nbzl/", Trap("/gzrl/index.html?ym={y}{m}", "工作日历"))
    entries = holdout5_plan()[kit.name]
    column, category, per_page = "/jgdj/index.html", "机关党建", 6
    ids = unique_ids(kit.rng, len(entries), 1000, 9999)
    paths = [f"/jgdj/{e.published:%Y%m}/{n}.html" for e, n in zip(entries, ids, strict=True)]
    hidden = f"{kit.disallowed}{kit.rng.randint(1000, 9999)}.html"
    nav = (f'<a href="/">首页</a><a href="{column}">{category}</a><a href="/tzgg/index.html">通知公告</a>'
           '<a href="/llxx/index.html">理论学习</a>')
    head = '<link rel="stylesheet" href="/layui/css/layui.css">\n'

    def page(page_title: str, main: str, scripts: str = "") -> Resource:
        return kit.chrome(page_title, main, nav, "中共江北区直属机关工作委员会 主办　江ICP备00000051号",
                          head=head, scripts=scripts)

    crumb = f'<a href="/">首页</a> &gt; <a href="{column}">{category}</a> &gt; 正文'
    kit.articles(entries, paths, category, crumb, page)
    kit.routes[hidden] = page("内部资料", "<p>内部资料，请勿转发。</p>")
    rows = [(e.title, path, f"{e.published:%Y-%m-%d}") for e, path in zip(entries, paths, strict=True)]
    rows.insert(9, ("工委机关内部学习资料", hidden, "2021-01-12"))
    groups = pages_of(rows, per_page)
    names = ["index.html"] + [f"index_{n}.html" for n in range(2, len(groups) + 1)]
    for n, chosen in enumerate(groups, start=1):
        items = [f'<li><a href="{href}" target="_blank">{esc(title)}</a><span class="date">{day}</span></li>'
                 for title, href, day in chosen]
        main = (f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; {category}</div>\n<ul class="news-list">\n'
                + "\n".join(items) + '\n</ul>\n<div id="pager" class="pager"></div>')
        scripts = ('<script type="text/javascript" src="/layui/layui.js"></script>\n'
                   + LAYPAGE_SCRIPT % {"count": len(rows), "limit": per_page, "curr": n} + "\n")
        kit.listing(f"/jgdj/{names[n - 1]}", page(f"{category}-{kit.title}", main, scripts))
    kit.routes["/layui/layui.js"] = js_resource("/** layui-v2.6.8 MIT License */")
    kit.routes["/"] = page(kit.title, f'<a href="{column}">{category}</a>')
    return kit.site((column,))


# ------------------------------------------------------------------------------- 2. a #page=N pager

HASH_SCRIPT = """<script type="text/javascript">
(function () {
  var size = 6;
  var list = document.getElementById('newsList');
  var pager = document.getElementById('pager');
  function current() {
    var m = /^#page=(\\d+)$/.exec(location.hash);
    return m ? parseInt(m[1], 10) : 1;
  }
  function load() {
    var page = current();
    fetch('/dwgz/api/list?catalog=djdt&pageIndex=' + page + '&pageSize=' + size)
      .then(function (resp) { return resp.json(); })
      .then(function (res) {
        var html = '';
        res.data.records.forEach(function (item) {
          html += '<li><a href="' + item.url + '" target="_blank">' + item.title + '</a><span>'
            + item.publishTime.substring(0, 10) + '</span></li>';
        });
        list.innerHTML = html;
        var links = '';
        for (var i = 1; i <= res.data.pageCount; i++) {
          links += i === page ? '<span class="cur">' + i + '</span>' : '<a href="#page=' + i + '">' + i + '</a>';
        }
        if (page < res.data.pageCount) { links += '<a href="#page=' + (page + 1) + '">下一页</a>'; }
        pager.innerHTML = links;
        window.scrollTo(0, 0);
      });
  }
  window.addEventListener('hashchange', load);
  if (location.hash) { load(); }
})();
</script>"""


def hash_pager(base_urls: Mapping[str, str]) -> Holdout2Site:
    kit = H5Kit("hash_pager", base_urls, "/dwgz/preview/", Trap("/dwgz/xiaoli.html?month={y}-{m}", "校历"))
    entries = holdout5_plan()[kit.name]
    start, category, api, size = "/dwgz/djdt/index.html", "党建动态", "/dwgz/api/list", 6
    ids = unique_ids(kit.rng, len(entries), 1000, 9999)
    paths = [f"/dwgz/djdt/{e.published:%Y%m%d}/{n}.html" for e, n in zip(entries, ids, strict=True)]
    hidden = f"{kit.disallowed}{kit.rng.randint(1000, 9999)}.html"
    nav = (f'<a href="/">首页</a><a href="{start}">{category}</a><a href="/dwgz/llxx/index.html">理论学习</a>'
           '<a href="/dwgz/tzgg/index.html">通知公告</a>')

    def page(page_title: str, main: str, scripts: str = "") -> Resource:
        return kit.chrome(page_title, main, nav, "中共北陵大学委员会 主办　党委宣传部 承办", scripts=scripts)

    crumb = f'<a href="/">首页</a> &gt; <a href="{start}">{category}</a> &gt; 正文'
    kit.articles(entries, paths, category, crumb, page)
    kit.routes[hidden] = page("稿件预览", "<p>稿件预览，尚未发布。</p>")
    records = [{"id": n, "title": e.title, "publishTime": f"{e.published:%Y-%m-%d %H:%M}", "url": path}
               for e, n, path in zip(entries, ids, paths, strict=True)]
    records.insert(8, {"id": 1, "title": "党委宣传部稿件预览（未发布）", "publishTime": "2021-01-12 09:00", "url": hidden})
    count = -(-len(records) // size)

    def dynamic(target: str) -> Resource | None:
        path, query = query_of(target)
        if path != api:
            return None
        n, want = number(query.get("pageIndex")), number(query.get("pageSize"), 10)
        if not n or not want or n < 1 or not 1 <= want <= 50:
            return json_resource({"code": 400, "msg": "参数错误", "data": None}, status=400)
        chosen = records if query.get("catalog") == "djdt" else []
        return json_resource({"code": 200, "msg": "操作成功", "data": {
            "pageIndex": n, "pageSize": want, "pageCount": -(-len(chosen) // want),
            "records": chosen[(n - 1) * want : n * want]}})

    rows = [f'<li><a href="{r["url"]}" target="_blank">{esc(r["title"])}</a><span>{r["publishTime"][:10]}</span></li>'
            for r in records[:size]]
    links = ['<span class="cur">1</span>'] + [f'<a href="#page={i}">{i}</a>' for i in range(2, count + 1)]
    links.append('<a href="#page=2">下一页</a>')
    main = (f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; {category}</div>\n<ul id="newsList" class="news-list">\n'
            + "\n".join(rows) + f'\n</ul>\n<div id="pager" class="pager">{"".join(links)}</div>')
    kit.listing(start, page(f"{category}-{kit.title}", main, HASH_SCRIPT + "\n"))
    kit.extra_listings.add(api)
    kit.routes["/"] = page(kit.title, f'<a href="{start}">{category}</a>')
    site = kit.site((start,), dynamic=dynamic)
    site.pages = count  # for the farm's own test
    return site


# ------------------------------------------------------------------------ 3. list data in base64

BASE64_RENDER = """<script type="text/javascript">
(function () {
  var html = [];
  for (var i = 0; i < pageData.list.length; i++) {
    var r = pageData.list[i];
    html.push('<li><a href="' + r.url + '" target="_blank" title="' + r.title + '">' + r.title + '</a><span>' + r.date + '</span></li>');
  }
  document.getElementById('list').innerHTML = html.join('');
})();
</script>"""


def encoded(data) -> str:
    return base64.b64encode(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()).decode()


def base64_state(base_urls: Mapping[str, str]) -> Holdout2Site:
    kit = H5Kit("base64_state", base_urls, "/zzgz/nbwj/", Trap("/zzgz/rili/{y}{m}.shtml", "工作日历"))
    entries = holdout5_plan()[kit.name]
    column, category, per_page = "/zzgz/dydj/index.shtml", "党员教育", 6
    ids = unique_ids(kit.rng, len(entries), 100000, 999999)
    paths = [f"/zzgz/dydj/{e.published:%Y%m}/{n}.shtml" for e, n in zip(entries, ids, strict=True)]
    hidden = f"{kit.disallowed}{kit.rng.randint(100000, 999999)}.shtml"
    nav = (f'<a href="/">首页</a><a href="{column}">{category}</a><a href="/zzgz/gbgz/index.shtml">干部工作</a>'
           '<a href="/zzgz/rcgz/index.shtml">人才工作</a>')

    def page(page_title: str, main: str, scripts: str = "") -> Resource:
        return kit.chrome(page_title, main, nav, "中共青峰县委组织部 主办　青ICP备00000052号", scripts=scripts)

    crumb = f'<a href="/">首页</a> &gt; <a href="{column}">{category}</a> &gt; 正文'
    kit.articles(entries, paths, category, crumb, page)
    kit.routes[hidden] = page("内部文件", "<p>内部文件，不予公开。</p>")
    records = [{"title": e.title, "url": path, "date": f"{e.published:%Y-%m-%d}"}
               for e, path in zip(entries, paths, strict=True)]
    records.insert(8, {"title": "部务会内部学习材料", "url": hidden, "date": "2021-01-12"})
    records.insert(3, {"title": "【转载】全省党员教育培训工作会议召开", "date": "2021-05-18",
                       "url": f"{PUBLIC_HOSTS[0]}dyjy/2021-05/18/content_4471.htm"})
    groups = pages_of(records, per_page)
    names = ["index.shtml"] + [f"index_{n}.shtml" for n in range(2, len(groups) + 1)]
    for n, chosen in enumerate(groups, start=1):
        data = {"total": len(records), "pageNo": n, "pageCount": len(groups), "list": chosen}
        pager = [f"共{len(records)}条　第{n}/{len(groups)}页"]
        if n > 1:
            pager += [f'<a href="{names[0]}">首页</a>', f'<a href="{names[n - 2]}">上一页</a>']
        if n < len(groups):
            pager += [f'<a href="{names[n]}">下一页</a>', f'<a href="{names[-1]}">尾页</a>']
        main = (f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; {category}</div>\n<ul id="list" class="list"></ul>\n'
                '<script type="text/javascript">\n'
                f"var pageData = JSON.parse(decodeURIComponent(escape(window.atob('{encoded(data)}'))));\n</script>\n"
                f'{BASE64_RENDER}\n<div class="page">{" ".join(pager)}</div>')
        kit.listing(f"/zzgz/dydj/{names[n - 1]}", page(f"{category}-{kit.title}", main))
    kit.routes["/"] = page(kit.title, f'<a href="{column}">{category}</a>')
    return kit.site((column,))


# ----------------------------------------------------------------------- 4. a 数字报 and its period.xml

CALENDAR_JS = """/* calendar.js: 往期回顾 */
function shiftMonth(ym, step) {
  var y = parseInt(ym.substring(0, 4), 10), m = parseInt(ym.substring(5, 7), 10) + step;
  if (m < 1) { m = 12; y -= 1; }
  if (m > 12) { m = 1; y += 1; }
  return y + '-' + (m < 10 ? '0' + m : m);
}
function showCalendar(ym, first, last) {
  $('#calTitle').text(ym.substring(0, 4) + '年' + ym.substring(5, 7) + '月');
  $.ajax({
    url: '/html/' + ym + '/period.xml',
    dataType: 'xml',
    success: function (xml) {
      var html = '';
      $(xml).find('period').each(function () {
        var day = $(this).find('period_date').text();
        var href = '/html/' + day.substring(0, 7) + '/' + day.substring(8, 10) + '/' + $(this).find('front_page').text();
        html += '<a href="' + href + '">' + day.substring(8, 10) + '日</a> ';
      });
      $('#calDays').html(html);
    },
    error: function () { $('#calDays').html('本月无报纸'); }
  });
  $('#calPrev').toggle(ym > first).off('click').on('click', function () { showCalendar(shiftMonth(ym, -1), first, last); });
  $('#calNext').toggle(ym < last).off('click').on('click', function () { showCalendar(shiftMonth(ym, 1), first, last); });
}
"""
PAGE_NAMES = ("要闻", "党建", "综合", "副刊")


def epaper(base_urls: Mapping[str, str]) -> Holdout2Site:
    kit = H5Kit("epaper", base_urls, "/neican/", Trap("/hdrl/{y}{m}.htm", "活动日历"))
    entries = holdout5_plan()[kit.name]
    ids = unique_ids(kit.rng, len(entries), 10000, 99999)
    issues: dict[date, list[int]] = {}
    for i, entry in enumerate(entries):
        issues.setdefault(entry.published.date(), []).append(i)
    days = sorted(issues, reverse=True)  # newest first
    first, last = f"{days[-1]:%Y-%m}", f"{days[0]:%Y-%m}"
    folder = {day: f"/html/{day:%Y-%m}/{day:%d}/" for day in days}
    where: dict[int, tuple[date, int]] = {}  # article -> (issue, 版 number)
    for day in days:
        for k, members in enumerate(pages_of(issues[day], 2), start=1):
            where.update((i, (day, k)) for i in members)
    paths = [f"{folder[where[i][0]]}content_{n}.htm" for i, n in enumerate(ids)]
    hidden = f"{kit.disallowed}content_{kit.rng.randint(10000, 99999)}.htm"

    def page(page_title: str, main: str, ym: str = "") -> Resource:
        calendar = (f'<div class="calendar"><h4>往期回顾</h4><span id="calPrev">&lt;</span><span id="calTitle"></span>'
                    f'<span id="calNext">&gt;</span><div id="calDays"></div></div>\n'
                    f"<script type=\"text/javascript\">showCalendar('{ym}', '{first}', '{last}');</script>\n" if ym else "")
        return kit.html(
            '<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
            f"<title>{esc(page_title)}</title>\n<link rel=\"stylesheet\" href=\"/css/paper.css\">\n"
            '<script type="text/javascript" src="/js/jquery.min.js"></script>\n'
            '<script type="text/javascript" src="/js/calendar.js"></script>\n</head>\n<body>\n'
            f'<div class="masthead"><img src="/images/masthead.png" alt="{PAPER_NAME}"><span>{kit.title} 主办</span></div>\n'
            f'<div class="paper">{main}</div>\n<div class="side">{calendar}{kit.trap.link()}</div>\n'
            f'<div class="footer">{kit.friends()}<p>《{PAPER_NAME}》数字报　{kit.title} 版权所有</p></div>\n</body></html>')

    for i, (entry, path) in enumerate(zip(entries, paths, strict=True)):
        day, k = where[i]
        shown, category = f"{day:%Y-%m-%d}", PAGE_NAMES[k - 1]
        editors = (person(kit.rng),)
        crumb = (f'《{PAPER_NAME}》 {day:%Y年%m月%d日} <a href="node_{k}.htm">第{k:02d}版：{category}</a>')
        kit.routes[path] = page(f"{entry.title}-{PAPER_NAME}", article_main(kit, entry, shown, editors, crumb))
        kit.expect(entry, path, category=category, published=shown, minute=False, list_date=None, editors=editors)
    kit.routes[hidden] = page("内参", "<p>内部参考，不公开发行。</p>")

    for day in days:
        layouts = pages_of(issues[day], 2)
        nodes = "".join(f'<li><a href="node_{k}.htm">第{k:02d}版：{PAGE_NAMES[k - 1]}</a></li>'
                        for k in range(1, len(layouts) + 1))
        for k, members in enumerate(layouts, start=1):
            titles = [f'<li><a href="content_{ids[i]}.htm">{esc(entries[i].title)}</a></li>' for i in members]
            if day == days[-1] and k == len(layouts):
                titles.append(f'<li><a href="../../..{hidden}">内参：全县基层党建工作情况通报</a></li>')
            main = (f'<div class="issue">{day:%Y年%m月%d日} 星期五　第{k:02d}版：{PAGE_NAMES[k - 1]}</div>\n'
                    f'<div class="pagepic"><img src="/images/{day:%Y%m%d}_{k:02d}.jpg" alt="第{k:02d}版"></div>\n'
                    f'<div class="nodes"><h4>版面导航</h4><ul>{nodes}</ul></div>\n'
                    f'<div class="titles"><h4>标题导航</h4><ul>\n' + "\n".join(titles) + "\n</ul></div>")
            kit.listing(f"{folder[day]}node_{k}.htm", page(f"{PAPER_NAME}-第{k:02d}版", main, f"{day:%Y-%m}"))
    for ym in sorted({f"{day:%Y-%m}" for day in days}):
        periods = "".join(
            f'<period id="{day:%Y%m%d}"><paper_name>{PAPER_NAME}</paper_name><period_name>第{1200 + n}期</period_name>'
            f"<period_date>{day:%Y-%m-%d}</period_date><front_page>node_1.htm</front_page></period>\n"
            for n, day in enumerate(sorted(days)) if f"{day:%Y-%m}" == ym)
        text = f'<?xml version="1.0" encoding="UTF-8"?>\n<root>\n{periods}</root>\n'
        kit.listing(f"/html/{ym}/period.xml", Resource(text.encode(), "application/xml"))
    kit.listing("/js/calendar.js", js_resource(CALENDAR_JS))
    kit.routes["/js/jquery.min.js"] = js_resource("/*! jQuery v1.12.4 | (c) jQuery Foundation */")
    start = f"{folder[days[0]]}node_1.htm"
    kit.routes["/"] = page(kit.title, f'<a href="{start}">《{PAPER_NAME}》数字报</a>')
    site = kit.site((start,))
    site.issues = [f"{day:%Y-%m-%d}" for day in days]  # for the farm's own test
    return site


# --------------------------------------------------------------------------- 5. a GraphQL endpoint

GRAPHQL = "/graphql"
GRAPHQL_SCRIPT = """<script type="module">
const QUERY = `query PartyNews($channel: String!, $page: Int!, $size: Int!) {
  articles(channel: $channel, page: $page, pageSize: $size) {
    total
    nodes { id title publishedAt path }
  }
}`;
const list = document.getElementById('news');
const more = document.getElementById('more');
let page = 1;
function load() {
  fetch('/graphql', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ operationName: 'PartyNews', query: QUERY, variables: { channel: 'dangjian', page: page, size: 6 } }),
  })
    .then((resp) => resp.json())
    .then(({ data }) => {
      data.articles.nodes.forEach((node) => {
        list.insertAdjacentHTML('beforeend',
          `<li><a href="${node.path}">${node.title}</a><time>${node.publishedAt.slice(0, 10)}</time></li>`);
      });
      if (page * 6 >= data.articles.total) { more.remove(); } else { page += 1; }
    });
}
more.addEventListener('click', load);
load();
</script>"""


def graphql_error(message: str, status: int = 400) -> Resource:
    return json_resource({"errors": [{"message": message}]}, "application/json; charset=utf-8", status)


def graphql_list(base_urls: Mapping[str, str]) -> Holdout2Site:
    kit = H5Kit("graphql_list", base_urls, "/news/draft/", Trap("/events/calendar/{y}-{m}/", "活动日历"))
    entries = holdout5_plan()[kit.name]
    start, category = "/news/party/", "企业党建"
    ids = unique_ids(kit.rng, len(entries), 10000, 99999)
    paths = [f"/news/party/{e.published:%Y/%m}/{n}.html" for e, n in zip(entries, ids, strict=True)]
    hidden = f"{kit.disallowed}{kit.rng.randint(10000, 99999)}.html"
    nav = (f'<a href="/">首页</a><a href="{start}">{category}</a><a href="/news/culture/">企业文化</a>'
           '<a href="/news/integrity/">廉洁建设</a>')

    def page(page_title: str, main: str, scripts: str = "") -> Resource:
        return kit.chrome(page_title, main, nav, "华新能源集团有限公司党委 版权所有", scripts=scripts)

    crumb = f'<a href="/">首页</a> &gt; <a href="{start}">{category}</a> &gt; 正文'
    kit.articles(entries, paths, category, crumb, page)
    kit.routes[hidden] = page("草稿", "<p>草稿，未发布。</p>")
    nodes = [{"id": str(n), "title": e.title, "publishedAt": f"{e.published:%Y-%m-%dT%H:%M:00+08:00}", "path": path}
             for e, n, path in zip(entries, ids, paths, strict=True)]
    nodes.insert(9, {"id": "1", "title": "党委会内部学习资料（草稿）", "publishedAt": "2021-01-12T09:00:00+08:00",
                     "path": hidden})
    nodes.insert(5, {"id": "2", "title": "【转载】国有企业党建工作推进会召开", "publishedAt": "2021-04-22T10:00:00+08:00",
                     "path": f"{PUBLIC_HOSTS[0]}qydj/2021-04/22/content_2260.htm"})

    def answer(target: str, body: bytes) -> Resource | None:
        if target != GRAPHQL:
            return None
        try:
            request = json.loads(body or b"")
            query, variables = request["query"], request.get("variables") or {}
            n, want = int(variables["page"]), int(variables["size"])
        except (ValueError, TypeError, KeyError, AttributeError):
            return graphql_error("请求无效：需要 JSON 格式的 query 与 variables")
        if "articles(" not in query:
            return graphql_error("Cannot query this field on type \"Query\".")
        if n < 1 or not 1 <= want <= 50:
            return graphql_error("page 与 pageSize 超出范围")
        chosen = nodes if variables.get("channel") == "dangjian" else []
        return json_resource({"data": {"articles": {"total": len(chosen), "nodes": chosen[(n - 1) * want : n * want]}}},
                             "application/json; charset=utf-8")

    def dynamic(target: str) -> Resource | None:  # a GET of the endpoint
        return graphql_error("仅支持 POST 请求", 405) if query_of(target)[0] == GRAPHQL else None

    main = (f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; {category}</div>\n<ul id="news" class="news-list"></ul>\n'
            '<button id="more" class="more" type="button">加载更多</button>')
    kit.listing(start, page(f"{category}-{kit.title}", main, GRAPHQL_SCRIPT + "\n"))
    kit.extra_listings.add(GRAPHQL)
    kit.routes["/"] = page(kit.title, f'<a href="{start}">{category}</a>')
    return kit.site((start,), post_handler=answer, dynamic=dynamic)


# ------------------------------------------------------------------------ 6. links with backslashes


def backslashed(from_path: str, to_path: str) -> str:
    """The relative href a Windows-made page carries: backslashes, which a browser reads as slashes."""
    return relative(from_path, to_path).replace("/", "\\")


def backslash_links(base_urls: Mapping[str, str]) -> Holdout2Site:
    kit = H5Kit("backslash_links", base_urls, "/shenhe/", Trap("/rili/rili.asp?ym={y}{m}", "宣传日历"))
    entries = holdout5_plan()[kit.name]
    column, category, per_page = "/xcdt/index.htm", "宣传动态", 5
    ids = unique_ids(kit.rng, len(entries), 1000, 9999)
    paths = [f"/xcdt/{e.published:%Y/%m%d}/{n}.htm" for e, n in zip(entries, ids, strict=True)]
    hidden = f"{kit.disallowed}{kit.rng.randint(1000, 9999)}.htm"

    def nav(here: str) -> str:
        return (f'<a href="{backslashed(here, "/index.htm")}">首页</a><a href="{backslashed(here, column)}">{category}</a>'
                f'<a href="{backslashed(here, "/wmcj/index.htm")}">文明创建</a>'
                f'<a href="{backslashed(here, "/llxx/index.htm")}">理论学习</a>')

    def at(here: str) -> Callable[[str, str], Resource]:
        def page(page_title: str, main: str) -> Resource:
            return kit.chrome(page_title, main, nav(here), "中共城南区委宣传部 主办　城ICP备00000053号")
        return page

    for i, path in enumerate(paths):
        crumb = (f'<a href="{backslashed(path, "/index.htm")}">首页</a> &gt; '
                 f'<a href="{backslashed(path, column)}">{category}</a> &gt; 正文')
        kit.articles(entries[i : i + 1], [path], category, crumb, at(path))
    kit.routes[hidden] = at(hidden)("待审稿件", "<p>稿件审核中。</p>")
    rows = [(e.title, path, f"{e.published:%Y-%m-%d}") for e, path in zip(entries, paths, strict=True)]
    rows.insert(7, ("宣传部待审稿件（内部）", hidden, "2021-01-12"))
    groups = pages_of(rows, per_page)
    list_paths = [column] + [f"/xcdt/index_{n}.htm" for n in range(2, len(groups) + 1)]
    for n, chosen in enumerate(groups, start=1):
        here = list_paths[n - 1]
        items = [f'<li><a href="{backslashed(here, href)}" target="_blank">{esc(title)}</a><span class="date">{day}</span></li>'
                 for title, href, day in chosen]
        pager = [f"共{len(rows)}条 第{n}/{len(groups)}页"]
        if n > 1:
            pager += [f'<a href="{backslashed(here, list_paths[0])}">首页</a>',
                      f'<a href="{backslashed(here, list_paths[n - 2])}">上一页</a>']
        if n < len(groups):
            pager += [f'<a href="{backslashed(here, list_paths[n])}">下一页</a>',
                      f'<a href="{backslashed(here, list_paths[-1])}">尾页</a>']
        main = (f'<div class="crumb">当前位置：<a href="{backslashed(here, "/index.htm")}">首页</a> &gt; {category}</div>\n'
                '<ul class="list">\n' + "\n".join(items) + f'\n</ul>\n<div class="pages">{" ".join(pager)}</div>')
        kit.listing(here, at(here)(f"{category}-{kit.title}", main))
    kit.routes["/index.htm"] = at("/index.htm")(kit.title, f'<a href="{backslashed("/index.htm", column)}">{category}</a>')
    kit.routes["/"] = kit.routes["/index.htm"]
    return kit.site((column,))


HOLDOUT5_BUILDERS: dict[str, Callable[[Mapping[str, str]], Holdout2Site]] = {
    "laypage_jump": laypage_jump,
    "hash_pager": hash_pager,
    "base64_state": base64_state,
    "epaper": epaper,
    "graphql_list": graphql_list,
    "backslash_links": backslash_links,
}
