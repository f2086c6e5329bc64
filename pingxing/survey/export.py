"""Read a survey platform's export of answer sheets: 问卷星 (wjx.cn) and 腾讯问卷 (wj.qq.com).

:func:`read_export` returns an :class:`~pingxing.survey.model.Export`: the platform and layout,
the questions in order, and one :class:`~pingxing.survey.model.Response` per answer sheet with
its row number in the file. A skipped or unanswered question is *no ballot*, never 0 and never
an option. Bytes become rows in :mod:`pingxing.survey.files`.

What the exports look like, and where that comes from
======================================================

问卷星, both layouts (DOMAIN.md "Online surveys", checked against public code that reads real
exports):

* Header row: ``序号, 提交答卷时间, 所用时间, 来源, 来源详情, 来自IP``, then one column per
  question headed ``N、题干``. ``gasongjian/reportgen`` (``reportgen/report.py``, ``wenjuanxing()``) skips
  exactly six metadata columns and finds questions with ``^(\\d{1,2})[、：:]`` (so ``N：题干`` is
  read too). The header row is found by ``序号`` + ``提交答卷时间`` in any of the first 20 rows of
  any sheet.
* "按选项文本": the option's text; multi-select joined by ``┋``; ``(跳过)`` skipped by logic;
  ``(空)`` unanswered (also ``（空）``). An analysis script of a real ``386540716_按文本_….xlsx``
  treats exactly these, splits on ``┋``, sees "other" as ``其他〖typed text〗`` and reads
  ``所用时间`` as ``^(\\d+)秒$`` on every row. The typed text inside ``〖〗`` is dropped here:
  it is free text that can name the respondent, and no rating option has any.
* "按选项序号": 1-based option numbers; ``−2`` and ``−3`` are skip codes (reportgen replaces both
  by NaN; a public conversion script writes ``−3`` for questions its branch logic hid, so −3 is
  read as *skipped* and −2 as *unanswered*: both are no ballot either way). Multi-select is one
  0/1 column per option headed ``第N题(选项)`` (reportgen; DOMAIN.md); the question's own stem
  is not shown, so its ``stem`` is empty and it is matched by number.
* Matrix questions (矩阵单选/矩阵量表, one row per rated person): each row is its own column.
  reportgen reads rows headed ``第N题(行标题)`` in both layouts (text cells in "按选项文本",
  option numbers in "按选项序号"); a public scoring script reads 问卷星 matrix items whose
  header ends ``—1. 当周围嘈杂时…``, i.e. ``N、题干—行标题``. Both shapes are read; ``N(行标题)``
  too. Unconfirmed by a sample file, as is which of them today's exports use.

腾讯问卷 (one layout, option texts):

* Header row, from the sample of the "Tencent Questionaire output format" in the README of
  ``Wsine/kindle-calendar``:
  ``"编号","开始答题时间","结束答题时间","答题时长","地理位置国家和地区","地理位置省",
  "地理位置市","自定义字段","1.你的网络 ID ？",…`` with a trailing comma, rows like
  ``"1","02-Feb-2021 20:26:58","02-Feb-2021 20:27:09","11",…`` (答题时长 in seconds). Newer
  exports add ``语言, 清洗数据结果, 智能清洗数据无效概率, 用户类型, 用户标识, 昵称, IP, UA,
  Referrer, 中奖时间, 中奖金额, 审核状态`` (the drop-list of another public analysis script);
  the webhook docs (wj.qq.com/docs/webhook) give the same fields for one answer: started_at,
  ended_at, duration in seconds, respondent_id, ip. Found here by ``编号`` plus one of the
  three time columns. Any column that is not a question is metadata and is never kept.
* Questions ``N.题干``; multi-select as one column per option ``N.题干:选项`` (ASCII colon), a
  ticked option's cell non-empty (that script reads them with ``notna()``); fill-in blanks
  ``N.题干_填空k`` (free text: skipped). Unanswered is an empty cell. Matrix rows: not found in
  any source; read as the same ``N.题干:行标题`` shape, told from a multi-select by the cells
  (a multi-select's cells hold ``1`` or the option's own text, a matrix row's other options).

Decisions where the sources are silent
======================================

* The layout of a 问卷星 export is told by its cells, in this order: ``┋`` means "按选项文本";
  ``−2``/``−3`` mean "按选项序号"; ``(跳过)`` or ``(空)`` mean "按选项文本" (after −2/−3, as a
  fill-in question may show them in either layout); else the file name (``按文本`` is in a real
  download's name, ``按序号`` is assumed); else "按选项序号" when more question columns hold only whole
  numbers than hold text. A text export whose options are bare numbers reads as by-number:
  pass ``layout=`` to say otherwise (``survey questions`` writes ``90分``, never ``90``).
* A text column is a multi-select when any of its cells holds ``┋``.
* Duplicates: ``respondent_key`` is a keyed hash (secret drawn per read) of 腾讯问卷's
  ``用户标识`` when present (one person, whatever they answered; ``0`` is no one: its open API
  docs, wesurvey.com/docs/zh/openapi/survey/get_answer, give respondent_id 0 for answers
  without login), else of the IP address (without
  问卷星's ``(省-市)`` suffix) *together with every answer*: a resubmitted identical sheet is a
  duplicate, colleagues behind one office address who answered differently are not. 问卷星's
  ``来源详情`` is not used: the sources show it as a channel or referrer, not a person. Without
  an id or an IP the key is None and no duplicate is reported.
* Duration: 问卷星 ``所用时间`` (``125秒``, also ``2分5秒``), 腾讯问卷 ``答题时长`` (seconds), else
  end minus start time. Unreadable: None (never "too fast").
* A matrix header carrying its own ``N、题干`` column beside ``第N题(…)`` columns gives the stem;
  that column's cells are not read.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pingxing.cells import clean_text, normalize_header, normalize_text, parse_number, shown
from pingxing.errors import UserError
from pingxing.survey.files import Table, read_bytes, read_tables
from pingxing.survey.model import (
    BLANK,
    SKIPPED,
    UNANSWERED,
    Answer,
    Export,
    Kind,
    Layout,
    Option,
    Platform,
    Question,
    Response,
)

_HEADER_ROWS = 20
_DIGITS = "[0-9０-９]+"
_WJX_PLAIN = re.compile(rf"\s*({_DIGITS})\s*[、:：](.*)", re.S)
_WJX_SUB = re.compile(rf"\s*(?:第\s*({_DIGITS})\s*题|({_DIGITS}))\s*[(（](.*)[)）]\s*", re.S)
_QQ_PLAIN = re.compile(rf"\s*({_DIGITS})\s*[.．、](.*)", re.S)
_QQ_BLANK = re.compile(r".*_填空\s*\d+\s*")
_MATRIX_SEPS = {"wjx": ("—",), "tencent": (":", "：")}
_SKIP_TEXT = "(跳过)"
_EMPTY_TEXT = "(空)"
#: a cell that is no ballot, in either layout (an empty cell, 问卷星's ``(跳过)``/``(空)``) …
_MARKED = {"": BLANK, _SKIP_TEXT: SKIPPED, _EMPTY_TEXT: UNANSWERED}
#: … and 问卷星's codes for the same in "按选项序号"
_CODED = {-3: SKIPPED, -2: UNANSWERED}
_OTHER_TEXT = re.compile(r"〖.*?〗", re.S)
_DURATION = re.compile(r"(?:(\d+)\s*(?:小时|时))?\s*(?:(\d+)\s*(?:分钟|分))?\s*(?:(\d+)\s*秒)?")
_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%d-%b-%Y %H:%M:%S")


@dataclass
class _Column:
    index: int
    number: int
    rest: str  # the header after ``N、`` / ``N.`` (clean, not NFKC: separators are matched on it)
    sub: bool = False  # ``第N题(…)``: a multi-select option or a matrix row, named by ``rest``


@dataclass
class _Group:
    number: int
    columns: list[_Column] = field(default_factory=list)


Reader = Callable[[list[Any]], Answer]


def read_export(path: Path, layout: Layout | None = None) -> Export:
    """Read a 问卷星 or 腾讯问卷 export (.xlsx, .xls or .csv, told apart by content).

    ``layout`` overrides the detection of 问卷星's "按选项文本"/"按选项序号". Raises
    :class:`~pingxing.errors.UserError` for a file that is missing, damaged, in an unknown
    encoding, not an export of either platform, or holds no answer sheet.
    """
    data = read_bytes(path)
    table, at, platform = _find_header(path, read_tables(path, data))
    header = table.rows[at]
    meta = {normalize_header(c): i for i, c in enumerate(header) if normalize_header(c)}
    groups = _groups(header, platform)
    if not groups:
        example = "1、题干" if platform == "wjx" else "1.题干"
        raise UserError(f"{path}: 导出文件中没有题目列（表头应为“{example}”），请从问卷平台重新下载完整的答卷数据")
    rows = [(i + 1, row) for i, row in enumerate(table.rows[at + 1 :], start=at + 1) if any(_text(c) for c in row)]
    if not rows:
        raise UserError(f"{path}: 导出文件中没有答卷，请在问卷回收到答卷后重新下载答卷数据")
    if layout is None:
        layout = _layout(path, platform, groups, [r for _, r in rows])
    built = [_question(g, platform, layout, [r for _, r in rows]) for g in groups]
    questions = tuple(q for qs in built for q, _ in qs)
    readers = [(q.key, read) for qs in built for q, read in qs]
    secret = secrets.token_bytes(32)
    responses = []
    for number, row in rows:
        answers = {key: read(row) for key, read in readers}
        responses.append(
            Response(number, answers, _seconds_of(platform, meta, row), _respondent_key(secret, platform, meta, row, answers))
        )
    return Export(path, platform, layout, questions, tuple(responses), hashlib.sha256(data).hexdigest())


def _find_header(path: Path, tables: list[Table]) -> tuple[Table, int, Platform]:
    for table in tables:
        for at, row in enumerate(table.rows[:_HEADER_ROWS]):
            names = {normalize_header(c) for c in row}
            if {"序号", "提交答卷时间"} <= names:
                return table, at, "wjx"
            if "编号" in names and names & {"开始答题时间", "结束答题时间", "答题时长"}:
                return table, at, "tencent"
    raise UserError(
        f"{path}: 不是问卷星或腾讯问卷导出的答卷数据（没有找到“序号、提交答卷时间…”或“编号、开始答题时间…”表头），"
        "请在问卷平台“下载答卷数据”后直接导入下载的文件"
    )


def _groups(header: list[Any], platform: Platform) -> list[_Group]:
    by_number: dict[int, _Group] = {}
    for i, cell in enumerate(header):
        col = _column(i, clean_text(shown(cell) if cell != "" else ""), platform)
        if col is not None:
            by_number.setdefault(col.number, _Group(col.number)).columns.append(col)
    return list(by_number.values())


def _column(i: int, text: str, platform: Platform) -> _Column | None:
    if platform == "wjx":
        m = _WJX_PLAIN.fullmatch(text)
        if m:
            return _Column(i, int(normalize_text(m.group(1))), m.group(2).strip())
        m = _WJX_SUB.fullmatch(text)
        if m:
            return _Column(i, int(normalize_text(m.group(1) or m.group(2))), m.group(3).strip(), sub=True)
        return None
    m = _QQ_PLAIN.fullmatch(text)
    if m and not _QQ_BLANK.fullmatch(m.group(2)):
        return _Column(i, int(normalize_text(m.group(1))), m.group(2).strip())
    return None


def _layout(path: Path, platform: Platform, groups: list[_Group], rows: list[list[Any]]) -> Layout:
    if platform == "tencent":
        return "text"
    columns = [c.index for g in groups for c in g.columns]
    cells = [_cell(r, i) for r in rows for i in columns]
    texts = [normalize_text(c) for c in cells if isinstance(c, str)]
    if any("┋" in t for t in texts):
        return "text"
    if any(_whole(c) in _CODED for c in cells):
        return "number"
    if any(t in (_SKIP_TEXT, _EMPTY_TEXT) for t in texts):  # after −2/−3: a fill-in may show these in either
        return "text"
    if "按序号" in path.stem:
        return "number"
    if "按文本" in path.stem:
        return "text"
    numeric = textual = 0
    for i in columns:
        values = [_cell(r, i) for r in rows if _text(_cell(r, i))]
        if values and all(_whole(v) is not None for v in values):
            numeric += 1
        elif values:
            textual += 1
    return "number" if numeric > textual else "text"


def _question(g: _Group, platform: Platform, layout: Layout, rows: list[list[Any]]) -> list[tuple[Question, Reader]]:
    n = g.number
    plain = [c for c in g.columns if not c.sub]
    subs = [c for c in g.columns if c.sub]
    if subs:
        title = normalize_text(plain[0].rest) if plain else ""
        labels = [normalize_text(c.rest) for c in subs]
        if layout == "number" and any(_whole(_cell(r, c.index)) == 0 for r in rows for c in subs):
            return [_multi(n, title, subs, labels, binary=True)]
        return _rows(n, title, subs, labels, "matrix", layout)
    if len(plain) == 1:
        c = plain[0]
        multi = layout == "text" and any("┋" in _text(_cell(r, c.index)) for r in rows)
        kind: Kind = "multi" if multi else "single"
        question = Question(str(n), n, normalize_text(c.rest), kind, c.index + 1)
        return [(question, _single_reader(c.index, layout))]
    split = next(filter(None, (_split(plain, sep) for sep in _MATRIX_SEPS[platform])), None)
    if split is None:
        return _rows(n, "", plain, [normalize_text(c.rest) for c in plain], "single", layout)
    title, labels = split
    if platform == "tencent" and _ticks(plain, labels, rows):
        return [_multi(n, title, plain, labels, binary=False)]
    return _rows(n, title, plain, labels, "matrix", layout)


def _split(columns: list[_Column], sep: str) -> tuple[str, list[str]] | None:
    """``题干<sep>行标题`` headers sharing one stem: (stem, row titles), or None."""
    first = columns[0].rest
    end = len(first)
    for c in columns[1:]:
        end = min(end, next((k for k, (a, b) in enumerate(zip(first, c.rest, strict=False)) if a != b), len(c.rest)))
    cut = first.rfind(sep, 0, end)
    if cut < 0 or any(c.rest[cut : cut + len(sep)] != sep or not c.rest[cut + len(sep) :].strip() for c in columns):
        return None
    return normalize_text(first[:cut]), [normalize_text(c.rest[cut + len(sep) :]) for c in columns]


def _ticks(columns: list[_Column], labels: list[str], rows: list[list[Any]]) -> bool:
    """腾讯问卷 ``N.题干:选项`` columns hold ``1`` or the option itself where ticked: a multi-select."""
    for c, label in zip(columns, labels, strict=True):
        for r in rows:
            value = _text(_cell(r, c.index))
            if value and value not in ("1", "0", label, _SKIP_TEXT, _EMPTY_TEXT):
                return False
    return True


def _rows(
    n: int, title: str, columns: list[_Column], labels: list[str], kind: Kind, layout: Layout
) -> list[tuple[Question, Reader]]:
    return [
        (Question(f"{n}.{k}", n, label, kind, c.index + 1, title=title, row=k), _single_reader(c.index, layout))
        for k, (c, label) in enumerate(zip(columns, labels, strict=True), start=1)
    ]


def _multi(
    n: int, title: str, columns: list[_Column], labels: list[str], binary: bool
) -> tuple[Question, Reader]:
    indexes = [c.index for c in columns]
    question = Question(str(n), n, title, "multi", indexes[0] + 1, options=tuple(labels))

    def read(row: list[Any]) -> Answer:
        return _ticked([_cell(row, i) for i in indexes], labels, binary)

    return question, read


def _single_reader(index: int, layout: Layout) -> Reader:
    if layout == "number":
        return lambda row: _number_answer(_cell(row, index))
    return lambda row: _text_answer(_cell(row, index))


def _text_answer(raw: Any) -> Answer:
    s = _text(raw)
    if s in _MARKED:
        return _MARKED[s]
    parts = [normalize_text(_OTHER_TEXT.sub("", p)) for p in s.split("┋")]
    options = tuple(Option(text=p) for p in parts if p)
    return Answer("answered", options) if options else UNANSWERED


def _number_answer(raw: Any) -> Answer:
    s = _text(raw)
    if s in _MARKED:
        return _MARKED[s]
    value = _whole(raw)
    if value is not None and value in _CODED:
        return _CODED[value]
    if value is not None and value >= 1:
        return Answer("answered", (Option(number=value),))
    return Answer("invalid", shown=shown(raw))


def _ticked(cells: list[Any], labels: list[str], binary: bool) -> Answer:
    """A multi-select spread over one column per option (0/1 in 问卷星, ticked cells in 腾讯问卷)."""
    chosen: list[Option] = []
    skipped = unanswered = False
    for k, (raw, label) in enumerate(zip(cells, labels, strict=True), start=1):
        s = _text(raw)
        value = _whole(raw)
        if not s or (value == 0 if binary else s == "0"):
            continue
        if s == _SKIP_TEXT or (binary and value == -3):
            skipped = True
        elif s == _EMPTY_TEXT or (binary and value == -2):
            unanswered = True
        elif not binary or value == 1:
            chosen.append(Option(label, k))
        else:
            return Answer("invalid", shown=shown(raw))
    if chosen:
        return Answer("answered", tuple(chosen))
    if skipped:
        return SKIPPED
    if unanswered or any(_text(c) for c in cells):
        return UNANSWERED  # answered the page but ticked nothing
    return BLANK


def _seconds_of(platform: Platform, meta: dict[str, int], row: list[Any]) -> int | None:
    name = "所用时间" if platform == "wjx" else "答题时长"
    seconds = _seconds(_cell(row, meta[name])) if name in meta else None
    if seconds is None and platform == "tencent" and {"开始答题时间", "结束答题时间"} <= meta.keys():
        start = _time(_cell(row, meta["开始答题时间"]))
        end = _time(_cell(row, meta["结束答题时间"]))
        if start is not None and end is not None and end >= start:
            seconds = int((end - start).total_seconds())
    return seconds


def _seconds(raw: Any) -> int | None:
    if isinstance(raw, timedelta):
        return int(raw.total_seconds())
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return int(raw) if raw >= 0 and raw == raw else None
    s = normalize_text(raw).replace(" ", "")
    if s.isdigit():
        return int(s)
    m = _DURATION.fullmatch(s)
    if not s or not m or not any(m.groups()):
        return None
    h, mi, se = (int(g) if g else 0 for g in m.groups())
    return h * 3600 + mi * 60 + se


def _time(raw: Any) -> datetime | None:
    if isinstance(raw, datetime):
        return raw
    s = normalize_text(raw)
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(s, fmt)
        except ValueError:
            continue
    return None


def _respondent_key(
    secret: bytes, platform: Platform, meta: dict[str, int], row: list[Any], answers: dict[str, Answer]
) -> str | None:
    person = _text(_cell(row, meta["用户标识"])) if "用户标识" in meta else ""
    if person not in ("", "0", "-"):  # 0: answered without logging in
        parts: list[Any] = ["id", person]
    else:
        ip_column = meta.get("来自IP" if platform == "wjx" else "IP")
        ip = _text(_cell(row, ip_column)).split("(")[0].strip() if ip_column is not None else ""
        if not ip:
            return None
        parts = ["ip", ip, [[k, a.status, *a.labels] for k, a in answers.items()]]
    message = json.dumps(parts, ensure_ascii=False).encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


def _cell(row: Sequence[Any], index: int) -> Any:
    return row[index] if index < len(row) else ""


def _text(raw: Any) -> str:
    """The cell as normalised text (``90.0`` → ``'90'``); ``''`` for an empty cell."""
    if raw is None or raw == "":
        return ""
    return normalize_text(raw if isinstance(raw, str) else shown(raw))


def _whole(raw: Any) -> int | None:
    """The whole number a cell holds (``3``, ``3.0``, ``'３'``, ``'-2'``), else None."""
    if isinstance(raw, bool):
        return None
    n = parse_number(raw)
    if n.state != "ok" or n.value is None or n.value != n.value.to_integral_value() or n.code == "unit-suffix":
        return None
    return int(n.value)
