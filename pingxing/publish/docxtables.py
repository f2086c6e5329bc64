"""Tables of a rendered Word notice brought back into shape.

A template's table can change its number of columns when it is rendered: a column loop
(``{%tc for c in s.columns %}``: the 通报 and the internal document list the columns that have
something to say) or cells left out (``{%tc if … %}``). :func:`fit_tables` gives such a table a
grid again, together as wide as the table was: each column gets what its longest cell needs (a
Chinese character counts 1, a digit or Latin letter ½, in the 小四 of the lists) as long as the
columns that need less take their full need first and the widest share what is left (their text
wraps); room to spare goes to them all alike. It stands in for docxtpl's ``fix_tables``, which
shares a changed table out in equal columns (a 序号 column as wide as a unit's name). Tables whose
rows match their grid (:func:`out_of_shape`) are left as they are.
"""

from __future__ import annotations

from lxml import etree

from pingxing.publish.titles import grid_width

__all__ = ["WIDEST", "fit_tables", "fit_tree", "out_of_shape"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: characters a fitted column asks for at most (longer text wraps inside it)
WIDEST = 24.0
_NARROWEST = 2.0
_CHAR_TWIPS = 240  # one character of 小四 (12 pt)
_PADDING = 1.0  # characters: the cell's margins


def _span(cell: etree._Element) -> int:
    span = cell.find(f"{_W}tcPr/{_W}gridSpan")
    return int(span.get(f"{_W}val", "1")) if span is not None else 1


def _rows(table: etree._Element) -> list[etree._Element]:
    return table.findall(f"{_W}tr")


def fit_tables(xml: str | bytes) -> etree._Element:
    """The document (or body) ``xml`` parsed, every table whose rows do not match its grid fitted
    (docxtpl's ``fix_tables`` takes the XML as text: this stands in for it)."""
    return fit_tree(etree.fromstring(xml.encode("utf-8") if isinstance(xml, str) else xml,
                                     parser=etree.XMLParser(recover=True)))


def fit_tree(tree: etree._Element) -> etree._Element:
    """Every table of an already parsed document whose rows do not match its grid fitted, in place."""
    for table in tree.iter(f"{_W}tbl"):
        _fit(table)
    return tree


def out_of_shape(table: etree._Element) -> bool:
    """Whether a table's rows no longer match its grid: a row with more or fewer columns, or a cell
    whose width is not its column's (a loop of the template's one cell, rendered to as many cells as
    the grid happens to have, keeps that cell's width in each)."""
    grid = table.find(f"{_W}tblGrid")
    widths = [int(c.get(f"{_W}w", "0") or 0) for c in grid.findall(f"{_W}gridCol")] if grid is not None else []
    for row in _rows(table):
        at = 0
        for cell in row.findall(f"{_W}tc"):
            span = _span(cell)
            tcw = cell.find(f"{_W}tcPr/{_W}tcW")
            if (tcw is not None and tcw.get(f"{_W}type") == "dxa" and at + span <= len(widths)
                    and int(tcw.get(f"{_W}w", "0") or 0) != sum(widths[at:at + span])):
                return True
            at += span
        if at != len(widths):
            return True
    return False


def _fit(table: etree._Element) -> None:
    grid = table.find(f"{_W}tblGrid")
    rows = _rows(table)
    if grid is None or not rows:
        return
    columns = grid.findall(f"{_W}gridCol")
    counts = [sum(_span(c) for c in row.findall(f"{_W}tc")) for row in rows]
    n = max(counts)
    if n == 0 or not out_of_shape(table):
        return
    total = sum(int(c.get(f"{_W}w", "0") or 0) for c in columns)
    if not total:
        width = table.find(f"{_W}tblPr/{_W}tblW")
        total = int(width.get(f"{_W}w", "0")) if width is not None and width.get(f"{_W}type") == "dxa" else 8844
    needs = [_NARROWEST] * n
    for row in rows:
        cells = row.findall(f"{_W}tc")
        if len(cells) != n:
            continue
        for j, cell in enumerate(cells):
            text = "".join(t.text or "" for t in cell.iter(f"{_W}t"))
            needs[j] = max(needs[j], min(WIDEST, grid_width(text) + _PADDING))
    widths = [int(w * _CHAR_TWIPS) for w in _share(needs, total / _CHAR_TWIPS)]
    widths[-1] += total - sum(widths)
    for column in columns:
        grid.remove(column)
    for w in widths:
        etree.SubElement(grid, f"{_W}gridCol").set(f"{_W}w", str(w))
    for row in rows:
        cells = row.findall(f"{_W}tc")
        if len(cells) != n:
            continue
        for cell, w in zip(cells, widths, strict=True):
            props = cell.find(f"{_W}tcPr")
            if props is None:
                props = etree.Element(f"{_W}tcPr")
                cell.insert(0, props)
            tcw = props.find(f"{_W}tcW")
            if tcw is None:
                tcw = etree.Element(f"{_W}tcW")
                props.insert(0, tcw)
            tcw.set(f"{_W}w", str(w))
            tcw.set(f"{_W}type", "dxa")


def _share(needs: list[float], room: float) -> list[float]:
    """Widths (characters) for columns that need ``needs`` in ``room``: the least needy take what
    they need while it is no more than an even share of what is left; the rest share it evenly.
    Room to spare is added to every column in proportion to its need."""
    if sum(needs) <= room:
        spare = room - sum(needs)
        return [need + spare * need / sum(needs) for need in needs]
    widths = [0.0] * len(needs)
    left, open_ = room, sorted(range(len(needs)), key=lambda j: needs[j])
    while open_:
        fair = left / len(open_)
        j = open_[0]
        if needs[j] > fair:
            for k in open_:
                widths[k] = fair
            break
        widths[j] = needs[j]
        left -= needs[j]
        open_.pop(0)
    return widths
