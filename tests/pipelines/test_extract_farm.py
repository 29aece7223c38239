"""Extraction against the demo farm's ground truth: every article of the four synthetic CMS sites, fetched
over HTTP from a running FarmServer and extracted from its bytes exactly as the crawler would archive them.

Each site stands for a family of real sites (TRS in GBK, VSB with 摘要 and photographer lines, JCMS with
per-item breadcrumbs and `【字体】` rows, a table layout full of CMS residue), so a failure here names the
layout that broke. Comparisons are after NFKC and white-space normalization.
"""

from __future__ import annotations

import re
import unicodedata
import urllib.request

import pytest

from demo.farm import SITE_NAMES, ExpectedArticle
from demo.server import FarmServer
from pipelines.extract import extract_page
from pipelines.records import Article, FetchedPage

pytestmark = pytest.mark.slow

CHROME_MARKERS = ("分享到", "字体", "打印本页", "责任编辑", "相关文章推荐", "-->", "enpproperty", "192.168")


def normalized(text: str | None) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip()


def fetch(url: str) -> FetchedPage:
    with urllib.request.urlopen(url, timeout=10) as response:
        headers = {name.lower(): value for name, value in response.headers.items()}
        return FetchedPage(url=url, body=response.read(), headers=headers, status=response.status)


@pytest.fixture(scope="module")
def extracted() -> dict[str, list[tuple[ExpectedArticle, Article]]]:
    """Every farm article with what extraction made of its served bytes, per site."""
    with FarmServer() as farm:
        pages = {site: [(truth, fetch(truth.url)) for truth in farm.truth(site)] for site in SITE_NAMES}
    return {site: [(truth, extract_page(page)) for truth, page in found] for site, found in pages.items()}


def mismatches(pairs, field: str, normalize=normalized) -> list[str]:
    """`url field: truth != extracted` for every article where the two differ, both normalized alike."""
    found = []
    for truth, article in pairs:
        expected, actual = normalize(getattr(truth, field)), normalize(getattr(article, field))
        if expected != actual:
            found.append(f"{truth.url} {field}: {expected!r} != {actual!r}")
    return found


def names(values) -> list[str]:
    return [normalized(value) for value in values]


def urls(values) -> list[str]:
    return [getattr(value, "url", value) for value in values]


@pytest.mark.parametrize("site", SITE_NAMES)
def test_every_article_is_found_with_its_title(extracted, site):
    pairs = extracted[site]
    assert pairs, f"{site}: the farm has no articles"
    assert [article.url for _, article in pairs if article.page_kind != "article"] == []
    assert mismatches(pairs, "title") == []


@pytest.mark.parametrize("site", SITE_NAMES)
def test_body_is_exactly_the_article_paragraphs(extracted, site):
    for truth, article in extracted[site]:
        assert [normalized(p) for p in article.body.split("\n\n")] == names(truth.body), truth.url
        assert [marker for marker in CHROME_MARKERS if marker in article.body] == [], truth.url


@pytest.mark.parametrize("site", SITE_NAMES)
def test_publication_date(extracted, site):
    found = [
        f"{truth.url}: {truth.published_at} != {article.published_display()}"
        for truth, article in extracted[site]
        if truth.published_at != article.published_display()
    ]
    assert found == []


@pytest.mark.parametrize("site", SITE_NAMES)
def test_byline_fields(extracted, site):
    pairs = extracted[site]
    found = mismatches(pairs, "source") + [
        line for field in ("authors", "editors", "photographers") for line in mismatches(pairs, field, names)
    ]
    assert found == []


@pytest.mark.parametrize("site", SITE_NAMES)
def test_site_name_category_and_summary(extracted, site):
    pairs = extracted[site]
    assert [line for field in ("site_name", "category", "summary") for line in mismatches(pairs, field)] == []


@pytest.mark.parametrize("site", SITE_NAMES)
def test_subtitle(extracted, site):
    assert mismatches(extracted[site], "subtitle") == []


@pytest.mark.parametrize("site", SITE_NAMES)
def test_attachments_and_images(extracted, site):
    pairs = extracted[site]
    assert mismatches(pairs, "attachments", urls) + mismatches(pairs, "images", urls) == []
