"""What the writers need of a scheme, checked when it loads (issue 13): pieces that would crash
``forms`` or ``run`` later, or make every returned form unreadable.

A scheme's ``name`` is a folder's name and what returned forms are matched by (:func:`plain_name`);
sheet names are what Excel allows (:func:`sheet_name`); headers and choices are what the reader finds
again as written (:func:`columns`); notice texts use only the fields the notices fill in
(:func:`fields`); no text holds a control character a workbook or Word file cannot hold (:func:`texts`).
Each check reports through ``fail(key path, message)`` like :mod:`.checks`.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from typing import Any, NoReturn

from pydantic import BaseModel

from pingxing.cells import DEVICE_NAMES, normalize_header, normalize_text
from pingxing.scheme.components import FlagsComponent, LedgerComponent
from pingxing.scheme.model import RESERVED_SHEETS, Scheme

Fail = Callable[[str, str], NoReturn]

#: a scheme's name is also a folder's name and the key forms are matched by: letters (汉字 too),
#: digits, ``-`` and ``_``, beginning with a letter or digit
PLAIN_NAME = re.compile(r"[^\W_][\w-]{0,63}")
#: characters Excel does not allow in a sheet name
_SHEET_FORBIDDEN = set("[]:*?/\\")
#: the fields a notice text may use (``{unit}``, ``{branch}``, ``{period_words}``)
NOTICE_FIELDS = ("unit", "branch", "period_words")
#: control characters an .xlsx or .docx cannot hold (tab, line feed and carriage return they can)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: the first two headers of every sheet: no column may take their name
_ID_HEADERS = ("编号", "姓名", "支部")


def plain_name(name: str) -> bool:
    """Whether ``name`` can name a scheme: a plain identifier (see :data:`PLAIN_NAME`), no device name."""
    return PLAIN_NAME.fullmatch(name) is not None and name.casefold() not in DEVICE_NAMES


def name(name: str, path: str, fail: Fail) -> None:
    if not plain_name(name):
        fail(path, f"“{name}”不能用作名称：只能由字母、汉字、数字、“-”和“_”组成，以字母、汉字或数字开头，"
                   "最多 64 个字符（不能有 / \\ . 空格等，也不能是 CON、NUL 等设备名），它也用作文件夹和文件的名称")


def sheet_name(s: Scheme, i: int, sheet: str, fail: Fail) -> None:
    """What Excel allows a sheet to be called (and what the reader can find again)."""
    path = f"components[{i}].sheet"
    bad = sorted(set(sheet) & _SHEET_FORBIDDEN)
    if bad:
        fail(path, f"工作表名称“{sheet}”中有 Excel 不允许的字符 {' '.join(bad)}，请去掉")
    if not sheet.strip() or sheet != sheet.strip():
        fail(path, f"工作表名称“{sheet}”不能为空，首尾也不能有空格")
    if sheet.startswith("'") or sheet.endswith("'"):
        fail(path, f"工作表名称“{sheet}”不能以单引号开头或结尾（Excel 不允许）")
    if sheet.casefold() == "history":
        fail(path, "“History”是 Excel 保留的工作表名，请换一个名称")
    taken = {n.casefold() for n in RESERVED_SHEETS} | {c.sheet.casefold() for c in s.components[:i]}
    if sheet.casefold() in taken and sheet not in RESERVED_SHEETS and sheet not in (c.sheet for c in s.components[:i]):
        fail(path, f"工作表名称“{sheet}”与另一个工作表只差大小写，Excel 视为同名，请换一个名称")


def columns(i: int, c: Any, fail: Fail, attempt: Callable[..., Any]) -> None:
    """Headers the reader finds again as written, none taking 编号/姓名/支部; choices a dropdown holds."""
    for j, col in enumerate(c.fill_columns()):
        path = f"components[{i}]"
        if col.header in _ID_HEADERS:
            attempt(fail, path, f"列名“{col.header}”是表头前两列专用的名称，请换一个名称")
        elif normalize_header(col.header) != col.header:
            attempt(fail, path, f"列名“{col.header}”中有空格或全角字符，收回的表格会读作“{normalize_header(col.header)}”"
                                "而对不上，请写成后者")
        elif col.header[:1] in ("=", "+", "-", "@"):
            attempt(fail, path, f"列名“{col.header}”以 {col.header[0]} 开头，Excel 会当作公式，请换一个名称")
        if col.choices:
            attempt(_choices, list(col.choices), f"{path}.columns[{j}].choices" if isinstance(c, FlagsComponent)
                    else path, fail)
    if isinstance(c, LedgerComponent):
        attempt(_choices, c.types, f"components[{i}].types", fail)
        attempt(_choices, c.roles, f"components[{i}].roles", fail)


def _choices(choices: list[str], path: str, fail: Fail) -> None:
    for k, choice in enumerate(choices):
        if not choice.strip():
            fail(f"{path}[{k}]", "可选项不能为空")
        if "," in choice or '"' in choice:
            fail(f"{path}[{k}]", f"可选项“{choice}”中不能有英文逗号或双引号（Excel 的下拉列表用它们分隔）")
        if normalize_text(choice) != choice:
            fail(f"{path}[{k}]", f"可选项“{choice}”中有多余的空格或全角字符，收回的表格会读作“{normalize_text(choice)}”"
                                 "而对不上，请写成后者")
    if len(",".join(choices)) > 255:
        fail(path, "可选项合计超过 255 个字符，Excel 的下拉列表放不下，请减少或缩短")


def fields(text: str, path: str, fail: Fail) -> None:
    """A notice text's ``{…}`` fields: only those the notices fill in, braces in pairs."""
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
    except ValueError:
        fail(path, "文字中的 { } 不成对；要写大括号本身请写成 {{ 和 }}")
    unknown = [f for f in fields if f not in NOTICE_FIELDS]
    if unknown:
        fail(path, f"文字中的 {{{unknown[0]}}} 不是可用的字段，可用的有 "
                   + "、".join(f"{{{f}}}" for f in NOTICE_FIELDS))


def texts(value: Any, path: str, fail: Fail, attempt: Callable[..., Any]) -> None:
    """Every text of the scheme, walked with its key path: no control character a workbook or a
    Word file cannot hold."""
    if isinstance(value, str):
        if _CONTROL.search(value):
            attempt(fail, path, "文字中有控制字符（不可见字符），Excel 和 Word 文件不能保存，请删除")
    elif isinstance(value, BaseModel):
        for key in type(value).model_fields:
            texts(getattr(value, key), f"{path}.{key}" if path else key, fail, attempt)
    elif isinstance(value, dict):
        for key, item in value.items():
            texts(key, f"{path}.{key}", fail, attempt)
            texts(item, f"{path}.{key}", fail, attempt)
    elif isinstance(value, (list, tuple)):
        for k, item in enumerate(value):
            texts(item, f"{path}[{k}]", fail, attempt)
