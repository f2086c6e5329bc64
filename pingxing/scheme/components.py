"""Components of a scheme: what each sheet of the standard workbook holds (CONTRACT ``kind``).

Every component says which columns a branch fills (:meth:`fill_columns`), as
:class:`Column` records that :mod:`pingxing.forms` turns into validated cells,
:mod:`pingxing.sheet_cells` parses, and ``describe`` prints. ``items``/``ballots``/``score``/
``tally``/``bonus`` also yield a number per entity for the weighted total.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

YES_NO = ("是", "否")
TALLY_HEADERS = ("满意", "基本满意", "不满意", "不了解", "废票")


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class Column:
    """One column to fill. ``type``: number (0..max), count (whole ≥ 0), choice, text, date."""

    header: str
    type: str = "number"
    max: Decimal | None = None
    choices: tuple[str, ...] = ()
    label: str = ""
    points: Decimal | None = None
    required: bool = True

    def describe(self) -> dict[str, Any]:
        d: dict[str, Any] = {"header": self.header}
        if self.label:
            d["label"] = self.label
        if self.max is not None:
            d["max"] = number(self.max)
        if self.choices:
            d["choices"] = list(self.choices)
        if self.points is not None:
            d["points"] = number(self.points)
        return d


def number(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


class Item(Model):
    """One criterion item (考核细则的一条): a label and its maximum points."""

    label: str
    max: Decimal = Field(gt=0)


class Area(Model):
    """A category of items (e.g. 带头学习提高); item codes are ``<area>.<item>``."""

    name: str
    items: list[Item] = Field(min_length=1)


class CheckItem(Model):
    """One checklist standard (是/否)."""

    label: str


class CheckArea(Model):
    name: str
    items: list[CheckItem] = Field(min_length=1)


class Aggregate(Model):
    """How ballots become one figure: ``mean``, or ``trimmed_mean`` (去掉最高分和最低分)."""

    method: Literal["mean", "trimmed_mean"] = "mean"
    min_ballots: int | None = Field(default=None, ge=3)
    trim: int = Field(default=1, ge=1)


#: the kinds an online survey (问卷星, 腾讯问卷) can fill: one question per member or branch
SURVEY_KINDS = ("tally", "ballots", "votes", "grade_votes")


class Survey(Model):
    """How a sheet is collected by an online survey (``survey questions`` / ``survey import``).

    ``min_seconds``: answer sheets submitted faster than this are not counted (a problem each, with
    its row); default no minimum. ``scores`` (``ballots`` only): the scores offered as options,
    each 0..max; default max, 0.9 × max … 0."""

    min_seconds: int | None = Field(default=None, ge=1, le=86400)
    scores: list[Decimal] | None = Field(default=None, min_length=2, max_length=101)


class _Component(Model):
    sheet: str = Field(min_length=1, max_length=31)
    title: str = ""
    instructions: str = ""
    survey: Survey | None = None

    def describe(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "kind": self.kind,  # type: ignore[attr-defined]
                "columns": [c.describe() for c in self.fill_columns()]}

    def fill_columns(self) -> list[Column]:
        raise NotImplementedError


class ItemsComponent(_Component):
    """自评 / 考评: one column per criterion item; component score = sum of the items."""

    kind: Literal["items"]
    areas: list[Area] = Field(min_length=1)

    def columns(self) -> list[tuple[str, Item]]:
        return [(f"{a}.{i}", item) for a, area in enumerate(self.areas, 1) for i, item in enumerate(area.items, 1)]

    def fill_columns(self) -> list[Column]:
        return [Column(code, max=item.max, label=item.label) for code, item in self.columns()]

    @property
    def max(self) -> Decimal:
        return sum((item.max for _, item in self.columns()), Decimal(0))


class ChecklistComponent(_Component):
    """自查 / 上级评定: one 是/否 column per standard, codes ``<area>.<item>``; blank is a problem."""

    kind: Literal["checklist"]
    areas: list[CheckArea] = Field(min_length=1)

    def columns(self) -> list[tuple[str, CheckItem]]:
        return [(f"{a}.{i}", item) for a, area in enumerate(self.areas, 1) for i, item in enumerate(area.items, 1)]

    def fill_columns(self) -> list[Column]:
        return [Column(code, "choice", choices=YES_NO, label=item.label) for code, item in self.columns()]


class BallotsComponent(_Component):
    """互评 / 职工参评: ballot columns 票1…票N; blank = that rater did not rate."""

    kind: Literal["ballots"]
    ballots: int = Field(ge=1, le=500)
    max: Decimal = Field(gt=0)
    aggregate: Aggregate = Aggregate()

    def headers(self) -> list[str]:
        return [f"票{i}" for i in range(1, self.ballots + 1)]

    def fill_columns(self) -> list[Column]:
        return [Column(h, max=self.max, required=False) for h in self.headers()]

    def describe(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "kind": self.kind, "ballots": self.ballots, "max": number(self.max)}


class ScoreColumn(Model):
    header: str = Field(min_length=1)
    max: Decimal = Field(gt=0)


class ScoreComponent(_Component):
    """领导点评: one or a few single-score columns; component score = their mean."""

    kind: Literal["score"]
    columns: list[ScoreColumn] = Field(min_length=1)

    def fill_columns(self) -> list[Column]:
        return [Column(c.header, max=c.max) for c in self.columns]

    @property
    def max(self) -> Decimal:
        return max(c.max for c in self.columns)


class FlagColumn(Model):
    header: str = Field(min_length=1)
    choices: list[str] | None = None
    default: str | None = None


class FlagsComponent(_Component):
    """支部评定 / 否决情形: choice columns (特别突出 是/否) or free text (否决事由); blank = default."""

    kind: Literal["flags"]
    columns: list[FlagColumn] = Field(min_length=1)

    def fill_columns(self) -> list[Column]:
        return [Column(c.header, "choice" if c.choices else "text", choices=tuple(c.choices or ()), required=False)
                for c in self.columns]


class TallyComponent(_Component):
    """群众测评: satisfaction counts per entity. Rate = (满意+基本满意) ÷ valid ballots.

    废票 never count as valid; 不了解 does when ``unknown_valid`` (default). With
    ``score_weights`` the component's number is the weighted satisfaction score
    (e.g. 满意 100 %, 基本满意 75 %, 不满意 55 %; 不了解 not scored), else rate × 100.
    ``issued`` adds a 发放 column: the counts must add up to it.
    """

    kind: Literal["tally"]
    issued: bool = False
    unknown_valid: bool = True
    score_weights: dict[Literal["满意", "基本满意", "不满意"], Decimal] | None = None

    def fill_columns(self) -> list[Column]:
        heads = (("发放",) if self.issued else ()) + TALLY_HEADERS
        return [Column(h, "count") for h in heads]

    @property
    def max(self) -> Decimal:
        return Decimal(100)


class VotesComponent(_Component):
    """互评 / 群众参评 for named stars: votes per star name and the number of valid ballots."""

    kind: Literal["votes"]
    stars: list[str] = Field(min_length=1)
    valid_header: str = "有效票"

    def fill_columns(self) -> list[Column]:
        return [Column(s, "count") for s in self.stars] + [Column(self.valid_header, "count")]


class Ballot(Model):
    """The printable 测评票 of a ``grade_votes`` sheet: one row per member, a box per grade to tick.
    The branch prints it for the meeting; it is never read back."""

    sheet: str = Field(default="测评票", min_length=1, max_length=31)
    title: str = ""
    instructions: str = ""


class GradeVotesComponent(_Component):
    """民主评议 tallies: per member the votes for each grade (优秀/合格/基本合格/不合格 …) and the
    abstentions (弃权). Valid votes = the sum over the grades (弃权 are not valid). ``issued`` adds a
    发放 column the counts may not exceed; ``ballot`` adds a printable 测评票 to the workbook."""

    kind: Literal["grade_votes"]
    grades: list[str] = Field(min_length=2)
    abstain_header: str = Field(default="弃权", min_length=1)
    issued: bool = False
    ballot: Ballot | None = None

    def fill_columns(self) -> list[Column]:
        heads = (["发放"] if self.issued else []) + [*self.grades, self.abstain_header]
        return [Column(h, "count") for h in heads]


class BonusItem(Model):
    header: str = Field(min_length=1)
    label: str = ""
    points: Decimal = Field(gt=0)


class BonusComponent(_Component):
    """加分: 是/否 per bonus item, each worth its points; the sum is capped at ``cap``. Blank = 否."""

    kind: Literal["bonus"]
    items: list[BonusItem] = Field(min_length=1)
    cap: Decimal = Field(gt=0)

    def fill_columns(self) -> list[Column]:
        return [Column(i.header, "choice", choices=YES_NO, label=i.label, points=i.points, required=False)
                for i in self.items]

    @property
    def max(self) -> Decimal:
        return self.cap


class LedgerComponent(_Component):
    """台账: one row per meeting or activity (not per entity), joined to the branch by 编号."""

    kind: Literal["ledger"]
    types: list[str] = Field(min_length=1)
    roles: list[str] = ["书记", "副书记", "委员", "党员", "其他"]
    rows: int = Field(default=120, ge=10, le=2000)

    def fill_columns(self) -> list[Column]:
        return [
            Column("日期", "date"),
            Column("类型", "choice", choices=tuple(self.types)),
            Column("应到人数", "count"),
            Column("实到人数", "count"),
            Column("改期", "choice", choices=YES_NO, required=False),
            Column("主讲人", "choice", choices=tuple(self.roles), required=False),
        ]


Component = Annotated[
    ItemsComponent | ChecklistComponent | BallotsComponent | ScoreComponent | FlagsComponent | TallyComponent | VotesComponent | GradeVotesComponent | BonusComponent | LedgerComponent,
    Field(discriminator="kind"),
]
#: kinds that give one number per entity, usable in ``total.weights``
NUMERIC_KINDS = ("items", "ballots", "score", "tally")
KINDS = ("items", "checklist", "ballots", "score", "flags", "tally", "votes", "grade_votes", "bonus", "ledger")
