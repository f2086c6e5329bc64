"""The rule kinds a scheme can list under ``rules`` (and the ``total``), as pydantic models.

Rules run in the order the scheme lists them. A :class:`Condition` is the shared way to
say "this item passes": a checklist or flag column, a numeric item with a minimum, a
satisfaction rate, a component score, the total, or a ledger rule.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from pingxing.scheme.components import Model


class Condition(Model):
    """Exactly one of ``column``, ``rate``, ``score``, ``total``, ``ledger``.

    - ``column: <sheet>.<header>`` — a checklist/flag column equals ``equals`` (default 是),
      or with ``min``, a numeric item is at least ``min``;
    - ``rate: <tally sheet>`` — satisfaction rate ≥ ``min`` (a fraction, 0.85 = 85 %);
    - ``score: <sheet>`` — the component's number ≥ ``min``; ``total: true`` — the total ≥ ``min``;
    - ``ledger: <rule name>`` — that activity-ledger rule is met.
    """

    label: str = ""
    column: str | None = None
    equals: str | None = None
    min: Decimal | None = None
    rate: str | None = None
    score: str | None = None
    total: bool = False
    ledger: str | None = None


class WeightedTotal(Model):
    """Total = Σ weight × component number (weights sum to exactly 1), plus ``bonus``
    components' capped points, the whole capped at ``max`` when given."""

    kind: Literal["weighted"]
    weights: dict[str, Decimal] = Field(min_length=1)
    bonus: list[str] = []
    max: Decimal | None = None


class Requirement(Model):
    """A condition on a flag column, written ``<sheet>.<header>``."""

    column: str
    equals: str


class Band(Model):
    """Half-open score band ``[min, max)``; the top band has no max."""

    stars: int = Field(ge=0, le=5)
    min: Decimal | None = None
    max: Decimal | None = None
    requires: Requirement | None = None


class BandsRule(Model):
    """Stars from the published total. A band whose ``requires`` fails gives the band below.
    ``floor``: stars never go below it (e.g. branch-bands has no 无星)."""

    kind: Literal["bands"]
    bands: list[Band] = Field(min_length=1)
    floor: int = Field(default=0, ge=0, le=5)


class VetoCondition(Model):
    """一票否决: the column ``<sheet>.<header>`` is ``filled`` or equals a choice."""

    column: str
    when: str = "filled"
    label: str = ""


class VetoRule(Model):
    kind: Literal["veto"]
    conditions: list[VetoCondition] = Field(min_length=1)


class DemoteRule(Model):
    """违规违纪 lowers or revokes stars: ``steps`` maps a choice of ``column`` to a number of
    stars to take away, or ``all`` (摘星: 无星)."""

    kind: Literal["demote"]
    column: str
    steps: dict[str, int | Literal["all"]]


class VoteStarsRule(Model):
    """Named stars by vote share: a star is earned when its votes ÷ valid ballots reaches
    ``share`` (strictly more when ``strict``) — in ``each`` group, or ``combined`` over the
    groups' summed votes — and the branch has not vetoed it (``veto_column`` names stars)."""

    kind: Literal["vote_stars"]
    stars: list[str] = Field(min_length=1)
    groups: list[str] = Field(min_length=1)
    share: Decimal = Field(default=Decimal("0.5"), gt=0, le=1)
    strict: bool = True
    mode: Literal["each", "combined"] = "each"
    veto_column: str | None = None


class NamedStar(Model):
    name: str
    items: list[Condition] = Field(min_length=1)


class AllPassStarsRule(Model):
    """Named stars each earned only when every one of its items passes (只要有一项达不到要求的
    即不得星); the failed items are listed in ``reason``."""

    kind: Literal["all_pass_stars"]
    stars: list[NamedStar] = Field(min_length=1)


class TieBreaker(Model):
    """What decides a tie: a satisfaction ``rate``, a component ``score``, or a numeric ``column``."""

    label: str = ""
    rate: str | None = None
    score: str | None = None
    column: str | None = None


class QuotaRule(Model):
    """比例控制 (宁缺勿滥): at most ``share`` of the entities in a ``scope`` may have ``stars``
    (rounded down, at least ``minimum``), filled by published score, then ``tie_breakers``;
    those still tied across the cut-off all drop to the band below."""

    kind: Literal["quota"]
    stars: int = Field(ge=1, le=5)
    scope: Literal["unit", "all"] = "unit"
    share: Decimal = Field(gt=0, le=1)
    minimum: int = Field(default=0, ge=0)
    tie_breakers: list[TieBreaker] = []


class AwardRule(Model):
    """A single award per period (先锋旗): the top eligible entity by published score,
    then ``tie_breakers``; an unresolved tie awards nobody and the committee decides."""

    kind: Literal["award"]
    grade: str
    eligible: list[Condition] = []
    tie_breakers: list[TieBreaker] = []


class LedgerCheck(Model):
    """One rule over a branch's activity ledger, e.g. monthly 主题党日 with attendance ≥ 80 %."""

    name: str
    type: str
    every: Literal["month", "quarter", "half", "year"] | None = None
    at_least: int = Field(default=1, ge=1)
    min_attendance: Decimal | None = Field(default=None, gt=0, le=1)
    max_rescheduled: int | None = Field(default=None, ge=0)
    speaker: str | None = None
    #: the check applies only to branches meeting this condition (e.g. 设支部委员会 = 是 for the
    #: monthly 支委会); otherwise it is not applicable and counts as met
    when: Condition | None = None


class LedgerRule(Model):
    """Checks the ``ledger`` sheet; each unmet check is a failed item named in ``reason``."""

    kind: Literal["ledger"]
    sheet: str
    checks: list[LedgerCheck] = Field(min_length=1)


class Grade(Model):
    """A grade earned when every ``require`` passes, and (``all_items``) every checklist item
    and ledger check passes, and (``min_share``) at least that share of them pass."""

    grade: str
    require: list[Condition] = []
    all_items: bool = False
    min_share: Decimal | None = Field(default=None, gt=0, le=1)


class GradesRule(Model):
    """Checklist grades (优秀/合格/未达标, 示范点): the first grade whose conditions hold."""

    kind: Literal["grades"]
    grades: list[Grade] = Field(min_length=1)
    otherwise: str = ""
    #: the checklist sheets whose items count for ``all_items``/``min_share`` (default: every
    #: checklist), e.g. the superior's 考评 but not the branch's own 自评
    sheets: list[str] = []


Action = Literal["通报表彰", "诫勉谈话", "警告", "问责", "不得评为优秀", "推倒重来", "摘星", "撤旗",
                 "需组织处置", "连续不合格", "不合格后基本合格"]


class ListWhen(Model):
    """One way onto a list; every given field must hold. ``prev``, ``prev_below`` and ``rise``
    compare with the previous period's stars, ``prev_grade`` with its grade (等次): an entity
    without history never meets them. ``grade``: this period's (decided) grade."""

    stars: int | None = Field(default=None, ge=0, le=5)
    at_most: int | None = Field(default=None, ge=0, le=5)
    prev: int | None = Field(default=None, ge=0, le=5)
    prev_below: int | None = Field(default=None, ge=1, le=5)
    rise: int | None = Field(default=None, ge=1, le=5)
    grade: str | None = Field(default=None, min_length=1)
    prev_grade: str | None = Field(default=None, min_length=1)


class ActionList(Model):
    """A consequence list (通报表彰, 诫勉谈话 …): an entity is on it when any ``when`` holds.
    Only ``public`` lists may appear in a public notice; the others go to the internal document."""

    name: Action
    public: bool = False
    when: list[ListWhen] = Field(min_length=1)


class ListsRule(Model):
    """Consequences across periods (动态管理), applied after stars are known."""

    kind: Literal["lists"]
    lists: list[ActionList] = Field(min_length=1)


class UnitLimitRule(Model):
    """A unit where at least ``share`` (e.g. ``2/3``) of its branches have ``at_most_stars`` or fewer
    is marked ``action``; so is a directly-affiliated (直属) branch with ``at_most_stars`` or fewer."""

    kind: Literal["unit_limit"]
    at_most_stars: int = Field(ge=0, le=5)
    share: str = Field(pattern=r"^\d+(\.\d+)?(/\d+)?$")
    action: Action = "不得评为优秀"


def _exact(value: Any) -> Any:
    """A share written as a decimal (0.5) is read from its text, never from the binary float; ``1/3`` as
    the fraction it is."""
    if isinstance(value, float):
        value = str(value)
    if isinstance(value, str):
        try:
            return Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            raise PydanticCustomError("fraction_parsing", "not a fraction") from None
    return value


#: a share or weight, exact: ``1/2``, ``1/3``, ``0.7`` (more than 0, at most 1)
Share = Annotated[Fraction, BeforeValidator(_exact), Field(gt=0, le=1)]


class VoteGroup(Model):
    """A ``grade_votes`` sheet whose vote shares count, with its weight (the weights sum to 1)."""

    sheet: str
    weight: Share = Fraction(1)


class GradeTest(Model):
    """Propose ``grade`` when the share of valid votes cast for ``votes`` (summed) is more than
    ``share`` (at least ``share`` when not ``strict``)."""

    grade: str
    votes: list[str] = Field(min_length=1)
    share: Share = Fraction(1, 2)
    strict: bool = True


class GradeCap(Model):
    """At most ⌊``share`` × N⌋ of a branch's members may be proposed or decided ``grade`` (N: those
    taking part, 不参评 not counted); candidates are ranked by their share; a tie across the line
    proposes none of the tied (宁缺勿滥)."""

    grade: str
    share: Share


class GradeDecision(Model):
    """The branch decides (不能简单以票取人): ``column`` holds the decided grade (blank: the proposal
    stands), ``reason`` why it differs from the proposal (required then)."""

    column: str
    reason: str


class ProposeGradeRule(Model):
    """民主评议: a grade proposed from the vote shares of ``groups`` (weighted), by the first of
    ``tests`` that holds, else ``otherwise``; the ``cap`` on one grade per branch; the branch's
    ``decision``. ``internal``: the grades the internal document lists."""

    kind: Literal["propose_grade"]
    groups: list[VoteGroup] = Field(min_length=1)
    tests: list[GradeTest] = Field(min_length=1)
    otherwise: str
    cap: GradeCap | None = None
    decision: GradeDecision | None = None
    internal: list[str] = []


class ExcludeRule(Model):
    """不参评: an entity whose ``column`` (``<sheet>.<header>``) equals ``equals`` is not rated
    (status ``excluded``: on no notice, in no share or cap); ``reason`` names the column saying why,
    which must then be filled. Listed first, before the rules that count entities."""

    kind: Literal["exclude"]
    column: str
    equals: str = "是"
    reason: str | None = None


Rule = Annotated[
    BandsRule | VetoRule | DemoteRule | VoteStarsRule | AllPassStarsRule | QuotaRule | AwardRule | LedgerRule | GradesRule | ListsRule | UnitLimitRule | ExcludeRule | ProposeGradeRule,
    Field(discriminator="kind"),
]
RULE_KINDS = ("bands", "veto", "demote", "vote_stars", "all_pass_stars", "quota", "award", "ledger", "grades",
              "lists", "unit_limit", "exclude", "propose_grade")
