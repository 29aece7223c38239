"""Bytes to text: decide the charset from the bytes as well as the declaration, never return mojibake silently.

Chinese sites declare charsets wrongly all the time: "gb2312" pages that are UTF-8, "gb2312" pages that need
GBK/GB18030 (full-width space 0xA3A0 is not in GB2312), `charset=unset`. Strict UTF-8 is tried first because
GB bytes practically never form valid UTF-8; the GB family always decodes as GB18030, its superset.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

from pipelines.config import rules

GB_FAMILY = {"gb2312", "gbk", "gb18030", "hz", "cp936", "euc_cn", "iso2022_cn"}
# Labels browsers accept that Python's codec registry does not know.
ALIASES = {
    "x-gbk": "gbk",
    "x-gb2312": "gb2312",
    "x-euc-cn": "gb2312",
    "x-sjis": "shift_jis",
    "x-big5": "big5",
}
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
SNIFF_BYTES = 4096
SNIFF_SAMPLE = 50_000
TRADITIONAL = {"big5", "big5hkscs", "cp950"}


class DecodeError(ValueError):
    """The bytes are not text in any charset we can trust."""


def limits() -> dict:
    return rules("extract")


def canonical(encoding: str | None) -> str | None:
    """Python's codec name, the GB family widened to GB18030; None for unknown or bogus names like 'unset'."""
    if not encoding:
        return None
    label = encoding.strip().strip("\"'").lower()
    try:
        name = codecs.lookup(ALIASES.get(label, label)).name
    except LookupError:
        return None
    return "gb18030" if name in GB_FAMILY else name


def declared_encoding(raw: bytes, content_type: str | None = None) -> str | None:
    """What the page says it is: BOM, then HTTP header, then <meta> (a BOM never lies, the others often do)."""
    bom = read_bom(raw)
    if bom[0]:
        return canonical(bom[0])
    return canonical(http_content_type_encoding(content_type)) or canonical(html_body_declared_encoding(raw))


def looks_binary(raw: bytes) -> bool:
    head = raw[:SNIFF_BYTES]
    return bool(head) and len(CONTROL_BYTES.findall(head)) / len(head) > limits()["max_control_ratio"]


def strict_decode(raw: bytes, encoding: str) -> str | None:
    """The text if every byte is valid; an incomplete sequence at the very end (a truncated page) is dropped."""
    try:
        return codecs.getincrementaldecoder(encoding)(errors="strict").decode(raw, final=False)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_bytes(raw: bytes, *, declared: str | None = None, content_type: str | None = None) -> str:
    """Decoded text of a page or dump; raises DecodeError for binary junk or undecodable bytes."""
    hint = canonical(declared) or declared_encoding(raw, content_type)
    if not (hint and hint.startswith("utf-16")) and looks_binary(raw):
        raise DecodeError("binary data, not text")
    if hint and hint.startswith("utf-16"):
        text = strict_decode(raw, hint)
        if text is not None:
            return text.lstrip("\ufeff")
    text = strict_decode(raw, "utf-8")
    if text is not None:
        return text.lstrip("\ufeff")
    for candidate in dict.fromkeys(filter(None, (hint or undeclared_guess(raw), "gb18030"))):
        text = strict_decode(raw, candidate)
        if text is not None:
            return text
    return lenient_decode(raw, hint)


def undeclared_guess(raw: bytes) -> str | None:
    """For pages that declare nothing: Big5 bytes also decode as GB18030 (into mojibake), so ask the bytes."""
    guess = from_bytes(raw[:SNIFF_SAMPLE]).best()
    encoding = canonical(guess.encoding) if guess else None
    return encoding if encoding in TRADITIONAL else None


def lenient_decode(raw: bytes, hint: str | None) -> str:
    """Best effort for pages with stray invalid bytes: the first candidate whose damage stays small."""
    guess = from_bytes(raw[:SNIFF_SAMPLE]).best()
    candidates = dict.fromkeys(filter(None, (hint, "gb18030", canonical(guess.encoding if guess else None))))
    worst = ""
    for encoding in candidates:
        text = raw.decode(encoding, errors="replace")
        damaged = text.count("\ufffd") / max(len(text), 1)
        if damaged <= limits()["max_replacement_ratio"]:
            return text
        worst = f"bytes are not valid {encoding} ({damaged:.1%} undecodable)"
    raise DecodeError(worst)
