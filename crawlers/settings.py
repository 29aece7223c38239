"""Scrapy settings shared by every site; `crawlers.run.site_settings` adds the per-site values.

Polite by default: robots.txt obeyed, AutoThrottle on, few requests per host, retries back off.
"""

import os

# A crawl connects to its site and nowhere else. Scrapy's cookie middleware asks tldextract (built when the
# middleware is loaded, after these settings) whether a cookie's domain is public; with no suffix-list URLs it
# reads the list bundled with tldextract instead of fetching publicsuffix.org on a machine with no cached copy.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

BOT_NAME = "dangjian"
SPIDER_MODULES = ["crawlers.spiders"]
USER_AGENT = "dangjian/0.1 (party-building news archive; polite crawler)"

ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
CONCURRENT_REQUESTS = 8

RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_BACKOFF_BASE = 1.0  # seconds before the first retry; doubles per attempt
RETRY_BACKOFF_MAX = 30.0

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "crawlers.middlewares.SiteOffsiteMiddleware": 50,
    "crawlers.middlewares.ArchiveReplayMiddleware": 60,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawlers.middlewares.RobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawlers.middlewares.BackoffRetryMiddleware": 550,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "crawlers.middlewares.CappedCompressionMiddleware": 590,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawlers.middlewares.LoopSafeRedirectMiddleware": 600,
    # after redirects and decompression on the way out, so first on the way back: it sees the 3xx and the
    # gzip bytes as received
    "crawlers.middlewares.ArchiveMiddleware": 610,
}

# Depth is bounded by max_list_pages, max_pages and the trap rules, not by DEPTH_LIMIT (a deep backfill is
# a long chain of list pages). Redirects are checked for offsite like every other request.
REDIRECT_MAX_TIMES = 5
# Scrapy starts this many tasks per callback result; the default (100) cost 218 000 create_task calls on a
# 2 000-page crawl whose callbacks yield a handful of requests each (benchmarks/crawl.py: 222 -> 308 pages/s).
CONCURRENT_ITEMS = 4
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
