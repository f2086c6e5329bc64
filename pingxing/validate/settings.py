"""Read the settings workbook (设置-<scheme>-<period>.xlsx) a clerk filled in: every item checked at
its cell — an unknown 项目, a 公示天数 that is not a whole number, a 计法 other than 自然日/工作日, a
date that is not one — and the rest used (:class:`Settings`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from openpyxl.utils import get_column_letter

from pingxing.cells import clean_text, normalize_header, normalize_text, parse_date, parse_number, shown
from pingxing.intake.read import Form
from pingxing.issue.settings import ITEMS, SHEET
from pingxing.problems import Problem

DATE_ITEMS = ("公示开始日期", "成文日期")
DATE_LISTS = ("节假日", "调休上班日")


@dataclass(frozen=True)
class Settings:
    """What the clerk filled in (blank items left out): texts by 项目, and the ones that are numbers
    or dates already read."""

    texts: dict[str, str] = field(default_factory=dict)
    days: int | None = None
    working: bool | None = None  # 工作日
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()  # 调休上班日
    start: date | None = None  # 公示开始日期
    issued: date | None = None  # 成文日期
    file: str = ""


def read(form: Form, problems: list[Problem]) -> list[Settings]:
    rows = form.rows.get(SHEET)
    if rows is None:
        problems.append(form.problem("missing-sheet", "settings", sheet=SHEET))
        return []
    at = next((i for i, row in enumerate(rows[:30]) if [normalize_header(c) for c in row[:2]] == ["项目", "内容"]), None)
    if at is None:
        problems.append(form.problem("missing-header", "settings", sheet=SHEET))
        return []
    texts: dict[str, str] = {}
    got: dict[str, object] = {}
    for r in range(at + 1, len(rows)):
        row = rows[r]
        item = normalize_text(row[0] if row else "")
        raw = row[1] if len(row) > 1 else ""
        if not item:
            continue
        cell = f"{get_column_letter(2)}{r + 1}"
        if item not in ITEMS:
            problems.append(form.problem("setting-invalid", "unknown", sheet=SHEET, cell=f"A{r + 1}", value=item,
                                         item=item, items="、".join(ITEMS)))
            continue
        if raw in ("", None) or not normalize_text(shown(raw)):
            continue
        value = clean_text(shown(raw)) if not hasattr(raw, "year") else raw
        if item == "公示天数":
            n = parse_number(raw)
            if n.state != "ok" or n.value is None or n.value != n.value.to_integral_value() or not 1 <= n.value <= 60:
                problems.append(form.problem("setting-invalid", "days", sheet=SHEET, cell=cell, value=shown(raw),
                                             raw=shown(raw)))
                continue
            got["days"] = int(n.value)
        elif item == "公示天数计法":
            if normalize_text(raw) not in ("自然日", "工作日"):
                problems.append(form.problem("setting-invalid", "count", sheet=SHEET, cell=cell, value=shown(raw),
                                             raw=shown(raw)))
                continue
            got["working"] = normalize_text(raw) == "工作日"
        elif item in DATE_ITEMS:
            when = parse_date(raw)
            if when is None:
                problems.append(form.problem("setting-invalid", "date", sheet=SHEET, cell=cell, value=shown(raw),
                                             raw=shown(raw), item=item))
                continue
            got["start" if item == "公示开始日期" else "issued"] = when
        elif item in DATE_LISTS:
            days = _dates(raw)
            if days is None:
                problems.append(form.problem("setting-invalid", "dates", sheet=SHEET, cell=cell, value=shown(raw),
                                             raw=shown(raw), item=item))
                continue
            got["holidays" if item == "节假日" else "workdays"] = frozenset(days)
        texts[item] = value if isinstance(value, str) else shown(raw)
    return [Settings(texts, file=form.file, **got)]  # type: ignore[arg-type]


def _dates(raw: object) -> list[date] | None:
    """``2026-10-01,2026-10-02`` (or one date cell): every date, or None when one is not a date."""
    if hasattr(raw, "year"):
        one = parse_date(raw)
        return [one] if one else None
    out = []
    for part in re.split(r"[,，、;；\s]+", normalize_text(raw)):
        if not part:
            continue
        when = parse_date(part)
        if when is None:
            return None
        out.append(when)
    return out
