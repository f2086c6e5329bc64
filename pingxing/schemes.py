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
from typing import Any, Literal

import yaml
from pydantic import Field, PrivateAttr, ValidationError

from .components import (  # noqa: F401  (re-exported: the scheme model's vocabulary)
    KINDS,
    NUMERIC_KINDS,
    BallotsComponent,
    BonusComponent,
    ChecklistComponent,
    Column,
    Component,
    FlagsComponent,
    ItemsComponent,
    LedgerComponent,
    ScoreComponent,
    TallyComponent,
    VotesComponent,
    Model,
    number,
)
from .errors import SchemeError, UserError
from .rule_models import (  # noqa: F401
    RULE_KINDS,
    AllPassStarsRule,
    AwardRule,
    Band,
    BandsRule,
    Condition,
    DemoteRule,
    GradesRule,
    LedgerRule,
    QuotaRule,
    Rule,
    VetoRule,
    VoteStarsRule,
    WeightedTotal,
)

SCHEMES_DIR = Path(__file__).resolve().parent.parent / "schemes"
RESERVED_SHEETS = {"_meta", "_roster", "说明"}
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
    title: str
    intro: str
    contact: str
    issuer: str
    template: str = "notice"
    announcement: Announcement | None = None


class Target(Model):
    """A goal for the share of entities at a star level (e.g. 五星级党支部占比 ≥ 80 %)."""

    stars: int = Field(default=5, ge=1, le=5)
    share: Decimal = Field(gt=0, le=1)


class WorkbookSpec(Model):
    """One of several workbooks a scheme's forms are split into (by who fills them)."""

    name: str = Field(min_length=1)
    sheets: list[str] = Field(min_length=1)


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
    _source: str = PrivateAttr(default="")  # the file it was loaded from

    @property
    def source(self) -> str:
        return self._source

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
    def id_header(self) -> tuple[str, str]:
        """The first two header cells of every component sheet (CONTRACT)."""
        return ("编号", "姓名") if self.level == "member" else ("编号", "支部")

    def describe(self) -> dict[str, Any]:
        """The ``describe --json`` shape of CONTRACT.md."""
        return {"scheme": self.name, "level": self.level, "period": self.period,
                "components": [c.describe() for c in self.components]}

    def form_version(self) -> str:
        """A short fingerprint of the workbook layout; a form from another layout is refused."""
        blob = json.dumps(self.describe(), ensure_ascii=False, sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:12]


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


#: PyYAML's safe loader, in C (libyaml) where the wheel has it: ten times quicker, same documents
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(name_or_path: str) -> Scheme:
    path = resolve(name_or_path)
    label = _label(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
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
    scheme._source = str(path.resolve())
    return scheme


def file_sha256(scheme: Scheme) -> str:
    """sha256 of the file a scheme was loaded from (recorded in every manifest)."""
    return hashlib.sha256(Path(scheme.source).read_bytes()).hexdigest()


def _label(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(SCHEMES_DIR.parent))
    except ValueError:
        return str(path)


_KIND_TAGS = set(KINDS) | set(RULE_KINDS) | {"weighted"}


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
