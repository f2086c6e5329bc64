"""Titles broken into lines as GB/T 9704-2012 asks: between words, never inside one (回行时词意
完整), lines balanced (排列对称，长短适宜), never an hourglass (梯形或菱形, not 沙漏形).

A title is made from a pattern (the scheme's ``notices.title``) whose fields — ``{unit}``,
``{branch}``, ``{period_words}`` — are **atomic words**: ``2026年第四季度`` never breaks inside.
The pattern's own text is cut into words with a small lexicon of the words notices use
(:data:`LEXICON`); between two characters the lexicon does not know to be a word boundary a
break costs more. A clerk forces a break with ``|`` (or a new line, Alt+Enter in an Excel cell)
in the pattern: ``{unit}{period_words}|星级党支部认定结果公示``.

:func:`break_title` gives the lines; widths count a Chinese character (or full-width sign) as 1
and a Latin letter or digit as ½. A 2号 title in the 156 mm type area holds 20 characters a line.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["LEXICON", "TITLE_WIDTH", "break_text", "break_title", "break_words", "grid_width", "plain_title",
           "text_width"]

#: characters a line of a 2号 (22 pt) title holds in the 156 mm (442 pt) type area
TITLE_WIDTH = 20.0
FORCED = re.compile(r"\s*(?:\||｜|\r?\n)\s*")
_FIELD = re.compile(r"\{(\w+)\}")

#: words of notice titles (longest match first): where a title may break
LEXICON = frozenset("""
关于 表彰 表扬 命名 授予 公布 通报 公示 决定 通知 结果 名单 评定 认定 考评 考核 验收 评选 评议 评星 定级
评星定级 星级 党员 党支部 支部 党总支 党委 机关 工作 委员会 五星级 四星级 三星级 二星级 一星级 三星级以上
晋星 升星 摘星 晋升 和 及 与 先锋旗 示范点 基层 党建 基层党建 规范化 建设 规范化建设 达标 优秀 合格 获得者
模范星 五颗模范星 五星 获得 党员之星 企业 三星 星级评定 星级党支部 五星级党支部 星级管理 结果运用
内部 更正 情况 汇总 情况汇总 年度 季度 半年 上半年 下半年 第一季度 第二季度 第三季度 第四季度 中共 所属
的通报 的公示 的决定 的通知 活动 评比 主题 争创 创建 全体 各 有关 同志
""".split())
_LONGEST = max(map(len, LEXICON))
#: signs that stay with the word before them, and with the word after them
#: a period in words (2026年第四季度, 2025-2026年度, 2026年上半年): one word wherever it stands
_PERIOD = re.compile(r"\d{4}(?:[-—至]\d{4})?年(?:度|上半年|下半年|第[一二三四]季度)?")
#: a short aside in full-width brackets (（百分制考核定星）): one word
_BRACKETED = re.compile(r"（[^（）]{1,10}）")
_CLOSING = set("，。、；：？！）》」』”’…%")
_OPENING = set("（《「『“‘的")  # and 的, which binds to the word after it
_INSIDE = 12.0  # cost of a break between two characters of the pattern not known to be words
_EXHAUSTIVE = 20000  # ways to cut a title tried one by one; beyond, line by line (_best_by_parts)
_IN_FIELD = 400.0  # cost of a break inside a field (only when a field alone is wider than a line)


@dataclass(frozen=True)
class _Token:
    text: str
    cost: float  # of a break before this token (0: a word boundary)


def text_width(text: str) -> float:
    """Width in characters of the title's type: Latin letters and digits are half as wide."""
    return sum(0.5 if ord(ch) < 0x2E80 and ch not in "“”‘’—…" else 1.0 for ch in text)


def grid_width(text: str) -> float:
    """Width on the character grid of body text and tables: a Chinese character one cell, anything
    before U+2E80 (digits, Latin letters, ASCII signs) half."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def plain_title(pattern: str, words: Mapping[str, str]) -> str:
    """The title on one line: the pattern filled in, forced breaks taken out."""
    return "".join(FORCED.split(pattern)).format(**words)


def break_title(pattern: str, words: Mapping[str, str], width: float = TITLE_WIDTH) -> list[str]:
    """The title's lines: ``pattern`` filled with ``words``, broken at the forced breaks, then each
    piece wider than ``width`` broken between words into the fewest balanced lines."""
    lines: list[str] = []
    for piece in FORCED.split(pattern.strip()):
        if piece:
            lines += break_words(_tokens(piece, words), width)
    return lines or [""]


def break_words(tokens: list[_Token], width: float = TITLE_WIDTH) -> list[str]:
    """The fewest lines no wider than ``width`` (when a word allows), balanced, breaking where it costs least."""
    text = "".join(t.text for t in tokens)
    if text_width(text) <= width or len(tokens) < 2:
        return [text] if text else []
    widths = [text_width(t.text) for t in tokens]
    total = sum(widths)
    for n in range(max(2, int(-(-total // width))), len(tokens) + 1):
        best = _best(tokens, widths, n, width)
        if best is not None:
            return best
    return [text]


def _best(tokens: list[_Token], widths: list[float], n: int, width: float) -> list[str] | None:
    """The best way to cut ``tokens`` into ``n`` lines of at most ``width``, or None."""
    starts = [0.0]
    for w in widths:
        starts.append(starts[-1] + w)
    mean = starts[-1] / n
    if math.comb(len(tokens) - 1, n - 1) > _EXHAUSTIVE:
        return _best_by_parts(tokens, starts, n, width)
    candidates = range(1, len(tokens))
    best: tuple[float, tuple[int, ...]] | None = None
    for cut in itertools.combinations(candidates, n - 1):
        bounds = (0, *cut, len(tokens))
        lens = [starts[b] - starts[a] for a, b in itertools.pairwise(bounds)]
        if max(lens) > width:
            continue
        cost = sum((x - mean) ** 2 for x in lens) + sum(tokens[c].cost for c in cut)
        cost += sum(40.0 for a, b, c in zip(lens, lens[1:], lens[2:], strict=False) if b < a - 1 and b < c - 1)  # 沙漏形
        cost += 0.01 * max(0.0, lens[-1] - lens[0])  # of two equal ways, the longer line first
        if best is None or cost < best[0] - 1e-9:
            best = (cost, cut)
    if best is None:
        return None
    bounds = (0, *best[1], len(tokens))
    return ["".join(t.text for t in tokens[a:b]) for a, b in itertools.pairwise(bounds)]


def _best_by_parts(tokens: list[_Token], starts: list[float], n: int, width: float) -> list[str] | None:
    """:func:`_best` for a title of many words (a very long name broken by the character): the
    least sum of squared deviations and break costs, line by line (dynamic programming, so the cost
    grows with the square of the words, not with the ways to cut them)."""
    count, mean = len(tokens), starts[-1] / n
    inf = float("inf")
    # cost[k][j]: the least cost of the first j tokens in k lines; back[k][j]: where the k-th line starts
    cost = [[inf] * (count + 1) for _ in range(n + 1)]
    back = [[0] * (count + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for k in range(1, n + 1):
        for j in range(k, count + 1):
            for i in range(j - 1, k - 2, -1):
                length = starts[j] - starts[i]
                if length > width:
                    break
                if cost[k - 1][i] == inf:
                    continue
                c = cost[k - 1][i] + (length - mean) ** 2 + (tokens[i].cost if i else 0.0)
                if c < cost[k][j] - 1e-9:
                    cost[k][j], back[k][j] = c, i
    if cost[n][count] == inf:
        return None
    bounds, j = [count], count
    for k in range(n, 0, -1):
        j = back[k][j]
        bounds.append(j)
    bounds.reverse()
    return ["".join(t.text for t in tokens[a:b]) for a, b in itertools.pairwise(bounds)]


def _tokens(pattern: str, words: Mapping[str, str]) -> list[_Token]:
    """Fields as atomic words, the pattern's own text cut by the lexicon; signs glued to their word."""
    raw: list[_Token] = []
    pos = 0
    for m in _FIELD.finditer(pattern):
        raw += _literal(pattern[pos:m.start()])
        value = str(words.get(m.group(1), m.group(0)))
        if value:
            raw += _field(value)
        pos = m.end()
    raw += _literal(pattern[pos:])
    return _glued(raw)


def _field(value: str) -> list[_Token]:
    if text_width(value) <= TITLE_WIDTH:
        return [_Token(value, 0.0)]
    return [_Token(ch, 0.0 if i == 0 else _IN_FIELD) for i, ch in enumerate(value)]  # a field wider than a line


def _literal(text: str) -> list[_Token]:
    """The pattern's own text in words: the longest lexicon word at each place, a run of Latin
    letters and digits as one word, any other character on its own (a break beside it costs more)."""
    out: list[_Token] = []
    i = 0
    known = True  # whether a break before the next token falls on a word boundary
    while i < len(text):
        ascii_run = _PERIOD.match(text, i) or _BRACKETED.match(text, i) or re.match(r"[A-Za-z0-9.]+", text[i:])
        if ascii_run:
            out.append(_Token(ascii_run.group(0), 0.0 if known or not out else _INSIDE))
            i += len(ascii_run.group(0))  # (a match of _PERIOD at i, or of the pattern on the rest)
            known = True
            continue
        word = next((text[i:i + k] for k in range(min(_LONGEST, len(text) - i), 1, -1) if text[i:i + k] in LEXICON), None)
        if word is not None:
            out.append(_Token(word, 0.0))
            i += len(word)
            known = True
        else:
            out.append(_Token(text[i], 0.0 if known or not out else _INSIDE))
            i += 1
            known = False
    return out


def _glued(tokens: list[_Token]) -> list[_Token]:
    """Closing signs joined to the token before, opening signs to the token after: a line never
    starts with ``）`` or ends with ``“``."""
    out: list[_Token] = []
    pending = ""  # opening signs waiting for the next token
    pending_cost = 0.0
    for t in tokens:
        text = t.text
        if out and not pending and all(ch in _CLOSING for ch in text):
            out[-1] = _Token(out[-1].text + text, out[-1].cost)
            continue
        if all(ch in _OPENING for ch in text):
            if not pending:
                pending_cost = t.cost
            pending += text
            continue
        lead = text[0]
        if out and lead in _CLOSING:
            out[-1] = _Token(out[-1].text + lead, out[-1].cost)
            text = text[1:]
            if not text:
                continue
        if pending:
            out.append(_Token(pending + text, pending_cost))
            pending = ""
        else:
            out.append(_Token(text, t.cost))
    if pending:
        out.append(_Token(pending, pending_cost))
    if out:
        out[0] = _Token(out[0].text, 0.0)
    return out


def break_text(title: str, width: float = TITLE_WIDTH) -> list[str]:
    """A title already filled in (no fields known): broken at its forced breaks, then between the
    words the lexicon knows."""
    lines: list[str] = []
    for piece in FORCED.split(title.strip()):
        if piece:
            lines += break_words(_glued(_literal(piece)), width)
    return lines or [""]
