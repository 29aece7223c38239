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
from typing import Any, TypeVar
from urllib.parse import urlsplit
from urllib.request import url2pathname
from zoneinfo import available_timezones

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

FRONTIER_SCHEMES = ("redis", "rediss", "unix")
Model = TypeVar("Model", bound=BaseModel)

REPO_CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"


class ConfigError(ValueError):
    """A configuration file is missing or malformed; the message names the file and the key."""


def data_dir() -> Path:
    path = _data_path()
    path.mkdir(parents=True, exist_ok=True)
    return path


def _data_path() -> Path:
    return Path(os.environ.get("DANGJIAN_DATA_DIR", "data")).resolve()


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


def local_archive_root() -> Path | None:
    """The archive's directory when the archive is local, else None; unlike `archive_dir()` it creates nothing,
    so recording an archive_ref (relative to it) touches no disk."""
    location = _configured_archive()
    if isinstance(location, str):
        return None
    return location or _data_path() / "archive"


def _configured_archive() -> Path | str | None:
    """`DANGJIAN_ARCHIVE_URL`, else `archive: url:` in settings.yaml: a local Path, a remote URL, or None."""
    configured = os.environ.get("DANGJIAN_ARCHIVE_URL") or settings().archive.url
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


def describe_validation_error(exc: ValidationError) -> str:
    """pydantic's errors as `key: message` pairs, in the words a YAML author uses."""
    lines = []
    for error in exc.errors():
        key = ".".join(str(part) for part in error["loc"]) or "(top level)"
        message = {"missing": "field required", "extra_forbidden": "unknown key"}.get(error["type"], error["msg"])
        lines.append(f"{key}: {message}")
    return "; ".join(lines)


def load_model(model: type[Model], path: Path, *, empty_ok: bool = False) -> Model:
    """The YAML mapping at `path` validated as `model`; every problem is a ConfigError naming the file and key."""
    data = load_yaml(Path(path))
    if data is None and empty_ok:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of keys, got {type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {describe_validation_error(exc)}") from exc


def check_frontier_url(url: str | None) -> str | None:
    if url is not None and urlsplit(url).scheme not in FRONTIER_SCHEMES:
        raise ValueError(f"not a Redis URL (redis://host:port/db): {url!r}")
    return url


def check_timezone(zone: str | None) -> str | None:
    if zone is not None and zone not in available_timezones():
        raise ValueError(f"unknown time zone {zone!r}")
    return zone


class _Section(BaseModel):
    """A block of settings.yaml: unknown keys are typos, and a block left empty (`archive:`) means defaults."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ScheduleSettings(_Section):
    cron: str = "0 2 * * *"
    timezone: str | None = None  # None: the pipeline's `timezone`

    _known_zone = field_validator("timezone")(check_timezone)


class FlowSettings(_Section):
    concurrency: int = Field(default=2, ge=1, le=64)  # sites crawled at once
    crawl_retries: int = Field(default=1, ge=0)
    crawl_retry_delay_seconds: float = Field(default=60, ge=0)  # doubles with each retry
    crawl_timeout_seconds: float = Field(default=3600, gt=0)
    extract_workers: int = Field(default=0, ge=0)  # processes extracting one site's pages; 0: one per core

    @property
    def extraction_processes(self) -> int:
        return self.extract_workers or os.cpu_count() or 1


class CrawlSettings(_Section):
    frontier: str | None = None  # a Redis URL shared by every crawl; absent: each crawl schedules locally

    _redis_url = field_validator("frontier")(check_frontier_url)


class HealthSettings(_Section):
    """How a site's run is judged (pipelines/health.py); a site's `health:` block overrides any of them."""

    history_runs: int = Field(default=5, ge=1)  # earlier healthy runs a list page's article links are compared with
    min_article_pages: int = Field(default=3, ge=1)  # fewer article pages in a run are too few to judge shares
    stub_share: float = Field(default=0.5, gt=0, le=1)  # this share of empty or identical article pages: degraded
    failed_fetch_share: float = Field(default=0.5, gt=0, le=1)  # this share of article fetches failing: degraded
    stale_factor: float = Field(default=3.0, ge=1)  # stale after this many times the usual gap between new articles
    stale_min_days: float = Field(default=3.0, ge=0)  # ... and never sooner than this
    stale_min_samples: int = Field(default=3, ge=2)  # runs with new articles needed before the usual gap is known
    window_runs: int = Field(default=60, ge=1)  # earlier runs read to learn the usual gap


class ArchiveSettings(_Section):
    url: str | None = None  # a path or fsspec URL; absent: <data dir>/archive


class Settings(_Section):
    timezone: str = "Asia/Shanghai"  # how dates are shown and days are cut (runs at 23:59 vs 00:01)
    schedule: ScheduleSettings = ScheduleSettings()
    flows: FlowSettings = FlowSettings()
    crawl: CrawlSettings = CrawlSettings()
    archive: ArchiveSettings = ArchiveSettings()
    health: HealthSettings = HealthSettings()

    _known_zone = field_validator("timezone")(check_timezone)

    @field_validator("schedule", "flows", "crawl", "archive", "health", mode="before")
    @classmethod
    def _empty_block_is_defaults(cls, value: Any) -> Any:
        return {} if value is None else value

    @property
    def schedule_timezone(self) -> str:
        return self.schedule.timezone or self.timezone


@cache
def settings() -> Settings:
    """Pipeline-wide settings from config/settings.yaml, validated once per process."""
    return load_model(Settings, config_dir() / "settings.yaml", empty_ok=True)
