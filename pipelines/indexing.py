"""The dedup step before the load: what the store files an article's text under — its content hash, MinHash
fingerprint and segmented search text — computed from the record alone.

That is pure CPU (about 1 ms an article, most of what a loader spent outside the database), so ingest runs it
in the extraction worker processes, in parallel, and the record carries it (`records.Article.indexing`) to the
load, which only writes and clusters. The load uses it only for the title, body and dedup rules it was
computed from, and computes it itself otherwise (a caller that skipped this step, a stored body kept in
place of the record's).
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines import dedup, records
from pipelines.search_text import SearchText, segment


@dataclass(frozen=True, slots=True)
class TextIndexing:
    title: str | None
    body: str
    rules: dedup.DedupRules
    content_hash: str
    fingerprint: dedup.Fingerprint | None  # None: a body too short to cluster
    search: SearchText


def index_text(title: str | None, body: str, rules: dedup.DedupRules) -> TextIndexing:
    content_hash, fingerprint = dedup.hash_and_fingerprint(body, rules)
    return TextIndexing(title, body, rules, content_hash, fingerprint, segment(title, body))


def prepare(article: records.Article, rules: dedup.DedupRules | None = None) -> records.Article:
    """The dedup step: the article, carrying its text's indexing for the load."""
    article.indexing = index_text(article.title, article.body, rules or dedup.load_rules())
    return article


def warm_up() -> None:
    """Load the dedup rules and the segmenter's dictionary before the first article (a worker's start)."""
    index_text(None, "预热", dedup.load_rules())


def indexing_for(article: records.Article, title: str | None, body: str, rules: dedup.DedupRules) -> TextIndexing:
    """The indexing of `title` and `body` (a row's, which may keep a stored body): the article's own when it was
    computed from them with these rules, else computed now."""
    prepared = article.indexing
    if prepared is not None and prepared.rules == rules and prepared.title == title and prepared.body == body:
        return prepared
    return index_text(title, body, rules)
