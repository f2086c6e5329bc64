"""Byte-identical documents: the same inputs give the same bytes.

openpyxl and python-docx stamp the current time into ``docProps/core.xml`` and into every
zip member. :func:`rezip` rewrites a finished .xlsx/.docx with every member in the same
order, a fixed timestamp and fixed compression; :data:`FIXED_TIME` is what document
properties are set to. Run times belong in ``manifest.json``, never inside documents.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

FIXED_TIME = datetime(2000, 1, 1, 0, 0, 0)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def stable_zip(members: Iterable[tuple[str, bytes]]) -> bytes:
    """Zip ``(name, data)`` pairs in the given order with a fixed timestamp (reproducible)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return out.getvalue()


def rezip(path: Path) -> None:
    """Rewrite a finished .xlsx/.docx in place with pinned zip metadata and core-property dates."""
    with zipfile.ZipFile(path) as src:
        members = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    pinned = [(name, _CORE_DATES.sub(rb"\g<1>2000-01-01T00:00:00Z\g<3>", data) if name == "docProps/core.xml" else data)
              for name, data in members]
    tmp = path.with_name(path.name + ".rezip")
    tmp.write_bytes(stable_zip(pinned))
    tmp.replace(path)
