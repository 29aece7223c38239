"""Site health as plain functions: signals judged against the site's own runs; the runs kept by the store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crawlers.site_config import SiteConfig
from pipelines.config import ConfigError, HealthSettings, load_model
from pipelines.health import ExtractionOutcomes, RunRecord, Signals, judge, page_title, signals_of
from pipelines.records import Article
from pipelines.store import Store

NOW = datetime(2026, 12, 12, 2, 0, tzinfo=UTC)
LIST = "http://127.0.0.1:8000/jxdt/index.html"
DEFAULTS = HealthSettings()


def night(days_ago: float, *, links: int = 18, new: int = 0, title: str = "教学动态", health: str = "ok") -> RunRecord:
    signals = Signals(list_links={LIST: links}, list_titles={LIST: title}, new=new)
    return RunRecord(NOW - timedelta(days=days_ago), health, signals)


def nightly(count: int, **options) -> list[RunRecord]:
    return [night(count - i, **options) for i in range(count)]


def test_a_list_page_that_showed_links_and_shows_none_is_degraded_with_its_history_and_new_title():
    history = [night(5, links=15), night(4, links=20), night(3, links=18), night(2, links=16), night(1, links=17)]
    tonight = Signals(list_links={LIST: 0}, list_titles={LIST: "网站改版中"})

    verdict = judge(tonight, history, DEFAULTS, NOW)

    assert verdict.status == "degraded"
    assert verdict.reason == ("list page …/jxdt/index.html: 0 article links (previous 5 runs: 15–20); "
                              "its title changed to 网站改版中")


def test_a_breakage_stays_flagged_every_night_until_fixed_because_the_baseline_is_the_healthy_runs():
    history = [*nightly(3, links=12), night(0.5, links=0, health="degraded"), night(0.2, links=0, health="degraded")]
    verdict = judge(Signals(list_links={LIST: 0}), history, DEFAULTS, NOW)
    assert verdict.status == "degraded" and "(previous 3 runs: 12)" in verdict.reason


def test_a_quiet_night_with_a_healthy_list_page_is_ok():
    verdict = judge(Signals(list_links={LIST: 18}, list_titles={LIST: "教学动态"}), nightly(5, new=0), DEFAULTS, NOW)
    assert (verdict.status, verdict.reason) == ("ok", "nothing new; 1 list page shows 18 article links")


def test_the_first_run_is_judged_on_absolute_signals_only():
    assert judge(Signals(list_links={LIST: 18}, new=18), [], DEFAULTS, NOW).reason.startswith("first run: 18 new")
    blind = judge(Signals(list_links={LIST: 0, f"{LIST}?page=2": 0}), [], DEFAULTS, NOW)
    assert blind.status == "degraded"
    assert blind.reason.startswith("no list page shows an article link (2 read: …/jxdt/index.html")


def outcomes(*pages: Article | str) -> dict:
    seen = ExtractionOutcomes()
    for page in pages:
        seen.observe(page)
    return seen.as_dict()


def article(number: int, **fields) -> Article:
    values = {"url": f"http://x/{number}.html", "title": f"标题{number}", "body": f"正文{number}" * 40,
              "published_at": NOW, **fields}
    return Article(**values)


def test_an_article_wall_of_identical_stubs_is_degraded_and_quotes_the_stub():
    stub = {"title": "访问受限，请登录", "body": "访问受限，请登录", "published_at": None}
    extraction = outcomes(*(article(n, **stub) for n in range(8)), article(9), article(10))
    assert extraction["repeated"] == 8 and extraction["no_date"] == 8

    verdict = judge(Signals(list_links={LIST: 10}, new=10, extraction=extraction), [], DEFAULTS, NOW)

    assert verdict.status == "degraded"
    assert verdict.reason == "8 of 10 article pages are the same page: “访问受限，请登录 访问受限，请登录”"


def test_empty_pages_and_failed_fetches_are_degraded_a_few_bad_pages_are_not():
    empty = outcomes(*(article(n, body="", page_kind="other") for n in range(3)), article(4))
    assert judge(Signals(list_links={LIST: 4}, extraction=empty), [], DEFAULTS, NOW).reason == (
        "3 of 4 article pages have no article text")
    fine = outcomes(article(1), article(2), article(3), article(4, body=""))
    assert judge(Signals(list_links={LIST: 4}, extraction=fine), [], DEFAULTS, NOW).status == "ok"
    blocked = Signals(list_links={LIST: 9}, article_pages=1, article_failures=8, causes={"http_500": 8})
    assert judge(blocked, [], DEFAULTS, NOW).reason == "8 of 9 article fetches failed (http_500 ×8)"


@pytest.mark.parametrize(("causes", "reason"), [
    ({"robots": 1}, "robots.txt refuses every list page (robots ×1)"),
    ({"http_403": 1}, "every list page failed: http_403 ×1"),
    ({"offsite_redirect": 1}, "every list page redirects off the site"),
])
def test_no_list_page_fetched_is_failed_by_its_cause(causes, reason):
    tonight = Signals(causes=causes, crawl_error="no list page could be fetched: …")
    assert (judge(tonight, nightly(3), DEFAULTS, NOW).status, judge(tonight, [], DEFAULTS, NOW).reason) == (
        "failed", reason)


def test_nothing_new_for_much_longer_than_usual_is_stale_not_failed():
    daily = [night(days, new=3) for days in (12, 11, 10, 9)] + [night(days) for days in range(8, 0, -1)]
    verdict = judge(Signals(list_links={LIST: 18}), daily, DEFAULTS, NOW)
    assert (verdict.status, verdict.reason) == ("stale", "no new article for 9 days (usually one every 1.0 days)")
    weekly = [night(days, new=2) for days in (35, 28, 21, 14)] + [night(days) for days in range(13, 0, -1)]
    assert judge(Signals(list_links={LIST: 18}), weekly, DEFAULTS, NOW).status == "ok", "within its usual gap"


def test_a_site_overrides_the_thresholds_it_names_and_keeps_the_others(tmp_path):
    site = SiteConfig(name="slow-column", start_urls=[LIST], health={"stale_factor": 30})
    assert site.health_settings.stale_factor == 30 and site.health_settings.stub_share == DEFAULTS.stub_share
    daily = [night(days, new=3) for days in (12, 11, 10, 9)] + [night(days) for days in range(8, 0, -1)]
    assert judge(Signals(list_links={LIST: 18}), daily, site.health_settings, NOW).status == "ok"
    typo = tmp_path / "typo.yaml"
    typo.write_text(f"name: typo\nstart_urls: [{LIST}]\nhealth:\n  stub_shares: 0.9\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="health.stub_shares: unknown key"):
        load_model(SiteConfig, typo)


def test_signals_come_from_a_site_report_and_page_titles_from_markup():
    report = {"status": "ok", "new": 2, "seconds": 1.5, "causes": {"http_404": 1},
              "crawl": {"list_links": {LIST: 7}, "list_titles": {LIST: "教学动态"}, "failed": {"article": 1},
                        "article_pages": 3, "statuses": {"200": 4, "404": 1}, "robots_forbidden": 2}}
    signals = signals_of(report)
    assert (signals.list_links, signals.article_failures, signals.robots, signals.crawl_error) == (
        {LIST: 7}, 1, 2, None)
    assert Signals.from_dict(signals.as_dict()) == signals
    assert page_title("<html><head><title>\n 网站改版中 &amp; 通知</title>") == "网站改版中 & 通知"


def test_the_store_keeps_each_runs_health_and_gives_the_last_runs_back(db_url):
    store = Store(db_url)
    ids = []
    for number in range(4):
        run_id = store.start_run("a", "nightly")
        store.finish_run(run_id, stats={}, health="ok" if number < 3 else "degraded", health_reason=f"night {number}",
                         health_signals=Signals(list_links={LIST: number}).as_dict())
        ids.append(run_id)
    store.finish_run(store.start_run("b", "nightly"), stats={}, error="boom")

    runs = store.run_history("a", runs=2)
    assert [run["health_reason"] for run in runs] == ["night 2", "night 3"]
    assert runs[-1]["health"] == "degraded" and runs[-1]["health_signals"]["list_links"] == {LIST: 3}
    assert [run["id"] for run in store.run_history("a", runs=10, before=ids[-1])] == ids[:-1]
    assert {run["site"] for run in store.run_history(runs=1)} == {"a", "b"}
    assert {row["site"]: row["health"] for row in store.stats()} == {"a": "degraded", "b": None}
