"""What a survey asks of one component sheet, and how its answers become that sheet's figures.

The options of a question, by the component's kind (CONTRACT.md ``describe``):

* ``tally`` — 满意 / 基本满意 / 不满意 / 不了解: each answer adds one to its column; 废票 stays 0 (a
  platform has no spoiled ballots); 发放 (when the sheet has it) is the number of answers.
* ``ballots`` — scores (``survey.scores``, else max, 0.9 × max … 0), written ``90分``: each answer
  is one ballot, 票1, 票2 … in the order the answer sheets were submitted.
* ``votes`` — the named stars as a multi-select, and :data:`NO_STAR` (a rater who gives this
  person no star): each ticked star is a vote; 有效票 is the number of answers.
* ``grade_votes`` — the grades and 弃权 (``abstain_header``): one vote per answer; 发放 (when the
  sheet has it) is the number of answers.

A skipped or unanswered question is no ballot: it is never passed here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from pingxing.cells import fmt_decimal
from pingxing.errors import UserError
from pingxing.record.surveys import Offered
from pingxing.scheme.components import (
    SURVEY_KINDS,
    TALLY_HEADERS,
    BallotsComponent,
    GradeVotesComponent,
    TallyComponent,
    VotesComponent,
)
from pingxing.survey.questions import option_labels

#: the last option of a named-star question: a valid answer that gives this person no star
NO_STAR = "都不推荐"
#: the tally categories a respondent chooses from (废票 is not an answer)
TALLY_OPTIONS = TALLY_HEADERS[:4]


def surveyable(component: Any, where: str) -> None:
    """Raise the one-line error for a sheet a survey cannot fill. ``where``: the scheme's name."""
    if component.kind not in SURVEY_KINDS:
        raise UserError(f"{where}: “{component.sheet}”表（kind: {component.kind}）不能用问卷收集；"
                        f"问卷只能用于 {'、'.join(SURVEY_KINDS)} 类的工作表，这张表请按下发的表格填写")


def offered(component: Any) -> tuple[list[Offered], bool]:
    """The options of every question of ``component``'s survey, and whether each is a multi-select."""
    if isinstance(component, TallyComponent):
        values, multi = list(TALLY_OPTIONS), False
    elif isinstance(component, BallotsComponent):
        survey = component.survey
        scores = survey.scores if survey is not None and survey.scores else [
            component.max * k / 10 for k in range(10, -1, -1)]
        values, multi = [fmt_decimal(s) for s in scores], False
    elif isinstance(component, VotesComponent):
        values, multi = [*component.stars, NO_STAR], True
    elif isinstance(component, GradeVotesComponent):
        values, multi = [*component.grades, component.abstain_header], False
    else:
        raise ValueError(component.kind)
    try:
        labels = option_labels(values)
    except ValueError as e:  # two options that read the same on the platform (a star named 都不推荐 …)
        raise UserError(f"“{component.sheet}”表的问卷选项无法使用（{e}）；请在方案中改用不同的名称") from None
    if isinstance(component, VotesComponent):
        values[-1] = ""  # NO_STAR counts as no star
    return [Offered(label, value) for label, value in zip(labels, values, strict=True)], multi


def ballot_room(component: Any) -> int | None:
    """How many answers one entity's row can hold (``ballots``: the 票 columns), else None."""
    return component.ballots if isinstance(component, BallotsComponent) else None


def figures(component: Any, answers: Sequence[tuple[str, ...]]) -> dict[str, Decimal | int]:
    """One entity's cells (header → value) from its answers, each the values of the options chosen."""
    if isinstance(component, BallotsComponent):
        return {f"票{i}": Decimal(chosen[0]) for i, chosen in enumerate(answers, 1)}
    counted = Counter(value for chosen in answers for value in chosen if value)
    if isinstance(component, TallyComponent):
        cells: dict[str, Decimal | int] = {h: counted[h] for h in TALLY_HEADERS}
    elif isinstance(component, VotesComponent):
        cells = {**{star: counted[star] for star in component.stars}, component.valid_header: len(answers)}
    elif isinstance(component, GradeVotesComponent):
        cells = {g: counted[g] for g in (*component.grades, component.abstain_header)}
    else:
        raise ValueError(component.kind)
    if getattr(component, "issued", False):
        cells["发放"] = len(answers)
    return cells
