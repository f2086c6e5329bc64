"""Outputs are written whole or not at all.

A period's folder is built in a staging folder beside it; ``manifest.json`` is written
last, then the staging folder replaces the old one by renames. At the next start a staging
folder without a manifest (a run that died) is discarded, and a previous folder left aside
by a run that died between the two renames is put back.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pingxing.storage import OLD_PREFIX, STAGING_PREFIX

__all__ = ["OLD_PREFIX", "STAGING_PREFIX", "recover", "staged", "write_atomic"]


def recover(parent: Path) -> None:
    """Tidy what an interrupted run left in ``parent`` (``<output>/<scheme>``)."""
    if not parent.is_dir():
        return
    for p in parent.iterdir():
        if p.name.startswith((OLD_PREFIX, STAGING_PREFIX)) and _running(p.name.rsplit("-", 1)[-1]):
            continue  # another run, still going, is publishing into the same folder
        if p.name.startswith(OLD_PREFIX):
            target = parent / p.name[len(OLD_PREFIX):].rsplit("-", 1)[0]
            if not target.exists():
                p.rename(target)  # died between the renames: the old output comes back
            else:
                shutil.rmtree(p, ignore_errors=True)
        elif p.name.startswith(STAGING_PREFIX):
            shutil.rmtree(p, ignore_errors=True)


def _running(pid: str) -> bool:
    """Whether another live process has this pid (a staging folder's suffix)."""
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


@contextmanager
def staged(target: Path) -> Iterator[Path]:
    """Yield a staging folder; on normal exit it replaces ``target``, on error it is removed."""
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    recover(parent)
    stage = parent / f"{STAGING_PREFIX}{target.name}-{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir()
    try:
        yield stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    if not (stage / "manifest.json").is_file():
        shutil.rmtree(stage, ignore_errors=True)
        raise RuntimeError("staging folder has no manifest.json")
    old = parent / f"{OLD_PREFIX}{target.name}-{os.getpid()}"
    if target.exists():
        target.rename(old)
    try:
        stage.rename(target)
    except BaseException:  # the new folder could not take its place: the old one goes back
        if old.exists() and not target.exists():
            old.rename(target)
        shutil.rmtree(stage, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)


def write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
