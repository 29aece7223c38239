"""The demo farm: four synthetic party-building sites, each in the manner of one common Chinese CMS.

Everything is generated from fixed seeds, so pages, URLs and the expected articles (`ExpectedArticle`, the
ground truth the crawler and extraction tests measure against) are the same on every run. Links to the other
farm sites need their ports, so a site is rendered once the server knows them (`build_farm`).

Sites and what each one exercises:
- `party_school`: TRS WCM, served in GBK with the charset only in `<meta>`; pagination written by
  `createPageHTML(...)` (no `<a>` links); minute-precision dates; an attached PDF.
- `university`: 博达/VSB, `list.htm` then `list/3.htm` ... `list/1.htm`; `[MM-DD]` list dates; 摘要, images
  named `图片N.jpg` and a photographer line.
- `city_portal`: 大汉 JCMS, `?uid=456&pageNum=2`; `【字体:大 中 小】`, titles repeated with the site suffix,
  section headings; the day printed, the minute only in `<meta name="PubDate">`; one article also linked as
  `?from=timeline`.
- `county_news`: table layout, `下一页`/`尾页` with `?page=2`; CMS residue (`-->`, `null`, `enpproperty`,
  internal URLs as text, one `<a>` to 192.168.1.10); a DOC attachment; a hard-negative pair of stories.
Every site has a robots.txt Disallow path with linked article-looking pages, links to the other farm sites
and to public hosts, and a `/calendar?month=YYYY-MM` page that links to the next month forever.
"""

from __future__ import annotations

import dataclasses
import html
import posixpath
import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache

from demo.text import CLOSERS, PLACES, Story, fill, generate_story, person

SEED = 20210604
SITE_NAMES = ("party_school", "university", "city_portal", "county_news")
SITE_WINDOW = (date(2020, 10, 8), date(2021, 6, 25))
UNIVERSITY_WINDOW = (date(2021, 1, 4), date(2021, 6, 25))  # its lists print dates without the year
SHARED_WINDOW = (date(2021, 3, 1), date(2021, 5, 31))
PUBLIC_HOSTS = ("http://www.example.gov.cn/", "http://www.example.edu.cn/dangjian/index.html")
INTERNAL_LINK = "http://192.168.1.10/x.html"
CALENDAR_START = "2020-01"
TIMELINE_QUERY = "from=timeline"


@dataclass(frozen=True)
class ExpectedArticle:
    """What a perfect crawl finds and a perfect extractor yields for one article page."""

    site: str
    url: str  # canonical URL (absolute once the farm is served)
    title: str  # as shown in the page's heading
    subtitle: str | None
    published: str  # as printed on the article page
    published_at: str  # ISO 8601: minute precision with +08:00, or YYYY-MM-DD
    list_date: str | None  # as printed next to the link on the list page (None: the list prints no date)
    body: tuple[str, ...]  # paragraphs, section headings included, chrome excluded
    authors: tuple[str, ...]
    source: str | None
    editors: tuple[str, ...]
    photographers: tuple[str, ...]
    category: str
    site_name: str
    summary: str | None
    cluster: str  # story key: syndicated copies share it
    attachments: tuple[str, ...] = ()
    images: tuple[str, ...] = ()
    hard_negative_of: str | None = None  # a different story written from the same template
    parts: tuple[str, ...] = ()  # the URLs of pages 2, 3, ... of an article split over several pages
    aliases: tuple[str, ...] = ()  # other URLs serving (or redirecting to) this article: sessions, print views

    @property
    def body_text(self) -> str:
        return "\n".join(self.body)


@dataclass(frozen=True)
class Resource:
    body: bytes
    content_type: str
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()  # extra response headers, e.g. Location of a redirect


@dataclass
class Site:
    name: str
    site_name: str
    start_paths: tuple[str, ...]
    disallowed_prefix: (
        str  # robots.txt Disallow; pages under it are linked and served but never to be fetched
    )
    routes: dict[str, Resource]  # path with query (percent-decoded) -> resource
    truth: list[ExpectedArticle]  # URLs relative to the site root
    trap_prefix: str = "/calendar"  # where the site's endless by-month pages live
    endless: Callable[[str], Resource | None] | None = None  # those pages (None: the /calendar ones)
    listings: frozenset[str] = frozenset()  # lists, endpoints, feeds: all a nightly run may fetch again
    aliases: Mapping[str, str] = field(default_factory=dict)  # served path -> the path it is a copy of

    def resource(self, target: str) -> Resource | None:
        return self.routes.get(target) or (self.endless or calendar_page)(target)


@dataclass(frozen=True)
class Entry:
    """One story as one site publishes it."""

    story: Story
    title: str
    paragraphs: tuple[str, ...]
    published: datetime
    source: str
    hard_negative_of: str | None = None

    @property
    def cluster(self) -> str:
        return self.story.key


# ---------------------------------------------------------------------------------------------- planning


@cache
def plan() -> dict[str, list[Entry]]:
    """Which stories each site publishes, newest first; three are syndicated across sites."""
    rng = random.Random(SEED)
    titles: set[str] = set()

    def story(key: str, window: tuple[date, date], **options) -> Story:
        return unique_story(rng, titles, key, window, **options)

    shared = {
        key: story(key, SHARED_WINDOW, headings=key == "shared-b")
        for key in ("shared-a", "shared-b", "shared-c")
    }
    negative_template = "{place}召开党史学习教育推进会"
    first, second = rng.sample(PLACES, 2)
    negatives = [
        story("county_news-hn1", SITE_WINDOW, title_template=negative_template, place=first),
        story("county_news-hn2", SITE_WINDOW, title_template=negative_template, place=second),
    ]
    negatives[1] = _same_template(negatives[1], negatives[0])

    def own(site: str, count: int, window: tuple[date, date], headings: bool = False) -> list[Entry]:
        return [_entry(story(f"{site}-{i}", window, headings=headings and i % 2 == 0)) for i in range(count)]

    def copy(key: str, rng_days: int, **changes) -> Entry:
        story = shared[key]
        moved = story.published + timedelta(days=rng_days, minutes=rng.randint(-300, 300))
        return dataclasses.replace(_entry(story), published=moved, **changes)

    sites = {
        "party_school": own("party_school", 8, SITE_WINDOW)
        + [
            _entry(shared["shared-a"]),
            copy("shared-c", 1, title="【转载】" + shared["shared-c"].title, source="临溪县融媒体中心"),
        ],
        "university": own("university", 10, UNIVERSITY_WINDOW) + [copy("shared-a", 1, source="江岭省委党校")],
        "city_portal": own("city_portal", 10, SITE_WINDOW, headings=True)
        + [copy("shared-a", 2, source="江岭省委党校"), _entry(shared["shared-b"])],
        "county_news": own("county_news", 7, SITE_WINDOW)
        + [
            _entry(negatives[0], hard_negative_of=negatives[1].key),
            _entry(negatives[1], hard_negative_of=negatives[0].key),
            copy("shared-b", 1, source="明湖党建网", paragraphs=_edit_last_sentence(shared["shared-b"], rng)),
            _entry(shared["shared-c"]),
        ],
    }
    return {site: sorted(entries, key=lambda e: e.published, reverse=True) for site, entries in sites.items()}


def unique_story(rng: random.Random, titles: set[str], key: str, window: tuple[date, date], **options) -> Story:
    """A story whose title is not in `titles` (then added): the hard negatives differ only in their place."""
    while True:
        candidate = generate_story(rng, key, *window, **options)
        if candidate.title not in titles:
            titles.add(candidate.title)
            return candidate


def _entry(story: Story, **changes) -> Entry:
    entry = Entry(
        story=story,
        title=story.title,
        paragraphs=story.paragraphs,
        published=story.published,
        source=story.source,
    )
    return dataclasses.replace(entry, **changes)


def _same_template(story: Story, template: Story) -> Story:
    """Another town's report written from the same template: the opening paragraph is the template's
    with the place changed, the rest is its own."""
    opening = template.paragraphs[0]
    for old, new in (
        (template.place, story.place),
        (template.unit, story.unit),
        (_month_day(template.published), _month_day(story.published)),
    ):
        opening = opening.replace(old, new)
    return dataclasses.replace(story, paragraphs=(opening,) + story.paragraphs[1:])


def _month_day(moment: datetime) -> str:
    return f"{moment.month}月{moment.day}日"


def _edit_last_sentence(story: Story, rng: random.Random) -> tuple[str, ...]:
    """The syndicated copy whose closing sentence an editor rewrote."""
    last = story.paragraphs[-1]
    sentences = re.findall(r"[^。]+。(?:”[^。]*?说。)?", last)
    current = sentences[-1]
    replacement = current
    while replacement == current:
        replacement = fill(
            rng.choice(CLOSERS), {"place": story.place, "unit": story.unit, "theme": "学史力行 为民办事"}, rng
        )
    return story.paragraphs[:-1] + (last[: -len(current)] + replacement,)


# --------------------------------------------------------------------------------------------- helpers


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def relative(from_path: str, to_path: str) -> str:
    """The relative href a CMS writes from one page to another on the same site."""
    start = posixpath.dirname(from_path) or "/"
    return posixpath.relpath(to_path, start)


def padded(name: str) -> str:
    """Editor lines pad two-character names to the width of three: 李 莹."""
    return " ".join(name) if len(name) == 2 else name


def iso(moment: datetime, minute: bool) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:00+08:00") if minute else moment.strftime("%Y-%m-%d")


def html_resource(text: str, encoding: str = "utf-8", header_charset: bool = True) -> Resource:
    content_type = f"text/html; charset={encoding}" if header_charset else "text/html"
    return Resource(text.encode(encoding), content_type)


def pages_of(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def friend_links(site: str, base_urls: Mapping[str, str], titles: Mapping[str, str] | None = None) -> str:
    """Links to the served peers of the same family (`titles`: the demo sites by default) and public hosts."""
    titles = SITE_TITLES if titles is None else titles
    links = [
        f'<a href="{base}/" target="_blank">{esc(titles[name])}</a>'
        for name, base in base_urls.items()
        if name != site and name in titles
    ]
    links += [f'<a href="{url}" target="_blank">{url.split("/")[2]}</a>' for url in PUBLIC_HOSTS]
    return '<div class="friend-links">友情链接: ' + " | ".join(links) + "</div>"


def calendar_link() -> str:
    return f'<div class="calendar"><a href="/calendar?month={CALENDAR_START}">活动日历</a></div>'


def paragraphs_html(entry: Entry, heading: Callable[[str], str] | None = None) -> str:
    parts = []
    for i, text in enumerate(entry.paragraphs):
        if i in entry.story.heading_indexes and heading:
            parts.append(heading(text))
        else:
            parts.append(f'<p style="text-indent:2em;">{esc(text)}</p>')
    return "\n".join(parts)


def related(entries: list[Entry], index: int, href: Callable[[int], str]) -> list[tuple[str, str]]:
    """Three other articles of the site, as (href, title)."""
    others = [(index + step) % len(entries) for step in (1, 2, 4)]
    return [(href(i), entries[i].title) for i in others if i != index]


def neighbours(entries: list[Entry], index: int, href: Callable[[int], str]) -> str:
    prev_link = f'<a href="{href(index - 1)}">{esc(entries[index - 1].title)}</a>' if index > 0 else "没有了"
    next_link = (
        f'<a href="{href(index + 1)}">{esc(entries[index + 1].title)}</a>'
        if index + 1 < len(entries)
        else "没有了"
    )
    return f'<div class="prev-next"><p>上一篇:{prev_link}</p><p>下一篇:{next_link}</p></div>'


def related_html(links: list[tuple[str, str]], heading: str = "相关文章推荐") -> str:
    items = "".join(f'<li><a href="{h}" target="_blank">{esc(t)}</a></li>' for h, t in links)
    return f'<div class="related"><h4>{heading}</h4><ul>{items}</ul></div>'


def site_rng(site: str) -> random.Random:
    return random.Random(f"{SEED}-{site}")


def robots(prefix: str, sitemap: str | None = None) -> Resource:
    text = f"User-agent: *\nDisallow: {prefix}\n" + (f"\nSitemap: {sitemap}\n" if sitemap else "")
    return Resource(text.encode(), "text/plain; charset=utf-8")


def adjacent_months(year: int, month: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """(year, month) of the month before and the month after."""
    return (year - (month == 1), (month - 2) % 12 + 1), (year + (month == 12), month % 12 + 1)


CALENDAR_PATH = re.compile(r"^/calendar\?month=(\d{4})-(\d{2})$")


def calendar_page(target: str) -> Resource | None:
    """An events calendar whose 'next month' link never ends: a trap a crawler must bound."""
    match = CALENDAR_PATH.match(target)
    if not match or not 1 <= int(match[2]) <= 12:
        return None
    year, month = int(match[1]), int(match[2])
    (prev_year, prev_number), (next_year, next_number) = adjacent_months(year, month)
    prev_month, next_month = f"{prev_year}-{prev_number:02d}", f"{next_year}-{next_number:02d}"
    days = "".join(f"<td>{d}</td>" for d in range(1, 29))
    text = (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>活动日历 {year}年{month}月</title></head>'
        f"<body><h2>{year}年{month}月</h2><table><tr>{days}</tr></table>"
        f'<a href="/calendar?month={prev_month}">上个月</a> <a href="/calendar?month={next_month}">下个月</a>'
        "</body></html>"
    )
    return html_resource(text)


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
DOC_BYTES = bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504
JPEG_BYTES = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")


def expected(
    site: str,
    site_name: str,
    entry: Entry,
    url: str,
    *,
    category: str,
    minute: bool,
    published: str,
    list_date: str,
    editors: tuple[str, ...],
    **extra,
) -> ExpectedArticle:
    fields = dict(
        site=site,
        url=url,
        title=entry.title,
        subtitle=entry.story.subtitle,
        published=published,
        published_at=iso(entry.published, minute),
        list_date=list_date,
        body=entry.paragraphs,
        authors=entry.story.authors,
        source=entry.source,
        editors=editors,
        photographers=(),
        category=category,
        site_name=site_name,
        summary=None,
        cluster=entry.cluster,
        hard_negative_of=entry.hard_negative_of,
    )
    fields.update(extra)
    return ExpectedArticle(**fields)


def homepage(site_name: str, column_href: str, latest: list[tuple[str, str]], charset: str = "utf-8") -> str:
    items = "".join(f'<li><a href="{h}">{esc(t)}</a></li>' for h, t in latest)
    return (
        f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        f"<title>{esc(site_name)}</title></head><body><h1>{esc(site_name)}</h1>"
        f'<div class="nav"><a href="{column_href}">更多</a></div><ul class="latest">{items}</ul></body></html>'
    )


# -------------------------------------------------------------------------------- 1. party school (TRS)

SITE_TITLES = {
    "party_school": "中共江岭省委党校",
    "university": "东湖大学党委组织部",
    "city_portal": "明湖党建网",
    "county_news": "临溪县人民政府",
}

TRS_PAGER_SCRIPT = """<script language="JavaScript">
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount<=1){ return; }
  var nCurrIndex = _nCurrIndex || 0;
  if(nCurrIndex == 0) document.write("<span>首页</span>&nbsp;");
  else document.write("<a href=\\""+_sPageName+"."+_sPageExt+"\\">首页</a>&nbsp;");
  for(var i=1; i<_nPageCount; i++){
    if(nCurrIndex == i) document.write("<span>"+(i+1)+"</span>&nbsp;");
    else document.write("<a href=\\""+_sPageName+"_"+i+"."+_sPageExt+"\\">"+(i+1)+"</a>&nbsp;");
  }
}
</script>"""


def party_school(base_urls: Mapping[str, str]) -> Site:
    name, title, charset = "party_school", SITE_TITLES["party_school"], "gbk"
    rng = site_rng(name)
    entries = plan()[name]
    paths = [
        f"/jxdt/{e.published:%Y%m}/t{e.published:%Y%m%d}_{rng.randint(100000, 999999)}.html" for e in entries
    ]
    attachment_index = 1
    attachment = f"{posixpath.dirname(paths[attachment_index])}/P0{rng.randint(10**17, 10**18)}.pdf"
    disallowed = "/jxdt/nbtz/"
    hidden = f"{disallowed}202101/t20210111_{rng.randint(100000, 999999)}.html"
    routes: dict[str, Resource] = {}
    truth = []

    def head(page_title: str, meta: str = "") -> str:
        return (
            '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
            '<html xmlns="http://www.w3.org/1999/xhtml"><head>\n'
            '<meta http-equiv="Content-Type" content="text/html; charset=gbk" />\n'
            f"<title>{esc(page_title)}</title>\n{meta}"
            '<link href="/images/style.css" rel="stylesheet" type="text/css" />\n</head>\n<body>\n'
            f'<div class="top"><div class="logo"><img src="/images/logo.png" alt="{title}" /></div>'
            '<div class="nav"><a href="/">首页</a><a href="/xxgk/index.html">学校概况</a>'
            '<a href="/ztbpx/index.html">主体班培训</a><a href="/kyzx/index.html">科研咨询</a></div></div>\n'
        )

    footer = (
        f'{friend_links(name, base_urls)}<div class="footer">版权所有:{title} &nbsp; 地址:江岭省青川区学府路1号 '
        "&nbsp; 邮编:100001 &nbsp; 江ICP备00000001号</div>\n</body></html>"
    )
    for i, (entry, path) in enumerate(zip(entries, paths, strict=True)):
        shown = f"{entry.published:%Y-%m-%d %H:%M}"
        editors = (person(rng), person(rng))
        attach = ""
        if i == attachment_index:
            attach = (
                f'<div class="attach">附件: <a href="{relative(path, attachment)}">'
                "春季学期教学安排.pdf</a></div>"
            )
        subtitle = f'<h3 class="subtitle">{esc(entry.story.subtitle)}</h3>' if entry.story.subtitle else ""
        meta = (
            f'<meta name="ArticleTitle" content="{esc(entry.title)}" />\n'
            f'<meta name="PubDate" content="{shown}" />\n'
            f'<meta name="ContentSource" content="{esc(entry.source)}" />\n'
            '<meta name="ColumnName" content="教学动态" />\n'
        )
        page = (
            head(f"{entry.title}_{title}", meta)
            + '<div class="main"><div class="bread"><a href="/">首页</a> &gt;&gt; '
            '<a href="/ztbpx/index.html">主体班培训</a> &gt;&gt; <a href="../index.html">教学动态</a></div>\n'
            f'<div class="article"><h1 class="title">{esc(entry.title)}</h1>{subtitle}\n'
            f'<div class="info"><span>作者:{esc(" ".join(entry.story.authors))}</span> '
            f"<span>来源:{esc(entry.source)}</span><span>发布时间:{shown}</span> "
            f'<span>浏览次数:<span id="clicks">{rng.randint(80, 3000)}</span></span></div>\n'
            f'<div class="TRS_Editor">\n{paragraphs_html(entry)}\n</div>\n{attach}'
            f'<div class="editor"><p>审核:{padded(editors[0])}</p><p>编审:{padded(editors[1])}</p></div>\n'
            '<div class="share">关闭按钮 &nbsp;&nbsp; 分享 &nbsp;: <a href="javascript:void(0)">微信</a> '
            '<a href="javascript:void(0)">微博</a></div>\n'
            '<div class="tools"><a href="javascript:window.print()">打印本页</a> '
            '<a href="javascript:window.close()">关闭窗口</a></div>\n'
            + neighbours(entries, i, lambda j, p=path: relative(p, paths[j]))
            + related_html(related(entries, i, lambda j, p=path: relative(p, paths[j])))
            + "</div></div>\n"
            + footer
        )
        routes[path] = html_resource(page, charset, header_charset=False)
        truth.append(
            expected(
                name,
                title,
                entry,
                path,
                category="教学动态",
                minute=True,
                published=shown,
                list_date=f"{entry.published:%Y-%m-%d}",
                editors=editors,
                attachments=(attachment,) if i == attachment_index else (),
            )
        )
    routes[attachment] = Resource(PDF_BYTES, "application/pdf")
    routes[hidden] = html_resource(
        head("内部通知") + "<p>内部通知，仅限校内访问。</p></body></html>", charset, header_charset=False
    )

    list_pages = pages_of(list(range(len(entries))), 4)
    for number, indexes in enumerate(list_pages):
        path = "/jxdt/index.html" if number == 0 else f"/jxdt/index_{number}.html"
        items = "".join(
            f'<li><a href="{relative(path, paths[i])}" target="_blank" title="{esc(entries[i].title)}">'
            f'{esc(entries[i].title)}</a><span class="date">{entries[i].published:%Y-%m-%d}</span></li>\n'
            for i in indexes
        )
        if number == 0:
            items += (
                f'<li><a href="{relative(path, hidden)}">内部通知:关于校内学习安排的通知</a>'
                '<span class="date">2021-01-11</span></li>\n'
            )
        page = (
            head(f"教学动态_{title}")
            + TRS_PAGER_SCRIPT
            + '<div class="main"><div class="bread"><a href="/">首页</a> &gt;&gt; '
            '<a href="/ztbpx/index.html">主体班培训</a> &gt;&gt; 教学动态</div>\n'
            f'<div class="list"><ul>\n{items}</ul>\n<div class="page">\n<script language="JavaScript">\n'
            f'createPageHTML({len(list_pages)}, {number}, "index", "html");\n</script>\n</div></div>'
            + calendar_link()
            + "</div>\n"
            + footer
        )
        routes[path] = html_resource(page, charset, header_charset=False)
    latest = [(paths[i], entries[i].title) for i in range(3)]
    routes["/"] = html_resource(
        homepage(title, "/jxdt/index.html", latest, charset), charset, header_charset=False
    )
    routes["/robots.txt"] = robots(disallowed)
    return Site(name, title, ("/jxdt/index.html",), disallowed, routes, truth)


# ---------------------------------------------------------------------------------- 2. university (VSB)


def university(base_urls: Mapping[str, str]) -> Site:
    name, title = "university", SITE_TITLES["university"]
    rng = site_rng(name)
    entries = plan()[name]
    paths = [f"/info/1034/{rng.randint(10000, 99999)}.htm" for _ in entries]
    disallowed = "/info/1099/"
    hidden = f"{disallowed}{rng.randint(10000, 99999)}.htm"
    routes: dict[str, Resource] = {}
    truth = []

    def head(page_title: str, description: str = "") -> str:
        return (
            "<!DOCTYPE html>\n<HTML><HEAD><TITLE>" + esc(page_title) + "</TITLE>\n"
            '<META Name="keywords" Content="东湖大学,党委组织部,党建工作" />\n'
            + (f'<META Name="description" Content="{esc(description)}" />\n' if description else "")
            + '<meta charset="utf-8">\n<script type="text/javascript" src="/system/resource/js/counter.js"></script>\n'
            "</HEAD>\n<BODY>\n"
            '<div class="topbar"><a href="/">东湖大学</a>| <a href="/zyjd.htm">主页焦点</a>| '
            '<a href="/zytj.htm">主页推荐</a>| <a href="/wzdt.htm">网站地图</a>| <a href="/syb.htm">使用帮助</a> '
            '<a href="/rss.xml">RSS</a> <a href="/tg.htm">我要投稿</a></div>\n'
        )

    footer = (
        f'{friend_links(name, base_urls)}<div class="footer">版权所有 © {title} &nbsp; '
        "地址:东湖市大学路88号 &nbsp; 技术支持:网络信息中心</div>\n</BODY></HTML>"
    )
    for i, (entry, path) in enumerate(zip(entries, paths, strict=True)):
        shown = f"{entry.published:%Y-%m-%d}"
        summary = entry.paragraphs[0].split("。")[0] + "。"
        editor = person(rng)
        images, photographers, figures = [], (), []
        if i % 3 == 0:
            folder = f"/__local/{rng.randint(1, 9)}/{rng.randint(10, 99)}/{rng.randint(10, 99)}"
            images = [f"{folder}/图片{n}.jpg" for n in (1, 2)]
            figures = [
                f'<p style="text-align:center"><img src="{src}" alt="{posixpath.basename(src)}" '
                f'title="{posixpath.basename(src)}" width="600" /></p>'
                for src in images
            ]
            photographers = (person(rng), person(rng))
        body = [f"<p>{esc(text)}</p>" for text in entry.paragraphs]
        for n, figure in enumerate(figures):
            body.insert(1 + 2 * n, figure)
        if photographers:
            body.append(f'<p style="text-align:right">图片:{" ".join(photographers)}</p>')
        page = (
            head(f"{entry.title}-{title}", summary)
            + '<div class="position">当前位置: <a href="/">首页</a> &gt;&gt; '
            f'<a href="{relative(path, "/djgz/list.htm")}">党建工作</a> &gt;&gt; 正文</div>\n'
            f'<form name="_newscontent_fromname">\n<div class="content-title"><h3>{esc(entry.title)}</h3></div>\n'
            f'<div class="content-info">日期 : {shown} &nbsp;&nbsp; 作者:{esc(" ".join(entry.story.authors))} '
            f"&nbsp;&nbsp; 来源:{esc(entry.source)} &nbsp;&nbsp; 浏览次数:"
            f'<script>_showDynClicks("wbnews", 1528273131, {posixpath.basename(path)[:-4]})</script></div>\n'
            f'<div class="summary"><span>摘要</span><p>{esc(summary)}</p></div>\n'
            '<div id="vsb_content"><div class="v_news_content">\n' + "\n".join(body) + "\n</div></div>\n"
            f'<div class="editor">责任编辑:{esc(editor)}</div>\n'
            + neighbours(entries, i, lambda j, p=path: relative(p, paths[j]))
            + '<div class="tools">【<a href="javascript:window.print()">打印本页</a>】'
            '【<a href="javascript:window.close()">关闭窗口</a>】</div>\n'
            '<div class="share">分享到: <a href="javascript:void(0)">微信</a> <a href="javascript:void(0)">QQ空间</a>'
            "</div>\n</form>\n"
            + related_html(related(entries, i, lambda j, p=path: relative(p, paths[j])))
            + footer
        )
        routes[path] = html_resource(page)
        for src in images:
            routes[src] = Resource(JPEG_BYTES, "image/jpeg")
        truth.append(
            expected(
                name,
                title,
                entry,
                path,
                category="党建工作",
                minute=False,
                published=shown,
                list_date=f"[{entry.published:%m-%d}]",
                editors=(editor,),
                photographers=photographers,
                summary=summary,
                images=tuple(images),
                subtitle=None,  # the VSB template has no subtitle slot
            )
        )
    routes[hidden] = html_resource(head("内部资料") + "<p>内部资料，请勿外传。</p></BODY></HTML>")

    list_pages = pages_of(list(range(len(entries))), 3)
    count = len(list_pages)
    list_paths = ["/djgz/list.htm"] + [f"/djgz/list/{count - n}.htm" for n in range(1, count)]
    for number, indexes in enumerate(list_pages):
        path = list_paths[number]
        items = "".join(
            f'<li id="line_u8_{k}"><a href="{relative(path, paths[i])}" target="_blank" '
            f'title="{esc(entries[i].title)}">{esc(entries[i].title)}</a>'
            f'<span class="date">[{entries[i].published:%m-%d}]</span></li>\n'
            for k, i in enumerate(indexes)
        )
        if number == 0:
            items += f'<li><a href="{relative(path, hidden)}">内部资料汇编</a><span class="date">[01-11]</span></li>\n'

        def pager_link(label: str, target: int | None, path: str = path) -> str:
            if target is None:
                return f'<span class="p_fun_d">{label}</span>'
            return f'<span class="p_fun"><a href="{relative(path, list_paths[target])}">{label}</a></span>'

        pager = (
            f"<table><tr><td>共{len(entries)}条&nbsp;&nbsp;{number + 1}/{count}&nbsp;</td><td>"
            + pager_link("首页", 0 if number else None)
            + pager_link("上页", number - 1 if number else None)
            + pager_link("下页", number + 1 if number + 1 < count else None)
            + pager_link("尾页", count - 1 if number + 1 < count else None)
            + "</td></tr></table>"
        )
        page = (
            head(f"党建工作-{title}")
            + '<div class="position">当前位置: <a href="/">首页</a> &gt;&gt; 党建工作</div>\n'
            f'<div class="list"><ul>\n{items}</ul>\n<div class="pb_sys_common">{pager}</div></div>\n' + footer
        )
        routes[path] = html_resource(page)
    latest = [(paths[i], entries[i].title) for i in range(3)]
    routes["/"] = html_resource(homepage(title, "/djgz/list.htm", latest))
    routes["/robots.txt"] = robots(disallowed)
    return Site(name, title, ("/djgz/list.htm",), disallowed, routes, truth)


# ------------------------------------------------------------------------------ 3. city portal (JCMS)


def city_portal(base_urls: Mapping[str, str]) -> Site:
    name, title = "city_portal", SITE_TITLES["city_portal"]
    rng = site_rng(name)
    entries = plan()[name]
    column = "/col/col123/index.html"
    paths = [
        f"/art/{e.published.year}/{e.published.month}/{e.published.day}/art_123_{rng.randint(1000, 9999)}.html"
        for e in entries
    ]
    timeline_index = 2
    disallowed = "/member/"
    hidden = f"{disallowed}art/2021/1/11/art_123_{rng.randint(1000, 9999)}.html"
    routes: dict[str, Resource] = {}
    truth = []

    def head(page_title: str, meta: str = "") -> str:
        return (
            f'<!DOCTYPE html>\n<html><head>\n<meta charset="utf-8">\n<title>{esc(page_title)}</title>\n{meta}'
            '<link rel="stylesheet" href="/images/jcms.css">\n</head>\n<body>\n'
            f'<div class="header"><div class="logo">{title}</div><div class="nav"><a href="/">首页</a>'
            f'<a href="{column}">党员教育</a><a href="/col/col124/index.html">组织建设</a>'
            '<a href="/col/col125/index.html">基层动态</a></div></div>\n'
        )

    footer = (
        f'{friend_links(name, base_urls)}<div class="footer">主办:中共明湖市委组织部 &nbsp; 承办:{title}'
        " &nbsp; 版权所有 © 2021 &nbsp; 网站标识码:0000000001</div>\n</body></html>"
    )
    for i, (entry, path) in enumerate(zip(entries, paths, strict=True)):
        shown = f"{entry.published:%Y-%m-%d}"
        editors = (person(rng),)
        meta = (
            f'<meta name="SiteName" content="{title}">\n<meta name="ColumnName" content="党员教育">\n'
            f'<meta name="ArticleTitle" content="{esc(entry.title)}">\n'
            f'<meta name="PubDate" content="{entry.published:%Y-%m-%d %H:%M}">\n'
            f'<meta name="ContentSource" content="{esc(entry.source)}">\n'
        )
        subtitle = f'<div class="subtitle">{esc(entry.story.subtitle)}</div>' if entry.story.subtitle else ""
        page = (
            head(f"{entry.title}-{title}", meta)
            + f'<ul class="position"><li>当前位置: </li><li><a href="/">首页</a></li><li> &gt; </li>'
            f'<li><a href="{column}">党员教育</a></li><li> &gt; </li><li>详情</li></ul>\n'
            f'<div class="article"><div class="title">{esc(entry.title)}</div>{subtitle}\n'
            f'<div class="info"><span>发布日期:{shown}</span> <span>来源:{esc(entry.source)}</span> '
            f"<span>作者:{esc('、'.join(entry.story.authors))}</span> "
            f'<span>浏览次数:<span id="hits">{rng.randint(100, 5000)}</span></span> '
            '<span class="font">【字体:<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> '
            '<a href="javascript:doZoom(14)">小</a>】</span></div>\n'
            '<div class="content" id="zoom">\n'
            + paragraphs_html(
                entry, lambda text: f'<p style="text-align:center;"><strong>{esc(text)}</strong></p>'
            )
            + f'\n</div>\n<div class="editor">责任编辑:{esc(editors[0])}</div>\n'
            '<div class="tools">分享到: <a href="javascript:void(0)">微信</a> <a href="javascript:void(0)">微博</a> '
            '【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】'
            "</div>\n"
            + neighbours(entries, i, lambda j: paths[j])
            + related_html(related(entries, i, lambda j: paths[j]))
            + f'<div class="share-title" style="display:none">{esc(entry.title)}-{title}</div>\n</div>\n'
            + footer
        )
        routes[path] = html_resource(page)
        if i == timeline_index:
            routes[f"{path}?{TIMELINE_QUERY}"] = routes[path]
        truth.append(
            expected(
                name,
                title,
                entry,
                path,
                category="党员教育",
                minute=True,  # the page prints the day, but its <meta name="PubDate"> gives the minute
                published=shown,
                list_date=shown,
                editors=editors,
            )
        )
    routes[hidden] = html_resource(head("会员专区") + "<p>请登录后查看。</p></body></html>")

    list_pages = pages_of(list(range(len(entries))), 5)
    count = len(list_pages)

    def page_href(number: int) -> str:
        return f"{column}?uid=456&amp;pageNum={number + 1}"

    timeline = (
        f'<div class="timeline"><h4>时间轴</h4><a href="{paths[timeline_index]}?{TIMELINE_QUERY}">'
        f"{esc(entries[timeline_index].title)}</a></div>\n"
    )
    for number, indexes in enumerate(list_pages):
        items = "".join(
            f'<li><a href="{paths[i]}" title="{esc(entries[i].title)}" target="_blank">{esc(entries[i].title)}</a>'
            f'<span class="bt-data-time">{entries[i].published:%Y-%m-%d}</span></li>\n'
            for i in indexes
        )
        if number == 0:
            items += f'<li><a href="{hidden}">会员专区:学习资料</a><span class="bt-data-time">2021-01-11</span></li>\n'
        links = [f"共{len(entries)}条记录 {number + 1}/{count}页"]
        if number:
            links += [f'<a href="{page_href(0)}">首页</a>', f'<a href="{page_href(number - 1)}">上页</a>']
        if number + 1 < count:
            links += [
                f'<a href="{page_href(number + 1)}">下页</a>',
                f'<a href="{page_href(count - 1)}">尾页</a>',
            ]
        page = (
            head(f"党员教育-{title}")
            + f'<div class="bt-position">当前位置:<a href="/">首页</a> &gt; <a href="{column}">党员教育</a></div>\n'
            f'<div id="456"><ul class="list">\n{items}</ul>\n'
            f'<div class="default_pgContainer">{" ".join(links)}</div></div>\n'
            + (timeline if number == 0 else "")
            + footer
        )
        resource = html_resource(page)
        routes[f"{column}?uid=456&pageNum={number + 1}"] = resource
        if number == 0:
            routes[column] = resource
    latest = [(paths[i], entries[i].title) for i in range(3)]
    routes["/"] = html_resource(homepage(title, column, latest))
    routes["/robots.txt"] = robots(disallowed)
    return Site(name, title, (column,), disallowed, routes, truth)


# ---------------------------------------------------------------------- 4. county news (table layout)


def county_news(base_urls: Mapping[str, str]) -> Site:
    name, title = "county_news", SITE_TITLES["county_news"]
    rng = site_rng(name)
    entries = plan()[name]
    ids = [rng.randint(1000, 9999) for _ in entries]
    paths = [f"/content/{e.published:%Y%m/%d}/content_{n}.html" for e, n in zip(entries, ids, strict=True)]
    attachment_index = 3
    attachment = f"/uploads/{entries[attachment_index].published:%Y%m}/tongzhi_{ids[attachment_index]}.doc"
    disallowed = "/internal/"
    hidden = f"{disallowed}content/202101/11/content_{rng.randint(1000, 9999)}.html"
    column = "/xwzx/index.html"
    routes: dict[str, Resource] = {}
    truth = []

    def head(page_title: str) -> str:
        return (
            '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">\n<html><head>\n'
            f'<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n<title>{esc(page_title)}</title>\n'
            '</head>\n<body>\n<table width="1000" border="0" cellspacing="0" cellpadding="0" align="center">\n'
            f'<tr><td class="banner"><img src="/images/banner.jpg" alt="{title}"></td></tr>\n'
            '<tr><td class="nav"><a href="/">网站首页</a> | <a href="/xwzx/index.html">临溪新闻</a> | '
            '<a href="/zwgk/index.html">政务公开</a> | <a href="/bsfw/index.html">办事服务</a></td></tr>\n'
        )

    footer = (
        f'<tr><td>{friend_links(name, base_urls)}</td></tr>\n<tr><td class="footer" align="center">'
        f"主办单位:{title}办公室 &nbsp; 版权所有 &nbsp; 备案号:江ICP备00000002号</td></tr>\n"
        "</table>\n</body></html>"
    )
    for i, (entry, path, number) in enumerate(zip(entries, paths, ids, strict=True)):
        shown = f"{entry.published:%Y-%m-%d}"
        editors = (person(rng), person(rng))
        subtitle = entry.story.subtitle or ""
        residue = (
            f"{shown} 00:00:00:0{esc(subtitle)}{number}10http://192.168.99.30:8088/pc/content/"
            f"{entry.published:%Y%m/%d}/content_{number}.htmlnullcontent_{number}.html11{esc(entry.title)}"
            "/enpproperty-->"
        )
        attach = ""
        if i == attachment_index:
            attach = f'<p>附件:<a href="{attachment}">关于开展主题党日活动的通知.doc</a></p>\n'
        own_source_left_blank = i % 3 == 2 and entry.source == entry.story.source
        source = "" if own_source_left_blank else entry.source
        page = (
            head(f"{entry.title}_{title}")
            + f'<tr><td class="crumb">您当前的位置:<a href="/">首页</a> &gt;&gt; <a href="{column}">临溪新闻</a></td></tr>\n'
            f'<tr><td align="center"><h2 class="title">{esc(entry.title)}</h2>'
            + (f'<div class="subtitle">{esc(subtitle)}</div>' if subtitle else "")
            + "</td></tr>\n"
            f'<tr><td class="info" align="center">来源:{esc(source)} &nbsp; 发布时间:{shown} &nbsp; '
            f"浏览次数:<span>{rng.randint(50, 2000)}</span> &nbsp; 【字体:大 中 小】</td></tr>\n"
            '<tr><td class="content">-->\n<founder-content>\n'
            + paragraphs_html(entry)
            + "\n</founder-content>\n"
            f"<p>({esc(' '.join(entry.story.authors))})</p>\n{attach}"
            f"<p>编辑:{esc(padded(editors[0]))} &nbsp; 审核:{esc(padded(editors[1]))}</p>\n"
            f'<div class="enp">{residue}</div>\n'
            f'<p class="origin"><a href="{INTERNAL_LINK}">查看原文</a></p>\n'
            '<div class="share">分享到: <a href="javascript:void(0)">微信</a> <a href="javascript:void(0)">微博</a> '
            '<a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>\n'
            + neighbours(entries, i, lambda j: paths[j])
            + "</td></tr>\n<tr><td>"
            + related_html(related(entries, i, lambda j: paths[j]), "热点文章推荐")
            + related_html(related(entries, (i + 3) % len(entries), lambda j: paths[j]))
            + "</td></tr>\n"
            + footer
        )
        routes[path] = html_resource(page)
        truth.append(
            expected(
                name,
                title,
                entry,
                path,
                category="临溪新闻",
                minute=False,
                published=shown,
                list_date=f"{entry.published:%Y年%m月%d日}",
                editors=editors,
                source=source or None,
                attachments=(attachment,) if i == attachment_index else (),
            )
        )
    routes[attachment] = Resource(DOC_BYTES, "application/msword")
    routes[hidden] = html_resource(head("内部文件") + "<tr><td>内部文件</td></tr></table></body></html>")

    list_pages = pages_of(list(range(len(entries))), 4)
    count = len(list_pages)
    for number, indexes in enumerate(list_pages):
        rows = "".join(
            f'<tr><td class="dot">·</td><td><a href="{paths[i]}" target="_blank">{esc(entries[i].title)}</a></td>'
            f'<td class="date">{entries[i].published:%Y年%m月%d日}</td></tr>\n'
            for i in indexes
        )
        if number == 0:
            rows += (
                f'<tr><td class="dot">·</td><td><a href="{hidden}">内部文件传阅</a></td>'
                '<td class="date">2021年01月11日</td></tr>\n'
            )
        pager = [f"第{number + 1}页/共{count}页"]
        if number:
            pager += ['<a href="?page=1">首页</a>', f'<a href="?page={number}">上一页</a>']
        if number + 1 < count:
            pager += [f'<a href="?page={number + 2}">下一页</a>', f'<a href="?page={count}">尾页</a>']
        page = (
            head(f"临溪新闻_{title}")
            + f'<tr><td class="crumb">您当前的位置:<a href="/">首页</a> &gt;&gt; 临溪新闻</td></tr>\n'
            f'<tr><td><table class="list" width="100%">\n{rows}</table></td></tr>\n'
            f'<tr><td class="pager" align="center">{" ".join(pager)}</td></tr>\n'
            f"<tr><td>{calendar_link()}</td></tr>\n" + footer
        )
        resource = html_resource(page)
        routes[f"{column}?page={number + 1}"] = resource
        if number == 0:
            routes[column] = resource
    latest = [(paths[i], entries[i].title) for i in range(3)]
    routes["/"] = html_resource(homepage(title, column, latest))
    routes["/robots.txt"] = robots(disallowed)
    return Site(name, title, (column,), disallowed, routes, truth)


BUILDERS: dict[str, Callable[[Mapping[str, str]], Site]] = {
    "party_school": party_school,
    "university": university,
    "city_portal": city_portal,
    "county_news": county_news,
}


def build_farm(
    base_urls: Mapping[str, str], builders: Mapping[str, Callable[[Mapping[str, str]], Site]] = BUILDERS
) -> dict[str, Site]:
    """Render the sites named in `base_urls` ("http://127.0.0.1:PORT" each); peers link to one another."""
    unknown = sorted(set(base_urls) - set(builders))
    if unknown:
        raise ValueError(f"unknown farm sites: {', '.join(unknown)} (known: {', '.join(builders)})")
    return {name: builders[name](base_urls) for name in base_urls}


def absolute_truth(site: Site, base_url: str) -> list[ExpectedArticle]:
    return [
        dataclasses.replace(
            article,
            url=base_url + article.url,
            attachments=tuple(base_url + a for a in article.attachments),
            images=tuple(base_url + a for a in article.images),
            parts=tuple(base_url + a for a in article.parts),
            aliases=tuple(base_url + a for a in article.aliases),
        )
        for article in site.truth
    ]
