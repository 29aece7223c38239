"""Site health: what one run of one site showed (its signals), and the judgement of it against the site's own
recent runs: `ok`, `stale` (a warning), `degraded` or `failed`, each with a one-line reason an operator acts on.

Plain functions over plain records: the flows build `Signals` from a run's report, the store keeps them with
the run (`crawl_runs.health_signals`), and `judge` reads tonight's signals beside earlier runs' `RunRecord`s.
The thresholds are `config/settings.yaml`'s `health:` block, overridable per site (`health:` in its YAML).

- failed: no list page could be fetched (refused, 4xx/5xx, robots.txt, redirected off the site), or the crawl
  broke off;
- degraded: a list page that showed article links on the site's recent healthy runs shows none; no list page
  shows any article link at all; most article pages fetched are empty or the same page (a login or error stub
  repeated across URLs); most article fetches failed; some list pages failed;
- stale: nothing new for much longer than the site's usual gap between new articles;
- ok: anything else. A night with nothing new whose list pages still show their links is quiet, not broken.
The first run of a site has no history, so only the absolute signals apply to it.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from statistics import median
from urllib.parse import urlsplit

from pipelines.config import HealthSettings
from pipelines.records import Article

STATUSES = ("ok", "stale", "degraded", "failed")  # mildest first
HEALTHY = frozenset({"ok", "stale"})  # a stale site is a warning: the run still succeeds
SITEMAPS = "sitemaps"  # the list_links key of the article links every sitemap of the run gave
SAMPLE_CHARS = 40
TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def page_title(markup: str) -> str | None:
    """A list page's <title>: a redesigned or replaced page usually says so there (网站改版中, 登录)."""
    match = TITLE.search(markup)
    return (" ".join(html.unescape(match.group(1)).split()) or None) if match else None


class ExtractionOutcomes:
    """What extraction made of one run's article pages: how many had no text, no title, no date, bytes that
    would not decode, and how many were the same page as another one (a stub served for every URL)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.pages: Counter[str] = Counter()  # digest of title + body -> pages
        self.samples: dict[str, str] = {}  # digest -> what that page says

    def observe(self, extracted: Article | str) -> None:
        self.counts["pages"] += 1
        if isinstance(extracted, str):  # `url: reason`: extraction raised
            self.counts["failed"] += 1
            return
        if extracted.page_kind != "article":
            self.counts["not_articles"] += 1
        for name, missing in (("empty_body", not extracted.body), ("no_title", not extracted.title),
                              ("no_date", extracted.published_at is None),
                              ("decode_errors", bool(extracted.encoding_errors))):
            self.counts[name] += missing
        text = f"{extracted.title or ''}\n{extracted.body or ''}"
        digest = hashlib.sha1(text.encode()).hexdigest()
        self.pages[digest] += 1
        self.samples.setdefault(digest, " ".join(text.split())[:SAMPLE_CHARS])

    def as_dict(self) -> dict:
        repeated = {digest: count for digest, count in self.pages.items() if count > 1}
        top = max(repeated, key=repeated.get, default=None)
        return {**{name: self.counts[name] for name in ("pages", "failed", "not_articles", "empty_body", "no_title",
                                                        "no_date", "decode_errors")},
                "repeated": sum(repeated.values()), "repeated_sample": self.samples.get(top) if top else None,
                "repeated_top": repeated.get(top, 0)}


@dataclass
class Signals:
    """One run of one site as health sees it; stored with the run as JSON."""

    list_links: dict[str, int] = field(default_factory=dict)  # list document URL -> article links it showed
    list_titles: dict[str, str] = field(default_factory=dict)  # list page URL -> its <title>
    list_failures: int = 0  # list documents that gave no page
    article_pages: int = 0  # article pages fetched
    article_failures: int = 0  # article fetches that gave no page
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    causes: dict[str, int] = field(default_factory=dict)  # failed fetches by cause (crawlers.run.failure_causes)
    statuses: dict[str, int] = field(default_factory=dict)  # HTTP status -> responses
    robots: int = 0  # requests robots.txt refused
    offsite_redirects: int = 0
    extraction: dict = field(default_factory=dict)  # ExtractionOutcomes.as_dict()
    seconds: float = 0.0
    crawl_error: str | None = None  # why the crawl failed (crawlers.run.crawl_error), if it did

    @classmethod
    def from_dict(cls, data: dict) -> Signals:
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})

    def as_dict(self) -> dict:
        return asdict(self)


def signals_of(report: dict) -> Signals:
    """The signals in a site's report (flows.nightly.SiteReport as a dict: its counts and the crawl summary)."""
    crawl = report.get("crawl") or {}
    failed = crawl.get("failed") or {}
    return Signals(
        list_links=dict(crawl.get("list_links") or {}), list_titles=dict(crawl.get("list_titles") or {}),
        list_failures=failed.get("list", 0), article_pages=crawl.get("article_pages", 0),
        article_failures=failed.get("article", 0), new=report.get("new", 0), updated=report.get("updated", 0),
        unchanged=report.get("unchanged", 0), causes=dict(report.get("causes") or {}),
        statuses=dict(crawl.get("statuses") or {}), robots=crawl.get("robots_forbidden", 0),
        offsite_redirects=(report.get("causes") or {}).get("offsite_redirect", 0),
        extraction=dict(report.get("extraction") or {}), seconds=report.get("seconds", 0.0),
        crawl_error=report.get("error") if report.get("status") == "failed" else None)


@dataclass
class RunRecord:
    """An earlier run of the site: when it started, how it was judged, what it showed."""

    started_at: datetime
    health: str | None
    signals: Signals | None

    @classmethod
    def from_row(cls, row: dict) -> RunRecord:
        signals = row.get("health_signals")
        return cls(row["started_at"], row.get("health"), Signals.from_dict(signals) if signals else None)


@dataclass
class Verdict:
    status: str  # one of STATUSES
    reason: str  # one line: the first finding, and how many more there are
    findings: list[str] = field(default_factory=list)  # every finding, worst first


def judge(tonight: Signals, history: list[RunRecord], thresholds: HealthSettings, now: datetime) -> Verdict:
    """Tonight's run of a site against its earlier runs (oldest first)."""
    if tonight.crawl_error is not None:
        return _verdict("failed", [_failure(tonight)])
    findings = _degraded(tonight, history, thresholds)
    if findings:
        return _verdict("degraded", findings)
    if stale := _stale(tonight, history, thresholds, now):
        return _verdict("stale", [stale])
    return _verdict("ok", [_quiet_or_new(tonight, history)])


def _verdict(status: str, findings: list[str]) -> Verdict:
    more = f" (+{len(findings) - 1} more)" if len(findings) > 1 else ""
    return Verdict(status, findings[0] + more, findings)


def describe(causes: dict[str, int]) -> str:
    return ", ".join(f"{cause} ×{count}" for cause, count in causes.items())


def _failure(tonight: Signals) -> str:
    if tonight.list_links:  # list pages were read: the crawl broke off afterwards
        return tonight.crawl_error.split(";")[0]
    if tonight.causes.get("robots") and len(tonight.causes) == 1:
        return f"robots.txt refuses every list page (robots ×{tonight.causes['robots']})"
    if tonight.causes.get("offsite_redirect") and len(tonight.causes) == 1:
        return "every list page redirects off the site"
    return f"every list page failed: {describe(tonight.causes) or 'no start URL answered with a list page'}"


def _healthy_history(history: list[RunRecord], thresholds: HealthSettings) -> list[Signals]:
    """The baseline: the site's last healthy runs, so a breakage stays flagged every night until it is fixed."""
    healthy = [run.signals for run in history if run.signals is not None and run.health in HEALTHY]
    return healthy[-thresholds.history_runs:]


def _degraded(tonight: Signals, history: list[RunRecord], thresholds: HealthSettings) -> list[str]:
    baseline = _healthy_history(history, thresholds)
    findings = [_dropped(url, tonight, baseline) for url, links in tonight.list_links.items() if not links]
    findings = [finding for finding in findings if finding]
    if tonight.list_links and not any(tonight.list_links.values()) and not findings:
        pages = [url for url in tonight.list_links if url != SITEMAPS]
        findings.append(f"no list page shows an article link ({len(pages)} read: {', '.join(map(short, pages[:3]))})")
    if tonight.list_failures:
        findings.append(f"{tonight.list_failures} list page fetch(es) failed ({describe(_fetch_causes(tonight))})")
    findings += _article_findings(tonight, thresholds)
    return findings


def _dropped(url: str, tonight: Signals, baseline: list[Signals]) -> str | None:
    previous = [run.list_links[url] for run in baseline if url in run.list_links]
    if not previous or not max(previous):
        return None
    low, high = min(previous), max(previous)
    span = f"{low}–{high}" if low != high else f"{low}"
    runs = "run" if len(previous) == 1 else f"{len(previous)} runs"
    finding = f"list page {short(url)}: 0 article links (previous {runs}: {span})"
    before = next((run.list_titles[url] for run in reversed(baseline) if url in run.list_titles), None)
    title = tonight.list_titles.get(url)
    if title and before and title != before:
        finding += f"; its title changed to {title}"
    return finding


def _fetch_causes(tonight: Signals) -> dict[str, int]:
    """Failed fetches by cause; robots.txt refusals are the site's rules, not failures (crawlers.spiders.site
    does not count them among its failed fetches)."""
    return {cause: count for cause, count in tonight.causes.items() if cause != "robots"}


def _article_findings(tonight: Signals, thresholds: HealthSettings) -> list[str]:
    findings = []
    ex = tonight.extraction
    pages = ex.get("pages", 0)
    if pages >= thresholds.min_article_pages:
        if ex.get("repeated_top", 0) / pages >= thresholds.stub_share:
            findings.append(f"{ex['repeated_top']} of {pages} article pages are the same page: "
                            f"“{ex['repeated_sample']}”")
        else:
            empty = max(ex.get("empty_body", 0), ex.get("not_articles", 0)) + ex.get("failed", 0)
            if empty / pages >= thresholds.stub_share:
                findings.append(f"{empty} of {pages} article pages have no article text")
    attempts = tonight.article_pages + tonight.article_failures
    if attempts >= thresholds.min_article_pages and tonight.article_failures / attempts >= thresholds.failed_fetch_share:
        findings.append(f"{tonight.article_failures} of {attempts} article fetches failed "
                        f"({describe(_fetch_causes(tonight))})")
    return findings


def _stale(tonight: Signals, history: list[RunRecord], thresholds: HealthSettings, now: datetime) -> str | None:
    if tonight.new:
        return None
    times = [run.started_at for run in history if run.signals is not None and run.signals.new]
    if len(times) < thresholds.stale_min_samples:
        return None  # too few nights with news to know the site's rhythm
    gaps = [(later - earlier).total_seconds() / 86400 for earlier, later in zip(times, times[1:], strict=False)]
    usual = median(gaps)
    days = (now - times[-1]).total_seconds() / 86400
    if days <= max(usual * thresholds.stale_factor, thresholds.stale_min_days):
        return None
    return f"no new article for {days:.0f} days (usually one every {usual:.1f} days)"


def _quiet_or_new(tonight: Signals, history: list[RunRecord]) -> str:
    first = "first run: " if not history else ""
    links = sum(tonight.list_links.values())
    pages = f"{len(tonight.list_links)} list page" + ("" if len(tonight.list_links) == 1 else "s")
    if tonight.new:
        return f"{first}{tonight.new} new, {links} article links on {pages}"
    return f"{first}nothing new; {pages} {'shows' if len(tonight.list_links) == 1 else 'show'} {links} article links"


def short(url: str) -> str:
    """A list page as an operator recognizes it in a one-line reason: its path (the site is named beside it)."""
    parts = urlsplit(url)
    if not parts.scheme:
        return url
    return "…" + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
