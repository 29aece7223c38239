"""The second held-out measurement: the crawler on six sites in conventions no other farm uses (demo/holdout2.py).

The same measurement as tests/crawlers/test_holdout_farm.py (its `measure`, `report` and `cases`): each site
is crawled from a config with only its name and start URLs, and a site the crawler cannot yet handle is a
strict xfail whose reason names what it misses. `test_the_farm_serves_what_it_promises` checks the farm
itself, without the crawler: every article answers a GET with its title, and each list mechanism (postback,
JSONP, cursor chain, fragment chain, XML pager, `<base href>`) reaches every article and ends.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request

import lxml.etree
import pytest

from demo.farm import PUBLIC_HOSTS
from demo.holdout2 import HOLDOUT2_SITE_NAMES, PAGER_ID
from demo.server import FarmServer
from tests.crawlers.test_holdout_farm import assert_yields_exactly_its_articles_once, cases

pytestmark = pytest.mark.slow

# First run (crawler of commit 87c6e67, before any fix), found/expected: aspnet_postback 5/16, jsonp_list 0/17,
# cursor_api 0/17, ajax_fragment 6/19, xslt_list 0/14, base_href 15/15; no junk, duplicates, robots, trap or peer
# requests, nothing fetched twice, no errors on any site.
# What each gap was: no postback sent; `callback=?` sent as written; the fetch URL built with a conditional; the
# 加载更多 data-url never asked; the XML column never drawn by its stylesheet. docs/discovery.md keeps the figures.
GAPS2: dict[str, str] = {}  # site -> what the crawler misses there; a strict xfail until it is mended


@pytest.fixture
def farm():
    with FarmServer(sites=list(HOLDOUT2_SITE_NAMES)) as farm:
        yield farm


@pytest.mark.parametrize("name", cases(HOLDOUT2_SITE_NAMES, GAPS2))
def test_a_second_held_out_site_yields_exactly_its_articles_once(farm, tmp_path, name):
    assert_yields_exactly_its_articles_once(farm, name, tmp_path)


# ------------------------------------------------------------------------------ the farm, without the crawler


def get(url: str, data: bytes | None = None) -> tuple[int, str, str]:
    """(status, content type, body text) of a GET, or a POST when `data` is given."""
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/x-www-form-urlencoded"}
                                     if data is not None else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode("utf-8")


def hrefs(text: str, attribute: str = "href") -> list[str]:
    return re.findall(rf'{attribute}="([^"]+)"', text)


def hidden_inputs(text: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" id="[^"]+" value="([^"]*)" />', text))


def walk_aspnet_postback(base: str, start: str) -> tuple[set[str], set[str]]:
    url = base + start
    status, _, first = get(url)
    assert status == 200 and f"javascript:__doPostBack('{PAGER_ID}','2')" in first
    pages = int(re.search(r"第1/(\d+)页", first)[1])
    found = {urllib.parse.urljoin(url, h) for h in hrefs(first) if "NewsDetail.aspx" in h}
    on_first = set(found)
    form = hidden_inputs(first)
    assert {"__VIEWSTATE", "__EVENTTARGET", "__EVENTARGUMENT", "__EVENTVALIDATION"} <= set(form)
    for n in range(2, pages + 2):  # one past the last: an empty list
        body = urllib.parse.urlencode({**form, "__EVENTTARGET": PAGER_ID, "__EVENTARGUMENT": str(n)}).encode()
        status, _, text = get(url, body)
        assert status == 200 and (f"第{n}/{pages}页" in text if n <= pages else "暂无记录" in text)
        found |= {urllib.parse.urljoin(url, h) for h in hrefs(text) if "NewsDetail.aspx" in h}
    assert get(url, urllib.parse.urlencode({"__EVENTTARGET": PAGER_ID, "__EVENTARGUMENT": "2"}).encode())[0] == 500
    return found, on_first


def jsonp_url(row: dict) -> str:
    return row["link"] or f"/content/{row['id']}.shtml"  # what list.js's articleUrl builds


def walk_jsonp_list(base: str, start: str) -> tuple[set[str], set[str]]:
    status, _, shell = get(base + start)
    assert status == 200 and 'id="newsList"' in shell and "NewsDetail" not in shell and ".shtml" not in shell
    found: set[str] = set()
    page = 1
    while True:
        status, content_type, text = get(f"{base}/api/news.jsp?callback=cb123&col=12&page={page}")
        assert status == 200 and "javascript" in content_type and text.startswith("cb123(") and text.endswith(");")
        data = json.loads(text[len("cb123("):-2])
        if not data["list"]:
            break
        found |= {urllib.parse.urljoin(base + "/", jsonp_url(row)) for row in data["list"]}
        page += 1
    assert page == data["pages"] + 1
    assert get(f"{base}/api/news.jsp?col=12&page=1")[2].startswith("null({")
    return found, set()


def walk_cursor_api(base: str, start: str) -> tuple[set[str], set[str]]:
    status, _, shell = get(base + start)
    assert status == 200 and "/api/v2/articles?channel=dangjian" in shell and "加载更多" in shell
    found: set[str] = set()
    url, calls = f"{base}/api/v2/articles?channel=dangjian", 0
    while url:
        status, content_type, text = get(url)
        assert status == 200 and content_type.startswith("application/json")
        data = json.loads(text)
        found |= {urllib.parse.urljoin(base + "/", item["url"]) for item in data["items"]}
        cursor, calls = data["next_cursor"], calls + 1
        url = f"{base}/api/v2/articles?channel=dangjian&cursor={urllib.parse.quote(cursor, safe='')}" if cursor else None
        assert calls < 10
    assert calls >= 3
    assert get(f"{base}/api/v2/articles?channel=dangjian&cursor=eyJpZCI6MX0")[0] == 400  # {"id":1}: forged
    return found, set()


def walk_ajax_fragment(base: str, start: str) -> tuple[set[str], set[str]]:
    status, _, first = get(base + start)
    assert status == 200
    found = {urllib.parse.urljoin(base + start, h) for h in hrefs(first) if "content_" in h}
    on_first = set(found)
    pending, fragments = re.search(r'id="loadMore" data-url="([^"]+)"', first)[1], 0
    while pending:
        status, content_type, text = get(base + pending)
        assert status == 200 and content_type.startswith("text/html") and "<html" not in text
        found |= {urllib.parse.urljoin(base + pending, h) for h in hrefs(text) if "content_" in h}
        following = re.search(r'class="next-page" data-url="([^"]+)"', text)
        pending, fragments = following[1] if following else None, fragments + 1
    assert fragments >= 2
    assert get(f"{base}/dangjian/dwdt/ajax_list?p=99")[2] == ""
    return found, on_first


def walk_xslt_list(base: str, start: str) -> tuple[set[str], set[str]]:
    found: set[str] = set()
    on_first: set[str] = set()
    pending, seen = [base + start], set()
    xslt = None
    while pending:
        url = pending.pop()
        seen.add(url)
        status, content_type, text = get(url)
        assert status == 200 and content_type.startswith("application/xml") and "<html" not in text
        doc = lxml.etree.fromstring(text.encode())
        sheet = re.search(r'<\?xml-stylesheet type="text/xsl" href="([^"]+)"\?>', text)[1]
        if xslt is None:
            xslt = lxml.etree.XSLT(lxml.etree.fromstring(get(base + sheet)[2].encode()))
        links = {urllib.parse.urljoin(url, link) for link in doc.xpath("/document/channel/item/link/text()")}
        rendered = str(xslt(doc))
        assert links <= {urllib.parse.urljoin(url, h) for h in hrefs(rendered)}
        found |= links
        on_first = on_first or links
        pending += [u for u in (urllib.parse.urljoin(url, h) for h in doc.xpath("/document/pager/page/@href"))
                    if u not in seen and u not in pending]
    assert len(seen) >= 3
    return found, on_first


def walk_base_href(base: str, start: str) -> tuple[set[str], set[str]]:
    found: set[str] = set()
    on_first: set[str] = set()
    pending, seen = [base + start], set()
    while pending:
        url = pending.pop()
        seen.add(url)
        status, _, text = get(url)
        assert status == 200
        against = urllib.parse.urljoin(url, re.search(r'<base href="([^"]+)"', text)[1])
        articles = {urllib.parse.urljoin(against, h) for h in hrefs(text) if "/art_" in h}
        assert all(get(urllib.parse.urljoin(url, h))[0] == 404 for h in hrefs(text) if h.startswith("art/"))
        found |= articles
        on_first = on_first or articles
        pending += [u for u in (urllib.parse.urljoin(against, h) for h in hrefs(text) if re.search(r"index_\d+\.HTM$", h))
                    if u not in seen and u not in pending]
    assert len(seen) >= 3
    return found, on_first


WALKS = {
    "aspnet_postback": walk_aspnet_postback,
    "jsonp_list": walk_jsonp_list,
    "cursor_api": walk_cursor_api,
    "ajax_fragment": walk_ajax_fragment,
    "xslt_list": walk_xslt_list,
    "base_href": walk_base_href,
}


def test_the_farm_serves_what_it_promises():
    with FarmServer(sites=list(HOLDOUT2_SITE_NAMES)) as farm:
        for name in HOLDOUT2_SITE_NAMES:
            site, base = farm.site(name), farm.base_urls[name]
            truth = farm.truth(name)
            assert 12 <= len(truth) <= 20
            for article in truth:
                status, content_type, text = get(article.url)
                assert status == 200 and content_type.startswith("text/html"), article.url
                assert article.title in text and article.body[0] in text, article.url
            assert f"Disallow: {site.disallowed_prefix}" in get(base + "/robots.txt")[2]
            assert get(base + site.endless.href(2040, 12))[0] == 200  # the trap never ends
            found, on_first = WALKS[name](base, site.start_paths[0])
            wanted = {article.url for article in truth}
            assert wanted <= found, (name, sorted(wanted - found))
            others = found - wanted
            hidden = {u for u in others if u.startswith(base + site.disallowed_prefix)}
            assert len(hidden) == 1 and get(hidden.pop())[0] == 200, name  # one article-looking page behind robots
            assert all(not u.startswith(base) or u.startswith(base + site.disallowed_prefix) for u in others), name
            assert not wanted <= on_first, name  # the first list document alone does not show them all
            assert any(u.startswith(PUBLIC_HOSTS[0]) for u in others) or name not in ("jsonp_list", "cursor_api")
        assert farm.site("aspnet_postback").posted  # the postback pages were answered to POSTs
