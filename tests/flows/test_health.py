"""Site health end to end through the real `dangjian` command: farm sites that break overnight (a redesigned
list page, a wall of login stubs, 403s and 500s, robots.txt closing the site) and one that is only quiet,
each ending with its status, reason and exit code; the history commands; the static report in a real headless
browser; and a Prefect automation turning a degraded site's event into a webhook call."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from lxml import html as lxml_html

from demo.health_farm import (
    ARTICLES_FAIL,
    FORBIDDEN,
    LOGIN_STUB,
    LOGIN_WALL,
    REDESIGN_TITLE,
    REDESIGNED,
    ROBOTS_CLOSED,
    HealthFarm,
)
from tests.flows import test_operator
from tests.flows.test_operator import REPO, dangjian, site_reports

webhook_receiver = test_operator.webhook_receiver  # the fixture, shared with the failed-run automation's test
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("health-nights")]  # one worker builds `nights`, once

OVERNIGHT = {"party_school": REDESIGNED, "university": FORBIDDEN, "city_portal": ROBOTS_CLOSED, "county_news": None}


def private_env(directory: Path) -> dict[str, str]:
    """A data directory and a copy of config/ without the shipped sites and without minute-long retries; runs
    go to the test session's Prefect server, where automations see them."""
    from prefect.settings import PREFECT_API_URL

    config = directory / "config"
    shutil.copytree(REPO / "config", config, ignore=shutil.ignore_patterns("sites"))
    (config / "sites").mkdir()
    (config / "settings.yaml").write_text("flows:\n  concurrency: 4\n  crawl_retries: 0\n", encoding="utf-8")
    env = {**os.environ, "DANGJIAN_DATA_DIR": str(directory / "data"), "DANGJIAN_CONFIG_DIR": str(config),
           "COLUMNS": "200", "PREFECT_API_URL": PREFECT_API_URL.value()}
    for name in ("DANGJIAN_DB_URL", "DANGJIAN_ARCHIVE_URL"):
        env.pop(name, None)
    return env


def crawl(configs: list[Path], env: dict[str, str], *options: str) -> subprocess.CompletedProcess:
    return dangjian("crawl", *options, *(arg for path in configs for arg in ("--config", str(path))), env=env)


@pytest.fixture(scope="module")
def nights(tmp_path_factory, prefect_server):
    """Night 1: four healthy farm sites. Night 2: three of them broken overnight, one with nothing new."""
    directory = tmp_path_factory.mktemp("health")
    env = private_env(directory)
    with HealthFarm(sites=list(OVERNIGHT)) as farm:
        configs = dict(zip(OVERNIGHT, farm.write_site_configs(directory / "sites"), strict=True))
        first = crawl(list(configs.values()), env, "--json")
        farm.breakage.update({site: breakage for site, breakage in OVERNIGHT.items() if breakage})
        second = crawl(list(configs.values()), env, "--json")
        yield SimpleNamespace(farm=farm, env=env, configs=configs, first=first, second=second)


def test_a_healthy_first_night_is_ok_with_exit_0(nights):
    assert nights.first.returncode == 0, nights.first.stderr[-3000:]
    reports = site_reports(nights.first)
    for site, report in reports.items():
        links = sum(report["crawl"]["list_links"].values())
        assert report["status"] == "ok", (site, report["reason"])
        assert report["reason"].startswith(f"first run: {report['new']} new, {links} article links on "), site
        assert report["new"] == len(nights.farm.truth(site)), site


def test_overnight_breakages_end_degraded_or_failed_with_their_reason_and_a_quiet_site_stays_ok(nights):
    assert nights.second.returncode == 1, nights.second.stderr[-3000:]
    reports = site_reports(nights.second)
    start = nights.farm.site("party_school").site.start_paths[0]
    before = site_reports(nights.first)["party_school"]["crawl"]["list_links"]
    links_before = next(count for url, count in before.items() if url.endswith(start))

    assert {site: (r["status"], r["reason"]) for site, r in reports.items() if site != "county_news"} == {
        "party_school": ("degraded", f"list page …{start}: 0 article links (previous run: {links_before}); "
                                     f"its title changed to {REDESIGN_TITLE}"),
        "university": ("failed", "every list page failed: http_403 ×1"),
        "city_portal": ("failed", "robots.txt refuses every list page (robots ×1)"),
    }
    quiet = reports["county_news"]
    assert quiet["status"] == "ok" and quiet["new"] == 0
    assert quiet["reason"].startswith("nothing new; ") and not quiet["reason"].endswith(" 0 article links")


def test_the_run_table_the_log_and_the_history_commands_say_it_in_words(nights):
    table = crawl([nights.configs["party_school"]], nights.env)  # a third night: still broken, still said
    assert table.returncode == 1
    header, row = table.stdout.splitlines()[-2:]
    assert header.split("\t")[:2] == ["site", "status"] and header.split("\t")[-1] == "reason"
    assert row.split("\t")[1] == "degraded" and REDESIGN_TITLE in row.split("\t")[-1]

    history = dangjian("health", "--site", "party_school", "--runs", "5", env=nights.env)
    assert history.returncode == 0, history.stderr
    statuses = [line.split("\t")[3] for line in history.stdout.splitlines()[1:]]
    assert statuses == ["ok", "degraded", "degraded"]
    as_json = json.loads(dangjian("health", "--json", "--runs", "2", env=nights.env).stdout)
    assert {run["site"] for run in as_json["runs"]} == set(OVERNIGHT)
    stats = json.loads(dangjian("stats", "--json", env=nights.env).stdout)
    assert {row["site"]: row["health"] for row in stats["sites"]} == {
        "party_school": "degraded", "university": "failed", "city_portal": "failed", "county_news": "ok"}
    recent = {row["site"]: row["health of the last runs (oldest first)"] for row in stats["health"]}
    assert recent["party_school"] == "ok degraded degraded" and recent["county_news"] == "ok ok"
    assert dangjian("health", "--site", "nowhere", env=nights.env).returncode == 2


def test_a_login_wall_of_stubs_and_article_pages_answering_500_are_degraded_on_a_first_run(tmp_path):
    env = private_env(tmp_path)
    with HealthFarm(sites=["party_school", "university"]) as farm:
        farm.breakage.update(party_school=LOGIN_WALL, university=ARTICLES_FAIL)
        configs = farm.write_site_configs(tmp_path / "sites")
        result = crawl(configs, env, "--json")

    assert result.returncode == 1, result.stderr[-3000:]
    reports = site_reports(result)
    articles = len(farm.truth("party_school"))
    wall = reports["party_school"]
    assert wall["status"] == "degraded"
    assert wall["reason"].startswith(f"{articles} of {articles} article pages are the same page: “{LOGIN_STUB}")
    failing = reports["university"]
    assert failing["status"] == "degraded"
    assert failing["reason"].endswith(f"article fetches failed (http_500 ×{failing['causes']['http_500']})")


def chromium() -> str:
    """The headless browser: Debian's chromium, installed with apt when missing and this is root with apt."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None and shutil.which("apt-get") and os.geteuid() == 0:
        subprocess.run("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium",
                       shell=True, capture_output=True, check=False, timeout=900)
        binary = shutil.which("chromium")
    if binary is None:
        pytest.skip("no chromium binary, and it could not be installed (needs root and apt-get: "
                    "`apt-get install chromium`): the report was NOT rendered in a browser")
    return binary


def test_the_report_renders_every_site_status_and_reason_in_a_headless_browser(nights, tmp_path):
    report = tmp_path / "report.html"
    written = dangjian("report", "-o", str(report), env=nights.env)
    assert written.returncode == 0, written.stderr
    browser = chromium()
    flags = ["--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([browser, *flags, "--dump-dom", report.as_uri()], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    screenshot = tmp_path / "report.png"  # kept under pytest's tmp dir for a person to look at
    subprocess.run([browser, *flags, f"--screenshot={screenshot}", "--window-size=1400,600", report.as_uri()],
                   capture_output=True, timeout=120, check=True)

    rows = lxml_html.fromstring(dom).xpath('//tr[@class="site"]')
    shown = {row.get("data-site"): (row.xpath('string(.//span[@class="status"])'),
                                    row.xpath('string(.//td[@class="reason"])')) for row in rows}
    latest = {site: (r["status"], r["reason"]) for site, r in site_reports(nights.second).items()}
    latest["party_school"] = ("degraded", latest["party_school"][1])
    assert {site: status for site, (status, _) in shown.items()} == {site: s for site, (s, _) in latest.items()}
    assert shown["university"][1] == "every list page failed: http_403 ×1"
    assert REDESIGN_TITLE in shown["party_school"][1]
    sparks = {row.get("data-site"): len(row.xpath(".//*[local-name()='svg']//*[local-name()='circle']"))
              for row in rows}
    assert sparks["county_news"] == 2 and sparks["party_school"] >= 2, "one dot per run"
    assert "dangjian sites check" in dom and "--list-page SAVED.html" in dom
    assert screenshot.stat().st_size > 0


def test_a_degraded_site_is_a_prefect_event_an_automation_turns_into_a_webhook_call(nights, webhook_receiver):
    from prefect.automations import Automation
    from prefect.blocks.webhook import Webhook
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName
    from prefect.events.actions import CallWebhook
    from prefect.events.schemas.automations import EventTrigger, Posture

    hook_url, bodies = webhook_receiver
    block_id = Webhook(url=hook_url, allow_private_urls=True).save(f"degraded-sites-{uuid.uuid4().hex[:8]}")
    Automation(
        name=f"tell someone when a site degrades {uuid.uuid4().hex[:8]}",
        trigger=EventTrigger(expect={"dangjian.site.degraded"}, match={"prefect.resource.id": "dangjian.site.*"},
                             posture=Posture.Reactive, threshold=1),
        actions=[CallWebhook(block_document_id=block_id, payload="{{ event.payload.site }}: {{ event.payload.reason }}")],
    ).create()

    result = crawl([nights.configs["party_school"]], nights.env, "--quiet")

    assert result.returncode == 1, result.stderr[-3000:]
    body = bodies.get(timeout=120)
    assert body.startswith("party_school: list page …") and body.endswith(f"its title changed to {REDESIGN_TITLE}")

    async def last_run():
        async with get_client() as client:
            runs = await client.read_flow_runs(flow_filter=FlowFilter(name=FlowFilterName(any_=["nightly-crawl"])))
            return max(runs, key=lambda run: run.start_time or run.expected_start_time)

    run = asyncio.run(last_run())
    assert run.state.is_failed() and run.state.message.startswith("party_school: degraded: list page …")
