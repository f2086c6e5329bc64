"""Scheme files (``schemes/*.yaml``): pydantic models, loading and strict validation.

A scheme declares everything about a rating campaign: its components (one sheet each in
the standard workbook), how the components combine into a total, the rules that turn the
total into stars, and the texts of the notices. The engine reads these models; nothing
about a particular scheme lives in Python.

Errors are reported as ``<file>: <key.path>: <message>`` (:class:`SchemeError`).
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import SchemeError, UserError

SCHEMES_DIR = Path(__file__).resolve().parent.parent / "schemes"
RESERVED_SHEETS = {"_meta", "_roster", "说明"}
PERIOD_KINDS = ("quarter", "half", "year", "biennium")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------- components


class Item(_Model):
    """One criterion item (考核细则的一条): a label and its maximum points."""

    label: str
    max: Decimal = Field(gt=0)


class Area(_Model):
    """A category of items (e.g. 带头学习提高); item codes are ``<area>.<item>``."""

    name: str
    items: list[Item] = Field(min_length=1)


class Aggregate(_Model):
    """How ballots become one figure: ``mean``, or ``trimmed_mean`` (去掉最高分和最低分)."""

    method: Literal["mean", "trimmed_mean"] = "mean"
    min_ballots: int | None = Field(default=None, ge=3)
    trim: int = Field(default=1, ge=1)


class _Component(_Model):
    sheet: str = Field(min_length=1, max_length=31)
    title: str = ""
    instructions: str = ""


class ItemsComponent(_Component):
    """自评 / 考评: one column per criterion item; component score = sum of the items."""

    kind: Literal["items"]
    areas: list[Area] = Field(min_length=1)

    def columns(self) -> list[tuple[str, Item]]:
        return [
            (f"{a}.{i}", item)
            for a, area in enumerate(self.areas, 1)
            for i, item in enumerate(area.items, 1)
        ]

    @property
    def max(self) -> Decimal:
        return sum((item.max for _, item in self.columns()), Decimal(0))


class BallotsComponent(_Component):
    """互评 / 职工参评: ballot columns 票1…票N; blank = that rater did not rate."""

    kind: Literal["ballots"]
    ballots: int = Field(ge=1, le=500)
    max: Decimal = Field(gt=0)
    aggregate: Aggregate = Aggregate()

    def headers(self) -> list[str]:
        return [f"票{i}" for i in range(1, self.ballots + 1)]


class ScoreColumn(_Model):
    header: str = Field(min_length=1)
    max: Decimal = Field(gt=0)


class ScoreComponent(_Component):
    """领导点评: one or a few single-score columns; component score = their mean."""

    kind: Literal["score"]
    columns: list[ScoreColumn] = Field(min_length=1)

    @property
    def max(self) -> Decimal:
        return max(c.max for c in self.columns)


class FlagColumn(_Model):
    header: str = Field(min_length=1)
    choices: list[str] | None = None
    default: str | None = None


class FlagsComponent(_Component):
    """支部评定: choice columns (特别突出 是/否) or free text (否决事由)."""

    kind: Literal["flags"]
    columns: list[FlagColumn] = Field(min_length=1)


Component = Annotated[
    Union[ItemsComponent, BallotsComponent, ScoreComponent, FlagsComponent],
    Field(discriminator="kind"),
]
NUMERIC_KINDS = ("items", "ballots", "score")


# ---------------------------------------------------------------- total and rules


class WeightedTotal(_Model):
    """Total = Σ weight × component score; weights sum to exactly 1."""

    kind: Literal["weighted"]
    weights: dict[str, Decimal] = Field(min_length=1)


class Requirement(_Model):
    """A condition on a flag column, written ``<sheet>.<header>``."""

    column: str
    equals: str


class Band(_Model):
    """Half-open score band ``[min, max)``; the top band has no max."""

    stars: int = Field(ge=0, le=5)
    min: Decimal | None = None
    max: Decimal | None = None
    requires: Requirement | None = None


class BandsRule(_Model):
    """Stars from the published total. A band whose ``requires`` fails gives the band below."""

    kind: Literal["bands"]
    bands: list[Band] = Field(min_length=1)


class VetoCondition(_Model):
    """一票否决: the column ``<sheet>.<header>`` is ``filled`` or equals a choice."""

    column: str
    when: str = "filled"
    label: str = ""


class VetoRule(_Model):
    kind: Literal["veto"]
    conditions: list[VetoCondition] = Field(min_length=1)


Rule = Annotated[Union[BandsRule, VetoRule], Field(discriminator="kind")]


class Notices(_Model):
    """Texts of the 公示; ``{unit}``, ``{branch}``, ``{period_words}`` are filled in."""

    publicity_days: int = Field(ge=1, le=60)
    title: str
    intro: str
    contact: str
    issuer: str
    template: str = "notice"


class Scheme(_Model):
    name: str
    title: str
    description: str
    level: Literal["member", "branch"]
    period: Literal["quarter", "half", "year", "biennium"]
    decimals: int = Field(default=2, ge=0, le=4)
    components: list[Component] = Field(min_length=1)
    total: WeightedTotal
    rules: list[Rule] = Field(min_length=1)
    notices: Notices

    # ------------------------------------------------------------ look-ups

    def component(self, sheet: str) -> Component:
        for c in self.components:
            if c.sheet == sheet:
                return c
        raise KeyError(sheet)

    def rule(self, kind: str) -> Any | None:
        return next((r for r in self.rules if r.kind == kind), None)

    @property
    def id_header(self) -> tuple[str, str]:
        """The first two header cells of every component sheet (CONTRACT)."""
        return ("编号", "姓名") if self.level == "member" else ("编号", "支部")

    def describe(self) -> dict[str, Any]:
        """The ``describe --json`` shape of CONTRACT.md."""
        out = []
        for c in self.components:
            d: dict[str, Any] = {"sheet": c.sheet, "kind": c.kind}
            if isinstance(c, ItemsComponent):
                d["columns"] = [
                    {"header": code, "label": item.label, "max": _num(item.max)}
                    for code, item in c.columns()
                ]
            elif isinstance(c, BallotsComponent):
                d["ballots"], d["max"] = c.ballots, _num(c.max)
            elif isinstance(c, ScoreComponent):
                d["columns"] = [{"header": s.header, "max": _num(s.max)} for s in c.columns]
            elif isinstance(c, FlagsComponent):
                d["columns"] = [
                    {"header": f.header, **({"choices": f.choices} if f.choices else {})}
                    for f in c.columns
                ]
            out.append(d)
        return {"scheme": self.name, "level": self.level, "period": self.period, "components": out}

    def form_version(self) -> str:
        """A short fingerprint of the workbook layout; a form from another layout is refused."""
        blob = json.dumps(self.describe(), ensure_ascii=False, sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:12]


def _num(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


# ---------------------------------------------------------------- loading


def available() -> list[Path]:
    return sorted(SCHEMES_DIR.glob("*.yaml"))


def resolve(name_or_path: str) -> Path:
    """A scheme is named by its file name in ``schemes/`` or given as a path."""
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") and p.is_file():
        return p
    candidate = SCHEMES_DIR / f"{name_or_path}.yaml"
    if candidate.is_file():
        return candidate
    names = "、".join(x.stem for x in available())
    raise UserError(f"未知的评星方案“{name_or_path}”：可用的方案有 {names}（或给出 .yaml 文件路径）")


def load(name_or_path: str) -> Scheme:
    path = resolve(name_or_path)
    label = _label(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark else ""
        raise SchemeError(label, "", f"YAML 格式错误{where}，请检查缩进和冒号") from None
    except UnicodeDecodeError:
        raise SchemeError(label, "", "文件不是 UTF-8 编码，请另存为 UTF-8") from None
    if not isinstance(data, dict):
        raise SchemeError(label, "", "方案文件应是键值对（mapping），请对照 schemes/ 中的示例")
    try:
        scheme = Scheme.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        raise SchemeError(label, _loc(err["loc"]), _message(err)) from None
    from .scheme_checks import check  # semantic checks with key paths

    check(scheme, label)
    return scheme


def file_sha256(name_or_path: str) -> str:
    return hashlib.sha256(resolve(name_or_path).read_bytes()).hexdigest()


def _label(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(SCHEMES_DIR.parent))
    except ValueError:
        return str(path)


_KIND_TAGS = {"items", "ballots", "score", "flags", "weighted", "bands", "veto"}


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    prev_int = False
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            prev_int = True
            continue
        if prev_int and part in _KIND_TAGS:  # discriminated-union tag pydantic inserts
            prev_int = False
            continue
        out += f".{part}" if out else str(part)
        prev_int = False
    return out


_MESSAGES = {
    "extra_forbidden": "未知的键，请检查拼写（方案文件不接受未定义的键）",
    "missing": "缺少必填项",
    "union_tag_invalid": "kind 取值无效",
    "union_tag_not_found": "缺少 kind",
    "literal_error": "取值无效",
    "greater_than": "必须大于 {gt}",
    "greater_than_equal": "必须大于或等于 {ge}",
    "less_than_equal": "必须小于或等于 {le}",
    "too_short": "不能为空",
    "decimal_parsing": "必须是数字",
    "int_parsing": "必须是整数",
    "int_from_float": "必须是整数",
    "string_type": "必须是文字",
    "list_type": "必须是列表",
    "dict_type": "必须是键值对（mapping）",
    "model_type": "必须是键值对（mapping）",
    "string_too_long": "太长（工作表名称最多 31 个字符）",
}


def _message(err: dict[str, Any]) -> str:
    template = _MESSAGES.get(err["type"])
    ctx = {k: v for k, v in (err.get("ctx") or {}).items()}
    if template is None:
        return str(err["msg"])
    if err["type"] == "literal_error" and "expected" in ctx:
        return f"取值无效，应为 {ctx['expected']}"
    if err["type"] in ("union_tag_invalid",) and "expected_tags" in ctx:
        return f"kind 取值无效，应为 {ctx['expected_tags']}"
    return template.format(**ctx)
