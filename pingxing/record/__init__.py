"""Step 2 — the record: one SQLite file that remembers every campaign (what was sent out, once the
campaign record lands) and every period's final results (:mod:`.store`), results kept before this
tool (:mod:`.imports`), and the roster (名册) that says who is rated where (:mod:`.roster`)."""
