"""The thin path end to end: local HTTP farm → crawl process → WARC → extract → dedup → SQLite, in a real flow."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from demo.server import FarmServer
from pipelines.store import Store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def farm():
    with FarmServer() as server:
        yield server


@pytest.fixture
def fast_retries(monkeypatch):
    """No minute-long pause between crawl attempts inside a test."""
    from flows import nightly

    original = nightly.flow_settings
    monkeypatch.setattr(nightly, "flow_settings", lambda: original().model_copy(update={"crawl_retry_delay_seconds": 0}))


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def latest_summary_artifact(since: datetime) -> str:
    """The markdown of the newest nightly-summary artifact on this worker's Prefect server, made after `since`."""
    import asyncio

    from prefect.client.orchestration import get_client

    async def latest_artifact():
        # The API directly: prefect 3.8.8's read_artifacts sends nulls its own server rejects (422).
        async with get_client() as client:
            response = await client._client.post("/artifacts/filter", json={
                "artifacts": {"key": {"any_": ["nightly-summary"]}}, "sort": "CREATED_DESC", "limit": 1})
            return response.json()[0]

    artifact = asyncio.run(latest_artifact())
    assert datetime.fromisoformat(artifact["created"]) >= since, "no summary artifact of this run"
    return artifact["data"]


def test_nightly_flow_stores_every_article_once_and_second_run_adds_nothing(
        farm, data_dir, db_url, monkeypatch, tmp_path, prefect_server, fast_retries):
    """On SQLite and on PostgreSQL alike; the first night's summary artifact is checked here too (it had a
    flow run of its own before)."""
    from flows.nightly import nightly_crawl

    monkeypatch.setenv("DANGJIAN_DB_URL", db_url)
    paths = farm.write_site_configs(tmp_path / "sites")
    started = datetime.now(UTC)
    reports = nightly_crawl(config_paths=paths)

    assert [r.status for r in reports] == ["ok"] * len(paths), [r.error for r in reports]
    # each farm site links one robots-disallowed article: a cause to count, no error of the night
    assert [(r.causes, r.errors) for r in reports] == [({"robots": 1}, 0)] * len(paths)
    store = Store()
    expected = {site: {a.url for a in farm.truth(site)} for site in farm.base_urls}
    for site, urls in expected.items():
        assert store.known_urls(site) == urls
    total = sum(len(urls) for urls in expected.values())
    assert sum(r.new for r in reports) == total
    assert sum(r.duplicates for r in reports) > 0, "the farm syndicates stories across sites"
    markdown = latest_summary_artifact(since=started)  # the night's summary artifact lists every site
    for path in paths:
        assert f"| {yaml.safe_load(Path(path).read_text())['name']} | ok |" in markdown

    again = nightly_crawl(config_paths=paths)
    assert sum(r.new for r in again) == 0
    assert sum(r.article_pages for r in again) == 0, "a second night fetches list pages only"
    rows = list(store.export_rows(all_copies=True))
    assert len(rows) == total


def test_a_failing_site_is_retried_reported_and_does_not_stop_the_others(
        farm, data_dir, tmp_path, prefect_server, fast_retries):
    from flows.nightly import SitesFailed, nightly_crawl

    good = farm.write_site_configs(tmp_path / "sites")[:1]
    dead = tmp_path / "dead.yaml"
    dead.write_text(yaml.safe_dump({"name": "dead-site", "start_urls": [f"http://127.0.0.1:{_closed_port()}/"]}))

    with pytest.raises(SitesFailed) as failed:
        nightly_crawl(config_paths=[dead, *good])
    reports = {r.site: r for r in failed.value.reports}

    assert reports["dead-site"].status == "failed"
    assert reports["dead-site"].causes == {"refused": 1}
    assert str(failed.value).startswith("dead-site: crawl failed: no list page could be fetched: refused ×1")
    others = [r for name, r in reports.items() if name != "dead-site"]
    assert others and all(r.status == "ok" and r.new > 0 for r in others)


def test_a_crawl_that_fails_once_is_retried_by_the_flow_and_then_succeeds(data_dir, tmp_path, prefect_server,
                                                                        fast_retries):
    from demo.server import Fault
    from flows.nightly import nightly_crawl

    start_path = "/djgz/list.htm"
    # One more failure than the crawler's own retries: the first crawl process gives up, the flow's retry succeeds.
    with FarmServer(sites=["university"], faults={("university", start_path): Fault.error(503, times=4)}) as farm:
        [config] = farm.write_site_configs(tmp_path / "sites")
        [report] = nightly_crawl(config_paths=[config])
        start_requests = [r for r in farm.requests if r.path == start_path]

    assert report.status == "ok", report.error
    assert report.new == len(farm.truth("university"))
    assert [r.status for r in start_requests][:5] == [503, 503, 503, 503, 200]


def test_backfill_stores_only_articles_published_since_the_given_day(farm, data_dir, tmp_path, prefect_server):
    from datetime import date

    from flows.nightly import backfill

    paths = farm.write_site_configs(tmp_path / "sites")[:1]
    site = yaml.safe_load(Path(paths[0]).read_text())["name"]
    days = sorted(a.published_at[:10] for a in farm.truth(site))
    since = date.fromisoformat(days[len(days) // 2])

    [report] = backfill(config_paths=paths, since=since)

    assert report.status == "ok", report.error
    expected = {a.url for a in farm.truth(site) if a.published_at[:10] >= since.isoformat()}
    assert Store().known_urls(site) == expected


def test_reprocess_replaces_the_fields_from_the_archive_and_clears_what_the_new_rules_lack(
        farm, data_dir, tmp_path, prefect_server, monkeypatch):
    from flows.maintenance import reprocess
    from flows.nightly import nightly_crawl
    from pipelines import ingest

    paths = farm.write_site_configs(tmp_path / "sites")[:1]
    site = yaml.safe_load(Path(paths[0]).read_text())["name"]
    nightly_crawl(config_paths=paths)
    before = {row["url"]: row for row in Store().export_rows(all_copies=True)}
    requests_before = len(farm.requests)

    original = ingest.extract_page

    def changed_rules(page, **kwargs):
        """As if the rules changed: titles now come out differently and the source is no longer found."""
        article = original(page, **kwargs)
        article.title, article.source = f"{article.title}(修订)", None
        return article

    monkeypatch.setattr(ingest, "extract_page", changed_rules)
    monkeypatch.setattr(ingest, "POOL_THRESHOLD", 10**9)  # worker processes would not see the patched rules
    results = reprocess(site=site)

    assert results[site]["updated"] == len(before) and results[site]["new"] == 0
    assert results[site]["changed_fields"] == {
        "source": sum(row["source"] is not None for row in before.values()), "title": len(before)}
    assert len(farm.requests) == requests_before, "reprocess never fetches"
    after = {row["url"]: row for row in Store().export_rows(all_copies=True)}
    assert after.keys() == before.keys()
    for url, row in after.items():
        assert row["title"] == f"{before[url]['title']}(修订)"
        assert row["source"] is None  # the new rules no longer find it: a wrong source would stay forever
