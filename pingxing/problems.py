"""Problems found in returned workbooks: data, collected through the whole run.

Each problem has a stable ``code`` (for scripts and tests) and a Chinese ``message`` a
clerk can act on. ``severity`` is ``error`` (the entity or file is not rated as sent) or
``warning`` (accepted, but somebody should look).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from pingxing.catalogue import CATALOGUE, Severity, message

#: The columns of problems.csv, in order (CONTRACT.md), then our extra ones.
CSV_COLUMNS = ["file", "sheet", "cell", "entity", "severity", "message", "code", "value", "sha256"]


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    entity: str = ""
    severity: Severity = "error"
    value: str = ""
    sha256: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        entry = CATALOGUE.get(self.code)
        if entry is None or (self.severity != entry.severity and self.severity not in entry.also):
            raise ValueError(f"problem code {self.code!r} ({self.severity}) is not in the catalogue")

    def as_row(self) -> dict[str, str]:
        return {k: str(v) for k, v in asdict(self).items()}

    def one_line(self) -> str:
        """How ``check`` prints it: where, then what to do."""
        where = " ".join(
            part
            for part in (self.file, f"[{self.sheet}]" if self.sheet else "", self.cell)
            if part
        )
        who = f"（{self.entity}）" if self.entity else ""
        level = "错误" if self.severity == "error" else "提示"
        return f"{level} {where}{who}: {self.message}"


def sort_key(p: Problem) -> tuple[str, str, int, str, str, str]:
    """Stable order: by file, sheet, cell (row-major), then code and message."""
    return (p.file, p.sheet, _cell_order(p.cell), p.cell, p.code, p.message)


def _cell_order(cell: str) -> int:
    digits = "".join(ch for ch in cell if ch.isdigit())
    return int(digits) if digits else 0


def problem(code: str, variant: str = "", *, file: str = "", sheet: str = "", cell: str = "", entity: str = "",
            severity: Severity | None = None, value: str = "", sha256: str = "", **fields: Any) -> Problem:
    """A problem with its message from the catalogue (:mod:`pingxing.catalogue`); the template may use
    the location (``sheet``, ``cell`` …) as well as ``fields``."""
    text = message(code, variant, file=file, sheet=sheet, cell=cell, entity=entity, **fields)
    return Problem(code, text, file, sheet, cell, entity,
                   severity or CATALOGUE[code].severity, value, sha256)
