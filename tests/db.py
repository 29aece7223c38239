"""Database fixtures: the same store tests run on a SQLite file and on PostgreSQL.

PostgreSQL is the server on 127.0.0.1:5432 (trust auth). Each test session (each xdist worker) creates its
own throwaway database, empties it between tests and drops it at the end. A stopped server is started with
pg_ctlcluster; the PostgreSQL variants skip, loudly, only where no PostgreSQL is installed at all.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from pipelines.models import Base

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
PG_CLUSTERS = Path("/etc/postgresql")


def _server_answers() -> bool:
    engine = create_engine(f"{PG_SERVER}/test", connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return True
    except Exception:
        return False
    finally:
        engine.dispose()


def _start_server() -> None:
    if not PG_CLUSTERS.is_dir() or not shutil.which("pg_ctlcluster"):
        pytest.skip(f"PostgreSQL is not installed here ({PG_CLUSTERS} / pg_ctlcluster missing): "
                    "the PostgreSQL variants of the store tests did NOT run")
    for version in sorted(os.listdir(PG_CLUSTERS)):
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
                       capture_output=True, check=False)
    for _ in range(30):
        if _server_answers():
            return
        time.sleep(0.5)
    pytest.fail("PostgreSQL is installed but did not start on 127.0.0.1:5432 (see pg_lsclusters)")


@pytest.fixture(scope="session")
def postgres_database(worker_id: str) -> str:
    if not _server_answers():
        _start_server()
    name = f"dangjian_test_{worker_id}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(f"{PG_SERVER}/test", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield f"{PG_SERVER}/{name}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _empty_postgres(url: str) -> None:
    engine = create_engine(url)
    tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        if connection.execute(text("SELECT to_regclass('articles')")).scalar():
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path) -> str:
    """An empty database: a fresh SQLite file, or the session's PostgreSQL database emptied."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    url = request.getfixturevalue("postgres_database")
    _empty_postgres(url)
    return url
