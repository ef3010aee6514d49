"""Helpers to write and read workbooks in tests."""

import io

from openpyxl import Workbook, load_workbook

from anlan.registry.imports import COLUMNS


def workbook_bytes(rows: list[dict], headers: list[str] | None = None) -> bytes:
    headers = headers or [c.header for c in COLUMNS]
    by_header = {c.header: c.field for c in COLUMNS}
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append([row.get(by_header.get(h, h), "") for h in headers])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def read_workbook(content: bytes) -> list[list]:
    wb = load_workbook(io.BytesIO(content), read_only=True)
    return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]


def good_row(uscc: str, name: str, region: str = "990102002001", **extra) -> dict:
    row = {
        "name": name,
        "uscc": uscc,
        "address": "青石镇工业园 1 号",
        "region": region,
        "longitude": 117.5,
        "latitude": 29.6,
        "industry": "C 制造业",
        "category": "工贸",
        "scale": "小型",
        "employees": 30,
        "is_key": "否",
        "legal_representative": "王强",
        "legal_representative_phone": "13800000001",
        "safety_manager": "李静",
        "safety_manager_phone": "13900000002",
    }
    row.update(extra)
    return row
