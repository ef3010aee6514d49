"""Demo incidents: closed ones this year and last (for the comparison statistics) written in
bulk, and two live ones through the real actions (a countdown running, a suspected concealment).
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from anlan.accounts.models import User
from anlan.incidents import actions
from anlan.incidents.models import Incident, IncidentReport, IncidentState, ReportStep
from anlan.incidents.rules import IncidentKind, Source
from anlan.registry.models import Enterprise

PAST = [
    (IncidentKind.PRODUCTION, "机械伤害事故", "工人违规清理运转中的设备被卷入"),
    (IncidentKind.PRODUCTION, "高处坠落事故", "检修屋顶时未系安全带坠落"),
    (IncidentKind.ROAD_TRAFFIC, "货车侧翻事故", "重载货车在急弯处侧翻"),
    (IncidentKind.FIRE, "仓库火灾", "电气线路老化短路引燃货物"),
    (IncidentKind.NATURAL_DISASTER, "山洪灾害", "强降雨引发山洪冲毁道路"),
    (IncidentKind.PRODUCTION, "中毒窒息事故", "未检测即进入污水池作业"),
]


def build_incidents(rng: random.Random, users: dict[str, User]) -> None:
    now = timezone.now()
    county = users["demo-county"]
    enterprises = list(Enterprise.objects.order_by("pk")[:400])
    local = timezone.localtime(now)  # the local year (1 January 00:30 is 31 December in UTC)
    past: list[Incident] = []
    for year_back in (0, 1):
        start = local.replace(
            year=local.year - year_back, month=1, day=1, hour=0, minute=0, second=0, microsecond=0
        )
        end = min(now - timedelta(days=5), start.replace(year=start.year + 1))
        for _n in range(rng.randint(8, 12) if year_back == 0 else rng.randint(10, 14)):
            kind, title, description = rng.choice(PAST)
            occurred = start + (end - start) * rng.random()
            enterprise = rng.choice(enterprises) if kind == IncidentKind.PRODUCTION else None
            deaths = rng.choice([0, 0, 1, 1, 2, 3])
            serious = rng.choice([0, 1, 2, 4])
            loss = Decimal(rng.randint(5, 300) * 10000)
            region = enterprise.region_id if enterprise else rng.choice(enterprises).region_id
            incident = Incident(
                kind=kind, title=title, occurred_at=occurred, region_id=region,
                location="详见事故快报", enterprise=enterprise,
                supervision_category_id=enterprise.category_id if enterprise else (
                    "transport" if kind == IncidentKind.ROAD_TRAFFIC else None),
                deaths=deaths, serious_injuries=serious, minor_injuries=rng.randint(0, 3),
                direct_loss_yuan=loss, description=description, measures_taken="已妥善处置",
                reporter_name="值班员", reporter_phone="0571-88000000",
                state=IncidentState.FINAL, known_source=Source.UNIT, known_at=occurred,
                unit_learned_at=occurred, unit_reported_at=occurred + timedelta(minutes=30),
                final_at=occurred + timedelta(days=3),
            )  # fmt: skip
            incident.grade = incident.compute_grade()  # natural disasters: ungraded
            past.append(incident)
    # Saved in the order they occurred, so their numbers (SG2026-0001…) follow the dates.
    for incident in sorted(past, key=lambda i: i.occurred_at):
        occurred, grade = incident.occurred_at, incident.grade
        incident.save()
        at = occurred + timedelta(minutes=30)
        for from_level, to_level in incident.required_steps().items():
            ReportStep.objects.create(incident=incident, from_level=from_level,
                                      to_level=to_level, due_at=at + timedelta(hours=1),
                                      written_due_at=at + timedelta(hours=1),
                                      reported_at=at, reported_by=county,
                                      written_reported_at=at,
                                      written_reported_by=county)  # fmt: skip
            at += timedelta(minutes=40)
        IncidentReport.objects.create(
            incident=incident, kind="final", from_level="county", to_level="city",
            submitted_by=county, submitted_at=occurred + timedelta(days=3), grade=grade,
            **{k: v for k, v in incident.facts().items()},
        )  # fmt: skip
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
