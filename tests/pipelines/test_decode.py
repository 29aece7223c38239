"""Decoding real byte sequences the way Chinese sites ship them (wrong declarations included)."""

from __future__ import annotations

import pytest

from pipelines.decode import DecodeError, canonical, declared_encoding, decode_bytes

TEXT = "党支部组织开展主题党日活动，镕铸初心　砥砺前行。"  # 镕 is outside GB2312, the ideographic space needs GBK


def page(charset: str, body: str = TEXT) -> str:
    return (
        f'<html><head><meta charset="{charset}"><title>标题</title></head><body><p>{body}</p></body></html>'
    )


def test_declared_gb2312_but_gbk_bytes_decode_as_gb18030():
    raw = page("gb2312").encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("gb2312")
    assert TEXT in decode_bytes(raw)


def test_declared_gb2312_but_utf8_bytes_stay_utf8():
    raw = page("gb2312").encode("utf-8")
    assert TEXT in decode_bytes(raw)


def test_unset_charset_is_read_from_the_bytes():
    assert declared_encoding(page("unset").encode("gbk")) is None
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
