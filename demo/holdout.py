"""The held-out farm: six synthetic sites in conventions neither demo/farm.py nor demo/coverage.py uses.

They exist to measure, not to tune: the crawler was built on the demo and coverage farms, and these sites
ask the same questions (find every article once, nothing else, never a robots path, a trap or another host)
of site conventions it has not seen. Built like the other farms (fixed seeds, text from demo/text.py,
`ExpectedArticle` ground truth, a robots.txt Disallow path holding one linked article-looking page, an
endless by-month page, links to peers and public hosts):
- `xxgk_table`: 政府信息公开目录, served in GBK declared only in `<meta>`; a table of 序号/索引号/名称/文号/
  发布日期; articles at `show.aspx?xxid=N&lmid=1203` (related links name the parameters the other way round);
  paging only by a `<select onchange>` and a GET form (`curpage`), no pager `<a>`.
- `iframe_list`: an old county site whose column page holds the list in `<iframe src=...>`; the framed
  ASP document has the rows (`shownews.asp?id=N`, relative) and a 首页/上一页/下一页/尾页 pager.
- `spa_post`: a Vue-style shell; a linked script POSTs `{current, size, columnCode, title}` as JSON to
  `/prod-api/cms/article/page` (GET answers 405); article routes `/article/<articleId>` built from a
  19-digit id, server-rendered; records with `linkType: 1` carry their own `linkUrl` (one off-site, one
  under the robots path).
- `wp_blog`: WordPress with plain post links `/?p=N`, `/page/N/` paging, category/tag/author/month archives,
  `?replytocom=` comment-reply copies of posts (canonical link given), `/feed/` RSS, `wp-sitemap.xml` index
  whose page sitemap names `/?page_id=N` pages that are not news, an events-calendar month trap.
- `univ_pages`: a university news site (WebPlus-like `cNNNNaNNNNN/page.htm` URLs), lists printing
  `[YYYY-MM-DD]` after the link, a 图片新闻 carousel linking page-1 articles again (absolute URLs), articles
  split over `page.htm?page=N` with a query-only pager (`?page=1` is page 1 again).
- `portal_tabs`: a DedeCMS-like portal; start URL `/`; tabbed headline boxes (one `<ul>` per tab, toggled by
  script), 更多 links that are images (`<img alt="更多">`), column lists as `<dl><dt><a>`, `list_5_2.html`
  paging, an about page, a guestbook under the robots path.
"""

from __future__ import annotations

import dataclasses
import json
import random
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import ClassVar
from xml.sax.saxutils import escape as xml_escape

from demo.coverage import coverage_plan, split
from demo.farm import (
    PUBLIC_HOSTS,
    SEED,
    Entry,
    ExpectedArticle,
    Resource,
    Site,
    _entry,
    adjacent_months,
    esc,
    expected,
    pages_of,
    person,
    plan,
    site_rng,
    unique_story,
)

HOLDOUT_TITLES = {
    "xxgk_table": "松原县人民政府信息公开",
    "iframe_list": "青石镇人民政府",
    "spa_post": "江岭市直机关党建云平台",
    "wp_blog": "柳河村党支部",
    "univ_pages": "南岭师范大学新闻网",
    "portal_tabs": "白沙县党建网",
}
HOLDOUT_SITE_NAMES = tuple(HOLDOUT_TITLES)
HOLDOUT_COUNTS = {
    "xxgk_table": 16,
    "iframe_list": 14,
    "spa_post": 19,
    "wp_blog": 17,
    "univ_pages": 12,
    "portal_tabs": 18,
}
HOLDOUT_WINDOW = (date(2020, 11, 2), date(2021, 6, 20))
UNIV_PAGES = {0: 2, 1: 3, 4: 2, 7: 3, 9: 2}  # univ_pages article index -> pages it is split over


def held_out_plan(tag: str, counts: Mapping[str, int], window: tuple[date, date],
                  earlier: Iterable[Mapping[str, list[Entry]]]) -> tuple[dict[str, list[Entry]], random.Random, set[str]]:
    """The stories of each site of a held-out farm, newest first, no title repeating one of the `earlier` farms';
    with the farm's random source and the titles taken, for stories it adds itself."""
    rng = random.Random(f"{SEED}-{tag}")
    titles = {e.title for farm_plan in earlier for entries in farm_plan.values() for e in entries}
    sites = {
        site: sorted((_entry(unique_story(rng, titles, f"{site}-{i}", window)) for i in range(count)),
                     key=lambda e: e.published, reverse=True)
        for site, count in counts.items()
    }
    return sites, rng, titles


@cache
def holdout_plan() -> dict[str, list[Entry]]:
    """The stories of each held-out site, newest first; no title repeats one of the other farms'."""
    sites, rng, titles = held_out_plan("holdout", HOLDOUT_COUNTS, HOLDOUT_WINDOW, (plan(), coverage_plan()))
    sites["univ_pages"] = [
        dataclasses.replace(entry, paragraphs=entry.paragraphs
                            + unique_story(rng, titles, f"univ_pages-{i}-more", HOLDOUT_WINDOW).paragraphs)
        if i in UNIV_PAGES else entry
        for i, entry in enumerate(sites["univ_pages"])
    ]
    return sites


# ---------------------------------------------------------------------------------------------- the kit


@dataclass(frozen=True)
class Trap:
    """An endless by-month page: `pattern` holds {y} and {m} (zero-padded month), e.g. '/events/month/{y}-{m}/'."""

    pattern: str
    label: str

    @property
    def prefix(self) -> str:
        return self.pattern.split("{")[0]

    def href(self, year: int, month: int) -> str:
        return self.pattern.format(y=year, m=f"{month:02d}")

    def link(self) -> str:
        return f'<a class="rili" href="{esc(self.href(2021, 1))}">{self.label}</a>'

    def __call__(self, target: str) -> Resource | None:
        regex = re.escape(self.pattern).replace(r"\{y\}", r"(\d{4})").replace(r"\{m\}", r"(\d{2})")
        match = re.fullmatch(regex, target)
        if not match or not 1 <= int(match[2]) <= 12:
            return None
        year, month = int(match[1]), int(match[2])
        before, after = adjacent_months(year, month)
        text = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{self.label} {year}年{month}月</title>'
                f"</head><body><h3>{self.label}：{year}年{month}月</h3><p>本月暂无安排。</p>"
                f'<a href="{esc(self.href(*before))}">&lt; 上月</a> <a href="{esc(self.href(*after))}">下月 &gt;</a>'
                "</body></html>")
        return Resource(text.encode(), "text/html; charset=utf-8")


@dataclass
class HoldoutSite(Site):
    """A farm site that may also answer POST requests (`post(target, body)`); the server asks it."""

    post_handler: Callable[[str, bytes], Resource | None] | None = None
    posted: list[tuple[str, bytes]] = field(default_factory=list)  # every POST it received, in order

    def post(self, target: str, body: bytes) -> Resource | None:
        self.posted.append((target, body))
        return self.post_handler(target, body) if self.post_handler else None


@dataclass
class HKit:
    """What a held-out site is built with; each farm's kit names its titles, its random seed's tag and the
    class of its link box."""

    TAG: ClassVar[str] = "holdout"
    TITLES: ClassVar[Mapping[str, str]] = HOLDOUT_TITLES
    LINKS_CLASS: ClassVar[str] = "yqlj"
    name: str
    base_urls: Mapping[str, str]
    disallowed: str
    trap: Trap
    charset: str = "utf-8"
    rng: random.Random = field(init=False)
    routes: dict[str, Resource] = field(default_factory=dict)
    truth: list[ExpectedArticle] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    listings: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.rng = site_rng(f"{self.TAG}-{self.name}")

    @property
    def title(self) -> str:
        return self.TITLES[self.name]

    @property
    def base(self) -> str:
        return self.base_urls[self.name]

    def html(self, text: str) -> Resource:
        """GBK sites declare the charset only in `<meta>`; UTF-8 ones in the header too."""
        if self.charset == "utf-8":
            return Resource(text.encode(), "text/html; charset=utf-8")
        return Resource(text.encode(self.charset), "text/html")

    def friends(self) -> str:
        links = [f'<a href="{base}/" target="_blank">{esc(self.TITLES[name])}</a>'
                 for name, base in self.base_urls.items() if name != self.name and name in self.TITLES]
        links += [f'<a href="{url}" target="_blank">{url.split("/")[2]}</a>' for url in PUBLIC_HOSTS]
        return f'<div class="{self.LINKS_CLASS}">友情链接：' + " ".join(links) + "</div>"

    def listing(self, path: str, resource: Resource, *aliases: str) -> None:
        self.routes[path] = resource
        self.listings.add(path)
        for alias in aliases:
            self.routes[alias] = resource
            self.aliases[alias] = path
            self.listings.add(alias)

    def expect(self, entry: Entry, path: str, *, category: str, published: str, minute: bool,
               list_date: str | None, editors: tuple[str, ...], **extra) -> None:
        self.truth.append(expected(self.name, self.title, entry, path, category=category, minute=minute,
                                   published=published, list_date=list_date, editors=editors, **extra))

    def site(self, start_paths: tuple[str, ...], robots_text: str | None = None, **extra) -> HoldoutSite:
        text = robots_text or f"User-agent: *\nDisallow: {self.disallowed}\n"
        self.routes["/robots.txt"] = Resource(text.encode(), "text/plain; charset=utf-8")
        return HoldoutSite(self.name, self.title, start_paths, self.disallowed, self.routes, self.truth,
                           trap_prefix=self.trap.prefix, endless=self.trap, listings=frozenset(self.listings),
                           aliases=self.aliases, **extra)


def body_html(paragraphs: tuple[str, ...], style: str = "text-indent:2em") -> str:
    return "\n".join(f'<p style="{style}">{esc(text)}</p>' for text in paragraphs)


def unique_ids(rng: random.Random, count: int, low: int, high: int) -> list[int]:
    return rng.sample(range(low, high), count)


# ------------------------------------------------------------------------ 1. 政府信息公开目录 (GBK)


def xxgk_table(base_urls: Mapping[str, str]) -> Site:
    kit = HKit("xxgk_table", base_urls, "/zwgk/ysqgk/", Trap("/zwgk/rili.aspx?ny={y}{m}", "政务日历"), "gbk")
    entries = holdout_plan()[kit.name]
    column, category = "/zwgk/xxgkml/list.aspx?lmid=1203", "工作动态"
    xxids = unique_ids(kit.rng, len(entries), 20210000, 20219999)
    paths = [f"/zwgk/xxgkml/show.aspx?xxid={n}&lmid=1203" for n in xxids]
    swapped = [f"/zwgk/xxgkml/show.aspx?lmid=1203&xxid={n}" for n in xxids]  # how related links write it
    indexes = [f"000014349/{e.published:%Y}-{kit.rng.randint(100, 999):05d}" for e in entries]
    numbers = [f"松政办发〔{e.published:%Y}〕{kit.rng.randint(1, 60)}号" if i % 3 == 0 else ""
               for i, e in enumerate(entries)]
    hidden_id = kit.rng.randint(20210000, 20219999)
    hidden = f"{kit.disallowed}show.aspx?xxid={hidden_id}&lmid=1299"

    def page(page_title: str, main: str, trap: bool = False) -> str:
        return (
            '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n<html><head>\n'
            '<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />\n'
            f"<title>{esc(page_title)}</title>\n"
            '<link type="text/css" rel="stylesheet" href="/zwgk/css/xxgk.css" />\n</head>\n<body>\n'
            f'<div id="top"><img src="/zwgk/images/top.jpg" alt="{kit.title}" /></div>\n'
            '<div id="menu"><a href="/">政府网首页</a> | <a href="/zwgk/xxgkzn.aspx">信息公开指南</a> | '
            f'<a href="{esc(column)}">信息公开目录</a> | <a href="/zwgk/xxgknb.aspx">信息公开年报</a> | '
            '<a href="/zwgk/ysqgk/sqb.aspx">依申请公开</a></div>\n'
            '<div id="left"><div class="tree"><h4>公开目录</h4><ul>'
            '<li><a href="/zwgk/xxgkml/list.aspx?lmid=1201">机构职能</a></li><li><a href="/zwgk/xxgkml/list.aspx?lmid=1202">政策文件</a></li>'
            f'<li class="on"><a href="/zwgk/xxgkml/list.aspx?lmid=1203">{category}</a></li>'
            '<li><a href="/zwgk/xxgkml/list.aspx?lmid=1204">人事信息</a></li><li><a href="/zwgk/xxgkml/list.aspx?lmid=1205">财政资金</a></li>'
            "</ul></div></div>\n"
            f'<div id="right">{main}</div>\n'
            + (f'<div class="rili">{kit.trap.link()}</div>\n' if trap else "")
            + kit.friends()
            + f'<div id="foot">主办：{kit.title.removesuffix("信息公开")}办公室 &nbsp; 网站标识码：0000000003 &nbsp; '
            "松ICP备00000003号</div>\n</body></html>"
        )

    for i, (entry, path) in enumerate(zip(entries, paths, strict=True)):
        shown = f"{entry.published:%Y-%m-%d}"
        editors = (person(kit.rng),)
        related = "".join(f'<li><a href="{swapped[j].rsplit("/", 1)[1]}">{esc(entries[j].title)}</a></li>'
                          for j in ((i + 1) % len(entries), (i + 3) % len(entries)))
        meta = (
            '<table class="xxgk-meta" width="100%" border="1" cellspacing="0">'
            f"<tr><th>索 引 号：</th><td>{indexes[i]}</td><th>信息分类：</th><td>{category}</td></tr>"
            f"<tr><th>发布机构：</th><td>{esc(entry.source)}</td><th>生成日期：</th><td>{shown}</td></tr>"
            f"<tr><th>名　　称：</th><td colspan=\"3\">{esc(entry.title)}</td></tr>"
            f"<tr><th>文　　号：</th><td>{numbers[i]}</td><th>关 键 词：</th><td>党建</td></tr></table>\n"
        )
        main = (
            f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="{esc(column)}">信息公开目录</a> &gt; '
            f"{category}</div>\n{meta}"
            f'<div class="xxgk-title"><h1>{esc(entry.title)}</h1>'
            + (f"<h3>{esc(entry.story.subtitle)}</h3>" if entry.story.subtitle else "")
            + f'</div>\n<div class="xxgk-info">发布日期：{shown} &nbsp; 作者：{esc("、".join(entry.story.authors))}'
            f' &nbsp; 浏览：<span id="count">{kit.rng.randint(20, 900)}</span></div>\n'
            f'<div id="zoom">\n{body_html(entry.paragraphs)}\n</div>\n'
            f'<div class="xxgk-editor">（责任编辑：{esc(editors[0])}）</div>\n'
            '<div class="xxgk-tools">【<a href="javascript:window.print();">打印</a>】'
            '【<a href="javascript:window.close();">关闭</a>】</div>\n'
            f'<div class="xxgk-related"><h4>相关信息</h4><ul>{related}</ul></div>'
        )
        resource = kit.html(page(f"{entry.title}-{kit.title}", main))
        kit.routes[path] = resource
        kit.routes[swapped[i]] = resource
        kit.aliases[swapped[i]] = path
        kit.expect(entry, path, category=category, published=shown, minute=False, list_date=shown,
                   editors=editors, aliases=(swapped[i],))
    kit.routes[hidden] = kit.html(page("依申请公开", "<p>本信息依申请公开，请登录后查看。</p>"))

    per_page = 6
    groups = pages_of(list(range(len(entries))), per_page)
    for number, members in enumerate(groups, start=1):
        rows = []
        for seq, i in enumerate(members, start=(number - 1) * per_page + 1):
            rows.append(
                f'<tr><td class="xh">{seq}</td><td class="syh">{indexes[i]}</td>'
                f'<td class="mc"><a href="{esc(paths[i].rsplit("/", 1)[1])}" target="_blank" '
                f'title="{esc(entries[i].title)}">{esc(entries[i].title)}</a></td>'
                f'<td class="wh">{numbers[i] or "&nbsp;"}</td><td class="rq">{entries[i].published:%Y-%m-%d}</td></tr>'
            )
        if number == 1:
            rows.insert(2, '<tr><td class="xh">&nbsp;</td><td class="syh">000014349/2021-00001</td>'
                           f'<td class="mc"><a href="{esc(hidden)}" target="_blank">依申请公开事项办理情况</a></td>'
                           '<td class="wh">&nbsp;</td><td class="rq">2021-01-11</td></tr>')
        options = "".join(f'<option value="{n}"{" selected" if n == number else ""}>第{n}页</option>'
                          for n in range(1, len(groups) + 1))
        pager = (
            f'<div class="fy">共{len(entries)}条 每页{per_page}条 当前第{number}/{len(groups)}页 &nbsp; '
            "跳转到：<select name=\"curpage\" onchange=\"window.location='list.aspx?lmid=1203&curpage='+this.value;\">"
            f"{options}</select>\n"
            '<form name="pageForm" action="list.aspx" method="get" style="display:inline">'
            '<input type="hidden" name="lmid" value="1203" />转到第<input type="text" name="curpage" size="3" />页'
            '<input type="submit" value="GO" /></form></div>'
        )
        main = (
            f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; 信息公开目录 &gt; {category}</div>\n'
            '<table class="xxgk-list" width="100%" border="0" cellspacing="1">\n'
            '<tr class="bt"><th width="6%">序号</th><th width="20%">索引号</th><th>信息名称</th>'
            '<th width="18%">文号</th><th width="12%">发布日期</th></tr>\n' + "\n".join(rows) + "\n</table>\n" + pager
        )
        resource = kit.html(page(f"{category}-{kit.title}", main, trap=True))
        own = f"{column}&curpage={number}"
        if number == 1:
            kit.listing(column, resource, own)
        else:
            kit.listing(own, resource)
    kit.routes["/"] = kit.html(page(kit.title, f'<a href="{esc(column)}">信息公开目录</a>'))
    return kit.site((column,))


# ------------------------------------------------------------------------------ 2. list in an iframe


def iframe_list(base_urls: Mapping[str, str]) -> Site:
    kit = HKit("iframe_list", base_urls, "/news/neibu/", Trap("/news/rili.asp?ym={y}{m}", "镇务日历"))
    entries = holdout_plan()[kit.name]
    column, frame, category = "/zwdt/index.html", "/news/newslist.asp?bigclassid=3&smallclassid=7", "镇务动态"
    news_ids = unique_ids(kit.rng, len(entries), 1000, 3999)
    paths = [f"/news/shownews.asp?id={n}" for n in news_ids]
    hidden = f"{kit.disallowed}shownews.asp?id={kit.rng.randint(4000, 4999)}"

    def shell(page_title: str, content: str) -> str:
        return (
            '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">\n<html><head>\n'
            '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
            f"<title>{esc(page_title)}</title>\n<link href=\"/css/css.css\" rel=\"stylesheet\" type=\"text/css\">\n"
            '</head>\n<body leftmargin="0" topmargin="0">\n'
            '<table width="980" border="0" align="center" cellpadding="0" cellspacing="0">\n'
            f'<tr><td><img src="/images/banner.gif" width="980" height="120" alt="{kit.title}"></td></tr>\n'
            '<tr><td class="menu"><a href="/">首 页</a> | <a href="/zjqs/index.html">走进青石</a> | '
            f'<a href="{column}">{category}</a> | <a href="/zwgk/index.html">政务公开</a> | '
            '<a href="/bszn/index.html">办事指南</a></td></tr>\n'
            f"{content}\n"
            f"<tr><td>{kit.friends()}</td></tr>\n"
            f'<tr><td class="foot" align="center">{kit.title} 版权所有 &nbsp; 技术支持：县信息中心</td></tr>\n'
            "</table>\n</body></html>"
        )

    for i, (entry, path) in enumerate(zip(entries, paths, strict=True)):
        shown = f"{entry.published.year}-{entry.published.month}-{entry.published.day} {entry.published:%H:%M:%S}"
        editors = (person(kit.rng),)
        prev_next = []
        for label, j in (("上一篇", i - 1), ("下一篇", i + 1)):
            link = f'<a href="shownews.asp?id={news_ids[j]}">{esc(entries[j].title)}</a>' if 0 <= j < len(entries) \
                else "没有了"
            prev_next.append(f"{label}：{link}")
        content = (
            f'<tr><td class="weizhi">您现在的位置：<a href="/">首页</a> &gt;&gt; <a href="{column}">{category}</a> '
            "&gt;&gt; 正文</td></tr>\n"
            f'<tr><td class="newstitle" align="center"><strong>{esc(entry.title)}</strong></td></tr>\n'
            + (f'<tr><td align="center">{esc(entry.story.subtitle)}</td></tr>\n' if entry.story.subtitle else "")
            + f'<tr><td class="newsinfo" align="center">作者：{esc(" ".join(entry.story.authors))} &nbsp; '
            f"来源：{esc(entry.source)} &nbsp; 发布时间：{shown} &nbsp; 点击数：{kit.rng.randint(10, 999)}</td></tr>\n"
            f'<tr><td class="newscontent">\n{body_html(entry.paragraphs, "text-indent:2em;line-height:180%")}\n'
            f"<p align=\"right\">（编辑：{esc(editors[0])}）</p></td></tr>\n"
            f'<tr><td class="sxp">{" <br> ".join(prev_next)}</td></tr>\n'
            '<tr><td align="center">【<a href="javascript:window.print()">打印此页</a>】'
            '【<a href="javascript:window.close()">关闭窗口</a>】</td></tr>'
        )
        kit.routes[path] = kit.html(shell(f"{entry.title}--{kit.title}", content))
        kit.expect(entry, path, category=category, published=shown, minute=True,
                   list_date=f"{entry.published.year}-{entry.published.month}-{entry.published.day}",
                   editors=editors)
    kit.routes[hidden] = kit.html(shell("内部信息", "<tr><td>内部信息，请勿外传。</td></tr>"))

    per_page = 5
    groups = pages_of(list(range(len(entries))), per_page)
    count = len(groups)
    for number, members in enumerate(groups, start=1):
        rows = [
            f'<tr><td width="15" class="dot"><img src="/images/dot.gif"></td><td class="bt">'
            f'<a href="shownews.asp?id={news_ids[i]}" target="_blank">{esc(entries[i].title)}</a></td>'
            f'<td width="90" class="sj">{entries[i].published.year}-{entries[i].published.month}-'
            f"{entries[i].published.day}</td></tr>"
            for i in members
        ]
        if number == 1:
            rows.insert(1, '<tr><td width="15" class="dot"><img src="/images/dot.gif"></td><td class="bt">'
                           f'<a href="neibu/shownews.asp?id={hidden.rsplit("=", 1)[1]}" target="_blank">'
                           '镇内部工作通报</a></td><td width="90" class="sj">2021-1-11</td></tr>')

        def to(n: int, label: str) -> str:
            return f'<a href="newslist.asp?bigclassid=3&amp;smallclassid=7&amp;page={n}">{label}</a>'

        pager = [f"共{len(entries)}条记录 &nbsp; 页次：{number}/{count} &nbsp; 每页{per_page}条 &nbsp;"]
        pager.append(to(1, "首页") if number > 1 else "首页")
        pager.append(to(number - 1, "上一页") if number > 1 else "上一页")
        pager.append(to(number + 1, "下一页") if number < count else "下一页")
        pager.append(to(count, "尾页") if number < count else "尾页")
        doc = (
            '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
            '<link href="/css/css.css" rel="stylesheet" type="text/css"><base target="_blank"></head>\n'
            '<body bgcolor="#FFFFFF">\n<table width="100%" border="0" cellspacing="0" cellpadding="3">\n'
            + "\n".join(rows)
            + f'\n</table>\n<table width="100%"><tr><td align="center" class="page">{" ".join(pager)}</td></tr>'
            "</table>\n</body></html>"
        )
        own = f"{frame}&page={number}"
        if number == 1:
            kit.listing(frame, kit.html(doc), own)
        else:
            kit.listing(own, kit.html(doc))
    content = (
        f'<tr><td class="weizhi">您现在的位置：<a href="/">首页</a> &gt;&gt; {category}</td></tr>\n'
        '<tr><td><table width="100%"><tr><td width="220" valign="top" class="left">'
        f'<div class="lanmu">{category}</div><div class="tianqi"><iframe src="{PUBLIC_HOSTS[0]}tianqi/" width="200" '
        'height="60" frameborder="0" scrolling="no"></iframe></div>'
        f'<div class="rili">{kit.trap.link()}</div></td>\n'
        f'<td valign="top"><iframe name="main" id="main" src="{esc(frame)}" width="100%" height="520" '
        'frameborder="0" scrolling="no" marginheight="0" marginwidth="0"></iframe></td></tr></table></td></tr>'
    )
    kit.listing(column, kit.html(shell(f"{category}--{kit.title}", content)))
    kit.routes["/"] = kit.html(shell(kit.title, f'<tr><td><a href="{column}">{category}</a></td></tr>'))
    return kit.site((column,))


# ------------------------------------------------------------------------- 3. SPA shell + POST JSON API

SPA_SCRIPT = """(function () {
  var service = { baseURL: "/prod-api", timeout: 10000 };

  function request(url, data) {
    return fetch(service.baseURL + url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json;charset=UTF-8' },
      body: JSON.stringify(data)
    }).then(function (resp) { return resp.json(); });
  }

  function getArticlePage(current) {
    return request('/cms/article/page', { current: current, size: %(size)d, columnCode: 'djyw', title: '' });
  }

  function hrefOf(row) {
    return row.linkType === 1 ? row.linkUrl : '/article/' + row.articleId;
  }

  var app = document.getElementById('app');

  function render(current) {
    getArticlePage(current).then(function (res) {
      if (res.code !== 0) { app.innerHTML = '<p class="empty">' + res.msg + '</p>'; return; }
      var page = res.data, html = '<ul class="news-list">';
      page.records.forEach(function (row) {
        html += '<li><a href="' + hrefOf(row) + '">' + row.title + '</a><span>'
          + row.publishTime.slice(0, 10) + '</span></li>';
      });
      html += '</ul><div class="el-pagination">';
      for (var n = 1; n <= page.pages; n++) {
        html += '<button class="number' + (n === page.current ? ' active' : '') + '" data-n="' + n + '">'
          + n + '</button>';
      }
      app.innerHTML = html + '</div>';
    });
  }

  app.addEventListener('click', function (ev) {
    var n = ev.target.getAttribute('data-n');
    if (n) { render(parseInt(n, 10)); }
  });
  render(1);
})();
"""


def spa_post(base_urls: Mapping[str, str]) -> Site:
    kit = HKit("spa_post", base_urls, "/neibu/", Trap("/huodong/yuedu?yf={y}{m}", "活动月历"))
    entries = holdout_plan()[kit.name]
    shell_path, category, size = "/column/djyw", "党建要闻", 10
    api = "/prod-api/cms/article/page"
    article_ids = [str(1390000000000000000 + kit.rng.getrandbits(50)) for _ in entries]
    paths = [f"/article/{aid}" for aid in article_ids]
    hidden = f"{kit.disallowed}article/{1390000000000000000 + kit.rng.getrandbits(50)}"
    offsite = f"{PUBLIC_HOSTS[0]}dangjian/2021/0512/c1001-3245.html"
    script = "/static/js/chunk-djyw.4f2a9c1e.js"

    def page(page_title: str, app: str, scripts: str = "") -> str:
        return (
            '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{esc(page_title)}</title>"
            '<link href="/static/css/app.8c2d1f.css" rel="stylesheet"></head>\n<body>\n'
            f'<header class="hd"><div class="logo">{kit.title}</div><nav><a href="/">首页</a>'
            f'<a href="{shell_path}">{category}</a><a href="/column/llxx">理论学习</a>'
            '<a href="/column/tzgg">通知公告</a></nav></header>\n'
            f"{app}\n"
            f'<footer class="ft">{kit.trap.link()}{kit.friends()}<p>主办：江岭市直机关工委 &nbsp; 江ICP备00000004号</p>'
            f"</footer>\n{scripts}</body></html>"
        )

    for entry, path in zip(entries, paths, strict=True):
        shown = f"{entry.published:%Y-%m-%d %H:%M}"
        editors = (person(kit.rng),)
        app = (
            '<div id="app" data-server-rendered="true"><div class="detail">'
            f'<div class="crumb"><a href="/">首页</a> / <a href="{shell_path}">{category}</a> / 详情</div>'
            f'<h2 class="detail-title">{esc(entry.title)}</h2>'
            + (f'<p class="detail-sub">{esc(entry.story.subtitle)}</p>' if entry.story.subtitle else "")
            + f'<div class="detail-meta"><span>发布时间：{shown}</span><span>来源：{esc(entry.source)}</span>'
            f'<span>作者：{esc(" ".join(entry.story.authors))}</span></div>'
            f'<div class="detail-content ql-editor">{body_html(entry.paragraphs, "text-indent:2em")}</div>'
            f'<div class="detail-editor">责任编辑：{esc(editors[0])}</div>'
            '<div class="detail-back"><a href="javascript:history.back()">返回列表</a></div></div></div>'
        )
        kit.routes[path] = kit.html(page(f"{entry.title} - {kit.title}", app))
        kit.expect(entry, path, category=category, published=shown, minute=True,
                   list_date=f"{entry.published:%Y-%m-%d}", editors=editors)
    kit.routes[hidden] = kit.html(page("内部资料", '<div id="app"><p>请先登录。</p></div>'))

    records = [
        {"articleId": article_ids[i], "title": entries[i].title, "columnName": category,
         "publishTime": f"{entries[i].published:%Y-%m-%d %H:%M:00}", "source": entries[i].source,
         "coverUrl": f"/prod-api/profile/upload/2021/cover_{article_ids[i][-6:]}.jpg" if i % 4 == 0 else "",
         "linkType": 0, "linkUrl": "", "viewCount": kit.rng.randint(10, 2000)}
        for i in range(len(entries))
    ]
    records.insert(3, {"articleId": "1390000000000000001", "title": "机关党建内部学习资料（仅限登录）", "columnName": category,
                       "publishTime": "2021-01-11 09:00:00", "source": "", "coverUrl": "", "linkType": 1,
                       "linkUrl": hidden, "viewCount": 0})
    records.insert(8, {"articleId": "1390000000000000002", "title": "【转载】全省机关党建工作会议召开", "columnName": category,
                       "publishTime": "2021-05-12 10:00:00", "source": "江岭日报", "coverUrl": "", "linkType": 1,
                       "linkUrl": offsite, "viewCount": 0})

    def answer(target: str, body: bytes) -> Resource | None:
        if target != api:
            return None
        try:
            query = json.loads(body or b"{}")
            current, want = int(query.get("current", 1)), min(int(query.get("size", size)), 100)
            column = query.get("columnCode", "")
        except (ValueError, TypeError, AttributeError):
            current, want, column = 0, size, ""
        if column != "djyw" or current < 1 or want < 1:
            reply = {"code": 500, "msg": "参数错误", "data": None}
        else:
            chosen = records[(current - 1) * want : current * want]
            reply = {"code": 0, "msg": "操作成功", "data": {
                "records": chosen, "total": len(records), "size": want, "current": current,
                "pages": -(-len(records) // want), "orders": [], "searchCount": True}}
        return Resource(json.dumps(reply, ensure_ascii=False).encode(), "application/json;charset=UTF-8")

    kit.routes[api] = Resource(  # GET: what Spring answers a POST-only mapping
        json.dumps({"code": 405, "msg": "Request method 'GET' not supported"}).encode(),
        "application/json;charset=UTF-8", 405)
    kit.listing(script, Resource((SPA_SCRIPT % {"size": size}).encode(), "application/javascript; charset=utf-8"))
    kit.listings.add(api)
    shell = page(f"{category} - {kit.title}", '<div id="app"><div class="loading">加载中...</div></div>',
                 f'<script src="/static/js/chunk-vendors.1b2c3d.js"></script><script src="{script}"></script>\n')
    kit.listing(shell_path, kit.html(shell))
    kit.routes["/static/js/chunk-vendors.1b2c3d.js"] = Resource(b"/* vendor bundle */", "application/javascript")
    kit.routes["/"] = kit.html(page(kit.title, f'<div id="app"><a href="{shell_path}">{category}</a></div>'))
    return kit.site((shell_path,), post_handler=answer)


# ------------------------------------------------------------------------------- 4. WordPress blog

WP_CATEGORIES = (("zhibu-huodong", "支部活动"), ("dangke", "党课学习"))
WP_TAGS = (("dangshi", "党史"), ("xiangcun", "乡村振兴"), ("zhiyuan", "志愿服务"), ("qingnian", "青年"))
WP_AUTHORS = (("liuhe-admin", "柳河村党支部"), ("zhangwei", "张伟"))
WP_PAGES = ((2, "关于本站", "本站由柳河村党支部维护，记录支部活动和党课学习情况。"),
            (7, "联系我们", "联系地址：柳河村村委会二楼 &nbsp; 电话：0000-7654321"))


def wp_blog(base_urls: Mapping[str, str]) -> Site:
    kit = HKit("wp_blog", base_urls, "/neibu/", Trap("/events/month/{y}-{m}/", "活动日历"))
    entries = holdout_plan()[kit.name]
    post_ids = sorted(unique_ids(kit.rng, len(entries), 40, 460), reverse=True)
    paths = [f"/?p={n}" for n in post_ids]
    cats = [WP_CATEGORIES[i % 2] for i in range(len(entries))]
    tags = [(WP_TAGS[i % 4], WP_TAGS[(i + 1) % 4]) for i in range(len(entries))]
    authors = [WP_AUTHORS[0] if i % 3 else WP_AUTHORS[1] for i in range(len(entries))]
    hidden = f"{kit.disallowed}?p={kit.rng.randint(500, 600)}"
    base = kit.base
    head_links = (f'<link rel="alternate" type="application/rss+xml" title="{kit.title} &raquo; Feed" href="{base}/feed/">\n'
                  f'<link rel="alternate" type="application/rss+xml" title="{kit.title} &raquo; 评论Feed" '
                  f'href="{base}/comments/feed/">\n<link rel="https://api.w.org/" href="{base}/wp-json/">\n')
    months = sorted({(e.published.year, e.published.month) for e in entries}, reverse=True)

    def sidebar() -> str:
        return (
            '<aside id="secondary" class="widget-area">'
            '<section class="widget widget_search"><form role="search" method="get" action="/">'
            '<input type="search" name="s" placeholder="搜索…"><input type="submit" value="搜索"></form></section>'
            '<section class="widget widget_recent_entries"><h2 class="widget-title">近期文章</h2><ul>'
            + "".join(f'<li><a href="{paths[i]}">{esc(entries[i].title)}</a></li>' for i in range(5))
            + '</ul></section><section class="widget widget_archive"><h2 class="widget-title">文章归档</h2><ul>'
            + "".join(f'<li><a href="/{y}/{m:02d}/">{y}年{m}月</a></li>' for y, m in months)
            + '</ul></section><section class="widget widget_categories"><h2 class="widget-title">分类</h2><ul>'
            + "".join(f'<li class="cat-item"><a href="/category/{s}/">{label}</a></li>' for s, label in WP_CATEGORIES)
            + '</ul></section><section class="widget widget_events"><h2 class="widget-title">活动</h2>'
            + kit.trap.link()
            + '</section><section class="widget widget_meta"><h2 class="widget-title">其他操作</h2><ul>'
            '<li><a href="/wp-login.php">登录</a></li><li><a href="/feed/">条目feed</a></li>'
            '<li><a href="/comments/feed/">评论feed</a></li></ul></section></aside>'
        )

    def page(page_title: str, main: str, head: str = "", body_class: str = "home blog") -> str:
        menu = "".join(f'<li><a href="/category/{s}/">{label}</a></li>' for s, label in WP_CATEGORIES)
        menu += "".join(f'<li><a href="/?page_id={n}">{label}</a></li>' for n, label, _ in WP_PAGES)
        return (
            f'<!doctype html>\n<html lang="zh-Hans"><head><meta charset="UTF-8">\n<title>{esc(page_title)}</title>\n'
            f"{head_links}{head}"
            f"<link rel='stylesheet' href='{base}/wp-content/themes/twentytwenty/style.css?ver=1.7' media='all' />\n"
            f'</head>\n<body class="{body_class}">\n<div id="page" class="site">'
            f'<header id="masthead"><p class="site-title"><a href="{base}/" rel="home">{kit.title}</a></p>'
            f'<nav id="site-navigation"><ul id="primary-menu"><li><a href="{base}/">首页</a></li>{menu}</ul></nav>'
            f'</header>\n<div id="content" class="site-content"><main id="main">{main}</main>\n{sidebar()}</div>\n'
            f'<footer id="colophon">{kit.friends()}<div class="site-info">'
            '<a href="https://wordpress.org/">自豪地采用WordPress</a></div></footer></div>\n'
            f"<script src='{base}/wp-includes/js/wp-embed.min.js?ver=5.7.2'></script>\n</body></html>"
        )

    def meta_line(i: int) -> str:
        e = entries[i]
        return (f'<span class="posted-on">发布于 <a href="/{e.published:%Y/%m}/" rel="bookmark">'
                f'<time class="entry-date published" datetime="{e.published:%Y-%m-%dT%H:%M:00+08:00}">'
                f"{e.published.year}年{e.published.month}月{e.published.day}日</time></a></span> "
                f'<span class="byline">作者 <span class="author vcard"><a class="url fn n" '
                f'href="/author/{authors[i][0]}/">{authors[i][1]}</a></span></span>')

    def terms(i: int) -> str:
        return (f'<span class="cat-links">分类 <a href="/category/{cats[i][0]}/" rel="category tag">{cats[i][1]}</a>'
                "</span> <span class=\"tags-links\">标签 "
                + "、".join(f'<a href="/tag/{s}/" rel="tag">{label}</a>' for s, label in tags[i]) + "</span>")

    for i, (entry, path) in enumerate(zip(entries, paths, strict=True)):
        shown = f"{entry.published.year}年{entry.published.month}月{entry.published.day}日"
        comments = ""
        copies: tuple[str, ...] = ()
        if i % 3 == 0:
            comment_id = 100 + i
            reply = f"{path}&replytocom={comment_id}"
            copies = (reply,)
            comments = (
                '<div id="comments" class="comments-area"><h2 class="comments-title">1条评论</h2><ol class="comment-list">'
                f'<li id="comment-{comment_id}" class="comment"><div class="comment-author">村民小李</div>'
                '<div class="comment-content"><p>向支部学习，点赞！</p></div>'
                f'<div class="reply"><a rel="nofollow" class="comment-reply-link" href="{esc(reply)}#respond" '
                f'data-commentid="{comment_id}" aria-label="回复给村民小李">回复</a></div></li></ol>'
            )
        else:
            comments = '<div id="comments" class="comments-area">'
        comments += ('<div id="respond" class="comment-respond"><h3>发表回复</h3>'
                     f'<form action="{base}/wp-comments-post.php" method="post" id="commentform">'
                     '<textarea name="comment"></textarea><input name="submit" type="submit" value="发表评论">'
                     f'<input type="hidden" name="comment_post_ID" value="{post_ids[i]}"></form></div></div>')
        nav = []
        if i + 1 < len(entries):
            nav.append(f'<div class="nav-previous"><a href="{base}{paths[i + 1]}" rel="prev">'
                       f"上一篇：{esc(entries[i + 1].title)}</a></div>")
        if i > 0:
            nav.append(f'<div class="nav-next"><a href="{base}{paths[i - 1]}" rel="next">'
                       f"下一篇：{esc(entries[i - 1].title)}</a></div>")
        editors = ()
        main = (
            f'<article id="post-{post_ids[i]}" class="post-{post_ids[i]} post type-post status-publish format-standard">'
            f'<header class="entry-header"><h1 class="entry-title">{esc(entry.title)}</h1>'
            f'<div class="entry-meta">{meta_line(i)}</div></header>\n'
            '<div class="entry-content">\n'
            + (f"<h3>{esc(entry.story.subtitle)}</h3>\n" if entry.story.subtitle else "")
            + "\n".join(f"<p>{esc(text)}</p>" for text in entry.paragraphs)
            + f"\n<p>（来源：{esc(entry.source)}）</p>\n</div>\n"
            f'<footer class="entry-footer">{terms(i)}</footer></article>\n'
            f'<nav class="navigation post-navigation"><div class="nav-links">{"".join(nav)}</div></nav>\n{comments}'
        )
        head = (f'<link rel="canonical" href="{base}{path}" />\n<link rel=\'shortlink\' href=\'{base}{path}\' />\n'
                f'<link rel="alternate" type="application/json" href="{base}/wp-json/wp/v2/posts/{post_ids[i]}" />\n')
        resource = kit.html(page(f"{entry.title} &#8211; {kit.title}", main, head,
                                 f"post-template-default single single-post postid-{post_ids[i]}"))
        kit.routes[path] = resource
        for copy in copies:
            kit.routes[copy] = resource
            kit.aliases[copy] = path
        kit.expect(entry, path, category=cats[i][1], published=shown, minute=False, list_date=None,
                   editors=editors, authors=(authors[i][1],), aliases=copies)
    kit.routes[hidden] = kit.html(page("内部", "<p>此内容受密码保护。</p>"))
    for number, label, text in WP_PAGES:
        kit.routes[f"/?page_id={number}"] = kit.html(page(
            f"{label} &#8211; {kit.title}",
            f'<article id="post-{number}" class="page type-page"><h1 class="entry-title">{label}</h1>'
            f'<div class="entry-content"><p>{text}</p></div></article>', body_class=f"page-template-default page page-id-{number}"))

    def card(i: int) -> str:
        return (
            f'<article id="post-{post_ids[i]}" class="post-{post_ids[i]} post type-post status-publish">'
            f'<header class="entry-header"><h2 class="entry-title"><a href="{base}{paths[i]}" rel="bookmark">'
            f'{esc(entries[i].title)}</a></h2><div class="entry-meta">{meta_line(i)}</div></header>'
            f'<div class="entry-summary"><p>{esc(entries[i].paragraphs[0][:70])} [&hellip;]</p></div>'
            f'<footer class="entry-footer">{terms(i)} <a href="{base}{paths[i]}#respond">发表评论</a></footer></article>'
        )

    def archive(path: str, heading: str, members: list[int], per_page: int = 7) -> None:
        groups = pages_of(members, per_page) or [[]]
        for number, group in enumerate(groups, start=1):
            own = path if number == 1 else f"{path}page/{number}/"
            cards = [card(i) for i in group]
            if path == "/" and number == 1:
                cards.insert(0, f'<article class="post sticky"><h2 class="entry-title"><a href="{base}{hidden}">'
                                "置顶：村党支部内部学习安排</a></h2></article>")
            links = []
            if number < len(groups):
                links.append(f'<div class="nav-previous"><a href="{base}{path}page/{number + 1}/">较早文章</a></div>')
            if number > 1:
                links.append(f'<div class="nav-next"><a href="{base}{path if number == 2 else f"{path}page/{number - 1}/"}">'
                             "较新文章</a></div>")
            numbers = " ".join(
                f'<span aria-current="page" class="page-numbers current">{n}</span>' if n == number
                else f'<a class="page-numbers" href="{base}{path if n == 1 else f"{path}page/{n}/"}">{n}</a>'
                for n in range(1, len(groups) + 1))
            main = ((f'<header class="page-header"><h1 class="page-title">{heading}</h1></header>' if heading else "")
                    + "\n".join(cards)
                    + f'<nav class="navigation posts-navigation"><div class="nav-links">{"".join(links)}</div>'
                    f'<div class="pagination">{numbers}</div></nav>')
            kit.listing(own, kit.html(page(f"{heading or kit.title} &#8211; {kit.title}", main)))

    everything = list(range(len(entries)))
    archive("/", "", everything)
    for slug, label in WP_CATEGORIES:
        archive(f"/category/{slug}/", f"分类：{label}", [i for i in everything if cats[i][0] == slug])
    for slug, label in WP_TAGS:
        archive(f"/tag/{slug}/", f"标签：{label}", [i for i in everything if (slug, label) in tags[i]])
    for slug, label in WP_AUTHORS:
        archive(f"/author/{slug}/", f"作者：{label}", [i for i in everything if authors[i][0] == slug])
    for y, m in months:
        archive(f"/{y}/{m:02d}/", f"月份：{y}年{m}月",
                [i for i in everything if (entries[i].published.year, entries[i].published.month) == (y, m)])

    items = "".join(
        f"<item><title>{xml_escape(entries[i].title)}</title><link>{base}{xml_escape(paths[i])}</link>"
        f"<comments>{base}{xml_escape(paths[i])}#respond</comments>"
        f"<pubDate>{entries[i].published:%a, %d %b %Y %H:%M:00} +0800</pubDate>"
        f"<dc:creator><![CDATA[{authors[i][1]}]]></dc:creator><category><![CDATA[{cats[i][1]}]]></category>"
        f'<guid isPermaLink="false">{base}{xml_escape(paths[i])}</guid>'
        f"<description><![CDATA[{entries[i].paragraphs[0][:70]} [&#8230;]]]></description></item>\n"
        for i in range(10)
    )
    rss = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
           'xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
           f'<title>{kit.title}</title><atom:link href="{base}/feed/" rel="self" type="application/rss+xml" />'
           f"<link>{base}</link><description>又一个WordPress站点</description><language>zh-CN</language>\n"
           f"{items}</channel></rss>")
    kit.listing("/feed/", Resource(rss.encode(), "application/rss+xml; charset=UTF-8"))
    comment_items = "".join(
        f"<item><title>{xml_escape(entries[i].title)}的评论者：村民小李</title>"
        f"<link>{base}{xml_escape(paths[i])}#comment-{100 + i}</link>"
        f'<guid isPermaLink="false">{base}/?p={post_ids[i]}#comment-{100 + i}</guid></item>'
        for i in everything if i % 3 == 0)
    kit.listing("/comments/feed/", Resource(
        ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
         f"<title>{kit.title}的评论</title><link>{base}</link>{comment_items}</channel></rss>").encode(),
        "application/rss+xml; charset=UTF-8"))

    def urlset(locs: list[str]) -> Resource:
        body = "".join(f"<url><loc>{xml_escape(base + loc)}</loc></url>" for loc in locs)
        text = ('<?xml version="1.0" encoding="UTF-8"?><?xml-stylesheet type="text/xsl" href="'
                f'{base}/wp-sitemap.xsl" ?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>')
        return Resource(text.encode(), "application/xml; charset=UTF-8")

    maps = {
        "/wp-sitemap-posts-post-1.xml": paths,
        "/wp-sitemap-posts-page-1.xml": [f"/?page_id={n}" for n, _, _ in WP_PAGES],
        "/wp-sitemap-taxonomies-category-1.xml": [f"/category/{s}/" for s, _ in WP_CATEGORIES],
        "/wp-sitemap-taxonomies-post_tag-1.xml": [f"/tag/{s}/" for s, _ in WP_TAGS],
        "/wp-sitemap-users-1.xml": [f"/author/{s}/" for s, _ in WP_AUTHORS],
    }
    for path, locs in maps.items():
        kit.listing(path, urlset(locs))
    index = "".join(f"<sitemap><loc>{base}{path}</loc></sitemap>" for path in maps)
    kit.listing("/wp-sitemap.xml", Resource(
        ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
         f"{index}</sitemapindex>").encode(), "application/xml; charset=UTF-8"))
    robots_text = (f"User-agent: *\nDisallow: /wp-admin/\nDisallow: {kit.disallowed}\n"
                   f"Allow: /wp-admin/admin-ajax.php\n\nSitemap: {base}/wp-sitemap.xml\n")
    return kit.site(("/",), robots_text)


# --------------------------------------------------------------------- 5. university, split articles


def univ_pages(base_urls: Mapping[str, str]) -> Site:
    kit = HKit("univ_pages", base_urls, "/xww/neibu/", Trap("/xww/xiaoli.jsp?yf={y}{m}", "校历"))
    entries = holdout_plan()[kit.name]
    column, category = "/xww/list.jsp?cat=zhxw", "综合新闻"
    numbers = unique_ids(kit.rng, len(entries), 40000, 49999)
    paths = [f"/xww/{e.published:%Y/%m%d}/c1023a{n}/page.htm" for e, n in zip(entries, numbers, strict=True)]
    hidden = f"{kit.disallowed}c1099a{kit.rng.randint(10000, 19999)}/page.htm"
    photos = [0, 2, 3]  # the 图片新闻 carousel on list page 1

    def page(page_title: str, main: str, trap: bool = False) -> str:
        return (
            '<!DOCTYPE html>\n<html><head><meta http-equiv="X-UA-Compatible" content="IE=edge">'
            '<meta charset="utf-8">\n'
            f'<title>{esc(page_title)}</title>\n<link type="text/css" href="/_css/_system/system.css" rel="stylesheet">'
            '\n</head>\n<body class="list">\n'
            f'<div class="header"><div class="logo"><img src="/_upload/site/logo.png" alt="{kit.title}"></div>'
            '<ul class="wp-menu"><li><a href="/">首页</a></li>'
            f'<li><a href="{esc(column)}">{category}</a></li><li><a href="/xww/list.jsp?cat=mtjj">媒体聚焦</a></li>'
            '<li><a href="/xww/list.jsp?cat=xsjl">学术交流</a></li><li><a href="http://www.example.edu.cn/">学校主页</a>'
            "</li></ul></div>\n"
            f'<div class="main">{main}</div>\n'
            + (f'<div class="xiaoli">{kit.trap.link()}</div>\n' if trap else "")
            + f'<div class="footer">{kit.friends()}<p>版权所有 © 南岭师范大学 党委宣传部 &nbsp; 地址：南岭市师大路1号</p>'
            "</div>\n</body></html>"
        )

    for i, entry in enumerate(entries):
        count = UNIV_PAGES.get(i, 1)
        urls = [paths[i]] + [f"{paths[i]}?page={n}" for n in range(2, count + 1)]
        shown = f"{entry.published:%Y-%m-%d}"
        editors = (person(kit.rng), person(kit.rng))
        photographer = person(kit.rng)
        for number, (url, paragraphs) in enumerate(zip(urls, split(entry.paragraphs, count), strict=True), start=1):
            pager = ""
            if count > 1:
                links = [f"<span class=\"curr\">{n}</span>" if n == number else f'<a href="?page={n}">{n}</a>'
                         for n in range(1, count + 1)]
                if number > 1:
                    links.insert(0, f'<a href="?page={number - 1}">上一页</a>')
                if number < count:
                    links.append(f'<a href="?page={number + 1}">下一页</a>')
                pager = f'<div class="wp_paging">共{count}页 {" ".join(links)}</div>\n'
            main = (
                f'<div class="weizhi">当前位置：<a href="/">首页</a> &gt; <a href="{esc(column)}">{category}</a></div>\n'
                f'<div class="article"><h1 class="arti_title">{esc(entry.title)}</h1>'
                + (f'<h2 class="arti_subtitle">{esc(entry.story.subtitle)}</h2>' if entry.story.subtitle else "")
                + f'<p class="arti_metas"><span class="arti_publisher">文：{esc(" ".join(entry.story.authors))}</span>'
                f'<span class="arti_views">图：{esc(photographer)}</span><span>来源：{esc(entry.source)}</span>'
                f'<span class="arti_update">发布时间：{shown}</span><span>浏览次数：<span class="WP_VisitCount">'
                f"{kit.rng.randint(50, 3000)}</span></span></p>\n"
                f'<div class="entry"><div class="read"><div class="wp_articlecontent">\n'
                f"{body_html(paragraphs, 'text-indent:2em;line-height:1.75')}\n</div></div></div>\n{pager}"
                f'<p class="arti_editor">责任编辑：{esc(editors[0])} &nbsp; 审核：{esc(editors[1])}</p></div>'
            )
            kit.routes[url] = kit.html(page(f"{entry.title}-{kit.title}", main))
        aliases = ()
        if count > 1:
            kit.routes[f"{paths[i]}?page=1"] = kit.routes[paths[i]]
            kit.aliases[f"{paths[i]}?page=1"] = paths[i]
            aliases = (f"{paths[i]}?page=1",)
        kit.expect(entry, paths[i], category=category, published=shown, minute=False, list_date=f"[{shown}]",
                   editors=editors, photographers=(photographer,), parts=tuple(urls[1:]), aliases=aliases)
    kit.routes[hidden] = kit.html(page("内部", "<p>该页面需统一身份认证登录。</p>"))

    groups = pages_of(list(range(len(entries))), 5)
    list_paths = [column] + [f"{column}&pn={n}" for n in range(2, len(groups) + 1)]
    for number, members in enumerate(groups):
        rows = [f'<li class="list_item"><a href="{paths[i]}" target="_blank" title="{esc(entries[i].title)}">'
                f"{esc(entries[i].title)}</a> <span class=\"Article_PublishDate\">[{entries[i].published:%Y-%m-%d}]"
                "</span></li>" for i in members]
        if number == 0:
            rows.insert(3, f'<li class="list_item"><a href="{hidden}" target="_blank">校内通知：党务工作内部资料</a> '
                           '<span class="Article_PublishDate">[2021-01-11]</span></li>')
        carousel = ""
        if number == 0:
            slides = "".join(
                f'<li><a href="{kit.base}{paths[i]}" target="_blank"><img src="/_upload/article/images/'
                f'{numbers[i]}.jpg" alt="{esc(entries[i].title)}" width="480" height="300"></a>'
                f'<p class="slide-title"><a href="{kit.base}{paths[i]}" target="_blank">{esc(entries[i].title)}</a></p>'
                "</li>" for i in photos)
            carousel = (f'<div class="tpxw"><div class="tpxw-hd">图片新闻</div><div class="slider"><ul class="slides">'
                        f'{slides}</ul><a class="prev" href="javascript:;">&lt;</a><a class="next" '
                        'href="javascript:;">&gt;</a></div></div>\n')
        pager = [f"<em>{number + 1}/{len(groups)}</em>"]
        if number:
            pager += [f'<a class="first" href="{esc(list_paths[0])}">首页</a>',
                      f'<a class="prev" href="{esc(list_paths[number - 1])}">上一页</a>']
        if number + 1 < len(groups):
            pager += [f'<a class="next" href="{esc(list_paths[number + 1])}">下一页</a>',
                      f'<a class="last" href="{esc(list_paths[-1])}">尾页</a>']
        main = (carousel + f'<div class="col_title"><h2>{category}</h2></div>\n<ul class="news_list list2">\n'
                + "\n".join(rows) + f'\n</ul>\n<div class="wp_paging">{" ".join(pager)}</div>')
        kit.listing(list_paths[number], kit.html(page(f"{category}-{kit.title}", main, trap=True)))
    kit.routes["/"] = kit.html(page(kit.title, f'<a href="{esc(column)}">{category}</a>'))
    return kit.site((column,))


# ---------------------------------------------------------------------- 6. portal with tabbed boxes

PORTAL_COLUMNS = (("djyw", 5, "党建要闻"), ("jcdt", 6, "基层动态"), ("tzgg", 7, "通知公告"))
TAB_SCRIPT = """<script type="text/javascript">
function nTabs(thisObj, num) {
  var tabList = thisObj.parentNode.getElementsByTagName("li");
  for (var i = 0; i < tabList.length; i++) {
    tabList[i].className = i == num ? "on" : "";
    document.getElementById("tab_con_" + i).style.display = i == num ? "block" : "none";
    document.getElementById("tab_more_" + i).style.display = i == num ? "block" : "none";
  }
}
</script>"""


def portal_tabs(base_urls: Mapping[str, str]) -> Site:
    kit = HKit("portal_tabs", base_urls, "/plus/", Trap("/huodong/rili.php?ym={y}{m}", "活动日历"))
    entries = holdout_plan()[kit.name]
    column_of = [PORTAL_COLUMNS[0] if i % 5 in (0, 2) else PORTAL_COLUMNS[1] if i % 5 in (1, 3)
                 else PORTAL_COLUMNS[2] for i in range(len(entries))]
    aids = unique_ids(kit.rng, len(entries), 100, 999)
    paths = [f"/html/{column_of[i][0]}/{e.published:%Y%m%d}/{aids[i]}.html" for i, e in enumerate(entries)]
    hidden = f"{kit.disallowed}view.php?aid={kit.rng.randint(1000, 1999)}"

    def page(page_title: str, main: str, trap: bool = False) -> str:
        nav = "".join(f'<li><a href="/html/{slug}/">{label}</a></li>' for slug, _, label in PORTAL_COLUMNS)
        return (
            '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
            '<html xmlns="http://www.w3.org/1999/xhtml"><head>\n'
            '<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />\n'
            f'<title>{esc(page_title)}</title>\n<meta name="keywords" content="白沙,党建" />\n'
            '<link href="/templets/default/style/dedecms.css" rel="stylesheet" media="screen" type="text/css" />\n'
            f"</head>\n<body>\n<div class=\"header\"><div class=\"top w960 center\"><div class=\"title\"><h1>"
            f'<a href="/"><img src="/templets/default/images/logo.gif" alt="{kit.title}"/></a></h1></div></div>'
            f'<div class="nav w960 center"><ul><li class="hover"><a href="/">主页</a></li>{nav}'
            '<li><a href="/about.html">关于我们</a></li><li><a href="/plus/guestbook.php">书记信箱</a></li></ul></div>'
            f"</div>\n{main}\n"
            + (f'<div class="rili w960 center">{kit.trap.link()}</div>\n' if trap else "")
            + f'<div class="footer w960 center">{kit.friends()}<p>Copyright &copy; 2021 {kit.title} 版权所有 '
            "&nbsp; 白ICP备00000005号</p></div>\n</body></html>"
        )

    for i, (entry, path) in enumerate(zip(entries, paths, strict=True)):
        slug, _, label = column_of[i]
        shown = f"{entry.published:%Y-%m-%d %H:%M}"
        editors = (person(kit.rng),)
        same = [j for j in range(len(entries)) if column_of[j] == column_of[i]]
        at = same.index(i)
        prev_next = (
            "<li>上一篇：" + (f'<a href="{paths[same[at - 1]]}">{esc(entries[same[at - 1]].title)}</a>' if at else "没有了")
            + "</li><li>下一篇："
            + (f'<a href="{paths[same[at + 1]]}">{esc(entries[same[at + 1]].title)}</a>' if at + 1 < len(same)
               else "没有了") + "</li>"
        )
        main = (
            f'<div class="w960 center clear mt1"><div class="pleft"><div class="place"><strong>当前位置:</strong> '
            f'<a href="/">主页</a> &gt; <a href="/html/{slug}/">{label}</a> &gt; </div>\n'
            f'<div class="viewbox"><div class="title"><h2>{esc(entry.title)}</h2></div>\n'
            f'<div class="info"><small>时间:</small>{shown}<small>来源:</small>{esc(entry.source)}<small>作者:</small>'
            f'{esc(" ".join(entry.story.authors))}<small>点击:</small><script src="/plus/count.php?view=yes&aid='
            f'{aids[i]}&mid=1" type="text/javascript" language="javascript"></script>次</div>\n'
            + (f'<div class="intro">{esc(entry.story.subtitle)}</div>\n' if entry.story.subtitle else "")
            + f'<div class="content"><table width="100%"><tr><td>\n{body_html(entry.paragraphs)}\n</td></tr></table>'
            f"</div>\n<div class=\"editor\">(责任编辑：{esc(editors[0])})</div>\n"
            f'<div class="context"><ul>{prev_next}</ul></div>\n'
            '<div class="handle"><div class="context"></div><div class="actbox"><ul>'
            f'<li id="act-fav"><a href="/plus/stow.php?aid={aids[i]}" target="_blank">收藏</a></li>'
            '<li id="act-pus"><a href="javascript:window.print();">打印</a></li></ul></div></div>'
            "</div></div></div>"
        )
        kit.routes[path] = kit.html(page(f"{entry.title}_{kit.title}", main))
        kit.expect(entry, path, category=label, published=shown, minute=True,
                   list_date=f"{entry.published:%Y-%m-%d}", editors=editors)
    kit.routes[hidden] = kit.html(page("内部", "<p>您没有权限查看此文档。</p>"))
    kit.routes["/about.html"] = kit.html(page(f"关于我们_{kit.title}", (
        '<div class="w960 center"><div class="viewbox"><div class="title"><h2>关于我们</h2></div>'
        "<div class=\"content\"><p>白沙县党建网由中共白沙县委组织部主办，发布全县党建工作动态。</p>"
        "<p>联系电话：0000-1122334。</p></div></div></div>")))

    tabs, bodies, mores = [], [], []
    for number, (slug, type_id, label) in enumerate(PORTAL_COLUMNS):
        members = [i for i in range(len(entries)) if column_of[i][0] == slug]
        hide = "" if number == 0 else ' style="display:none"'
        on = ' class="on"' if number == 0 else ""
        tabs.append(f'<li{on} onmouseover="nTabs(this,{number});">{label}</li>')
        items = [f'<li><span class="date">{entries[i].published:%m-%d}</span><a href="{paths[i]}" '
                 f'title="{esc(entries[i].title)}">{esc(entries[i].title)}</a></li>' for i in members[:5]]
        if slug == "tzgg":
            items.append(f'<li><span class="date">01-11</span><a href="{hidden}">县委组织部内部通知</a></li>')
        bodies.append(f'<ul id="tab_con_{number}" class="tab-con"{hide}>{"".join(items)}</ul>')
        mores.append(f'<div id="tab_more_{number}" class="more"{hide}><a href="/html/{slug}/" target="_blank">'
                     '<img src="/templets/default/images/more.gif" alt="更多" border="0" /></a></div>')

        groups = pages_of(members, 5)
        list_paths = [f"/html/{slug}/"] + [f"/html/{slug}/list_{type_id}_{n}.html" for n in range(2, len(groups) + 1)]
        for at, group in enumerate(groups):
            rows = "".join(
                f'<dl class="tbox"><dt><a href="{paths[i]}" target="_blank">{esc(entries[i].title)}</a></dt>'
                f'<dd class="intro">{esc(entries[i].paragraphs[0][:50])}...</dd>'
                f'<dd class="info"><span>日期：{entries[i].published:%Y-%m-%d}</span><span>点击：'
                f"{kit.rng.randint(10, 800)}</span></dd></dl>\n" for i in group)
            pagelist = [f"<li><a href='list_{type_id}_1.html'>首页</a></li>" if at else "<li><a>首页</a></li>"]
            if at:
                pagelist.append(f"<li><a href='list_{type_id}_{at}.html'>上一页</a></li>")
            for n in range(len(groups)):
                pagelist.append("<li class=\"thisclass\">" + str(n + 1) + "</li>" if n == at
                                else f"<li><a href='list_{type_id}_{n + 1}.html'>{n + 1}</a></li>")
            if at + 1 < len(groups):
                pagelist.append(f"<li><a href='list_{type_id}_{at + 2}.html'>下一页</a></li>")
                pagelist.append(f"<li><a href='list_{type_id}_{len(groups)}.html'>末页</a></li>")
            pagelist.append(f'<li><span class="pageinfo">共 <strong>{len(groups)}</strong>页<strong>{len(members)}'
                            "</strong>条</span></li>")
            main = (
                f'<div class="w960 center clear mt1"><div class="pleft"><div class="place"><strong>当前位置:</strong> '
                f'<a href="/">主页</a> &gt; <a href="/html/{slug}/">{label}</a> &gt;</div>\n'
                f'<div class="listbox">\n{rows}</div>\n<div class="dede_pages"><ul class="pagelist">'
                f'{"".join(pagelist)}</ul></div></div></div>'
            )
            first = f"/html/{slug}/list_{type_id}_1.html"
            resource = kit.html(page(f"{label}_{kit.title}", main, trap=True))
            if at == 0:
                kit.listing(list_paths[0], resource, first)
            else:
                kit.listing(list_paths[at], resource)
    home = (
        TAB_SCRIPT
        + '<div class="w960 center clear mt1"><div class="focus"><img src="/uploads/allimg/banner.jpg" alt="banner"/></div>'
        '<div class="tabbox"><div class="tab-hd"><ul>' + "".join(tabs) + "</ul>" + "".join(mores) + "</div>"
        '<div class="tab-bd">' + "".join(bodies) + "</div></div>\n"
        '<div class="links"><a href="/about.html"><img src="/templets/default/images/about.gif" alt="关于我们"/></a>'
        '</div></div>'
    )
    kit.listing("/", kit.html(page(kit.title, home, trap=True)))
    robots_text = f"User-agent: *\nDisallow: {kit.disallowed}\nDisallow: /templets/\nDisallow: /data/\n"
    return kit.site(("/",), robots_text)


HOLDOUT_BUILDERS: dict[str, Callable[[Mapping[str, str]], Site]] = {
    "xxgk_table": xxgk_table,
    "iframe_list": iframe_list,
    "spa_post": spa_post,
    "wp_blog": wp_blog,
    "univ_pages": univ_pages,
    "portal_tabs": portal_tabs,
}


def posted_pages(site: Site) -> list[tuple[str, bytes]]:
    """The POSTs a held-out site received (target, body)."""
    return list(getattr(site, "posted", []))

