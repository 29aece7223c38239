"""A database the CLI or a flow cannot use, in the words of the command that met it.

The store's message names the URL (password hidden) and the cause; only a command that fetched pages adds
that they wait in the raw archive (ARCHIVE_HINT), every other one says what it did not do.
"""

from __future__ import annotations

ARCHIVE_HINT = "the pages fetched stay in the raw archive: `dangjian reprocess` loads them once it is back"


def unavailable(exc: Exception) -> str:
    """`<url, password hidden>: <the cause>`, as the store worded it, for the command to complete."""
    return str(exc)
