"""Step 5 — validation: one returned form against its scheme (:mod:`.form`): each component sheet's
header and columns (:mod:`.layout`), rows (:mod:`.rows`) and cells (:mod:`.values`), how the sheet is
laid out (:mod:`.sheet_checks`); the committee's corrections and re-checks (:mod:`.corrections`,
:mod:`.recheck`); the whole per-file step (:mod:`.onefile`), its result made compact
(:mod:`.compact`) into :mod:`.formdata` records. Every problem names file, sheet and cell."""
