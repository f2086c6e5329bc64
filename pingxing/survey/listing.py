"""``survey questions``: the questions to create on the platform for one sheet, written as text for
its text import (:func:`~pingxing.survey.questions.question_text`) and recorded in the campaign record.

Who is asked about comes from the roster given (``--roster``), in its order: everyone in it must be in
the record, under the same name and in the same branch, on a workbook that holds the sheet — the record
says who is rated, and the survey stands in for those workbooks' copies of the sheet. So a survey covers
whole workbooks: the roster of one branch (a survey per branch) or everyone (one survey for all). A
roster that disagrees with the record stops with what to do (issue the forms again first).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pingxing import periods
from pingxing.cells import file_stem
from pingxing.errors import UserError
from pingxing.issue.workbooks import targets
from pingxing.record import roster as rosters
from pingxing.record.campaign import Person, Workbook
from pingxing.record.surveys import Asked, record_questions
from pingxing.survey.questions import question_text
from pingxing.survey.sheet import SurveyedSheet, surveyed_sheet
from pingxing.survey.tallies import offered

#: at most this many mistakes of a roster are listed (then "…and N more")
_SHOWN = 10


@dataclass(frozen=True)
class Questions:
    """What ``survey questions`` did: the text file written, the survey's id, its questions."""

    path: Path
    survey: str
    sheet: str
    questions: tuple[Asked, ...]
    multi: bool

    @property
    def options(self) -> list[str]:
        return [o.label for o in self.questions[0].options]


def write_questions(scheme: str, period: str, sheet: str, roster: Path, output: Path, record: Path) -> Questions:
    """Write ``问卷题目-<scheme>-<period>-<sheet>.txt`` into ``output`` and record the questions."""
    at = surveyed_sheet(scheme, period, sheet, record)
    wanted = _roster_entities(at, roster)
    asked = _asked(at, wanted, roster)
    options, multi = offered(at.settings)
    questions = [Asked(i, eid, person.name, tuple(options), multi, w.form_id)
                 for i, (eid, (w, person)) in enumerate(asked.items(), 1)]
    title = f"{_who([w for w, _ in asked.values()])}{periods.in_words(at.period)}{at.component.title or at.sheet}"
    text = question_text(title, [(q.entity_id, q.name) for q in questions], [o.label for o in options], multi)
    output.mkdir(parents=True, exist_ok=True)
    path = output / (file_stem(f"问卷题目-{at.scheme.name}-{at.period}-{at.sheet}") + ".txt")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        tmp.write_bytes(text.replace("\n", "\r\n").encode("utf-8-sig"))  # Notepad on any Windows reads it
        survey = record_questions(record, at.scheme.name, at.period, at.sheet, questions)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return Questions(path, survey, at.sheet, tuple(questions), multi)


def _roster_entities(at: SurveyedSheet, roster: Path) -> list[tuple[str, str, str, str]]:
    """(编号, name, unit, branch) of whom the roster lists — people (member schemes) or branches — in order."""
    members = rosters.read(roster)
    if at.scheme.level == "member":
        return [(m.id, m.name, m.unit, m.branch) for m in members]
    out = []
    for t in targets(at.scheme, rosters.branches(members), "branch"):
        eid, name, _ = t.entities[0]
        out.append((eid, name, t.unit, ""))
    return out


def _asked(at: SurveyedSheet, wanted: list[tuple[str, str, str, str]],
           roster: Path) -> dict[str, tuple[Workbook, Person]]:
    """The roster's entities on the record's workbooks holding the sheet (every mistake at once)."""
    on: dict[str, tuple[Workbook, Person]] = {}
    for w in at.books():
        for p in w.people:
            on.setdefault(p.id, (w, p))
    again = "名册改过的，请先运行 forms 重新下发（或 register 重新登记），再生成问卷题目"
    mistakes: list[str] = []
    asked: dict[str, tuple[Workbook, Person]] = {}
    named = {eid for eid, *_ in wanted}
    touched = {id(on[eid][0]): on[eid][0] for eid in named if eid in on}
    for eid, name, unit, branch in wanted:
        found = on.get(eid)
        if found is None:
            mistakes.append(f"{roster}: “{eid} {name}”不在{at.scheme.name} {at.period}的下发记录中（“{at.sheet}”表）；{again}")
        elif found[1].name != name:
            mistakes.append(f"{roster}: 编号“{eid}”在名册中是“{name}”，在下发记录中是“{found[1].name}”；{again}")
        elif (found[0].unit, found[0].branch if at.scheme.level == "member" else "") != (unit, branch):
            mistakes.append(f"{roster}: “{eid} {name}”在名册中属于{unit}{branch}，在下发记录中属于{found[0].where}；{again}")
        else:
            asked.setdefault(eid, found)
    for w in touched.values():
        left = [p for p in w.people if p.id not in named]
        if left:
            names = "、".join(f"{p.id} {p.name}" for p in left[:_SHOWN]) + ("等" if len(left) > _SHOWN else "")
            mistakes.append(f"{roster}: 名册中缺少{w.where}的 {names}：问卷代替的是整份表格（{w.file}）中的“{at.sheet}”表，"
                            f"须包括表中的全部{'人员' if at.scheme.level == 'member' else '支部'}；请用完整的名册")
    if mistakes:
        more = [f"……另有 {len(mistakes) - _SHOWN} 处不一致"] if len(mistakes) > _SHOWN else []
        raise UserError("\n".join(mistakes[:_SHOWN] + more))
    if not asked:
        raise UserError(f"{roster}: 名册中没有人，无法生成问卷题目")
    return asked


def _who(books: list[Workbook]) -> str:
    """The unit (and branch) the survey is about, when it is about one; else nothing."""
    places = {(w.unit, w.branch) for w in books}
    if len(places) == 1:
        unit, branch = places.pop()
        return unit + branch
    units = {unit for unit, _ in places}
    return units.pop() if len(units) == 1 else ""
