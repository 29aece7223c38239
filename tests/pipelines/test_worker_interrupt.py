"""Ctrl-C at a terminal reaches every process of the group: the extraction workers must leave the decision
to the flow (flows/interrupt.py), which finishes the batch in hand."""

from __future__ import annotations

import os
import signal
import time

from pipelines import ingest
from pipelines.records import FetchedPage

PAGE = ("<html><head><title>支部活动</title></head><body><h1>支部开展主题党日活动</h1><p>"
        + "本周，党支部组织全体党员开展主题党日活动，重温入党誓词，交流学习体会。" * 6 + "</p></body></html>")


def worker_pid(_: int) -> int:
    time.sleep(0.2)  # long enough that both workers take one
    return os.getpid()


def test_workers_outlive_a_ctrl_c_and_finish_the_batch():
    pool = ingest._worker_pool(2)
    try:
        pids = set(pool.map(worker_pid, range(4)))
        for pid in pids:
            os.kill(pid, signal.SIGINT)
        time.sleep(0.5)  # a worker that does not ignore it dies now, and the pool with it
        jobs = [ingest.Job(FetchedPage(url=f"http://a.test/{n}", body=PAGE.encode())) for n in range(4)]
        results = list(pool.map(ingest.extract_one, jobs, ["Asia/Shanghai"] * 4, [None] * 4))
        assert [article.title for article, errors in results] == ["支部开展主题党日活动"] * 4
    finally:
        pool.shutdown()
