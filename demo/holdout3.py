"""The third held-out farm: six synthetic sites in conventions none of demo/farm.py, demo/coverage.py,
demo/holdout.py and demo/holdout2.py uses.

Written like the first two held-out farms, by someone who read neither the crawler's code nor its rules:
fixed seeds, text from demo/text.py, `ExpectedArticle` ground truth, a robots.txt Disallow path holding one
linked article-looking page, an endless by-month page, links to peers and public hosts. Every article is a
server-rendered HTML page answering a plain GET:
- `onclick_detail`: a 宣传部 column whose rows are `<a href="javascript:void(0);" onclick="openDetail('2021',
  '0604','12345')">`; `openDetail` lives in the linked `/js/common.js` and builds
  `/dj/gzdt/202106/t20210604_12345.html`; plain `index_N.html` pager links.
- `hanweb_proxy`: a 大汉 (Hanweb) column: the first group of records sits in `<script type="text/xml">
  <datastore><recordset><record><![CDATA[<li>...</li>]]></record>`, the jpage script draws it page by page
  and fetches later groups only by POSTing `col=1&webid=1&columnid=...&unitid=...` to
  `/module/web/jpage/dataproxy.jsp?startrecord=7&endrecord=12&perpage=3` (a GET is a 405; a POST without
  the column's ids answers an empty datastore); articles `/art/2021/6/4/art_1234_N.html`.
- `wp_rest`: a WordPress theme rendering the news column from the REST API: the page names
  `<link rel="alternate" type="application/json" href="/wp-json/wp/v2/posts?categories=7">` and an inline
  script `fetch`es `...&per_page=6&page=N`; the answer is a bare JSON array, its paging only in the
  headers (`X-WP-Total`, `X-WP-TotalPages`, `Link: <...page=2>; rel="next"`); a page past the last is a
  400 `rest_post_invalid_page_number`; posts at `/archives/N`, one off-site, one under the robots path.
- `nuxt_state`: a Nuxt 2 site: the list is rendered as `<div class="news-item">` rows with no links (a click
  calls `this.$router.push("/news/detail/"+id)` in a bundled chunk), the pager an Element `el-pager` of
  `<li>` without hrefs; the data is in `window.__NUXT__=(function(a,b,...){return {...}}(12,...))` with
  `\u002F`-escaped slashes; page N is the route `/news?page=N` (its own state) and the chunk's `asyncData`
  asks `/prod-api/portal/news/list?channelId=12&pageNum=N&pageSize=6`; records may carry a `linkUrl`.
- `gbk_query`: an old GBK ASP township site (charset only in `<meta>`) whose hrefs carry raw Chinese query
  values (`list.asp?lm=党建动态&page=2`, `show.asp?lm=党建动态&id=123`): a browser sends them percent-encoded
  in GBK (`lm=%B5%B3%BD%A8%B6%AF%CC%AC`); the UTF-8 encoding names no column (404 "栏目不存在"); the list
  rows are protocol-relative `//host:port/show.asp?...` links.
- `form_post`: a Java (JSP) 组织部 site whose pager is `<a href="javascript:void(0);" onclick="goPage(2)">`:
  `goPage` sets the hidden `pageNo` of `<form id="pageForm" method="post" action="newsList.jsp?channelId=12">`
  and submits it (`pageNo=2&pageSize=6`); a GET of the list renders page 1 whatever its query says, a POST
  past the last page 暂无数据; articles `newsDetail.jsp?newsId=N&channelId=12`, relative.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date
from functools import cache
from urllib.parse import parse_qs, quote, unquote, urlencode

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
from demo.holdout import Trap, body_html, held_out_plan, holdout_plan, unique_ids
from demo.holdout2 import H2Kit, Holdout2Site, holdout2_plan, json_resource, number, query_of

HOLDOUT3_TITLES = {
    "onclick_detail": "石岗县委宣传部",
    "hanweb_proxy": "清河市委党校",
    "wp_rest": "长岭县委党校党建网",
    "nuxt_state": "滨江区机关党建",
    "gbk_query": "黄石乡党委",
    "form_post": "金川区委组织部",
}
HOLDOUT3_SITE_NAMES = tuple(HOLDOUT3_TITLES)
HOLDOUT3_COUNTS = {
    "onclick_detail": 16,
    "hanweb_proxy": 17,
    "wp_rest": 19,
    "nuxt_state": 17,
    "gbk_query": 14,
    "form_post": 17,
}
HOLDOUT3_WINDOW = (date(2021, 1, 4), date(2021, 6, 24))


@cache
def holdout3_plan() -> dict[str, list[Entry]]:
    """The stories of each site, newest first; no title repeats one of the other farms'."""
    return held_out_plan("holdout3", HOLDOUT3_COUNTS, HOLDOUT3_WINDOW,
                         (plan(), coverage_plan(), holdout_plan(), holdout2_plan()))[0]


class H3Kit(H2Kit):
    TAG = "holdout3"
    TITLES = HOLDOUT3_TITLES


def article_main(kit: H3Kit, entry: Entry, shown: str, editors: tuple[str, ...], crumb: str) -> str:
    return (
        f'<div class="crumb">当前位置：{crumb}</div>\n<div class="article">'
        f'<h1 class="title">{esc(entry.title)}</h1>\n'
        + (f'<h2 class="subtitle">{esc(entry.story.subtitle)}</h2>\n' if entry.story.subtitle else "")
        + f'<div class="info">发布时间：{shown}　来源：{esc(entry.source)}　作者：{esc(" ".join(entry.story.authors))}</div>\n'
        f'<div class="content">\n{body_html(entry.paragraphs)}\n</div>\n'
        f'<div class="editor">责任编辑：{esc(editors[0])}</div></div>'
    )


# --------------------------------------------------------------- 1. onclick calling an external function

COMMON_JS = """/* common.js */
function openDetail(year, md, id) {
  var url = '/dj/gzdt/' + year + md.substring(0, 2) + '/t' + year + md + '_' + id + '.html';
  window.open(url, '_blank');
}
function setHome(obj) { try { obj.style.behavior = 'url(#default#homepage)'; obj.setHomePage(location.href); } catch (e) {} }
"""


def onclick_detail(base_urls: Mapping[str, str]) -> Holdout2Site:
    kit = H3Kit("onclick_detail", base_urls, "/dj/nbzl/", Trap("/dj/rili.jsp?ym={y}{m}", "工作日历"))
    entries = holdout3_plan()[kit.name]
    column, category, per_page = "/dj/gzdt/", "工作动态", 6
    ids = unique_ids(kit.rng, len(entries), 10000, 99999)
    paths = [f"/dj/gzdt/{e.published:%Y%m}/t{e.published:%Y%m%d}_{n}.html" for e, n in zip(entries, ids, strict=True)]
    hidden = f"{kit.disallowed}t20210111_{kit.rng.randint(100000, 199999)}.html"
    groups = pages_of(list(range(len(entries))), per_page)
    list_paths = [f"{column}index.html"] + [f"{column}index_{n}.html" for n in range(1, len(groups))]

    def page(page_title: str, main: str) -> str:
        return (
            '<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
            f'<title>{esc(page_title)}</title>\n<link href="/css/style.css" rel="stylesheet">\n'
            '<script src="/js/common.js"></script>\n</head>\n<body>\n'
            f'<div class="top"><span>{kit.title}</span><a href="javascript:void(0);" onclick="setHome(this)">设为首页</a></div>\n'
            f'<div class="nav"><a href="/">首页</a><a href="{column}">{category}</a><a href="/dj/llxx/">理论学习</a>'
            '<a href="/dj/wmcj/">文明创建</a></div>\n'
            f'<div class="main">{main}</div>\n<div class="side">{kit.trap.link()}</div>\n'
            f'<div class="foot">{kit.friends()}<p>中共石岗县委宣传部 主办　石ICP备00000021号</p></div>\n</body></html>'
        )

    for entry, path in zip(entries, paths, strict=True):
        shown = f"{entry.published:%Y-%m-%d %H:%M}"
        editors = (person(kit.rng),)
        crumb = f'<a href="/">首页</a> &gt; <a href="{column}">{category}</a> &gt; 正文'
        kit.routes[path] = kit.html(page(f"{entry.title}_{kit.title}", article_main(kit, entry, shown, editors, crumb)))
        kit.expect(entry, path, category=category, published=shown, minute=True,
                   list_date=f"{entry.published:%Y-%m-%d}", editors=editors)
    kit.routes[hidden] = kit.html(page("内部资料", "<p>内部资料，请勿外传。</p>"))

    for n, members in enumerate(groups):
        rows = [f'<li><a href="javascript:void(0);" onclick="openDetail(\'{entries[i].published:%Y}\',\'{entries[i].published:%m%d}\','
                f'\'{ids[i]}\')" title="{esc(entries[i].title)}">{esc(entries[i].title)}</a>'
                f'<span class="date">{entries[i].published:%Y-%m-%d}</span></li>' for i in members]
        if n == 1:
            rows.insert(2, f'<li><a href="{hidden}" target="_blank">宣传部内部学习资料</a><span class="date">2021-01-11</span></li>')
        pager = [f"共{len(entries)}条　第{n + 1}/{len(groups)}页"]
        if n:
            pager += [f'<a href="{list_paths[0].rsplit("/", 1)[1]}">首页</a>',
                      f'<a href="{list_paths[n - 1].rsplit("/", 1)[1]}">上一页</a>']
        if n + 1 < len(groups):
            pager += [f'<a href="{list_paths[n + 1].rsplit("/", 1)[1]}">下一页</a>',
                      f'<a href="{list_paths[-1].rsplit("/", 1)[1]}">尾页</a>']
        main = (f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; {category}</div>\n'
                f'<ul class="list">\n' + "\n".join(rows) + f'\n</ul>\n<div class="page">{" ".join(pager)}</div>')
        if n == 0:
            kit.listing(column, kit.html(page(f"{category}_{kit.title}", main)), list_paths[0])
        else:
            kit.listing(list_paths[n], kit.html(page(f"{category}_{kit.title}", main)))
    kit.listing("/js/common.js", Resource(COMMON_JS.encode(), "application/javascript; charset=utf-8"))
    kit.routes["/"] = kit.html(page(kit.title, f'<a href="{column}">{category}</a>'))
    return kit.site((column,))


# ---------------------------------------------------------------------- 2. Hanweb datastore + dataproxy

HANWEB_PROXY = "/module/web/jpage/dataproxy.jsp"


def hanweb_proxy(base_urls: Mapping[str, str]) -> Holdout2Site:
    kit = H3Kit("hanweb_proxy", base_urls, "/module/nbzl/", Trap("/col/rili/index.jsp?ny={y}{m}", "校园日历"))
    entries = holdout3_plan()[kit.name]
    column_id, unit_id, category, per_page, group = "1234", "4567", "党校动态", 3, 2
    column = f"/col/col{column_id}/index.html"
    ids = unique_ids(kit.rng, len(entries), 100000, 999999)
    paths = [f"/art/{e.published.year}/{e.published.month}/{e.published.day}/art_{column_id}_{n}.html"
             for e, n in zip(entries, ids, strict=True)]
    hidden = f"{kit.disallowed}art_9999_{kit.rng.randint(1000, 9999)}.html"

    def page(page_title: str, main: str, scripts: str = "") -> str:
        return (
            '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n<html><head>\n'
            '<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />\n'
            f"<title>{esc(page_title)}</title>\n"
            '<script type="text/javascript" src="/module/jslib/jquery/jquery.js"></script>\n</head>\n<body>\n'
            f'<div class="head"><img src="/images/qh_banner.jpg" alt="{kit.title}" /></div>\n'
            f'<div class="nav"><a href="/index.html">首页</a><a href="{column}">{category}</a>'
            '<a href="/col/col1235/index.html">教学科研</a><a href="/col/col1236/index.html">通知公告</a></div>\n'
            f'<div class="main">{main}</div>\n<div class="rili">{kit.trap.link()}</div>\n'
            f'<div class="foot">{kit.friends()}<p>中共清河市委党校 版权所有</p></div>\n{scripts}</body></html>'
        )

    for entry, path in zip(entries, paths, strict=True):
        shown = f"{entry.published:%Y-%m-%d %H:%M}"
        editors = (person(kit.rng),)
        crumb = f'<a href="/index.html">首页</a> &gt; <a href="{column}">{category}</a>'
        kit.routes[path] = kit.html(page(f"{entry.title} {kit.title}", article_main(kit, entry, shown, editors, crumb)))
        kit.expect(entry, path, category=category, published=shown, minute=True,
                   list_date=f"{entry.published:%Y-%m-%d}", editors=editors)
    kit.routes[hidden] = kit.html(page("内部通知", "<p>内部通知，请登录后查看。</p>"))

    records = [f'<li><a href="{paths[i]}" target="_blank" title="{esc(entries[i].title)}">{esc(entries[i].title)}</a>'
               f'<span class="bt-data-time">{entries[i].published:%Y-%m-%d}</span></li>' for i in range(len(entries))]
    records.insert(8, f'<li><a href="{hidden}" target="_blank" title="校委内部工作通知">校委内部工作通知</a>'
                      '<span class="bt-data-time">2021-01-11</span></li>')
    first = per_page * group

    def recordset(chosen: list[str]) -> str:
        return "<recordset>\n" + "\n".join(f"<record><![CDATA[\n{r}\n]]></record>" for r in chosen) + "\n</recordset>"

    form = {"col": "1", "appid": "1", "webid": "1", "path": "/", "columnid": column_id, "sourceContentType": "1",
            "unitid": unit_id, "webname": kit.title, "permissiontype": "0"}

    def answer(target: str, body: bytes) -> Resource | None:
        path, query = query_of(target)
        if path != HANWEB_PROXY:
            return None
        posted = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items()}
        start, end = number(query.get("startrecord")), number(query.get("endrecord"))
        ok = posted.get("columnid") == column_id and posted.get("unitid") == unit_id and start and end and start <= end
        chosen = records[start - 1 : end] if ok else []
        total = len(records) if ok else 0
        text = ('<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n'
                f"<totalrecord>{total}</totalrecord>\n<totalpage>{-(-total // per_page)}</totalpage>\n"
                + recordset(chosen) + "\n</datastore>")
        return Resource(text.encode(), "text/xml;charset=UTF-8")

    def refuse(target: str) -> Resource | None:
        if query_of(target)[0] == HANWEB_PROXY:
            return Resource(b"<h1>HTTP Status 405 - Request method 'GET' not supported</h1>", "text/html", 405)
        return None

    nextgroup = f'{HANWEB_PROXY}?page=1&{urlencode({k: form[k] for k in ("webid", "path", "columnid", "unitid", "webname", "permissiontype")})}'
    main = (
        f'<div class="crumb">当前位置：<a href="/index.html">首页</a> &gt; {category}</div>\n'
        f'<div class="list"><div id="{unit_id}"><script type="text/xml"><datastore>'
        f'<nextgroup><![CDATA[<a href="{esc(nextgroup)}"></a>]]></nextgroup>\n'
        + recordset(records[:first]) + "\n</datastore></script></div></div>"
    )
    scripts = (
        '<script language="javascript" src="/module/web/jpage/jpage.js"></script>\n'
        '<script type="text/javascript">\n$(document).ready(function () {\n'
        f"  $('#{unit_id}').jpage({{\n    dataStore: $('#{unit_id} script[type=\"text/xml\"]').text(),\n"
        f"    totalRecord: {len(records)}, perPage: {per_page}, groupSize: {group},\n"
        f"    proxyUrl: '{HANWEB_PROXY}',\n"
        f"    ajaxParam: {{ col: 1, appid: 1, webid: 1, path: '/', columnid: {column_id}, sourceContentType: 1,"
        f" unitid: {unit_id}, webname: '{kit.title}', permissiontype: 0 }},\n"
        "    dataBefore: '<ul class=\"bt-list\">', dataAfter: '</ul>',\n"
        "    barPosition: 'bottom', showMode: 'full', themeName: 'default'\n  });\n});\n</script>\n"
    )
    JPAGE_JS = ("/* jpage.js: paginate a datastore; later groups are POSTed for to proxyUrl with "
                "startrecord/endrecord/perpage in the query and ajaxParam in the body */\n"
                "(function ($) { $.fn.jpage = function (config) { /* minified */ }; })(jQuery);\n")
    kit.extra_listings.add(HANWEB_PROXY)
    kit.listing(column, kit.html(page(f"{category} {kit.title}", main, scripts)))
    kit.routes["/module/web/jpage/jpage.js"] = Resource(JPAGE_JS.encode(), "application/javascript")
    kit.routes["/module/jslib/jquery/jquery.js"] = Resource(b"/*! jQuery v1.7.2 jquery.com */", "application/javascript")
    kit.routes["/index.html"] = kit.html(page(kit.title, f'<a href="{column}">{category}</a>'))
    return kit.site((column,), post_handler=answer, dynamic=refuse)


# ------------------------------------------------------------------- 3. WordPress REST, paging in headers

WP_SCRIPT = """<script>
(function () {
  var api = document.querySelector('link[rel="alternate"][type="application/json"]').href;
  var page = 1, pages = 1, box = document.getElementById('posts'), more = document.getElementById('more');
  function load() {
    fetch(api + '&per_page=6&page=' + page).then(function (resp) {
      pages = parseInt(resp.headers.get('X-WP-TotalPages'), 10);
      return resp.json();
    }).then(function (posts) {
      posts.forEach(function (post) {
        box.insertAdjacentHTML('beforeend', '<article><h2><a href="' + post.link + '">' + post.title.rendered
          + '</a></h2><time>' + post.date.slice(0, 10) + '</time></article>');
      });
      page += 1;
      if (page > pages) { more.style.display = 'none'; }
    });
  }
  more.onclick = load;
  load();
})();
</script>"""


def wp_rest(base_urls: Mapping[str, str]) -> Holdout2Site:
    kit = H3Kit("wp_rest", base_urls, "/archives/draft/", Trap("/events/month/{y}-{m}/", "活动日历"))
    entries = holdout3_plan()[kit.name]
    start, category, api = "/category/news/", "党建动态", "/wp-json/wp/v2/posts"
    ids = unique_ids(kit.rng, len(entries), 100, 999)
    paths = [f"/archives/{n}" for n in ids]
    hidden = f"{kit.disallowed}{kit.rng.randint(1000, 1999)}"

    def page(page_title: str, main: str, head: str = "", scripts: str = "") -> str:
        return (
            '<!DOCTYPE html>\n<html lang="zh-Hans"><head><meta charset="UTF-8">\n'
            f"<title>{esc(page_title)}</title>\n"
            f'<link rel="https://api.w.org/" href="{kit.base}/wp-json/">\n{head}'
            '<link rel="stylesheet" href="/wp-content/themes/dangxiao/style.css">\n</head>\n'
            f'<body class="wp-site">\n<header class="site-header"><a class="site-title" href="/">{kit.title}</a>'
            f'<nav><a href="{start}">{category}</a><a href="/category/theory/">理论学习</a></nav></header>\n'
            f'<main class="site-main">{main}</main>\n<aside>{kit.trap.link()}</aside>\n'
            f'<footer>{kit.friends()}<p>长岭县委党校 · 自豪地采用WordPress</p></footer>\n{scripts}</body></html>'
        )

    posts = []
    for entry, path, n in zip(entries, paths, ids, strict=True):
        shown = f"{entry.published:%Y-%m-%d %H:%M}"
        editors = (person(kit.rng),)
        main = (
            f'<article id="post-{n}" class="post-{n} post type-post status-publish">\n'
            f'<header class="entry-header"><h1 class="entry-title">{esc(entry.title)}</h1>\n'
            + (f'<p class="entry-subtitle">{esc(entry.story.subtitle)}</p>\n' if entry.story.subtitle else "")
            + f'<div class="entry-meta"><time class="entry-date published" datetime="{entry.published:%Y-%m-%dT%H:%M:00+08:00}">'
            f'{shown}</time> 来源：{esc(entry.source)} 作者：{esc(" ".join(entry.story.authors))}</div></header>\n'
            f'<div class="entry-content">\n{body_html(entry.paragraphs)}\n</div>\n'
            f'<footer class="entry-footer">责任编辑：{esc(editors[0])}</footer></article>'
        )
        kit.routes[path] = kit.html(page(f"{entry.title} – {kit.title}", main))
        kit.expect(entry, path, category=category, published=shown, minute=True,
                   list_date=f"{entry.published:%Y-%m-%d}", editors=editors)
        posts.append({"id": n, "date": f"{entry.published:%Y-%m-%dT%H:%M:00}", "slug": f"post-{n}", "status": "publish",
                      "type": "post", "link": kit.base + path, "title": {"rendered": entry.title},
                      "excerpt": {"rendered": f"<p>{esc(entry.paragraphs[0][:50])}…</p>"}, "categories": [7]})
    kit.routes[hidden] = kit.html(page("草稿 – 预览", "<p>草稿预览。</p>"))
    posts.insert(5, {"id": 1, "date": "2021-01-11T09:00:00", "slug": "draft", "status": "publish", "type": "post",
                     "link": kit.base + hidden, "title": {"rendered": "校委会内部学习材料（草稿）"},
                     "excerpt": {"rendered": ""}, "categories": [7]})
    posts.insert(13, {"id": 2, "date": "2021-03-15T10:00:00", "slug": "repost", "status": "publish", "type": "post",
                      "link": f"{PUBLIC_HOSTS[0]}djgz/2021-03/15/content_7712.htm",
                      "title": {"rendered": "【转载】全省党校系统工作会议召开"}, "excerpt": {"rendered": ""},
                      "categories": [7]})

    def dynamic(target: str) -> Resource | None:
        path, query = query_of(target)
        if path != api:
            return None
        size, current = number(query.get("per_page"), 10), number(query.get("page"))
        chosen = posts if query.get("categories", "7") == "7" else []
        if size is None or not 1 <= size <= 100 or current is None or current < 1:
            return json_resource({"code": "rest_invalid_param", "message": "无效参数", "data": {"status": 400}}, status=400)
        pages = max(1, -(-len(chosen) // size))
        if current > pages:
            return json_resource({"code": "rest_post_invalid_page_number", "message": "请求的页码大于总页数。",
                                  "data": {"status": 400}}, status=400)
        links = []
        here = {k: v for k, v in query.items() if k != "page"}
        if current > 1:
            links.append(f'<{kit.base}{api}?{urlencode({**here, "page": current - 1})}>; rel="prev"')
        if current < pages:
            links.append(f'<{kit.base}{api}?{urlencode({**here, "page": current + 1})}>; rel="next"')
        headers = (("X-WP-Total", str(len(chosen))), ("X-WP-TotalPages", str(pages)),
                   *((("Link", ", ".join(links)),) if links else ()))
        body = json.dumps(chosen[(current - 1) * size : current * size], ensure_ascii=False).encode()
        return Resource(body, "application/json; charset=UTF-8", 200, headers)

    kit.extra_listings.add(api)
    head = f'<link rel="alternate" type="application/json" href="{kit.base}{api}?categories=7">\n'
    main = (f'<header class="page-header"><h1 class="page-title">分类：{category}</h1></header>\n'
            '<div id="posts" class="posts"></div>\n<button id="more" type="button">加载更多</button>')
    kit.listing(start, kit.html(page(f"{category} – {kit.title}", main, head, WP_SCRIPT + "\n")))
    kit.routes["/"] = kit.html(page(kit.title, f'<a href="{start}">{category}</a>'))
    return kit.site((start,), dynamic=dynamic)


# ------------------------------------------------------------------------------- 4. Nuxt __NUXT__ state

NUXT_CHUNK = """(window.webpackJsonp=window.webpackJsonp||[]).push([[7],{"3Kf1":function(t,e,n){"use strict";n.r(e);
var r={name:"NewsList",watchQuery:["page"],asyncData:function(t){var e=t.$axios,n=t.query;return e.$get("/prod-api/portal/news/list",{params:{channelId:12,pageNum:n.page||1,pageSize:6}}).then(function(t){return{list:t.rows,total:t.total,pageNum:Number(n.page||1),pageSize:6}})},
methods:{goDetail:function(t){t.isLink?window.open(t.linkUrl):this.$router.push("/news/detail/"+t.id)},handleCurrentChange:function(t){this.$router.push({path:"/news",query:{page:t}})}}};
e.default=r}}]);
"""


def nuxt_state(base_urls: Mapping[str, str]) -> Holdout2Site:
    kit = H3Kit("nuxt_state", base_urls, "/news/preview/", Trap("/activity/calendar?month={y}-{m}", "活动日历"))
    entries = holdout3_plan()[kit.name]
    start, category, size, api = "/news", "党建动态", 6, "/prod-api/portal/news/list"
    ids = unique_ids(kit.rng, len(entries), 1000, 9999)
    paths = [f"/news/detail/{n}" for n in ids]
    hidden = f"{kit.disallowed}{kit.rng.randint(10000, 19999)}"

    def page(page_title: str, app: str, state: str) -> str:
        return (
            '<!doctype html>\n<html data-n-head-ssr lang="zh-CN" data-n-head="%7B%22lang%22:%7B%22ssr%22:%22zh-CN%22%7D%7D">'
            f'<head><meta data-n-head="ssr" charset="utf-8"><title>{esc(page_title)}</title>'
            '<link rel="preload" href="/_nuxt/runtime.5a1c.js" as="script"><link rel="preload" href="/_nuxt/pages/news/index.3f2a.js" as="script">'
            '<link rel="stylesheet" href="/_nuxt/css/app.9e1b.css"></head>\n<body>\n'
            f'<div data-server-rendered="true" id="__nuxt"><div id="__layout"><div class="layout">'
            f'<div class="header" data-v-2b1e><span class="logo" data-v-2b1e>{kit.title}</span>'
            f'<a href="/" class="nuxt-link-active" data-v-2b1e>首页</a><a href="{start}" data-v-2b1e>{category}</a></div>\n'
            f'<div class="container" data-v-3a1f>{app}</div>\n'
            f'<div class="footer" data-v-2b1e>{kit.trap.link()}{kit.friends()}<p>中共滨江区直属机关工作委员会</p></div>'
            f"</div></div></div>\n<script>window.__NUXT__={state};</script>"
            '<script src="/_nuxt/runtime.5a1c.js" defer></script><script src="/_nuxt/pages/news/index.3f2a.js" defer></script>'
            "</body></html>"
        )

    def slash(text: str) -> str:
        return text.replace("/", "\\u002F")

    def state_of(data: str, route: str, params: str, args: str) -> str:
        return (f"(function({params}){{return {{layout:\"default\",data:[{data}],fetch:{{}},error:null,"
                f"serverRendered:true,routePath:\"{slash(route)}\",config:{{_app:{{basePath:\"\\u002F\","
                f"assetsPath:\"\\u002F_nuxt\\u002F\",cdnURL:null}}}}}}}}({args}))")

    rows = []
    for entry, path, n in zip(entries, paths, ids, strict=True):
        shown = f"{entry.published:%Y-%m-%d %H:%M}"
        editors = (person(kit.rng),)
        app = (
            f'<div class="detail" data-v-4c2d><div class="crumb" data-v-4c2d><a href="/" data-v-4c2d>首页</a> / '
            f'<a href="{start}" data-v-4c2d>{category}</a></div>'
            f'<h1 class="detail-title" data-v-4c2d>{esc(entry.title)}</h1>'
            + (f'<h3 class="detail-sub" data-v-4c2d>{esc(entry.story.subtitle)}</h3>' if entry.story.subtitle else "")
            + f'<div class="detail-info" data-v-4c2d><span data-v-4c2d>发布时间：{shown}</span><span data-v-4c2d>来源：'
            f'{esc(entry.source)}</span><span data-v-4c2d>作者：{esc(" ".join(entry.story.authors))}</span></div>'
            f'<div class="detail-content ql-editor" data-v-4c2d>\n{body_html(entry.paragraphs)}\n</div>'
            f'<div class="detail-editor" data-v-4c2d>责任编辑：{esc(editors[0])}</div></div>'
        )
        state = state_of(f"{{detail:{{id:{n},title:{json.dumps(entry.title, ensure_ascii=False)},channelId:a}}}}",
                         path, "a", "12")
        kit.routes[path] = kit.html(page(f"{entry.title}-{kit.title}", app, state))
        kit.expect(entry, path, category=category, published=shown, minute=True,
                   list_date=f"{entry.published:%Y-%m-%d}", editors=editors)
        rows.append({"id": n, "title": entry.title, "publishTime": f"{entry.published:%Y-%m-%d %H:%M:%S}",
                     "isLink": 0, "linkUrl": ""})
    kit.routes[hidden] = kit.html(page("预览", "<p>稿件预览。</p>", state_of("{}", hidden, "a", "0")))
    rows.insert(3, {"id": 1, "title": "机关党委内部工作提示（预览）", "publishTime": "2021-01-11 09:00:00",
                    "isLink": 1, "linkUrl": hidden})
    rows.insert(10, {"id": 2, "title": "【转载】全市机关党建工作推进会召开", "publishTime": "2021-04-08 10:00:00",
                     "isLink": 1, "linkUrl": f"{PUBLIC_HOSTS[0]}djgz/2021-04/08/content_8120.htm"})
    pages = -(-len(rows) // size)

    def list_page(n: int) -> Resource:
        chosen = rows[(n - 1) * size : n * size]
        items = "".join(
            f'<div class="news-item" data-v-3a1f><div class="news-title" data-v-3a1f>{esc(r["title"])}</div>'
            f'<div class="news-date" data-v-3a1f>{r["publishTime"][:10]}</div></div>' for r in chosen)
        pager = "".join(f'<li class="number{" active" if k == n else ""}">{k}</li>' for k in range(1, pages + 1))
        app = (f'<div class="news" data-v-3a1f><h2 class="col-title" data-v-3a1f>{category}</h2>'
               f'<div class="news-list" data-v-3a1f>{items}</div>'
               f'<div class="el-pagination is-background" data-v-3a1f><span class="el-pagination__total">共 {len(rows)} 条</span>'
               f'<button type="button" class="btn-prev"{" disabled" if n == 1 else ""}><i class="el-icon el-icon-arrow-left"></i></button>'
               f'<ul class="el-pager">{pager}</ul>'
               f'<button type="button" class="btn-next"{" disabled" if n == pages else ""}><i class="el-icon el-icon-arrow-right"></i></button>'
               "</div></div>")
        listed = ",".join(
            "{id:%d,title:%s,publishTime:%s,isLink:%s,linkUrl:%s,channelId:a}" % (  # noqa: UP031
                r["id"], json.dumps(r["title"], ensure_ascii=False), json.dumps(r["publishTime"]),
                "b" if r["isLink"] else "c", f'"{slash(r["linkUrl"])}"' if r["linkUrl"] else "d")
            for r in chosen)
        state = state_of(f"{{list:[{listed}],total:{len(rows)},pageNum:{n},pageSize:{size}}}",
                         start if n == 1 else f"{start}?page={n}", "a,b,c,d", '12,1,0,""')
        return kit.html(page(f"{category}-{kit.title}", app, state))

    def dynamic(target: str) -> Resource | None:
        path, query = query_of(target)
        if path == start and set(query) == {"page"}:
            n = number(query["page"])
            return list_page(n) if n and 1 <= n <= pages else None
        if path == api:
            n, want = number(query.get("pageNum")), number(query.get("pageSize"), 10)
            if not n or not want or n < 1 or not 1 <= want <= 50:
                return json_resource({"code": 500, "msg": "参数错误"})
            chosen = rows[(n - 1) * want : n * want] if query.get("channelId") == "12" else []
            return json_resource({"code": 200, "msg": "查询成功", "rows": chosen, "total": len(rows)})
        return None

    kit.listing(start, list_page(1))
    for n in range(2, pages + 1):
        kit.listings.add(f"{start}?page={n}")
    kit.extra_listings.add(api)
    kit.listing("/_nuxt/pages/news/index.3f2a.js", Resource(NUXT_CHUNK.encode(), "application/javascript; charset=utf-8"))
    kit.routes["/_nuxt/runtime.5a1c.js"] = Resource(b"!function(e){/* webpack runtime */}([]);", "application/javascript")
    kit.routes["/"] = kit.html(page(kit.title, f'<a href="{start}">{category}</a>', state_of("{}", "/", "a", "0")))
    return kit.site((start,), dynamic=dynamic)


# ----------------------------------------------------------------------- 5. GBK raw Chinese query values

GBK_COLUMN = "党建动态"


def gbk_quoted(text: str) -> str:
    """How a browser sends a query value of a GBK page: percent-encoded GBK bytes."""
    return quote(text, encoding="gbk")


def gbk_key(text: str) -> str:
    """What the farm server's `unquote` (UTF-8) makes of a GBK-encoded value: the key it is looked up by."""
    return unquote(gbk_quoted(text))


def gbk_query(base_urls: Mapping[str, str]) -> Holdout2Site:
    kit = H3Kit("gbk_query", base_urls, "/nbtz/", Trap("/rili.asp?ny={y}{m}", "工作日历"), charset="gbk")
    entries = holdout3_plan()[kit.name]
    category, per_page = GBK_COLUMN, 5
    host = kit.base.split("://", 1)[1]
    ids = unique_ids(kit.rng, len(entries), 100, 999)
    raw = [f"/show.asp?lm={category}&id={n}" for n in ids]  # as the hrefs print them
    paths = [f"/show.asp?lm={gbk_quoted(category)}&id={n}" for n in ids]  # as a browser requests them
    hidden = f"{kit.disallowed}show.asp?id={kit.rng.randint(1000, 1999)}"
    groups = pages_of(list(range(len(entries))), per_page)
    list_raw = [f"/list.asp?lm={category}"] + [f"/list.asp?lm={category}&page={n}" for n in range(2, len(groups) + 1)]

    def page(page_title: str, main: str) -> str:
        return (
            '<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset=gb2312">\n'
            f"<title>{esc(page_title)}</title>\n<link href=\"/css.css\" rel=\"stylesheet\" type=\"text/css\">\n</head>\n"
            '<body topmargin="0" leftmargin="0">\n'
            f'<table width="980" align="center"><tr><td class="banner">{kit.title}</td></tr>\n'
            f'<tr><td class="nav"><a href="/index.asp">首页</a> | <a href="{list_raw[0]}">{category}</a> | '
            '<a href="/list.asp?lm=通知公告">通知公告</a> | <a href="/list.asp?lm=村务公开">村务公开</a></td></tr>\n'
            f'<tr><td class="main">{main}</td></tr>\n<tr><td class="rili">{kit.trap.link()}</td></tr>\n'
            f'<tr><td class="foot">{kit.friends()}中共黄石乡委员会 主办</td></tr></table>\n</body>\n</html>'
        )

    articles: dict[int, Resource] = {}
    for entry, path, n in zip(entries, paths, ids, strict=True):
        shown = f"{entry.published.year}-{entry.published.month}-{entry.published.day} {entry.published:%H:%M:%S}"
        editors = (person(kit.rng),)
        crumb = f'<a href="/index.asp">首页</a> &gt;&gt; <a href="{list_raw[0]}">{category}</a>'
        articles[n] = kit.html(page(f"{entry.title}--{kit.title}", article_main(kit, entry, shown, editors, crumb)))
        swapped = f"/show.asp?id={n}&lm={gbk_quoted(category)}"  # ASP reads its parameters in any order
        kit.aliases[unquote(swapped)] = unquote(path)
        kit.expect(entry, path, category=category, published=shown, minute=True,
                   list_date=f"{entry.published.year}-{entry.published.month}-{entry.published.day}", editors=editors,
                   aliases=(swapped,))
    kit.routes[hidden] = kit.html(page("内部通知", "<p>内部通知。</p>"))

    lists: dict[int, Resource] = {}
    for n, members in enumerate(groups, start=1):
        rows = [f'<tr><td width="20">·</td><td><a href="//{host}{raw[i]}" target="_blank">{esc(entries[i].title)}</a></td>'
                f'<td width="90">{entries[i].published.year}-{entries[i].published.month}-{entries[i].published.day}</td></tr>'
                for i in members]
        if n == 2:
            rows.insert(1, f'<tr><td>·</td><td><a href="{hidden}" target="_blank">乡党委内部工作通知</a></td>'
                           '<td>2021-1-11</td></tr>')
        pager = [f"共{len(entries)}条记录 页次：{n}/{len(groups)}页"]
        pager += [f'<a href="{list_raw[0]}">首页</a>', f'<a href="{list_raw[n - 2]}">上一页</a>'] if n > 1 else ["首页 上一页"]
        pager += ([f'<a href="{list_raw[n]}">下一页</a>', f'<a href="{list_raw[-1]}">尾页</a>'] if n < len(groups)
                  else ["下一页 尾页"])
        main = (f'<div class="weizhi">您现在的位置：<a href="/index.asp">首页</a> &gt;&gt; {category}</div>\n'
                f'<table width="100%" class="list">\n' + "\n".join(rows) + f'\n</table>\n<div class="page">{" ".join(pager)}</div>')
        lists[n] = kit.html(page(f"{category}--{kit.title}", main))
        kit.listings.add(unquote(f"/list.asp?lm={gbk_quoted(category)}" + (f"&page={n}" if n > 1 else "")))

    missing = Resource(kit.html(page("错误", "<p>栏目不存在或已删除！</p>")).body, "text/html", 404)

    def dynamic(target: str) -> Resource | None:
        path, query = query_of(target)
        if path not in ("/list.asp", "/show.asp"):
            return None
        if query.get("lm") != gbk_key(category):
            return missing
        if path == "/list.asp":
            n = number(query.get("page"))
            return lists.get(n) if n else None
        return articles.get(number(query.get("id"), 0) or 0) or missing

    kit.routes["/index.asp"] = kit.html(page(kit.title, f'<a href="{list_raw[0]}">{category}</a>'))
    return kit.site((f"/list.asp?lm={gbk_quoted(category)}",), dynamic=dynamic)


# ------------------------------------------------------------------------ 6. a pager that POSTs a form

FORM_SCRIPT = """<script type="text/javascript">
function goPage(pageNo) {
  var form = document.getElementById('pageForm');
  document.getElementById('pageNo').value = pageNo;
  form.submit();
}
function jumpPage() {
  var n = parseInt(document.getElementById('jumpNo').value, 10);
  if (n > 0) { goPage(n); }
}
</script>"""


def form_post(base_urls: Mapping[str, str]) -> Holdout2Site:
    kit = H3Kit("form_post", base_urls, "/jsp/inner/", Trap("/jsp/rili.jsp?month={y}-{m}", "工作日程"))
    entries = holdout3_plan()[kit.name]
    column, category, per_page = "/jsp/news/newsList.jsp?channelId=12", "组织工作", 6
    ids = unique_ids(kit.rng, len(entries), 10000, 99999)
    paths = [f"/jsp/news/newsDetail.jsp?newsId={n}&channelId=12" for n in ids]
    hidden = f"{kit.disallowed}newsDetail.jsp?newsId={kit.rng.randint(100000, 199999)}"
    groups = pages_of(list(range(len(entries))), per_page)

    def page(page_title: str, main: str, scripts: str = "") -> str:
        return (
            '<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8">\n'
            f'<title>{esc(page_title)}</title>\n<link rel="stylesheet" href="/static/css/common.css">\n</head>\n<body>\n'
            f'<div class="header"><h1>{kit.title}</h1></div>\n'
            f'<div class="menu"><a href="/index.jsp">首页</a><a href="{esc(column)}">{category}</a>'
            '<a href="/jsp/news/newsList.jsp?channelId=13">干部工作</a><a href="/jsp/news/newsList.jsp?channelId=14">人才工作</a></div>\n'
            f'<div class="body">{main}</div>\n<div class="calendar">{kit.trap.link()}</div>\n'
            f'<div class="footer">{kit.friends()}<p>中共金川区委组织部 主办</p></div>\n{scripts}</body></html>'
        )

    for entry, path in zip(entries, paths, strict=True):
        shown = f"{entry.published:%Y-%m-%d %H:%M}"
        editors = (person(kit.rng),)
        crumb = f'<a href="/index.jsp">首页</a> &gt; <a href="{esc(column)}">{category}</a>'
        swapped = f"/jsp/news/newsDetail.jsp?channelId=12&newsId={path.split('newsId=')[1].split('&')[0]}"
        kit.routes[path] = kit.routes[swapped] = kit.html(page(f"{entry.title}-{kit.title}",
                                                               article_main(kit, entry, shown, editors, crumb)))
        kit.aliases[swapped] = path  # the JSP reads its parameters in any order
        kit.expect(entry, path, category=category, published=shown, minute=True,
                   list_date=f"{entry.published:%Y-%m-%d}", editors=editors, aliases=(swapped,))
    kit.routes[hidden] = kit.html(page("内部通知", "<p>内部通知，请登录。</p>"))

    def list_page(n: int) -> Resource:
        members = groups[n - 1] if 1 <= n <= len(groups) else []
        rows = [f'<li><a href="{esc(paths[i].rsplit("/", 1)[1])}" target="_blank">{esc(entries[i].title)}</a>'
                f'<span class="date">{entries[i].published:%Y-%m-%d}</span></li>' for i in members]
        if n == 2:
            rows.insert(2, f'<li><a href="{esc("../inner/" + hidden.rsplit("/", 1)[1])}" target="_blank">组织部内部工作通知</a>'
                           '<span class="date">2021-01-11</span></li>')
        count = len(groups)

        def go(to: int, label: str, enabled: bool) -> str:
            return (f'<a href="javascript:void(0);" onclick="goPage({to})">{label}</a>' if enabled
                    else f'<span class="disabled">{label}</span>')

        pager = [f"共{len(entries)}条 共{count}页 当前第{min(n, count)}页", go(1, "首页", n > 1), go(n - 1, "上一页", n > 1)]
        pager += [f'<span class="current">{k}</span>' if k == n else go(k, str(k), True) for k in range(1, count + 1)]
        pager += [go(n + 1, "下一页", n < count), go(count, "末页", n < count),
                  '转到<input type="text" id="jumpNo" size="2">页 <a href="javascript:void(0);" onclick="jumpPage()">GO</a>']
        main = (
            f'<div class="crumb">当前位置：<a href="/index.jsp">首页</a> &gt; {category}</div>\n'
            f'<ul class="news-list">\n' + ("\n".join(rows) or '<li class="empty">暂无数据</li>') + "\n</ul>\n"
            f'<form id="pageForm" name="pageForm" method="post" action="{esc(column.rsplit("/", 1)[1])}">\n'
            f'<input type="hidden" name="pageNo" id="pageNo" value="{n}">\n'
            f'<input type="hidden" name="pageSize" value="{per_page}">\n</form>\n'
            f'<div class="pagination">{" ".join(pager)}</div>'
        )
        return kit.html(page(f"{category}-{kit.title}", main, FORM_SCRIPT + "\n"))

    def answer(target: str, body: bytes) -> Resource | None:
        if target != column:
            return None
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items()}
        wanted = number(form.get("pageNo"))
        return list_page(wanted if wanted is not None and form.get("pageSize", str(per_page)) == str(per_page) else 1)

    def first_page(target: str) -> Resource | None:  # the GET mapping renders page 1 whatever the query says
        path, query = query_of(target)
        if path == column.split("?")[0] and query.get("channelId") == "12":
            return list_page(1)
        return None

    kit.listing(column, list_page(1))
    kit.routes["/index.jsp"] = kit.html(page(kit.title, f'<a href="{esc(column)}">{category}</a>'))
    return kit.site((column,), post_handler=answer, dynamic=first_page)


HOLDOUT3_BUILDERS: dict[str, Callable[[Mapping[str, str]], Holdout2Site]] = {
    "onclick_detail": onclick_detail,
    "hanweb_proxy": hanweb_proxy,
    "wp_rest": wp_rest,
    "nuxt_state": nuxt_state,
    "gbk_query": gbk_query,
    "form_post": form_post,
}
