"""Bytes to text: decide the charset from the bytes as well as the declaration, never return mojibake silently.

Chinese sites declare charsets wrongly all the time: "gb2312" pages that are UTF-8, "gb2312" pages that need
GBK/GB18030 (full-width space 0xA3A0 is not in GB2312), `charset=unset`, and GBK pages behind a server that
stamps every response `charset=ISO-8859-1` (Tomcat's default). Strict UTF-8 is tried first because GB bytes
practically never form valid UTF-8; the GB family always decodes as GB18030, its superset. A Western
single-byte declaration (`weak_charsets` in extract.yaml) decodes any byte, so on bytes that are not plain
ASCII it is believed only when neither a stronger declaration nor the bytes themselves point elsewhere.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from functools import cache
from typing import NamedTuple

from charset_normalizer import from_bytes
from charset_normalizer.utils import is_multi_byte_encoding
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


class Decoded(NamedTuple):
    """The text, the codec that produced it, why that codec (`bom`, `config`, `header`, `meta`: the
    highest-ranked declaration was right; `<that declaration>-overruled`: the bytes refuted it; `detected`:
    nothing usable was declared), and how many undecodable bytes became U+FFFD (0 for a clean decode)."""

    text: str
    encoding: str
    source: str
    replacements: int = 0


def limits() -> dict:
    return rules("extract")


@cache
def weak_charsets() -> frozenset[str]:
    return frozenset(map(canonical, limits()["weak_charsets"]))


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


def declarations(raw: bytes, declared: str | None = None, content_type: str | None = None) -> list[tuple[str, str]]:
    """What is said about the bytes, highest rank first: [(source, codec)] from the BOM (it never lies), the
    site's configured charset, the HTTP header and the <meta> (those often do)."""
    said = [
        ("bom", read_bom(raw)[0]),
        ("config", declared),
        ("header", http_content_type_encoding(content_type)),
        ("meta", html_body_declared_encoding(raw)),
    ]
    return [(source, name) for source, label in said if (name := canonical(label))]


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
    return decode(raw, declared=declared, content_type=content_type).text


def decode(raw: bytes, *, declared: str | None = None, content_type: str | None = None) -> Decoded:
    """The page's text and how it was decoded; raises DecodeError for binary junk or undecodable bytes."""
    said = declarations(raw, declared, content_type)
    hint = said[0][1] if said else None
    wide = bool(hint and hint.startswith("utf-16"))
    if not wide and looks_binary(raw):
        raise DecodeError("binary data, not text")
    if raw.isascii() and not wide:  # every ASCII-compatible declaration reads these bytes alike
        return Decoded(raw.decode("ascii"), hint or "ascii", said[0][0] if said else "detected")
    candidates: list[str] = []
    for encoding in [hint] if wide else charset_candidates(raw, said):
        if encoding in candidates:
            continue
        candidates.append(encoding)
        text = strict_decode(raw, encoding)
        if text is not None:
            return Decoded(text.lstrip("\ufeff"), encoding, source_of(encoding, said))
    return lenient_decode(raw, candidates, said)


def charset_candidates(raw: bytes, said: list[tuple[str, str]]) -> Iterator[str]:
    """The codecs to try strictly, in order: UTF-8, the strong declarations, what the bytes look like when
    nothing strong is declared, GB18030. A weak declaration is among them only when the detector agrees
    (it decodes any byte, so trying it on the off chance would always succeed). The detector runs only when
    UTF-8 failed."""
    strong = [name for _, name in said if name not in weak_charsets()]
    weak = [name for _, name in said if name in weak_charsets()]
    yield "utf-8"
    yield from strong
    guess = None if strong else byte_guess(raw, weak)
    yield from filter(None, (guess, "gb18030"))


def byte_guess(raw: bytes, weak: list[str]) -> str | None:
    """What the bytes look like to a detector: Big5 bytes also decode as GB18030 (into mojibake), so its
    Big5 verdict is believed; a weak declaration stands when the detector too reads the bytes as a
    single-byte charset, while any multi-byte verdict is GB-family evidence (GB18030 comes next anyway)."""
    guess = from_bytes(raw[:SNIFF_SAMPLE]).best()
    encoding = canonical(guess.encoding) if guess else None
    if encoding in TRADITIONAL:
        return encoding
    if weak and encoding and not is_multi_byte_encoding(encoding):
        return weak[0]
    return None


def source_of(encoding: str, said: list[tuple[str, str]]) -> str:
    if not said:
        return "detected"
    source, declared = said[0]
    return source if declared == encoding else f"{source}-overruled"


def lenient_decode(raw: bytes, candidates: list[str], said: list[tuple[str, str]]) -> Decoded:
    """Best effort for pages with stray invalid bytes: the first candidate whose damage stays small."""
    worst = ""
    for encoding in candidates:
        text = raw.decode(encoding, errors="replace").lstrip("\ufeff")
        replaced = text.count("\ufffd")
        damaged = replaced / max(len(text), 1)
        if damaged <= limits()["max_replacement_ratio"]:
            return Decoded(text, encoding, source_of(encoding, said), replaced)
        worst = f"bytes are not valid {encoding} ({damaged:.1%} undecodable)"
    raise DecodeError(worst)
