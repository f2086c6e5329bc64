"""评星定级 — the command line: ``python process.py <command>``, or ``pingxing <command>`` once installed.

Thin over :mod:`pingxing.api`: parse options, call the API, print what it returns; a user's
mistake becomes one line per mistake and exit 2, the tool's own failure exit 1 (0 all rated,
3 incomplete or problems).
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click

from pingxing import api, periods
from pingxing.errors import UserError, os_fault
from pingxing.publish import chase
from pingxing.version import __version__

EXIT_USER, EXIT_INTERNAL = 2, 1


def _guard(fn: Callable[..., int | None]) -> Callable[..., None]:
    """Run a command body; map our exceptions to one line and an exit code, never a traceback."""

    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            code = fn(*args, **kwargs) or 0
        except UserError as e:
            _user_error(e)
            code = EXIT_USER
        except click.exceptions.Exit:
            raise
        except BrokenPipeError:  # output piped into head/less that closed early
            code = 0
        except OSError as e:  # a folder that is read-only or full, a file another program holds
            _user_error(os_fault(e))
            code = EXIT_USER
        except Exception as e:  # the tool's own failure
            if os.environ.get("PINGXING_DEBUG"):
                traceback.print_exc()
            click.echo(f"内部错误（{type(e).__name__}: {e}）。请把 input 文件夹和这条信息发给维护人员；"
                       "设置环境变量 PINGXING_DEBUG=1 可显示详细信息。", err=True)
            code = EXIT_INTERNAL
        sys.exit(code)

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


def _user_error(e: UserError) -> None:
    for line in str(e).splitlines() or [type(e).__name__]:
        click.echo(f"错误：{line}", err=True)


def _progress(quiet: bool) -> bool:
    return not quiet and sys.stderr.isatty()


def _date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"“{value}”不是日期，请写成 2026-12-01 这样的形式") from None


def _record_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--history", "history_path", type=click.Path(path_type=Path), default=None,
                        help="评星记录文件：下发了什么、历年结果、公示日期（默认为当前文件夹中的 评星记录.sqlite，"
                             "各命令相同，不随 --output 变化）。")(fn)


def _jobs_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = click.option("--quiet", "-q", is_flag=True, help="不显示进度条（进度条只在终端中显示）。")(fn)
    return click.option("--jobs", "-j", type=int, default=None,  # (the range is checked by the API, in Chinese)
                        help="同时处理的进程数（默认为本机 CPU 核数）；结果与进程数无关。")(fn)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pingxing")
def cli() -> None:
    """评星定级：发表格 → 收表格 → 一条命令评定 → 公示。

    \b
    例：python process.py forms --scheme member-weighted --roster 名册.xlsx --period 2026Q4
        python process.py run
    """
    _tolerant_console()


def _tolerant_console() -> None:
    """A GBK console (Chinese Windows) or a file it is redirected to cannot show every character a
    name or a file name may hold (𠀀, ✓, �): such a character is printed as ``?``, never a crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", "strict") == "strict":
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):  # a stream that cannot change now: left as it is
                pass


@cli.command()
@click.option("--input", "input_dir", default="input", show_default=True,
              help="收回的表格所在文件夹（含子文件夹）；也可以是 URL，如 file:///data/input、s3://桶/input。")
@click.option("--output", "output_dir", default="output", show_default=True,
              help="结果写到这里：<方案>/<周期>/；也可以是 URL。")
@click.option("--scheme", default=None, help="方案名称；仅当表格没有 _meta 工作表时需要。")
@click.option("--period", default=None, help="周期，如 2026Q4；仅当表格没有 _meta 工作表时需要。")
@click.option("--publicity-start", callback=_date, default=None, help="公示开始日期（默认今天），如 2026-12-01。")
@_jobs_options
@_record_option
@click.option("--dask", "dask_address", default=None, metavar="SCHEDULER_ADDRESS",
              help="把读表和生成公示交给 Dask 集群，如 tcp://10.0.0.5:8786（需 pip install -r requirements-dask.txt）。")
@_guard
def run(input_dir: str, output_dir: str, scheme: str | None, period: str | None,
        publicity_start: date | None, jobs: int | None, quiet: bool, history_path: Path | None,
        dask_address: str | None) -> int:
    """读取收回的全部表格，评定星级，写出结果、问题清单和公示。

    \b
    例：python process.py run
        python process.py run --input 收回表格 --output 结果 --publicity-start 2026-12-01
        python process.py run --jobs 8
        python process.py run --dask tcp://10.0.0.5:8786 --input s3://评星/2026Q4/input --output s3://评星/2026Q4/output
    """
    outcome = api.run(input=input_dir, output=output_dir, scheme=scheme, period=period,
                      publicity_start=publicity_start, jobs=jobs, history=history_path, dask=dask_address,
                      progress=_progress(quiet))
    for done in outcome.periods:
        counts = done.summary
        click.echo(f"{done.scheme} {done.period}: 评定 {counts.entities - counts.incomplete}/{counts.entities}"
                   f" → {done.folder}")
    errors = sum(p.severity == "error" for p in outcome.problems)
    warnings = len(outcome.problems) - errors
    if outcome.problems:
        click.echo(f"发现 {errors} 个错误、{warnings} 个提示，详见 {output_dir.rstrip('/')}/problems.csv")
    owed = sum(len(r.owed) for r in outcome.periods)
    if owed:
        click.echo(f"尚有 {owed} 份表格未交回，催交清单见各结果文件夹中 results.xlsx 的“催交”表（或运行 check 查看）")
    return outcome.exit_code


@cli.command()
@click.option("--scheme", required=True, help="方案名称（见 schemes 命令）或 .yaml 文件路径。")
@click.option("--roster", "roster_path", required=True, type=click.Path(path_type=Path),
              help="名册 .xlsx 或 .csv：单位、支部、编号、姓名（可选 身份、直属、支部编号）。")
@click.option("--period", required=True, help="周期：2026Q4（季度）、2026H2（半年）、2026（年度）、2025-2026（两年）。")
@click.option("--output", "output_dir", type=click.Path(path_type=Path), default=Path("forms"), show_default=True,
              help="空白表格写到这里。")
@_record_option
@_guard
def forms(scheme: str, roster_path: Path, period: str, output_dir: Path, history_path: Path | None) -> int:
    """按名册生成下发给各支部的空白标准表格，并在评星记录中登记下发了什么（谁、哪些表格）。

    \b
    例：python process.py forms --scheme member-weighted --roster 名册.xlsx --period 2026Q4
    """
    written = api.forms(scheme=scheme, roster=roster_path, period=period, output=output_dir, history=history_path)
    for path in written:
        click.echo(str(path))
    click.echo(f"共生成 {len(written)} 份表格，已登记到 {api.record_file(history_path)}。")
    return 0


@cli.command()
@click.option("--scheme", required=True, help="方案名称（见 schemes 命令）或 .yaml 文件路径。")
@click.option("--roster", "roster_path", required=True, type=click.Path(path_type=Path),
              help="下发时用的名册 .xlsx 或 .csv：单位、支部、编号、姓名（可选 身份、直属、支部编号）。")
@click.option("--period", required=True, help="周期：2026Q4（季度）、2026H2（半年）、2026（年度）、2025-2026（两年）。")
@_record_option
@_guard
def register(scheme: str, roster_path: Path, period: str, history_path: Path | None) -> int:
    """登记以前（或在别处）已经下发的表格，不生成表格；收回的表格按方案、周期、单位和支部对照。
    方案文件改过之后再次登记，即按改后的方案评定。

    \b
    例：python process.py register --scheme member-weighted --roster 名册.xlsx --period 2026Q4
    """
    names = api.register(scheme=scheme, roster=roster_path, period=period, history=history_path)
    click.echo(f"已登记 {len(names)} 份下发的表格到 {api.record_file(history_path)}。")
    return 0


@cli.command()
@click.option("--input", "input_dir", type=click.Path(path_type=Path), default=Path("input"), show_default=True,
              help="收回的表格所在文件夹。")
@click.option("--scheme", default=None, help="方案名称；仅当表格没有 _meta 工作表时需要。")
@click.option("--period", default=None, help="周期；仅当表格没有 _meta 工作表时需要。")
@_jobs_options
@_record_option
@_guard
def check(input_dir: Path, scheme: str | None, period: str | None, jobs: int | None, quiet: bool,
          history_path: Path | None) -> int:
    """检查收回的表格并列出问题，不写任何文件。

    \b
    例：python process.py check --input input
        python process.py check --jobs 4 --quiet
    """
    outcome = api.check(input=input_dir, scheme=scheme, period=period, jobs=jobs, history=history_path,
                        progress=_progress(quiet))
    for p in outcome.problems:
        click.echo(p.one_line())
    for r in outcome.periods:  # 催交: what each branch still owes, since when
        for line in chase.lines(r.title or r.scheme, r.period, r.owed, r.summary.level == "member", date.today()):
            click.echo(line)
    n = sum(r.summary.entities for r in outcome.periods)
    done = n - sum(r.summary.incomplete for r in outcome.periods)
    levels = {r.summary.level for r in outcome.periods}
    who = "人" if levels == {"member"} else "个支部" if levels == {"branch"} else "个对象"
    click.echo(f"检查了 {len(outcome.files)} 个文件：可评定 {done}/{n} {who}，问题 {len(outcome.problems)} 个。")
    return outcome.exit_code


@cli.command(name="schemes")
@_guard
def list_schemes() -> int:
    """列出可用的评星方案（名称、对象、周期、简介）。

    \b
    例：python process.py schemes
    """
    for s in api.available_schemes():
        click.echo(f"{s.name}\t{s.level}\t{'/'.join(s.period_kinds)}\t{s.description}")
    return 0


@cli.command()
@click.option("--scheme", required=True, help="方案名称或 .yaml 文件路径。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（格式见 CONTRACT）。")
@_guard
def describe(scheme: str, as_json: bool) -> int:
    """显示方案的组成部分、工作表和列。

    \b
    例：python process.py describe --scheme member-weighted --json
    """
    d = api.describe(scheme=scheme)
    if as_json:
        click.echo(json.dumps(d, ensure_ascii=False, indent=2))
        return 0
    s = api.load_scheme(scheme)
    click.echo(f"{s.name}：{s.title}（{s.level}，{periods.words_of(s.period_kinds)}）")
    for c in d["components"]:
        heads = [col["header"] for col in c.get("columns", [])] or [f"票1…票{c['ballots']}"]
        click.echo(f"  [{c['sheet']}] {c['kind']}: {'、'.join(heads)}")
    return 0


@cli.command()
@click.option("--scheme", required=True, help="方案名称（见 schemes 命令）或 .yaml 文件路径。")
@click.option("--period", required=True, help="周期，如 2026Q4。")
@click.option("--entity", required=True, help="评定对象的编号（或只有一人、一个支部使用的姓名、名称）。")
@click.option("--output", "output_dir", type=click.Path(path_type=Path), default=None,
              help="写到这里（默认 output/<方案>/<周期>/计算明细/；重新运行 run 会清空该周期的输出文件夹）。")
@_record_option
@_guard
def explain(scheme: str, period: str, entity: str, output_dir: Path | None, history_path: Path | None) -> int:
    """生成一个评定对象的评定计算明细（Word 和网页各一份，一页），用于答复公示期间的异议。

    明细列出各项得分的票数和平均分、权重、综合得分及其四舍五入、分档、各条规则的结果、更正及理由、
    公示时间和异议受理方式；只用 run 保存在评星记录中的汇总数字，不含任何一张选票，不足规定票数的项目不单独列示。

    \b
    例：python process.py explain --scheme member-weighted --period 2026Q4 --entity 1001
    """
    for path in api.explain(scheme=scheme, period=period, entity=entity, output=output_dir, history=history_path):
        click.echo(str(path))
    return 0


@cli.group(name="history")
def history_group() -> None:
    """历史记录：导入往年结果、查看某人或某支部历年星级。"""


@history_group.command(name="import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--scheme", required=True, help="方案名称或 .yaml 文件路径。")
@click.option("--period", required=True, help="这份结果所属的周期，如 2025。")
@_record_option
@_guard
def history_import(file: Path, scheme: str, period: str, history_path: Path | None) -> int:
    """导入使用本工具之前的评定结果（编号、姓名或支部、星级；可选 单位、支部、得分）。

    \b
    例：python process.py history import 2025年星级.xlsx --scheme branch-five-stars --period 2025
    """
    n = api.import_history(file, scheme=scheme, period=period, history=history_path)
    click.echo(f"已导入 {n} 条 {period} 期记录到 {api.record_file(history_path)}")
    return 0


@history_group.command(name="show")
@click.option("--scheme", required=True, help="方案名称或 .yaml 文件路径。")
@click.option("--entity", default=None, help="编号或名称；不填则列出全部。")
@_record_option
@_guard
def history_show(scheme: str, entity: str | None, history_path: Path | None) -> int:
    """查看历年记录。

    \b
    例：python process.py history show --scheme branch-five-stars --entity FG01
    """
    rows = api.entity_history(scheme=scheme, entity=entity, history=history_path)
    if not rows:
        name = api.load_scheme(scheme).name
        raise UserError(f"{api.record_file(history_path)}: 没有方案“{name}”{f'中“{entity}”' if entity else ''}的记录")
    click.echo("周期\t编号\t名称\t单位\t得分\t星级\t命名星\t等次\t状态\t名单\t来源")
    for r in rows:
        stars = "" if r.stars is None else str(r.stars)
        click.echo("\t".join([r.period, r.entity_id, r.name, r.unit, r.score or "", stars, r.star_names, r.grade,
                              r.status, r.actions, "导入" if r.source == "import" else "评定"]))
    return 0


@cli.group(name="audit")
def audit_group() -> None:
    """上级抽查复核：随机抽取达标支部，生成复查表。"""


@audit_group.command(name="draw")
@click.option("--scheme", required=True, help="方案名称或 .yaml 文件路径（须评等次，如 branch-standard）。")
@click.option("--period", required=True, help="周期，如 2026。")
@click.option("--share", type=float, default=0.3, show_default=True,  # (checked by the API: 0 < share ≤ 1, not nan)
              help="每个单位抽取达标支部的比例（向上取整）。")
@click.option("--seed", type=int, default=None, help="随机种子；同一种子抽到同样的支部。不填则随机生成并记录在复查表中。")
@_record_option
@click.option("--output", "output_dir", type=click.Path(path_type=Path), default=Path("forms"), show_default=True,
              help="复查表写到这里。")
@_guard
def audit_draw(scheme: str, period: str, share: float, seed: int | None, history_path: Path | None,
               output_dir: Path) -> int:
    """随机抽取各单位达标支部（至少 30%），生成复查表；填好后放入 input 再运行 run。

    \b
    例：python process.py audit draw --scheme branch-standard --period 2026 --seed 20261201
    """
    used, drawn, path = api.draw_recheck(scheme=scheme, period=period, share=share, seed=seed,
                                         history=history_path, output=output_dir)
    click.echo(f"随机种子 {used}：抽取 {len(drawn)} 个支部 → {path}")
    return 0


@cli.group(name="survey")
def survey_group() -> None:
    """网上问卷（问卷星、腾讯问卷）：生成问卷题目；把问卷的导出文件转为标准表格，放进 input 参加评定。"""


def _survey_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--scheme, --period and --sheet: the sheet of a recorded campaign that a survey fills."""
    fn = click.option("--sheet", required=True, help="用问卷收集的工作表，如 测评、职工参评（见 describe 命令）。")(fn)
    fn = click.option("--period", required=True, help="周期，如 2026Q4。须已用 forms 下发（或 register 登记）。")(fn)
    return click.option("--scheme", required=True, help="方案名称（见 schemes 命令）或 .yaml 文件路径。")(fn)


@survey_group.command(name="questions")
@_survey_options
@click.option("--roster", "roster_path", required=True, type=click.Path(path_type=Path),
              help="问卷涉及的人员（或支部）的名册，须与下发记录一致；按名册的顺序出题。可以只是一个支部的名册（每个支部一份问卷）。")
@click.option("--output", "output_dir", type=click.Path(path_type=Path), default=Path("forms"), show_default=True,
              help="题目文本文件写到这里。")
@_record_option
@_guard
def survey_questions(scheme: str, period: str, sheet: str, roster_path: Path, output_dir: Path,
                     history_path: Path | None) -> int:
    """为一张工作表生成网上问卷的题目（每人或每个支部一题），写成文本文件，可直接粘贴到问卷星的“文本导入”（或腾讯问卷的文本创建），并把题目记入评星记录，供 survey import 对照。

    \b
    例：python process.py survey questions --scheme pioneer-flag --period 2026Q4 --sheet 测评 --roster 支部名册.csv
    """
    done = api.survey_questions(scheme=scheme, period=period, sheet=sheet, roster=roster_path, output=output_dir,
                                history=history_path)
    kind = "多选题" if done.multi else "单选题"
    click.echo(f"{done.path}")
    click.echo(f"“{done.sheet}”表共 {len(done.questions)} 题（{kind}，选项：{'、'.join(done.options)}），"
               f"已记入 {api.record_file(history_path)}。")
    return 0


@survey_group.command(name="import")
@click.argument("file", type=click.Path(path_type=Path))
@_survey_options
@click.option("--output", "output_dir", type=click.Path(path_type=Path), default=Path("input"), show_default=True,
              help="生成的标准表格写到这里（与收回的表格放在一起，供 run 读取）。")
@_record_option
@_guard
def survey_import(file: Path, scheme: str, period: str, sheet: str, output_dir: Path,
                  history_path: Path | None) -> int:
    """把问卷星（“按选项文本”或“按选项序号”下载的 .xlsx/.xls/.csv）或腾讯问卷的答卷数据转为这张工作表的标准表格，写进 input 文件夹，再运行 run 即参加评定。重复提交和用时过短的答卷不计入，逐行列出（退出码 3）。详见 docs/survey.md。

    \b
    例：python process.py survey import 386540716_按文本_群众测评.xlsx --scheme pioneer-flag --period 2026Q4 --sheet 测评
    """
    done = api.survey_import(file, scheme=scheme, period=period, sheet=sheet, output=output_dir,
                             history=history_path)
    for path in done.written:
        click.echo(str(path))
    layout = f"，{'按选项文本' if done.layout == 'text' else '按选项序号'}" if done.platform == "问卷星" else ""
    click.echo(f"{done.platform}{layout}：答卷 {done.responses} 份，计入 {done.counted} 份，未计入 {len(done.excluded)} 份；"
               f"生成“{done.sheet}”表 {len(done.written)} 份。")
    for p in done.problems:
        click.echo(p.one_line())
    return done.exit_code


def main() -> None:
    """The ``pingxing`` console script (``pip install .``)."""
    cli()


if __name__ == "__main__":
    main()
