"""The scheme model: what a scheme file (``schemes/*.yaml``) declares, as frozen pydantic models.

A scheme declares everything about a rating campaign: its components (one sheet each in the
standard workbook, :mod:`.components`), how the components combine into a total, the rules that
turn the total into stars (:mod:`.rules`), and the texts of the notices. The engine reads these
models; nothing about a particular scheme lives in Python.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, PrivateAttr

from pingxing.scheme.components import Component, Model
from pingxing.scheme.rules import Rule, WeightedTotal

#: the star levels in words, 0 (无星) to 5
STAR_WORDS = ["无星", "一星", "二星", "三星", "四星", "五星"]
#: the hidden sheet that says what a workbook is (scheme, period, form_id …)
META_SHEET = "_meta"
RESERVED_SHEETS = {META_SHEET, "_roster", "说明"}
PERIOD_KINDS = ("quarter", "half", "year", "biennium")
PeriodKind = Literal["quarter", "half", "year", "biennium"]


class Announcement(Model):
    """The 通报 after publicity: commendations only (five stars, named holders, awards)."""

    title: str
    intro: str
    issuer: str | None = None  # default: the 公示's issuer
    red_header: bool = False  # print the 版头: the issuing organ in red over a red rule
    organ: str | None = None  # 发文机关标志 in the 版头 (default: the issuer)
    doc_number: str = ""  # 发文字号, e.g. 机关工委发〔2026〕12号
    list_stars: list[int] = [5]  # star levels to list
    list_grades: list[str] = []  # grades to list (先锋旗, 示范点, 优秀 …)
    periods: list[PeriodKind] = []  # issued only for these period kinds (e.g. [year]: 年终表彰); default every
    list_actions: list[str] = []  # public lists whose entities are named (通报表彰)


class Notices(Model):
    """Texts of the 公示 (and 通报); ``{unit}``, ``{branch}``, ``{period_words}`` are filled in."""

    publicity_days: int = Field(ge=1, le=60)
    #: how the days are counted: 自然日 (calendar days, inclusive) or 工作日 (working days)
    day_count: Literal["自然日", "工作日"] = "自然日"
    title: str
    intro: str
    contact: str
    issuer: str
    template: str = "notice"
    announcement: Announcement | None = None
    # defaults of the settings workbook (设置-<scheme>-<period>.xlsx), which a clerk fills in instead
    addressee: str = ""  # 主送机关 of the 通报, e.g. 各党支部
    cc: str = ""  # 抄送机关
    printer: str = ""  # 印发机关
    contact_person: str = ""  # 联系人 for objections
    phone: str = ""  # 联系电话
    place: str = ""  # 受理地点
    hours: str = ""  # 受理时间
    list_grades: list[str] = []  # the 公示 lists only these grades (民主评议: 优秀); default everyone


class Target(Model):
    """A goal for the share of entities at a star level (e.g. 五星级党支部占比 ≥ 80 %)."""

    stars: int = Field(default=5, ge=1, le=5)
    share: Decimal = Field(gt=0, le=1)


class Anonymity(Model):
    """The anonymity guard: a part averaged from fewer than ``min_ballots`` ballots (票) would let
    a rater be traced — it is shown as 不足{k}票，不单独列示 everywhere outside ``results.csv``."""

    min_ballots: int = Field(default=3, ge=2, le=100)


class WorkbookSpec(Model):
    """One of several workbooks a scheme's forms are split into (by who fills them)."""

    name: str = Field(min_length=1)
    sheets: list[str] = Field(min_length=1)
    #: branch schemes: ``unit`` — one workbook per unit listing its branches (the default); ``branch`` —
    #: one per branch, listing only that branch (a branch fills its own 自评)
    per: Literal["unit", "branch"] = "unit"


class Scheme(Model):
    name: str
    title: str
    description: str
    level: Literal["member", "branch"]
    period: PeriodKind | list[PeriodKind]
    decimals: int = Field(default=2, ge=0, le=4)
    components: list[Component] = Field(min_length=1)
    total: WeightedTotal | None = None
    rules: list[Rule] = Field(min_length=1)
    notices: Notices
    workbooks: list[WorkbookSpec] | None = None
    target: Target | None = None
    anonymity: Anonymity = Anonymity()
    _source: str = PrivateAttr(default="")  # the file it was loaded from ("" for the scheme as issued)
    _text: str = PrivateAttr(default="")  # the text of that file (what the record keeps as issued)

    @property
    def source(self) -> str:
        return self._source

    @property
    def text(self) -> str:
        return self._text

    @property
    def period_kinds(self) -> list[str]:
        return list(self.period) if isinstance(self.period, list) else [self.period]

    # ------------------------------------------------------------ look-ups

    def component(self, sheet: str) -> Component:
        for c in self.components:
            if c.sheet == sheet:
                return c
        raise KeyError(sheet)

    def rule(self, kind: str) -> Any | None:
        return next((r for r in self.rules if r.kind == kind), None)

    @property
    def compares_periods(self) -> bool:
        """Whether a list of the scheme looks at the previous period (``prev``, ``prev_below``,
        ``rise``, ``prev_grade``): without it in the record, nobody gets onto that way of the list."""
        return any(w.prev is not None or w.prev_below is not None or w.rise is not None or w.prev_grade is not None
                   for r in self.rules if r.kind == "lists" for a in r.lists for w in a.when)

    @property
    def id_header(self) -> tuple[str, str]:
        """The first two header cells of every component sheet (CONTRACT)."""
        return ("编号", "姓名") if self.level == "member" else ("编号", "支部")

    def highest_total(self) -> Decimal | None:
        """The highest total the scheme can give: Σ weight × each component's maximum, plus the
        bonus components' caps, at most ``total.max``; None without a total."""
        if self.total is None:
            return None
        by_sheet: dict[str, Any] = {c.sheet: c for c in self.components}
        top = sum((by_sheet[s].max * w for s, w in self.total.weights.items()), Decimal(0))
        top += sum((by_sheet[s].cap for s in self.total.bonus), Decimal(0))
        return min(top, self.total.max) if self.total.max is not None else top

    def describe(self) -> dict[str, Any]:
        """The ``describe --json`` shape of CONTRACT.md."""
        return {"scheme": self.name, "level": self.level, "period": self.period,
                "components": [c.describe() for c in self.components]}

    def form_version(self) -> str:
        """A short fingerprint of the workbook layout — sheets, columns, their kinds, ranges and
        choices, not the wording of labels: a form of another layout is refused, a form issued
        before a change of wording is not."""
        layout = [{"sheet": c.sheet, "kind": c.kind,
                   "columns": [[col.header, col.type, str(col.max), list(col.choices), str(col.points)]
                               for col in c.fill_columns()]} for c in self.components]
        blob = json.dumps([self.level, layout], ensure_ascii=False, sort_keys=True).encode()
        return "v2-" + hashlib.sha256(blob).hexdigest()[:12]

    def form_versions(self) -> tuple[str, str]:
        """(this version's fingerprint, the fingerprint forms issued by earlier versions carry)."""
        blob = json.dumps(self.describe(), ensure_ascii=False, sort_keys=True).encode()
        return self.form_version(), hashlib.sha256(blob).hexdigest()[:12]
