"""Demo hazards at every point of the closed loop, with consistent timelines.

Rows are written directly (bulk) rather than through the workflow, for speed; the states,
dates and events follow the same rules the workflow enforces.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from anlan.accounts.models import Organisation, OrganisationKind, User
from anlan.core.documents import next_number
from anlan.hazards.models import (
    Hazard,
    HazardEvent,
    HazardLevel,
    HazardSource,
    HazardState,
    HazardTally,
    SiteKind,
)
from anlan.registry.models import Enterprise

DESCRIPTIONS = {
    "equipment": ["冲床光电保护装置失效", "砂轮机防护罩缺失", "传动皮带无防护罩"],
    "environment": ["车间通道堆放杂物，宽度不足", "仓库照明不足", "作业场所粉尘浓度偏高"],
    "management": ["未建立隐患排查治理台账", "特种作业人员证书过期", "应急预案未按期演练"],
    "fire": ["安全出口被锁闭", "灭火器压力不足", "疏散指示标志损坏"],
    "electrical": ["配电箱未接地", "私拉乱接电线", "漏电保护器失效"],
    "dangerous_goods": ["危化品仓库超量储存", "可燃气体报警器未检定", "储罐区防火堤破损"],
    "building": ["自建房墙体开裂", "楼板变形渗水"],
    "traffic": ["急弯路段缺少警示标志", "护栏缺失"],
    "geological": ["边坡有落石", "挡土墙鼓胀"],
}
SITES = [
    (SiteKind.ROAD, "县道 X0{n} K{k}+200 急弯路段", "transport", "traffic"),
    (SiteKind.HOUSE, "{v}{n}号自建房", "construction", "building"),
    (SiteKind.SLOPE, "{v}后山边坡", "water_works", "geological"),
]
PATH = [
    HazardState.REPORTED,
    HazardState.CONFIRMED,
    HazardState.RECTIFYING,
    HazardState.SUBMITTED,
    HazardState.ACCEPTED,
    HazardState.CLOSED,
]
TRANSITION_INTO = {
    HazardState.CONFIRMED: "confirm",
    HazardState.RECTIFYING: "plan",
    HazardState.SUBMITTED: "submit",
    HazardState.ACCEPTED: "accept",
    HazardState.CLOSED: "close",
}


def build_hazards(count: int, rng: random.Random) -> int:
    if count <= 0:
        return 0
    now = timezone.now()

    def later(start, days: int):
        return min(now, start + timedelta(days=days))

    enterprises = list(Enterprise.objects.select_related("region").order_by("pk"))
    towns = {o.region_id: o for o in Organisation.objects.filter(kind=OrganisationKind.TOWN)}
    bureau = Organisation.objects.get(kind=OrganisationKind.EMERGENCY_BUREAU, region_id="990102")
    people = {u.username: u for u in User.objects.filter(username__startswith="demo-")}
    managers = {u.enterprise_id: u for u in people.values() if u.enterprise_id}
    actor_for_town = {
        people["demo-town-a"].organisation.region_id: people["demo-town-a"],
        people["demo-town-b"].organisation.region_id: people["demo-town-b"],
    }
    hazards, plans = [], []
    for _ in range(count):
        age = rng.randrange(0, 150)
        found_at = now - timedelta(days=age, hours=rng.randrange(0, 10))
        level = HazardLevel.MAJOR if rng.random() < 0.06 else HazardLevel.GENERAL
        if rng.random() < 0.1:
            kind, name, supervision, category = rng.choice(SITES)
            enterprise = None
            region = rng.choice(enterprises).region
            site_name = name.format(n=rng.randrange(1, 99), k=rng.randrange(1, 30), v=region.name)
        else:
            enterprise = rng.choice(enterprises)
            kind, site_name, region = SiteKind.ENTERPRISE, "", enterprise.region
            supervision = enterprise.category_id
            category = rng.choice(
                [c for c in DESCRIPTIONS if c not in ("building", "traffic", "geological")]
            )
        # Older hazards are further along the loop; a few linger past their deadline.
        reach = min(len(PATH) - 1, int(age / 20) + rng.randrange(0, 3))
        state = PATH[reach]
        if rng.random() < 0.03 and state == HazardState.REPORTED:
            state = HazardState.REJECTED
        hazard = Hazard(
            enterprise=enterprise,
            site_kind=kind,
            site_name=site_name,
            region_id=region.code,
            supervision_category_id=supervision,
            location=enterprise.address if enterprise else site_name,
            source=HazardSource.ENTERPRISE_SELF
            if enterprise and rng.random() < 0.5
            else rng.choice(list(HazardSource.values)),
            found_by=managers.get(enterprise.pk if enterprise else None) or people["demo-county"],
            found_at=found_at,
            description=rng.choice(DESCRIPTIONS[category]),
            category_id=category,
            level=level,
            state=state,
            created_at=found_at,
        )
        if reach >= 1 and state != HazardState.REJECTED:
            # A town confirms general hazards; the county bureau confirms major ones.
            unit = bureau if level == HazardLevel.MAJOR else towns.get(region.code[:9], bureau)
            hazard.supervising_unit = unit
            hazard.confirmed_at = later(found_at, 3)
            year = timezone.localdate(hazard.confirmed_at).year
            number = next_number(f"org:{unit.pk}", "rectification_notice", year)
            hazard.notice_number = f"{unit.name}隐改〔{year}〕{number}号"
            ordered = timezone.localdate(found_at) + timedelta(days=rng.choice([15, 30, 45]))
            hazard.deadline = hazard.original_deadline = ordered
        if reach >= 2 and state != HazardState.REJECTED:
            hazard.responsible_person = rng.choice(["王建国", "李平", "张伟", "陈敏"])
            hazard.responsible_phone = f"139{rng.randrange(10**8):08d}"
            hazard.measures = "落实整改措施，整改完成后报验收"
            hazard.funds = Decimal(rng.choice([2000, 5000, 12000, 80000]))
            if level == HazardLevel.MAJOR:
                hazard.plan_goal = "消除重大事故隐患"
                hazard.plan_resources = "资金已落实"
                hazard.plan_organisation = "主要负责人牵头，设备部门实施"
                hazard.plan_requirements = "按期完成，分阶段验收"
                hazard.plan_safety_measures = "整改期间停用相关设备，设置警戒"
        if reach >= 3:
            hazard.submitted_at = later(found_at, 10)
            hazard.rectification_note = "已按方案整改完毕"
            if level == HazardLevel.MAJOR:
                hazard.assessment = "经企业组织专家评估，隐患已消除，具备恢复生产条件"
        if reach >= 4:
            hazard.accepted_at = later(found_at, 12)
        if reach >= 5:
            hazard.closed_at = later(found_at, 14)
        hazards.append(hazard)
        plans.append(reach)
    Hazard.assign_numbers(hazards)  # bulk rows bypass Hazard.save(): numbered by date here
    created = bulk_create_with_history(
        hazards, Hazard, batch_size=500, default_change_reason="演示数据生成"
    )
    events = []
    for hazard, reach in zip(created, plans, strict=True):
        town_actor = actor_for_town.get(hazard.region_id[:9], people["demo-county"])
        events.append(
            HazardEvent(
                hazard=hazard,
                transition="report",
                to_state="reported",
                actor=hazard.found_by,
                created_at=hazard.found_at,
            )
        )
        if hazard.state == HazardState.REJECTED:
            events.append(
                HazardEvent(hazard=hazard, transition="reject", from_state="reported", to_state="rejected",
                            actor=town_actor, comment="经核实已整改", created_at=later(hazard.found_at, 1))
            )  # fmt: skip
            continue
        for step in range(1, reach + 1):
            target = PATH[step]
            actor = {
                1: people["demo-county"] if hazard.level == HazardLevel.MAJOR else town_actor,
                2: managers.get(hazard.enterprise_id) or town_actor,
                3: managers.get(hazard.enterprise_id) or town_actor,
                4: people["demo-county"],
                5: people["demo-city"]
                if hazard.level == HazardLevel.MAJOR
                else people["demo-county"],
            }[step]
            events.append(
                HazardEvent(hazard=hazard, transition=TRANSITION_INTO[target], from_state=PATH[step - 1],
                            to_state=target, actor=actor, created_at=later(hazard.found_at, 2 * step + 1))
            )  # fmt: skip
    HazardEvent.objects.bulk_create(events, batch_size=1000)
    HazardTally.rebuild()  # bulk rows bypass Hazard.save()
    return len(created)
