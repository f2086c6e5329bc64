"""Pages of LibreOffice's PDFs taken apart and put together again, the same bytes every time.

The PDF step (:mod:`.pdf`) has LibreOffice convert many notices joined in one document (a batch)
and takes each notice's pages out here (:func:`write_pages`), and 公示汇编.pdf is the notices' pages
put one after another. Only what LibreOffice writes is read: a classic cross-reference table, whole
objects (no object streams), a flat page tree, named destinations (one per notice) in the
catalogue's ``/Dests``. Anything else raises :class:`PdfShapeError` and the caller converts the
notices one by one instead.

What is written is LibreOffice's own objects, renumbered, with:

* only the fonts a page draws with in its resources (a batch's pages share one resource
  dictionary; a notice taken out of it carries only its own fonts);
* the ``/UniqueID`` LibreOffice gives each embedded Type 1 font taken out — it counts fonts
  across a LibreOffice process, so the same notice converted after another would differ;
* no creation date, a ``/Producer`` and ``/Title``, and a file ``/ID`` made from the content.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["PdfFile", "PdfShapeError", "pdf_text", "write_pages"]

_REF = re.compile(rb"(\d+) 0 R\b")
_OBJ = re.compile(rb"(\d+) 0 obj\s*")
_STREAM = re.compile(rb"stream\r?\n")
_LENGTH = re.compile(rb"/Length (\d+)(?: 0 R)?")
_FONT_USE = re.compile(rb"/(F\d+)\s+[-\d.]+\s+Tf")
_UNIQUE_ID = re.compile(rb"/UniqueID \d+ def\s*")
_HEADER = b"%PDF-1.6\n%\xe2\xe3\xcf\xd3\n"


class PdfShapeError(ValueError):
    """A PDF that is not shaped as LibreOffice writes it."""


@dataclass
class _Object:
    head: bytes  # the object's value, or a stream's dictionary
    stream: bytes | None = None  # a stream's bytes, as stored


@dataclass
class PdfFile:
    """A PDF read whole: its objects by number, its pages in order, its named destinations."""

    path: Path
    objects: dict[int, _Object] = field(default_factory=dict)
    pages: list[int] = field(default_factory=list)
    dests: dict[str, int] = field(default_factory=dict)  # name → page object
    _clean: dict[int, _Object] = field(default_factory=dict)  # font programs without /UniqueID

    def cleaned(self, number: int) -> _Object:
        """Object ``number``; an embedded Type 1 font without its ``/UniqueID`` (worked out once)."""
        obj = self.objects[number]
        if obj.stream is None or b"/Length1" not in obj.head:
            return obj
        if number not in self._clean:
            self._clean[number] = _without_unique_id(obj)
        return self._clean[number]

    @classmethod
    def read(cls, path: Path) -> PdfFile:
        data = path.read_bytes()
        pdf = cls(path)
        offsets, trailer = _xref(data)
        for number, at in offsets.items():
            pdf.objects[number] = _object(data, number, at, offsets)
        root = _ref(trailer, b"/Root")
        catalog = pdf.objects[root].head
        pdf.pages = pdf._kids(_ref(catalog, b"/Pages"))
        dests = re.search(rb"/Dests\s*(\d+ 0 R|<<.*?>>)", catalog, re.DOTALL)
        if dests:
            text = dests.group(1)
            if text.endswith(b" R"):
                text = pdf.objects[int(text.split()[0])].head
            for name, page in re.findall(rb"/([^\s/\[<>()]+)\s*\[\s*(\d+) 0 R", text):
                name = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), name)  # #5F → _
                pdf.dests[name.decode("latin-1")] = int(page)
        return pdf

    def _kids(self, number: int) -> list[int]:
        node = self.objects[number].head
        if re.search(rb"/Type\s*/Page\b(?!s)", node):
            return [number]
        kids = re.search(rb"/Kids\s*\[(.*?)\]", node, re.DOTALL)
        if kids is None:
            raise PdfShapeError(f"{self.path.name}: page tree node {number} without /Kids")
        return [p for kid in _REF.findall(kids.group(1)) for p in self._kids(int(kid))]

    def page_ranges(self, names: Sequence[str]) -> list[range]:
        """The pages (0-based) of each named part, from its destination to the next one's."""
        index = {page: i for i, page in enumerate(self.pages)}
        try:
            starts = [index[self.dests[name]] for name in names]
        except KeyError as exc:
            raise PdfShapeError(f"{self.path.name}: no destination {exc}") from None
        ends = [*starts[1:], len(self.pages)]
        if any(b <= a for a, b in zip(starts, ends, strict=True)):
            raise PdfShapeError(f"{self.path.name}: destinations out of order")
        return [range(a, b) for a, b in zip(starts, ends, strict=True)]


def _xref(data: bytes) -> tuple[dict[int, int], bytes]:
    found = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data[-1024:])
    if found is None:
        raise PdfShapeError("no startxref")
    at = int(found.group(1))
    if not data.startswith(b"xref", at):
        raise PdfShapeError("a cross-reference stream, not a table")
    end = data.index(b"trailer", at)
    lines = data[at + 4:end].split()
    offsets: dict[int, int] = {}
    i = 0
    while i < len(lines):
        first, count = int(lines[i]), int(lines[i + 1])
        i += 2
        for k in range(count):
            offset, kind = int(lines[i]), lines[i + 2]
            if kind == b"n":
                offsets[first + k] = offset
            i += 3
    trailer_end = data.index(b"startxref", end)
    trailer = data[end + 7:trailer_end]
    if b"/Prev" in trailer:
        raise PdfShapeError("an updated file (/Prev)")
    return offsets, trailer


def _ref(text: bytes, key: bytes) -> int:
    found = re.search(re.escape(key) + rb"\s*(\d+) 0 R", text)
    if found is None:
        raise PdfShapeError(f"no {key.decode()}")
    return int(found.group(1))


def _object(data: bytes, number: int, at: int, offsets: dict[int, int]) -> _Object:
    opening = _OBJ.match(data, at)
    if opening is None or int(opening.group(1)) != number:
        raise PdfShapeError(f"object {number} is not where the table says")
    start = opening.end()
    end = data.index(b"endobj", start)
    stream = _STREAM.search(data, start, end)
    if stream is None or not data[start:stream.start()].rstrip().endswith(b">>"):
        return _Object(data[start:end].rstrip())
    head = data[start:stream.start()].rstrip()
    length = _LENGTH.search(head)
    if length is None:
        raise PdfShapeError(f"object {number}: a stream without /Length")
    if length.group(0).endswith(b"R"):
        target = offsets[int(length.group(1))]
        value = _OBJ.match(data, target)
        assert value is not None
        size = int(data[value.end():data.index(b"endobj", value.end())].strip())
    else:
        size = int(length.group(1))
    return _Object(head, data[stream.end():stream.end() + size])


# ------------------------------------------------------------------------------ writing


def _decoded(obj: _Object) -> bytes:
    assert obj.stream is not None
    return zlib.decompress(obj.stream) if b"/FlateDecode" in obj.head else obj.stream


def _without_unique_id(obj: _Object) -> _Object:
    """An embedded Type 1 font (``/Length1 /Length2 /Length3``) without its ``/UniqueID`` lines, in
    the clear part and in the eexec-encrypted part (decrypted, changed, encrypted again)."""
    lengths = re.search(rb"/Length1 (\d+)\s*/Length2 (\d+)\s*/Length3 (\d+)", obj.head)
    if lengths is None or obj.stream is None or b"/FlateDecode" not in obj.head:
        return obj
    program = zlib.decompress(obj.stream)
    n1, n2 = int(lengths.group(1)), int(lengths.group(2))
    clear, secret, tail = program[:n1], program[n1:n1 + n2], program[n1 + n2:]
    clear = _UNIQUE_ID.sub(b"", clear)
    plain = _eexec(secret, decrypt=True)
    if _UNIQUE_ID.search(plain):
        secret = _eexec(_UNIQUE_ID.sub(b"", plain), decrypt=False)
    stream = zlib.compress(clear + secret + tail, 6)
    head = obj.head.replace(lengths.group(0), b"/Length1 %d/Length2 %d/Length3 %s" % (
        len(clear), len(secret), lengths.group(3)))
    return _Object(head, stream)


def _eexec(data: bytes, decrypt: bool) -> bytes:
    """Type 1 eexec encryption (Adobe Type 1 Font Format, 7.2), key 55665."""
    r = 55665
    out = bytearray(len(data))
    for i, byte in enumerate(data):
        if decrypt:
            out[i] = byte ^ (r >> 8)
            r = ((byte + r) * 52845 + 22719) & 0xFFFF
        else:
            c = byte ^ (r >> 8)
            out[i] = c
            r = ((c + r) * 52845 + 22719) & 0xFFFF
    return bytes(out)


class _Writer:
    """Objects of one or more source PDFs renumbered into a new file."""

    def __init__(self) -> None:
        self.objects: list[bytes] = [b""]  # 1-based (index 0 unused); object 1 is the page tree
        self.numbers: dict[tuple[int, int], int] = {}  # (source, old number) → new number

    def add(self, content: bytes) -> int:
        self.objects.append(content)
        return len(self.objects) - 1

    def copy(self, pdf: PdfFile, number: int) -> int:
        """``number`` of ``pdf`` and everything it refers to, copied once; its new number."""
        key = (id(pdf), number)
        found = self.numbers.get(key)
        if found is not None:
            return found
        new = self.numbers[key] = self.add(b"")
        obj = pdf.cleaned(number)
        head = obj.head
        if obj.stream is not None:  # its length written out (not a reference to an object of its own)
            head = _LENGTH.sub(b"/Length %d" % len(obj.stream), head, count=1)
        head = _REF.sub(lambda m: b"%d 0 R" % self.copy(pdf, int(m.group(1))), head)
        if obj.stream is None:
            self.objects[new] = head
        else:
            self.objects[new] = head + b"\nstream\n" + obj.stream + b"\nendstream"
        return new

    def page(self, pdf: PdfFile, number: int) -> int:
        """A page of ``pdf`` with the new page tree (object 1) as its parent and only the fonts it
        draws with; links (``/Annots``) are left behind."""
        head = pdf.objects[number].head
        head = re.sub(rb"/Parent \d+ 0 R", b"", head)
        head = re.sub(rb"/Annots\s*(\[.*?\]|\d+ 0 R)", b"", head, flags=re.DOTALL)
        resources = _resources(pdf, head)
        if resources is not None:
            head = re.sub(rb"/Resources\s*\d+ 0 R", lambda _: b"/Resources" + resources, head, count=1)
        head = _REF.sub(lambda m: b"%d 0 R" % self.copy(pdf, int(m.group(1))), head)
        return self.add(head.replace(b"<<", b"<</Parent 1 0 R", 1))

    def write(self, path: Path, pages: list[int], title: bytes) -> None:
        self.objects[1] = b"<</Type/Pages/Kids[ %s ]/Count %d>>" % (b" ".join(b"%d 0 R" % p for p in pages),
                                                                    len(pages))
        catalog = self.add(b"<</Type/Catalog/Pages 1 0 R/ViewerPreferences<</DisplayDocTitle true>>>>")
        info = self.add(b"<</Title%s/Producer(LibreOffice via pingxing)>>" % (title or b"()"))
        out = bytearray(_HEADER)
        offsets = []
        for number, content in enumerate(self.objects[1:], 1):
            offsets.append(len(out))
            out += b"%d 0 obj\n%s\nendobj\n" % (number, content)
        digest = hashlib.md5(bytes(out), usedforsecurity=False).hexdigest().upper().encode()
        at = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % len(self.objects)
        out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
        out += b"trailer\n<</Size %d/Root %d 0 R/Info %d 0 R/ID[<%s><%s>]>>\nstartxref\n%d\n%%%%EOF\n" % (
            len(self.objects), catalog, info, digest, digest, at)
        tmp = path.with_name(f".{path.name}.part")
        tmp.write_bytes(bytes(out))
        tmp.replace(path)


def _resources(pdf: PdfFile, page: bytes) -> bytes | None:
    """The page's resources as an inline dictionary whose fonts are only those its contents draw
    with; None to keep them as they are (a shape not foreseen)."""
    found = re.search(rb"/Resources\s*(\d+) 0 R", page)
    contents = re.search(rb"/Contents\s*(\d+ 0 R|\[[^\]]*\])", page)
    if found is None or contents is None:
        return None
    resources = pdf.objects[int(found.group(1))].head
    fonts = re.search(rb"/Font\s*(\d+) 0 R", resources)
    if fonts is None:
        return None
    used: set[bytes] = set()
    for ref in _REF.findall(contents.group(1)):
        obj = pdf.objects[int(ref)]
        if obj.stream is None:
            return None
        used.update(_FONT_USE.findall(_decoded(obj)))
    table = pdf.objects[int(fonts.group(1))].head
    entries = re.findall(rb"/(F\d+)\s+(\d+ 0 R)", table)
    if not entries:
        return None
    kept = b"".join(b"/%s %s" % (name, ref) for name, ref in entries if name in used)
    return resources.replace(fonts.group(0), b"/Font<<" + kept + b">>", 1)


def write_pages(target: Path, parts: Iterable[tuple[PdfFile, Sequence[int]]], title: bytes = b"") -> int:
    """Write ``target`` with the given pages (0-based, of each source in turn); the page count."""
    writer = _Writer()
    writer.add(b"")  # object 1: the page tree, filled in last
    pages = [writer.page(pdf, pdf.pages[i]) for pdf, numbers in parts for i in numbers]
    writer.write(target, pages, title)
    return len(pages)


def pdf_text(text: str) -> bytes:
    """``text`` as a PDF text string (UTF-16BE, hex)."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"
