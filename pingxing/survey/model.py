"""What a survey platform's export holds once read: questions, responses and their answers.

Frozen dataclasses, nothing else: :mod:`pingxing.survey.export` builds them from a file, the
caller (``survey import``) matches the questions to the recorded list and turns the answers into
ballots. Two functions give the problems a caller reports with row numbers: :func:`duplicates`
and :func:`too_fast`.

Privacy: a :class:`Response` keeps no IP address, nickname, submission time or respondent id.
It keeps its duration in seconds (for :func:`too_fast`) and an opaque ``respondent_key`` (for
:func:`duplicates`), both left out of ``repr`` so that neither reaches a log or a message by
accident. The key is keyed with a secret drawn for each file read, so it means nothing outside
the :class:`Export` it belongs to and cannot be reversed into an address by trying them all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pingxing.cells import normalize_text

Platform = Literal["wjx", "tencent"]
#: ``text``: 问卷星 "按选项文本" (and 腾讯问卷's export): cells hold the option's text.
#: ``number``: 问卷星 "按选项序号": cells hold 1-based option numbers, multi-select as 0/1 columns.
Layout = Literal["text", "number"]
#: ``single``: one option (or free text) per respondent. ``multi``: a set of options.
#: ``matrix``: one row of a matrix question (矩阵单选/矩阵量表): one option per respondent.
Kind = Literal["single", "multi", "matrix"]
#: ``answered``: one or more options. ``skipped``: hidden by the survey's logic (``(跳过)``, −3).
#: ``unanswered``: shown but not answered (``(空)``, −2, a multi-select with nothing ticked).
#: ``blank``: an empty cell. ``invalid``: a cell that is none of these (``abc`` where an option
#: number belongs, or a number with no option behind it); ``shown`` says what it held.
Status = Literal["answered", "skipped", "unanswered", "blank", "invalid"]

PLATFORM_NAMES: dict[str, str] = {"wjx": "问卷星", "tencent": "腾讯问卷"}
_NO_BALLOT = frozenset({"skipped", "unanswered", "blank"})


@dataclass(frozen=True)
class Option:
    """One option as the export shows it: its text, its 1-based number, or both."""

    text: str | None = None
    number: int | None = None

    @property
    def label(self) -> str:
        """The text if known, else the number (``'3'``)."""
        return self.text if self.text is not None else str(self.number)


@dataclass(frozen=True)
class Answer:
    """One respondent's answer to one question.

    A skipped, unanswered or blank answer is :attr:`no_ballot`: it has no options and must
    never be counted as 0 or as any option. ``options`` has one entry for single-choice and
    matrix rows, one or more for multi-select.
    """

    status: Status
    options: tuple[Option, ...] = ()
    shown: str = ""  # for ``invalid``: the cell as the clerk sees it

    @property
    def no_ballot(self) -> bool:
        return self.status in _NO_BALLOT

    @property
    def option(self) -> Option | None:
        """The chosen option of a single-choice answer (None unless exactly one)."""
        return self.options[0] if len(self.options) == 1 else None

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(o.label for o in self.options)


SKIPPED = Answer("skipped")
UNANSWERED = Answer("unanswered")
BLANK = Answer("blank")


@dataclass(frozen=True)
class Question:
    """One question of the export, in file order.

    ``key`` identifies it in :attr:`Response.answers`: the platform's question number as text
    (``'5'``), or ``'5.2'`` for the second row of matrix question 5 (or the second column of a
    question whose number the export repeats). ``stem`` is the 题干, normalised (NFKC, spaces
    collapsed); for a matrix row it is the row's title and ``title`` the matrix's own stem.
    ``options`` are the option texts the header row itself shows (the 0/1 columns of a
    multi-select); empty when only the cells show them. ``column`` is the 1-based column of
    its first cell.
    """

    key: str
    number: int
    stem: str
    kind: Kind
    column: int
    title: str = ""
    row: int | None = None
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class Response:
    """One submitted answer sheet: its row in the file (1-based, as Excel shows it) and answers."""

    row: int
    answers: dict[str, Answer] = field(hash=False)
    seconds: int | None = field(default=None, repr=False)
    respondent_key: str | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class Export:
    """A survey platform's export, read. See :func:`pingxing.survey.export.read_export`."""

    path: Path
    platform: Platform
    layout: Layout
    questions: tuple[Question, ...]
    responses: tuple[Response, ...]
    sha256: str  # of the bytes read

    @property
    def platform_name(self) -> str:
        return PLATFORM_NAMES[self.platform]

    def with_options(self, options: Mapping[str, Sequence[str]] | Sequence[str]) -> Export:
        """The export with option numbers mapped to the option texts the caller recorded.

        ``options`` is either one list for every question (a rating survey asks the same
        options each time) or a list per question key. Option *n* is ``options[n - 1]``; a
        number beyond the list makes the answer ``invalid``. For answers that have text but no
        number, the number is filled in when the text is in the list. Questions whose header
        shows its options (a multi-select in "按选项序号") keep those.
        """
        texts: dict[str, tuple[str, ...]] = {}
        for q in self.questions:
            given = options.get(q.key) if isinstance(options, Mapping) else options
            if given is not None and not q.options:
                texts[q.key] = tuple(normalize_text(o) for o in given)
        responses = tuple(
            replace(r, answers={k: _mapped(a, texts[k]) if k in texts else a for k, a in r.answers.items()})
            for r in self.responses
        )
        return replace(self, responses=responses)


def _mapped(answer: Answer, texts: tuple[str, ...]) -> Answer:
    if answer.status != "answered":
        return answer
    mapped = []
    for o in answer.options:
        if o.number is not None:
            if not 1 <= o.number <= len(texts):
                return Answer("invalid", shown=str(o.number))
            mapped.append(Option(texts[o.number - 1], o.number))
        elif o.text is not None and o.text in texts:
            mapped.append(Option(o.text, texts.index(o.text) + 1))
        else:
            mapped.append(o)
    return Answer("answered", tuple(mapped))


def duplicates(export: Export) -> list[tuple[int, int]]:
    """(row of a later duplicate, row of the first submission it repeats), in file order.

    Two responses are duplicates when their ``respondent_key`` is equal (see
    :mod:`pingxing.survey.export` for what goes into the key). Responses without a key (the
    export shows neither a respondent id nor an IP address) are never reported.
    """
    first: dict[str, int] = {}
    found: list[tuple[int, int]] = []
    for r in export.responses:
        if r.respondent_key is None:
            continue
        if r.respondent_key in first:
            found.append((r.row, first[r.respondent_key]))
        else:
            first[r.respondent_key] = r.row
    return found


def too_fast(export: Export, min_seconds: int | float | Decimal) -> list[int]:
    """Rows of responses submitted in fewer than ``min_seconds`` (unknown durations never are)."""
    return [r.row for r in export.responses if r.seconds is not None and r.seconds < min_seconds]
