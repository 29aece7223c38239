"""The nightly deployment: schedule, retries and concurrency come from config/settings.yaml, not code."""

from __future__ import annotations

from prefect.schedules import Cron

from flows.nightly import flow_settings, nightly_crawl, with_configured_runner
from pipelines import config

DEPLOYMENT_NAME = "dangjian-nightly"


def schedule_settings() -> dict:
    defaults = {"cron": "0 2 * * *", "timezone": config.settings().get("timezone", "Asia/Shanghai")}
    return defaults | (config.settings().get("schedule") or {})


def nightly_deployment():
    """A RunnerDeployment of the nightly crawl over every enabled site, on the configured cron schedule."""
    schedule = schedule_settings()
    return with_configured_runner(nightly_crawl).to_deployment(
        name=DEPLOYMENT_NAME,
        schedules=[Cron(schedule["cron"], timezone=schedule["timezone"])],
        concurrency_limit=1,  # never two nightly runs over the same sites at once
        description=f"Nightly crawl of every enabled site (concurrency {flow_settings()['concurrency']})",
        tags=["dangjian", "nightly"],
    )
