"""The demo farm: its pages carry what its ground truth promises, and its server serves them as promised."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.etree
import lxml.html
import pytest
import yaml

from crawlers.site_config import load_site_config
from demo.coverage import ALL_BUILDERS, COVERAGE_BUILDERS, COVERAGE_SITE_NAMES, SITEMAP_ONLY
from demo.farm import INTERNAL_LINK, PUBLIC_HOSTS, SITE_NAMES, Site, build_farm, esc
from demo.holdout import HOLDOUT_BUILDERS, HOLDOUT_SITE_NAMES
from demo.server import DEMO_CONFIG_DIR, FarmServer, Fault, demo_config_paths, ports_from_configs, site_config

FAKE_BASES = {name: f"http://127.0.0.1:{20001 + i}" for i, name in enumerate(SITE_NAMES)}
ENCODINGS = {"party_school": "gbk"}
ARTICLE_URL = re.compile(r"(/t\d{8}_\d+\.html|/info/\d+/\d+\.htm|/art_\d+_\d+\.html|/content_\d+\.html)$")
TRS_PAGER = re.compile(r'createPageHTML\((\d+),\s*(\d+),\s*"(\w+)",\s*"(\w+)"\)')


@pytest.fixture(scope="module")
def farm() -> dict[str, Site]:
    return build_farm(FAKE_BASES)


def page_text(site: Site, path: str) -> str:
    return site.routes[path].body.decode(ENCODINGS.get(site.name, "utf-8"))


def links(site: Site, path: str) -> list[str]:
    """Hrefs of a page made absolute, plus the pages a TRS `createPageHTML` call would write."""
    text = page_text(site, path)
    base = FAKE_BASES[site.name] + path
    hrefs = [urljoin(base, href) for href in lxml.html.fromstring(text).xpath("//a/@href")]
    for count, _, name, ext in TRS_PAGER.findall(text):
        hrefs += [urljoin(base, f"{name}.{ext}")] + [
            urljoin(base, f"{name}_{i}.{ext}") for i in range(1, int(count))
        ]
    return hrefs


def reachable(site: Site) -> set[str]:
    """Site paths (with query) reachable from the start pages without entering robots-disallowed paths."""
    root = FAKE_BASES[site.name]
    seen, queue = set(), list(site.start_paths)
    while queue:
        path = queue.pop()
        if path in seen or path not in site.routes or path.startswith(site.disallowed_prefix):
            continue
        seen.add(path)
        if site.routes[path].content_type.startswith("text/html"):
            for url in links(site, path):
                if url.startswith(root + "/"):
                    parts = urlsplit(url)
                    queue.append(unquote(parts.path) + (f"?{parts.query}" if parts.query else ""))
    return seen


def test_farm_is_deterministic(farm):
    again = build_farm(FAKE_BASES)
    for name in SITE_NAMES:
        assert again[name].truth == farm[name].truth
        assert {p: r.body for p, r in again[name].routes.items()} == {
            p: r.body for p, r in farm[name].routes.items()
        }


@pytest.mark.parametrize("name", SITE_NAMES)
def test_truth_is_what_the_pages_show(farm, name):
    site = farm[name]
    assert 8 <= len(site.truth) <= 15
    for article in site.truth:
        root = lxml.html.fromstring(page_text(site, article.url))
        text = root.text_content()
        paragraphs = [p.text_content() for p in root.xpath("//p")]
        for paragraph in article.body:
            assert paragraph in paragraphs, (article.url, paragraph[:30])
        assert 2 <= len([p for p in article.body if len(p) > 40]) <= 4
        assert 300 <= len(article.body_text) <= 2000
        for value in (article.title, article.published, article.category, *article.authors):
            assert value in text, (article.url, value)
        assert article.published_at.startswith(article.published[:10])
        assert article.source is None or article.source in text
        for editor in article.editors:  # two-character names are printed padded: 李 莹
            assert editor in text or " ".join(editor) in text
        for chrome in (
            "分享",
            "打印本页",
            "关闭窗口",
            "上一篇",
            "下一篇",
            "浏览次数",
            "首页 >",
            "相关文章推荐",
        ):
            assert chrome in text.replace("\xa0", " ").replace("&gt;", ">"), (article.url, chrome)


@pytest.mark.parametrize("name", SITE_NAMES)
def test_exactly_the_truth_articles_are_linked_from_the_lists(farm, name):
    site = farm[name]
    found = reachable(site)
    articles = {a.url for a in site.truth}
    assert articles <= found
    article_like = {p for p in found if ARTICLE_URL.search(p)}
    assert article_like == articles


@pytest.mark.parametrize("name", SITE_NAMES)
def test_list_pages_print_a_date_next_to_each_link(farm, name):
    site = farm[name]
    articles = {a.url for a in site.truth}
    list_text = "".join(
        page_text(site, path)
        for path in reachable(site)
        if path not in articles and site.routes[path].content_type.startswith("text/html")
    )
    for article in site.truth:
        href = re.escape(urlsplit(article.url).path.rsplit("/", 1)[-1])
        assert re.search(
            href + r'"[^>]*>[^<]*</a>\s*(<[^>]+>\s*)*' + re.escape(article.list_date), list_text
        ), article.url


def test_party_school_is_gbk_with_the_charset_only_in_meta(farm):
    site = farm["party_school"]
    for resource in site.routes.values():
        if resource.content_type.startswith("text/html"):
            assert resource.content_type == "text/html"
            assert b"charset=gbk" in resource.body
            with pytest.raises(UnicodeDecodeError):
                resource.body.decode("utf-8")


def test_each_site_paginates_in_its_cms_manner(farm):
    first = page_text(farm["party_school"], "/jxdt/index.html")
    assert 'createPageHTML(3, 0, "index", "html")' in first and 'href="index_1.html"' not in first
    assert {"/jxdt/index_1.html", "/jxdt/index_2.html"} <= farm["party_school"].routes.keys()
    assert 'href="list/3.htm">下页' in page_text(farm["university"], "/djgz/list.htm")
    assert 'href="2.htm">下页' in page_text(farm["university"], "/djgz/list/3.htm")
    assert "pageNum=2" in page_text(farm["city_portal"], "/col/col123/index.html")
    county = page_text(farm["county_news"], "/xwzx/index.html")
    assert '<a href="?page=2">下一页</a>' in county and '<a href="?page=3">尾页</a>' in county


def test_sites_wear_their_cms_chrome(farm):
    university = farm["university"].truth[0]
    text = page_text(farm["university"], university.url)
    assert f"日期 : {university.published}" in text and "摘要" in text
    assert any("图片1.jpg" in page_text(farm["university"], a.url) for a in farm["university"].truth)
    portal = farm["city_portal"].truth[0]
    text = page_text(farm["city_portal"], portal.url)
    assert "【字体:" in text and f"{portal.title}-明湖党建网" in text
    assert any(len(a.body) > len([p for p in a.body if len(p) > 20]) for a in farm["city_portal"].truth)
    county = farm["county_news"]
    text = page_text(county, county.truth[0].url)
    for residue in ("-->", "null", "enpproperty", "http://192.168.99.30:8088/", f'href="{INTERNAL_LINK}"'):
        assert residue in text


def test_syndicated_stories_and_a_hard_negative(farm):
    sites_of = defaultdict(set)
    articles = [a for site in farm.values() for a in site.truth]
    for article in articles:
        sites_of[article.cluster].add(article.site)
    shared = {cluster: sites for cluster, sites in sites_of.items() if len(sites) > 1}
    assert 2 <= len(shared) <= 3 and all(len(sites) <= 3 for sites in shared.values())
    copies = [a for a in articles if a.cluster in shared]
    assert any(a.title.startswith("【转载】") for a in copies)
    assert len({a.source for a in copies}) > len(shared)  # some copies credit a different 来源
    bodies = defaultdict(set)
    for article in copies:
        bodies[article.cluster].add(article.body)
    assert any(len(b) > 1 for b in bodies.values())  # one copy was edited
    negatives = [a for a in articles if a.hard_negative_of]
    assert len(negatives) == 2 and negatives[0].cluster != negatives[1].cluster
    first, second = (shingles(a.body_text) for a in negatives)
    assert 0.2 < len(first & second) / len(first | second) < 0.6  # same template, different story


def shingles(text: str, size: int = 5) -> set[str]:
    return {text[i : i + size] for i in range(len(text) - size + 1)}


def test_traps_are_linked(farm):
    for site in farm.values():
        robots = site.routes["/robots.txt"].body.decode()
        assert f"Disallow: {site.disallowed_prefix}" in robots
        start = site.start_paths[0]
        hrefs = links(site, start)
        assert any(urlsplit(h).path.startswith(site.disallowed_prefix) for h in hrefs)
        assert any(h.startswith(PUBLIC_HOSTS[0]) for h in hrefs)
        assert (
            sum(h.startswith(base) for base in FAKE_BASES.values() for h in hrefs if site.name not in h) > 0
        )
        calendar = site.resource("/calendar?month=2020-12").body.decode()
        assert 'href="/calendar?month=2021-01"' in calendar
    assert any("/calendar?month=" in page_text(s, s.start_paths[0]) for s in farm.values())
    types = {
        site.routes[attachment].content_type
        for site in farm.values()
        for article in site.truth
        for attachment in article.attachments
    }
    assert types == {"application/pdf", "application/msword"}
    portal = farm["city_portal"]
    aliases = [p for p in portal.routes if p.endswith("?from=timeline")]
    assert len(aliases) == 1 and portal.routes[aliases[0]] is portal.routes[aliases[0].split("?")[0]]


def test_demo_configs_are_minimal_and_use_fixed_ports():
    paths = demo_config_paths()
    assert [p.stem for p in paths] == sorted(SITE_NAMES)
    ports = ports_from_configs()
    assert sorted(ports.values()) == [18601, 18602, 18603, 18604]
    sites = build_farm({name: f"http://127.0.0.1:{port}" for name, port in ports.items()})
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        name = data["name"]
        assert data == site_config(name, f"http://127.0.0.1:{ports[name]}", sites[name].start_paths)
        assert set(data) == {"name", "start_urls", "timezone", "download_delay"}
        load_site_config(path)
    assert DEMO_CONFIG_DIR == paths[0].parent


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, headers=headers or {}), timeout=10
        ) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.mark.slow
def test_server_serves_every_site_and_logs_requests(tmp_path: Path):
    faults = {
        ("county_news", "/xwzx/index.html?page=2"): Fault.error(503, times=2),
        ("university", "/djgz/list.htm"): Fault.slow(0.3),
    }
    with FarmServer(faults=faults) as server:
        assert set(server.base_urls) == set(SITE_NAMES)
        for name in SITE_NAMES:
            base = server.base_urls[name]
            assert fetch(base + "/robots.txt")[0] == 200
            article = server.truth(name)[0]
            assert article.url.startswith(base + "/")
            status, headers, body = fetch(article.url)
            assert status == 200 and article.body[0] in body.decode(ENCODINGS.get(name, "utf-8"))
            assert fetch(base + "/no/such/page.html")[0] == 404
        status, headers, body = fetch(server.truth("party_school")[0].url)
        assert headers["Content-Type"] == "text/html" and "charset=gbk" in body.decode("gbk")

        page_2 = server.base_urls["county_news"] + "/xwzx/index.html?page=2"
        assert [fetch(page_2)[0] for _ in range(3)] == [503, 503, 200]
        started = time.monotonic()
        assert fetch(server.base_urls["university"] + "/djgz/list.htm")[0] == 200
        assert time.monotonic() - started >= 0.3

        etag = fetch(page_2)[1]["ETag"]
        assert fetch(page_2, {"If-None-Match": etag})[0] == 304

        assert [
            e.status for e in server.requests if e.site == "county_news" and e.path.endswith("page=2")
        ] == [503, 503, 200, 200, 304]
        assert server.requests[-1].headers["if-none-match"] == etag

        written = server.write_site_configs(tmp_path)
        assert [load_site_config(p).name for p in written] == list(SITE_NAMES)
        assert server.site_config("city_portal")["start_urls"] == [
            server.base_urls["city_portal"] + "/col/col123/index.html"
        ]


# ------------------------------------------------------------------------------------ the coverage farm

COVERAGE_BASES = {name: f"http://127.0.0.1:{20101 + i}" for i, name in enumerate(COVERAGE_SITE_NAMES)}


@pytest.fixture(scope="module")
def coverage() -> dict[str, Site]:
    return build_farm(COVERAGE_BASES, COVERAGE_BUILDERS)


def served_text(site: Site, path: str) -> str:
    return site.resource(path).body.decode("utf-8")


def local(site: Site, url: str) -> str:
    return url.removeprefix(COVERAGE_BASES[site.name])


def test_coverage_farm_is_deterministic_and_leaves_the_demo_sites_as_they_were(coverage):
    again = build_farm(COVERAGE_BASES, COVERAGE_BUILDERS)
    for name, site in coverage.items():
        assert again[name].truth == site.truth
        assert {p: r.body for p, r in again[name].routes.items()} == {p: r.body for p, r in site.routes.items()}
    demo = build_farm(FAKE_BASES, ALL_BUILDERS)
    assert {n: {p: r.body for p, r in s.routes.items()} for n, s in demo.items()} == {
        n: {p: r.body for p, r in s.routes.items()} for n, s in build_farm(FAKE_BASES).items()
    }


def test_coverage_urls_follow_no_known_cms_convention(coverage):
    patterns = [re.compile(rule["pattern"]) for rule in yaml.safe_load(
        (Path(__file__).resolve().parents[1] / "config/rules/cms.yaml").read_text(encoding="utf-8"))["article_urls"]]
    urls = [COVERAGE_BASES[s.name] + u for s in coverage.values() for a in s.truth for u in (a.url, *a.parts)]
    assert [url for url in urls if any(p.search(url) for p in patterns)] == []


@pytest.mark.parametrize("name", COVERAGE_SITE_NAMES)
def test_coverage_truth_is_what_the_pages_show(coverage, name):
    site = coverage[name]
    assert 10 <= len(site.truth) <= 25
    assert len({a.url for a in site.truth}) == len(site.truth)
    for article in site.truth:
        pages = [article.url, *article.parts]
        paragraphs = [p.text_content() for path in pages
                      for p in lxml.html.fromstring(served_text(site, path)).xpath("//p")]
        positions = [paragraphs.index(text) for text in article.body]
        assert positions == sorted(positions), article.url  # the whole body, in page order
        for path in pages:
            text = lxml.html.fromstring(served_text(site, path)).text_content()
            for value in (article.title, article.published, *article.editors):
                assert value in text, (path, value)
        for alias in article.aliases:
            assert site.resource(alias) is not None, alias
    assert f"Disallow: {site.disallowed_prefix}" in served_text(site, "/robots.txt")
    endless = site.resource(site.endless.href(2020, 12)).body.decode()
    assert site.endless.href(2021, 1) in endless and site.endless.href(2020, 12).startswith(site.trap_prefix)
    assert esc(site.endless.href(2021, 1)) in "".join(served_text(site, p) for p in site.listings if p.endswith(
        ("html", "shtml", "jhtml", "/", "do", "jsp?lm=31")))
    assert set(site.start_paths) <= site.listings


def anchors(site: Site, path: str) -> set[str]:
    root = lxml.html.fromstring(served_text(site, path))
    return {unquote(urlsplit(urljoin("http://h" + path, href)).path) for href in root.xpath("//a/@href")}


HIDDEN_LINKS = {  # what each convention keeps its article links in, read the way a page's script would
    "xml_datastore": lambda text: re.findall(r'<!\[CDATA\[<div class="tiao"><a href="([^"]+)"', text),
    "json_endpoint": lambda text: [r["ljdz"] for r in json.loads(text)["data"]["list"]] if text[:1] == "{" else [],
    "embedded_json": lambda text: [a["href"] for a in json.loads(re.search(
        r"window.__LLXX_STATE__ = (.*?);</script>", text)[1])["articles"]],
    "script_links": lambda text: re.findall(r"(?:openWin\(|window\.open\(|location\.href=)'([^']+)'", text)
    + re.findall(r'<area [^>]*href="([^"]+)"', text),
}


@pytest.mark.parametrize("name", sorted(HIDDEN_LINKS))
def test_script_sites_link_their_articles_only_through_scripts(coverage, name):
    site = coverage[name]
    articles = {a.url for a in site.truth}
    listings = [path for path in site.listings if site.routes[path].content_type.startswith(("text/html",
                                                                                              "application/json"))]
    visible = set().union(*(anchors(site, p) for p in listings if site.routes[p].content_type.startswith("text/html")))
    assert visible & articles == set()
    found = {link for path in listings for link in HIDDEN_LINKS[name](served_text(site, path))}
    assert articles <= found and any(link.startswith(site.disallowed_prefix) for link in found)


def test_json_endpoint_is_loaded_by_a_linked_script_and_counts_its_records(coverage):
    site = coverage["json_endpoint"]
    script = served_text(site, "/static/js/zbfc-list.js")
    assert 'src="/static/js/zbfc-list.js"' in served_text(site, "/web/zbfc.html")
    api = re.search(r'var API = "([^"]+)"', script)[1]
    answers = [json.loads(served_text(site, api + str(page))) for page in (1, 2, 3)]
    assert {answer["data"]["total"] for answer in answers} == {len(site.truth)}
    assert site.resource(api + "4") is None
    assert site.routes[api + "1"].content_type.startswith("application/json")


def test_blog_offers_a_feed_and_a_sitemap_index_with_older_notes(coverage):
    site = coverage["blog_feeds"]
    assert 'type="application/atom+xml" title="北坪镇党员工作站" href="/feed/atom.xml"' in served_text(site, "/")
    feed = lxml.etree.fromstring(site.routes["/feed/atom.xml"].body)
    atom = "{http://www.w3.org/2005/Atom}"
    assert len(feed.findall(f"{atom}entry")) == 10
    index = re.search(r"Sitemap: (\S+)", served_text(site, "/robots.txt"))[1]
    sitemaps = re.findall(r"<loc>([^<]+)</loc>", served_text(site, local(site, index)))
    in_sitemaps = {local(site, loc) for sm in sitemaps for loc in re.findall(r"<loc>([^<]+)</loc>",
                                                                             served_text(site, local(site, sm)))}
    articles = {a.url for a in site.truth}
    assert articles < in_sitemaps and "/about/" in in_sitemaps  # sitemaps list non-articles too
    on_lists = set().union(*(anchors(site, p) for p in site.listings if site.routes[p].content_type.startswith(
        "text/html")))
    assert len(articles - on_lists) == SITEMAP_ONLY
    assert any(len(a.title) < 8 for a in site.truth) and all(a.list_date is None for a in site.truth)
    assert {p for p in on_lists if p.startswith(("/tag/", "/author/", "/topics/"))} <= site.routes.keys()


def test_split_articles_have_a_pager_next_to_other_articles_links(coverage):
    site = coverage["multipage"]
    split = [a for a in site.truth if a.parts]
    assert len(split) == 5 and {len(a.parts) for a in split} == {1, 2, 3}
    assert any("_2.html" in a.parts[0] for a in split) and any("?p=2" in a.parts[0] for a in split)
    for article in split:
        pages = [article.url, *article.parts]
        for here, following in zip(pages, pages[1:], strict=False):
            text = served_text(site, here)
            assert f'<a href="{following}">下一页</a>' in text and "下一篇" in text and "相关阅读" in text


def test_url_aliases_are_sessions_redirects_and_print_views_of_a_canonical_page(coverage):
    site, base = coverage["url_aliases"], COVERAGE_BASES["url_aliases"]
    sessions = {m for p in site.listings for m in re.findall(r"jsessionid=(\w+)", served_text(site, p))}
    assert len(sessions) == 3
    moved = 0
    for article in site.truth:
        assert f'<link rel="canonical" href="{base}{article.url}">' in served_text(site, article.url)
        assert any("print.do" in alias for alias in article.aliases)
        for alias in article.aliases:
            resource = site.resource(alias)
            if resource.status == 301:
                moved += 1
                assert resource.headers == (("Location", base + article.url),)
            else:
                assert article.title in resource.body.decode()
            assert site.aliases[alias] == article.url
    assert moved >= 3


def test_portal_home_is_entered_through_a_refresh_and_links_its_columns_by_more(coverage):
    site = coverage["portal_home"]
    assert site.start_paths == ("/",)
    assert 'http-equiv="refresh" content="0; url=/portal/index.shtml"' in served_text(site, "/")
    home = served_text(site, "/portal/index.shtml")
    more = re.findall(r'<a class="more" href="([^"]+)">更多', home)
    assert more == ["/portal/gzdt/index.shtml", "/portal/jcfc/index.shtml"]
    assert "/portal/mulu/index.shtml" in home and "/passport/signin.shtml" in home
    assert {a.category for a in site.truth} == {"工作动态", "基层风采"}


@pytest.mark.slow
def test_server_sends_coverage_headers_and_content_types():
    with FarmServer(sites=["json_endpoint", "url_aliases", "blog_feeds"]) as server:
        assert server.names == ["json_endpoint", "url_aliases", "blog_feeds"]
        base = server.base_urls["json_endpoint"]
        status, headers, body = fetch(base + "/api/content/page?channel=zbfc&size=8&pg=2")
        assert status == 200 and headers["Content-Type"].startswith("application/json")
        assert json.loads(body)["data"]["pg"] == 2
        article = server.truth("url_aliases")[1]
        moved = next(a for a in article.aliases if "/archive/" in a)

        class Stay(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.build_opener(Stay).open(moved, timeout=10)
        assert answer.value.code == 301 and answer.value.headers["Location"] == article.url
        assert fetch(moved)[0] == 200  # followed, it is the article
        status, headers, _ = fetch(server.base_urls["blog_feeds"] + "/sitemap-index.xml")
        assert headers["Content-Type"] == "application/xml"
    with FarmServer() as server:
        assert server.names == list(SITE_NAMES)


# ------------------------------------------------------------------------------ the held-out farm

HOLDOUT_BASES = {name: f"http://127.0.0.1:{21001 + i}" for i, name in enumerate(HOLDOUT_SITE_NAMES)}


def test_holdout_farm_is_deterministic_and_its_truth_is_served():
    first, again = build_farm(HOLDOUT_BASES, HOLDOUT_BUILDERS), build_farm(HOLDOUT_BASES, HOLDOUT_BUILDERS)
    titles = {a.title for site in build_farm(FAKE_BASES).values() for a in site.truth}
    for name in HOLDOUT_SITE_NAMES:
        site = first[name]
        assert site.truth == again[name].truth and 10 <= len(site.truth) <= 20
        assert {p: r.body for p, r in site.routes.items()} == {p: r.body for p, r in again[name].routes.items()}
        assert not titles & {a.title for a in site.truth}
        robots = site.routes["/robots.txt"].body.decode()
        assert f"Disallow: {site.disallowed_prefix}" in robots
        assert [p for p in site.routes if p.startswith(site.disallowed_prefix)]  # one article-looking page there
        assert site.resource(site.endless.href(2040, 12)) is not None  # the trap never ends
        for article in site.truth:
            assert site.resource(article.url).status == 200
            assert all(site.resource(u).status == 200 for u in (*article.parts, *article.aliases))
    assert first["xxgk_table"].routes[first["xxgk_table"].start_paths[0]].content_type == "text/html"
    first["xxgk_table"].routes[first["xxgk_table"].start_paths[0]].body.decode("gbk")
    assert sum(len(a.parts) for a in first["univ_pages"].truth) >= 6


@pytest.mark.slow
def test_server_answers_the_spa_posts_and_refuses_gets():
    with FarmServer(sites=["spa_post"]) as server:
        base = server.base_urls["spa_post"]
        url = base + "/prod-api/cms/article/page"
        request = urllib.request.Request(url, data=json.dumps({"current": 2, "size": 10, "columnCode": "djyw"}).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(request, timeout=5) as response:
            page = json.load(response)["data"]
        assert page["current"] == 2 and page["total"] == 21 and len(page["records"]) == 10
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url, timeout=5)
        assert refused.value.code == 405
        assert [entry.method for entry in server.requests] == ["POST", "GET"]
        assert server.site("spa_post").posted[0][0] == "/prod-api/cms/article/page"
