"""Scheme files are validated strictly; the message names the file and the key path."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from clerk import scheme_variant
from click.testing import CliRunner

from pingxing import scheme as schemes
from pingxing.errors import SchemeError
from process import cli


def _write(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    return scheme_variant(tmp_path, "member-weighted", change)


CASES = [
    (lambda d: d.update(colour="red"), "colour: 未知的键，请检查拼写（方案文件不接受未定义的键）"),
    (lambda d: d["components"][1].update(wieght=1), "components[1].wieght: 未知的键，请检查拼写（方案文件不接受未定义的键）"),
    (lambda d: d["total"]["weights"].update({"自评": 0.1}), "total.weights: 权重之和必须等于 1（现在是 0.9）"),
    (lambda d: d["rules"][1]["bands"][1].update(max=91), "rules[1].bands[0]: 分数段与 bands[1] 重叠"),
    (lambda d: d["rules"][1]["bands"][2].update(max=79), "rules[1].bands[1]: 分数段 [79, 80) 没有对应的星级"),
    (lambda d: d["rules"][1]["bands"][0]["requires"].update(column="支部评定.优秀"),
     "rules[1].bands[0].requires.column: 工作表“支部评定”中没有“优秀”列"),
    (lambda d: d["components"][1].update(kind="poll"),
     "components[1]: kind 取值无效，应为 'items', 'checklist', 'ballots', 'score', 'flags', 'tally', 'votes', "
     "'grade_votes', 'bonus', 'ledger'"),
    (lambda d: d["components"][1].update(max=-1), "components[1].max: 必须大于 0"),
    (lambda d: d.pop("notices"), "notices: 缺少必填项"),
    (lambda d: d["components"][1].update(aggregate={"method": "trimmed_mean", "min_ballots": 3, "trim": 2}),
     "components[1].aggregate.min_ballots: 去掉最高分和最低分时至少需要 5 张票，请设置 min_ballots ≥ 5"),
    (lambda d: d["components"][1].update(aggregate={"method": "trimmed_mean", "min_ballots": 3, "trim": 1}),
     "components[1].aggregate.min_ballots: 去掉最高分和最低分后只剩 1 张票，少于 anonymity.min_ballots（3）：得分会让人推知评议人；"
     "请设置 min_ballots ≥ 5"),  # (3 ballots less the highest and the lowest: the figure is one rater's score)
    (lambda d: d["total"]["weights"].update({"支部评定": 0.1}),
     "total.weights.支部评定: 没有名为“支部评定”的计分组成部分（items/ballots/score/tally）"),
    (lambda d: d["components"][0].update(sheet="_meta"), "components[0].sheet: “_meta”是保留的工作表名，请换一个名称\n"
     "{path}: total.weights.自评: 没有名为“自评”的计分组成部分（items/ballots/score/tally）"),
]


@pytest.mark.parametrize("change, message", CASES)
def test_invalid_scheme_message(tmp_path: Path, change: Callable[[dict[str, Any]], None], message: str) -> None:
    path = _write(tmp_path, change)
    with pytest.raises(SchemeError) as err:
        schemes.load(str(path))
    assert str(err.value) == f"{path}: {message}".replace("{path}", str(path))


def _three_mistakes(d: dict[str, Any]) -> None:
    d["components"][1].update(max=-1)  # the shape …
    d["notices"].update(publicity_days=0)
    d.update(colour="red")


def _three_meanings(d: dict[str, Any]) -> None:
    d["total"]["weights"].update({"自评": 0.1})  # … and what the pieces say about each other
    d["rules"][1]["bands"][2].update(max=79)
    d["components"][1].update(aggregate={"method": "trimmed_mean", "min_ballots": 3, "trim": 2})


@pytest.mark.parametrize("change, lines", [
    (_three_mistakes, ["components[1].max: 必须大于 0", "notices.publicity_days: 必须大于或等于 1",
                       "colour: 未知的键，请检查拼写（方案文件不接受未定义的键）"]),
    (_three_meanings, ["components[1].aggregate.min_ballots: 去掉最高分和最低分时至少需要 5 张票，请设置 min_ballots ≥ 5",
                       "total.weights: 权重之和必须等于 1（现在是 0.9）",
                       "rules[1].bands[1]: 分数段 [79, 80) 没有对应的星级"]),
])
def test_a_scheme_file_with_three_mistakes_reports_all_three(tmp_path: Path, change: Any, lines: list[str]) -> None:
    path = _write(tmp_path, change)
    result = CliRunner().invoke(cli, ["describe", "--scheme", str(path)])
    assert result.exit_code == 2
    assert sorted(result.output.splitlines()) == sorted(f"错误：{path}: {line}" for line in lines)


def test_cli_reports_bad_scheme_in_one_line_with_exit_2(tmp_path: Path) -> None:
    path = _write(tmp_path, lambda d: d["total"]["weights"].update({"自评": 0.1}))
    result = CliRunner().invoke(cli, ["describe", "--scheme", str(path)])
    assert result.exit_code == 2
    assert result.output == f"错误：{path}: total.weights: 权重之和必须等于 1（现在是 0.9）\n"


def test_yaml_syntax_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("name: x\n  level: : member\n", encoding="utf-8")
    with pytest.raises(SchemeError) as err:
        schemes.load(str(path))
    assert str(err.value) == f"{path}: YAML 格式错误第 2 行，请检查缩进和冒号"


def test_unknown_scheme_name_lists_the_available_ones() -> None:
    result = CliRunner().invoke(cli, ["describe", "--scheme", "no-such"])
    assert result.exit_code == 2
    assert result.output.startswith("错误：未知的评星方案“no-such”：可用的方案有 ")
    assert "member-weighted" in result.output


def test_describe_json_has_the_contract_shape() -> None:
    result = CliRunner().invoke(cli, ["describe", "--scheme", "member-weighted", "--json"])
    assert result.exit_code == 0
    d = json.loads(result.output)
    assert (d["scheme"], d["level"], d["period"]) == ("member-weighted", "member", "quarter")
    sheets = [(c["sheet"], c["kind"]) for c in d["components"]]
    assert sheets == [("自评", "items"), ("互评", "ballots"), ("领导点评", "score"), ("职工参评", "ballots"),
                      ("支部评定", "flags")]
    items = d["components"][0]["columns"]
    assert len(items) == 20 and items[0]["header"] == "1.1" and items[0]["max"] == 5
    assert items[0]["label"].startswith("积极参加党支部组织的各项学习活动")
    assert [c["header"] for c in items][-1] == "5.4"
    assert d["components"][1] == {"sheet": "互评", "kind": "ballots", "ballots": 30, "max": 100}
    assert d["components"][4]["columns"] == [{"header": "特别突出", "choices": ["是", "否"]}, {"header": "否决事由"}]


def test_schemes_lists_every_file_as_a_readable_table() -> None:
    result = CliRunner().invoke(cli, ["schemes"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["名称", "对象", "周期", "简介"]
    names = [line.split()[0] for line in lines[1:-1]]
    assert names == [p.stem for p in schemes.available()]
    row = next(line for line in lines if line.startswith("member-weighted "))
    assert row.split()[1:3] == ["党员", "季度"]  # in words, not member / quarter
    width = len(lines[1].split("  ")[0].rstrip()) and lines[1].index("党")
    assert all(line.index(line.split()[1]) == width for line in lines[1:-1])  # the columns line up
    assert lines[-1].startswith(f"共 {len(names)} 个方案")


def test_describe_says_the_scheme_in_words() -> None:
    result = CliRunner().invoke(cli, ["describe", "--scheme", "member-weighted"])
    assert result.exit_code == 0, result.output
    text = result.output
    assert "评谁：党员；多久评一次：季度" in text
    assert "综合得分 = 自评 × 20% + 互评 × 30% + 领导点评 × 20% + 职工参评 × 30%" in text  # weights
    assert "五星：得分 ≥ 90，且 支部评定.特别突出 为“是”" in text and "四星：80 ≤ 得分 < 90" in text  # bands
    assert "公示：3 天" in text and "一票否决" in text
    assert "每个支部一份，含以上全部工作表" in text  # who fills what
    town = CliRunner().invoke(cli, ["describe", "--scheme", "town-branch"]).output
    assert "比例控制（宁缺勿滥）：每个单位五星最多 20%" in town  # quota
    assert "《党委考评》：党委考评、加分、否决情形" in town
    assert "通报：关于命名〔周期〕“五星级”党支部的通报" in town
