"""Sample for member-appraisal (民主评议党员): 区财政局 (two 机关 branches) and 区审计局 (one), 18 members,
2026.

Each branch types in the tally of its paper 测评票 (发放, then the votes for 优秀 / 合格 / 基本合格 /
不合格 and 弃权 per member) and its decision: one member 不参评 (transferred), one grade decided
against the votes with the reason. Hand-written, so the results can be read off the table:
第一支部 N = 8 → at most 2 优秀 (张建国 7/8, 李秀英 6/8); 赵丽's 基本合格 + 不合格 is exactly 4/8, not more
than half → 合格; 刘洋 5/8 → 基本合格; the branch decides 基本合格 for 陈静 (proposed 合格) with its reason.
第二支部 N = 5 → 1 优秀 (孙浩); 郑红 不合格 3/5 → 不合格. 审计局 N = 4 → 1 优秀 (褚明).

The roster is beside this module (the sample's rosters move with it).
"""

from __future__ import annotations

import random
from pathlib import Path

from clerk import fill

SCHEME, PERIOD, ROSTER, SEED = "member-appraisal", "2026", "examples/民主评议名册.csv", 2026
PREVIOUS = ("examples/上年结果/member-appraisal-2025.csv", "2025")  # last year's results, imported before this year's forms
GRADES = ["优秀", "合格", "基本合格", "不合格", "弃权"]

#: per branch: the ballots issued and each member's votes (优秀 合格 基本合格 不合格 弃权)
TALLIES = {
    "机关第一党支部": (8, {"CZ001": [7, 1, 0, 0, 0], "CZ002": [6, 2, 0, 0, 0], "CZ003": [3, 5, 0, 0, 0],
                           "CZ004": [0, 4, 3, 1, 0], "CZ005": [0, 3, 4, 1, 0], "CZ006": [1, 6, 0, 0, 1],
                           "CZ007": [2, 5, 1, 0, 0], "CZ008": [0, 7, 0, 0, 1]}),
    "机关第二党支部": (5, {"CZ011": [4, 1, 0, 0, 0], "CZ012": [1, 4, 0, 0, 0], "CZ013": [0, 5, 0, 0, 0],
                           "CZ014": [0, 1, 1, 3, 0], "CZ015": [2, 3, 0, 0, 0]}),
    "机关党支部": (4, {"SJ001": [3, 1, 0, 0, 0], "SJ002": [1, 3, 0, 0, 0], "SJ003": [0, 4, 0, 0, 0],
                       "SJ004": [0, 3, 0, 0, 1]}),
}
DECISIONS = {
    "机关第一党支部": {
        "CZ006": {"评定等次": "基本合格", "理由": "全年三次无故不参加组织生活，经支部党员大会研究评定为基本合格"},
        "CZ009": {"不参评": "是", "不参评原因": "2026年8月调往市财政局"},
    },
}


def fill_all(rng: random.Random, forms: list[Path], inbox: Path) -> None:
    for form in forms:
        branch = form.name.split("-")[1]
        issued, votes = TALLIES[branch]
        values = {"党员互评": {i: {"发放": issued, **dict(zip(GRADES, v, strict=True))} for i, v in votes.items()},
                  "支部评定": DECISIONS.get(branch, {})}
        fill(form, values, inbox / form.name)
