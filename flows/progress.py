"""Progress of long runs for a person watching: one line per site, its stage, and a bar while pages load.

The flows report through `report(...)`; nothing is shown unless the CLI installs a display with `shown()`
(never in scripts: --quiet/--json, or when stdout is not a terminal). Sites run in threads of one process,
so a module-level display sees them all.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

_display = None
_lock = threading.Lock()


def report(site: str, stage: str, *, done: int | None = None, total: int | None = None) -> None:
    if _display is not None:
        _display.update(site, stage, done=done, total=total)


class _RichDisplay:
    def __init__(self, progress):
        self.progress = progress
        self.tasks: dict[str, int] = {}

    def update(self, site: str, stage: str, *, done: int | None, total: int | None) -> None:
        with _lock:
            if site not in self.tasks:
                self.tasks[site] = self.progress.add_task(site, total=None, stage=stage)
            self.progress.update(self.tasks[site], stage=stage, completed=done or 0, total=total)


@contextmanager
def shown(enabled: bool) -> Iterator[None]:
    global _display
    if not enabled:
        yield
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(SpinnerColumn(), TextColumn("[bold]{task.description:<16}"), TextColumn("{task.fields[stage]:<24}"),
                  BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()) as progress:
        _display = _RichDisplay(progress)
        try:
            yield
        finally:
            _display = None
