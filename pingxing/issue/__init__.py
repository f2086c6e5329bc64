"""Step 3 — issuing: the roster → the blank standard workbooks sent to branches and units
(:mod:`.workbooks`, styled by :mod:`.style`), the committee's corrections workbook
(:mod:`.corrections`) and the superior's re-check workbook (:mod:`.recheck`)."""
