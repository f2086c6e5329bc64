"""Where the schemes and templates are: the clerk's own, in the working folder, before the shipped ones.

A clerk who keeps a ``schemes/`` or ``templates/`` folder where they run the tool uses those
(a scheme by file name; the templates as a whole folder); otherwise the ones shipped with the
tool are used — from the checkout (``python process.py``) or, once installed
(``pip install .``), from the copy inside the package.
"""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent
_CHECKOUT = _HERE.parent


def shipped(name: str) -> Path:
    """The shipped ``schemes`` or ``templates`` folder."""
    beside = _CHECKOUT / name
    return beside if beside.is_dir() else _HERE / "_shipped" / name


def schemes_dirs() -> list[Path]:
    """Where a scheme is looked up by name, first to last."""
    own, ours = Path.cwd() / "schemes", shipped("schemes")
    return [own, ours] if own.is_dir() and own.resolve() != ours.resolve() else [ours]


def templates_dir() -> Path:
    """The templates a run uses: the working folder's ``templates/`` when it has the notice template."""
    own = Path.cwd() / "templates"
    return own if (own / "notice.docx").is_file() else shipped("templates")
