"""`dangjian sites check URL` and `sites add`: what the spider sees on a live site, in words.

A probe is a real crawl (robots.txt, politeness and every discovery mechanism) of a site's list documents only,
into `<data dir>/probe/<site>/`, emptied first each time: no state of the site's crawls is touched, no article
is fetched, and its log stays there to read.
"""

from __future__ import annotations

import shutil
from urllib.parse import urlsplit

import yaml

from crawlers.run import EXIT_OK, CrawlResult, crawl_site
from crawlers.site_config import SiteConfig
from pipelines import config

SAMPLES = 5
PROBE_TIMEOUT = 120.0


def site_for_url(url: str, name: str | None = None) -> SiteConfig:
    """The least config for a start URL: its name defaults to the host (and port)."""
    return SiteConfig(name=name or urlsplit(url).netloc.removeprefix("www.").replace(":", "-"), start_urls=[url])


def probe(site: SiteConfig, *, timeout: float = PROBE_TIMEOUT) -> CrawlResult:
    directory = config.data_dir() / "probe" / site.name
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    site_file = directory / f"{site.name}.yaml"
    site_file.write_text(yaml.safe_dump(site.model_dump(exclude_defaults=True), allow_unicode=True),
                         encoding="utf-8")
    return crawl_site(site_file, archive_dir=directory / "archive", mode="probe", timeout=timeout)


def found_articles(result: CrawlResult) -> int:
    return sum(document["articles"] for document in result.stats.get("discovery", []))


def report_lines(result: CrawlResult) -> list[str]:
    """One line per list document the probe read, the URL shapes it learned, and what to do when it found
    nothing."""
    lines = []
    for document in result.stats.get("discovery", []):
        sources = ", ".join(f"{source} {count}" for source, count in sorted(document["sources"].items()))
        line = f"{document['document']} {document['url']}: {document['articles']} article links"
        line += f" ({sources})" if sources else ""
        for key, label in (("next_pages", "next page"), ("endpoints", "list endpoints"), ("feeds", "feeds"),
                           ("frames", "frames"), ("columns", "columns")):
            if document.get(key):
                line += f"; {label}: {', '.join(document[key])}"
        if document.get("total_records") is not None:
            line += f"; {document['total_records']} records in all"
        lines.append(line)
    templates = result.stats.get("templates") or {}
    if templates:
        lines.append("article URL shapes: " + ", ".join(f"{template} ({count})" for template, count
                                                       in sorted(templates.items(), key=lambda item: -item[1])))
    if result.returncode != EXIT_OK:
        lines.append(f"the probe failed: {result.error}")
    elif not found_articles(result):
        lines.append("no article link found. Check that a start URL is a column (list) page, not an article; if "
                     "its list is drawn by a script the probe could not read, set `article_url_pattern:` (a "
                     "regex of the article URLs) or `list_url_pattern:` in the site config, or give the list "
                     f"endpoint as a start URL. The crawl log says more: {result.log_path}")
    return lines


def samples(result: CrawlResult) -> list[dict]:
    rows = [sample for document in result.stats.get("discovery", []) for sample in document["samples"]]
    return [{"list date": row["list_date"], "title": row["title"], "url": row["url"]} for row in rows[:SAMPLES]]
