"""Bring results kept before the tool existed into the history store (``history import``).

A workbook (or CSV) with one header row holding ``编号``, ``姓名`` or ``支部``, and ``星级`` — or,
for a scheme that gives grades (民主评议, 先锋旗), ``等次`` — (optional ``单位``, ``支部``, ``得分``,
and ``等次`` beside ``星级``). Stars may be written ``3``, ``三星``, ``三星级``, ``★★★`` or ``无星``.
Every row with a problem is reported at once, one line each.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pingxing import periods
from pingxing.cells import normalize_header, normalize_id, normalize_text, parse_number
from pingxing.errors import UserError
from pingxing.record import store as history
from pingxing.record.roster import read_rows
from pingxing.scheme.checks import grade_words
from pingxing.scheme.model import Scheme

_WORDS = {"无": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}


def parse_stars(raw: Any) -> int | None:
    text = normalize_text(raw).replace(" ", "")
    if not text:
        return None
    if set(text) <= {"★", "☆"}:
        return text.count("★")
    m = re.fullmatch(r"([无零一二两三四五])星(级)?(党支部|党员)?", text)
    if m:
        return _WORDS[m.group(1)]
    n = parse_number(raw)
    if n.state == "ok" and n.value is not None and n.value == n.value.to_integral_value() and 0 <= n.value <= 5:
        return int(n.value)
    return None


def import_file(path: Path, scheme: Scheme, period: str, store: Path) -> int:
    period = periods.check(period, scheme.period_kinds)
    if not path.is_file():
        raise UserError(f"{path}: 找不到文件，请检查路径")
    name_head = "姓名" if scheme.level == "member" else "支部"
    graded = any(r.kind in ("grades", "propose_grade") for r in scheme.rules)
    result_head = "等次" if graded else "星级"

    def is_header(row: list[Any]) -> bool:
        return {"编号", result_head} <= {normalize_header(c) for c in row}

    rows = read_rows(path, is_header)  # (the sheet with that header, not the roster's)
    at = next((i for i, row in enumerate(rows[:30]) if is_header(row)), None)
    if at is None:
        raise UserError(f"{path}: 没有找到表头行（应包含 编号、{name_head}、{result_head} 列），请在第一行写上表头")
    heads = [normalize_header(c) for c in rows[at]]
    col = {h: heads.index(h) for h in ("编号", "姓名", "支部", "单位", "星级", "等次", "得分") if h in heads}
    if name_head not in col:
        raise UserError(f"{path}: 第 {at + 1} 行表头缺少“{name_head}”列")
    get = lambda row, h: row[col[h]] if h in col and col[h] < len(row) else ""  # noqa: E731
    known = grade_words(scheme) if graded else None
    records, errors, seen = [], [], set()
    for r, row in enumerate(rows[at + 1:], start=at + 2):
        if not any(normalize_text(v) for v in row):
            continue
        eid = normalize_id(get(row, "编号"))
        stars = parse_stars(get(row, "星级"))
        grade = normalize_text(get(row, "等次"))
        if not eid:
            errors.append(f"{path}: 第 {r} 行没有编号，请补上")
            continue
        if eid in seen:
            errors.append(f"{path}: 第 {r} 行编号“{eid}”重复")
            continue
        seen.add(eid)
        if graded and not grade:
            errors.append(f"{path}: 第 {r} 行没有等次，请填写（如 优秀、合格）")
            continue
        if graded and known and grade not in known:  # (a typo would never match a list's rule later)
            errors.append(f"{path}: 第 {r} 行等次“{grade}”不是本方案的等次（{'、'.join(known)}），请改正")
            continue
        if stars is None and not (graded and not normalize_text(get(row, "星级"))):
            errors.append(f"{path}: 第 {r} 行星级“{normalize_text(get(row, '星级'))}”无法识别，请写 0–5 或 三星、★★★、无星")
            continue
        name = normalize_text(get(row, name_head))
        score = parse_number(get(row, "得分"))
        records.append(history.Record(
            scheme=scheme.name, period=period, entity_id=eid, name=name, unit=normalize_text(get(row, "单位")),
            branch=normalize_text(get(row, "支部")) if scheme.level == "member" else name,
            score=str(score.value) if score.state == "ok" else None, stars=stars, grade=grade, status="rated",
            source="import"))
    if errors:
        raise UserError("\n".join(errors))
    if not records:
        raise UserError(f"{path}: 表中没有数据行")
    history.replace_period(store, scheme.name, period, records)
    return len(records)
