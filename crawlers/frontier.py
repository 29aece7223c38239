"""A crawl frontier shared by several crawler processes through Redis (scrapy-redis's scheduler).

Every process crawling the same job (site, mode, run id) schedules into one request queue and one set of
request fingerprints in Redis: a URL any of them has scheduled is never scheduled again, and each queued
request is popped by exactly one process. Both outlive the processes: a rerun with the same run id carries
on with what a killed run left queued (this replaces the local JOBDIR for distributed runs).

What scrapy-redis leaves to a `RedisSpider` and this scheduler adds for our ordinary spider:
- a process whose queue runs dry stays while a peer is busy, since the peer may still find links; it waits
  on the queue in a thread (blocking pop), so it picks up new work at once, not on Scrapy's 5 s heartbeat;
- the job is finished when the queue is empty and no process is busy; the keys then expire after
  `FRONTIER_TTL_SECONDS`, so a process arriving late finds every URL seen and closes without fetching;
  a job that finished without any list page answering (the site was down) is deleted instead, so a retry
  starts over rather than finding its start URLs seen;
- the number of list pages the whole job fetched, so a process that fetched none is not a failed crawl.
Requests are pickled (scrapy-redis's default serializer): the Redis server must be trusted.
"""

from __future__ import annotations

import os
import socket
import time
from collections import deque

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy_redis.scheduler import Scheduler
from twisted.internet.threads import deferToThread

KEY_ROOT = "dangjian:frontier"
FRONTIER_TTL_SECONDS = 7 * 24 * 3600  # an unfinished job can be resumed this long after its last process left
BUSY_STALE_SECONDS = 120  # a peer not heard from this long (killed, or one very slow download) is not waited for
CLAIM_WAIT_SECONDS = 2.0  # one blocking pop of an idle process; then Scrapy's idle check runs again
QUIET_SECONDS = 2.0  # no work and no busy peer for this long (two looks at least) finishes the job
CLAIMED = "dangjian_frontier_claimed"
JOB_LIST_PAGES_STAT = "dangjian/frontier/job_list_pages"


def job_key(site: str, mode: str, run: str) -> str:
    return f"{KEY_ROOT}:{site}:{mode}:{run}"


def frontier_settings(url: str, job: str) -> dict:
    """Scrapy settings that make a crawl use the shared frontier of `job` on the Redis server at `url`."""
    return {
        "SCHEDULER": "crawlers.frontier.SharedScheduler",
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_KEY": f"{job}:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{job}:seen",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "REDIS_URL": url,
        "DANGJIAN_FRONTIER_JOB": job,
    }


class SharedScheduler(Scheduler):
    """scrapy-redis's scheduler, plus: stay while peers work, end the job together, count the job's list pages."""

    @classmethod
    def from_crawler(cls, crawler):
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        scheduler.job = crawler.settings["DANGJIAN_FRONTIER_JOB"]
        scheduler.worker = f"{socket.gethostname()}:{os.getpid()}"
        scheduler.claimed = deque()
        scheduler.claiming = False
        scheduler.job_finished = False
        scheduler.quiet_since = None  # when this process first found no work and no busy peer
        scheduler.closed = False
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(scheduler.response_received, signal=signals.response_received)
        return scheduler

    @property
    def workers_key(self) -> str:
        return f"{self.job}:workers"

    @property
    def list_pages_key(self) -> str:
        return f"{self.job}:list_pages"

    def enqueue_request(self, request) -> bool:
        if request.meta.pop(CLAIMED, False):  # popped from the shared queue already: it is ours to fetch
            self.claimed.append(request)
            return True
        return super().enqueue_request(request)

    def next_request(self):
        request = self.claimed.popleft() if self.claimed else super().next_request()
        if request is not None:
            self._mark_busy()
        return request

    def has_pending_requests(self) -> bool:
        return bool(self.claimed) or super().has_pending_requests()

    def response_received(self, response, request, spider) -> None:
        if request.meta.get("kind") == "list" and response.status < 400:  # 200 or 304: the site answered
            self.server.incr(self.list_pages_key)

    def spider_idle(self, spider) -> None:
        """Nothing in flight here: wait for work while the queue has some or a peer may still add some. The job
        is finished only when it has looked so for QUIET_SECONDS: a peer that has just popped a request has
        not yet marked itself busy, and one look between the two would end this process early."""
        self.server.zrem(self.workers_key, self.worker)
        if self.claiming:
            raise DontCloseSpider
        if len(self.queue) or self._busy_peers():
            self.quiet_since = None
        elif self.quiet_since is None:
            self.quiet_since = time.monotonic()
        elif time.monotonic() - self.quiet_since >= QUIET_SECONDS:
            self.job_finished = True
            return
        self._claim_in_background()
        raise DontCloseSpider

    def close(self, reason):
        self.closed = True
        while self.claimed:  # claimed but never fetched: back to the queue for a peer or a rerun
            self.queue.push(self.claimed.popleft())
        self.server.zrem(self.workers_key, self.worker)
        list_pages = int(self.server.get(self.list_pages_key) or 0)
        self.stats.set_value(JOB_LIST_PAGES_STAT, list_pages)
        self.stats.set_value("dangjian/frontier/job_finished", self.job_finished)
        keys = (self.queue.key, self.df.key, self.workers_key, self.list_pages_key)
        if self.job_finished and not list_pages:
            self.server.delete(*keys)
        else:
            for key in keys:
                self.server.expire(key, FRONTIER_TTL_SECONDS)
        return super().close(reason)

    def _mark_busy(self) -> None:
        self.server.zadd(self.workers_key, {self.worker: time.time()})

    def _busy_peers(self) -> int:
        return self.server.zcount(self.workers_key, time.time() - BUSY_STALE_SECONDS, "+inf")

    def _claim_in_background(self) -> None:
        self.claiming = True
        claim = deferToThread(self._claim)
        claim.addCallback(self._schedule_claimed)
        claim.addBoth(self._claim_done)

    def _claim(self):
        """Runs in a thread: a blocking pop, so new work is picked up the moment a peer queues it."""
        popped = self.server.bzpopmin(self.queue.key, timeout=CLAIM_WAIT_SECONDS)
        if not popped:
            return None
        self._mark_busy()
        return self.queue._decode_request(popped[1])

    def _schedule_claimed(self, request) -> None:
        if request is None:
            return
        if self.closed:
            self.queue.push(request)
            return
        request.meta[CLAIMED] = True
        self.crawler.engine.crawl(request)

    def _claim_done(self, result):
        self.claiming = False
        return result
