"""A scheme said in words, for ``describe`` and ``schemes``: who is rated and how often, who fills
which sheet, how the total is weighted, the bands, vetoes, quotas and lists, the publicity days and
the 通报 — every word Chinese (the scheme's own sheet and column names as they are).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from pingxing import periods
from pingxing.cells import fmt_decimal
from pingxing.publish.titles import FORCED, grid_width
from pingxing.rounding import percent
from pingxing.scheme.components import (
    BallotsComponent,
    BonusComponent,
    ChecklistComponent,
    FlagsComponent,
    ItemsComponent,
    LedgerComponent,
    ScoreComponent,
    TallyComponent,
    VotesComponent,
)
from pingxing.scheme.model import STAR_WORDS

__all__ = ["describe_lines", "display_width", "schemes_table"]

LEVEL_WORDS = {"member": "党员", "branch": "党支部"}
_EVERY = {"month": "每月", "quarter": "每季度", "half": "每半年", "year": "每年"}


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: a Chinese character two (twice its width on the grid)."""
    return int(2 * grid_width(text))


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def schemes_table(schemes: Sequence[Any]) -> list[str]:
    """The available schemes as a table: 名称 (what to type after --scheme), 对象, 周期, 简介."""
    rows = [("名称", "对象", "周期", "简介")]
    rows += [(s.name, LEVEL_WORDS.get(s.level, s.level), periods.words_of(s.period_kinds), s.description)
             for s in schemes]
    widths = [max(display_width(r[k]) for r in rows) for k in range(3)]
    lines = ["  ".join([*(_pad(r[k], widths[k]) for k in range(3)), r[3]]).rstrip() for r in rows]
    lines.append(f"共 {len(schemes)} 个方案；python process.py describe --scheme 名称 查看方案的详细说明。")
    return lines


def _pct(share: Decimal | Fraction | float) -> str:
    return f"{percent(Fraction(str(share)), trim=True)}%"


def _component(c: Any) -> str:
    head = f"【{c.sheet}】{c.title or c.sheet}"
    if isinstance(c, ItemsComponent):
        items = c.columns()
        what = f"{len(c.areas)} 个方面 {len(items)} 项，逐项打分（每项 0–{fmt_decimal(items[0][1].max)} 分），满分 {fmt_decimal(c.max)} 分"
        if len({item.max for _, item in items}) > 1:
            what = f"{len(c.areas)} 个方面 {len(items)} 项，逐项打分，满分 {fmt_decimal(c.max)} 分"
    elif isinstance(c, ChecklistComponent):
        what = f"{len(c.columns())} 项标准，逐项填“是”或“否”"
    elif isinstance(c, BallotsComponent):
        how = "取平均分" if c.aggregate.method == "mean" else (
            f"去掉最高分和最低分各 {c.aggregate.trim} 个后取平均"
            + (f"（有 {c.aggregate.min_ballots} 票以上时）" if c.aggregate.min_ballots else ""))
        what = f"最多 {c.ballots} 票（票1…票{c.ballots}），每票 0–{fmt_decimal(c.max)} 分，留空为未评；{how}"
    elif isinstance(c, ScoreComponent):
        what = "、".join(f"{col.header} 0–{fmt_decimal(col.max)} 分" for col in c.columns) + (
            "；取平均" if len(c.columns) > 1 else "")
    elif isinstance(c, FlagsComponent):
        what = "、".join(f"{col.header}（{'/'.join(col.choices)}）" if col.choices else f"{col.header}（文字）"
                        for col in c.columns)
    elif isinstance(c, TallyComponent):
        valid = "不了解计入有效票" if c.unknown_valid else "不了解不计入有效票"
        what = f"满意、基本满意、不满意、不了解、废票的张数；满意率 =（满意 + 基本满意）÷ 有效票，废票不计，{valid}"
    elif isinstance(c, VotesComponent):
        what = f"每颗星（{'、'.join(c.stars)}）的得票数和{c.valid_header}"
    elif isinstance(c, BonusComponent):
        what = "、".join(f"{i.label or i.header}（{fmt_decimal(i.points)} 分）" for i in c.items) + f"；加分最多 {fmt_decimal(c.cap)} 分"
    elif isinstance(c, LedgerComponent):
        what = f"每次会议或活动一行（{'、'.join(c.types)}）"
    else:
        what = ""
    return f"{head}：{what}" + (f"。{c.instructions}" if c.instructions else "")


def _condition(c: Any) -> str:
    if c.label:
        return c.label
    if c.column:
        if c.min is not None:
            return f"{c.column} 不低于 {fmt_decimal(c.min)}"
        return f"{c.column} 为“{c.equals or '是'}”"
    if c.rate:
        return f"{c.rate} 满意率不低于 {_pct(c.min or 0)}"
    if c.score:
        return f"{c.score} 不低于 {fmt_decimal(c.min or 0)} 分"
    if c.total:
        return f"综合得分不低于 {fmt_decimal(c.min or 0)} 分"
    if c.ledger:
        return f"台账：{c.ledger}"
    return ""


def _when(w: Any) -> str:
    parts = []
    if w.stars is not None:
        parts.append(f"本期{STAR_WORDS[w.stars]}")
    if w.at_most is not None:
        parts.append(f"本期不高于{STAR_WORDS[w.at_most]}")
    if w.prev is not None:
        parts.append(f"上期{STAR_WORDS[w.prev]}")
    if w.prev_below is not None:
        parts.append(f"上期低于{STAR_WORDS[w.prev_below]}")
    if w.rise is not None:
        parts.append(f"比上期升 {w.rise} 星以上")
    return "且".join(parts)


def _rule(r: Any) -> list[str]:
    kind = r.kind
    if kind == "bands":
        out = []
        for b in sorted(r.bands, key=lambda b: -b.stars):
            if b.min is not None and b.max is not None:
                span = f"{fmt_decimal(b.min)} ≤ 得分 < {fmt_decimal(b.max)}"
            elif b.min is not None:
                span = f"得分 ≥ {fmt_decimal(b.min)}"
            else:
                span = f"得分 < {fmt_decimal(b.max)}" if b.max is not None else "其余"
            need = f"，且 {b.requires.column} 为“{b.requires.equals}”（否则降一档）" if b.requires else ""
            out.append(f"{STAR_WORDS[b.stars]}：{span}{need}")
        floor = f"；最低 {STAR_WORDS[r.floor]}" if r.floor else ""
        return ["分数段（按公布的得分，四舍五入后）：" + "；".join(out) + floor]
    if kind == "veto":
        why = "；".join(c.label or (f"{c.column} 填写了内容" if c.when == "filled" else f"{c.column} 为“{c.when}”")
                       for c in r.conditions)
        return [f"一票否决（取消评星资格）：{why}"]
    if kind == "demote":
        steps = "；".join(f"“{k}”{'摘星（无星）' if v == 'all' else f'降 {v} 星'}" for k, v in r.steps.items())
        return [f"降星：{r.column} {steps}"]
    if kind == "vote_stars":
        op = "超过" if r.strict else "达到"
        where = "各组都" if r.mode == "each" else "合计"
        veto = f"，且未被 {r.veto_column} 否决" if r.veto_column else ""
        return [f"命名星（{'、'.join(r.stars)}）：{'、'.join(r.groups)}{where}得票率{op} {_pct(r.share)} 即得该星{veto}；"
                f"星级为所得星的颗数"]
    if kind == "all_pass_stars":
        return [f"命名星：{s.name}——以下 {len(s.items)} 项全部达到才得星（" + "；".join(
            _condition(c) for c in s.items) + "）" for s in r.stars] + ["星级为所得星的颗数"]
    if kind == "quota":
        scope = "每个单位" if r.scope == "unit" else "全部"
        return [f"比例控制（宁缺勿滥）：{scope}{STAR_WORDS[r.stars]}最多 {_pct(r.share)}（向下取整，至少 {r.minimum} 个），"
                f"按得分排序，超出的降为{STAR_WORDS[r.stars - 1]}"]
    if kind == "award":
        eligible = "；".join(_condition(c) for c in r.eligible)
        return [f"{r.grade}：每期授予得分最高的一个" + (f"（须：{eligible}）" if eligible else "")
                + ("；并列时依次比较" + "、".join(t.label or t.rate or t.score or t.column or "" for t in r.tie_breakers)
                   if r.tie_breakers else "")]
    if kind == "ledger":
        return [f"台账（{r.sheet}）检查：" + "；".join(c.name for c in r.checks)]
    if kind == "grades":
        out = []
        for g in r.grades:
            needs = [_condition(c) for c in g.require]
            if g.all_items:
                needs.append("各项标准全部达到")
            if g.min_share is not None:
                needs.append(f"达到的标准不少于 {_pct(g.min_share)}")
            out.append(f"{g.grade}：{'，'.join(needs) or '其余'}")
        if r.otherwise:
            out.append(f"{r.otherwise}：其余")
        return ["等次：" + "；".join(out)]
    if kind == "lists":
        return [f"{lst.name}（{'公开' if lst.public else '内部'}）：" + "，或".join(_when(w) for w in lst.when)
                for lst in r.lists]
    if kind == "unit_limit":
        return [f"{r.action}：单位中 {r.share} 以上的支部不高于{STAR_WORDS[r.at_most_stars]}，"
                f"或直属支部不高于{STAR_WORDS[r.at_most_stars]}"]
    return []


def _fields(title: str) -> str:
    """A notice title's fields in words: 〔单位〕〔支部〕〔周期〕."""
    for field, word in (("{unit}", "〔单位〕"), ("{branch}", "〔支部〕"), ("{period_words}", "〔周期〕")):
        title = title.replace(field, word)
    return "".join(FORCED.split(title))  # (forced breaks — |, ｜, a new line — are no part of the words)


def describe_lines(s: Any) -> list[str]:
    """``describe``: the scheme in words."""
    lines = [f"{s.name}：{s.title}", f"  评谁：{LEVEL_WORDS.get(s.level, s.level)}；多久评一次：{periods.words_of(s.period_kinds)}",
             f"  简介：{s.description}", "", "组成（下发的表格中各一张工作表）："]
    lines += [f"  {_component(c)}" for c in s.components]
    lines += ["", "谁填哪份表格："]
    if s.workbooks:
        lines += [f"  《{book.name}》：{'、'.join(book.sheets)}" for book in s.workbooks]
    else:
        who = "每个支部一份" if s.level == "member" else "每个单位一份"
        lines.append(f"  {who}，含以上全部工作表")
    if s.total is not None:
        parts = " + ".join(f"{sheet} × {_pct(w)}" for sheet, w in s.total.weights.items())
        bonus = "".join(f" + {b}" + ("" if "加分" in b else "（加分）") for b in s.total.bonus)
        cap = f"，最高 {fmt_decimal(s.total.max)} 分" if s.total.max is not None else ""
        lines += ["", f"综合得分 = {parts}{bonus}{cap}（保留 {s.decimals} 位小数，四舍五入）"]
    lines += ["", "评定规则（依次）："]
    n = 0
    for r in s.rules:
        for text in _rule(r):
            n += 1
            lines.append(f"  {n}. {text}")
    if s.target is not None:
        lines += ["", f"目标：{STAR_WORDS[s.target.stars]}比例不低于 {_pct(s.target.share)}（占已评定星级的）"]
    notices = s.notices
    lines += ["", f"公示：{notices.publicity_days} 天；标题：{_fields(notices.title)}"]
    spec = notices.announcement
    if spec is not None:
        listed = [f"{STAR_WORDS[x]}" for x in spec.list_stars] + list(spec.list_grades) + list(spec.list_actions)
        when = f"（只在{periods.words_of(list(spec.periods))}评定时）" if spec.periods else ""
        lines.append(f"通报：{_fields(spec.title)}，列入{'、'.join(listed) or '—'}{when}")
    else:
        lines.append("通报：无")
    return lines
