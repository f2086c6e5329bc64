"""What a (scheme, period)'s notices say beyond the ratings, and when they are dated.

:class:`Publishing` joins the scheme's texts and the clerk's settings workbook (the settings win:
署名, 版头, 文号, 主送, 抄送, 印发, 联系人, 电话, 受理地点和时间, the publicity days and how they are
counted) with the dates the record kept: a notice's publicity start is fixed when it is first
published and kept by every later run (CONTRACT.md "The campaign record"), unless a start is given
again — then it is re-dated and the committee is warned. A 更正 is dated from its own decision; the
通报 from the day after the last publicity ends (corrections included), or the settings' 成文日期.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from pingxing import periods
from pingxing.validate.settings import Settings


@dataclass
class Publishing:
    texts: dict[str, str]  # the settings' texts, by 项目 (blank items left out)
    days: int
    working: bool
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    given: date | None = None  # a start given for this run (--publicity-start, or the settings' 公示开始日期)
    today: date = field(default_factory=date.today)
    issued: date | None = None  # the settings' 成文日期 (the 通报)
    recorded: dict[str, date] = field(default_factory=dict)  # notice → start, from its first publication
    used: dict[str, date] = field(default_factory=dict)  # notice → start, as published now (to record)
    redated: list[tuple[str, date, date]] = field(default_factory=list)  # (notice, was, now)
    last_end: date | None = None

    def start(self, notice: str, decided: date | None = None) -> date:
        """The publicity start of ``notice``: a correction's own date (``decided``); else the date kept
        from its first publication (a start given again re-dates it); else the start given; else today."""
        kept = self.recorded.get(notice)
        if decided is not None:
            when = decided
        elif kept is not None and (self.given is None or self.given == kept):
            when = kept
        else:
            when = self.given or self.today
            if kept is not None and kept != when:
                self.redated.append((notice, kept, when))
        self.used[notice] = when
        return when

    def window(self, start: date) -> tuple[date, date]:
        begin, end = periods.publicity_window(start, self.days, self.working, self.holidays, self.workdays)
        if self.last_end is None or end > self.last_end:
            self.last_end = end
        return begin, end

    def words(self, begin: date, end: date) -> str:
        return periods.span_words(begin, end, self.days, self.working)

    def announced(self, fallback: date) -> date:
        """The 通报's date: the settings' 成文日期, else the day after the last publicity ends."""
        if self.issued is not None:
            return self.issued
        return (self.last_end or fallback) + timedelta(days=1)

    def text(self, item: str, default: str = "") -> str:
        return self.texts.get(item) or default


def publishing(scheme: Any, settings: list[Settings], given: date | None, recorded: dict[str, str],
               today: date | None = None) -> Publishing:
    """The scheme's notice texts and dates, the settings (the last settings workbook wins item by item)
    over them, and the starts the record kept."""
    notices = scheme.notices
    texts: dict[str, str] = {}
    days, working = notices.publicity_days, notices.day_count == "工作日"
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    start = issued = None
    for s in settings:
        texts.update(s.texts)
        days = s.days or days
        working = s.working if s.working is not None else working
        holidays = s.holidays or holidays
        workdays = s.workdays or workdays
        start = s.start or start
        issued = s.issued or issued
    return Publishing(texts, days, working, holidays, workdays, given or start, today or date.today(), issued,
                      {k: date.fromisoformat(v) for k, v in recorded.items()})
