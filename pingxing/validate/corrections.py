"""Read the committee's corrections workbook (更正表) into :class:`Correction` records; each row
with a mistake is a problem at its cell (the others are applied by :mod:`pingxing.rate.corrections`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from openpyxl.utils import get_column_letter

from pingxing.cells import clean_text, normalize_header, normalize_id, normalize_text, parse_date, shown
from pingxing.intake.read import Form
from pingxing.issue.corrections import ACTIONS, SHEET
from pingxing.periods import date_words
from pingxing.problems import Problem


@dataclass(frozen=True)
class Correction:
    file: str
    cell: str  # A1 of the row's 操作 cell
    entity_id: str
    action: str
    value: str
    reason: str
    decided_on: date | None
    approved_by: str

    @property
    def approval(self) -> str:
        """When and by whom it was decided: ``2026年11月20日，党委批准`` (either, or "")."""
        return approval_words(self.decided_on, self.approved_by)

    @property
    def note(self) -> str:
        value = f" {self.value}" if self.value else ""
        return f"更正（{self.approval}）：{self.action}{value}，{self.reason}"


def approval_words(decided_on: date | None, approved_by: str) -> str:
    """``2026年11月20日，党委批准``: when and by whom a correction was decided (either, or "")."""
    when = date_words(decided_on) if decided_on else ""
    return "，".join(x for x in (when, f"{approved_by}批准" if approved_by else "") if x)


def read(form: Form, problems: list[Problem]) -> list[Correction]:
    rows = form.rows.get(SHEET)
    if rows is None:
        problems.append(form.problem("missing-sheet", "corrections", sheet=SHEET))
        return []
    at = next((i for i, row in enumerate(rows[:30]) if [normalize_header(c) for c in row[:3]] == ["编号", "名称", "操作"]),
              None)
    if at is None:
        problems.append(form.problem("missing-header", "corrections", sheet=SHEET))
        return []
    col = {normalize_header(c): j for j, c in enumerate(rows[at])}
    out = []
    for r in range(at + 1, len(rows)):
        row = rows[r]
        get = lambda h: row[col[h]] if h in col and col[h] < len(row) else ""  # noqa: E731
        if not any(normalize_text(v) for v in row):
            continue
        a1 = lambda h: f"{get_column_letter(col.get(h, 0) + 1)}{r + 1}"  # noqa: E731
        action, reason = normalize_text(get("操作")), clean_text(get("理由"))
        bad = None
        if not normalize_id(get("编号")):
            bad = ("编号", "no_id")
        elif action not in ACTIONS:
            bad = ("操作", "action")
        elif not reason:
            bad = ("理由", "no_reason")
        elif normalize_text(shown(get("日期"))) and parse_date(get("日期")) is None:  # a typo is no undated decision
            bad = ("日期", "bad_date")
        if bad:
            problems.append(form.problem("adjustment-invalid", bad[1], sheet=SHEET, cell=a1(bad[0]),
                                         value=shown(get(bad[0])), action=action, actions="/".join(ACTIONS),
                                         raw=shown(get(bad[0]))))
            continue
        out.append(Correction(form.file, a1("操作"), normalize_id(get("编号")), action, normalize_text(shown(get("值"))
                              if get("值") not in ("", None) else ""), reason, parse_date(get("日期")),
                              clean_text(get("批准人"))))
    return out
