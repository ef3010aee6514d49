"""A fictional county for the demo and the tests: 清河县, 安澜市, 演示省 (codes 99…).

``build_world()`` makes regions, organisations, enterprises and the persona accounts.
The tests build the same world at a small size, so the personas they use are exactly
the accounts the demo prints.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from anlan.accounts.models import Organisation, OrganisationKind, User
from anlan.accounts.roles import Role
from anlan.demo.geography import BOUNDARIES, SPREAD, TOWN_CENTRES
from anlan.demo.registers import section_of
from anlan.regions.boundaries import read_boundaries
from anlan.regions.models import Region
from anlan.regions.rules import Level
from anlan.registry.categories import DEFAULT_CATEGORIES
from anlan.registry.enums import Scale
from anlan.registry.models import Enterprise, SupervisionCategory
from anlan.registry.rules import USCC_ALPHABET, uscc_check_char

PROVINCE = ("99", "演示省")
CITY = ("9901", "安澜市")
COUNTY = ("990102", "清河县")
TOWNS = [
    "城关镇", "青石镇", "白沙镇", "柳塘镇", "龙泉乡", "桃源镇",
    "石门乡", "杉木镇", "凤凰街道", "河东街道", "云岭乡", "平湖镇",
]  # fmt: skip
TOWN_A, TOWN_B = 1, 2  # 青石镇, 白沙镇

DEPARTMENTS: list[tuple[str, list[str]]] = [
    ("清河县交通运输局", ["transport"]),
    ("清河县住房和城乡建设局", ["construction", "gas"]),
    ("清河县市场监督管理局", ["special_equipment"]),
    ("清河县林业局", ["forestry"]),
    ("清河县教育局", ["schools"]),
    ("清河县卫生健康委员会", ["medical"]),
    ("清河县公安局", ["civil_explosives"]),
    ("清河县消防救援大队", ["crowded_places"]),
    ("清河县农业农村局", ["agriculture"]),
    ("清河县文化广电旅游局", ["tourism"]),
    ("清河县水利局", ["water_works"]),
]
CATEGORY_WEIGHTS = {
    "industry_trade": 30, "crowded_places": 18, "construction": 10, "transport": 8,
    "hazardous_chemicals": 6, "special_equipment": 5, "agriculture": 5, "schools": 4,
    "medical": 3, "tourism": 3, "gas": 2, "non_coal_mines": 2, "fireworks": 1,
    "forestry": 1, "water_works": 1, "civil_explosives": 0.5,
}  # fmt: skip
NAME_PARTS = {
    "hazardous_chemicals": ["化工有限公司", "化学品经营部", "精细化工有限公司"],
    "non_coal_mines": ["石料有限公司", "矿业有限公司", "采石场"],
    "construction": ["建筑工程有限公司", "建设有限公司", "市政工程有限公司"],
    "transport": ["运输有限公司", "物流有限公司", "客运有限公司", "仓储有限公司"],
    "industry_trade": [
        "机械制造有限公司",
        "纺织有限公司",
        "木业有限公司",
        "食品有限公司",
        "五金厂",
        "金属制品有限公司",
        "家具有限公司",
    ],
    "fireworks": ["烟花爆竹经营部", "烟花爆竹批发有限公司"],
    "gas": ["燃气有限公司", "液化气站"],
    "crowded_places": ["商贸城", "大酒店", "超市", "KTV", "农贸市场", "酒楼"],
    "special_equipment": ["电梯工程有限公司", "锅炉有限公司", "起重设备有限公司"],
    "schools": ["中心小学", "中学", "幼儿园"],
    "medical": ["卫生院", "医院", "诊所"],
    "tourism": ["景区", "文化旅游有限公司", "民宿"],
    "agriculture": ["农业开发有限公司", "养殖专业合作社", "农机专业合作社"],
    "water_works": ["水库管理所", "水务有限公司"],
    "forestry": ["林场", "林业开发有限公司"],
    "civil_explosives": ["民爆器材有限公司"],
}
BRANDS = list("宏达鑫盛恒泰华兴永安瑞丰金源和顺康宁福隆天成正大长青广源")
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红")
VILLAGE_A = ["东", "西", "南", "北", "上", "下", "新", "大", "小", "高", "长", "中", "前"]
VILLAGE_B = ["庄村", "湾村", "岭村", "坪村", "桥村", "塘村", "溪村", "田村", "山村", "家村"]
INDUSTRY_OF = {code: sections for code, _name, sections in DEFAULT_CATEGORIES}


@dataclass(frozen=True)
class Persona:
    username: str
    full_name: str
    role: Role
    description: str


PERSONAS = [
    Persona("demo-county", "应急局值班员", Role.BUREAU_STAFF, "清河县应急管理局"),
    Persona("demo-leader", "县分管领导", Role.COUNTY_LEADER, "清河县人民政府"),
    Persona("demo-town-a", "青石镇安监员", Role.TOWN_STAFF, "青石镇人民政府"),
    Persona("demo-town-b", "白沙镇安监员", Role.TOWN_STAFF, "白沙镇人民政府"),
    Persona("demo-dept-transport", "交通局安全股", Role.DEPARTMENT_STAFF, "清河县交通运输局"),
    Persona("demo-grid-a", "青石镇网格员", Role.GRID_WORKER, "青石镇的一个村"),
    Persona("demo-ent-a", "企业安全员甲", Role.ENTERPRISE_MANAGER, "青石镇的一家企业"),
    Persona("demo-ent-b", "企业安全员乙", Role.ENTERPRISE_MANAGER, "白沙镇的一家企业"),
    Persona("demo-worker-a", "岗位员工甲", Role.ENTERPRISE_STAFF, "青石镇那家企业的岗位员工"),
    Persona("demo-expert", "安全专家", Role.EXPERT, "清河县应急管理局专家库"),
    Persona("demo-city", "市应急局督查员", Role.BUREAU_STAFF, "安澜市应急管理局"),
    Persona("demo-admin", "系统管理员", Role.ADMIN, "平台管理员"),
]


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"


def _uscc(rng: random.Random, taken: set[str]) -> str:
    while True:
        body = "91" + COUNTY[0] + "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
        code = body + uscc_check_char(body)
        if code not in taken:
            taken.add(code)
            return code


def _between(rng: random.Random, low: Decimal, high: Decimal) -> Decimal:
    return (low + (high - low) * Decimal(rng.random())).quantize(Decimal("0.000001"))


def _regions(towns: int, villages_per_town: int, rng: random.Random) -> dict:
    rows = [
        Region(code=PROVINCE[0], name=PROVINCE[1], level=Level.PROVINCE),
        Region(code=CITY[0], name=CITY[1], level=Level.CITY, parent_id=PROVINCE[0]),
        Region(code=COUNTY[0], name=COUNTY[1], level=Level.COUNTY, parent_id=CITY[0]),
    ]
    # The towns' outlines come from the shipped file, read as `anlan load_boundaries` reads one.
    outlines = read_boundaries(BOUNDARIES.read_bytes())
    villages: dict[str, list[str]] = {}
    for t, town_name in enumerate(TOWNS[:towns]):
        town_code = f"{COUNTY[0]}{t + 1:03d}"
        rows.append(
            Region(
                code=town_code,
                name=town_name,
                level=Level.TOWN,
                parent_id=COUNTY[0],
                boundary=outlines[town_code],
            )
        )
        street = town_name.endswith("街道")
        names = [
            a + (b.replace("村", "社区") if street else b) for a in VILLAGE_A for b in VILLAGE_B
        ]
        rng.shuffle(names)
        villages[town_code] = []
        for v in range(villages_per_town):
            code = f"{town_code}{v + 1:03d}"
            rows.append(Region(code=code, name=names[v], level=Level.VILLAGE, parent_id=town_code))
            villages[town_code].append(code)
            for g in range(1, 3):
                rows.append(
                    Region(
                        code=f"{code}{g:03d}",
                        name=f"{names[v]}第{g}网格",
                        level=Level.GRID,
                        parent_id=code,
                    )
                )
    bulk_create_with_history(rows, Region, batch_size=500, default_change_reason="演示数据生成")
    return villages


def _organisations(villages: dict[str, list[str]]) -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}

    def make(name: str, kind: str, region: str) -> Organisation:
        org = Organisation.objects.create(name=name, kind=kind, region_id=region)
        orgs[name] = org
        return org

    make("安澜市人民政府", OrganisationKind.GOVERNMENT, CITY[0])
    make("安澜市应急管理局", OrganisationKind.EMERGENCY_BUREAU, CITY[0])
    make("中共清河县委员会", OrganisationKind.PARTY_COMMITTEE, COUNTY[0])
    make("清河县人民政府", OrganisationKind.GOVERNMENT, COUNTY[0])
    make("清河县应急管理局", OrganisationKind.EMERGENCY_BUREAU, COUNTY[0])
    for name, categories in DEPARTMENTS:
        make(name, OrganisationKind.DEPARTMENT, COUNTY[0]).supervised_categories.set(categories)
    region_names = dict(
        Region.objects.filter(level__in=[Level.TOWN, Level.VILLAGE]).values_list("code", "name")
    )
    for town_code, village_codes in villages.items():
        suffix = "办事处" if region_names[town_code].endswith("街道") else "人民政府"
        make(region_names[town_code] + suffix, OrganisationKind.TOWN, town_code)
        for code in village_codes[:1]:
            label = "居民委员会" if region_names[code].endswith("社区") else "村民委员会"
            make(
                region_names[town_code] + region_names[code] + label, OrganisationKind.VILLAGE, code
            )
    return orgs


def _enterprises(
    count: int, villages: dict[str, list[str]], rng: random.Random
) -> list[Enterprise]:
    # Each town's enterprises lie around its centre, inside its outline (demo/geography.py).
    centres = {f"{COUNTY[0]}{t + 1:03d}": centre for t, centre in enumerate(TOWN_CENTRES)}
    categories = list(CATEGORY_WEIGHTS)
    weights = [CATEGORY_WEIGHTS[c] for c in categories]
    names = dict(Region.objects.filter(level=Level.VILLAGE).values_list("code", "name"))
    taken: set[str] = set()
    used_names: set[str] = set()
    town_codes = list(villages)
    rows = []
    for i in range(count):
        # Every town gets enterprises; the first village of each town (where the grid
        # worker's committee sits) gets a fair share.
        town = town_codes[i % len(town_codes)]
        village = villages[town][0] if i % 5 == 0 else rng.choice(villages[town])
        # The first rounds give every town one enterprise of every category, so each
        # department has something to supervise everywhere; the rest follow the weights.
        rounds = len(categories) * len(town_codes)
        category = (
            categories[(i // len(town_codes)) % len(categories)]
            if i < rounds
            else rng.choices(categories, weights)[0]
        )
        while True:
            name = f"清河县{''.join(rng.sample(BRANDS, 2))}{rng.choice(NAME_PARTS[category])}"
            if name not in used_names:
                used_names.add(name)
                break
        lon, lat = centres[town]
        section = rng.choice(INDUSTRY_OF[category])
        employees = int(rng.lognormvariate(3.2, 1.0)) + 3
        scale = (
            Scale.LARGE
            if employees >= 1000
            else Scale.MEDIUM
            if employees >= 300
            else Scale.SMALL
            if employees >= 20
            else Scale.MICRO
        )
        rows.append(
            Enterprise(
                uscc=_uscc(rng, taken),
                name=name,
                address=f"{names[village]}{rng.randrange(1, 300)}号",
                region_id=village,
                longitude=lon + _between(rng, -SPREAD, SPREAD),
                latitude=lat + _between(rng, -SPREAD, SPREAD),
                industry=section_of(name) or section,
                category_id=category,
                scale=scale,
                employees=employees,
                is_key=category in {"hazardous_chemicals", "non_coal_mines", "fireworks", "gas"}
                or rng.random() < 0.08,
                legal_representative=_person(rng),
                legal_representative_phone=_mobile(rng),
                safety_manager=_person(rng),
                safety_manager_phone=_mobile(rng),
            )
        )
    return bulk_create_with_history(
        rows, Enterprise, batch_size=500, default_change_reason="演示数据生成"
    )


def _ensure_categories() -> None:
    for order, (code, name, _sections) in enumerate(DEFAULT_CATEGORIES):
        SupervisionCategory.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": order}
        )


@transaction.atomic
def build_world(
    *,
    towns: int = 12,
    villages_per_town: int = 13,
    enterprises: int = 2000,
    hazards: int = 0,
    risk_registers: int = 0,
    incidents: bool = False,
    duty: bool = False,
    password: str,
    seed: int = 20261122,
) -> dict[str, User]:
    """Build the demo county into an empty database; returns the persona accounts."""
    if Region.objects.filter(code=COUNTY[0]).exists():
        raise ValueError("the demo county already exists in this database")
    if towns < 3:
        raise ValueError("the demo needs at least three towns")
    rng = random.Random(seed)
    _ensure_categories()
    villages = _regions(towns, villages_per_town, rng)
    orgs = _organisations(villages)
    _enterprises(enterprises, villages, rng)

    town_a = f"{COUNTY[0]}{TOWN_A + 1:03d}"
    town_b = f"{COUNTY[0]}{TOWN_B + 1:03d}"
    ent_a = Enterprise.objects.filter(region__code__startswith=town_a).order_by("pk").first()
    ent_b = Enterprise.objects.filter(region__code__startswith=town_b).order_by("pk").first()
    village_a = Organisation.objects.get(
        kind=OrganisationKind.VILLAGE, region_id=villages[town_a][0]
    )
    homes = {
        "demo-county": {"organisation": orgs["清河县应急管理局"]},
        "demo-leader": {"organisation": orgs["清河县人民政府"]},
        "demo-town-a": {
            "organisation": Organisation.objects.get(kind=OrganisationKind.TOWN, region_id=town_a)
        },
        "demo-town-b": {
            "organisation": Organisation.objects.get(kind=OrganisationKind.TOWN, region_id=town_b)
        },
        "demo-dept-transport": {"organisation": orgs["清河县交通运输局"]},
        "demo-grid-a": {"organisation": village_a},
        "demo-ent-a": {"enterprise": ent_a},
        "demo-ent-b": {"enterprise": ent_b},
        "demo-worker-a": {"enterprise": ent_a},
        "demo-expert": {"organisation": orgs["清河县应急管理局"]},
        "demo-admin": {"organisation": orgs["清河县应急管理局"]},
        "demo-city": {"organisation": orgs["安澜市应急管理局"]},
    }
    users = {}
    for persona in PERSONAS:
        admin = persona.role == Role.ADMIN
        user = User(
            username=persona.username,
            full_name=persona.full_name,
            role=persona.role,
            phone=_mobile(rng),
            is_staff=admin,
            is_superuser=admin,
            **homes[persona.username],
        )
        user.set_password(password)
        user.save()
        users[persona.username] = user
    from anlan.demo.hazards import build_hazards

    build_hazards(hazards, rng)
    if risk_registers:
        from anlan.demo.risks import build_risks

        build_risks(risk_registers, rng, users)
    if incidents:
        from anlan.demo.incidents import build_incidents

        build_incidents(rng, users)
    if duty:
        from anlan.demo.duty import build_duty

        build_duty(rng, users)
    return users
