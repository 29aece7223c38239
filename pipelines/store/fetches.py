"""What the crawl has seen: pointers to archived responses (fetches) and the URLs stored articles were reached
at, which tell a crawl what it need not fetch again and `reprocess` what to read back."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pipelines import config, records
from pipelines.archive import stored_ref
from pipelines.models import Article, ArticleUrl, CrawlRun, Fetch, Site
from pipelines.store.shared import matching, now, site_id, upsert


def record_fetches(session: Session, pages: list[records.FetchedPage], run_id: int | None) -> None:
    """One row per archive record; a record read again (`reprocess`) keeps the row its crawl recorded."""
    run_site = session.scalar(select(CrawlRun.site_id).where(CrawlRun.id == run_id)) if run_id else None
    site_ids = {name: site_id(session, name) for name in {p.site for p in pages if p.site}}
    recorded_at, archive_root = now(), config.local_archive_root()
    session.execute(upsert(session, Fetch).on_conflict_do_nothing(index_elements=["archive_ref"]), [
        {"run_id": run_id, "site_id": site_ids.get(page.site, run_site), "url": page.url,
         "status": page.status, "kind": page.kind, "fetched_at": page.fetched_at,
         "archive_ref": stored_ref(page.archive_ref, archive_root), "list_url": page.list_url, "part_of": page.part_of,
         "part_number": page.part_number, "content_type": page.content_type, "size": len(page.body),
         "recorded_at": recorded_at}
        for page in pages])


def first_pages(session: Session, urls: set[str]) -> dict[str, str]:
    """The archive_ref of each URL's latest successful fetch as an article."""
    found: dict[str, str] = {}
    for condition in matching(session, Fetch.url, urls):
        query = (select(Fetch.url, Fetch.archive_ref)
                 .where(condition, Fetch.kind == "article", Fetch.status == 200,
                        Fetch.archive_ref.is_not(None)).order_by(Fetch.id))
        found.update(session.execute(query).all())
    return found


def part_pages(session: Session, first_pages: set[str]) -> dict[str, list[tuple[int, str]]]:
    """The archived later pages of each first page, as (page number, archive_ref) in page order: the
    latest successful fetch of each number."""
    found: dict[str, dict[int, str]] = {}
    for condition in matching(session, Fetch.part_of, first_pages):
        query = (select(Fetch.part_of, Fetch.part_number, Fetch.archive_ref)
                 .where(condition, Fetch.kind == "part", Fetch.status == 200,
                        Fetch.part_number.is_not(None), Fetch.archive_ref.is_not(None))
                 .order_by(Fetch.id))
        for first, number, ref in session.execute(query):
            found.setdefault(first, {})[number] = ref
    return {first: sorted(parts.items()) for first, parts in found.items()}


def known_urls(session: Session, site: str, extractor_version: str | None = None) -> set[str]:
    """Every URL of the site's stored articles (canonical or not); with `extractor_version`, only of the
    articles whose fields that version produced."""
    query = (select(ArticleUrl.url).join(Article, Article.id == ArticleUrl.article_id).join(Site)
             .where(Site.name == site))
    if extractor_version is not None:
        query = query.where(Article.extractor_version == extractor_version)
    return set(session.scalars(query))
