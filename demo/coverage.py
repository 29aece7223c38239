"""The coverage farm: eight synthetic sites, one per way a real site hides, splits or aliases its articles.

Built like the demo farm (demo/farm.py: fixed seeds, generated text, `ExpectedArticle` ground truth, one
robots.txt Disallow path with linked article-looking pages, links to peers and public hosts, an endless
by-month page), but none of their URLs follows a convention of config/rules/cms.yaml, so the crawler must
work each site out from what its pages show:
- `xml_datastore`: the list records sit only in a `<script type="text/xmldata">` store, one CDATA record
  each; pages through `lanmu.jsp?lm=31&ye=N` (page 1 is also reachable as `&ye=1`).
- `json_endpoint`: an empty list container and a linked .js that fetches `/api/content/page?...&pg=N`;
  records `{wzbt, ljdz, fbrq}` and a total count; extension-less article URLs.
- `embedded_json`: `window.__LLXX_STATE__ = {...}` in the page (ASCII-escaped, `\\/` slashes) rendered by
  an inline script; a server-rendered pager `index-N.html`.
- `script_links`: article links only as `javascript:openWin(...)`, `onclick="window.open(...)"`,
  `onclick="location.href=..."` and an image map `<area>` (one article is linked nowhere else).
- `blog_feeds`: undated, short headlines (some under 8 characters) at `/note/<slug>/`, amid tag, author,
  topic and archive links; an Atom feed; robots.txt names a sitemap index whose second sitemap also lists
  three older notes no list page shows, and whose page sitemap lists non-article pages.
- `multipage`: articles over 2-4 pages, as `<id>_N.html` or `<id>.html?p=N`, with a pager inside the
  article; `下一篇` and related links next to `下一页` that are other articles, not pages.
- `url_aliases`: `;jsessionid=` in list links (a new one per list page), `&sid=` in the hot list, old
  addresses answering 301 to the new one, `<link rel="canonical">`, a print view per article.
- `portal_home`: `/` is a meta-refresh entry page; the portal home has a nav menu, about/contact/login
  pages, 更多 links to two news columns and a staff directory column that is not news.
`Site.aliases` maps every served copy of a page (article or list) to its canonical path; `Site.listings`
are the pages a nightly run may fetch again; `ExpectedArticle.parts` and `.aliases` carry the rest.
"""

from __future__ import annotations

import dataclasses
import json
import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from xml.sax.saxutils import escape as xml_escape

from demo.farm import (
    BUILDERS,
    SEED,
    SITE_WINDOW,
    Entry,
    ExpectedArticle,
    Resource,
    Site,
    _entry,
    adjacent_months,
    esc,
    expected,
    friend_links,
    html_resource,
    neighbours,
    pages_of,
    person,
    plan,
    related,
    related_html,
    robots,
    site_rng,
    unique_story,
)

COVERAGE_TITLES = {
    "xml_datastore": "青川区机关党建网",
    "json_endpoint": "江岭省教育系统党建平台",
    "embedded_json": "云湖街道党工委",
    "script_links": "金河镇党建之窗",
    "blog_feeds": "北坪镇党员工作站",
    "multipage": "江岭党史学习文库",
    "url_aliases": "东渡新闻网",
    "portal_home": "临溪县委直属机关工委",
}
COVERAGE_SITE_NAMES = tuple(COVERAGE_TITLES)
ARTICLE_COUNTS = {
    "xml_datastore": 18,
    "json_endpoint": 19,
    "embedded_json": 16,
    "script_links": 14,
    "blog_feeds": 18,
    "multipage": 12,
    "url_aliases": 16,
    "portal_home": 16,
}
# Blog headlines are short: a crawler may not ask a headline for 8 characters.
SHORT_TITLES = (
    "夜校开课了",
    "田埂上的党课",
    "红色家书",
    "一次特别的党日",
    "网格员的一天",
    "老支书的笔记本",
    "走访手记",
    "新党员说",
    "读书角里的故事",
    "春耕一线见初心",
    "雨夜值守",
    "社区微心愿认领记",
    "我们的支部",
    "党员责任区巡礼",
    "村口的宣讲台",
    "一封感谢信",
    "渡口边的志愿者",
    "冬训小结",
)
BLOG_AUTHORS = (("wangxiaodong", "王晓东"), ("lichunmei", "李春梅"), ("zhaoli", "赵丽"))
BLOG_TAGS = (
    ("dangshi", "党史学习"),
    ("zhiyuan", "志愿服务"),
    ("wangge", "网格治理"),
    ("qingnian", "青年党员"),
    ("xiangcun", "乡村振兴"),
)
BLOG_TOPICS = (("zhibu", "支部生活"), ("shouji", "走访手记"))
SITEMAP_ONLY = 3  # the oldest blog notes: listed by the sitemap, by no list page
MULTIPAGE_PAGES = {0: 2, 2: 3, 3: 4, 5: 2, 8: 3}  # article index -> pages it is split over
REDIRECTED = (1, 6, 11)  # url_aliases articles listed at their old address
STAFF = (
    ("周国平", "办公室主任"),
    ("陈海燕", "组织科科长"),
    ("林志强", "宣传科科长"),
    ("郑文静", "纪检组干部"),
    ("何立新", "机关党委专职副书记"),
    ("罗佳怡", "办公室干部"),
)


@cache
def coverage_plan() -> dict[str, list[Entry]]:
    """The stories of each coverage site, newest first; no title repeats one of the demo farm's."""
    rng = random.Random(f"{SEED}-coverage")
    titles = {entry.title for entries in plan().values() for entry in entries}
    sites = {
        site: [_entry(unique_story(rng, titles, f"{site}-{i}", SITE_WINDOW)) for i in range(count)]
        for site, count in ARTICLE_COUNTS.items()
    }
    sites["blog_feeds"] = [
        dataclasses.replace(entry, title=title)
        for entry, title in zip(sites["blog_feeds"], rng.sample(SHORT_TITLES, ARTICLE_COUNTS["blog_feeds"]),
                                strict=True)
    ]
    ordered = {site: sorted(entries, key=lambda e: e.published, reverse=True) for site, entries in sites.items()}
    ordered["multipage"] = [  # long reads: a second story's paragraphs continue the first
        dataclasses.replace(
            entry,
            paragraphs=entry.paragraphs
            + unique_story(rng, titles, f"multipage-{i}-more", SITE_WINDOW).paragraphs,
        )
        if i in MULTIPAGE_PAGES
        else entry
        for i, entry in enumerate(ordered["multipage"])
    ]
    return ordered


# ---------------------------------------------------------------------------------------------- the kit


@dataclass(frozen=True)
class Dress:
    """One site's templates as data; `Kit` is the one mechanism that renders them."""

    column: str  # the news column articles belong to (their category)
    column_path: str
    nav: tuple[tuple[str, str], ...]  # (href, label) of the header menu
    date_format: str  # strftime of the date printed on article pages
    info: str  # the article's info line, from {date} {source} {authors}
    prefix: str  # class-name prefix of the site's markup
    heading: str  # tag of the article headline
    body_class: str
    footer: str


@dataclass(frozen=True)
class Endless:
    """A by-month page whose 'next month' link never ends, at a path and parameter of the site's own."""

    path: str
    param: str
    label: str

    def href(self, year: int, month: int) -> str:
        return f"{self.path}?{self.param}={year}{month:02d}"

    def link(self) -> str:
        return f'<div class="yuefen"><a href="{esc(self.href(2021, 1))}">{self.label}</a></div>'

    def __call__(self, target: str) -> Resource | None:
        match = re.fullmatch(re.escape(f"{self.path}?{self.param}=") + r"(\d{4})(\d{2})", target)
        if not match or not 1 <= int(match[2]) <= 12:
            return None
        year, month = int(match[1]), int(match[2])
        before, after = adjacent_months(year, month)
        return html_resource(
            f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{self.label} {year}年{month}月</title>'
            f"</head><body><h2>{self.label} {year}年{month}月</h2><p>本月暂无活动记录。</p>"
            f'<a href="{esc(self.href(*before))}">上月</a> <a href="{esc(self.href(*after))}">下月</a>'
            "</body></html>"
        )


@dataclass
class Kit:
    """What every coverage builder shares: page frame, article pages, truth, routes."""

    name: str
    dress: Dress
    base_urls: Mapping[str, str]
    endless: Endless
    disallowed: str
    rng: random.Random = field(init=False)
    routes: dict[str, Resource] = field(default_factory=dict)
    truth: list[ExpectedArticle] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    listings: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.rng = site_rng(self.name)

    @property
    def title(self) -> str:
        return COVERAGE_TITLES[self.name]

    @property
    def base(self) -> str:
        return self.base_urls[self.name]

    def page(self, page_title: str, main: str, head: str = "", trap: bool = False) -> str:
        prefix = self.dress.prefix
        nav = "".join(f'<a href="{esc(href)}">{esc(label)}</a>' for href, label in self.dress.nav)
        return (
            f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">\n<title>{esc(page_title)}</title>\n'
            f'{head}<link rel="stylesheet" href="/static/css/{prefix}.css">\n</head>\n<body>\n'
            f'<div class="{prefix}-top"><div class="{prefix}-logo">{esc(self.title)}</div>'
            f'<div class="{prefix}-nav">{nav}</div></div>\n{main}\n'
            + (self.endless.link() if trap else "")
            + friend_links(self.name, self.base_urls, COVERAGE_TITLES)
            + f'<div class="{prefix}-foot">{self.dress.footer}</div>\n</body></html>'
        )

    def shown(self, entry: Entry) -> str:
        return f"{entry.published:{self.dress.date_format}}"

    def article(
        self,
        entry: Entry,
        *,
        paragraphs: tuple[str, ...] | None = None,
        head: str = "",
        after_body: str = "",
        tail: str = "",
        editor: str,
        authors: tuple[str, ...] | None = None,
    ) -> str:
        """One article page (or one page of a split article: `paragraphs`)."""
        dress, prefix = self.dress, self.dress.prefix
        info = dress.info.format(
            date=self.shown(entry), source=esc(entry.source), authors=esc(" ".join(authors or entry.story.authors))
        )
        subtitle = f'<p class="{prefix}-subtitle">{esc(entry.story.subtitle)}</p>' if entry.story.subtitle else ""
        body = "\n".join(f"<p>{esc(text)}</p>" for text in paragraphs or entry.paragraphs)
        main = (
            f'<div class="{prefix}-crumbs">您的位置：<a href="/">首页</a> &gt; '
            f'<a href="{esc(dress.column_path)}">{esc(dress.column)}</a> &gt; 正文</div>\n'
            f'<div class="{prefix}-article"><{dress.heading} class="{prefix}-headline">{esc(entry.title)}'
            f"</{dress.heading}>{subtitle}\n"
            f'<div class="{prefix}-info">{info} 阅读：<span id="readcount">{self.rng.randint(30, 4000)}</span></div>\n'
            f'<div class="{dress.body_class}">\n{body}\n</div>\n{after_body}'
            f'<div class="{prefix}-editor">责任编辑：{esc(editor)}</div>\n'
            '<div class="share">分享到：<a href="javascript:void(0)">微信</a> <a href="javascript:void(0)">微博</a> '
            '【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】'
            f"</div>\n{tail}</div>"
        )
        return self.page(f"{entry.title}_{self.title}", main, head)

    def expect(self, entry: Entry, path: str, *, list_date: str | None, editor: str, **extra) -> None:
        self.truth.append(
            expected(
                self.name,
                self.title,
                entry,
                path,
                category=self.dress.column,
                minute="%H" in self.dress.date_format,
                published=self.shown(entry),
                list_date=list_date,
                editors=(editor,),
                **extra,
            )
        )

    def hidden(self, path: str) -> None:
        """A robots-disallowed page, linked like an article: fetching it is the crawler's mistake."""
        self.routes[path] = html_resource(self.page("内部资料", "<p>内部资料，仅限登录用户查看。</p>"))

    def listing(self, path: str, resource: Resource, *aliases: str) -> None:
        self.routes[path] = resource
        self.listings.add(path)
        for alias in aliases:
            self.routes[alias] = resource
            self.aliases[alias] = path
            self.listings.add(alias)

    def site(self, start_paths: tuple[str, ...], sitemap: str | None = None) -> Site:
        self.routes["/robots.txt"] = robots(self.disallowed, sitemap)
        return Site(
            self.name,
            self.title,
            start_paths,
            self.disallowed,
            self.routes,
            self.truth,
            trap_prefix=self.endless.path,
            endless=self.endless,
            listings=frozenset(self.listings),
            aliases=self.aliases,
        )


def related_block(kit: Kit, entries: list[Entry], index: int, paths: list[str]) -> str:
    return neighbours(entries, index, lambda j: paths[j]) + related_html(
        related(entries, index, lambda j: paths[j]), "相关阅读"
    )


def ids(rng: random.Random, count: int, low: int, high: int) -> list[int]:
    return rng.sample(range(low, high), count)


def footer(address: str) -> str:
    return f"版权所有 © 2021 &nbsp; 地址：{address} &nbsp; 江ICP备{random.Random(address).randint(10**7, 10**8)}号"


# ------------------------------------------------------------------------------- 1. XML datastore


def xml_datastore(base_urls: Mapping[str, str]) -> Site:
    column = "/jgdj/lanmu.jsp?lm=31"
    kit = Kit(
        "xml_datastore",
        Dress("机关党建", column, (("/", "首页"), (column, "机关党建"), ("/jgdj/lanmu.jsp?lm=32", "通知公告")),
              "%Y-%m-%d %H:%M", "发布时间：{date} &nbsp; 信息来源：{source} &nbsp; 作者：{authors}",
              "jg", "h2", "jg-zhengwen", footer("青川区行政中心三楼")),
        base_urls, Endless("/jgdj/rili.jsp", "ny", "活动日历"), "/jgdj/neibu/",
    )
    entries = coverage_plan()[kit.name]
    paths = [f"/jgdj/wz/{e.published:%Y%m}/p{n}.shtml" for e, n in zip(entries, ids(kit.rng, len(entries),
                                                                                       10000, 99999), strict=True)]
    hidden = f"{kit.disallowed}p{kit.rng.randint(10000, 99999)}.shtml"
    kit.hidden(hidden)
    for i, (entry, path) in enumerate(zip(entries, paths, strict=True)):
        editor = person(kit.rng)
        kit.routes[path] = html_resource(kit.article(entry, editor=editor, tail=related_block(kit, entries, i, paths)))
        kit.expect(entry, path, list_date=f"{entry.published:%Y-%m-%d}", editor=editor)

    def record(href: str, title: str, day: str) -> str:
        return (f'<jilu><![CDATA[<div class="tiao"><a href="{href}" target="_blank" title="{esc(title)}">'
                f"{esc(title)}</a><i>{day}</i></div>]]></jilu>")

    per_page = 7
    groups = pages_of(list(range(len(entries))), per_page)
    for number, indexes in enumerate(groups, start=1):
        records = [record(paths[i], entries[i].title, f"{entries[i].published:%Y-%m-%d}") for i in indexes]
        if number == 1:
            records.insert(3, record(hidden, "关于机关内部学习资料的说明", "2021-01-11"))
        pager = [f"共{len(entries)}条 {number}/{len(groups)}页"]
        if number > 1:
            pager += ['<a href="lanmu.jsp?lm=31&amp;ye=1">首页</a>',
                      f'<a href="lanmu.jsp?lm=31&amp;ye={number - 1}">上一页</a>']
        if number < len(groups):
            pager += [f'<a href="lanmu.jsp?lm=31&amp;ye={number + 1}">下一页</a>',
                      f'<a href="lanmu.jsp?lm=31&amp;ye={len(groups)}">末页</a>']
        main = (
            '<div class="jg-crumbs">您的位置：<a href="/">首页</a> &gt; 机关党建</div>\n'
            '<div class="jg-lanmu"><div id="lm-list" class="tiaomu"></div>\n'
            '<script type="text/xmldata" id="lm-data">\n'
            f'<shuju zongshu="{len(entries)}" meiye="{per_page}" dangqian="{number}">\n'
            + "\n".join(records)
            + "\n</shuju>\n</script>\n"
            "<script>\n(function () {\n"
            '  var store = document.getElementById("lm-data").textContent;\n'
            "  var rows = store.match(/<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>/g) || [];\n"
            '  document.getElementById("lm-list").innerHTML = rows.map(function (row) {\n'
            "    return row.slice(9, -3);\n"
            '  }).join("");\n})();\n</script>\n'
            f'<div class="fenye">{" ".join(pager)}</div></div>'
        )
        resource = html_resource(kit.page(f"机关党建_{kit.title}", main, trap=True))
        if number == 1:
            kit.listing(column, resource, f"{column}&ye=1")
        else:
            kit.listing(f"{column}&ye={number}", resource)
    kit.routes["/"] = html_resource(kit.page(kit.title, f'<a href="{esc(column)}">机关党建</a>'))
    return kit.site((column,))


# ------------------------------------------------------------------------------- 2. JSON endpoint

COLUMN_SCRIPT = """/* 支部风采 column list: the page ships empty, this fills it. */
(function () {
  var API = "/api/content/page?channel=zbfc&size=%(size)d&pg=";
  var box = document.querySelector("#zbfc-list");
  var pager = document.querySelector("#zbfc-pager");

  function item(it) {
    return '<li><a href="' + it.ljdz + '" target="_blank">' + it.wzbt + '</a><span>' + it.fbrq + '</span></li>';
  }

  function render(page) {
    fetch(API + page, {headers: {"X-Requested-With": "XMLHttpRequest"}})
      .then(function (resp) { return resp.json(); })
      .then(function (res) {
        if (res.code !== 200) { box.innerHTML = "<li>暂无数据</li>"; return; }
        var d = res.data;
        box.innerHTML = d.list.map(item).join("");
        var pages = Math.ceil(d.total / d.size), html = "";
        for (var n = 1; n <= pages; n++) {
          html += n === d.pg ? "<b>" + n + "</b>" : '<a href="#" data-pg="' + n + '">' + n + "</a>";
        }
        pager.innerHTML = "共" + d.total + "条 " + html;
      });
  }

  pager.addEventListener("click", function (ev) {
    var pg = ev.target.getAttribute("data-pg");
    if (pg) { ev.preventDefault(); render(parseInt(pg, 10)); }
  });
  render(1);
})();
"""


def json_endpoint(base_urls: Mapping[str, str]) -> Site:
    shell = "/web/zbfc.html"
    kit = Kit(
        "json_endpoint",
        Dress("支部风采", shell, (("/", "首页"), (shell, "支部风采"), ("/web/tzgg.html", "通知公告"),
                                  ("/web/xxzl.html", "学习资料")),
              "%Y年%m月%d日 %H:%M", "{date} &nbsp;|&nbsp; 来源：{source} &nbsp;|&nbsp; 撰稿：{authors}",
              "zb", "h1", "zb-content", footer("江岭省东湖市学院路6号")),
        base_urls, Endless("/web/huodong.html", "yue", "活动月历"), "/neibu/",
    )
    entries = coverage_plan()[kit.name]
    paths = [f"/web/detail/{kit.rng.getrandbits(40):010x}" for _ in entries]
    hidden = f"{kit.disallowed}detail/{kit.rng.getrandbits(40):010x}"
    kit.hidden(hidden)
    for i, (entry, path) in enumerate(zip(entries, paths, strict=True)):
        editor = person(kit.rng)
        kit.routes[path] = html_resource(kit.article(entry, editor=editor, tail=related_block(kit, entries, i, paths)))
        kit.expect(entry, path, list_date=f"{entry.published:%Y-%m-%d}", editor=editor)

    size = 8
    groups = pages_of(list(range(len(entries))), size)
    for number, indexes in enumerate(groups, start=1):
        records = [
            {"id": 5000 + i, "wzbt": entries[i].title, "ljdz": paths[i], "fbrq": f"{entries[i].published:%Y-%m-%d}",
             **({"fmtp": f"/upload/2021/cover_{5000 + i}.jpg"} if i % 3 == 0 else {})}
            for i in indexes
        ]
        if number == 1:
            records.insert(2, {"id": 4999, "wzbt": "支部内部学习资料汇编", "ljdz": hidden, "fbrq": "2021-01-11"})
        answer = {"code": 200, "msg": "ok", "data": {"total": len(entries), "pg": number, "size": size,
                                                     "list": records}}
        kit.listing(f"/api/content/page?channel=zbfc&size={size}&pg={number}",
                    Resource(json.dumps(answer, ensure_ascii=False).encode(), "application/json;charset=UTF-8"))
    script = "/static/js/zbfc-list.js"
    kit.listing(script, Resource((COLUMN_SCRIPT % {"size": size}).encode(), "application/javascript"))
    main = (
        '<div class="zb-crumbs">您的位置：<a href="/">首页</a> &gt; 支部风采</div>\n'
        '<div class="zb-column"><h3>支部风采</h3><ul id="zbfc-list" class="zb-list"></ul>'
        '<div id="zbfc-pager" class="zb-pager"></div></div>'
    )
    kit.listing(shell, html_resource(kit.page(f"支部风采-{kit.title}", main + f'<script src="{script}"></script>',
                                              trap=True)))
    kit.routes["/"] = html_resource(kit.page(kit.title, f'<a href="{shell}">支部风采</a>'))
    return kit.site((shell,))


# ------------------------------------------------------------------------------- 3. embedded JSON

STATE_SCRIPT = """(function () {
  var state = window.__LLXX_STATE__;
  var html = state.articles.map(function (a) {
    return '<li class="ll-item"><a href="' + a.href + '">' + a.tit + '</a><em>' + a.pubtime + '</em></li>';
  });
  document.getElementById("app").innerHTML = '<ul class="ll-list">' + html.join("") + "</ul>";
})();"""


def embedded_json(base_urls: Mapping[str, str]) -> Site:
    column = "/llxx/index.html"
    kit = Kit(
        "embedded_json",
        Dress("理论学习", column, (("/", "首页"), (column, "理论学习"), ("/gzdt/index.html", "工作动态"),
                                   ("/djzs/index.html", "党建知识")),
              "%Y-%m-%d", "时间：{date} &nbsp; 来源：{source} &nbsp; 作者：{authors}",
              "ll", "h1", "ll-text", footer("云湖街道文化路18号")),
        base_urls, Endless("/llxx/huodong.html", "yf", "活动一览"), "/llxx/caogao/",
    )
    entries = coverage_plan()[kit.name]
    numbers = ids(kit.rng, len(entries), 1000, 9999)
    paths = [f"/llxx/{e.published:%Y%m}/a{n}.htm" for e, n in zip(entries, numbers, strict=True)]
    hidden = f"{kit.disallowed}a{kit.rng.randint(1000, 9999)}.htm"
    kit.hidden(hidden)
    for i, (entry, path) in enumerate(zip(entries, paths, strict=True)):
        editor = person(kit.rng)
        kit.routes[path] = html_resource(kit.article(entry, editor=editor, tail=related_block(kit, entries, i, paths)))
        kit.expect(entry, path, list_date=f"{entry.published:%Y-%m-%d}", editor=editor)

    groups = pages_of(list(range(len(entries))), 6)
    page_paths = [column] + [f"/llxx/index-{n}.html" for n in range(2, len(groups) + 1)]
    for number, indexes in enumerate(groups):
        articles = [{"aid": numbers[i], "tit": entries[i].title, "href": paths[i],
                     "pubtime": f"{entries[i].published:%Y-%m-%d}", "hits": kit.rng.randint(10, 900)} for i in indexes]
        if number == 0:
            articles.append({"aid": 1, "tit": "草稿：街道党工委学习计划（待审）", "href": hidden, "pubtime": "2021-01-11",
                             "hits": 0})
        state = {"column": {"id": 77, "name": "理论学习"},
                 "pageInfo": {"current": number + 1, "pages": len(groups), "total": len(entries)},
                 "articles": articles}
        # PHP's json_encode look: ASCII only, slashes escaped
        embedded = json.dumps(state).replace("/", "\\/")
        pager = "".join(
            f"<span>{n + 1}</span>" if n == number else f'<a href="{page_paths[n]}">{n + 1}</a>'
            for n in range(len(groups))
        )
        if number + 1 < len(groups):
            pager += f'<a href="{page_paths[number + 1]}">下一页</a>'
        main = (
            '<div class="ll-crumbs">您的位置：<a href="/">首页</a> &gt; 理论学习</div>\n'
            '<div class="ll-main"><div id="app"><div class="skeleton">加载中……</div></div>\n'
            f'<nav class="ll-pages">{pager}</nav></div>\n'
            f"<script>window.__LLXX_STATE__ = {embedded};</script>\n<script>{STATE_SCRIPT}</script>"
        )
        kit.listing(page_paths[number], html_resource(kit.page(f"理论学习-{kit.title}", main, trap=True)))
    kit.routes["/"] = html_resource(kit.page(kit.title, f'<a href="{column}">理论学习</a>'))
    return kit.site((column,))


# ------------------------------------------------------------------------------- 4. script links


def script_links(base_urls: Mapping[str, str]) -> Site:
    column = "/dwgk/index.jhtml"
    kit = Kit(
        "script_links",
        Dress("党务公开", column, (("/", "网站首页"), (column, "党务公开"), ("/zzjs/index.jhtml", "组织建设"),
                                   ("/lzjs/index.jhtml", "廉政建设")),
              "%Y/%m/%d", "发布日期：{date} &nbsp; 来源：{source} &nbsp; 作者：{authors}",
              "jh", "h3", "jh-body", footer("金河镇人民路1号")),
        base_urls, Endless("/dwgk/huodong.jhtml", "yuefen", "活动安排"), "/dwgk/nb/",
    )
    entries = coverage_plan()[kit.name]
    paths = [f"/dwgk/{n}.jhtml" for n in ids(kit.rng, len(entries), 100, 999)]
    hidden = f"{kit.disallowed}{kit.rng.randint(100, 999)}.jhtml"
    kit.hidden(hidden)
    for i, (entry, path) in enumerate(zip(entries, paths, strict=True)):
        editor = person(kit.rng)
        kit.routes[path] = html_resource(kit.article(entry, editor=editor, tail=related_block(kit, entries, i, paths)))
        kit.expect(entry, path, list_date=f"{entry.published:%Y-%m-%d}" if i else None, editor=editor)

    def item(i: int) -> str:
        """Three ways a script-minded template links an article, in turn."""
        href, title, day = paths[i], esc(entries[i].title), f"{entries[i].published:%Y-%m-%d}"
        if i % 3 == 0:
            return f"<li><a href=\"javascript:openWin('{href}')\">{title}</a><span>{day}</span></li>"
        if i % 3 == 1:
            return (f"<li class=\"jh-row\" onclick=\"window.open('{href}','_blank')\"><span class=\"t\">{title}"
                    f"</span><span class=\"d\">{day}</span></li>")
        return (f'<li><a href="javascript:void(0);" onclick="location.href=\'{href}\';return false;">{title}</a>'
                f"<span>{day}</span></li>")

    # The newest article is the focus picture: linked by the image map only.
    focus = (
        '<div class="jh-focus"><img src="/static/img/focus.png" usemap="#jhfocus" alt="焦点图" width="600" '
        f'height="200"><map name="jhfocus"><area shape="rect" coords="0,0,400,200" href="{paths[0]}" '
        f'alt="{esc(entries[0].title)}" title="{esc(entries[0].title)}">'
        f'<area shape="rect" coords="400,0,600,200" href="{paths[1]}" alt="{esc(entries[1].title)}"></map></div>'
    )
    groups = pages_of(list(range(1, len(entries))), 7)
    page_paths = [column] + [f"/dwgk/index_{n}.jhtml" for n in range(2, len(groups) + 1)]
    for number, indexes in enumerate(groups):
        items = [item(i) for i in indexes]
        if number == 0:
            items.insert(4, f"<li><a href=\"javascript:openWin('{hidden}')\">内部传阅：党务资料目录</a>"
                            "<span>2021-01-11</span></li>")
        pager = [f"第{number + 1}页 共{len(groups)}页"]
        for label, target in (("上一页", number - 1), ("下一页", number + 1)):
            if 0 <= target < len(groups):
                pager.append(f'<a href="javascript:void(0);" onclick="location.href=\'{page_paths[target]}\'">'
                             f"{label}</a>")
        main = (
            "<script>function openWin(url) { window.open(url, '_blank', 'width=1000,height=800'); }</script>\n"
            '<div class="jh-crumbs">当前位置：<a href="/">网站首页</a> &gt; 党务公开</div>\n'
            + (focus if number == 0 else "")
            + '<ul class="jh-list">\n' + "\n".join(items) + "\n</ul>\n"
            f'<div class="jh-pager">{" ".join(pager)}</div>'
        )
        kit.listing(page_paths[number], html_resource(kit.page(f"党务公开_{kit.title}", main, trap=True)))
    kit.routes["/"] = html_resource(kit.page(kit.title, f'<a href="{column}">党务公开</a>'))
    return kit.site((column,))


# ------------------------------------------------------------------------------- 5. blog with feeds


def blog_feeds(base_urls: Mapping[str, str]) -> Site:
    kit = Kit(
        "blog_feeds",
        Dress("工作站日志", "/", (("/", "首页"), ("/topics/zhibu/", "支部生活"), ("/topics/shouji/", "走访手记"),
                                  ("/about/", "关于工作站"), ("/contact/", "联系我们")),
              "%Y年%-m月%-d日", "{date} · {authors} · {source}",
              "note", "h1", "note-content", footer("北坪镇党群服务中心")),
        base_urls, Endless("/archive/", "m", "按月归档"), "/drafts/",
    )
    entries = coverage_plan()[kit.name]
    slugs = ["".join(kit.rng.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(5)) for _ in entries]
    paths = [f"/note/{slug}/" for slug in slugs]
    authors = [BLOG_AUTHORS[i % len(BLOG_AUTHORS)] for i in range(len(entries))]
    tags = [(BLOG_TAGS[i % len(BLOG_TAGS)], BLOG_TAGS[(i * 2 + 1) % len(BLOG_TAGS)]) for i in range(len(entries))]
    topics = [BLOG_TOPICS[i % 2] for i in range(len(entries))]
    hidden = f"{kit.disallowed}{kit.rng.randint(100, 999)}/"
    kit.hidden(hidden)
    head = f'<link rel="alternate" type="application/atom+xml" title="{kit.title}" href="/feed/atom.xml">\n'

    def tag_links(i: int) -> str:
        return " ".join(f'<a href="/tag/{slug}/" rel="tag">#{label}</a>' for slug, label in tags[i])

    for i, (entry, path) in enumerate(zip(entries, paths, strict=True)):
        editor = person(kit.rng)
        comments = (
            f'<div class="note-tags">{tag_links(i)}</div>\n'
            f'<section id="comments"><h4>{i % 4} 条评论</h4><a href="/login/?next={path}">登录后发表评论</a></section>\n'
            + neighbours(entries, i, lambda j: paths[j])
        )
        author_link = f'<a href="/author/{authors[i][0]}/">{authors[i][1]}</a>'
        page = kit.article(entry, editor=editor, head=head, authors=(authors[i][1],), tail=comments).replace(
            esc(authors[i][1]), author_link, 1)
        kit.routes[path] = html_resource(page)
        kit.expect(entry, path, list_date=None, editor=editor, authors=(authors[i][1],))

    def card(i: int) -> str:
        excerpt = entries[i].paragraphs[0][:60] + "……"
        return (
            '<article class="post-card">\n'
            f'<h2 class="post-card__title"><a href="{paths[i]}">{esc(entries[i].title)}</a></h2>\n'
            f'<div class="post-card__meta">作者 <a href="/author/{authors[i][0]}/">{authors[i][1]}</a> · 分类 '
            f'<a href="/topics/{topics[i][0]}/">{topics[i][1]}</a></div>\n'
            f'<p class="post-card__excerpt">{esc(excerpt)}</p>\n<div class="post-card__tags">{tag_links(i)}</div>\n'
            f'<a class="post-card__more" href="{paths[i]}">阅读全文 »</a> '
            f'<a href="{paths[i]}#comments">{i % 4} 条评论</a>\n</article>'
        )

    sidebar = (
        '<aside class="sidebar"><h4>标签</h4>'
        + " ".join(f'<a href="/tag/{slug}/">{label}</a>' for slug, label in BLOG_TAGS)
        + "<h4>作者</h4>" + " ".join(f'<a href="/author/{slug}/">{label}</a>' for slug, label in BLOG_AUTHORS)
        + "<h4>归档</h4>" + " ".join(f'<a href="{esc(kit.endless.href(2021, m))}">2021年{m}月</a>' for m in (6, 5, 4))
        + '<h4>订阅</h4><a href="/feed/atom.xml">Atom 订阅</a></aside>'
    )
    listed = list(range(len(entries) - SITEMAP_ONLY))
    groups = pages_of(listed, 6)
    page_paths = ["/"] + [f"/page/{n}/" for n in range(2, len(groups) + 1)]
    for number, indexes in enumerate(groups):
        cards = [card(i) for i in indexes]
        if number == 0:
            cards.insert(2, f'<article class="post-card"><h2 class="post-card__title"><a href="{hidden}">'
                            "（草稿）待发布的走访记录</a></h2></article>")
        pager = " ".join(f'<a href="{page_paths[n]}">{n + 1}</a>' if n != number else f"<span>{n + 1}</span>"
                         for n in range(len(groups)))
        if number + 1 < len(groups):
            pager += f' <a class="next" href="{page_paths[number + 1]}">更早的日志 →</a>'
        main = '<main class="posts">\n' + "\n".join(cards) + f'\n<nav class="pager">{pager}</nav></main>\n{sidebar}'
        kit.listing(page_paths[number], html_resource(kit.page(kit.title, main, head, trap=True)))
    for group, members in (
        *((f"/tag/{slug}/", [i for i in listed if (slug, label) in tags[i]]) for slug, label in BLOG_TAGS),
        *((f"/author/{slug}/", [i for i in listed if authors[i][0] == slug]) for slug, _ in BLOG_AUTHORS),
        *((f"/topics/{slug}/", [i for i in listed if topics[i][0] == slug]) for slug, _ in BLOG_TOPICS),
    ):
        kit.listing(group, html_resource(kit.page(kit.title, "\n".join(card(i) for i in members) + sidebar, head)))
    for path, text in (("/about/", "北坪镇党员工作站是镇党委设立的党员服务窗口，记录支部生活和走访见闻。"),
                       ("/contact/", "联系电话：0000-1234567 &nbsp; 地址：北坪镇党群服务中心二楼。")):
        kit.routes[path] = html_resource(kit.page(kit.title, f"<p>{text}</p>"))

    base = kit.base
    feed_entries = "".join(
        f"<entry><title>{xml_escape(entries[i].title)}</title><link href=\"{base}{paths[i]}\"/>"
        f"<id>{base}{paths[i]}</id><updated>{entries[i].published:%Y-%m-%dT%H:%M:00+08:00}</updated>"
        f"<author><name>{authors[i][1]}</name></author>"
        f"<summary>{xml_escape(entries[i].paragraphs[0][:60])}</summary></entry>\n"
        for i in listed[:10]
    )
    kit.listing("/feed/atom.xml", Resource(
        ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
         f'<title>{kit.title}</title><link href="{base}/"/><id>{base}/</id>'
         f"<updated>{entries[0].published:%Y-%m-%dT%H:%M:00+08:00}</updated>\n{feed_entries}</feed>\n").encode(),
        "application/atom+xml; charset=utf-8"))

    def urlset(locs: list[tuple[str, datetime]]) -> Resource:
        urls = "".join(f"<url><loc>{base}{loc}</loc><lastmod>{moment:%Y-%m-%d}</lastmod></url>\n"
                       for loc, moment in locs)
        return Resource(('<?xml version="1.0" encoding="UTF-8"?>\n'
                         f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n').encode(),
                        "application/xml")

    notes = [(paths[i], entries[i].published) for i in range(len(entries))]
    sitemaps = {"/sitemaps/notes-1.xml": urlset(notes[:9]), "/sitemaps/notes-2.xml": urlset(notes[9:]),
                "/sitemaps/pages.xml": urlset([("/about/", entries[-1].published),
                                               ("/contact/", entries[-1].published)])}
    for path, resource in sitemaps.items():
        kit.listing(path, resource)
    index = "".join(f"<sitemap><loc>{base}{path}</loc></sitemap>\n" for path in sitemaps)
    kit.listing("/sitemap-index.xml", Resource(
        ('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
         f"{index}</sitemapindex>\n").encode(), "application/xml"))
    return kit.site(("/",), sitemap=f"{base}/sitemap-index.xml")


# ------------------------------------------------------------------------------- 6. multi-page articles


def split(paragraphs: tuple[str, ...], pages: int) -> list[tuple[str, ...]]:
    """Paragraphs dealt over `pages` pages in order, the earlier pages taking the remainder."""
    size, extra = divmod(len(paragraphs), pages)
    bounds = [0]
    for page in range(pages):
        bounds.append(bounds[-1] + size + (page < extra))
    return [paragraphs[start:end] for start, end in zip(bounds, bounds[1:], strict=False)]


def multipage(base_urls: Mapping[str, str]) -> Site:
    column = "/wenku/dangshi/index.html"
    kit = Kit(
        "multipage",
        Dress("党史文库", column, (("/", "首页"), (column, "党史文库"), ("/wenku/lilun/index.html", "理论文库"),
                                   ("/wenku/shipin/index.html", "视频课程")),
              "%Y-%m-%d %H:%M", "发布时间：{date} &nbsp; 来源：{source} &nbsp; 作者：{authors}",
              "wk", "h1", "wk-text", footer("江岭省委党校图书馆")),
        base_urls, Endless("/wenku/jiangzuo.html", "qi", "讲座排期"), "/wenku/neican/",
    )
    entries = coverage_plan()[kit.name]
    paths = [f"/wenku/dangshi/{e.published:%Y%m}/{n}.html"
             for e, n in zip(entries, ids(kit.rng, len(entries), 30000, 39999), strict=True)]
    hidden = f"{kit.disallowed}{kit.rng.randint(30000, 39999)}.html"
    kit.hidden(hidden)

    def page_urls(i: int) -> list[str]:
        """Page 1 is the article's own URL; later pages by stem (even articles) or by `?p=` (odd ones)."""
        count, stem = MULTIPAGE_PAGES.get(i, 1), paths[i].removesuffix(".html")
        return [paths[i]] + [f"{stem}_{n}.html" if i % 2 == 0 else f"{paths[i]}?p={n}" for n in range(2, count + 1)]

    for i, entry in enumerate(entries):
        editor, urls = person(kit.rng), page_urls(i)
        by_query = len(urls) > 1 and i % 2 == 1
        # a `?p=` pager links page 1 as `?p=1`: a second URL of page 1
        pager_urls = [f"{paths[i]}?p=1", *urls[1:]] if by_query else urls
        tail = related_block(kit, entries, i, paths)
        for number, (url, paragraphs) in enumerate(zip(urls, split(entry.paragraphs, len(urls)), strict=True)):
            pager = ""
            if len(urls) > 1:
                links = [f"<span>{n + 1}</span>" if n == number else f'<a href="{other}">{n + 1}</a>'
                         for n, other in enumerate(pager_urls)]
                if number + 1 < len(urls):
                    links.append(f'<a href="{urls[number + 1]}">下一页</a>')
                pager = f'<div class="wk-pages">分页：{" ".join(links)}</div>\n'
            kit.routes[url] = html_resource(kit.article(entry, paragraphs=paragraphs, editor=editor,
                                                        after_body=pager, tail=tail))
        if by_query:
            kit.routes[pager_urls[0]] = kit.routes[paths[i]]
            kit.aliases[pager_urls[0]] = paths[i]
        kit.expect(entry, paths[i], list_date=f"{entry.published:%Y-%m-%d}", editor=editor,
                   parts=tuple(urls[1:]), aliases=(pager_urls[0],) if by_query else ())

    groups = pages_of(list(range(len(entries))), 5)
    page_paths = [column] + [f"/wenku/dangshi/index{n}.html" for n in range(2, len(groups) + 1)]
    for number, indexes in enumerate(groups):
        rows = [f'<dd><a href="{paths[i]}" target="_blank">{esc(entries[i].title)}</a>'
                f"<span>{entries[i].published:%Y-%m-%d}</span>"
                + (f'<em class="pages">（共{MULTIPAGE_PAGES[i]}页）</em>' if i in MULTIPAGE_PAGES else "")
                + "</dd>" for i in indexes]
        if number == 0:
            rows.append(f'<dd><a href="{hidden}">内参：党史研究资料选编</a><span>2021-01-11</span></dd>')
        pager = " ".join(f'<a href="{page_paths[n]}">{n + 1}</a>' if n != number else f"<b>{n + 1}</b>"
                         for n in range(len(groups)))
        if number + 1 < len(groups):
            pager += f' <a href="{page_paths[number + 1]}">下一页</a>'
        main = ('<div class="wk-crumbs">您的位置：<a href="/">首页</a> &gt; 党史文库</div>\n<dl class="wk-list">'
                '<dt>党史文库</dt>\n' + "\n".join(rows) + f'\n</dl>\n<div class="wk-pager">{pager}</div>')
        kit.listing(page_paths[number], html_resource(kit.page(f"党史文库-{kit.title}", main, trap=True)))
    kit.routes["/"] = html_resource(kit.page(kit.title, f'<a href="{column}">党史文库</a>'))
    return kit.site((column,))


# ------------------------------------------------------------------------------- 7. URL identity


def url_aliases(base_urls: Mapping[str, str]) -> Site:
    column = "/xinwen/list.do"
    kit = Kit(
        "url_aliases",
        Dress("东渡要闻", column, (("/", "首页"), (column, "东渡要闻"), ("/xinwen/list.do?lb=2", "部门动态"),
                                   ("/xinwen/list.do?lb=3", "图片新闻")),
              "%Y-%m-%d %H:%M", "{date} &nbsp; 来源：{source} &nbsp; 记者：{authors}",
              "dd", "h2", "dd-article-body", footer("东渡街道滨江路99号")),
        base_urls, Endless("/xinwen/rili.do", "yuef", "新闻日历"), "/xinwen/neibu/",
    )
    entries = coverage_plan()[kit.name]
    aids = ids(kit.rng, len(entries), 20000, 29999)
    paths = [f"/xinwen/article.do?aid={aid}" for aid in aids]
    old = {i: f"/xinwen/archive/{aids[i]}.htm" for i in REDIRECTED}
    per_page = 6
    groups = pages_of(list(range(len(entries))), per_page)
    sessions = [f"{kit.rng.getrandbits(128):032X}" for _ in groups]
    hot_sids = [f"{kit.rng.getrandbits(64):016x}" for _ in groups]
    hidden = f"{kit.disallowed}article.do?aid={kit.rng.randint(20000, 29999)}"
    kit.hidden(hidden)
    alias_of: dict[int, list[str]] = {i: [f"/xinwen/print.do?aid={aids[i]}"] for i in range(len(entries))}

    def with_session(path: str, sid: str) -> str:
        where, _, query = path.partition("?")
        return f"{where};jsessionid={sid}" + (f"?{query}" if query else "")

    def linked(i: int, sid: str) -> str:
        """The address a list page links: the old one for moved articles, with the page's session."""
        address = with_session(old.get(i, paths[i]), sid)
        alias_of[i].append(address)
        return address

    hot = [0, 2, 7]  # also in the hot list of every list page, with a PHP-style sid
    # A servlet answers with or without the session in the URL: the plain address is the page's own.
    list_paths = [column] + [f"{column}?start={n * per_page}" for n in range(1, len(groups))]
    for number, indexes in enumerate(groups):
        sid = sessions[number]
        rows = "".join(f'<tr><td><a href="{esc(linked(i, sid))}" target="_blank">{esc(entries[i].title)}</a></td>'
                       f"<td>{entries[i].published:%Y-%m-%d}</td></tr>\n" for i in indexes)
        if number == 0:
            rows += f'<tr><td><a href="{esc(with_session(hidden, sid))}">内部通报</a></td><td>2021-01-11</td></tr>\n'
        hot_links = []
        for i in hot:
            address = f"{paths[i]}&sid={hot_sids[number]}"
            alias_of[i].append(address)
            hot_links.append(f'<li><a href="{esc(address)}">{esc(entries[i].title)}</a></li>')
        pager = [f"共{len(entries)}条"]
        for label, target in (("首页", 0), ("上一页", number - 1), ("下一页", number + 1),
                              ("尾页", len(groups) - 1)):
            if 0 <= target < len(groups) and target != number:
                href = with_session(f"{column}?start={target * per_page}" if target else column, sid)
                pager.append(f'<a href="{esc(href)}">{label}</a>')
                if href not in list_paths:
                    kit.aliases[href] = list_paths[target]
        main = (f'<div class="dd-crumbs">当前位置：<a href="/">首页</a> &gt; 东渡要闻</div>\n'
                f'<table class="dd-list">\n{rows}</table>\n<div class="dd-pager">{" ".join(pager)}</div>\n'
                f'<div class="dd-hot"><h4>热点新闻</h4><ul>{"".join(hot_links)}</ul></div>')
        kit.listing(list_paths[number], html_resource(kit.page(f"东渡要闻-{kit.title}", main, trap=True)))
    for alias, path in list(kit.aliases.items()):
        kit.routes[alias] = kit.routes[path]
        kit.listings.add(alias)

    for i, (entry, path) in enumerate(zip(entries, paths, strict=True)):
        editor = person(kit.rng)
        canonical = f'<link rel="canonical" href="{esc(kit.base + path)}">\n'
        tools = f'<div class="dd-print"><a href="/xinwen/print.do?aid={aids[i]}" target="_blank">打印</a></div>\n'
        page = html_resource(kit.article(entry, editor=editor, head=canonical, after_body=tools,
                                         tail=related_block(kit, entries, i, paths)))
        kit.routes[path] = page
        printed = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{esc(entry.title)}</title>{canonical}'
                   f'</head><body onload="window.print()"><h2>{esc(entry.title)}</h2><p>{kit.shown(entry)}</p>'
                   + "".join(f"<p>{esc(text)}</p>" for text in entry.paragraphs) + "</body></html>")
        kit.routes[alias_of[i][0]] = html_resource(printed)
        for alias in dict.fromkeys(alias_of[i][1:]):
            moved = alias.split(";")[0].split("?")[0] == old.get(i)
            kit.routes[alias] = (Resource(b"", "text/html; charset=utf-8", 301, (("Location", kit.base + path),))
                                 if moved else page)
        if i in old:
            alias_of[i].append(old[i])
            kit.routes[old[i]] = Resource(b"", "text/html; charset=utf-8", 301, (("Location", kit.base + path),))
        unique = tuple(dict.fromkeys(alias_of[i]))
        kit.aliases.update({alias: path for alias in unique})
        kit.expect(entry, path, list_date=f"{entry.published:%Y-%m-%d}", editor=editor, aliases=unique)
    kit.routes["/"] = html_resource(kit.page(kit.title, f'<a href="{column}">东渡要闻</a>'))
    return kit.site((column,))


# ------------------------------------------------------------------------------- 8. portal home


def portal_home(base_urls: Mapping[str, str]) -> Site:
    home = "/portal/index.shtml"
    columns = (("gzdt", "工作动态"), ("jcfc", "基层风采"))
    kit = Kit(
        "portal_home",
        Dress("", home, (("/portal/index.shtml", "首页"), ("/portal/gzdt/index.shtml", "工作动态"),
                         ("/portal/jcfc/index.shtml", "基层风采"), ("/portal/mulu/index.shtml", "干部名录"),
                         ("/portal/about.shtml", "机构简介"), ("/portal/contact.shtml", "联系我们"),
                         ("/passport/signin.shtml?ret=/portal/index.shtml", "登录")),
              "%Y-%m-%d", "发布时间：{date} &nbsp; 来源：{source} &nbsp; 作者：{authors}",
              "lx", "h1", "lx-zw", footer("临溪县行政中心五楼")),
        base_urls, Endless("/portal/huodong.shtml", "riqi", "活动日程"), "/portal/neibu/",
    )
    entries = coverage_plan()[kit.name]
    numbers = ids(kit.rng, len(entries), 100000, 999999)
    column_of = [columns[i % 2] for i in range(len(entries))]
    paths = [f"/portal/{column_of[i][0]}/{e.published:%Y-%m}/d{numbers[i]}.shtml" for i, e in enumerate(entries)]
    hidden = f"{kit.disallowed}d{kit.rng.randint(100000, 999999)}.shtml"
    kit.hidden(hidden)
    for i, (entry, path) in enumerate(zip(entries, paths, strict=True)):
        editor = person(kit.rng)
        slug, label = column_of[i]
        kit.dress = dataclasses.replace(kit.dress, column=label, column_path=f"/portal/{slug}/index.shtml")
        kit.routes[path] = html_resource(kit.article(entry, editor=editor, tail=related_block(kit, entries, i, paths)))
        kit.expect(entry, path, list_date=f"{entry.published:%Y-%m-%d}", editor=editor)

    def headline(i: int) -> str:
        return (f'<li><a href="{paths[i]}" title="{esc(entries[i].title)}">{esc(entries[i].title)}</a>'
                f"<span>{entries[i].published:%m-%d}</span></li>")

    blocks = []
    for slug, label in columns:
        members = [i for i in range(len(entries)) if column_of[i][0] == slug]
        blocks.append(f'<div class="lx-block"><div class="lx-block-hd"><span>{label}</span>'
                      f'<a class="more" href="/portal/{slug}/index.shtml">更多&gt;&gt;</a></div>'
                      f'<ul>{"".join(headline(i) for i in members[:4])}</ul></div>')
        groups = pages_of(members, 5)
        page_paths = [f"/portal/{slug}/index.shtml"] + [f"/portal/{slug}/list-{n}.shtml"
                                                        for n in range(2, len(groups) + 1)]
        for number, indexes in enumerate(groups):
            rows = "".join(f'<li><a href="{paths[i]}" target="_blank">{esc(entries[i].title)}</a>'
                           f"<span>{entries[i].published:%Y-%m-%d}</span></li>\n" for i in indexes)
            if number == 0 and slug == "gzdt":
                rows += f'<li><a href="{hidden}">内部工作简报</a><span>2021-01-11</span></li>\n'
            pager = " ".join(f'<a href="{page_paths[n]}">{n + 1}</a>' if n != number else f"<b>{n + 1}</b>"
                             for n in range(len(groups)))
            if number + 1 < len(groups):
                pager += f' <a href="{page_paths[number + 1]}">下一页</a>'
            main = (f'<div class="lx-crumbs">当前位置：<a href="{home}">首页</a> &gt; {label}</div>\n'
                    f'<ul class="lx-list">\n{rows}</ul>\n<div class="lx-pager">{pager}</div>')
            kit.listing(page_paths[number], html_resource(kit.page(f"{label}_{kit.title}", main, trap=True)))

    staff_rows = []
    for number, (name, post) in enumerate(STAFF):
        profile = f"/portal/mulu/ren{1021 + number}.shtml"
        staff_rows.append(f'<tr><td><a href="{profile}">{name}</a></td><td>{post}</td>'
                          f"<td>0000-55{number:02d}1{number}</td></tr>")
        kit.routes[profile] = html_resource(kit.page(f"{name}_{kit.title}", (
            f'<div class="lx-profile"><h2>{name}</h2><p>职务：{post}</p>'
            f"<p>{name}同志负责{post.removesuffix('干部')}相关工作，联系电话见干部名录。</p></div>")))
    kit.routes["/portal/mulu/index.shtml"] = html_resource(kit.page(f"干部名录_{kit.title}", (
        '<div class="lx-crumbs">当前位置：<a href="/portal/index.shtml">首页</a> &gt; 干部名录</div>'
        '<table class="lx-mulu"><tr><th>姓名</th><th>职务</th><th>电话</th></tr>' + "".join(staff_rows)
        + "</table>")))
    for path, text in (("/portal/about.shtml", "县委直属机关工委是县委的派出机关，负责县直机关党的建设工作。"),
                       ("/portal/contact.shtml", "办公地址：临溪县行政中心五楼 &nbsp; 邮编：100002"),
                       ("/passport/signin.shtml?ret=/portal/index.shtml", "请输入用户名和密码。")):
        kit.routes[path] = html_resource(kit.page(kit.title, f"<p>{text}</p>"))
    portal = (f'<div class="lx-banner"><img src="/static/img/banner.jpg" alt="{kit.title}"></div>\n'
              f'<div class="lx-blocks">{"".join(blocks)}</div>\n'
              f'<div class="lx-links"><a href="/portal/mulu/index.shtml">干部名录</a> '
              '<a href="/portal/about.shtml">机构简介</a></div>')
    kit.listing(home, html_resource(kit.page(kit.title, portal, trap=True)))
    kit.listing("/", html_resource(
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="0; url={home}">'
        f"<title>{kit.title}</title></head><body><p>正在进入{kit.title}……</p></body></html>"))
    return kit.site(("/",))


COVERAGE_BUILDERS: dict[str, Callable[[Mapping[str, str]], Site]] = {
    "xml_datastore": xml_datastore,
    "json_endpoint": json_endpoint,
    "embedded_json": embedded_json,
    "script_links": script_links,
    "blog_feeds": blog_feeds,
    "multipage": multipage,
    "url_aliases": url_aliases,
    "portal_home": portal_home,
}
ALL_BUILDERS = {**BUILDERS, **COVERAGE_BUILDERS}
