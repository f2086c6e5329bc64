"""A PDF beside every Word file (issue 14): made by LibreOffice in batches, each notice's pages as
when it is converted alone, CJK fonts embedded, A4, 22 lines of 28 characters, the 署名 and every
name in the text, the same bytes every run; without LibreOffice the run still succeeds and says
once how to get it. Skipped where LibreOffice or poppler is missing (.ci/run installs them)."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_as_seen import _ctx
from viewer import INSTALL, POPPLER, SOFFICE, is_a4_portrait, page_sizes, pdf_text

from pingxing.publish.notices import NoticeRenderer
from pingxing.publish.pdf import PdfStep, find_converter
from pingxing.publish.pdffile import PdfFile, PdfShapeError, write_pages
from process import cli

ROOT = Path(__file__).resolve().parents[1]
needs_office = pytest.mark.skipif(not (SOFFICE and POPPLER),
                                  reason=f"LibreOffice (soffice) and poppler-utils are needed: {INSTALL}")
WITH_PDF = {"PINGXING_NO_PDF": ""}
LINE_PITCH = 28.95  # pt (579 twips): 22 lines fill the 225 mm (637.8 pt) type area, 23 do not


def _run(tmp: Path, *extra: str, env: dict[str, str] | None = None) -> tuple[Path, object]:
    inbox = tmp / "input"
    if not inbox.exists():
        for scheme in ("member-weighted", "branch-five-stars"):
            shutil.copytree(ROOT / "examples" / "input" / scheme, inbox / scheme)
    out = tmp / "output"
    result = CliRunner().invoke(cli, ["run", "--input", str(inbox), "--output", str(out), "--publicity-start",
                                      "2026-12-01", "--quiet", *extra], env=env or WITH_PDF)
    return out, result


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (SOFFICE and POPPLER):
        pytest.skip(f"LibreOffice (soffice) and poppler-utils are needed: {INSTALL}")
    out, result = _run(tmp_path_factory.mktemp("pdf"))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    return out


def _words(pdf: Path) -> list[tuple[float, float, float, float, str]]:
    """(x0, y0, x1, y1, text) of every line pdftotext finds, in order."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    lines = []
    for attrs, body in re.findall(r'<line ([^>]*)>(.*?)</line>', out, re.DOTALL):
        box = dict(re.findall(r'(\w+)="([\d.]+)"', attrs))
        text = "".join(re.findall(r">([^<]*)</word>", body))
        lines.append((float(box["xMin"]), float(box["yMin"]), float(box["xMax"]), float(box["yMax"]), text))
    return lines


@needs_office
def test_a_pdf_beside_every_word_file(published: Path) -> None:
    docs = sorted(published.rglob("*.docx"))
    assert len(docs) >= 8
    for doc in docs:
        assert doc.with_suffix(".pdf").is_file(), doc
    manifest = (published / "member-weighted" / "2026Q4" / "manifest.json").read_text(encoding="utf-8")
    assert "notices/市质量检验检测中心-第一党支部-公示.pdf" in manifest and "公示汇编.pdf" in manifest


@needs_office
def test_each_notice_is_a4_with_its_signature_and_every_name_and_its_fonts_embedded(published: Path) -> None:
    folder = published / "member-weighted" / "2026Q4"
    with (folder / "results.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    for branch in ("第一党支部", "第二党支部"):
        pdf = folder / "notices" / f"市质量检验检测中心-{branch}-公示.pdf"
        sizes = page_sizes(pdf)
        assert len(sizes) == 1 and is_a4_portrait(sizes[0])
        text = pdf_text(pdf)
        assert f"中共市质量检验检测中心{branch}委员会2026年12月1日" in text  # the 署名 and 成文日期
        assert all(r["name"] in text for r in rows if r["branch"] == branch)
        assert text.endswith("—1—")
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        listed = fonts.splitlines()[2:]
        assert listed and all(" yes yes yes " in line for line in listed)  # embedded, subset, with Unicode
        assert any("CJK" in line for line in listed)


@needs_office
def test_the_compilation_is_every_notice_numbered_from_one(published: Path) -> None:
    folder = published / "branch-five-stars" / "2026"
    notices = sorted((folder / "notices").glob("*.pdf"))
    pages = sum(len(page_sizes(p)) for p in notices)
    compiled = folder / "公示汇编.pdf"
    assert len(page_sizes(compiled)) == pages
    assert pdf_text(compiled).count("—1—") == len(notices)
    assert (folder / "internal" / "内部名单.pdf").is_file()  # the internal document too, never in the compilation
    assert "内部" not in pdf_text(compiled)


@needs_office
def test_the_announcement_has_its_masthead_addressee_and_page_numbers_odd_right_even_left(tmp_path: Path) -> None:
    ctx = _ctx(60, kind="通报", contact="", title="关于表彰2026年第四季度五星级党员的通报", red_header=True,
               organ="中共第一机关党委", doc_number="一机党发〔2026〕8号", issuer="中共第一机关党委",
               addressee="各党支部", cc="市委组织部", print_organ="中共第一机关党委办公室", print_date="2026年12月8日")
    pdf = _convert(tmp_path, [ctx])[0]
    sizes = page_sizes(pdf)
    assert len(sizes) >= 2
    text = pdf_text(pdf)
    assert text.startswith("中共第一机关党委一机党发〔2026〕8号关于表彰2026年第四季度五星级党员的通报各党支部：")
    assert "抄送：市委组织部。" in text and "2026年12月8日印发" in text  # the 版记
    width = sizes[0][0]
    for page in (1, 2):
        number = next(line for line in _words(_page(pdf, page, tmp_path)) if line[4] == f"—{page}—")
        if page % 2:
            assert number[2] > width * 0.75  # odd pages on the right
        else:
            assert number[0] < width * 0.25  # even pages on the left


@needs_office
def test_the_signature_keeps_its_date_and_signs_a_page_with_text(tmp_path: Path) -> None:
    """GB/T 9704: the 署名 and the 成文日期 on one page, and that page carries 正文 (never a page with the
    signature alone). The sample's 通报 with last year's stars from its record (上年星级, 处理) leaves no
    room for the 版记 under the list: the list's last rows go to the next page with the 署名."""
    record = shutil.copy(ROOT / "examples" / "评星记录.sqlite", tmp_path / "record.sqlite")
    out = tmp_path / "output"
    result = CliRunner().invoke(cli, ["run", "--input", str(ROOT / "examples" / "input" / "branch-five-stars"),
                                      "--output", str(out), "--history", str(record), "--quiet"], env=WITH_PDF)
    assert result.exit_code == 0, result.output
    pdf = out / "branch-five-stars" / "2026" / "notices" / "通报.pdf"
    pages = len(page_sizes(pdf))
    assert pages == 2
    last = pdf_text(_page(pdf, pages, tmp_path))
    assert re.search(r"中共机关工作委员会\s*\d{4}年\d{1,2}月\d{1,2}日", last), last
    assert "第三党支部" in last and "通报表彰" in last  # a row of the list on the page it signs


def _page(pdf: Path, page: int, tmp: Path) -> Path:
    """One page of ``pdf`` as a PDF of its own."""
    source = PdfFile.read(pdf)
    target = tmp / f"{pdf.stem}-{page}.pdf"
    write_pages(target, [(source, [page - 1])])
    return target


def _convert(tmp: Path, contexts: list[dict[str, object]]) -> list[Path]:
    """The notices rendered and made into PDFs by the PDF step (in one batch)."""
    renderer = NoticeRenderer(ROOT / "templates")
    out = []
    with PdfStep(find_converter() or "", tmp / "work", 1) as step:
        for k, ctx in enumerate(contexts):
            docx = tmp / f"n{k}.docx"
            docx.write_bytes(renderer.docx_bytes(ctx))
            out.append(docx.with_suffix(".pdf"))
            step.add(str(docx), str(out[-1]), str(ctx["title"]), "notice", compiled=True)
        results = step.finish()
    assert all(not converted.failed for _, converted in results)
    return out


@needs_office
def test_body_text_is_22_lines_of_28_characters(tmp_path: Path) -> None:
    """GB/T 9704: 3号 仿宋, 22 lines a page, 28 characters a line (the line pitch and the lines read
    back from the PDF)."""
    sentence = "经党员自评、党员互评、领导点评、职工参评和支部评定，"
    ctx = _ctx(3, intro="根据《党员评星定级实施方案》" + sentence * 40 + "现将结果公示如下：")
    pdf = _convert(tmp_path, [ctx])[0]
    body = [line for line in _words(_page(pdf, 2, tmp_path))  # 3号 lines (not the 4号 page number)
            if 18 < line[3] - line[1] < 24 and line[4] and not line[4].startswith("—")]
    tops = [line[1] for line in body]
    pitches = [b - a for a, b in zip(tops, tops[1:], strict=False)]
    assert len(body) >= 15
    assert all(abs(p - LINE_PITCH) < 0.12 for p in pitches), pitches  # (poppler gives tenths of a point)
    average = sum(pitches) / len(pitches)
    assert 22 * average <= 225 / 25.4 * 72 < 23 * average  # 22 lines a page
    full = [line[4] for line in body[:-1]]
    # 28 characters a line; a closing mark that may not begin a line stays at the end of its own (避头)
    assert all(len(text) == 28 or (len(text) == 29 and text[-1] in "，。、；：") for text in full), full
    assert sum(len(text) == 28 for text in full) > len(full) / 2
    assert len(page_sizes(pdf)) == 3  # 40 sentences, the list and the 署名


@needs_office
def test_the_same_pdfs_every_run_whatever_the_workers(published: Path, tmp_path: Path) -> None:
    again, result = _run(tmp_path, "--jobs", "1")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    for pdf in sorted(published.rglob("*.pdf")):
        twin = again / pdf.relative_to(published)
        assert twin.read_bytes() == pdf.read_bytes(), pdf.name
    text = pdf.read_bytes()
    assert b"CreationDate" not in text and b"UniqueID" not in text


def test_without_libreoffice_the_run_succeeds_and_says_once_how_to_get_it(tmp_path: Path) -> None:
    out, result = _run(tmp_path, env={**WITH_PDF, "PINGXING_SOFFICE": ""})
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert not list(out.rglob("*.pdf"))
    assert result.output.count("没有找到 LibreOffice") == 1  # type: ignore[attr-defined]
    with (out / "problems.csv").open(encoding="utf-8-sig") as f:
        codes = [row["code"] for row in csv.DictReader(f)]
    assert codes.count("no-pdf-converter") == 1  # one warning for the run, not one per file
    assert "libreoffice" in (ROOT / "docs" / "outputs.md").read_text(encoding="utf-8").lower()


def test_a_converter_that_cannot_run_is_no_converter(tmp_path: Path) -> None:
    """PINGXING_SOFFICE naming a folder or a file that cannot be run: the run succeeds, says once how to
    get LibreOffice, and makes no PDF (it stopped the whole run before)."""
    for bad in (tmp_path, tmp_path / "soffice.txt"):
        (tmp_path / "soffice.txt").write_text("not a program", encoding="utf-8")
        out, result = _run(tmp_path / f"run-{bad.name}", env={**WITH_PDF, "PINGXING_SOFFICE": str(bad)})
        assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
        assert result.output.count("没有找到 LibreOffice") == 1 and not list(out.rglob("*.pdf"))  # type: ignore[attr-defined]


def test_a_libreoffice_that_will_not_start_is_pdf_failed_never_a_crash(tmp_path: Path) -> None:
    """Starting LibreOffice fails (here: a program the system cannot execute): each notice a pdf-failed
    warning saying why, the Word files and the rest of the run as ever."""
    fake = tmp_path / "soffice"
    fake.write_bytes(b"\x00\x01 not a program")
    fake.chmod(0o755)
    docx = tmp_path / "a.docx"
    shutil.copyfile(next((ROOT / "templates").glob("notice.docx")), docx)
    with PdfStep(str(fake), tmp_path / "work", slots=1, launch_at=1) as step:
        step.add(str(docx), str(tmp_path / "a.pdf"), "甲", "notice")
        done = step.finish()
    assert [c.failed[0][0] for _, c in done] == ["a.docx"] and "Error" in done[0][1].failed[0][1]
    assert not (tmp_path / "a.pdf").exists()


@needs_office
def test_a_notice_libreoffice_cannot_convert_is_said_and_so_is_its_gap_in_the_compilation(tmp_path: Path) -> None:
    """LibreOffice (wrapped) converts every batch but leaves no PDF for it, then converts the notices
    one by one but leaves none for the first of each batch: that notice is pdf-failed, and 公示汇编.pdf,
    made of the rest, says which notices it lacks (it left them out silently before)."""
    fake = tmp_path / "soffice"
    fake.write_text(f"""#!/bin/sh
"{find_converter()}" "$@"
for a in "$@"; do
  case "$a" in
    */again-*/out) rm -f "$a/d0000.pdf" ;;
    */out-*) rm -f "$a"/*.pdf ;;
  esac
done
""", encoding="utf-8")
    fake.chmod(0o755)
    out, result = _run(tmp_path, env={**WITH_PDF, "PINGXING_SOFFICE": str(fake)})
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]  # (warnings)
    folder = out / "member-weighted" / "2026Q4"
    with (folder / "problems.csv").open(encoding="utf-8-sig") as f:
        failed = [row for row in csv.DictReader(f) if row["code"] == "pdf-failed"]
    notices = sorted(p.stem for p in (folder / "notices").glob("*公示.docx"))
    lost = [row["file"] for row in failed if row["file"].endswith("公示.docx")]
    assert len(notices) == 2 and lost == [notices[0] + ".docx"]  # one batch of the two 公示: its first lost
    assert not (folder / "notices" / lost[0]).with_suffix(".pdf").exists()
    assert (folder / "notices" / f"{notices[1]}.pdf").is_file()
    gap = [row["message"] for row in failed if row["file"] == "公示汇编.pdf"]
    assert gap == [f"公示汇编.pdf 缺少 1 份未能转换为 PDF 的公示（{notices[0]}）；公示汇编.docx 是完整的，"
                   "可用 Word 或 WPS 打开它另存为 PDF"]
    text = pdf_text(folder / "公示汇编.pdf")
    assert notices[1].split("-")[1] in text and len(page_sizes(folder / "公示汇编.pdf")) == len(
        page_sizes(folder / "notices" / f"{notices[1]}.pdf"))


def test_when_no_notice_converts_there_is_no_compilation_pdf_and_it_is_said(tmp_path: Path) -> None:
    """A converter that runs but writes nothing: every Word file is pdf-failed, and the missing
    公示汇编.pdf is said once per folder, never a crash."""
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    fake.chmod(0o755)
    out, result = _run(tmp_path, env={**WITH_PDF, "PINGXING_SOFFICE": str(fake)})
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert not list(out.rglob("*.pdf"))
    for folder in (out / "member-weighted" / "2026Q4", out / "branch-five-stars" / "2026"):
        with (folder / "problems.csv").open(encoding="utf-8-sig") as f:
            failed = [row for row in csv.DictReader(f) if row["code"] == "pdf-failed"]
        assert len([row for row in failed if row["file"].endswith(".docx")]) == len(list(folder.rglob("*.docx"))) - 1
        assert [row["message"] for row in failed if row["file"] == "公示汇编.pdf"] == [
            "未能生成 公示汇编.pdf：其中的公示都未能转换为 PDF；公示汇编.docx 是完整的，可用 Word 或 WPS 打开它另存为 PDF"]


@needs_office
def test_each_batch_is_split_while_libreoffice_converts_the_next(tmp_path: Path) -> None:
    """A batch's notices are cut out of its PDF once LibreOffice has moved on to the next batch, while
    it still runs, not all once it ends. (The "LibreOffice" here writes a real notice's PDF for each
    document it is given, 0.4 s apart.)"""
    made = _convert(tmp_path, [_ctx(3)])[0]
    fake = tmp_path / "soffice"
    fake.write_text(f"""#!/bin/sh
out=""; previous=""
for a in "$@"; do [ "$previous" = "--outdir" ] && out="$a"; previous="$a"; done
for a in "$@"; do
  case "$a" in *.docx) cp "{made}" "$out/$(basename "$a" .docx).pdf"; sleep 0.4 ;; esac
done
""", encoding="utf-8")
    fake.chmod(0o755)
    taken: list[tuple[bool, bool]] = []  # (split something, LibreOffice still running)
    with PdfStep(str(fake), tmp_path / "step", slots=1) as step:
        split_ready = step._split_ready
        step._split_ready = lambda launch: taken.append((split_ready(launch), launch.process.poll() is None)) or \
            taken[-1][0]  # type: ignore[method-assign]
        for k in range(3):  # three templates: three batches, one LibreOffice process
            docx = tmp_path / f"d{k}.docx"
            shutil.copyfile(made.with_suffix(".docx"), docx)
            step.add(str(docx), str(docx.with_suffix(".pdf")), f"第{k}", f"template-{k}", compiled=True)
        done = step.finish()
        assert step.merge(tmp_path / "汇编.pdf", "公示汇编") == 3 * len(page_sizes(made))
    assert [c.pages for _, c in done] == [(len(page_sizes(made)),)] * 3 and not any(c.failed for _, c in done)
    assert (True, True) in taken  # a batch split while LibreOffice was still at the next
    for k in range(3):
        assert page_sizes(tmp_path / f"d{k}.pdf") == page_sizes(made)


def test_no_pdf_makes_none_and_says_nothing(tmp_path: Path) -> None:
    out, result = _run(tmp_path, "--no-pdf", env={**WITH_PDF, "PINGXING_SOFFICE": ""})
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert not list(out.rglob("*.pdf")) and "LibreOffice" not in result.output  # type: ignore[attr-defined]


def test_a_pdf_not_shaped_as_libreoffice_writes_is_refused(tmp_path: Path) -> None:
    odd = tmp_path / "odd.pdf"
    odd.write_bytes(b"%PDF-1.5\n1 0 obj\n<</Type/XRef>>\nstream\nx\nendstream\nendobj\nstartxref\n9\n%%EOF\n")
    with pytest.raises(PdfShapeError):
        PdfFile.read(odd)
