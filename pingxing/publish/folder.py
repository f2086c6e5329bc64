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
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from pingxing.cells import file_stem
from pingxing.errors import InputError
from pingxing.intake.read import FileRecord
from pingxing.problems import Problem, sort_key
from pingxing.publish.compilation import COMPILATION_NAME, CompilationWriter
from pingxing.publish.internal import internal_context, listed, target_shares
from pingxing.publish.rendering import NoticeJob
from pingxing.publish.report import write_report
from pingxing.publish.staging import staged, write_atomic
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
                 history_columns: bool, templates: Path, workers_write: bool = True) -> None:
        self.scheme, self.period, self.options = scheme, period, options
        self.templates = str(templates)
        self.target = output_dir / scheme.name / period
        self._history_columns = history_columns
        self._workers_write = workers_write  # local workers write the notice files themselves
        self._stack = ExitStack()
        self._links: list[tuple[str, dict[str, str]]] = []  # (stem, title and kind) of every notice, for the report
        self._listed: list[Rating] = []  # those the internal document lists
        self._outputs: list[Path] = []

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
                                     self._history_columns)
        self._compilation = self._stack.enter_context(CompilationWriter(stage / COMPILATION_NAME, self.templates))
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> bool | None:
        return self._stack.__exit__(exc_type, exc, tb)

    def add(self, ratings: list[Rating]) -> None:
        """One shard's ratings: their rows in results.csv and results.xlsx."""
        self._csv.add(ratings)
        self._xlsx.add(ratings)
        self._listed.extend(listed(self.scheme, ratings))

    def notice(self, ctx: dict[str, Any]) -> NoticeJob:
        """A notice to render (on a worker): it goes into 公示汇编 and the report's links here."""
        stem = file_stem(ctx.pop("file"), (ctx.get("unit", ""), ctx.get("branch", "")))
        self._compilation.add(ctx)
        self._links.append((stem, {"title": ctx["title"], "kind": ctx["kind"]}))
        return NoticeJob(self.templates, stem, ctx, str(self.notices_dir) if self._workers_write else None)

    def write_notice(self, stem: str, docx: bytes | None, html: bytes | None, folder: str = "notices") -> None:
        """A rendered notice (its bytes, or None when the worker wrote the file itself)."""
        where = self.stage / folder
        for path, data in ((where / f"{stem}.docx", docx), (where / f"{stem}.html", html)):
            if data is not None:
                path.write_bytes(data)
            self._outputs.append(path)

    def close_tables(self, group: Any) -> None:
        """Once the last shard is added (every problem known): results, 公示汇编, problems.csv,
        report.html."""
        stage = self.stage
        group.problems.sort(key=sort_key)
        self._csv.close()
        self._xlsx.close(group.problems)
        self._outputs.extend([stage / "results.csv", stage / "results.xlsx", *self._compilation.close()])
        write_problems_csv(stage / "problems.csv", group.problems)
        self._outputs.append(stage / "problems.csv")
        self._outputs.extend(write_report(stage, group, [_Link(stem, ctx) for stem, ctx in self._links],
                                          template_dir=self.templates))

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
