"""Default hazard categories and the major-hazard criteria shown when grading.

The criteria rows name the judging standard per industry; the standards' full clause lists
can be loaded as further rows (admin) where a county has them at hand (DOMAIN.md §2).
"""

from django.db import migrations

CATEGORIES = [
    ("equipment", "设备设施"),
    ("environment", "作业环境"),
    ("management", "安全管理"),
    ("behaviour", "人员违章"),
    ("fire", "消防安全"),
    ("electrical", "用电安全"),
    ("dangerous_goods", "危险物品"),
    ("special_equipment", "特种设备"),
    ("construction_site", "施工现场"),
    ("traffic", "道路交通"),
    ("building", "房屋结构"),
    ("geological", "地质灾害"),
    ("other", "其他"),
]
GENERAL = (
    None,
    "危害和整改难度较大，应当全部或者局部停产停业，并经过一定时间整改治理方能排除的隐患，"
    "或者因外部因素影响致使生产经营单位自身难以排除的隐患，为重大事故隐患。",
    "安全生产事故隐患排查治理暂行规定（原国家安监总局令第16号）第三条",
)
BY_INDUSTRY = [
    ("industry_trade", "按《工贸企业重大事故隐患判定标准》判定（共 64 种情形）。", "应急管理部令第10号，2023年5月15日起施行"),
    ("gas", "按《城镇燃气经营安全重大隐患判定标准》判定。", "住房和城乡建设部，2023"),
    ("civil_explosives", "按《民用爆炸物品生产、销售企业安全生产重大事故隐患判定标准》判定。", "工业和信息化部，2023"),
    ("hazardous_chemicals", "按《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》判定。", "原国家安监总局，2017"),
    ("fireworks", "按《烟花爆竹生产经营单位重大生产安全事故隐患判定标准（试行）》判定。", "原国家安监总局，2017"),
    ("non_coal_mines", "按《金属非金属矿山重大事故隐患判定标准》判定。", "国家矿山安全监察局"),
    ("construction", "按《房屋市政工程生产安全重大事故隐患判定标准》判定。", "住房和城乡建设部，2022"),
    ("crowded_places", "按《重大火灾隐患判定方法》（GB 35181）判定。", "国家标准"),
]


def load(apps, schema_editor):
    Category = apps.get_model("hazards", "HazardCategory")
    Criterion = apps.get_model("hazards", "MajorHazardCriterion")
    for order, (code, name) in enumerate(CATEGORIES):
        Category.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    if not Criterion.objects.exists():
        Criterion.objects.create(category_id=GENERAL[0], text=GENERAL[1], source=GENERAL[2], sort_order=0)
        for order, (category, text, source) in enumerate(BY_INDUSTRY, start=1):
            Criterion.objects.create(category_id=category, text=text, source=source, sort_order=order)


class Migration(migrations.Migration):
    dependencies = [("hazards", "0001_initial"), ("registry", "0002_default_supervision_categories")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
