"""Stopping a run on SIGINT or SIGTERM: what runs ends cleanly, nothing new starts, the CLI exits 128 + signal.

The first signal only sets a flag the flows check: a crawl that is running gets the signal too and closes
itself the way Scrapy does on Ctrl-C (its crawl state is saved and its job directory kept, so the next run
resumes), sites not started yet are skipped, and loading stops after the batch in hand. A second signal
interrupts at once, as Python does by default.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SIGNALS = (signal.SIGINT, signal.SIGTERM)
CRAWL_MODULE = b"crawlers.run"

_received: int | None = None


def received() -> int | None:
    """The signal that asked this process to stop, if one did."""
    return _received


def exit_code() -> int:
    return 128 + _received if _received else 0


def signal_name() -> str:
    return signal.Signals(_received).name if _received else ""


class Interrupted(Exception):
    """Raised where work can stop between two steps once a stop was asked for."""


def check() -> None:
    if _received is not None:
        raise Interrupted(signal_name())


@contextmanager
def handled() -> Iterator[None]:
    """Signals set the flag while the block runs (only the main thread may take signals; elsewhere a no-op)."""
    global _received
    _received = None
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.getsignal(signum) for signum in SIGNALS}
    for signum in SIGNALS:
        signal.signal(signum, _on_signal)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def exit_on_sigterm() -> None:
    """Until a flow takes signals over: SIGTERM exits through Python (exit 143), so atexit still stops the
    ephemeral Prefect server instead of orphaning it (and the pipes it holds)."""
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def start_prefect_server_shielded() -> None:
    """Start Prefect's local ephemeral server (when no PREFECT_API_URL is set) with SIGINT blocked, as the
    blocked mask is inherited: Ctrl-C reaches the whole process group, and a server that died of it would
    leave the interrupted run unable to record its state (a flood of connection errors instead)."""
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL

    if PREFECT_API_URL.value():
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        SubprocessASGIServer().start()  # the instance Prefect's clients use: they find it running
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def quiet_orphaned_event_loops() -> None:
    """Prefect 3.8's runner leaves its event loop, with signal handlers on it, to the garbage collector; when
    a thread other than the main one collects it after a stop, closing it raises inside `__del__` (signal
    handlers can only be removed from the main thread) and Python prints that traceback at exit. The loop is
    finished with by then: that one report is dropped, every other unraisable exception still shows."""
    default = sys.unraisablehook

    def hook(unraisable) -> None:
        if getattr(unraisable.object, "__qualname__", "") != "BaseEventLoop.__del__":
            default(unraisable)

    sys.unraisablehook = hook


def _on_signal(signum: int, frame) -> None:
    global _received
    if _received is not None:
        raise KeyboardInterrupt
    _received = signum
    # Ctrl-C reaches the whole foreground process group, crawls included; a SIGTERM (systemd's KillMode=mixed,
    # `kill`) reaches only this process, and a crawl that got it twice would stop without closing cleanly.
    if signum == signal.SIGTERM:
        for pid in _crawl_children():
            os.kill(pid, signal.SIGTERM)


def _crawl_children() -> list[int]:
    """The crawl processes (`python -m crawlers.run`) this process started, from /proc."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rpartition(")")[2].split()[1])
            command = (stat.parent / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue  # exited meanwhile
        if parent == os.getpid() and CRAWL_MODULE in command.split(b"\0"):
            children.append(int(stat.parent.name))
    return children
