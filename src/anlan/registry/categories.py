"""Default supervision categories (data, loaded by migration 0002; editable in admin).

Each entry: code, Chinese name, the GB/T 4754 sections typical for it.
"""

DEFAULT_CATEGORIES: list[tuple[str, str, str]] = [
    ("hazardous_chemicals", "危险化学品", "CF"),
    ("non_coal_mines", "非煤矿山", "B"),
    ("construction", "建筑施工", "E"),
    ("transport", "交通运输", "G"),
    ("industry_trade", "工贸", "C"),
    ("fireworks", "烟花爆竹", "CF"),
    ("gas", "燃气", "D"),
    ("crowded_places", "人员密集场所", "FHR"),
    ("special_equipment", "特种设备", "C"),
    ("schools", "学校", "P"),
    ("medical", "医疗机构", "Q"),
    ("tourism", "文化旅游场所", "R"),
    ("agriculture", "农业生产", "A"),
    ("water_works", "水利工程", "N"),
    ("forestry", "林业", "A"),
    ("civil_explosives", "民用爆炸物品", "C"),
]
