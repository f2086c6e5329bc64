"""A synthetic city (or province): N branches of ~25 members, forms issued and returned.

The blank forms come from the project's own ``forms`` command on a generated roster
(``名册.csv``); they are then filled the way branches fill them — scores with a decimal
here and there, a ballot or two left blank, a few numbers typed as text, one branch in a
hundred with a forgotten cell — by writing the values straight into each sheet's XML (the
same cells a clerk types into; ~100× faster than opening every workbook with openpyxl).
Reproducible: the same N gives the same files. Corpora are cached: a folder that is
complete is reused.

    python bench/corpus.py --branches 830 --workdir /tmp/pingxing-bench
"""

from __future__ import annotations

import argparse
import csv
import functools
import random
import re
import shutil
import subprocess
import sys
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from pingxing import scheme as schemes

SCHEME = "member-weighted"
PERIOD = "2026Q4"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英建华志国文辉红玉梅海燕鹏飞晓东雪琳佳慧"
#: the corpus's campaign record (what was issued), beside its input; each measured run gets a copy (:func:`fresh_record`)
RECORD = "记录.sqlite"
UNITS_PER = 10  # branches per unit
MAX_RATERS = 31  # 互评 has 30 ballot columns: a larger branch's other members do not rate everyone
_EMPTY_CELL = re.compile(rb'<c r="([A-Z]+\d+)" s="(\d+)"(?: t="n")?(?:></c>|/>)')


def roster(n: int, path: Path) -> None:
    rng = random.Random(n)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["单位", "支部", "编号", "姓名", "身份"])
        for b in range(n):
            unit = f"第{b // UNITS_PER + 1:04d}分局"
            branch = f"第{b % UNITS_PER + 1}党支部"
            for m in range(rng.randint(20, 30)):
                name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
                w.writerow([unit, branch, f"B{b:05d}M{m:02d}", name, "预备党员" if rng.random() < 0.05 else "正式党员"])


def issue(n: int, roster_path: Path, forms_dir: Path, parts: int) -> None:
    """Run ``process.py forms`` on ``parts`` slices of the roster side by side."""
    rows = list(csv.reader(roster_path.open(encoding="utf-8-sig")))
    header, body = rows[0], rows[1:]
    branches = sorted({(r[0], r[1]) for r in body})
    slices = [set(branches[i::parts]) for i in range(parts)]
    procs = []
    for i, keep in enumerate(slices):
        part = roster_path.with_name(f"名册-{i}.csv")
        with part.open("w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(r for r in body if (r[0], r[1]) in keep)
        procs.append(subprocess.Popen(
            [sys.executable, str(ROOT / "process.py"), "forms", "--scheme", SCHEME, "--roster", str(part),
             "--period", PERIOD, "--output", str(forms_dir),
             "--history", str(roster_path.with_name(f"记录-{i}.sqlite"))],  # each its own: no lock to wait on
            stdout=subprocess.DEVNULL))
    for p in procs:
        if p.wait():
            raise SystemExit("forms failed")


def _member(rng: random.Random, raters: int) -> dict[str, list[object]]:
    strong = rng.random() < 0.45
    base = rng.uniform(4.3, 5.0) if strong else rng.uniform(3.0, 4.6)
    items: list[object] = [min(5, round(base + rng.uniform(-0.5, 0.5), 1)) for _ in range(20)]
    level = sum(items) + rng.uniform(-4, 4)  # type: ignore[arg-type]
    peers: list[object] = [min(100, round(level + rng.uniform(-6, 6))) if rng.random() > 0.03 else None
                           for _ in range(min(raters, MAX_RATERS) - 1)]
    if rng.random() < 0.01:  # typed as text
        peers[0] = str(peers[0] or 88)
    staff: list[object] = [min(100, round(level + rng.uniform(-8, 6))) for _ in range(rng.randint(3, 5))]
    leader = min(100, round(level + rng.uniform(-5, 5), 1))
    return {"自评": items, "互评": peers, "领导点评": [leader], "职工参评": staff,
            "支部评定": ["是" if strong and rng.random() < 0.6 else "否", None]}


def _value_xml(v: object) -> tuple[str, str]:
    if isinstance(v, str):
        return ' t="inlineStr"', f"<is><t>{escape(v)}</t></is>"
    return ' t="n"', f"<v>{v}</v>"


def fill(args: tuple[Path, Path, int]) -> None:
    src, dst, seed = args
    rng = random.Random(seed)
    scheme = schemes.load(SCHEME)
    with zipfile.ZipFile(src) as zf:
        members = [(i, zf.read(i.filename)) for i in zf.infolist()]
    wb = CalamineWorkbook.from_path(str(src))
    part_of = {n: f"xl/worksheets/sheet{k}.xml" for k, n in enumerate(wb.sheet_names, 1)}  # openpyxl's order
    ids = [str(r[0]) for r in wb.get_sheet_by_name("_roster").to_python()[1:]]
    people = [_member(rng, len(ids)) for _ in ids]
    if rng.random() < 0.01:  # a branch that forgot one cell: its people wait for the fix
        people[rng.randrange(len(people))]["自评"][rng.randrange(20)] = None
    values: dict[str, dict[str, object]] = {}
    for c in scheme.components:
        rows = wb.get_sheet_by_name(c.sheet).to_python(skip_empty_area=False)
        h = next(i for i, r in enumerate(rows) if r[:2] == ["编号", "姓名"])
        letter = {head: get_column_letter(j + 1) for j, head in enumerate(rows[h]) if head}
        heads = [col.header for col in c.fill_columns()]
        cells: dict[str, object] = {}
        for i, person in enumerate(people):
            assert str(rows[h + 1 + i][0]) == ids[i]
            for head, v in zip(heads, person[c.sheet], strict=False):
                if v is not None:
                    cells[f"{letter[head]}{h + 2 + i}"] = v
        values[part_of[c.sheet]] = cells
    wb.close()

    def typed(m: re.Match[bytes], cells: dict[str, object]) -> bytes:
        ref = m[1].decode()
        if ref not in cells:
            return m[0]
        t, inner = _value_xml(cells[ref])
        return f'<c r="{ref}" s="{m[2].decode()}"{t}>{inner}</c>'.encode()

    tmp = dst.with_name(dst.name + ".part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in members:
            if info.filename in values:
                data = _EMPTY_CELL.sub(functools.partial(typed, cells=values[info.filename]), data)
            out.writestr(info, data)
    tmp.replace(dst)


def register(base: Path) -> None:
    """The whole campaign in ``base``'s record, as a clerk registers forms issued in parts
    (``forms`` ran on slices of the roster side by side, each with a record of its own)."""
    subprocess.run([sys.executable, str(ROOT / "process.py"), "register", "--scheme", SCHEME, "--roster",
                    str(base / "名册.csv"), "--period", PERIOD, "--history", str(base / RECORD)],
                   check=True, stdout=subprocess.DEVNULL)


def fresh_record(inbox: Path, folder: Path) -> Path:
    """A copy of the corpus's record in ``folder``, for one run to write (the corpus's own stays as issued)."""
    copy = folder / RECORD
    shutil.copyfile(inbox.parent / RECORD, copy)
    return copy


def build(n: int, workdir: Path, parts: int = 2) -> Path:
    """The returned forms of ``n`` branches under ``workdir/b<n>/input`` and their campaign record
    beside it; built once."""
    base = workdir / f"b{n}"
    inbox = base / "input"
    done = base / "complete"
    if done.is_file():
        if not (base / RECORD).is_file():  # (a corpus built before it had a record)
            register(base)
        return inbox
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    roster(n, base / "名册.csv")
    issue(n, base / "名册.csv", base / "forms", parts)
    register(base)
    inbox.mkdir()
    forms = sorted((base / "forms").glob("*.xlsx"))
    with ProcessPoolExecutor(parts) as pool:
        list(pool.map(fill, [(f, inbox / f.name, k) for k, f in enumerate(forms)], chunksize=16))
    shutil.rmtree(base / "forms")
    done.write_text(str(len(forms)))
    return inbox


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--branches", default="83", help="sizes, comma-separated")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/pingxing-bench"))
    a = ap.parse_args()
    for n in (int(x) for x in a.branches.split(",")):
        print(build(n, a.workdir))


if __name__ == "__main__":
    main()
