"""End to end on the coverage farm (demo/coverage.py): one site per way articles hide, split or alias.

Each site is crawled from a config with only its name and start URLs, as a new site would be: the crawler
has to find the links in scripts, endpoints, feeds, sitemaps or a portal home on its own.
"""

import unicodedata
from collections import Counter
from urllib.parse import unquote

import pytest

from demo.coverage import COVERAGE_SITE_NAMES
from demo.server import FarmServer
from pipelines.archive import read_archive
from pipelines.ingest import ingest_pages
from pipelines.store import Store
from tests.crawlers.test_crawl_farm import archived, crawl

pytestmark = pytest.mark.slow


@pytest.fixture
def farm():
    with FarmServer(sites=list(COVERAGE_SITE_NAMES)) as farm:
        yield farm


def stories(truth) -> dict[str, str]:
    """Every URL an article is served (or redirected) at -> its canonical URL."""
    return {url: article.url for article in truth for url in (article.url, *article.aliases)}


def site_requests(farm, name):
    return [entry for entry in farm.requests if entry.site == name]


def ingest(result, tmp_path, name) -> Store:
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    pages = [page for path in result.warc_paths for page in read_archive(path)]
    stats = ingest_pages(pages, store, site=name)
    assert not stats.errors, stats.errors
    return store


def truth_parts(truth) -> Counter:
    """(part URL, article URL, page number) of every later page of a split article, page 2 first."""
    return Counter((url, article.url, number) for article in truth
                   for number, url in enumerate(article.parts, start=2))


def fetched_parts(result) -> Counter:
    return Counter((page.url, page.part_of, page.part_number) for page in archived(result, kind="part"))


def assert_stored_whole(result, tmp_path, name, truth) -> None:
    """One row per article, holding every page's paragraphs in order."""
    rows = list(ingest(result, tmp_path, name).export_rows(all_copies=True, site=name))
    assert Counter(row["canonical_url"] for row in rows) == Counter(article.url for article in truth)
    bodies = {row["canonical_url"]: row["body"] for row in rows}
    assert [a.url for a in truth if not in_order(bodies[a.url], a.body)] == []


def in_order(body: str, paragraphs: tuple[str, ...]) -> bool:
    """Every paragraph, in order; compared after NFKC, so a width form the page prints does not count."""
    body = unicodedata.normalize("NFKC", body)
    at = 0
    for paragraph in (unicodedata.normalize("NFKC", paragraph) for paragraph in paragraphs):
        at = body.find(paragraph, at)
        if at < 0:
            return False
        at += len(paragraph)
    return True


def assert_found_exactly(farm, name, result):
    truth = farm.truth(name)
    story_of = stories(truth)
    urls = [page.url for page in archived(result)]
    assert [url for url in urls if url not in story_of] == []  # no junk: tags, staff, about, print views...
    assert Counter(story_of[url] for url in urls) == Counter(article.url for article in truth)  # each once


@pytest.mark.parametrize("name", COVERAGE_SITE_NAMES)
def test_a_coverage_site_yields_exactly_its_articles_once_and_a_second_night_fetches_only_its_lists(
        farm, tmp_path, name):
    """The first night; then the second night after it (they were two tests, each crawling the first night)."""
    result = crawl(farm, name, tmp_path)
    assert_found_exactly(farm, name, result)
    site = farm.site(name)
    requests = site_requests(farm, name)
    assert {entry.site for entry in farm.requests} == {name}  # peers on other ports untouched
    paths = [unquote(entry.path) for entry in requests]
    assert not [path for path in paths if path.startswith(site.disallowed_prefix)]
    assert not [path for path in paths if path.startswith((site.trap_prefix, "/calendar"))]
    assert len(paths) == len(set(paths))  # the same URL never twice
    answered = Counter(site.aliases.get(unquote(e.path), unquote(e.path)) for e in requests if e.status == 200)
    assert [path for path, times in answered.items() if times > 1] == []  # nor one page under two names
    assert result.stats["robots_forbidden"] >= 1 and result.stats["errors"] == 0

    # the second night fetches only lists, endpoints and feeds
    known = tmp_path / "known.txt"
    known.write_text("\n".join(sorted(ingest(result, tmp_path, name).known_urls(name))) + "\n", encoding="utf-8")
    before = len(farm.requests)
    second = crawl(farm, name, tmp_path, known_urls_file=known)
    again = {unquote(entry.path) for entry in farm.requests[before:]}
    assert again - site.listings - {"/robots.txt"} == set()
    assert second.stats["article_pages"] == 0


def test_split_articles_are_fetched_whole_and_stored_as_one_row(farm, tmp_path):
    name = "multipage"
    result = crawl(farm, name, tmp_path)
    truth = farm.truth(name)
    assert sum(len(article.parts) for article in truth) >= 8
    assert fetched_parts(result) == truth_parts(truth)
    assert_found_exactly(farm, name, result)  # page 2 of an article is not an article of its own
    assert_stored_whole(result, tmp_path, name, truth)


def test_the_aliases_of_a_story_load_as_one_row(farm, tmp_path):
    name = "url_aliases"
    result = crawl(farm, name, tmp_path)
    truth = farm.truth(name)
    site = farm.site(name)
    rows = list(ingest(result, tmp_path, name).export_rows(all_copies=True, site=name))
    assert Counter(row["canonical_url"] for row in rows) == Counter(article.url for article in truth)
    by_url = {row["canonical_url"]: set(row["urls"]) for row in rows}
    base = farm.base_urls[name]
    for article in truth:
        assert by_url[article.url] <= {article.url, *article.aliases}, article.url
        moved = {url for url in article.aliases if site.resource(url.removeprefix(base)).status == 301}
        assert not moved or by_url[article.url] & moved, article.url  # the address the list linked is kept


def test_a_probe_reports_each_list_document_and_fetches_no_article(farm, tmp_path):
    name = "json_endpoint"
    result = crawl(farm, name, tmp_path, mode="probe")
    assert archived(result) == []
    documents = result.stats["discovery"]
    endpoint = [document for document in documents if document["document"] == "endpoint"]
    assert endpoint and endpoint[0]["articles"] > 0 and endpoint[0]["sources"] == {"endpoint": endpoint[0]["articles"]}
    assert endpoint[0]["samples"][0]["title"] in {article.title for article in farm.truth(name)}
    assert len(endpoint) == 2  # a probe reads two pages of a list, not the whole column
    page = documents[0]
    assert page["document"] == "page" and page["articles"] == 0
    assert result.stats["templates"]
    assert not (tmp_path / "archive" / name / "crawl-state.json").exists()


def test_articles_carry_the_fetch_time_of_the_list_that_dated_them(farm, tmp_path):
    result = crawl(farm, "xml_datastore", tmp_path)
    lists = {page.url: page.fetched_at for page in archived(result, kind="list")}
    pages = archived(result)
    assert pages and all(page.list_date and page.listed_at == lists[page.list_url] for page in pages)
