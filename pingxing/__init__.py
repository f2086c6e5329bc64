"""pingxing (评星): star-rating campaigns for Party branches and members.

The package reads as the pipeline; read this file, then :mod:`pingxing.pipeline` (the order of
a run), then the folder of the step in question:

``scheme/`` (scheme files → models) → ``record/`` (the campaign record: history) →
``issue/`` (workbooks to send out) → ``survey/`` (online surveys:
questions to create, exports read back) → ``intake/`` (find, recognise, read returned files) →
``validate/`` (a form against its scheme) → ``rate/`` (entities → ratings, ``rules/``) →
``publish/`` (writers only) → ``engine/`` (shards, workers, spool) → ``pipeline.py``.

The public API (CONTRACT.md "Python API")::

    import pingxing
    pingxing.forms(scheme="member-weighted", roster="名册.xlsx", period="2026Q4")
    outcome = pingxing.run(input="input", output="output")   # outcome.exit_code, .problems …
    df = pingxing.results("output/member-weighted/2026Q4")   # pandas DataFrame
    every_year = pingxing.history()                          # every recorded period
    pingxing.survey_questions(scheme="pioneer-flag", period="2026Q4", sheet="测评", roster="名册.xlsx")
    pingxing.survey_import("答卷.xlsx", scheme="pioneer-flag", period="2026Q4", sheet="测评")
    pingxing.explain(scheme="member-weighted", period="2026Q4", entity="1001")  # 评定计算明细 (.docx, .html)

Each function raises :class:`UserError` (one line per mistake) for a user's mistake.
"""

from pingxing.api import (
    available_schemes,
    check,
    describe,
    draw_recheck,
    entity_history,
    explain,
    forms,
    history,
    import_history,
    load_scheme,
    results,
    run,
    survey_import,
    survey_questions,
)
from pingxing.errors import (
    FileSystemError,
    InputError,
    PingxingError,
    RecordError,
    SchemeError,
    TemplateError,
    ToolError,
    UserError,
)
from pingxing.version import __version__

__all__ = [
    "FileSystemError", "InputError", "PingxingError", "RecordError", "SchemeError", "TemplateError", "ToolError",
    "UserError", "__version__", "available_schemes", "check", "describe", "draw_recheck", "entity_history", "explain", "forms",
    "history", "import_history", "load_scheme", "results", "run", "survey_import", "survey_questions",
]
