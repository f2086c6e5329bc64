"""Step 1 — the scheme: a scheme file (``schemes/*.yaml``) loaded into frozen pydantic models.

:mod:`.components` (what each sheet of the standard workbook holds), :mod:`.rules` (the rule
kinds a scheme lists), :mod:`.model` (the whole scheme), :mod:`.checks` (what the pieces say
about each other) and :mod:`.load` (file → model, every mistake reported at once).
"""

from pingxing.scheme.components import (
    KINDS,
    NUMERIC_KINDS,
    TALLY_HEADERS,
    YES_NO,
    BallotsComponent,
    BonusComponent,
    ChecklistComponent,
    Column,
    Component,
    FlagsComponent,
    GradeVotesComponent,
    ItemsComponent,
    LedgerComponent,
    ScoreComponent,
    TallyComponent,
    VotesComponent,
)
from pingxing.scheme.load import SCHEMES_DIR, available, file_sha256, load, load_named, parse, resolve
from pingxing.scheme.model import RESERVED_SHEETS, STAR_WORDS, Scheme
from pingxing.scheme.rules import RULE_KINDS
from pingxing.scheme.writable import plain_name

__all__ = [
    "KINDS", "NUMERIC_KINDS", "RESERVED_SHEETS", "RULE_KINDS", "SCHEMES_DIR", "STAR_WORDS", "TALLY_HEADERS", "YES_NO",
    "BallotsComponent", "BonusComponent", "ChecklistComponent", "Column", "Component", "FlagsComponent",
    "GradeVotesComponent", "ItemsComponent", "LedgerComponent", "Scheme", "ScoreComponent", "TallyComponent",
    "VotesComponent",
    "available", "file_sha256", "load", "load_named", "parse", "plain_name", "resolve",
]
