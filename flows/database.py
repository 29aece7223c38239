"""A database the CLI or a flow cannot use, in the words of the command that met it.

The store's own message ends with a hint that fetched pages wait in the raw archive; that is only true where
a crawl fetched pages, so the commands say what the problem is and add the hint only there.
"""

from __future__ import annotations

from sqlalchemy.engine import make_url

from pipelines import config

ARCHIVE_HINT = "the pages fetched stay in the raw archive: `dangjian reprocess` loads them once it is back"


def unavailable(exc: Exception) -> str:
    """`<url, password hidden>: the database cannot be reached (<the driver's reason>)`."""
    cause = getattr(exc.__cause__, "orig", None) or exc.__cause__ or exc
    reason = str(cause).strip().splitlines()[0]
    return f"{make_url(config.db_url()).render_as_string(hide_password=True)}: the database cannot be reached ({reason})"
