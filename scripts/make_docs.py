#!/usr/bin/env python3
"""Write the reference pages that are made from the code, so that they cannot drift:

* ``docs/commands.md`` — every command's ``--help``, as the command line prints it;
* ``docs/problems.md`` — every problem code of :mod:`pingxing.catalogue`: step, severity, meaning,
  what to do, and the messages a clerk reads.

    python scripts/make_docs.py          # write them
    python scripts/make_docs.py --check  # exit 1 if a committed page differs (tests/test_docs.py does this)
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pingxing.catalogue import CATALOGUE, STEPS  # noqa: E402
from pingxing.cli import cli  # noqa: E402

DOCS = ROOT / "docs"


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        out.append(path)
        if isinstance(command, click.Group):
            out += _commands(command, path)
    return out


def commands_page() -> str:
    lines = ["# Commands", "",
             "Made by `python scripts/make_docs.py` from each command's `--help`; do not edit by hand.",
             "Every command is `python process.py <command>`, or `pingxing <command>` once installed",
             "(`pip install .`). Exit codes: 0 everyone rated, 3 someone incomplete or a file with an error",
             "(see `problems.csv`), 2 a mistake to fix (the message says which file and what to do), 1 a fault",
             "of the tool.", ""]
    runner = CliRunner()
    for path in [(), *_commands(cli)]:
        text = runner.invoke(cli, [*path, "--help"], terminal_width=100, prog_name="python process.py").output
        lines += [f"## `{' '.join(path) or 'python process.py'}`", "", "```text", text.rstrip(), "```", ""]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def problems_page() -> str:
    lines = ["# Problem codes", "",
             "Made by `python scripts/make_docs.py` from `pingxing/catalogue.py`; do not edit by hand.",
             "Each problem in `problems.csv` (and in `results.xlsx` → 问题清单, `report.html`, `check`) has one of",
             "these codes. `error`: the file or the person is not rated as sent; `warning`: accepted, but look.",
             "Fields in braces are filled in with the file's own values.", ""]
    for step in STEPS:
        codes = [(code, c) for code, c in CATALOGUE.items() if c.step == step]
        if not codes:
            continue
        lines += [f"## {step}", "", "| code | severity | what happened | what to do |", "|---|---|---|---|"]
        for code, c in codes:
            severity = "/".join((c.severity, *c.also))
            lines.append(f"| `{code}` | {severity} | {_cell(c.meaning)} | {_cell(c.todo)} |")
        lines.append("")
        for code, c in codes:
            lines.append(f"- `{code}`: " + "; ".join(f"“{_cell(m)}”" for m in c.messages.values()))
        lines.append("")
    return "\n".join(lines)


PAGES = {"commands.md": commands_page, "problems.md": problems_page}


def main(argv: list[str]) -> int:
    stale = []
    for name, make in PAGES.items():
        text = make()
        path = DOCS / name
        if "--check" in argv:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print(f"out of date: {', '.join(stale)} — run python scripts/make_docs.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
