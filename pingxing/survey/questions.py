"""The question text a clerk pastes into the survey platform, and which person a question names.

:func:`question_text` writes one question per rated member or branch, its stem the 编号 and
name (``1001 张伟``), its options the component's: tally categories (满意/基本满意/不满意/不了解),
grades, scores, or the named stars as a multi-select.

The format, and where it comes from
===================================

问卷星's "文本导入" (批量添加题目; ``designqbytxt.aspx``): the survey title on the first line,
then questions separated by a blank line, each a numbered title line carrying its type in
brackets, then one option per line::

    2026年第一季度 群众满意度测评

    1. 1001 张伟[单选题]
    满意
    基本满意

Sources: public survey pages written "可以批量导入到问卷星" (``xxxspy/eprime``, e.g.
``1. 您的性别*[单选题]`` / ``男`` / ``女``, ``*`` marking a required question), a public copy
of 问卷星's own text-import parser (``[单选题]``, ``[多选题]``, ``[矩阵量表题]`` … markers;
title line, then options until a blank line), and a study of 问卷星's ``TxtToActivityService``
(``[单选题]``/``【单选题】``, ``[多选题]`` …). What that parser does, and so what is written here:

* In its "compact" mode (question lines start with a number) an option line that *starts with
  a number* may be taken for the next question, unless a unit follows the number (``5分``,
  ``3次``, ``90%``): bare numeric options are written ``90分`` (see :func:`option_labels`).
* An option line holding spaces may be split into several options: spaces inside an option
  are removed (``学习 之星`` → ``学习之星``).
* Lines with Latin letters ``A`` and ``B`` may be read as inline options ``A… B…``: avoid such
  option names (none of the schemes' categories, grades or stars has them).

腾讯问卷's text creation ("DSL") takes the same shape: title, blank line, ``1. 题目标题[单选题]``
(the type may be left out for single choice), ``[多选题]``, one option per line (a public study
of its ``create_survey`` tool: ``tencent-survey-skill`` ``references/create_survey.md``). So one
text serves both platforms; neither was tried live.

Either platform numbers the questions itself; the export heads each column ``N、1001 张伟``
(问卷星) or ``N.1001 张伟`` (腾讯问卷). :func:`match_question` finds the person back from such a
stem: by 编号 first, then by exact name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pingxing.cells import clean_text, normalize_id, normalize_text

_BARE_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_TOKENS = re.compile(r"[\s,，、;；:：()（）\[\]【】/|·—*]+")  # not - _ . (they occur inside 编号)


def option_labels(options: Sequence[str]) -> list[str]:
    """The options as written into the platform: spaces removed, bare numbers given ``分``.

    These are the texts the export will show, so they are what the caller records to map
    answers back (``Export.with_options``). Raises ValueError for an empty option or two
    options that would read the same.
    """
    labels = []
    for option in options:
        label = re.sub(r"\s+", "", clean_text(option))
        if not label:
            raise ValueError("选项不能为空")
        if _BARE_NUMBER.fullmatch(normalize_text(label)):
            label = f"{normalize_text(label)}分"
        labels.append(label)
    if len(set(labels)) != len(labels):
        raise ValueError(f"选项重复：{'、'.join(labels)}")
    return labels


def question_text(
    title: str,
    items: Sequence[tuple[str, str]],
    options: Sequence[str],
    multi: bool = False,
    *,
    required: bool = False,
) -> str:
    """The text to paste into 问卷星's 文本导入 (or 腾讯问卷's text creation).

    ``items`` are (编号, 名称) pairs, one question each, in order; ``options`` the component's
    options (see :func:`option_labels`); ``multi`` makes each a multi-select (named stars).
    Questions are optional unless ``required``: an unanswered question is no ballot, and a
    rater who does not know someone can leave them out.
    """
    if not items:
        raise ValueError("没有要评议的对象")
    labels = option_labels(options)
    kind = "[多选题]" if multi else "[单选题]"
    star = "*" if required else ""
    blocks = [clean_text(title) or "测评问卷"]
    for n, (item_id, name) in enumerate(items, start=1):
        stem = f"{normalize_id(item_id)} {clean_text(name)}".strip()
        blocks.append("\n".join([f"{n}. {stem}{star}{kind}", *labels]))
    return "\n\n".join(blocks) + "\n"


def match_question(stem: str, items: Sequence[tuple[str, str]]) -> tuple[str, str] | None:
    """The (编号, 名称) a question stem names: by 编号 first, then by exact name.

    The stem is split into words at spaces and punctuation; an item matches by 编号 when a word
    is its 编号 (or 编号 and name run together, ``1001张伟``), by name when a word is its name.
    None when no item matches, or when two do (two 编号 in one stem, or a name shared by two
    people and no 编号 to tell them apart). (Many stems against the same items: :class:`Stems`.)
    """
    return Stems(items).match(stem)


class Stems:
    """The items (编号, 名称) stems are matched against, indexed once (an export of a whole city's
    survey has thousands of questions: each is looked up, never compared with every item)."""

    def __init__(self, items: Sequence[tuple[str, str]]) -> None:
        self._ids: dict[str, set[tuple[str, str]]] = {}
        self._names: dict[str, list[tuple[str, str]]] = {}
        for item in items:
            i, name = normalize_id(item[0]), normalize_text(item[1])
            if i:
                for word in (i, i + name):
                    self._ids.setdefault(word, set()).add(item)
            if name:
                self._names.setdefault(name, []).append(item)

    def _found(self, stem: str) -> tuple[set[tuple[str, str]], list[tuple[str, str]]]:
        """(the items the stem names by 编号, those it names by name)."""
        text = normalize_text(stem)
        words = set(_TOKENS.split(text)) - {""}
        if not words:
            return set(), []
        by_id = {item for w in words for item in self._ids.get(w, ())}
        by_name = list(dict.fromkeys(item for w in (*words, text) for item in self._names.get(w, ())))
        return by_id, by_name

    def match(self, stem: str) -> tuple[str, str] | None:
        """The one item ``stem`` names (:func:`match_question`), or None."""
        by_id, by_name = self._found(stem)
        if by_id:
            return by_id.pop() if len(by_id) == 1 else None
        return by_name[0] if len(by_name) == 1 else None

    def each(self, stem: str) -> list[tuple[str, str]]:
        """Every item ``stem`` names on its own (by 编号 or by name): who it could be, when it is not one."""
        by_id, by_name = self._found(stem)
        return [*by_id, *(item for item in by_name if item not in by_id)]
