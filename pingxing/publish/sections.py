"""The lists of the 通报 and of the internal document, in real columns and grouped by list, and
what a 更正 notice says changed.

A section is one list — 五星级党支部, 通报表彰, 诫勉谈话, 警告, 问责 … — with its heading and count
(``一、诫勉谈话（2个）``), its columns (``序号``, ``单位`` — 直属 for a branch that is its own unit —,
``支部`` / ``姓名``, ``星级`` or ``等次``, ``上年星级``, ``说明``, ``处理`` — a column nobody on the list
has anything in is left out) and its rows, each with its ``cells`` in the order of the columns (and
the fields of a notice row besides).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pingxing.scheme.model import STAR_WORDS

__all__ = ["ACTION_ORDER", "NUMERALS", "change_lines", "in_action_order", "numeral", "section", "sections_by", "unit_section"]

#: the lists in the order a document gives them (CONTRACT ``actions``)
ACTION_ORDER = ("通报表彰", "诫勉谈话", "警告", "问责", "不得评为优秀", "推倒重来", "摘星", "撤旗")
NUMERALS = "一二三四五六七八九十"


def in_action_order(names: Iterable[str]) -> list[str]:
    """Lists' names in the order a document gives them (:data:`ACTION_ORDER`; any other after, by name)."""
    return sorted(names, key=lambda a: (ACTION_ORDER.index(a) if a in ACTION_ORDER else len(ACTION_ORDER), a))


def _counter(level: str) -> str:
    return "名" if level == "member" else "个"


def numeral(k: int) -> str:
    """The k-th (0-based) section's number: 一, 二, … 十, then digits."""
    return NUMERALS[k] if k < len(NUMERALS) else str(k + 1)


def _heading(k: int, title: str, count: int, level: str) -> str:
    return f"{numeral(k)}、{title}（{count}{_counter(level)}）"


def _rating(row: dict[str, Any]) -> str:
    if row.get("star_word"):
        return str(row["star_word"])
    return str(row.get("grade", ""))


def _unit(row: dict[str, Any]) -> str:
    """A branch's 单位 cell: its unit; 直属 for a branch that is its own unit (the roster names a branch
    directly under the committee as its own unit), not its name twice."""
    unit = str(row.get("unit", ""))
    return "直属" if unit and unit == row.get("name") else unit


def section(k: int, title: str, rows: Sequence[dict[str, Any]], level: str, actions: Sequence[str] | None = None,
            omit_action: str = "") -> dict[str, Any]:
    """One list: ``rows`` (notice rows, :func:`.contexts.row`, with ``prev_stars`` and ``actions``)
    under the heading ``一、<title>（n个）``. ``actions``: the lists its 处理 column may name (None:
    every list; a public 通报 names only its own); ``omit_action``: the list's own name, not repeated."""
    has_stars = any(r.get("stars") is not None for r in rows)
    unit = _unit if level != "member" else lambda r: r.get("unit", "")
    columns: list[tuple[str, Any]] = [("序号", None), ("单位", unit)]
    if level == "member":
        columns += [("支部", lambda r: r.get("branch", "")), ("姓名", lambda r: r.get("name", ""))]
    else:
        columns += [("支部", lambda r: r.get("name", ""))]
    columns += [("星级" if has_stars else "等次", _rating),
                ("命名星", lambda r: r.get("star_names", "")),
                ("等次", lambda r: r.get("grade", "") if has_stars else ""),
                ("上年星级", lambda r: STAR_WORDS[r["prev_stars"]] if r.get("prev_stars") is not None else ""),
                ("说明", lambda r: r.get("explain", "")),  # 民主评议: a decision against the votes and why
                ("处理", lambda r: "、".join(a for a in (r.get("actions") or ()) if a != omit_action
                                           and (actions is None or a in actions)))]
    kept = [(name, get) for name, get in columns if get is None or any(get(r) for r in rows)]
    out_rows = []
    for i, r in enumerate(rows, 1):
        cells = [str(i) if get is None else str(get(r)) for _, get in kept]
        out_rows.append({**r, "seq": i, "cells": cells})
    return {"heading": _heading(k, title, len(rows), level), "title": title, "count": len(rows),
            "counter": _counter(level), "columns": [name for name, _ in kept], "rows": out_rows}


def unit_section(k: int, marked: Sequence[tuple[str, Sequence[str]]]) -> dict[str, Any]:
    """The units a rule marked (不得评为优秀 …), as a section like the lists': 序号, 单位, 情况."""
    return {"heading": _heading(k, "单位", len(marked), "branch"), "title": "单位", "count": len(marked),
            "counter": _counter("branch"), "columns": ["序号", "单位", "情况"],
            "rows": [{"seq": i, "name": u, "unit": u, "cells": [str(i), u, "；".join(m)]}
                     for i, (u, m) in enumerate(marked, 1)]}


def sections_by(groups: Iterable[tuple[str, Sequence[dict[str, Any]]]], level: str,
                actions: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """A section per (title, rows) that has rows, numbered 一、二、…; ``actions``: the lists the
    处理 column may name (None: every list)."""
    out: list[dict[str, Any]] = []
    for title, rows in groups:
        if rows:
            out.append(section(len(out), title, rows, level, actions, omit_action=title))
    return out


def _said(row: dict[str, Any]) -> str:
    text = _rating(row) or "未评定"
    if row.get("star_names"):
        text += f"（{row['star_names']}）"
    if row.get("grade") and row.get("star_word"):
        text += f"，{row['grade']}"
    return text


def change_lines(before: Sequence[dict[str, Any]], after: Sequence[dict[str, Any]], level: str) -> list[str]:
    """What a 更正 changes, one line each: ``1. 张三：原为四星，更正为五星。``; people (or branches)
    added to or taken off the list say so. Rows are matched by ``id`` (else by name)."""
    def key(r: dict[str, Any]) -> str:
        return str(r.get("id") or (r.get("unit", ""), r.get("branch", ""), r.get("name", "")))

    old = {key(r): r for r in before}
    new = {key(r): r for r in after}
    lines: list[str] = []
    for k, r in new.items():
        was = old.get(k)
        if was is None:
            lines.append(f"{r['name']}：增列，{_said(r)}。")
        elif _said(was) != _said(r) or was.get("note") != r.get("note"):
            note = f"（{r['note']}）" if r.get("note") and r.get("note") != was.get("note") else ""
            lines.append(f"{r['name']}：原为{_said(was)}，更正为{_said(r)}{note}。")
    who = "人员" if level == "member" else "支部"
    lines += [f"{r['name']}：不再列入名单（该{who}已不参加本期评定）。" for k, r in old.items() if k not in new]
    return [f"{i}. {line}" for i, line in enumerate(lines, 1)]
