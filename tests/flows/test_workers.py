"""Several machines: prefect.yaml deployed with the real `prefect deploy`, shards pulled by real `prefect worker`s.

Each worker is its own OS process polling the `dangjian` process work pool on a Prefect server, exactly as on
a crawler machine; each takes one shard (one site) and runs it in a child process that loads into one database.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from demo.server import FarmServer
from pipelines.store import Store

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
PREFECT = str(Path(sys.executable).parent / "prefect")
POOL = "dangjian"  # the work pool prefect.yaml names


@pytest.fixture
def machine_env(prefect_server, data_dir, tmp_path) -> dict[str, str]:
    """The environment of one crawler machine: the shared Prefect API, the checkout, the shared database."""
    from prefect.settings import PREFECT_API_URL

    return {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "DANGJIAN_HOME": str(REPO),
            "DANGJIAN_DATA_DIR": str(data_dir), "DANGJIAN_DB_URL": f"sqlite:///{data_dir / 'shared.db'}",
            "PREFECT_HOME": str(tmp_path / "prefect-home")}


def prefect(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    child = subprocess.run([PREFECT, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout)
    assert child.returncode == 0, f"prefect {' '.join(args)}:\n{child.stdout}\n{child.stderr}"
    return child


def flow_run_states(ids: list[str]) -> dict[str, str]:
    from prefect.client.orchestration import get_client

    async def read() -> dict[str, str]:
        async with get_client() as client:
            return {run_id: (await client.read_flow_run(run_id)).state.type.value for run_id in ids}

    return asyncio.run(read())


def test_workers_on_two_machines_split_the_shards_of_the_deployed_nightly_crawl(machine_env, tmp_path):
    with FarmServer(sites=["party_school", "county_news"]) as farm:
        shards = farm.write_site_configs(tmp_path / "sites")
        prefect(machine_env, "work-pool", "create", POOL, "--type", "process", "--overwrite")
        deployed = prefect(machine_env, "--no-prompt", "deploy", "--all").stdout
        assert all(name in deployed for name in ("nightly-crawl/nightly'", "nightly-crawl/nightly-sites", "backfill/backfill"))

        run_ids = []
        for shard in shards:
            started = prefect(machine_env, "deployment", "run", "nightly-crawl/nightly-sites",
                              "--param", f"config_paths={json.dumps([str(shard)])}").stdout
            run_ids.append(next(line.split()[-1] for line in started.splitlines() if "UUID:" in line))

        workers = [prefect(machine_env, "worker", "start", "--pool", POOL, "--run-once", "--limit", "1",
                           "--name", f"machine-{n}") for n in range(len(shards))]
        worker_logs = [worker.stdout + worker.stderr for worker in workers]

        assert flow_run_states(run_ids) == {run_id: "COMPLETED" for run_id in run_ids}
        taken = [{run_id for run_id in run_ids if run_id in log} for log in worker_logs]
        assert all(len(runs) == 1 for runs in taken) and taken[0] != taken[1], worker_logs
        store = Store(machine_env["DANGJIAN_DB_URL"])
        for site in farm.base_urls:
            assert store.known_urls(site) == {article.url for article in farm.truth(site)}


def test_a_retried_flow_run_keeps_its_frontier_run(prefect_server):
    from prefect import flow
    from prefect.runtime import flow_run

    from crawlers.run import frontier_run_id
    from crawlers.site_config import SiteConfig

    site = SiteConfig(name="s", start_urls=["http://127.0.0.1:1/"])
    seen = []

    @flow(retries=1, retry_delay_seconds=0)
    def night():
        seen.append(frontier_run_id(site, "nightly", at=flow_run.get_scheduled_start_time()))
        if len(seen) == 1:
            raise RuntimeError("first attempt fails")

    night()
    assert len(seen) == 2 and seen[0] == seen[1]
