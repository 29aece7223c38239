"""Stored stories as export rows: one per story (its canonical copy) or one per stored copy."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pipelines.models import Article, ArticleUrl, Cluster, ClusterMember, Site
from pipelines.store.article_rows import to_record
from pipelines.store.shared import BATCH_SIZE, chunks, day_start, display_timezone


def export_rows(session: Session, *, all_copies: bool, since: date | None, site: str | None,
                typed: bool) -> Iterator[dict]:
    """See `Store.export_rows`."""
    query = (select(ClusterMember.article_id, ClusterMember.cluster_id, Cluster.canonical_article_id)
             .join(Cluster, Cluster.id == ClusterMember.cluster_id)
             .join(Article, Article.id == ClusterMember.article_id))
    if not all_copies:
        query = query.where(ClusterMember.article_id == Cluster.canonical_article_id)
    if since:
        query = query.where(func.coalesce(Article.published_at, Article.first_seen_at) >= day_start(since))
    if site:
        site_articles = select(Article.id).join(Site).where(Site.name == site)
        query = query.where(ClusterMember.article_id.in_(site_articles) if all_copies else
                            ClusterMember.cluster_id.in_(select(ClusterMember.cluster_id).where(
                                ClusterMember.article_id.in_(site_articles))))
    picked = session.execute(query.order_by(ClusterMember.cluster_id, ClusterMember.article_id)).all()
    for chunk in chunks(picked, BATCH_SIZE):
        yield from _export_chunk(session, chunk, all_copies, typed)


def _export_chunk(session: Session, chunk: list[Any], all_copies: bool, typed: bool) -> Iterator[dict]:
    article_ids = {row.article_id for row in chunk} | {row.canonical_article_id for row in chunk}
    articles = {a.id: a for a in session.scalars(select(Article).where(Article.id.in_(article_ids)))}
    sites = dict(session.execute(select(Site.id, Site.name)).all())
    owner = ArticleUrl.article_id if all_copies else ClusterMember.cluster_id
    url_query = (select(ArticleUrl.article_id, ClusterMember.cluster_id, ArticleUrl.url)
                 .join(ClusterMember, ClusterMember.article_id == ArticleUrl.article_id)
                 .where(owner.in_({row.article_id if all_copies else row.cluster_id for row in chunk})))
    urls: dict[int, set[str]] = {}
    own_urls: dict[int, set[str]] = {}
    for article_id, cluster_id, url in session.execute(url_query):
        urls.setdefault(article_id if all_copies else cluster_id, set()).add(url)
        own_urls.setdefault(article_id, set()).add(url)
    tz = display_timezone()
    for row in chunk:
        article = articles[row.article_id]
        data = to_record(article, sites[article.site_id]).to_json(tz)
        data.update(id=article.id, cluster_id=row.cluster_id,
                    is_canonical=row.article_id == row.canonical_article_id,
                    story_url=articles[row.canonical_article_id].canonical_url,
                    urls=sorted(urls.get(row.article_id if all_copies else row.cluster_id, ())),
                    aliases=sorted(own_urls.get(article.id, set()) - {article.canonical_url}))
        if typed:
            data.update(published_at=article.published_at, fetched_at=article.fetched_at)
        yield data
