"""Survey-platform exports read into ballots, and the question text written for the platform.

Every export is built here, in the shapes found in public code that reads real ones (see the
docstring of pingxing/survey/export.py): 问卷星 "按选项文本" and "按选项序号" as .xlsx, .xls (made
by LibreOffice) and .csv in GB18030 and UTF-8 with BOM; 腾讯问卷's CSV. Skipped and unanswered
answers must come out as no ballot, never 0 and never an option.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from survey_files import WJX_META, csv_file, xlsx

from pingxing.errors import UserError
from pingxing.survey import (
    Answer,
    Option,
    duplicates,
    match_question,
    option_labels,
    question_text,
    read_export,
    too_fast,
)

TALLY = ["满意", "基本满意", "不满意", "不了解"]
ITEMS = [("1001", "张伟"), ("1002", "王芳"), ("1003", "李娜")]
IP_A = "10.20.30.40(广东-深圳)"
IP_B = "10.20.30.41(广东-深圳)"

#: 问卷星 "按选项文本": two tally questions, named stars as a multi-select, a matrix, a comment.
WJX_TEXT: list[list[Any]] = [
    WJX_META + ["1、1001 张伟", "2、1002 王芳", "3、请评选学习之星（可多选）", "4、请评价—1003 李娜", "5、意见建议"],
    [1, "2026/3/1 9:00:01", "125秒", "微信", "N/A", IP_A, "满意", "基本满意", "张伟┋王芳", "不了解", "无"],
    [2, "2026/3/1 9:01:10", "40秒", "微信", "N/A", IP_B, "(跳过)", "(空)", "(空)", "", "NA"],
    [3, "2026/3/1 9:02:00", "2分5秒", "链接", "N/A", IP_A, "满意", "基本满意", "张伟┋王芳", "不了解", "无"],
    [4, "2026/3/1 9:03:00", "300秒", "链接", "N/A", IP_A, "NA", "不满意", "其他〖赵敏〗", "（空）", "好"],
    [5, "2026/3/1 9:04:00", "？", "链接", "N/A", "", "不满意", "满意", "王芳", "满意", ""],
]

#: 问卷星 "按选项序号" of a like survey: multi-select as 0/1 columns, a matrix by ``第N题(行)``.
WJX_NUMBER: list[list[Any]] = [
    WJX_META + ["1、1001 张伟", "2、1002 王芳", "第3题(张伟)", "第3题(王芳)", "第4题(1003 李娜)", "5、意见建议"],
    [1, "2026/3/1 9:00:01", "125秒", "微信", "N/A", IP_A, 1, 2, 1, 1, 4, "无"],
    [2, "2026/3/1 9:01:10", "40秒", "微信", "N/A", IP_B, -3, -2, -3, -3, -2, "(跳过)"],
    [3, "2026/3/1 9:02:00", "130秒", "链接", "N/A", IP_A, 1, 2, 1, 1, 4, "无"],
    [4, "2026/3/1 9:03:00", "300秒", "链接", "N/A", IP_A, "３", "NA", 0, 0, 5, "好"],
    [5, "2026/3/1 9:04:00", "61秒", "链接", "N/A", IP_B, "", 3, 0, 1, "", ""],
]

QQ_HEADER = [
    "编号", "开始答题时间", "结束答题时间", "答题时长", "地理位置国家和地区", "地理位置省", "地理位置市",
    "自定义字段", "用户标识", "昵称", "IP", "1.1001 张伟", "2.1002 王芳", "3.请评选学习之星:张伟",
    "3.请评选学习之星:王芳", "4.您来自：_填空1", "",
]  # fmt: skip
QQ_ROWS: list[list[Any]] = [
    ["1", "2026-03-01 09:00:00", "2026-03-01 09:02:05", "125", "中国", "广东省", "深圳市", "", "u-7", "小明", "10.0.0.9", "满意", "基本满意", "张伟", "", "北京", ""],
    ["2", "2026-03-01 09:05:00", "2026-03-01 09:05:20", "", "中国", "广东省", "深圳市", "", "u-8", "小红", "10.0.0.9", "不了解", "", "张伟", "王芳", "", ""],
    ["3", "2026-03-01 09:06:00", "2026-03-01 09:09:00", "180", "中国", "广东省", "深圳市", "", "u-7", "小明", "10.0.0.9", "不满意", "满意", "", "", "", ""],
]  # fmt: skip


def labels(export: Any, key: str) -> list[tuple[str, ...] | str]:
    """Per response: the chosen labels, or the status when there is no option."""
    return [a.labels if a.status == "answered" else a.status for a in (r.answers[key] for r in export.responses)]


# ---------------------------------------------------------------- 问卷星, 按选项文本


def check_wjx_text(export: Any) -> None:
    assert (export.platform, export.layout, export.platform_name) == ("wjx", "text", "问卷星")
    assert [(q.key, q.number, q.stem, q.kind, q.title, q.row, q.column) for q in export.questions] == [
        ("1", 1, "1001 张伟", "single", "", None, 7),
        ("2", 2, "1002 王芳", "single", "", None, 8),
        ("3", 3, "请评选学习之星(可多选)", "multi", "", None, 9),
        ("4", 4, "请评价—1003 李娜", "single", "", None, 10),  # one matrix row alone reads as one question
        ("5", 5, "意见建议", "single", "", None, 11),
    ]
    assert [r.row for r in export.responses] == [2, 3, 4, 5, 6]
    assert labels(export, "1") == [("满意",), "skipped", ("满意",), ("NA",), ("不满意",)]
    assert labels(export, "2") == [("基本满意",), "unanswered", ("基本满意",), ("不满意",), ("满意",)]
    assert labels(export, "3") == [("张伟", "王芳"), "unanswered", ("张伟", "王芳"), ("其他",), ("王芳",)]
    assert labels(export, "4") == [("不了解",), "blank", ("不了解",), "unanswered", ("满意",)]
    assert [r.seconds for r in export.responses] == [125, 40, 125, 300, None]
    assert duplicates(export) == [(4, 2)]  # same address, same answers; row 5 same address, other answers
    assert too_fast(export, 60) == [3]


def test_wjx_text_xlsx(tmp_path: Path) -> None:
    check_wjx_text(read_export(xlsx(tmp_path / "386540716_按文本_测评_5_5.xlsx", WJX_TEXT)))


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig"])
def test_wjx_text_csv(tmp_path: Path, encoding: str) -> None:
    export = read_export(csv_file(tmp_path / "答卷.csv", WJX_TEXT, encoding))
    check_wjx_text(export)
    assert all(isinstance(o.text, str) for r in export.responses for a in r.answers.values() for o in a.options)


def test_no_ballot_is_never_an_option_or_zero(tmp_path: Path) -> None:
    export = read_export(xlsx(tmp_path / "a.xlsx", WJX_TEXT))
    skipped = export.responses[1].answers
    for key in ("1", "2", "3", "4"):
        a = skipped[key]
        assert a.no_ballot and a.options == () and a.option is None and a.labels == ()
    assert export.responses[0].answers["1"] == Answer("answered", (Option("满意"),))
    assert not export.responses[0].answers["1"].no_ballot


def test_matrix_rows_by_em_dash(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        WJX_META + ["1、请评价以下同志—1001 张伟", "1、请评价以下同志—1002 王芳", "2、意见"],
        [1, "2026/3/1 9:00:01", "125秒", "微信", "N/A", IP_A, "满意", "(跳过)", "无"],
    ]
    export = read_export(xlsx(tmp_path / "m.xlsx", rows))
    assert [(q.key, q.stem, q.kind, q.title, q.row) for q in export.questions] == [
        ("1.1", "1001 张伟", "matrix", "请评价以下同志", 1),
        ("1.2", "1002 王芳", "matrix", "请评价以下同志", 2),
        ("2", "意见", "single", "", None),
    ]
    assert labels(export, "1.1") == [("满意",)] and labels(export, "1.2") == ["skipped"]


def test_matrix_rows_by_number_in_brackets_text(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        WJX_META + ["第1题(1001 张伟)", "第1题(1002 王芳)"],
        [1, "2026/3/1 9:00:01", "125秒", "微信", "N/A", IP_A, "满意", "不满意"],
        [2, "2026/3/1 9:00:01", "125秒", "微信", "N/A", IP_B, "(空)", "满意┋不满意"],
    ]
    export = read_export(xlsx(tmp_path / "按文本.xlsx", rows))
    assert export.layout == "text"
    assert [(q.key, q.stem, q.kind) for q in export.questions] == [("1.1", "1001 张伟", "matrix"), ("1.2", "1002 王芳", "matrix")]
    assert labels(export, "1.1") == [("满意",), "unanswered"]


# ---------------------------------------------------------------- 问卷星, 按选项序号


def check_wjx_number(export: Any) -> None:
    assert (export.platform, export.layout) == ("wjx", "number")
    assert [(q.key, q.stem, q.kind, q.title, q.options) for q in export.questions] == [
        ("1", "1001 张伟", "single", "", ()),
        ("2", "1002 王芳", "single", "", ()),
        ("3", "", "multi", "", ("张伟", "王芳")),
        ("4.1", "1003 李娜", "matrix", "", ()),
        ("5", "意见建议", "single", "", ()),
    ]
    assert labels(export, "1") == [("1",), "skipped", ("1",), ("3",), "blank"]  # "３" full-width
    assert export.responses[0].answers["1"].option == Option(number=1)
    assert [r.answers["2"].status for r in export.responses] == ["answered", "unanswered", "answered", "invalid", "answered"]
    assert export.responses[3].answers["2"].shown == "NA"  # a cell reading NA is text, not a missing value
    assert labels(export, "3") == [("张伟", "王芳"), "skipped", ("张伟", "王芳"), "unanswered", ("王芳",)]
    assert export.responses[4].answers["3"].options == (Option("王芳", 2),)
    assert labels(export, "4.1") == [("4",), "unanswered", ("4",), ("5",), "blank"]
    assert duplicates(export) == [(4, 2)]
    assert too_fast(export, 60) == [3]
    assert too_fast(export, 62) == [3, 6]


def test_wjx_number_xlsx(tmp_path: Path) -> None:
    check_wjx_number(read_export(xlsx(tmp_path / "答卷.xlsx", WJX_NUMBER)))


def test_wjx_number_csv_utf8_bom(tmp_path: Path) -> None:
    check_wjx_number(read_export(csv_file(tmp_path / "答卷.csv", WJX_NUMBER, "utf-8-sig")))


def test_option_numbers_mapped_to_recorded_texts(tmp_path: Path) -> None:
    export = read_export(xlsx(tmp_path / "答卷.xlsx", WJX_NUMBER)).with_options(TALLY)
    assert labels(export, "1") == [("满意",), "skipped", ("满意",), ("不满意",), "blank"]
    assert export.responses[0].answers["1"].option == Option("满意", 1)
    assert labels(export, "4.1") == [("不了解",), "unanswered", ("不了解",), "invalid", "blank"]
    assert export.responses[3].answers["4.1"] == Answer("invalid", shown="5")  # no fifth option
    assert labels(export, "3") == [("张伟", "王芳"), "skipped", ("张伟", "王芳"), "unanswered", ("王芳",)]  # header's own
    by_key = read_export(xlsx(tmp_path / "b.xlsx", WJX_NUMBER)).with_options({"2": ["好", "较好", "一般"]})
    assert labels(by_key, "2") == [("较好",), "unanswered", ("较好",), "invalid", ("一般",)]
    assert labels(by_key, "1")[0] == ("1",)  # not given: stays a number


def test_text_answers_get_numbers_from_recorded_texts(tmp_path: Path) -> None:
    export = read_export(xlsx(tmp_path / "a.xlsx", WJX_TEXT)).with_options(TALLY)
    assert export.responses[0].answers["1"].option == Option("满意", 1)
    assert export.responses[3].answers["1"].option == Option("NA")  # not an option: left for the caller


def test_layout_forced_and_by_file_name(tmp_path: Path) -> None:
    rows: list[list[Any]] = [WJX_META + ["1、1001 张伟"], [1, "2026/3/1 9:00:01", "125秒", "微信", "N/A", IP_A, "90"]]
    assert read_export(xlsx(tmp_path / "x.xlsx", rows)).layout == "number"  # only whole numbers: by number
    assert read_export(xlsx(tmp_path / "123_按文本_测评.xlsx", rows)).layout == "text"
    forced = read_export(xlsx(tmp_path / "y.xlsx", rows), layout="text")
    assert forced.layout == "text" and labels(forced, "1") == [("90",)]


def test_matrix_by_number_without_zeros(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        WJX_META + ["第2题(1001 张伟)", "第2题(1002 王芳)"],
        [1, "2026/3/1 9:00:01", "125秒", "微信", "N/A", IP_A, 1, 2],
        [2, "2026/3/1 9:00:01", "125秒", "微信", "N/A", IP_B, -3, 1],
    ]
    export = read_export(xlsx(tmp_path / "m.xlsx", rows))
    assert export.layout == "number"
    assert [(q.key, q.kind, q.stem) for q in export.questions] == [("2.1", "matrix", "1001 张伟"), ("2.2", "matrix", "1002 王芳")]
    assert labels(export.with_options(TALLY), "2.2") == [("基本满意",), ("满意",)]


def test_header_variants(tmp_path: Path) -> None:
    """``N：题干`` (reportgen accepts it), ``N(选项)``, and a stem column beside its 0/1 columns."""
    rows: list[list[Any]] = [
        WJX_META + ["１：1001 张伟", "2、请评选学习之星", "2(张伟)", "2(王芳)"],
        [1, "2026/3/1 9:00:01", "125秒", "微信", "N/A", IP_A, 2, "", 0, 1],
    ]
    export = read_export(xlsx(tmp_path / "a.xlsx", rows))
    assert [(q.key, q.stem, q.kind, q.options) for q in export.questions] == [
        ("1", "1001 张伟", "single", ()),
        ("2", "请评选学习之星", "multi", ("张伟", "王芳")),
    ]
    assert labels(export, "2") == [("王芳",)]


# ---------------------------------------------------------------- .xls and the file's content


@pytest.fixture(scope="module")
def soffice_xls(tmp_path_factory: pytest.TempPathFactory) -> Path:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) not on PATH: .xls exports not built")
    d = tmp_path_factory.mktemp("xls")
    source = xlsx(d / "wjx.xlsx", WJX_TEXT)
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{d / 'profile'}", "--headless", "--convert-to", "xls", "--outdir", str(d / "out"), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    out = d / "out" / "wjx.xls"
    assert out.read_bytes()[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
    return out


def test_wjx_text_xls(soffice_xls: Path) -> None:
    check_wjx_text(read_export(soffice_xls))


def test_reader_chosen_by_content_not_name(tmp_path: Path, soffice_xls: Path) -> None:
    check_wjx_text(read_export(xlsx(tmp_path / "答卷.csv", WJX_TEXT)))  # an .xlsx named .csv
    check_wjx_text(read_export(csv_file(tmp_path / "答卷.xlsx", WJX_TEXT, "gb18030")))  # a CSV named .xlsx
    renamed = tmp_path / "答卷.xlsx"
    renamed.write_bytes(soffice_xls.read_bytes())  # an .xls named .xlsx
    check_wjx_text(read_export(renamed))


def test_row_numbers_are_excel_rows(tmp_path: Path) -> None:
    rows: list[list[Any]] = [["2026年第一季度群众满意度测评"], []] + WJX_TEXT[:2] + [[]] + WJX_TEXT[2:3]
    export = read_export(xlsx(tmp_path / "a.xlsx", rows))
    assert [r.row for r in export.responses] == [4, 6]  # title row, empty row, header on row 3


# ---------------------------------------------------------------- 腾讯问卷


def check_qq(export: Any) -> None:
    assert (export.platform, export.layout, export.platform_name) == ("tencent", "text", "腾讯问卷")
    assert [(q.key, q.stem, q.kind, q.options) for q in export.questions] == [
        ("1", "1001 张伟", "single", ()),
        ("2", "1002 王芳", "single", ()),
        ("3", "请评选学习之星", "multi", ("张伟", "王芳")),
    ]  # the fill-in blank and the empty trailing column are not questions
    assert [r.row for r in export.responses] == [2, 3, 4]
    assert labels(export, "1") == [("满意",), ("不了解",), ("不满意",)]
    assert labels(export, "2") == [("基本满意",), "blank", ("满意",)]
    assert labels(export, "3") == [("张伟",), ("张伟", "王芳"), "blank"]
    assert [r.seconds for r in export.responses] == [125, 20, 180]  # row 3: from start and end times
    assert duplicates(export) == [(4, 2)]  # same 用户标识, whatever the answers
    assert too_fast(export, 30) == [3]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_tencent_csv(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "9799234_202603011200.csv"
    # 腾讯问卷's CSV ends every line with a comma
    text = "".join(",".join(f'"{c}"' for c in row) + ",\r\n" for row in [QQ_HEADER, *QQ_ROWS])
    path.write_bytes(text.encode(encoding))
    check_qq(read_export(path))


def test_tencent_xlsx(tmp_path: Path) -> None:
    check_qq(read_export(xlsx(tmp_path / "qq.xlsx", [QQ_HEADER, *QQ_ROWS])))


def test_tencent_without_login_falls_back_to_address_and_answers(tmp_path: Path) -> None:
    rows = [[*r[:8], "0", "", *r[10:]] for r in QQ_ROWS]  # 用户标识 0: answered without logging in
    rows.append([*rows[1][:3], "21", *rows[1][4:]])  # row 5 resubmits row 3's answers from the same address
    export = read_export(xlsx(tmp_path / "qq.xlsx", [QQ_HEADER, *rows]))
    assert duplicates(export) == [(5, 3)]


def test_tencent_matrix_rows(tmp_path: Path) -> None:
    header = ["编号", "开始答题时间", "结束答题时间", "答题时长", "1.请评价:1001 张伟", "1.请评价:1002 王芳"]
    rows: list[list[Any]] = [["1", "", "", "60", "满意", "不了解"], ["2", "", "", "", "", "基本满意"]]
    export = read_export(xlsx(tmp_path / "qq.xlsx", [header, *rows]))
    assert [(q.key, q.stem, q.kind, q.title) for q in export.questions] == [
        ("1.1", "1001 张伟", "matrix", "请评价"),
        ("1.2", "1002 王芳", "matrix", "请评价"),
    ]
    assert labels(export, "1.1") == [("满意",), "blank"]
    assert [r.seconds for r in export.responses] == [60, None]
    assert [r.respondent_key for r in export.responses] == [None, None]  # no id, no address: never a duplicate
    assert duplicates(export) == []


# ---------------------------------------------------------------- privacy


def test_no_address_name_or_time_in_repr(tmp_path: Path) -> None:
    path = tmp_path / "qq.csv"
    csv_file(path, [QQ_HEADER, *QQ_ROWS], "utf-8-sig")
    wjx = read_export(xlsx(tmp_path / "wjx.xlsx", WJX_TEXT))
    for export in (read_export(path), wjx):
        text = repr(export) + "".join(repr(r) for r in export.responses)
        for secret in ("10.0.0.9", "10.20.30", "小明", "u-7", "2026-03-01", "2026/3/1", "09:00", "125", "深圳"):
            assert secret not in text
        keys = [r.respondent_key for r in export.responses if r.respondent_key]
        assert keys and all(len(k) == 32 and "10." not in k for k in keys)
    again = read_export(xlsx(tmp_path / "wjx.xlsx", WJX_TEXT))
    assert again.responses[0].respondent_key != wjx.responses[0].respondent_key  # keyed anew for each read


# ---------------------------------------------------------------- clear errors, never a traceback


def error_of(path: Path) -> str:
    with pytest.raises(UserError) as e:
        read_export(path)
    return str(e.value)


def test_missing_file(tmp_path: Path) -> None:
    p = tmp_path / "无.xlsx"
    assert error_of(p) == f"{p}: 找不到文件，请检查路径"


def test_not_an_export(tmp_path: Path) -> None:
    p = csv_file(tmp_path / "名册.csv", [["单位", "支部", "编号", "姓名"], ["质检中心", "第一党支部", "1001", "张伟"]], "utf-8-sig")
    assert error_of(p) == (
        f"{p}: 不是问卷星或腾讯问卷导出的答卷数据（没有找到“序号、提交答卷时间…”或“编号、开始答题时间…”表头），"
        "请在问卷平台“下载答卷数据”后直接导入下载的文件"
    )


def test_damaged_workbook(tmp_path: Path) -> None:
    p = tmp_path / "答卷.xlsx"
    p.write_bytes(xlsx(tmp_path / "good.xlsx", WJX_TEXT).read_bytes()[:300])
    assert error_of(p) == f"{p}: 无法读取该 Excel 文件（可能已损坏或设有密码），请从问卷平台重新下载答卷数据"
    p.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 100)
    assert error_of(p) == f"{p}: 无法读取该 Excel 文件（可能已损坏或设有密码），请从问卷平台重新下载答卷数据"


def test_empty_file_and_empty_export(tmp_path: Path) -> None:
    p = tmp_path / "空.csv"
    p.write_bytes(b"")
    assert error_of(p) == f"{p}: 文件是空的，请从问卷平台重新下载答卷数据"
    p = xlsx(tmp_path / "答卷.xlsx", [WJX_TEXT[0], [None] * 5])
    assert error_of(p) == f"{p}: 导出文件中没有答卷，请在问卷回收到答卷后重新下载答卷数据"


def test_no_question_columns(tmp_path: Path) -> None:
    p = xlsx(tmp_path / "答卷.xlsx", [WJX_META, [1, "2026/3/1 9:00:01", "125秒", "微信", "N/A", IP_A]])
    assert error_of(p) == f"{p}: 导出文件中没有题目列（表头应为“1、题干”），请从问卷平台重新下载完整的答卷数据"


def test_unknown_csv_encoding(tmp_path: Path) -> None:
    p = tmp_path / "答卷.csv"
    p.write_bytes("\ufeff序号,提交答卷时间\r\n".encode("utf-16-le"))  # Excel's "Unicode text"
    assert error_of(p) == (
        f"{p}: 无法识别 CSV 文件的编码（应为 UTF-8 或 GB18030/GBK），请从问卷平台重新下载，或用 Excel 打开后另存为 .xlsx 再导入"
    )


def test_binary_garbage(tmp_path: Path) -> None:
    p = tmp_path / "答卷.csv"
    p.write_bytes(b"\x00\x01\x02abc")
    assert error_of(p) == f"{p}: 无法读取文件（不是 Excel 或 CSV 格式，可能已损坏），请从问卷平台重新下载答卷数据"


# ---------------------------------------------------------------- the question text


def test_question_text_tally() -> None:
    assert question_text("2026年第一季度 群众满意度测评", ITEMS[:2], TALLY) == (
        "2026年第一季度 群众满意度测评\n"
        "\n"
        "1. 1001 张伟[单选题]\n满意\n基本满意\n不满意\n不了解\n"
        "\n"
        "2. 1002 王芳[单选题]\n满意\n基本满意\n不满意\n不了解\n"
    )


def test_question_text_stars_scores_required() -> None:
    stars = question_text("评选", [("D01", " 第一 党支部 ")], ["学习 之星", "服务之星"], multi=True, required=True)
    assert stars == "评选\n\n1. D01 第一 党支部*[多选题]\n学习之星\n服务之星\n"
    assert option_labels(["90", "８０", "70分", " 优秀 "]) == ["90分", "80分", "70分", "优秀"]
    with pytest.raises(ValueError):
        option_labels(["满意", "满 意"])
    with pytest.raises(ValueError):
        question_text("t", [], TALLY)


def test_question_text_round_trip(tmp_path: Path) -> None:
    """The stems written are the stems the export shows and match_question finds."""
    text = question_text("测评", ITEMS, TALLY)
    stems = [line.split(". ", 1)[1].removesuffix("[单选题]") for line in text.splitlines() if line[:1].isdigit()]
    header = WJX_META + [f"{n}、{s}" for n, s in enumerate(stems, start=1)]
    export = read_export(xlsx(tmp_path / "a.xlsx", [header, [1, "", "60秒", "", "", IP_A, "满意", "不了解", "满意"]]))
    assert [match_question(q.stem, ITEMS) for q in export.questions] == ITEMS


@pytest.mark.parametrize(
    "stem, found",
    [
        ("1001 张伟", ("1001", "张伟")),
        ("1001张伟", ("1001", "张伟")),
        ("１００１ 张伟", ("1001", "张伟")),  # full-width digits
        ("请评价：1002（王芳）", ("1002", "王芳")),
        ("1002 张伟", ("1002", "王芳")),  # 编号 first
        ("李娜", ("1003", "李娜")),
        ("对李娜同志的评价", None),  # names are matched exactly, never inside a word
        ("1001 1002", None),  # two people
        ("第1季度 赵敏", None),
        ("", None),
    ],
)
def test_match_question(stem: str, found: tuple[str, str] | None) -> None:
    assert match_question(stem, ITEMS) == found


def test_match_question_shared_name() -> None:
    items = [("1001", "张伟"), ("2001", "张伟")]
    assert match_question("张伟", items) is None
    assert match_question("2001 张伟", items) == ("2001", "张伟")


def test_a_far_away_cell_is_refused_before_the_sheet_is_read(tmp_path: Path) -> None:
    """An export with one stray cell a million rows down gets the check a returned form gets (the
    sheet's area too large to read safely), not calamine allocating the whole rectangle."""
    from openpyxl import load_workbook

    p = xlsx(tmp_path / "答卷.xlsx", WJX_TEXT)
    wb = load_workbook(p)
    wb.active["Z1000000"] = "x"
    wb.save(p)
    message = error_of(p)
    assert message.startswith(f"{p}: ") and "Z1000000" in message and "过大" in message
