"""``survey questions`` → the survey on 问卷星 → its export → ``survey import`` → ``run``: the same ratings as
the same ballots typed into the workbooks by hand, for every kind a survey can fill.

Each case issues a campaign, makes the questions (the text a clerk pastes into 问卷星), and has its
respondents answer: some skip a question (no ballot: one ballot fewer, never a 0), some leave one
unanswered, one submits twice (the later is not counted), one answers too fast where the scheme sets a
minimum. The same counted ballots are typed into the issued workbooks by hand for the reference run.
Then each export — 问卷星 "按选项文本" and "按选项序号", .xlsx, .xls (made by LibreOffice, skipped without
it) and .csv in GB18030 and UTF-8 with BOM — is imported beside the branches' own workbooks (their copy
of the sheet left blank) and run: ``results.csv`` must be the same, byte for byte.

====================  ==================  =========  ==============================================
case                  sheet (kind)        book       what the survey asks
====================  ==================  =========  ==============================================
weighted-survey       职工参评 (ballots)  branch's   a score per member (100分 … 0分), ≥ 60 s
pioneer-flag          测评 (tally)        unit's     满意/基本满意/不满意/不了解 per branch
member-model-stars    群众参评 (votes)    branch's   the five stars as a multi-select (+ 都不推荐)
member-appraisal      党员互评 (grade)    branch's   优秀/合格/基本合格/不合格/弃权 per member
====================  ==================  =========  ==============================================
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from clerk import issue, read_csv, results_by_id, return_forms, run
from click.testing import CliRunner
from survey_files import SKIP, Sheet, csv_file, every_byte, wjx_rows, xls, xlsx

from pingxing import scheme as schemes
from process import cli

START = "2027-01-04"
Values = dict[str, dict[str, dict[str, Any]]]  # sheet → 编号 → header → value


@dataclass
class Case:
    scheme: str
    period: str
    roster: str
    sheet: str
    answers: list[Sheet]  # the respondents, in the order they submitted
    typed: dict[str, dict[str, Any]]  # the counted ballots, typed by hand: 编号 → header → value
    base: dict[str, Callable[[list[str]], Values]]  # the other sheets, by the role of the workbook (return_forms)
    survey_book: str = ""  # the role of a workbook that holds only the surveyed sheet: not returned by hand
    excluded: tuple[str, ...] = ()  # the import's warnings: "<code> <row>"


@dataclass
class Issued:
    case: Case
    folder: Path
    forms: dict[str, Path]
    stems: list[str]
    options: list[str]
    multi: bool
    reference: Path  # results.csv of the typed run


def questions_of(text: str) -> tuple[list[str], list[str], bool]:
    """(stems, options, multi) of the text ``survey questions`` wrote for 问卷星's 文本导入."""
    blocks = text.strip("\ufeff").replace("\r\n", "\n").strip().split("\n\n")[1:]
    stems, options, multi = [], [], False
    for block in blocks:
        first, *opts = block.split("\n")
        m = re.fullmatch(r"\d+\. (.*)\[(单选题|多选题)\]", first)
        assert m, first
        stems.append(m[1])
        options, multi = opts, m[2] == "多选题"
    return stems, options, multi


def prepare(root: Path, case: Case) -> Issued:
    """Issue, make the questions, type the counted ballots into the workbooks and run: the reference."""
    folder = root / case.scheme
    folder.mkdir()
    forms = issue(folder, case.scheme, case.roster, case.period)
    done = CliRunner().invoke(cli, ["survey", "questions", "--scheme", case.scheme, "--period", case.period,
                                    "--sheet", case.sheet, "--roster", str(folder / "名册.csv"),
                                    "--output", str(folder / "forms")])
    assert done.exit_code == 0, done.output
    text = next((folder / "forms").glob("问卷题目-*.txt")).read_text(encoding="utf-8-sig")
    stems, options, multi = questions_of(text)
    if case.survey_book:  # the sheet has a workbook of its own
        by_role = {**case.base, case.survey_book: lambda ids: {case.sheet: {i: case.typed[i] for i in ids}}}
    else:
        by_role = {role: _with(fill, case.sheet, case.typed) for role, fill in case.base.items()}
    return_forms(forms, folder / "typed", by_role)
    assert run(folder / "typed", folder / "typed-out", START) in (0, 3)
    return Issued(case, folder, forms, stems, options, multi,
                  folder / "typed-out" / case.scheme / case.period / "results.csv")


def _with(fill: Callable[[list[str]], Values], sheet: str, typed: dict[str, dict[str, Any]]) -> Callable[[list[str]], Values]:
    def values(ids: list[str]) -> Values:
        return {**fill(ids), sheet: {i: typed[i] for i in ids}}

    return values


def export(issued: Issued, folder: Path, layout: str, fmt: str, answers: list[Sheet] | None = None,
           stems: list[str] | None = None) -> Path:
    """The survey's export as 问卷星 writes it: ``fmt`` is ``xlsx``, ``xls``, ``gb18030`` or ``utf-8-sig`` (CSV)."""
    stems = stems or issued.stems
    rows = wjx_rows(stems, [issued.options] * len(stems), [issued.multi] * len(stems),
                    answers or issued.case.answers, layout)
    name = f"386540716_{'按文本' if layout == 'text' else '按序号'}_{issued.case.sheet}_{len(rows) - 1}_{len(rows) - 1}"
    if fmt in ("xlsx", "xls"):
        return (xlsx if fmt == "xlsx" else xls)(folder / f"{name}.{fmt}", rows)
    return csv_file(folder / f"{name}.csv", rows, fmt)


def survey_import(issued: Issued, path: Path, inbox: Path) -> Any:
    case = issued.case
    return CliRunner().invoke(cli, ["survey", "import", str(path), "--scheme", case.scheme, "--period", case.period,
                                    "--sheet", case.sheet, "--output", str(inbox)])


def returned_without_the_sheet(issued: Issued, inbox: Path) -> None:
    """The branches return their workbooks with the surveyed sheet left blank (the survey's own workbook,
    if the scheme has one, does not come back by hand)."""
    case = issued.case
    skip = tuple(stem for stem in issued.forms if case.survey_book and stem.endswith(case.survey_book))
    return_forms(issued.forms, inbox, case.base, skip)


# ------------------------------------------------------------------------------ the four cases

A, B, C, D, E = (f"10.20.30.{n}(广东-深圳)" for n in (41, 42, 43, 44, 45))


def _weighted_scheme(folder: Path) -> None:
    """member-weighted as a clerk's own scheme with a minimum answering time on its 职工参评."""
    data = yaml.safe_load((schemes.SCHEMES_DIR / "member-weighted.yaml").read_text(encoding="utf-8"))
    data["name"] = "weighted-survey"
    for c in data["components"]:
        if c["sheet"] == "职工参评":
            c["survey"] = {"min_seconds": 60}
    (folder / "schemes").mkdir(exist_ok=True)
    (folder / "schemes" / "weighted-survey.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")


def _weighted_base(ids: list[str]) -> Values:
    codes = [f"{a}.{i}" for a in range(1, 6) for i in range(1, 5)]
    return {"自评": {i: {c: 4 + (k + n) % 2 for n, c in enumerate(codes)} for k, i in enumerate(ids)},
            "互评": {i: {"票1": 85 + k, "票2": 90, "票3": 78} for k, i in enumerate(ids)},
            "领导点评": {i: {"得分": 80 + 3 * k} for k, i in enumerate(ids)},
            "支部评定": {i: {"特别突出": "否"} for i in ids}}


def _scores(*values: int | None | str) -> list[Any]:
    return [v if v is None or v == SKIP else f"{v}分" for v in values]


def _ballots(*values: int) -> dict[str, int]:
    return {f"票{k}": v for k, v in enumerate(values, 1)}


WEIGHTED = Case(
    "weighted-survey", "2026Q4",
    "单位,支部,编号,姓名\n质检中心,第一党支部,1001,张伟\n质检中心,第一党支部,1002,王芳\n质检中心,第一党支部,1003,李娜\n"
    "质检中心,第二党支部,2001,黄强\n质检中心,第二党支部,2002,周丽\n",
    "职工参评",
    [Sheet(_scores(90, 80, 100, 70, 60), 317, A),
     Sheet(_scores(100, None, 90, SKIP, 80), 283, B),
     Sheet(_scores(90, 80, 100, 70, 60), 301, A, "2026/12/1 9:07:13"),  # row 4: row 2 again
     Sheet(_scores(0, 0, 0, 0, 0), 12, C),  # row 5: 12 seconds, under the scheme's 60
     Sheet(_scores(80, 90, SKIP, 100, 70), 127, D),
     Sheet(_scores(70, 70, 70, 70, 70), 151, A),  # same address as row 2, other answers: not a duplicate
     Sheet(_scores(60, 50, 40, 30, 20), 61, E)],
    {"1001": _ballots(90, 100, 80, 70, 60), "1002": _ballots(80, 90, 70, 50), "1003": _ballots(100, 90, 70, 40),
     "2001": _ballots(70, 100, 70, 30), "2002": _ballots(60, 80, 70, 70, 20)},
    {"": _weighted_base},
    excluded=("survey-duplicate 4", "survey-too-fast 5"),
)

PIONEER_ROSTER = """单位,支部,支部编号,编号,姓名
区文旅局党总支,机关党支部,WL01,1,甲
区文旅局党总支,图书馆党支部,WL02,2,乙
区文旅局党总支,文化馆党支部,WL03,3,丙
区文旅局党总支,博物馆党支部,WL04,4,丁
区文旅局党总支,剧院党支部,WL05,5,戊
区档案馆党支部,区档案馆党支部,DA01,6,己
"""
FULL = dict.fromkeys([f"{a}.{i}" for a, n in enumerate((5, 5, 5, 6, 5), 1) for i in range(1, n + 1)], 3)


def _tally(issued: int, *counts: int) -> dict[str, int]:
    return dict(zip(("发放", "满意", "基本满意", "不满意", "不了解", "废票"), (issued, *counts, 0), strict=True))


PIONEER = Case(
    "pioneer-flag", "2026Q4", PIONEER_ROSTER, "测评",
    [Sheet(["满意", "满意", "基本满意", "满意", "不满意", "满意"], 200, A),
     Sheet(["满意", "基本满意", "满意", "满意", "满意", "不了解"], 200, B),
     Sheet(["不满意", "满意", SKIP, "满意", "基本满意", None], 200, C),
     Sheet(["满意", "基本满意", "满意", "满意", "满意", "不了解"], 180, B),  # row 5: row 3 again
     Sheet(["满意", "满意", "满意", None, "满意", "满意"], 200, D),
     Sheet(["基本满意", "满意", "满意", "满意", "不了解", "满意"], 200, E)],
    {"WL01": _tally(5, 3, 1, 1, 0), "WL02": _tally(5, 4, 1, 0, 0), "WL03": _tally(4, 3, 1, 0, 0),
     "WL04": _tally(4, 4, 0, 0, 0), "WL05": _tally(5, 2, 1, 1, 1), "DA01": _tally(4, 3, 0, 0, 1)},
    {"支部自评": lambda ids: {"自评": {i: FULL for i in ids}},
     "": lambda ids: {"综合评定": {i: {**FULL, "1.1": int(i[-1]) % 4} for i in ids},
                      "评定意见": {i: {"发生否决情形": "否"} for i in ids}}},
    survey_book="群众测评",
    excluded=("survey-duplicate 5",),
)

STARS = ["学习模范星", "业务模范星", "服务模范星", "廉政模范星", "创新模范星"]
L, Y, F, Z, X = STARS
NONE = "都不推荐"


def _votes(valid: int, *counts: int) -> dict[str, int]:
    return {**dict(zip(STARS, counts, strict=True)), "有效票": valid}


STARS_CASE = Case(
    "member-model-stars", "2026Q2",
    "单位,支部,编号,姓名,身份\n区商务局,机关第一党支部,SW1,王立新,正式党员\n区商务局,机关第一党支部,SW2,陈红梅,正式党员\n"
    "区商务局,机关第一党支部,SW3,孙浩然,非党员\n区商务局,机关第一党支部,SW4,李建军,正式党员\n"
    "区商务局,机关第一党支部,SW5,赵春燕,预备党员\n区商务局,机关第一党支部,SW6,周玉兰,非党员\n"
    "区商务局,机关第二党支部,SW7,吴国平,正式党员\n",
    "群众参评",
    [Sheet([[L, Y, F], [F], [NONE], [L, Z], None, [X], STARS], 200, A),
     Sheet([STARS, [Y, F, Z], [F], STARS, [L], SKIP, STARS], 200, B),
     Sheet([[L], None, [F, Z], [L, Y, F, Z], [L], [NONE], [L, Y]], 200, C),
     Sheet([[L, Y, F], [F], [NONE], [L, Z], None, [X], STARS], 250, A)],  # row 5: row 2 again
    {"SW1": _votes(3, 3, 2, 2, 1, 1), "SW2": _votes(2, 0, 1, 2, 1, 0), "SW3": _votes(3, 0, 0, 2, 1, 0),
     "SW4": _votes(3, 3, 2, 2, 3, 1), "SW5": _votes(2, 2, 0, 0, 0, 0), "SW6": _votes(2, 0, 0, 0, 0, 1),
     "SW7": _votes(3, 3, 3, 2, 2, 2)},
    {"": lambda ids: {"党员互评": {i: _votes(10, 8, 9 - k, 7, 6 + k % 3, 5) for k, i in enumerate(ids)}}},
    excluded=("survey-duplicate 5",),
)

GRADES = ["优秀", "合格", "基本合格", "不合格", "弃权"]


def _grades(*counts: int) -> dict[str, int]:
    return {"发放": sum(counts), **dict(zip(GRADES, counts, strict=True))}


APPRAISAL = Case(
    "member-appraisal", "2026",
    "单位,支部,编号,姓名,身份\n区财政局,机关第一党支部,CZ01,张一,正式党员\n区财政局,机关第一党支部,CZ02,王二,正式党员\n"
    "区财政局,机关第一党支部,CZ03,李三,正式党员\n区财政局,机关第一党支部,CZ04,赵四,预备党员\n"
    "区审计局,机关党支部,SJ01,孙五,正式党员\n区审计局,机关党支部,SJ02,周六,正式党员\n",
    "党员互评",
    [Sheet(["优秀", "合格", "合格", "不合格", "优秀", "合格"], 200, A),
     Sheet(["优秀", "优秀", "合格", "基本合格", "弃权", "合格"], 200, B),
     Sheet(["合格", "合格", SKIP, "不合格", "优秀", None], 200, C),
     Sheet(["优秀", "合格", "合格", "弃权", "优秀", "合格"], 200, D),
     Sheet(["优秀", "合格", "合格", "不合格", "优秀", "合格"], 90, A)],  # row 6: row 2 again
    {"CZ01": _grades(3, 1, 0, 0, 0), "CZ02": _grades(1, 3, 0, 0, 0), "CZ03": _grades(0, 3, 0, 0, 0),
     "CZ04": _grades(0, 0, 1, 2, 1), "SJ01": _grades(3, 0, 0, 0, 1), "SJ02": _grades(0, 3, 0, 0, 0)},
    {"": lambda ids: {}},
    excluded=("survey-duplicate 6",),
)


@pytest.fixture(scope="module")
def campaigns(_module_folder: Path) -> dict[str, Issued]:
    _weighted_scheme(_module_folder)
    return {case.scheme: prepare(_module_folder, case) for case in (WEIGHTED, PIONEER, STARS_CASE, APPRAISAL)}


@pytest.fixture(autouse=True)
def _own_schemes(_module_folder: Path, _test_folder: Path) -> Iterator[None]:
    """The clerk's own scheme (weighted-survey) lies in each test's working folder too."""
    import shutil

    if (_module_folder / "schemes").is_dir() and not (_test_folder / "schemes").exists():
        shutil.copytree(_module_folder / "schemes", _test_folder / "schemes")
    yield


# ------------------------------------------------------------------------------ the same ratings

VARIANTS = [
    ("weighted-survey", "text", "xlsx"),
    ("weighted-survey", "number", "xlsx"),
    ("weighted-survey", "text", "gb18030"),
    ("weighted-survey", "number", "utf-8-sig"),
    ("weighted-survey", "number", "xls"),
    ("pioneer-flag", "text", "utf-8-sig"),
    ("pioneer-flag", "number", "xlsx"),
    ("member-model-stars", "text", "xlsx"),
    ("member-model-stars", "number", "gb18030"),
    ("member-appraisal", "text", "xlsx"),
    ("member-appraisal", "number", "utf-8-sig"),
]


@pytest.mark.parametrize("scheme, layout, fmt", VARIANTS, ids=["-".join(v) for v in VARIANTS])
def test_an_imported_survey_rates_as_the_same_ballots_typed_in(campaigns: dict[str, Issued], tmp_path: Path,
                                                               scheme: str, layout: str, fmt: str) -> None:
    issued = campaigns[scheme]
    case = issued.case
    inbox = tmp_path / "input"
    returned_without_the_sheet(issued, inbox)
    path = export(issued, tmp_path, layout, fmt)
    done = survey_import(issued, path, inbox)
    assert done.exit_code == 3, done.output  # some answer sheets were not counted
    assert "Traceback" not in done.output
    lines = done.output.splitlines()
    platform = f"问卷星，{'按选项文本' if layout == 'text' else '按选项序号'}"
    total = len(case.answers)
    assert f"{platform}：答卷 {total} 份，计入 {total - len(case.excluded)} 份，未计入 {len(case.excluded)} 份；" in done.output
    warned = [line for line in lines if line.startswith("提示 ")]
    assert [f"{code} {row}" for code, row in _codes(warned)] == list(case.excluded)
    assert all(f" A{row}: 问卷导出文件“{path.name}”第 {row} 行" in line for line, (_, row) in zip(warned, _codes(warned), strict=True))

    out = tmp_path / "out"
    assert run(inbox, out, START) in (0, 3)
    folder = out / case.scheme / case.period
    assert (folder / "results.csv").read_bytes() == issued.reference.read_bytes()
    problems = read_csv(folder / "problems.csv")
    assert not [p for p in problems if p["code"] in ("not-returned", "conflicting-submission", "blank-cell", "no-ballots")
                and p["sheet"] in (case.sheet, "")], problems
    survey = sorted((p["code"], p["value"], p["severity"]) for p in problems if p["code"].startswith("survey-"))
    assert survey == sorted((x.split()[0], x.split()[1], "warning") for x in case.excluded)  # once each, not per workbook


def _codes(lines: list[str]) -> list[tuple[str, str]]:
    """(code, row) of the import's warnings, from their words."""
    out = []
    for line in lines:
        row = re.search(r"第 (\d+) 行", line)
        assert row, line
        out.append(("survey-duplicate" if "重复提交" in line else "survey-too-fast", row[1]))
    return out


# ------------------------------------------------------------------------------ the branch's own copy


def test_a_filled_copy_beside_the_survey_is_a_conflict_and_an_unreturned_workbook_still_owed(
        campaigns: dict[str, Issued], tmp_path: Path) -> None:
    """第一党支部 typed 职工参评 into its own workbook as well (other figures): never averaged, never one
    picked — a problem naming both files. 第二党支部 did not return its workbook: the survey stands in for
    its 职工参评 only, so the workbook is still owed and its people wait."""
    issued = campaigns["weighted-survey"]
    inbox = tmp_path / "input"
    first, second = (f"质检中心-{b}-weighted-survey-2026Q4" for b in ("第一党支部", "第二党支部"))
    typed = {i: _ballots(100, 100) for i in ("1001", "1002", "1003")}
    return_forms(issued.forms, inbox, {"": _with(_weighted_base, "职工参评", typed)}, skip=(second,))
    done = survey_import(issued, export(issued, tmp_path, "text", "xlsx"), inbox)
    assert done.exit_code == 3, done.output
    out = tmp_path / "out"
    assert run(inbox, out, START) == 3
    folder = out / "weighted-survey" / "2026Q4"
    rows = results_by_id(folder)
    assert {i: (r["status"], r["reason"]) for i, r in rows.items()} == {
        **{i: ("incomplete", "“职工参评”表有两份不同的文件") for i in ("1001", "1002", "1003")},
        **{i: ("incomplete", f"未交回“{second}.xlsx”") for i in ("2001", "2002")},
    }
    problems = read_csv(folder / "problems.csv")
    imported = f"{first}-职工参评-问卷导入.xlsx"
    conflicts = sorted((p["file"], p["message"]) for p in problems if p["code"] == "conflicting-submission")
    words = (f"质检中心第一党支部的“职工参评”表既由问卷导入（{imported}），又在交回的表格中填了数（{first}.xlsx），"
             "不会取平均，也不会任选其一；请只留一份：删去问卷导入的表格，或清空交回表格中这张表的数字，然后重新运行")
    assert conflicts == [(imported, words), (f"{first}.xlsx", words)]
    owed = [(p["file"], p["entity"]) for p in problems if p["code"] == "not-returned"]
    assert owed == [(f"{second}.xlsx", "质检中心第二党支部")]


def test_a_blank_copy_yields_to_a_filled_one_whatever_made_it(campaigns: dict[str, Issued], tmp_path: Path) -> None:
    """Not only beside a survey: a branch that sends its blank workbook along with the filled one (the same
    form_id) is rated by the filled one — no conflict, no blank cells reported."""
    import shutil

    issued = campaigns["weighted-survey"]
    inbox = tmp_path / "input"
    return_forms(issued.forms, inbox, {"": _with(_weighted_base, "职工参评", issued.case.typed)})
    blank = shutil.copy(issued.forms["质检中心-第一党支部-weighted-survey-2026Q4"], inbox / "第一党支部（空白）.xlsx")
    out = tmp_path / "out"
    assert run(inbox, out, START) == 0
    folder = out / "weighted-survey" / "2026Q4"
    assert (folder / "results.csv").read_bytes() == issued.reference.read_bytes()
    assert [p for p in read_csv(folder / "problems.csv") if p["file"] == Path(blank).name] == []


def test_a_survey_that_is_the_whole_workbook_makes_it_returned(campaigns: dict[str, Issued], tmp_path: Path) -> None:
    """pioneer-flag's 测评 has a workbook of its own (群众测评, one per unit): the survey import is that
    workbook, so nothing is owed; without it, both units' 群众测评 are."""
    issued = campaigns["pioneer-flag"]
    inbox = tmp_path / "input"
    returned_without_the_sheet(issued, inbox)
    out = tmp_path / "out"
    assert run(inbox, out, START) == 3
    owed = sorted(p["file"] for p in read_csv(out / "problems.csv") if p["code"] == "not-returned")
    assert owed == ["区文旅局党总支-各支部-pioneer-flag-2026Q4-群众测评.xlsx", "区档案馆党支部-各支部-pioneer-flag-2026Q4-群众测评.xlsx"]
    assert survey_import(issued, export(issued, tmp_path, "text", "xlsx"), inbox).exit_code == 3
    assert run(inbox, out, START) == 0
    assert not [p for p in read_csv(out / "problems.csv") if p["code"] == "not-returned"]


# ------------------------------------------------------------------------------ what is written


def test_nothing_about_a_respondent_is_written(campaigns: dict[str, Issued], tmp_path: Path) -> None:
    """No address, 来源详情, channel, submission time, duration or respondent id in any byte written: the
    workbooks, the run's outputs, the record, what the commands print."""
    issued = campaigns["weighted-survey"]
    inbox = tmp_path / "input"
    returned_without_the_sheet(issued, inbox)
    answers = [Sheet(s.answers, s.seconds, s.ip, s.submitted.replace("9:00:01", f"9:{n:02}:{n:02}"), "手机提交",
                     f"https://www.wjx.cn/vm/tk{n}Qz.aspx") for n, s in enumerate(issued.case.answers, 11)]
    path = export(issued, tmp_path, "text", "gb18030", answers)
    done = survey_import(issued, path, inbox)
    assert run(inbox, tmp_path / "out", START) in (0, 3)
    written = every_byte(inbox) + every_byte(tmp_path / "out") + (tmp_path / "评星记录.sqlite").read_bytes()
    printed = done.output.encode("utf-8")
    secrets = {a.ip.split("(")[0] for a in answers} | {"广东-深圳", "手机提交"} | {a.detail for a in answers}
    secrets |= {a.submitted for a in answers} | {" " + a.submitted.split()[1] for a in answers}
    secrets |= {f"{a.seconds}秒" for a in answers}
    assert all(secret.encode("gb18030") in path.read_bytes() for secret in secrets)  # what the export does hold
    for secret in sorted(secrets):
        for encoding in ("utf-8", "gb18030"):
            assert secret.encode(encoding) not in written, secret
            assert secret.encode(encoding) not in printed, secret
    assert path.name.encode("utf-8") in written  # the export is named, and its sha256 given
    assert hashlib.sha256(path.read_bytes()).hexdigest().encode() in written


def test_the_written_workbook_is_the_issued_one_with_the_figures_and_a_note(campaigns: dict[str, Issued],
                                                                         tmp_path: Path) -> None:
    import openpyxl

    issued = campaigns["weighted-survey"]
    path = export(issued, tmp_path, "number", "xlsx")
    done = survey_import(issued, path, tmp_path / "input")
    names = sorted(p.name for p in (tmp_path / "input").iterdir())
    assert names == ["质检中心-第一党支部-weighted-survey-2026Q4-职工参评-问卷导入.xlsx",
                     "质检中心-第二党支部-weighted-survey-2026Q4-职工参评-问卷导入.xlsx"]
    assert done.output.splitlines()[:2] == [str(tmp_path / "input" / n) for n in names]
    wb = openpyxl.load_workbook(tmp_path / "input" / names[0])
    issued_wb = openpyxl.load_workbook(issued.forms["质检中心-第一党支部-weighted-survey-2026Q4"])
    assert wb.sheetnames == ["说明", "职工参评", "_roster", "_meta"]
    meta, was = (dict(r for r in w["_meta"].iter_rows(values_only=True)) for w in (wb, issued_wb))
    assert {k: meta[k] for k in was if k != "generated_at"} == {k: v for k, v in was.items() if k != "generated_at"}
    assert (meta["survey_export"], meta["survey_platform"], meta["survey_layout"], meta["survey_counted"]) == (
        path.name, "问卷星", "number", "5")
    assert meta["survey_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert [[c for c in r] for r in wb["_roster"].iter_rows(values_only=True)] == [
        [c for c in r] for r in issued_wb["_roster"].iter_rows(values_only=True)]
    sheet = [list(r) for r in wb["职工参评"].iter_rows(min_row=3, values_only=True)]
    assert sheet == [["编号", "姓名", "票1", "票2", "票3", "票4", "票5"], ["1001", "张伟", 90, 100, 80, 70, 60],
                     ["1002", "王芳", 80, 90, 70, 50, None], ["1003", "李娜", 100, 90, 70, 40, None]]
    note = [r[0] for r in wb["说明"].iter_rows(max_row=9, values_only=True)]
    assert note[1:] == [
        f"导出文件：{path.name}", f"SHA-256：{meta['survey_sha256']}", "问卷平台：问卷星（按选项序号）",
        "答卷 7 份，计入 5 份，未计入 2 份。", f"导入时间：{meta['generated_at']}",
        "未计入：第 4 行（与第 2 行为同一答卷人重复提交）", "未计入：第 5 行（答题用时少于 60 秒）", None]


def test_a_clean_export_exits_0(campaigns: dict[str, Issued], tmp_path: Path) -> None:
    issued = campaigns["member-appraisal"]
    done = survey_import(issued, export(issued, tmp_path, "text", "xlsx", issued.case.answers[:4]), tmp_path / "in")
    assert done.exit_code == 0, done.output
    assert done.output.splitlines()[-1] == "问卷星，按选项文本：答卷 4 份，计入 4 份，未计入 0 份；生成“党员互评”表 2 份。"


def test_a_repeat_that_was_also_too_fast_is_left_out_once() -> None:
    """Row 3 repeats row 2 and took 5 seconds: one answer sheet not counted, reported once, as a repeat."""
    from types import SimpleNamespace

    from pingxing.survey.importing import _excluded
    from pingxing.survey.model import Export, Response

    responses = (Response(2, {}, 90, "a"), Response(3, {}, 5, "a"), Response(4, {}, 7, "b"), Response(5, {}, 80, "c"))
    export = Export(Path("x.xlsx"), "wjx", "text", (), responses, "")
    at = SimpleNamespace(settings=SimpleNamespace(survey=SimpleNamespace(min_seconds=60)))
    assert [(x.row, x.why) for x in _excluded(export, at)] == [(3, "duplicate"), (4, "too-fast")]  # type: ignore[arg-type]


def test_writing_the_workbooks_is_all_or_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two workbooks of an earlier import in place; the second new one cannot be put in place (open in
    Excel on Windows): both earlier ones are back as they were, no new one is left, no scratch file."""
    from openpyxl import Workbook

    from pingxing.survey.filled import write_all

    folder = tmp_path / "input"
    folder.mkdir()
    paths = [folder / "甲.xlsx", folder / "乙.xlsx"]
    for path in paths:
        path.write_bytes(b"earlier import")
    books = []
    for _ in paths:
        wb = Workbook()
        wb.active["A1"] = "new"
        books.append(wb)
    real = Path.replace

    def replace(self: Path, target: Path) -> Path:  # type: ignore[override]
        if str(self).endswith(".part") and Path(target).name == "乙.xlsx":
            raise PermissionError(13, "The process cannot access the file", str(target))
        return real(self, target)

    monkeypatch.setattr(Path, "replace", replace)
    with pytest.raises(PermissionError):
        write_all(list(zip(paths, books, strict=True)))
    assert [p.read_bytes() for p in paths] == [b"earlier import"] * 2
    assert sorted(p.name for p in folder.iterdir()) == ["乙.xlsx", "甲.xlsx"]
