"""Where state lives and how rule files are read: the one place that knows paths and environment variables.

All state (SQLite DB, raw archive, Prefect home, logs) lives under one data directory, `DANGJIAN_DATA_DIR`
(default `./data`); `DANGJIAN_DB_URL` overrides only the database and `DANGJIAN_ARCHIVE_URL` (or `archive: url:`
in config/settings.yaml) only the raw archive. Rules are YAML under `config/`
(`DANGJIAN_CONFIG_DIR` overrides it), read once per process.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import yaml

REPO_CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"


class ConfigError(ValueError):
    """A configuration file is missing or malformed; the message names the file and the key."""


def data_dir() -> Path:
    path = Path(os.environ.get("DANGJIAN_DATA_DIR", "data")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def db_url() -> str:
    return os.environ.get("DANGJIAN_DB_URL") or f"sqlite:///{data_dir() / 'dangjian.db'}"


def archive_url() -> str:
    """Where the raw archive lives: the remote store's URL, else the local directory `archive_dir()`."""
    return remote_archive_url() or str(archive_dir())


def remote_archive_url() -> str | None:
    """The archive's fsspec URL (s3://bucket/prefix, memory://…) when it lives in a remote store, else None."""
    location = _configured_archive()
    return location if isinstance(location, str) else None


def archive_dir() -> Path:
    """The local directory crawls write their WARC files to: the archive itself when it is local (default
    `<data dir>/archive`; a configured path or file:// URL, e.g. an NFS mount every worker shares), else the
    remote archive's spool `<data dir>/archive`, from which finished files are uploaded."""
    location = _configured_archive()
    path = location if isinstance(location, Path) else data_dir() / "archive"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _configured_archive() -> Path | str | None:
    """`DANGJIAN_ARCHIVE_URL`, else `archive: url:` in settings.yaml: a local Path, a remote URL, or None."""
    configured = os.environ.get("DANGJIAN_ARCHIVE_URL") or (settings().get("archive") or {}).get("url")
    if not configured:
        return None
    parts = urlsplit(configured)
    if parts.scheme == "file":
        return Path(url2pathname(parts.path)).resolve()
    if "://" in configured:
        return configured.rstrip("/")
    return Path(configured).expanduser().resolve()


def config_dir() -> Path:
    return Path(os.environ.get("DANGJIAN_CONFIG_DIR", REPO_CONFIG_DIR)).resolve()


def sites_dir() -> Path:
    return config_dir() / "sites"


def load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: file not found") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc


@cache
def rules(name: str) -> Any:
    """A rule file from config/rules/<name>.yaml, parsed once per process."""
    return load_yaml(config_dir() / "rules" / f"{name}.yaml")


@cache
def settings() -> dict[str, Any]:
    """Pipeline-wide settings from config/settings.yaml (schedule, thresholds, limits)."""
    return load_yaml(config_dir() / "settings.yaml") or {}
