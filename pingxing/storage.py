"""Where returned forms come from and where outputs go: a local folder or an fsspec URL.

A plain path or a ``file://`` URL is a local folder and needs nothing extra. Any other
URL (``s3://bucket/2026Q4/input``, ``gcs://…``, ``abfs://…``) goes through fsspec, which
is part of the optional Dask extra (``requirements-dask.txt``) together with the
filesystem's own package (``s3fs``, ``gcsfs``, ``adlfs``). A worker reading a remote file
copies it to a temporary local file first, so the readers only ever see local paths.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlparse

from pingxing.errors import UserError


def is_url(location: str | Path) -> bool:
    return isinstance(location, str) and "://" in location


def local_path(location: str | Path) -> Path | None:
    """The local path of a plain path or a ``file://`` URL; None for a remote URL."""
    if not is_url(location):
        return Path(location)
    assert isinstance(location, str)
    parsed = urlparse(location)
    if parsed.scheme in ("file", "local"):
        return Path(unquote(parsed.netloc + parsed.path) if parsed.netloc not in ("", "localhost")
                    else unquote(parsed.path))
    return None


def _fsspec():  # type: ignore[no-untyped-def]
    try:
        import fsspec
    except ImportError:
        raise UserError("读写 URL 需要可选组件 fsspec：请先运行 pip install -r requirements-dask.txt") from None
    return fsspec


def remote_fs(url: str):  # type: ignore[no-untyped-def]
    """(filesystem, path inside it) of a remote URL."""
    return _fsspec().core.url_to_fs(url)


def list_files(location: str | Path, ignored: set[str]) -> list[tuple[str, str]]:
    """``(source, relative path)`` of every file below ``location``, sorted by relative path.

    ``source`` is what a worker opens: a local path, or the file's full URL.
    Raises FileNotFoundError when ``location`` is not a folder.
    """
    local = local_path(location)
    if local is not None:
        if not local.is_dir():
            raise FileNotFoundError(str(location))
        found = [(str(p), p.relative_to(local).as_posix()) for p in local.rglob("*")
                 if p.is_file() and p.name not in ignored]
    else:
        fs, root = remote_fs(str(location))
        if not fs.isdir(root):
            raise FileNotFoundError(str(location))
        root = root.rstrip("/")
        found = [(fs.unstrip_protocol(p), p[len(root):].lstrip("/")) for p in fs.find(root)
                 if p.rsplit("/", 1)[-1] not in ignored]
    return sorted(found, key=lambda item: item[1])


@contextmanager
def local_copy(source: str) -> Iterator[Path]:
    """A local path to read ``source`` from: itself when local, else a temporary copy
    under the same file name (recognising a file looks at its name, e.g. ``~$`` lock files)."""
    local = local_path(source)
    if local is not None:
        yield local
        return
    fs, path = remote_fs(source)
    folder = tempfile.mkdtemp(prefix="pingxing-")
    try:
        target = Path(folder) / (path.rsplit("/", 1)[-1] or "file")
        fs.get_file(path, str(target))
        yield target
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def upload(local_dir: Path, url: str) -> None:
    """Copy the finished output folder to a remote URL, one ``<scheme>/<period>`` folder at a
    time (each replaced whole), then the run's ``problems.csv``."""
    fs, root = remote_fs(url)
    root = root.rstrip("/")
    for scheme_dir in sorted(p for p in local_dir.iterdir() if p.is_dir()):
        for period_dir in sorted(p for p in scheme_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
            target = f"{root}/{scheme_dir.name}/{period_dir.name}"
            if fs.exists(target):
                fs.rm(target, recursive=True)
            for p in sorted(period_dir.rglob("*")):
                if p.is_file():
                    dest = f"{target}/{p.relative_to(period_dir).as_posix()}"
                    fs.makedirs(posixpath.dirname(dest), exist_ok=True)
                    fs.put_file(str(p), dest)
    for p in sorted(local_dir.iterdir()):
        if p.is_file():
            fs.put_file(str(p), f"{root}/{p.name}")


def cpu_count() -> int:
    return os.cpu_count() or 1
