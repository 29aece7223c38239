"""Which site config files a command or flow works on (no Prefect import: the CLI validates before starting it)."""

from __future__ import annotations

from pathlib import Path

from crawlers.site_config import load_site_config
from pipelines import config


def enabled_site_paths() -> list[Path]:
    """Every enabled site config in config/sites/, by file name."""
    return [path for path in sorted(config.sites_dir().glob("*.yaml")) if load_site_config(path).enabled]
