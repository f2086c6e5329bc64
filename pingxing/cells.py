"""The one parser of cell values read from returned workbooks.

Every value a branch typed goes through here: NFKC (full-width ``９０`` → ``90``), invisible
characters dropped, an ASCII-only number pattern, then :class:`~decimal.Decimal`. Never
``float()`` on user text: it takes ``'nan'``, ``'inf'``, ``'1_000'`` and Arabic-Indic
digits. Blank, zero and "not applicable" (``/``, ``无``) are three different states.

Raw values are what python-calamine returns: ``''`` for an empty cell, ``str``, ``int``,
``float``, ``bool``, ``date``/``datetime``/``time``/``timedelta``.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Literal

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)
_WITH_UNIT = re.compile(r"([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*分", re.ASCII)
_SPACES = re.compile(r"\s+")
NOT_APPLICABLE = {"/", "无", "-", "—", "——", "不适用", "N/A"}

State = Literal["blank", "ok", "na", "bad"]


@dataclass(frozen=True)
class Number:
    """A parsed numeric cell.

    ``state``: ``blank`` (nothing typed), ``ok`` (``value`` set), ``na`` (a mark such as
    ``/`` or ``无``: not applicable, which is not zero), ``bad`` (``code`` says why).
    For ``ok`` values that needed a coercion, ``code`` names it (``text-number``,
    ``full-width``, ``unit-suffix``) so it can be listed in the manifest.
    """

    state: State
    value: Decimal | None = None
    code: str = ""


def normalize_text(raw: Any) -> str:
    """NFKC, drop format characters (zero-width space, BOM), collapse spaces, strip."""
    if raw is None:
        return ""
    return _normalized(str(raw))


def same_name(a: str, b: str) -> bool:
    """Whether two names are the same person's (or branch's): the same text, spaces (全角 or 半角) aside."""
    return normalize_text(a).replace(" ", "") == normalize_text(b).replace(" ", "")


def filled(raw: Any) -> bool:
    """Whether a cell holds something: a number, or text with more than spaces and invisible
    characters (a zero-width space alone is blank, as :func:`normalize_text` reads it)."""
    return bool(normalize_text(raw)) if isinstance(raw, str) else raw is not None


@functools.lru_cache(maxsize=8192)  # headers, instructions and choices repeat in every form
def _normalized(s: str) -> str:
    if s.isascii():  # already NFKC, and no format characters (those are all beyond ASCII)
        return _collapsed(s)
    s = unicodedata.normalize("NFKC", s)
    if not s.isprintable():  # format characters are not printable: most text has none to drop
        s = "".join(ch for ch in s if unicodedata.category(ch) != "Cf")
    return _collapsed(s)


def _collapsed(s: str) -> str:
    """``_SPACES.sub(" ", s).strip()``. The only whitespace a printable text can hold is " ": without
    two in a row there is nothing to collapse (names, 编号 and most titles)."""
    if s.isprintable() and "  " not in s:
        return s.strip()
    return _SPACES.sub(" ", s).strip()


def clean_text(raw: Any) -> str:
    """Text to show or keep (names, reasons): invisible characters dropped, spaces collapsed,
    but otherwise as typed — full-width punctuation such as ``，`` stays. Match with
    :func:`normalize_text`, show with this."""
    if raw is None:
        return ""
    return _cleaned(str(raw))


@functools.lru_cache(maxsize=8192)  # a form names each person once per sheet
def _cleaned(s: str) -> str:
    if not s.isascii() and not s.isprintable():  # format characters are all beyond ASCII, and not printable
        s = "".join(ch for ch in s if unicodedata.category(ch) != "Cf")
    return _collapsed(s)


def normalize_header(raw: Any) -> str:
    """Header cells are matched without spaces: ``' 得 分'`` → ``'得分'``; ``1.1`` → ``'1.1'``."""
    if isinstance(raw, float):
        return repr(raw)
    key = (type(raw), raw)  # titles, instructions and headers repeat in every form: each worked out once
    try:
        return _HEADERS[key]
    except KeyError:
        pass
    except TypeError:  # not hashable
        return normalize_text(raw).replace(" ", "")
    value = _HEADERS[key] = normalize_text(raw).replace(" ", "")
    if len(_HEADERS) > 65536:
        _HEADERS.clear()
    return value


_HEADERS: dict[tuple[type, Any], str] = {}


def normalize_id(raw: Any) -> str:
    """编号 as text: ``7.0`` → ``'7'``, ``' 007 '`` → ``'007'``."""
    if type(raw) is str:
        return _id_text(raw)
    if isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    s = normalize_text(raw).replace(" ", "")
    return s[:-2] if s.endswith(".0") and re.fullmatch(r"\d+\.0", s) else s


@functools.lru_cache(maxsize=8192)  # a form names each 编号 once per sheet
def _id_text(s: str) -> str:
    s = _normalized(s).replace(" ", "")
    return s[:-2] if s.endswith(".0") and re.fullmatch(r"\d+\.0", s) else s


def shown(raw: Any) -> str:
    """The value as the clerk sees it in the cell, for problem messages."""
    if isinstance(raw, datetime):
        return raw.strftime("%Y-%m-%d %H:%M") if raw.time() != time(0) else raw.strftime("%Y-%m-%d")
    if isinstance(raw, date):
        return raw.strftime("%Y-%m-%d")
    if isinstance(raw, float):
        return f"{raw:.15g}"
    return str(raw)


_BLANK = Number("blank")
#: Numbers as read, by (type, value): scores repeat (90, 4.5 …), so each is parsed once and
#: every cell holding it shares one (immutable) Decimal — less time, much less memory.
_PARSED: dict[tuple[type, int | float], Number] = {}


def parse_number(raw: Any) -> Number:
    kind = type(raw)
    if kind is int or kind is float:
        key = (kind, raw)
        n = _PARSED.get(key)
        if n is None:
            n = _parse_number(raw)
            if n.state == "ok" and (kind is int or raw != 0.0):  # (-0.0 == 0.0 but reads "-0"; NaN: bad)
                if len(_PARSED) >= 65536:
                    _PARSED.clear()
                _PARSED[key] = n
        return n
    return _parse_number(raw)


def _parse_number(raw: Any) -> Number:
    if raw is None or raw == "":
        return _BLANK
    if isinstance(raw, bool):
        return Number("bad", code="not-a-number")
    if isinstance(raw, int):
        return Number("ok", Decimal(raw))
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            return Number("bad", code="not-a-number")
        # Excel keeps 15 significant digits; this gives back what the cell shows.
        return Number("ok", Decimal(f"{raw:.15g}"))
    if isinstance(raw, (date, datetime, time, timedelta)):
        return Number("bad", code="date-not-number")
    text = str(raw)
    s = normalize_text(text)
    if s == "":
        return Number("blank")
    if s in NOT_APPLICABLE:
        return Number("na")
    coerced = "text-number" if s == text.strip() else "full-width"
    if _NUMBER.fullmatch(s):
        return Number("ok", Decimal(s), coerced)
    m = _WITH_UNIT.fullmatch(s)
    if m:
        return Number("ok", Decimal(m.group(1)), "unit-suffix")
    return Number("bad", code="not-a-number")


_SEVERAL = re.compile(r"\d+(?:\.\d+)?分?(?:\s*(?:[-~/、,;|或和]|\s)\s*\d+(?:\.\d+)?分?)+", re.ASCII)
_EXCEL_EPOCH = datetime(1899, 12, 30)


def several_numbers(raw: Any) -> bool:
    """Text holding two or more numbers (``85-90``, ``85/90``, ``85、90``): a ballot with several
    choices, which paper-ballot practice counts as invalid (废票)."""
    return isinstance(raw, str) and _SEVERAL.fullmatch(normalize_text(raw)) is not None


def excel_serial(raw: Any) -> str:
    """The number behind a date-formatted cell (``1900-03-30`` → ``'90'``), as Excel stores it."""
    if isinstance(raw, datetime):
        days = raw - _EXCEL_EPOCH
    elif isinstance(raw, date):
        days = datetime(raw.year, raw.month, raw.day) - _EXCEL_EPOCH
    elif isinstance(raw, timedelta):
        days = raw
    elif isinstance(raw, time):
        days = datetime.combine(_EXCEL_EPOCH.date(), raw) - _EXCEL_EPOCH
    else:
        return shown(raw)
    return fmt_decimal(Decimal(days.days) + Decimal(days.seconds) / Decimal(86400))


def parse_choice(raw: Any, choices: list[str]) -> tuple[State, str]:
    """A 是/否 style cell: (``blank``|``ok``|``bad``, normalised text)."""
    s = normalize_text(shown(raw) if raw not in (None, "") else "")
    if s == "":
        return "blank", ""
    return ("ok", s) if s in choices else ("bad", s)


#: the longest file stem written, in characters and in UTF-8 bytes: a name and its extension stay
#: well inside 255 bytes (Linux) and leave room for the folders under Windows' 260-character paths
STEM_CHARS, STEM_BYTES = 80, 200
_NOT_IN_NAMES = set('\\/:*?"<>|~')  # Windows forbids the first nine; ``~`` marks a name made unique
#: digits Excel keeps of a number: an id typed as a number longer than this has lost its last digits
ID_DIGITS_KEPT = 15


def digits_lost(raw: Any) -> bool:
    """Whether a cell's number is an id too long for Excel to have kept whole."""
    return isinstance(raw, float) and abs(raw) >= 10 ** ID_DIGITS_KEPT


#: names Windows keeps for devices (a file or folder so named, with any extension, is the device)
DEVICE_NAMES = {"con", "prn", "aux", "nul", "conin$", "conout$", *(f"{d}{i}" for d in ("com", "lpt") for i in range(10)),
            *(f"{d}{i}" for d in ("com", "lpt") for i in "¹²³")}


def file_stem(text: str, names: Iterable[str] = ()) -> str:
    """The one way a file name is made from people's names (forms, notices, the corrections workbook).

    ``text`` is the name as composed (``单位-支部-方案-周期-部分``); ``names`` are the parts a clerk
    typed (单位, 支部) that went into it, first. The name is ``text`` itself when that is safe
    everywhere. Otherwise it is made readable — characters Windows forbids, control characters and
    spaces as ``_``, no leading ``.`` (a hidden file, skipped when read back), no trailing ``.`` or
    space, at most :data:`STEM_CHARS` characters — and ``~`` with a short hash of ``text`` and
    ``names`` follows the names (the rest, such as ``-支部自评``, stays at the end), so that two
    different names never give one file: ``a/b`` and ``a_b``, ``A``+``B-C`` and ``A-B``+``C`` (a name
    holding the separator ``-``), ``Ab`` and ``ab`` (one file on Windows), ``CON`` and ``aux.txt`` (a
    device on Windows), names longer than a file system allows. A safe stem never holds ``~``, a made
    one always does."""
    names = tuple(n for n in names if n)
    readable = _readable(text)
    if (readable == text and readable and readable.split(".", 1)[0].casefold() not in DEVICE_NAMES
            and len(readable) <= STEM_CHARS and len(readable.encode("utf-8")) <= STEM_BYTES
            and not any(("-" in n or n != n.casefold()) and n in text for n in names)):
        return readable
    digest = "~" + hashlib.sha256("\0".join((text, *names)).encode("utf-8", "surrogatepass")).hexdigest()[:10]
    lead = "-".join(names)
    head, rest = (_readable(lead), _readable(text[len(lead):])) if names and text.startswith(lead) else (readable, "")
    if rest and not rest.startswith("-"):
        rest = "-" + rest
    room_chars = STEM_CHARS - 1 - len(digest) - len(rest)  # (1: room for a "_" before a device name)
    room_bytes = STEM_BYTES - 1 - len(digest) - len(rest.encode("utf-8"))
    if room_chars < 8 or room_bytes < 24:  # a long tail: the whole name shortened instead
        head, rest, room_chars, room_bytes = readable, "", STEM_CHARS - 1 - len(digest), STEM_BYTES - 1 - len(digest)
    head = head[:room_chars]
    while len(head.encode("utf-8")) > room_bytes:
        head = head[:-1]
    head = head.rstrip("_. ")
    if head.split(".", 1)[0].casefold() in DEVICE_NAMES:  # "aux.txt-…": still a device to Windows
        head = "_" + head
    return f"{head}{digest}{rest}"


def _readable(text: str) -> str:
    """``text`` with what no file name may hold as ``_`` (once in a row), no ``_ . space`` at either end."""
    out = "".join("_" if ch in _NOT_IN_NAMES or ch.isspace() or unicodedata.category(ch)[0] == "C" else ch
                  for ch in unicodedata.normalize("NFC", text))
    return re.sub(r"_{2,}", "_", out).strip("_. ")


def fmt_decimal(d: object) -> str:
    """``Decimal('5.0')`` → ``'5'``, ``Decimal('2.50')`` → ``'2.5'``: numbers in messages and forms."""
    s = str(d)
    return s.rstrip("0").rstrip(".") if "." in s else s


_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", re.ASCII)


def parse_date(raw: Any) -> date | None:
    """A date cell (Excel date, or text ``2026-03-15`` / ``2026/3/15`` / ``2026年3月15日``); None if not one."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    m = _DATE.fullmatch(normalize_text(raw)) if isinstance(raw, str) else None
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return None
