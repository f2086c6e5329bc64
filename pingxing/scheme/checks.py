"""Semantic checks of a parsed scheme, each failing with the key path of the culprit.

Pydantic checks the shape (keys, types, ranges); these check what the pieces say about
each other: weights sum to 1, references name real sheets and columns, bands neither
overlap nor leave gaps, a band's requirement has a band to fall back to, rules that need
a total or stars have them.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any, NoReturn

from pingxing.cells import fmt_decimal
from pingxing.errors import SchemeError
from pingxing.scheme import writable
from pingxing.scheme.components import (
    NUMERIC_KINDS,
    SURVEY_KINDS,
    BallotsComponent,
    BonusComponent,
    ChecklistComponent,
    FlagsComponent,
    GradeVotesComponent,
    ItemsComponent,
    LedgerComponent,
    ScoreComponent,
    TallyComponent,
    VotesComponent,
)
from pingxing.scheme.model import RESERVED_SHEETS, Scheme
from pingxing.scheme.rules import (
    AllPassStarsRule,
    AwardRule,
    BandsRule,
    Condition,
    DemoteRule,
    ExcludeRule,
    GradesRule,
    LedgerRule,
    ListsRule,
    ProposeGradeRule,
    QuotaRule,
    TieBreaker,
    UnitLimitRule,
    VetoRule,
    VoteStarsRule,
)

Fail = Callable[[str, str], NoReturn]


class _Stop(Exception):
    """One mistake found: the check of that piece stops, the others go on."""


def check(s: Scheme, file: str, looked_up_as: str | None = None) -> None:
    """Every mistake of the scheme, raised together as one :class:`SchemeError` (one line each).
    ``looked_up_as``: the file's name when it lies where schemes are found by name — returned forms
    name the scheme by its ``name``, so the two must agree."""
    mistakes: list[tuple[str, str]] = []

    def fail(path: str, message: str) -> NoReturn:
        mistakes.append((path, message))
        raise _Stop

    def attempt(fn: Callable[..., Any], *args: Any) -> Any:
        try:
            return fn(*args)
        except _Stop:
            return None

    if looked_up_as is not None and s.name != looked_up_as:
        attempt(fail, "name", f"方案名称“{s.name}”与文件名“{looked_up_as}.yaml”不一致：收回的表格按名称找方案，"
                              f"会找不到或用错方案；请把 name 改为 {looked_up_as}（或把文件改名为 {s.name}.yaml）")
    _checks(s, fail, attempt)
    if mistakes:
        unique = list(dict.fromkeys(mistakes))
        raise SchemeError(file, *unique[0], more=unique[1:])


def _checks(s: Scheme, fail: Fail, attempt: Callable[..., Any]) -> None:
    attempt(writable.name, s.name, "name", fail)
    attempt(writable.name, s.notices.template, "notices.template", fail)
    writable.texts(s, "", fail, attempt)
    for i, c in enumerate(s.components):
        attempt(_component, s, i, c, fail)
        attempt(writable.sheet_name, s, i, c.sheet, fail)
        writable.columns(i, c, fail, attempt)
    top = attempt(_total, s, fail)
    bands = [r for r in s.rules if isinstance(r, BandsRule)]
    if len(bands) > 1:
        attempt(fail, "rules", "只能有一条 kind: bands 规则")
    ledger_checks = {c.name for r in s.rules if isinstance(r, LedgerRule) for c in r.checks}
    for i, rule in enumerate(s.rules):
        attempt(_rule, s, i, rule, bands, top, ledger_checks, fail, attempt)
    attempt(_notices, s, fail, attempt)
    attempt(_appraisal, s, fail, attempt)
    if s.workbooks:
        attempt(_workbooks, s, fail, attempt)


def _rule(s: Scheme, i: int, rule: Any, bands: list[BandsRule], top: Decimal | None, ledger_checks: set[str],
          fail: Fail, attempt: Callable[..., Any]) -> None:
    base = f"rules[{i}]"
    cond = lambda c, path: attempt(_condition, s, c, path, fail, ledger_checks)  # noqa: E731
    if isinstance(rule, (BandsRule, QuotaRule, AwardRule)) and s.total is None:
        fail(base, f"kind: {rule.kind} 需要总分，请设置 total")
    if isinstance(rule, VetoRule):
        for k, c in enumerate(rule.conditions):
            attempt(_column, s, c.column, f"{base}.conditions[{k}].column", fail, (FlagsComponent, ChecklistComponent),
                    None if c.when == "filled" else c.when)
    elif isinstance(rule, BandsRule):
        _bands(s, rule, base, top if top is not None else Decimal(0), fail)
    elif isinstance(rule, DemoteRule):
        for value, step in rule.steps.items():
            if step != "all" and not 0 <= step <= 5:
                attempt(fail, f"{base}.steps.{value}", f"降星数 {step} 无效，应为 0 到 5 的整数，或 all（摘星）")
        col = _column(s, rule.column, f"{base}.column", fail, (FlagsComponent,))
        for value in rule.steps:
            if col is not None and col.choices and value not in col.choices:
                attempt(fail, f"{base}.steps.{value}", f"“{value}”不是“{col.header}”列的可选项 {col.choices}")
    elif isinstance(rule, VoteStarsRule):
        for g, sheet in enumerate(rule.groups):
            comp = attempt(_sheet, s, sheet, f"{base}.groups[{g}]", fail, VotesComponent)
            missing = [star for star in rule.stars if comp is not None and star not in comp.stars]
            if missing:
                attempt(fail, f"{base}.groups[{g}]", f"工作表“{sheet}”没有“{'、'.join(missing)}”列")
        if rule.veto_column:
            attempt(_column, s, rule.veto_column, f"{base}.veto_column", fail, (FlagsComponent,))
    elif isinstance(rule, AllPassStarsRule):
        for k, star in enumerate(rule.stars):
            for j, item in enumerate(star.items):
                cond(item, f"{base}.stars[{k}].items[{j}]")
    elif isinstance(rule, QuotaRule):
        if not bands or not any(b.stars == rule.stars for b in bands[0].bands):
            attempt(fail, f"{base}.stars", f"没有 {rule.stars} 星的分数段，无法控制比例")
        _breakers(s, rule.tie_breakers, base, fail, attempt)
    elif isinstance(rule, UnitLimitRule):
        above, _, below = rule.share.partition("/")
        if (below and Decimal(below) == 0) or not 0 < Decimal(above) / Decimal(below or 1) <= 1:
            fail(f"{base}.share", f"比例“{rule.share}”无效，应为 0 到 1 之间，如 2/3 或 0.5")
    elif isinstance(rule, AwardRule):
        if not rule.grade.strip():
            attempt(fail, f"{base}.grade", "称号不能为空，如 先锋旗")
        for j, eligible in enumerate(rule.eligible):
            cond(eligible, f"{base}.eligible[{j}]")
        _breakers(s, rule.tie_breakers, base, fail, attempt)
    elif isinstance(rule, LedgerRule):
        ledger: Any = _sheet(s, rule.sheet, f"{base}.sheet", fail, LedgerComponent)
        for j, check in enumerate(rule.checks):
            if check.type not in ledger.types:
                attempt(fail, f"{base}.checks[{j}].type", f"“{check.type}”不在台账的活动类型 {ledger.types} 中")
            if check.speaker and check.speaker not in ledger.roles:
                attempt(fail, f"{base}.checks[{j}].speaker", f"“{check.speaker}”不在主讲人身份 {ledger.roles} 中")
            if check.when is not None:
                cond(check.when, f"{base}.checks[{j}].when")
    elif isinstance(rule, GradesRule):
        for g, grade in enumerate(rule.grades):
            if not grade.grade.strip():
                attempt(fail, f"{base}.grades[{g}].grade", "等次不能为空，如 优秀")
        for j, sheet in enumerate(rule.sheets):
            attempt(_sheet, s, sheet, f"{base}.sheets[{j}]", fail, ChecklistComponent)
        for g, grade in enumerate(rule.grades):
            for j, required in enumerate(grade.require):
                cond(required, f"{base}.grades[{g}].require[{j}]")


def _notices(s: Scheme, fail: Fail, attempt: Callable[..., Any]) -> None:
    texts = {f"notices.{k}": getattr(s.notices, k) for k in ("title", "intro", "contact", "issuer")}
    announcement = s.notices.announcement
    if announcement is not None:
        texts.update({f"notices.announcement.{k}": getattr(announcement, k)
                      for k in ("title", "intro", "issuer", "organ", "doc_number") if getattr(announcement, k)})
        for j, stars in enumerate(announcement.list_stars):
            if not 0 <= stars <= 5:
                attempt(fail, f"notices.announcement.list_stars[{j}]", f"星级 {stars} 无效，应为 0 到 5")
    for path, text in texts.items():
        attempt(writable.fields, text, path, fail)
    for j, kind in enumerate(announcement.periods if announcement else []):
        if kind not in s.period_kinds:
            attempt(fail, f"notices.announcement.periods[{j}]",
                    f"“{kind}”不是本方案的评定周期（{'、'.join(s.period_kinds)}）")
    if announcement is not None:
        public = {lst.name for r in s.rules if isinstance(r, ListsRule) for lst in r.lists if lst.public}
        for j, action in enumerate(announcement.list_actions):
            if action not in public:
                attempt(fail, f"notices.announcement.list_actions[{j}]",
                        f"“{action}”不是公开名单（需在 kind: lists 中设 public: true），内部名单不得进入通报")


def _workbooks(s: Scheme, fail: Fail, attempt: Callable[..., Any]) -> None:
    books = s.workbooks or []
    placed = [sheet for w in books for sheet in w.sheets]
    for w, book in enumerate(books):
        for j, sheet in enumerate(book.sheets):
            attempt(_sheet, s, sheet, f"workbooks[{w}].sheets[{j}]", fail, object)
    for c in s.components:
        if placed.count(c.sheet) != 1:
            attempt(fail, "workbooks", f"工作表“{c.sheet}”应在且只在一个工作簿中")


def _component(s: Scheme, i: int, c: Any, fail: Fail) -> None:
    if c.sheet in RESERVED_SHEETS:
        fail(f"components[{i}].sheet", f"“{c.sheet}”是保留的工作表名，请换一个名称")
    if any(other.sheet == c.sheet for other in s.components[:i]):
        fail(f"components[{i}].sheet", f"工作表“{c.sheet}”重复")
    if isinstance(c, BallotsComponent) and c.aggregate.method == "trimmed_mean":
        need = 2 * c.aggregate.trim + 1
        k = s.anonymity.min_ballots
        if c.aggregate.min_ballots is None or c.aggregate.min_ballots < need:
            fail(f"components[{i}].aggregate.min_ballots",
                 f"去掉最高分和最低分时至少需要 {need} 张票，请设置 min_ballots ≥ {need}")
        elif c.aggregate.min_ballots - 2 * c.aggregate.trim < k:  # (the figure rests on the ballots left)
            left = c.aggregate.min_ballots - 2 * c.aggregate.trim
            fail(f"components[{i}].aggregate.min_ballots",
                 f"去掉最高分和最低分后只剩 {left} 张票，少于 anonymity.min_ballots（{k}）：得分会让人推知评议人；"
                 f"请设置 min_ballots ≥ {2 * c.aggregate.trim + k}")
    if isinstance(c, BallotsComponent) and c.ballots < s.anonymity.min_ballots:
        fail(f"components[{i}].ballots", f"只有 {c.ballots} 个票列，少于 anonymity.min_ballots（{s.anonymity.min_ballots}）："
                                        f"“{c.sheet}”的得分永远不会单独列示；请增加票列，或减小 anonymity.min_ballots")
    if isinstance(c, FlagsComponent):
        for j, col in enumerate(c.columns):
            if col.default is not None and col.choices and col.default not in col.choices:
                fail(f"components[{i}].columns[{j}].default", f"默认值“{col.default}”不在可选项 {col.choices} 中")
    heads = [col.header for col in c.fill_columns()]
    dup = next((h for h in heads if heads.count(h) > 1), None)
    if dup:
        fail(f"components[{i}]", f"列名“{dup}”重复")
    if c.survey is not None:
        _survey(i, c, fail)


def _survey(i: int, c: Any, fail: Fail) -> None:
    """``survey``: only on a kind a survey can fill; ``scores`` only for ballots, each within 0..max."""
    if c.kind not in SURVEY_KINDS:
        fail(f"components[{i}].survey", f"kind: {c.kind} 的工作表不能用问卷收集（可用于 {'、'.join(SURVEY_KINDS)}），请删去 survey")
    scores = c.survey.scores
    if scores is None:
        return
    if not isinstance(c, BallotsComponent):
        fail(f"components[{i}].survey.scores", "scores 只用于 kind: ballots（问卷中可选的分数），请删去")
    for j, score in enumerate(scores):
        if not 0 <= score <= c.max:
            fail(f"components[{i}].survey.scores[{j}]", f"分数 {fmt_decimal(score)} 超出范围，应在 0 到 {fmt_decimal(c.max)} 之间")
    if len(set(scores)) < len(scores):
        fail(f"components[{i}].survey.scores", "分数重复，每个分数只写一次")


def _total(s: Scheme, fail: Fail) -> Decimal:
    if s.total is None:
        return Decimal(0)
    numeric = {c.sheet: c for c in s.components if c.kind in NUMERIC_KINDS}
    for sheet, w in s.total.weights.items():
        if sheet not in numeric:
            fail(f"total.weights.{sheet}", f"没有名为“{sheet}”的计分组成部分（{'/'.join(NUMERIC_KINDS)}）")
        if not Decimal(0) < w <= 1:
            fail(f"total.weights.{sheet}", "权重必须大于 0 且不超过 1")
    total = sum(s.total.weights.values(), Decimal(0))
    if total != 1:
        fail("total.weights", f"权重之和必须等于 1（现在是 {total.normalize()}）")
    for j, sheet in enumerate(s.total.bonus):
        _sheet(s, sheet, f"total.bonus[{j}]", fail, BonusComponent)
    top = s.highest_total()  # (the weights and the bonus sheets are known good by now)
    assert top is not None
    return top


def _sheet(s: Scheme, sheet: str, path: str, fail: Fail, kind: type) -> object:
    comp = next((c for c in s.components if c.sheet == sheet), None)
    if comp is None:
        fail(path, f"没有名为“{sheet}”的工作表（组成部分）")
    if not isinstance(comp, kind):
        fail(path, f"工作表“{sheet}”的 kind 是 {comp.kind}，这里不能用")
    return comp


def _column(s: Scheme, ref: str, path: str, fail: Fail, kinds: tuple[type, ...], value: str | None = None):  # type: ignore[no-untyped-def]
    sheet, _, header = ref.partition(".")
    comp = next((c for c in s.components if c.sheet == sheet), None)
    if comp is None or not isinstance(comp, kinds):
        fail(path, f"“{ref}”应写成 <工作表>.<列名>，没有名为“{sheet}”的合适工作表")
    col = next((c for c in comp.fill_columns() if c.header == header), None)
    if col is None:
        fail(path, f"工作表“{sheet}”中没有“{header}”列")
    if value is not None and col.choices and value not in col.choices:
        fail(path, f"“{value}”不是“{header}”列的可选项 {list(col.choices)}")
    return col


def _condition(s: Scheme, c: Condition, path: str, fail: Fail, ledger_checks: set[str]) -> None:
    chosen = [k for k in ("column", "rate", "score", "ledger") if getattr(c, k) is not None] + (
        ["total"] if c.total else [])
    if len(chosen) != 1:
        fail(path, "条件须且只能写 column、rate、score、total、ledger 其中之一")
    if c.column is not None:
        kinds = (ItemsComponent, ScoreComponent) if c.min is not None else (ChecklistComponent, FlagsComponent)
        _column(s, c.column, f"{path}.column", fail, kinds, c.equals)
    elif c.rate is not None:
        _sheet(s, c.rate, f"{path}.rate", fail, TallyComponent)
        if c.min is None or not 0 < c.min <= 1:
            fail(f"{path}.min", "满意率下限须为 0 到 1 之间的小数（如 0.85 表示 85%）")
    elif c.score is not None:
        comp = _sheet(s, c.score, f"{path}.score", fail, object)
        if comp.kind not in (*NUMERIC_KINDS, "bonus"):  # type: ignore[attr-defined]
            fail(f"{path}.score", f"工作表“{c.score}”没有得分")
    elif c.ledger is not None and c.ledger not in ledger_checks:
        fail(f"{path}.ledger", f"没有名为“{c.ledger}”的台账检查项")


def _breakers(s: Scheme, breakers: list[TieBreaker], base: str, fail: Fail, attempt: Callable[..., Any]) -> None:
    for j, b in enumerate(breakers):
        attempt(_breaker, s, b, f"{base}.tie_breakers[{j}]", fail)


def _breaker(s: Scheme, b: TieBreaker, path: str, fail: Fail) -> None:
    chosen = [k for k in ("rate", "score", "column") if getattr(b, k) is not None]
    if len(chosen) != 1:
        fail(path, "比较项须且只能写 rate、score、column 其中之一")
    if b.rate is not None:
        _sheet(s, b.rate, f"{path}.rate", fail, TallyComponent)
    elif b.score is not None:
        _sheet(s, b.score, f"{path}.score", fail, object)
    elif b.column is not None:
        _column(s, b.column, f"{path}.column", fail, (ItemsComponent, ScoreComponent))


def _bands(s: Scheme, rule: BandsRule, base: str, top: Decimal, fail: Fail) -> None:
    spans = []
    for b, band in enumerate(rule.bands):
        lo = band.min if band.min is not None else Decimal(0)
        hi = band.max
        if hi is not None and hi <= lo:
            fail(f"{base}.bands[{b}]", f"区间下限 {lo} 不小于上限 {hi}")
        if band.requires is not None:
            _column(s, band.requires.column, f"{base}.bands[{b}].requires.column", fail, (FlagsComponent,),
                    band.requires.equals)
        spans.append((lo, hi, b))
    spans.sort(key=lambda x: x[0])
    if spans[0][0] > 0:
        fail(f"{base}.bands[{spans[0][2]}]", f"分数段没有覆盖 0 到 {spans[0][0]}")
    for (_lo1, hi1, b1), (lo2, _hi2, b2) in zip(spans, spans[1:], strict=False):
        if hi1 is None or hi1 > lo2:
            fail(f"{base}.bands[{b2}]", f"分数段与 bands[{b1}] 重叠")
        if hi1 < lo2:
            fail(f"{base}.bands[{b2}]", f"分数段 [{hi1}, {lo2}) 没有对应的星级")
    if spans[-1][1] is not None and spans[-1][1] <= top:
        fail(f"{base}.bands[{spans[-1][2]}]", f"最高分数段应不设 max（总分最高可达 {top.normalize()}）")
    for b, band in enumerate(rule.bands):
        if band.requires is not None and not any(x[1] == band.min for x in spans):
            fail(f"{base}.bands[{b}].requires", "不满足条件时无下一档可降，请在其下方设置分数段")


# ------------------------------------------------------------------ 民主评议: grade votes, 不参评, proposed grades


def _appraisal(s: Scheme, fail: Fail, attempt: Callable[..., Any]) -> None:
    """What ``grade_votes`` sheets, ``exclude`` and ``propose_grade`` rules and grade conditions of
    ``lists`` say about each other: sheets and columns exist, the grades are the tally's, weights sum to 1."""
    taken = set(RESERVED_SHEETS) | {c.sheet for c in s.components}
    for i, c in enumerate(s.components):
        if isinstance(c, GradeVotesComponent) and c.ballot is not None:
            if c.ballot.sheet in taken:
                attempt(fail, f"components[{i}].ballot.sheet", f"测评票的工作表名“{c.ballot.sheet}”已被占用，请换一个名称")
            taken.add(c.ballot.sheet)
    known = grade_words(s)
    for j, word in enumerate(s.notices.list_grades):
        if known is not None and word not in known:
            attempt(fail, f"notices.list_grades[{j}]", f"“{word}”不是本方案的等次（{'、'.join(known)}）" if known
                    else "本方案不评等次，公示不能按等次列出")
    for i, rule in enumerate(s.rules):
        base = f"rules[{i}]"
        if isinstance(rule, ExcludeRule):
            if i != 0:
                attempt(fail, base, "kind: exclude 须列为第一条规则（不参评的人不进入任何比例和名额）")
            attempt(_column, s, rule.column, f"{base}.column", fail, (FlagsComponent,), rule.equals)
            if rule.reason is not None:
                attempt(_text_column, s, rule.reason, f"{base}.reason", fail)
        elif isinstance(rule, ProposeGradeRule):
            _proposal(s, rule, base, fail, attempt)
        elif isinstance(rule, ListsRule):
            for k, lst in enumerate(rule.lists):
                for j, when in enumerate(lst.when):
                    for key in ("grade", "prev_grade"):
                        word = getattr(when, key)
                        if word is not None and known is not None and word not in known:
                            attempt(fail, f"{base}.lists[{k}].when[{j}].{key}",
                                    f"“{word}”不是本方案的等次（{'、'.join(known)}）" if known
                                    else "本方案不评等次，不能按等次列入名单")


def grade_words(s: Scheme) -> list[str] | None:
    """Every grade the scheme's rules can give (in order, once); None when a proposal's grades cannot be
    known (its tally sheet is wrong: said once, where it is named)."""
    words: list[str] = []
    for rule in s.rules:
        if isinstance(rule, ProposeGradeRule):
            comp = next((c for c in s.components if c.sheet == rule.groups[0].sheet), None)
            if not isinstance(comp, GradeVotesComponent):
                return None
            words += comp.grades
        elif isinstance(rule, GradesRule):
            words += [g.grade for g in rule.grades] + ([rule.otherwise] if rule.otherwise else [])
        elif isinstance(rule, AwardRule):
            words.append(rule.grade)
    return list(dict.fromkeys(words))


def _proposal(s: Scheme, rule: ProposeGradeRule, base: str, fail: Fail, attempt: Callable[..., Any]) -> None:
    tallies = [(g, attempt(_sheet, s, group.sheet, f"{base}.groups[{g}].sheet", fail, GradeVotesComponent))
               for g, group in enumerate(rule.groups)]
    tallies = [(g, c) for g, c in tallies if c is not None]
    if not tallies:
        return
    first = tallies[0][1]
    grades = list(first.grades)
    for g, comp in tallies[1:]:
        if set(comp.grades) != set(grades):
            attempt(fail, f"{base}.groups[{g}].sheet",
                    f"工作表“{comp.sheet}”的等次（{'、'.join(comp.grades)}）与“{first.sheet}”（{'、'.join(grades)}）不同")
    total = sum((group.weight for group in rule.groups), Fraction(0))
    if total != 1:
        attempt(fail, f"{base}.groups", f"权重之和必须等于 1（现在是 {_ratio(total)}）")

    def grade(word: str, path: str) -> None:
        if word not in grades:
            attempt(fail, path, f"“{word}”不是本方案的等次（{'、'.join(grades)}）")

    for t, test in enumerate(rule.tests):
        grade(test.grade, f"{base}.tests[{t}].grade")
        for v, vote in enumerate(test.votes):
            grade(vote, f"{base}.tests[{t}].votes[{v}]")
    grade(rule.otherwise, f"{base}.otherwise")
    for j, word in enumerate(rule.internal):
        grade(word, f"{base}.internal[{j}]")
    if rule.cap is not None:
        grade(rule.cap.grade, f"{base}.cap.grade")
        if rule.cap.grade in grades and not any(t.grade == rule.cap.grade for t in rule.tests):
            attempt(fail, f"{base}.cap.grade", f"没有提出“{rule.cap.grade}”的 tests，名额无从控制")
    if rule.decision is not None:
        col = attempt(_column, s, rule.decision.column, f"{base}.decision.column", fail, (FlagsComponent,))
        if col is not None and set(col.choices) != set(grades):
            attempt(fail, f"{base}.decision.column", f"“{col.header}”列的可选项应为本方案的等次 {grades}")
        attempt(_text_column, s, rule.decision.reason, f"{base}.decision.reason", fail)


def _text_column(s: Scheme, ref: str, path: str, fail: Fail) -> None:
    col = _column(s, ref, path, fail, (FlagsComponent,))
    if col.type != "text":
        fail(path, f"“{col.header}”列应为文字列（不设 choices），用来写明理由")


def _ratio(f: Fraction) -> str:
    """1/3 as 1/3, 9/10 as 0.9."""
    d = f.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    return str(Decimal(f.numerator) / Decimal(f.denominator)) if d == 1 else f"{f.numerator}/{f.denominator}"
