"""Notices (公示 / 通报): Word and HTML rendering from the clerk-editable templates."""

from __future__ import annotations

import importlib.util
import io
import shutil
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docxtpl import DocxTemplate
from lxml import etree

import pingxing.publish.notices as notices_module
from pingxing.publish.notices import (
    NoticeRenderer,
    NoticeTemplateError,
    TemplateFieldError,
    core_properties_namespace,
    render_docx,
    render_html,
)

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
STAR_WORDS = {5: "五星", 4: "四星", 3: "三星", 2: "二星", 1: "一星", 0: "无星"}
NAMES = ["张伟", "<script>alert(1)</script>", "=1+1", "R&D \"小组\" 'x'", "王芳", "李娜", "刘洋",
         "陈静", "杨帆", "赵磊"]


def make_ctx(n: int = 10, **changes: Any) -> dict[str, Any]:
    rows = []
    for i in range(n):
        stars = (5, 4, 3, 2, 1, 0)[i % 6]
        rows.append({"seq": i + 1, "name": NAMES[i] if i < len(NAMES) else f"党员{i + 1}",
                     "unit": "第一机关党委", "branch": "第一党支部", "stars": stars,
                     "stars_text": "★" * stars, "star_word": STAR_WORDS[stars],
                     "star_names": "", "grade": "", "note": ""})
    ctx = {
        "kind": "公示",
        "title": "第一机关党委第一党支部2026年第四季度党员评星定级结果公示",
        "intro": "根据《党员评星定级实施方案》，经党员自评、党员互评、领导点评、职工参评和支部评定，"
                 "现将评定结果公示如下：",
        "unit": "第一机关党委", "branch": "第一党支部",
        "period": "2026Q4", "period_words": "2026年第四季度",
        "level": "member",
        "rows": rows,
        "publicity_days": 3,
        "publicity_start": "2026年11月23日", "publicity_end": "2026年11月26日",
        "contact": "如有异议，请于公示期内向党支部反映。联系人：王芳，电话：0851-12345678",
        "issuer": "中共第一机关党委第一党支部委员会",
        "issue_date": "2026年11月23日",
    }
    ctx.update(changes)
    return ctx


@pytest.fixture(scope="module")
def renderer() -> NoticeRenderer:
    return NoticeRenderer(TEMPLATES)


def open_docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def body_text(document: docx.document.Document) -> list[str]:
    return [p.text for p in document.paragraphs]


def table_rows(document: docx.document.Document) -> list[list[str]]:
    assert len(document.tables) == 1
    return [[cell.text for cell in row.cells] for row in document.tables[0].rows]


def template_copy(tmp_path: Path, old: str, new: str, name: str = "notice.docx") -> Path:
    """The shipped templates copied to tmp_path, with ``old`` replaced by ``new`` in one of them."""
    for template in ("notice.docx", "notice.html"):
        shutil.copy(TEMPLATES / template, tmp_path / template)
    if name.endswith(".html"):
        path = tmp_path / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
        return tmp_path
    src = zipfile.ZipFile(TEMPLATES / name)
    with zipfile.ZipFile(tmp_path / name, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.namelist():
            data = src.read(item)
            if item == "word/document.xml":
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode())
            dst.writestr(item, data)
    return tmp_path


# --- Word -------------------------------------------------------------------------


def test_docx_has_title_intro_table_and_signature(renderer: NoticeRenderer, tmp_path: Path) -> None:
    ctx = make_ctx(10)
    out = renderer.render_docx(ctx, tmp_path / "notice.docx")
    document = docx.Document(str(out))
    text = body_text(document)
    assert text[0] == ctx["title"]
    assert document.paragraphs[0].style.name == "Title"
    assert ctx["intro"] in text
    assert "公示时间：2026年11月23日至2026年11月26日（共3天）" in text
    assert ctx["contact"] in text
    assert text[-2:] == ["中共第一机关党委第一党支部委员会", "2026年11月23日"]
    assert not any("{" in line or "}" in line for line in text)  # every tag rendered or removed
    rows = table_rows(document)
    assert rows[0] == ["序号", "姓名", "星级"]
    assert rows[1:] == [[str(r["seq"]), r["name"], f"{r['stars_text']} {r['star_word']}"]
                        for r in ctx["rows"]]
    assert rows[1] == ["1", "张伟", "★★★★★ 五星"]
    assert rows[2][1] == "<script>alert(1)</script>"  # escaped in the XML, intact in Word


def test_docx_branch_level_named_stars_grade_and_note(renderer: NoticeRenderer) -> None:
    ctx = make_ctx(2, level="branch")
    ctx["rows"][0].update(name="第一机关党委第一党支部", star_names="战斗堡垒星、先锋模范星")
    ctx["rows"][1].update(stars=None, stars_text="", star_word="", grade="优秀", note="新设立")
    rows = table_rows(open_docx(renderer.docx_bytes(ctx)))
    assert rows[0] == ["序号", "党支部", "星级"]
    assert rows[1] == ["1", "第一机关党委第一党支部", "★★★★★ 五星（战斗堡垒星、先锋模范星）"]
    assert rows[2][2].strip() == "优秀 新设立"


def test_announcement_has_no_publicity_period(renderer: NoticeRenderer) -> None:
    ctx = make_ctx(3, kind="通报", contact="", title="关于2026年度星级党支部评定结果的通报")
    text = body_text(open_docx(renderer.docx_bytes(ctx)))
    assert text[0] == "关于2026年度星级党支部评定结果的通报"
    assert not any("公示时间" in line for line in text)
    assert "" not in text[1:]  # no empty paragraph left where the contact line was


@pytest.mark.parametrize(("n", "style"), [(1, "表格文字"), (16, "表格文字"), (17, "表格文字（紧凑）"),
                                          (25, "表格文字（紧凑）")])
def test_long_lists_use_the_compact_table(renderer: NoticeRenderer, n: int, style: str) -> None:
    document = open_docx(renderer.docx_bytes(make_ctx(n)))
    assert len(table_rows(document)) == n + 1
    assert document.tables[0].rows[1].cells[1].paragraphs[0].style.name == style


def test_docx_is_byte_identical_when_rendered_again(tmp_path: Path) -> None:
    ctx = make_ctx(12)
    first = render_docx(ctx, tmp_path / "a.docx", TEMPLATES).read_bytes()
    time.sleep(1.1)
    second = render_docx(ctx, tmp_path / "b.docx", TEMPLATES).read_bytes()
    third = NoticeRenderer(TEMPLATES).docx_bytes(ctx)
    assert first == second == third
    with zipfile.ZipFile(io.BytesIO(first)) as zf:
        assert {info.date_time for info in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert zf.namelist()[0] == "[Content_Types].xml"


def test_core_properties_are_fixed(renderer: NoticeRenderer) -> None:
    data = renderer.docx_bytes(make_ctx(2))
    with core_properties_namespace():  # docxtpl's docxcompose import rebinds python-docx's cp prefix
        props = open_docx(data).core_properties
        assert props.created == props.modified == datetime(2000, 1, 1, tzinfo=UTC)
        assert (props.last_modified_by, props.revision) == ("", 1)
        assert props.title == make_ctx()["title"]
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        core = zf.read("docProps/core.xml").decode("utf-8")
    assert "custom-properties" not in core and "<cp:revision>1</cp:revision>" in core


def test_same_document_xml_as_docxtpl_itself(renderer: NoticeRenderer) -> None:
    """The pre-compiled fast path must produce what DocxTemplate.render would."""
    ctx = make_ctx(20)
    tpl = DocxTemplate(str(TEMPLATES / "notice.docx"))
    tpl.render(ctx, autoescape=True)
    reference = io.BytesIO()
    tpl.save(reference)
    ours = zipfile.ZipFile(io.BytesIO(renderer.docx_bytes(ctx)))
    theirs = zipfile.ZipFile(reference)
    for name in ("word/document.xml", "word/footer1.xml", "word/styles.xml"):
        assert ours.read(name) == theirs.read(name), name


def test_page_setup_is_gbt_9704(renderer: NoticeRenderer) -> None:
    section = open_docx(renderer.docx_bytes(make_ctx(3))).sections[0]
    expected = {"page_width": 210, "page_height": 297, "top_margin": 37, "bottom_margin": 35,
                "left_margin": 28, "right_margin": 26}
    for attr, mm in expected.items():
        assert getattr(section, attr).mm == pytest.approx(mm, abs=0.1), attr
    footer = section.footer.paragraphs[0]
    assert footer.text == "— 1 —"  # em dashes around the PAGE field's cached result
    assert '<w:instrText xml:space="preserve"> PAGE </w:instrText>' in footer._p.xml
    assert footer.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_east_asian_fonts_are_declared_in_styles(renderer: NoticeRenderer) -> None:
    with zipfile.ZipFile(io.BytesIO(renderer.docx_bytes(make_ctx(3)))) as zf:
        styles = etree.fromstring(zf.read("word/styles.xml"))
        fonts = zf.read("word/fontTable.xml").decode("utf-8")

    def east_asia(style_id: str) -> str | None:
        rfonts = styles.find(f"{W}style[@{W}styleId='{style_id}']/{W}rPr/{W}rFonts")
        return None if rfonts is None else rfonts.get(f"{W}eastAsia")

    assert east_asia("Normal") == "仿宋_GB2312"
    assert east_asia("Title") == "方正小标宋简体"
    assert east_asia("TableGrid") == "仿宋_GB2312"
    assert east_asia("NoticeCell") == east_asia("NoticeCellSmall") == "仿宋_GB2312"
    default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert default.find(f"{W}rFonts").get(f"{W}eastAsia") == "仿宋_GB2312"
    assert default.find(f"{W}lang").get(f"{W}eastAsia") == "zh-CN"
    assert b"eastAsiaTheme" not in etree.tostring(default)
    assert "方正小标宋简体" in fonts and "ＭＳ 明朝" not in fonts  # no Japanese fallback font
    size = styles.find(f"{W}style[@{W}styleId='Title']/{W}rPr/{W}sz").get(f"{W}val")
    assert size == "44"  # 2号 = 22 pt


def test_characters_illegal_in_xml_are_dropped(renderer: NoticeRenderer) -> None:
    ctx = make_ctx(1)
    ctx["rows"][0]["name"] = "王\x0b芳\x00"
    assert table_rows(open_docx(renderer.docx_bytes(ctx)))[1][1] == "王芳"


def test_the_template_is_parsed_once_for_many_notices(renderer: NoticeRenderer,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 6: notices come from a template parsed once, not re-opened per notice (how fast
    that is, bench/ measures)."""
    renderer.docx_bytes(make_ctx(1))
    opened = []
    monkeypatch.setattr(notices_module, "DocxTemplate", lambda *a, **k: opened.append(a))
    for n in range(60):
        renderer.docx_bytes(make_ctx(1 + n % 30))
    assert opened == []


# --- HTML -------------------------------------------------------------------------


def test_html_escapes_and_is_self_contained(renderer: NoticeRenderer, tmp_path: Path) -> None:
    ctx = make_ctx(10)
    html = render_html(ctx, tmp_path / "notice.html", TEMPLATES).read_text(encoding="utf-8")
    assert "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>" in html
    assert "<script" not in html
    assert "R&amp;D &#34;小组&#34; &#39;x&#39;" in html
    assert "<td>=1+1</td>" in html
    assert '<html lang="zh-CN">' in html and '<meta charset="utf-8">' in html
    assert '<meta name="viewport"' in html
    assert "@page" in html and "size: A4; margin: 37mm 26mm 35mm 28mm;" in html
    assert '"FangSong", "仿宋", "STFangsong",' in html and '"Noto Serif CJK SC"' in html
    assert not any(s in html for s in ("http://", "https://", "<link", "src=", "@import"))
    assert f"<h1>{ctx['title']}</h1>" in html
    assert "公示时间：2026年11月23日至2026年11月26日（共3天）" in html
    assert "<td>★★★★★ 五星" in html or '<span class="stars">★★★★★ 五星</span>' in html


def test_html_is_byte_identical_when_rendered_again(tmp_path: Path) -> None:
    ctx = make_ctx(5)
    first = render_html(ctx, tmp_path / "a.html", TEMPLATES).read_bytes()
    time.sleep(1.1)
    assert render_html(ctx, tmp_path / "b.html", TEMPLATES).read_bytes() == first


def test_html_announcement_and_branch_level(renderer: NoticeRenderer) -> None:
    html = renderer.html_text(make_ctx(2, kind="通报", contact="", level="branch"))
    assert "公示时间" not in html and "<th class=\"name\">党支部</th>" in html


# --- templates a clerk got wrong ---------------------------------------------------


def test_unknown_field_in_word_template(tmp_path: Path) -> None:
    folder = template_copy(tmp_path, "{{ intro }}", "{{ foo }}")
    with pytest.raises(TemplateFieldError) as exc:
        NoticeRenderer(folder).docx_bytes(make_ctx(2))
    assert str(exc.value) == (
        f"{folder / 'notice.docx'}: 模板中的字段“foo”不存在；请改为可用的字段后重新运行（可用：addressee、branch、cc、contact、"
        "contact_person、contact_phone、doc_number、intro、issue_date、issuer、kind、level、objection_hours、"
        "objection_place、organ、period、period_words、print_date、print_organ、publicity_days、publicity_end、"
        "publicity_start、publicity_words、red_header、rows、title、unit）")


def test_unknown_row_field_in_word_template(tmp_path: Path) -> None:
    folder = template_copy(tmp_path, "{{ r.name }}", "{{ r.mobile }}")
    with pytest.raises(TemplateFieldError, match=r"notice\.docx: 模板中的字段“mobile”不存在"):
        NoticeRenderer(folder).docx_bytes(make_ctx(2))


def test_unknown_field_in_html_template(tmp_path: Path) -> None:
    folder = template_copy(tmp_path, "<p>{{ issuer }}</p>", "<p>{{ foo }}</p>", "notice.html")
    with pytest.raises(TemplateFieldError, match=r"notice\.html: 模板中的字段“foo”不存在；请改为可用的字段后重新运行（可用："):
        NoticeRenderer(folder).html_text(make_ctx(2))


def test_syntax_error_names_the_template(tmp_path: Path) -> None:
    folder = template_copy(tmp_path, "{{ intro }}", "{{ intro }")
    with pytest.raises(NoticeTemplateError) as exc:
        NoticeRenderer(folder).docx_bytes(make_ctx(2))
    assert str(exc.value) == (f"{folder / 'notice.docx'}: 模板语法错误：段落“{{{{ intro }}”中有不完整的标记"
                              "（如少了一个括号），请在 Word 中改正")


def test_jinja_syntax_error_names_the_template(tmp_path: Path) -> None:
    folder = template_copy(tmp_path, "{{ intro }}", "{{ intro | }}")
    with pytest.raises(NoticeTemplateError, match=r"notice\.docx: 模板语法错误（"):
        NoticeRenderer(folder).docx_bytes(make_ctx(2))


@pytest.mark.parametrize("tag", ["{{ intro.__class__.__mro__ }}", '{% include "/etc/passwd" %}'])
def test_word_template_is_sandboxed(tmp_path: Path, tag: str) -> None:
    folder = template_copy(tmp_path, "{{ intro }}", tag.replace('"', "&quot;"))
    with pytest.raises(NoticeTemplateError, match=r"notice\.docx: 模板(中有不允许的写法（SecurityError|不能引用其他文件（TemplateNotFound)"):
        NoticeRenderer(folder).docx_bytes(make_ctx(2))


def test_html_template_cannot_read_files(tmp_path: Path) -> None:
    folder = template_copy(tmp_path, "<p>{{ issuer }}</p>", '{% include "/etc/passwd" %}', "notice.html")
    with pytest.raises(NoticeTemplateError, match=r"notice\.html: 模板不能引用其他文件（TemplateNotFound"):
        NoticeRenderer(folder).html_text(make_ctx(2))


def test_build_script_makes_a_working_template(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("build_templates", TEMPLATES / "build_templates.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["build_templates.py", str(tmp_path)]) == 0
    shutil.copy(TEMPLATES / "notice.html", tmp_path / "notice.html")
    first = (tmp_path / "notice.docx").read_bytes()
    module.main(["build_templates.py", str(tmp_path)])
    assert (tmp_path / "notice.docx").read_bytes() == first  # reproducible build
    rows = table_rows(open_docx(NoticeRenderer(tmp_path).docx_bytes(make_ctx(4))))
    assert rows[1] == ["1", "张伟", "★★★★★ 五星"]


# --- 通报 with a red header (版头) --------------------------------------------------


def test_announcement_uses_its_own_template_with_an_optional_red_header(renderer: NoticeRenderer) -> None:
    plain = make_ctx(3, kind="通报", contact="", title="关于表彰五星级党员的通报")
    document = open_docx(renderer.docx_bytes(plain))
    assert body_text(document)[0] == "关于表彰五星级党员的通报"  # no 版头 unless asked for

    red = dict(plain, red_header=True, organ="中共第一机关党委", doc_number="一机党发〔2026〕8号")
    document = open_docx(renderer.docx_bytes(red))
    paragraphs = document.paragraphs
    assert [p.text for p in paragraphs[:4]] == ["中共第一机关党委", "一机党发〔2026〕8号", "", "关于表彰五星级党员的通报"]
    assert [p.style.name for p in paragraphs[:3]] == ["版头机关标志", "发文字号", "版头分隔线"]
    organ = paragraphs[0].style
    assert str(organ.font.color.rgb) == "FF0000" and organ.font.size.pt == 26
    assert organ.paragraph_format.space_before.mm == pytest.approx(35, abs=0.2)  # GB/T 9704: 35 mm
    rule = paragraphs[2].style.element.find(f"{W}pPr/{W}pBdr/{W}bottom")
    assert (rule.get(f"{W}val"), rule.get(f"{W}color")) == ("single", "FF0000")
    assert table_rows(document)[1] == ["1", "张伟", "★★★★★ 五星"]

    no_number = dict(red, doc_number="")
    assert [p.text for p in open_docx(renderer.docx_bytes(no_number)).paragraphs[:3]] == [
        "中共第一机关党委", "", "关于表彰五星级党员的通报"]
    organ_defaults_to_issuer = dict(plain, red_header=True)
    assert open_docx(renderer.docx_bytes(organ_defaults_to_issuer)).paragraphs[0].text == plain["issuer"]


def test_html_red_header(renderer: NoticeRenderer) -> None:
    ctx = make_ctx(2, kind="通报", contact="", red_header=True, organ="中共第一机关党委", doc_number="一机党发〔2026〕8号")
    html = renderer.html_text(ctx)
    assert '<p class="organ">中共第一机关党委</p>' in html and '<p class="docno">一机党发〔2026〕8号</p>' in html
    assert 'class="masthead"' not in renderer.html_text(make_ctx(2))


def test_template_named_by_the_context(tmp_path: Path) -> None:
    folder = template_copy(tmp_path, "{{ intro }}", "{{ intro }}（本单位版）")
    (folder / "notice.docx").rename(folder / "mine.docx")
    shutil.copy(TEMPLATES / "notice.docx", folder / "notice.docx")
    renderer = NoticeRenderer(folder)
    assert "（本单位版）" in body_text(open_docx(renderer.docx_bytes(make_ctx(2, template="mine"))))[1]
    assert "（本单位版）" not in body_text(open_docx(renderer.docx_bytes(make_ctx(2))))[1]
    # a 通报 where the folder has no announcement.docx: the notice template serves
    assert body_text(open_docx(renderer.docx_bytes(make_ctx(2, kind="通报"))))[0] == make_ctx()["title"]
    with pytest.raises(NoticeTemplateError, match=r"nosuch\.docx: 找不到模板文件"):
        renderer.docx_bytes(make_ctx(2, template="nosuch"))


def test_build_script_makes_the_announcement_template(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("build_templates", TEMPLATES / "build_templates.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(["build_templates.py", str(tmp_path)])
    assert (tmp_path / "announcement.docx").read_bytes() == (TEMPLATES / "announcement.docx").read_bytes()
    assert (tmp_path / "notice.docx").read_bytes() == (TEMPLATES / "notice.docx").read_bytes()


def test_an_edited_html_template_is_used_at_once(tmp_path: Path) -> None:
    """Compiled templates are cached between runs (Jinja's bytecode cache): a clerk's edit to a
    template must show in the next notice, not a stale compiled copy."""
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    assert "请以此为准" not in NoticeRenderer(folder).html_text(make_ctx(2))
    page = folder / "notice.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", "<p>请以此为准</p></body>"), encoding="utf-8")
    assert "请以此为准" in NoticeRenderer(folder).html_text(make_ctx(2))
