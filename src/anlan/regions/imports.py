"""Import administrative divisions from CSV: columns ``code,name`` (区划代码,名称).

The level and the parent follow from the code (regions/rules.py). All or nothing: every
row is checked, and the file is written in one transaction only when no row fails.
Existing codes get their name updated (with history); new codes are created.
"""

import csv
import io
from dataclasses import dataclass

from django.db import transaction

from anlan.core.excel import ImportFailed, RowError
from anlan.regions.models import Region
from anlan.regions.rules import level_of, parent_code

HEADERS = {"code": "code", "区划代码": "code", "name": "name", "名称": "name"}


@dataclass
class RegionImportResult:
    created: int
    updated: int


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFailed([RowError(0, "", "文件编码无法识别，请保存为 UTF-8 或 GBK 编码的 CSV。")])


def import_regions(raw: bytes) -> RegionImportResult:
    reader = csv.reader(io.StringIO(_decode(raw)))
    header = [HEADERS.get(h.strip(), h.strip()) for h in next(reader, [])]
    if "code" not in header or "name" not in header:
        raise ImportFailed([RowError(1, "", "缺少列：区划代码(code)、名称(name)")])
    code_at, name_at = header.index("code"), header.index("name")
    rows: dict[str, tuple[int, str]] = {}
    errors: list[RowError] = []
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        code = values[code_at].strip() if code_at < len(values) else ""
        name = values[name_at].strip() if name_at < len(values) else ""
        if level_of(code) is None:
            errors.append(
                RowError(number, "区划代码", f"“{code}”不是 2、4、6、9、12 或 15 位数字代码")
            )
            continue
        if not name:
            errors.append(RowError(number, "名称", "此项为必填项。"))
            continue
        if len(name) > 100:
            errors.append(RowError(number, "名称", "名称不能超过 100 个字符"))
            continue
        if code in rows:
            errors.append(RowError(number, "区划代码", f"与第 {rows[code][0]} 行重复"))
            continue
        rows[code] = (number, name)
    existing = set(
        Region.objects.filter(
            code__in=[parent_code(c) for c in rows if parent_code(c)]
        ).values_list("code", flat=True)
    )
    for code, (number, _name) in rows.items():
        parent = parent_code(code)
        if parent and parent not in rows and parent not in existing:
            errors.append(RowError(number, "区划代码", f"上级区划 {parent} 不存在"))
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: e.row))
    return _write(rows)


@transaction.atomic
def _write(rows: dict[str, tuple[int, str]]) -> RegionImportResult:
    current = Region.objects.in_bulk(list(rows))
    created = updated = 0
    # Parents before children: shorter codes first.
    for code in sorted(rows, key=lambda c: (len(c), c)):
        name = rows[code][1]
        region = current.get(code)
        if region is None:
            Region.objects.create(
                code=code, name=name, level=level_of(code).value, parent_id=parent_code(code)
            )
            created += 1
        elif region.name != name:
            region.name = name
            region.save(update_fields=["name"])
            updated += 1
    return RegionImportResult(created=created, updated=updated)
