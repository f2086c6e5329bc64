"""Step 4 — intake: find the returned files, recognise each by its content (:mod:`.sniff`, inside the
zip: :mod:`.package`, :mod:`.sheet_scan`), refuse what cannot be read safely (:mod:`.limits`) and read
each workbook once (:mod:`.read`). Nothing here knows the rules of a scheme."""
