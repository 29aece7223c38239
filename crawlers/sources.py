"""Where a page keeps its links: anchors, scripts, list endpoints, feeds, sitemaps.

Every source is a pure function from a page (or a fetched endpoint, feed or sitemap) to `Link`s, each
tagged with the source it came from, so the spider and `dangjian sites check` can say what found what.
Which of those links are articles is decided elsewhere (crawlers/link_rules.py).

Besides `<a href>` (link_rules reads those), a page leads elsewhere through onclick handlers, javascript:
hrefs and image maps (`clickable_links`), through markup and data held in inline scripts (`script_links`),
and through the list endpoints its scripts call (`find_endpoints`, answered by `endpoint_page`). Scripts are
read statically, never run: string literals, concatenations of literals and simple variables, object
literals; what cannot be known that way is left out. Key names and parameter names are data
(`discovery:` in config/rules/cms.yaml).
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import operator
import posixpath
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cache, lru_cache
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import chompjs
import lxml.etree
import lxml.html
from cssselect import SelectorError

from pipelines.config import rules as load_rules
from pipelines.decode import DecodeError, decode_bytes
from pipelines.page import collapse_space, text_outside, vocabulary

FindDate = Callable[[str], str | None]

FOLLOWABLE_SCHEMES = ("http", "https")
HTTP_METHODS = {"GET", "POST"}
MAX_DATA_NODES = 20000  # a page's state object can be huge; records sit near the top
# Unix timestamps are dates only between 2000 and 2100: other numbers under a date-ish key are not.
TIMESTAMP_RANGE = (946684800, 4102444800)

_LITERAL = r"""'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`"""
_TOKENS = re.compile(rf"//[^\n]*|/\*.*?\*/|{_LITERAL}", re.S)
_LITERAL_RE = re.compile(_LITERAL, re.S)
_JS_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\n|.)", re.S)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0", "\n": ""}
_IDENTIFIER = re.compile(r"[A-Za-z_$][\w$]*")
_MEMBER = re.compile(r"[A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*|\[\s*(?:'[^'\n]*'|\"[^\"\n]*\"|[\w$]+)\s*\])*")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_BINDING = re.compile(rf"(?<![\w$.])([A-Za-z_$][\w$]*)\s*=\s*({_LITERAL}|-?\d+(?:\.\d+)?)\s*[;,\n)]")
# Where a handler sends the browser: location assignments, location.assign/replace, window.open.
_NAVIGATION = re.compile(
    rf"""(?:\b(?:window|self|top|parent|document)\s*\.\s*)?\blocation(?:\s*\.\s*href)?\s*=\s*({_LITERAL})"""
    rf"""|\blocation\s*\.\s*(?:assign|replace)\s*\(\s*({_LITERAL})"""
    rf"""|(?:(?<![\w$.])|\b(?:window|self|top|parent)\s*\.\s*)open\s*\(\s*({_LITERAL})""")
# `var param = {…}`, and a global a page's config file sets (`window.__CONFIG__ = {apiBase: '/prod-api'}`)
_OBJECT_BINDING = re.compile(r"(?<![\w$.])(?:(?:window|self|globalThis)\s*\.\s*)?([A-Za-z_$][\w$]*)\s*=\s*\{")
# `var config = window.__CONFIG__ || {}`: another name for a known object
_OBJECT_ALIAS = re.compile(r"(?<![\w$.])(?:var|let|const)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:(?:window|self|globalThis)\s*\.\s*)?"
                           r"([A-Za-z_$][\w$]*)\s*(?:\|\|\s*\{\s*\}\s*)?[;,\n]")
# A route's path parameter in a router's table (`{path: '/news/:contentId.html'}`): a record's field, as `{{id}}` is
_ROUTE_PARAM = re.compile(r"(?<=/):([A-Za-z_$][\w$]*)")
_STRING_BINDING = re.compile(r"(?<![\w$.])(?:var|let|const)\s+([A-Za-z_$][\w$]*)\s*=\s*(?=['\"`])")
# Navigations whose target is an expression, and function definitions (declared, assigned, arrow).
NAVIGATION_START = re.compile(
    r"\blocation(?:\s*\.\s*href)?\s*=(?!=)\s*|\blocation\s*\.\s*(?:assign|replace)\s*\(\s*"
    r"|(?:(?<![\w$.])|\b(?:window|self|top|parent)\s*\.\s*)open\s*\(\s*")
# Named functions: declared, assigned (`go = function (id)`, `go: function (id)`), arrow functions (with a
# block or an expression for a body) and object methods (`list(page) {…}`).
FUNCTION = re.compile(
    r"\bfunction\s*\*?\s*(?P<name>[A-Za-z_$][\w$]*)\s*\((?P<params>[^()]*)\)"
    r"|(?<![\w$])(?P<assigned>[A-Za-z_$][\w$]*)\s*[=:]\s*(?:async\s+)?function\b\s*\*?\s*(?:[A-Za-z_$][\w$]*\s*)?"
    r"\((?P<assigned_params>[^()]*)\)"
    r"|(?<![\w$])(?P<arrow>[A-Za-z_$][\w$]*)\s*[=:]\s*(?:async\s*)?"
    r"(?:\((?P<arrow_params>[\w$\s,=]*)\)|(?P<arrow_param>[A-Za-z_$][\w$]*))\s*=>"
    r"|(?<![\w$.])(?:async\s+)?(?P<method>(?!(?:if|for|while|switch|catch|with|function|return|typeof|new|await)\b)"
    r"[A-Za-z_$][\w$]*)\s*\((?P<method_params>[\w$\s,=]*)\)(?=\s*\{)")
_CALL_NAME = re.compile(r"(?<![\w$])(?:[A-Za-z_$][\w$]*\s*\.\s*)*([A-Za-z_$][\w$]*)\s*\(")
_JSON_PARSE = re.compile(rf"JSON\s*\.\s*parse\s*\(\s*({_LITERAL})\s*\)")
# Data a page hides in base64 (`window.atob('eyJ0…')`), decoded as UTF-8 the way the idiom around it does
# (`decodeURIComponent(escape(atob(…)))`).
_BASE64_LITERAL = re.compile(
    rf"(?P<utf8>decodeURIComponent\s*\(\s*escape\s*\(\s*)?(?:window\s*\.\s*)?\batob\s*\(\s*(?P<literal>{_LITERAL})\s*\)"
    r"(?(utf8)\s*\)\s*\))")
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_TAG = re.compile(r"<[^<>]+>")
_MARKUP = re.compile(r"<a\b[^>]*\bhref|<area\b", re.I)
_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}|\$\{\s*([^{}]+?)\s*\}|<%=?\s*(.+?)\s*%>|\{@?(\w[\w.]*)\}")
_HREF_ATTRIBUTE = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", re.I)
# `url: location.href` in a share widget's config: chompjs hands the expression over as a string.
_BROWSER_EXPRESSION = re.compile(r"^(?:window|document|location|this|self|top|parent|navigator)\.[\w.$]+$")
_EXTENSION = re.compile(r"\.([A-Za-z][A-Za-z0-9]{0,5})$")
_URL_CHARACTERS = re.compile(r"[!-~]+")  # printable ASCII: what a URL in data is written with
_CHINESE = re.compile(r"[\u3400-\u9fff]")
# jQuery's JSONP placeholder: `callback=?` in a getJSON/ajax URL is replaced by a callback name of its own.
JSONP_CALLBACK = "jsonpCallback"
_JSONP = re.compile(r"^\s*(?:/\*\*/\s*)?[\w$.]+\s*\(\s*(.*?)\s*\)\s*;?\s*$", re.S)
_PIECE = rf"(?:{_LITERAL}|{_MEMBER.pattern}|\d+)"
# A piece starts a chain only at a token boundary, and only when a binary `+` follows it.
_CONCATENATION = re.compile(
    rf"(?:{_LITERAL}|(?<![\w$.]){_MEMBER.pattern}|(?<![\w$.])\d+)(?=\s*\+(?![+=]))(?:\s*\+\s*{_PIECE})+")
_CONCAT_START = re.compile(rf"(?:{_LITERAL})(?=\s*\.\s*concat\s*\()", re.S)
_CONCAT_METHOD = re.compile(r"\s*\.\s*concat\s*\(")
_TEMPLATE_LITERAL = re.compile(r"`(?:[^`\\]|\\.)*\$\{(?:[^`\\]|\\.)*`", re.S)
# What bracket matching and splitting look at: literals (skipped whole), brackets, separators.
_STRUCTURE = re.compile(rf"{_LITERAL}|\+[+=]|[()\[\]{{}}+,]", re.S)
_EXPRESSION_END = re.compile(rf"{_LITERAL}|[()\[\]{{}},;\n]", re.S)
_CONDITIONAL_TOKENS = re.compile(rf"{_LITERAL}|\?\?|\?\.|[()\[\]{{}}?:]", re.S)
_ENCODED_BODY = re.compile(
    r"(?P<encoder>JSON\s*\.\s*stringify|\w+\s*\.\s*stringify|new\s+URLSearchParams)\s*\((?P<body>[\s\S]*)\)")
_CALLS = re.compile(
    r"(?:\$|\bjQuery)\s*\.\s*(?P<jquery>ajax|get|post|getJSON)\s*\("
    r"|\)\s*\.\s*(?P<load>load)\s*\("
    r"|\bfetch\s*\("
    r"|\baxios(?:\s*\.\s*(?P<axios>get|post|request))?\s*\("
    r"|\.\s*\$(?P<axios_data>get|post|request)\s*\("  # Nuxt's axios module: `$axios.$get(url, {params})`
    r"|\.\s*(?P<xhr>open)\s*\(")
# Request clients a script makes itself: `const http = axios.create({baseURL: '/api'})`, and the names it
# hands them on under (`Vue.prototype.$http = http`).
_CLIENT = re.compile(r"(?<![\w$.])([A-Za-z_$][\w$]*)\s*=\s*([A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*)"
                     r"\s*\.\s*create\s*\(")
_ALIAS = re.compile(r"(?<![\w$])([A-Za-z_$][\w$]*)\s*=\s*([A-Za-z_$][\w$]*)\s*[;,\n]")
_AXIOS_BASE = re.compile(rf"\baxios\s*\.\s*defaults\s*\.\s*baseURL\s*=\s*({_LITERAL})")
# A value a function reads from one of its parameters: the parameter itself or a field of it (`opts.url`).
_PARAMETER_READ = re.compile(r"([A-Za-z_$][\w$]*)((?:\s*\.\s*[A-Za-z_$][\w$]*)*)")
_OBJECT_OWNER = re.compile(r"(?<![\w$])([A-Za-z_$][\w$]*)\s*[=:]\s*\{")
_QUALIFIER = re.compile(r"(?:([A-Za-z_$][\w$]*)|[^\s\w$])\s*\.\s*$")
_IF = re.compile(r"(?<![\w$])if\s*\(")
_COMPARISON = re.compile(r"(?P<left>[^<>=!]+?)\s*(?P<operator><=|>=|===|!==|==|!=|<|>)\s*(?P<right>[^<>=!]+)")
_COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq,
            "===": operator.eq, "!=": operator.ne, "!==": operator.ne}
# A variable assigned from the page's query string, the parameter's name in the expression, and the default.
_LOCATION_ASSIGNMENT = re.compile(
    r"(?P<head>(?:\b(?:var|let|const)\s+)?[A-Za-z_$][\w$]*\s*=\s*)(?P<expression>[^;\n]*location\.search[^;\n]*)"
    r"(?P<end>;|\n)")
_QUERY_NAME = re.compile(r"""\[\?&\]\(?(?P<name>[\w-]+)=|\.get\(\s*['"](?P<get>[\w-]+)['"]\s*\)""")
_FALLBACK = re.compile(r"""\|\|\s*(?:\[\s*[^,\]]*,\s*)?['"]?(?P<value>[\w-]+)['"]?\s*\]?\s*\)?\s*(?:\[\s*1\s*\])?""")
_WRITTEN_SCRIPT = re.compile(r"""<script\b[^>]*\bsrc\s*=\s*["']([^"'<>]+)["']""", re.I)
# `token = res.data.token`: a variable set from a field of an answer (the path after the answer's name).
_ANSWER_ASSIGNMENT = re.compile(
    r"(?<![\w$.])(?P<variable>[A-Za-z_$][\w$]*)\s*=(?!=)\s*[A-Za-z_$][\w$]*(?P<path>(?:\s*\.\s*[A-Za-z_$][\w$]*)+)\s*[;\n]")
# A custom element a script defines, and what its code reads of its own attributes.
_CUSTOM_ELEMENT = re.compile(r"""customElements\s*\.\s*define\(\s*(?P<tag>'[\w-]+'|"[\w-]+")""")
_ELEMENT_READ = re.compile(
    r"""\bthis\s*\.\s*(?:dataset\s*\.\s*(?P<dataset>[A-Za-z_$][\w$]*)|getAttribute\(\s*(?P<attribute>'[^']*'|"[^"]*")\s*\))""")
_DATASET_WORD = re.compile(r"[A-Z]")
# An element's value read by a script: `document.querySelector(sel).href`, `document.getElementById(id)
# .getAttribute('data-url')`, `$(sel).attr('href')`, `$(sel).data('url')`.
_DOM_READ = re.compile(
    r"""(?:document\s*\.\s*querySelector\(\s*(?P<selector>'[^']*'|"[^"]*")\s*\)"""
    r"""|document\s*\.\s*getElementById\(\s*(?P<id>'[^']*'|"[^"]*")\s*\)"""
    r"""|\$\(\s*(?P<jq>'[^']*'|"[^"]*")\s*\))"""
    r"""\s*\.\s*(?:(?P<property>href|src|action)\b(?!\s*=[^=])|getAttribute\(\s*(?P<attribute>'[^']*'|"[^"]*")\s*\)"""
    r"""|attr\(\s*(?P<jq_attribute>'[^']*'|"[^"]*")\s*\)|data\(\s*(?P<data>'[^']*'|"[^"]*")\s*\))""")
# A click handler bound to elements of the page (`$('.year-tab li').on('click', function () {…})`,
# `$('.tab').click(function () {…})`) and, in its body, what it reads of the clicked element: `$(this).data('year')`,
# `$(this).attr('data-year')`, the same through an alias (`var $tab = $(this)`), `this.dataset.year`.
_CLICK_HANDLER = re.compile(
    r"""\$\(\s*(?P<selector>'[^']*'|"[^"]*")\s*\)\s*\.\s*(?:on\(\s*['"]click['"]\s*,\s*|click\(\s*)"""
    r"""function\s*\([^)]*\)\s*\{""")
_THIS_ALIAS = re.compile(r"(?<![\w$.])(?P<alias>\$?[A-Za-z_][\w$]*)\s*=\s*\$\(\s*this\s*\)")
MAX_HANDLER_ELEMENTS = 20  # tabs, not every row of a table
# A value computed by a function called at once: `window.__NUXT__=(function(a,b,c){return {…`
_IIFE_STATE = re.compile(r"=\s*\(\s*function\s*\((?P<params>[\w$,\s]*)\)\s*\{\s*return\s*\{")
_STATE_TOKEN = re.compile(rf"{_LITERAL}|(?<![\w$.])(?P<name>[A-Za-z_$][\w$]*)(?![\w$])", re.S)
_SUBSTRING_CALL = re.compile(
    r"(?P<value>[A-Za-z_$][\w$]*)\s*\.\s*(?P<method>substring|substr|slice)\(\s*(?P<start>\d+)\s*(?:,\s*(?P<second>\d+)\s*)?\)")
_DOTTED = re.compile(r"[A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)+")
MAX_WRAPPING = 3  # request calls inside wrappers inside API functions inside one more
MAX_REQUESTS = 400  # per level of wrapping: bundles are large, their request calls are not
MAX_CALL_SITES = 200  # per wrapper
ANSWER_WINDOW = 400  # how far after a request call the script's handling of its answer is looked for


@dataclass(frozen=True, slots=True)
class Link:
    url: str  # absolute, as written on the page (not canonicalized)
    text: str
    date_text: str | None = None  # raw date printed beside the link (or the record's date field)
    source: str = "anchor"  # anchor | script-href | area | script-markup | script-json | endpoint | feed | ...


@dataclass(frozen=True, slots=True)
class Substring:
    """A part of a field's text the URL takes (`md.substring(0, 2)`, `d.substr(4, 2)`, `s.slice(0, 6)`)."""

    start: int
    end: int | None


@dataclass(frozen=True, slots=True)
class UrlTemplate:
    """A URL a script builds from a record's fields: `parts` alternates literal text and field paths
    (`('/news/', ('docId',), '.html')`); a path may end in a `Substring` of the field's text."""

    parts: tuple[str | tuple[str | Substring, ...], ...]

    def fill(self, record: dict) -> str | None:
        """The URL for `record`, or None when it lacks a field the template needs."""
        pieces = []
        for part in self.parts:
            if isinstance(part, str):
                pieces.append(part)
                continue
            value: Any = record
            for key in part:
                if isinstance(key, Substring):
                    value = str(value)[key.start:key.end] if isinstance(value, str | int) else None
                else:
                    value = value.get(key) if isinstance(value, dict) else None
            if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
                return None
            pieces.append(str(value))
        return "".join(pieces)


@dataclass(frozen=True, slots=True)
class Token:
    """A value a list request sends that the page's script first gets from another request's answer
    (`$.getJSON('/api/auth/token', {appid: 'x'}, function (res) { token = res.data.token; load(1); })`)."""

    url: str  # absolute, its parameters in the query
    method: str
    form: dict[str, str] = field(hash=False)
    path: tuple[str, ...] = ()  # where the answer holds it (`data`, `token`)
    param: str = ""  # the list request's parameter it fills


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A list a script fetches: where, how, and which parameter pages it."""

    url: str  # absolute; a GET's parameters merged into its query
    method: str = "GET"
    form: dict[str, Any] = field(default_factory=dict, hash=False)  # a POST's body parameters
    body_format: str = "form"  # form (application/x-www-form-urlencoded) | json: how to send `form`
    page_param: str | None = None  # in the query, or in `form` when it is there
    page_start: int = 1  # the page parameter's value for the first page
    page_step: int = 1  # what it grows by per page: 1, or the page size where it counts records
    page_size_param: str | None = None
    range_end_param: str | None = None  # the last record's offset, moved with the page parameter
    url_templates: tuple[UrlTemplate, ...] = ()  # how the calling script builds links from id-only records
    cursor: tuple[str, str] | None = None  # (parameter, value) the answer before this one named for the next batch
    token: Token | None = None  # a parameter whose value another request's answer gives, asked for first
    next_url: str | None = None  # the page the previous answer's `Link: <…>; rel="next"` header named
    keyset_param: str | None = None  # asks for the records after the one it names (`lastId`): keyset paging


@dataclass(frozen=True, slots=True)
class EndpointPage:
    links: list[Link]
    total_pages: int | None = None
    total_records: int | None = None
    next_cursor: tuple[str, str] | None = None  # (parameter, value) asking for the batch after this one
    next_link: str | None = None  # the next page an answer's `Link` header names (rel="next"), as written


@dataclass(frozen=True, slots=True)
class _Hole:
    """A piece of a script expression whose value cannot be known statically."""

    expression: str


@dataclass(frozen=True, slots=True)
class _SubstringHole(_Hole):
    """Part of an unknown value's text: `md.substring(0, 2)` (expression `md`)."""

    part: Substring = Substring(0, None)


@dataclass(frozen=True, slots=True)
class _EncodedHole(_Hole):
    """An unknown value the script encodes as a request body (`JSON.stringify(payload)`): json or form."""

    encoder: str = "json"


@dataclass(frozen=True, slots=True)
class _Function:
    """A named function of a script: its parameters and where its body is."""

    name: str
    params: tuple[str, ...]
    start: int  # the body's first character
    end: int  # just past the body
    parent: int | None  # the index of the function around it
    owner: str | None = None  # for an object's member, the name of the object (called as `owner.name(…)`)


class _Api(NamedTuple):
    """A request API: jquery (verb ajax/get/post/getJSON), load, fetch, axios (verb get/post/request or None
    for a call of the client itself) or xhr; `base` is a client's baseURL."""

    name: str
    verb: str | None = None
    base: str = ""


class _Request(NamedTuple):
    """A request call read from a script, its arguments evaluated; holes may stand for the parameters of the
    function it sits in, to be filled from that function's calls."""

    api: _Api
    values: tuple
    position: int  # where the (innermost) call's arguments start
    # Where the script may handle the answer, for each call that led here (outermost first): the call and
    # what follows it, within the function around it where that function is a wrapper.
    evidence: tuple[tuple[int, int], ...]


# --- conventions ------------------------------------------------------------------------------------


def _name(key: str) -> str:
    return key.lower().replace("_", "").replace("-", "")


@dataclass(frozen=True)
class _Conventions:
    target_attributes: tuple[str, ...]
    asset_extensions: frozenset[str]
    url_keys: tuple[str, ...]
    title_keys: tuple[str, ...]
    date_key_parts: tuple[str, ...]
    min_title_chars: int
    page_params: frozenset[str]
    offset_params: frozenset[str]
    page_name_parts: frozenset[str]
    page_size_params: frozenset[str]
    range_end_params: frozenset[str]
    iteration_marks: tuple[str, ...]
    total_pages_keys: frozenset[str]
    total_records_keys: frozenset[str]
    cursor_keys: frozenset[str]
    keyset_params: frozenset[str]
    record_id_keys: tuple[str, ...]
    more_keys: frozenset[str]
    token_params: frozenset[str]
    max_ancestor_levels: int


@cache
def _conventions() -> _Conventions:
    cms = load_rules("cms")
    found = cms["discovery"]
    names = {key: tuple(_name(item) for item in found[key])
             for key in ("url_keys", "title_keys", "page_params", "offset_params", "page_name_parts",
                         "page_size_params", "range_end_params", "total_pages_keys", "total_records_keys",
                         "cursor_keys", "keyset_params", "record_id_keys", "more_keys", "token_params")}
    return _Conventions(
        target_attributes=tuple(found["target_attributes"]),
        asset_extensions=frozenset(ext.lower() for ext in (*cms["attachment_extensions"],
                                                            *found["asset_extensions"])),
        url_keys=names["url_keys"],
        title_keys=names["title_keys"],
        date_key_parts=tuple(found["date_key_parts"]),
        min_title_chars=found["min_title_chars"],
        page_params=frozenset(names["page_params"]),
        offset_params=frozenset(names["offset_params"]),
        page_name_parts=frozenset(names["page_name_parts"]),
        page_size_params=frozenset(names["page_size_params"]),
        range_end_params=frozenset(names["range_end_params"]),
        iteration_marks=tuple(found["iteration_marks"]),
        total_pages_keys=frozenset(names["total_pages_keys"]),
        total_records_keys=frozenset(names["total_records_keys"]),
        cursor_keys=frozenset(names["cursor_keys"]),
        keyset_params=frozenset(names["keyset_params"]),
        record_id_keys=names["record_id_keys"],
        more_keys=frozenset(names["more_keys"]),
        token_params=frozenset(names["token_params"]),
        max_ancestor_levels=cms["generic_articles"]["max_ancestor_levels"],
    )


# --- elements that lead somewhere -----------------------------------------------------------------


def page_base(root, page_url: str) -> str:
    """The URL relative links of the page resolve against: its `<base href>`, else the page's own URL."""
    base = root.find(".//base[@href]")
    return urljoin(page_url, base.get("href").strip()) if base is not None else page_url


def element_target(element, base_url: str, scripts: Iterable[str] = ()) -> str | None:
    """The absolute http(s) URL `element` navigates to: its href (also an `<area>`'s), the URL a
    `javascript:` href or an onclick handler sends the browser to (location assignments, location.assign,
    window.open, a call whose argument is a URL, or a call of a page function that navigates to a URL built
    from its arguments: `showNews('2207')` with `function showNews(id) { location.href = '/n/' + id + '.html' }`),
    or a data-href-like attribute. None when it leads nowhere knowable (`javascript:void(0)`, a handler that
    only toggles a menu). `base_url` is the page's URL; the document's `<base href>` applies. Functions are
    read from the document's inline scripts and from `scripts` (the text of its fetched script files)."""
    root = element.getroottree().getroot()
    return _target(element, page_base(root, base_url), _navigators(root, scripts))


def builds_links(script_text: str) -> bool:
    """Whether a script file says something of a list page's links: functions that navigate to a URL built
    from their arguments (`openDetail('2021','0604','7')`), URLs built from a record's fields (`"/news/detail/"
    + t.id`), or records themselves (`var newsData = [{id: …, title: …}]`, which the page's script renders)."""
    script = _read_script(script_text)
    return bool(script.navigators or script.templates) or any(
        isinstance(node, dict | list) and node for node in _script_objects(script.code))


def _navigators(root, scripts: Iterable[str]) -> dict[str, tuple[tuple[str, ...], UrlTemplate]]:
    """The page's functions that navigate to a URL built from their parameters, by name."""
    texts = [script.text for script in root.iter("script") if not script.get("src") and script.text]
    found: dict[str, tuple[tuple[str, ...], UrlTemplate]] = {}
    for text in [*texts, *scripts]:
        found.update(_read_script(text).navigators)
    return found


def _target(element, base: str, navigators: dict) -> str | None:
    href = (element.get("href") or "").strip()
    if href and not href.startswith("#"):
        if href[:11].lower() == "javascript:":
            found = _script_target(href[11:], navigators)
        else:
            found = href
        if found:
            return _absolute(found, base)
    handler = element.get("onclick")
    if handler:
        found = _script_target(handler, navigators)
        if found:
            return _absolute(found, base)
    for attribute in _conventions().target_attributes:
        value = (element.get(attribute) or "").strip()
        if value:
            return _absolute(value, base)
    return None


def _script_target(code: str, navigators: dict) -> str | None:
    """The URL a snippet of handler code navigates to: an explicit navigation first, then a call of a
    navigating page function, else the first string argument shaped like a page URL
    (`openArticle('/a/1.html')`) unless the handler makes a request (its URLs are data, not a destination)."""
    for match in _NAVIGATION.finditer(code):
        literal = next(group for group in match.groups() if group)
        value = _js_string(literal).strip()
        if value and not value.startswith("#") and not _is_asset(value):
            return value
    for call in _CALL_NAME.finditer(code) if navigators else ():
        if call.group(1) in navigators:
            end = _closing_bracket(code, call.end())
            if end is None:
                continue
            params, template = navigators[call.group(1)]
            arguments = [_evaluate(argument, {}) for argument in _split_top(code[call.end():end], ",")]
            url = template.fill(dict(zip(params, arguments, strict=False)))
            if url and not _is_asset(url):
                return url
    if _CALLS.search(code):
        return None
    for literal in _LITERAL_RE.findall(code):
        value = _js_string(literal).strip()
        if _is_url_literal(value):
            return value
    return None


def _absolute(url: str, base: str) -> str | None:
    if url[:11].lower() == "javascript:":
        return None
    absolute = urljoin(base, url)
    return absolute if urlsplit(absolute).scheme in FOLLOWABLE_SCHEMES else None


def clickable_links(root, base_url: str, find_date: FindDate, scripts: Iterable[str] = ()) -> list[Link]:
    """Links that are not a plain `<a href>`: any element whose onclick handler, `javascript:` href or
    data-href-like attribute leads to a URL (source "script-href"), and `<area href>` (source "area"), each
    with its visible text (else its title or alt) and the date printed in its record. `scripts`: the text of
    the page's fetched script files, where the functions its handlers call may be defined."""
    base = page_base(root, base_url)
    navigators = _navigators(root, scripts)
    attributes = " | ".join(f"//*[@{name}]" for name in _conventions().target_attributes)
    found = []
    census = _LinkCensus.of(root)
    scripted_href = "starts-with(translate(normalize-space(@href), 'JAVSCRIPT', 'javscript'), 'javascript:')"
    for element in root.xpath(f"//*[@onclick] | //a[{scripted_href}] | //area[@href] | {attributes}"):
        href = (element.get("href") or "").strip()
        plain_anchor = element.tag == "a" and href and not href.startswith("#") and (
            href[:11].lower() != "javascript:")
        if plain_anchor:
            continue  # link_rules reads those
        url = _target(element, base, navigators)
        if url is None:
            continue
        text = _visible_text(element) or collapse_space(element.get("title") or element.get("alt") or "")
        date_text = _record_date(element, find_date, census)
        if date_text and text.endswith(date_text):  # a clickable row reads "headline date": the date has its field
            text = text[:-len(date_text)].rstrip() or text
        source = "area" if element.tag == "area" else "script-href"
        found.append(Link(url, text, date_text, source))
    return _unique_links(found)


def script_sources(root, base_url: str) -> list[str]:
    """Absolute URLs of the page's `<script src>` and of those its inline scripts write
    (`document.write('<script src="/data/news_' + p + '.js">')`), in page order, each once."""
    base = page_base(root, base_url)
    codes = _inline_scripts(root, base_url)
    shared = _page_bindings(codes)
    written = [source for code in codes if "<script" in code.lower()
               for source in _WRITTEN_SCRIPT.findall(_written_text(code, {**shared, **_read_script(code).bindings}))]
    urls = (_absolute(source.strip(), base)
            for source in [*(script.get("src") for script in root.iter("script") if script.get("src")), *written])
    return list(dict.fromkeys(url for url in urls if url and "{{" not in url))


def _false_branches(code: str, bindings: dict[str, Any]) -> list[tuple[int, int]]:
    """The spans of `if (a < b) {…}` / `if (a < b) …;` whose condition compares two known numbers and fails."""
    spans = []
    for branch in _IF.finditer(code) if "if" in code else ():
        closing = _closing_bracket(code, branch.end())
        comparison = _COMPARISON.fullmatch(code[branch.end():closing].strip()) if closing else None
        if comparison is None:
            continue
        left, right = (_evaluate(comparison[side], bindings) for side in ("left", "right"))
        if not all(isinstance(value, int) and not isinstance(value, bool) for value in (left, right)):
            continue
        if _COMPARE[comparison["operator"]](left, right):
            continue
        body = closing + 1
        while body < len(code) and code[body] in " \t\r\n":
            body += 1
        end = _closing_bracket(code, body + 1, "}") if code.startswith("{", body) else code.find(";", body)
        spans.append((body, len(code) if end is None or end < 0 else end + 1))
    return spans


def _page_bindings(codes: Iterable[str]) -> dict[str, Any]:
    """The variables the page's scripts set, shared by all of them as a page's globals are (one set twice is
    not known)."""
    shared: dict[str, Any] = {}
    for code in codes:
        for name, value in _read_script(code).bindings.items():
            shared[name] = None if name in shared and shared[name] != value else value
    return shared


def _inline_scripts(root, page_url: str) -> list[str]:
    """The texts of the page's inline scripts, with what they read of the page's own address in place."""
    return [with_location_reads(script.text, page_url) for script in root.iter("script")
            if not script.get("src") and script.text and script.text.strip()]


def with_location_reads(script_text: str, page_url: str) -> str:
    """The script with a variable set from the page's query string (`var p = parseInt((location.search.match(
    /[?&]p=(\\d+)/) || [0, 1])[1], 10);`, `new URLSearchParams(location.search).get('p') || 1`) set to its value
    for this page: the parameter's, or the default the script falls back to."""
    if "location.search" not in script_text:
        return script_text
    query = dict(parse_qsl(urlsplit(page_url).query, keep_blank_values=True))

    def assigned(read: re.Match) -> str:
        expression = read["expression"]
        name = _QUERY_NAME.search(expression)
        if name is None:
            return read.group()
        value = query.get(name.group("name") or name.group("get"))
        if value is None:
            fallback = _FALLBACK.search(expression)
            if fallback is None:
                return read.group()
            value = fallback.group("value")
        literal = value if value.isdigit() else json.dumps(value, ensure_ascii=False)
        return f"{read['head']}{literal}{read['end']}"

    return _LOCATION_ASSIGNMENT.sub(assigned, script_text)


# --- links held in inline scripts -----------------------------------------------------------------


def script_links(root, base_url: str, find_date: FindDate, scripts: Iterable[str] = (),
                 unlinked: list[dict] | None = None) -> list[Link]:
    """Links held in the page's inline `<script>` blocks: anchors in markup (CDATA records of an XML
    datastore, HTML templates, HTML strings a script writes) with the date of their record (source
    "script-markup"), and records in data (JSON, JS object and array literals, `JSON.parse('…')`, XML records,
    the state a server-rendered app hands its client: `window.__NUXT__=(function(a,b){return {…}}(1,""))`)
    with their title and date fields (source "script-json"). Records holding only an id get their URL from
    the template any of the page's scripts, or of its script files read so far (`scripts`), builds it with
    (`'/news/' + item.docId + '.html'`, `this.$router.push("/news/detail/" + t.id)`); records with a headline
    that none builds a URL for are added to `unlinked` when it is given."""
    base = page_base(root, base_url)
    blocks = [(with_location_reads(script.text, base_url), _script_kind(script.get("type")))
              for script in root.iter("script") if not script.get("src") and script.text and script.text.strip()]
    blocks += [(text, "js") for text in scripts]  # the data a script file holds is the page's too
    shared = _page_bindings(text for text, kind in blocks if kind == "js")
    templates = tuple(dict.fromkeys(template for text, kind in blocks
                                    for template in url_templates(text, markup=kind == "markup")))
    found: list[Link] = []
    for text, kind in blocks:
        found.extend(_script_block_links(text, kind, base, find_date, templates, unlinked, shared))
    return _unique_links(found)


def _applied_state(code: str, state: re.Match) -> str:
    """The object an immediately called function returns (`(function(a,b,c){return {id:1,isLink:b,url:c}}(7,!1,
    ""))`, how Nuxt serialises its state) with its parameters replaced by the arguments' literals, as data."""
    opening = state.end() - 1
    closing = _closing_bracket(code, opening + 1, "}")
    if closing is None:
        return ""
    call = re.match(r"\s*\}\s*\(", code[closing + 1 :])  # the function's own closing brace, then its call
    arguments_start = closing + 1 + call.end() if call else None
    arguments_end = _closing_bracket(code, arguments_start) if arguments_start else None
    if arguments_end is None:
        return ""
    params = [name.strip() for name in state["params"].split(",")]
    values = [_literal_text(argument) for argument in _split_top(code[arguments_start:arguments_end], ",")]
    bound = dict(zip(params, values, strict=False))
    body = code[opening : closing + 1]

    def value(token: re.Match) -> str:
        name = token.group("name")
        if name is None or name not in bound:
            return token.group()
        before = body[: token.start()].rstrip()[-1:]
        after = body[token.end() :].lstrip()[:1]
        return bound[name] if before in ":[,(" and after != ":" else token.group()  # a value, not a key

    return _STATE_TOKEN.sub(value, body)


def _literal_text(argument: str) -> str:
    """A JS argument as a data literal: minifiers write `!0`/`!1` for true/false and `void 0` for undefined."""
    argument = argument.strip()
    shorthand = {"!0": "true", "!1": "false", "void 0": "null", "undefined": "null"}
    if argument in shorthand:
        return shorthand[argument]
    if _LITERAL_RE.fullmatch(argument) or _NUMBER.fullmatch(argument) or argument in ("true", "false", "null"):
        return argument
    return "null"


def _script_kind(script_type: str | None) -> str:
    """How a script block is read: js, json, xml or markup (text/html, text/template and the like)."""
    script_type = (script_type or "").lower()
    if not script_type or any(word in script_type for word in ("javascript", "ecmascript", "module")):
        return "js"
    return next((kind for kind in ("json", "xml") if kind in script_type), "markup")


def _script_block_links(text: str, kind: str, base: str, find_date: FindDate, templates: tuple[UrlTemplate, ...],
                        unlinked: list[dict] | None = None, shared: dict[str, Any] | None = None) -> Iterator[Link]:
    records = _CDATA.findall(text)
    if records:  # one parse for all: each record in an element of its own keeps its date apart
        yield from _markup_links("".join(f"<div>{record}</div>" for record in records), base, find_date,
                                 "script-markup")
        text = _CDATA.sub("", text)
    if kind == "json":
        yield from _data_links(_parsed_objects(text), base, find_date, templates, "script-json", unlinked)
    elif kind == "xml":
        data = _xml_data(text.encode("utf-8"))
        yield from _data_links([data] if data is not None else [], base, find_date, templates, "script-json",
                               unlinked)
    elif kind == "markup":
        yield from _markup_links(text, base, find_date, "script-markup")
    else:
        script = _read_script(text)
        code = script.code
        markup = _written_markup(code, {**(shared or {}), **script.bindings})
        if markup:
            yield from _markup_links(markup, base, find_date, "script-markup")
        objects = list(_script_objects(code))
        for literal in _JSON_PARSE.findall(code):
            objects.extend(_parsed_objects(_js_string(literal)))
        for state in _IIFE_STATE.finditer(code):
            objects.extend(_parsed_objects(_applied_state(code, state)))
        yield from _data_links(objects, base, find_date, templates, "script-json", unlinked)


def url_templates(script_text: str, *, markup: bool = False) -> tuple[UrlTemplate, ...]:
    """How a script builds page URLs from a record's fields: concatenations (`'/a/' + d.id + '.html'`),
    template literals (`/a/${d.id}.html`) and placeholders in string templates (`href="/a/{{id}}.html"`).
    With `markup`, the text is a markup template itself (`<script type="text/html">`), not code."""
    if markup:
        return tuple(dict.fromkeys(_template_candidates(_placeholder_parts(script_text))))
    return _read_script(script_text).templates


@dataclass(frozen=True, slots=True)
class _Script:
    """What static reading gets from one script, shared by its links, templates and endpoints."""

    code: str  # comments removed
    bindings: dict[str, Any]  # read-only
    concatenations: tuple[tuple[int, Any], ...]  # (position, evaluated value) of each concatenation
    templates: tuple[UrlTemplate, ...]
    navigators: dict[str, tuple[tuple[str, ...], UrlTemplate]]  # read-only; see _function_navigators
    functions: tuple[_Function, ...]  # in order of their bodies' starts
    function_starts: tuple[int, ...]


@lru_cache(maxsize=512)
def _read_script(script_text: str) -> _Script:
    """Cached: a site repeats the same inline scripts on every list page, and a page's scripts are read both
    for links and for endpoints."""
    code = _decoded_literals(_strip_comments(script_text))
    bindings = _bindings(code)
    concatenations = tuple((position, _evaluate(expression, bindings))
                           for position, expression in _concatenations(code))
    rendered = [value for _, value in concatenations if isinstance(value, list)]
    rendered.extend(_placeholder_parts(_js_string(literal)) for literal in _LITERAL_RE.findall(code)
                    if "{" in literal or "<%" in literal or "/:" in literal)
    templates = tuple(dict.fromkeys(template for parts in rendered for template in _template_candidates(parts)))
    functions = _functions(code)
    return _Script(code, bindings, concatenations, templates, _function_navigators(code, bindings, functions),
                   functions, tuple(function.start for function in functions))


def function_name(match: re.Match) -> str:
    """The name of a function `FUNCTION` matched: declared, assigned, an arrow function's or a method's."""
    return match["name"] or match["assigned"] or match["arrow"] or match["method"]


def _functions(code: str) -> tuple[_Function, ...]:
    """The script's named functions with parameters, each with the index of the one around it and, for an
    object's member (`list(p) {…}`, `list: function (p)`), the name the object is bound to."""
    if "(" not in code:
        return ()
    heads = []
    members = []
    for match in FUNCTION.finditer(code):
        name = function_name(match)
        params_text = next((text for text in (match["params"], match["assigned_params"], match["arrow_params"],
                                              match["arrow_param"], match["method_params"]) if text), "")
        params = tuple(param for param in (piece.partition("=")[0].strip() for piece in params_text.split(","))
                       if _IDENTIFIER.fullmatch(param))
        if not params:
            continue
        start = match.end()
        while start < len(code) and code[start] in " \t\r\n":
            start += 1
        if code.startswith("{", start):
            end = _closing_bracket(code, start + 1, "}")
            if end is None:
                continue
            heads.append((start + 1, end, name, params, match.start()))
        elif match["arrow"]:  # an expression for a body: `list = (p) => http.post('/x', p)`
            heads.append((start, _expression_end(code, start), name, params, match.start()))
        else:
            continue
        named = "assigned" if match["assigned"] else "arrow" if match["arrow"] else None
        if match["method"] or named and code[match.end(named):match.end(named) + 40].lstrip()[:1] == ":":
            members.append(len(heads) - 1)
    owners = _object_owners(code, [heads[index][4] for index in members])
    heads = [(*head[:4], owners.get(head[4])) for head in heads]
    heads.sort(key=lambda head: head[0])
    found: list[_Function] = []
    around: list[int] = []
    for start, end, name, params, owner in heads:
        while around and found[around[-1]].end <= start:
            around.pop()
        found.append(_Function(name, params, start, end, around[-1] if around else None, owner))
        around.append(len(found) - 1)
    return tuple(found)


def _object_owners(code: str, positions: list[int]) -> dict[int, str]:
    """For each position, the name of the innermost object literal around it that is bound to a name
    (`api = {…}`, `api: {…}`)."""
    if not positions:
        return {}
    spans = []
    for match in _OBJECT_OWNER.finditer(code):
        end = _closing_bracket(code, match.end(), "}")
        if end is not None:
            spans.append((match.end(), end, match.group(1)))
    owners: dict[int, str] = {}
    around: list[tuple[int, int, str]] = []
    index = 0
    for position in sorted(positions):
        while index < len(spans) and spans[index][0] <= position:
            while around and around[-1][1] <= spans[index][0]:
                around.pop()
            around.append(spans[index])
            index += 1
        while around and around[-1][1] <= position:
            around.pop()
        if around:
            owners[position] = around[-1][2]
    return owners


def _enclosing(script: _Script, position: int) -> Iterator[int]:
    """The indexes of the functions whose bodies hold `position`, innermost first."""
    index: int | None = bisect_right(script.function_starts, position) - 1
    while index is not None and index >= 0:
        function = script.functions[index]
        if function.start <= position < function.end:
            yield index
        index = function.parent


def _function_navigators(code: str, bindings: dict[str, Any], functions: tuple[_Function, ...],
                         ) -> dict[str, tuple[tuple[str, ...], UrlTemplate]]:
    """Functions that send the browser to a URL built from their parameters, by name: (parameter names,
    the URL template over them). `function go(id) { location.href = 'show.jsp?id=' + id; }`, also with the
    URL put in a variable first, or written as `go = function (id) {…}` or an arrow function."""
    found = {}
    for function in functions:
        params = function.params
        body = code[function.start:function.end]
        known = bindings if not bindings.keys() & set(params) else {
            key: value for key, value in bindings.items() if key not in params}
        for navigation in NAVIGATION_START.finditer(body):
            expression = _expression_at(body, navigation.end())
            if _IDENTIFIER.fullmatch(expression) and expression not in params:
                assigned = re.search(rf"(?<![\w$.]){re.escape(expression)}\s*=(?!=)", body[:navigation.start()])
                expression = _expression_at(body, assigned.end()) if assigned else expression
            template = _parameter_template(_evaluate(expression, known), params)
            if template:
                found[function.name] = (params, template)
                break
    return found


def _parameter_template(value: Any, params: tuple[str, ...]) -> UrlTemplate | None:
    if not isinstance(value, list):
        return None
    while value and isinstance(value[0], _Hole) and value[0].expression not in params:
        value = value[1:]  # a context path held in a variable: the page's own
    parts: list = []
    for part in value:
        if isinstance(part, _Hole):
            if part.expression not in params:
                return None
            parts.append((part.expression, part.part) if isinstance(part, _SubstringHole) else (part.expression,))
        else:
            parts.append(part)
    literal_text = "".join(part for part in parts if isinstance(part, str))
    if not parts or not isinstance(parts[0], str) or not _is_url_literal(literal_text):
        return None
    return UrlTemplate(tuple(parts))


def _expression_at(text: str, start: int) -> str:
    """The expression starting at `start`: up to the first `,`, `;` or line end outside brackets, or the
    bracket that closes around it."""
    return text[start:_expression_end(text, start)].strip()


def _expression_end(text: str, start: int) -> int:
    for token, depth in _nesting(text, start, _EXPRESSION_END, depth=0):
        if depth < 0 or depth == 0 and token.group(0) in ",;\n":
            return token.start()
    return len(text)


def _template_candidates(parts: list) -> Iterator[UrlTemplate]:
    """The URL templates in one rendered expression: its href attributes, or the whole of it when it reads as
    a URL. Field reads become fields; an unknown value poisons the template, except in front (a context
    path held in a variable: the page's own)."""
    marked = "".join(_marked(part) for part in parts)
    if "\x00" not in marked:
        return
    hrefs = [next(group for group in match.groups() if group is not None)
             for match in _HREF_ATTRIBUTE.finditer(marked)]
    for candidate in hrefs or [marked]:
        candidate = candidate.lstrip("\x01")
        if "\x00" not in candidate or "\x01" in candidate or candidate.count("\x00") % 2:
            continue
        pieces = candidate.split("\x00")
        literal_text = "".join(pieces[0::2])
        if any(char in literal_text for char in "<>\"'{}$") or not _is_url_literal(literal_text):
            continue
        yield UrlTemplate(tuple(piece if index % 2 == 0 else tuple(piece.split("."))
                                for index, piece in enumerate(pieces) if piece))


def _marked(part) -> str:
    """A rendered piece as text: a field between NUL marks, an unknown value as \\x01."""
    if isinstance(part, str):
        return part
    if isinstance(part, _Hole):
        path = _field_path(part.expression) if re.search(r"[.\[]", part.expression) else None
        return "\x00" + ".".join(path) + "\x00" if path else "\x01"
    return "\x00" + ".".join(part) + "\x00"


def _placeholder_parts(text: str) -> list:
    if text.startswith("/") and "/:" in text:
        text = _ROUTE_PARAM.sub(lambda param: "{" + param.group(1) + "}", text)  # a route's path
    parts: list = []
    position = 0
    for match in _PLACEHOLDER.finditer(text):
        expression = next(group for group in match.groups() if group)
        path = _field_path(expression)
        parts.append(text[position:match.start()])
        parts.append(path if path else "\x01")  # an expression that is not a field: poisons the template
        position = match.end()
    parts.append(text[position:])
    return [part for part in parts if part != ""]


def _field_path(expression: str) -> tuple[str, ...] | None:
    """The record field an expression reads: `item.docId` -> ('docId',), `d['info'].id` -> ('info', 'id'),
    `list[i].url` -> ('url',); a bare name in a markup template (`{{id}}`) is the field itself."""
    expression = expression.strip()
    if not _MEMBER.fullmatch(expression):
        return None
    segments = re.findall(r"\.\s*([A-Za-z_$][\w$]*)|\[\s*(?:'([^']*)'|\"([^\"]*)\"|([\w$]+))\s*\]", expression)
    if not segments:
        return (expression,)
    path: list[str] = []
    for dotted, single, double, index in segments:
        if index:
            path = []  # list[i]: the record starts after the index
        else:
            path.append(dotted or single or double)
    return tuple(path) or None


# --- data records -----------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _script_objects(code: str) -> tuple[Any, ...]:
    """The data literals of a script, read once: a site's script files are read again for each list page."""
    return tuple(_parsed_objects(code))


def _parsed_objects(text: str) -> Iterator[Any]:
    if "{" not in text and "[" not in text:
        return
    try:
        yield from chompjs.parse_js_objects(text)
    except (ValueError, TypeError):
        return


def _data_links(objects: Iterable[Any], base: str, find_date: FindDate, templates: tuple[UrlTemplate, ...],
                source: str, unlinked: list[dict] | None = None) -> Iterator[Link]:
    """Records anywhere in parsed data: a mapping with a page URL (or an id a template turns into one) and a
    headline. Strings holding anchors are read as markup. Records with a headline under a title key but no
    URL go to `unlinked`."""
    budget = MAX_DATA_NODES
    stack = list(objects)[::-1]
    title_keys = _conventions().title_keys
    while stack and budget > 0:
        node = stack.pop()
        budget -= 1
        if isinstance(node, dict):
            link = _record_link(node, base, find_date, templates, source)
            if link:
                yield link
            elif unlinked is not None and any(_name(str(key)) in title_keys and isinstance(value, str)
                                              and _is_headline(_plain_text(value), find_date)
                                              for key, value in node.items()):
                unlinked.append(node)
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, str) and _MARKUP.search(node):
            yield from _markup_links(node, base, find_date, source)


def _record_link(record: dict, base: str, find_date: FindDate, templates: tuple[UrlTemplate, ...],
                 source: str) -> Link | None:
    conventions = _conventions()
    by_name = {_name(str(key)): _unwrapped(value) for key, value in record.items()}
    url = next((value for key in conventions.url_keys
                if isinstance(value := by_name.get(key), str) and _is_page_url(value.strip(), by_key=True)),
               None)
    if url is None:
        url = next((value for value in record.values()
                    if isinstance(value, str) and _is_page_url(value.strip(), by_key=False)), None)
    if url is None:
        url = next((filled for template in templates
                    if (filled := template.fill(record)) and _is_page_url(filled, by_key=True)), None)
    if url is None:
        return None
    title = next((text for key in conventions.title_keys
                  if isinstance(by_name.get(key), str) and (text := _plain_text(by_name[key]))), None)
    if title is None:
        title = next((text for value in record.values() if isinstance(value, str)
                      and _is_headline(text := _plain_text(value), find_date)), None)
    if title is None:
        return None
    absolute = _absolute(url.strip(), base)
    return Link(absolute, title, _record_date_value(record, find_date), source) if absolute else None


def _unwrapped(value: Any) -> Any:
    """A field whose value is a mapping of one string (WordPress's `"title": {"rendered": "…"}`) is that string."""
    if isinstance(value, dict) and len(value) == 1:
        (inner,) = value.values()
        if isinstance(inner, str):
            return inner
    return value


def _record_date_value(record: dict, find_date: FindDate) -> str | None:
    """The record's date: a value under a date-ish key, else a string value that is a date and nothing else."""
    parts = _conventions().date_key_parts
    for key, value in record.items():
        if any(part in str(key).lower() for part in parts):
            found = _date_value(value, find_date)
            if found:
                return found
    return next((value.strip() for value in record.values()
                 if isinstance(value, str) and len(value) < 40 and find_date(value) == value.strip()), None)


def _date_value(value: Any, find_date: FindDate) -> str | None:
    """A record's date field as text: Unix timestamps (seconds or milliseconds, also `/Date(…)/`) become
    ISO 8601 in UTC; date strings are returned as `find_date` reads them."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        stamp = re.fullmatch(r"\s*(?:/?Date\()?(\d{10}|\d{13})(?:[+-]\d{4})?\)?/?\s*", value)
        if not stamp:
            return value.strip() if _is_iso_datetime(value.strip()) else find_date(value)
        value = int(stamp.group(1))
    if isinstance(value, int | float):
        seconds = value / 1000 if value > TIMESTAMP_RANGE[1] else value
        if TIMESTAMP_RANGE[0] <= seconds < TIMESTAMP_RANGE[1]:
            return datetime.fromtimestamp(seconds, UTC).isoformat()
    return None


def _is_iso_datetime(text: str) -> bool:
    try:
        return "T" in text and bool(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        return False


def _is_headline(text: str, find_date: FindDate) -> bool:
    return (len(text) >= _conventions().min_title_chars and bool(_CHINESE.search(text))
            and not _is_url_literal(text) and find_date(text) != text)


def _xml_data(body: bytes) -> Any:
    """An XML document as nested data: an element with children or attributes is a mapping of its child
    tags (repeated ones as a list) and attributes; a leaf is its text (CDATA included)."""
    try:
        root = lxml.etree.fromstring(body, lxml.etree.XMLParser(recover=True, resolve_entities=False,
                                                                no_network=True))
    except lxml.etree.XMLSyntaxError:
        return None
    return None if root is None else _xml_value(root)


def _xml_value(element) -> Any:
    children = [child for child in element if isinstance(child.tag, str)]
    if not children and not element.attrib:
        return (element.text or "").strip()
    value: dict[str, Any] = dict(element.attrib)
    for child in children:
        tag = lxml.etree.QName(child).localname
        item = _xml_value(child)
        if tag in value:
            existing = value[tag]
            value[tag] = [*existing, item] if isinstance(existing, list) else [existing, item]
        else:
            value[tag] = item
    if not children and (element.text or "").strip():
        value["text"] = element.text.strip()
    return value


# --- markup records -------------------------------------------------------------------------------


def _markup_links(markup: str, base: str, find_date: FindDate, source: str) -> Iterator[Link]:
    """The anchors of an HTML fragment, each with the date of its record (the largest element around it
    that holds no other link)."""
    if not _MARKUP.search(markup):
        return
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return
    census = _LinkCensus.of(root)
    for element in root.xpath(".//a[@href] | .//area[@href]"):
        url = _target(element, base, {})
        if url is None or _PLACEHOLDER.search(url) or "\x01" in url:
            continue
        text = _visible_text(element) or collapse_space(element.get("title") or element.get("alt") or "")
        yield Link(url, text, _record_date(element, find_date, census), source)


def _written_markup(code: str, bindings: dict[str, Any]) -> str:
    """The HTML a script writes with string literals (`html += '<li>…'`, `document.write("…")`,
    `['<li>', …].join('')`), joined in order. Where an expression sits between two literals of one
    concatenation its value is unknown, so a placeholder stands in for it (a template, not a link)."""
    markup = _written_text(code, bindings)
    return markup if _MARKUP.search(markup) else ""


def _written_text(code: str, bindings: dict[str, Any]) -> str:
    """What `_written_markup` joins, whatever it holds (a `<script src>` tag too). What a branch writes whose
    condition is known to be false (`if (p < pageCount)` on the last page) is not written."""
    if "<" not in code:
        return ""
    pieces: list[str] = []
    previous_end = None
    skipped = _false_branches(code, bindings)
    for match in _LITERAL_RE.finditer(code):
        if any(start <= match.start() < end for start, end in skipped):
            previous_end = None
            continue
        if previous_end is not None:
            gap = code[previous_end:match.start()]
            if "+" in gap and not re.search(r"[;{}]|\+=", gap) and gap.strip() != "+":
                expression = gap.strip().strip("+").strip()
                known = _evaluate(expression, bindings)
                pieces.append(str(known) if isinstance(known, str | int) and not isinstance(known, bool)
                              else "{{" + expression + "}}")
        pieces.append(_js_string(match.group(0)))
        previous_end = match.end()
    return "".join(pieces)


@dataclass(frozen=True, slots=True)
class _LinkCensus:
    """The links of a tree (anchors with an href, elements with an onclick, each with text) and how many of
    them every element holds, itself included: where one record ends and the next begins."""

    links: set
    held: dict

    @classmethod
    def of(cls, root) -> _LinkCensus:
        links = {link for link in root.xpath("descendant-or-self::a[@href] | descendant-or-self::*[@onclick]")
                 if _visible_text(link)}
        held: dict = {}
        for link in links:
            held[link] = held.get(link, 0) + 1
            for ancestor in link.iterancestors():
                held[ancestor] = held.get(ancestor, 0) + 1
        return cls(links, held)

    def holds_others(self, parent, record) -> bool:
        """Whether `parent` holds links besides those in `record` and itself (a clickable row around the
        record's title link is the same record)."""
        return self.held.get(parent, 0) - self.held.get(record, 0) - (parent in self.links) > 0


def _record_date(element, find_date: FindDate, census: _LinkCensus) -> str | None:
    """The date in `element`'s record: the text around it in the largest ancestor holding no other link,
    else its own text (a clickable table row carries its date cell)."""
    record = element
    for _ in range(_conventions().max_ancestor_levels):
        parent = record.getparent()
        if parent is None or census.holds_others(parent, record):
            break
        record = parent
    if record is not element:
        found = find_date(text_outside(record, element))
        if found:
            return found
    return find_date(_visible_text(element))


def _visible_text(element) -> str:
    return "" if element.tag in vocabulary().invisible else text_outside(element, None)


# --- list endpoints -------------------------------------------------------------------------------


def plugin_endpoints(script_text: str, page_url: str, shown: int) -> list[Endpoint]:
    """The data proxies of list plugins that carry on a column the page shows the first records of (Hanweb
    JCMS's `$('#id').jpage({proxyUrl, ajaxParam, perPage, groupSize})`): asked as the plugin asks them, a group
    of `perPage × groupSize` records at a time from record `shown + 1`, its parameters in the form
    (cms.yaml `discovery.list_plugins`)."""
    found: list[Endpoint] = []
    for plugin in load_rules("cms")["discovery"]["list_plugins"]:
        for call in re.finditer(rf"\.{re.escape(plugin['call'])}\(\s*\{{", script_text):
            end = _closing_bracket(script_text, call.end(), "}")
            if end is None:
                continue
            options = _object_literal(script_text[call.end() : end], _bindings(script_text))
            url, form = options.get(plugin["url_key"]), options.get(plugin["form_key"], {})
            per_page = _int_value(options.get(plugin["per_page_key"]))
            group = per_page * (_int_value(options.get(plugin["group_key"])) or 1) if per_page else None
            if not isinstance(url, str) or not isinstance(form, dict) or not group:
                continue
            start = shown + 1
            values = {"start": start, "end": start + group - 1, "per_page": per_page}
            query = urlencode({name: value.format(**values) for name, value in plugin["query"].items()})
            first, last = list(plugin["query"])[:2]
            found.append(Endpoint(f"{urljoin(page_url, url)}?{query}", "POST",
                                  {name: _param_text(value) for name, value in form.items()},
                                  page_param=first, page_start=start, page_step=group, range_end_param=last))
    return found


def with_dom_reads(script_text: str, root, page_url: str) -> str:
    """The script with the page's own values in place of what it reads from the page's elements
    (`document.querySelector('link[rel="alternate"]').href`, `document.getElementById('list').getAttribute(
    'data-url')`, `$('#list').data('url')`): the browser would read them there, and so can we. A URL attribute
    (href, src, action) is read as the browser's property gives it, absolute."""
    base = page_base(root, page_url)

    def literal(read: re.Match) -> str:
        selector, element_id = read["selector"] or read["jq"], read["id"]
        try:
            elements = (root.xpath("//*[@id=$id]", id=_js_string(element_id)) if element_id
                        else root.cssselect(_js_string(selector)))
        except (SelectorError, ValueError):
            return read.group()
        explicit = read["attribute"] or read["jq_attribute"]
        attribute = (_js_string(explicit) if explicit else
                     f"data-{_js_string(read['data'])}" if read["data"] else read["property"])
        value = elements[0].get(attribute) if elements else None
        if value is None:
            return read.group()
        if read["property"]:  # the property of a URL attribute is the absolute URL
            value = urljoin(base, value.strip())
        return json.dumps(value, ensure_ascii=False)

    return _DOM_READ.sub(literal, script_text) if "document." in script_text or "$(" in script_text else script_text


def page_endpoints(script_text: str, root, page_url: str) -> list[Endpoint]:
    """The list endpoints of a page's inline scripts, read with what they read of the page's elements
    (`with_dom_reads`), and once more for each element a click handler is bound to (`clicked_variants`)."""
    code = with_dom_reads(script_text, root, page_url)
    return _unique_endpoints(endpoint for text in (code, *clicked_variants(code, root))
                             for endpoint in find_endpoints(text, page_url))


def clicked_variants(script_text: str, root) -> list[str]:
    """For each element a click handler is bound to, the script with a copy of that handler's body run at
    once, the element's own values in place of what it reads of the clicked element (`$(this).data('year')`:
    each year tab's `data-year`): the request a click on each would send is then known."""
    if "this" not in script_text or "click" not in script_text:
        return []
    copies = []
    for handler in _CLICK_HANDLER.finditer(script_text):
        end = _closing_bracket(script_text, handler.end(), "}")
        if end is None:
            continue
        body = script_text[handler.end() : end]
        aliases = "".join(rf"|(?<![\w$]){re.escape(alias['alias'])}(?![\w$])" for alias in _THIS_ALIAS.finditer(body))
        reads = re.compile(
            rf"""(?:\$\(\s*this\s*\){aliases})\s*\.\s*"""
            rf"""(?:data\(\s*(?P<data>{_LITERAL})\s*\)|attr\(\s*(?P<attribute>{_LITERAL})\s*\))"""
            rf"""|\bthis\s*\.\s*(?:dataset\s*\.\s*(?P<dataset>[A-Za-z_$][\w$]*)|getAttribute\(\s*(?P<get>{_LITERAL})\s*\))""")
        if not reads.search(body):
            continue
        try:
            elements = root.cssselect(_js_string(handler["selector"]))[:MAX_HANDLER_ELEMENTS]
        except (SelectorError, ValueError):
            continue
        for element in elements:
            def value(read: re.Match, element=element) -> str:
                if read["data"] or read["dataset"]:
                    word = _js_string(read["data"]) if read["data"] else read["dataset"]
                    name = "data-" + _DATASET_WORD.sub(lambda upper: "-" + upper.group().lower(), word)
                else:
                    name = _js_string(read["attribute"] or read["get"])
                found = element.get(name)
                return json.dumps(found, ensure_ascii=False) if found is not None else read.group()

            copies.append(f"{script_text}\n(function () {{{reads.sub(value, body)}}})();")
    return copies


def with_element_reads(script_text: str, page_html: str) -> str:
    """A script file that defines a custom element (`customElements.define('news-list', NewsList)`) with the
    attributes the page gives that element in place of what its code reads of them (`this.dataset.src`,
    `this.dataset.pageSize`, `this.getAttribute('data-src')`): the list URL it fetches is then known."""
    if "customElements" not in script_text:
        return script_text
    root = None
    for definition in _CUSTOM_ELEMENT.finditer(script_text):
        if root is None:
            root = lxml.html.document_fromstring(page_html) if page_html.strip() else None
        element = next(root.iter(_js_string(definition["tag"]).lower()), None) if root is not None else None
        if element is None:
            continue

        def value(read: re.Match, element=element) -> str:
            name = (f"data-{_DATASET_WORD.sub(lambda upper: '-' + upper.group().lower(), read['dataset'])}"
                    if read["dataset"] else _js_string(read["attribute"]))
            found = element.get(name)
            return json.dumps(found, ensure_ascii=False) if found is not None else read.group()

        script_text = _ELEMENT_READ.sub(value, script_text)
    return script_text


def find_endpoints(script_text: str, page_url: str) -> list[Endpoint]:
    """The list endpoints a script calls: jQuery `$.ajax/$.get/$.post/$.getJSON/.load`, `fetch`, `axios` and
    the clients `axios.create` makes, `XMLHttpRequest.open`, and URLs with a page parameter built by
    concatenation (`'/x/list?pn=' + n`). A request made inside a function from its parameters (a wrapper
    `post(path, payload)` around `fetch`, an API function `listNews(pageNo)` calling the wrapper) is read at
    each call of that function, with the call's arguments in the parameters' places, up to `MAX_WRAPPING`
    functions deep. An endpoint counts only with positive evidence of a list: a page parameter, or a call
    whose answer the script iterates. URLs resolve against `page_url` (as the browser resolves them for the
    page)."""
    script = _read_script(script_text)
    code, templates = script.code, script.templates
    marks = _conventions().iteration_marks
    found: list[Endpoint] = []

    def emit(request: _Request) -> None:
        read = _call_request(request.api, request.values)
        if read is None:
            return
        url, method, params, body_format = read
        iterates = any(mark in code[start:stop] for start, stop in request.evidence for mark in marks)
        endpoint = _endpoint(url, method, params, body_format, page_url, templates, iterates)
        if endpoint:
            found.append(endpoint)

    requests, call_spans = _request_calls(script)
    request_starts = {start for start, _ in call_spans}
    for level in range(MAX_WRAPPING + 1):
        waiting: dict[int, list[_Request]] = {}  # function index -> requests reading its parameters
        for request in requests:
            owner = _owner(script, request) if level < MAX_WRAPPING else None
            if owner is None:
                emit(request)
            else:
                waiting.setdefault(owner, []).append(request)
        if not waiting:
            break
        requests = []
        sites = _call_sites(script, waiting, request_starts)
        for index, pending in waiting.items():
            function = script.functions[index]
            if not sites.get(index):
                for request in pending:
                    emit(request)  # never called with known arguments: read as written
                continue
            for position, arguments_end, arguments in sites[index]:
                call_spans.append((position, arguments_end))
                if len(requests) >= MAX_REQUESTS:
                    continue
                filled = {param: arguments[number] if number < len(arguments) else _Hole("")
                          for number, param in enumerate(function.params)}
                requests.extend(_Request(request.api, _substitute(request.values, filled), position, (
                    (position, arguments_end + ANSWER_WINDOW),
                    *((start, min(stop, function.end)) for start, stop in request.evidence))) for request in pending)
    for position, parts in script.concatenations:
        if any(start <= position < end for start, end in call_spans):
            continue  # a call's own URL, read with its method and data above
        if isinstance(parts, list) and any(isinstance(part, str) and "?" in part for part in parts):
            endpoint = _endpoint(parts, "GET", {}, "form", page_url, templates, iterates=False)
            if endpoint:
                found.append(endpoint)
    return _with_tokens(_unique_endpoints(found), script, page_url)


def _with_tokens(endpoints: list[Endpoint], script: _Script, page_url: str) -> list[Endpoint]:
    """Endpoints whose token parameter (cms.yaml `discovery.token_params`) the script leaves empty until a request
    of its own answers it (`token = res.data.token` in that request's callback): that request goes first."""
    names = _conventions().token_params
    if not endpoints or not any(_name(param) in names for endpoint in endpoints
                                for param in (*dict(parse_qsl(urlsplit(endpoint.url).query, keep_blank_values=True)),
                                              *endpoint.form)):
        return endpoints
    answered = _answered_variables(script, page_url)
    found = []
    for endpoint in endpoints:
        query = dict(parse_qsl(urlsplit(endpoint.url).query, keep_blank_values=True))
        empty = [param for param, value in (*query.items(), *endpoint.form.items())
                 if _name(param) in names and value in ("", None)]
        source = next((token for variable, token in answered.items()
                       if _name(variable) in names or token.path and _name(token.path[-1]) in names), None)
        found.append(replace(endpoint, token=replace(source, param=empty[0])) if source and empty else endpoint)
    return found


def _answered_variables(script: _Script, page_url: str) -> dict[str, Token]:
    """Variables a script sets from a request's answer (`token = res.data.token` in the request's callback or
    its `.then`), with that request: the innermost request whose answer window holds the assignment."""
    requests, _ = _request_calls(script)
    found: dict[str, Token] = {}
    for assignment in _ANSWER_ASSIGNMENT.finditer(script.code):
        around = [request for request in requests
                  if request.evidence[-1][0] <= assignment.start() < request.evidence[-1][1]]
        request = max(around, key=lambda request: request.evidence[-1][0], default=None)
        read = _call_request(request.api, request.values) if request else None
        absolute = _absolute(read[0].strip(), page_url) if read and isinstance(read[0], str) else None
        if absolute is None:
            continue
        _, method, params, _ = read
        known = {name: _param_text(value) for name, value in params.items() if not isinstance(value, _Hole)}
        path = tuple(part.strip() for part in assignment["path"].split(".") if part.strip())
        if method == "GET":
            split = urlsplit(absolute)
            query = urlencode([*parse_qsl(split.query, keep_blank_values=True), *known.items()])
            token = Token(urlunsplit((split.scheme, split.netloc, split.path, query, "")), "GET", {}, path)
        else:
            token = Token(absolute, method, known, path)
        found.setdefault(assignment["variable"], token)
    return found


def with_token(endpoint: Endpoint, value: str) -> Endpoint:
    """The endpoint with its token parameter filled, asked for as the script then asks."""
    token = endpoint.token
    if token is None:
        return endpoint
    if token.param in endpoint.form:
        return replace(endpoint, form={**endpoint.form, token.param: value}, token=None)
    split = urlsplit(endpoint.url)
    query = [(name, value if name == token.param else old) for name, old in parse_qsl(split.query, keep_blank_values=True)]
    return replace(endpoint, url=urlunsplit((split.scheme, split.netloc, split.path, urlencode(query), "")), token=None)


def token_value(body: bytes, token: Token) -> str | None:
    """The token in its request's answer (JSON), or None."""
    try:
        value: Any = json.loads(decode_bytes(body))
    except (DecodeError, ValueError):
        return None
    for key in token.path:
        value = value.get(key) if isinstance(value, dict) else None
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) and str(value) else None


def _scope(script: _Script, position: int) -> dict[str, Any]:
    """The bindings known at `position`: the script's, less those the parameters of functions around it hide."""
    hidden = {param for index in _enclosing(script, position) for param in script.functions[index].params}
    if not hidden & script.bindings.keys():
        return script.bindings
    return {name: value for name, value in script.bindings.items() if name not in hidden}


def _request_calls(script: _Script) -> tuple[list[_Request], list[tuple[int, int]]]:
    """The request calls written in a script, and the spans of their arguments."""
    code = script.code
    calls: list[tuple[_Api, int]] = []
    for match in _CALLS.finditer(code):
        if match["xhr"]:
            api = _Api("xhr")
        elif match["jquery"] or match["load"]:
            api = _Api("jquery", match["jquery"]) if match["jquery"] else _Api("load")
        elif match.group(0).startswith("axios"):
            default = _AXIOS_BASE.search(code) if "defaults" in code else None
            api = _Api("axios", match["axios"], _js_string(default.group(1)) if default else "")
        elif match["axios_data"]:
            api = _Api("axios", match["axios_data"])
        else:
            api = _Api("fetch")
        calls.append((api, match.end()))
    calls.extend(_client_calls(script))
    requests, spans = [], []
    for api, start in sorted(calls, key=lambda call: call[1]):
        end = _closing_bracket(code, start)
        if end is None:
            continue
        spans.append((start, end))
        if len(requests) < MAX_REQUESTS:
            known = _scope(script, start)
            values = tuple(_evaluate(argument, known) for argument in _split_top(code[start:end], ","))
            requests.append(_Request(api, values, start, ((start, end + ANSWER_WINDOW),)))
    return requests, spans


def _client_calls(script: _Script) -> Iterator[tuple[_Api, int]]:
    """Calls of the axios clients a script creates (`http.post(…)`, `http.get(…)`, `http({…})`) and of
    the names it gives them or axios itself, each with the client's baseURL."""
    code = script.code
    if "axios" not in code and ".create" not in code:
        return
    default = _AXIOS_BASE.search(code)
    clients = {"axios": _js_string(default.group(1)) if default else ""}
    for match in _CLIENT.finditer(code):
        end = _closing_bracket(code, match.end())
        options = _evaluate(code[match.end():end], script.bindings) if end is not None else None
        if isinstance(options, dict) and (match.group(2) == "axios" or "baseURL" in options):
            base = options.get("baseURL")
            # a base read from somewhere not known here (another file's config not read yet): its requests go
            # nowhere known, rather than to the page's own root; the page's own origin is that root
            unknown = isinstance(base, _Hole) and "location" not in base.expression
            clients[match.group(1)] = None if unknown else base if isinstance(base, str) else ""
    for name, target in _ALIAS.findall(code):
        if target in clients and name not in clients:
            clients[name] = clients[target]
    names = [name for name, base in clients.items() if name != "axios" and base is not None]  # axios: in _CALLS
    if not names:
        return
    pattern = re.compile(r"(?<![\w$])(" + "|".join(map(re.escape, names)) + r")\s*(?:\.\s*(get|post|request)\s*)?\(")
    for match in pattern.finditer(code):
        yield _Api("axios", match.group(2), clients[match.group(1)]), match.end()


def _owner(script: _Script, request: _Request) -> int | None:
    """The innermost function around a request whose parameters the request reads."""
    reads: set[str] = set()
    _parameter_reads(request.values, reads)
    if not reads:
        return None
    return next((index for index in _enclosing(script, request.position)
                 if reads.intersection(script.functions[index].params)), None)


def _parameter_reads(value: Any, found: set[str]) -> None:
    if isinstance(value, _Hole):
        read = _PARAMETER_READ.fullmatch(value.expression)
        if read:
            found.add(read.group(1))
    elif isinstance(value, list | tuple):
        for item in value:
            _parameter_reads(item, found)
    elif isinstance(value, dict):
        for item in value.values():
            _parameter_reads(item, found)


def _call_sites(script: _Script, functions: Iterable[int], request_starts: set[int],
                ) -> dict[int, list[tuple[int, int, list[Any]]]]:
    """Where each function is called outside its own body: (arguments start, arguments end, evaluated
    arguments), calls with arguments fully known first. A request call (`$.get(` for a function named
    `get`) and a definition are no calls; an object's member is called through its object (or `this`)."""
    code = script.code
    by_name: dict[str, list[int]] = {}
    by_owner: dict[tuple[str, str | None], list[int]] = {}
    for index in functions:
        function = script.functions[index]
        by_name.setdefault(function.name, []).append(index)
        by_owner.setdefault((function.name, function.owner), []).append(index)
    pattern = re.compile(r"(?<![\w$])(" + "|".join(map(re.escape, by_name)) + r")\s*\(")
    found: dict[int, list[tuple[int, int, list[Any]]]] = {}
    for match in pattern.finditer(code):
        start = match.end()
        if start in request_starts or re.search(r"\bfunction\s*\*?\s*$", code[max(0, match.start() - 12):
                                                                               match.start()]):
            continue
        end = _closing_bracket(code, start)
        if end is None or re.match(r"\s*(?:\{|=>)", code[end + 1:end + 40]):
            continue
        qualified = _QUALIFIER.search(code, max(0, match.start() - 80), match.start())
        qualifier = (qualified.group(1) or "?") if qualified else None
        name = match.group(1)
        # An object's member is called through its object or `this`; a plain function any way.
        candidates = by_name[name] if qualifier == "this" else [
            *by_owner.get((name, None), ()), *(by_owner.get((name, qualifier), ()) if qualifier else ())]
        arguments = None
        for index in candidates:
            function = script.functions[index]
            sites = found.setdefault(index, [])
            if function.start <= start < function.end or len(sites) >= MAX_CALL_SITES:
                continue  # a function calling itself (the next page) says nothing of its first call
            if arguments is None:
                known = _scope(script, start)
                arguments = [_evaluate(argument, known) for argument in _split_top(code[start:end], ",")]
            sites.append((start, end, arguments))
    for sites in found.values():
        sites.sort(key=lambda site: _has_hole(site[2]))
    return found


def _has_hole(value: Any) -> bool:
    if isinstance(value, _Hole):
        return True
    if isinstance(value, list | tuple):
        return any(_has_hole(item) for item in value)
    return isinstance(value, dict) and any(_has_hole(item) for item in value.values())


def _substitute(value: Any, arguments: dict[str, Any]) -> Any:
    """`value` with the parameters it reads replaced by the arguments a call passes for them."""
    if isinstance(value, _Hole):
        read = _PARAMETER_READ.fullmatch(value.expression)
        if not read or read.group(1) not in arguments:
            return value
        found = arguments[read.group(1)]
        for name in re.findall(r"[\w$]+", read.group(2)):
            if isinstance(found, _Hole):
                found = _Hole(f"{found.expression}.{name}") if _PARAMETER_READ.fullmatch(found.expression) \
                    else _Hole("")
            else:
                found = found.get(name, _Hole("")) if isinstance(found, dict) else _Hole("")
        if isinstance(value, _EncodedHole):
            if isinstance(found, dict):
                return (_JsonBody if value.encoder == "json" else _FormBody)(found)
            if isinstance(found, _Hole):
                return _EncodedHole(found.expression, value.encoder)
        return found
    if isinstance(value, tuple):  # a call's arguments
        return tuple(_substitute(item, arguments) for item in value)
    if isinstance(value, list):  # a concatenation
        parts: list = []
        for part in value:
            filled = _substitute(part, arguments)
            if isinstance(filled, list):
                parts.extend(filled)
            elif isinstance(filled, str | int | float) and not isinstance(filled, bool):
                parts.append(str(filled))
            else:
                parts.append(filled if isinstance(filled, _Hole) else _Hole(""))
        return "".join(parts) if all(isinstance(part, str) for part in parts) else parts
    if isinstance(value, dict):
        return type(value)({key: _substitute(item, arguments) for key, item in value.items()})
    return value


def _call_request(api: _Api, values: tuple):
    """(url expression parts, method, parameters, body format) of one call, or None when it is not a request
    whose URL can be read."""
    if not values:
        return None
    options = next((value for value in values if isinstance(value, dict)), {})
    if api.name == "xhr":
        if len(values) < 2 or not isinstance(values[0], str) or values[0].upper() not in HTTP_METHODS:
            return None
        return values[1], values[0].upper(), {}, "form"
    if api.name == "jquery" and api.verb == "ajax" or api.name == "axios" and api.verb in (None, "request"):
        url = values[0] if not isinstance(values[0], dict) else options.get("url")
        method = _method(options)
        params = {**_as_params(options.get("params")), **_as_params(options.get("data"))}
        json_body = _is_json_body(options) or (api.name == "axios" and method == "POST")
        return _based(url, api.base), method, params, "json" if json_body else "form"
    data = values[1] if len(values) > 1 else None
    if api.name == "load":
        return values[0], "POST" if isinstance(data, dict) else "GET", _as_params(data), "form"
    if api.name == "jquery":
        return values[0], "POST" if api.verb == "post" else "GET", _as_params(data), "form"
    if api.name == "axios":
        url = _based(values[0], api.base)
        if api.verb == "get":
            return url, "GET", _as_params(options.get("params")), "form"
        form = isinstance(data, _FormBody | str) or isinstance(data, _EncodedHole) and data.encoder == "form"
        return url, "POST", _as_params(data), "form" if form else "json"
    # fetch(url, {method, body})
    method = _method(options)
    body = options.get("body")
    return values[0], method, _as_params(body), "json" if _is_json_body(options) else "form"


def _method(options: dict) -> str:
    """The HTTP method a call's options name; GET where they name none or one not known statically."""
    method = options.get("type") or options.get("method")
    return method.upper() if isinstance(method, str) and method.strip() else "GET"


def _based(url: Any, base: str) -> Any:
    """A client's relative request URL joined to its baseURL, as axios joins them."""
    if not base:
        return url
    first = url if isinstance(url, str) else url[0] if isinstance(url, list) and url else None
    if not isinstance(first, str) or urlsplit(first).scheme or first.startswith("//"):
        return url
    joined = base.rstrip("/") + "/" + first.lstrip("/") if first else base
    return joined if isinstance(url, str) else [joined, *url[1:]]


def _is_json_body(options: dict) -> bool:
    content_type = str(options.get("contentType") or "")
    headers = options.get("headers")
    if isinstance(headers, dict):
        content_type += " ".join(str(value) for value in headers.values())
    body = options.get("body") or options.get("data")
    return "json" in content_type.lower() or isinstance(body, _JsonBody) or (
        isinstance(body, _EncodedHole) and body.encoder == "json")


class _JsonBody(dict):
    """An object the script sends as JSON (`JSON.stringify({...})`)."""


class _FormBody(dict):
    """An object the script sends form-encoded (`Qs.stringify({...})`, `new URLSearchParams({...})`)."""


def _as_params(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, str) and "=" in value:
        return dict(parse_qsl(value.lstrip("?"), keep_blank_values=True))
    if isinstance(value, list):  # a query string concatenated with unknown values
        return _query_with_holes(value)
    return {}


def _query_with_holes(parts: list) -> dict[str, Any]:
    params: dict[str, Any] = {}
    pending = None
    for part in parts:
        if isinstance(part, _Hole):
            if pending:
                params[pending] = part
                pending = None
            continue
        if pending and not part.startswith(("&", "?")):  # the known value of `'&size=' + size`
            value, _, part = part.partition("&")
            params[pending] = value
            pending = None
            if not part:
                continue
        pairs = part.lstrip("?&").split("&")
        for pair in pairs:
            name, equals, value = pair.partition("=")
            if name and equals:
                params[name] = value
                pending = name if not value and pair is pairs[-1] else None
    return params


def _address_and_query(parts: list) -> tuple[str, dict[str, Any]] | None:
    """A URL concatenated from known and unknown pieces: its address and its query parameters (unknown values
    as holes), or None when a piece of the address itself is unknown."""
    while parts and isinstance(parts[0], _Hole):  # a context path held in a variable: the page's own
        parts = parts[1:]
    path_end = next((index for index, part in enumerate(parts) if isinstance(part, _Hole) or "?" in part),
                    len(parts))
    if path_end < len(parts) and isinstance(parts[path_end], _Hole):
        return None
    address = "".join(parts[:path_end])
    if path_end == len(parts):
        return address, {}
    head, _, query_head = parts[path_end].partition("?")
    return address + head, _query_with_holes(["?" + query_head, *parts[path_end + 1:]])


def _endpoint(url: Any, method: str, params: dict[str, Any], body_format: str, page_url: str,
              templates: tuple[UrlTemplate, ...], iterates: bool) -> Endpoint | None:
    if isinstance(url, list):
        split_parts = _address_and_query(url)
        if split_parts is None:
            return None
        url, query_params = split_parts
        params = {**query_params, **params}
    if not isinstance(url, str) or not url.strip() or not _is_url_literal(url.strip(), endpoint=True):
        return None
    absolute = _absolute(url.strip(), page_url)
    if absolute is None:
        return None
    split = urlsplit(absolute)
    in_query = method == "GET"
    merged = {**dict(parse_qsl(split.query, keep_blank_values=True)), **(params if in_query else {})}
    form = {} if in_query else dict(params)
    page = _page_parameter({**merged, **form})
    if page is None and not iterates:
        return None
    # Unknown values (a search box, a variable set at run time) are left out: the server's default applies.
    query = {name: value for name, value in merged.items() if not isinstance(value, _Hole)}
    form = _known_values(form)
    if page and page.param in merged:
        query[page.param] = page.start
    elif page:
        form = _with_value(form, page.param, page.start)
    query_text = urlencode({name: _param_text(value) for name, value in query.items()})
    full = urlunsplit((split.scheme, split.netloc, split.path, query_text, ""))
    if body_format == "form":
        form = {name: _param_text(value) for name, value in form.items()}
    if page is None:
        keyset = next((name for name in {**merged, **dict(params)} if _name(name) in _conventions().keyset_params), None)
        return Endpoint(full, method, form, body_format, url_templates=templates, keyset_param=keyset)
    return Endpoint(full, method, form, body_format, page.param, page.start, page.step, page.size_param,
                    page.range_end_param, templates)


def _known_values(params: dict[str, Any]) -> dict[str, Any]:
    """The parameters whose values are known, in nested objects too (a GraphQL request's `variables`)."""
    return {name: _known_values(value) if isinstance(value, dict) else value
            for name, value in params.items() if not isinstance(value, _Hole)}


def _with_value(params: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """The parameters with the one at `path` set; a dotted path reaches into a nested object
    (`variables.page`)."""
    head, _, rest = path.partition(".")
    if rest and isinstance(params.get(head), dict):
        return {**params, head: _with_value(params[head], rest, value)}
    return {**params, path: value}


def _param_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


class _Paging(NamedTuple):
    param: str
    start: int
    step: int
    size_param: str | None = None
    range_end_param: str | None = None


def _page_parameter(params: dict[str, Any]) -> _Paging | None:
    """Which of a request's parameters pages it, or None when nothing in them does. An offset counts records:
    it steps by the page size, or by the span it asks for when a range-end parameter goes with it
    (`startrecord=1&endrecord=45`)."""
    conventions = _conventions()
    size_param = next((name for name in params if _name(name) in conventions.page_size_params), None)
    size = _int_value(params.get(size_param)) if size_param else None
    for name, value in params.items():
        if _name(name) in conventions.page_params and _pageable(value):
            start = _int_value(value)
            return _Paging(name, 1 if start is None else start, 1, size_param)
    for name, value in params.items():
        if _name(name) in conventions.offset_params and _pageable(value):
            start = _int_value(value) or 0
            end_param = next((other for other, end in params.items()
                              if _name(other) in conventions.range_end_params and _int_value(end) is not None
                              and _int_value(end) >= start), None)
            step = _int_value(params[end_param]) - start + 1 if end_param else size
            if step:
                return _Paging(name, start, step, size_param, end_param)
    by_word = [name for name, value in params.items() if _int_value(value) in (0, 1)
               and conventions.page_name_parts & set(_name_words(name))]
    if len(by_word) == 1:
        return _Paging(by_word[0], _int_value(params[by_word[0]]), 1, size_param)
    return _nested_paging(params)


def _nested_paging(params: dict[str, Any]) -> _Paging | None:
    """A page parameter inside an object of the request (GraphQL's `variables: {page: 1, size: 6}`), named by
    its dotted path."""
    for name, value in params.items():
        inner = _page_parameter(value) if isinstance(value, dict) else None
        if inner:
            def path(param: str | None, prefix: str = name) -> str | None:
                return param and f"{prefix}.{param}"
            return _Paging(path(inner.param), inner.start, inner.step, path(inner.size_param),
                           path(inner.range_end_param))
    return None


def _pageable(value: Any) -> bool:
    """A page value: a number, or an expression that counts (`n`, `page + 1`, `this.pageNo`), not one that
    reads something else (`location.href`)."""
    if isinstance(value, _Hole):
        expression = value.expression
        if re.fullmatch(r"[A-Za-z_$][\w$]*(?:\s*[-+]\s*\d+)?", expression):
            return True
        last = re.split(r"[.\s]", expression.strip())[-1]
        return bool(_conventions().page_name_parts & set(_name_words(last)))
    return _int_value(value) is not None


def _int_value(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _name_words(name: str) -> list[str]:
    """curPageNo -> cur, page, no; list_pn -> list, pn."""
    return [word.lower() for word in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", name)]


def next_endpoint_request(endpoint: Endpoint, page_number: int) -> tuple[str, str, dict[str, Any]] | None:
    """(url, method, form) asking `endpoint` for page `page_number` (1 is the first page); None past the
    first page of an endpoint without a page parameter. `endpoint.body_format` says how to send `form`."""
    if endpoint.next_url is not None:
        return endpoint.next_url, "GET", {}
    if endpoint.page_param is None:
        if endpoint.cursor is None:
            return (endpoint.url, endpoint.method, dict(endpoint.form)) if page_number == 1 else None
        name, value = endpoint.cursor
        if endpoint.method == "POST":
            return endpoint.url, endpoint.method, {**endpoint.form, name: value}
        split = urlsplit(endpoint.url)
        query = [(key, old) for key, old in parse_qsl(split.query, keep_blank_values=True) if key != name]
        return urlunsplit((split.scheme, split.netloc, split.path, urlencode([*query, (name, value)]), "")), "GET", {}
    offset = (page_number - 1) * endpoint.page_step

    def moved(name: str, value: Any) -> Any:
        if name == endpoint.page_param:
            return endpoint.page_start + offset
        if name == endpoint.range_end_param and _int_value(value) is not None:
            return _int_value(value) + offset
        return value

    def moved_all(params: dict[str, Any], prefix: str = "") -> dict[str, Any]:
        return {name: moved_all(value, f"{prefix}{name}.") if isinstance(value, dict) else moved(prefix + name, value)
                for name, value in params.items()}

    form = moved_all(endpoint.form)
    if endpoint.body_format == "form":
        form = {name: str(value) for name, value in form.items()}
    split = urlsplit(endpoint.url)
    query = [(name, JSONP_CALLBACK if value == "?" else str(moved(name, value)))
             for name, value in parse_qsl(split.query, keep_blank_values=True)]
    url = urlunsplit((split.scheme, split.netloc, split.path, urlencode(query), ""))
    return url, endpoint.method, form


def endpoint_page(body: bytes, content_type: str | None, base_url: str, find_date: FindDate,
                  templates: tuple[UrlTemplate, ...] = (), headers: dict[str, str] | None = None,
                  keyset: str | None = None) -> EndpointPage:
    """The records of an endpoint's answer (source "endpoint") and the totals it reports, in its data or in
    its headers (`X-WP-TotalPages`, `X-Total-Count`: REST APIs whose answer is a bare array). JSON (also JSONP
    and lax JS literals), XML (records as child elements, attributes or CDATA markup) and HTML fragments are
    read; `templates` (an Endpoint's url_templates) build the URLs of records that hold only an id."""
    headers = {name.lower(): value for name, value in (headers or {}).items()}
    next_link = _link_header_next(headers.get("link", ""))
    discovery = load_rules("cms")["discovery"]
    pages, records = (next((_int_value(headers[name].strip()) for name in discovery[key] if name in headers), None)
                      for key in ("total_pages_headers", "total_records_headers"))
    try:
        text = decode_bytes(body, content_type=content_type).strip()
    except DecodeError:
        return EndpointPage([])
    data = _answer_data(text, (content_type or "").lower())
    if data is None:
        return EndpointPage(_unique_links(_markup_links(text, base_url, find_date, "endpoint")), pages, records,
                            next_link=next_link)
    links = _unique_links(_data_links([data], base_url, find_date, templates, "endpoint"))
    conventions = _conventions()
    cursor = _next_cursor(data, conventions.cursor_keys)
    if keyset and links and cursor is None:
        cursor = _keyset_cursor(data, keyset, conventions)
    return EndpointPage(links, _total(data, conventions.total_pages_keys) or pages,
                        _total(data, conventions.total_records_keys) or records, cursor, next_link)


def _keyset_cursor(data: Any, keyset: str, conventions: _Conventions) -> tuple[str, str] | None:
    """(keyset parameter, the id of the answer's last record) asking for the records after it; None when the
    answer says there are no more (`"hasMore": false`)."""
    more = _outer_value(data, conventions.more_keys, lambda value: isinstance(value, bool))
    if more is not None and not more[1]:
        return None
    records = max(_record_lists(data), key=len, default=[])
    last = records[-1] if records else None
    ids = [value for key, value in last.items() if _name(str(key)) in conventions.record_id_keys] if last else []
    value = next((value for value in ids if isinstance(value, (int, str)) and not isinstance(value, bool)), None)
    return (keyset, str(value)) if value is not None else None


def _record_lists(data: Any, depth: int = 0) -> Iterator[list[dict]]:
    """The lists of records (objects with a title) in an answer, its outer levels first."""
    if depth > 4:
        return
    titled = set(_conventions().title_keys)
    if isinstance(data, list):
        records = [item for item in data if isinstance(item, dict)]
        if records and any(_name(str(key)) in titled for key in records[0]):
            yield records
        for item in data[:1]:
            yield from _record_lists(item, depth + 1)
    elif isinstance(data, dict):
        for value in data.values():
            yield from _record_lists(value, depth + 1)


_LINK_NEXT = re.compile(r"""<([^<>]+)>\s*;[^,<]*?\brel\s*=\s*"?(?:[^",;]*\s)?next(?:\s[^",;]*)?"?""", re.I)


def _link_header_next(value: str) -> str | None:
    """The target of an HTTP `Link` header's rel="next" (RFC 8288; REST APIs name their next page there)."""
    found = _LINK_NEXT.search(value)
    return found.group(1).strip() if found else None


def _answer_data(text: str, content_type: str) -> Any:
    """The parsed data of an answer, or None when it is markup (HTML)."""
    if text[:1] in "{[":
        try:
            return json.loads(text)
        except ValueError:
            return next(_parsed_objects(text), None)
    if text.startswith("<"):
        if text.startswith("<?xml") or "xml" in content_type and "html" not in content_type:
            return _xml_data(text.encode("utf-8"))
        return None
    padded = _JSONP.match(text)
    if padded:
        try:
            return json.loads(padded.group(1))
        except ValueError:
            return next(_parsed_objects(padded.group(1)), None)
    return None


def _total(data: Any, keys: frozenset[str]) -> int | None:
    """The first count under one of `keys`, searching the answer's outer levels first."""
    found = _outer_value(data, keys, lambda value: _int_value(value) is not None)
    return _int_value(found[1]) if found else None


def _next_cursor(data: Any, keys: frozenset[str]) -> tuple[str, str] | None:
    """(parameter, value) for the batch after this one, where the answer names it by an opaque cursor
    (`"next_cursor": "eyJpZCI6…"`, `"nextPageToken": …`; null or empty at the end). The parameter is the key
    without its `next` (`next_cursor` -> `cursor`, `nextPageToken` -> `pageToken`)."""
    found = _outer_value(data, keys, lambda value: isinstance(value, str) and bool(value.strip()))
    if not found:
        return None
    key, value = found
    parameter = re.sub(r"^next[_-]?", "", key, flags=re.I) or key
    return parameter[0].lower() + parameter[1:], value


def _outer_value(data: Any, keys: frozenset[str], wanted: Callable[[Any], bool]) -> tuple[str, Any] | None:
    """(key, value) of the first key in `keys` whose value is `wanted`, searching the answer's outer levels
    first."""
    level = [data]
    for _ in range(4):
        following = []
        for node in level:
            if isinstance(node, dict):
                for key, value in node.items():
                    if _name(str(key)) in keys and wanted(value):
                        return str(key), value
                    following.append(value)
            elif isinstance(node, list):
                following.extend(node[:1])  # records share a shape: the first says enough
        level = following
    return None


# --- reading scripts statically -------------------------------------------------------------------


def _js_string(literal: str) -> str:
    """The value of a JS string literal (quotes included), escapes decoded."""
    body = literal[1:-1] if len(literal) >= 2 and literal[0] == literal[-1] and literal[0] in "'\"`" else literal
    return _JS_ESCAPE.sub(_unescape, body) if "\\" in body else body


def _unescape(match: re.Match) -> str:
    escape = match.group(1)
    if escape[0] == "u" and len(escape) > 1:
        try:
            return chr(int(escape[1:].strip("{}"), 16))
        except (ValueError, OverflowError):
            return escape
    if escape[0] == "x" and len(escape) == 3:
        return chr(int(escape[1:], 16))
    return _ESCAPES.get(escape, escape)


def _decoded_literals(code: str) -> str:
    """The script with its base64 string literals decoded in place, as string literals (what `atob` returns)."""
    if "atob" not in code:
        return code

    def decoded(call: re.Match) -> str:
        try:
            raw = base64.b64decode(_js_string(call["literal"]), validate=True)
        except (binascii.Error, ValueError):
            return call.group()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")  # atob's own answer: one character a byte
        return json.dumps(text, ensure_ascii=False)

    return _BASE64_LITERAL.sub(decoded, code)


def _strip_comments(code: str) -> str:
    return _TOKENS.sub(lambda match: "" if match.group(0)[0] == "/" else match.group(0), code) if "/" in code \
        else code


def _bindings(code: str) -> dict[str, Any]:
    """Variables a script sets once to a literal, an object literal or a string it can work out (`var ctx =
    '/cms'; var page = 1; var param = {col: 1, columnid: 33}; var url = '/list?col=' + col`)."""
    found: dict[str, Any] = {}

    def bind(name: str, value: Any) -> None:
        found[name] = None if name in found else value  # reassigned: not known statically

    for name, value in _BINDING.findall(code):
        if value[0] in "'\"`":
            bind(name, _js_string(value))
        else:
            bind(name, int(value) if value.lstrip("-").isdigit() else value)
    literals = {name: value for name, value in found.items() if value is not None}
    for match in _STRING_BINDING.finditer(code):  # `var url = '/api/list?c=1' + (next ? … : '')`
        value = _evaluate(_expression_at(code, match.end()), literals)
        if isinstance(value, str) and match.group(1) not in literals:
            bind(match.group(1), value)
    if "{" in code:
        for match in _OBJECT_BINDING.finditer(code):
            end = _closing_bracket(code, match.end(), "}")
            if end is not None:
                bind(match.group(1), _object_literal(code[match.end():end], literals))
        for name, target in _OBJECT_ALIAS.findall(code):
            if isinstance(found.get(target), dict) and name not in found:
                bind(name, found[target])
    return {name: value for name, value in found.items() if value is not None}


def _concatenations(code: str) -> Iterator[tuple[int, str]]:
    """(position, expression) of the expressions joining string literals with other pieces by `+`, and of
    template literals with substitutions."""
    if "+" in code:
        for match in _CONCATENATION.finditer(code):
            if any(quote in match.group(0) for quote in "'\"`"):
                yield match.start(), match.group(0)
    if "${" in code:
        for match in _TEMPLATE_LITERAL.finditer(code):
            yield match.start(), match.group(0)
    if ".concat" in code:
        for match in _CONCAT_START.finditer(code):
            chain = _concat_chain(code, match.start())
            if chain:
                yield match.start(), code[match.start():chain[0]]


def _concat_chain(code: str, start: int) -> tuple[int, list[str]] | None:
    """A string literal at `start` with `.concat(…)` calls after it (what compilers make of template literals:
    `"/a/".concat(d.id, ".html")`): where the chain ends, and the literal and the arguments."""
    literal = _LITERAL_RE.match(code, start)
    if not literal:
        return None
    pieces, position = [literal.group(0)], literal.end()
    while call := _CONCAT_METHOD.match(code, position):
        end = _closing_bracket(code, call.end())
        if end is None:
            break
        pieces.extend(_split_top(code[call.end():end], ","))
        position = end + 1
    return (position, pieces) if position > literal.end() else None


def _evaluate(expression: str, bindings: dict[str, Any]) -> Any:
    """What a JS expression holds, as far as it can be read without running it: str/int/dict for literals,
    object literals and known variables; a list of str and `_Hole` pieces for a concatenation with unknown
    parts; a `_Hole` for anything else."""
    expression = expression.strip()
    if not expression:
        return _Hole(expression)
    encoded = _ENCODED_BODY.fullmatch(expression)
    if encoded:
        inner = _evaluate(encoded["body"], bindings)
        as_json = encoded["encoder"].startswith("JSON")
        if isinstance(inner, _Hole):  # a parameter, say: its value may be known where the function is called
            return _EncodedHole(inner.expression, "json" if as_json else "form")
        if not isinstance(inner, dict):
            return inner
        return _JsonBody(inner) if as_json else _FormBody(inner)
    if expression[0] == "{" and expression[-1] == "}":
        return _object_literal(expression[1:-1], bindings)
    conditional = _conditional(expression)
    if conditional:  # an unknown condition is the page's starting state: a flag unset, a cursor still null
        condition, chosen, otherwise = conditional
        return _evaluate(chosen if _evaluate(condition, bindings) is True else otherwise, bindings)
    pieces = _split_top(expression, "+")
    if len(pieces) > 1:
        parts: list = []
        for piece in pieces:
            value = _evaluate(piece, bindings)
            parts.extend(value if isinstance(value, list) else [value])
        if all(isinstance(part, int) and not isinstance(part, bool) for part in parts):
            return sum(parts)  # `p + 1` with p known: a number, as in JS
        if all(isinstance(part, str | int) and not isinstance(part, bool) for part in parts):
            return "".join(str(part) for part in parts)
        return [part if isinstance(part, _Hole) else str(part) for part in parts]
    if ".concat" in expression and (chain := _concat_chain(expression, 0)) and chain[0] == len(expression):
        return _evaluate(" + ".join(f"({piece})" for piece in chain[1]), bindings)
    if _LITERAL_RE.fullmatch(expression):
        if expression[0] == "`" and "${" in expression:
            return _template_literal(expression, bindings)
        return _js_string(expression)
    if _NUMBER.fullmatch(expression):
        return int(expression) if "." not in expression else float(expression)
    if expression in ("true", "false"):
        return expression == "true"
    if expression in bindings:
        return bindings[expression]
    if _DOTTED.fullmatch(expression):  # a value held in a known object: `service.baseURL`, `config.catalogs.news`
        value: Any = bindings
        for name in expression.split("."):
            value = value.get(name.strip()) if isinstance(value, dict) else None
        if isinstance(value, str | int) and not isinstance(value, bool):
            return value
    if expression[0] == "(" and expression[-1] == ")" and _closing_bracket(expression, 1) == len(expression) - 1:
        return _evaluate(expression[1:-1], bindings)
    substring = _SUBSTRING_CALL.fullmatch(expression)
    if substring:
        start, second = int(substring["start"]), substring["second"]
        end = None if second is None else int(second) + (start if substring["method"] == "substr" else 0)
        value = _evaluate(substring["value"], bindings)
        if isinstance(value, str | int) and not isinstance(value, bool):
            return str(value)[start:end]
        if type(value) is _Hole:
            return _SubstringHole(value.expression, Substring(start, end))
    return _Hole(expression)


def _template_literal(literal: str, bindings: dict[str, Any]) -> list | str:
    parts: list = []
    position = 1
    body_end = len(literal) - 1
    for match in re.finditer(r"\$\{([^{}]*)\}", literal):
        parts.append(_js_string("`" + literal[position:match.start()] + "`"))
        value = _evaluate(match.group(1), bindings)
        parts.append(str(value) if isinstance(value, str | int) and not isinstance(value, bool) else
                     value if isinstance(value, _Hole) else _Hole(match.group(1)))
        position = match.end()
    parts.append(_js_string("`" + literal[position:body_end] + "`"))
    parts = [part for part in parts if part != ""]
    return "".join(parts) if all(isinstance(part, str) for part in parts) else parts


def _object_literal(body: str, bindings: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for entry in _split_top(body, ","):
        key, colon, value = _split_key(entry)
        if not colon:
            name = entry.strip()
            if _IDENTIFIER.fullmatch(name):  # shorthand {page}
                found[name] = bindings.get(name, _Hole(name))
            continue
        found[key] = _evaluate(value, bindings)
    return found


def _split_key(entry: str) -> tuple[str, bool, str]:
    entry = entry.strip()
    quoted = _LITERAL_RE.match(entry)
    if quoted:
        rest = entry[quoted.end():].lstrip()
        if rest.startswith(":"):
            return _js_string(quoted.group(0)), True, rest[1:]
        return "", False, ""
    key, colon, value = entry.partition(":")
    if colon and _IDENTIFIER.fullmatch(key.strip()):
        return key.strip(), True, value
    return "", False, ""


def _split_top(text: str, separator: str) -> list[str]:
    """`text` split at `separator` (`,` or `+`) outside brackets and string literals; `+=`/`++` are not a
    `+`. Empty pieces between commas are dropped."""
    if separator not in text:
        return [text] if text.strip() or separator == "+" else []
    pieces: list[str] = []
    start = 0
    for token, depth in _nesting(text, 0, _STRUCTURE, depth=0):
        if token.group(0) == separator and depth == 0:
            pieces.append(text[start:token.start()])
            start = token.end()
    pieces.append(text[start:])
    return [piece for piece in pieces if piece.strip()] if separator == "," else pieces


def _conditional(expression: str) -> tuple[str, str, str] | None:
    """(condition, value if true, value otherwise) of a top-level `a ? b : c`; None for anything else
    (`?.` and `??` are not conditionals; an object literal's colons sit inside its braces)."""
    question = None
    pending = 0  # conditionals opened inside the true branch, each closed by a colon of its own
    for token, depth in _nesting(expression, 0, _CONDITIONAL_TOKENS, depth=0):
        char = token.group(0)
        if depth or char not in "?:":
            continue
        if char == "?":
            if question is None:
                question = token
            else:
                pending += 1
        elif question is not None:
            if pending:
                pending -= 1
            else:
                return (expression[:question.start()], expression[question.end():token.start()],
                        expression[token.end():])
    return None


def _closing_bracket(text: str, start: int, closer: str = ")") -> int | None:
    """The index of the `closer` that ends the bracket opened just before `start` (a call's arguments, an
    object literal's body)."""
    for token, depth in _nesting(text, start, _STRUCTURE, depth=1):
        if depth == 0:
            return token.start() if token.group(0) == closer else None
    return None


def _nesting(text: str, start: int, tokens: re.Pattern, *, depth: int) -> Iterator[tuple[re.Match, int]]:
    """The code's tokens from `start` on, each with the bracket depth after it (string literals are single
    tokens, so brackets inside them do not count)."""
    for token in tokens.finditer(text, start):
        char = token.group(0)
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        yield token, depth


# --- shapes of URLs and text ----------------------------------------------------------------------


def _extension(path: str) -> str | None:
    match = _EXTENSION.search(posixpath.basename(path))
    return match.group(1).lower() if match else None


def _is_asset(url: str) -> bool:
    extension = _extension(urlsplit(url).path)
    return extension is not None and extension in _conventions().asset_extensions


def _is_page_url(value: str, *, by_key: bool) -> bool:
    """Whether a data value is the URL of a page. Under a URL-ish key any relative reference with a path
    will do; elsewhere it must be absolute or root-relative and name one page (a page extension, a query
    or a number in its last segment), so a config's home link or API base is not a record's URL."""
    if not _URL_CHARACTERS.fullmatch(value) or len(value) > 1000 or value[0] == "#":
        return False
    parts = urlsplit(value)
    if parts.scheme and parts.scheme not in FOLLOWABLE_SCHEMES or _is_asset(value):
        return False
    if by_key:
        return (bool(parts.path or parts.query) and any(char in value for char in "/.?")
                and not _BROWSER_EXPRESSION.match(value))
    if not (parts.scheme or value.startswith("/")):
        return False
    last = posixpath.basename(parts.path.rstrip("/"))
    return bool(_extension(parts.path) or parts.query or re.search(r"\d", last))


def _is_url_literal(value: str, *, endpoint: bool = False) -> bool:
    """A string literal in code that reads as a URL (`/a/1.html`, `show.aspx?id=3`, `http://…`), not a
    selector, a word or an asset (for endpoints, data files such as .json are fine)."""
    if not value or any(char.isspace() for char in value) or value[0] in "#<{$":
        return False
    parts = urlsplit(value)
    if parts.scheme and parts.scheme not in FOLLOWABLE_SCHEMES:
        return False
    if not endpoint and _is_asset(value):
        return False
    if parts.scheme or value.startswith(("/", "./", "../")):
        return bool(parts.path.strip("/") or parts.query)
    return bool(_extension(parts.path) or "=" in parts.query or endpoint and "/" in parts.path)


def _plain_text(value: str) -> str:
    return collapse_space(html.unescape(_TAG.sub(" ", value))) if "<" in value or "&" in value \
        else collapse_space(value)


def _unique_links(links: Iterable[Link]) -> list[Link]:
    """One link per URL, in order: the first found, given the date and the shortest text any copy has (an
    outer clickable row and the title inside it lead to one page)."""
    seen: dict[str, Link] = {}
    for link in links:
        kept = seen.get(link.url)
        if kept is None:
            seen[link.url] = link
            continue
        text = min((text for text in (kept.text, link.text) if text), key=len, default="")
        seen[link.url] = Link(kept.url, text, kept.date_text or link.date_text, kept.source)
    return list(seen.values())


def _unique_endpoints(endpoints: Iterable[Endpoint]) -> list[Endpoint]:
    """One endpoint per request, the page parameter aside (the one any call of that address pages it by);
    the first found (a call says more than a bare URL) wins, unless a later one knows the page parameter
    (`load(1)` beside `load(this.page + 1)`)."""
    endpoints = list(endpoints)
    paging = {(endpoint.method, urlsplit(endpoint.url)[1:3]): endpoint.page_param
              for endpoint in reversed(endpoints) if endpoint.page_param}
    seen: dict[tuple, Endpoint] = {}
    for endpoint in endpoints:
        split = urlsplit(endpoint.url)
        param = endpoint.page_param or paging.get((endpoint.method, split[1:3]))
        query = tuple(sorted(pair for pair in parse_qsl(split.query, keep_blank_values=True) if pair[0] != param))
        key = (endpoint.method, split.path, split.netloc, query,
               tuple(sorted((name, str(value)) for name, value in endpoint.form.items() if name != param)))
        if key not in seen or endpoint.page_param and not seen[key].page_param:
            seen[key] = endpoint
    return list(seen.values())
