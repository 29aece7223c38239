"""The second held-out farm: six synthetic sites in conventions none of demo/farm.py, demo/coverage.py and
demo/holdout.py uses.

Like demo/holdout.py they exist to measure, not to tune: the first held-out farm has since been tuned on,
so these sites ask the same questions (find every article once, nothing else, never a robots path, a trap
or another host) of conventions the crawler has not seen. Built the same way (fixed seeds, text from
demo/text.py, `ExpectedArticle` ground truth, a robots.txt Disallow path holding one linked article-looking
page, an endless by-month page, links to peers and public hosts); every article is a server-rendered HTML
page answering a plain GET:
- `aspnet_postback`: ASP.NET WebForms; the list pages only through `javascript:__doPostBack('ctl00$Main$Pager',
  'N')` links: the browser POSTs the form (`__VIEWSTATE`, `__EVENTTARGET`, `__EVENTARGUMENT`, ...) back to the
  same `NewsList.aspx?ClassID=12`, which answers page N (a POST without a served view state is a 500, a page
  past the last an empty list); articles `NewsDetail.aspx?NewsID=N`, relative; dates as `2021/5/3`.
- `jsonp_list`: an empty `<ul>` and a linked script calling `$.getJSON('/api/news.jsp?callback=?&col=12&page=N')`;
  the JSP echoes whatever callback it is given (`cb({...})`, `null({...})` without one); records
  `{id, title, pubDate, link}` whose URL a function in the script builds (`'/content/' + id + '.shtml'`
  unless `link` is set: one off-site, one under the robots path); pages past the last answer an empty list.
- `cursor_api`: a 融媒体 page whose inline script `fetch`es `/api/v2/articles?channel=dangjian`, then
  `&cursor=<opaque url-safe base64>` from `next_cursor` (null at the end) on each 加载更多 click; a forged
  cursor is a 400; item URLs `/news/YYYY/MM/DD/<hex>.html`, one off-site, one under the robots path.
- `ajax_fragment`: a town committee's column renders its first rows; 加载更多 is `<a href="javascript:;"
  data-url="/dangjian/dwdt/ajax_list?p=2">`, a linked jQuery handler appends the HTML FRAGMENT that URL
  answers (`<li>` rows plus a `<div class="next-page" data-url=...>` naming the next one, absent on the last);
  past the last `p` the fragment is empty.
- `xslt_list`: the column URL `/dj/gzdt/` answers `application/xml` with `<?xml-stylesheet type="text/xsl"
  href="/dj/xsl/list.xsl"?>`: `<document><channel><item><title/><link/><pubdate/></item>...</channel>
  <pager>` (not RSS, no HTML list anywhere); the XSL draws the page, its pager (`index_2.xml`), the calendar
  and the friend links.
- `base_href`: a 大汉-like city site whose list and article pages carry `<base href="/site/dj/">`: every relative
  link (`art/2021/6/3/art_1021_45678.html`, `col/dangjianyaowen/index_2.HTM`) resolves against it, not against
  the page (`/site/dj/col/dangjianyaowen/index.HTM`), where it would 404; pinyin column paths with upper-case
  `.HTM`; link texts cut with `...` (the full title in `title=`), dates in their own `<td>`.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape as xml_escape

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
from demo.holdout import HKit, HoldoutSite, Trap, body_html, held_out_plan, holdout_plan, unique_ids

HOLDOUT2_TITLES = {
    "aspnet_postback": "云川区直属机关工作委员会",
    "jsonp_list": "东川县委组织部",
    "cursor_api": "北湖区融媒体中心",
    "ajax_fragment": "南溪镇党委",
    "xslt_list": "西岭市档案局机关党委",
    "base_href": "临川市党建网",
}
HOLDOUT2_SITE_NAMES = tuple(HOLDOUT2_TITLES)
HOLDOUT2_COUNTS = {
    "aspnet_postback": 16,
    "jsonp_list": 17,
    "cursor_api": 17,
    "ajax_fragment": 19,
    "xslt_list": 14,
    "base_href": 15,
}
HOLDOUT2_WINDOW = (date(2020, 12, 1), date(2021, 6, 22))


@cache
def holdout2_plan() -> dict[str, list[Entry]]:
    """The stories of each site, newest first; no title repeats one of the other farms'."""
    return held_out_plan("holdout2", HOLDOUT2_COUNTS, HOLDOUT2_WINDOW,
                         (plan(), coverage_plan(), holdout_plan()))[0]


# ---------------------------------------------------------------------------------------------- the kit


@dataclass
class Holdout2Site(HoldoutSite):
    """A held-out site that may also answer GETs computed from the query (`dynamic(target)`): callbacks, cursors."""

    dynamic: Callable[[str], Resource | None] | None = None

    def resource(self, target: str) -> Resource | None:
        found = self.routes.get(target)
        if found is None and self.dynamic is not None:
            found = self.dynamic(target)
        return found if found is not None else (self.endless(target) if self.endless else None)


@dataclass
class H2Kit(HKit):
    TAG = "holdout2"
    TITLES = HOLDOUT2_TITLES
    LINKS_CLASS = "links"

    extra_listings: set[str] = field(default_factory=set)

    def site(self, start_paths: tuple[str, ...], robots_text: str | None = None, **extra) -> Holdout2Site:
        text = robots_text or f"User-agent: *\nDisallow: {self.disallowed}\n"
        self.routes["/robots.txt"] = Resource(text.encode(), "text/plain; charset=utf-8")
        return Holdout2Site(self.name, self.title, start_paths, self.disallowed, self.routes, self.truth,
                            trap_prefix=self.trap.prefix, endless=self.trap,
                            listings=frozenset(self.listings | self.extra_listings), aliases=self.aliases, **extra)


def query_of(target: str) -> tuple[str, dict[str, str]]:
    """(path, first value of each query parameter) of a percent-decoded target."""
    parts = urlsplit(target)
    return parts.path, {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}


def number(text: str | None, default: int = 1) -> int | None:
    try:
        return int(text) if text not in (None, "") else default
    except ValueError:
        return None


def json_resource(data, content_type: str = "application/json;charset=UTF-8", status: int = 200) -> Resource:
    return Resource(json.dumps(data, ensure_ascii=False).encode(), content_type, status)


# ------------------------------------------------------------------------- 1. ASP.NET WebForms postback

POSTBACK_SCRIPT = """<script type="text/javascript">
//<![CDATA[
var theForm = document.forms['aspnetForm'];
if (!theForm) {
    theForm = document.aspnetForm;
}
function __doPostBack(eventTarget, eventArgument) {
    if (!theForm.onsubmit || (theForm.onsubmit() != false)) {
        theForm.__EVENTTARGET.value = eventTarget;
        theForm.__EVENTARGUMENT.value = eventArgument;
        theForm.submit();
    }
}
//]]>
</script>"""
PAGER_ID = "ctl00$Main$Pager"


def aspnet_postback(base_urls: Mapping[str, str]) -> Holdout2Site:
    kit = H2Kit("aspnet_postback", base_urls, "/News/Inner/", Trap("/News/Calendar.aspx?ym={y}{m}", "工作日程"))
    entries = holdout2_plan()[kit.name]
    column, category, per_page = "/News/NewsList.aspx?ClassID=12", "机关党建", 5
    news_ids = unique_ids(kit.rng, len(entries), 1000, 9999)
    paths = [f"/News/NewsDetail.aspx?NewsID={n}" for n in news_ids]
    hidden = f"{kit.disallowed}NewsDetail.aspx?NewsID={kit.rng.randint(10000, 10999)}"
    groups = pages_of(list(range(len(entries))), per_page)

    def viewstate(tag: str) -> str:
        return base64.b64encode(f"/wEPDwUKLTM4NjE5MjQ1Ng9kFgJmD2QWAgIDD2QWAgIBDxYCHgtfIUl0ZW1Db3VudAIFZGQ{tag}"
                                .encode()).decode()

    served_states = {viewstate(f"p{n}") for n in range(0, len(groups) + 1)}

    def page(page_title: str, action: str, main: str, state: str) -> str:
        return (
            '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
            '<html xmlns="http://www.w3.org/1999/xhtml">\n<head><meta http-equiv="Content-Type" '
            f'content="text/html; charset=utf-8" /><title>\n\t{esc(page_title)}\n</title>'
            '<link href="../App_Themes/Default/style.css" type="text/css" rel="stylesheet" /></head>\n<body>\n'
            f'<form name="aspnetForm" method="post" action="{esc(action)}" id="aspnetForm">\n<div>\n'
            '<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />\n'
            '<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />\n'
            f'<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{state}" />\n</div>\n'
            f"{POSTBACK_SCRIPT}\n"
            '<div>\n<input type="hidden" name="__VIEWSTATEGENERATOR" id="__VIEWSTATEGENERATOR" value="5F1A2B3C" />\n'
            '<input type="hidden" name="__EVENTVALIDATION" id="__EVENTVALIDATION" '
            f'value="{base64.b64encode(b"/wEdAAVk7Xq" + state[-6:].encode()).decode()}" />\n</div>\n'
            f'<div id="header"><img src="../images/banner.jpg" alt="{kit.title}" /></div>\n'
            '<div id="nav"><a href="../Default.aspx">首页</a> | '
            f'<a href="NewsList.aspx?ClassID=12">{category}</a> | <a href="NewsList.aspx?ClassID=13">通知公告</a> | '
            '<a href="NewsList.aspx?ClassID=14">理论学习</a> | '
            '<a href="javascript:__doPostBack(\'ctl00$Header$lbtnLogin\',\'\')">登录</a></div>\n'
            f'<div id="main">{main}</div>\n'
            f'<div id="side">{kit.trap.link()}</div>\n{kit.friends()}\n'
            f'<div id="footer">主办：{kit.title} &nbsp; 云ICP备00000011号</div>\n</form>\n</body>\n</html>'
        )

    for entry, path in zip(entries, paths, strict=True):
        shown = f"{entry.published.year}/{entry.published.month}/{entry.published.day} {entry.published:%H:%M:%S}"
        editors = (person(kit.rng),)
        main = (
            f'<div class="position">当前位置：<a href="../Default.aspx">首页</a> &gt;&gt; '
            f'<a href="NewsList.aspx?ClassID=12">{category}</a></div>\n<div class="detail">'
            f'<h1><span id="ctl00_Main_lblTitle">{esc(entry.title)}</span></h1>\n'
            + (f'<h3><span id="ctl00_Main_lblSubTitle">{esc(entry.story.subtitle)}</span></h3>\n'
               if entry.story.subtitle else "")
            + f'<div class="info">发布时间：<span id="ctl00_Main_lblTime">{shown}</span> &nbsp; '
            f'来源：<span id="ctl00_Main_lblSource">{esc(entry.source)}</span> &nbsp; '
            f'作者：<span id="ctl00_Main_lblAuthor">{esc(" ".join(entry.story.authors))}</span> &nbsp; '
            f'阅读：<span id="ctl00_Main_lblHits">{kit.rng.randint(30, 900)}</span>次</div>\n'
            f'<div id="ctl00_Main_divContent" class="content">\n{body_html(entry.paragraphs)}\n</div>\n'
            f'<div class="editor">【责任编辑：<span id="ctl00_Main_lblEditor">{esc(editors[0])}</span>】</div>\n'
            '<div class="tools"><a href="javascript:window.print()">打印本页</a> '
            '<a href="javascript:window.close()">关闭窗口</a></div></div>'
        )
        kit.routes[path] = kit.html(page(f"{entry.title}-{kit.title}", path.rsplit("/", 1)[1], main, viewstate("d")))
        kit.expect(entry, path, category=category, published=shown, minute=True,
                   list_date=f"{entry.published.year}/{entry.published.month}/{entry.published.day}", editors=editors)
    kit.routes[hidden] = kit.html(page("内部通知", hidden.rsplit("/", 1)[1], "<p>请登录后查看。</p>", viewstate("h")))

    def list_page(n: int) -> str:
        members = groups[n - 1] if 1 <= n <= len(groups) else []
        rows = [
            f'<tr><td class="dot">·</td><td><a id="ctl00_Main_rptNews_ctl{k:02d}_hlTitle" '
            f'href="NewsDetail.aspx?NewsID={news_ids[i]}" target="_blank">{esc(entries[i].title)}</a></td>'
            f'<td class="date"><span id="ctl00_Main_rptNews_ctl{k:02d}_lblDate">{entries[i].published.year}/'
            f"{entries[i].published.month}/{entries[i].published.day}</span></td></tr>"
            for k, i in enumerate(members)
        ]
        if n == 1:
            rows.insert(2, '<tr><td class="dot">·</td><td><a id="ctl00_Main_rptNews_ctl99_hlTitle" '
                           f'href="Inner/{hidden.rsplit("/", 1)[1]}" target="_blank">机关党委内部工作通知</a></td>'
                           '<td class="date"><span>2021/1/11</span></td></tr>')
        if not rows:
            rows = ['<tr><td colspan="3" class="empty">暂无记录</td></tr>']

        def go(to: int, label: str, enabled: bool) -> str:
            if not enabled:
                return f'<a disabled="disabled" style="margin-right:5px;">{label}</a>'
            return f'<a href="javascript:__doPostBack(\'{PAGER_ID}\',\'{to}\')" style="margin-right:5px;">{label}</a>'

        count = len(groups)
        pager = [go(1, "首页", n > 1), go(n - 1, "上一页", n > 1)]
        pager += [f'<span style="margin-right:5px;font-weight:Bold;color:red;">{k}</span>' if k == n
                  else go(k, str(k), True) for k in range(1, count + 1)]
        pager += [go(n + 1, "下一页", n < count), go(count, "尾页", n < count)]
        main = (
            f'<div class="position">当前位置：<a href="../Default.aspx">首页</a> &gt;&gt; {category}</div>\n'
            f'<table id="ctl00_Main_tbList" class="newslist" width="100%" cellspacing="0">\n{"".join(rows)}\n</table>\n'
            f'<div id="ctl00_Main_Pager" class="pager"><div style="float:left;width:40%;">共{len(entries)}条记录 '
            f"每页{per_page}条 第{n}/{count}页</div><div style=\"float:left;width:60%;text-align:right;\">"
            f'{"".join(pager)}</div></div>'
        )
        return page(f"{category}-{kit.title}", column.rsplit("/", 1)[1], main, viewstate(f"p{n if n <= count else 0}"))

    def answer(target: str, body: bytes) -> Resource | None:
        if target != column:
            return None
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items()}
        if form.get("__VIEWSTATE") not in served_states:
            return Resource(("<html><head><title>Validation of viewstate MAC failed.</title></head><body>"
                             "<h1>“/”应用程序中的服务器错误。</h1><h2><i>验证视图状态 MAC 失败。</i></h2>"
                             "</body></html>").encode(), "text/html; charset=utf-8", 500)
        wanted = number(form.get("__EVENTARGUMENT")) if form.get("__EVENTTARGET") == PAGER_ID else 1
        return kit.html(list_page(wanted if wanted is not None else 1))

    kit.listing(column, kit.html(list_page(1)))
    kit.routes["/Default.aspx"] = kit.html(page(kit.title, "Default.aspx",
                                                f'<a href="News/NewsList.aspx?ClassID=12">{category}</a>', viewstate("i")))
    return kit.site((column,), post_handler=answer)


# ------------------------------------------------------------------------------------------ 2. JSONP

JSONP_SCRIPT = """/* list.js: 栏目列表 */
function articleUrl(row) {
  return row.link ? row.link : '/content/' + row.id + '.shtml';
}

function renderPager(res) {
  var html = '<span>共' + res.total + '条 ' + res.page + '/' + res.pages + '页</span>';
  for (var n = 1; n <= res.pages; n++) {
    html += n === res.page ? '<b>' + n + '</b>' : '<a href="javascript:;" onclick="loadPage(' + n + ')">' + n + '</a>';
  }
  $('#pager').html(html);
}

function loadPage(page) {
  $.getJSON('/api/news.jsp?callback=?&col=12&page=' + page, function (res) {
    var html = '';
    $.each(res.list, function (i, row) {
      html += '<li><a href="' + articleUrl(row) + '" target="_blank">' + row.title + '</a><span class="time">'
        + row.pubDate + '</span></li>';
    });
    $('#newsList').html(html || '<li class="empty">暂无信息</li>');
    renderPager(res);
  });
}

$(function () { loadPage(1); });
"""


def jsonp_list(base_urls: Mapping[str, str]) -> Holdout2Site:
    kit = H2Kit("jsonp_list", base_urls, "/nbzl/", Trap("/col/rili.jsp?ym={y}{m}", "组工日历"))
    entries = holdout2_plan()[kit.name]
    column, category, size, api = "/col/col12/index.html", "组工动态", 6, "/api/news.jsp"
    ids = unique_ids(kit.rng, len(entries), 40000, 49999)
    paths = [f"/content/{n}.shtml" for n in ids]
    hidden = f"{kit.disallowed}content/{kit.rng.randint(50000, 59999)}.shtml"

    def page(page_title: str, main: str, scripts: str = "") -> str:
        return (
            '<!DOCTYPE html>\n<html><head><meta charset="utf-8">\n'
            f"<title>{esc(page_title)}</title>\n<link rel=\"stylesheet\" href=\"/css/main.css\">\n</head>\n<body>\n"
            f'<div class="top"><h1>{kit.title}</h1><ul class="nav"><li><a href="/">首页</a></li>'
            f'<li><a href="{column}">{category}</a></li><li><a href="/col/col13/index.html">干部工作</a></li>'
            '<li><a href="/col/col14/index.html">人才工作</a></li></ul></div>\n'
            f'<div class="main">{main}</div>\n<div class="side">{kit.trap.link()}</div>\n'
            f'<div class="foot">{kit.friends()}<p>中共东川县委组织部主办 &nbsp; 东ICP备00000012号</p></div>\n'
            f"{scripts}</body></html>"
        )

    for entry, path in zip(entries, paths, strict=True):
        shown = f"{entry.published:%Y-%m-%d %H:%M}"
        editors = (person(kit.rng),)
        main = (
            f'<div class="crumb">您的位置：<a href="/">首页</a> » <a href="{column}">{category}</a> » 正文</div>\n'
            f'<div class="article"><div class="art-title">{esc(entry.title)}</div>\n'
            + (f'<div class="art-sub">{esc(entry.story.subtitle)}</div>\n' if entry.story.subtitle else "")
            + f'<div class="art-info">{shown} &nbsp;&nbsp; 信息来源：{esc(entry.source)} &nbsp;&nbsp; '
            f'作者：{esc("，".join(entry.story.authors))}</div>\n'
            f'<div class="art-body">\n{body_html(entry.paragraphs)}\n</div>\n'
            f'<div class="art-editor">编辑：{esc(editors[0])}</div></div>'
        )
        kit.routes[path] = kit.html(page(f"{entry.title}_{kit.title}", main))
        kit.expect(entry, path, category=category, published=shown, minute=True,
                   list_date=f"{entry.published:%Y-%m-%d}", editors=editors)
    kit.routes[hidden] = kit.html(page("内部资料", "<p>内部资料，请勿转载。</p>"))

    records = [{"id": ids[i], "title": entries[i].title, "pubDate": f"{entries[i].published:%Y-%m-%d}",
                "source": entries[i].source, "link": ""} for i in range(len(entries))]
    records.insert(2, {"id": 1, "title": "组工干部内部学习资料", "pubDate": "2021-01-11", "source": "", "link": hidden})
    records.insert(9, {"id": 2, "title": "【转载】全省组织工作会议召开", "pubDate": "2021-04-20", "source": "省委组织部",
                       "link": f"{PUBLIC_HOSTS[0]}zgdt/2021/0420/c1001-8876.html"})
    pages = -(-len(records) // size)

    def dynamic(target: str) -> Resource | None:
        path, query = query_of(target)
        if path != api:
            return None
        current = number(query.get("page"))
        chosen = records[(current - 1) * size : current * size] if query.get("col") == "12" and current and current > 0 \
            else []
        data = {"total": len(records), "page": current or 1, "pages": pages, "pageSize": size, "list": chosen}
        callback = query.get("callback", "null") or "null"  # String cb = request.getParameter("callback")
        return Resource(f"{callback}({json.dumps(data, ensure_ascii=False)});".encode(),
                        "text/javascript;charset=UTF-8")

    kit.extra_listings.add(api)
    kit.listing("/js/list.js", Resource(JSONP_SCRIPT.encode(), "application/javascript; charset=utf-8"))
    kit.routes["/js/jquery-1.8.3.min.js"] = Resource(b"/*! jQuery v1.8.3 jquery.com | jquery.org/license */",
                                                    "application/javascript")
    main = (f'<div class="crumb">您的位置：<a href="/">首页</a> » {category}</div>\n'
            f'<div class="list-box"><h2>{category}</h2><ul id="newsList" class="news-list"></ul>'
            '<div id="pager" class="pager"></div></div>')
    kit.listing(column, kit.html(page(f"{category}_{kit.title}", main,
                                      '<script src="/js/jquery-1.8.3.min.js"></script>\n'
                                      '<script src="/js/list.js"></script>\n')))
    kit.routes["/"] = kit.html(page(kit.title, f'<a href="{column}">{category}</a>'))
    return kit.site((column,), dynamic=dynamic)


# ---------------------------------------------------------------------------------- 3. cursor API

CURSOR_SCRIPT = """<script>
(function () {
  var next = null, feed = document.getElementById('feed'), more = document.getElementById('more');
  function load() {
    var url = '/api/v2/articles?channel=dangjian' + (next ? '&cursor=' + encodeURIComponent(next) : '');
    fetch(url, { headers: { 'Accept': 'application/json' } })
      .then(function (resp) { return resp.json(); })
      .then(function (data) {
        data.items.forEach(function (item) {
          var card = document.createElement('div');
          card.className = 'card';
          card.innerHTML = '<a href="' + item.url + '"><h3>' + item.title + '</h3></a><p>' + item.summary
            + '</p><time>' + item.published_at.slice(0, 10) + '</time>';
          feed.appendChild(card);
        });
        next = data.next_cursor;
        if (!next) { more.style.display = 'none'; }
      });
  }
  more.addEventListener('click', load);
  load();
})();
</script>"""


def encode_cursor(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(text: str) -> dict | None:
    try:
        data = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (ValueError, binascii.Error):
        return None
    return data if isinstance(data, dict) else None


def cursor_api(base_urls: Mapping[str, str]) -> Holdout2Site:
    kit = H2Kit("cursor_api", base_urls, "/news/preview/", Trap("/huodong/calendar/{y}/{m}", "活动日历"))
    entries = holdout2_plan()[kit.name]
    start, category, limit, api = "/news/", "党建", 8, "/api/v2/articles"
    slugs = [f"{kit.rng.getrandbits(32):08x}" for _ in entries]
    paths = [f"/news/{e.published:%Y/%m/%d}/{s}.html" for e, s in zip(entries, slugs, strict=True)]
    hidden = f"{kit.disallowed}{kit.rng.getrandbits(32):08x}.html"

    def page(page_title: str, main: str, scripts: str = "") -> str:
        return (
            '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<title>{esc(page_title)}</title>\n<link rel="stylesheet" href="/assets/site.3e9a.css">\n</head>\n<body>\n'
            f'<header class="masthead"><a class="brand" href="/">{kit.title}</a><nav><a href="/news/">{category}</a>'
            '<a href="/video/">视频</a><a href="/live/">直播</a></nav></header>\n'
            f"<main>{main}</main>\n"
            f"<footer>{kit.trap.link()}{kit.friends()}<p>北湖区融媒体中心 版权所有 &nbsp; 北ICP备00000013号</p></footer>\n"
            f"{scripts}</body></html>"
        )

    items = []
    for entry, path, slug in zip(entries, paths, slugs, strict=True):
        stamp = f"{entry.published:%Y-%m-%dT%H:%M:00+08:00}"
        shown = f"{entry.published:%Y-%m-%d %H:%M}"
        editors = (person(kit.rng), person(kit.rng))
        main = (
            f'<article class="story"><nav class="crumbs"><a href="/">首页</a> / <a href="/news/">{category}</a></nav>\n'
            f"<h1>{esc(entry.title)}</h1>\n"
            + (f'<p class="dek">{esc(entry.story.subtitle)}</p>\n' if entry.story.subtitle else "")
            + f'<div class="byline"><time datetime="{stamp}">{shown}</time> <span>来源：{esc(entry.source)}</span> '
            f'<span>记者：{esc(" ".join(entry.story.authors))}</span></div>\n'
            f'<div class="story-body">\n{body_html(entry.paragraphs, "text-indent:2em")}\n</div>\n'
            f'<p class="credits">责任编辑：{esc(editors[0])} 审核：{esc(editors[1])}</p></article>'
        )
        kit.routes[path] = kit.html(page(f"{entry.title} | {kit.title}", main))
        kit.expect(entry, path, category=category, published=shown, minute=True,
                   list_date=f"{entry.published:%Y-%m-%d}", editors=editors)
        items.append({"id": slug, "title": entry.title, "summary": entry.paragraphs[0][:60] + "…",
                      "published_at": stamp, "url": path})
    kit.routes[hidden] = kit.html(page("预览", "<p>稿件预览，未发布。</p>"))
    items.insert(4, {"id": "preview", "title": "稿件预览：区委党建工作要点（未发布）", "summary": "",
                     "published_at": "2021-01-11T09:00:00+08:00", "url": hidden})
    items.insert(11, {"id": "repost", "title": "【转载】全市基层党建观摩会召开", "summary": "",
                      "published_at": "2021-03-02T10:00:00+08:00",
                      "url": f"{PUBLIC_HOSTS[0]}djgz/2021-03/02/content_5590.htm"})
    at = {item["id"]: n for n, item in enumerate(items)}

    def dynamic(target: str) -> Resource | None:
        path, query = query_of(target)
        if path != api:
            return None
        want = number(query.get("limit"), limit)
        if want is None or not 1 <= want <= 20 or query.get("channel", "dangjian") != "dangjian":
            return json_resource({"error": "bad request"}, status=400)
        offset = 0
        if "cursor" in query:
            cursor = decode_cursor(query["cursor"])
            if not cursor or cursor.get("id") not in at or cursor.get("ts") != items[at[cursor["id"]]]["published_at"]:
                return json_resource({"error": "invalid cursor"}, status=400)
            offset = at[cursor["id"]] + 1
        chosen = items[offset : offset + want]
        more = offset + want < len(items)
        last = chosen[-1] if chosen else None
        return json_resource({"items": chosen, "next_cursor": encode_cursor({"id": last["id"], "ts": last["published_at"]})
                              if more and last else None})

    kit.extra_listings.add(api)
    main = ('<section class="channel"><h2>党建</h2><div id="feed" class="feed"></div>'
            '<button id="more" class="load-more" type="button">加载更多</button></section>')
    kit.listing(start, kit.html(page(f"{category} | {kit.title}", main, CURSOR_SCRIPT + "\n")))
    kit.routes["/"] = kit.html(page(kit.title, f'<a href="{start}">{category}</a>'))
    return kit.site((start,), dynamic=dynamic)


# --------------------------------------------------------------------- 4. load more: an HTML fragment

MORE_SCRIPT = """$(document).on('click', '#loadMore', function () {
  var $btn = $(this), url = $btn.data('url');
  $btn.text('加载中...');
  $.get(url, function (html) {
    var $frag = $('<div>').html(html);
    $('#list').append($frag.find('li'));
    var next = $frag.find('.next-page').data('url');
    if (next) { $btn.data('url', next).text('加载更多'); } else { $btn.parent().html('<span>没有更多了</span>'); }
  });
});
"""


def ajax_fragment(base_urls: Mapping[str, str]) -> Holdout2Site:
    kit = H2Kit("ajax_fragment", base_urls, "/dangjian/neibu/", Trap("/dangjian/rili.html?date={y}-{m}", "党建日历"))
    entries = holdout2_plan()[kit.name]
    column, category, per_page = "/dangjian/dwdt/", "党务动态", 6
    fragment = "/dangjian/dwdt/ajax_list"
    ids = unique_ids(kit.rng, len(entries), 1000, 9999)
    paths = [f"/dangjian/dwdt/{e.published:%Y-%m/%d}/content_{n}.html" for e, n in zip(entries, ids, strict=True)]
    hidden = f"{kit.disallowed}content_{kit.rng.randint(10000, 19999)}.html"
    groups = pages_of(list(range(len(entries))), per_page)

    def page(page_title: str, main: str, scripts: str = "") -> str:
        return (
            '<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
            f"<title>{esc(page_title)}</title>\n<link href=\"/static/css/style.css\" rel=\"stylesheet\">\n</head>\n"
            f'<body>\n<div class="head"><div class="logo">{kit.title}</div><ul class="menu"><li><a href="/">首页</a></li>'
            f'<li><a href="{column}">{category}</a></li><li><a href="/dangjian/xxjy/">学习教育</a></li>'
            '<li><a href="/dangjian/dyfc/">党员风采</a></li></ul></div>\n'
            f'<div class="wrap">{main}</div>\n'
            f'<div class="foot"><div class="rili">{kit.trap.link()}</div>{kit.friends()}'
            f"<p>中共南溪镇委员会 主办</p></div>\n{scripts}</body></html>"
        )

    for entry, path in zip(entries, paths, strict=True):
        shown = f"{entry.published:%Y年%m月%d日 %H:%M}"
        editors = (person(kit.rng),)
        main = (
            f'<div class="loc">当前位置：<a href="/">首页</a> &gt; <a href="{column}">{category}</a> &gt; 正文</div>\n'
            f'<div class="news-detail"><h2 class="news-title">{esc(entry.title)}</h2>\n'
            + (f'<h4 class="news-subtitle">{esc(entry.story.subtitle)}</h4>\n' if entry.story.subtitle else "")
            + f'<p class="news-meta">时间：{shown}　来源：{esc(entry.source)}　作者：{esc(" ".join(entry.story.authors))}</p>\n'
            f'<div class="news-text">\n{body_html(entry.paragraphs)}\n</div>\n'
            f'<p class="news-editor">审核：{esc(editors[0])}</p></div>'
        )
        kit.routes[path] = kit.html(page(f"{entry.title} - {kit.title}", main))
        kit.expect(entry, path, category=category, published=shown, minute=True,
                   list_date=f"{entry.published:%Y-%m-%d}", editors=editors)
    kit.routes[hidden] = kit.html(page("内部通知", "<p>仅限镇党委内部查阅。</p>"))

    def rows(n: int) -> list[str]:
        out = [f'<li><a href="{paths[i]}" target="_blank">{esc(entries[i].title)}</a>'
               f'<span class="time">{entries[i].published:%Y-%m-%d}</span></li>'
               for i in (groups[n - 1] if 1 <= n <= len(groups) else [])]
        if n == 2:
            out.insert(3, f'<li><a href="{hidden}" target="_blank">镇党委内部工作通知</a><span class="time">2021-01-11</span></li>')
        return out

    def dynamic(target: str) -> Resource | None:
        path, query = query_of(target)
        if path != fragment:
            return None
        n = number(query.get("p"))
        if n is None:
            return Resource(b"", "text/html; charset=utf-8")
        text = "\n".join(rows(n))
        if 1 <= n < len(groups):
            text += f'\n<div class="next-page" data-url="{fragment}?p={n + 1}"></div>'
        return Resource(text.encode(), "text/html; charset=utf-8")

    kit.extra_listings.add(fragment)
    kit.listing("/static/js/more.js", Resource(MORE_SCRIPT.encode(), "application/javascript; charset=utf-8"))
    kit.routes["/static/js/jquery.min.js"] = Resource(b"/*! jQuery v3.5.1 | (c) JS Foundation */", "application/javascript")
    main = (
        f'<div class="loc">当前位置：<a href="/">首页</a> &gt; {category}</div>\n'
        f'<div class="list-wrap"><h3 class="list-title">{category}</h3>\n<ul id="list" class="list">\n'
        + "\n".join(rows(1))
        + f'\n</ul>\n<div class="more"><a href="javascript:;" id="loadMore" data-url="{fragment}?p=2">加载更多</a></div></div>'
    )
    kit.listing(column, kit.html(page(f"{category} - {kit.title}", main,
                                      '<script src="/static/js/jquery.min.js"></script>\n'
                                      '<script src="/static/js/more.js"></script>\n')))
    kit.routes["/"] = kit.html(page(kit.title, f'<a href="{column}">{category}</a>'))
    return kit.site((column,), dynamic=dynamic)


# ------------------------------------------------------------------------------- 5. XML list + XSLT


def xslt_list(base_urls: Mapping[str, str]) -> Holdout2Site:
    kit = H2Kit("xslt_list", base_urls, "/dj/nbzl/", Trap("/dj/rili.jsp?ym={y}{m}", "工作日历"))
    entries = holdout2_plan()[kit.name]
    column, category, per_page, stylesheet = "/dj/gzdt/", "工作动态", 5, "/dj/xsl/list.xsl"
    ids = unique_ids(kit.rng, len(entries), 300000, 399999)
    paths = [f"/dj/gzdt/content/{e.published:%Y-%m}/{n}.html" for e, n in zip(entries, ids, strict=True)]
    hidden = f"{kit.disallowed}{kit.rng.randint(400000, 499999)}.html"
    groups = pages_of(list(range(len(entries))), per_page)

    def page(page_title: str, main: str) -> str:
        return (
            '<!DOCTYPE html>\n<html><head><meta charset="utf-8">\n'
            f'<title>{esc(page_title)}</title>\n<link rel="stylesheet" href="/dj/css/dj.css">\n</head>\n<body>\n'
            f'<div class="banner">{kit.title}</div>\n<div class="nav"><a href="/">首页</a> '
            f'<a href="{column}">{category}</a> <a href="/dj/llxx/">理论学习</a></div>\n'
            f'<div class="content">{main}</div>\n<div class="footer">{kit.friends()}'
            "<p>西岭市档案局机关党委</p></div>\n</body></html>"
        )

    for entry, path in zip(entries, paths, strict=True):
        shown = f"{entry.published:%Y-%m-%d}"
        editors = (person(kit.rng),)
        main = (
            f'<div class="where">当前位置：<a href="/">首页</a> - <a href="{column}">{category}</a></div>\n'
            f'<h1 class="tit">{esc(entry.title)}</h1>\n'
            + (f'<h2 class="subtit">{esc(entry.story.subtitle)}</h2>\n' if entry.story.subtitle else "")
            + f'<div class="attr">发布日期：{shown}　文章来源：{esc(entry.source)}　作者：{esc(" ".join(entry.story.authors))}'
            f'</div>\n<div class="txt">\n{body_html(entry.paragraphs)}\n</div>\n'
            f'<div class="bj">责任编辑：{esc(editors[0])}</div>'
        )
        kit.routes[path] = kit.html(page(f"{entry.title}--{kit.title}", main))
        kit.expect(entry, path, category=category, published=shown, minute=False, list_date=shown, editors=editors)
    kit.routes[hidden] = kit.html(page("内部资料", "<p>内部资料。</p>"))

    list_paths = [column] + [f"{column}index_{n}.xml" for n in range(2, len(groups) + 1)]
    for n, members in enumerate(groups, start=1):
        items = [f'<item id="{ids[i]}"><title>{xml_escape(entries[i].title)}</title><link>{paths[i]}</link>'
                 f"<pubdate>{entries[i].published:%Y-%m-%d}</pubdate><source>{xml_escape(entries[i].source)}</source>"
                 "</item>" for i in members]
        if n == 1:
            items.insert(2, f'<item id="1"><title>机关党委内部学习资料</title><link>{hidden}</link>'
                            "<pubdate>2021-01-11</pubdate><source/></item>")
        current = ' current="true"'
        pager = "".join(f'<page num="{k}" href="{"./" if k == 1 else f"index_{k}.xml"}"{current if k == n else ""}/>'
                        for k in range(1, len(groups) + 1))
        text = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                f'<?xml-stylesheet type="text/xsl" href="{stylesheet}"?>\n'
                f'<document><channel id="301" name="{category}">\n' + "\n".join(items)
                + f'\n</channel>\n<pager total="{len(entries)}" count="{len(groups)}" current="{n}">{pager}</pager>'
                "</document>")
        resource = Resource(text.encode(), "application/xml; charset=utf-8")
        if n == 1:
            kit.listing(column, resource, f"{column}index.xml")
        else:
            kit.listing(list_paths[n - 1], resource)
    friends = kit.friends().replace("&nbsp;", "&#160;")
    xsl = f"""<?xml version="1.0" encoding="UTF-8"?>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="html" encoding="UTF-8" indent="yes"/>
<xsl:template match="/document">
<html><head><title><xsl:value-of select="channel/@name"/>--{kit.title}</title>
<link rel="stylesheet" href="/dj/css/dj.css"/></head>
<body>
<div class="banner">{kit.title}</div>
<div class="nav"><a href="/">首页</a> <a href="{column}">{category}</a> <a href="/dj/llxx/">理论学习</a></div>
<div class="content"><h3><xsl:value-of select="channel/@name"/></h3>
<ul class="list">
<xsl:for-each select="channel/item">
<li><a target="_blank"><xsl:attribute name="href"><xsl:value-of select="link"/></xsl:attribute>
<xsl:value-of select="title"/></a><span class="date">[<xsl:value-of select="pubdate"/>]</span></li>
</xsl:for-each>
</ul>
<div class="pager">共<xsl:value-of select="pager/@total"/>条
<xsl:for-each select="pager/page"><xsl:choose>
<xsl:when test="@current='true'"><b><xsl:value-of select="@num"/></b></xsl:when>
<xsl:otherwise><a><xsl:attribute name="href"><xsl:value-of select="@href"/></xsl:attribute>
<xsl:value-of select="@num"/></a></xsl:otherwise></xsl:choose></xsl:for-each>
</div></div>
<div class="side">{kit.trap.link()}</div>
<div class="footer">{friends}<p>西岭市档案局机关党委</p></div>
</body></html>
</xsl:template>
</xsl:stylesheet>
"""
    kit.listing(stylesheet, Resource(xsl.encode(), "text/xsl; charset=utf-8"))
    kit.routes["/"] = kit.html(page(kit.title, f'<a href="{column}">{category}</a>'))
    return kit.site((column,))


# -------------------------------------------------------------------------- 6. <base href> + .HTM


def base_href(base_urls: Mapping[str, str]) -> Holdout2Site:
    kit = H2Kit("base_href", base_urls, "/site/dj/neibu/", Trap("/site/dj/rili/index.jsp?ny={y}{m}", "活动日历"))
    entries = holdout2_plan()[kit.name]
    root, slug, category, per_page = "/site/dj/", "dangjianyaowen", "党建要闻", 6
    ids = unique_ids(kit.rng, len(entries), 40000, 49999)
    rel = [f"art/{e.published.year}/{e.published.month}/{e.published.day}/art_1021_{n}.html"
           for e, n in zip(entries, ids, strict=True)]
    paths = [root + r for r in rel]
    hidden_rel = f"neibu/art_1099_{kit.rng.randint(10000, 19999)}.html"
    groups = pages_of(list(range(len(entries))), per_page)
    list_rel = [f"col/{slug}/index.HTM"] + [f"col/{slug}/index_{n}.HTM" for n in range(2, len(groups) + 1)]

    def page(page_title: str, main: str) -> str:
        return (
            '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n<html><head>\n'
            f'<base href="{root}" />\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />\n'
            f"<title>{esc(page_title)}</title>\n<link href=\"css/dj.css\" rel=\"stylesheet\" type=\"text/css\" />\n"
            "</head>\n<body>\n"
            f'<div class="top"><img src="images/top.jpg" alt="{kit.title}" /></div>\n'
            f'<div class="nav"><a href="index.HTM">首 页</a><a href="{list_rel[0]}">{category}</a>'
            '<a href="col/jicengdongtai/index.HTM">基层动态</a><a href="col/lianzhengjianshe/index.HTM">廉政建设</a>'
            '<a href="col/tongzhigonggao/index.HTM">通知公告</a></div>\n'
            f'<div class="box">{main}</div>\n'
            '<div class="rili"><a href="rili/index.jsp?ny=202101">活动日历</a></div>\n'
            f'<div class="bottom">{kit.friends()}<p>中共临川市委组织部主办 &nbsp; 临ICP备00000015号</p></div>\n'
            "</body></html>"
        )

    def cut(title: str) -> str:
        return title if len(title) <= 16 else title[:15] + "..."

    for i, (entry, path) in enumerate(zip(entries, paths, strict=True)):
        shown = f"{entry.published:%Y-%m-%d %H:%M}"
        editors = (person(kit.rng),)
        near = "".join(f'<li><a href="{rel[j]}" title="{esc(entries[j].title)}">{esc(cut(entries[j].title))}</a></li>'
                       for j in ((i + 1) % len(entries), (i + 2) % len(entries)))
        main = (
            f'<div class="dqwz">当前位置：<a href="index.HTM">首页</a> &gt; <a href="{list_rel[0]}">{category}</a></div>\n'
            f'<table class="art" width="100%"><tr><td class="bt" align="center">{esc(entry.title)}</td></tr>\n'
            + (f'<tr><td class="fbt" align="center">{esc(entry.story.subtitle)}</td></tr>\n' if entry.story.subtitle else "")
            + f'<tr><td class="xx" align="center">发布日期：{shown} &nbsp; 信息来源：{esc(entry.source)} &nbsp; '
            f'作者：{esc(" ".join(entry.story.authors))} &nbsp; 【字号：<a href="javascript:doZoom(16)">大</a> '
            '<a href="javascript:doZoom(14)">中</a> <a href="javascript:doZoom(12)">小</a>】</td></tr>\n'
            f'<tr><td class="zw" id="zoom">\n{body_html(entry.paragraphs)}\n</td></tr>\n'
            f'<tr><td class="zb" align="right">责任编辑：{esc(editors[0])}</td></tr></table>\n'
            f'<div class="xgwz"><h4>相关文章</h4><ul>{near}</ul></div>'
        )
        kit.routes[path] = kit.html(page(f"{entry.title}_{kit.title}", main))
        kit.expect(entry, path, category=category, published=shown, minute=True,
                   list_date=f"{entry.published:%Y-%m-%d}", editors=editors)
    kit.routes[root + hidden_rel] = kit.html(page("内部通知", "<p>内部通知，请登录查看。</p>"))

    for n, members in enumerate(groups):
        rows = [f'<tr><td class="dot">·</td><td class="tit"><a href="{rel[i]}" target="_blank" '
                f'title="{esc(entries[i].title)}">{esc(cut(entries[i].title))}</a></td>'
                f'<td class="rq">{entries[i].published:%Y-%m-%d}</td></tr>' for i in members]
        if n == 0:
            rows.insert(4, f'<tr><td class="dot">·</td><td class="tit"><a href="{hidden_rel}" target="_blank" '
                           'title="市委组织部内部工作通知">市委组织部内部工作通知</a></td><td class="rq">2021-01-11</td></tr>')
        pager = [f"共{len(entries)}条 {n + 1}/{len(groups)}页"]
        if n:
            pager += [f'<a href="{list_rel[0]}">首页</a>', f'<a href="{list_rel[n - 1]}">上页</a>']
        if n + 1 < len(groups):
            pager += [f'<a href="{list_rel[n + 1]}">下页</a>', f'<a href="{list_rel[-1]}">尾页</a>']
        main = (f'<div class="dqwz">当前位置：<a href="index.HTM">首页</a> &gt; {category}</div>\n'
                f'<table class="lb" width="100%" cellspacing="0">\n{"".join(rows)}\n</table>\n'
                f'<div class="fy">{" ".join(pager)}</div>')
        kit.listing(root + list_rel[n], kit.html(page(f"{category}_{kit.title}", main)))
    kit.routes[root + "index.HTM"] = kit.html(page(kit.title, f'<a href="{list_rel[0]}">{category}</a>'))
    return kit.site((root + list_rel[0],))


HOLDOUT2_BUILDERS: dict[str, Callable[[Mapping[str, str]], Holdout2Site]] = {
    "aspnet_postback": aspnet_postback,
    "jsonp_list": jsonp_list,
    "cursor_api": cursor_api,
    "ajax_fragment": ajax_fragment,
    "xslt_list": xslt_list,
    "base_href": base_href,
}
