"""Step 6 — rating: the validated forms of a shard combined into entities (:mod:`.entities`), rated
(:mod:`.rating`) by the scheme's rules in order (:mod:`.rules`, one module per rule kind), corrected
(:mod:`.corrections`) and re-checked (:mod:`.recheck`) — :mod:`.stages` does one shard — and counted
(:mod:`.summary`)."""
