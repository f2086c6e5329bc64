"""Online surveys (问卷星, 腾讯问卷): the questions to paste into the platform, and its export read.

The pure core of ``survey questions`` / ``survey import`` (exported here) touches neither the campaign
record nor a workbook: :func:`read_export` reads an export file into an :class:`Export`;
:func:`duplicates` and :func:`too_fast` give rows the caller reports as problems;
:func:`question_text` writes the text for the platform's text import and
:func:`match_question` finds which person a question stem names.

The commands over it: :mod:`.listing` (``survey questions``: the questions made and recorded) and
:mod:`.importing` (``survey import``: the export matched to them, counted by the sheet's kind
(:mod:`.tallies`) and written as the standard workbook of the sheet (:mod:`.filled`), with where it
came from (:mod:`.provenance`, which ``run`` reads too)).
"""

from pingxing.survey.export import read_export
from pingxing.survey.model import (
    Answer,
    Export,
    Kind,
    Layout,
    Option,
    Platform,
    Question,
    Response,
    Status,
    duplicates,
    too_fast,
)
from pingxing.survey.questions import match_question, option_labels, question_text

__all__ = [
    "Answer",
    "Export",
    "Kind",
    "Layout",
    "Option",
    "Platform",
    "Question",
    "Response",
    "Status",
    "duplicates",
    "match_question",
    "option_labels",
    "question_text",
    "read_export",
    "too_fast",
]
