"""`dangjian serve` exits without a traceback when Prefect's runner leaves its event loop (signal handlers
on it) to be collected by another thread: the report of that one finalizer is dropped, others still show."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ORPHAN = """
import asyncio, gc, signal, sys, threading
if sys.argv[1] == "quiet":
    from flows import interrupt
    interrupt.quiet_orphaned_event_loops()
loops = [asyncio.new_event_loop()]
loops[0].add_signal_handler(signal.SIGUSR1, lambda: None)
def collect():
    loops.clear()
    gc.collect()
thread = threading.Thread(target=collect)
thread.start()
thread.join()
class Broken:
    def __del__(self):
        raise RuntimeError("another finalizer's failure")
Broken()
"""


def run(mode: str) -> str:
    return subprocess.run([sys.executable, "-c", ORPHAN, mode], capture_output=True, text=True, cwd=REPO,
                          check=True).stderr


def test_an_orphaned_event_loop_is_collected_quietly_and_other_finalizers_still_report():
    assert "BaseEventLoop.__del__" in run("loud")
    quiet = run("quiet")
    assert "BaseEventLoop.__del__" not in quiet and "signal only works in main thread" not in quiet
    assert "another finalizer's failure" in quiet
