"""core.excel: every export opens in Excel or WPS ready to read, and the import templates
mark their required columns with a * as the user guide says."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from anlan.core.excel import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    MAX_WIDTH,
    Column,
    read_rows,
    stream_workbook,
    write_workbook,
)

UTC = datetime.UTC
LONG = "立即停止进料，开启紧急冷却，疏散人员并报告值班领导；" * 4


def rows():
    yield [
        "青石化工有限公司清河县第一分厂危险化学品仓库",
        datetime.date(2026, 12, 1),
        datetime.datetime(2026, 12, 1, 23, 30, tzinfo=UTC),
        LONG,
        3,
    ]
    for n in range(300):  # more rows than the width sample
        yield ["短", None, None, "", n]


@override_settings(TIME_ZONE="Asia/Shanghai")
def test_stream_export_is_laid_out_for_reading():
    path = stream_workbook("台账", ["单位名称", "日期", "发现时间", "描述", "序号"], rows())
    try:
        sheet = load_workbook(path).active
    finally:
        Path(path).unlink()
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E302"
    assert sheet["A1"].font.b
    date_cell, when_cell, text_cell = sheet["B2"], sheet["C2"], sheet["D2"]
    assert date_cell.number_format == DATE_FORMAT
    assert date_cell.value == datetime.datetime(2026, 12, 1)
    # 23:30 UTC is 07:30 the next morning in the county: Excel shows local wall-clock time.
    assert when_cell.number_format == DATETIME_FORMAT
    assert when_cell.value == datetime.datetime(2026, 12, 2, 7, 30)
    assert text_cell.alignment.wrap_text
    assert not sheet["A3"].alignment.wrap_text
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABDE"}
    assert widths["A"] > 40  # 22 CJK characters count double
    assert widths["D"] == MAX_WIDTH  # long text is capped and wrapped, not one huge column
    assert widths["E"] < widths["A"]


def test_write_workbook_has_the_same_layout():
    content = write_workbook("值班表", ["日期", "值班员"], [[datetime.date(2026, 12, 1), "张三"]])
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:B2"
    assert sheet["A2"].number_format == DATE_FORMAT


def test_an_empty_export_still_has_its_header_and_filter():
    sheet = load_workbook(io.BytesIO(write_workbook("空", ["名称", "地址"], []))).active
    assert [c.value for c in sheet[1]] == ["名称", "地址"]
    assert sheet.auto_filter.ref == "A1:B1"


def test_required_columns_are_marked_and_the_mark_is_ignored_on_import():
    columns = [Column("name", "企业名称", required=True), Column("phone", "电话")]
    content = write_workbook(
        "模板", [c.header for c in columns], [["青石化工", "0571"]], required=["企业名称"]
    )
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[1]] == ["*企业名称", "电话"]
    assert sheet["A1"].font.color.rgb == "FFC00000"
    upload = SimpleUploadedFile("t.xlsx", content)
    assert read_rows(upload, columns) == [(2, {"name": "青石化工", "phone": "0571"})]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "marked", "plain"),
    [
        ("registry:import_template", "*企业名称", "经度"),
        ("risks:import_template", "*风险分析对象", "评价方法"),
    ],
)
def test_import_templates_mark_required_columns(client_for, url, marked, plain):
    response = client_for("county").get(reverse(url))
    if response.status_code == 403:
        response = client_for("ent-a").get(reverse(url))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [c.value for c in sheet[1]]
    assert marked in headers
    assert plain in headers
    assert sheet.freeze_panes == "A2"
