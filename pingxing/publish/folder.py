"""One (scheme, period) folder, written as it is given: results, problems, notices, 公示汇编, the
report, the internal document and the manifest — whole or not at all.

The pipeline hands a :class:`PeriodFolder` each shard's ratings as they are rated
(:meth:`~PeriodFolder.add`), each notice's context (:meth:`~PeriodFolder.notice`, which returns
the job to render on the workers) and each rendered notice (:meth:`~PeriodFolder.write_notice`);
what needs every shard comes last (:meth:`~PeriodFolder.close_tables`,
:meth:`~PeriodFolder.write_manifest`). The folder is built in a staging folder beside its place
(:mod:`.staging`) and put there when the ``with`` block ends without an error.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from pingxing import periods
from pingxing.cells import file_stem
from pingxing.errors import InputError
from pingxing.intake.read import FileRecord
from pingxing.problems import Problem, problem, sort_key
from pingxing.publish.chase import Owed
from pingxing.publish.compilation import COMPILATION_NAME, COMPILATION_PDF, CompilationWriter
from pingxing.publish.internal import internal_context, listed, target_shares
from pingxing.publish.notices import template_stem
from pingxing.publish.pdf import PdfStep
from pingxing.publish.rendering import NoticeJob
from pingxing.publish.report import write_report
from pingxing.publish.staging import staged, write_atomic
from pingxing.publish.summary_page import write_summary
from pingxing.publish.tables import ResultsCsv, write_problems_csv
from pingxing.publish.workbook import ResultsWorkbook
from pingxing.rate.rating import Rating
from pingxing.rate.summary import Summary
from pingxing.scheme import Scheme, file_sha256
from pingxing.version import __version__


class PeriodFolder:
    """``<output>/<scheme>/<period>/``, written as the run goes (see the module docstring)::

        with PeriodFolder(output_dir, scheme, period, options, history_columns) as folder:
            folder.add(ratings); job = folder.notice(ctx); folder.write_notice(*rendered) …
            folder.close_tables(group); folder.write_manifest(group, files)
    """

    def __init__(self, output_dir: Path, scheme: Scheme, period: str, options: dict[str, Any],
                 history_columns: bool, templates: Path, workers_write: bool = True, soffice: str | None = None,
                 slots: int = 1, issued: date | None = None, owed: Sequence[Owed] = ()) -> None:
        self.scheme, self.period, self.options = scheme, period, options
        self.templates = str(templates)
        self.target = output_dir / scheme.name / period
        self._history_columns = history_columns
        self._workers_write = workers_write  # local workers write the notice files themselves
        self._stack = ExitStack()
        self._links: dict[str, dict[str, str]] = {}  # stem → title, kind, template of every notice, in order
        self._listed: list[Rating] = []  # those the internal document lists
        self.actions: Counter[str] = Counter()  # how many are on each list (通报表彰, 诫勉谈话 …)
        self._outputs: list[Path] = []
        self._soffice, self._slots = soffice, slots  # LibreOffice for the PDFs (None: no PDFs)
        # results.xlsx's title row: the campaign, the period, the date of the notices
        self._title = f"{scheme.title}　{periods.in_words(period)}评定结果" + (
            f"　　{periods.date_words(issued)}" if issued is not None else "")
        self._pdf: PdfStep | None = None
        self.owed = list(owed)  # the workbooks issued and not back (催交): results.xlsx, 情况汇总, report

    def __enter__(self) -> PeriodFolder:
        source = str(self.options.get("input") or "")
        if source and "://" not in source and Path(source).resolve().is_relative_to(self.target.resolve()):
            raise InputError(f"{source}: 收回的表格在本次要替换的输出文件夹 {self.target} 之中，运行会把它们一起替换掉；"
                             "请把表格放到输出文件夹以外（如 input），或用 --output 换一个输出位置")
        stage = self.stage = self._stack.enter_context(staged(self.target))
        self.notices_dir = stage / "notices"
        self.notices_dir.mkdir()
        self._csv = ResultsCsv(stage / "results.csv", self.scheme)
        self._xlsx = ResultsWorkbook(stage / "results.xlsx", self.scheme, self.options.get("input"),
                                     self._history_columns, self._title)
        self._compilation = self._stack.enter_context(CompilationWriter(stage / COMPILATION_NAME, self.templates))
        if self._soffice is not None:  # PDFs made beside the run as the notices come (pdf.PdfStep)
            self._pdf = self._stack.enter_context(PdfStep(self._soffice, stage / ".pdf-work", self._slots))
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> bool | None:
        return self._stack.__exit__(exc_type, exc, tb)

    def add(self, ratings: list[Rating]) -> None:
        """One shard's ratings: their rows in results.csv and results.xlsx."""
        self._csv.add(ratings)
        self._xlsx.add(ratings)
        self._listed.extend(listed(self.scheme, ratings))
        for r in ratings:
            self.actions.update(r.actions)

    def notice(self, ctx: dict[str, Any]) -> NoticeJob:
        """A notice to render (on a worker): it goes into 公示汇编 and the report's links here."""
        stem = file_stem(ctx.pop("file"), (ctx.get("unit", ""), ctx.get("branch", "")))
        self._compilation.add(ctx)
        self._links[stem] = {"title": ctx["title"], "kind": ctx["kind"], "template": template_stem(ctx)}
        return NoticeJob(self.templates, stem, ctx, str(self.notices_dir) if self._workers_write else None)

    def write_notice(self, stem: str, docx: bytes | None, html: bytes | None, folder: str = "notices",
                     title: str = "") -> None:
        """A rendered notice (its bytes, or None when the worker wrote the file itself), in order;
        its PDF is on the way (:class:`.pdf.PdfStep`)."""
        where = self.stage / folder
        for path, data in ((where / f"{stem}.docx", docx), (where / f"{stem}.html", html)):
            if data is not None:
                path.write_bytes(data)
            self._outputs.append(path)
        if self._pdf is not None:
            link = self._links.get(stem) if folder == "notices" else None
            self._pdf.add(str(where / f"{stem}.docx"), str(where / f"{stem}.pdf"), link["title"] if link else title or stem,
                          link["template"] if link else f"single:{folder}/{stem}", compiled=link is not None)

    def close_tables(self, group: Any) -> None:
        """Once the last shard is added (every problem of the forms known): results, 公示汇编."""
        stage = self.stage
        group.problems.sort(key=sort_key)
        self._csv.close()
        self._xlsx.close(group.problems, self.owed)
        self._outputs.extend([stage / "results.csv", stage / "results.xlsx", *self._compilation.close()])

    def write_summary(self, group: Any, issued: date) -> None:
        """情况汇总.docx, one page for the leader (:mod:`.summary_page`; who still owes a workbook:
        :attr:`owed`), and its PDF on the way."""
        path = write_summary(self.stage, group, issued, self.templates, self.actions, self.owed)
        self.add_document(path, path.stem)

    def add_document(self, path: Path, title: str) -> None:
        """A Word file of the folder besides the notices (the 情况汇总): listed, and its PDF on the way."""
        self._outputs.append(path)
        if self._pdf is not None:
            self._pdf.add(str(path), str(path.with_suffix(".pdf")), title, f"single:{path.name}")

    def finish_pdfs(self, problems: list[Problem]) -> None:
        """Wait for the last PDFs; 公示汇编.pdf from the notices' batches. What LibreOffice could not
        convert is a warning in ``problems``."""
        if self._pdf is None:
            return
        left_out: list[str] = []  # notices of 公示汇编 without a PDF: not in 公示汇编.pdf either
        for batch, outcome in self._pdf.finish():
            self._outputs.extend(Path(p) for p, n in zip(batch.pdfs, outcome.pages, strict=True) if n)
            problems.extend(problem("pdf-failed", file=name, why=why) for name, why in outcome.failed)
            if batch.keep:
                left_out.extend(Path(name).stem for name, _ in outcome.failed)
        if not (self.stage / COMPILATION_NAME).is_file():
            return
        if self._pdf.merge(self.stage / COMPILATION_PDF, "公示汇编"):
            self._outputs.append(self.stage / COMPILATION_PDF)
            if left_out:
                names = "、".join(left_out[:3]) + (f" 等 {len(left_out)} 份" if len(left_out) > 3 else "")
                problems.append(problem("pdf-failed", "compilation", file=COMPILATION_PDF, n=len(left_out), names=names))
        elif left_out:
            problems.append(problem("pdf-failed", "no_compilation", file=COMPILATION_PDF))

    def finish(self, group: Any) -> None:
        """The problems (the PDF step's too) and report.html, which links every file made."""
        stage = self.stage
        group.problems.sort(key=sort_key)
        write_problems_csv(stage / "problems.csv", group.problems)
        self._outputs.append(stage / "problems.csv")
        self._outputs.extend(write_report(stage, group, [_Link(stem, ctx) for stem, ctx in self._links.items()],
                                          template_dir=self.templates, actions=self.actions,
                                          missing=self.owed))

    def internal_notice(self, group: Any, issued: date) -> NoticeJob | None:
        """The internal document (never beside the public notices), or None when it has nothing to say."""
        context = internal_context(group, issued, self._listed)
        if context is None:
            return None
        (self.stage / "internal").mkdir()
        return NoticeJob(self.templates, file_stem(context.pop("file")), context)

    def write_manifest(self, group: Any, records: list[FileRecord]) -> None:
        """The last file of the folder: what was read, what was written, with their sha256."""
        stage, scheme = self.stage, self.scheme
        manifest = {
            "tool": "pingxing",
            "version": __version__,
            "scheme": scheme.name,
            "scheme_file_sha256": file_sha256(scheme),
            "period": self.period,
            "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
            "options": self.options,
            "files": [_record(r, group, files) for files in [group.files] for r in records],
            "coercions": [c for f in group.forms for c in f.coercions],
            "counts": _counts(group.summary, group.problems),
            "target": [{"unit": u, "holders": n, "rated": t, "percent": p, "below_target": b}
                       for u, n, t, p, b in target_shares(group)],
            "outputs": {p.relative_to(stage).as_posix(): _sha(p) for p in sorted(self._outputs)},
        }
        write_atomic(stage / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))


@dataclass(frozen=True)
class _Link:  # what report.html needs of a notice
    stem: str
    ctx: Mapping[str, Any]


def _record(r: FileRecord, group: Any, files: set[str]) -> dict[str, str]:
    d = {"file": r.file, "sha256": r.sha256, "status": r.status}
    if r.why:
        d["why"] = r.why
    if r.duplicate_of:
        d["duplicate_of"] = r.duplicate_of
    if r.status == "read" and r.file not in files:
        refused = next((p.message for p in group.problems if p.file == r.file and p.severity == "error"), "")
        d["status"], d["why"] = ("rejected", refused) if refused else ("read", "属于另一方案或周期，见其输出文件夹")
    return d


def _counts(summary: Summary, problems: list[Problem]) -> dict[str, Any]:
    return {
        "entities": summary.entities,
        "rated": summary.status["rated"],
        "incomplete": summary.status["incomplete"],
        "disqualified": summary.status["disqualified"],
        "stars": {str(k): v for k, v in sorted(summary.stars.items())},
        "problems": {"error": sum(p.severity == "error" for p in problems),
                     "warning": sum(p.severity == "warning" for p in problems)},
    }


def _sha(p: Path) -> str:
    with p.open("rb") as f:  # in chunks: 公示汇编 of a province is large
        return hashlib.file_digest(f, "sha256").hexdigest()
