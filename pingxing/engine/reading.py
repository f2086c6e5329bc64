"""The per-file step as the workers run it: :func:`pingxing.validate.onefile.assess_file`, then
the form's sheets pickled compact (:mod:`.formpack`) right there, in the worker, so the main
process only keeps a small header and puts the rest on disk as it comes."""

from __future__ import annotations

import dataclasses
import pickle

from pingxing.engine import formpack  # noqa: F401  (registers the compact pickling of FormData)
from pingxing.validate.onefile import FileJob, FileOutcome, assess_file


def assess_spilled(job: FileJob) -> FileOutcome:
    """:func:`assess_file`, with the form's sheets and roster (only those) pickled into ``blob`` here,
    in the worker: the main process keeps the small header — the form's one description, judged and
    changed there and puts the blob on disk as it is (one
    pickling on the way, one unpickling when its shard is rated)."""
    outcome = assess_file(job)
    data = outcome.data
    if data is not None and data.sheets:
        outcome.blob = pickle.dumps((data.sheets, data.roster), pickle.HIGHEST_PROTOCOL)
        outcome.data = dataclasses.replace(data, sheets={}, roster=[])
    return outcome
