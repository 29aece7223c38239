"""Which site config files a command or flow works on (no Prefect import: the CLI validates before starting it)."""

from __future__ import annotations

from pathlib import Path

from crawlers.site_config import load_distinct_site_configs
from pipelines import config


def enabled_site_paths() -> list[Path]:
    """Every enabled site config in config/sites/, by file name; two files claiming one name are refused."""
    return [path for site, path in load_distinct_site_configs(sorted(config.sites_dir().glob("*.yaml")))
            if site.enabled]


def configured_site_names() -> list[str]:
    """What `--site NAME` accepts: the file names of config/sites/*.yaml, without the suffix."""
    return sorted(path.stem for path in config.sites_dir().glob("*.yaml"))
