"""Byte-identical documents: the same inputs give the same bytes.

openpyxl and python-docx stamp the current time into ``docProps/core.xml`` and into every
zip member. :func:`rezip` rewrites a finished .xlsx/.docx with every member in the same
order, a fixed timestamp (:data:`ZIP_TIME`) and fixed compression; :data:`FIXED_TIME` is
what document properties are set to. Run times belong in ``manifest.json``, never inside documents.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

FIXED_TIME = datetime(2000, 1, 1, 0, 0, 0)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def stable_zip(members: Iterable[tuple[str, bytes]]) -> bytes:
    """Zip ``(name, data)`` pairs in the given order with a fixed timestamp (reproducible)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return out.getvalue()


def rezip(path: Path) -> None:
    """Rewrite a finished .xlsx/.docx in place with pinned zip metadata and core-property dates.
    Member by member, in chunks: a province's results sheet is never all in memory."""
    tmp = path.with_name(path.name + ".rezip")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for member in src.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            if member.filename == "docProps/core.xml":
                dst.writestr(info, _CORE_DATES.sub(rb"\g<1>2000-01-01T00:00:00Z\g<3>", src.read(member)))
                continue
            with src.open(member) as data, dst.open(info, "w", force_zip64=member.file_size > 2**30) as out:
                shutil.copyfileobj(data, out, 1 << 20)
    tmp.replace(path)
