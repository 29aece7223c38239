"""Fixtures every test room shares.

Tests that read ../shared (the user's sample files and the scored corpus) skip with a clear reason where
it is absent; everything else stands on fixtures this project writes itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.db import db_url, postgres_database  # noqa: F401  (database fixtures for every room)

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items) -> None:
    """Make `--dist loadgroup` (make test) honour the xdist_group marks again.

    pytest-xdist 3.8 tells its scheduler a test's group by appending "@group" to the test's id through
    `item._nodeid`; pytest 9.2 keeps the id in `item._id` (a NodeId), so that write is lost, every grouped
    test is scheduled on its own and a group's module fixture is built once per worker
    (pytest-dev/pytest-xdist#1386). This does the same rename through the structured id, only on xdist
    workers running loadgroup and only where xdist's own rename did not take."""
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import NodeId

    for item in items:
        groups = sorted({str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                         for mark in item.iter_markers("xdist_group")})
        suffix = "@" + "_".join(groups)
        if groups and not item.nodeid.endswith(suffix) and isinstance(getattr(item, "_id", None), NodeId):
            item._id = NodeId.parse(item.nodeid + suffix)


@pytest.fixture(scope="session")
def prefect_server():
    """A temporary local Prefect server for this worker's session (Prefect's own test harness): in-process
    flows run against it, and so do `dangjian` subprocesses given `prefect_api`."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def prefect_api(prefect_server) -> dict[str, str]:
    """Environment that points a `dangjian` subprocess at the session's Prefect server, so its flow runs do not
    start an embedded ephemeral server of their own first (a fresh SQLite database and its migrations: about
    8 s of CPU per command). For tests about something else; the embedded server a user gets without
    PREFECT_API_URL stays under test where it matters (the demo's two runs, interrupted crawls, serve, the
    hosts in network namespaces)."""
    from prefect.settings import PREFECT_API_URL

    return {"PREFECT_API_URL": PREFECT_API_URL.value()}


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "seeds").is_dir() or not (SHARED / "corpus").is_dir():
        pytest.skip(f"{SHARED} is absent: the sample files and corpus live beside the clone (CI has them)")
    return SHARED


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """A private DANGJIAN_DATA_DIR (and so a private SQLite DB, archive and Prefect home) for one test."""
    path = tmp_path / "data"
    monkeypatch.setenv("DANGJIAN_DATA_DIR", str(path))
    monkeypatch.delenv("DANGJIAN_DB_URL", raising=False)
    monkeypatch.delenv("DANGJIAN_ARCHIVE_URL", raising=False)
    return path
