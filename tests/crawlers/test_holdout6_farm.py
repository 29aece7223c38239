"""The sixth held-out measurement: the crawler on six sites in conventions no other farm uses (demo/holdout6.py).

The same measurement as tests/crawlers/test_holdout_farm.py (its `measure`, `report` and `cases`): each site
is crawled from a config with only its name and start URLs, and a site the crawler cannot yet handle is a
strict xfail whose reason names what it misses. `test_the_farm_serves_what_it_promises` checks the farm
itself, without the crawler: every article answers a GET with its title, and each list mechanism (加载更多
asking for the rows below the last row's data-id, year tabs loading HTML fragments, a Vue app whose API base is
in config.js, a JSON array paged only by its Link header, a list API wanting an MD5 signature of
its sorted parameters, a jump-to-page box) reaches every article and ends.
"""

from __future__ import annotations

import hashlib
import json
import re
import urllib.parse

import pytest

from demo.coverage import coverage_plan
from demo.farm import plan
from demo.holdout import holdout_plan
from demo.holdout2 import holdout2_plan
from demo.holdout3 import holdout3_plan
from demo.holdout4 import holdout4_plan
from demo.holdout5 import holdout5_plan
from demo.holdout6 import APP_JS, CONFIG_JS, HOLDOUT6_BUILDERS, HOLDOUT6_SITE_NAMES, LINK_SCRIPT
from demo.server import FarmServer
from tests.crawlers.test_holdout3_farm import fetch, get, hrefs
from tests.crawlers.test_holdout4_farm import assert_deterministic_and_new, assert_serves_what_it_promises
from tests.crawlers.test_holdout_farm import assert_yields_exactly_its_articles_once, cases

pytestmark = pytest.mark.slow

# First run (crawler of commit 5751bda, before any fix), found/expected: last_id 5/16, year_tabs 3/15,
# config_js 0/17 (1 error, a 404), link_header 5/14, signed_api 0/16, jump_input 5/13: 18 of 91 (20 %); no junk,
# duplicates, robots, trap or peer requests, nothing fetched twice, no POST sent. What each gap is, read from the
# request log: GAPS6.
# (A site tried first was found whole at once and changed: art_template, rows, their URL pattern
# `/djb/gzdt/{{item.month}}/{{item.code}}.html` and the pager `javascript:load({{page + 1}})` only in art-template
# `<script type="text/html">` templates fed by /djb/api/list.do?columnId=gzdt&page=N&rows=6, 14/14 (list.do pages
# 1-3 asked), dropped for link_header; with it the first run was 27 of 91.)
# Mended since:
#   config_js: the API URL is axios baseURL window.__CONFIG__.apiBase ('/prod-api', in /config.js) + '/cms/content/list'
#     with siteId and catalogId from that config; /cms/content/list?pageNum=1 was asked without the base (a 404) (0/17)
#   year_tabs: the year tabs are <li data-year="2020"> without hrefs whose click handler $.get()s
#     /dgw/djdt/yearList.jsp?year=2020: no yearList.jsp was ever asked (3/15)
#   last_id: 加载更多 computes its request from the last row shown ($list.children('li').last().attr('data-id')):
#     /api/news/more?channel=djpd&lastId=<that id>&size=6 was never asked (5/16)
#   link_header: the API answers a bare JSON array whose next page is named only by the HTTP header Link:
#     <.../api/posts/?category=dangjian&page=2>; rel="next": page=2 was never asked (5/14)
#   jump_input: the only pager is a 转到第 [ ] 页 GO box: jumpPage() sends the browser to 'index_' + p + '.html'
#     for p up to var pageCount = 3: index_2.html and index_3.html were never asked (5/13)
GAPS6: dict[str, str] = {  # site -> what the crawler misses there; a strict xfail until it is mended
    "signed_api": "the list API wants sign=MD5(sorted 'channelId=5&pageNo=N&pageSize=6&timestamp=T' + '&key=' + "
                  "APP_KEY) upper-case: /api/v1/news/list was asked bare, with no parameter at all (HTTP 200, "
                  "{code: 1001, 签名校验失败}), and nothing after it (0/16)",
}


@pytest.fixture
def farm():
    with FarmServer(sites=list(HOLDOUT6_SITE_NAMES)) as farm:
        yield farm


@pytest.mark.parametrize("name", cases(HOLDOUT6_SITE_NAMES, GAPS6))
def test_a_sixth_held_out_site_yields_exactly_its_articles_once(farm, tmp_path, name):
    assert_yields_exactly_its_articles_once(farm, name, tmp_path)


# ------------------------------------------------------------------------------ the farm, without the crawler


def get_json(url: str):
    status, content_type, text = get(url)
    assert status == 200 and content_type.startswith("application/json"), url
    return json.loads(text)


def walk_last_id(base: str, start: str) -> tuple[set[str], set[str]]:
    shell = get(base + start)[2]
    assert "$list.children('li').last().attr('data-id')" in shell
    assert "$.getJSON('/api/news/more', { channel: 'djpd', lastId: lastId, size: 6 }" in shell
    shown = re.findall(r'<li data-id="(\d+)"><a href="([^"]+)"', shell)
    on_first = {urllib.parse.urljoin(base + start, href) for _, href in shown}
    found, last, pages = set(on_first), shown[-1][0], 1
    while True:  # 加载更多, as the script asks it
        answer = get_json(f"{base}/api/news/more?channel=djpd&lastId={last}&size=6")
        assert answer["data"] and all(int(r["id"]) < int(last) for r in answer["data"])
        found |= {urllib.parse.urljoin(base + start, r["url"]) for r in answer["data"]}
        last, pages = answer["data"][-1]["id"], pages + 1
        if not answer["hasMore"]:
            break
    assert pages >= 3 and get_json(f"{base}/api/news/more?channel=djpd&lastId={last}&size=6")["data"] == []
    assert "page=" not in shell and "cursor" not in shell.lower()
    return found, on_first


def walk_year_tabs(base: str, start: str) -> tuple[set[str], set[str]]:
    shell = get(base + start)[2]
    assert "$.get('/dgw/djdt/yearList.jsp', { year: year }" in shell
    years = re.findall(r'<li(?: class="on")? data-year="(\d{4})">\1年</li>', shell)
    assert len(years) == 3 and not [h for h in hrefs(shell) if "year" in h]
    on_first = {urllib.parse.urljoin(base + start, h) for h in hrefs(shell) if re.search(r"/djdt/\d{4}/", h)}
    found: set[str] = set()
    for year in years:
        status, content_type, fragment = get(f"{base}/dgw/djdt/yearList.jsp?year={year}")
        assert status == 200 and content_type.startswith("text/html") and "<html" not in fragment
        rows = {urllib.parse.urljoin(base + start, h) for h in hrefs(fragment)}
        assert rows and (year != years[0] or rows == on_first)
        found |= rows
    assert "暂无信息" in get(f"{base}/dgw/djdt/yearList.jsp?year=2018")[2]
    return found, on_first


def walk_config_js(base: str, start: str) -> tuple[set[str], set[str]]:
    shell = get(base + start)[2]
    assert '<script src="/config.js"></script>' in shell and "/news/" not in shell.split('<div id="app">')[1]
    config = get(base + "/config.js")[2]
    assert config == CONFIG_JS and get(base + "/static/js/app.3c9e1f.js")[2] == APP_JS
    api_base = re.search(r"apiBase: '([^']+)'", config)[1]
    site_id = re.search(r"siteId: (\d+)", config)[1]
    catalog = re.search(r"catalogs: \{ news: (\d+)", config)[1]
    assert "http.get('/cms/content/list'" in APP_JS and "{ path: '/news/:contentId.html', name: 'NewsDetail' }" in APP_JS
    assert get(base + "/cms/content/list?pageNum=1&pageSize=6")[0] == 404  # without the API base
    assert get_json(f"{base}{api_base}/cms/content/list?pageNum=1&pageSize=6")["code"] == 500  # without the ids
    found: set[str] = set()
    n, total = 1, None
    while total is None or (n - 1) * 6 < total:
        answer = get_json(f"{base}{api_base}/cms/content/list?siteId={site_id}&catalogId={catalog}&pageNum={n}&pageSize=6")
        assert answer["code"] == 200 and answer["rows"]
        rows = {urllib.parse.urljoin(base + start, r["redirectUrl"] if r["linkType"] == 1 else f"/news/{r['contentId']}.html")
                for r in answer["rows"]}
        found |= rows
        n, total = n + 1, answer["total"]
    assert n > 3
    return found, set()  # the shell itself shows nothing


def walk_link_header(base: str, start: str) -> tuple[set[str], set[str]]:
    shell = get(base + start)[2]
    assert LINK_SCRIPT in shell and "/djb/gzdt/2" not in shell
    url: str | None = base + re.search(r"var next = '([^']+)';", shell)[1]
    found: set[str] = set()
    pages = 0
    while url:  # 加载更多, following rel="next"
        status, headers, text = fetch(url)
        assert status == 200 and headers["Content-Type"].startswith("application/json"), url
        posts = json.loads(text)
        assert isinstance(posts, list) and posts and "page" not in text
        found |= {urllib.parse.urljoin(base + start, p["absolute_url"]) for p in posts}
        link = re.search(r'<([^>]+)>;\s*rel="next"', headers.get("Link", ""))
        url, pages = (link[1] if link else None), pages + 1
    assert pages >= 3 and fetch(f"{base}/api/posts/?category=dangjian&page={pages + 1}")[0] == 404
    return found, set()


def md5_signed(params: dict, key: str) -> str:
    text = "&".join(f"{k}={params[k]}" for k in sorted(params))
    return urllib.parse.urlencode({**params, "sign": hashlib.md5(f"{text}&key={key}".encode()).hexdigest().upper()})


def walk_signed_api(base: str, start: str) -> tuple[set[str], set[str]]:
    shell = get(base + start)[2]
    key = re.search(r"var APP_KEY = '([^']+)';", shell)[1]
    assert "Object.keys(params).sort()" in shell and "md5(text + '&key=' + APP_KEY).toUpperCase()" in shell
    unsigned = get_json(f"{base}/api/v1/news/list?channelId=5&pageNo=1&pageSize=6&timestamp=1624600000000")
    assert unsigned["code"] == 1001
    forged = {"channelId": 5, "pageNo": 1, "pageSize": 6, "timestamp": 1624600000000}
    assert get_json(f"{base}/api/v1/news/list?{md5_signed(forged, 'guess')}")["code"] == 1001
    found: set[str] = set()
    n, count = 1, None
    while count is None or n <= count:
        params = {"channelId": 5, "pageNo": n, "pageSize": 6, "timestamp": 1624600000000 + n}
        answer = get_json(f"{base}/api/v1/news/list?{md5_signed(params, key)}")
        assert answer["code"] == 0 and answer["data"]["list"]
        found |= {urllib.parse.urljoin(base + start, r["detailUrl"]) for r in answer["data"]["list"]}
        n, count = n + 1, answer["data"]["totalPage"]
    assert count >= 3
    return found, set()


def walk_jump_input(base: str, start: str) -> tuple[set[str], set[str]]:
    shell = get(base + start)[2]
    count = int(re.search(r"var pageCount = (\d+);", shell)[1])
    assert "window.location.href = p === 1 ? 'index.html' : 'index_' + p + '.html';" in shell
    assert 'onclick="jumpPage()"' in shell and f"共{count}页" in shell
    found: set[str] = set()
    on_first: set[str] | None = None
    for p in range(1, count + 1):  # typed into the box, GO
        url = urllib.parse.urljoin(base + start, "index.html" if p == 1 else f"index_{p}.html")
        status, _, text = get(url)
        assert status == 200 and f"var currentPage = {p};" in text and not [h for h in hrefs(text) if "index_" in h]
        rows = {urllib.parse.urljoin(url, h) for h in re.findall(r'<li><a href="([^"]+)" target="_blank">', text)}
        assert rows
        found |= rows
        on_first = rows if on_first is None else on_first
    assert count >= 3 and get(urllib.parse.urljoin(base + start, f"index_{count + 1}.html"))[0] == 404
    return found, on_first or set()


WALKS = {
    "last_id": walk_last_id,
    "year_tabs": walk_year_tabs,
    "config_js": walk_config_js,
    "link_header": walk_link_header,
    "signed_api": walk_signed_api,
    "jump_input": walk_jump_input,
}
OFF_SITE_RECORDS = ("last_id", "config_js")  # their lists carry a reposted article's off-site link


def test_the_farm_serves_what_it_promises():
    assert_serves_what_it_promises(HOLDOUT6_SITE_NAMES, WALKS, OFF_SITE_RECORDS)


def test_the_sixth_farm_is_deterministic_and_new():
    assert_deterministic_and_new(HOLDOUT6_SITE_NAMES, HOLDOUT6_BUILDERS,
                                 (plan(), coverage_plan(), holdout_plan(), holdout2_plan(), holdout3_plan(), holdout4_plan(),
                                  holdout5_plan()))
