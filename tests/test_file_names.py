"""File names made from people's names never collide, overflow or hide (issue 13, class 2).

Every workbook ``forms`` writes and every notice ``run`` writes is named by
:func:`pingxing.cells.file_stem`: the name as composed when that is safe everywhere, else a
readable stem and ``~`` with a short hash of the names. The roster below holds units and branches
whose names used to give one file for two branches (``A``+``B-C`` and ``A-B``+``C``; ``a/b`` and
``a_b``; ``Ab`` and ``ab`` on Windows), a name over the file system's limit, a name beginning with
``.`` (a hidden file, skipped when read back), a Windows device name and a tab: each branch gets its
own form and its own notice, and the returned forms are all read.
"""

from __future__ import annotations

from pathlib import Path

from clerk import by_sheet, issue, member_weighted, results_by_id, return_forms, run
from openpyxl import load_workbook

from pingxing.cells import STEM_BYTES, STEM_CHARS, file_stem

LONG = "市" + "很" * 120 + "长的单位"
UNITS_BRANCHES = [
    ("A", "B-C"), ("A-B", "C"),  # the same name once joined with "-"
    ("甲/乙", "一支部"), ("甲_乙", "一支部"),  # "/" is not allowed in a file name: it used to become "_"
    ("局", "Ab"), ("局", "ab"),  # one file on Windows
    (LONG, "第一党支部"),  # over 255 bytes
    (".隐藏单位", "一支部"),  # a hidden file
    ("局", "CON"),  # a device on Windows
    ("局", "第一\t支部"),  # a tab in a name (read as a space)
]
ROSTER = "单位,支部,编号,姓名\n" + "".join(f'"{u}","{b}",{i},党员{i}\n' for i, (u, b) in enumerate(UNITS_BRANCHES, 1))


def test_every_branch_gets_its_own_form_and_notice(tmp_path: Path) -> None:
    forms = issue(tmp_path, "member-weighted", ROSTER, "2026Q4")
    assert len(forms) == len(UNITS_BRANCHES)  # one each, none overwritten (the 更正表 is in a sub-folder)
    issued = {}
    for path in forms.values():
        assert not path.name.startswith(".") and len(path.name.encode("utf-8")) < 255
        meta = dict(load_workbook(path, read_only=True)["_meta"].values)
        issued[(meta["unit"], meta["branch"])] = path
    assert set(issued) == {(u, " ".join(b.split())) for u, b in UNITS_BRANCHES}
    assert {p.stem for p in forms.values()} >= {"局-ab-member-weighted-2026Q4"}  # a safe name stays as it is

    inbox, out = tmp_path / "input", tmp_path / "out"
    return_forms(forms, inbox, {"": lambda ids: by_sheet({i: member_weighted([4] * 20, [80], 80, [80]) for i in ids})})
    assert run(inbox, out, "2026-12-01") == 0  # every returned form read: none looked hidden
    folder = out / "member-weighted" / "2026Q4"
    rows = results_by_id(folder)
    assert sorted(rows) == [str(i) for i in sorted(range(1, len(UNITS_BRANCHES) + 1), key=str)]
    assert {r["status"] for r in rows.values()} == {"rated"}
    notices = sorted((folder / "notices").glob("*.html"))
    assert len(notices) == len(UNITS_BRANCHES)
    titles = {p.read_text(encoding="utf-8").split("<title>")[1].split("</title>")[0] for p in notices}
    assert len(titles) == len(UNITS_BRANCHES)
    assert all(not p.name.startswith(".") and len(p.name.encode("utf-8")) < 255 for p in notices)


def test_file_stem_is_the_name_itself_when_safe_and_unique_otherwise() -> None:
    assert file_stem("质检中心-第一党支部-公示", ("质检中心", "第一党支部")) == "质检中心-第一党支部-公示"
    assert file_stem("更正-member-weighted-2025-2026") == "更正-member-weighted-2025-2026"
    made = [file_stem("A-B-C-公示", ("A", "B-C")), file_stem("A-B-C-公示", ("A-B", "C")), file_stem("a/b"),
            file_stem("a_b"), file_stem("a b"), file_stem(".x"), file_stem("x"), file_stem("nul.txt"),
            file_stem("x\x00y"), file_stem("x\u200by"), file_stem("xy")]
    assert len(set(made)) == len(made)
    assert len({s.casefold() for s in made}) == len(made)
    long = file_stem("很" * 300)
    assert len(long) <= STEM_CHARS and len(long.encode("utf-8")) <= STEM_BYTES and "~" in long
