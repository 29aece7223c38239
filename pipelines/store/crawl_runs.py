"""Crawl runs and what the store holds per site: the bookkeeping behind `dangjian sites`, `stats` and health."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pipelines.models import Article, Cluster, CrawlRun, Site
from pipelines.store.shared import now, site_id

_NO_RUNS = {"runs": 0, "errors": 0, "last_run": None, "last_error": None, "health": None, "health_reason": None}


def start_run(session: Session, site: str, mode: str) -> int:
    run = CrawlRun(site_id=site_id(session, site), mode=mode, status="running", started_at=now())
    session.add(run)
    session.flush()
    return run.id


def finish_run(session: Session, run_id: int, *, stats: dict, error: str | None, health: str | None,
               health_reason: str | None, health_signals: dict | None) -> None:
    session.execute(update(CrawlRun).where(CrawlRun.id == run_id).values(
        finished_at=now(), stats=json.loads(json.dumps(stats, default=str)), error=error,
        status="failed" if error else "ok", health=health, health_reason=health_reason,
        health_signals=health_signals))


def run_history(session: Session, site: str | None, *, runs: int, before: int | None) -> list[dict]:
    """See `Store.run_history`."""
    numbered = (select(CrawlRun.id, func.row_number().over(partition_by=CrawlRun.site_id,
                                                           order_by=CrawlRun.id.desc()).label("n"))
                .join(Site).where(CrawlRun.finished_at.is_not(None)))
    if site is not None:
        numbered = numbered.where(Site.name == site)
    if before is not None:
        numbered = numbered.where(CrawlRun.id < before)
    latest = numbered.subquery()
    query = (select(Site.name, CrawlRun).join(Site).join(latest, latest.c.id == CrawlRun.id)
             .where(latest.c.n <= runs).order_by(Site.name, CrawlRun.id))
    return [{"site": name, "id": run.id, "mode": run.mode, "status": run.status,
             "started_at": run.started_at, "finished_at": run.finished_at, "error": run.error,
             "health": run.health, "health_reason": run.health_reason,
             "health_signals": run.health_signals} for name, run in session.execute(query)]


def stats(session: Session) -> list[dict]:
    """Per site: articles, stories it holds the canonical copy of, duplicates, date range, runs."""
    canonical = select(Cluster.canonical_article_id)
    query = (select(Site.name, func.count(Article.id).label("articles"),
                    func.count(Article.id).filter(Article.id.in_(canonical)).label("stories"),
                    func.min(Article.published_at).label("first_published"),
                    func.max(Article.published_at).label("last_published"))
             .select_from(Site).outerjoin(Article, Article.site_id == Site.id).group_by(Site.name)
             .order_by(Site.name))
    runs = _run_summaries(session)
    return [{"site": row.name, "articles": row.articles, "stories": row.stories,
             "duplicates": row.articles - row.stories,
             "first_published": _utc(row.first_published), "last_published": _utc(row.last_published),
             **runs.get(row.name, _NO_RUNS)}
            for row in session.execute(query)]


def date_sources(session: Session) -> list[dict]:
    """How many articles each date source dated (None: undated), most first: what an operator audits."""
    query = (select(Article.date_source, func.count(Article.id).label("articles"))
             .group_by(Article.date_source)
             .order_by(func.count(Article.id).desc(), Article.date_source.asc().nulls_last()))
    return [{"date_source": row.date_source, "articles": row.articles} for row in session.execute(query)]


def _run_summaries(session: Session) -> dict[str, dict]:
    query = (select(Site.name, CrawlRun.started_at, CrawlRun.error, CrawlRun.health, CrawlRun.health_reason)
             .join(Site).order_by(CrawlRun.id))
    summaries: dict[str, dict] = {}
    for name, started_at, error, health, health_reason in session.execute(query):
        summary = summaries.setdefault(name, dict(_NO_RUNS))
        summary["runs"] += 1
        summary["last_run"] = started_at
        summary["health"], summary["health_reason"] = health, health_reason
        if error:
            summary["errors"] += 1
            summary["last_error"] = error
    return summaries


def _utc(value: datetime | None) -> datetime | None:
    """Aggregates bypass the column type: SQLite gives naive UTC (sometimes as text) back."""
    if value is None or isinstance(value, datetime) and value.tzinfo:
        return value
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return parsed.replace(tzinfo=UTC)
