"""report.html: a picture of the campaign for one (scheme, period).

Star distribution overall and per unit, the share at the target star level against the
scheme's target, the change from the previous period (from the history, or a ``previous``
mapping of star counts), how many are on each list (with a link to the internal document), the
workbooks still to come back, the problems grouped by returned form with what to do, and links to
every notice, its PDF, 公示汇编 and the 情况汇总. The charts are bars drawn in HTML and CSS by
``templates/report.html`` (no scripts, nothing fetched: the page works offline, reads on a phone —
the bars take the width there is — and prints on A4). Every share says what it is of: the
distribution of everyone taking part (参评总数), the five-star share of those rated with a star
level (已评定星级的), as on the 情况汇总, in results.xlsx and the internal document. This module
only counts and lays out; the template, rendered like the notices (sandboxed Jinja, autoescape,
``StrictUndefined``), draws. Same inputs, same bytes: nothing in the page depends on the clock.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

import jinja2

from pingxing import periods
from pingxing.problems import Problem
from pingxing.publish.chase import Owed
from pingxing.publish.compilation import COMPILATION_NAME, COMPILATION_PDF
from pingxing.publish.internal import public_actions
from pingxing.publish.notices import DEFAULT_TEMPLATE_DIR, environment, template_errors
from pingxing.publish.sections import in_action_order
from pingxing.rate.summary import DISQUALIFIED, EXCLUDED, INCOMPLETE, Summary, summary_of
from pingxing.rounding import percent, share_text
from pingxing.scheme.model import STAR_WORDS

__all__ = ["REPORT_NAME", "render_report", "report_context", "write_report"]

REPORT_NAME = "report.html"
REPORT_TEMPLATE = "report.html"
#: colours of the star levels (五星 … 无星), then 取消资格 and 待补全
STAR_COLOURS = {5: "#b71c1c", 4: "#e53935", 3: "#fb8c00", 2: "#fbc02d", 1: "#90a4ae", 0: "#cfd8dc"}
OTHER_COLOURS = {DISQUALIFIED: "#424242", INCOMPLETE: "#ffffff", EXCLUDED: "#eceff1"}
#: the same colours by the words the native charts (results.xlsx's 统计, the 情况汇总) label their bars
#: with; any other category (a grade, 不参评) the charts' default blue
CHART_COLOURS = {**{STAR_WORDS[s]: c.upper() for s, c in STAR_COLOURS.items()},
                 **{k: OTHER_COLOURS[k].upper() for k in (DISQUALIFIED, INCOMPLETE)}}


def chart_colour(category: str) -> str:
    """A bar's colour in a native chart (XlsxWriter's #RRGGBB)."""
    return CHART_COLOURS.get(category, "#5B9BD5")
GRADE_COLOURS = ["#b71c1c", "#e53935", "#fb8c00", "#fbc02d", "#90a4ae", "#cfd8dc", "#607d8b", "#424242"]


class _Job(Protocol):  # a rendered notice: rendering.NoticeJob
    @property
    def stem(self) -> str: ...
    @property
    def ctx(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True)
class _Category:
    key: str
    label: str
    colour: str


def report_context(group: Any, notices: Iterable[_Job] = (), previous: Mapping[int, int] | None = None,
                   target: tuple[int, Decimal | float] | None = None, actions: Mapping[str, int] | None = None,
                   missing: Sequence[Owed] = (), folder: Path | None = None) -> dict[str, Any]:
    """Everything ``report.html`` shows, as plain data.

    ``previous`` maps star levels to counts of the previous period (default: the previous
    stars of this period's entities, from the history; none → no comparison). ``target``
    is ``(stars, share)`` (default: the scheme's ``target``; none → the share is shown
    without a goal). ``actions``: how many are on each list; ``missing``: the workbooks still to
    come back (the 催交 list, :func:`.chase.owed`); ``folder``: where the files are (to link the
    PDFs, the internal document and the 情况汇总 that were made)."""
    scheme, summary = group.scheme, summary_of(group)
    categories = _categories(summary)
    units = sorted(summary.units)
    overall = summary.overall
    # member schemes: one bar per branch (unit + branch); branch schemes: one per unit
    parts = sorted(summary.parts)
    by_part = summary.parts
    has_stars = summary.has_stars
    if target is None and getattr(scheme, "target", None) is not None:
        target = (scheme.target.stars, scheme.target.share)
    goal_stars = target[0] if target else 5
    prev = dict(previous) if previous is not None else dict(summary.prev)
    member = scheme.level == "member"
    public = public_actions(scheme)
    counts = Counter(actions or {})
    return {
        "title": f"{scheme.title}{periods.in_words(group.period)}评定情况",
        "scheme_title": scheme.title, "period": group.period,
        "period_words": periods.in_words(group.period),
        "level_word": "党员" if member else "党支部", "who": "人" if member else "个",
        "totals": {
            "entities": summary.entities,
            "rated": summary.status["rated"],
            "incomplete": summary.status["incomplete"],
            "disqualified": summary.status["disqualified"],
            "errors": sum(p.severity == "error" for p in group.problems),
            "warnings": sum(p.severity == "warning" for p in group.problems),
        },
        "has_stars": has_stars,
        "overall": _bars(categories, overall),
        "parts_word": "支部" if member else "单位",
        "units": [{"name": p, "total": sum(by_part[p].values()),
                   "segments": _stack(categories, by_part[p])} for p in parts],
        "legend": [{"label": c.label, "colour": c.colour} for c in categories],
        "share": _shares(summary, units, goal_stars, target[1] if target else None) if has_stars else None,
        "previous": _comparison(overall, prev) if prev and has_stars else None,
        "changes": [{"label": k, "count": summary.changes[k]} for k in ("升", "持平", "降") if summary.changes[k]],
        "lists": [{"name": a, "count": counts[a], "public": a in public}
                  for a in in_action_order(counts) if counts[a]],
        "internal": _files(folder, "internal/内部名单"),
        "summary": _files(folder, "情况汇总"),
        "missing": list(missing),
        "problems": _problem_groups(group),
        "notices": [{"title": job.ctx.get("title", job.stem), "kind": job.ctx.get("kind", ""),
                     "html": quote(f"notices/{job.stem}.html"), "docx": quote(f"notices/{job.stem}.docx"),
                     "pdf": quote(f"notices/{job.stem}.pdf")
                     if folder is not None and (folder / "notices" / f"{job.stem}.pdf").exists() else ""}
                    for job in notices],
        "compilation": COMPILATION_NAME, "compilation_href": quote(COMPILATION_NAME),
        "compilation_pdf": quote(COMPILATION_PDF) if folder is not None and (folder / COMPILATION_PDF).exists() else "",
    }


def _files(folder: Path | None, stem: str) -> dict[str, str] | None:
    """Links to ``stem``'s .docx and .pdf where they were made (None: no such document)."""
    if folder is None or not (folder / f"{stem}.docx").exists():
        return None
    return {"docx": quote(f"{stem}.docx"), "pdf": quote(f"{stem}.pdf") if (folder / f"{stem}.pdf").exists() else ""}


def render_report(ctx: Mapping[str, Any], template_dir: str | Path = DEFAULT_TEMPLATE_DIR) -> str:
    return "".join(_generate(ctx, template_dir))


def write_report(folder: Path, group: Any, notices: Sequence[_Job] = (), previous: Mapping[int, int] | None = None,
                 template_dir: str | Path = DEFAULT_TEMPLATE_DIR, actions: Mapping[str, int] | None = None,
                 missing: Sequence[Owed] = ()) -> list[Path]:
    """Write ``folder/report.html``; returns ``[path]`` (for the manifest). The page is written
    as the template produces it (a province's page has a bar per branch: never one string)."""
    ctx = report_context(group, notices, previous, actions=actions, missing=missing, folder=folder)
    if not notices or not (folder / COMPILATION_NAME).exists():
        ctx["compilation"] = ""
    path = folder / REPORT_NAME
    with path.open("w", encoding="utf-8", newline="") as out:
        out.writelines(_generate(ctx, template_dir))
    return [path]


def _generate(ctx: Mapping[str, Any], template_dir: str | Path) -> Iterator[str]:
    path = Path(template_dir) / REPORT_TEMPLATE
    env = environment(loader=jinja2.FileSystemLoader(str(path.parent)))
    with template_errors(path, ctx):
        yield from env.get_template(path.name).generate(ctx)


# ------------------------------------------------------------------ counting


def _categories(summary: Summary) -> list[_Category]:
    """Star levels 五星 … 无星 (all of them when anyone has stars), else the grades met, then the rest."""
    out: list[_Category] = []
    if summary.has_stars:
        out += [_Category(str(s), STAR_WORDS[s], STAR_COLOURS[s]) for s in range(5, -1, -1)]
    grades = [g for g in summary.seen if g not in {c.key for c in out} | set(OTHER_COLOURS)]
    out += [_Category(g, g, GRADE_COLOURS[i % len(GRADE_COLOURS)]) for i, g in enumerate(grades)]
    out += [_Category(k, k, OTHER_COLOURS[k]) for k in OTHER_COLOURS if k in summary.seen]
    return out


def _bars(categories: list[_Category], counts: Counter[str]) -> list[dict[str, Any]]:
    """One bar per category: ``percent`` of everyone (参评总数), ``width`` in % of the longest bar."""
    total = sum(counts.values())
    most = max(counts.values(), default=0)
    return [{"label": c.label, "colour": c.colour, "count": counts[c.key], "percent": share_text(counts[c.key], total),
             "width": _width(counts[c.key], most)} for c in categories]


def _stack(categories: list[_Category], counts: Counter[str]) -> list[dict[str, Any]]:
    """Segments of a 100 % bar, ``width`` in %."""
    total = sum(counts.values())
    return [{"label": c.label, "colour": c.colour, "count": counts[c.key], "percent": share_text(counts[c.key], total),
             "width": _width(counts[c.key], total), "ink": _ink(c.colour)} for c in categories if counts[c.key]]


def _shares(summary: Summary, units: list[str], stars: int, goal: Decimal | float | None) -> dict[str, Any]:
    rows = []
    for name, counts in [("全部", summary.stars), *[(u, summary.unit_stars.get(u, Counter())) for u in units]]:
        rated = sum(counts.values())
        n = counts[stars]
        share = Fraction(n, rated) if rated else Fraction(0)
        rows.append({"name": name, "count": n, "rated": rated, "percent": share_text(n, rated),
                     "width": _width(n, rated),
                     "met": goal is not None and bool(rated) and share >= Fraction(str(goal))})
    return {
        "stars": stars, "word": STAR_WORDS[stars],
        "base": f"{STAR_WORDS[stars]}占已评定星级的比例（不含取消资格和待补全）",
        "goal": percent(Fraction(str(goal)), trim=True) if goal is not None else None,
        "rows": rows if len(units) > 1 else rows[:1],
    }


def _comparison(now: Counter[str], prev: Mapping[int, int]) -> dict[str, Any]:
    levels = list(range(5, -1, -1))
    now_n = {s: now[str(s)] for s in levels}
    prev_n = {s: int(prev.get(s, prev.get(str(s), 0))) for s in levels}  # type: ignore[call-overload]
    most = max([*now_n.values(), *prev_n.values(), 1])
    return {
        "most": most,
        "rows": [{"label": STAR_WORDS[s], "colour": STAR_COLOURS[s], "now": now_n[s], "prev": prev_n[s],
                  "now_width": _width(now_n[s], most), "prev_width": _width(prev_n[s], most),
                  "delta": now_n[s] - prev_n[s]} for s in levels],
        "prev_total": sum(prev_n.values()),
    }


def _problem_groups(group: Any) -> list[dict[str, Any]]:
    """Problems by returned form (named by its unit and branch); a problem of no file joins the
    form of the branch it names, else a group of its own (``where`` empty: the whole period)."""
    where = {f.file: f"{f.unit}{f.branch}" for f in getattr(group, "forms", [])}
    groups: dict[str, dict[str, Any]] = {}
    for p in sorted(group.problems, key=lambda p: not p.file):  # forms first
        key = p.file or next((k for k, g in groups.items() if g["file"] and p.entity and g["where"] == p.entity),
                             p.entity)
        g = groups.setdefault(key, {"file": p.file, "where": where.get(p.file, "") if p.file else p.entity,
                                    "errors": 0, "warnings": 0, "rows": []})
        g["errors" if p.severity == "error" else "warnings"] += 1
        g["rows"].append(_problem(p))
    return sorted(groups.values(), key=lambda g: (not g["file"], -g["errors"], g["file"], g["where"]))


def _problem(p: Problem) -> dict[str, str]:
    return {"sheet": p.sheet, "cell": p.cell, "entity": p.entity, "severity": p.severity,
            "level": "错误" if p.severity == "error" else "提示", "message": p.message, "value": p.value}


def _width(n: int, of: int) -> str:
    """``n`` of ``of`` as a CSS width in percent (one decimal at most)."""
    return percent(Fraction(n, of), trim=True) if of else "0"


def _ink(colour: str) -> str:
    """Black or white, whichever reads better on ``colour`` (#rrggbb)."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#1f1f1f" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#ffffff"
