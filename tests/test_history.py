"""Two years of branch-five-stars, the history store, and the lists that compare periods.

Hand-worked example (stars = areas of 上级评定 all 是; survey 100 % for everyone):

======  =====  ======  =====  =====  ==================================================
支部     unit   2025    2026   change actions 2026
======  =====  ======  =====  =====  ==================================================
A        U1     3       5      升     通报表彰 (promoted to five; also up 2)
B        U1     2       4      升     通报表彰 (up 2)
C        U1     2       2      持平   诫勉谈话 (two stars both years)
E        U1     4       0      降     问责 (无星)
F        U2     —       1      新     诫勉谈话 (one star now; 警告 needs history: not on it)
G        U2     3       3      持平   —
D (直属) D      1       1      持平   诫勉谈话、警告 (one star twice), 不得评为优秀 (直属 ≤ 3 stars)
======  =====  ======  =====  =====  ==================================================

Unit rule: U1 has 2 of 4 branches at ≤ 3 stars (C, E) = 50 % < 2/3 → not marked;
U2 has 2 of 2 (F, G) ≥ 2/3 → U2 不得评为优秀 (internal document).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from clerk import fill, ids_of, results_by_id
from click.testing import CliRunner

from pingxing.record import store as history
from process import cli

ROOT = Path(__file__).resolve().parent.parent
ROSTER = """单位,支部,支部编号,编号,姓名,直属
U1,A支部,A,1,甲,否
U1,B支部,B,2,乙,否
U1,C支部,C,3,丙,否
U1,E支部,E,4,丁,否
U2,F支部,F,5,戊,否
U2,G支部,G,6,己,否
D,D支部,D,7,庚,是
"""
STARS = {"2025": {"A": 3, "B": 2, "C": 2, "E": 4, "G": 3, "D": 1},
         "2026": {"A": 5, "B": 4, "C": 2, "E": 0, "F": 1, "G": 3, "D": 1}}
CODES = [f"{a}.{i}" for a in range(1, 6) for i in range(1, 4)]


def _verdict(stars: int) -> dict[str, str]:
    """The first ``stars`` areas all 是, the rest fail on their first item."""
    return {c: "是" if int(c[0]) <= stars or c[2] != "1" else "否" for c in CODES}


def _year(tmp_path: Path, year: str, out: Path, roster_text: str = ROSTER) -> tuple[int, str]:
    roster = tmp_path / f"名册{year}.csv"
    roster.write_text(roster_text, encoding="utf-8")
    forms, inbox = tmp_path / f"forms{year}", tmp_path / f"input{year}"
    runner = CliRunner()
    made = runner.invoke(cli, ["forms", "--scheme", "branch-five-stars", "--roster", str(roster), "--period", year,
                               "--output", str(forms)])
    assert made.exit_code == 0, made.output
    inbox.mkdir(exist_ok=True)
    for path in forms.glob("*.xlsx"):
        ids = [i for i, _ in ids_of(path) if i in STARS[year]]
        if not ids:
            continue
        if path.stem.endswith("支部自评"):
            values = {"自评": {i: _verdict(STARS[year][i]) for i in ids}}
        elif path.stem.endswith("群众测评"):
            values = {"测评": {i: {"发放": 20, "满意": 20, "基本满意": 0, "不满意": 0, "不了解": 0, "废票": 0}
                             for i in ids}}
        else:
            values = {"上级评定": {i: _verdict(STARS[year][i]) for i in ids}}
        fill(path, values, inbox / path.name)
    ran = runner.invoke(cli, ["run", "--input", str(inbox), "--output", str(out), "--publicity-start", f"{year}-12-20"])
    return ran.exit_code, ran.output


@pytest.fixture
def two_years(tmp_path: Path) -> Path:
    out = tmp_path / "output"
    without_f = "".join(line + "\n" for line in ROSTER.splitlines() if not line.startswith("U2,F"))  # F is new in 2026
    code, output = _year(tmp_path, "2025", out, without_f)
    assert code == 0, output
    code, output = _year(tmp_path, "2026", out)
    assert code == 0, output
    return out


def test_lists_across_two_years(two_years: Path) -> None:
    rows = results_by_id(two_years / "branch-five-stars" / "2026" / "results.csv")
    got = {i: (r["stars"], r["prev_stars"], r["change"], r["actions"]) for i, r in rows.items()}
    assert got == {
        "A": ("5", "3", "升", "通报表彰"),
        "B": ("4", "2", "升", "通报表彰"),
        "C": ("2", "2", "持平", "诫勉谈话"),
        "E": ("0", "4", "降", "问责"),
        "F": ("1", "", "新", "诫勉谈话"),
        "G": ("3", "3", "持平", ""),
        "D": ("1", "1", "持平", "诫勉谈话、警告、不得评为优秀"),
    }


def test_public_notices_carry_commendations_only(two_years: Path) -> None:
    folder = two_years / "branch-five-stars" / "2026"
    announcement = (folder / "notices" / "通报.html").read_text(encoding="utf-8")
    assert "A支部" in announcement and "B支部" in announcement
    for other in ("C支部", "E支部", "F支部", "G支部", "D支部"):
        assert other not in announcement
    for public in folder.glob("notices/*.html"):
        text = public.read_text(encoding="utf-8")
        for word in ("诫勉谈话", "警告", "问责", "不得评为优秀", "内部"):
            assert word not in text, (public.name, word)
    internal = (folder / "internal" / "内部名单.html").read_text(encoding="utf-8")
    assert "（内部）" in internal
    for name, word in (("C支部", "诫勉谈话"), ("E支部", "问责"), ("D支部", "警告"), ("F支部", "诫勉谈话")):
        assert name in internal and word in internal
    assert "U2" in internal and "不得评为优秀（2个支部中2个为3星及以下）" in internal
    assert "A支部" not in internal  # commendations are public, not internal


def test_the_internal_document_is_dated_as_the_announcement_run_after_run(two_years: Path, tmp_path: Path) -> None:
    """The lists go out with the 通报, after publicity (2026-12-20 to 12-24): both dated 2026-12-25, not
    the day publicity starts (the internal document was), and a later run with no start given (today)
    keeps the date."""
    folder = two_years / "branch-five-stars" / "2026"
    for _ in range(2):
        announcement = (folder / "notices" / "通报.html").read_text(encoding="utf-8")
        internal = (folder / "internal" / "内部名单.html").read_text(encoding="utf-8")
        assert "2026年12月25日" in announcement and "2026年12月25日" in internal
        assert "2026年12月20日" not in internal
        ran = CliRunner().invoke(cli, ["run", "--input", str(tmp_path / "input2026"), "--output", str(two_years)])
        assert ran.exit_code == 0, ran.output


def test_rerun_of_year_two_changes_nothing(two_years: Path, tmp_path: Path) -> None:
    store = two_years.parent / "评星记录.sqlite"
    before = {p: history.period_rows(store, "branch-five-stars", p) for p in ("2025", "2026")}
    results = (two_years / "branch-five-stars" / "2026" / "results.csv").read_bytes()
    ran = CliRunner().invoke(cli, ["run", "--input", str(tmp_path / "input2026"), "--output", str(two_years),
                                   "--publicity-start", "2026-12-20"])
    assert ran.exit_code == 0
    assert (two_years / "branch-five-stars" / "2026" / "results.csv").read_bytes() == results
    after = {p: history.period_rows(store, "branch-five-stars", p) for p in ("2025", "2026")}
    strip = lambda rows: {k: v.__dict__ | {"manifest_sha256": ""} for k, v in rows.items()}  # noqa: E731
    assert {p: strip(r) for p, r in after.items()} == {p: strip(r) for p, r in before.items()}


def test_history_show(two_years: Path) -> None:
    shown = CliRunner().invoke(cli, ["history", "show", "--scheme", "branch-five-stars", "--entity", "A",
                                     "--history", str(two_years.parent / "评星记录.sqlite")])
    assert shown.exit_code == 0
    lines = shown.output.splitlines()
    assert lines[1].split("\t")[:6] == ["2025", "A", "A支部", "U1", "", "3"]
    assert lines[2].split("\t")[:6] == ["2026", "A", "A支部", "U1", "", "5"]
    assert lines[2].split("\t")[9] == "通报表彰"


def test_import_last_years_stars_then_compare(tmp_path: Path) -> None:
    old = tmp_path / "2025年星级.csv"
    old.write_text("单位,支部,编号,星级\nU1,A支部,A,三星\nU1,B支部,B,★★\nU1,C支部,C,2\nU1,E支部,E,四星级\n"
                   "U2,G支部,G,3\nD,D支部,D,一星\n", encoding="utf-8")
    store = tmp_path / "评星记录.sqlite"  # the working folder's record, as every command uses
    imported = CliRunner().invoke(cli, ["history", "import", str(old), "--scheme", "branch-five-stars",
                                        "--period", "2025", "--history", str(store)])
    assert imported.exit_code == 0, imported.output
    assert imported.output == f"已导入 6 条 2025 期记录到 {store}\n"
    code, output = _year(tmp_path, "2026", tmp_path / "output")
    assert code == 0, output
    rows = results_by_id(tmp_path / "output" / "branch-five-stars" / "2026" / "results.csv")
    assert rows["A"]["prev_stars"] == "3" and rows["A"]["actions"] == "通报表彰"
    assert rows["D"]["actions"] == "诫勉谈话、警告、不得评为优秀"


def test_import_finds_its_results_sheet_behind_another(tmp_path: Path) -> None:
    """A workbook whose first sheet is a note and whose second holds 支部, 编号, 星级 (the import's own
    header, not a roster's): the import reads the second sheet (it stopped at the first)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "说明"
    wb.active["A1"] = "2025年度星级评定结果，党委会审定"
    ws = wb.create_sheet("结果")
    ws.append(["支部", "编号", "星级"])
    for row in (["A支部", "A", "三星"], ["B支部", "B", 2]):
        ws.append(row)
    wb.save(tmp_path / "2025年星级.xlsx")
    imported = CliRunner().invoke(cli, ["history", "import", str(tmp_path / "2025年星级.xlsx"), "--scheme",
                                        "branch-five-stars", "--period", "2025", "--history", str(tmp_path / "h.sqlite")])
    assert imported.exit_code == 0, imported.output
    assert history.period_rows(tmp_path / "h.sqlite", "branch-five-stars", "2025")["B"].stars == 2


def test_import_reports_every_bad_row(tmp_path: Path) -> None:
    old = tmp_path / "old.csv"
    old.write_text("支部,编号,星级\nA支部,A,优\nB支部,,3\nC支部,C,六星\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["history", "import", str(old), "--scheme", "branch-five-stars",
                                      "--period", "2025", "--history", str(tmp_path / "h.sqlite")])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"错误：{old}: 第 2 行星级“优”无法识别，请写 0–5 或 三星、★★★、无星",
        f"错误：{old}: 第 3 行没有编号，请补上",
        f"错误：{old}: 第 4 行星级“六星”无法识别，请写 0–5 或 三星、★★★、无星",
    ]
    assert not (tmp_path / "h.sqlite").exists() or history.period_rows(tmp_path / "h.sqlite", "branch-five-stars",
                                                                      "2025") == {}


def test_an_older_history_file_is_migrated(tmp_path: Path) -> None:
    store = tmp_path / "old.sqlite"
    conn = sqlite3.connect(store)
    for sql in history._MIGRATIONS[1]:
        conn.execute(sql)
    conn.execute("INSERT INTO results VALUES ('branch-five-stars','2025','A','A支部','U1','A支部',NULL,3,'','',"
                 "'rated','','', '2025-12-31T00:00:00+08:00')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    rows = history.period_rows(store, "branch-five-stars", "2025")
    assert rows["A"].stars == 3 and rows["A"].source == "run" and rows["A"].actions == ""
    with sqlite3.connect(store) as check:
        assert check.execute("PRAGMA user_version").fetchone()[0] == history.SCHEMA_VERSION


def test_a_newer_history_file_is_refused(tmp_path: Path) -> None:
    store = tmp_path / "new.sqlite"
    history.open_store(store).close()  # a record, as a later version of the tool left it
    with sqlite3.connect(store) as conn:
        conn.execute(f"PRAGMA user_version = {history.SCHEMA_VERSION + 1}")
    result = CliRunner().invoke(cli, ["history", "show", "--scheme", "branch-five-stars", "--history", str(store)])
    assert result.exit_code == 2
    assert "由更新版本的工具创建" in result.output
    out = tmp_path / "out"  # a run stops before it reads or writes anything
    result = CliRunner().invoke(cli, ["run", "--input", str(ROOT / "examples" / "input" / "member-weighted"), "--output", str(out),
                                      "--history", str(store)])
    assert result.exit_code == 2 and "由更新版本的工具创建" in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_killed_while_recording_leaves_history_as_it_was(tmp_path: Path) -> None:
    store = tmp_path / "h.sqlite"
    old = [history.Record("s", "2026", str(i), f"n{i}", "u", "b", "90.00", 4) for i in range(5)]
    history.replace_period(store, "s", "2026", old)
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(Path(__file__).resolve().parent.parent)!r})
        from pingxing.record import store as history
        def slow():
            for i in range(5):
                yield history.Record("s", "2026", str(i), "new", "u", "b", "10.00", 1)
                print("inside", flush=True)
                time.sleep(30)
        history.replace_period(__import__("pathlib").Path({str(store)!r}), "s", "2026", slow())
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "inside"  # the old rows are deleted inside the transaction now
    proc.kill()
    proc.wait()
    rows = history.period_rows(store, "s", "2026")
    assert sorted(rows) == ["0", "1", "2", "3", "4"] and {r.stars for r in rows.values()} == {4}
    history.replace_period(store, "s", "2026", old[:2])  # and the file is still usable
    assert sorted(history.period_rows(store, "s", "2026")) == ["0", "1"]


def test_a_branch_that_is_its_own_unit_is_listed_as_direct_not_named_twice() -> None:
    """The roster names a 直属 branch as its own unit (市统计局党支部, 市统计局党支部): its 单位 cell in the
    通报 and the internal document says 直属 instead of the name a second time."""
    from pingxing.publish.sections import section

    rows = [{"name": "市统计局党支部", "unit": "市统计局党支部", "stars": 1, "star_word": "一星"},
            {"name": "国库党支部", "unit": "市财政局机关党委", "stars": 3, "star_word": "三星"}]
    listed = section(0, "诫勉谈话", rows, "branch")
    assert listed["columns"] == ["序号", "单位", "支部", "星级"]
    assert [r["cells"] for r in listed["rows"]] == [["1", "直属", "市统计局党支部", "一星"],
                                                    ["2", "市财政局机关党委", "国库党支部", "三星"]]


def test_check_names_the_users_record_even_when_it_reads_a_migrated_copy(tmp_path: Path) -> None:
    """``check`` reads an earlier version's record through a copy (it writes nothing); a message about
    the record still names the user's file, never the temporary copy."""
    without_f = "".join(line + "\n" for line in ROSTER.splitlines() if not line.startswith("U2,F"))
    code, output = _year(tmp_path, "2025", tmp_path / "output", without_f)
    assert code == 0, output
    record = Path("评星记录.sqlite").resolve()
    with sqlite3.connect(record) as conn:  # as version 4 left it
        for table in ("explanations", "explained_periods"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute("PRAGMA user_version = 4")
    before = record.read_bytes()
    checked = CliRunner().invoke(cli, ["check", "--input", str(tmp_path / "input2025")])
    assert "记录文件 评星记录.sqlite 中没有“五星级党支部评定”上一期（2024年度）的结果" in checked.output, checked.output
    assert "pingxing-record-" not in checked.output and record.read_bytes() == before


def test_the_internal_documents_unit_table_is_fitted_to_the_page(two_years: Path) -> None:
    """The 单位 section (序号, 单位, 情况) renders to as many cells as the template's table has columns, each
    keeping its template cell's width; it is fitted all the same: 情况 the widest, the whole as wide as
    the table (a 情况 column one character wide and a table beyond the page before)."""
    import zipfile

    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    path = two_years / "branch-five-stars" / "2026" / "internal" / "内部名单.docx"
    body = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    table = next(t for t in body.iter(f"{w}tbl") if "情况" in "".join(t.itertext()))
    grid = [int(c.get(f"{w}w")) for c in table.find(f"{w}tblGrid")]
    cells = [[int(c.find(f"{w}tcPr/{w}tcW").get(f"{w}w")) for c in row.findall(f"{w}tc")] for row in table.findall(f"{w}tr")]
    assert len(grid) == 3 and grid[2] > grid[1] > 0 and sum(grid) <= 8844
    assert all(row == grid for row in cells)


def test_import_refuses_a_grade_the_scheme_does_not_give(tmp_path: Path) -> None:
    """民主评议's 等次 imported from last year's list: 优 (a typo for 优秀) is refused at its row — kept, it
    would never match a list's rule (连续不合格 …) — and 优秀 is taken."""
    old = tmp_path / "2025年等次.csv"
    old.write_text("单位,支部,编号,姓名,等次\n质检中心,第一党支部,1001,张伟,优\n质检中心,第一党支部,1002,王芳,不合格\n",
                   encoding="utf-8")
    args = ["history", "import", str(old), "--scheme", "member-appraisal", "--period", "2025",
            "--history", str(tmp_path / "h.sqlite")]
    refused = CliRunner().invoke(cli, args)
    assert refused.exit_code == 2
    assert refused.output.splitlines() == [
        f"错误：{old}: 第 2 行等次“优”不是本方案的等次（优秀、合格、基本合格、不合格），请改正"]
    old.write_text(old.read_text(encoding="utf-8").replace(",优\n", ",优秀\n"), encoding="utf-8")
    assert CliRunner().invoke(cli, args).exit_code == 0
