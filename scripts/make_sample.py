#!/usr/bin/env python3
"""Rebuild the sample shipped in ``examples/``: its returned forms and its own campaign record.

For every module in ``scripts/samples/`` (one per scheme): run the project's own ``forms``
command on the module's roster (recording the campaign in ``examples/评星记录.sqlite``, the
sample's record), then fill each workbook the way a branch (or survey team, or assessment group)
would — openpyxl, by header labels — with plausible, reproducible values, into
``examples/input/<scheme>/``. The sample is clean:
``python process.py run --input examples/input --history examples/评星记录.sqlite`` exits 0.
``input/`` stays empty: it is the clerk's own.

    python scripts/make_sample.py               # every scheme (the record is made anew)
    python scripts/make_sample.py member-weighted
"""

from __future__ import annotations

import importlib.util
import random
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(Path(__file__).resolve().parent / "samples")]

from click.testing import CliRunner  # noqa: E402

from process import cli  # noqa: E402

SAMPLES = Path(__file__).resolve().parent / "samples"
EXAMPLES = ROOT / "examples"
RECORD = EXAMPLES / "评星记录.sqlite"


def issue_forms(scheme: str, roster: Path, period: str, out: Path) -> list[Path]:
    """The project's own ``forms`` command, as a clerk runs it (recorded in the sample's record)."""
    result = CliRunner().invoke(cli, ["forms", "--scheme", scheme, "--roster", str(roster), "--period", period,
                                      "--output", str(out), "--history", str(RECORD)])
    if result.exit_code:
        sys.exit(result.output)
    return sorted(out.glob("*.xlsx"))


def import_previous(scheme: str, file: Path, period: str) -> None:
    """The clerk's ``history import`` of last year's results (so 升降星 and the lists can compare)."""
    result = CliRunner().invoke(cli, ["history", "import", str(file), "--scheme", scheme, "--period", period,
                                      "--history", str(RECORD)])
    if result.exit_code:
        sys.exit(result.output)


#: what a clerk types into the settings workbook (设置-<scheme>-<period>.xlsx) of the sample
SETTINGS = {"联系人": "组织办 李老师", "联系电话": "12380", "受理地点": "本单位组织人事部门（书面或当面反映，须署真实姓名）",
            "受理时间": "工作日 9:00—17:00", "主送机关": "各党支部", "印发机关": "组织人事部门"}


def fill_settings(blank: Path, out: Path) -> None:
    """The settings workbook as the clerk fills it in: the 内容 of each item by its 项目."""
    from openpyxl import load_workbook

    wb = load_workbook(blank)
    ws = wb["设置"]
    for row in ws.iter_rows(min_row=4):
        item = row[0].value
        if item in SETTINGS:
            row[1].value = SETTINGS[item]
    wb.save(out)


def main(names: list[str]) -> None:
    if not names:
        RECORD.unlink(missing_ok=True)
    for module_path in sorted(SAMPLES.glob("*.py")):
        if module_path.stem.startswith("_"):
            continue
        spec = importlib.util.spec_from_file_location(module_path.stem, module_path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if names and module.SCHEME not in names:
            continue
        inbox = EXAMPLES / "input" / module.SCHEME
        shutil.rmtree(inbox, ignore_errors=True)
        inbox.mkdir(parents=True)
        previous = getattr(module, "PREVIOUS", None)  # last year's results, kept before the tool existed
        if previous:
            import_previous(module.SCHEME, ROOT / previous[0], previous[1])
        with tempfile.TemporaryDirectory() as tmp:
            forms = issue_forms(module.SCHEME, ROOT / module.ROSTER, module.PERIOD, Path(tmp))
            module.fill_all(random.Random(module.SEED), forms, inbox)
            settings = next(Path(tmp).glob("更正表/设置-*.xlsx"))
            fill_settings(settings, inbox / settings.name)
        for p in sorted(inbox.glob("*.xlsx")):
            print(p.relative_to(ROOT))


if __name__ == "__main__":
    main(sys.argv[1:])
