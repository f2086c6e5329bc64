"""评定计算明细: one entity's rating, laid out to answer an objection during publicity — each part's
figure with the number of ballots and how they were averaged, the weights, the exact total and its
rounding, the band, what each rule did, the corrections, the publicity dates and how to object.
Never a ballot: only the facts the rating kept (:mod:`pingxing.rate.explain`), and for a part resting
on fewer than k ballots the anonymity guard's words (:func:`pingxing.rate.anonymity.guard_text`).

Written from the record alone (``explain``), as ``templates/explain.docx`` (docxtpl, editable in Word)
and ``templates/explain.html`` (Jinja, autoescaped: every text from a workbook is escaped), one A4 page.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from pingxing import periods
from pingxing.cells import file_stem, fmt_decimal
from pingxing.places import shipped
from pingxing.publish.notices import NoticeRenderer, objection_words
from pingxing.rate.anonymity import guard_text
from pingxing.rate.rules.bands import find
from pingxing.rate.rules.named_stars import reaches, shares_of
from pingxing.rounding import percent, publish
from pingxing.scheme.components import TALLY_HEADERS
from pingxing.scheme.model import STAR_WORDS, Scheme
from pingxing.scheme.rules import BandsRule, QuotaRule, VoteStarsRule
from pingxing.validate.corrections import approval_words

__all__ = ["EXPLAIN_FOLDER", "EXPLAIN_TEMPLATE", "OBJECTION_FIELDS", "explain_context", "explain_renderer", "explain_stem",
           "notice_key", "objection_facts", "write_explanation"]

EXPLAIN_TEMPLATE = "explain"  # templates/explain.docx and templates/explain.html
#: where ``explain`` writes by default, inside the period's output folder (a new run replaces that folder
#: and with it every 计算明细 of results it no longer has: write them again from the new record)
EXPLAIN_FOLDER = "计算明细"
#: what a 公示 says that an objection needs (kept per 公示 by ``run``, for ``explain``)
OBJECTION_FIELDS = ("title", "publicity_words", "contact", "contact_person", "contact_phone", "objection_place",
                    "objection_hours", "issuer")
RULE_TITLES = {"veto": "一票否决", "bands": "分档定星", "demote": "违规违纪", "vote_stars": "命名星（按得票率）",
               "all_pass_stars": "命名星（逐项达标）", "quota": "比例控制（名额）", "award": "单项称号",
               "ledger": "台账检查", "grades": "评定等次", "lists": "结果运用", "exclude": "不参评",
               "propose_grade": "民主评议（建议等次与支部评定）"}
#: rules whose outcome says nothing to the one objecting unless they changed something (internal marks)
_QUIET = {"unit_limit"}
_STATUS = {"incomplete": "暂未评定（待补全）", "disqualified": "取消评星资格", "excluded": "不参评"}
_UNRULED = {"incomplete": "资料不全，暂未按规则评定", "excluded": "不参评，不按规则评定", "disqualified": "已取消评星资格"}


def objection_facts(ctx: Mapping[str, Any]) -> dict[str, str]:
    """What a 公示's context says that an objection to it needs (:data:`OBJECTION_FIELDS`)."""
    return {k: str(ctx.get(k) or "") for k in OBJECTION_FIELDS}


def notice_key(unit: str, branch: str) -> str:
    """How the 公示 of a unit (branch schemes) or a branch (member schemes) is found again."""
    return f"{unit}\t{branch}"


def explain_stem(entity_id: str, name: str) -> str:
    """``评定计算明细-<编号>-<姓名>``, safe as a file name everywhere (:func:`pingxing.cells.file_stem`)."""
    return file_stem(f"评定计算明细-{entity_id}-{name}", (name,))


def explain_renderer(template_dir: Path) -> NoticeRenderer:
    """The renderer of ``explain.docx`` / ``explain.html`` in ``template_dir`` — or the shipped ones, for a
    clerk's templates folder made before ``explain`` came (without them)."""
    folder = template_dir if (template_dir / f"{EXPLAIN_TEMPLATE}.docx").is_file() else shipped("templates")
    return NoticeRenderer(folder, f"{EXPLAIN_TEMPLATE}.docx", f"{EXPLAIN_TEMPLATE}.html")


def write_explanation(ctx: Mapping[str, Any], folder: Path, template_dir: Path) -> list[Path]:
    """Write ``<folder>/评定计算明细-<编号>-<姓名>.docx`` and ``.html``; returns both paths."""
    renderer = explain_renderer(template_dir)
    folder.mkdir(parents=True, exist_ok=True)
    stem = explain_stem(ctx["entity_id"], ctx["name"])
    return [renderer.render_docx(ctx, folder / f"{stem}.docx"), renderer.render_html(ctx, folder / f"{stem}.html")]


def explain_context(scheme: Scheme, period: str, record: Any, facts: Mapping[str, Any],
                    notices: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    """Everything the templates show (plain strings and lists). ``record``: the entity's recorded
    result; ``facts``: its explanation as the rating kept it; ``notices``: the period's 公示 by
    :func:`notice_key`."""
    member = scheme.level == "member"
    k = scheme.anonymity.min_ballots
    result = {"stars": None, "star_names": [], "grade": "", "proposed_grade": "", "score": None, "reasons": [],
              "public_actions": [], **facts["result"]}  # (the record leaves out what is empty)
    parts = facts.get("parts", {})
    rows = [_part(scheme, c, parts[c.sheet], k) for c in scheme.components if c.sheet in parts]
    notice = notices.get(notice_key(record.unit, record.branch if member else ""), {})
    where = f"{record.unit}{record.branch}" if member else record.unit
    return {
        "title": f"{record.name}{periods.in_words(period)}评定计算明细",
        "scheme_title": scheme.title, "period_words": periods.in_words(period),
        "entity_id": record.entity_id, "name": record.name, "unit": record.unit, "branch": record.branch,
        "where": where,
        "parts": rows,
        "total_lines": _total(scheme, facts.get("computed"), result, rows),
        "rules": [rule for rule in (_rule(scheme, i, step, parts, result, k) for i, step in enumerate(facts.get("steps", [])))
                  if rule is not None] or [{"title": "说明", "lines": [_UNRULED.get(result["status"], "无")]}],
        "corrections": [_correction(c) for c in facts.get("corrections", [])],
        "result": _result(result),
        "reasons": result["reasons"] if result["status"] != "rated" else [],
        "publicity_lines": _publicity(notice),
        "objection_lines": _objection(notice),
        "note": f"本明细只列出各项的票数、平均分等汇总数字，不含任何一张选票；依据不足{k}张有效票的项目显示为"
                f"“{guard_text(k)}”，其分数已计入综合得分。",
    }


# ------------------------------------------------------------------ parts


def _part(scheme: Scheme, c: Any, fact: Mapping[str, Any], k: int) -> dict[str, str]:
    """One row of the parts table: 组成部分, 计算方法, 票数, 得分, 权重, 折算."""
    weights = scheme.total.weights if scheme.total is not None else {}
    weight = weights.get(c.sheet)
    row = {"name": c.sheet, "how": "", "ballots": "", "figure": "", "weight": _weight(weight) if weight else "",
           "weighted": ""}
    if fact.get("withheld"):
        row.update(how=_kind_words(c), figure=guard_text(k), weighted=guard_text(k) if weight else "")
        return row
    figure = Fraction(fact["figure"]) if "figure" in fact else None
    row["how"] = _how(c, fact)
    if "ballots" in fact:
        row["ballots"] = str(fact["ballots"])
    if figure is not None:
        row["figure"] = _figure(figure, scheme.decimals)
        if weight:
            row["weighted"] = _weighted(Fraction(weight) * figure, scheme.decimals)
    return row


def _kind_words(c: Any) -> str:
    return {"ballots": "选票的平均分", "tally": "满意度测评", "votes": "得票", "grade_votes": "各等次得票"}.get(c.kind, "")


def _how(c: Any, fact: Mapping[str, Any]) -> str:
    kind, n = c.kind, fact.get("ballots")
    if kind == "items":
        return f"{len(c.columns())}项得分之和（满分{fmt_decimal(c.max)}）"
    if kind == "score":
        return "得分" if len(c.columns) == 1 else f"{len(c.columns)}项得分的平均"
    if kind == "ballots":
        agg = c.aggregate
        if agg.method == "trimmed_mean" and agg.min_ballots is not None:
            if n >= agg.min_ballots:
                return f"{n}张票去掉{agg.trim}个最高分和{agg.trim}个最低分，其余{n - 2 * agg.trim}张票的平均分"
            return f"{n}张票的平均分（不足{agg.min_ballots}张，不去掉最高分和最低分）"
        return f"{n}张票的平均分"
    if kind == "tally":
        counts = fact["counts"]
        told = "、".join(f"{h}{counts[h]}" for h in TALLY_HEADERS if counts.get(h))
        rate = Fraction(fact["rate"])
        scored = "按各档分值折算的满意度得分" if c.score_weights else "满意率×100"
        return f"{told}；满意率{_pct(rate)}；{scored}"
    if kind in ("votes", "grade_votes"):
        return "；".join(f"{name}{v}票（{_pct(Fraction(v, n))}）" for name, v in fact["votes"].items())
    if kind == "checklist":
        unmet = fact["unmet"]
        return f"{fact['items']}项中{fact['items'] - len(unmet)}项达标" + (f"；未达标：{'、'.join(unmet)}" if unmet else "")
    if kind == "flags":
        defaults = {col.header: col.default or "" for col in c.columns}
        return "；".join(f"{h}：{v}" for h, v in fact["values"].items() if v != defaults.get(h, "")) or "无特别情形"
    if kind == "bonus":
        points = {i.header: i.points for i in c.items}
        earned = fact["earned"]
        return ("、".join(f"{h}（{fmt_decimal(points[h])}分）" for h in earned) or "无加分项") + f"，最多加{fmt_decimal(c.cap)}分"
    if kind == "ledger":
        return f"台账{fact['rows']}条，检查结果见下"
    return ""


def _total(scheme: Scheme, exact: str | None, result: Mapping[str, Any], rows: list[dict[str, str]]) -> list[str]:
    """The weighted sum (its terms, its exact value) and the published score with its rounding."""
    spec = scheme.total
    if spec is None or exact is None:
        return []
    computed = Fraction(exact)
    by_name = {r["name"]: r for r in rows}
    names = [f"{s}×{_weight(w)}" for s, w in spec.weights.items()] + list(spec.bonus)
    terms = [by_name[s]["weighted"] if s in by_name else "0" for s in spec.weights]
    terms += [by_name[s]["figure"] if s in by_name else "0" for s in spec.bonus]
    at_cap = spec.max is not None and computed == Fraction(spec.max)  # (the parts may add up to more)
    d = scheme.decimals
    lines = [f"综合得分 = {' + '.join(names)}" + (f"（最高{fmt_decimal(spec.max)}分）" if spec.max is not None else ""),
             f"　　　　 = {' + '.join(f'（{t}）' if not t[0].isdigit() else t for t in terms)}"
             f" = {_exact(computed, d)}（精确值{'，已达最高分' if at_cap else ''}）",
             f"公布得分 = {publish(computed, d)}（按四舍五入保留{d}位小数；分档按公布得分）"]
    if result.get("score") is not None and result["score"] != str(publish(computed, d)):
        lines.append(f"更正后的公布得分 = {result['score']}（见“更正”）")
    return lines


# ------------------------------------------------------------------ rules


def _rule(scheme: Scheme, i: int, step: Mapping[str, Any], parts: Mapping[str, Any], result: Mapping[str, Any],
          k: int) -> dict[str, Any] | None:
    rule = scheme.rules[i]
    kind = rule.kind
    lines: list[str] = []
    if kind == "bands" and "score" in step and isinstance(rule, BandsRule):
        band = find(rule.bands, Fraction(step["score"]))
        lo = f"{fmt_decimal(band.min)} ≤ " if band.min is not None else ""
        hi = f" < {fmt_decimal(band.max)}" if band.max is not None else ""
        lines.append(f"公布得分{step['score']}在{STAR_WORDS[band.stars]}档（{lo}得分{hi}）")
    if kind == "quota" and "rank" in step and isinstance(rule, QuotaRule):
        level = STAR_WORDS[rule.stars]
        least = f"，至少{rule.minimum}个" if rule.minimum else ""
        lines.append(f"{step['scope'] or '全部'}{level}名额{step['allowed']}个（{step['members']}个的"
                     f"{fmt_decimal(rule.share * 100)}%，向下取整{least}）；达到{level}的"
                     f"{step['holders']}个中按得分（及比较项）排第{step['rank']}"
                     + ("，在名额之内" if "stars" not in step and step["rank"] <= step["allowed"] else ""))
    if kind == "quota" and "rank" not in step and isinstance(rule, QuotaRule) and result["status"] == "rated":
        lines.append(f"未达到{STAR_WORDS[rule.stars]}，不涉及名额")
    if kind == "award" and "rank" in step:
        lines.append(f"得分（及比较项）排第{step['rank']}，共{step['of']}个")
    said = step.get("said", [])
    if kind == "vote_stars" and isinstance(rule, VoteStarsRule) and result["status"] == "rated":
        lines.extend(_vote_lines(rule, parts, result, k))
        said = []  # (what the rule said is in the lines: the shares, the threshold, a star withheld)
    if kind == "propose_grade" and result.get("proposed_grade"):
        said = said or [f"各等次的得票均未达到提出条件，建议等次为{result['proposed_grade']}"]
        if result["grade"] == result["proposed_grade"]:
            said = [*said, f"支部评定为{result['grade']}（同建议等次）"]
    lines.extend(said)
    if "stars" in step and not said and kind not in ("bands", "vote_stars", "all_pass_stars"):
        before, after = step["stars"]
        lines.append(f"星级由{_stars(before)}改为{_stars(after)}")
    if kind == "lists":
        lines = [f"列入：{'、'.join(step['lists'])}"] if step.get("lists") else []
    if not lines:
        if kind in _QUIET or kind in ("lists", "exclude", "propose_grade", "award") or result["status"] != "rated":
            return None
        lines.append({"veto": "未发现否决情形", "demote": "无降星情形", "ledger": "台账检查全部达到要求",
                      "all_pass_stars": "全部达标"}.get(kind, "无影响"))
    return {"title": RULE_TITLES.get(kind, kind), "lines": lines}


def _vote_lines(rule: VoteStarsRule, parts: Mapping[str, Any], result: Mapping[str, Any], k: int) -> list[str]:
    """Each named star: its votes in each group, the share it is judged by, the threshold, earned or not."""
    need = f"须{'超过' if rule.strict else '达到'}{fmt_decimal(rule.share * 100)}%"
    facts = [parts.get(g, {}) for g in rule.groups]
    if not all("votes" in f or f.get("withheld") for f in facts):
        return []
    counted = {g: {star: (v, f["ballots"]) for star, v in f["votes"].items()}
               for g, f in zip(rule.groups, facts, strict=True) if "votes" in f}
    lines = []
    for star in rule.stars:
        if any(f.get("withheld") for f in facts):
            told, met = guard_text(k), False
        else:
            shares = shares_of(rule, counted, star)  # as the rule judged them
            met = reaches(rule, shares)
            counts = [counted[g][star] for g in rule.groups]
            if rule.mode == "combined":
                told = "、".join(f"{g}{v}/{n}票" for g, (v, n) in zip(rule.groups, counts, strict=True))
                told += f"，合计得票率{_pct(shares[0])}"
            else:
                told = "、".join(f"{g}{v}/{n}票（{_pct(x)}）" for g, (v, n), x in zip(rule.groups, counts, shares, strict=True))
        verdict = "获得" if star in result["star_names"] else "达到标准，但经支部评定不予授予" if met else "未获"
        lines.append(f"{star}：{told}，{need}——{verdict}")
    return lines


def _correction(c: Mapping[str, str]) -> str:
    head = approval_words(date.fromisoformat(c["decided_on"]) if c["decided_on"] else None, c["approved_by"])
    return f"{head + '：' if head else ''}{c['action']}{' ' + c['value'] if c['value'] else ''}；理由：{c['reason']}"


def _result(result: Mapping[str, Any]) -> str:
    status = result["status"]
    if status != "rated":
        return _STATUS.get(status, status)
    out = [STAR_WORDS[result["stars"]]] if result["stars"] is not None else []
    if result["star_names"]:
        out.append(f"（{'、'.join(result['star_names'])}）")
    if result["grade"]:
        out.append(("，" if out else "") + f"等次：{result['grade']}")
    if result.get("proposed_grade") and result["proposed_grade"] != result["grade"]:
        out.append(f"（建议等次：{result['proposed_grade']}）")
    if result["public_actions"]:
        out.append(f"；{'、'.join(result['public_actions'])}")
    return "".join(out) or "已评定（无星级、等次）"


# ------------------------------------------------------------------ publicity


def _publicity(notice: Mapping[str, str]) -> list[str]:
    if not notice:
        return ["本期没有列出本对象的公示（名单中尚有待补全的对象时暂不公示；只公示部分等次的，未列入者没有公示）；"
                "如有异议，可向组织评定的党组织提出。"]
    lines = [f"公示：{notice['title']}"]
    if notice.get("publicity_words"):
        lines.append(f"公示时间：{notice['publicity_words']}")
    return lines


def _objection(notice: Mapping[str, str]) -> list[str]:
    """How to object, as the 公示 says it (:func:`.notices.objection_words`)."""
    ways = objection_words(notice)
    return [x for x in (notice.get("contact", ""), ways) if x]


# ------------------------------------------------------------------ numbers


def _figure(f: Fraction, decimals: int) -> str:
    """A part's figure as published (``decimals``), marked ≈ when that is not its exact value."""
    shown = publish(f, decimals)
    return str(shown) if Fraction(shown) == f else f"≈{shown}"


def _weighted(f: Fraction, decimals: int) -> str:
    """A weighted part: exact when it has at most two decimals more than the score, else ≈ to those."""
    whole = _terminating(f)
    if whole and len(whole.partition(".")[2]) <= decimals + 2:
        return whole
    return f"≈{publish(f, decimals + 2)}"


def _exact(f: Fraction, decimals: int) -> str:
    """The exact value: a terminating decimal, else the fraction and its value to four more places."""
    return _terminating(f) or f"{f.numerator}/{f.denominator}≈{publish(f, decimals + 4)}"


def _terminating(f: Fraction) -> str:
    """``f`` as a decimal when it terminates (its denominator has no prime factor but 2 and 5), else ""."""
    d = f.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    if d != 1:
        return ""
    places = 0
    while (f * 10**places).denominator != 1:
        places += 1
    return str(publish(f, places))


def _weight(w: Any) -> str:
    return f"{fmt_decimal(Decimal(w) * 100)}%"


def _pct(f: Fraction) -> str:
    return f"{percent(f)}%"


def _stars(n: int | None) -> str:
    return STAR_WORDS[n] if n is not None else "无星级"
