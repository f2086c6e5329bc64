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
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
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


#: name prefixes of the folders a period's outputs are built in (:mod:`pingxing.publish.staging`)
STAGING_PREFIX = ".staging-"
OLD_PREFIX = ".old-"
#: what the tool writes at the top of its output folder, beside the periods' folders
PROBLEMS_CSV, PROBLEMS_PART = "problems.csv", ".problems.csv.tmp"  # the run's problems (written whole: .tmp first)
OUTPUT_FILES = (PROBLEMS_CSV, PROBLEMS_PART)
_RECORD_SUFFIXES = ("", "-journal", "-wal", "-shm")


def list_files(location: str | Path, ignored: set[str], own: Iterable[Path] = ()) -> list[tuple[str, str]]:
    """``(source, relative path)`` of every file below ``location``, sorted by relative path.

    ``source`` is what a worker opens: a local path, or the file's full URL. The relative path is
    how the file is named to the clerk: readable even when the name on disk is not valid UTF-8 (a
    zip made on Chinese Windows unpacked elsewhere: decoded as GB18030). Linked sub-folders (a
    symlink, a mounted share) are read like any other, each folder once however it is reached (a
    link to a folder above is no loop); a link to nothing is listed, so that reading it says so.
    ``own``: the run's output folder and record file — what the tool wrote there (``problems.csv``,
    the periods' folders, the record) is never read as a returned form, nor is any folder of an
    earlier run's outputs (its ``manifest.json`` is the tool's) or a folder one was built in.
    Raises FileNotFoundError when ``location`` is not a folder.
    """
    local = local_path(location)
    if local is None:
        fs, root = remote_fs(str(location))
        if not fs.isdir(root):
            raise FileNotFoundError(str(location))
        root = root.rstrip("/")
        found = [(fs.unstrip_protocol(p), p[len(root):].lstrip("/")) for p in fs.find(root)
                 if p.rsplit("/", 1)[-1] not in ignored]
        return sorted(found, key=lambda item: item[1])
    if not local.is_dir():
        raise FileNotFoundError(str(location))
    skipped = _own_files(own)
    listed: dict[str, str] = {}
    seen: set[tuple[int, int]] = set()
    unlisted: list[OSError] = []  # a sub-folder that cannot be listed is named, never passed over
    for folder, dirs, files in os.walk(local, onerror=unlisted.append, followlinks=True):
        here = Path(folder)
        try:
            st = here.stat()
        except OSError:
            continue
        if (st.st_dev, st.st_ino) in seen or _outputs_of_a_run(here):
            dirs[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith((STAGING_PREFIX, OLD_PREFIX)))
        for name in files:
            path = here / name
            if name in ignored or _same_file(path, skipped):
                continue
            rel = readable_name(path.relative_to(local).as_posix())
            while rel in listed:  # two names on disk read the same (one of them not UTF-8)
                stem, dot, suffix = rel.rpartition(".")
                rel = f"{stem}~{dot}{suffix}" if dot else f"{rel}~"
            listed[rel] = str(path)
    for e in unlisted:  # listed as it is: reading it says it cannot be read
        if not e.filename or Path(e.filename) == local:
            raise e  # the folder itself (a one-line error: no permission …)
        listed.setdefault(readable_name(Path(e.filename).relative_to(local).as_posix()), str(e.filename))
    return sorted(((source, rel) for rel, source in listed.items()), key=lambda item: item[1])


def readable_name(name: str) -> str:
    """A file name (or a relative path, ``/``-separated) as the clerk reads it: each part that is not
    valid UTF-8 on disk (Python holds its bytes as surrogates) decoded as GB18030, else with the
    undecodable bytes shown as ``�``."""
    if "/" in name:
        return "/".join(readable_name(part) for part in name.split("/"))
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        raw = os.fsencode(name)
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace")


def _own_files(own: Iterable[Path]) -> set[tuple[int, int] | str]:
    """The files the tool wrote in its output folder and its record: their names, and each by
    (device, inode) where it exists, else by absolute path."""
    out: set[tuple[int, int] | str] = set()
    for place in own:
        names = [place / n for n in OUTPUT_FILES] if place.is_dir() else [
            place.with_name(place.name + s) for s in _RECORD_SUFFIXES]
        for p in names:
            out.add("/" + p.name)
            try:
                st = p.stat()
                out.add((st.st_dev, st.st_ino))
            except OSError:
                out.add(os.path.abspath(p))
    return out


def _same_file(path: Path, own: set[tuple[int, int] | str]) -> bool:
    if "/" + path.name not in own:
        return False
    try:
        st = path.stat()
    except OSError:
        return os.path.abspath(path) in own
    return (st.st_dev, st.st_ino) in own


def _outputs_of_a_run(folder: Path) -> bool:
    """Whether ``folder`` is a (scheme, period) folder the tool published: its ``manifest.json`` says so."""
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        return False
    try:
        with manifest.open("rb") as f:
            head = f.read(200)
    except OSError:
        return False
    return re.search(rb'"tool"\s*:\s*"pingxing"', head) is not None


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
