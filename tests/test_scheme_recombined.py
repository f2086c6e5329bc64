"""A tenth scheme that only recombines existing rule kinds needs nothing but a YAML file.

The scheme below (written here, not in schemes/) mixes an items sheet, a satisfaction
tally scored by weights (满意 100 %, 基本满意 75 %, 不满意 55 %; 不了解 not scored), capped
bonus items, a capped total, a veto and bands.

Hand calculation (total = 0.6 × 考评 + 0.4 × 测评 + min(加分, 5), capped at 100):

=====  ==============  ===========================================  ========  ======================  =====
id     考评 (4 items)  测评 满意/基本/不满意/不了解/废票 → score        加分       total                   stars
=====  ==============  ===========================================  ========  ======================  =====
C1     25+20+25+20=90  8/2/0/1/1: (8 + 1.5) / 10 = 95.00             3+3 → 5    54 + 38 + 5 = 97.00     5
C2     100             10/0/0/0/0: 100                                3+3 → 5    60 + 40 + 5 = 105 → 100  5
C3     20+20+20+20=80  4/4/2/0/0: (4 + 3 + 1.1) / 10 = 81.00          none       48 + 32.4 = 80.40       4
C4     100             10/0/0/0/0                                    —          vetoed (是)              —
=====  ==============  ===========================================  ========  ======================  =====
"""

from __future__ import annotations

import json
from pathlib import Path

from clerk import fill, results_by_id
from click.testing import CliRunner

from process import cli

SCHEME = """
name: village-cadres
title: 村干部星级评定（测试用组合方案）
description: 考评60%+群众测评40%+加分，封顶100
level: member
period: year
components:
  - sheet: 考评
    kind: items
    areas:
      - name: 履职
        items: [{label: 勤政, max: 25}, {label: 廉政, max: 25}]
      - name: 实绩
        items: [{label: 发展, max: 25}, {label: 服务, max: 25}]
  - sheet: 测评
    kind: tally
    score_weights: {满意: 1, 基本满意: 0.75, 不满意: 0.55}
  - sheet: 加分
    kind: bonus
    cap: 5
    items:
      - {header: 市级表彰, points: 3}
      - {header: 典型发言, points: 3}
  - sheet: 否决
    kind: flags
    columns:
      - {header: 违纪, choices: [是, 否], default: 否}
total:
  kind: weighted
  weights: {考评: 0.6, 测评: 0.4}
  bonus: [加分]
  max: 100
rules:
  - kind: veto
    conditions: [{column: 否决.违纪, when: 是, label: 受到党纪处分}]
  - kind: bands
    bands:
      - {stars: 5, min: 90}
      - {stars: 4, min: 80, max: 90}
      - {stars: 3, min: 0, max: 80}
notices:
  publicity_days: 7
  title: "{unit}{branch}{period_words}村干部星级评定结果公示"
  intro: 现将评定结果公示如下：
  contact: 如有异议请向镇党委反映。
  issuer: "{unit}"
"""

ROSTER = "单位,支部,编号,姓名\n某镇党委,某村党支部,C1,甲\n某镇党委,某村党支部,C2,乙\n某镇党委,某村党支部,C3,丙\n某镇党委,某村党支部,C4,丁\n"


def test_a_scheme_written_as_yaml_only(tmp_path: Path) -> None:
    scheme = tmp_path / "village-cadres.yaml"
    scheme.write_text(SCHEME, encoding="utf-8")
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    runner = CliRunner()
    described = runner.invoke(cli, ["describe", "--scheme", str(scheme), "--json"])
    assert described.exit_code == 0, described.output
    kinds = [(c["sheet"], c["kind"]) for c in json.loads(described.output)["components"]]
    assert kinds == [("考评", "items"), ("测评", "tally"), ("加分", "bonus"), ("否决", "flags")]
    made = runner.invoke(cli, ["forms", "--scheme", str(scheme), "--roster", str(tmp_path / "roster.csv"),
                               "--period", "2026", "--output", str(tmp_path / "forms")])
    assert made.exit_code == 0, made.output
    [form] = (tmp_path / "forms").glob("*.xlsx")
    tally = lambda a, b, c, d, e: {"满意": a, "基本满意": b, "不满意": c, "不了解": d, "废票": e}  # noqa: E731
    values = {
        "考评": {"C1": {"1.1": 25, "1.2": 20, "2.1": 25, "2.2": 20}, "C2": {k: 25 for k in ("1.1", "1.2", "2.1", "2.2")},
               "C3": {k: 20 for k in ("1.1", "1.2", "2.1", "2.2")}, "C4": {k: 25 for k in ("1.1", "1.2", "2.1", "2.2")}},
        "测评": {"C1": tally(8, 2, 0, 1, 1), "C2": tally(10, 0, 0, 0, 0), "C3": tally(4, 4, 2, 0, 0),
               "C4": tally(10, 0, 0, 0, 0)},
        "加分": {"C1": {"市级表彰": "是", "典型发言": "是"}, "C2": {"市级表彰": "是", "典型发言": "是"}},
        "否决": {"C4": {"违纪": "是"}},
    }
    (tmp_path / "input").mkdir()
    fill(form, values, tmp_path / "input" / form.name)
    ran = runner.invoke(cli, ["run", "--input", str(tmp_path / "input"), "--output", str(tmp_path / "out"),
                              "--scheme", str(scheme)])
    assert ran.exit_code == 0, ran.output
    rows = results_by_id(tmp_path / "out" / "village-cadres" / "2026")
    got = {i: (r["score"], r["stars"], r["status"], r["测评"], r["reason"]) for i, r in rows.items()}
    assert got == {
        "C1": ("97.00", "5", "rated", "95.00", ""),
        "C2": ("100.00", "5", "rated", "100.00", ""),
        "C3": ("80.40", "4", "rated", "81.00", ""),
        "C4": ("100.00", "", "disqualified", "100.00", "取消评星资格（受到党纪处分）"),
    }
