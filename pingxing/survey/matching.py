"""An export's questions matched to the questions ``survey questions`` recorded.

A question whose text names someone (``1001 张伟``: by 编号 first, then by exact name,
:class:`~pingxing.survey.questions.Stems`) is theirs; one whose text the export does not show
(a multi-select exported "按选项序号" as 0/1 columns) is matched by its number in the survey. The
stems say which recorded survey of the sheet the export is (there may be one per branch); without
stems it must be the only one.

Every question of the export must be someone's, once; every recorded question must be in the
export. Anything else stops (one line each, every mistake at once) with what to do.
"""

from __future__ import annotations

from pingxing.errors import UserError
from pingxing.record.surveys import Asked, QuestionList
from pingxing.survey.model import Export, Question
from pingxing.survey.questions import Stems


def matched(export: Export, lists: list[QuestionList], sheet: str) -> tuple[QuestionList, dict[str, Asked]]:
    """The recorded survey the export is, and each export question's recorded question (by key)."""
    path = export.path
    owner = {(q.entity_id, q.name): (q, found) for found in lists for q in found.questions}
    items = list(owner)
    stems = Stems(items)  # (indexed once for every question of the export)
    by_stem: dict[str, tuple[Asked, QuestionList]] = {}
    stemless: list[Question] = []
    mistakes: list[str] = []
    for q in export.questions:
        if not q.stem:
            stemless.append(q)
            continue
        who = stems.match(q.stem)
        several = [f"{i} {n}" for i, n in sorted(stems.each(q.stem), key=items.index)] if who is None else []
        if len(several) > 1:
            mistakes.append(f"{path}: {_named(q)}同时对得上{'、'.join(several)}，无法判断是谁；"
                            "请在问卷平台把题目改回 survey questions 生成的样子（编号 姓名）后重新下载")
        elif who is None:
            example = f"{items[0][0]} {items[0][1]}" if items else "编号 姓名"
            mistakes.append(f"{path}: {_named(q)}对不上“{sheet}”问卷题目清单中的任何人（题目应含编号和姓名，如“{example}”）；"
                            "如是另加的题目（如意见建议），请在导出文件中删去这一列后重新导入")
        else:
            by_stem[q.key] = owner[who]
    hit = {id(found): found for _, found in by_stem.values()}
    if len(hit) > 1:
        raise UserError(f"{path}: 导出文件中的题目分属“{sheet}”的 {len(hit)} 份问卷（各用 survey questions 生成），"
                        "请每份问卷分别下载答卷数据、分别导入")
    if hit:
        survey = next(iter(hit.values()))
    elif len(lists) == 1:
        survey = lists[0]
    else:
        raise UserError(f"{path}: “{sheet}”表有 {len(lists)} 份问卷，导出文件的题目中没有编号和姓名，无法判断是哪一份；"
                        "请在问卷平台按“选项文本”下载答卷数据后导入")
    found: dict[str, Asked] = {key: asked for key, (asked, _) in by_stem.items()}
    by_seq = {q.seq: q for q in survey.questions}
    for q in stemless:
        asked = by_seq.get(q.number)
        if asked is None:
            mistakes.append(f"{path}: 第 {q.number} 题对不上“{sheet}”问卷题目清单（清单共 {len(by_seq)} 题）；"
                            "如是另加的题目，请在导出文件中删去这一列后重新导入")
        else:
            found[q.key] = asked
    seen: dict[str, Question] = {}
    for q in export.questions:
        asked = found.get(q.key)
        if asked is None:
            continue
        if asked.entity_id in seen:
            mistakes.append(f"{path}: {_named(seen[asked.entity_id])}和{_named(q)}都是“{asked.entity_id} {asked.name}”的题目，"
                            "无法判断以哪题为准；请在导出文件中删去多余的一列后重新导入")
        seen.setdefault(asked.entity_id, q)
    for asked in survey.questions:
        if asked.entity_id not in seen:
            mistakes.append(f"{path}: 问卷题目清单的第 {asked.seq} 题（{asked.entity_id} {asked.name}）在导出文件中没有；"
                            "请在问卷平台下载包含全部题目的答卷数据后重新导入")
    if mistakes:
        raise UserError("\n".join(dict.fromkeys(mistakes)))
    return survey, found


def _named(q: Question) -> str:
    """How a message names an export question: ``第 5 题“意见建议”``."""
    return f"第 {q.number} 题“{q.stem}”" if q.stem else f"第 {q.number} 题"
