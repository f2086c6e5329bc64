"""``survey questions`` (the text to paste into 问卷星, recorded), and every way ``survey questions`` and
``survey import`` stop: one line naming the file, the question or option, and what to do — exit 2, never
a traceback, nothing written.

The campaign: member-weighted, 2026Q4, two branches; 职工参评 (ballots, 5 columns) is surveyed.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from clerk import issue, scheme_variant
from click.testing import CliRunner
from survey_files import WJX_META, Sheet, csv_file, every_byte, wjx_rows, xlsx

import pingxing
from pingxing.record import store
from process import cli

ROSTER = """单位,支部,编号,姓名
质检中心,第一党支部,1001,张伟
质检中心,第一党支部,1002,王芳
质检中心,第二党支部,2001,黄强
"""
STEMS = ["1001 张伟", "1002 王芳", "2001 黄强"]
SCORES = [f"{n}分" for n in range(100, -1, -10)]
ARGS = ["--scheme", "member-weighted", "--period", "2026Q4", "--sheet", "职工参评"]


@pytest.fixture(scope="module")
def forms(_module_folder: Path) -> dict[str, Path]:
    found = issue(_module_folder, "member-weighted", ROSTER, "2026Q4")
    result = CliRunner().invoke(cli, ["survey", "questions", *ARGS, "--roster", str(_module_folder / "名册.csv"),
                                      "--output", str(_module_folder / "forms")])
    assert result.exit_code == 0, result.output
    return found


def invoke(*args: str) -> Any:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    return result


def roster(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def answers(*rows: list[Any]) -> list[Sheet]:
    return [Sheet(r, ip=f"10.0.0.{n}") for n, r in enumerate(rows, 1)]


def wjx(path: Path, sheets: list[Sheet], layout: str = "text", stems: list[str] = STEMS) -> Path:
    return xlsx(path, wjx_rows(stems, [SCORES] * len(stems), [False] * len(stems), sheets, layout))


def refused(path: Path, message: str) -> None:
    result = invoke("survey", "import", str(path), *ARGS, "--output", "input")
    assert (result.exit_code, result.output) == (2, message), result.output
    assert not Path("input").exists()  # nothing written


# ------------------------------------------------------------------------------ survey questions


def test_the_questions_are_written_for_the_text_import_and_recorded(forms: dict[str, Path], _module_folder: Path) -> None:
    text = (_module_folder / "forms" / "问卷题目-member-weighted-2026Q4-职工参评.txt").read_bytes()
    assert text.startswith(b"\xef\xbb\xbf") and b"\r\n" in text  # Notepad on any Windows
    options = "\n".join(SCORES)
    assert text.decode("utf-8-sig").replace("\r\n", "\n") == (
        f"质检中心2026年第四季度职工参评表\n\n1. 1001 张伟[单选题]\n{options}\n\n2. 1002 王芳[单选题]\n{options}\n\n"
        f"3. 2001 黄强[单选题]\n{options}\n")
    with sqlite3.connect("评星记录.sqlite") as conn:
        rows = conn.execute("SELECT seq, entity_id, name, multi, options, sheet FROM survey_questions ORDER BY seq").fetchall()
    assert [r[:4] for r in rows] == [(1, "1001", "张伟", 0), (2, "1002", "王芳", 0), (3, "2001", "黄强", 0)]
    assert json.loads(rows[0][4]) == [[f"{n}分", str(n)] for n in range(100, -1, -10)] and rows[0][5] == "职工参评"


def test_one_survey_per_branch_and_a_new_list_replaces_the_old(forms: dict[str, Path], tmp_path: Path) -> None:
    one = roster(tmp_path / "一支部.csv", "单位,支部,编号,姓名\n质检中心,第一党支部,1001,张伟\n质检中心,第一党支部,1002,王芳\n")
    result = invoke("survey", "questions", *ARGS, "--roster", str(one), "--output", "q")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "q/问卷题目-member-weighted-2026Q4-职工参评.txt",
        f"“职工参评”表共 2 题（单选题，选项：{'、'.join(SCORES)}），已记入 评星记录.sqlite。"]
    assert Path("q/问卷题目-member-weighted-2026Q4-职工参评.txt").read_text(encoding="utf-8-sig").startswith(
        "质检中心第一党支部2026年第四季度职工参评表")
    with sqlite3.connect("评星记录.sqlite") as conn:
        lists = conn.execute("SELECT survey, group_concat(entity_id) FROM survey_questions GROUP BY survey").fetchall()
    assert sorted(ids for _, ids in lists) == ["1001,1002"]  # the list of all three asked about them too: replaced
    two = roster(tmp_path / "二支部.csv", "单位,支部,编号,姓名\n质检中心,第二党支部,2001,黄强\n")
    assert invoke("survey", "questions", *ARGS, "--roster", str(two), "--output", "q").exit_code == 0
    with sqlite3.connect("评星记录.sqlite") as conn:
        assert conn.execute("SELECT count(DISTINCT survey) FROM survey_questions").fetchone() == (2,)
    # an export of 第二党支部's survey, its one question a multi-select of nothing: found by its stem
    done = invoke("survey", "import", str(wjx(tmp_path / "二.xlsx", answers(["90分"]), stems=["2001 黄强"])), *ARGS,
                  "--output", "input")
    assert done.exit_code == 0, done.output
    assert [p.name for p in Path("input").iterdir()] == ["质检中心-第二党支部-member-weighted-2026Q4-职工参评-问卷导入.xlsx"]


def test_the_scores_offered_come_from_the_scheme_file_now(forms: dict[str, Path], tmp_path: Path) -> None:
    """The clerk sets ``survey.scores`` after issuing the forms: the questions offer them (no register)."""
    def scores(data: dict[str, Any]) -> None:
        data["components"][3]["survey"] = {"scores": [100, 95, 90, 85, 80, 70, 60], "min_seconds": 30}

    Path("schemes").mkdir()
    scheme_variant(tmp_path, "member-weighted", scores).rename("schemes/member-weighted.yaml")
    result = invoke("survey", "questions", *ARGS, "--roster", str(Path(forms["质检中心-第一党支部-member-weighted-2026Q4"]).parent.parent / "名册.csv"))
    assert result.exit_code == 0, result.output
    assert "选项：100分、95分、90分、85分、80分、70分、60分" in result.output
    assert Path("forms/问卷题目-member-weighted-2026Q4-职工参评.txt").is_file()  # forms/ by default


@pytest.mark.parametrize("text, message", [
    ("单位,支部,编号,姓名\n质检中心,第一党支部,1001,张伟\n质检中心,第一党支部,1002,王芳\n质检中心,第一党支部,1009,赵敏\n",
     "{r}: “1009 赵敏”不在member-weighted 2026Q4的下发记录中（“职工参评”表）；名册改过的，请先运行 forms 重新下发（或 register 重新登记），再生成问卷题目"),
    ("单位,支部,编号,姓名\n质检中心,第一党支部,1001,张伟\n质检中心,第一党支部,1002,王芳芳\n",
     "{r}: 编号“1002”在名册中是“王芳芳”，在下发记录中是“王芳”；名册改过的，请先运行 forms 重新下发（或 register 重新登记），再生成问卷题目"),
    ("单位,支部,编号,姓名\n质检中心,第一党支部,1001,张伟\n",
     "{r}: 名册中缺少质检中心第一党支部的 1002 王芳：问卷代替的是整份表格（质检中心-第一党支部-member-weighted-2026Q4.xlsx）"
     "中的“职工参评”表，须包括表中的全部人员；请用完整的名册"),
])
def test_a_roster_that_disagrees_with_the_record(forms: dict[str, Path], tmp_path: Path, text: str, message: str) -> None:
    path = roster(tmp_path / "名册.csv", text)
    result = invoke("survey", "questions", *ARGS, "--roster", str(path))
    assert (result.exit_code, result.output) == (2, f"错误：{message.format(r=path)}\n")


def test_what_cannot_be_surveyed_or_has_no_record(forms: dict[str, Path], _module_folder: Path) -> None:
    names = _module_folder / "名册.csv"
    result = invoke("survey", "questions", "--scheme", "member-weighted", "--period", "2026Q4", "--sheet", "自评",
                    "--roster", str(names))
    assert (result.exit_code, result.output) == (2, "错误：member-weighted: “自评”表（kind: items）不能用问卷收集；"
                                                    "问卷只能用于 tally、ballots、votes、grade_votes 类的工作表，这张表请按下发的表格填写\n")
    result = invoke("survey", "questions", "--scheme", "member-weighted", "--period", "2026Q4", "--sheet", "群众测评",
                    "--roster", str(names))
    assert result.output == "错误：member-weighted: 没有“群众测评”表；本方案的工作表为 自评、互评、领导点评、职工参评、支部评定，请用 --sheet 给出其中一张\n"
    result = invoke("survey", "questions", *ARGS, "--roster", str(names), "--history", "另一个.sqlite")
    assert (result.exit_code, result.output) == (2, "错误：另一个.sqlite: 评星记录中没有“member-weighted”2026年第四季度的下发记录；"
                                                    "请先运行 forms 下发表格（表格以前已下发的，运行 register 登记），再做问卷\n")
    path = wjx(Path("答卷.xlsx"), answers(["90分", "90分", "90分"]))
    result = invoke("survey", "import", str(path), "--scheme", "member-weighted", "--period", "2026Q4", "--sheet", "互评")
    assert (result.exit_code, result.output) == (2, "错误：评星记录.sqlite: 没有“互评”表的问卷题目记录；请先运行 survey questions 生成题目，"
                                                    "用生成的题目创建问卷、回收答卷后再导入\n")


# ------------------------------------------------------------------------------ survey import stops


def test_a_question_that_is_nobody(forms: dict[str, Path], tmp_path: Path) -> None:
    rows = wjx_rows([*STEMS, "意见建议"], [SCORES] * 3 + [["无"]], [False] * 4,
                    answers(["90分", "80分", "70分", "无"]), "text")
    path = xlsx(tmp_path / "答卷.xlsx", rows)
    refused(path, f"错误：{path}: 第 4 题“意见建议”对不上“职工参评”问卷题目清单中的任何人（题目应含编号和姓名，如“1001 张伟”）；"
                  "如是另加的题目（如意见建议），请在导出文件中删去这一列后重新导入\n")


def test_a_question_that_names_two(forms: dict[str, Path], tmp_path: Path) -> None:
    path = wjx(tmp_path / "答卷.xlsx", answers(["90分", "80分", "70分"]), stems=["1001 1002", "1002 王芳", "2001 黄强"])
    refused(path, f"错误：{path}: 第 1 题“1001 1002”同时对得上1001 张伟、1002 王芳，无法判断是谁；"
                  "请在问卷平台把题目改回 survey questions 生成的样子（编号 姓名）后重新下载\n"
                  f"错误：{path}: 问卷题目清单的第 1 题（1001 张伟）在导出文件中没有；请在问卷平台下载包含全部题目的答卷数据后重新导入\n")


def test_a_question_missing_and_one_twice(forms: dict[str, Path], tmp_path: Path) -> None:
    path = wjx(tmp_path / "答卷.xlsx", answers(["90分", "80分", "70分"]), stems=["1001 张伟", "张伟", "2001 黄强"])
    refused(path, f"错误：{path}: 第 1 题“1001 张伟”和第 2 题“张伟”都是“1001 张伟”的题目，无法判断以哪题为准；请在导出文件中删去多余的一列后重新导入\n"
                  f"错误：{path}: 问卷题目清单的第 2 题（1002 王芳）在导出文件中没有；请在问卷平台下载包含全部题目的答卷数据后重新导入\n")


def test_an_option_that_was_not_offered(forms: dict[str, Path], tmp_path: Path) -> None:
    path = wjx(tmp_path / "答卷.xlsx", answers(["90分", "80分", "70分"], ["95分", "80分", "70分"], ["95分", "优", "70分"]))
    refused(path, f"错误：{path}: 第 3 行第 1 题（1001 张伟）的答案“95分”不是问卷的选项（{'、'.join(SCORES)}）；"
                  "问卷的选项须与 survey questions 生成的题目一致，请在问卷平台核对这道题的选项，改回后重新下载答卷数据\n"
                  f"错误：{path}: 第 4 行第 2 题（1002 王芳）的答案“优”不是问卷的选项（{'、'.join(SCORES)}）；"
                  "问卷的选项须与 survey questions 生成的题目一致，请在问卷平台核对这道题的选项，改回后重新下载答卷数据\n")
    rows = [WJX_META + [f"{n}、{s}" for n, s in enumerate(STEMS, 1)], [1, "", "100秒", "", "", "10.0.0.1", 1, 12, 2]]
    path = csv_file(tmp_path / "按序号.csv", rows, "gb18030")
    refused(path, f"错误：{path}: 第 2 行第 2 题（1002 王芳）的答案“12”不是问卷的选项（{'、'.join(SCORES)}）；"
                  "问卷的选项须与 survey questions 生成的题目一致，请在问卷平台核对这道题的选项，改回后重新下载答卷数据\n")


def test_more_answers_than_ballot_columns(forms: dict[str, Path], tmp_path: Path) -> None:
    path = wjx(tmp_path / "答卷.xlsx", answers(*[["90分", "80分", None]] * 6))
    refused(path, f"错误：{path}: “职工参评”表每人最多 5 张票（票1—票5），而第 1 题（1001 张伟）有 6 份有效答卷，无法全部计入；"
                  "请在问卷平台核对是否有多余的答卷，确需全部计入的，须把方案中“职工参评”的 ballots 改为不少于 6 并重新下发表格\n")


def test_an_export_that_is_not_one(forms: dict[str, Path], tmp_path: Path) -> None:
    path = csv_file(tmp_path / "名册.csv", [["单位", "支部", "编号", "姓名"]], "utf-8-sig")
    refused(path, f"错误：{path}: 不是问卷星或腾讯问卷导出的答卷数据（没有找到“序号、提交答卷时间…”或“编号、开始答题时间…”表头），"
                  "请在问卷平台“下载答卷数据”后直接导入下载的文件\n")


def test_a_tencent_export(forms: dict[str, Path], tmp_path: Path) -> None:
    """腾讯问卷's CSV: the same person (用户标识) twice is a duplicate; the nickname is nowhere."""
    header = ["编号", "开始答题时间", "结束答题时间", "答题时长", "用户标识", "昵称", "IP", *[f"{n}.{s}" for n, s in enumerate(STEMS, 1)]]
    rows = [["1", "2026-12-01 09:00:00", "2026-12-01 09:02:05", "40961", "u-7", "小明", "10.0.0.9", "90分", "80分", "70分"],
            ["2", "2026-12-01 09:05:00", "2026-12-01 09:07:20", "51203", "u-8", "小红", "10.0.0.9", "100分", "", "60分"],
            ["3", "2026-12-01 09:08:00", "2026-12-01 09:09:00", "60", "u-7", "小明", "10.0.0.9", "0分", "0分", "0分"]]
    path = tmp_path / "9799234_202612011200.csv"
    path.write_bytes("".join(",".join(f'"{c}"' for c in row) + ",\r\n" for row in [header, *rows]).encode("utf-8-sig"))
    result = invoke("survey", "import", str(path), *ARGS)
    assert result.exit_code == 3, result.output
    assert result.output.splitlines()[-2:] == [
        "腾讯问卷：答卷 3 份，计入 2 份，未计入 1 份；生成“职工参评”表 2 份。",
        f"提示 {path.name} A4: 问卷导出文件“{path.name}”第 4 行与第 2 行是同一答卷人的重复提交，未计入（只计第 2 行）"]
    import openpyxl

    wb = openpyxl.load_workbook("input/质检中心-第一党支部-member-weighted-2026Q4-职工参评-问卷导入.xlsx")
    assert [list(r) for r in wb["职工参评"].iter_rows(min_row=4, values_only=True)] == [
        ["1001", "张伟", 90, 100, None, None, None], ["1002", "王芳", 80, None, None, None, None]]
    written = every_byte(Path("input")) + Path("评星记录.sqlite").read_bytes() + result.output.encode()
    for secret in ("小明", "小红", "u-7", "u-8", "10.0.0.9", "2026-12-01 09:0", "40961", "51203"):
        assert secret.encode() not in written, secret


# ------------------------------------------------------------------------------ the API, the record, the scheme


def test_the_api_returns_data(forms: dict[str, Path], tmp_path: Path, _module_folder: Path) -> None:
    done = pingxing.survey_questions(scheme="member-weighted", period="2026Q4", sheet="职工参评",
                                     roster=_module_folder / "名册.csv", output=tmp_path / "q")
    assert [(q.seq, q.entity_id, q.name, q.form_id[:1]) for q in done.questions] == [
        (1, "1001", "张伟", "F"), (2, "1002", "王芳", "F"), (3, "2001", "黄强", "F")]
    assert done.options == SCORES and not done.multi and done.path.parent == tmp_path / "q"
    path = wjx(tmp_path / "答卷.xlsx", [Sheet(["90分", "80分", "70分"]), Sheet(["90分", "80分", "70分"])])
    imported = pingxing.survey_import(path, scheme="member-weighted", period="2026Q4", sheet="职工参评",
                                      output=tmp_path / "in")
    assert (imported.platform, imported.layout, imported.responses, imported.counted) == ("问卷星", "text", 2, 1)
    assert [(p.code, p.value, p.severity) for p in imported.problems] == [("survey-duplicate", "3", "warning")]
    assert imported.exit_code == 3 and len(imported.written) == 2
    with pytest.raises(pingxing.UserError, match="不能用问卷收集"):
        pingxing.survey_questions(scheme="member-weighted", period="2026Q4", sheet="领导点评",
                                  roster=_module_folder / "名册.csv")


def test_a_record_of_version_3_is_migrated(forms: dict[str, Path], _module_folder: Path) -> None:
    """A record written before surveys (version 3) gets the survey_questions table; what it held stays."""
    with sqlite3.connect("评星记录.sqlite") as conn:
        for table in ("survey_questions", "explanations", "explained_periods"):  # (versions 4 and 5)
            conn.execute(f"DROP TABLE {table}")
        conn.execute("PRAGMA user_version = 3")
    result = invoke("survey", "questions", *ARGS, "--roster", str(_module_folder / "名册.csv"))
    assert result.exit_code == 0, result.output
    with sqlite3.connect("评星记录.sqlite") as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (store.SCHEMA_VERSION,) == (5,)
        assert conn.execute("SELECT count(*) FROM survey_questions").fetchone() == (3,)
        assert conn.execute("SELECT count(*) FROM workbooks").fetchone() == (2,)


@pytest.mark.parametrize("change, message", [
    (lambda d: d["components"][0].update(survey={"min_seconds": 30}),
     "components[0].survey: kind: items 的工作表不能用问卷收集（可用于 tally、ballots、votes、grade_votes），请删去 survey"),
    (lambda d: d["components"][3].update(survey={"scores": [120, 90]}),
     "components[3].survey.scores[0]: 分数 120 超出范围，应在 0 到 100 之间"),
    (lambda d: d["components"][3].update(survey={"scores": [90, 90]}),
     "components[3].survey.scores: 分数重复，每个分数只写一次"),
    (lambda d: d["components"][4].update(survey={"scores": [1, 2]}),
     "components[4].survey: kind: flags 的工作表不能用问卷收集（可用于 tally、ballots、votes、grade_votes），请删去 survey"),
])
def test_the_survey_key_of_a_scheme_is_checked(tmp_path: Path, change: Any, message: str) -> None:
    path = scheme_variant(tmp_path, "member-weighted", change)
    result = invoke("describe", "--scheme", str(path))
    assert result.exit_code == 2
    assert f"错误：{path}: {message}" in result.output.splitlines()


def test_a_minimum_time_must_be_a_whole_number_of_seconds(tmp_path: Path) -> None:
    path = scheme_variant(tmp_path, "member-weighted", lambda d: d["components"][3].update(survey={"min_seconds": 0}))
    result = invoke("describe", "--scheme", str(path))
    assert result.exit_code == 2 and "components[3].survey.min_seconds" in result.output
