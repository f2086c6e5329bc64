"""Byte-identical documents: the same inputs give the same bytes.

openpyxl and python-docx stamp the current time into ``docProps/core.xml`` and into every
zip member. :func:`rezip` rewrites a finished .xlsx/.docx with every member in the same
order, a fixed timestamp and fixed compression; :data:`FIXED_TIME` is what document
properties are set to. Run times belong in ``manifest.json``, never inside documents.
"""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path

FIXED_TIME = datetime(2000, 1, 1, 0, 0, 0)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def rezip(path: Path) -> None:
    """Rewrite ``path`` in place (via a temporary file) with pinned zip metadata."""
    tmp = path.with_name(path.name + ".rezip")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _CORE_DATES.sub(rb"\g<1>2000-01-01T00:00:00Z\g<3>", data)
            out = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            out.compress_type = zipfile.ZIP_DEFLATED
            out.external_attr = 0o600 << 16
            dst.writestr(out, data, compresslevel=6)
    tmp.replace(path)
