"""The sheet a survey is for: one component of a recorded campaign, and the workbooks that hold it.

``survey questions`` and ``survey import`` both start here. The campaign must be recorded (``forms``
or ``register``): the survey stands in for the issued workbooks' copies of the sheet, so it is
built from the scheme **as issued** (what ``run`` rates by). The survey's own settings (the scores
offered, ``min_seconds``) are read from the scheme file as it is now, when its sheet is still of the
same kind, so that changing them needs no new ``register``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pingxing import periods
from pingxing import scheme as schemes
from pingxing.errors import UserError
from pingxing.record.campaign import Campaign, Workbook, campaign
from pingxing.scheme.model import Scheme
from pingxing.survey.tallies import surveyable


@dataclass(frozen=True)
class SurveyedSheet:
    scheme: Scheme  # as issued
    period: str
    component: Any  # as issued
    settings: Any  # the same component in the scheme file now (its ``survey`` settings), else as issued
    recorded: Campaign
    record: Path

    @property
    def sheet(self) -> str:
        return str(self.component.sheet)

    def books(self) -> list[Workbook]:
        """The current workbooks that hold the sheet, in the order issued."""
        return [w for w in self.recorded.current if self.sheet in w.sheets]

    def current(self, form_id: str) -> Workbook | None:
        """The workbook issued as ``form_id``, or the one that replaced it since (None: gone)."""
        *_, last = (self.recorded.by_id(form_id), *self.recorded.successors(form_id))
        return last if last is not None and last.current else None


def surveyed_sheet(scheme: str, period: str, sheet: str, record: Path) -> SurveyedSheet:
    """The sheet ``sheet`` of the recorded campaign of ``scheme`` and ``period``; a one-line
    :class:`UserError` when the campaign is not recorded, the sheet does not exist or a survey cannot
    fill it."""
    now = schemes.load(scheme)
    p = periods.check(period, now.period_kinds)
    recorded = campaign(record, now.name, p)
    if recorded is None:
        raise UserError(f"{record}: 评星记录中没有“{now.name}”{periods.in_words(p)}的下发记录；"
                        "请先运行 forms 下发表格（表格以前已下发的，运行 register 登记），再做问卷")
    issued = schemes.parse(recorded.scheme_text, f"{record}（{now.name} {p} 下发时的方案）")
    found = next((c for c in issued.components if c.sheet == sheet.strip()), None)
    if found is None:
        raise UserError(f"{now.name}: 没有“{sheet}”表；本方案的工作表为 {'、'.join(c.sheet for c in issued.components)}，"
                        "请用 --sheet 给出其中一张")
    surveyable(found, now.name)
    same = next((c for c in now.components if c.sheet == found.sheet and c.kind == found.kind), found)
    return SurveyedSheet(issued, p, found, same, recorded, record)
