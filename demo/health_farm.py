"""The demo farm with the ways a site breaks overnight, switched on per site (site health tests, docs).

    with HealthFarm(sites=["party_school", "university"]) as farm:
        ...                                      # night 1: the sites as they were
        farm.breakage["party_school"] = REDESIGNED   # night 2: its column page is a navigation-only page

Breakages: `REDESIGNED` (the start pages answer 200 with navigation links only, titled 网站改版中),
`LOGIN_WALL` (every article answers 200 with the same 访问受限，请登录 stub), `FORBIDDEN` (everything but
robots.txt answers 403), `ARTICLES_FAIL` (article pages answer 500), `ROBOTS_CLOSED` (robots.txt disallows
everything).
"""

from __future__ import annotations

from dataclasses import dataclass

from demo.farm import Resource, Site, html_resource
from demo.server import FarmServer

REDESIGNED, LOGIN_WALL, FORBIDDEN, ARTICLES_FAIL, ROBOTS_CLOSED = (
    "redesigned", "login_wall", "forbidden", "articles_fail", "robots_closed")
REDESIGN_TITLE = "网站改版中"
LOGIN_STUB = "访问受限，请登录"

NAVIGATION_ONLY = html_resource(
    f"<html><head><title>{REDESIGN_TITLE}</title></head><body><div class=\"nav\"><a href=\"/\">首页</a>"
    "<a href=\"/xxgk/index.html\">学校概况</a><a href=\"/ztbpx/index.html\">主体班培训</a>"
    "<a href=\"/kyzx/index.html\">科研咨询</a></div><p>网站改版中，敬请期待。</p></body></html>")
LOGIN_PAGE = html_resource(
    f"<html><head><title>{LOGIN_STUB}</title></head><body><div class=\"login\"><h1>{LOGIN_STUB}</h1>"
    "<form action=\"/login\"><input name=\"user\"><input name=\"password\" type=\"password\"></form>"
    "</div></body></html>")
CLOSED_ROBOTS = Resource(b"User-agent: *\nDisallow: /\n", "text/plain")


def _error(status: int) -> Resource:
    return Resource(f"<h1>{status}</h1>".encode(), "text/html; charset=utf-8", status=status)


@dataclass
class BrokenSite:
    """A farm site that answers as `breakage` says; everything else it answers as before."""

    site: Site
    breakage: str

    def __getattr__(self, name: str):
        return getattr(self.site, name)

    def resource(self, target: str) -> Resource | None:
        path = target.split("?", 1)[0]
        if self.breakage == ROBOTS_CLOSED and path == "/robots.txt":
            return CLOSED_ROBOTS
        if self.breakage == FORBIDDEN and path != "/robots.txt":
            return _error(403)
        if self.breakage == REDESIGNED and target in self.site.start_paths:
            return NAVIGATION_ONLY
        if self.breakage in (LOGIN_WALL, ARTICLES_FAIL) and target in {article.url for article in self.site.truth}:
            return LOGIN_PAGE if self.breakage == LOGIN_WALL else _error(500)
        return self.site.resource(target)


class HealthFarm(FarmServer):
    """A FarmServer whose sites break when `breakage[site]` names how (and recover when it is removed)."""

    def __init__(self, sites: list[str] | None = None, **options) -> None:
        super().__init__(sites=sites, **options)
        self.breakage: dict[str, str] = {}

    def site(self, name: str) -> Site | BrokenSite:
        site = super().site(name)
        return BrokenSite(site, self.breakage[name]) if name in self.breakage else site
