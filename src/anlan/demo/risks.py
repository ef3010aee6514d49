"""Demo risk registers: a full one for demo-ent-a (through the real actions, with history) and
smaller ones for other enterprises (bulk), with 30 days of investigation tasks done, missed and
open, so the four-colour map and the 运行成效 view have something to show.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from anlan.accounts.models import User
from anlan.accounts.roles import Role
from anlan.demo import registers as library
from anlan.demo.registers import Point
from anlan.registry.models import Enterprise
from anlan.risks import actions, rules
from anlan.risks.models import (
    AssessmentKind,
    ControlMeasure,
    InvestigationTask,
    Method,
    RiskEvent,
    RiskObject,
    RiskUnit,
    TaskState,
)
from anlan.risks.rules import RiskLevel
from anlan.risks.tasks import schedule_options

PHONES = "企业应急值班 0571-8800{n:04d}；火警 119；急救 120"
# (object kind, object, unit, area, event, factor kind, factor, accident types, method,
#  factors, persons needed, measures [(kind, description, check items, frequency)], actions)
TEMPLATES = [
    ("site", "危化品仓库", "甲类仓库", "仓储区", "易燃液体泄漏引发火灾爆炸", "material",
     "容器泄漏；静电积聚；违规动火", ["fire", "other_explosion", "poisoning_asphyxia"],
     Method.LEC, (3, 6, 40),
     [("engineering", "可燃气体报警器正常投用", "报警器显示正常、无报警\n在检定有效期内", "shift"),
      ("management", "严格执行动火作业审批", "", "daily"),
      ("emergency", "应急器材配备齐全", "灭火器压力正常\n吸附棉、防爆工具充足", "weekly")],
     "立即切断泄漏源，禁止一切明火，疏散无关人员，用吸附棉围堵，拨打 119。"),
    ("device", "冲压生产线", "1号冲床", "冲压车间", "冲床误动作压手", "material",
     "光电保护装置失效；双手按钮被短接", ["machinery"], Method.LEC, (3, 6, 15),
     [("engineering", "光电保护装置完好有效", "光电保护装置灵敏可靠\n双手按钮未被短接", "shift"),
      ("training", "冲床操作工岗前培训、持证上岗", "", "monthly")],
     "立即按下急停按钮，切断电源，对伤者止血包扎并拨打 120。"),
    ("operation", "有限空间作业", "污水池清淤", "污水处理站", "有限空间中毒窒息", "management",
     "未通风检测即进入；无人监护", ["poisoning_asphyxia"], Method.LS, (3, 5),
     [("management", "执行先通风、再检测、后作业", "气体检测记录齐全\n监护人在岗", "monthly"),
      ("emergency", "配备正压式呼吸器和三脚架", "", "quarterly")],
     "严禁盲目施救；佩戴正压式呼吸器后施救，拨打 120。"),
    ("site", "配电房", "低压配电室", "动力区", "触电", "material",
     "带电部位裸露；绝缘防护用品失效", ["electric_shock", "fire"], Method.LEC, (1, 6, 15),
     [("management", "配电房每日巡检，门锁闭，警示标志完好", "门锁闭并有警示标志\n绝缘垫、绝缘手套完好", "daily"),
      ("protection", "电工作业穿戴绝缘防护用品", "", "weekly")],
     "立即切断电源，用绝缘物使触电者脱离电源，实施心肺复苏，拨打 120。"),
    ("operation", "高处作业", "屋顶检修", "主厂房", "高处坠落", "human",
     "未系安全带；临边无防护", ["fall_from_height", "object_strike"], Method.LEC, (3, 2, 15),
     [("protection", "高处作业系挂安全带、设置临边防护", "", "weekly")],
     "停止作业，不得随意搬动伤者，拨打 120。"),
    ("device", "厂内车辆", "3号叉车", "仓储区", "叉车撞人", "human",
     "无证驾驶；超速；人车混行", ["vehicle"], Method.LS, (2, 4),
     [("training", "叉车司机持证上岗", "", "monthly"),
      ("management", "厂内限速 5 km/h，人车分流", "限速标志完好\n人行通道畅通", "daily")],
     "立即停车，保护现场，救护伤员，拨打 120。"),
    ("site", "厂区", "消防通道", "厂区道路", "火灾蔓延无法扑救", "environment",
     "消防通道被占用", ["fire"], Method.LEC, (1, 3, 15),
     [("management", "消防通道保持畅通", "消防通道无占用\n室外消火栓可用", "weekly")],
     "组织疏散，使用就近消防器材初期处置，拨打 119。"),
]  # fmt: skip
# demo-ent-a's 甲类仓库 is a 重大危险源: patrolled every hour (应急〔2019〕78号, DOMAIN.md §12).
HOURLY_PATROL = ("management", "重大危险源每小时巡检",
                 "储罐液位、温度、压力在控制范围内\n可燃气体报警器无报警\n视频监控在线")  # fmt: skip
NAMES = ["张伟", "王芳", "李强", "刘洋", "陈静", "杨磊", "赵敏", "黄军", "周涛", "吴霞"]


def _persons(rng: random.Random) -> dict[str, str]:
    return {f"{level}_person": rng.choice(NAMES) for level in rules.ControlLevel.values}


def full_register(enterprise: Enterprise, manager: User, worker: User, rng: random.Random):
    """demo-ent-a's register, written through the actions a safety manager uses."""
    objects: dict[str, RiskObject] = {}
    for n, t in enumerate(TEMPLATES):
        (
            kind,
            obj_name,
            unit_name,
            area,
            event_name,
            fkind,
            factor,
            types,
            method,
            factors,
            measures,
            emergency,
        ) = t
        obj = objects.get(obj_name) or actions.do_save(
            RiskObject(enterprise=enterprise, kind=kind, name=obj_name), actor=manager
        )
        objects[obj_name] = obj
        unit = actions.do_save(
            RiskUnit(enterprise=enterprise, risk_object=obj, name=unit_name, area=area,
                     emergency_actions=emergency, emergency_phones=PHONES.format(n=n)),
            actor=manager,
        )  # fmt: skip
        event = actions.do_save(
            RiskEvent(enterprise=enterprise, unit=unit, name=event_name, factor_kind=fkind,
                      factor=factor, accident_types=types, **_persons(rng)),
            actor=manager,
        )  # fmt: skip
        l, *rest = factors  # noqa: E741
        kwargs = {"e": rest[0], "c": rest[1]} if method == Method.LEC else {"s": rest[0]}
        actions.do_assess(event, actor=manager, kind=AssessmentKind.INHERENT, method=method,
                          l=l, **kwargs)  # fmt: skip
        if method == Method.LEC and factors[0] > 1:  # controls bring the likelihood down
            actions.do_assess(event, actor=manager, kind=AssessmentKind.RESIDUAL, method=method,
                              l=1, **kwargs)  # fmt: skip
        for i, (mkind, description, items, frequency) in enumerate(measures):
            actions.do_save(
                ControlMeasure(enterprise=enterprise, event=event, kind=mkind,
                               description=description, check_items=items,
                               responsible=worker if i % 2 == 0 else manager, frequency=frequency),
                actor=manager,
            )  # fmt: skip
        if n == 0:
            mkind, description, items = HOURLY_PATROL
            actions.do_save(
                ControlMeasure(enterprise=enterprise, event=event, kind=mkind,
                               description=description, check_items=items, responsible=worker,
                               frequency=rules.Frequency.HOURS, interval_hours=1),
                actor=manager,
            )  # fmt: skip


LEC_L = sorted(rules.LEC_L)  # the likelihoods an assessor may pick, lowest first
TIERS = [RiskLevel.LARGER, RiskLevel.GENERAL, RiskLevel.LOW]
TIER_WEIGHTS = [22, 45, 33]  # of the enterprises not rated red
RED_SHARE = 0.05  # of the enterprises with a register: 重大风险 (red)


def _grade_with(point: Point, likelihood):
    if point.method == Method.LEC:
        return rules.lec(likelihood, *point.fixed)
    return rules.ls(likelihood, *point.fixed)


def _likelihoods(point: Point) -> list:
    return LEC_L if point.method == Method.LEC else list(rules.LS_VALUES)


def severe(point: Point) -> bool:
    """A point whose accident may kill several people (C ≥ 40, or S = 5): only such points are
    let score red in the demo."""
    return point.fixed[-1] >= (40 if point.method == Method.LEC else 5)


def _assess(point: Point, cap: str, rng: random.Random, *, lead: bool):
    """A likelihood for ``point`` whose grade is at most ``cap``; the lead point of the
    register reaches ``cap`` where it can (the enterprise's overall level is its highest)."""
    rank = rules.LEVEL_RANK[RiskLevel(cap)]
    if cap == RiskLevel.MAJOR and not severe(point):
        rank -= 1
    options = [
        (value, grade)
        for value in _likelihoods(point)
        if rules.LEVEL_RANK[(grade := _grade_with(point, value)).level] <= rank
    ]
    if lead:
        top = max(rules.LEVEL_RANK[g.level] for _v, g in options)
        options = [o for o in options if rules.LEVEL_RANK[o[1].level] == top]
        return options[0]  # the most likely value at that level would grade higher
    return rng.choice(options[len(options) // 2 :])  # the upper half: assessors are cautious


def bulk_register(
    enterprise: Enterprise, people: tuple[User, User], rng: random.Random, since, cap: str
):
    """A register for the enterprise's type of business, written in bulk (no history rows:
    demo data only). No risk scores above ``cap``; the most serious point reaches it."""
    from anlan.demo.world import _person

    kind = library.kind_of(enterprise.name)
    _endings, _section, posts, names = library.KINDS[kind]
    points = [library.P[n] for n in names]
    lead = max(points, key=lambda p: (severe(p), p.fixed[-1]))  # the trade's defining risk
    rest = [p for p in points if p is not lead]
    points = [lead] + rng.sample(rest, rng.randint(min(2, len(rest)), len(rest)))
    holders = {
        level: f"{_person(rng)}（{post}）"
        for level, post in zip(rules.ControlLevel.values, posts, strict=True)
    }
    objects: dict[str, RiskObject] = {}
    measures = []
    for n, point in enumerate(points):
        factors = _assess(point, cap, rng, lead=point is lead)
        likelihood, grade = factors
        obj = objects.get(point.obj)
        if obj is None:
            obj = objects[point.obj] = RiskObject.objects.create(
                enterprise=enterprise, kind=point.object_kind, name=point.obj, created_at=since
            )
        unit = RiskUnit.objects.create(
            enterprise=enterprise, risk_object=obj, name=point.unit, area=point.area,
            emergency_actions=point.emergency, emergency_phones=PHONES.format(n=n),
            created_at=since,
        )  # fmt: skip
        event = RiskEvent.objects.create(
            enterprise=enterprise, unit=unit, name=point.event, factor_kind=point.factor_kind,
            factor=point.factor, accident_types=point.accident_types,
            inherent_score=grade.score, inherent_level=grade.level, created_at=since,
            **{f"{level}_person": holder for level, holder in holders.items()},
        )  # fmt: skip
        for i, (mkind, description, items, frequency) in enumerate(point.measures):
            measures.append(
                ControlMeasure(
                    enterprise=enterprise, event=event, kind=mkind, description=description,
                    check_items=items, responsible=people[(n + i) % 2], frequency=frequency,
                    created_at=since, schedule_from=since,
                )
            )  # fmt: skip
    ControlMeasure.objects.bulk_create(measures)


def enterprise_people(enterprises: list[Enterprise], rng: random.Random) -> dict[int, tuple]:
    """Each enterprise's safety manager (named in the registry) and one post employee who does
    the checks, made once (unusable passwords: only the personas log in)."""
    from anlan.demo.world import _mobile, _person

    wanted = {e.pk: e for e in enterprises}

    def accounts() -> dict[int, dict[str, User]]:
        held: dict[int, dict[str, User]] = defaultdict(dict)
        for user in User.objects.filter(enterprise_id__in=wanted).order_by("username"):
            held[user.enterprise_id].setdefault(user.role, user)  # demo-… before ent…
        return held

    held = accounts()
    unusable = make_password(None)
    missing = []
    for pk, enterprise in wanted.items():
        if Role.ENTERPRISE_MANAGER not in held[pk]:
            missing.append(
                User(username=f"ent{pk}", full_name=enterprise.safety_manager,
                     role=Role.ENTERPRISE_MANAGER, enterprise=enterprise,
                     phone=enterprise.safety_manager_phone, password=unusable)
            )  # fmt: skip
        if Role.ENTERPRISE_STAFF not in held[pk]:
            missing.append(
                User(username=f"ent{pk}-w", full_name=_person(rng), role=Role.ENTERPRISE_STAFF,
                     enterprise=enterprise, phone=_mobile(rng), password=unusable)
            )  # fmt: skip
    if missing:
        User.objects.bulk_create(missing)
        held = accounts()
    return {
        pk: (held[pk][Role.ENTERPRISE_MANAGER], held[pk][Role.ENTERPRISE_STAFF]) for pk in wanted
    }


def task_history(measures, rng: random.Random, now, diligence: dict[int, float]) -> int:
    """Tasks for every window since each measure was created: done or missed in the past,
    open in the current window."""
    tasks = []
    measures = list(measures)
    for m in measures:
        if m.frequency not in rules.SCHEDULED:
            continue
        options = schedule_options(m)
        first = rules.first_window(m.frequency, timezone.localtime(m.schedule_from), **options)[0]
        windows = rules.windows_between(m.frequency, first, timezone.localtime(now), **options)
        m.scheduled_until = windows[-1][1] if windows else None
        for start, end in windows:
            task = InvestigationTask(
                enterprise_id=m.enterprise_id, measure=m, assignee_id=m.responsible_id,
                frequency=m.frequency, interval_hours=m.interval_hours,
                window_start=start, window_end=end,
            )  # fmt: skip
            if end <= now:
                if rng.random() < diligence[m.enterprise_id]:
                    task.state, task.passed = TaskState.DONE, True
                    task.done_by_id = m.responsible_id
                    task.done_at = start + (end - start) * rng.uniform(0.1, 0.8)
                else:
                    task.state = TaskState.MISSED
            tasks.append(task)
    InvestigationTask.objects.bulk_create(tasks, batch_size=2000)
    ControlMeasure.objects.bulk_update(measures, ["scheduled_until"], batch_size=2000)
    return len(tasks)


def build_risks(registers: int, rng: random.Random, users: dict[str, User]) -> None:
    now = timezone.now()
    since = now - timedelta(days=30)
    manager, worker = users["demo-ent-a"], users["demo-worker-a"]
    ent_a = manager.enterprise
    full_register(ent_a, manager, worker, rng)
    ControlMeasure.objects.filter(enterprise=ent_a).update(created_at=since, schedule_from=since)
    candidates = list(
        Enterprise.objects.exclude(pk=ent_a.pk)
        .filter(longitude__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chosen = rng.sample(candidates, min(max(registers - 1, 0), len(candidates)))
    others = list(Enterprise.objects.filter(pk__in=chosen).order_by("pk"))
    people = enterprise_people(others, rng)
    # About one in twenty registered enterprises (demo-ent-a's included) rates red: a few
    # whose most serious point is poorly controlled; the others spread over orange, yellow
    # and blue. The levels themselves are graded from the factors (risks/rules.py).
    can_be_red = [
        e for e in others
        if any(severe(library.P[n]) for n in library.KINDS[library.kind_of(e.name)][3])
    ]  # fmt: skip
    reds = max(round(RED_SHARE * (len(others) + 1)) - 1, 0)
    red = {e.pk for e in rng.sample(can_be_red, min(reds, len(can_be_red)))}
    for enterprise in others:
        cap = RiskLevel.MAJOR if enterprise.pk in red else rng.choices(TIERS, TIER_WEIGHTS)[0]
        bulk_register(enterprise, people[enterprise.pk], rng, since, cap)
    diligence = {e.pk: rng.choice([0.55, 0.75, 0.9, 0.97, 1.0]) for e in others}
    diligence[ent_a.pk] = 0.92
    task_history(ControlMeasure.objects.all(), rng, now, diligence)
    # One check of demo-ent-a failed this week: the hazard it opened is in the town's ledger.
    task = (
        InvestigationTask.objects.filter(
            enterprise=ent_a, state=TaskState.OPEN, frequency="weekly", window_start__lte=now
        )
        .order_by("pk")
        .first()
    )
    if task is not None:
        results = [actions.ItemResult(ok=True) for _ in task.measure.items()]
        results[-1] = actions.ItemResult(
            ok=False, note="现场检查发现此项未落实，已要求班组立即整改。"
        )
        actions.do_complete_task(task, actor=task.assignee, results=results, now=now)
