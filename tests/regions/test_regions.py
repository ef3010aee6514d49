import pytest

from anlan.core.excel import ImportFailed
from anlan.regions.imports import import_regions
from anlan.regions.models import Region
from anlan.regions.rules import Level, level_of, parent_code


@pytest.mark.parametrize(
    ("code", "level", "parent"),
    [
        ("99", Level.PROVINCE, None),
        ("9901", Level.CITY, "99"),
        ("990102", Level.COUNTY, "9901"),
        ("990102001", Level.TOWN, "990102"),
        ("990102001001", Level.VILLAGE, "990102001"),
        ("990102001001002", Level.GRID, "990102001001"),
        ("99010", None, None),
        ("99a102", None, None),
        ("", None, None),
        ("９９", None, None),  # full-width digits are no code
    ],
)
def test_levels_and_parents(code, level, parent):
    assert level_of(code) == level
    assert parent_code(code) == parent


def test_subtree_is_a_prefix_match(db):
    town = Region.objects.get(code="990102002")
    subtree = Region.objects.subtree(town.code)
    assert subtree.filter(level=Level.VILLAGE).count() == 2
    assert all(r.code.startswith("990102002") for r in subtree)
    assert [r.name for r in Region.objects.get(code="990102002001").path()][-2] == "青石镇"


def test_csv_import_creates_and_renames(db):
    data = "区划代码,名称\n990102004,新建镇\n990102004001,新村\n990102001,城关镇(新)\n".encode()
    result = import_regions(data)
    assert (result.created, result.updated) == (2, 1)
    village = Region.objects.get(code="990102004001")
    assert village.level == "village" and village.parent_id == "990102004"
    assert Region.objects.get(code="990102001").name == "城关镇(新)"


def test_csv_import_is_all_or_nothing(db):
    data = "code,name\n990102005,好镇\n99010200,坏代码\n990102777001,孤村\n990102005,重复\n"
    with pytest.raises(ImportFailed) as failure:
        import_regions(data.encode("gb18030"))
    messages = [str(e) for e in failure.value.errors]
    assert any("第 3 行" in m and "位数字代码" in m for m in messages)
    assert any("第 4 行" in m and "上级区划 990102777 不存在" in m for m in messages)
    assert any("第 5 行" in m and "与第 2 行重复" in m for m in messages)
    assert not Region.objects.filter(code="990102005").exists()
