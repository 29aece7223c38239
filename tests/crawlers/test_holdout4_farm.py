"""The fourth held-out measurement: the crawler on six sites in conventions no other farm uses (demo/holdout4.py).

The same measurement as tests/crawlers/test_holdout_farm.py (its `measure`, `report` and `cases`): each site
is crawled from a config with only its name and start URLs, and a site the crawler cannot yet handle is a
strict xfail whose reason names what it misses. `test_the_farm_serves_what_it_promises` checks the farm
itself, without the crawler: every article answers a GET with its title, and each list mechanism (a click
counter page whose script moves on, a 网站地图 page the footer links, a JSON-LD ItemList with rel=next, external data
files written by document.write, a list API guarded by a token a first call gives, a custom element's
data-src) reaches every article and ends.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from demo.coverage import coverage_plan
from demo.farm import PUBLIC_HOSTS, build_farm, plan
from demo.holdout import holdout_plan
from demo.holdout2 import holdout2_plan
from demo.holdout3 import holdout3_plan
from demo.holdout4 import HOLDOUT4_BUILDERS, HOLDOUT4_SITE_NAMES, NEWS_LIST_JS
from demo.server import SERVED_BUILDERS, FarmServer
from tests.crawlers.test_holdout3_farm import fetch, get, hrefs, unescape
from tests.crawlers.test_holdout_farm import assert_yields_exactly_its_articles_once, cases

pytestmark = pytest.mark.slow

# First run (crawler of commit 58966b4, before any fix), found/expected: redirect_count 0/15 (15 junk: every
# counter page), sitemap_html 4/16, jsonld_list 5/14, data_js 0/17, token_api 0/13, custom_element 0/18: 9 of 93
# (10 %); junk only on redirect_count; no duplicates, robots, trap or peer requests, nothing fetched twice, no POST
# sent; errors only on token_api (1, a 403). What each gap is, read from the request log: GAPS4.
# (Three sites tried first were found whole at once and changed: a counter answering 302 to the article, 15/15; a
# pager of <input type="button" value="下一頁" onclick="location.href='index_2.htm'"> buttons, 16/16, dropped for
# sitemap_html; the token printed in <meta name="csrf-token"> and read by $(...).attr('content'), 13/13.)
# Mended since (now 93/93):
#   jsonld_list: the next page named only by <link rel="next"> was never fetched (5/14)
#   redirect_count: the click counter's 正在跳转 page (a location script) was stored as the article, its target never
#     asked (0/15, 15 junk)
#   sitemap_html: the column shows only its latest 4 headlines; the 网站地图 the footer links, the only list of the rest,
#     was never fetched (4/16)
#   custom_element: news-list.js was fetched but the URL the element builds from its data- attributes never asked (0/18)
#   data_js: the shell document.writes its data file's <script src> from ?p=N: no data file was requested (0/17)
#   token_api: the list endpoint was asked with an empty _token (a 403): the token comes from a first call, never
#     made (0/13)
GAPS4: dict[str, str] = {}  # site -> what the crawler misses there; a strict xfail until it is mended


@pytest.fixture
def farm():
    with FarmServer(sites=list(HOLDOUT4_SITE_NAMES)) as farm:
        yield farm


@pytest.mark.parametrize("name", cases(HOLDOUT4_SITE_NAMES, GAPS4))
def test_a_fourth_held_out_site_yields_exactly_its_articles_once(farm, tmp_path, name):
    assert_yields_exactly_its_articles_once(farm, name, tmp_path)


# ------------------------------------------------------------------------------ the farm, without the crawler


def walk_links(base: str, start: str, page_links, is_article) -> tuple[set[str], set[str], set[str]]:
    """Follow the pages `page_links(text)` names from `start`: (article links, those of the first page, pages)."""
    found: set[str] = set()
    on_first: set[str] | None = None
    pending, seen = [base + start], set()
    while pending:
        url = pending.pop()
        seen.add(url)
        status, _, text = get(url)
        assert status == 200, url
        articles = {urllib.parse.urljoin(url, unescape(h)) for h in hrefs(text)}
        articles = {u for u in articles if is_article(u)}
        found |= articles
        on_first = articles if on_first is None else on_first
        pending += [u for u in (urllib.parse.urljoin(url, unescape(h)) for h in page_links(text))
                    if u not in seen and u not in pending]
    assert len(seen) >= 3
    return found, on_first or set(), seen


def walk_redirect_count(base: str, start: str) -> tuple[set[str], set[str]]:
    found, on_first, _ = walk_links(base, start, lambda t: [h for h in hrefs(t) if "list.php?cid=5&amp;page=" in h],
                                    lambda u: "/redirect.php" in u or "/neibu/" in u)
    assert not [u for u in found if "/html/" in u]  # no article's own URL is on a list

    def landing(url: str) -> str:
        if "/redirect.php" not in url:
            return url
        status, _, text = get(url)
        assert status == 200 and "正在跳转" in text and '<a href' not in text, url
        return urllib.parse.urljoin(url, re.search(r"window\.location\.href = '([^']+)';", text)[1])

    assert get(base + "/redirect.php?aid=1")[0] == 404  # no such article: no counter page
    return {landing(u) for u in found}, {landing(u) for u in on_first}


def walk_sitemap_html(base: str, start: str) -> tuple[set[str], set[str]]:
    status, _, first = get(base + start)
    assert status == 200 and '<a href="/wzdt.shtml">网站地图</a>' in first and "下一页" not in first and "更多" not in first
    on_first = {urllib.parse.urljoin(base + start, h) for h in hrefs(first) if "content_" in h}
    assert len(on_first) == 4
    status, _, sitemap = get(base + "/wzdt.shtml")
    assert status == 200 and "网站地图" in sitemap
    found = {urllib.parse.urljoin(base + "/wzdt.shtml", h) for h in hrefs(sitemap) if "content_" in h}
    assert get(base + "/lxwm.shtml")[0] == 200  # its one other entry answers
    return found, on_first


def walk_jsonld_list(base: str, start: str) -> tuple[set[str], set[str]]:
    found: set[str] = set()
    on_first: set[str] | None = None
    url, pages = base + start, 0
    while url:
        status, _, text = get(url)
        assert status == 200 and not [h for h in hrefs(text) if "page.htm" in h]  # no row is a link
        assert not [h for h in re.findall(r'<a href="([^"]+)"', text) if "list" in h]  # nor a page
        data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)[1])
        assert data["@type"] == "ItemList"
        rows = {item["url"] for item in data["itemListElement"]}
        found |= rows
        on_first = rows if on_first is None else on_first
        following = re.search(r'<link rel="next" href="([^"]+)">', text)
        url, pages = urllib.parse.urljoin(url, following[1]) if following else None, pages + 1
    assert pages >= 3
    return found, on_first or set()


def walk_data_js(base: str, start: str) -> tuple[set[str], set[str]]:
    found: set[str] = set()
    on_first: set[str] | None = None
    shell = get(base + start)[2]
    assert "src=\"/data/zzgz_' + p + '.js\"" in shell and "'/zzgz/content/' + d.id + '.html'" in shell
    assert not [h for h in hrefs(shell) if "/content/" in h or re.search(r"\?p=\d", h)]  # only script-built
    count, n = None, 1
    while count is None or n <= count:
        assert get(f"{base}{start}?p={n}")[2] == shell  # every page is the same shell
        status, content_type, text = get(f"{base}/data/zzgz_{n}.js")
        assert status == 200 and content_type.startswith("application/javascript")
        count = int(re.search(r"var pageCount = (\d+);", text)[1])
        records = json.loads(text.split("var newsData = ", 1)[1].rstrip().rstrip(";"))
        rows = {base + (r.get("link") or f"/zzgz/content/{r['id']}.html") for r in records}
        found |= rows
        on_first = rows if on_first is None else on_first
        n += 1
    assert count >= 3 and get(f"{base}/data/zzgz_{n}.js")[0] == 404 and get(f"{base}{start}?p={n}")[0] == 404
    return found, on_first or set()


def walk_token_api(base: str, start: str) -> tuple[set[str], set[str]]:
    shell = get(base + start)[2]
    assert "_token: token" in shell and "/portal/article.html" not in shell.split("<script")[0]
    assert "$.getJSON('/api/auth/token', { appid: 'djportal' }" in shell and "token = res.data.token;" in shell
    assert get(base + "/api/auth/token")[0] == 401
    token = json.loads(get(base + "/api/auth/token?appid=djportal")[2])["data"]["token"]
    assert re.fullmatch(r"[0-9a-f]{32}", token) and token not in shell
    api = f"{base}/api/article/list?column=djyw&size=6"
    assert get(api + "&page=1")[0] == 403 and get(api + "&page=1&_token=0")[0] == 403
    found: set[str] = set()
    on_first: set[str] | None = None
    n, pages = 1, None
    while pages is None or n <= pages:
        status, _, text = get(f"{api}&page={n}&_token={token}")
        data = json.loads(text)["data"]
        assert status == 200 and data["list"]
        rows = {base + (r.get("url") or f"/portal/article.html?id={r['id']}") for r in data["list"]}
        found |= rows
        on_first = rows if on_first is None else on_first
        n, pages = n + 1, data["pages"]
    assert pages >= 3 and json.loads(get(f"{api}&page={n}&_token={token}")[2])["data"]["list"] == []
    return found, on_first or set()


def walk_custom_element(base: str, start: str) -> tuple[set[str], set[str]]:
    shell = get(base + start)[2]
    src, size = re.search(r'<news-list data-src="([^"]+)" data-page-size="(\d+)">', shell).groups()
    assert '<script type="module" src="/static/js/news-list.js">' in shell and "/content/" not in shell.split("<news-list")[1]
    script = get(base + "/static/js/news-list.js")[2]
    assert script == NEWS_LIST_JS and "customElements.define('news-list', NewsList)" in script
    found: set[str] = set()
    on_first: set[str] | None = None
    n, total = 1, None
    while total is None or (n - 1) * int(size) < total:
        data = json.loads(get(f"{base}{unescape(src)}&page={n}&size={size}")[2])
        rows = {urllib.parse.urljoin(base + "/", r.get("href") or f"/content/{r['id']}.html") for r in data["items"]}
        assert rows
        found |= rows
        on_first = rows if on_first is None else on_first
        n, total = n + 1, data["total"]
    assert n > 3 and json.loads(get(f"{base}{unescape(src)}&page={n}&size={size}")[2])["items"] == []
    return found, on_first or set()


WALKS = {
    "redirect_count": walk_redirect_count,
    "sitemap_html": walk_sitemap_html,
    "jsonld_list": walk_jsonld_list,
    "data_js": walk_data_js,
    "token_api": walk_token_api,
    "custom_element": walk_custom_element,
}
OFF_SITE_RECORDS = ("custom_element",)  # its list carries a reposted article's off-site link


def test_the_farm_serves_what_it_promises():
    assert_serves_what_it_promises(HOLDOUT4_SITE_NAMES, WALKS, OFF_SITE_RECORDS)


def test_the_fourth_farm_is_deterministic_and_new():
    assert_deterministic_and_new(HOLDOUT4_SITE_NAMES, HOLDOUT4_BUILDERS,
                                 (plan(), coverage_plan(), holdout_plan(), holdout2_plan(), holdout3_plan()))


def assert_serves_what_it_promises(names, walks, off_site_records) -> None:
    """Each held-out farm's own promise, without the crawler: every article answers a GET with its title and
    first paragraph, robots.txt and the endless trap are there, and each site's list mechanism, walked as a
    browser would (`walks[name](base, start)` -> (article URLs, those of the first list document)), reaches
    every article, one page behind robots.txt and nothing else on the site, and ends."""
    with FarmServer(sites=list(names)) as farm:
        for name in names:
            site, base = farm.site(name), farm.base_urls[name]
            truth = farm.truth(name)
            assert 12 <= len(truth) <= 18
            for article in truth:
                for url in (article.url, *article.aliases):
                    status, headers, text = fetch(url)
                    assert status == 200 and headers["Content-Type"].startswith("text/html"), url
                    assert article.title in text and article.body[0] in text, url
            assert f"Disallow: {site.disallowed_prefix}" in get(base + "/robots.txt")[2]
            assert fetch(base + site.endless.href(2040, 12))[0] == 200  # the trap never ends
            assert site.endless.link().split('"')[3] in get(base + site.start_paths[0])[2]  # and is linked
            found, on_first = walks[name](base, site.start_paths[0])
            wanted = {article.url for article in truth}
            assert wanted <= found, (name, sorted(wanted - found))
            others = found - wanted
            hidden = {u for u in others if u.startswith(base + site.disallowed_prefix)}
            assert len(hidden) == 1 and fetch(hidden.pop())[0] == 200, name  # one behind robots
            assert all(not u.startswith(base) or u.startswith(base + site.disallowed_prefix) for u in others), name
            assert not wanted <= on_first, name  # the first list document alone does not show them all
            assert any(u.startswith(PUBLIC_HOSTS[0]) for u in others) or name not in off_site_records


def assert_deterministic_and_new(names, builders, earlier_plans) -> None:
    """A held-out farm builds the same pages and truth twice, no story title repeats one of the earlier farms'
    (`earlier_plans`) or another of its own, and every site is served by name."""
    bases = {name: f"http://127.0.0.1:{24001 + i}" for i, name in enumerate(names)}
    first, again = build_farm(bases, builders), build_farm(bases, builders)
    titles = {entry.title for earlier in earlier_plans for entries in earlier.values() for entry in entries}
    seen: set[str] = set()
    for name in names:
        site = first[name]
        assert site.truth == again[name].truth
        assert {p: r.body for p, r in site.routes.items()} == {p: r.body for p, r in again[name].routes.items()}
        mine = {a.title for a in site.truth}
        assert not titles & mine and not seen & mine and len(mine) == len(site.truth)
        seen |= mine
    assert set(names) <= set(SERVED_BUILDERS)
