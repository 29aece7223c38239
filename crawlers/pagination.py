"""Which URL is a column's next list page: pager links, URL forms, page scripts, jump menus and jump forms.

Pure functions over a list page's HTML and its links; the conventions (pager labels, known URL forms,
script patterns) are data in the `pagination:` section of `config/rules/cms.yaml`. Whether to keep paging
is the spider's decision (crawlers/spiders/site.py); this module only names the next page, never the
current one, never another column's and never an off-site one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from crawlers.sources import FUNCTION, NAVIGATION_START, function_name

MAX_NEXT_PAGES = 2  # the pager's numbered link and its next link, when they disagree
DIGITS = re.compile(r"\d+")
SCRIPT_BODY = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S | re.I)
SELECT = re.compile(r"<select\b[^>]*>(.*?)</select>", re.S | re.I)
OPTION = re.compile(r"<option\b([^>]*)>([^<]*)", re.I)
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
FIELD = re.compile(r"<(input|select)\b([^>]*)>", re.I)
ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
TAG = re.compile(r"<[^>]+>")
NAME_TOKEN = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
VISIBLE_INPUTS = {"", "text", "number", "tel", "search"}
# ASP.NET WebForms' own names (the framework's, not a site's): the postback call and the fields it sets.
POSTBACK_CALL = re.compile(r"""__doPostBack\(\s*(['"])(?P<target>[^'"]*)\1\s*,\s*(['"])(?P<argument>[^'"]*)\3\s*\)""")
POSTBACK_TARGET, POSTBACK_ARGUMENT, VIEW_STATE = "__EVENTTARGET", "__EVENTARGUMENT", "__VIEWSTATE"
# A pager call with a page number (`goPage(3)`, `toPage('3')`) and what a page function does with it (the DOM's
# own names): write it into a field of a form (cms.yaml `page_field_assignments`) and submit the form.
PAGE_CALL = re.compile(r"""(?<![\w$.])(?P<function>[A-Za-z_$][\w$]*)\(\s*['"]?(?P<argument>\d{1,5})['"]?\s*\)""")
FORM_SUBMIT = re.compile(r"\.submit\(\s*\)")
FORM_BY_ID = re.compile(r"""(?:getElementById\(\s*|document\.forms\[\s*|\$\(\s*['"]#)['"]?(?P<id>[\w-]+)['"]?\s*[\])]""")
POSTED_INPUTS = VISIBLE_INPUTS | {"hidden"}


@dataclass(frozen=True, slots=True)
class PageForm:
    pattern: re.Pattern
    direction: int  # +1: later pages count up; -1: they count down
    second_page: int = 2  # the number the column's second page carries (counting up)


@dataclass(frozen=True, slots=True)
class PostBack:
    """A later page of a column that only a posted form shows: an ASP.NET WebForms postback, as the browser
    sends it for `javascript:__doPostBack('ctl00$Main$Pager','3')` (view state and every other field the form
    holds, `__EVENTTARGET`/`__EVENTARGUMENT` set to the call's), or the form a pager function fills and submits
    (`onclick="goPage(3)"` setting a hidden `pageNo`)."""

    url: str  # the form's action
    fields: tuple[tuple[str, str], ...]
    page: int  # the page number the pager link shows
    set_by_call: tuple[str, ...] = (POSTBACK_TARGET, POSTBACK_ARGUMENT)  # the fields the pager call sets

    @property
    def event(self) -> tuple:
        """What makes two postbacks the same page: the action and what the call sets (view states differ per
        page)."""
        named = dict(self.fields)
        return self.url, *(named.get(name, "") for name in self.set_by_call)


@dataclass(frozen=True, slots=True)
class PageFunction:
    """A page's pager function that writes its argument into a form field and submits the form."""

    field_id: str | None
    field_name: str | None
    form_id: str | None  # the form it submits, when it names one


@dataclass(frozen=True, slots=True)
class PagerLink:
    href: str
    number: int | None  # the page number its text shows
    label: str | None  # next | in_pager_next | away (previous, first, last) | filler


class Pagination:
    """The pagination conventions compiled once per site."""

    def __init__(self, cms: dict, list_url_pattern: str | None = None):
        rules = cms["pagination"]
        self.labels = {label.lower(): "away" for key in ("previous_labels", "first_labels", "last_labels")
                       for label in rules[key]}
        self.labels.update({label.lower(): "filler" for label in rules["filler_labels"]})
        self.labels.update({label.lower(): "in_pager_next" for label in rules["in_pager_next_labels"]})
        self.labels.update({label.lower(): "next" for label in rules["next_labels"]})
        self.decoration = rules["label_decoration"]
        self.number_text = re.compile(rules["page_number_text"])
        self.total_texts = [re.compile(pattern) for pattern in rules["page_total_texts"]]
        self.forms = [PageForm(re.compile(rule["pattern"]), rule["direction"], rule.get("second_page", 2))
                      for rule in rules["page_urls"]]
        if list_url_pattern:
            self.forms.insert(0, PageForm(re.compile(list_url_pattern), 1))
        self.page_scripts = [re.compile(rule["pattern"]) for rule in rules["page_scripts"]]
        self.suffix_separators = "".join(rules["suffix_separators"])
        self.first_step = rules["first_step"]
        self.names = {kind: tuple(words) for kind, words in rules["script_names"].items()}
        self.script_number = re.compile(rules["script_number"])
        self.script_string = re.compile(rules["script_string"])
        self.script_function = re.compile(rules["script_function"])
        self.script_concatenation = re.compile(rules["script_concatenation"])
        self.bare_prefix_joiner = rules["bare_prefix_joiner"]
        self.max_script_chars = rules["max_script_chars"]
        self.jump_form_text = re.compile(rules["jump_form_text"])
        self.page_field_assignments = rules["page_field_assignments"]

    # --- what a link is -----------------------------------------------------------------------------

    def page_number(self, url: str) -> int | None:
        """The page number `url` carries by a known form (0 is a number: test with `is not None`)."""
        found = self._known_form(url)
        return found[1] if found else None

    def is_page_link(self, href: str, text: str, page_url: str) -> bool:
        """A pager link (a page number, a pager label, a known page URL form, or a textless link one number
        away from the page's own URL): never an article."""
        if self._text_number(text) is not None or self._label(text) or self._known_form(href):
            return True
        return not text and self._sibling(href, page_url) is not None

    # --- the next page ------------------------------------------------------------------------------

    def postback_pages(self, root, url: str, page_index: int) -> list[PostBack]:
        """The column's later pages behind pager links that post a form (a page number past `page_index`, or
        a next label): WebForms postbacks, and calls of a page function that fills a form field with its
        argument and submits the form. Other postbacks (a login link, a search button) show no page number
        and are never sent."""
        total = self._largest_printed_total(" ".join(root.itertext()))
        if total is not None and page_index >= total:
            return []
        functions = self._page_functions(root)
        found: dict[int, PostBack] = {}
        for anchor in root.iter("a"):
            script = f'{anchor.get("href") or ""} {anchor.get("onclick") or ""}'
            postback = POSTBACK_CALL.search(script)
            call = None if postback else next((match for match in PAGE_CALL.finditer(script)
                                               if match["function"] in functions), None)
            if postback is None and call is None:
                continue
            text = " ".join(anchor.text_content().split())
            number = self._text_number(text)
            if number is None and self._label(text) == "next":
                number = page_index + 1
            if number is None or number <= page_index or number in found:
                continue
            if postback:
                form = next(anchor.iterancestors("form"), None)
                form = _view_state_form(root) if form is None else form
                setting = {POSTBACK_TARGET: postback["target"], POSTBACK_ARGUMENT: postback["argument"]}
            else:
                function = functions[call["function"]]
                field = _page_field(root, function)
                form = _submitted_form(root, function, field)
                setting = {field.get("name"): call["argument"]} if field is not None and field.get("name") else {}
            if form is None or not setting:
                continue
            fields = {field.get("name"): field.get("value") or "" for field in form.iter("input")
                      if field.get("name") and (field.get("type") or "").lower() in POSTED_INPUTS}
            fields.update(setting)
            action = urljoin(root.base_url or url, form.get("action") or url)
            found[number] = PostBack(_without_fragment(action), tuple(fields.items()), number, tuple(setting))
        return [found[number] for number in sorted(found)]

    def _page_functions(self, root) -> dict[str, PageFunction]:
        """The page's functions of one parameter that write it into a form field and submit a form."""
        scripts = "\n".join(script.text or "" for script in root.iter("script") if not script.get("src"))
        found: dict[str, PageFunction] = {}
        for match in self.script_function.finditer(scripts[: self.max_script_chars]):
            name, param = match["name"] or match["alias"], match["param"]
            opening = scripts.find("{", match.end())
            body = scripts[opening : _closing_brace(scripts, opening)] if opening >= 0 else ""
            if not FORM_SUBMIT.search(body):
                continue
            for pattern in self.page_field_assignments:
                assigned = re.search(pattern.replace("{param}", re.escape(param)), body)
                if assigned:
                    form = FORM_BY_ID.search(body)
                    groups = assigned.groupdict()
                    found[name] = PageFunction(groups.get("id"), groups.get("name"), form and form["id"])
                    break
        return found

    def next_pages(self, html: str, url: str, anchors: list[tuple[str, str]], *, column_dir: str,
                   page_index: int, is_on_site: Callable[[str], bool]) -> list[str]:
        """The column's page after page `page_index` (1 for the start URL), at most two URLs.

        `anchors` are the page's links in document order, (absolute href, normalized text)."""
        total = self._largest_printed_total(html) or self._menu_total(html)
        if total is not None and page_index >= total:
            return []  # the page says it is the last one: no link, script or form is followed further
        here = _without_fragment(url)
        own_path = _parts(url).path

        def eligible(href: str) -> bool:
            path = _parts(href).path
            return (_without_fragment(href) != here and (path.startswith(column_dir) or path == own_path)
                    and is_on_site(href))

        from_pager = self._from_pager(anchors, page_index, eligible)
        if from_pager:
            return from_pager
        scripts = "\n".join(body for body in SCRIPT_BODY.findall(html) if len(body) <= self.max_script_chars)
        finders = (lambda: self._from_page_script(scripts, url),
                   lambda: self._from_script_template(html, scripts, url, page_index),
                   lambda: self._from_jump_menu(html, url, page_index),
                   lambda: self._from_jump_form(html, url, page_index))
        for finder in finders:
            found = finder()
            if found:
                return [found] if eligible(found) else []
        # links that read like headlines are articles, whatever their URLs have in common with this one;
        # first, last and previous links say by their labels that they are not the next page
        pager_like = [href for href, text in anchors if self._may_be_next(href, text) and eligible(href)]
        return self._from_url_numbers(url, pager_like)

    def _may_be_next(self, href: str, text: str) -> bool:
        label = self._label(text)
        if label == "away":
            return False
        return not text or label is not None or self._text_number(text) is not None or bool(self._known_form(href))

    def _from_pager(self, anchors, page_index: int, eligible) -> list[str]:
        numbered, labelled = None, []
        for block in self._pager_blocks(anchors):
            in_block = len(block) > 1
            for link in block:
                if not eligible(link.href):
                    continue
                if in_block and numbered is None and link.number == page_index + 1:
                    numbered = link.href
                if link.label == "next" or (in_block and link.label == "in_pager_next"):
                    labelled.append(link.href)
        return _unique(href for href in (numbered, *labelled) if href)[:MAX_NEXT_PAGES]

    def _pager_blocks(self, anchors) -> Iterable[list[PagerLink]]:
        """Runs of adjacent links whose texts are page numbers or pager labels."""
        block: list[PagerLink] = []
        for href, text in anchors:
            number, label = self._text_number(text), self._label(text)
            if number is None and label is None:
                if block:
                    yield block
                block = []
            else:
                block.append(PagerLink(href, number, label))
        if block:
            yield block

    def _from_page_script(self, scripts: str, url: str) -> str | None:
        """A pager call with the page count, the current page (0-based) and the file name's parts."""
        for pattern in self.page_scripts:
            match = pattern.search(scripts)
            if match:
                following = int(match["current"]) + 1
                if following < int(match["total"]):
                    return urljoin(url, f"{match['prefix']}_{following}.{match['ext']}")
                return None
        return None

    def _from_script_template(self, html: str, scripts: str, url: str, page_index: int) -> str | None:
        """A script that knows the page count and builds page n's URL from strings around n."""
        if not scripts:
            return None
        template = self._script_template(scripts)
        if template is None:
            return None
        prefix, offset, suffix = template
        total, current = self._script_numbers(scripts)
        total = total or self._printed_total(html) or self._menu_total(html)
        if total is None:
            return None  # without a count nothing says this page is not the last
        if current is not None:
            page_index = current + 1 if current == page_index - 1 else current
        following = page_index + 1
        return urljoin(url, f"{prefix}{following + offset}{suffix}") if following <= total else None

    def _script_template(self, scripts: str) -> tuple[str, int, str] | None:
        """(prefix, offset, suffix): page n is at prefix + (n + offset) + suffix."""
        page_params = {match["param"] for match in self.script_function.finditer(scripts)
                       if self._has(match["name"] or match["alias"], "page")}
        callback_params = {match["param"] for match in self.script_function.finditer(scripts)}
        functions = list(FUNCTION.finditer(scripts))
        for match in self.script_concatenation.finditer(scripts):
            if match["prefix"] and (match["var"] in page_params or self._has(match["var"], "page")
                                    or self._navigates_to_callback_page(scripts, match, callback_params)
                                    or self._navigates_in_page_function(scripts, match, functions)):
                offset = int(match["offset"].replace(" ", "")) if match["offset"] else 0
                return match["prefix"], offset, match["suffix"] or ""
        strings = {kind: match["value"] for match in self.script_string.finditer(scripts)
                   for kind in ("prefix", "suffix") if self._has_token(match["name"], kind)}
        if "prefix" not in strings:
            return None
        prefix, suffix = strings["prefix"], strings.get("suffix", "")
        if prefix[-1:].isalpha():
            prefix += self.bare_prefix_joiner
        if suffix.isalnum():
            suffix = "." + suffix
        return prefix, 0, suffix

    def _navigates_to_callback_page(self, scripts: str, match: re.Match, callback_params: set[str]) -> bool:
        """`location.href = 'index_' + obj.curr + '.html'` in a pager widget's callback: the URL of the page
        the callback is handed (the field of its argument that names that page), where the browser goes."""
        owner, _, field = match["var"].partition(".")
        if owner not in callback_params or field.lower() not in self.names["current_field"]:
            return False
        return _navigates(scripts, match)

    def _navigates_in_page_function(self, scripts: str, match: re.Match, functions: list[re.Match]) -> bool:
        """`function jumpPage() { var p = …; location.href = 'index_' + p + '.html'; }`: where a function named
        for pages sends the browser, the number it builds the URL from is the page's (read from a jump box)."""
        around = [function for function in functions if function.start() < match.start()]
        return bool(around) and self._has(function_name(around[-1]), "page") and \
            _navigates(scripts, match)

    def _script_numbers(self, scripts: str) -> tuple[int | None, int | None]:
        """(page count, current page) as the script declares them; without a page count, the records'
        count over the page size (a pager widget's `count: 16, limit: 6`)."""
        total = current = records = size = None
        for match in self.script_number.finditer(scripts):
            name, value = match["name"], int(match["value"])
            if not self._has(name, "page"):
                if records is None and self._has_token(name, "total"):
                    records = value
                elif size is None and self._has_token(name, "size") and value:
                    size = value
                continue
            if self._has(name, "size"):
                size = value if size is None and value else size
            elif total is None and self._has(name, "total"):
                total = value
            elif current is None and self._has(name, "current"):
                current = value
        if total is None and records is not None and size:
            total = -(-records // size)
        return total, current

    def _printed_total(self, html: str) -> int | None:
        for pattern in self.total_texts:
            match = pattern.search(html)
            if match:
                return int(match["total"])
        return None

    def _largest_printed_total(self, html: str) -> int | None:
        """The largest page count the page prints: list items may print their own article's (（共3页）), and
        stopping a column early loses articles, so only the largest count can end it."""
        totals = [int(match["total"]) for pattern in self.total_texts for match in pattern.finditer(html)]
        return max(totals, default=None)

    def _menu_total(self, html: str) -> int | None:
        """The highest page a jump menu of page numbers offers."""
        numbers = [number for options in self._jump_menus(html) for number, _ in options]
        return max(numbers, default=None)

    def _jump_menus(self, html: str) -> Iterable[list[tuple[int, str]]]:
        """Each <select> whose options are page numbers: (number, option value) pairs."""
        for body in SELECT.findall(html):
            options = []
            for attributes, text in OPTION.findall(body):
                number = self._text_number(" ".join(text.split()))
                if number is None:
                    break
                options.append((number, _attributes(attributes).get("value", "").strip()))
            else:
                if len(options) > 1:
                    yield options

    def _from_jump_menu(self, html: str, url: str, page_index: int) -> str | None:
        for options in self._jump_menus(html):
            for number, value in options:
                if number == page_index + 1 and value and not value.isdigit():
                    return urljoin(url, value)
        return None

    def _from_jump_form(self, html: str, url: str, page_index: int) -> str | None:
        """A GET form whose one visible field takes the page number."""
        for form_attributes, body in FORM.findall(html):
            form = _attributes(form_attributes)
            action = form.get("action", "").strip()
            if form.get("method", "get").lower() != "get" or action.lower().startswith("javascript:"):
                continue
            hidden, visible = [], []
            for tag, field_attributes in FIELD.findall(body):
                field = _attributes(field_attributes)
                kind = field.get("type", "").lower() if tag.lower() == "input" else ""
                if "name" not in field:
                    continue
                if kind == "hidden":
                    hidden.append((field["name"], field.get("value", "")))
                elif kind in VISIBLE_INPUTS:
                    visible.append(field["name"])
            if len(visible) != 1 or not self._is_jump_form(visible[0], body):
                continue
            total = self._printed_total(body) or self._printed_total(html)
            following = page_index + 1
            if total is not None and following > total:
                return None
            target = urlsplit(urljoin(url, action or url))
            query = [(name, value) for name, value in parse_qsl(target.query, keep_blank_values=True)
                     if name != visible[0] and name not in dict(hidden)]
            query += [*hidden, (visible[0], str(following))]
            return urlunsplit((target.scheme, target.netloc, target.path, urlencode(query), ""))
        return None

    def _is_jump_form(self, field: str, body: str) -> bool:
        return self._has(field, "page") or bool(self.jump_form_text.search(" ".join(TAG.sub(" ", body).split())))

    def _from_url_numbers(self, url: str, hrefs: list[str]) -> list[str]:
        """Without pager texts: page n's successor by the URL form its pager links share."""
        numbered = [(found[0], found[1], href) for href in hrefs
                    if (found := self._known_form(href)) and found[1] is not None]
        current = self._known_form(url)
        form = current[0] if current else next((found for found, _, _ in numbered), None)
        if form is not None and (current or numbered):
            pages: dict[int, str] = {}
            for found, number, href in numbered:
                if found is form:
                    pages.setdefault(number, href)
            if current and current[1] is not None:
                wanted = current[1] + form.direction
                return [pages[wanted]] if wanted in pages else []
            eligible = [number for number in pages if form.direction < 0 or number >= form.second_page]
            if eligible:
                return [pages[min(eligible) if form.direction > 0 else max(eligible)]]
        return self._inferred_next(url, hrefs)

    def _inferred_next(self, url: str, hrefs: list[str]) -> list[str]:
        """The one number that varies between this URL and its in-column links is the page number."""
        slots: dict[tuple, dict[int, str]] = {}
        current: dict[tuple, int | None] = {}
        for href in hrefs:
            found = self._sibling(href, url)
            if found:
                slot, number, here = found
                slots.setdefault(slot, {}).setdefault(number, href)
                current[slot] = here
        if not slots:
            return []
        slot = max(slots, key=lambda key: len(slots[key]))
        pages, here = slots[slot], current[slot]
        if here is not None:
            return [pages[here + 1]] if here + 1 in pages else []
        eligible = [number for number in pages if number >= self.first_step[slot[0]]]
        return [pages[min(eligible)]] if eligible else []

    def _sibling(self, href: str, url: str) -> tuple[tuple, int, int | None] | None:
        """(slot, href's number there, url's number there or None) when `href` is `url` with one number
        changed, a numeric query parameter added, or a number appended to its path stem."""
        link, page = _parts(href), _parts(url)
        if link.netloc != page.netloc:
            return None
        if link.path == page.path:
            added = [pair for pair in link.query if pair not in page.query]
            if len(link.query) == len(page.query) + 1 and len(added) == 1 and added[0][1].isdigit():
                return ("query", added[0][0]), int(added[0][1]), None
        if link.shape == page.shape:
            link_numbers, page_numbers = link.numbers, page.numbers
            differing = [index for index, (a, b) in enumerate(zip(link_numbers, page_numbers, strict=True))
                         if a != b]
            if len(differing) == 1:
                index = differing[0]
                return ("changed", index), link_numbers[index], page_numbers[index]
            return None
        if link.query == page.query:
            stem, dot, extension = page.path.rpartition(".")
            if dot and "/" not in extension and link.path.startswith(stem) and link.path.endswith(dot + extension):
                middle = link.path[len(stem):-len(dot + extension)]
                if len(middle) > 1 and middle[0] in self.suffix_separators and middle[1:].isdigit():
                    return ("suffix", middle[0]), int(middle[1:]), None
        return None

    # --- texts and names ----------------------------------------------------------------------------

    def _known_form(self, url: str) -> tuple[PageForm, int | None] | None:
        for form in self.forms:
            match = form.pattern.search(url)
            if match:
                if "page" in form.pattern.groupindex:
                    return form, int(match["page"])
                digits = DIGITS.findall(match.group(0))
                return form, int(digits[-1]) if digits else None
        return None

    def _text_number(self, text: str) -> int | None:
        match = self.number_text.match(text)
        return int(match["page"] or match["edition"]) if match else None

    def _label(self, text: str) -> str | None:
        lowered = text.lower()
        undecorated = lowered.strip(self.decoration)
        return (self.labels.get(lowered) or self.labels.get(undecorated)
                or self.labels.get(undecorated.replace(" ", "")))

    def _has(self, name: str | None, kind: str) -> bool:
        lowered = (name or "").lower()
        return any(word in lowered for word in self.names[kind])

    def _has_token(self, name: str, kind: str) -> bool:
        tokens = {token.lower() for part in name.split("_") for token in NAME_TOKEN.findall(part)}
        return bool(tokens.intersection(self.names[kind]))


@dataclass(frozen=True, slots=True)
class UrlParts:
    netloc: str
    path: str
    query: tuple[tuple[str, str], ...]
    shape: tuple  # the URL with its numbers (path digit runs, numeric parameter values) taken out
    numbers: tuple[int, ...]


def _navigates(scripts: str, match: re.Match) -> bool:
    """The match is what its statement sends the browser to (`location.href = … + p + …`)."""
    statement = scripts[max(scripts.rfind(mark, 0, match.start()) for mark in ";{\n") + 1 : match.start()]
    return NAVIGATION_START.search(statement) is not None


@lru_cache(maxsize=4096)  # a site's pager and menu links recur on every list page
def _parts(url: str) -> UrlParts:
    split = urlsplit(url)
    query = tuple(parse_qsl(split.query, keep_blank_values=True))
    numbers = [int(digits) for digits in DIGITS.findall(split.path)]
    shape: list = [DIGITS.sub("#", split.path)]
    for name, value in query:
        if value.isdigit():
            numbers.append(int(value))
            shape.append((name, "#"))
        else:
            shape.append((name, value))
    return UrlParts(split.netloc, split.path, query, tuple(shape), tuple(numbers))


def _attributes(text: str) -> dict[str, str]:
    return {match[1].lower(): next((value for value in match.groups()[1:] if value is not None), "")
            for match in ATTRIBUTE.finditer(text)}


def declared_next_pages(root, url: str) -> list[str]:
    """The next page the document itself declares: `<link rel="next">` in its head (or an anchor with
    rel="next"), HTML's own word for it."""
    base = root.base_url or url
    return _unique(_without_fragment(urljoin(base, element.get("href").strip()))
                   for element in root.iter("link", "a")
                   if "next" in (element.get("rel") or "").lower().split() and (element.get("href") or "").strip()
                   and not element.get("href").strip().lower().startswith(("javascript:", "#")))


def _page_field(root, function: PageFunction):
    """The input a page function writes its argument into."""
    for field in root.iter("input"):
        if (function.field_id and field.get("id") == function.field_id) or \
                (function.field_name and field.get("name") == function.field_name):
            return field
    return None


def _submitted_form(root, function: PageFunction, field):
    """The form a page function submits: the one it names, else the one holding its field, else the only one."""
    forms = list(root.iter("form"))
    if function.form_id:
        named = next((form for form in forms if function.form_id in (form.get("id"), form.get("name"))), None)
        if named is not None:
            return named
    holding = next(field.iterancestors("form"), None) if field is not None else None
    return holding if holding is not None else (forms[0] if len(forms) == 1 else None)


def _closing_brace(text: str, opening: int) -> int:
    depth = 0
    for position in range(opening, len(text)):
        if text[position] == "{":
            depth += 1
        elif text[position] == "}":
            depth -= 1
            if not depth:
                return position
    return len(text)


def _view_state_form(root):
    """The page's WebForms form, the one holding the view state (the whole page usually sits in it)."""
    return next((form for form in root.iter("form")
                 if any(field.get("name") == VIEW_STATE for field in form.iter("input"))), None)


def _without_fragment(url: str) -> str:
    return url.partition("#")[0]


def _unique(urls: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(urls))
