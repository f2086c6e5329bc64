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
    assert block == ["pip install -r requirements.txt && python process.py run --input examples/input --history examples/评星记录.sqlite",
                     "pip install -r requirements-dev.txt && python -m pytest"]
    assert readme.index("```sh") < 5
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert block[1] in ci


def test_the_readme_is_short_and_its_links_lead_somewhere() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.encode("utf-8")) <= 10_000
    import re

    for target in re.findall(r"\]\(([^)#]+)\)", readme):
        assert (ROOT / target).exists(), target


def test_the_generated_pages_are_up_to_date() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_docs.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_every_template_field_is_documented() -> None:
    from pingxing.publish.notices import DERIVED_FIELDS, OPTIONAL_FIELDS
    from pingxing.publish.samples import sample_contexts

    page = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")
    fields = set(OPTIONAL_FIELDS) | set(DERIVED_FIELDS) | {"template"}
    for ctx in sample_contexts():
        fields |= set(ctx) | {k for row in ctx["rows"] for k in row}
        for section in ctx.get("sections", []):
            fields |= set(section) | {k for row in section["rows"] for k in row}
    assert sorted(f for f in fields if f"`{f}`" not in page) == []


def test_every_scheme_key_is_documented() -> None:
    from pydantic import BaseModel

    from pingxing.scheme import components, model, rules

    page = (ROOT / "docs" / "schemes.md").read_text(encoding="utf-8")
    keys: set[str] = set()
    for module in (components, model, rules):
        for thing in vars(module).values():
            if isinstance(thing, type) and issubclass(thing, BaseModel) and thing.__module__ == module.__name__:
                keys |= {k for k in thing.model_fields if k != "kind"}
    assert sorted(k for k in keys if f"`{k}`" not in page) == []
