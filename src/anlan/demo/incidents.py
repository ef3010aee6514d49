"""Demo incidents: closed ones this year and last (for the comparison statistics), replayed
through the real actions by the unit (its first report), the county bureau (forwarding up and
the final report) and the city bureau; and two live ones (a countdown running, a suspected
concealment).
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from anlan.accounts.models import User
from anlan.demo.clock import replay
from anlan.incidents import actions
from anlan.incidents.models import Incident
from anlan.incidents.rules import IncidentKind, Source
from anlan.registry.models import Enterprise

PAST = [
    (IncidentKind.PRODUCTION, "机械伤害事故", "工人违规清理运转中的设备被卷入"),
    (IncidentKind.PRODUCTION, "高处坠落事故", "检修屋顶时未系安全带坠落"),
    (IncidentKind.ROAD_TRAFFIC, "货车侧翻事故", "重载货车在急弯处侧翻"),
    (IncidentKind.FIRE, "仓库火灾", "电气线路老化短路引燃货物"),
    (IncidentKind.NATURAL_DISASTER, "山洪灾害", "强降雨引发山洪冲毁道路"),
    (IncidentKind.PRODUCTION, "中毒窒息事故", "未检测即进入污水池作业"),
    (IncidentKind.PRODUCTION, "物体打击事故", "吊装作业中吊物坠落砸伤地面人员"),
    (IncidentKind.ROAD_TRAFFIC, "客车与三轮车相撞事故", "三轮车违规载人驶入主路与客车相撞"),
    (IncidentKind.FIRE, "民房火灾", "电动自行车在楼道充电时起火"),
]
LOCATIONS = ["生产车间", "厂区仓库", "县道急弯路段", "村民自建房", "山区乡道", "镇区商铺"]
MEASURES_TAKEN = [
    "伤者已送县人民医院救治，现场已封闭",
    "已组织救援，事故现场已处置完毕",
    "消防救援大队已到场扑救，周边群众已疏散",
    "交警已到场处置，道路已恢复通行",
]


def _past(incident: Incident, unit: User, county: User, city: User, clock) -> None:
    """One closed incident, replayed: the unit's first report half an hour after it happened,
    the county bureau forwarding up the chain within the hour (the city on to the province
    when the grade requires), and the county's final report three days later."""
    at = incident.occurred_at + timedelta(minutes=30)
    clock.set(at)
    actions.do_create(incident, actor=unit, now=at)
    for from_level in incident.required_steps():
        if from_level in ("county", "city"):
            at += timedelta(minutes=40)
            clock.set(at)
            actions.do_forward(incident, actor=county if from_level == "county" else city, now=at)
    at = incident.occurred_at + timedelta(days=3)
    clock.set(at)
    actions.do_follow_up(incident, actor=county, facts=incident.facts(), final=True, now=at)


def build_incidents(rng: random.Random, users: dict[str, User]) -> None:
    from anlan.demo.hazards import People
    from anlan.demo.risks import enterprise_people

    now = timezone.now()
    county, city = users["demo-county"], users["demo-city"]
    people = People(rng)
    enterprises = list(Enterprise.objects.order_by("pk")[:400])
    local = timezone.localtime(now)  # the local year (1 January 00:30 is 31 December in UTC)
    with replay(now) as clock:
        for year_back in (1, 0):
            start = local.replace(
                year=local.year - year_back, month=1, day=1, hour=0, minute=0, second=0,
                microsecond=0,
            )  # fmt: skip
            end = min(now - timedelta(days=5), start.replace(year=start.year + 1))
            moments = sorted(
                start + (end - start) * rng.random()
                for _n in range(rng.randint(8, 12) if year_back == 0 else rng.randint(10, 14))
            )
            for occurred in moments:
                kind, title, description = rng.choice(PAST)
                enterprise = rng.choice(enterprises) if kind == IncidentKind.PRODUCTION else None
                region = enterprise.region_id if enterprise else rng.choice(enterprises).region_id
                incident = Incident(
                    kind=kind, title=title, occurred_at=occurred, region_id=region,
                    location=rng.choice(LOCATIONS), enterprise=enterprise,
                    supervision_category_id=enterprise.category_id if enterprise else (
                        "transport" if kind == IncidentKind.ROAD_TRAFFIC else None),
                    deaths=rng.choice([0, 0, 1, 1, 2, 3]), serious_injuries=rng.choice([0, 1, 2, 4]),
                    minor_injuries=rng.randint(0, 3),
                    direct_loss_yuan=Decimal(rng.randint(5, 300) * 10000),
                    description=description, measures_taken=rng.choice(MEASURES_TAKEN),
                    known_source=Source.UNIT, unit_learned_at=occurred + timedelta(minutes=10),
                )  # fmt: skip
                if enterprise is not None:
                    unit = enterprise_people([enterprise], rng)[enterprise.pk][0]
                else:  # a town reports what happened outside any enterprise
                    unit = people.town_of(region)
                incident.reporter_name, incident.reporter_phone = unit.full_name, unit.phone
                _past(incident, unit, county, city, clock)
    # Live: demo-ent-a reported 40 minutes ago; the county has 80 minutes left to report up.
    manager = users["demo-ent-a"]
    live = Incident(
        kind=IncidentKind.PRODUCTION, title="冲压车间机械伤害事故",
        occurred_at=now - timedelta(minutes=55), unit_learned_at=now - timedelta(minutes=50),
        enterprise=manager.enterprise, location="冲压车间 1 号冲床",
        deaths=0, serious_injuries=1, minor_injuries=0, direct_loss_yuan=Decimal(80000),
        description="操作工在冲床光电保护失效的情况下作业，右手被压伤", measures_taken="已停机，伤者送县人民医院",
        reporter_name=manager.full_name, reporter_phone="13800000001",
    )  # fmt: skip
    actions.do_create(live, actor=manager, now=now - timedelta(minutes=40))
    # Live: a hospital told the county of a poisoning the enterprise has not reported.
    other = Enterprise.objects.filter(region__code__startswith="990102003").order_by("pk")[1]
    hidden = Incident(
        kind=IncidentKind.PRODUCTION, title="疑似有限空间中毒事故", known_source=Source.HOSPITAL,
        occurred_at=now - timedelta(hours=2), enterprise=other, location="污水处理站",
        deaths=0, serious_injuries=2, description="县医院接收两名疑似硫化氢中毒患者，称在该企业污水池作业",
        reporter_name="县人民医院急诊科", reporter_phone="0571-88001200",
    )  # fmt: skip
    actions.do_create(hidden, actor=county, now=now - timedelta(minutes=30))
