"""Docs are tested: every command explains itself with an example, and the README's
commands are the ones CI runs."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from process import cli

ROOT = Path(__file__).resolve().parent.parent


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        out.append(path)
        if isinstance(command, click.Group):
            out += _commands(command, path)
    return out


@pytest.mark.parametrize("path", _commands(cli), ids=" ".join)
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    command = cli
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    if isinstance(command, click.Group):
        assert command.help, path
    else:
        assert "例：python process.py " + " ".join(path) in result.output, f"{' '.join(path)} has no example"
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{' '.join(path)} {param.opts[0]} has no help"


def test_readme_starts_with_the_two_commands_and_ci_runs_the_second() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    block = readme[readme.index("```sh") + 1: readme.index("```")]
    assert block == ["pip install -r requirements.txt && python process.py run",
                     "pip install -r requirements.txt && python -m pytest"]
    assert readme.index("```sh") < 5
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert block[1] in ci
