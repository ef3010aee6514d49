"""core.documents.TableDocument: the one builder of official PDFs, in Chinese."""

import pypdfium2

from anlan.core.documents import TableDocument, render_pdf


def pdf_text(content: bytes) -> str:
    return "".join(page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(content))


def test_every_part_renders_in_chinese():
    doc = TableDocument("测试通知书", landscape=True, font_size=10, leading=14)
    doc.heading()
    doc.number("清安〔2026〕7号")
    doc.paragraphs([("隐患描述：", "配电箱<未接地> & 无标识"), ("", "正文第二段")])
    doc.key_values(
        [("单位", "青石化工"), ("电话", doc.paragraph("<b>0571-1234567</b>"))], label_width=30
    )
    doc.table(["日期", "值班员"], [["12-01", "张三"], ["12-02", "李四"]], widths=[30, 40])
    doc.row(["左边", "右边"], widths=[40, None])
    doc.signature(["清河县应急管理局", "2026年12月2日"])
    doc.footer(["制表：王五"])
    pdf = doc.build()
    text = pdf_text(pdf)
    for part in ("测试通知书", "清安〔2026〕7号", "隐患描述：配电箱<未接地> & 无标识", "青石化工",
                 "0571-1234567", "值班员", "李四", "右边", "清河县应急管理局", "制表：王五"):  # fmt: skip
        assert part in text.replace("\r\n", "").replace("\n", ""), part
    page = pypdfium2.PdfDocument(pdf)[0]
    assert page.get_width() > page.get_height()  # landscape


def test_a_notice_keeps_its_one_page_form():
    pdf = render_pdf("隐患整改通知书", "第1号", [("依据：", "安全生产法")], ["某某镇人民政府"])
    assert len(pypdfium2.PdfDocument(pdf)) == 1
    assert "依据：安全生产法" in pdf_text(pdf)
