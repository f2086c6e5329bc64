"""评星定级 — the command line: ``python process.py <command>``, or ``pingxing <command>`` once installed.

Thin over :mod:`pingxing.api`: parse options, call the API, print what it returns; a user's
mistake becomes one line per mistake and exit 2, the tool's own failure exit 1 (0 all rated,
3 incomplete or problems). Every word a clerk sees is Chinese: click's own words around the
help and the usage errors (用法, 选项, 命令, 错误, 缺少选项 …) come from :data:`CLICK_WORDS`, the
placeholders of the options (文件夹, 文件, 周期 …) from :class:`Option`.
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
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types

from pingxing import api, periods
from pingxing.errors import UserError, os_fault
from pingxing.publish import chase
from pingxing.publish.scheme_words import describe_lines, schemes_table
from pingxing.version import __version__

EXIT_USER, EXIT_INTERNAL = 2, 1

#: click's own words (its gettext messages) in Chinese
CLICK_WORDS = {
    "Usage:": "用法：", "Options": "选项", "Commands": "命令", "Arguments": "参数", "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行“{command} {option}”查看帮助。",
    "Missing argument": "缺少参数", "Missing option": "缺少选项", "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}", "Missing command.": "缺少命令。",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "No such option {name!r}.": "没有选项“{name}”。", "No such command {name!r}.": "没有命令“{name}”。",
    "Did you mean {possibility}?": "是否想用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是否想用其中之一：{possibilities}？）",
    "Invalid value: {message}": "值不对：{message}", "Invalid value for {param_hint}: {message}": "{param_hint} 的值不对：{message}",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Option {name!r} requires an argument.": "选项“{name}”后面要写一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项“{name}”后面要写 {nargs} 个值。",
    "Option {name!r} does not take a value.": "选项“{name}”后面不写值。",
    "Argument {name!r} takes {nargs} values.": "参数“{name}”要 {nargs} 个值。",
    "Show the version and exit.": "显示版本并退出。", "Show this message and exit.": "显示本帮助并退出。",
    "%(prog)s, version %(version)s": "%(prog)s 版本 %(version)s",
    "default: {default}": "默认：{default}", "required": "必填", "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）", "Aborted!": "已取消。", "deprecated": "已停用",
    "{value!r} is not a valid {number_type}.": "“{value}”不是有效的数字。",
    "{value} is not in the range {range}.": "{value} 不在允许的范围（{range}）内。",
    "{value!r} is not {choice}.": "“{value}”不是 {choice}。", "{value!r} is not one of {choices}.": "“{value}”不是 {choices} 之一。",
    "{name} {filename!r} does not exist.": "{name}“{filename}”不存在。",
    "{name} {filename!r} is a file.": "{name}“{filename}”是文件，不是文件夹。",
    "{name} {filename!r} is a directory.": "{name}“{filename}”是文件夹，不是文件。",
    "{name} {filename!r} is not readable.": "{name}“{filename}”无法读取。",
    "{name} {filename!r} is not writable.": "{name}“{filename}”无法写入。",
    "file": "文件", "directory": "文件夹", "path": "路径",
    "Could not open file {filename!r}: {message}": "无法打开文件“{filename}”：{message}",
    "Press any key to continue...": "按任意键继续……", "Repeat for confirmation": "再输入一次确认",
    "Error: The two entered values do not match.": "错误：两次输入不一致。", "Error: invalid input": "错误：输入无效",
}


def _gettext(message: str) -> str:
    return CLICK_WORDS.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


for _module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.termui,
                click.types):  # click looks its words up through these names on every call
    if hasattr(_module, "_"):
        _module._ = _gettext  # type: ignore[attr-defined]
    if hasattr(_module, "ngettext"):
        _module.ngettext = _ngettext  # type: ignore[attr-defined]

#: what an option's value is called in the help: by the option, else by its type
_NAMED = {"--input": "文件夹", "--output": "文件夹", "--scheme": "方案", "--period": "周期", "--roster": "名册",
          "--history": "记录文件", "--publicity-start": "日期", "--entity": "编号或名称", "--share": "比例",
          "--seed": "数字", "--sheet": "工作表"}
_METAVARS = {"text": "文本", "integer": "整数", "float": "数字", "path": "路径", "boolean": "是或否",
             "integer range": "整数", "float range": "数字", "choice": "选项"}


class Option(click.Option):
    """An option whose value is named in Chinese in the help (``--input 文件夹``)."""

    def make_metavar(self, ctx: click.Context | None = None) -> str:
        if self.metavar is not None:
            return self.metavar
        word = next((_NAMED[o] for o in self.opts if o in _NAMED), None) or _METAVARS.get(self.type.name, "值")
        return f"{word}…" if self.nargs != 1 else word


def option(*names: str, **kwargs: Any) -> Callable[[Any], Any]:
    return click.option(*names, cls=Option, **kwargs)


class HelpFormatter(click.HelpFormatter):
    """click's help layout with Chinese punctuation: ``用法：process.py run [选项]``, ``选项：``."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _gettext("Usage:") if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")


class Context(click.Context):
    formatter_class = HelpFormatter


class Group(click.Group):
    """The command group: its usage line and its subcommands' in Chinese (``[选项]``, ``命令 [参数]...``),
    and a usage error said in Chinese (the missing option named with its help), exit 2."""

    context_class = Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("cls", Command)
        return super().command(*args, **kwargs)

    def group(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", Group)
        return super().group(*args, **kwargs)


class Command(click.Command):
    context_class = Context


def _missing(exc: click.MissingParameter) -> str:
    """缺少选项“--scheme”（方案名称……）: the option and what it is for."""
    param = exc.param
    if param is None:
        return exc.format_message()
    if isinstance(param, click.Option):
        names, kind = "/".join(param.opts), "选项"
    else:
        names, kind = param.metavar or param.human_readable_name, "参数"
    what = getattr(param, "help", None) or ""
    return f"缺少{kind}“{names}”" + (f"（{what.rstrip('。')}）" if what else "") + "。"


def _no_such_option(exc: click.NoSuchOption) -> str:
    near = "、".join(exc.possibilities or [])
    return f"没有选项“{exc.option_name}”" + (f"；是否想用 {near}？" if near else "。")


click.exceptions.MissingParameter.format_message = lambda self: _missing(self)  # type: ignore[method-assign]
click.exceptions.NoSuchOption.format_message = lambda self: _no_such_option(self)  # type: ignore[method-assign]
click.core.Parameter.get_error_hint = lambda self, ctx: "/".join(  # type: ignore[method-assign]
    f"“{x}”" for x in (self.opts if isinstance(self, click.Option) else [self.metavar or self.human_readable_name]))


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
    return option("--history", "history_path", type=click.Path(path_type=Path), default=None,
                        help="评星记录文件：下发了什么、历年结果、公示日期（默认为当前文件夹中的 评星记录.sqlite，"
                             "各命令相同，不随 --output 变化）。")(fn)


def _jobs_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = option("--quiet", "-q", is_flag=True, help="不显示进度条（进度条只在终端中显示）。")(fn)
    return option("--jobs", "-j", type=int, default=None, metavar="进程数",  # (the range is checked by the API, in Chinese)
                  help="同时处理的进程数（默认为本机处理器核数）；结果与进程数无关。")(fn)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
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
@option("--input", "input_dir", default="input", show_default=True,
              help="收回的表格所在文件夹（含子文件夹）；也可以是网址，如 file:///data/input、s3://桶/input。")
@option("--output", "output_dir", default="output", show_default=True,
              help="结果写到这里：<方案>/<周期>/；也可以是网址。")
@option("--scheme", default=None, help="方案名称；仅当表格没有 _meta 工作表时需要。")
@option("--period", default=None, help="周期，如 2026Q4；仅当表格没有 _meta 工作表时需要。")
@option("--publicity-start", callback=_date, default=None, help="公示开始日期（默认今天），如 2026-12-01。")
@_jobs_options
@_record_option
@option("--dask", "dask_address", default=None, metavar="调度器地址",
              help="把读表和生成公示交给 Dask 集群，如 tcp://10.0.0.5:8786（需另行安装 requirements-dask.txt 中所列）。")
@option("--no-pdf", "no_pdf", is_flag=True,
              help="不生成 PDF（默认在每个 Word 文件旁生成 PDF，需安装 LibreOffice）。")
@_guard
def run(input_dir: str, output_dir: str, scheme: str | None, period: str | None,
        publicity_start: date | None, jobs: int | None, quiet: bool, history_path: Path | None,
        dask_address: str | None, no_pdf: bool) -> int:
    """读取收回的全部表格，评定星级，写出结果、问题清单和公示。

    \b
    例：python process.py run
        python process.py run --input 收回表格 --output 结果 --publicity-start 2026-12-01
        python process.py run --jobs 8
        python process.py run --dask tcp://10.0.0.5:8786 --input s3://评星/2026Q4/input --output s3://评星/2026Q4/output
    """
    outcome = api.run(input=input_dir, output=output_dir, scheme=scheme, period=period,
                      publicity_start=publicity_start, jobs=jobs, history=history_path, dask=dask_address,
                      progress=_progress(quiet), pdf=False if no_pdf else None)
    for done in outcome.periods:
        counts = done.summary
        click.echo(f"{done.title or done.scheme} {periods.in_words(done.period)}：已评定 {counts.entities - counts.incomplete}"
                   f"/{counts.entities} → {done.folder}")
    errors = sum(p.severity == "error" for p in outcome.problems)
    warnings = len(outcome.problems) - errors
    if outcome.problems:
        click.echo(f"发现 {errors} 个错误、{warnings} 个提示，详见 {output_dir.rstrip('/')}/problems.csv")
    owed = sum(len(r.owed) for r in outcome.periods)
    if owed:
        click.echo(f"尚有 {owed} 份表格未交回，催交清单见各结果文件夹中 results.xlsx 的“催交”表（或运行 check 查看）")
    for p in outcome.problems:
        if p.code == "no-pdf-converter":  # said once: how to get the PDFs
            click.echo(p.message)
    return outcome.exit_code


@cli.command()
@option("--scheme", required=True, help="方案名称（见 schemes 命令）或 .yaml 文件路径。")
@option("--roster", "roster_path", required=True, type=click.Path(path_type=Path),
              help="名册 .xlsx 或 .csv：单位、支部、编号、姓名（可选 身份、直属、支部编号）。")
@option("--period", required=True, help="周期：2026Q4（季度）、2026H2（半年）、2026（年度）、2025-2026（两年）。")
@option("--output", "output_dir", type=click.Path(path_type=Path), default=Path("forms"), show_default=True,
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
@option("--scheme", required=True, help="方案名称（见 schemes 命令）或 .yaml 文件路径。")
@option("--roster", "roster_path", required=True, type=click.Path(path_type=Path),
              help="下发时用的名册 .xlsx 或 .csv：单位、支部、编号、姓名（可选 身份、直属、支部编号）。")
@option("--period", required=True, help="周期：2026Q4（季度）、2026H2（半年）、2026（年度）、2025-2026（两年）。")
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
@option("--input", "input_dir", type=click.Path(path_type=Path), default=Path("input"), show_default=True,
              help="收回的表格所在文件夹。")
@option("--scheme", default=None, help="方案名称；仅当表格没有 _meta 工作表时需要。")
@option("--period", default=None, help="周期；仅当表格没有 _meta 工作表时需要。")
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
    """列出可用的评星方案：名称、评谁、多久评一次、简介。

    \b
    例：python process.py schemes
    """
    for line in schemes_table(api.available_schemes()):
        click.echo(line)
    return 0


@cli.command()
@option("--scheme", required=True, help="方案名称或 .yaml 文件路径。")
@option("--json", "as_json", is_flag=True, help="以 JSON 格式输出组成部分、工作表和列（供其他程序读取）。")
@_guard
def describe(scheme: str, as_json: bool) -> int:
    """用文字说明一个方案：评谁、多久一次、谁填哪张表、各部分权重、分数段、否决、比例控制、公示天数和通报。

    \b
    例：python process.py describe --scheme member-weighted
        python process.py describe --scheme member-weighted --json
    """
    if as_json:
        click.echo(json.dumps(api.describe(scheme=scheme), ensure_ascii=False, indent=2))
        return 0
    for line in describe_lines(api.load_scheme(scheme)):
        click.echo(line)
    return 0


@cli.command()
@option("--scheme", required=True, help="方案名称（见 schemes 命令）或 .yaml 文件路径。")
@option("--period", required=True, help="周期，如 2026Q4。")
@option("--entity", required=True, help="评定对象的编号（或只有一人、一个支部使用的姓名、名称）。")
@option("--output", "output_dir", type=click.Path(path_type=Path), default=None,
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
@click.argument("file", type=click.Path(path_type=Path), metavar="文件")
@option("--scheme", required=True, help="方案名称或 .yaml 文件路径。")
@option("--period", required=True, help="这份结果所属的周期，如 2025。")
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
@option("--scheme", required=True, help="方案名称或 .yaml 文件路径。")
@option("--entity", default=None, help="编号或名称；不填则列出全部。")
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
@option("--scheme", required=True, help="方案名称或 .yaml 文件路径（须评等次，如 branch-standard）。")
@option("--period", required=True, help="周期，如 2026。")
@option("--share", type=float, default=0.3, show_default=True,  # (checked by the API: 0 < share ≤ 1, not nan)
              help="每个单位抽取达标支部的比例（向上取整）。")
@option("--seed", type=int, default=None, help="随机种子；同一种子抽到同样的支部。不填则随机生成并记录在复查表中。")
@_record_option
@option("--output", "output_dir", type=click.Path(path_type=Path), default=Path("forms"), show_default=True,
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
    fn = option("--sheet", required=True, help="用问卷收集的工作表，如 测评、职工参评（见 describe 命令）。")(fn)
    fn = option("--period", required=True, help="周期，如 2026Q4。须已用 forms 下发（或 register 登记）。")(fn)
    return option("--scheme", required=True, help="方案名称（见 schemes 命令）或 .yaml 文件路径。")(fn)


@survey_group.command(name="questions")
@_survey_options
@option("--roster", "roster_path", required=True, type=click.Path(path_type=Path),
              help="问卷涉及的人员（或支部）的名册，须与下发记录一致；按名册的顺序出题。可以只是一个支部的名册（每个支部一份问卷）。")
@option("--output", "output_dir", type=click.Path(path_type=Path), default=Path("forms"), show_default=True,
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
@click.argument("file", type=click.Path(path_type=Path), metavar="导出文件")
@_survey_options
@option("--output", "output_dir", type=click.Path(path_type=Path), default=Path("input"), show_default=True,
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
    layout = f"，{done.layout_words}" if done.platform == "问卷星" else ""
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
