"""A row of a ``grade_votes`` sheet (民主评议 tallies), once its cells are read: the counts of one
member may not exceed the ballots issued (发放), and some vote must be valid (弃权 is not)."""

from __future__ import annotations

from collections.abc import Callable

from pingxing.intake.read import Form
from pingxing.problems import Problem
from pingxing.scheme.components import GradeVotesComponent
from pingxing.validate.formdata import Row


def check(form: Form, component: GradeVotesComponent, row: Row, a1: Callable[[str], str], entity: str,
          problems: list[Problem]) -> None:
    """Mark ``row`` not ok (and say why at its cells) when its counts cannot be right; ``a1(header)``
    is the cell of a column in this row."""
    values = row.values
    grades, abstain = component.grades, component.abstain_header
    valid = sum(int(values[g]) for g in grades)
    if component.issued and valid + int(values[abstain]) > int(values["发放"]):
        problems.append(form.problem("votes-exceed-issued", sheet=component.sheet, cell=f"{a1(grades[0])}:{a1(abstain)}",
                                     entity=entity, counted=valid + int(values[abstain]), issued=int(values["发放"])))
        row.ok = False
    elif valid == 0:
        problems.append(form.problem("no-ballots", "grade_votes", sheet=component.sheet,
                                     cell=f"{a1(grades[0])}:{a1(grades[-1])}", entity=entity))
        row.ok = False
