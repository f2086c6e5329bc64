"""``survey import``: a survey platform's export turned into the standard workbook of its sheet, ready for
``run`` — the whole step, top to bottom (:func:`import_export`):

1. the sheet of the recorded campaign, and the survey's recorded questions (:mod:`.sheet`);
2. the export read (:func:`~pingxing.survey.export.read_export`) and its questions matched to the
   recorded ones (:mod:`.matching`); option numbers ("按选项序号") mapped to the recorded options;
3. answer sheets not counted: duplicates (:func:`~pingxing.survey.model.duplicates`) and, with the
   scheme's ``survey.min_seconds``, answers faster than that — each a problem with its row;
4. every counted answer checked against the options offered (an unknown option stops), skipped and
   unanswered ones dropped (no ballot), the rest counted per person (:mod:`.tallies`);
5. one workbook per issued workbook the survey stands in for, written all or none (:mod:`.filled`).

Nothing about a respondent but the row number of an answer sheet not counted reaches any output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from pingxing.errors import UserError
from pingxing.problems import Problem
from pingxing.record.campaign import Workbook
from pingxing.record.surveys import Asked, QuestionList, recorded_questions
from pingxing.survey import filled, provenance
from pingxing.survey.export import read_export
from pingxing.survey.matching import matched
from pingxing.survey.model import Export, Response, duplicates, too_fast
from pingxing.survey.provenance import Excluded
from pingxing.survey.sheet import SurveyedSheet, surveyed_sheet
from pingxing.survey.tallies import ballot_room, figures

#: at most this many wrong answers are listed (each distinct question and option once)
_SHOWN = 10


@dataclass(frozen=True)
class Imported:
    """What ``survey import`` did: the export read, the answer sheets counted and not, the files written."""

    export: Path
    sha256: str
    platform: str
    layout: str
    sheet: str
    responses: int
    counted: int
    excluded: tuple[Excluded, ...]
    written: tuple[Path, ...]
    problems: tuple[Problem, ...] = field(default=())

    @property
    def layout_words(self) -> str:
        """问卷星's name of the layout: 按选项文本 / 按选项序号."""
        return provenance.LAYOUT_WORDS[self.layout]

    @property
    def exit_code(self) -> int:
        """0 every answer sheet counted; 3 some were not (see :attr:`problems`)."""
        return 3 if self.problems else 0


def import_export(file: Path, scheme: str, period: str, sheet: str, output: Path, record: Path) -> Imported:
    """Read ``file`` (a 问卷星 or 腾讯问卷 export) and write the standard workbooks of ``sheet`` into ``output``."""
    at = surveyed_sheet(scheme, period, sheet, record)
    lists = recorded_questions(record, at.scheme.name, at.period, at.sheet)
    if not lists:
        raise UserError(f"{record}: 没有“{at.sheet}”表的问卷题目记录；请先运行 survey questions 生成题目，"
                        "用生成的题目创建问卷、回收答卷后再导入")
    export = read_export(file)
    survey, asked = matched(export, lists, at.sheet)
    export = export.with_options({key: [o.label for o in q.options] for key, q in asked.items()})
    excluded = _excluded(export, at)
    left_out = {x.row for x in excluded}
    counted = [r for r in export.responses if r.row not in left_out]
    cells = _cells(at, export, asked, counted)
    digest = export.sha256
    source = filled.Source(file.name, digest, export.platform_name, export.layout, len(export.responses),
                           len(counted), tuple(excluded), datetime.now().replace(microsecond=0).isoformat())
    books = [(output / filled.file_name(at.scheme, at.period, at.sheet, w),
              filled.filled(at.scheme, at.period, at.component, w, cells, source)) for w in _books(at, survey)]
    written = filled.write_all(books)
    problems = tuple(provenance.excluded_problem(x, file.name, file=file.name, cell=f"A{x.row}", sha256=digest)
                     for x in excluded)
    return Imported(file, digest, export.platform_name, export.layout, at.sheet, len(export.responses), len(counted),
                    tuple(excluded), tuple(written), problems)


def _excluded(export: Export, at: SurveyedSheet) -> list[Excluded]:
    """The answer sheets not counted, in row order: duplicates, then (of the rest) those too fast."""
    out = [Excluded(row, "duplicate", first) for row, first in duplicates(export)]
    survey = at.settings.survey
    if survey is not None and survey.min_seconds is not None:
        repeated = {x.row for x in out}  # a repeat that was also too fast is left out once, as a repeat
        out += [Excluded(row, "too-fast", min_seconds=survey.min_seconds)
                for row in too_fast(export, survey.min_seconds) if row not in repeated]
    return sorted(out, key=lambda x: (x.row, x.why))


def _cells(at: SurveyedSheet, export: Export, asked: dict[str, Asked],
           counted: list[Response]) -> dict[str, dict[str, Decimal | int]]:
    """Each person's cells (编号 → header → value) from the counted answer sheets; every answer that is
    not one of the options stops, every mistake at once."""
    path = export.path
    mistakes: dict[tuple[str, str], str] = {}
    chosen: dict[str, list[tuple[str, ...]]] = {q.entity_id: [] for q in asked.values()}
    for q in export.questions:
        recorded = asked[q.key]
        value_of = {o.label: o.value for o in recorded.options}
        labels = "、".join(value_of)
        who = f"第 {q.number} 题（{recorded.entity_id} {recorded.name}）"
        for r in counted:
            a = r.answers[q.key]
            if a.no_ballot:
                continue  # skipped or unanswered: no ballot, never 0
            if a.status == "invalid" or any(label not in value_of for label in a.labels):
                bad = a.shown if a.status == "invalid" else next(x for x in a.labels if x not in value_of)
                mistakes.setdefault((q.key, bad), f"{path}: 第 {r.row} 行{who}的答案“{bad}”不是问卷的选项（{labels}）；"
                                    "问卷的选项须与 survey questions 生成的题目一致，请在问卷平台核对这道题的选项，改回后重新下载答卷数据")
            elif len(a.options) > 1 and not recorded.multi:
                mistakes.setdefault((q.key, "┋"), f"{path}: 第 {r.row} 行{who}选了 {len(a.options)} 项，"
                                    "而这道题应为单选题；请在问卷平台把这道题改为单选题（已选多项的答卷须重新作答）")
            else:
                chosen[recorded.entity_id].append(tuple(value_of[label] for label in a.labels))
    if mistakes:
        lines = list(mistakes.values())
        more = [f"……另有 {len(lines) - _SHOWN} 处答案不是问卷的选项"] if len(lines) > _SHOWN else []
        raise UserError("\n".join(lines[:_SHOWN] + more))
    room = ballot_room(at.component)
    for eid, answers in chosen.items():
        if room is not None and len(answers) > room:
            full = next(q for q in asked.values() if q.entity_id == eid)
            raise UserError(f"{path}: “{at.sheet}”表每人最多 {room} 张票（票1—票{room}），而第 {full.seq} 题（{eid} {full.name}）"
                            f"有 {len(answers)} 份有效答卷，无法全部计入；请在问卷平台核对是否有多余的答卷，"
                            f"确需全部计入的，须把方案中“{at.sheet}”的 ballots 改为不少于 {len(answers)} 并重新下发表格")
    return {eid: figures(at.component, answers) for eid, answers in chosen.items()}


def _books(at: SurveyedSheet, survey: QuestionList) -> list[Workbook]:
    """The workbooks the survey stands in for, as the record has them now; a change of who is on
    them since the questions were made stops."""
    asked = {q.entity_id for q in survey.questions}
    out: list[Workbook] = []
    for form_id in survey.form_ids:
        w = at.current(form_id)
        people = {p.id for p in w.people} if w is not None else set()
        mine = {q.entity_id for q in survey.questions if q.form_id == form_id}
        if w is None or not mine <= people or not people <= asked:
            where = w.where if w is not None else form_id
            raise UserError(f"{at.record}: 生成问卷题目之后，{where}的“{at.sheet}”表重新下发过，名单有变化；"
                            "请按新名单重新运行 survey questions，在问卷平台核对题目后重新回收答卷")
        if w not in out:
            out.append(w)
    return out
