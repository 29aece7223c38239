"""The demo farm: its pages carry what its ground truth promises, and its server serves them as promised."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
import pytest
import yaml

from crawlers.site_config import load_site_config
from demo.farm import INTERNAL_LINK, PUBLIC_HOSTS, SITE_NAMES, Site, build_farm
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
