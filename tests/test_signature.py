"""发文机关署名 built from what the organisation is (DOMAIN "Publicity and announcements"), and where
the 署名 and 成文日期 stand (GB/T 9704 7.3.5)."""

from __future__ import annotations

import pytest

from pingxing.publish.signature import LINE_CHARS, SIGN_CENTRE, branch_organ, issuer_for, sign_block, unit_organ


@pytest.mark.parametrize(("people", "expected"), [(12, "中共市质量检验检测中心第一党支部委员会"),
                                                  (7, "中共市质量检验检测中心第一党支部委员会"),
                                                  (6, "中共市质量检验检测中心第一党支部"),
                                                  (None, "中共市质量检验检测中心第一党支部委员会")])
def test_a_branch_signs_with_or_without_its_committee(people: int | None, expected: str) -> None:
    assert issuer_for("中共{unit}{branch}委员会", "市质量检验检测中心", "第一党支部", people=people).text == expected


@pytest.mark.parametrize(("unit", "expected"), [
    ("市市场监督管理局机关党委", "中共市市场监督管理局机关委员会"),  # never …党委委员会 (the issue)
    ("市直机关工委", "中共市直机关工作委员会"),
    ("县教育局党总支", "中共县教育局总支部委员会"),
    ("中共某镇委员会", "中共某镇委员会"),
    ("质检中心", "中共质检中心委员会"),
    ("某局党组", "中共某局党组"),
])
def test_a_unit_signs_as_its_party_organisation_is_named(unit: str, expected: str) -> None:
    assert issuer_for("中共{unit}委员会", unit).text == expected
    assert issuer_for("中共{unit}{branch}委员会", unit, "").text == expected  # a branch scheme's 公示


def test_the_scheme_says_which_kind_where_the_name_does_not() -> None:
    assert issuer_for("中共{unit}总支部委员会", "质检中心").text == "中共质检中心总支部委员会"
    assert issuer_for("中共{unit}总支部委员会", "质检中心党委").text == "中共质检中心委员会"  # as it is named
    assert issuer_for("中共{unit}支部委员会", "市气象局").text == "中共市气象局支部委员会"


def test_a_named_committee_is_used_as_written() -> None:
    assert issuer_for("中共市直机关工作委员会", "", "").text == "中共市直机关工作委员会"
    assert issuer_for("先锋旗评定工作领导小组", "甲", "乙").text == "先锋旗评定工作领导小组"
    assert issuer_for("{unit}", "第一机关党委").text == "第一机关党委"


def test_never_an_empty_committee_nor_a_file_name() -> None:
    empty = issuer_for("中共{unit}{branch}委员会", "", "")
    assert empty.text == "" and "单位名称为空" in empty.why  # never 中共委员会 (the internal list)
    no_meta = issuer_for("中共{unit}{branch}委员会", "", "第一党支部-member-weighted-2026Q4")
    assert no_meta.text == "" and "_meta" in no_meta.why  # a form read without _meta
    assert issuer_for("中共{unit}{branch}委员会", "", "第一党支部").text == ""  # a tidy file name is still a file name
    assert branch_organ("质检中心", "数据汇总") == ""  # not a branch
    assert unit_organ("") == ""


def test_the_unit_is_not_repeated_when_the_branch_name_has_it() -> None:
    assert branch_organ("质检中心", "质检中心第一党支部") == "中共质检中心第一党支部委员会"
    assert branch_organ("质检中心", "中共质检中心第一党支部", committee=False) == "中共质检中心第一党支部"


def _cells(text: str) -> float:
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def test_with_a_seal_the_signature_is_centred_over_the_date() -> None:
    sign, date = sign_block("中共质检中心第一党支部", "2026年12月1日")
    assert sign == "\t中共质检中心第一党支部"  # the 落款 style's centre tab, over the date
    assert date == "2026年12月1日"  # the 成文日期 style stands it four characters from the right
    assert SIGN_CENTRE == LINE_CHARS - 4 - 3.5  # the centre of a seven-character date
    long_sign, _ = sign_block("中共市市场监督管理局机关第一联合党支部委员会", "2026年12月1日")
    assert long_sign.endswith("委员会") and _cells(long_sign) == LINE_CHARS - 1  # too long to centre: at the edge


def test_without_a_seal_the_signature_stands_two_characters_in_and_the_date_two_right_of_its_start() -> None:
    sign, date = sign_block("中共质检中心第一党支部委员会", "2026年12月1日", sealed=False)
    assert _cells(sign) == LINE_CHARS - 2  # 署名右空二字
    assert len(date) - len(date.lstrip("\u3000")) == len(sign) - len(sign.lstrip("\u3000")) + 2  # 首字右移二字
    short, day = sign_block("中共第一党支部", "2026年12月10日", sealed=False)
    assert _cells(day) == LINE_CHARS - 2  # the date is the longer: it stands two characters in,
    assert len(day) - len(day.lstrip("\u3000\u2002")) >= len(short) - len(short.lstrip("\u3000\u2002")) + 2  # 署名 left


def test_nothing_to_sign_gives_empty_lines() -> None:
    assert sign_block("", "") == ("", "")
