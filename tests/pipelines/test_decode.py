"""Decoding real byte sequences the way Chinese sites ship them (wrong declarations included)."""

from __future__ import annotations

import pytest

from pipelines.decode import DecodeError, canonical, declarations, decode, decode_bytes

TEXT = "党支部组织开展主题党日活动，镕铸初心　砥砺前行。"  # 镕 is outside GB2312, the ideographic space needs GBK


TOMCAT = "text/html; charset=ISO-8859-1"  # the header a default Tomcat puts on every page


def page(charset: str | None, body: str = TEXT) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"<html><head>{meta}<title>标题</title></head><body><p>{body}</p></body></html>"


def test_declared_gb2312_but_gbk_bytes_decode_as_gb18030():
    raw = page("gb2312").encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("gb2312")
    assert TEXT in decode_bytes(raw)


def test_declared_gb2312_but_utf8_bytes_stay_utf8():
    raw = page("gb2312").encode("utf-8")
    assert TEXT in decode_bytes(raw)


def test_unset_charset_is_read_from_the_bytes():
    assert declarations(page("unset").encode("gbk")) == []
    assert TEXT in decode_bytes(page("unset").encode("gbk"))


def test_gb_family_widens_to_gb18030_and_bogus_names_are_none():
    assert canonical("GB2312") == canonical("gbk") == canonical("x-gbk") == "gb18030"
    assert canonical("unset") is None
    assert canonical(None) is None


def test_a_page_cut_inside_a_multibyte_character_still_decodes_as_utf8():
    raw = page("utf-8").encode("utf-8")
    cut = raw[: raw.index("砥".encode()) + 1]
    text = decode_bytes(cut)
    assert "镕铸初心" in text and "\ufffd" not in text


def test_a_few_stray_bytes_are_replaced_not_a_reason_to_guess_another_charset():
    raw = page("gbk", TEXT * 20).encode("gb18030")
    damaged = raw[:200] + b"\xff" + raw[200:]
    text = decode_bytes(damaged)
    assert 1 <= text.count("\ufffd") <= 2
    assert "镕铸初心" in text


def test_bom_wins_over_the_meta_declaration():
    raw = "\ufeff".encode("utf-16-le") + page("gb2312").encode("utf-16-le")
    assert TEXT in decode_bytes(raw)


def test_binary_junk_is_refused():
    junk = bytes(range(256)) * 64
    with pytest.raises(DecodeError):
        decode_bytes(junk)


@pytest.mark.parametrize(
    ("header", "meta", "charset", "text", "expected"),
    [
        # the header lies (Tomcat's default), the meta is right or missing
        (TOMCAT, "gbk", "gbk", TEXT, ("gb18030", "header-overruled")),
        (TOMCAT, None, "gbk", TEXT, ("gb18030", "header-overruled")),
        (TOMCAT, None, "utf-8", TEXT, ("utf-8", "header-overruled")),
        ("text/html; charset=windows-1252", "gb2312", "gbk", TEXT, ("gb18030", "header-overruled")),
        # the meta lies, the header is right or missing
        ("text/html; charset=GBK", "iso-8859-1", "gbk", TEXT, ("gb18030", "header")),
        (None, "utf-8", "gbk", TEXT, ("gb18030", "meta-overruled")),
        (None, "iso-8859-1", "gbk", TEXT, ("gb18030", "meta-overruled")),
        (None, "gb2312", "utf-8", TEXT, ("utf-8", "meta-overruled")),
        # both lie
        (TOMCAT, "utf-8", "gbk", TEXT, ("gb18030", "header-overruled")),
        (TOMCAT, "iso-8859-1", "gbk", TEXT, ("gb18030", "header-overruled")),
        (TOMCAT, "gb2312", "utf-8", TEXT, ("utf-8", "header-overruled")),
        # nothing declared
        (None, None, "gbk", TEXT, ("gb18030", "detected")),
        (None, None, "utf-8", TEXT, ("utf-8", "detected")),
        # 㐀 (U+3400) has a four-byte GB18030 code, no GBK one: gb2312 is widened to GB18030
        (None, "gb2312", "gb18030", "㐀字见于扩展区，" + TEXT, ("gb18030", "meta")),
        (TOMCAT, "gb2312", "gb18030", "㐀字见于扩展区，" + TEXT, ("gb18030", "header-overruled")),
        # declarations that are right
        ("text/html; charset=utf-8", "gb2312", "utf-8", TEXT, ("utf-8", "header")),
        (None, "gb2312", "gbk", TEXT, ("gb18030", "meta")),
    ],
)
def test_charset_matrix(header, meta, charset, text, expected):
    raw = page(meta, text).encode(charset)
    decoded = decode(raw, content_type=header)
    assert text in decoded.text
    assert (decoded.encoding, decoded.source, decoded.replacements) == (*expected, 0)


def test_a_western_page_declared_iso_8859_1_is_believed():
    raw = ("<html><head><title>Menu</title></head><body><p>Café Müller serves crème brûlée at the Straße "
           "corner, à la carte.</p></body></html>").encode("latin-1")
    decoded = decode(raw, content_type=TOMCAT)
    assert "Café Müller serves crème brûlée" in decoded.text
    assert (decoded.encoding, decoded.source) == ("cp1252", "header")


def test_an_ascii_page_keeps_its_weak_declaration():
    decoded = decode(b"<html><head><title>Notice</title></head><body><p>Closed today.</p></body></html>",
                     content_type=TOMCAT)
    assert (decoded.encoding, decoded.source, decoded.replacements) == ("cp1252", "header", 0)


def test_stray_bytes_behind_a_lying_header_are_counted_not_mojibake():
    raw = page("gbk", TEXT * 20).encode("gb18030")
    damaged = raw[:200] + b"\xff" + raw[200:]
    decoded = decode(damaged, content_type=TOMCAT)
    assert "镕铸初心" in decoded.text
    assert (decoded.encoding, decoded.source) == ("gb18030", "header-overruled")
    assert 1 <= decoded.replacements == decoded.text.count("\ufffd") <= 2


def test_the_site_config_outranks_the_header():
    traditional = "黨支部組織開展主題黨日活動，鑄牢初心使命。"
    decoded = decode(page(None, traditional).replace("标题", "標題").encode("big5"), declared="big5",
                     content_type=TOMCAT)
    assert traditional in decoded.text
    assert (decoded.encoding, decoded.source) == ("big5", "config")


def test_bytes_too_damaged_for_any_charset_are_refused_even_behind_a_weak_header():
    raw = page("gbk", TEXT * 20).encode("gb18030")
    damaged = b"".join(raw[i : i + 20] + b"\xff" for i in range(0, len(raw), 20))
    with pytest.raises(DecodeError):
        decode(damaged, content_type=TOMCAT)
