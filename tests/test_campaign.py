"""The campaign remembers what it sent out (issue 12), end to end through the CLI as a clerk works:
``forms`` (recorded) → the branches' workbooks filled with openpyxl → ``check`` / ``run``.

Each numbered part of the issue: the 催交 of a branch that never returned; a row a branch added,
a form of another period among this period's; a member transferred; dates kept by a re-run and
changed only on purpose; the settings workbook on the 公示; a new output folder keeping 升降星;
forms issued elsewhere registered after the fact; a scheme edited after the forms went out; the
record file itself broken, foreign, newer or busy; a run that dies while writing the record.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import yaml
from clerk import by_sheet, fill, header_row, ids_of, member_weighted, read_csv, results_by_id, settle, words
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from pingxing import scheme as schemes
from process import cli

ROSTER = "单位,支部,编号,姓名\n质检中心,第一党支部,1001,张伟\n质检中心,第一党支部,1002,王芳\n质检中心,第二党支部,2001,李娜\n"
# 自评 20×4 = 80, 互评 (80+90+85)/3 = 85, 领导 85, 职工 (88+87+89)/3 = 88: 16 + 25.5 + 17 + 26.4 = 84.90
VALUES = {eid: member_weighted([4] * 20, [80, 90, 85], 85, [88, 87, 89]) for eid in ("1001", "1002", "2001")}
FOLDER = Path("out") / "member-weighted" / "2026Q4"


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output and "内部错误" not in result.output, result.output
    return result


def issue(period: str = "2026Q4", roster: str = ROSTER, *extra: str, out: str = "") -> dict[str, Path]:
    """``forms`` in the working folder (recorded in its 评星记录.sqlite); the workbooks by branch."""
    Path("名册.csv").write_text(roster, encoding="utf-8")
    out = Path(out or f"forms-{period}")
    shutil.rmtree(out, ignore_errors=True)
    result = invoke("forms", "--scheme", "member-weighted", "--roster", "名册.csv", "--period", period,
                    "--output", str(out), *extra)
    assert result.exit_code == 0, result.output
    return {("第一" if "第一" in p.name else "第二"): p for p in out.glob("*.xlsx")}


def returned(forms: dict[str, Path], inbox: Path = Path("input"), skip: tuple[str, ...] = (),
             values: dict[str, dict[str, Any]] | None = None, **settings: str) -> Path:
    """Each branch's workbook typed in and saved into ``inbox``, with the clerk's settings."""
    inbox.mkdir(exist_ok=True)
    for branch, path in forms.items():
        if branch in skip:
            continue
        ids = {i for i, _ in ids_of(path)}
        fill(path, by_sheet({i: v for i, v in (values or VALUES).items() if i in ids}), inbox / path.name)
    settle(next(iter(forms.values())).parent, inbox, **settings)
    return inbox


def run(*extra: str, inbox: str = "input", out: str = "out") -> Result:
    return invoke("run", "--input", inbox, "--output", out, "--jobs", "1", *extra)


def problems(folder: Path = FOLDER) -> list[tuple[str, str, str]]:
    return [(p["code"], p["entity"], p["message"]) for p in read_csv(folder / "problems.csv")]


def codes(folder: Path = FOLDER) -> list[str]:
    return [p["code"] for p in read_csv(folder / "problems.csv")]


# ------------------------------------------------------------------ 2. judged against the record


def test_a_branch_that_never_returned_is_owed_its_people_incomplete_and_chased() -> None:
    forms = issue()
    returned(forms, skip=("第二",))
    checked = invoke("check", "--input", "input")
    assert checked.exit_code == 3
    assert "催交：党员授旗评星定级（加权综合测评） 2026年第四季度 尚有 1 份表格未交回" in checked.output
    assert "  质检中心：第二党支部（1 人，" in checked.output and "下发，已 0 天）" in checked.output
    ran = run("--publicity-start", "2026-12-01")
    assert ran.exit_code == 3 and "尚有 1 份表格未交回" in ran.output, ran.output
    rows = results_by_id(FOLDER)
    assert (rows["1001"]["status"], rows["2001"]["status"]) == ("rated", "incomplete")
    assert rows["2001"]["reason"].startswith("未交回")
    assert ("not-returned", "质检中心第二党支部",
            f"“{forms['第二'].name}”（质检中心第二党支部的表格）尚未交回，表中人员暂不评定；请催交") in problems()
    assert not (FOLDER / "notices" / "质检中心-第二党支部-公示.html").exists()
    assert (FOLDER / "notices" / "质检中心-第一党支部-公示.html").exists()  # one late branch never holds up another


def test_a_row_a_branch_added_is_reported_and_not_rated() -> None:
    forms = issue()
    inbox = returned(forms)
    path = inbox / forms["第一"].name
    wb = load_workbook(path)
    for ws in wb.worksheets:  # 9009 typed into every sheet, and into the hidden roster copy (Unhide)
        if ws.title == "_roster":
            ws.append(["9009", "假人", "正式党员"])
        elif ws.title not in ("_meta", "说明"):
            h = header_row(ws)
            last = max(r for r in range(h + 1, ws.max_row + 1) if ws.cell(r, 1).value)
            for c in range(1, ws.max_column + 1):
                ws.cell(last + 1, c).value = ws.cell(last, c).value
            ws.cell(last + 1, 1).value, ws.cell(last + 1, 2).value = "9009", "假人"
    wb.save(path)
    assert run("--publicity-start", "2026-12-01").exit_code == 3
    assert set(results_by_id(FOLDER)) == {"1001", "1002", "2001"}
    assert {s for s in results_by_id(FOLDER).values() if s["status"] != "rated"} == set()
    found = [p for p in read_csv(FOLDER / "problems.csv") if p["code"] == "unknown-member"]
    assert sorted(p["sheet"] for p in found) == ["互评", "支部评定", "职工参评", "自评", "领导点评"]
    assert found[0]["message"] == "编号“9009”（假人）不在下发的名单中，未计入；如确需参评，请先报组织部门补入名册"
    assert "假人" not in words(FOLDER / "notices" / "质检中心-第一党支部-公示.html")


def test_a_form_of_another_period_does_not_stop_this_periods_forms() -> None:
    last = issue("2026Q3")
    inbox = returned(issue())
    fill(last["第一"], by_sheet({i: VALUES[i] for i in ("1001", "1002")}), inbox / f"上季度-{last['第一'].name}")
    assert run("--publicity-start", "2026-12-01").exit_code == 3
    assert {r["status"] for r in results_by_id(FOLDER).values()} == {"rated"}
    stray = [p for p in read_csv(FOLDER / "problems.csv") if p["code"] == "wrong-period"]
    assert [p["file"] for p in stray] == [f"上季度-{last['第一'].name}"]
    assert not (Path("out") / "member-weighted" / "2026Q3").exists()


def test_a_form_that_matches_nothing_issued_is_not_counted() -> None:
    forms = issue()
    inbox = returned(forms)
    path = inbox / forms["第二"].name
    wb = load_workbook(path)
    for row in wb["_meta"].iter_rows():
        if row[0].value == "form_id":
            row[1].value = "F000000000000"  # a workbook this record never issued
    wb.save(path)
    assert run("--publicity-start", "2026-12-01").exit_code == 3
    assert results_by_id(FOLDER)["2001"]["status"] == "incomplete"
    assert {"not-issued", "not-returned"} <= set(codes())


# ------------------------------------------------------------------ 3. the scheme as issued


def _own_scheme(change: Any) -> None:
    """The clerk's own copy of member-weighted in the working folder's schemes/, edited."""
    data = yaml.safe_load((schemes.SCHEMES_DIR / "member-weighted.yaml").read_text(encoding="utf-8"))
    change(data)
    Path("schemes").mkdir(exist_ok=True)
    Path("schemes/member-weighted.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def _swap_weights(data: dict[str, Any]) -> None:
    weights = data["total"]["weights"]
    weights["自评"], weights["职工参评"] = weights["职工参评"], weights["自评"]


def test_an_edited_scheme_warns_and_rates_as_issued_until_registered_again() -> None:
    forms = issue()
    returned(forms)
    assert run("--publicity-start", "2026-12-01").exit_code == 0
    before = results_by_id(FOLDER)["1001"]["score"]
    _own_scheme(_swap_weights)
    assert run("--publicity-start", "2026-12-01").exit_code == 0
    assert results_by_id(FOLDER)["1001"]["score"] == before == "84.90"
    assert codes() == ["scheme-changed"]
    Path("名册.csv").write_text(ROSTER, encoding="utf-8")
    assert invoke("register", "--scheme", "member-weighted", "--roster", "名册.csv", "--period", "2026Q4").exit_code == 0
    assert run("--publicity-start", "2026-12-01").exit_code == 0  # the forms issued before match by place
    assert results_by_id(FOLDER)["1001"]["score"] != before and codes() == []


def test_a_wording_change_never_invalidates_returned_forms() -> None:
    forms = issue()
    returned(forms)

    def reword(data: dict[str, Any]) -> None:
        own = next(c for c in data["components"] if c["sheet"] == "自评")
        item = own["areas"][0]["items"][0]
        item["label"] = item["label"] + "（含线上学习）"

    _own_scheme(reword)
    assert run("--publicity-start", "2026-12-01").exit_code == 0
    assert {r["status"] for r in results_by_id(FOLDER).values()} == {"rated"}
    assert codes() == ["scheme-changed"]  # said once, for the committee: the forms stand


# ------------------------------------------------------------------ 4. transfers


def test_a_member_transferred_is_rated_once_where_the_record_now_places_them() -> None:
    first = issue()
    moved = "单位,支部,编号,姓名\n质检中心,第二党支部,2001,李娜\n质检中心,第二党支部,1002,王芳\n"
    second = issue("2026Q4", moved, out="再次下发")  # only 第二 re-issued: 王芳 moved there mid-period
    inbox = returned({"第一": first["第一"]})  # 第一 returns the form it had, 王芳 still on it
    returned({"第二": second["第二"]}, inbox)
    ran = run("--publicity-start", "2026-12-01")
    assert ran.exit_code == 0, ran.output
    rows = results_by_id(FOLDER)
    assert (rows["1002"]["branch"], rows["1002"]["status"]) == ("第二党支部", "rated")
    assert [r["branch"] for r in read_csv(FOLDER / "results.csv") if r["id"] == "1002"] == ["第二党支部"]
    assert set(codes()) == {"moved-member"}
    assert "王芳" not in words(FOLDER / "notices" / "质检中心-第一党支部-公示.html")
    assert "王芳" in words(FOLDER / "notices" / "质检中心-第二党支部-公示.html")


# ------------------------------------------------------------------ 5. dates that stay


def _window(branch: str = "第一") -> str:
    text = words(FOLDER / "notices" / f"质检中心-{branch}党支部-公示.html")
    start = text.index("公示时间")
    return text[start:start + 40]


def test_a_rerun_keeps_the_posted_dates_and_a_new_start_redates_with_a_warning() -> None:
    returned(issue())
    assert run("--publicity-start", "2026-12-01").exit_code == 0
    posted = _window()
    assert "2026年12月1日至12月3日（3天）" in posted
    assert run().exit_code == 0  # a re-run after a correction, days later: the notice keeps its dates
    assert _window() == posted and codes() == []
    assert run("--publicity-start", "2026-12-03").exit_code == 0
    assert "2026年12月3日至12月5日（3天）" in _window()
    assert set(codes()) == {"redated"}
    assert run().exit_code == 0 and "2026年12月3日" in _window()  # the new date is the one kept now


# ------------------------------------------------------------------ 6. settings without YAML


def test_the_settings_phone_and_place_are_on_the_notice() -> None:
    returned(issue(), **{"联系电话": "0571-87654321", "受理地点": "中心党委办公室（三楼302）"})
    assert run("--publicity-start", "2026-12-01").exit_code == 0
    text = words(FOLDER / "notices" / "质检中心-第一党支部-公示.html")
    assert "0571-87654321" in text and "中心党委办公室（三楼302）" in text


def test_a_notice_without_a_phone_is_a_warning_naming_the_settings_workbook() -> None:
    forms = issue()
    inbox = returned(forms)
    for settings in inbox.glob("设置-*.xlsx"):
        settings.unlink()
    assert run("--publicity-start", "2026-12-01").exit_code == 0
    assert set(codes()) == {"no-contact"}
    assert "请在设置表（设置-member-weighted-2026Q4.xlsx）中填写“联系电话”" in problems()[0][2]


def test_a_bad_setting_is_a_problem_at_its_cell() -> None:
    forms = issue()
    inbox = returned(forms, **{"公示天数": "五天", "成文日期": "2026-13-40"})
    settings = next(inbox.glob("设置-*.xlsx"))
    wb = load_workbook(settings)
    wb["设置"].append(["公示地点", "公告栏"])  # an item the tool does not know
    wb.save(settings)
    assert run("--publicity-start", "2026-12-01").exit_code == 3
    found = {(p["cell"], p["code"]) for p in read_csv(FOLDER / "problems.csv") if p["file"] == settings.name}
    assert {code for _, code in found} == {"setting-invalid"} and len(found) == 3


# ------------------------------------------------------------------ 7. history that follows the clerk


def test_a_new_output_folder_keeps_last_periods_stars() -> None:
    returned(issue("2026Q3"), Path("input-q3"))
    assert run("--publicity-start", "2026-10-08", inbox="input-q3", out="结果-第三季度").exit_code == 0
    returned(issue("2026Q4"), Path("input-q4"))
    assert run("--publicity-start", "2026-12-01", inbox="input-q4", out="结果-第四季度").exit_code == 0
    rows = results_by_id(Path("结果-第四季度") / "member-weighted" / "2026Q4")
    assert {(r["prev_stars"], r["change"]) for r in rows.values()} == {("4", "持平")}


# ------------------------------------------------------------------ 1. the record: forms issued elsewhere


def test_forms_issued_elsewhere_are_rated_with_a_warning_then_registered_after_the_fact() -> None:
    forms = issue("2026Q4", ROSTER, "--history", "另一台电脑.sqlite")
    returned(forms, skip=("第二",))
    ran = run("--publicity-start", "2026-12-01")
    assert ran.exit_code == 0  # today's behaviour: the forms' own lists, nobody known to be missing
    assert codes() == ["not-registered"]
    Path("名册.csv").write_text(ROSTER, encoding="utf-8")
    registered = invoke("register", "--scheme", "member-weighted", "--roster", "名册.csv", "--period", "2026Q4")
    assert registered.exit_code == 0, registered.output
    assert run("--publicity-start", "2026-12-01").exit_code == 3
    assert results_by_id(FOLDER)["2001"]["status"] == "incomplete"
    assert set(codes()) == {"not-returned", "notice-withheld"}


def test_the_record_is_one_file_in_the_working_folder_never_under_output() -> None:
    returned(issue())
    assert run("--publicity-start", "2026-12-01").exit_code == 0
    assert Path("评星记录.sqlite").is_file() and not list(Path("out").rglob("*.sqlite"))
    with sqlite3.connect("评星记录.sqlite") as conn:
        assert conn.execute("SELECT count(*) FROM workbooks").fetchone() == (2,)
        assert conn.execute("SELECT count(*) FROM results WHERE period = '2026Q4'").fetchone() == (3,)


def test_check_writes_nothing_to_an_older_record_nor_moves_the_earlier_one() -> None:
    """``check`` writes nothing: an earlier version's record is read through a migrated copy (the file
    keeps its bytes), and one at the earlier place (output/history.sqlite) is read where it is; the
    first command that writes (here ``run``) moves and migrates it."""
    forms = issue()
    returned(forms, skip=("第二",))
    with sqlite3.connect("评星记录.sqlite") as conn:  # as version 4 left it (before 计算明细)
        for table in ("explanations", "explained_periods"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute("PRAGMA user_version = 4")
    before = Path("评星记录.sqlite").read_bytes()
    checked = invoke("check", "--input", "input")
    assert checked.exit_code == 3 and "尚有 1 份表格未交回" in checked.output, checked.output  # the campaign read
    assert Path("评星记录.sqlite").read_bytes() == before
    Path("output").mkdir()
    Path("评星记录.sqlite").rename(Path("output") / "history.sqlite")
    again = invoke("check", "--input", "input")
    assert again.exit_code == 3 and again.output == checked.output
    assert not Path("评星记录.sqlite").exists() and (Path("output") / "history.sqlite").read_bytes() == before
    assert run("--publicity-start", "2026-12-01").exit_code == 3
    assert "record-migrated" in codes(Path("out")) and (Path("output") / "history.sqlite").read_bytes() == before
    with sqlite3.connect("评星记录.sqlite") as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (5,)
        assert conn.execute("SELECT count(*) FROM results WHERE period = '2026Q4'").fetchone() == (3,)


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: p.write_bytes(b"PK\x03\x04 not a database at all" * 50),
     "不是有效的记录文件（可能已损坏）；请用备份替换，或用 --history 指定另一个文件"),
    (lambda p: sqlite3.connect(p).executescript("CREATE TABLE 通讯录 (姓名 TEXT);").close(),
     "这不是评星记录文件（是别的程序的 SQLite 数据库），未作任何改动；请用 --history 指定评星记录"),
    (lambda p: sqlite3.connect(p).executescript("PRAGMA application_id = 1347964487; PRAGMA user_version = 99;").close(),
     "记录文件由更新版本的工具创建（版本 99），请升级本工具后再使用"),
    (lambda p: p.mkdir(),  # (run published everything before finding it could not keep the record)
     "这是一个文件夹，不是记录文件；请用 --history 指定记录文件（如 评星记录.sqlite）"),
])
def test_a_broken_foreign_or_newer_record_is_one_line_and_exit_2(make: Any, message: str) -> None:
    record = Path("坏记录.sqlite")
    make(record)
    before = b"" if record.is_dir() else record.read_bytes()
    Path("名册.csv").write_text(ROSTER, encoding="utf-8")
    for args in (["forms", "--scheme", "member-weighted", "--roster", "名册.csv", "--period", "2026Q4"],
                 ["run", "--input", "forms"], ["check", "--input", "forms"]):
        result = invoke(*args, "--history", str(record))
        assert result.exit_code == 2, result.output
        assert result.output.startswith(f"错误：{record}: ") and message in result.output
        assert len(result.output.strip().splitlines()) == 1
    assert (record.is_dir() or record.read_bytes() == before) and not Path("forms").exists() and not Path("output").exists()


def test_a_record_held_by_another_run_says_wait_never_restore() -> None:
    returned(issue())
    holder = sqlite3.connect("评星记录.sqlite", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another run writing (or the file open in a database viewer)
    try:
        result = run("--publicity-start", "2026-12-01")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 2
    assert "正被另一个程序或另一次运行占用" in result.output and "备份" not in result.output


def test_a_run_that_dies_while_writing_the_record_leaves_it_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    returned(issue())
    assert run("--publicity-start", "2026-12-01").exit_code == 0
    before = _rows()
    from pingxing.record import store

    real = store.replace_period

    def dying(path: Path, scheme: str, period: str, records: Any, *args: Any, **kwargs: Any) -> None:
        def some() -> Any:
            for n, r in enumerate(records):
                if n == 2:
                    raise OSError(28, "No space left on device")
                yield r
        real(path, scheme, period, some(), *args, **kwargs)

    monkeypatch.setattr(store, "replace_period", dying)
    values = {i: member_weighted([5] * 20, [95, 99, 97], 96, [97, 97, 97]) for i in VALUES}
    returned({b: p for b, p in issue_again().items()}, values=values)
    result = run("--publicity-start", "2026-12-01")
    assert result.exit_code == 2 and "磁盘空间不足" in result.output
    assert _rows() == before  # not one row of the dying run


def issue_again() -> dict[str, Path]:
    return {("第一" if "第一" in p.name else "第二"): p for p in Path("forms-2026Q4").glob("*.xlsx")}


def _rows() -> list[tuple[Any, ...]]:
    with sqlite3.connect("评星记录.sqlite") as conn:
        return conn.execute("SELECT entity_id, score, stars, status FROM results ORDER BY entity_id").fetchall()


def test_a_previous_record_under_another_name_never_drives_the_comparison() -> None:
    Path("上季度.csv").write_text("编号,姓名,星级\n1001,赵强,一星\n1002,王芳,4\n", encoding="utf-8")  # 1001 reused
    imported = invoke("history", "import", "上季度.csv", "--scheme", "member-weighted", "--period", "2026Q3")
    assert imported.exit_code == 0, imported.output
    returned(issue())
    assert run("--publicity-start", "2026-12-01").exit_code == 0
    rows = results_by_id(FOLDER)
    assert [(rows[i]["prev_stars"], rows[i]["change"]) for i in ("1001", "1002")] == [("", "新"), ("4", "持平")]
    assert problems() == [("history-name-differs", "1001 张伟",
                           "编号“1001”在记录的上一期（2026年第三季度）是“赵强”，本期是“张伟”，可能不是同一人（或记录来自另一次评星），"
                           "未与上期比较升降星、未据此列入名单；如确是改名，请用 history import 以新名称重新导入上一期结果")]


def test_a_schemes_record_problems_stay_in_its_own_folder(tmp_path: Path) -> None:
    """Two schemes in one run, one branch of the first never returned: its not-returned is in that
    scheme's problems.csv (and the run's), never in the other scheme's folder."""
    examples = Path(__file__).resolve().parents[1] / "examples"
    inbox = tmp_path / "input"
    for scheme in ("branch-five-stars", "member-weighted"):
        shutil.copytree(examples / "input" / scheme, inbox / scheme)
    owed = next((inbox / "branch-five-stars").glob("*支部自评.xlsx"))
    owed.unlink()
    record = shutil.copy(examples / "评星记录.sqlite", tmp_path / "record.sqlite")
    result = invoke("run", "--input", str(inbox), "--output", str(tmp_path / "out"), "--history", str(record), "--quiet")
    assert result.exit_code == 3, result.output

    def codes(folder: Path) -> list[str]:
        return [p["code"] for p in read_csv(folder / "problems.csv")]

    assert "not-returned" in codes(tmp_path / "out" / "branch-five-stars" / "2026")
    assert "not-returned" in codes(tmp_path / "out")
    assert "not-returned" not in codes(tmp_path / "out" / "member-weighted" / "2026Q4")
