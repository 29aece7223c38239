"""One site's own extraction rules (the optional `extract:` block of its YAML), Fundus-style: CSS or XPath
selectors for body, title, date and author, and extra chrome lines to drop. A selector that matches text wins
over what the global rules found; one that matches nothing leaves them alone, so a redesigned site degrades to
the generic extractor instead of to empty articles.

```yaml
extract:
  body: div.TRS_Editor            # CSS, or XPath when it starts with / or (
  title: //h1[@class="art-title"]
  date: span.pubtime
  author: span.author             # read as a labelled value: staff codes and residue cut off, names checked
  drop_lines: ['扫一扫.*', '打印本页']  # regexes, matched against whole folded lines of the body
```
"""

from __future__ import annotations

import re
from functools import cache, cached_property

from lxml import etree
from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement
from pydantic import BaseModel, ConfigDict, field_validator

from pipelines.config import config_dir, load_model

SELECTOR_FIELDS = ("body", "title", "date", "author")


def compile_selector(selector: str):
    """XPath when the selector starts like one (`/`, `(`, `./`), CSS otherwise; ValueError when it is neither."""
    try:
        if selector.lstrip().startswith(("/", "(", "./")):
            return etree.XPath(selector)
        return CSSSelector(selector)
    except (etree.XPathSyntaxError, SyntaxError, ValueError) as exc:  # cssselect raises SelectorSyntaxError
        raise ValueError(f"not a CSS or XPath selector: {selector!r} ({exc})") from exc


class SiteRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    body: str | None = None
    title: str | None = None
    date: str | None = None
    author: str | None = None
    drop_lines: list[str] = []

    @field_validator(*SELECTOR_FIELDS)
    @classmethod
    def _selector_compiles(cls, selector: str | None) -> str | None:
        if selector is not None:
            compile_selector(selector)
        return selector

    @field_validator("drop_lines")
    @classmethod
    def _patterns_compile(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"not a valid regular expression: {pattern!r} ({exc})") from exc
        return patterns

    @cached_property
    def dropped(self) -> re.Pattern | None:
        return re.compile("|".join(f"(?:{p})" for p in self.drop_lines)) if self.drop_lines else None

    def matches(self, tree: HtmlElement, name: str) -> list[HtmlElement]:
        """The elements the `name` selector picks (strings an XPath returns are wrapped as text nodes)."""
        selector = getattr(self, name)
        if selector is None:
            return []
        return [node for node in compile_selector(selector)(tree) if isinstance(node, (etree._Element, str))]

    def keep(self, line: str) -> bool:
        """False for a body line the site's `drop_lines` name (matched whole, on the folded line)."""
        return self.dropped is None or not self.dropped.fullmatch(line)


class PlatformRules(SiteRules):
    """A publishing platform's rules (config/rules/platforms.yaml): site rules for every page whose template
    `detect` matches."""

    name: str
    detect: str

    @field_validator("detect")
    @classmethod
    def _detect_compiles(cls, selector: str) -> str:
        compile_selector(selector)
        return selector

    @cached_property
    def detector(self):
        return compile_selector(self.detect)


class Platforms(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    platforms: tuple[PlatformRules, ...]


@cache
def platforms() -> tuple[PlatformRules, ...]:
    """config/rules/platforms.yaml, validated once per process (a ConfigError names the file and the key)."""
    return load_model(Platforms, config_dir() / "rules" / "platforms.yaml").platforms


def platform_rules(tree: HtmlElement) -> PlatformRules | None:
    """The rules of the first platform whose template the page shows, if any."""
    return next((platform for platform in platforms() if platform.detector(tree)), None)
