"""Load a scheme file (``schemes/*.yaml``) into the frozen :class:`~.model.Scheme`.

A scheme is named by its file name in ``schemes/`` or given as a path. The YAML is parsed with
the safe loader, the shape checked by pydantic (``extra="forbid"``), then what the pieces say
about each other by :mod:`.checks`. Every mistake of a file is reported at once, each as
``<file>: <key.path>: <message>`` (:class:`~pingxing.errors.SchemeError`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from pingxing.errors import SchemeError, UserError
from pingxing.places import schemes_dirs, shipped
from pingxing.scheme.checks import check
from pingxing.scheme.components import KINDS
from pingxing.scheme.model import Scheme
from pingxing.scheme.rules import RULE_KINDS
from pingxing.scheme.writable import plain_name

#: the shipped schemes (a clerk's own ``schemes/`` in the working folder comes first: see :mod:`pingxing.places`)
SCHEMES_DIR = shipped("schemes")


# ---------------------------------------------------------------- loading


def available() -> list[Path]:
    """Every scheme file by name; a clerk's own file of a name before the shipped one."""
    found: dict[str, Path] = {}
    for folder in schemes_dirs():
        for path in sorted(folder.glob("*.yaml")):
            found.setdefault(path.stem, path)
    return [found[name] for name in sorted(found)]


def resolve(name_or_path: str) -> Path:
    """A scheme is named by its file name in ``schemes/`` or given as a path."""
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") and p.is_file():
        return p
    for folder in schemes_dirs():
        candidate = folder / f"{name_or_path}.yaml"
        if candidate.is_file():
            return candidate
    names = "、".join(x.stem for x in available())
    raise UserError(f"未知的评星方案“{name_or_path}”：可用的方案有 {names}（或给出 .yaml 文件路径）")


#: PyYAML's safe loader, in C (libyaml) where the wheel has it: ten times quicker, same documents
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(name_or_path: str) -> Scheme:
    """A scheme by name (``schemes/<name>.yaml``, the clerk's own folder first) or by path."""
    path = resolve(name_or_path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SchemeError(_label(path), "", "文件不是 UTF-8 编码，请另存为 UTF-8") from None
    found_by_name = any(path.resolve().parent == d.resolve() for d in schemes_dirs())
    return parse(text, _label(path), str(path.resolve()), path.stem if found_by_name else None)


def load_named(name: str) -> Scheme:
    """A scheme by its name only — what a returned form's ``_meta`` says: never a path to a file."""
    if not plain_name(name):
        raise UserError(f"“{name}”不是方案名称（方案名称只含字母、汉字、数字、- 和 _，不能是文件路径）")
    return load(name)


def parse(text: str, label: str, source: str = "", looked_up_as: str | None = None) -> Scheme:
    """A scheme from the text of its file (a file, or the scheme as issued, kept in the record);
    ``label`` names it in messages; ``looked_up_as`` is the file's name when it lies where schemes
    are found by name (its ``name`` must then agree)."""
    try:
        data = yaml.load(text, Loader=_SAFE_LOADER)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark else ""
        raise SchemeError(label, "", f"YAML 格式错误{where}，请检查缩进和冒号") from None
    if not isinstance(data, dict):
        raise SchemeError(label, "", "方案文件应是键值对（mapping），请对照 schemes/ 中的示例")
    try:
        scheme = Scheme.model_validate(data)
    except ValidationError as e:  # every mistake of the file at once
        found = list(dict.fromkeys((_loc(err["loc"]), _message(err)) for err in e.errors()))
        raise SchemeError(label, *found[0], more=found[1:]) from None
    check(scheme, label, looked_up_as)
    scheme._source, scheme._text = source, text
    return scheme


def file_sha256(scheme: Scheme) -> str:
    """sha256 of the scheme's text (its file's, or the scheme as issued: recorded in every manifest)."""
    return hashlib.sha256(scheme.text.encode("utf-8")).hexdigest()


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
    "fraction_parsing": "必须是分数或小数，如 1/2、1/3、0.5",
    "int_parsing": "必须是整数",
    "int_from_float": "必须是整数",
    "string_type": "必须是文字",
    "list_type": "必须是列表",
    "dict_type": "必须是键值对（mapping）",
    "model_type": "必须是键值对（mapping）",
    "string_too_long": "太长（工作表名称最多 31 个字符）",
}


def _message(err: Any) -> str:
    template = _MESSAGES.get(err["type"])
    ctx = {k: v for k, v in (err.get("ctx") or {}).items()}
    if template is None:
        return str(err["msg"])
    if err["type"] == "literal_error" and "expected" in ctx:
        return f"取值无效，应为 {ctx['expected']}"
    if err["type"] in ("union_tag_invalid",) and "expected_tags" in ctx:
        return f"kind 取值无效，应为 {ctx['expected_tags']}"
    return template.format(**ctx)
