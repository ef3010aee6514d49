"""Excel import and export of the enterprise ledger (生产经营单位台账).

The export writes the same columns the import reads, so an exported file can be corrected
and imported into another installation.
"""

from collections.abc import Iterator
from typing import Any

from django.utils import translation

from anlan.core.excel import Column, ImportFailed, RowError, read_rows
from anlan.registry.enums import IndustrySection, Scale
from anlan.registry.forms import EnterpriseForm
from anlan.registry.models import SupervisionCategory

COLUMNS = [
    Column("name", "企业名称", required=True),
    Column("uscc", "统一社会信用代码", required=True),
    Column("address", "地址", required=True),
    Column("region", "所在乡镇或村社区代码", required=True),
    Column("longitude", "经度"),
    Column("latitude", "纬度"),
    Column("industry", "行业门类", required=True),
    Column("category", "监管类别", required=True),
    Column("scale", "规模", required=True),
    Column("employees", "从业人员数", required=True),
    Column("is_key", "重点监管"),
    Column("legal_representative", "法定代表人", required=True),
    Column("legal_representative_phone", "法定代表人电话"),
    Column("safety_manager", "安全管理负责人", required=True),
    Column("safety_manager_phone", "安全管理负责人电话", required=True),
]
HEADER_OF = {c.field: c.header for c in COLUMNS}
EXPORT_HEADERS = [*(c.header for c in COLUMNS), "所在地", "状态"]

_TRUE = {"是", "y", "yes", "true", "1", "重点"}
_FALSE = {"否", "n", "no", "false", "0", ""}


def _zh_labels(choices) -> dict[str, str]:
    with translation.override("zh-hans"):
        return {str(label): value for value, label in choices}


def _normalise(record: dict[str, str], categories: dict[str, str]) -> dict[str, Any]:
    """Turn the words people type in a sheet into the values the form expects."""
    data: dict[str, Any] = dict(record)
    industry = record.get("industry", "").strip()
    if industry[:1].upper() in IndustrySection.values:
        data["industry"] = industry[:1].upper()
    category = record.get("category", "").strip()
    data["category"] = categories.get(category, category)
    scale = record.get("scale", "").strip()
    data["scale"] = _zh_labels(Scale.choices).get(scale, scale)
    key = record.get("is_key", "").strip().lower()
    if key in _TRUE:
        data["is_key"] = "on"
    elif key in _FALSE:
        data.pop("is_key", None)
    else:
        data["is_key"] = "invalid"
    return data


def validate_rows(rows: list[tuple[int, dict[str, str]]], *, user) -> list[EnterpriseForm]:
    """Validate every row; raise ImportFailed with every error found, or return the forms."""
    categories = {}
    for code, name in SupervisionCategory.objects.values_list("code", "name"):
        categories[name] = code
    errors: list[RowError] = []
    forms: list[EnterpriseForm] = []
    seen_uscc: dict[str, int] = {}
    for number, record in rows:
        data = _normalise(record, categories)
        if data.get("is_key") == "invalid":
            errors.append(RowError(number, HEADER_OF["is_key"], "请填写“是”或“否”"))
            data.pop("is_key")
        form = EnterpriseForm(data=data, user=user)
        if form.is_valid():
            forms.append(form)
            code = form.cleaned_data["uscc"]
            if code in seen_uscc:
                errors.append(
                    RowError(
                        number,
                        HEADER_OF["uscc"],
                        f"与第 {seen_uscc[code]} 行的统一社会信用代码重复",
                    )
                )
            else:
                seen_uscc[code] = number
            continue
        for field, messages in form.errors.items():
            header = HEADER_OF.get(field, "")
            for message in messages:
                errors.append(RowError(number, header, str(message)))
    if errors:
        raise ImportFailed(errors)
    return forms


def parse_and_validate(upload, *, user) -> list[EnterpriseForm]:
    return validate_rows(read_rows(upload, COLUMNS), user=user)


def export_rows(queryset) -> Iterator[list[Any]]:
    industry = dict(IndustrySection.choices)
    scale = dict(Scale.choices)
    for e in queryset.select_related("category", "region").iterator(chunk_size=1000):
        yield [
            e.name,
            e.uscc,
            e.address,
            e.region_id,
            e.longitude,
            e.latitude,
            str(industry.get(e.industry, e.industry)),
            e.category.name,
            str(scale.get(e.scale, e.scale)),
            e.employees,
            "是" if e.is_key else "否",
            e.legal_representative,
            e.legal_representative_phone,
            e.safety_manager,
            e.safety_manager_phone,
            e.region.name,
            "已归档" if e.is_archived else "在册",
        ]


def template_rows() -> list[list[Any]]:
    """One example row for the downloadable template."""
    return [
        [
            "清河县示例化工有限公司",
            "91350100M000100Y43",
            "青石镇工业园区 8 号",
            "990102001001",
            117.512345,
            29.612345,
            "C",
            "危险化学品",
            "小型",
            45,
            "是",
            "张三",
            "13800000000",
            "李四",
            "13900000000",
        ]
    ]


__all__ = ["COLUMNS", "ImportFailed", "export_rows", "parse_and_validate", "validate_rows"]
