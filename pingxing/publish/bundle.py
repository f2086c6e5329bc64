"""Write one (scheme, period) folder: results, problems, notices, manifest — whole or not at all."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .. import __version__, periods, schemes
from ..intake import FileRecord
from ..problems import Problem
from ..rate import Rating
from ..rules.bands import STAR_WORDS
from ..parallel import Runner
from ..timing import Clock
from .rendering import NoticeJob, render_all
from .staging import staged, write_atomic
from .tables import write_problems_csv, write_results_csv, write_results_xlsx

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"


def write_group(group: Any, records: list[FileRecord], output_dir: Path, options: dict[str, Any],
                publicity_start: date, runner: Runner | None = None,
                timings: dict[str, float] | None = None) -> Path:
    scheme = group.scheme
    target = output_dir / scheme.name / group.period
    clock = Clock(timings)
    contexts = notice_contexts(group, publicity_start)  # may add notice-withheld problems
    with staged(target) as stage:
        outputs: list[Path] = []
        write_results_csv(stage / "results.csv", scheme, group.ratings)
        write_results_xlsx(stage / "results.xlsx", scheme, group.ratings, group.problems)
        write_problems_csv(stage / "problems.csv", group.problems)
        outputs += [stage / "results.csv", stage / "results.xlsx", stage / "problems.csv"]
        clock.lap("write")
        notices = stage / "notices"
        notices.mkdir()
        jobs = [NoticeJob(str(TEMPLATES), _safe(f"{ctx['unit']}-{ctx['branch']}-{ctx['kind']}"), ctx)
                for ctx in contexts]
        outputs += render_all(jobs, notices, runner)
        clock.lap("render")
        manifest = {
            "tool": "pingxing",
            "version": __version__,
            "scheme": scheme.name,
            "scheme_file_sha256": schemes.file_sha256(scheme.name),
            "period": group.period,
            "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
            "options": options,
            "files": [_record(r, group) for r in records],
            "coercions": [c for f in group.forms for c in f.coercions],
            "counts": _counts(group.ratings, group.problems),
            "outputs": {p.relative_to(stage).as_posix(): _sha(p) for p in sorted(outputs)},
        }
        write_atomic(stage / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))
    clock.lap("write")
    return target


def notice_contexts(group: Any, start: date) -> list[dict[str, Any]]:
    """One 公示 per branch (member schemes), listing only what the scheme publishes.

    A branch with anyone still ``incomplete`` gets no notice yet: a list with people
    missing must not be posted (the problems say what to complete).
    """
    scheme, notices = group.scheme, group.scheme.notices
    begin, end = periods.publicity_window(start, notices.publicity_days)
    by_branch: dict[tuple[str, str], list[Rating]] = {}
    for r in group.ratings:
        by_branch.setdefault((r.entity.unit, r.entity.branch), []).append(r)
    out = []
    for (unit, branch), ratings in by_branch.items():
        if any(r.status == "incomplete" for r in ratings):
            group.problems.append(Problem(
                "notice-withheld", f"{unit}{branch}尚有人员评定不完整，暂不生成公示；补全表格后重新运行即可",
                entity=f"{unit}{branch}", severity="warning"))
            continue
        words = {"unit": unit, "branch": branch, "period_words": periods.in_words(group.period)}
        out.append({
            "kind": "公示",
            "title": notices.title.format(**words),
            "intro": notices.intro.format(**words),
            "unit": unit, "branch": branch, "period": group.period, "period_words": words["period_words"],
            "level": scheme.level,
            "rows": [_row(i, r) for i, r in enumerate(ratings, 1)],
            "publicity_days": notices.publicity_days,
            "publicity_start": periods.date_words(begin), "publicity_end": periods.date_words(end),
            "contact": notices.contact.format(**words),
            "issuer": notices.issuer.format(**words),
            "issue_date": periods.date_words(begin),
        })
    return out


def _row(seq: int, r: Rating) -> dict[str, Any]:
    e = r.entity
    stars = r.stars
    return {
        "seq": seq, "name": e.name, "unit": e.unit, "branch": e.branch, "stars": stars,
        "stars_text": "★" * stars if stars else "",
        "star_word": STAR_WORDS[stars] if stars is not None else "取消评星资格",
        "star_names": "、".join(r.star_names), "grade": r.grade, "note": "",
    }


def _record(r: FileRecord, group: Any) -> dict[str, str]:
    d = {"file": r.file, "sha256": r.sha256, "status": r.status}
    if r.why:
        d["why"] = r.why
    if r.duplicate_of:
        d["duplicate_of"] = r.duplicate_of
    if r.status == "read" and r.file not in group.files:
        d["why"] = "属于另一方案或周期，见其输出文件夹"
    return d


def _counts(ratings: list[Rating], problems: list[Problem]) -> dict[str, Any]:
    stars: dict[str, int] = {}
    for r in ratings:
        if r.stars is not None:
            stars[str(r.stars)] = stars.get(str(r.stars), 0) + 1
    return {
        "entities": len(ratings),
        "rated": sum(r.status == "rated" for r in ratings),
        "incomplete": sum(r.status == "incomplete" for r in ratings),
        "disqualified": sum(r.status == "disqualified" for r in ratings),
        "stars": dict(sorted(stars.items())),
        "problems": {"error": sum(p.severity == "error" for p in problems),
                     "warning": sum(p.severity == "warning" for p in problems)},
    }


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _safe(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name).strip("_") or "notice"
