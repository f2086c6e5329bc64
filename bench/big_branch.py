#!/usr/bin/env python3
"""Does a run cost stay linear in the size of one branch? (issue 13, class 9)

Builds (once, cached under ``--workdir``) one branch of N members — a roster, the blank form from
the project's own ``forms`` command, filled as ``bench/corpus.py`` fills forms — then runs the
whole ``run`` on it in a fresh child process per size and prints the wall time per stage (the
pipeline's own timings) and the ratio of each size to the first. A branch is one shard, one 公示
of N rows, one 公示汇编 of one notice: what grows here is what grows with a branch, not with the
number of branches (that is ``run_bench.py``).

    python bench/big_branch.py --members 2500,10000
    python bench/big_branch.py --members 2500,5000,10000 --repeat 3
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from run_bench import STAGES  # noqa: E402  (the same columns: the run makes PDFs where LibreOffice is installed)


def build(n: int, workdir: Path) -> Path:
    """The returned form of one branch of ``n`` members under ``workdir/m<n>/input``; built once."""
    from corpus import PERIOD, RECORD, SCHEME, fill

    base = workdir / f"m{n}"
    inbox = base / "input"
    if (base / "complete").is_file() and (base / RECORD).is_file():
        return inbox
    base.mkdir(parents=True, exist_ok=True)
    roster = base / "名册.csv"
    with roster.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["单位", "支部", "编号", "姓名", "身份"])
        w.writerows(["大型单位", "第一党支部", f"M{m:05d}", f"党员{m:05d}", "正式党员"] for m in range(n))
    subprocess.run([sys.executable, str(ROOT / "process.py"), "forms", "--scheme", SCHEME, "--roster", str(roster),
                    "--period", PERIOD, "--output", str(base / "forms"), "--history", str(base / RECORD)],
                   check=True, stdout=subprocess.DEVNULL)  # (its own record: never the working folder's)
    inbox.mkdir(exist_ok=True)
    form = next((base / "forms").glob("*.xlsx"))
    fill((form, inbox / form.name, n))
    (base / "complete").write_text("1")
    return inbox


def measure(n: int, workdir: Path, jobs: int | None) -> dict[str, object]:
    """In the child process: one whole run on the branch of ``n`` members."""
    from datetime import date

    from corpus import fresh_record

    from pingxing import pipeline
    from pingxing.engine.pool import Runner

    inbox = workdir / f"m{n}" / "input"
    out = Path(tempfile.mkdtemp(prefix="bench-big-", dir=workdir))
    runner = Runner(jobs=jobs)
    record = fresh_record(inbox, out)
    t0 = time.perf_counter()
    outcome = pipeline.run(pipeline.Options(inbox, out, publicity_start=date(2026, 12, 1), runner=runner,
                                            history=record))
    runner.close()
    wall = time.perf_counter() - t0
    return {"members": n, "rated": sum(p.summary.entities for p in outcome.periods), "run": wall,
            **{s: outcome.timings.get(s, 0.0) for s in STAGES}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--members", default="2500,10000", help="branch sizes, comma-separated (default 2500,10000)")
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "pingxing-bench")
    ap.add_argument("--jobs", type=int, default=None, help="workers for the run (default: the machine's cores)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per size (fresh processes); the fastest is shown")
    ap.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child is not None:
        print(json.dumps(measure(a.child, a.workdir, a.jobs)))
        return
    rows = []
    for n in (int(x) for x in a.members.split(",")):
        build(n, a.workdir)
        cmd = [sys.executable, __file__, "--child", str(n), "--workdir", str(a.workdir)] + (
            ["--jobs", str(a.jobs)] if a.jobs else [])
        runs = []
        for _ in range(max(1, a.repeat)):
            done = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if done.returncode:
                sys.exit(done.stderr)
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(f"{n} members: {runs[-1]['run']:.2f} s", file=sys.stderr)
        rows.append(min(runs, key=lambda r: r["run"]))
    first = rows[0]
    print("| members | " + " | ".join(STAGES) + " | run (whole) | × the first size |")
    print("|---" * (len(STAGES) + 3) + "|")
    for r in rows:
        ratio = r["run"] / first["run"]  # type: ignore[operator]
        print(f"| {r['members']} | " + " | ".join(f"{r[s]:.2f} s" for s in STAGES)
              + f" | **{r['run']:.2f} s** | {ratio:.1f}× (size {r['members'] / first['members']:.0f}×) |")  # type: ignore[operator]


if __name__ == "__main__":
    main()
