"""Where a page keeps its links: anchors, scripts, list endpoints, feeds, sitemaps.

Every source is a pure function from a page (or a fetched endpoint, feed or sitemap) to `Link`s, each
tagged with the source it came from, so the spider and `dangjian sites check` can say what found what.
Which of those links are articles is decided elsewhere (crawlers/link_rules.py).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Link:
    url: str  # absolute, as written on the page (not canonicalized)
    text: str
    date_text: str | None = None  # raw date printed beside the link (or the record's date field)
    source: str = "anchor"  # anchor | script-markup | script-json | endpoint | feed | sitemap | ...
