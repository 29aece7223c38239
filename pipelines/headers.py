"""Header and footer lines of an article: title, subtitle, byline labels, breadcrumbs, trailing bylines.

`split_article(lines)` takes normalized text lines (a plain-text dump, trafilatura's output or a whole-page
dump of the HTML) and returns the metadata it found plus the body lines with those header/footer lines
removed. Labels, separators and limits are data in config/rules/headers.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from pipelines import chrome, people
from pipelines.config import rules
from pipelines.dates import grammar_pattern, is_box_heading
from pipelines.page import headline_windows, nospace

LIST_NUMBER = re.compile(r"^\d{1,2}\.\s*")
CRUMB_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")  # a column named by its year: `2023年工作动态`
PERSON_FIELDS = ("authors", "editors", "photographers")
BYLINE_FIELDS = ("authors", "source", "publisher", "editors", "photographers")


@dataclass(slots=True)
class Header:
    title: str | None = None
    subtitle: str | None = None
    authors: list[str] = field(default_factory=list)
    source: str | None = None
    site_name: str | None = None
    category: str | None = None
    editors: list[str] = field(default_factory=list)
    photographers: list[str] = field(default_factory=list)
    summary: str | None = None
    date_lines: list[str] = field(default_factory=list)

    def add(self, kind: str, value: str, evidence: people.Evidence = "label") -> None:
        """Record one labelled value; the first source/summary wins, people accumulate (those the evidence
        makes people of: pipelines.people)."""
        if kind in PERSON_FIELDS:
            named = people.names(kind, value, evidence)
            for named_kind, name in named:
                known = getattr(self, named_kind)
                if name not in known:
                    known.append(name)
            if not named and kind == "authors" and evidence == "label":
                kind = "publisher"  # `作者:教务处`, `供稿:县直机关工委`: a unit wrote it
        if kind == "publisher" and people.is_organisation(value):
            kind = "source"
        if kind == "source" and people.names_nothing(value):
            return  # `来源：本站原创`, `来源：未知`: no source is named
        if kind in ("source", "summary") and value and not getattr(self, kind):
            setattr(self, kind, value)


@dataclass(frozen=True, slots=True)
class HeaderRules:
    label_kind: dict[str, str]
    label: re.Pattern
    unknown_field: re.Pattern
    glued_label_min: int
    line_start: re.Pattern
    date_label_lead: re.Pattern
    short_label_max: int
    max_label_line: int
    breadcrumb_separators: re.Pattern
    breadcrumb_markers: re.Pattern
    breadcrumb_skip: frozenset[str]
    breadcrumb_max_item: int
    breadcrumb_window: int
    subtitle_prefixes: re.Pattern
    subtitle_max_length: int
    subtitle_min_length: int
    embedded_date: re.Pattern
    title_max_length: int
    sentence_end: re.Pattern
    sentence_mark: re.Pattern
    paragraph_min_length: int
    byline: re.Pattern
    byline_name_max: int
    reporter_line: re.Pattern
    dateline_byline: re.Pattern
    trailing_byline: re.Pattern
    max_names_line: int
    date_line: re.Pattern
    yearless_date: re.Pattern
    byline_rows_above: int
    summary_labels: frozenset[str]
    posted_by: tuple[re.Pattern, ...]
    posted_line_max: int


@cache
def header_rules() -> HeaderRules:
    raw = rules("headers")
    label_kind = {label: kind for kind, labels in raw["labels"].items() for label in labels}
    alternation = "|".join(sorted(map(re.escape, label_kind), key=len, reverse=True))
    slashed = "|".join(sorted(map(re.escape, raw["slash_labels"]), key=len, reverse=True))
    byline_len = int(raw["byline_max_length"])
    roles = "|".join(sorted(map(re.escape, raw["reporter_roles"]), key=len, reverse=True))
    label_kind |= {role: "authors" for role in raw["reporter_roles"] if role not in label_kind}
    names = r"[\u4e00-\u9fff·]{1,4}(?:[\s、,][\u4e00-\u9fff·]{1,4})*"
    full_date = grammar_pattern("full_date")
    byline_body = rf"(?P<role>{roles})?\s*(?P<names>[\u4e00-\u9fff·][\u4e00-\u9fff· 、,]{{1,{byline_len}}})"
    return HeaderRules(
        label_kind=label_kind,
        label=re.compile(
            rf"(?:(?P<label>{alternation})\s*[:：]|(?P<slashed>{slashed})\s*[/|｜丨](?=\s*[\u4e00-\u9fffA-Za-z])"
            rf"|(?P<role>{roles})\s+(?=[\u4e00-\u9fff]))\s*"
        ),
        unknown_field=re.compile(raw["unknown_field"]),
        glued_label_min=int(raw["glued_label_min"]),
        line_start=re.compile(rf"[\[【(（]?\s*(?P<label>{alternation})\s*[:：]"),
        date_label_lead=re.compile(
            rf"^(?:{'|'.join(sorted(map(re.escape, raw['labels']['date']), key=len, reverse=True))})\s*[:：]?\s*(?=\d)"),
        short_label_max=int(raw["short_label_max"]),
        max_label_line=int(raw["max_label_line"]),
        breadcrumb_separators=re.compile(raw["breadcrumb_separators"]),
        breadcrumb_markers=re.compile(raw["breadcrumb_markers"]),
        breadcrumb_skip=frozenset(raw["breadcrumb_skip"]),
        breadcrumb_max_item=int(raw["breadcrumb_max_item"]),
        breadcrumb_window=int(raw["breadcrumb_window"]),
        subtitle_prefixes=re.compile(raw["subtitle_prefixes"]),
        subtitle_max_length=int(raw["subtitle_max_length"]),
        subtitle_min_length=int(raw["subtitle_min_length"]),
        embedded_date=re.compile(full_date),
        title_max_length=int(raw["title_max_length"]),
        sentence_end=re.compile(raw["sentence_end"]),
        sentence_mark=re.compile(raw["sentence_mark"]),
        paragraph_min_length=int(raw["paragraph_min_length"]),
        byline_name_max=int(raw["byline_name_max"]),
        reporter_line=re.compile(
            rf".{{0,16}}?(?:{roles})\s*(?P<names>{names})\s*(?:{raw['reporter_tail']})?"
        ),
        dateline_byline=re.compile(
            rf"{raw['dateline']}\s*[(（]\s*{raw['dateline_role_qualifier']}(?:{roles})\s*(?P<names>{names})\s*[)）]"
        ),
        byline=re.compile(rf"[(（]\s*{byline_body}\s*[)）]"),
        trailing_byline=re.compile(rf"(?<=[。!?”\"])\s*[(（]\s*{byline_body}\s*[)）]$"),
        date_line=re.compile(rf"(?:{full_date}).{{0,{int(raw['date_line_extra'])}}}"),
        yearless_date=re.compile(grammar_pattern("yearless_date")),
        byline_rows_above=int(raw["byline_rows_above"]),
        max_names_line=int(raw["max_names_line"]),
        summary_labels=frozenset(raw["labels"]["summary"]),
        posted_by=tuple(map(re.compile, raw["posted_by"])),
        posted_line_max=int(raw["posted_line_max"]),
    )


def trim_value(value: str) -> str:
    """A label's value without separators around it, and without a bracket that belongs to the line's layout."""
    value = value.strip(" |,;:、")
    for opener, closer in ("()", "（）", "[]", "【】"):
        if value.endswith(closer) and value.count(closer) > value.count(opener):
            value = value[:-1].rstrip()
        if value.endswith(opener):  # `县直机关工委 [` once the date in brackets after it is cut off
            value = value[:-1].rstrip()
        if value.startswith(opener) and value.count(opener) > value.count(closer):
            value = value[1:].lstrip()
    return value.strip(" |,;:、")


ENGLISH_LABEL = re.compile(r"^[A-Za-z][A-Za-z .&'-]{0,30}\s*/$")


def label_fields(line: str) -> list[tuple[str, str, str]] | None:
    """[(kind, label, value)] when the line is a byline/label row (`作者:… 来源:… 发布时间:…`), else None."""
    r = header_rules()
    if len(line) > r.max_label_line:
        return None
    matches = [m for m in r.label.finditer(line) if accepts_label(line, m)]
    if not matches:
        return None
    raw_lead = line[: matches[0].start()]
    # a bullet before the row (`■本报记者 某某`), a bilingual page's English label (`Text / 文：某某`);
    # `发布于 2024-09-12 来源：…`: the date's own label
    lead = ENGLISH_LABEL.sub("", r.date_label_lead.sub("", raw_lead.strip(" [【(（|■□●○◆◇▲△★☆▶►•·")))
    dated = bool(lead) and bool(r.date_line.fullmatch(lead) or r.yearless_date.fullmatch(lead))
    if lead and not (dated or chrome.is_chrome(lead) or unknown_field(raw_lead, matches[0])):
        return None
    fields = [("date", "", lead)] if dated else []
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following else len(line)
        label = label_of(match)
        fields.append((r.label_kind[label], label, trim_value(line[match.end() : end])))
    if len(fields) == 1 and fields[0][0] in PERSON_FIELDS and r.sentence_end.search(fields[0][2]):
        return None  # `记者：您认为最需要关注的是什么？`: an interview's question, not a byline
    return fields


def unknown_field(lead: str, following: re.Match) -> bool:
    """The text before a row's first known label is a field of some other label (`发布者：admin　`), set apart from
    it or run into a long label (`发布者：党委组织部发布时间：`)."""
    r = header_rules()
    glued = len(label_of(following)) >= r.glued_label_min
    return bool(r.unknown_field.fullmatch(lead) or glued and r.unknown_field.fullmatch(lead + " "))


def byline_fields(line: str) -> list[tuple[str, str, str]] | None:
    """The fields of a row that holds nothing but byline fields and dates (`编辑 | 某 审核 | 某`)."""
    fields = label_fields(line)
    if fields is not None and all(kind in BYLINE_FIELDS or kind == "date" for kind, _, _ in fields):
        return fields
    return None


def is_byline_row(line: str) -> bool:
    return byline_fields(line) is not None


def label_of(match: re.Match) -> str:
    return match["label"] or match["slashed"] or match["role"]


def accepts_label(line: str, match: re.Match) -> bool:
    """One-character labels (文, 图) only count at the start or after a space or bracket: not `原文:`, not
    `论文/张三`."""
    if len(label_of(match)) > header_rules().short_label_max:
        return True
    return match.start() == 0 or line[match.start() - 1] in " [【(（|"


def names_only(line: str, evidence: people.Evidence = "position") -> list[str] | None:
    """The people on a short line that holds nothing but names: by its position alone (`胡平`, `李 莹 王平`,
    `欧阳海燕` under the headline) only names the name model reads as people's; after a label left waiting
    (`作者:` at the end of the line before) what that label may hold."""
    if len(line) > header_rules().max_names_line:
        return None
    names = people.split_names(line)
    return names if names and all(people.accepted(name, evidence) for name in names) else None


def posted_by(line: str) -> str | None:
    """The poster a forum or blog credit names (`本贴由大卫于2005年…发表`, `由某某张贴 @ 2005-03-21`)."""
    for pattern in header_rules().posted_by:
        match = pattern.search(line)
        if match:
            return match["names"]
    return None


def reporter_names(line: str) -> str | None:
    """`光明日报记者 王建宏 张文攀`, `本报记者罗科苏盈发自北京`: the names of a reporter line."""
    r = header_rules()
    if len(line) > r.max_names_line * 2:
        return None
    match = r.reporter_line.fullmatch(line)
    return match["names"] if match else None


def dangling_person(fields: list[tuple[str, str, str]]) -> str | None:
    """`[责任编辑:` whose name sits on the next line: the field still waiting for it."""
    kind, _, value = fields[-1]
    return kind if kind in PERSON_FIELDS and not value else None


def bare_summary_label(line: str) -> bool:
    return line.rstrip(":： ") in header_rules().summary_labels


def is_date_line(line: str) -> bool:
    """A row holding a date (and time) and little else, bare or in brackets: `(2020-01-21 11:12)`."""
    return bool(header_rules().date_line.fullmatch(line.strip("()（）[]【】 ")))


def breadcrumbs(line: str) -> list[str] | None:
    """The crumbs of `首页 >> 主体班培训 >> 教学动态` or `当前位置: 首页 > 党员教育`, else None."""
    r = header_rules()
    marker = r.breadcrumb_markers.match(line)
    rest = line[marker.end() :] if marker else line
    items = [LIST_NUMBER.sub("", item).strip() for item in r.breadcrumb_separators.split(rest)]
    items = [item for item in items if item]
    if not marker and (len(items) < 2 or items[0] not in r.breadcrumb_skip):
        return None
    if any(len(item) > r.breadcrumb_max_item for item in items):
        return None
    return items


def category_before(lines: list[str], title_index: int) -> str | None:
    """The last breadcrumb that names a section, from the crumbs nearest above the title."""
    named = [crumb for crumb in crumbs_before(lines, title_index) if crumb not in header_rules().breadcrumb_skip]
    return named[-1] if named else None


def crumbs_before(lines: list[str], title_index: int) -> list[str]:
    """The crumbs nearest above the title (`首页 > 2023年工作动态`), the page's own included."""
    r = header_rules()
    start = max(0, title_index - r.breadcrumb_window)
    crumbs: list[str] | None = None
    index = start
    while index < title_index:
        found = breadcrumbs(lines[index])
        if found is not None:
            crumbs = found
            if r.breadcrumb_markers.match(lines[index]) and not found:
                # `1. 当前位置:` followed by one crumb per line, `>` separators on lines of their own
                while (
                    index + 1 < title_index
                    and len(LIST_NUMBER.sub("", lines[index + 1])) <= r.breadcrumb_max_item
                ):
                    index += 1
                    crumbs += [c for c in r.breadcrumb_separators.split(LIST_NUMBER.sub("", lines[index])) if c]
        index += 1
    return crumbs or []


def with_crumb_year(date_lines: list[str], crumbs: list[str]) -> list[str]:
    """A byline date printed without its year (`06-21 15:10`) in a column named by one year (`首页 > 2023年工作动态`):
    the column says the year. Without such a column the date stays yearless and dates nothing."""
    years = {year for crumb in crumbs for year in CRUMB_YEAR.findall(crumb)}
    if len(years) != 1:
        return date_lines
    year = years.pop()
    out = []
    for line in date_lines:
        match = header_rules().yearless_date.fullmatch(line.strip("()（）[]【】 "))
        if match and not header_rules().embedded_date.search(line):
            clock = f" {match['H']}:{match['M']}" if match["H"] else ""
            line = f"{year}-{match['m']}-{match['d']}{clock}"
        out.append(line)
    return out


def could_be_title(line: str) -> bool:
    r = header_rules()
    return (
        2 <= len(line) <= r.title_max_length
        and not r.sentence_end.search(line)
        and not chrome.is_chrome(line)
        and not is_date_line(line)
        and label_fields(line) is None
        and breadcrumbs(line) is None
        and not LIST_NUMBER.match(line)
    )


def find_title(lines: list[str], hint: str | None) -> tuple[int, int] | None:
    """Index and line count of the title: the hint's line(s) when given, else the first line that can be a
    headline."""
    if hint:
        wanted = nospace(hint)
        return next(((index, count) for index, count, text in headline_windows(lines, starting_with=wanted[:1])
                     if nospace(text) == wanted), None)
    for index, line in enumerate(lines[:20]):
        if could_be_title(line):
            return index, 1
    return None


def is_paragraph(line: str) -> bool:
    r = header_rules()
    return len(line) >= r.paragraph_min_length and bool(r.sentence_mark.search(line))


def is_subtitle(lines: list[str], index: int, title: str) -> bool:
    """`——…纪实` after the title, or a headline-like line right above the byline (not a repeat of the title,
    not a short source name like `新华社`)."""
    r = header_rules()
    line = lines[index]
    if len(line) > r.subtitle_max_length or r.sentence_end.search(line) or not could_be_title(line):
        return False
    if r.subtitle_prefixes.match(line):
        return True
    if len(line) < r.subtitle_min_length or nospace(title) in nospace(line):
        return False
    following = lines[index + 1] if index + 1 < len(lines) else ""
    return label_fields(following) is not None or is_date_line(following)


def take_fields(header: Header, fields: list[tuple[str, str, str]]) -> None:
    for kind, label, value in fields:
        dated = header_rules().embedded_date.search(value) if kind != "date" else None
        if dated:  # `来源:人民日报2024-05-13 08:49`: the date belongs to the date parser
            header.date_lines.append(dated.group())
            value = trim_value(value[: dated.start()])
        if kind == "date":
            if value:
                header.date_lines.append(f"{label}:{value}" if label else value)
        else:
            header.add(kind, value)


def read_header(lines: list[str], start: int, header: Header, *, after_title: bool) -> int:
    """Consume subtitle, byline rows, date lines, summary and chrome after the title; returns the body start."""
    index = start
    if after_title and index < len(lines) and is_subtitle(lines, index, header.title or ""):
        header.subtitle = lines[index]
        index += 1
    if after_title and index < len(lines) and names_only(lines[index]):
        header.add("authors", lines[index], "position")
        index += 1
        if not header.subtitle and index < len(lines) and is_subtitle(lines, index, header.title or ""):
            header.subtitle = lines[index]
            index += 1
    pending = None
    while index < len(lines):
        line = lines[index]
        if bare_summary_label(line) and index + 1 < len(lines):
            header.add("summary", lines[index + 1])
            index += 2
            continue
        fields = label_fields(line)
        reporters = None if fields else reporter_names(line)
        if pending and names_only(line, "label"):
            header.add(pending, line)
        elif fields is not None:
            take_fields(header, fields)
        elif reporters:
            header.add("authors", reporters)
        elif is_date_line(line):
            header.date_lines.append(line)
        elif not chrome.is_chrome(line):
            break
        pending = dangling_person(fields) if fields else None
        index += 1
    return index


def read_footer(lines: list[str], header: Header) -> list[str]:
    """Body lines without byline/label rows, date lines, title repeats and `标题-站点名` lines."""
    body: list[str] = []
    title = nospace(header.title)
    pending = None
    # under a box heading after some text (`点击排行`) down to the next paragraph or the headline: other items' dates
    boxed = texted = False
    for line in lines:
        ends_box = is_paragraph(line) or bool(title) and nospace(line) == title
        boxed = (boxed or texted and is_box_heading(line)) and not ends_box
        texted = texted or is_paragraph(line)
        if pending and names_only(line, "label"):
            header.add(pending, line)
            pending = None
            continue
        fields = byline_fields(line)
        if fields is not None:
            take_fields(header, fields)
            pending = dangling_person(fields)
            continue
        pending = None
        reporters = reporter_names(line)
        if reporters:
            header.add("authors", reporters)
            continue
        dateline = header_rules().dateline_byline.search(line)
        if dateline:
            header.add("authors", dateline["names"])
        poster = posted_by(line)
        if poster:
            header.add("authors", poster, "credit")
            if len(line) <= header_rules().posted_line_max:
                continue
        if is_date_line(line):
            if not boxed:
                header.date_lines.append(line)
            continue
        if title and nospace(line) == title:
            continue
        suffix = chrome.title_suffix(line, header.title or "")
        if suffix:
            header.site_name = header.site_name or suffix
            continue
        body.append(line)
    return strip_trailing_byline(body, header)


def strip_trailing_byline(body: list[str], header: Header) -> list[str]:
    """`(邓志强 易 松)` closing the article, alone or after the last sentence, names its authors."""
    if not body:
        return body
    r = header_rules()
    last = body[-1]
    whole = r.byline.fullmatch(last)
    tail = None if whole else r.trailing_byline.search(last)
    match = whole or tail
    if not match:
        return body
    names = people.split_names(match["names"])
    if not names or not all(len(name) <= r.byline_name_max for name in names):
        return body
    # A role says so; so do two or more names in the closing bracket (a reporting team, `(周某 王某)`): that form
    # is the byline's. One bare name there is only its position.
    evidence = "label" if match["role"] or len(names) > 1 else "position"
    if not all(people.accepted(name, evidence) for name in names):
        return body
    header.add("authors", match["names"], evidence)
    if match["role"]:
        return body  # `(评论员 罗博 萧海川)` is part of the text as published; bare names are layout
    rest = last[: match.start()].rstrip() if tail else ""
    return [*body[:-1], rest] if rest else body[:-1]


def split_article(lines: list[str], *, title_hint: str | None = None) -> tuple[Header, list[str]]:
    """Metadata from the header/footer lines and the body lines between them (chrome removed)."""
    header = Header(title=title_hint)
    found = find_title(lines, title_hint)
    visible_title = None
    if found is None and len(lines) > 1 and could_be_title(lines[0]) and names_only(lines[1]):
        found = (0, 1)  # the declared title is not on the page, but a headline over a byline is
        visible_title = lines[0]
    title_index = found[0] if found else None
    start, lead, crumbs = 0, [], []
    if found is not None:
        header.title = visible_title or title_hint or lines[title_index]
        crumbs = crumbs_before(lines, title_index)
        header.category = category_before(lines, title_index)
        start = title_index + found[1]
        # a layout that prints the headline after the text: paragraphs above it are still the article
        lead = [line for line in lines[:title_index] if is_paragraph(line)]
    body_start = read_header(lines, start, header, after_title=title_index is not None)
    if title_index is not None:
        read_rows_above(lines, title_index, header)
    # a byline row may look like chrome (`编辑 | 某 审核 | 某` has a menu's bars): the footer reads it first
    body = read_footer(chrome.strip_chrome(lead + lines[body_start:], keep=is_byline_row), header)
    if header.summary:
        body = [line for line in body if line != header.summary]
    header.date_lines = with_crumb_year(header.date_lines, crumbs)
    return header, body


def read_rows_above(lines: list[str], title_index: int, header: Header) -> None:
    """Byline rows and date lines right above the headline (xinhuanet prints `2023/09/05 07:58` and
    `来源：… 作者：…` over the `<h1>`): the run of them that ends at the headline, chrome between them skipped. They
    come after what stands below the headline, which wins where both name a source."""
    r = header_rules()
    rows: list[str] = []
    for line in reversed(lines[max(0, title_index - r.byline_rows_above) : title_index]):
        if is_byline_row(line) or is_date_line(line):
            rows.append(line)
        elif not chrome.is_chrome(line):
            break
    for line in reversed(rows):
        fields = byline_fields(line)
        if fields is not None:
            take_fields(header, fields)
        else:
            header.date_lines.append(line)
