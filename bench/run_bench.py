#!/usr/bin/env python3
"""How fast is a whole ``run``, and how close to what the libraries allow?

For each size N (``--branches 83,830,8300``) this builds (once, cached under ``--workdir``)
a corpus of N branch forms with the project's own ``forms`` command, and its campaign record (see
``bench/corpus.py``; each measured run writes a copy of the record), then, in a fresh child process per size (so that peak memory of one
size does not leak into the next), measures on the same files:

* **run** — the whole ``process.py run`` (assess + publish, ``--jobs`` workers), wall time
  per stage from the pipeline's own ``timings``: read (hash, recognise, calamine), validate,
  aggregate + rate (shard by shard, in the main process), render (the notices on the workers
  while the main process writes results.csv/xlsx and 公示汇编 as the shards come, then the
  problems and the report), pdf (LibreOffice on the workers: a PDF beside every Word file and
  公示汇编.pdf; only where LibreOffice is installed), write (manifest, the folder put in place).
  Read and validate run interleaved on the workers: their wall time is split by the workers'
  busy time in each; rating is interleaved with rendering: its time is taken out of render's.
* **run without PDFs** — the same run with ``--no-pdf``, and the ratio of the two (issue 14: the
  run with PDFs within 2× of the run without).
* **floor** — one process, no pipeline: python-calamine's raw read of every sheet of every
  file, plus the same notices rendered from a template parsed once (Word and HTML).
* **naive** — what a straightforward script spends on the same two steps: ``pd.read_excel``
  with the openpyxl engine (all sheets of each workbook) and docxtpl re-opening the
  template for every notice. Only up to ``--naive-max`` branches (it is slow): a lower
  bound of a straightforward run, which would still validate, aggregate and write.
* **peak RSS** — ``ru_maxrss`` of the child taken right after the run (main process) and of
  its largest worker process (the workers are started when reading starts, from a main
  process that holds nothing of the run yet).

    python bench/run_bench.py --branches 83,830
    python bench/run_bench.py --branches 83,830,8300 --repeat 3   # the README's table
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

STAGES = ["read", "validate", "aggregate", "rate", "render", "pdf", "write"]
START = date(2026, 12, 1)


def measure(n: int, workdir: Path, jobs: int | None, naive_max: int) -> dict[str, object]:
    """Runs in the child process for one size."""
    from corpus import fresh_record
    from python_calamine import CalamineWorkbook

    from pingxing import pipeline
    from pingxing.engine.pool import Runner
    from pingxing.places import templates_dir
    from pingxing.publish.calendar import publishing
    from pingxing.publish.contexts import stage_contexts
    from pingxing.publish.notices import NoticeRenderer

    inbox = workdir / f"b{n}" / "input"
    files = sorted(inbox.rglob("*.xlsx"))
    out = Path(tempfile.mkdtemp(prefix="bench-out-", dir=workdir))
    from pingxing.publish.pdf import find_converter

    plain = Path(tempfile.mkdtemp(prefix="bench-nopdf-", dir=workdir))
    bare = Runner(jobs=jobs)  # workers of its own: each run starts its workers, as a clerk's run does
    record = fresh_record(inbox, plain)  # each run its own copy of the campaign as issued
    t0 = time.perf_counter()
    pipeline.run(pipeline.Options(inbox, plain, publicity_start=START, runner=bare, history=record, pdf=False))
    bare.close()
    nopdf_s = time.perf_counter() - t0
    shutil.rmtree(plain, ignore_errors=True)
    runner = Runner(jobs=jobs)
    record = fresh_record(inbox, out)
    t0 = time.perf_counter()
    opts = pipeline.Options(inbox, out, publicity_start=START, runner=runner, history=record, pdf=True)
    outcome = pipeline.run(opts)
    runner.close()  # the workers stop (and their peak RSS is counted below)
    run_s = time.perf_counter() - t0
    pdfs = sum(1 for _ in out.rglob("*.pdf"))
    rss_main = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rss_workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    timings = dict(outcome.timings)
    members = sum(r.summary.entities for r in outcome.periods)
    found = pipeline.read_input(pipeline.Options(inbox, out, history=out / "floor.sqlite"))  # the same notices again
    contexts = [c for g in found.groups for c in stage_contexts(
        g.scheme, g.period, [(None, pipeline.rate_whole(g, out / "floor.sqlite"))],
        publishing(g.scheme, g.settings, START, {}, START), [])]
    found.close()
    del outcome

    # the floor: raw read of every sheet, then the same notices from a template parsed once
    t0 = time.perf_counter()
    cells = 0
    for f in files:
        wb = CalamineWorkbook.from_path(str(f))
        for name in wb.sheet_names:
            rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            cells += sum(len(r) for r in rows)
        wb.close()
    floor_read = time.perf_counter() - t0
    t0 = time.perf_counter()
    floor_dir = Path(tempfile.mkdtemp(prefix="bench-floor-", dir=workdir))
    renderer = NoticeRenderer(templates_dir())
    for i, ctx in enumerate(contexts):
        (floor_dir / f"{i}.docx").write_bytes(renderer.docx_bytes(ctx))
        (floor_dir / f"{i}.html").write_text(renderer.html_text(ctx), encoding="utf-8")
    floor_render = time.perf_counter() - t0

    naive_read = naive_render = None
    if n <= naive_max:
        import pandas as pd
        from docxtpl import DocxTemplate

        t0 = time.perf_counter()
        for f in files:
            pd.read_excel(f, sheet_name=None, engine="openpyxl", header=None)
        naive_read = time.perf_counter() - t0
        t0 = time.perf_counter()
        for i, ctx in enumerate(contexts):
            tpl = DocxTemplate(templates_dir() / "notice.docx")
            tpl.render(ctx, autoescape=True)
            tpl.save(floor_dir / f"naive-{i}.docx")
        naive_render = time.perf_counter() - t0
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(floor_dir, ignore_errors=True)
    return {
        "branches": n, "files": len(files), "members": members, "cells": cells, "notices": len(contexts),
        "jobs": runner.workers, "run": run_s, **{s: timings.get(s, 0.0) for s in STAGES},
        "run_nopdf": nopdf_s, "pdfs": pdfs, "converter": find_converter() or "",
        "floor_read": floor_read, "floor_render": floor_render, "floor": floor_read + floor_render,
        "naive_read": naive_read, "naive_render": naive_render,
        "naive": None if naive_read is None else naive_read + (naive_render or 0.0),
        "rss_main_mb": rss_main, "rss_workers_mb": rss_workers,
    }


def _fmt(v: object, unit: str = "s") -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.2f} {unit}".strip()
    return str(v)


def table(results: list[dict[str, object]]) -> str:
    head = "| | " + " | ".join(f"{r['branches']} branches" for r in results) + " |"
    lines = [head, "|---" * (len(results) + 1) + "|"]

    def row(label: str, values: list[str]) -> None:
        lines.append(f"| {label} | " + " | ".join(values) + " |")

    row("files / members / cells", [f"{r['files']} / {r['members']} / {r['cells']:,}" for r in results])
    row("workers", [str(r["jobs"]) for r in results])
    for s in ("read", "validate"):
        row(f"run: {s}", [_fmt(r[s]) for r in results])
    row("run: aggregate + rate", [_fmt(r["aggregate"] + r["rate"]) for r in results])  # type: ignore[operator]
    for s in ("render", "pdf", "write"):
        row(f"run: {s}", [_fmt(r[s]) for r in results])
    row("**run (whole)**", [f"**{_fmt(r['run'])}**" for r in results])
    row("PDFs made", [str(r["pdfs"]) if r["converter"] else "— (no LibreOffice)" for r in results])
    row("run without PDFs (--no-pdf)", [_fmt(r["run_nopdf"]) for r in results])
    row("**with PDFs / without**", [f"**{r['run'] / r['run_nopdf']:.2f}×**" for r in results])  # type: ignore[operator]
    row("floor: calamine raw read", [_fmt(r["floor_read"]) for r in results])
    row("floor: render from parsed template", [_fmt(r["floor_render"]) for r in results])
    row("**floor**", [f"**{_fmt(r['floor'])}**" for r in results])
    row("**run / floor**", [f"**{r['run'] / r['floor']:.2f}**" for r in results])  # type: ignore[operator]
    row("naive: pd.read_excel (openpyxl)", [_fmt(r["naive_read"]) for r in results])
    row("naive: docxtpl per notice", [_fmt(r["naive_render"]) for r in results])
    row("**naive / run**", [f"**{r['naive'] / r['run']:.1f}×**" if r["naive"] else "—"  # type: ignore[operator]
                            for r in results])
    row("run per branch", [f"{1000 * r['run'] / r['branches']:.1f} ms" for r in results])  # type: ignore[operator]
    row("peak RSS: main process", [f"{r['rss_main_mb']:.0f} MB" for r in results])
    row("peak RSS: the largest worker",
        [f"{r['rss_workers_mb']:.0f} MB" for r in results])
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--branches", default="83,830", help="sizes, comma-separated (default 83,830)")
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "pingxing-bench",
                    help="where corpora are built and kept for the next time")
    ap.add_argument("--jobs", type=int, default=None, help="workers for the run (default: the machine's cores)")
    ap.add_argument("--naive-max", type=int, default=830, help="measure the naive pipeline up to this size")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures as JSON here")
    ap.add_argument("--repeat", type=int, default=1,
                    help="measure each size this many times (fresh processes) and show the median run")
    ap.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child is not None:
        print(json.dumps(measure(a.child, a.workdir, a.jobs, a.naive_max)))
        return
    from corpus import build

    results = []
    for n in (int(x) for x in a.branches.split(",")):
        t0 = time.perf_counter()
        build(n, a.workdir)
        print(f"corpus {n}: ready ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
        cmd = [sys.executable, __file__, "--child", str(n), "--workdir", str(a.workdir),
               "--naive-max", str(a.naive_max)] + (["--jobs", str(a.jobs)] if a.jobs else [])
        runs = []
        for _ in range(max(1, a.repeat)):  # each in a fresh process; the middle one (by run / floor) is kept
            done = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if done.returncode:
                sys.exit(done.stderr)
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
            r = runs[-1]
            print(f"size {n}: run {r['run']:.2f} s (without PDFs {r['run_nopdf']:.2f} s: "
                  f"{r['run'] / r['run_nopdf']:.2f}×), floor {r['floor']:.2f} s, "
                  f"load average after: {os.getloadavg()[0]:.1f}", file=sys.stderr)
        runs.sort(key=lambda r: r["run"] / r["floor"])
        results.append(runs[len(runs) // 2])
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, load average before: "
          f"{os.getloadavg()[0]:.1f} (other work on the machine inflates every figure)"
          + (f"; each size measured {a.repeat} times, the median by run / floor shown" if a.repeat > 1 else ""))
    print(table(results))
    if a.json:
        a.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
