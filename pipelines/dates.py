"""Publication dates: every article gets the right publication time, or an honest null.

Candidates are gathered from every witness a page offers, then one is chosen by precedence and agreement.
Precedence (weights in config/rules/dates.yaml, highest first):

1. ``meta`` / ``jsonld``: `<meta name="PubDate">`, `publishdate`, `article:published_time`, `itemprop=
   datePublished`, JSON-LD `datePublished` — the first listed name present wins among metas. A value with an
   explicit offset is converted to the site's zone.
2. ``label``: a labelled visible line (`发布时间:2020-12-08 18:21`, `日期 : 2020-11-05`,
   `发布日期：2020年12月8日`, `时间：…`, a credit `最近更新: 某某(2020-02-14)`) from the caller's
   `header_lines` or from the page's own visible text in a window around the headline.
   The window runs from a few lines above the headline (labelled or bare date lines only: sidebars sit
   there) down to the first body paragraph or a related-articles heading.
3. ``header``: an unlabelled full date on a short, byline-sized line in that window (including CMS residue
   such as `2021-06-04 00:00:00:0`).
4. ``url``: a date in the article URL (`/202106/04/`, `t20210604_`, `/art/2021/6/4/`, `/2021-06/04/`).
5. ``lead_in`` / ``lead_in_bare``: a labelled / unlabelled byline date in the few lines right above the
   main body (the block holding most paragraph text) — for pages whose headline is not recognisable.
6. ``list``: the date in the article's own list item, feed or sitemap entry. A relative one (`昨天`, `3小时前`)
   resolves against the list page's fetch time only (source ``list:relative``), to the day it names, never
   a minute read off a clock. The list item dates the page only when the page names no day itself; otherwise
   it can only agree.
7. ``trailer``: a posting byline just after the body's last paragraph (`本贴由某于2005年8月12日发表`).
8. ``page_label`` / ``standalone``: without a recognisable headline, the first labelled date anywhere, and
   the first line holding nothing but a date. Pages whose labelled dates name several days (blog indexes,
   threads) are multi-entry: their biggest block does not date them, the first entry does.

Labels of a document's other dates (成文日期, 印发日期, 生效日期 …) never give the publication date; they are
kept in ``DateGuess.candidates`` with every witness that named a day more than ``conflict_days`` away from
the chosen one, so that the choice can be audited.

Candidates are grouped by calendar day; a group scores its best weight plus a bonus per other kind that
agrees, so two weaker witnesses can outvote one stronger one. Within the winning group the most precise
value is kept. Impossible values (before `min_year`, after the fetch time beyond a small tolerance) are
dropped before choosing; month-only URL folders never win on their own.

What is never a candidate: dates inside body paragraphs (`3月23日—4月20日`, `1月29日中午`: no year, long
lines) and short sentences (`2017年7月18日,正式签约…。`), footers, boxes of other items (热点, 推荐, 评论,
最新文章 …: from their heading to the headline or the next paragraph), dates in asset paths and addresses
(`/images/2022-02/12/p1.jpg`), the crawl or processing clock.

A time of exactly 00:00(:00) is how CMSs store a bare date, so it yields day precision, not a fake midnight.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import timezone as fixed_timezone
from functools import cache
from zoneinfo import ZoneInfo

from lxml import etree
from lxml import html as lxml_html

from pipelines.config import rules
from pipelines.page import Page, collapse_space
from pipelines.page import read as read_page
from pipelines.records import DEFAULT_TIMEZONE, DateGuess, format_published

PRECISION_RANK = {"minute": 3, "day": 2, "month": 1}

GRAMMAR_REFERENCE = re.compile(r"\{([a-z_]+)\}")  # `{full_date}` in a grammar entry; `{1,2}` is a count
CHINESE_DIGITS = {ch: i for i, ch in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0}

# Characters of a URL or file path: a date with a slash among them sits in a folder name.
PATH_RUN_BEFORE = re.compile(r"[\w.:/\\%?=&#~-]*$", re.ASCII)
PATH_RUN_AFTER = re.compile(r"[\w.:/\\%?=&#~-]*", re.ASCII)
# Where a page names its publication time (`<meta name=PubDate>`, `<span itemprop=datePublished>`): selected in
# one XPath rather than by reading the attributes of every span, div and p in Python.
NAMED_ELEMENTS = etree.XPath(
    "//*[self::meta or self::time or self::span or self::div or self::p or self::abbr]"
    "[@name or @property or @itemprop or @http-equiv]"
)
STANDALONE_REST = re.compile(r"[\s\[\]【】()<>|:]+")


@dataclass(slots=True, frozen=True)
class Grammar:
    """The date grammar (dates.yaml `grammar`) compiled for this module's readers."""

    full_date: re.Pattern
    us_date: re.Pattern
    year_month: re.Pattern
    yearless_date: re.Pattern
    clock: re.Pattern
    chinese_numeral_date: re.Pattern
    range_after: re.Pattern
    range_before: re.Pattern


def written_out(pattern: str) -> str:
    """A pattern of the date grammar with the entries it names (`{full_date}`) written out."""
    entries = rules("dates")["grammar"]
    return GRAMMAR_REFERENCE.sub(lambda reference: written_out(entries[reference[1]]), pattern)


def grammar_pattern(name: str) -> str:
    return written_out(rules("dates")["grammar"][name])


@cache
def grammar() -> Grammar:
    return Grammar(**{name: re.compile(grammar_pattern(name)) for name in Grammar.__slots__})


@dataclass(slots=True, frozen=True)
class Candidate:
    kind: str
    guess: DateGuess


# --------------------------------------------------------------------------------------------------- parsing


def normalize_text(text: str) -> str:
    """NFKC (full-width digits and punctuation to ASCII) and Chinese-numeral dates to digits."""
    return grammar().chinese_numeral_date.sub(_chinese_numeral_date, unicodedata.normalize("NFKC", text))


def _chinese_numeral_date(match: re.Match) -> str:
    year = "".join(str(CHINESE_DIGITS[ch]) for ch in match[1])
    return f"{year}年{_chinese_number(match[2])}月{_chinese_number(match[3])}日"


def _chinese_number(text: str) -> int:
    if "十" not in text:
        return CHINESE_DIGITS[text[-1]]
    tens, _, units = text.partition("十")
    return (CHINESE_DIGITS[tens] if tens else 1) * 10 + (CHINESE_DIGITS[units] if units else 0)


def _guess_from_match(match: re.Match, zone: ZoneInfo, source: str | None) -> DateGuess | None:
    """A full date's match as a guess in `zone`, or None when it is not a real calendar time."""
    parts = match.groupdict()
    hour, minute, second = (int(parts[k] or 0) for k in ("H", "M", "S"))
    if parts["ampm"] and 1 <= hour <= 12:
        hour = hour % 12 + (12 if parts["ampm"].lower() == "pm" else 0)
    try:
        naive = datetime(int(parts["y"]), int(parts["m"]), int(parts["d"]), hour, minute, second)
    except ValueError:
        return None
    if parts["H"] is None or (hour, minute, second) == (0, 0, 0):
        return DateGuess(naive.replace(tzinfo=zone), "day", source)
    value = naive.replace(tzinfo=_fixed_offset(parts["tz"]) if parts["tz"] else zone).astimezone(zone)
    if (value.hour, value.minute, value.second) == (0, 0, 0):  # a bare date stored as the zone's midnight in UTC
        return DateGuess(value, "day", source)
    return DateGuess(value.replace(second=0), "minute", source)


def _fixed_offset(text: str) -> fixed_timezone:
    if text == "Z":
        return UTC
    digits = text[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return fixed_timezone(-delta if text[0] == "-" else delta)


def _month_guess(match: re.Match, zone: ZoneInfo, source: str | None) -> DateGuess | None:
    month = int(match["m"] or match["m2"])
    if not 1 <= month <= 12:
        return None
    return DateGuess(datetime(int(match["y"]), month, 1, tzinfo=zone), "month", source)


def _full_date_matches(text: str) -> list[re.Match]:
    """Every full date in `text` in reading order, spans (`…至…`) and folders of a path left out."""
    matches = sorted((*grammar().full_date.finditer(text), *grammar().us_date.finditer(text)), key=lambda m: m.start())
    return [m for m in matches if not grammar().range_after.match(text, m.end()) and not grammar().range_before.search(text[: m.start()])
            and not _in_path(text, m)]


def _in_path(text: str, match: re.Match) -> bool:
    """A date inside an address or file path (`/images/2022-02/12/p1.jpg`, `upload\\2021\\06\\04`) names a
    folder some asset was filed in, not the page: the run of path characters around it holds a slash of its own."""
    before = PATH_RUN_BEFORE.search(text, 0, match.start())
    after = PATH_RUN_AFTER.match(text, match.end())
    return any(sep in run for run in (before[0], after[0]) for sep in "/\\")


def _first_full_date(text: str, zone: ZoneInfo, source: str | None = None) -> DateGuess | None:
    for match in _full_date_matches(text):
        if guess := _guess_from_match(match, zone, source):
            return guess
    return None


def parse_date_text(text: str, *, now: datetime | None = None, timezone: str = DEFAULT_TIMEZONE) -> DateGuess | None:
    """One date string, labelled or not, absolute (`发布时间：2020年12月8日`) or relative (`3小时前`,
    `昨天 10:20`, `今天`, `12-08`) against `now`. None when the text holds no date."""
    zone = ZoneInfo(timezone)
    now = (now or datetime.now(zone)).astimezone(zone)
    text = normalize_text(text).strip()
    if not text:
        return None
    guess = _first_full_date(text, zone) or _relative_date(text, now) or _yearless_date(text, now)
    if guess is None and (month := grammar().year_month.search(text)):
        guess = _month_guess(month, zone, None)
    return guess or _dateparser_date(text, now, zone)


def _relative_date(text: str, now: datetime) -> DateGuess | None:
    """`刚刚`, `3小时前`, `2天前`, `昨天`, `今天 10:20` against `now`, no finer than the phrase: the day it
    names (a clock time only when the phrase prints one), or None when the span it allows covers two days.
    The source is "relative": the value is only as good as `now`."""
    relative = rules("dates")["relative"]
    lowered = text.lower()
    if _starts_with_any(lowered, relative["just_now"]):
        return _day_within(now - timedelta(minutes=relative["just_now_minutes"]), now)
    if match := _relative_ago_pattern().search(lowered):
        unit = timedelta(minutes=_unit_minutes()[match["unit"]])
        latest = now - int(match["n"]) * unit
        if unit >= timedelta(days=1):  # `2天前` counts calendar days
            return DateGuess(_midnight(latest), "day", "relative")
        return _day_within(latest - unit, latest)
    for key, days_back in (("today", 0), ("yesterday", 1), ("day_before_yesterday", 2)):
        if _starts_with_any(lowered, relative[key]):
            day = _midnight(now - timedelta(days=days_back))
            clock = grammar().clock.search(text)
            if clock and int(clock["H"]) < 24 and int(clock["M"]) < 60:
                return DateGuess(day.replace(hour=int(clock["H"]), minute=int(clock["M"])), "minute", "relative")
            return DateGuess(day, "day", "relative")
    return None


def _day_within(earliest: datetime, latest: datetime) -> DateGuess | None:
    """The day of a span that lies within one calendar day."""
    if earliest.date() != latest.date():
        return None
    return DateGuess(_midnight(latest), "day", "relative")


def _starts_with_any(text: str, words: Iterable[str]) -> bool:
    return any(text.startswith(word) for word in words)


def _midnight(value: datetime) -> datetime:
    return value.replace(hour=0, minute=0, second=0, microsecond=0)


@cache
def _unit_minutes() -> dict[str, int]:
    return {str(unit).lower(): int(minutes) for unit, minutes in rules("dates")["relative"]["units"].items()}


@cache
def _relative_ago_pattern() -> re.Pattern:
    relative = rules("dates")["relative"]
    units = "|".join(re.escape(u) for u in sorted(_unit_minutes(), key=len, reverse=True))
    ago = "|".join(re.escape(a.lower()) for a in relative["ago"])
    return re.compile(rf"^(?P<n>\d+)\s*(?P<unit>{units})\s*(?:{ago})")


def _yearless_date(text: str, now: datetime) -> DateGuess | None:
    """`12-08` or `12月8日 10:20` on a list page: the most recent such day not after `now`."""
    match = grammar().yearless_date.fullmatch(text.strip("[]()【】 "))
    if not match:
        return None
    for year in (now.year, now.year - 1):
        try:
            day = datetime(year, int(match["m"]), int(match["d"]), tzinfo=now.tzinfo)
        except ValueError:
            return None
        if day.date() <= now.date():
            if match["H"] and int(match["H"]) < 24 and int(match["M"]) < 60:
                return DateGuess(day.replace(hour=int(match["H"]), minute=int(match["M"])), "minute", "yearless")
            return DateGuess(day, "day", "yearless")
    return None


def _dateparser_date(text: str, now: datetime, zone: ZoneInfo) -> DateGuess | None:
    """Fallback for formats the regexes do not know (`17 November 2023`); only text that names a year."""
    if not re.search(r"(?:19|20)\d{2}", text) or not re.search(r"[A-Za-z]{3}", text):
        return None
    found = _dateparser_search(text, now.replace(tzinfo=None))
    if not found:
        return None
    value = found[0][1]
    value = value.astimezone(zone) if value.tzinfo else value.replace(tzinfo=zone)
    if (value.hour, value.minute) == (0, 0):
        return DateGuess(_midnight(value), "day", None)
    return DateGuess(value.replace(second=0, microsecond=0), "minute", None)


def _dateparser_search(text: str, relative_base: datetime):
    from dateparser.search import search_dates  # imported lazily: loading it costs time every process

    settings = {"RELATIVE_BASE": relative_base, "PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month", "year"]}
    return search_dates(text, languages=list(rules("dates")["dateparser_languages"]), settings=settings)


# ------------------------------------------------------------------------------------------------------- url


def date_from_url(url: str, *, timezone: str = DEFAULT_TIMEZONE) -> DateGuess | None:
    """A date carried by the URL path (`/202106/04/`, `t20210604_`, `/art/2021/6/4/`, `/2021-06/04/`); a
    month-only folder (`/2005-07/`) gives month precision. The query string and host are ignored."""
    path = _url_path(url)
    zone = ZoneInfo(timezone)
    for pattern in _url_patterns("url_patterns"):
        for match in pattern.finditer(path):
            try:
                value = datetime(int(match["y"]), int(match["m"]), int(match["d"]), tzinfo=zone)
            except ValueError:
                continue
            return DateGuess(value, "day", "url")
    for pattern in _url_patterns("url_month_patterns"):
        for match in pattern.finditer(path):
            if guess := _month_guess(match, zone, "url"):
                return guess
    return None


def _url_path(url: str) -> str:
    without_query = url.split("?", 1)[0].split("#", 1)[0]
    scheme_host = re.match(r"^[a-z][a-z0-9+.\-]*://[^/]*", without_query, re.I)
    return without_query[scheme_host.end():] if scheme_host else without_query


@cache
def _url_patterns(key: str) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p) for p in rules("dates")[key])


# ------------------------------------------------------------------------------------------------ page parts


def _root(html: str | None, tree):
    if tree is not None:
        return tree.getroot() if hasattr(tree, "getroot") else tree
    if not html or not html.strip():
        return None
    try:
        return lxml_html.document_fromstring(html.encode("utf-8", "replace"), parser=_html_parser())
    except Exception:  # lxml refuses some documents outright (empty after cleaning): no page witness then
        return None


@cache
def _html_parser():
    return lxml_html.HTMLParser(encoding="utf-8", remove_comments=True)


def _meta_candidates(root, zone: ZoneInfo) -> Iterator[Candidate]:
    """The first meta/itemprop date by the configured precedence of names."""
    ranked = {name: rank for rank, name in enumerate(rules("dates")["meta_names"])}
    found: list[tuple[int, str, str]] = []
    for element in NAMED_ELEMENTS(root):
        for attribute in ("name", "property", "itemprop", "http-equiv"):
            name = (element.get(attribute) or "").strip()
            if name.lower() in ranked:
                value = element.get("content") or element.get("datetime") or element.text_content()
                found.append((ranked[name.lower()], name, value or ""))
    for _, name, value in sorted(found, key=lambda item: item[0]):
        if guess := _first_full_date(normalize_text(value), zone, f"meta:{name}"):
            yield Candidate("meta", guess)
            return


def _jsonld_candidates(root, zone: ZoneInfo) -> Iterator[Candidate]:
    keys = rules("dates")["jsonld_keys"]
    for script in root.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        try:
            data = json.loads(script.text, strict=False)
        except ValueError:
            continue
        for key in keys:
            for value in _json_values(data, key):
                if isinstance(value, str) and (guess := _first_full_date(normalize_text(value), zone, "jsonld")):
                    yield Candidate("jsonld", guess)
                    return


def _json_values(data, key: str) -> Iterator:
    if isinstance(data, dict):
        if key in data:
            yield data[key]
        for value in data.values():
            yield from _json_values(value, key)
    elif isinstance(data, list):
        for item in data:
            yield from _json_values(item, key)


def shown_rows(page: Page) -> list[str]:
    """The page's rows as the date grammar reads them (NFKC, numerals as digits)."""
    return [row for row in (collapse_space(normalize_text(row)) for row in page.rows) if row]


def _squeeze(text: str) -> str:
    return "".join(normalize_text(text).split())


def _headline_row(rows: Sequence[str], headline: str | None) -> int | None:
    """The row of the page's headline (pipelines.page `find_headline`): the first that is the headline, else
    the first that shows it with cells beside it (`正在浏览:` bars come first but hold more) or one line of
    a headline broken over several."""
    wanted = _squeeze(headline or "")
    if len(wanted) < 4:
        return None
    squeezed = [_squeeze(row) for row in rows]
    exact = next((index for index, row in enumerate(squeezed) if row == wanted), None)
    if exact is not None:
        return exact
    return next((index for index, row in enumerate(squeezed) if len(row) >= 4 and _shows_headline(row, wanted)),
                None)


def _shows_headline(line: str, headline: str) -> bool:
    if headline in line:
        return len(line) <= 2 * len(headline)
    return line in headline and len(line) >= max(6, len(headline) // 2)


# ------------------------------------------------------------------------------------------------ lines


@cache
def _label_pattern() -> re.Pattern:
    date_rules = rules("dates")
    labels = _alternatives([*date_rules["labels"], *date_rules["other_date_labels"]])
    bare = _alternatives(date_rules["bare_labels"])
    credits = _alternatives(date_rules["credit_labels"]["labels"])
    credited = date_rules["credit_labels"]["max_name_chars"]
    # `最近更新: 某某(2020-02-14)`: a credit label, a name, then the date in brackets or after 于/@.
    return re.compile(
        rf"(?:(?P<label>{labels}|(?<!\w)(?:{bare}))\s*[:@]?\s*[\[【(]?"
        rf"|(?P<credit>{credits})\s*:?\s*[^\d()\[\]【】]{{1,{credited}}}?\s*(?:[(\[【]|于|@))\s*(?=\d)",
        re.I,
    )


def _alternatives(labels: Iterable[str]) -> str:
    """A regex alternation, longest first so `发布日期` wins over `日期`."""
    return "|".join(re.escape(normalize_text(label)) for label in sorted(labels, key=len, reverse=True))


def _stopped(line: str) -> bool:
    return any(word in line for word in rules("dates")["line_stoplist"])


def labelled_dates(line: str, zone: ZoneInfo) -> Iterator[tuple[str, DateGuess]]:
    """Every (label, date) on one line where the date follows its label directly
    (`作者:王 来源:某 发布时间:2020-12-08 18:21`, `成文日期:2021-06-01 发布日期:2021-06-04`)."""
    if _stopped(line):
        return
    for found in _label_pattern().finditer(line):
        label = found["label"] or found["credit"]
        rest = line[found.end():]
        match = next((m for m in _full_date_matches(rest) if m.start() == 0), None)
        if match and (guess := _guess_from_match(match, zone, f"label:{label}")):
            yield label, guess
        elif (month := grammar().year_month.match(rest)) and (guess := _month_guess(month, zone, f"label:{label}")):
            yield label, guess


def labelled_date(line: str, zone: ZoneInfo) -> DateGuess | None:
    """The first publication date after a label on one line; other dates (成文日期, 生效日期 …) are skipped."""
    return next((guess for label, guess in labelled_dates(line, zone) if not _other_date_label(label)), None)


def _other_date_label(label: str) -> bool:
    return label in _other_date_labels()


@cache
def _other_date_labels() -> frozenset[str]:
    return frozenset(normalize_text(label) for label in rules("dates")["other_date_labels"])


def _other_dates(lines: Iterable[str], zone: ZoneInfo) -> Iterator[Candidate]:
    """The dates a document names besides its publication (成文日期, 印发日期, 生效日期 …): kept for audit only."""
    for line in lines:
        for label, guess in labelled_dates(line, zone):
            if _other_date_label(label):
                yield Candidate("other_date", guess)


def unlabelled_date(line: str, zone: ZoneInfo) -> DateGuess | None:
    """A full date on a byline-sized line; long lines and sentences are body text whose dates are about events,
    and a labelled date is its label's."""
    window = rules("dates")["header_window"]
    if len(line) > window["byline_max_chars"] or _stopped(line) or _sentence().search(line):
        return None
    if _label_pattern().search(line):
        return None
    return _first_full_date(line, zone, "header")


@cache
def _sentence() -> re.Pattern:
    return re.compile(rules("dates")["header_window"]["sentence_end"])


def _line_candidates(
    lines: Sequence[str], zone: ZoneInfo, *, label_kind: str, unlabelled_kind: str | None
) -> Iterator[Candidate]:
    """The first labelled date among `lines` and, when `unlabelled_kind` is given, the first unlabelled
    byline date (its source is that kind)."""
    labelled_found = unlabelled_found = False
    for line in lines:
        if not labelled_found and (guess := labelled_date(line, zone)):
            labelled_found = True
            yield Candidate(label_kind, guess)
        elif unlabelled_kind and not unlabelled_found and (guess := unlabelled_date(line, zone)):
            unlabelled_found = True
            yield Candidate(unlabelled_kind, DateGuess(guess.value, guess.precision, unlabelled_kind))
        if labelled_found and (unlabelled_found or not unlabelled_kind):
            return


def _multi_entry(lines: Sequence[str], zone: ZoneInfo) -> bool:
    """A page whose labelled dates name several days (a blog index, a thread): its biggest text block is one
    entry among many, so the block's own byline does not date the page."""
    days = {guess.value.date() for line in lines if (guess := labelled_date(line, zone))}
    return len(days) >= rules("dates")["multi_entry_days"]


def _standalone_date(lines: Sequence[str], zone: ZoneInfo, *, kind: str) -> Iterator[Candidate]:
    """The first line that holds nothing but a date and time."""
    for line in lines:
        matches = _full_date_matches(line)
        if len(matches) == 1 and not STANDALONE_REST.sub("", line[: matches[0].start()] + line[matches[0].end():]):
            if guess := _guess_from_match(matches[0], zone, kind):
                yield Candidate(kind, guess)
                return


def _page_text_candidates(page: Page, zone: ZoneInfo) -> Iterator[Candidate]:
    lines = shown_rows(page)
    anchor = _headline_row(lines, page.headline)
    boxed = _widget_lines(lines, anchor)
    lines = [("" if index in boxed else line) for index, line in enumerate(lines)]
    if anchor is not None:
        # Above the headline sit sidebars and "today is …" bars: only labelled dates and bare date lines count.
        window = _window(lines, anchor)
        yield from _other_dates(lines[window], zone)
        yield from _edition_date(lines[window], zone)
        yield from _line_candidates(lines[window.start : anchor], zone, label_kind="label", unlabelled_kind=None)
        yield from _standalone_date(lines[window.start : anchor], zone, kind="header")
        yield from _line_candidates(lines[anchor : window.stop], zone, label_kind="label", unlabelled_kind="header")
    body = _main_body(lines)
    if body is not None and (anchor is not None or not _multi_entry(lines, zone)):
        lead_in_start = max(0, body[0] - rules("dates")["header_window"]["lead_in_lines"])
        if anchor is not None and anchor < body[0]:  # nothing above the headline belongs to the byline
            lead_in_start = max(lead_in_start, anchor)
        lead_in = lines[lead_in_start : body[0]]
        yield from _line_candidates(lead_in, zone, label_kind="lead_in", unlabelled_kind="lead_in_bare")
        yield from _line_candidates(_trailer(lines, body[1]), zone, label_kind="trailer", unlabelled_kind="trailer")
    if anchor is None:
        yield from _other_dates(lines, zone)
        yield from _edition_date(lines, zone)
        yield from _line_candidates(lines, zone, label_kind="page_label", unlabelled_kind=None)
        yield from _standalone_date(lines, zone, kind="standalone")


def _edition_date(lines: Iterable[str], zone: ZoneInfo) -> Iterator[Candidate]:
    """The first date an edition marker follows (`2024年04月09日 星期二 第03版`): a newspaper page's issue."""
    for line in lines:
        for match in _full_date_matches(line):
            if _edition_marker().match(line, match.end()) and (guess := _guess_from_match(match, zone, "edition")):
                yield Candidate("edition", guess)
                return


@cache
def _edition_marker() -> re.Pattern:
    return re.compile(rules("dates")["edition_marker"])


def _widget_lines(lines: Sequence[str], anchor: int | None) -> set[int]:
    """The lines of boxes that list other articles or readers' posts (热点, 推荐, 评论, 最新文章 …): from a
    heading that names such a box down to the headline, the next paragraph or a line that opens with a date
    label (a byline; an item prints its title first). Their dates are other items'."""
    widgets = rules("dates")["widgets"]
    byline_max = rules("dates")["header_window"]["byline_max_chars"]
    boxed: set[int] = set()
    inside = False
    for index, line in enumerate(lines):
        if index == anchor or len(line) > byline_max or (inside and _opens_with_label(line)):
            inside = False
        elif inside or _widget_heading(line, widgets):
            inside = True
            boxed.add(index)
    return boxed


def _opens_with_label(line: str) -> bool:
    label = _label_pattern().search(line)
    return label is not None and not _widget_decoration().sub("", line[: label.start()])


def is_box_heading(line: str) -> bool:
    """A short line heading a box of other items (`点击排行`, `热点新闻`, `最新文章 更多>>`): the dates under it are
    theirs (widgets in dates.yaml)."""
    return _widget_heading(normalize_text(line), rules("dates")["widgets"])


def _widget_heading(line: str, widgets: dict) -> bool:
    """A short line that is a box's heading: it opens or closes with one of the box names (`热点新闻`,
    `网友评论`, `最新文章 更多>>`), its decoration aside, and counts nothing (`评论:587` is a statistic)."""
    name = _widget_decoration().sub("", line)
    return 0 < len(name) <= widgets["heading_max_chars"] and not any(ch.isdigit() for ch in name) and any(
        name.startswith(word) or name.endswith(word) for word in _widget_names()
    )


@cache
def _widget_names() -> tuple[str, ...]:
    date_rules = rules("dates")
    return tuple(normalize_text(word) for word in (*date_rules["widgets"]["headings"],
                                                   *date_rules["header_window"]["article_end_markers"]))


@cache
def _widget_decoration() -> re.Pattern:
    return re.compile(rules("dates")["widgets"]["decoration"], re.I)


def _main_body(lines: Sequence[str]) -> tuple[int, int] | None:
    """First and last line of the block holding the most paragraph text (long lines, short gaps allowed)."""
    window = rules("dates")["header_window"]
    best: tuple[int, int, int] | None = None  # (chars, first, last)
    first = last = chars = 0
    for index, line in enumerate(lines):
        if len(line) <= window["byline_max_chars"]:
            continue
        if chars and index - last > window["trailer_lines"] + 1:
            first, chars = index, 0
        elif not chars:
            first = index
        last, chars = index, chars + len(line)
        if best is None or chars > best[0]:
            best = (chars, first, last)
    return (best[1], best[2]) if best else None


def _ends_article(line: str) -> bool:
    window = rules("dates")["header_window"]
    return len(line) <= window["byline_max_chars"] and any(marker in line for marker in window["article_end_markers"])


def _trailer(lines: Sequence[str], last_paragraph: int) -> list[str]:
    """The few short lines after the body's last paragraph, cut at the first related-list heading."""
    window = rules("dates")["header_window"]
    trailer: list[str] = []
    for line in lines[last_paragraph + 1 : last_paragraph + 1 + window["trailer_lines"]]:
        if _ends_article(line):
            break
        trailer.append(line)
    return trailer


def _window(lines: Sequence[str], anchor: int) -> slice:
    """From a few lines above the headline down to the first body paragraph (bylines precede the body)."""
    window = rules("dates")["header_window"]
    end = min(len(lines), anchor + 1 + window["lines_after"])
    end = next((i for i in range(anchor + 1, end) if _ends_article(lines[i])), end)
    first_paragraph = next((i for i in range(anchor + 1, end) if len(lines[i]) > window["byline_max_chars"]), end - 1)
    return slice(max(0, anchor - window["lines_before"]), first_paragraph + 1)


# ------------------------------------------------------------------------------------------------ choosing


def publication_date(
    *,
    html: str | None = None,
    tree=None,
    page: Page | None = None,
    header_lines: Sequence[str] = (),
    url: str | None = None,
    list_date: str | None = None,
    listed_at: datetime | None = None,
    fetched_at: datetime | None = None,
    timezone: str = DEFAULT_TIMEZONE,
) -> DateGuess:
    """The publication time of one article page from the witnesses that belong to it: its own page and URL,
    and `list_date`, the date printed in its own list item, feed or sitemap entry (fetched at `listed_at`);
    `DateGuess.none()` when nothing credible exists. The witnesses that lost by more than a day and the
    document's other dates are kept in `candidates`. `tree` (an lxml tree of `html`) is reused when given, and
    so is `page`, the page model of that tree when the caller has read it (extraction has), so that the tree
    is not walked twice: the page's text witnesses are its rows (pipelines.page)."""
    zone = ZoneInfo(timezone)
    reference = (fetched_at or listed_at or datetime.now(zone)).astimezone(zone)
    candidates: list[Candidate] = []
    root = page.tree if page is not None else _root(html, tree)
    if root is not None:
        candidates += _meta_candidates(root, zone)
        candidates += _jsonld_candidates(root, zone)
        candidates += _page_text_candidates(page or read_page(root), zone)
    lines = [normalize_text(line) for line in header_lines]
    candidates += _line_candidates(lines, zone, label_kind="label", unlabelled_kind="header")
    candidates += _other_dates(lines, zone)
    if url and (guess := date_from_url(url, timezone=timezone)) and guess.precision != "month":
        candidates.append(Candidate("url", guess))
    if list_date and (guess := list_date_guess(list_date, listed_at=listed_at, fetched_at=fetched_at, zone=zone)):
        candidates.append(Candidate("list", guess))
    plausible_ones = [c for c in candidates if plausible(c.guess, reference)]
    chosen = choose([c for c in plausible_ones if c.kind != "other_date"])
    chosen.candidates = _audit_trail(chosen, plausible_ones, timezone)
    return chosen


def list_date_guess(
    text: str, *, listed_at: datetime | None, fetched_at: datetime | None, zone: ZoneInfo
) -> DateGuess | None:
    """The date in the article's own list item: as printed when absolute; a relative one (`3小时前`, `昨天`)
    only against the list page's fetch time `listed_at`, the only clock it was written for; a yearless one
    (`05-18`) takes its year from a known fetch time. Never the processing clock."""
    reference = listed_at or fetched_at
    guess = parse_date_text(text, now=reference, timezone=zone.key)
    if guess is None or (guess.source == "relative" and listed_at is None) or (
        guess.source == "yearless" and reference is None
    ):
        return None
    return DateGuess(guess.value, guess.precision, "list:relative" if guess.source == "relative" else "list")


def plausible(guess: DateGuess, reference: datetime) -> bool:
    date_rules = rules("dates")
    tolerance = timedelta(hours=date_rules["future_tolerance_hours"])
    return guess.value.year >= date_rules["min_year"] and guess.value <= reference + tolerance


def choose(candidates: Sequence[Candidate]) -> DateGuess:
    """The best-supported day by weight plus agreement; within it, the most precise value. The list item
    speaks only when the page itself names no day, or to agree with one of the page's."""
    if not candidates:
        return DateGuess.none()
    date_rules = rules("dates")
    weights, bonus = date_rules["weights"], date_rules["agreement_bonus"]
    groups: dict[object, list[Candidate]] = {}
    for candidate in candidates:
        groups.setdefault(_day_key(candidate.guess), []).append(candidate)
    if any(candidate.kind != "list" for candidate in candidates):
        groups = {key: group for key, group in groups.items() if any(c.kind != "list" for c in group)}

    witness = {kind: index for index, kinds in enumerate(date_rules["one_witness"]) for kind in kinds}

    def score(group: list[Candidate]) -> tuple[float, float]:
        best = max(weights[c.kind] for c in group)
        witnesses = {witness.get(c.kind, c.kind) for c in group}
        return best + bonus * (len(witnesses) - 1), best

    winner = max(groups.values(), key=score)
    best = max(winner, key=lambda c: (PRECISION_RANK[c.guess.precision], weights[c.kind]))
    return DateGuess(best.guess.value, best.guess.precision, best.guess.source)


def _day_key(guess: DateGuess) -> object:
    return guess.value.date() if guess.precision != "month" else guess.value.strftime("%Y-%m")


def _audit_trail(chosen: DateGuess, candidates: Sequence[Candidate], timezone: str) -> list[dict]:
    """What an operator needs to audit the choice: each witness (one per source) that names a day more than
    `conflict_days` away from the chosen one, and the document's other dates, whatever they are."""
    limit = timedelta(days=rules("dates")["conflict_days"])
    trail: dict[str, dict] = {}
    for candidate in candidates:
        guess = candidate.guess
        conflicting = chosen.value is None or abs(guess.value.date() - chosen.value.date()) > limit
        if (conflicting or candidate.kind == "other_date") and guess.source not in trail:
            trail[guess.source] = {"published_at": format_published(guess.value, guess.precision, timezone),
                                   "precision": guess.precision, "source": guess.source}
    return list(trail.values())
