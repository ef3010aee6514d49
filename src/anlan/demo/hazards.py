"""Demo hazards at every point of the closed loop, each step taken by the person the rules name.

Every hazard is replayed through the real actions (hazards/actions.py, run by core/workflow.py,
which checks that the actor may take the step) at the moment it happened (demo/clock.py):
found by the enterprise's own staff, a grid worker, the town's safety officer, a county
department or the city's inspectors; confirmed by the town (general) or the county bureau
(major, or referred up by the town); rectified by the enterprise (a town for a public site);
accepted at county level by the bureau or the department of the industry; closed by the county
(general) or the city (major). Recent hazards are still open, a few past their deadline.
"""

from __future__ import annotations

import io
import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from anlan.accounts.models import Organisation, OrganisationKind, User
from anlan.accounts.roles import Role
from anlan.core.uploads import clean_image
from anlan.demo import registers
from anlan.demo.clock import replay
from anlan.hazards import actions
from anlan.hazards.models import Hazard, HazardLevel, HazardSource, SiteKind
from anlan.registry.models import Enterprise

DUSTY = {"metalwork", "woodwork", "textile", "food"}
CHEMICAL = {"chemical_plant", "chemical_store", "gas", "fireworks", "explosives"}
FACTORY = DUSTY | {"chemical_plant", "equipment", "quarry"}
CROWDED = {"ktv", "market", "hotel", "restaurant", "homestay", "scenic", "clinic"}
SCHOOLS = {"school", "kindergarten"}
KITCHENS = {"restaurant", "hotel", "ktv", "homestay", "school", "kindergarten", "clinic"}
VEHICLES = {"freight", "bus", "logistics"}
# (category, what was found, the rectification measures, types of business it fits: None = any)
FINDINGS: list[tuple[str, str, str, set[str] | None]] = [
    ("equipment", "{n}号冲床光电保护装置失效，双手按钮被胶带短接",
     "拆除短接胶带，更换光电保护装置并试验合格；对当班操作工进行警示教育", {"metalwork", "equipment"}),
    ("equipment", "砂轮机防护罩缺失，托架与砂轮间隙大于 3 毫米",
     "加装砂轮防护罩，将托架间隙调整至 2 毫米以内", FACTORY),
    ("equipment", "传动皮带、联轴器外露，无防护罩",
     "为皮带轮和联轴器加装固定式防护罩", FACTORY),
    ("equipment", "木工圆盘锯防护罩被拆除，未配推料棒",
     "恢复防护罩和分料刀，配备推料棒并纳入交接班检查", {"woodwork"}),
    ("environment", "{area}通道堆放原料和半成品，宽度不足 1 米",
     "清理通道，划定物料定置区和通道标线", FACTORY | VEHICLES),
    ("environment", "打磨工位积尘厚度超过 3 毫米，除尘管道有积灰",
     "全面清扫积尘，清理除尘管道，建立每班清扫记录", DUSTY),
    ("environment", "除尘器未设置泄爆装置，安装在车间内",
     "将除尘器移至室外并加装泄爆片，泄爆口朝向安全区域", {"metalwork", "woodwork"}),
    ("environment", "冷库氨气报警器探头被杂物遮挡",
     "清除遮挡物，对报警器进行标定，与事故排风联动测试", {"food"}),
    ("management", "未建立隐患排查治理台账，排查记录缺失",
     "建立隐患排查台账，明确排查人员和频次，补齐近三个月记录", None),
    ("management", "{n}名特种作业人员证书过期仍在岗作业",
     "安排持证人员顶岗，组织过期人员参加复审培训", FACTORY | CHEMICAL | {"construction"}),
    ("management", "年度应急预案演练未开展",
     "制定演练计划，月底前组织一次综合演练并评估", None),
    ("management", "有限空间作业未办理审批，未进行气体检测",
     "补充有限空间作业审批制度，配备四合一气体检测仪和正压式呼吸器", FACTORY | {"water", "farm"}),
    ("management", "新入职员工未经三级安全教育即上岗",
     "对新员工补训并考核，建立教育培训档案", FACTORY | VEHICLES | CROWDED),
    ("management", "动火作业未办理动火证，现场无监护人",
     "停止违规动火，完善动火审批，配备监护人和灭火器材", FACTORY | CHEMICAL),
    ("behaviour", "叉车司机无证驾驶，车速过快",
     "停止无证人员驾驶，安排培训取证，设置限速标志", FACTORY | VEHICLES | {"market"}),
    ("behaviour", "员工在{area}高处作业未系安全带",
     "现场纠正违章，配发双钩安全带，加强高处作业检查", FACTORY | {"construction"}),
    ("fire", "{area}安全出口被锁闭，疏散通道堆放杂物",
     "立即开启安全出口，清理通道杂物，明确专人每日检查", None),
    ("fire", "{n}具灭火器压力不足，已过检验期",
     "更换过期灭火器，建立灭火器每月检查记录", None),
    ("fire", "疏散指示标志和应急照明损坏，断电后不亮",
     "更换损坏的疏散指示标志和应急照明灯，逐一测试", None),
    ("fire", "自动喷淋系统末端试水压力不足，报警阀关闭",
     "开启报警阀，维修喷淋泵，委托维保单位检测", CROWDED | {"logistics", "market"}),
    ("fire", "包厢内装修使用易燃软包材料",
     "拆除易燃软包，更换为不燃材料，报消防部门复查", {"ktv"}),
    ("fire", "电动自行车在楼道内停放充电",
     "清理楼道电动车，设置集中充电区，张贴禁止标识", CROWDED | SCHOOLS | {"logistics"}),
    ("fire", "厨房油烟管道积油严重，超过半年未清洗",
     "委托专业单位清洗油烟管道，建立每季度清洗制度", KITCHENS),
    ("electrical", "{area}配电箱未接地，箱门缺失",
     "配电箱加装接地线，补装箱门并上锁，张贴警示标志", None),
    ("electrical", "私拉乱接电线，使用花线和插排串接",
     "拆除私接线路，按规范敷设线路并加装漏电保护", None),
    ("electrical", "漏电保护器试跳不动作",
     "更换漏电保护器，建立每月试跳记录", None),
    ("electrical", "施工现场电缆拖地浸水，未架空",
     "电缆架空敷设，更换破损电缆，执行一机一闸一漏", {"construction"}),
    ("dangerous_goods", "危化品仓库超量储存，禁忌物混存",
     "按核定量清理库存，将禁忌物分库储存，更新储存台账", {"chemical_plant", "chemical_store"}),
    ("dangerous_goods", "可燃气体报警器超过检定有效期",
     "委托计量机构检定报警器，检定前增加便携式检测巡检", CHEMICAL),
    ("dangerous_goods", "储罐区防火堤有裂缝，排水阀常开",
     "修补防火堤，关闭排水阀并挂牌管理", {"chemical_plant", "gas"}),
    ("dangerous_goods", "液化气钢瓶与灶具同室存放，无燃气报警器",
     "设置独立气瓶间，安装燃气泄漏报警和紧急切断装置", KITCHENS),
    ("dangerous_goods", "烟花爆竹仓库堆码超高，库房防雷检测过期",
     "降低堆码高度至 2.5 米以下，委托防雷检测", {"fireworks"}),
    ("special_equipment", "锅炉安全阀超过校验期，压力表指针卡滞",
     "校验安全阀，更换压力表，停炉期间不得投用", {"food", "hotel", "equipment", "textile"}),
    ("special_equipment", "桥式起重机吊钩防脱装置缺失，钢丝绳断丝",
     "更换钢丝绳，加装吊钩防脱装置，报特种设备检验", {"metalwork", "equipment"}),
    ("special_equipment", "观光电梯超过定期检验日期仍在使用",
     "停用电梯，申请定期检验，合格后恢复使用", {"market", "hotel", "clinic"}),
    ("construction_site", "外脚手架连墙件缺失，立杆悬空",
     "补设连墙件，加固立杆基础，经验收合格后使用", {"construction"}),
    ("construction_site", "基坑边 1 米内堆放钢筋，支护位移超预警值",
     "清运坑边堆载，加密监测，组织专家论证加固方案", {"construction"}),
    ("construction_site", "{n}层电梯井口未设防护门",
     "安装定型化电梯井防护门，井内每两层设水平网", {"construction"}),
    ("traffic", "{n}辆营运车辆动态监控离线，驾驶员疲劳驾驶报警未处理",
     "修复车载终端，约谈驾驶员，落实动态监控值守", VEHICLES),
    ("equipment", "校园大型玩具螺丝松动，地垫破损",
     "紧固玩具螺丝，更换破损地垫，纳入每日晨检", {"kindergarten"}),
    ("management", "门卫值守人员不足，未配备防护器械",
     "增配保安，配备钢叉、盾牌等防护器械并开展演练", SCHOOLS),
    ("environment", "栈道护栏松动，临崖段无警示标志",
     "加固护栏，增设警示标志，雨后专人巡查", {"scenic"}),
    ("environment", "采场边坡台阶超高，坡面有浮石",
     "清理浮石，按设计放坡，增设边坡位移监测", {"quarry"}),
]  # fmt: skip
# Public sites (no enterprise): (kind, name, department category, hazard category, finding, measures)
SITES = [
    (SiteKind.ROAD, "县道 X0{n} K{k}+200 急弯路段", "transport", "traffic",
     "急弯路段缺少警示标志和减速带，临水一侧护栏缺失", "增设急弯警示标志和减速带，补装波形护栏"),
    (SiteKind.ROAD, "乡道 Y{n}{k} 跨河桥", "transport", "traffic",
     "桥梁栏杆锈蚀断裂，桥面出现坑槽", "更换断裂栏杆，修补桥面，设置限载标志"),
    (SiteKind.HOUSE, "{v}{n}号自建房", "construction", "building",
     "三层自建房擅自加层，承重墙开裂", "停止使用并疏散住户，委托鉴定，按鉴定结论加固或拆除"),
    (SiteKind.HOUSE, "{v}{n}号经营性自建房", "construction", "building",
     "自建房一层开设小超市，楼板变形渗水", "停止经营，委托房屋安全鉴定，加固楼板"),
    (SiteKind.SLOPE, "{v}后山边坡", "water_works", "geological",
     "连续降雨后坡面出现裂缝，坡脚有落石", "设置警示标志和监测桩，雨期撤离坡下住户，实施削坡减载"),
    (SiteKind.SLOPE, "{v}村道旁挡土墙", "water_works", "geological",
     "挡土墙鼓胀外倾，泄水孔堵塞", "疏通泄水孔，设置警戒，编制挡土墙加固方案"),
]  # fmt: skip
AREAS = ["一车间", "二车间", "仓库", "生产区", "办公楼", "一楼大厅", "二楼", "后院", "装配车间"]
POSTS = ["车间主任", "设备科长", "安全员", "生产部经理", "后勤主管", "班组长", "副总经理"]
NOTES = [
    "已按整改措施完成，附整改后照片",
    "已完成整改并组织自查复核，相关人员已培训",
    "整改完毕，建立了日常检查记录",
    "已更换设备配件并试验合格",
    "现场已清理，责任人已落实，制度已修订",
]
SOURCE_WEIGHTS = {
    HazardSource.ENTERPRISE_SELF: 45, HazardSource.GRID_PATROL: 14,
    HazardSource.TOWN_PATROL: 20, HazardSource.COUNTY_CHECK: 12,
    HazardSource.ENFORCEMENT: 4, HazardSource.CITY_SUPERVISION: 2, HazardSource.TIP_OFF: 3,
}  # fmt: skip


class People:
    """Who acts in the demo county: the personas, and for the other towns, villages and
    departments a colleague each (unusable password: only the personas log in)."""

    def __init__(self, rng: random.Random):
        from anlan.demo.world import _mobile, _person

        self.personas = {u.username: u for u in User.objects.filter(username__startswith="demo-")}
        self.county = self.personas["demo-county"]
        self.city = self.personas["demo-city"]
        held = {u.organisation_id: u for u in self.personas.values() if u.organisation_id}
        held |= {
            u.organisation_id: u
            for u in User.objects.filter(username__startswith="staff-").order_by("pk")
        }
        units = Organisation.objects.filter(
            kind__in=[OrganisationKind.TOWN, OrganisationKind.VILLAGE, OrganisationKind.DEPARTMENT]
        ).order_by("pk")
        role = {
            OrganisationKind.TOWN: Role.TOWN_STAFF,
            OrganisationKind.VILLAGE: Role.GRID_WORKER,
            OrganisationKind.DEPARTMENT: Role.DEPARTMENT_STAFF,
        }
        unusable = make_password(None)
        made = [
            User(username=f"staff-{org.pk}", full_name=_person(rng), role=role[org.kind],
                 organisation=org, phone=_mobile(rng), password=unusable)
            for org in units if org.pk not in held
        ]  # fmt: skip
        User.objects.bulk_create(made)
        staff = held | {
            u.organisation_id: u for u in User.objects.filter(username__startswith="staff-")
        }
        self.town = {org.region_id: staff[org.pk] for org in units if org.kind == "town"}
        self.grid = {org.region_id: staff[org.pk] for org in units if org.kind == "village"}
        self.department = {
            code: staff[org.pk]
            for org in units.filter(kind=OrganisationKind.DEPARTMENT)
            for code in org.supervised_categories.values_list("code", flat=True)
        }

    def town_of(self, region: str) -> User:
        return self.town.get(region[:9], self.county)

    def county_unit(self, category: str | None, rng: random.Random) -> User:
        """A county-level reviewer: the department of the industry, else the bureau."""
        department = self.department.get(category or "")
        return department if department and rng.random() < 0.6 else self.county


def _photo(rng: random.Random, colour: tuple[int, int, int]):
    """A small stand-in photo (a coloured frame with a few strokes)."""
    img = Image.new("RGB", (160, 120), colour)
    draw = ImageDraw.Draw(img)
    for _n in range(4):
        x, y = rng.randrange(10, 150), rng.randrange(10, 110)
        draw.rectangle((x - 12, y - 8, x + 12, y + 8), outline=(240, 240, 240), width=2)
    buffer = io.BytesIO()
    img.save(buffer, format="JPEG", quality=70)
    upload = SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")
    return clean_image(upload)


def _plan(hazard: Hazard, measures: str, deadline, rng: random.Random, manager: User) -> dict:
    from anlan.demo.world import _mobile, _person

    name = f"{_person(rng)}（{rng.choice(POSTS)}）" if hazard.enterprise_id else manager.full_name
    plan = {
        "responsible_person": name,
        "responsible_phone": _mobile(rng),
        "measures": measures,
        "funds": Decimal(rng.choice([800, 1500, 3000, 5000, 12000, 26000, 80000, 150000])),
        "deadline": deadline,
    }
    if hazard.level == HazardLevel.MAJOR:
        plan |= {
            "plan_goal": f"消除“{hazard.description[:30]}”重大事故隐患",
            "plan_resources": f"专项资金 {rng.choice([20, 35, 50, 80])} 万元已列支，物资已采购",
            "plan_organisation": "主要负责人任组长，分管负责人牵头，设备、安全部门实施",
            "plan_requirements": "分排查、施工、自验三个阶段，按期完成并书面申请验收",
            "plan_safety_measures": "治理期间停用相关装置，设置警戒区，编制现场处置方案",
        }
    return plan


def build_hazards(count: int, rng: random.Random) -> int:
    if count <= 0:
        return 0
    people = People(rng)
    enterprises = list(Enterprise.objects.select_related("region").order_by("pk"))
    from anlan.demo.risks import enterprise_people

    staff = enterprise_people(enterprises, rng)
    sources, weights = list(SOURCE_WEIGHTS), list(SOURCE_WEIGHTS.values())
    made = 0
    with replay() as clock:
        now = clock.real_now
        # In the order they were found, so the year's numbers run with the dates.
        moments = sorted(
            now - timedelta(days=rng.randrange(0, 150), hours=rng.randrange(1, 10))
            for _ in range(count)
        )
        for found_at in moments:
            if rng.random() < 0.1:
                made += _one(_site(rng, enterprises), people, None, rng, clock, found_at)
            else:
                enterprise = rng.choice(enterprises)
                made += _one(
                    _finding(enterprise, rng, sources, weights), people,
                    staff[enterprise.pk], rng, clock, found_at,
                )  # fmt: skip
    return made


def _site(rng: random.Random, enterprises: list[Enterprise]) -> tuple[Hazard, str]:
    kind, name, supervision, category, finding, measures = rng.choice(SITES)
    region = rng.choice(enterprises).region
    site = name.format(n=rng.randrange(1, 99), k=rng.randrange(1, 30), v=region.name)
    hazard = Hazard(
        site_kind=kind, site_name=site, region_id=region.code,
        supervision_category_id=supervision, location=site, description=finding,
        category_id=category, level=HazardLevel.GENERAL,
        source=rng.choice([HazardSource.GRID_PATROL, HazardSource.TOWN_PATROL,
                           HazardSource.COUNTY_CHECK, HazardSource.TIP_OFF]),
    )  # fmt: skip
    return hazard, measures


def _finding(enterprise: Enterprise, rng, sources, weights) -> tuple[Hazard, str]:
    kind = registers.kind_of(enterprise.name)
    fits = [f for f in FINDINGS if f[3] is None or kind in f[3]]
    category, text, measures, _kinds = rng.choice(fits)
    area = rng.choice(AREAS)
    description = text.format(n=rng.randint(2, 6), area=area)
    major = category in ("dangerous_goods", "construction_site", "environment") and (
        rng.random() < 0.25
    )
    hazard = Hazard(
        enterprise=enterprise, site_kind=SiteKind.ENTERPRISE, location=f"{enterprise.address} {area}",
        description=description, category_id=category,
        level=HazardLevel.MAJOR if major else HazardLevel.GENERAL,
        source=rng.choices(sources, weights)[0],
    )  # fmt: skip
    return hazard, measures


def _finder(hazard: Hazard, people: People, staff, rng: random.Random) -> User:
    region = hazard.enterprise.region_id if hazard.enterprise else hazard.region_id
    source = hazard.source
    if source == HazardSource.ENTERPRISE_SELF and staff:
        return rng.choice(staff)
    if source == HazardSource.GRID_PATROL and region in people.grid:
        return people.grid[region]
    if source in (HazardSource.COUNTY_CHECK, HazardSource.ENFORCEMENT):
        category = hazard.enterprise.category_id if hazard.enterprise else None
        return people.county_unit(category or hazard.supervision_category_id, rng)
    if source == HazardSource.CITY_SUPERVISION:
        return people.city
    hazard.source = (
        HazardSource.TIP_OFF if source == HazardSource.TIP_OFF else HazardSource.TOWN_PATROL
    )
    return people.town_of(region)


def _one(found, people: People, staff, rng: random.Random, clock, found_at) -> int:
    """Replay one hazard from its report as far as its timeline has got by now."""
    hazard, measures = found
    now = clock.real_now
    finder = _finder(hazard, people, staff, rng)
    hazard.found_at = hazard.created_at = found_at
    clock.set(found_at)
    photos = [_photo(rng, (150, 90, 60))] if rng.random() < 0.4 else []
    actions.do_report_hazard(hazard, actor=finder, photos=photos)
    town = people.town_of(hazard.region_id)
    major = hazard.level == HazardLevel.MAJOR

    def at(moment) -> bool:
        if moment > now:
            return False
        clock.set(moment)
        return True

    moment = found_at + timedelta(hours=rng.randint(4, 60))
    if not at(moment):
        return 1
    if not major and rng.random() < 0.04:
        actions.do_transition(
            hazard, "reject", actor=town,
            comment=rng.choice(["经现场核实，已于检查当日整改完毕", "经核实不属于事故隐患",
                                "重复上报，已并入同一隐患"]),
        )  # fmt: skip
        return 1
    decider = people.county if major else town
    if major and rng.random() < 0.5 and finder.role != Role.BUREAU_STAFF:
        actions.do_transition(
            hazard, "refer", actor=town, comment="初步判定为重大事故隐患，报请县应急管理局确认"
        )
        if not at(moment := moment + timedelta(hours=rng.randint(3, 30))):
            return 1
    days = rng.choice([7, 10, 15, 15, 30, 30, 45, 60] if not major else [30, 45, 60, 90])
    ordered = timezone.localdate(moment) + timedelta(days=days)
    actions.do_transition(hazard, "confirm", actor=decider, deadline=ordered)
    rectifier = staff[0] if staff else town
    if rng.random() < 0.06 or not at(moment := moment + timedelta(hours=rng.randint(6, 72))):
        return 1  # still waiting for the enterprise's plan
    planned = min(ordered, timezone.localdate(moment) + timedelta(days=rng.randint(5, days)))
    actions.do_transition(
        hazard, "plan", actor=rectifier, plan=_plan(hazard, measures, planned, rng, rectifier)
    )
    span = (planned - timezone.localdate(moment)).days + 1
    moment += timedelta(days=span * rng.uniform(0.2, 1.35), hours=rng.randint(0, 8))
    if not at(moment):
        return 1  # rectifying (a few past their deadline)
    submit = {"comment": rng.choice(NOTES), "photos": [_photo(rng, (60, 130, 80))]}
    if major:
        submit["assessment"] = "经企业组织三名专家评估，隐患已消除，具备恢复生产条件"
    actions.do_transition(hazard, "submit", actor=rectifier, **submit)
    reviewer = people.county_unit(hazard.supervision_category_id, rng)
    if not at(moment := moment + timedelta(days=rng.uniform(0.5, 6))):
        return 1
    if rng.random() < 0.08:
        actions.do_transition(hazard, "return", actor=reviewer,
                              comment="现场复查发现整改不彻底，请补充整改后重新提交")  # fmt: skip
        if not at(moment := moment + timedelta(days=rng.uniform(1, 5))):
            return 1
        submit["photos"] = [_photo(rng, (60, 130, 80))]
        submit["comment"] = "已按复查意见补充整改"
        actions.do_transition(hazard, "submit", actor=rectifier, **submit)
        if not at(moment := moment + timedelta(days=rng.uniform(0.5, 3))):
            return 1
    actions.do_transition(hazard, "accept", actor=reviewer, comment="经现场验收，整改合格")
    if not at(moment + timedelta(days=rng.uniform(0.5, 5))):
        return 1
    closer = people.city if major else people.county
    actions.do_transition(hazard, "close", actor=closer)
    return 1
