"""Step 7 — publishing, writers only: the period's folder (:mod:`.folder`) with results.csv and
results.xlsx (:mod:`.tables`, :mod:`.workbook`), the notices (:mod:`.contexts` → :mod:`.notices`,
rendered by :mod:`.rendering`), 公示汇编 (:mod:`.compilation`), the internal document
(:mod:`.internal`), report.html (:mod:`.report`), written whole or not at all (:mod:`.staging`,
:mod:`.stable`). It writes what it is given and never drives the rating."""
