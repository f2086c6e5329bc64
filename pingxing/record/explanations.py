"""Reading back one entity's 评定计算明细 from the record (``run`` keeps them with the period's results,
:func:`pingxing.record.store.replace_period`): its result, the facts of its rating and what the period's
notices say — or a one-line :class:`~pingxing.errors.InputError` saying what is missing and what to do."""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from pingxing import periods
from pingxing.errors import InputError
from pingxing.record.store import SELECT_RECORDS, Explained, Record, faults, open_store

_RESULT = SELECT_RECORDS + " WHERE scheme = ? AND period = ?"


@dataclass(frozen=True)
class Explanation:
    """One entity's 评定计算明细 as recorded: its result, its facts (JSON) and the period's (scheme as
    rated, notices)."""

    record: Record
    facts: str
    period: Explained


def explanation(path: Path, scheme: str, period: str, entity: str) -> Explanation:
    """The recorded 评定计算明细 of ``entity`` (编号, or a name that only one entity has)."""
    what = f"方案“{scheme}”{periods.in_words(period)}（{period}）"
    if not path.is_file():
        raise InputError(f"{path}: 找不到评星记录文件；请在运行 run 的文件夹中执行，或用 --history 指定评星记录文件")
    with closing(open_store(path)) as conn, faults(path):
        rows = conn.execute(_RESULT + " AND (entity_id = ? OR name = ?) ORDER BY entity_id", (scheme, period, entity, entity))
        found = [Record(*r) for r in rows]
        if not found and conn.execute("SELECT 1 FROM results WHERE scheme = ? AND period = ? LIMIT 1",
                                      (scheme, period)).fetchone() is None:
            raise InputError(f"{path}: 没有{what}的评定结果；请先运行 run，或核对 --scheme 和 --period")
        exact = [r for r in found if r.entity_id == entity]
        if not exact and len(found) > 1:
            ids = "、".join(f"{r.entity_id}（{r.unit}{r.branch}）" for r in found)
            raise InputError(f"{what}中有 {len(found)} 人名为“{entity}”：{ids}；请用 --entity 给出编号")
        if not exact and not found:
            raise InputError(f"编号“{entity}”不在{what}的评定结果中；请核对编号"
                             f"（python process.py history show --scheme {scheme} 可列出全部）")
        record = (exact or found)[0]
        body = conn.execute("SELECT body FROM explanations WHERE scheme = ? AND period = ? AND entity_id = ?",
                            (scheme, period, record.entity_id)).fetchone()
        shared = conn.execute("SELECT scheme_text, notices FROM explained_periods WHERE scheme = ? AND period = ?",
                              (scheme, period)).fetchone()
    if body is None or shared is None:
        how = "是导入的" if record.source == "import" else "由较早版本的工具评定"
        raise InputError(f"{path}: {what}的结果{how}，没有计算明细；请把收回的表格放回 input 后重新运行 run，再生成计算明细")
    return Explanation(record, body[0], Explained(*shared))
