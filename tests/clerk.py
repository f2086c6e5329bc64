"""Fill standard workbooks the way a branch clerk does: open in a spreadsheet, type, save.

Used by the tests and by ``scripts/make_sample.py``. Cells are found by the header labels
(like a person reading the sheet), values are typed with openpyxl into the real file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet


def header_row(ws: Worksheet) -> int:
    for row in ws.iter_rows(min_row=1, max_row=50):
        values = [c.value for c in row]
        if "编号" in values:
            return row[0].row
    raise LookupError(f"no header in {ws.title}")


def cell_of(ws: Worksheet, entity_id: str, header: str) -> Any:
    h = header_row(ws)
    cols = {c.value: c.column for c in ws[h] if c.value is not None}
    for r in range(h + 1, ws.max_row + 1):
        if str(ws.cell(r, cols["编号"]).value) == str(entity_id):
            return ws.cell(r, cols[header])
    raise LookupError(f"{entity_id} not in {ws.title}")


def fill(path: Path, values: dict[str, dict[str, dict[str, Any]]], out: Path | None = None) -> Path:
    """``values[sheet][entity_id][header] = value``; saves to ``out`` (default: in place)."""
    wb = load_workbook(path)
    for sheet, rows in values.items():
        ws = wb[sheet]
        for eid, cells in rows.items():
            for header, value in cells.items():
                cell_of(ws, eid, header).value = value
    target = out or path
    wb.save(target)
    return target


def member_weighted(items: list[float], peers: list[float | None], leader: float, staff: list[float | None],
                    outstanding: str = "否", veto: str | None = None) -> dict[str, dict[str, Any]]:
    """One member's entries for the member-weighted scheme, by sheet and header."""
    codes = [f"{a}.{i}" for a in range(1, 6) for i in range(1, 5)]
    return {
        "自评": dict(zip(codes, items, strict=False)),
        "互评": {f"票{i}": v for i, v in enumerate(peers, 1) if v is not None},
        "领导点评": {"得分": leader},
        "职工参评": {f"票{i}": v for i, v in enumerate(staff, 1) if v is not None},
        "支部评定": {"特别突出": outstanding, **({"否决事由": veto} if veto else {})},
    }


def by_sheet(per_member: dict[str, dict[str, dict[str, Any]]]) -> dict[str, dict[str, dict[str, Any]]]:
    """Turn ``{id: {sheet: {header: v}}}`` into ``{sheet: {id: {header: v}}}``."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for eid, sheets in per_member.items():
        for sheet, cells in sheets.items():
            out.setdefault(sheet, {})[eid] = cells
    return out


def ids_of(path: Path) -> list[tuple[str, str]]:
    """(编号, 姓名/支部) of everyone a form was issued for, from its hidden ``_roster`` sheet."""
    wb = load_workbook(path, read_only=True)
    ws = wb["_roster"]
    ws.reset_dimensions()
    out = [(str(r[0]), str(r[1])) for r in ws.iter_rows(min_row=2, values_only=True) if r and r[0]]
    wb.close()
    return out


def add_ledger(path: Path, sheet: str, rows: list[dict[str, Any]], out: Path | None = None) -> Path:
    """Type activity rows into a ledger sheet's blank lines: ``{"编号":…, "支部":…, "日期": date, …}``."""
    wb = load_workbook(path)
    ws = wb[sheet]
    h = header_row(ws)
    cols = {c.value: c.column for c in ws[h] if c.value is not None}
    for i, row in enumerate(rows, h + 1):
        for header, value in row.items():
            ws.cell(i, cols[header]).value = value
    target = out or path
    wb.save(target)
    return target


def issue(tmp_path: Path, scheme: str, roster_text: str, period: str) -> dict[str, Path]:
    """The clerk's ``forms`` run: the roster as a CSV, the blank workbooks by file stem."""
    from click.testing import CliRunner

    from process import cli

    roster = tmp_path / "名册.csv"
    roster.write_text(roster_text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["forms", "--scheme", scheme, "--roster", str(roster), "--period", period,
                                      "--output", str(tmp_path / "forms")])
    assert result.exit_code == 0, result.output
    return {p.stem: p for p in (tmp_path / "forms").glob("*.xlsx")}


def run(inbox: Path, out: Path, publicity_start: str, *extra: str) -> int:
    """The clerk's ``run``; its exit code."""
    from click.testing import CliRunner

    from process import cli

    result = CliRunner().invoke(cli, ["run", "--input", str(inbox), "--output", str(out),
                                      "--publicity-start", publicity_start, *extra])
    assert "Traceback" not in result.output, result.output
    return result.exit_code


def read_csv(path: Path) -> list[dict[str, str]]:
    """A UTF-8-with-BOM CSV the tool wrote, as dicts (the BOM is checked: Excel needs it)."""
    import csv
    import io

    text = path.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff"), f"{path.name}: no UTF-8 BOM"
    return list(csv.DictReader(io.StringIO(text[1:])))


def words(page: Path | str) -> str:
    """The visible text of an HTML page (a notice, the report): tags, style and title dropped,
    whitespace collapsed. ``page``: a path, or the HTML itself."""
    import re

    html = page.read_text(encoding="utf-8") if isinstance(page, Path) else page
    html = re.sub(r"(?s)<style>.*?</style>|<title>.*?</title>", "", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def list_rows(document: Any) -> list[list[str]]:
    """A Word 公示's list as rows of cells: its heading line and its lines of names (tab-aligned
    paragraphs in the 名单 styles, one or two names a line)."""
    rows = []
    for p in document.paragraphs:
        if p.style.name.startswith("名单"):
            rows.append(p.text.split("\t")[1:])
    return rows


def listed_names(page: Path | str) -> list[str]:
    """The names a notice's lists give (an HTML notice: its tables, by the 姓名 column, else the
    支部 or 党支部 column), in order."""
    import re

    html = page.read_text(encoding="utf-8") if isinstance(page, Path) else page
    names: list[str] = []
    for table in re.findall(r"(?s)<table.*?</table>", html):
        heads = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"(?s)<th[^>]*>(.*?)</th>", table)]
        column = next((heads.index(h) for h in ("姓名", "支部", "党支部") if h in heads), 1)
        for row in re.findall(r"(?s)<tr>(.*?)</tr>", table):
            cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"(?s)<td[^>]*>(.*?)</td>", row)]
            if len(cells) > column:
                names.append(cells[column])
    return names


def scheme_variant(tmp_path: Path, scheme: str, change: Any) -> Path:
    """A shipped scheme file with ``change(data)`` applied, written to ``tmp_path/bad.yaml``
    (the way someone edits a copy of a scheme)."""
    import copy

    import yaml

    from pingxing import scheme as schemes

    data = copy.deepcopy(yaml.safe_load((schemes.SCHEMES_DIR / f"{scheme}.yaml").read_text(encoding="utf-8")))
    change(data)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def results_by_id(path: Path) -> dict[str, dict[str, str]]:
    """``results.csv`` (the file, or the folder holding it) as rows by 编号."""
    return {r["id"]: r for r in read_csv(path / "results.csv" if path.is_dir() else path)}


def return_forms(forms: dict[str, Path], inbox: Path, by_role: dict[str, Any], skip: tuple[str, ...] = ()) -> None:
    """Every issued workbook comes back filled: ``by_role[suffix](ids)`` gives the values of the
    workbook whose name ends with that role (支部自评, 群众测评 …); ``""`` matches any other. The clerk's
    settings workbook (with a phone for objections) goes into the inbox too."""
    inbox.mkdir(exist_ok=True)
    for stem, path in forms.items():
        if stem in skip:
            continue
        role = next((r for r in by_role if r and stem.endswith(r)), "")
        fill(path, by_role[role]([i for i, _ in ids_of(path)]), inbox / path.name)
    if forms:
        settle(next(iter(forms.values())).parent, inbox)


def settle(forms: Path, inbox: Path, **items: str) -> Path | None:
    """The settings workbook ``forms`` wrote (设置-…xlsx), filled in as a clerk does — a phone for
    objections unless ``items`` say otherwise — into ``inbox``."""
    blank = next(forms.glob("更正表/设置-*.xlsx"), None)
    if blank is None:
        return None
    wb = load_workbook(blank)
    ws = wb["设置"]
    values = {"联系电话": "12380", **items}
    for row in ws.iter_rows(min_row=4):
        if row[0].value in values:
            row[1].value = values[row[0].value]
    inbox.mkdir(parents=True, exist_ok=True)
    wb.save(inbox / blank.name)
    return inbox / blank.name
