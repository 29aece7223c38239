"""Loading articles: idempotent upserts keyed on the article's canonical URL (its URL when it has none), the
URLs each was seen at, its search rows, and its place in a story."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from pipelines import config, dedup, records
from pipelines.indexing import indexing_for
from pipelines.models import Article, ArticleImage, ArticleUrl, ClusterMember
from pipelines.store import near_dups, search
from pipelines.store.article_rows import row_values
from pipelines.store.shared import insert_rows, matching, now, site_id

# What an article split over pages gathers from all of them: its first page extracted alone (before its parts
# are ingested again) does not know them, so they keep their stored values (and so do its images).
PAGED_FIELDS = {"body", "keywords", "attachments", "page_urls"}
# a re-crawl or re-extraction refreshes them without changing the article
PROVENANCE_FIELDS = {"url", "fetched_at", "archive_ref", "extractor_version"}
# PostgreSQL keeps advisory locks in one shared table of max_locks_per_transaction × max_connections entries
# (64 × 100 by default) and fails a transaction that overflows it; a load takes one lock per bucket and hash
# (33 an article with the default 32 bands), so its transactions are this small: 1 650 locks, room for
# three loaders and everyone else at the defaults (docs/scaling.md).
PG_BATCH_SIZE = 50
# PostgreSQL plans the dedup lookups from table statistics; after a bulk load they are stale until autovacuum
# gets round to it, and the stale plan scans cluster_members in full (measured: 30 ms instead of 2 ms a check).
ANALYZE_EVERY_NEW = 2000
ANALYZED_TABLES = "articles, cluster_members, clusters, lsh_buckets"


@dataclass
class LoadResult:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0  # articles (new or re-fingerprinted) that joined an existing story
    stories: int = 0  # new clusters founded by this load
    changed_fields: Counter[str] = field(default_factory=Counter)  # field -> stored rows it changed in

    def __iadd__(self, other: LoadResult) -> LoadResult:
        for name in (f.name for f in fields(self)):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


def refresh_statistics(engine: Engine, new_since_analyze: int) -> int:
    """ANALYZE the dedup tables once enough rows arrived since the last time; the rows counted since then."""
    if engine.dialect.name == "postgresql" and new_since_analyze >= ANALYZE_EVERY_NEW:
        with engine.begin() as connection:
            connection.execute(text(f"ANALYZE {ANALYZED_TABLES}"))
        return 0
    return new_since_analyze


def _same_page_urls(key: str, article: records.Article) -> set[str]:
    """The URLs that reached this very page (not its print views or later pages)."""
    return {url for url in (key, article.url, *article.aliases) if url}


def _merge(row: Article, values: dict[str, Any]) -> set[str]:
    """The new extraction replaces the stored fields as a whole: a field it no longer finds (an author or a
    date the old rules took from the wrong line) is cleared, never kept. Returns the fields that changed."""
    changed = set()
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed.add(name)
    return changed


def _replace_images(row: Article, images: list[records.Image]) -> bool:
    wanted = [(image.url, image.caption) for image in images]
    if wanted == [(image.url, image.caption) for image in row.images]:
        return False
    for position, (url, caption) in enumerate(wanted):
        if position < len(row.images):
            row.images[position].url, row.images[position].caption = url, caption
        else:
            row.images.append(ArticleImage(position=position, url=url, caption=caption))
    del row.images[len(wanted):]
    return True


def load_batch(session: Session, batch: dict[str, records.Article], site: str,
               rules: dedup.DedupRules) -> LoadResult:
    """Upsert one batch (key -> article) in the session's transaction and file what is new into stories."""
    loaded_at, result, archive_root = now(), LoadResult(), config.local_archive_root()
    near_dups.share_index(session)
    near_dups.check_dedup_index(session, rules)
    site_row = site_id(session, site)
    existing, views = _stored_rows(session, batch)
    rows, fresh, updated, refingerprint, retitled = [], [], [], [], []
    for key, article in batch.items():
        if key in views:
            result.unchanged += 1
            continue
        row = existing.get(key)
        if row is None:
            row = Article(site_id=site_row, canonical_url=key, first_seen_at=loaded_at, updated_at=loaded_at,
                          **row_values(article, archive_root))
            row.images = [ArticleImage(position=i, url=im.url, caption=im.caption)
                          for i, im in enumerate(article.images)]
            fresh.append(row)
            result.new += 1
            refingerprint.append((row, article))
        else:
            alone = bool(row.page_urls) and not article.page_urls
            values = {k: v for k, v in row_values(article, archive_root).items() if not (alone and k in PAGED_FIELDS)}
            changed = _merge(row, values) - PROVENANCE_FIELDS
            if not alone and _replace_images(row, article.images):
                changed.add("images")
            result.changed_fields.update(changed)
            if changed:
                row.updated_at = loaded_at
                result.updated += 1
                updated.append(row)
                if "body" in changed:
                    refingerprint.append((row, article))
                elif "title" in changed:
                    retitled.append((row, article))
            else:
                result.unchanged += 1
        row.last_seen_at = loaded_at
        rows.append((row, article))
    # The text's hash, fingerprint and search words as the dedup step computed them, for the row's own title and
    # body (a page extracted alone keeps its stored body); set on the rows before they are written.
    refiled = [(row, indexing_for(article, row.title, row.body, rules)) for row, article in refingerprint]
    prints = [near_dups.keep_fingerprint(row, text_.content_hash, text_.fingerprint) for row, text_ in refiled]
    searchable = [*refiled, *((row, indexing_for(article, row.title, row.body, rules)) for row, article in retitled)]
    session.flush()
    _insert_new(session, fresh)
    _record_urls(session, rows, loaded_at)
    search.index_search(session, [(row.id, text_.search) for row, text_ in searchable])
    near_dups.lock_index_keys(session, prints)  # as late as possible: the locks are held until commit
    touched = set(session.scalars(select(ClusterMember.cluster_id).where(
        ClusterMember.article_id.in_([row.id for row in updated]))))  # new metadata may change the canonical
    filed, result.duplicates, result.stories = near_dups.cluster(session, [row for row, _ in refiled], prints, rules)
    near_dups.choose_canonical(session, touched | filed)
    return result


def _insert_new(session: Session, rows: list[Article]) -> None:
    """Write new article rows and their images in one statement a table (`insert_rows`), giving the rows their
    ids; they stay out of the session. The ORM's unit of work cost more of a loader's CPU than the server
    spent storing them: psycopg alone parsed a 1 650-placeholder INSERT for every batch."""
    articles = Article.__table__
    columns = [column.key for column in articles.columns if column.key != "id"]
    ids = dict(insert_rows(session, articles, [{name: getattr(row, name) for name in columns} for row in rows],
                           lambda insert: insert.returning(articles.c.canonical_url, articles.c.id)))
    for row in rows:
        row.id = ids[row.canonical_url]
    insert_rows(session, ArticleImage.__table__, [
        {"article_id": row.id, "position": image.position, "url": image.url, "caption": image.caption}
        for row in rows for image in row.images])


def _stored_rows(session: Session, batch: dict[str, records.Article]) -> tuple[dict[str, Article], set[str]]:
    """The stored row of each key, and the keys that are no article of their own.

    A key is found as a row's canonical URL, else as any URL the row was reached at (the article's key
    changed: a canonical link appeared, or is no longer trusted); the row then moves to the new key. A key
    that is another article's print view or later page (this batch's or a stored row's) is that article
    seen again, never a row of its own."""
    rows = {row.canonical_url: row for condition in matching(session, Article.canonical_url, batch)
            for row in session.scalars(select(Article).where(condition))}
    views = {url for article in batch.values() for url in (*article.print_urls, *article.page_urls)}
    views &= batch.keys() - rows.keys()
    wanted = {key: _same_page_urls(key, article) for key, article in batch.items()
              if key not in rows and key not in views}
    owners: dict[str, Article] = {}
    for condition in matching(session, ArticleUrl.url, set().union(*wanted.values())):
        query = (select(ArticleUrl.url, Article).join(Article, Article.id == ArticleUrl.article_id)
                 .where(condition).order_by(Article.id))
        for url, row in session.execute(query):
            owners.setdefault(url, row)
    claimed = {row.id for row in rows.values()}
    for key, urls in wanted.items():
        found = next((owners[url] for url in sorted(urls) if url in owners), None)
        if found is None:
            continue
        if key in (*found.print_urls, *found.page_urls) or found.id in claimed:
            views.add(key)  # a view of it, or the same page under two keys in one batch: loaded once
        else:
            claimed.add(found.id)
            found.canonical_url = key
            rows[key] = found
    return rows, views


def _record_urls(session: Session, rows: list[tuple[Article, records.Article]], seen_at: datetime) -> None:
    seen = {(row.id, url) for row, article in rows
            for url in (row.canonical_url, article.url, article.canonical_url, *article.aliases,
                        *article.print_urls, *article.page_urls) if url}
    insert_rows(session, ArticleUrl.__table__,
                [{"article_id": article_id, "url": url, "first_seen_at": seen_at, "last_seen_at": seen_at}
                 for article_id, url in sorted(seen)],
                lambda insert: insert.on_conflict_do_update(index_elements=["article_id", "url"],
                                                            set_={"last_seen_at": insert.excluded.last_seen_at}))
