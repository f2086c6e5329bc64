"""The catalogue of problem codes: what each means, how severe it is, what the clerk is told
and what to do. Data, used by every step that finds a problem (:func:`pingxing.problems.problem`)
and by the docs page that lists them (``docs/problems.md``, made by ``scripts/make_docs.py``).

Each code has a default severity, a one-line meaning and what to do (for the docs), and its
message templates (``str.format`` fields), keyed by variant: one code may be worded differently
where it is found (``missing-sheet`` of a form, of a branch, of the corrections workbook).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]
#: where a problem is found, in the order of a run
STEPS = ("识别文件", "读取表格", "对照下发记录", "核对表格", "汇总", "评定", "更正与复查", "公示", "记录")


@dataclass(frozen=True)
class Code:
    step: str
    severity: Severity
    meaning: str  # what happened (the docs page)
    todo: str  # what to do (the docs page)
    messages: dict[str, str] = field(default_factory=dict)  # variant → template ("" the usual one)
    also: tuple[Severity, ...] = ()  # other severities some variants have


def _c(step: str, severity: Severity, meaning: str, todo: str, also: tuple[Severity, ...] = (),
       **messages: str) -> Code:
    return Code(step, severity, meaning, todo, {("" if k == "usual" else k): v for k, v in messages.items()}, also)


_SAVE_AS = "请在 Excel 或 WPS 中另存为 Excel 工作簿(.xlsx)后重新发送"

CATALOGUE: dict[str, Code] = {
    # ---------------------------------------------------------------- 识别文件 (by content, before reading)
    "lock-file": _c("识别文件", "warning", "Office/WPS 的锁文件（表格正被打开时产生），不是提交的表格", "无需处理，已跳过",
                    usual="Office/LibreOffice 锁文件(表格正被打开时产生)，不是提交的表格"),
    "hidden-file": _c("识别文件", "warning", "以“.”开头的隐藏文件", "无需处理，已跳过", usual="隐藏文件，不是提交的表格"),
    "system-file": _c("识别文件", "warning", "系统文件（Thumbs.db、desktop.ini、__MACOSX）", "无需处理，已跳过",
                      usual="系统文件，不是提交的表格"),
    "empty-file": _c("识别文件", "error", "文件是空的（0 字节）", "请让填报单位重新发送",
                     usual="文件是空的(0 字节)，可能下载或复制失败，请重新发送"),
    "damaged-file": _c("识别文件", "error", "文件已损坏，或内容无法读取", "请让填报单位在 Excel 中另存为 .xlsx 后重新发送",
                       usual="文件已损坏或不是 Excel 表格，无法打开，请重新发送",
                       calamine="文件已损坏，无法打开，请让填报单位重新发送",
                       content="文件内容无法读取，请在 Excel 中打开后另存为 .xlsx 再发送；另存后仍出现此提示的，请把文件交维护人员"),
    "too-large": _c("识别文件", "error", "文件超过 50 MB，或解压后超过 500 MB", "请删除表格中的图片等多余内容后重新发送",
                    usual="文件过大(超过 50 MB 或解压后超过 500 MB)，请删除表格中的图片等多余内容后重新发送"),
    "zip-bomb": _c("识别文件", "error", "文件内部压缩比异常高，无法安全打开", "请在 Excel 中另存为新的 .xlsx 后重新发送",
                   usual="文件内部数据异常(压缩比过高)，无法安全打开，请在 Excel 中另存为新的 .xlsx 后重新发送"),
    "encrypted": _c("识别文件", "error", "文件设有打开密码", "请取消密码后重新发送", usual="文件设有打开密码，请取消密码后重新发送"),
    "strict-ooxml": _c("识别文件", "error", "Strict Open XML 格式（读取时看不到工作表）", "请另存为普通的 Excel 工作簿(.xlsx)",
                       usual="该文件为 Strict Open XML 格式，请在 Excel 中另存为普通的 Excel 工作簿(.xlsx)"),
    "html-not-excel": _c("识别文件", "error", "网页导出的文件，只是名为 .xls", "请在 Excel 中另存为 .xlsx",
                         usual="这是网页导出的文件，不是真正的 Excel 文件，请在 Excel 中另存为 .xlsx"),
    "unsupported-format": _c("识别文件", "error", "WPS 专用格式、.xlsb、XML 表格或 CSV", _SAVE_AS,
                             usual="文件格式无法读取(如 WPS 专用格式、.xlsb、XML 表格或 CSV)，" + _SAVE_AS),
    "not-a-spreadsheet": _c("识别文件", "error", "不是表格文件（如 Word 文档）；按内容判断不是表格的其他文件则跳过",
                            "请发送填写好的 Excel 表格", also=("warning",),
                            usual="该文件不是 Excel 表格(可能是 Word 等其他文档)，请发送填写好的 Excel 表格",
                            skipped="不是表格文件(按内容判断)，已跳过"),
    "zip-archive": _c("识别文件", "error", "压缩包", "请解压后发送其中的 Excel 表格",
                      usual="这是压缩包，请解压后发送其中的 Excel 表格{contents}"),
    "unreadable": _c("识别文件", "error", "文件打不开（被占用或没有权限）", "请关闭文件或重新复制后再试",
                     usual="文件无法读取(可能被占用或没有权限)，请关闭文件或重新复制后再试"),
    "vanished-file": _c("识别文件", "error", "列出文件后、读取之前，文件被移走、删除或改名（或是指向不存在文件的链接）",
                        "确认文件仍在文件夹中后重新运行",
                        usual="开始读取时找不到这个文件了（可能刚被移走、删除或改名，或是指向不存在文件的快捷方式或链接），未读取；"
                              "请确认文件在文件夹中后重新运行"),
    "file-name-encoding": _c("识别文件", "warning", "文件名不是 UTF-8 编码（多为在中文 Windows 上压缩、在其他系统上解压），已按 GBK 识读",
                             "已照常读取；可把文件改成正确的名称",
                             usual="文件名不是 UTF-8 编码（多为中文 Windows 上压缩的 zip 在其他系统上解压），已按 GBK 识读为“{name}”并照常读取；"
                                   "如名称不对，可把文件改名"),
    "sheet-too-large": _c("识别文件", "error", "工作表中有内容的区域大到无法安全读取（远处误填了内容）",
                          "删除多余的行列后重新发送",
                          usual="工作表“{sheet}”中有内容的区域过大（远到 {cell} 单元格，可能是误填了很远处的格子），"
                                "无法安全读取；请删除多余的内容（选中多余的行列后“删除”）后重新发送"),
    "duplicate-file": _c("识别文件", "warning", "与另一个文件内容完全相同", "只计一次；可删除其中一份",
                         usual="与“{first}”内容完全相同，只计算一次；可删除其中一份"),
    # ---------------------------------------------------------------- 读取表格 (which scheme and period)
    "no-meta": _c("读取表格", "error", "没有 _meta 隐藏工作表（不是下发的标准表格）",
                  "使用下发的标准表格，或运行时加 --scheme 和 --period", also=("warning",),
                  usual="无法确定这份表格属于哪个方案和周期（没有 _meta 隐藏工作表）；请使用下发的标准表格，或运行时加上 --scheme 和 --period",
                  by_name="表格中没有 _meta 隐藏工作表（不是本工具下发的标准表格），已按文件名作为支部名称读取；请尽量使用下发的标准表格"),
    "wrong-period": _c("读取表格", "error", "表格属于另一个周期（如往年的表格）", "用本期下发的表格重新填写",
                       usual="表格属于“{period}”期，与本次指定的 {expected} 不符，未计入；请确认是否交错了表格",
                       kind="评星周期“{period}”与方案“{scheme}”不符（应按{kinds}），未计入；请确认是否用错了表格",
                       older="表格属于“{period}”期，而收到的同一方案的表格最新为 {newest} 期；可能是误用了往年的表格，未计入。"
                             "请用本期表格重新填写；如确要评定 {period} 期，请运行时加上 --period {period}",
                       stray="表格属于“{period}”期，而收到的同一方案的表格大多为 {newest} 期，未计入；"
                             "请确认是否交错了表格；如确要评定 {period} 期，请运行时加上 --period {period}"),
    "wrong-scheme": _c("读取表格", "error", "表格属于另一个方案", "用本方案下发的表格重新填写",
                       usual="表格属于方案“{scheme}”，与本次指定的 {expected} 不符，未计入；请确认是否交错了表格"),
    "unknown-scheme": _c("读取表格", "error", "表格注明的方案不存在", "确认是否为本单位下发的表格",
                         usual="表格注明的评星方案“{scheme}”不存在，未计入；请确认是否为本单位下发的表格"),
    "wrong-form-version": _c("读取表格", "error", "表格的版本与方案不一致（往年或其他方案的表格）", "用本期下发的表格重新填写",
                             usual="表格版本与当前方案不一致（可能是往年或其他方案的表格），未计入；请使用本期下发的表格重新填写"),
    "missing-sheet": _c("读取表格", "error", "缺少方案的工作表", "催交，或检查工作表名称",
                        form="表格中没有本方案的任何工作表（应有 {expected}；实际为 {found}），请使用下发的标准表格",
                        branch="{where}没有交来“{sheet}”表（{files} 中都没有；表中的工作表为：{found}），{who}暂不评定；请催交或检查工作表名称",
                        corrections="更正表中没有“{sheet}”工作表，请使用 forms 生成的更正表模板",
                        settings="设置表中没有“{sheet}”工作表，请使用 forms 生成的设置表"),
    "missing-header": _c("读取表格", "error", "找不到表头行", "不要修改表头",
                         usual="找不到表头行（应有“{first}”“{second}”两列相邻），请勿修改表头",
                         corrections="更正表找不到表头行（编号、名称、操作……），请勿修改表头",
                         recheck="复查表找不到表头行（编号、支部……），请勿修改表头",
                         settings="设置表找不到表头行（项目、内容），请勿修改表头"),
    "setting-invalid": _c("读取表格", "error", "设置表中的一项无法使用（本项按方案默认）", "按提示改正设置表",
                          unknown="设置表中没有“{item}”这一项，未使用；项目应为 {items} 之一",
                          days="公示天数“{raw}”不是 1 到 60 之间的整数，请改正（本次按方案默认）",
                          count="公示天数计法“{raw}”无效，请填写 自然日 或 工作日（本次按方案默认）",
                          date="{item}“{raw}”不是日期，请写成 2026-12-08 这样的形式（本次不使用）",
                          dates="{item}“{raw}”中有不是日期的内容，请写成 2026-10-01,2026-10-02 这样的形式（本次不使用）"),
    "missing-column": _c("读取表格", "error", "缺少要填的列", "使用下发的标准表格，不要删除或改名列",
                         usual="缺少列“{columns}”，请使用下发的标准表格，不要删除或改名列"),
    "duplicate-column": _c("读取表格", "error", "同一个表头出现了两次", "删除多余的一列",
                           usual="表头“{head}”出现了两次（{first}列和{second}列），请删除多余的一列"),
    "survey-duplicate": _c("读取表格", "warning", "问卷的同一答卷人重复提交了答卷（同一用户，或同一网络地址的相同答卷），后提交的未计入",
                           "无需处理（只计第一次提交）；如确是不同的人，请在问卷平台核对",
                           usual="问卷导出文件“{export}”第 {row} 行与第 {first} 行是同一答卷人的重复提交，未计入（只计第 {first} 行）"),
    "survey-too-fast": _c("读取表格", "warning", "问卷答卷的用时少于方案规定的最短时间（survey.min_seconds），未计入",
                          "无需处理；如要计入，调整方案中的 min_seconds 后重新导入",
                          usual="问卷导出文件“{export}”第 {row} 行答题用时少于 {min_seconds} 秒（方案规定的最短用时），未计入"),
    "wrong-branch": _c("读取表格", "error", "另一个支部误用了这份表格", "用本支部下发的表格重新填写",
                       usual="这是下发给“{who}”的表格，但表中填写的 {count} 个编号（如 {example}）都不在{who}的名单中，"
                             "可能是其他支部误用了这份表格；未计入，请用本支部下发的表格重新填写"),
    # ---------------------------------------------------------------- 对照下发记录 (the campaign record)
    "not-returned": _c("对照下发记录", "error", "下发的表格尚未交回（催交）", "催交；交回后放进输入文件夹重新运行",
                       usual="“{file_name}”（{where}的{book}）尚未交回，表中人员暂不评定；请催交"),
    "not-issued": _c("对照下发记录", "error", "这份表格与下发记录中的任何表格都对不上", "确认是否为本次下发的表格；以前下发的表格请先用 register 登记",
                     usual="这份表格（{where}）与下发记录中{period_words}的任何表格都对不上，未计入；"
                           "请确认是否为本次下发的表格，或先用 register 登记以前下发的表格"),
    "superseded-form": _c("对照下发记录", "error", "这是原先下发、已被重新下发的表格取代的表格", "用新下发的表格填写",
                          also=("warning",),
                          usual="这是{where}原先下发的表格，已被重新下发的“{newer}”取代，未计入；请用新下发的表格填写",
                          replaced="这是{where}原先下发的表格，重新下发的表格已交回，以新表格为准，本表未计入；可删除本表"),
    "not-registered": _c("对照下发记录", "warning", "没有这一期的下发记录，无法知道谁尚未交回",
                         "以前下发的表格请运行 register 登记；今后请用 forms 下发",
                         usual="评星记录中没有“{scheme}”{period_words}的下发记录，已按表格中的名单评定，"
                               "无法知道哪些表格尚未交回；如表格是以前下发的，请运行 register 登记"),
    "scheme-changed": _c("对照下发记录", "warning", "方案文件在下发后改过；仍按下发时的方案评定", "要按改后的方案评定，请重新 register",
                         usual="方案文件“{file}”在{period_words}表格下发后改过，本次仍按下发时的方案评定；"
                               "如要按改后的方案评定，请运行 register 重新登记"),
    "moved-member": _c("对照下发记录", "warning", "此人已按重新下发的表格调到另一个支部", "无需处理：只在新支部评定",
                       usual="编号“{id}”（{name}）已按重新下发的表格调至{home}，本表中的这一行未计入"),
    "record-migrated": _c("记录", "warning", "评星记录从旧位置复制到了工作文件夹", "以后都使用新位置的记录文件",
                          usual="评星记录已从 {old} 复制到 {new}；以后各次运行都使用这个文件，不再随输出文件夹变化"),
    "history-name-differs": _c("评定", "warning", "记录中上一期同一编号的名称与本期不同，未与上期比较",
                               "核对是否同一人（或同一支部）；确是改名的，用 history import 以新名称重新导入上一期结果",
                               usual="编号“{id}”在记录的上一期（{previous}）是“{old}”，本期是“{new}”，可能不是同一人"
                                     "（或记录来自另一次评星），未与上期比较升降星、未据此列入名单；如确是改名，"
                                     "请用 history import 以新名称重新导入上一期结果"),
    "no-previous-period": _c("评定", "warning", "记录中没有上一期的结果，无法比较升降星、列入名单", "如有上一期结果，用 history import 导入",
                             usual="记录文件 {record} 中没有“{scheme}”上一期（{previous}）的结果，无法比较升降星、"
                                   "列入诫勉谈话等名单；如有上一期结果，请用 history import 导入"),
    # ---------------------------------------------------------------- 核对表格 (rows and cells)
    "missing-id": _c("核对表格", "error", "一行没有编号", "按下发名册补上编号",
                     usual="第 {row} 行没有编号，未计入；请补上编号（按下发名册）"),
    "duplicate-row": _c("核对表格", "error", "同一编号出现了两行", "删除重复或错误的一行", also=("warning",),
                        usual="编号“{id}”出现了两行（第 {first} 行和第 {second} 行），内容不同，无法判断以哪行为准，该人员暂不评定；请删除错误的一行",
                        same="编号“{id}”出现了两行（第 {first} 行和第 {second} 行），内容相同，只计一次；请删除重复行"),
    "blank-cell": _c("核对表格", "error", "必填的格子是空的（留空不按 0 计算）", "补填",
                     usual="“{header}”未填写，该{who}暂不评定；请{what}",
                     recheck="复查等次未填写，请填写 {allowed}"),
    "no-ballots": _c("核对表格", "error", "没有一张有效票", "补录选票",
                     usual="没有任何一张有效票，该{who}暂不评定；请补录选票",
                     votes="有效票为 0，无法计算得票率；请补录选票",
                     grade_votes="各等次票数都是 0（弃权不是有效票），无法提出建议等次，该党员暂不评定；请核对票数"),
    "tally-mismatch": _c("核对表格", "error", "各项票数合计与发放票数不符", "核对票数",
                         usual="各项票数合计 {counted} 与发放票数 {issued} 不符，请核对"),
    "votes-exceed-issued": _c("核对表格", "error", "一人的各等次票数与弃权合计超过发放票数", "核对票数",
                              usual="各等次票数与弃权合计 {counted} 超过发放票数 {issued}，该党员暂不评定；"
                                    "请核对（作废或未收回的票不计入任何一栏）"),
    "votes-exceed-valid": _c("核对表格", "error", "某颗星的得票超过有效票", "核对票数",
                             usual="“{star}”得票 {votes} 超过有效票 {valid}，请核对"),
    "error-cell": _c("核对表格", "error", "单元格是错误值（#DIV/0!、#N/A 等）", "改为正确的数值",
                     usual="单元格是错误值 {raw}，请改为正确的数值"),
    "formula-not-calculated": _c("核对表格", "error", "公式没有计算结果", "在 Excel 中打开并保存",
                                 usual="公式未计算，请在Excel中打开并保存"),
    "invalid-choice": _c("核对表格", "error", "不是下拉列表中的选项", "从下拉列表中选择",
                         usual="“{text}”不是可选项，请填写 {choices}",
                         recheck="复查等次“{grade}”无效，请填写 {allowed}"),
    "not-a-date": _c("核对表格", "error", "不是日期", "写成 2026-03-15 这样的形式",
                     usual="“{raw}”不是日期，请写成 2026-03-15 这样的形式"),
    "invalid-ballot": _c("核对表格", "warning", "一张票填了几个分数（废票）", "按废票处理；如是录入错误，改为一个分数",
                         usual="一张票填了几个分数（“{raw}”），按废票处理，不计入平均分；如是录入错误，请改为一个分数"),
    "not-a-number": _c("核对表格", "error", "不是数字（如“九十”“85-90”“缺考”）", "改为数字",
                       usual="“{raw}”不是数字，请改为 0–{max} 之间的数字"),
    "date-not-number": _c("核对表格", "error", "数字被设成了日期格式", "把单元格格式改为“常规”后重新填写",
                          usual="单元格显示为日期“{raw}”（填的数字 {serial} 被设成了日期格式），请把单元格格式改为“常规”并重新填写分数"),
    "not-applicable": _c("核对表格", "error", "填了“/”“无”等“不适用”，但这里须填数字", "未评留空，有分填数字",
                         usual="“{raw}”表示不适用，但这里须填数字；未评请留空，有分请填数字"),
    "not-a-count": _c("核对表格", "error", "人数或票数不是 0 或正整数", "填写 0 或正整数",
                      usual="“{raw}”不是人数或票数，请填写 0 或正整数"),
    "out-of-range": _c("核对表格", "error", "分数超出范围", "核对后改正",
                       usual="分数 {raw} 超出范围，应在 0 到 {max} 之间，请核对"),
    "unit-suffix": _c("核对表格", "warning", "数字带有“分”字", "已按数字读取，请确认",
                      usual="“{raw}”带有“分”字，已按 {value_read} 读取，请确认"),
    "added-cell": _c("核对表格", "error", "在下发表格的列以外填了内容（如 票30 之后的 票31、最后一项之后的一列），不会计入",
                     "删除多填的内容；确有多出的选票或分数，报组织部门处理",
                     usual="“{header}”不是下发表格中的列（本表要填的列为 {columns}），这里填的“{raw}”不会计入，该{who}暂不评定；"
                           "请删除这一格的内容，确有多出的选票或分数请报组织部门处理",
                     no_header="这一格在下发表格要填的列（{columns}）以外，且该列没有表头，这里填的“{raw}”不会计入，该{who}暂不评定；"
                               "请删除这一格的内容，或填到正确的列中"),
    "added-sheet": _c("核对表格", "error", "复制出的工作表（如“互评 (2)”）中填了原表没有的内容，不会计入",
                      "把内容填回原表；确有多出的选票，报组织部门处理",
                      usual="工作表“{copy}”是“{original}”表的复制，其中填了原表没有的内容（如本格“{raw}”），不会计入；"
                            "“{original}”表中的人员暂不评定。请把内容填回“{original}”表后删除“{copy}”，确有多出的选票请报组织部门处理"),
    "out-of-period": _c("核对表格", "warning", "台账中的日期不在本期之内，这条记录不计入本期的检查", "日期填错的改正；确属他期的可删除",
                        usual="日期 {day} 不在本期（{period_words}）之内，这条记录不计入本期的台账检查；如日期填错，请改正"),
    "hidden-row": _c("核对表格", "warning", "行被隐藏或筛选隐藏", "已照常计入；取消隐藏后核对",
                     usual="第 {row} 行被隐藏（或被筛选隐藏），已照常计入；请取消隐藏或筛选，核对这一行"),
    "hidden-column": _c("核对表格", "warning", "要填的列被隐藏", "已照常计入；取消隐藏后核对",
                        usual="“{header}”列被隐藏，已照常计入；请取消隐藏，核对这一列"),
    "id-as-number": _c("核对表格", "error", "长编号被存成了数字，Excel 改掉了末尾几位", "把编号列设为“文本”后重新输入完整编号",
                       usual="编号被存成了数字（显示为 {shown}），超过 {digits} 位的数字会被 Excel 改掉末尾几位，无法核对是谁；"
                             "未计入，请把编号列设为“文本”格式后重新输入完整编号"),
    "merged-cell": _c("核对表格", "error", "要填的格子被合并", "取消合并，逐格填写",
                      usual="单元格 {ref} 被合并了：合并后只有左上角的格子有值，其余格子会被当作空白；请取消合并，逐格填写"),
    "external-link": _c("核对表格", "warning", "公式引用了另一个工作簿（值可能已过期）", "核对后改为直接填写数值",
                        usual="单元格的公式引用了另一个工作簿（外部链接），读到的是上次保存时的值，可能已过期；请核对后改为直接填写数值"),
    "wrong-scale": _c("核对表格", "error", "像是百分数或另一种分制（0.9 而非 90）", "把格式改为“常规”，填写分数",
                      usual="“{number}”不像 0–{max} 分的分数（单元格若显示为“{percent}%”，实际存的是 {number}）；"
                            "请把单元格格式改为“常规”，填写分数，如 {percent}"),
    # ---------------------------------------------------------------- 汇总 (forms → entities)
    "conflicting-submission": _c("汇总", "error", "同一张表收到了几份内容不同的文件（不取平均，不任选）",
                                 "删除错误的一份后重新运行",
                                 usual="{where}的“{sheet}”表收到 {count} 份内容不同的文件（{files}），不会取平均，也不会任选其一；"
                                       "请删除错误的一份后重新运行",
                                 survey="{where}的“{sheet}”表既由问卷导入（{survey}），又在交回的表格中填了数（{files}），"
                                        "不会取平均，也不会任选其一；请只留一份：删去问卷导入的表格，或清空交回表格中这张表的数字，然后重新运行"),
    "listed-twice": _c("汇总", "error", "同一编号出现在两个支部的表格中（没有下发记录可以判断其所在支部）",
                       "确认此人所在支部，删去另一支部表格中的这一行；今后请用 forms 下发，调动后重新下发",
                       usual="编号“{id}”（{name}）同时出现在{first}和{second}的表格中，只在{first}评定一次；"
                             "请确认此人所在支部，删去另一支部表格中的这一行"),
    "missing-member": _c("汇总", "error", "名单中的人在表中没有对应行", "补上该行",
                         usual="名单中的“{id} {name}”在“{sheet}”表中没有对应行，该人员暂不评定；请补上该行"),
    "name-mismatch": _c("汇总", "warning", "编号对得上，姓名与名单不同", "按编号计入；核对姓名",
                        usual="编号“{id}”在名单中是“{name}”，表中写作“{written}”，按编号计入；请核对"),
    "unknown-member": _c("汇总", "error", "编号不在下发的名单中", "如确需参评，先报组织部门补入名册",
                         usual="编号“{id}”（{name}）不在下发的名单中，未计入；如确需参评，请先报组织部门补入名册",
                         ledger="编号“{id}”（{name}）不在下发的名单中，第 {rows} 行的记录未计入；请按下拉列表选择支部编号",
                         recheck="复查表中的编号“{id}”不在本期评定结果中，请核对"),
    "few-ballots": _c("汇总", "warning", "一项得分只有不足 k 张有效票（方案 anonymity.min_ballots，默认 3），单独列出会让人推知评议人",
                      "能补收选票的补录后重新运行；否则照常公示（结果表、报告和计算明细中该项不单独列示，results.csv 中仍有）",
                      usual="{name}的“{sheet}”只有 {n} 张有效票，少于 {k} 张：为免推知评议人，结果表、报告和计算明细中该项显示为"
                            "“{shown}”（results.csv 中仍有该项得分，只供党委内部使用）；能补收选票的请补录后重新运行，否则可照常公示"),
    # ---------------------------------------------------------------- 评定 (the rules)
    "unknown-star": _c("评定", "error", "不予授予的星名不是本方案的星名", "改为正确的星名",
                       usual="“{header}”中的“{unknown}”不是本方案的星名（{stars}），无法确定不予授予哪颗星，暂不评定；请改为正确的星名"),
    "quota-tie": _c("评定", "warning", "名额线上有并列，宁缺勿滥，均未评上", "如需调整，由党委研究决定",
                    usual="{where}{level}名额线上有并列，均未评为{level}；如需调整，请由党委研究决定"),
    "award-none": _c("评定", "warning", "没有符合条件的人选", "本期不授予", usual="没有符合条件的{grade}人选，本期不授予"),
    "award-tie": _c("评定", "warning", "得分和方案的全部比较项都相同、并列第一，唯一的称号暂不授予", "请党委研究决定后，在结果中更正",
                    usual="{names}得分及比较项完全相同、并列第一，{grade}只能授予一个，本期暂不授予；请党委研究决定后，在结果中更正"),
    "exclude-no-reason": _c("评定", "error", "选了不参评，但没有写明原因", "写明原因（如调出、年老体弱、长期外出）",
                            usual="“{column}”选了“{choice}”，但“{header}”未填写，该党员暂不评定；"
                                  "请写明不参评的原因（如调出、年老体弱、长期外出）"),
    "grade-no-reason": _c("评定", "error", "支部评定的等次与票决的建议等次不同，但没有写理由",
                          "写明理由，或清空评定等次（按建议等次评定）",
                          usual="评定等次“{decided}”与票决的建议等次“{proposed}”不同，但“{header}”未填写，该党员暂不评定；"
                                "请写明理由（如支部党员大会的研究意见），或清空评定等次按建议等次评定"),
    "grade-over-cap": _c("评定", "error", "支部评定的某等次人数超过名额，该支部暂不公示", "核减该等次的人数后重新运行",
                         usual="{where}评定为{grade}的有 {count} 人，超过名额 {allowed} 人（参加评议 {n} 人的 {share}，"
                               "向下取整），该支部暂不公示；请核减{grade}人数"),
    "grade-cap-tie": _c("评定", "warning", "名额线上有并列，宁缺勿滥，并列者均未提出该等次",
                        "如需调整，由支部研究后在评定等次中写明理由",
                        usual="{where}{grade}名额 {allowed} 个，{names}的得票率同为 {pct}、并列于名额线，宁缺勿滥，"
                              "均未提出为{grade}；如需调整，请由支部研究后在“评定等次”中写明理由"),
    # ---------------------------------------------------------------- 更正与复查
    "adjustment-invalid": _c("更正与复查", "error", "更正表的一行无法执行", "按提示改正更正表",
                             no_id="没有编号，请填写要更正的对象的编号",
                             action="操作“{action}”无效，请填写 {actions}",
                             no_reason="没有写更正理由；每项更正都须写明理由以备查",
                             not_a_column="“{ref}”不是本方案的列；值应写成 <工作表>.<列>=<新值>，如 自评.1.1=4",
                             no_row="“{table}”表中没有编号“{id}”",
                             not_a_choice="“{raw}”不是“{header}”列的可选项 {choices}",
                             bad_value="新值“{raw}”无效，应为 0 到 {max} 之间的数字",
                             bad_count="新值“{raw}”无效，人数或票数应为 0 或正整数",
                             bad_score="新分数“{raw}”无效，应为 0 到 {max} 之间的数字（本方案总分的范围）",
                             bad_date="日期“{raw}”无法识别，请写成 2026-12-05 这样的形式",
                             not_rated="“{name}”本期{state}，无法{action}",
                             no_score="更正分数须在“值”中填写新的分数",
                             no_bands="本方案不按分数定星，不能更正分数",
                             no_stars="该对象没有星级，无法摘星或降星",
                             at_zero="“{name}”现为无星，不能再降星",
                             bad_steps="降星数“{raw}”无效：现为{stars}星，应填 1 到 {stars} 之间的整数（最多降到无星）",
                             no_title="“{name}”没有可撤销的称号（先锋旗、示范点等）"),
    "adjustment-unknown-entity": _c("更正与复查", "error", "更正表中的编号不在本期评定对象中", "核对编号",
                                    usual="编号“{id}”不在本期评定对象中，请核对"),
    "audit-redo": _c("更正与复查", "error", "抽查差错率超过 15% 或发现隐瞒，该单位须推倒重来", "该单位全部支部重新评定",
                     usual="{unit}{why}，超过15%或存在隐瞒，该单位全部支部须重新评定（推倒重来）"),
    # ---------------------------------------------------------------- 公示
    "no-contact": _c("公示", "warning", "公示没有受理异议的联系电话", "在设置表中填写“联系电话”",
                     usual="公示“{title}”没有受理异议的联系电话；请在设置表（设置-{scheme}-{period}.xlsx）中填写“联系电话”后重新运行"),
    "redated": _c("公示", "warning", "已发布的公示按新给的开始日期改了日期", "已张贴的公示须按新日期重新张贴",
                  usual="“{notice}”的公示日期已由 {was} 改为 {now}（本次给了新的公示开始日期）；已张贴的须按新日期重新张贴"),
    "notice-withheld": _c("公示", "warning", "名单不完整，暂不生成公示或通报", "补全后重新运行",
                          usual="{where}尚有{who}评定不完整，暂不生成公示；补全表格后重新运行即可",
                          owed="{where}的表格尚未全部交回，暂不生成公示；交回后重新运行即可",
                          announcement="尚有评定不完整的对象，暂不生成通报；补全表格后重新运行即可",
                          nobody="本期没有可列入“{title}”的对象，暂不生成通报"),
    "unsigned": _c("公示", "warning", "公示或通报没有署名：发文机关无法从表格确定（如表格没有 _meta，支部名称取自文件名）",
                   "在设置表的“发文机关”中填写署名，或使用下发的标准表格，然后重新运行",
                   usual="《{title}》暂无署名：{why}；请在设置表的“发文机关”中填写署名，或使用下发的标准表格后重新运行"),
    "no-pdf-converter": _c("公示", "warning", "没有找到 LibreOffice，本次未生成 PDF（Word 和网页版照常生成）",
                           "安装 LibreOffice（免费，https://zh-cn.libreoffice.org），然后重新运行；不需要 PDF 时运行加 --no-pdf",
                           usual="没有找到 LibreOffice，本次未生成 PDF 文件（Word 和网页版照常生成）。需要 PDF 时请安装 "
                                 "LibreOffice（免费，https://zh-cn.libreoffice.org 下载；Linux 可安装 libreoffice-writer），"
                                 "然后重新运行；不需要 PDF 时运行加 --no-pdf 即可不再提示"),
    "pdf-failed": _c("公示", "warning", "LibreOffice 未能把某个文件转换为 PDF", "用 Word 或 WPS 打开该文件另存为 PDF；若反复出现，请把文件交维护人员",
                     usual="未能生成 {file} 的 PDF（LibreOffice：{why}）；可用 Word 或 WPS 打开该文件另存为 PDF",
                     compilation="{file} 缺少 {n} 份未能转换为 PDF 的公示（{names}）；公示汇编.docx 是完整的，"
                                 "可用 Word 或 WPS 打开它另存为 PDF",
                     no_compilation="未能生成 {file}：其中的公示都未能转换为 PDF；公示汇编.docx 是完整的，"
                                    "可用 Word 或 WPS 打开它另存为 PDF"),
}


def message(code: str, variant: str = "", **fields: object) -> str:
    """The message of ``code`` (its ``variant``) with ``fields`` filled in."""
    return CATALOGUE[code].messages[variant].format_map(fields)
