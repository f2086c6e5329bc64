"""发文机关署名: the name of the organisation that signs a notice, built from what it is.

A scheme says *which* organisation signs (``notices.issuer``): the branch (``中共{unit}{branch}委员会``),
the unit's party organisation (``中共{unit}委员会``, ``中共{unit}总支部委员会``) or a named committee
(``中共市直机关工作委员会``, as written). This module says what that organisation is *called*:

* a branch with a committee (支部委员会: seven or more full members, DOMAIN) signs
  ``中共质检中心第一党支部委员会``; one without signs ``中共质检中心第一党支部``;
* a unit signs as its party organisation is named: ``市市场监督管理局机关党委`` →
  ``中共市市场监督管理局机关委员会``, ``机关党总支`` → ``中共机关总支部委员会``, ``市直机关工委`` →
  ``中共市直机关工作委员会``; a unit named as an office (``质检中心``) → ``中共质检中心委员会``, or
  the scheme's ``总支部委员会`` / ``支部委员会`` where its pattern says so — never
  ``…党委委员会``, never an empty ``中共委员会``;
* a name that does not name an organisation — a branch taken from a file name because the form has
  no ``_meta`` sheet (``第一党支部-2026Q4``), an empty unit — gives ``""``: the notice is left
  unsigned and the caller warns (:func:`issuer_for` tells why), never signed with a file name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pingxing.publish.titles import grid_width

__all__ = ["COMMITTEE_MEMBERS", "LINE_CHARS", "Signed", "branch_organ", "issuer_for", "names_branch", "sign_block", "SIGN_CENTRE",
           "unit_organ"]

#: people on a branch's list from which it is taken to have a committee (支部委员会, DOMAIN: ≥ 7 full members)
COMMITTEE_MEMBERS = 7
_PARTY = "中共"
#: what a unit's name ends with → how its party organisation is called in full (suffix to drop, to add)
_UNIT_SUFFIXES = (
    ("党工委", "工作委员会"), ("工委", "工作委员会"), ("党总支部", "总支部委员会"), ("党总支", "总支部委员会"),
    ("总支部委员会", "总支部委员会"), ("总支", "总支部委员会"), ("党委员会", "委员会"), ("委员会", "委员会"),
    ("党委", "委员会"), ("党组", "党组"),
)
_FILE_LIKE = re.compile(r"[-_.~#/\\]|\d{4}[QqHh]\d|\.xlsx?$")
_FIELD = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Signed:
    """A 署名 (``""`` when none can be named) and, when empty, why (for the warning)."""

    text: str
    why: str = ""


def names_branch(name: str) -> bool:
    """Whether ``name`` names a branch (…支部), not a file or a placeholder."""
    name = name.strip()
    return bool(name) and name.endswith("支部") and not _FILE_LIKE.search(name)


def _bare(name: str) -> str:
    name = re.sub(r"\s+", "", name)
    return name[len(_PARTY):] if name.startswith(_PARTY) else name.removeprefix("中国共产党")


def unit_organ(unit: str, kind: str = "委员会") -> str:
    """The unit's party organisation in full, as its name says; ``kind`` (``委员会``,
    ``总支部委员会``, ``支部委员会``) only where the name does not say. ``""`` for no unit."""
    name = _bare(unit)
    if not name or _FILE_LIKE.search(name):
        return ""
    if name.endswith("支部"):  # a branch named as the unit (a directly affiliated branch)
        return _PARTY + name
    for ending, full in _UNIT_SUFFIXES:
        if name.endswith(ending):
            return _PARTY + name[: -len(ending)] + full
    return _PARTY + name + kind


def branch_organ(unit: str, branch: str, committee: bool = True) -> str:
    """The branch's own organisation: ``中共<unit><branch>委员会`` with a committee, else
    ``中共<unit><branch>``; ``""`` when ``branch`` does not name a branch."""
    name = _bare(branch)
    if not names_branch(name):
        return ""
    unit_name = _bare(unit)
    if unit_name and not name.startswith(unit_name) and not _FILE_LIKE.search(unit_name):
        name = unit_name + name
    return _PARTY + name + ("委员会" if committee else "")


def issuer_for(pattern: str, unit: str, branch: str = "", people: int | None = None,
               period_words: str = "") -> Signed:
    """The 署名 a scheme's ``issuer`` pattern asks for, for this unit and branch.

    ``people``: how many are on the branch's list (a branch of :data:`COMMITTEE_MEMBERS` or more
    is taken to have a committee; None: as the pattern says). A pattern without ``{unit}`` or
    ``{branch}`` is a named committee and is used as written."""
    fields = set(_FIELD.findall(pattern))
    if not fields & {"unit", "branch"}:
        return Signed(pattern.format(unit=unit, branch=branch, period_words=period_words).strip())
    if "branch" in fields and branch:
        if not _bare(unit):  # a form without _meta: its branch is its file's name
            return Signed("", f"表格没有 _meta 工作表，支部名称“{branch}”取自文件名")
        committee = pattern.rstrip().endswith("委员会") if people is None else people >= COMMITTEE_MEMBERS
        text = branch_organ(unit, branch, committee)
        return Signed(text, "" if text else f"支部名称“{branch}”不是党组织的名称")
    if "unit" not in fields:
        return Signed("", "方案的署名只写了支部，而这份文件不属于某一个支部")
    kind = _unit_kind(pattern)
    if kind is None:  # "{unit}" alone: the unit's name as written
        name = _bare(unit)
        if not name or _FILE_LIKE.search(name):
            return Signed("", "单位名称为空或取自文件名")
        return Signed(unit.strip())
    text = unit_organ(unit, kind)
    return Signed(text, "" if text else "单位名称为空或取自文件名")


def _unit_kind(pattern: str) -> str | None:
    """What the pattern puts after ``{unit}`` (and ``{branch}``): 委员会, 总支部委员会, 支部委员会,
    or None when the unit's name stands alone."""
    tail = _FIELD.sub("", pattern.split("{unit}", 1)[1]).strip()
    for kind in ("总支部委员会", "支部委员会", "工作委员会", "委员会"):
        if tail.endswith(kind):
            return kind
    return None


#: characters a line of 3号 body text holds on the GB/T 9704 grid
LINE_CHARS = 28


def _pad(cells: float) -> str:
    """Leading space of ``cells`` grid cells: full-width spaces, and an en space for a half."""
    cells = max(0.0, cells)
    whole = int(cells)
    return "\u3000" * whole + ("\u2002" if cells - whole >= 0.5 else "")


#: the centre tab stop of the 落款 style (templates/build_templates.py), in characters from the left:
#: the 署名 centred over a date of ~7 characters standing four characters from the right
SIGN_CENTRE = 20.5


def sign_block(issuer: str, issue_date: str, sealed: bool = True) -> tuple[str, str]:
    """The 署名 and 成文日期 lines as the templates set them on the 28-character line (GB/T 9704).

    With a seal (7.3.5.1): the date four characters from the right (the 成文日期 style: right
    aligned, four characters in — exact whatever the digits' width) and the 署名 centred over it
    (``\t``: the 落款 style's centre tab; a 署名 too long for that ends at the right edge). Without
    one (7.3.5.2): the 署名 two characters from the right and the date two characters right of the
    署名's first character, the 署名 moving left when the date is the longer (leading full-width
    spaces, both lines in the 落款 style)."""
    ws, wd = grid_width(issuer), grid_width(issue_date)
    if sealed:
        # (a 署名 too long to centre there ends a character short of the edge: no wrap on any font)
        sign = "\t" + issuer if ws / 2 <= LINE_CHARS - SIGN_CENTRE else _pad(LINE_CHARS - 1 - ws) + issuer
        date = issue_date
    else:
        sign_at = LINE_CHARS - 2 - ws
        if sign_at + 2 + wd > LINE_CHARS - 2:  # the date is the longer: it ends two characters in
            sign_at = LINE_CHARS - 2 - wd - 2
        sign, date = _pad(sign_at) + issuer, _pad(sign_at + 2) + issue_date
    return (sign if issuer else "", date if issue_date else "")
