"""How a run is carried out: the worker pool or a Dask cluster (:mod:`.pool`), the per-file step as the
workers run it (:mod:`.reading`), forms pickled compact (:mod:`.formpack`) and kept on disk
(:mod:`.spool`), groups rated shard by shard (:mod:`.shards`), and the clock (:mod:`.timing`)."""
