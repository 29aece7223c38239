"""The nightly deployment: schedule, retries and concurrency come from config/settings.yaml, not code."""

from __future__ import annotations

from prefect.schedules import Cron

from flows.nightly import flow_settings, nightly_crawl, with_configured_runner
from pipelines import config

DEPLOYMENT_NAME = "dangjian-nightly"


def nightly_schedule() -> Cron:
    """The cron schedule of config/settings.yaml, in its time zone; a malformed cron line is a ConfigError."""
    settings = config.settings()
    try:
        return Cron(settings.schedule.cron, timezone=settings.schedule_timezone)
    except ValueError as exc:
        raise config.ConfigError(f"{config.config_dir() / 'settings.yaml'}: schedule.cron: {exc}") from exc


def nightly_deployment():
    """A RunnerDeployment of the nightly crawl over every enabled site, on the configured cron schedule."""
    return with_configured_runner(nightly_crawl).to_deployment(
        name=DEPLOYMENT_NAME,
        schedules=[nightly_schedule()],
        concurrency_limit=1,  # never two nightly runs over the same sites at once
        description=f"Nightly crawl of every enabled site (concurrency {flow_settings().concurrency})",
        tags=["dangjian", "nightly"],
    )
