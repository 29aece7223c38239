"""Full-text search: article text segmented into words for the article_search table, and ranked queries on it
(SQLite's FTS5 table `article_fts`, PostgreSQL's `to_tsvector('simple', ...)`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

import rjieba
from sqlalchemy import bindparam, delete, select, text
from sqlalchemy.orm import Session

from pipelines import records
from pipelines.chrome import fold
from pipelines.models import Article, ArticleSearch, ClusterMember, Site, UTCDateTime
from pipelines.store.shared import day_start, dialect, display_timezone, insert_rows

_JOINING_SPACE = re.compile(r"(?<![A-Za-z0-9]) +| +(?![A-Za-z0-9])")  # spaces only jieba put there
_WORD = re.compile(r"\w")


def _tokens(folded: str) -> list[str]:
    # rjieba is jieba's algorithm and dictionary in Rust: the same tokens as jieba.lcut(HMM=False) on every
    # corpus body, at a fourteenth of the cost that made segmentation 70 % of a load.
    return [token for token in rjieba.cut(folded, hmm=False) if token.strip()]


def _words(text_: str) -> list[str]:
    # Folded (full-width letters, digits and punctuation to their ASCII forms), so ＡＩ finds AI and back.
    return [token for token in _tokens(fold(text_)) if _WORD.search(token)]


def _search_terms(folded: str, words: set[str]) -> str:
    """Dictionary sub-words of long words (jieba's search mode), so 党建 finds 党建工作."""
    extra = {t for t in set(rjieba.cut_for_search(folded, hmm=False)) - words if _WORD.search(t)}
    return " ".join(sorted(extra))


def _search_row(article_id: int, title: str | None, body: str) -> dict[str, Any]:
    # Folding maps one character to one, so the title and body are folded once and their join is the fold of
    # the joined text; distinct tokens are tested for word characters once each (a body repeats most).
    title, body = fold(title or ""), fold(body)
    title_tokens, body_tokens = _tokens(title), _tokens(body)
    words = {t for t in {*title_tokens, *body_tokens} if _WORD.search(t)}
    return {"article_id": article_id, "title_tokens": " ".join(title_tokens), "body_tokens": " ".join(body_tokens),
            "terms": _search_terms(f"{title}\n{body}", words)}


def _display_snippet(segmented: str) -> str:
    """Undo the segmentation: drop the spaces jieba added and join highlights of adjacent query words."""
    return _JOINING_SPACE.sub("", segmented).replace("][", "")


def index_search(session: Session, rows: list[Article]) -> None:
    """(Re)write the search rows of `rows` (new, or with a new title or body)."""
    if not rows:
        return
    ids = [row.id for row in rows]
    session.execute(delete(ArticleSearch).where(ArticleSearch.article_id.in_(ids)))
    insert_rows(session, ArticleSearch.__table__, [_search_row(row.id, row.title, row.body) for row in rows])


def search(session: Session, query: str, *, site: str | None, since: date | None, limit: int) -> list[dict]:
    """Ranked full-text hits, best first, one per story, each with a snippet (matches in [brackets])."""
    words = _words(query)
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
