"""评定计算明细 (``explain``, issue 16 part 3): from the record alone, one page, exact figures, never a ballot.

Three campaigns, filled as branches fill them, run, then explained through the command line:

member-weighted 2026Q4 (质检中心). Ballots are distinctive (83.7, 91.3 …) so that their absence means
something; 自评 is 20 items, 领导点评 one mark.

======  =====  ===========================  ====  =================  =========================================  =====
id      自评   互评                         领导  职工参评           total                                      stars
======  =====  ===========================  ====  =================  =========================================  =====
1001    90     83.7 91.3 88.1 86.9 = 87.5   92.4  78.6 95.2 84.5     18 + 26.25 + 18.48 + 25.83 = 88.56         4
               (4 ballots)                        = 86.1 (k = 3)
1002    80     83.7 91.3 = 87.5 (k − 1:     85    80 × 5 = 80        16 + 26.25 + 17 + 24 = 83.25               4
               withheld)
1003    100    90 × 3                       90    90 × 3             vetoed: 否决事由 受到党内警告处分          —
2001    —      a blank 自评 item: incomplete
2002    …      调出 by the committee's correction: 不参评
======  =====  ===========================  ====  =================  =========================================  =====

member-model-stars 2026Q2 (combined shares, more than 50 %): 陈明's 党员互评 7 valid ballots, 群众参评 9 —
学习 5 + 6 = 11/16 = 68.8 % earned, 业务 5/16 = 31.3 %, 服务 6/16 = 37.5 %, 廉政 15/16 = 93.8 % withheld by the
branch, 创新 10/16 = 62.5 % earned: two stars. 林芳's 群众参评 has 2 valid ballots: withheld (and so is the count
a correction gives it).

town-branch 2026 (城关镇, five branches: one five-star place): DG 95.93 five; XG 91.29 five by its band but
second in the quota: four; NP vetoed (党费未按时缴纳); BL 80.01 four, 降星 1 by the committee: three; SQ's
互评 ballot 2 corrected (a ballot's new value is never shown).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import docx
import pytest
from clerk import by_sheet, fill, ids_of, issue, member_weighted, read_csv, return_forms, settle, words
from click.testing import CliRunner
from openpyxl import load_workbook

from process import cli

GUARD = "不足3票，不单独列示"
MW_ROSTER = ("单位,支部,编号,姓名\n质检中心,第一党支部,1001,张伟\n质检中心,第一党支部,1002,王芳\n"
             "质检中心,第一党支部,1003,李娜\n质检中心,第二党支部,2001,黄强\n质检中心,第二党支部,2002,周丽\n")
MW_BALLOTS = ["83.7", "91.3", "88.1", "86.9", "78.6", "95.2", "84.5"]
MS_ROSTER = "单位,支部,编号,姓名\n商务局,机关党支部,M1,陈明\n商务局,机关党支部,M2,林芳\n"
STARS = ["学习模范星", "业务模范星", "服务模范星", "廉政模范星", "创新模范星"]
TB_ROSTER = ("单位,支部,支部编号,编号,姓名\n" + "".join(
    f"城关镇,{name}党支部,{bid},{bid}01,{name}党员\n"
    for bid, name in (("DG", "东关村"), ("XG", "西关村"), ("NP", "南坪村"), ("BL", "北岭村"), ("SQ", "石桥村"))))
TB_BALLOTS = {"DG": [97.3, 95.9, 96.8], "XG": [93.7, 89.6, 91.1], "NP": [86.2, 84.8, 85.3], "BL": [78.4, 81.6, 80.2],
              "SQ": [72.1, 68.3, 70.7]}


def _corrections(forms: Path, inbox: Path, rows: list[tuple[Any, ...]]) -> None:
    """The committee's decisions, typed into the corrections workbook ``forms`` wrote."""
    wb = load_workbook(next(forms.glob("更正表/更正-*.xlsx")))
    for r, row in enumerate(rows, 4):
        for c, value in enumerate(row, 1):
            wb["更正"].cell(r, c).value = value
    wb.save(inbox / "更正表.xlsx")


def _run(inbox: Path, out: Path) -> None:
    result = CliRunner().invoke(cli, ["run", "--input", str(inbox), "--output", str(out), "--publicity-start",
                                      "2026-12-01", "--jobs", "1"])
    assert "Traceback" not in result.output and result.exit_code in (0, 3), result.output


@pytest.fixture(scope="module")
def campaigns(_module_folder: Path) -> Path:
    """The three campaigns, issued and run in the module's folder (its record is each test's)."""
    here = _module_folder
    for part in ("mw", "ms", "tb"):
        (here / part).mkdir()
    # member-weighted
    forms = issue(here / "mw", "member-weighted", MW_ROSTER, "2026Q4")
    inbox = here / "mw" / "input"
    settle(here / "mw" / "forms", inbox)
    one = {"1001": member_weighted([4.5] * 20, [83.7, 91.3, 88.1, 86.9], 92.4, [78.6, 95.2, 84.5]),
           "1002": member_weighted([4] * 20, [83.7, 91.3], 85, [80] * 5),
           "1003": member_weighted([5] * 20, [90] * 3, 90, [90] * 3, "是", veto="受到党内警告处分")}
    two = {"2001": member_weighted([4] * 19, [80] * 3, 80, [80] * 3),  # 5.4 left blank
           "2002": member_weighted([4] * 20, [80] * 3, 80, [80] * 3)}
    fill(next(p for s, p in forms.items() if "第一党支部" in s), by_sheet(one), inbox / "第一党支部.xlsx")
    fill(next(p for s, p in forms.items() if "第二党支部" in s), by_sheet(two), inbox / "第二党支部.xlsx")
    _corrections(here / "mw" / "forms", inbox, [("2002", "周丽", "调出", None, "2026年11月调往市局", datetime(2026, 11, 20),
                                                "党委")])
    _run(inbox, here / "out")
    # member-model-stars
    forms = issue(here / "ms", "member-model-stars", MS_ROSTER, "2026Q2")
    votes = {"M1": ([5, 2, 4, 7, 1], 7, [6, 3, 2, 8, 9], 9), "M2": ([4, 4, 4, 4, 4], 5, [2, 2, 0, 1, 2], 2)}
    values: dict[str, dict[str, dict[str, Any]]] = {"党员互评": {}, "群众参评": {}, "支部评定": {}}
    for eid, (peers, n_peers, mass, n_mass) in votes.items():
        values["党员互评"][eid] = {**dict(zip(STARS, peers, strict=True)), "有效票": n_peers}
        values["群众参评"][eid] = {**dict(zip(STARS, mass, strict=True)), "有效票": n_mass}
    values["支部评定"]["M1"] = {"不予授予的星": "廉政模范星"}
    return_forms(forms, here / "ms" / "input", {"": lambda ids: values})
    _corrections(here / "ms" / "forms", here / "ms" / "input", [  # a count of 林芳's withheld 群众参评 (2 → 1)
        ("M2", "林芳", "更正项目", "群众参评.学习模范星=1", "群众参评票数录入错误，经核对更正", datetime(2026, 6, 20), "党委")])
    _run(here / "ms" / "input", here / "out")
    # town-branch
    forms = issue(here / "tb", "town-branch", TB_ROSTER, "2026")
    scores = {"DG": (95, 96), "XG": (92, 91), "NP": (88, 85), "BL": (80, 80), "SQ": (70, 70)}
    codes = [f"{a}.{i}" for a in range(1, 6) for i in (1, 2)]

    def items(total: float) -> dict[str, float]:
        return {c: total / 10 for c in codes}

    return_forms(forms, here / "tb" / "input", {
        "支部自评": lambda ids: {"自评": {i: items(scores[i][0]) for i in ids}},
        "支部互评": lambda ids: {"互评": {i: {f"票{k}": v for k, v in enumerate(TB_BALLOTS[i], 1)} for i in ids}},
        "党委考评": lambda ids: {"党委考评": {i: items(scores[i][1]) for i in ids},
                             "否决情形": {"NP": {"党费未按时缴纳": "是"}}}})
    _corrections(here / "tb" / "forms", here / "tb" / "input", [
        ("BL", "北岭村党支部", "降星", 1, "公示期间查实党员大会记录不实", datetime(2026, 12, 5), "镇党委"),
        ("SQ", "石桥村党支部", "更正项目", "互评.票2=69.9", "互评票录入错误，经核对原始选票更正", datetime(2026, 12, 5), "镇党委")])
    _run(here / "tb" / "input", here / "out")
    return here / "out"


def explain(scheme: str, period: str, entity: str, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["explain", "--scheme", scheme, "--period", period, "--entity", entity, *extra])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def written(campaigns: Path, scheme: str, period: str, entity: str) -> tuple[str, str, Path]:
    """``explain`` into ``out/``: (the .html's visible text, the .docx's text, the .docx)."""
    code, output = explain(scheme, period, entity, "--output", "out")
    assert code == 0, output
    html, word = (Path(line) for line in sorted(output.split(), key=lambda p: not p.endswith(".html")))
    document = docx.Document(str(word))
    text = [p.text for p in document.paragraphs] + [" | ".join(c.text for c in row.cells)
                                                    for t in document.tables for row in t.rows]
    return words(html), "\n".join(text), word


def numbers(text: str) -> set[str]:
    """Every number in ``text`` as written (so that 91.3 is not found inside 91.37)."""
    return set(re.findall(r"\d+(?:\.\d+)?", text))


# ------------------------------------------------------------------ member-weighted


def test_a_members_figures_exact_and_not_one_ballot(campaigns: Path) -> None:
    html, word, _ = written(campaigns, "member-weighted", "2026Q4", "1001")
    for text in (html, word):
        for line in ("张伟2026年第四季度评定计算明细", "质检中心第一党支部", "编号：1001",
                     "20项得分之和（满分100）", "4张票的平均分", "87.50", "26.25",  # 互评 and its weighted part
                     "3张票的平均分", "86.10", "25.83", "92.40", "18.48", "90.00",
                     "综合得分 = 自评×20% + 互评×30% + 领导点评×20% + 职工参评×30%",
                     "= 18 + 26.25 + 18.48 + 25.83 = 88.56（精确值）",
                     "公布得分 = 88.56（按四舍五入保留2位小数；分档按公布得分）",
                     "公布得分88.56在四星档（80 ≤ 得分 < 90）", "一票否决：", "未发现否决情形",
                     "张伟：", "四星",
                     "公示时间：2026年12月1日至12月3日（3天）", "联系电话：12380"):
            assert line.replace(" ", "") in text.replace(" ", "").replace("&lt;", "<"), (line, text)
        assert not numbers(text) & set(MW_BALLOTS), numbers(text) & set(MW_BALLOTS)


def test_k_minus_one_ballots_are_withheld_in_explain_and_k_are_shown(campaigns: Path) -> None:
    html, word, _ = written(campaigns, "member-weighted", "2026Q4", "1002")
    for text in (html, word):
        assert text.count(GUARD) >= 2  # the figure and its weighted part
        assert "87.50" not in text and "26.25" not in text  # (nor the mean of her two ballots)
        assert not numbers(text) & set(MW_BALLOTS)
        assert "= 16 + （不足3票，不单独列示） + 17 + 24 = 83.25（精确值）".replace(" ", "") in text.replace(" ", "")
    html, word, _ = written(campaigns, "member-weighted", "2026Q4", "1001")  # 职工参评: exactly three
    assert GUARD not in html.split("本明细")[0] and "86.10" in html


def test_the_record_keeps_no_ballot(campaigns: Path) -> None:
    import json
    import sqlite3

    with sqlite3.connect("评星记录.sqlite") as conn:
        bodies = dict(conn.execute("SELECT entity_id, body FROM explanations WHERE scheme = 'member-weighted'"))
    assert sorted(bodies) == ["1001", "1002", "1003", "2001", "2002"]
    assert not numbers(" ".join(bodies.values())) & set(MW_BALLOTS)
    assert json.loads(bodies["1002"])["parts"]["互评"] == {"withheld": 1}  # not even its mean or its count
    assert json.loads(bodies["1001"])["parts"]["互评"] == {"ballots": 4, "figure": "175/2"}


def test_who_was_not_rated_is_told_why(campaigns: Path) -> None:
    vetoed, _, _ = written(campaigns, "member-weighted", "2026Q4", "1003")
    assert "一票否决： 取消评星资格（否决事由：受到党内警告处分）" in vetoed and "李娜： 取消评星资格" in vetoed
    incomplete, _, _ = written(campaigns, "member-weighted", "2026Q4", "2001")
    assert "黄强： 暂未评定（待补全）（“自评”表第 6 行有错误）" in incomplete
    assert "二、评定规则 说明： 资料不全，暂未按规则评定" in incomplete
    assert "本期没有列出本对象的公示" in incomplete  # (第二党支部's waits for 黄强's form)
    excluded, _, _ = written(campaigns, "member-weighted", "2026Q4", "周丽")  # by name: only one has it
    assert "周丽： 不参评（不参评（调出：2026年11月调往市局；2026年11月20日，党委批准））" in excluded
    assert "更正： 2026年11月20日，党委批准：调出；理由：2026年11月调往市局" in excluded


def test_mistakes_are_one_line_saying_what_to_do(campaigns: Path) -> None:
    code, output = explain("member-weighted", "2026Q4", "9999")
    assert (code, output) == (2, "错误：编号“9999”不在方案“member-weighted”2026年第四季度（2026Q4）的评定结果中；请核对编号"
                                 "（python process.py history show --scheme member-weighted 可列出全部）\n")
    code, output = explain("member-weighted", "2026Q3", "1001")
    assert (code, output) == (2, "错误：评星记录.sqlite: 没有方案“member-weighted”2026年第三季度（2026Q3）的评定结果；"
                                 "请先运行 run，或核对 --scheme 和 --period\n")
    code, output = explain("member-weighted", "2026Q4", "1001", "--history", "别处.sqlite")
    assert (code, output) == (2, "错误：别处.sqlite: 找不到评星记录文件；请在运行 run 的文件夹中执行，或用 --history 指定评星记录文件\n")
    assert not Path("别处.sqlite").exists()
    code, output = explain("member-weighted", "2026-Q4", "1001")
    assert code == 2 and output.startswith("错误：评星周期“2026-Q4”的格式不对")


def test_the_default_folder_and_the_api(campaigns: Path) -> None:
    import pingxing

    paths = pingxing.explain(scheme="member-weighted", period="2026q4", entity="1001")
    assert [p.as_posix() for p in paths] == ["output/member-weighted/2026Q4/计算明细/评定计算明细-1001-张伟.docx",
                                             "output/member-weighted/2026Q4/计算明细/评定计算明细-1001-张伟.html"]
    with pytest.raises(pingxing.UserError, match="编号“1001”不在方案“town-branch”"):
        pingxing.explain(scheme="town-branch", period="2026", entity="1001")


def test_an_imported_period_has_no_explanation(campaigns: Path, tmp_path: Path) -> None:
    (tmp_path / "往年.csv").write_text("编号,姓名,星级\n1001,张伟,4\n", encoding="utf-8")
    imported = CliRunner().invoke(cli, ["history", "import", str(tmp_path / "往年.csv"), "--scheme", "member-weighted",
                                        "--period", "2025Q4"])
    assert imported.exit_code == 0, imported.output
    code, output = explain("member-weighted", "2025Q4", "1001")
    assert code == 2 and "的结果是导入的，没有计算明细" in output


# ------------------------------------------------------------------ named stars, and a branch scheme


def test_named_stars_with_their_vote_shares(campaigns: Path) -> None:
    html, word, _ = written(campaigns, "member-model-stars", "2026Q2", "M1")
    for text in (html, word):
        for line in ("学习模范星5票（71.4%）", "创新模范星1票（14.3%）",  # 党员互评 of 7 valid ballots
                     "学习模范星：党员互评5/7票、群众参评6/9票，合计得票率68.8%，须超过50%——获得",
                     "业务模范星：党员互评2/7票、群众参评3/9票，合计得票率31.3%，须超过50%——未获",
                     "廉政模范星：党员互评7/7票、群众参评8/9票，合计得票率93.8%，须超过50%——达到标准，但经支部评定不予授予",
                     "创新模范星：党员互评1/7票、群众参评9/9票，合计得票率62.5%，须超过50%——获得",
                     "陈明：", "二星（学习模范星、创新模范星）"):
            assert line.replace(" ", "") in text.replace(" ", ""), (line, text)
    html, word, _ = written(campaigns, "member-model-stars", "2026Q2", "M2")  # 群众参评: two valid ballots
    for text in (html, word):
        assert f"群众参评得票{GUARD}" in text.replace(" ", "").replace("|", "")
        assert "学习模范星：不足3票，不单独列示，须超过50%——获得" in text.replace(" ", "")
        # the corrected count of a withheld part is withheld too (it was shown before)
        assert f"更正项目群众参评.学习模范星=（{GUARD}）；理由：群众参评票数录入错误" in text.replace(" ", "")
        assert "学习模范星=1" not in text.replace(" ", "")


def test_a_branch_with_quota_veto_and_corrections(campaigns: Path) -> None:
    html, word, _ = written(campaigns, "town-branch", "2026", "XG")
    for text in (html, word):
        for line in ("3张票的平均分", "≈91.47", "≈18.2933", "= 18.4 + （≈18.2933） + 54.6 + 0.00",
                     "6847/75≈91.293333（精确值）", "公布得分 = 91.29",
                     "公布得分91.29在五星档（90 ≤ 得分）",
                     "城关镇五星名额1个（5个的20%，向下取整，至少1个）；达到五星的2个中按得分（及比较项）排第2",
                     "城关镇五星名额1个（20%），按得分排序未进入名额，按四星评定", "西关村党支部：", "四星",
                     # the 公示 as re-issued after the corrections: the one to object to now
                     "公示：城关镇2026年度星级党支部评定结果公示（更正）", "公示时间：2026年12月5日至12月11日（7天）"):
            assert line.replace(" ", "") in text.replace(" ", ""), (line, text)
    first, _, _ = written(campaigns, "town-branch", "2026", "DG")
    assert "达到五星的2个中按得分（及比较项）排第1，在名额之内" in first and "东关村党支部： 五星" in first
    vetoed, _, _ = written(campaigns, "town-branch", "2026", "NP")
    assert "一票否决： 取消评星资格（党费不能按时缴纳）" in vetoed and "党费未按时缴纳：是" in vetoed
    lowered, _, _ = written(campaigns, "town-branch", "2026", "BL")
    assert "更正： 2026年12月5日，镇党委批准：降星 1；理由：公示期间查实党员大会记录不实" in lowered
    assert "北岭村党支部： 三星" in lowered and "公布得分80.01在四星档" in lowered
    ballot, word, _ = written(campaigns, "town-branch", "2026", "SQ")
    for text in (ballot, word):
        assert "互评.票2=（选票数值不列示）；理由：互评票录入错误，经核对原始选票更正" in text.replace(" ", "")
        assert "70.90" in text  # the mean as corrected: (72.1 + 69.9 + 70.7) / 3
        assert not numbers(text) & {"72.1", "68.3", "70.7", "69.9"}


# ------------------------------------------------------------------ one page, and the template


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_each_explanation_is_one_a4_page(campaigns: Path, tmp_path: Path) -> None:
    docs = [written(campaigns, *which)[2] for which in (("member-weighted", "2026Q4", "1001"),
                                                       ("member-model-stars", "2026Q2", "M1"),
                                                       ("town-branch", "2026", "SQ"))]
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), *map(str, docs)],
                   check=True, capture_output=True, timeout=180)
    for pdf in sorted((tmp_path / "pdf").glob("*.pdf")):
        info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
        assert re.search(r"^Pages:\s+1$", info, re.M), (pdf.name, info)
        assert "(A4)" in info
    assert len(list((tmp_path / "pdf").glob("*.pdf"))) == 3


def test_the_template_sample_has_every_field_a_real_one_has(campaigns: Path) -> None:
    import json

    from pingxing import scheme as schemes
    from pingxing.publish.explain import explain_context
    from pingxing.publish.samples import sample_explanation
    from pingxing.record.explanations import explanation

    found = explanation(Path("评星记录.sqlite"), "member-weighted", "2026Q4", "1001")
    ctx = explain_context(schemes.parse(found.period.scheme_text, "x"), "2026Q4", found.record, json.loads(found.facts),
                          json.loads(found.period.notices))
    assert set(sample_explanation()) == set(ctx)
    assert set(sample_explanation()["parts"][0]) == set(ctx["parts"][0])


def test_a_mistyped_field_in_the_clerks_explain_template_stops_the_run(tmp_path: Path) -> None:
    from pingxing.errors import TemplateError
    from pingxing.places import shipped
    from pingxing.publish.samples import check_templates

    own = tmp_path / "templates"
    shutil.copytree(shipped("templates"), own)
    html = (own / "explain.html").read_text(encoding="utf-8")
    (own / "explain.html").write_text(html.replace("{{ scheme_title }}", "{{ scheme_titel }}"), encoding="utf-8")
    with pytest.raises(TemplateError, match="explain.html: 模板中的字段“scheme_titel”不存在"):
        check_templates(own)
    (own / "explain.html").unlink()
    (own / "explain.docx").unlink()
    check_templates(own)  # a clerk's templates folder from before explain: the shipped ones are used


def test_no_ballot_in_the_forms_is_in_any_explanation(campaigns: Path) -> None:
    """Every ballot typed into the member-weighted forms, against every explanation's text."""
    typed: set[str] = set()
    for form in (campaigns.parent / "mw" / "input").glob("第*党支部.xlsx"):
        wb = load_workbook(form)
        for sheet in ("互评", "职工参评"):
            for row in wb[sheet].iter_rows(min_row=4, min_col=3, values_only=True):
                typed |= {str(v) for v in row if isinstance(v, float)}
    assert {"83.7", "91.3", "95.2"} <= typed
    for eid, _ in ids_of(next((campaigns.parent / "mw" / "forms").glob("*第一党支部*.xlsx"))):
        html, word, _ = written(campaigns, "member-weighted", "2026Q4", eid)
        assert not numbers(html + word) & typed, eid
    assert read_csv(campaigns / "member-weighted" / "2026Q4" / "results.csv")  # (the run wrote its results)


def test_a_corrected_ballot_or_withheld_count_never_reaches_results_xlsx(campaigns: Path) -> None:
    """The reason a correction adds (说明 in results.xlsx) shows its value as 计算明细 does: a corrected
    ballot never (SQ's 互评.票2=69.9), a count of a withheld part as the guard's words (林芳's 学习模范星=1)."""
    def reasons(scheme: str, period: str) -> dict[str, str]:
        ws = load_workbook(campaigns / scheme / period / "results.xlsx")["评定结果"]
        header = [c.value for c in ws[2]]
        return {str(row[header.index("编号")]): str(row[header.index("说明")] or "")
                for row in ws.iter_rows(min_row=3, values_only=True)}

    sq = reasons("town-branch", "2026")["SQ"]
    assert "互评.票2=（选票数值不列示）" in sq and "69.9" not in sq
    m2 = reasons("member-model-stars", "2026Q2")["M2"]
    assert f"群众参评.学习模范星=（{GUARD}）" in m2 and "学习模范星=1" not in m2


def test_a_quota_place_is_the_one_the_rules_decided_even_after_a_score_correction(tmp_path: Path) -> None:
    """东关村 (95.93) takes the one five-star place before 西关村 (91.29). Then a 更正分数 sets 东关村 to
    90.50 (still five stars): 西关村's 计算明细 still says it came second in the quota — the ranking the
    place was decided by — not first by the corrected scores (it said 排第1 and 未进入名额 before)."""
    roster = "单位,支部,支部编号,编号,姓名\n城关镇,东关村党支部,DG,DG01,东关村党员\n城关镇,西关村党支部,XG,XG01,西关村党员\n"
    (tmp_path / "q").mkdir()
    forms = issue(tmp_path / "q", "town-branch", roster, "2025")  # (not the module's campaign: its own period)
    scores = {"DG": (95, 96), "XG": (92, 91)}
    codes = [f"{a}.{i}" for a in range(1, 6) for i in (1, 2)]
    return_forms(forms, tmp_path / "q" / "input", {
        "支部自评": lambda ids: {"自评": {i: {c: scores[i][0] / 10 for c in codes} for i in ids}},
        "支部互评": lambda ids: {"互评": {i: {f"票{k}": v for k, v in enumerate(TB_BALLOTS[i], 1)} for i in ids}},
        "党委考评": lambda ids: {"党委考评": {i: {c: scores[i][1] / 10 for c in codes} for i in ids}}})
    _corrections(tmp_path / "q" / "forms", tmp_path / "q" / "input", [
        ("DG", "东关村党支部", "更正分数", 90.5, "公示期间查实加分依据不足", datetime(2026, 12, 5), "镇党委")])
    _run(tmp_path / "q" / "input", tmp_path / "out")
    code, output = explain("town-branch", "2025", "XG", "--output", "out")
    assert code == 0, output
    html = words(Path(sorted(output.split(), key=lambda p: not p.endswith(".html"))[0]))
    assert "城关镇五星名额1个（2个的20%，向下取整，至少1个）；达到五星的2个中按得分（及比较项）排第2" in html.replace(" ", "")
