"""The nightly deployment registers with the configured cron schedule (without waiting for 02:00)."""

from __future__ import annotations

import asyncio

import pytest

pytestmark = pytest.mark.slow


def test_nightly_deployment_is_registered_on_the_configured_schedule(prefect_server):
    from prefect.client.orchestration import get_client

    from flows.schedule import DEPLOYMENT_NAME, nightly_deployment

    deployment_id = nightly_deployment().apply()

    async def read():
        async with get_client() as client:
            return await client.read_deployment(deployment_id)

    deployment = asyncio.run(read())
    assert deployment.name == DEPLOYMENT_NAME
    [schedule] = deployment.schedules
    assert schedule.schedule.cron == "0 2 * * *"
    assert schedule.schedule.timezone == "Asia/Shanghai"
    assert schedule.active
