"""A site is a few lines of YAML: `name` and `start_urls` (its column/list pages) are all it needs.

Everything else is optional; when absent the spider falls back on the CMS conventions in
`config/rules/cms.yaml` and on the defaults below. Errors name the file and the key.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pipelines.config import (
    ConfigError,
    HealthSettings,
    check_frontier_url,
    check_timezone,
    load_model,
    settings,
)
from pipelines.site_rules import SiteRules


class SiteConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    start_urls: list[str] = Field(min_length=1)
    enabled: bool = True
    # Hosts the crawl may touch; "host" allows the host and its subdomains on the default port,
    # "host:port" exactly that host and port. Default: the start URLs' host:port.
    allowed_domains: list[str] | None = None
    article_url_pattern: str | None = None  # regex searched in absolute URLs; replaces the CMS conventions
    list_url_pattern: str | None = None  # regex for pagination URLs; added to the CMS conventions
    encoding: str | None = None  # forces the decoding used for link extraction (the archive stays raw)
    timezone: str = "Asia/Shanghai"
    max_list_pages: int | None = Field(default=None, ge=1)  # per start URL; None: the crawl limit below
    # A start URL that is the site's home page leads to this many of its news columns (0: only the page itself).
    max_columns: int = Field(default=5, ge=0)
    cutoff_days: int | None = Field(default=None, ge=1)  # nightly stops paging past list dates this old
    download_delay: float = Field(default=1.0, ge=0)
    concurrency: int = Field(default=2, ge=1, le=16)
    max_pages: int = Field(default=5000, ge=1)  # responses per crawl run, a last-resort trap guard
    max_response_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    download_timeout: float = Field(default=30.0, gt=0)
    user_agent: str | None = None
    # Shared crawl frontier (redis://host:port/db) so several processes split this site; overrides the
    # pipeline-wide `crawl.frontier` in config/settings.yaml. Absent: the crawl schedules locally.
    frontier: str | None = None
    # Health thresholds for this site (any key of config/settings.yaml's `health:` block), e.g. a column that
    # is often empty for weeks: `health: {stale_factor: 10}`. Only the keys given override the pipeline's.
    health: HealthSettings = HealthSettings()
    # This site's own extraction rules, which win where they match: CSS/XPath for body, title, date, author and
    # extra chrome lines to drop (pipelines/site_rules.py), e.g. `extract: {body: div.TRS_Editor}`.
    extract: SiteRules | None = None

    @property
    def health_settings(self) -> HealthSettings:
        return settings().health.model_copy(update=self.health.model_dump(exclude_unset=True))

    @field_validator("start_urls")
    @classmethod
    def _absolute_http_urls(cls, urls: list[str]) -> list[str]:
        for url in urls:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"not an absolute http(s) URL: {url!r}")
        return urls

    @field_validator("article_url_pattern", "list_url_pattern")
    @classmethod
    def _compiles(cls, pattern: str | None) -> str | None:
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"not a valid regular expression: {exc}") from exc
        return pattern

    _redis_url = field_validator("frontier")(check_frontier_url)

    _known_zone = field_validator("timezone")(check_timezone)

    @field_validator("encoding")
    @classmethod
    def _known_codec(cls, encoding: str | None) -> str | None:
        if encoding is not None:
            try:
                codecs.lookup(encoding)
            except LookupError as exc:
                raise ValueError(f"unknown encoding {encoding!r}") from exc
        return encoding


def load_site_config(path: Path) -> SiteConfig:
    return load_model(SiteConfig, path)


def load_distinct_site_configs(paths: Iterable[Path]) -> list[tuple[SiteConfig, Path]]:
    """The configs at `paths` (each file once), in order. Two files may not claim one name: they would share
    one job directory, one crawl state and one `sites` row; the error names both files."""
    loaded = [(load_site_config(path), path) for path in dict.fromkeys(Path(path).resolve() for path in paths)]
    files: dict[str, list[str]] = {}
    for config, path in loaded:
        files.setdefault(config.name, []).append(str(path))
    clashes = [f"{name} ({', '.join(claimed)})" for name, claimed in sorted(files.items()) if len(claimed) > 1]
    if clashes:
        raise ConfigError(f"name: used by more than one file: {'; '.join(clashes)}")
    return loaded


def load_site_configs(directory: Path) -> list[SiteConfig]:
    """Every *.yaml in `directory`, sorted by site name; two files may not claim one name."""
    configs = [config for config, _ in load_distinct_site_configs(sorted(Path(directory).glob("*.yaml")))]
    return sorted(configs, key=lambda config: config.name)

