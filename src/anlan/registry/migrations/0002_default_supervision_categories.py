"""Load the default supervision categories (registry/categories.py, copied here so the
migration never changes when the module does)."""

from django.db import migrations

CATEGORIES = [
    ("hazardous_chemicals", "危险化学品"),
    ("non_coal_mines", "非煤矿山"),
    ("construction", "建筑施工"),
    ("transport", "交通运输"),
    ("industry_trade", "工贸"),
    ("fireworks", "烟花爆竹"),
    ("gas", "燃气"),
    ("crowded_places", "人员密集场所"),
    ("special_equipment", "特种设备"),
    ("schools", "学校"),
    ("medical", "医疗机构"),
    ("tourism", "文化旅游场所"),
    ("agriculture", "农业生产"),
    ("water_works", "水利工程"),
    ("forestry", "林业"),
    ("civil_explosives", "民用爆炸物品"),
]


def load(apps, schema_editor):
    Category = apps.get_model("registry", "SupervisionCategory")
    for order, (code, name) in enumerate(CATEGORIES):
        Category.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
