"""Titles broken as GB/T 9704 asks: between words (回行时词意完整), fields whole, lines balanced, never
an hourglass, a clerk's forced break kept."""

from __future__ import annotations

import pytest

from pingxing.publish.titles import TITLE_WIDTH, break_text, break_title, plain_title, text_width

WORDS = {"unit": "市质量检验检测中心", "branch": "第一党支部", "period_words": "2026年第四季度"}


def test_a_title_that_fits_stays_on_one_line() -> None:
    assert break_title("关于{period_words}评星结果的通报", WORDS) == ["关于2026年第四季度评星结果的通报"]


def test_fields_are_never_broken_inside() -> None:
    """The issue's example: never …2026年第 / 四季度."""
    lines = break_title("{unit}{branch}{period_words}党员评星定级结果公示", WORDS)
    assert lines == ["市质量检验检测中心第一党支部", "2026年第四季度党员评星定级结果公示"]
    assert all(text_width(line) <= TITLE_WIDTH for line in lines)


@pytest.mark.parametrize(("pattern", "lines"), [
    ("关于表彰{period_words}五星级党支部和晋星党支部的通报", ["关于表彰2026年第四季度", "五星级党支部和晋星党支部的通报"]),
    ("关于公布{period_words}党支部规范化建设达标名单的通报", ["关于公布2026年第四季度党支部", "规范化建设达标名单的通报"]),
    ("关于命名{period_words}“五星级”党支部的通报", ["关于命名2026年第四季度", "“五星级”党支部的通报"]),
    ("{unit}{period_words}星级党支部认定结果公示", ["市质量检验检测中心2026年第四季度", "星级党支部认定结果公示"]),
])
def test_lines_break_between_words(pattern: str, lines: list[str]) -> None:
    assert break_title(pattern, WORDS) == lines


def test_quotes_stay_with_their_word_and_the_particle_with_what_follows() -> None:
    for line in break_title("关于命名{period_words}基层党建“五星级”示范党支部的通报", WORDS):
        assert not line.endswith("“") and not line.startswith("”") and not line.endswith("的")


def test_three_lines_are_balanced_and_never_an_hourglass() -> None:
    lines = break_title("{unit}{branch}{period_words}党员评星定级结果公示（更正）", WORDS)
    assert len(lines) == 3 and "".join(lines) == plain_title("{unit}{branch}{period_words}党员评星定级结果公示（更正）", WORDS)
    widths = [text_width(line) for line in lines]
    assert not (widths[1] < widths[0] - 1 and widths[1] < widths[2] - 1)  # 沙漏形
    assert "评星定级" in "".join(lines[1:]) and not any(line.endswith("评星") for line in lines)


def test_a_clerk_forces_a_break() -> None:
    assert break_title("{unit}{period_words}|星级党支部认定结果公示", WORDS) == [
        "市质量检验检测中心2026年第四季度", "星级党支部认定结果公示"]
    assert break_title("关于{period_words}\n评星结果的通报", WORDS) == ["关于2026年第四季度", "评星结果的通报"]
    assert plain_title("关于{period_words}|评星结果的通报", WORDS) == "关于2026年第四季度评星结果的通报"


def test_a_title_given_whole_keeps_its_period_together() -> None:
    assert break_text("第一机关党委第一党支部2026年第四季度党员评星定级结果公示") == [
        "第一机关党委第一党支部", "2026年第四季度党员评星定级结果公示"]
    assert break_text("关于表彰2025-2026年度五星级党支部和晋星党支部的通报") == [
        "关于表彰2025-2026年度", "五星级党支部和晋星党支部的通报"]


def test_a_field_longer_than_a_line_still_breaks() -> None:
    unit = "某某省某某市某某区某某街道某某社区综合党委第一联合党支部"
    lines = break_title("{unit}{period_words}评星结果公示", {**WORDS, "unit": unit})
    assert "".join(lines) == unit + "2026年第四季度评星结果公示"
    assert all(text_width(line) <= TITLE_WIDTH for line in lines)


def test_digits_count_half() -> None:
    assert text_width("2026年") == 3 and text_width("“五星级”") == 5


def test_a_short_aside_in_brackets_stays_whole() -> None:
    assert break_text("党支部建设星级管理（百分制考核定星）2025—2026年度评定情况汇总") == [
        "党支部建设星级管理（百分制考核定星）", "2025—2026年度评定情况汇总"]


def test_a_name_of_hundreds_of_characters_breaks_into_even_lines() -> None:
    """A unit named at the file system's limit (255 characters) breaks at once into lines no wider
    than a line, about equally long, nothing lost (tried one way at a time it never finished)."""
    unit = "市" + "发展和改革委员会" * 32
    lines = break_title("{unit}{period_words}星级党支部认定结果公示", {"unit": unit, "period_words": "2026年度"})
    assert "".join(lines) == f"{unit}2026年度星级党支部认定结果公示"
    assert all(text_width(line) <= TITLE_WIDTH for line in lines)
    assert len(lines) == -(-int(text_width("".join(lines))) // int(TITLE_WIDTH))
    assert max(map(text_width, lines[:-1])) - min(map(text_width, lines[:-1])) <= 1


def test_a_forced_break_is_no_part_of_a_titles_words_in_describe() -> None:
    """A clerk's forced breaks (|, ｜, a new line typed with Alt+Enter) shape the printed title only:
    ``describe`` shows the title's words without them (it kept ｜ and split the line at a new line)."""
    from pingxing.publish.scheme_words import _fields

    assert _fields("{unit}{period_words}｜党员评星定级|结果\n公示") == "〔单位〕〔周期〕党员评星定级结果公示"
