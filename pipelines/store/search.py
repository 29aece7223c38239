"""Full-text search: the article_search rows (text segmented by `pipelines.search_text`) and ranked queries on
them (SQLite's FTS5 table `article_fts`, PostgreSQL's `to_tsvector('simple', ...)`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from typing import Any

from sqlalchemy import bindparam, delete, select, text
from sqlalchemy.orm import Session

from pipelines import records
from pipelines.models import Article, ArticleSearch, ClusterMember, Site, UTCDateTime
from pipelines.search_text import SearchText, query_words
from pipelines.store.shared import day_start, dialect, display_timezone, insert_rows

_JOINING_SPACE = re.compile(r"(?<![A-Za-z0-9]) +| +(?![A-Za-z0-9])")  # spaces only jieba put there


def _display_snippet(segmented: str) -> str:
    """Undo the segmentation: drop the spaces jieba added and join highlights of adjacent query words."""
    return _JOINING_SPACE.sub("", segmented).replace("][", "")


def index_search(session: Session, texts: list[tuple[int, SearchText]]) -> None:
    """(Re)write the search rows of the articles (id, segmented text) that are new or got a new title or body."""
    if not texts:
        return
    session.execute(delete(ArticleSearch).where(ArticleSearch.article_id.in_([id_ for id_, _ in texts])))
    insert_rows(session, ArticleSearch.__table__, [{"article_id": id_, **asdict(text_)} for id_, text_ in texts])


def search(session: Session, query: str, *, site: str | None, since: date | None, limit: int) -> list[dict]:
    """Ranked full-text hits, best first, one per story, each with a snippet (matches in [brackets])."""
    words = query_words(query)
    if not words:
        return []
    conditions, params = [], {"limit": limit * 3}
    if site:
        conditions.append("s.name = :site")
        params["site"] = site
    if since:
        conditions.append("COALESCE(a.published_at, a.first_seen_at) >= :since")
        params["since"] = day_start(since)
    where = "".join(f" AND {c}" for c in conditions)
    if dialect(session) == "sqlite":
        params["match"] = " AND ".join('"' + w.replace('"', '""') + '"' for w in words)
        sql = f"""SELECT a.id, -bm25(article_fts, 4.0, 1.0, 0.5) AS rank,
                    snippet(article_fts, 1, '[', ']', '…', 24) AS snippet
                  FROM article_fts JOIN articles a ON a.id = article_fts.rowid JOIN sites s ON s.id = a.site_id
                  WHERE article_fts MATCH :match{where} ORDER BY rank DESC LIMIT :limit"""
    else:
        params["words"] = " ".join(words)
        document = "to_tsvector('simple', x.title_tokens || ' ' || x.body_tokens || ' ' || x.terms)"
        sql = f"""SELECT a.id, ts_rank_cd({document}, q) AS rank,
                    ts_headline('simple', x.body_tokens, q,
                                'StartSel=[, StopSel=], MaxWords=24, MinWords=8, MaxFragments=1') AS snippet
                  FROM article_search x, plainto_tsquery('simple', :words) q, articles a, sites s
                  WHERE {document} @@ q AND a.id = x.article_id AND s.id = a.site_id{where}
                  ORDER BY rank DESC LIMIT :limit"""
    statement = text(sql).bindparams(*([bindparam("since", type_=UTCDateTime())] if since else []))
    hits = session.execute(statement, params).all()
    return _search_results(session, hits, limit)


def _search_results(session: Session, hits: Sequence[Any], limit: int) -> list[dict]:
    ids = [hit.id for hit in hits]
    rows = session.execute(select(Article.id, Article.title, Article.canonical_url, Article.published_at,
                                  Article.date_precision, Site.name, ClusterMember.cluster_id)
                           .join(Site).join(ClusterMember, ClusterMember.article_id == Article.id)
                           .where(Article.id.in_(ids))).all()
    by_id = {row.id: row for row in rows}
    results, seen_clusters = [], set()
    tz = display_timezone()
    for hit in hits:
        row = by_id[hit.id]
        if row.cluster_id in seen_clusters:
            continue
        seen_clusters.add(row.cluster_id)
        results.append({"id": row.id, "cluster_id": row.cluster_id, "site": row.name, "title": row.title,
                         "url": row.canonical_url, "rank": float(hit.rank),
                         "published_at": records.format_published(row.published_at, row.date_precision, tz),
                         "snippet": _display_snippet(hit.snippet)})
    return results[:limit]
