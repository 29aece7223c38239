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
