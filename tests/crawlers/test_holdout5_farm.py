"""The fifth held-out measurement: the crawler on six sites in conventions no other farm uses (demo/holdout5.py).

The same measurement as tests/crawlers/test_holdout_farm.py (its `measure`, `report` and `cases`): each site
is crawled from a config with only its name and start URLs, and a site the crawler cannot yet handle is a
strict xfail whose reason names what it misses. `test_the_farm_serves_what_it_promises` checks the farm
itself, without the crawler: every article answers a GET with its title, and each list mechanism (a layui
laypage whose page URLs only its jump callback builds, a `#page=N` pager read by a script calling a JSON API,
rows in base64-encoded JSON, a 数字报 whose earlier issues only its period.xml calendar names, a GraphQL query
POSTed as JSON, relative hrefs written with backslashes) reaches every article and ends.
"""

from __future__ import annotations

import base64
import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from demo.coverage import coverage_plan
from demo.farm import plan
from demo.holdout import holdout_plan
from demo.holdout2 import holdout2_plan
from demo.holdout3 import holdout3_plan
from demo.holdout4 import holdout4_plan
from demo.holdout5 import CALENDAR_JS, GRAPHQL_SCRIPT, HOLDOUT5_BUILDERS, HOLDOUT5_SITE_NAMES
from demo.server import FarmServer
from tests.crawlers.test_holdout3_farm import get, hrefs, unescape
from tests.crawlers.test_holdout4_farm import assert_deterministic_and_new, assert_serves_what_it_promises
from tests.crawlers.test_holdout_farm import assert_yields_exactly_its_articles_once, cases

pytestmark = pytest.mark.slow

# First run (crawler of commit 35f7543, before any fix), found/expected: laypage_jump 6/15, hash_pager 6/16,
# base64_state 0/14, epaper 2/16, graphql_list 5/17, backslash_links 13/13 (1 error, a 404): 32 of 91 (35 %); no
# junk, duplicates, trap or peer requests, nothing fetched twice; one POST (graphql_list); robots_requests none,
# but backslash_links asked the robots page under an unresolved /xcdt/../shenhe/ path. What each gap is, read
# from the request log: GAPS5.
# (Three sites tried first were found whole at once and changed: an old <frameset> whose mainFrame holds the
# list (frame src="xwzx/list.htm", a target="mainFrame" menu in left.htm, framed pages forcing their frameset
# back), 15/15, dropped for laypage_jump; a table of <tr class="clickable-row" data-href="..."> rows opened by a
# delegated jQuery click handler, 17/17, dropped for graphql_list; a pager of onclick="goPage(N)" calling
# $('#newsBox').load('/xcdt/list_' + n + '.html #items'), 13/13, dropped for backslash_links.)
# Mended since:
#   epaper (in part): the start 版面's 版面导航 node_2.htm and node_3.htm were never asked (2/16; now 5/16)
#   hash_pager: the pager is #page=N fragments a location.hash script turns into API calls:
#     /dwgz/api/list?catalog=djdt&pageIndex=N&pageSize=6 was never asked, only page 1's server-rendered rows (6/16)
#   laypage_jump: the later pages existed only in laypage.render's jump callback ('index_' + obj.curr + '.html',
#     count 16 / limit 6): index_2.html and index_3.html were never asked (6/15)
#   graphql_list: the GraphQL query was POSTed once (variables.page 1); the 加载更多 pages (2, 3, 4 until total 19)
#     were never POSTed (5/17)
#   base64_state: the rows sat only in JSON.parse(decodeURIComponent(escape(window.atob('...')))): no article
#     was asked, nor index_2.shtml of the plain pager (0/14)
#   backslash_links: ..\shenhe\5665.htm on index_2.htm was asked as /xcdt/../shenhe/5665.htm (backslashes made
#     slashes after the join, the dot segment kept): a 404 here, and past robots.txt on a server that resolves '..'
GAPS5: dict[str, str] = {  # site -> what the crawler misses there; a strict xfail until it is mended
    "epaper": "the 版面导航 pages of the current issue are followed (5/16), but earlier issues are reachable only "
              "through /js/calendar.js's showCalendar('2021-06', '2021-05', '2021-06') reading /html/YYYY-MM/period.xml "
              "(issue dates and front pages): the script file of a page that shows articles is never read, and no "
              "period.xml is asked, so no earlier issue (5/16)",
}


@pytest.fixture
def farm():
    with FarmServer(sites=list(HOLDOUT5_SITE_NAMES)) as farm:
        yield farm


@pytest.mark.parametrize("name", cases(HOLDOUT5_SITE_NAMES, GAPS5))
def test_a_fifth_held_out_site_yields_exactly_its_articles_once(farm, tmp_path, name):
    assert_yields_exactly_its_articles_once(farm, name, tmp_path)


# ------------------------------------------------------------------------------ the farm, without the crawler


def walk_laypage_jump(base: str, start: str) -> tuple[set[str], set[str]]:
    shell = get(base + start)[2]
    assert "location.href = obj.curr === 1 ? 'index.html' : 'index_' + obj.curr + '.html';" in shell
    assert '<div id="pager" class="pager"></div>' in shell and not [h for h in hrefs(shell) if "index_" in h]
    count, limit = (int(re.search(rf"{key}: (\d+),", shell)[1]) for key in ("count", "limit"))
    pages = -(-count // limit)
    found: set[str] = set()
    on_first: set[str] | None = None
    for n in range(1, pages + 1):
        url = urllib.parse.urljoin(base + start, "index.html" if n == 1 else f"index_{n}.html")
        status, _, text = get(url)
        assert status == 200 and f"curr: {n}," in text and f"count: {count}," in text
        rows = {urllib.parse.urljoin(url, h) for h in hrefs(text) if re.search(r"/(jgdj/\d{6}|nbzl)/\d+\.html$", h)}
        assert rows
        found |= rows
        on_first = rows if on_first is None else on_first
    assert pages >= 3 and get(urllib.parse.urljoin(base + start, f"index_{pages + 1}.html"))[0] == 404
    return found, on_first or set()


def walk_hash_pager(base: str, start: str) -> tuple[set[str], set[str]]:
    status, _, shell = get(base + start)
    assert status == 200 and "location.hash" in shell and "addEventListener('hashchange', load)" in shell
    assert "fetch('/dwgz/api/list?catalog=djdt&pageIndex=' + page + '&pageSize=' + size)" in shell
    size = int(re.search(r"var size = (\d+);", shell)[1])
    pager = re.search(r'<div id="pager" class="pager">(.*?)</div>', shell)[1]
    assert hrefs(pager) and all(h.startswith("#page=") for h in hrefs(pager))  # one URL for every page
    on_first = {urllib.parse.urljoin(base + start, h) for h in hrefs(shell) if "/dwgz/djdt/2" in h}
    pages = {int(h.split("=")[1]) for h in hrefs(pager)}
    found: set[str] = set()
    n, count = 1, None
    while count is None or n <= count:
        status, content_type, text = get(f"{base}/dwgz/api/list?catalog=djdt&pageIndex={n}&pageSize={size}")
        assert status == 200 and content_type.startswith("application/json")
        data = json.loads(text)["data"]
        rows = {urllib.parse.urljoin(base + start, r["url"]) for r in data["records"]}
        assert rows and (n > 1 or rows == on_first)  # the first answer is what the page shows
        found |= rows
        n, count = n + 1, data["pageCount"]
    assert count >= 3 and pages == set(range(2, count + 1))
    assert json.loads(get(f"{base}/dwgz/api/list?catalog=djdt&pageIndex={n}&pageSize={size}")[2])["data"]["records"] == []
    return found, on_first


def walk_base64_state(base: str, start: str) -> tuple[set[str], set[str]]:
    found: set[str] = set()
    on_first: set[str] | None = None
    pending, seen = [base + start], set()
    while pending:
        url = pending.pop()
        seen.add(url)
        status, _, text = get(url)
        assert status == 200 and not [h for h in hrefs(text) if ".shtml" in h and "/dydj/" in h and "index" not in h]
        encoded = re.search(r"JSON\.parse\(decodeURIComponent\(escape\(window\.atob\('([A-Za-z0-9+/=]+)'\)\)\)\)", text)[1]
        data = json.loads(base64.b64decode(encoded).decode("utf-8"))
        rows = {urllib.parse.urljoin(url, r["url"]) for r in data["list"]}
        assert rows and not [r["title"] for r in data["list"] if r["title"] in text]  # no title readable in the page
        found |= rows
        on_first = rows if on_first is None else on_first
        pending += [u for u in (urllib.parse.urljoin(url, h) for h in hrefs(text) if re.fullmatch(r"index(_\d+)?\.shtml", h))
                    if u not in seen and u not in pending]
    assert len(seen) >= 3
    return found, on_first or set()


def walk_epaper(base: str, start: str) -> tuple[set[str], set[str]]:
    assert get(base + "/js/calendar.js")[2] == CALENDAR_JS
    first_page = get(base + start)[2]
    ym, first, last = re.search(r"showCalendar\('(\d{4}-\d{2})', '(\d{4}-\d{2})', '(\d{4}-\d{2})'\);", first_page).groups()
    assert ym == last and first < last

    def issue(front: str) -> set[str]:
        """The articles of every 版面 of the issue whose first 版面 is `front`."""
        text = get(front)[2]
        nodes = {urllib.parse.urljoin(front, h) for h in hrefs(text) if re.fullmatch(r"node_\d+\.htm", h)}
        assert front in nodes and len(nodes) <= 4
        articles: set[str] = set()
        for node in nodes:
            status, _, page = get(node)
            assert status == 200
            articles |= {urllib.parse.urljoin(node, h) for h in hrefs(page) if "content_" in h}
        return articles

    fronts: set[str] = set()
    month = ym
    while month >= first:  # the calendar's 上月, down to the paper's first month
        status, content_type, xml = get(f"{base}/html/{month}/period.xml")
        assert status == 200 and content_type == "application/xml"
        for day, front in re.findall(r"<period_date>([\d-]+)</period_date><front_page>([^<]+)</front_page>", xml):
            fronts.add(f"{base}/html/{day[:7]}/{day[8:]}/{front}")
        y, m = int(month[:4]), int(month[5:])
        month = f"{y - (m == 1)}-{(m - 2) % 12 + 1:02d}"
    assert get(f"{base}/html/{month}/period.xml")[0] == 404 and base + start in fronts and len(fronts) >= 3
    on_first = {urllib.parse.urljoin(base + start, h) for h in hrefs(first_page) if "content_" in h}
    found = set().union(*(issue(front) for front in fronts))
    return found, on_first


def post_json(url: str, data) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(data).encode(), headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def walk_graphql_list(base: str, start: str) -> tuple[set[str], set[str]]:
    shell = get(base + start)[2]
    assert GRAPHQL_SCRIPT in shell and "/news/party/2" not in shell
    query = re.search(r"const QUERY = `(.*?)`;", shell, re.S)[1]
    size = int(re.search(r"variables: \{ channel: 'dangjian', page: page, size: (\d+) \}", shell)[1])
    assert get(base + "/graphql")[0] == 405
    assert post_json(base + "/graphql", {"query": "{ articles }"})[0] == 400  # no variables: no page
    found: set[str] = set()
    on_first: set[str] | None = None
    n, total = 1, None
    while total is None or (n - 1) * size < total:
        status, answer = post_json(base + "/graphql", {"operationName": "PartyNews", "query": query,
                                                       "variables": {"channel": "dangjian", "page": n, "size": size}})
        assert status == 200
        rows = {urllib.parse.urljoin(base + start, node["path"]) for node in answer["data"]["articles"]["nodes"]}
        assert rows
        found |= rows
        on_first = rows if on_first is None else on_first
        n, total = n + 1, answer["data"]["articles"]["total"]
    assert n > 3 and post_json(base + "/graphql", {"query": query, "variables": {"channel": "dangjian", "page": n,
                                                                                  "size": size}})[1]["data"]["articles"]["nodes"] == []
    return found, on_first or set()


def walk_backslash_links(base: str, start: str) -> tuple[set[str], set[str]]:
    def browser(url: str, href: str) -> str:  # what a browser makes of a backslash in an http URL
        return urllib.parse.urljoin(url, unescape(href).replace("\\", "/"))

    found: set[str] = set()
    on_first: set[str] | None = None
    pending, seen = [base + start], set()
    while pending:
        url = pending.pop()
        seen.add(url)
        status, _, text = get(url)
        assert status == 200, url
        rows = re.findall(r'<li><a href="([^"]+)" target="_blank">', text)
        assert rows and all("\\" in h for h in rows)
        found |= {browser(url, h) for h in rows}
        on_first = {browser(url, h) for h in rows} if on_first is None else on_first
        pending += [u for u in (browser(url, h) for h in hrefs(text) if re.fullmatch(r"index(_\d+)?\.htm", h))
                    if u not in seen and u not in pending]
        sent = urllib.parse.urljoin(url, urllib.parse.quote(rows[0]))  # the backslashes as they stand
        assert "%5C" in sent and get(sent)[0] == 404
    assert len(seen) >= 3
    return found, on_first or set()


WALKS = {
    "laypage_jump": walk_laypage_jump,
    "hash_pager": walk_hash_pager,
    "base64_state": walk_base64_state,
    "epaper": walk_epaper,
    "graphql_list": walk_graphql_list,
    "backslash_links": walk_backslash_links,
}
OFF_SITE_RECORDS = ("base64_state", "graphql_list")  # their lists carry a reposted article's off-site link


def test_the_farm_serves_what_it_promises():
    assert_serves_what_it_promises(HOLDOUT5_SITE_NAMES, WALKS, OFF_SITE_RECORDS)


def test_the_fifth_farm_is_deterministic_and_new():
    assert_deterministic_and_new(HOLDOUT5_SITE_NAMES, HOLDOUT5_BUILDERS,
                                 (plan(), coverage_plan(), holdout_plan(), holdout2_plan(), holdout3_plan(), holdout4_plan()))
