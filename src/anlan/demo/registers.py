"""Risk-register templates for the demo by type of business (一企一档 looks like its trade).

The type of business is read from the enterprise's name as the demo made it (a 幼儿园, a KTV,
a 化工有限公司); each type lists its risk points and the posts that answer for them. The
likelihood (L) of each point is drawn per enterprise: exposure and consequence (E and C, or S)
belong to the point, so a kindergarten never scores a dust explosion and only points that can
kill several people can score red. Levels are graded by risks/rules.py.
"""

from __future__ import annotations

from typing import NamedTuple

from anlan.risks.models import Method

M = Method


class Point(NamedTuple):
    object_kind: str  # site / device / operation
    obj: str  # 风险点 (the risk object)
    unit: str  # 风险分析单元
    area: str
    event: str  # 风险事件
    factor_kind: str  # human / material / environment / management
    factor: str  # 危险有害因素
    accident_types: list[str]
    method: str
    fixed: tuple[int, ...]  # LEC: (E, C); LS: (S,)
    measures: list[tuple[str, str, str, str]]  # (kind, description, check items, frequency)
    emergency: str


FIRE_EMERGENCY = "发现火情立即报警 119，使用就近灭火器初期扑救，组织人员沿疏散通道撤离。"
SHOCK_EMERGENCY = "立即切断电源，用绝缘物使触电者脱离电源，必要时心肺复苏，拨打 120。"
INJURY_EMERGENCY = "立即停机停止作业，保护现场，对伤者止血包扎并拨打 120。"

P = {
    # -- shared points -------------------------------------------------------------------
    "power_room": Point(
        "site", "配电房", "低压配电室", "动力区", "触电", "material",
        "带电部位裸露；绝缘防护用品失效；无证电工操作", ["electric_shock", "fire"], M.LEC, (3, 7),
        [("management", "配电房每日巡检，门锁闭，警示标志完好",
          "门锁闭并有警示标志\n绝缘垫、绝缘手套完好\n无异味、异响", "daily"),
         ("training", "电工持证上岗", "", "monthly")],
        SHOCK_EMERGENCY),
    "evacuation": Point(
        "site", "疏散通道", "安全出口及疏散走道", "公共区域", "火灾时人员疏散受阻", "environment",
        "安全出口锁闭；疏散通道堆放杂物；应急照明失效", ["fire"], M.LS, (4,),
        [("management", "安全出口、疏散通道保持畅通", "安全出口未锁闭\n通道无杂物\n应急照明、疏散指示完好", "daily")],
        FIRE_EMERGENCY),
    "kitchen_gas": Point(
        "site", "厨房", "燃气灶具及管道", "后厨", "燃气泄漏引发火灾爆炸", "material",
        "燃气软管老化；未安装燃气泄漏报警装置；油烟管道积油", ["fire", "other_explosion"],
        M.LEC, (6, 15),
        [("engineering", "燃气泄漏报警器与紧急切断阀联动有效", "报警器通电正常\n切断阀动作可靠", "daily"),
         ("management", "燃气软管每半年更换，油烟管道每季度清洗", "软管无老化龟裂\n烟道清洗记录齐全", "monthly")],
        "立即关闭燃气总阀，开窗通风，严禁开关电器和明火，撤离人员后拨打 119。"),
    "forklift": Point(
        "device", "厂内车辆", "叉车", "仓储区", "叉车撞人、倾翻", "human",
        "无证驾驶；超速、超载；人车混行", ["vehicle"], M.LS, (4,),
        [("training", "叉车司机持证上岗", "", "monthly"),
         ("management", "厂内限速 5 km/h，人车分流", "限速标志完好\n人行通道畅通", "daily")],
        "立即停车，保护现场，救护伤员，拨打 120。"),
    "work_at_height": Point(
        "operation", "高处作业", "屋面及设备检修", "主厂房", "高处坠落", "human",
        "未系安全带；临边洞口无防护；作业平台不稳", ["fall_from_height", "object_strike"],
        M.LEC, (2, 15),
        [("protection", "高处作业系挂安全带、设置临边防护", "安全带完好并高挂低用\n临边防护栏杆齐全", "weekly")],
        "停止作业，不得随意搬动伤者，拨打 120。"),
    "confined_space": Point(
        "operation", "有限空间作业", "污水池、窨井清淤", "污水处理站", "有限空间中毒窒息", "management",
        "未通风检测即进入；无人监护；盲目施救", ["poisoning_asphyxia"], M.LS, (5,),
        [("management", "执行先通风、再检测、后作业", "作业审批单齐全\n气体检测记录合格\n监护人在岗", "monthly"),
         ("emergency", "配备正压式呼吸器和三脚架", "呼吸器气压正常\n三脚架、安全绳完好", "quarterly")],
        "严禁盲目施救；佩戴正压式呼吸器后施救，拨打 120。"),
    "hot_work": Point(
        "operation", "动火作业", "电气焊作业", "维修车间", "动火引燃可燃物", "human",
        "未办理动火审批；作业点周围可燃物未清理；无人监护", ["fire", "scald_burn"], M.LEC, (3, 15),
        [("management", "动火作业审批，配备监护人和灭火器", "动火证在有效期内\n5 米内无可燃物", "weekly")],
        FIRE_EMERGENCY),
    # -- hazardous chemicals, fireworks, explosives, gas ---------------------------------
    "tank_farm": Point(
        "site", "储罐区", "甲醇储罐", "罐区", "储罐泄漏引发火灾爆炸", "material",
        "法兰密封失效；液位计失灵导致冒罐；静电积聚", ["fire", "other_explosion", "poisoning_asphyxia"],
        M.LEC, (6, 40),
        [("engineering", "液位、温度、压力远传监控和高液位联锁有效", "液位、温度、压力在控制范围内\n联锁投用", "shift"),
         ("engineering", "可燃气体报警器正常投用并在检定有效期内", "报警器显示正常、无报警", "daily"),
         ("emergency", "围堰完好，应急物资齐全", "围堰无破损、排水阀关闭\n吸附棉、防爆工具充足", "weekly")],
        "立即切断泄漏源和物料进出，禁止一切明火，疏散无关人员，用吸附棉围堵，拨打 119。"),
    "reactor": Point(
        "device", "反应釜", "2号反应釜", "合成车间", "反应失控超温超压爆炸", "material",
        "冷却水中断；投料配比错误；安全阀失效", ["vessel_explosion", "fire", "poisoning_asphyxia"],
        M.LEC, (6, 40),
        [("engineering", "温度压力联锁与紧急冷却系统有效", "温度、压力在工艺指标内\n联锁未摘除", "shift"),
         ("management", "严格执行工艺操作规程和投料双人复核", "投料记录双人签字", "daily")],
        "立即停止投料，开启紧急冷却，撤离车间人员，必要时启动紧急泄放，拨打 119。"),
    "chem_warehouse": Point(
        "site", "危化品仓库", "甲类仓库", "仓储区", "易燃液体泄漏引发火灾", "material",
        "超量储存；禁忌物混存；违规动火", ["fire", "other_explosion"], M.LEC, (6, 15),
        [("management", "按品种分区分类储存，不超量", "储存量不超核定量\n禁忌物未混存", "daily"),
         ("engineering", "防爆电气和通风设施完好", "防爆灯具完好\n通风机运转正常", "weekly")],
        "立即切断电源，疏散人员，使用干粉或泡沫灭火器初期处置，拨打 119。"),
    "loading": Point(
        "operation", "装卸作业", "槽车装卸", "装卸站台", "装卸过程中泄漏着火", "human",
        "未连接静电接地；装卸过程无人监护；超装", ["fire", "other_explosion"], M.LS, (4,),
        [("management", "装卸时连接静电接地，全程有人监护", "静电接地夹连接可靠\n监护人在岗", "daily")],
        "立即停止装卸，关闭阀门，驾驶员撤离车辆，使用灭火器处置，拨打 119。"),
    "fireworks_store": Point(
        "site", "烟花爆竹仓库", "成品仓库", "库区", "烟花爆竹燃爆", "material",
        "超量储存；库内堆码超高；防雷设施失效", ["explosive_explosion", "fire"], M.LEC, (6, 40),
        [("management", "按核定药量储存，堆码高度不超 2.5 米", "储存量不超核定量\n堆垛间距符合要求", "daily"),
         ("engineering", "防雷装置每年检测合格", "防雷检测报告在有效期内", "yearly")],
        "立即撤离库区人员至安全距离外，设置警戒，拨打 119，严禁人员靠近扑救。"),
    "explosives_store": Point(
        "site", "民爆物品库", "炸药库", "库区", "民爆物品爆炸", "material",
        "超量储存；雷管炸药同库存放；守库人员脱岗", ["explosive_explosion"], M.LEC, (6, 40),
        [("management", "双人双锁，出入库登记，炸药雷管分库存放", "出入库台账与实物一致\n守库人员在岗", "shift"),
         ("engineering", "视频监控与入侵报警系统在线", "监控画面清晰\n报警系统正常", "daily")],
        "立即撤离至安全距离外，设置警戒，报告公安机关，拨打 119。"),
    "lpg_tank": Point(
        "site", "液化石油气储罐区", "50 立方米储罐", "罐区", "液化石油气泄漏爆炸", "material",
        "阀门密封失效；超装；安全附件失效", ["fire", "other_explosion"], M.LEC, (6, 40),
        [("engineering", "可燃气体报警与紧急切断装置有效", "报警器无报警\n紧急切断阀动作可靠", "shift"),
         ("management", "安全阀、压力表按期校验", "安全附件在校验有效期内", "monthly")],
        "立即关闭紧急切断阀，消除一切火源，疏散周边群众，喷水稀释，拨打 119。"),
    "cylinder_filling": Point(
        "operation", "气瓶充装", "液化气钢瓶充装", "充装间", "气瓶超装爆裂", "human",
        "充装超量；超期未检气瓶充装", ["vessel_explosion", "fire"], M.LS, (4,),
        [("management", "充装前逐瓶检查，充装后复秤", "充装记录完整\n无超期未检气瓶", "shift")],
        "立即停止充装，关闭阀门，疏散人员，拨打 119。"),
    "gas_pipeline": Point(
        "device", "燃气管网", "中压燃气管道", "城区管网", "第三方施工挖断燃气管道", "environment",
        "管道标识缺失；沿线违章施工", ["fire", "other_explosion"], M.LS, (4,),
        [("management", "管线巡查，施工现场设专人监护", "巡线记录齐全\n管道标识完好", "daily")],
        "立即关闭上游阀门，设置警戒，疏散群众，组织抢修，拨打 119。"),
    # -- mines, construction, transport ---------------------------------------------------
    "slope": Point(
        "site", "采场边坡", "开采台阶", "采区", "边坡坍塌", "environment",
        "台阶超高、坡面过陡；雨后未检查；浮石未清理", ["collapse", "object_strike"], M.LS, (5,),
        [("management", "边坡每班检查，雨后复查，监测数据在线", "坡面无裂缝、浮石\n位移监测无报警", "shift")],
        "立即撤离坡底人员和设备，设置警戒，报告矿长，拨打 120。"),
    "blasting": Point(
        "operation", "爆破作业", "中深孔爆破", "采区", "爆破飞石伤人", "management",
        "警戒范围不足；盲炮处理不当", ["blasting", "object_strike"], M.LS, (4,),
        [("management", "爆破前设置警戒并清场，爆破后检查盲炮", "警戒距离不少于 200 米\n清场记录齐全", "daily")],
        "立即停止作业，撤离人员，救护伤员，拨打 120。"),
    "crusher": Point(
        "device", "破碎机", "颚式破碎机", "破碎车间", "清理破碎机卡料时机械伤害", "human",
        "未停机断电即清理；无联锁", ["machinery"], M.LEC, (3, 15),
        [("engineering", "防护罩和检修联锁完好", "防护罩齐全\n检修挂牌上锁", "shift")],
        INJURY_EMERGENCY),
    "scaffold": Point(
        "site", "脚手架", "外墙落地式脚手架", "主体施工区", "脚手架坍塌", "material",
        "连墙件缺失；基础不牢；超载堆料", ["collapse", "fall_from_height"], M.LEC, (6, 40),
        [("management", "脚手架搭设验收，每日巡查连墙件", "连墙件齐全\n基础无沉降\n无超载堆料", "daily")],
        "立即撤离架上及周边人员，设置警戒，组织救援，拨打 120。"),
    "tower_crane": Point(
        "device", "塔式起重机", "1号塔吊", "施工现场", "塔吊倾覆、吊物坠落", "material",
        "力矩限制器失效；司索指挥无证；大风天气作业", ["lifting", "object_strike"], M.LEC, (6, 15),
        [("engineering", "限位、力矩限制器灵敏可靠", "限位器有效\n钢丝绳无断丝", "daily"),
         ("training", "塔吊司机、信号工持证上岗", "", "monthly")],
        "立即停止吊装，撤离作业半径内人员，救护伤员，拨打 120。"),
    "foundation_pit": Point(
        "site", "深基坑", "基坑支护", "基坑", "基坑坍塌", "environment",
        "支护变形；坑边堆载；降水不到位", ["collapse"], M.LS, (5,),
        [("management", "基坑监测，坑边 1 米内不堆载", "监测数据无超限\n坑边无堆载", "daily")],
        "立即撤离坑内人员，停止坑边作业，设置警戒，拨打 120。"),
    "edges": Point(
        "site", "临边洞口", "楼层临边及电梯井口", "主体施工区", "人员高处坠落", "environment",
        "临边防护缺失；洞口未封闭", ["fall_from_height"], M.LEC, (6, 7),
        [("engineering", "临边设防护栏杆，洞口封闭", "防护栏杆齐全\n洞口盖板固定", "daily")],
        "停止作业，不得随意搬动伤者，拨打 120。"),
    "temp_power": Point(
        "site", "施工临时用电", "配电箱及线路", "施工现场", "触电", "material",
        "未执行一机一闸一漏；电线拖地浸水", ["electric_shock"], M.LEC, (6, 7),
        [("engineering", "三级配电两级保护，漏电保护器每日试跳", "漏电保护器试跳正常\n线路架空", "daily")],
        SHOCK_EMERGENCY),
    "vehicles": Point(
        "device", "营运车辆", "重型货车", "道路运输", "货车制动失效追尾、侧翻", "material",
        "车辆带病运行；超载；疲劳驾驶", ["vehicle"], M.LS, (4,),
        [("management", "出车前安全例检，动态监控防疲劳", "例检记录齐全\n动态监控在线", "daily"),
         ("training", "驾驶员月度安全教育", "", "monthly")],
        "开启危险报警灯，设置警示标志，救护伤员，拨打 122、120。"),
    "bus": Point(
        "device", "营运客车", "农村客运班线车辆", "道路运输", "客车超员、侧翻", "human",
        "超员；超速；山区急弯路段", ["vehicle", "drowning"], M.LEC, (6, 40),
        [("management", "进站检查不超员，动态监控超速报警", "核载人数与实载一致\n超速报警已处置", "daily")],
        "组织乘客有序撤离，救护伤员，设置警示标志，拨打 122、120。"),
    "warehouse": Point(
        "site", "物流仓库", "货物堆垛区", "仓库", "仓库火灾", "material",
        "违规使用电动车充电；照明灯具靠近可燃物；堆垛过高", ["fire"], M.LEC, (6, 15),
        [("management", "库内禁止充电和吸烟，货物堆垛与灯具保持 0.5 米以上", "库内无充电\n堆垛间距符合要求", "daily"),
         ("emergency", "自动喷淋和消火栓系统完好", "喷淋管网压力正常\n消火栓水带齐全", "weekly")],
        FIRE_EMERGENCY),
    "shelving": Point(
        "device", "货架", "高位货架", "仓库", "货架倒塌、货物坠落", "material",
        "货架超载；立柱被叉车撞变形", ["object_strike", "collapse"], M.LS, (3,),
        [("management", "货架标明限载，变形立柱及时更换", "立柱无变形\n不超载", "weekly")],
        INJURY_EMERGENCY),
    # -- industry and trade ---------------------------------------------------------------
    "press": Point(
        "device", "冲压生产线", "冲床", "冲压车间", "冲床误动作压手", "material",
        "光电保护装置失效；双手按钮被短接", ["machinery"], M.LEC, (6, 7),
        [("engineering", "光电保护装置完好有效", "光电保护装置灵敏可靠\n双手按钮未被短接", "shift"),
         ("training", "冲床操作工岗前培训、持证上岗", "", "monthly")],
        INJURY_EMERGENCY),
    "metal_dust": Point(
        "site", "抛光打磨车间", "铝镁粉尘除尘系统", "打磨车间", "铝镁粉尘爆炸", "material",
        "除尘器积尘未清理；未采用防爆电气；粉尘浓度超标", ["other_explosion", "fire"],
        M.LEC, (6, 40),
        [("engineering", "湿式除尘系统运行正常，泄爆装置完好", "除尘器水位正常\n泄爆片完好", "shift"),
         ("management", "每班清扫积尘并记录", "地面、设备表面无积尘", "shift")],
        "立即停止作业，切断电源，撤离人员，严禁用水或压缩空气吹扫着火粉尘，拨打 119。"),
    "wood_dust": Point(
        "site", "木工车间", "砂光机及布袋除尘器", "木工车间", "木粉尘燃爆", "material",
        "布袋除尘器无泄爆；火花探测失效；积尘", ["other_explosion", "fire"], M.LEC, (6, 40),
        [("engineering", "除尘器泄爆、火花探测与熄灭装置有效", "泄爆片完好\n火花探测装置报警测试正常", "daily"),
         ("management", "每班清理积尘", "设备表面积尘厚度不超 1 毫米", "shift")],
        "立即停机，切断除尘系统，撤离人员，拨打 119。"),
    "woodworking_saw": Point(
        "device", "木工机械", "圆盘锯", "木工车间", "锯片伤手", "human",
        "防护罩拆除；徒手推料", ["machinery"], M.LEC, (6, 7),
        [("engineering", "圆盘锯防护罩、分料刀齐全，使用推料棒", "防护罩完好\n推料棒在位", "shift")],
        INJURY_EMERGENCY),
    "cotton_dust": Point(
        "site", "纺纱车间", "梳棉及清花工序", "纺纱车间", "棉尘火灾", "material",
        "飞花积聚；电气线路老化", ["fire"], M.LEC, (6, 15),
        [("management", "每班清扫飞花，电气线路定期检查", "设备及电机无飞花积聚", "shift")],
        FIRE_EMERGENCY),
    "looms": Point(
        "device", "织造设备", "织机传动部位", "织造车间", "卷入传动部位", "human",
        "传动部位防护缺失；长发未盘起", ["machinery"], M.LEC, (6, 3),
        [("protection", "传动部位加装防护罩，员工规范着装", "防护罩完好\n着装规范", "daily")],
        INJURY_EMERGENCY),
    "ammonia": Point(
        "device", "氨制冷系统", "液氨储罐及冷库", "制冷机房", "液氨泄漏中毒", "material",
        "阀门、管道泄漏；氨气报警失效", ["poisoning_asphyxia", "other_explosion"], M.LEC, (6, 40),
        [("engineering", "氨气浓度报警与事故排风联动有效", "报警器显示正常\n事故风机可启动", "shift"),
         ("emergency", "配备防化服和空气呼吸器", "防护用品完好在位", "weekly")],
        "立即佩戴空气呼吸器关闭阀门，启动事故排风，人员向上风向撤离，拨打 119、120。"),
    "flour_dust": Point(
        "site", "面粉投料间", "投料及筛粉工序", "生产车间", "淀粉粉尘爆炸", "material",
        "投料粉尘飞扬；吸尘设施缺失", ["other_explosion"], M.LEC, (3, 15),
        [("engineering", "投料口设局部吸尘，电气设备防爆", "吸尘罩运行正常", "shift")],
        "立即停止投料，切断电源，撤离人员，拨打 119。"),
    "boiler": Point(
        "device", "锅炉", "4 吨燃气蒸汽锅炉", "锅炉房", "锅炉超压爆炸", "material",
        "安全阀、压力表失效；缺水干烧；司炉脱岗", ["boiler_explosion", "scald_burn"], M.LEC, (6, 15),
        [("engineering", "安全阀、压力表、水位计定期校验", "水位、压力正常\n安全附件在检定期内", "shift"),
         ("training", "司炉工持证上岗", "", "monthly")],
        "立即停炉，关闭燃气阀，撤离人员，拨打 119、120。"),
    "crane": Point(
        "device", "起重机械", "桥式起重机", "装配车间", "吊物坠落伤人", "material",
        "钢丝绳断丝；吊钩防脱装置缺失；限位失效", ["lifting", "object_strike"], M.LEC, (6, 7),
        [("engineering", "起重机限位、吊钩防脱装置完好", "钢丝绳无断丝\n防脱钩完好", "daily"),
         ("training", "起重机司机、司索工持证上岗", "", "monthly")],
        INJURY_EMERGENCY),
    "lift_install": Point(
        "operation", "电梯安装维修", "井道作业", "客户现场", "井道内高处坠落", "human",
        "层门未设防护；未系安全带", ["fall_from_height"], M.LEC, (3, 15),
        [("management", "井道作业设置层门防护和警示，作业人员系安全带", "层门防护到位", "weekly")],
        "停止作业，不得随意搬动伤者，拨打 120。"),
    # -- crowded places, schools, hospitals, tourism -----------------------------------------
    "ktv_rooms": Point(
        "site", "KTV包厢区", "包厢及走道", "营业区", "包厢火灾致人员群死群伤", "material",
        "装修材料可燃；包厢内吸烟；疏散通道狭长", ["fire", "poisoning_asphyxia"], M.LEC, (6, 40),
        [("engineering", "自动喷淋、烟感和排烟系统完好", "喷淋末端试水正常\n烟感无遮挡", "daily"),
         ("management", "营业前防火巡查，营业中每两小时巡查", "包厢无违规用火\n疏散指示完好", "twice_daily")],
        "立即停止营业，切断音响电源，广播引导顾客沿疏散通道撤离，拨打 119。"),
    "ktv_crowd": Point(
        "site", "营业大厅", "大厅及舞池", "营业区", "人员拥挤踩踏", "management",
        "超员营业；安全出口不足", ["other_injury"], M.LS, (4,),
        [("management", "控制营业人数，高峰期专人疏导", "实时人数不超核定人数", "daily")],
        "广播稳定情绪，打开全部安全出口，分批疏导人员，拨打 120。"),
    "mall_crowd": Point(
        "site", "营业大厅", "卖场及出入口", "营业区", "节假日人员拥挤踩踏", "management",
        "客流高峰无疏导；出入口狭窄", ["other_injury"], M.LS, (4,),
        [("management", "节假日客流监测，专人疏导", "客流不超限\n出入口通畅", "daily")],
        "广播稳定情绪，打开全部出入口，分批疏导人员，拨打 120。"),
    "mall_fire": Point(
        "site", "商场", "商铺及仓储区", "营业区", "商场火灾", "material",
        "可燃商品集中；违规用电；电动车室内充电", ["fire"], M.LEC, (6, 15),
        [("management", "每日防火巡查，闭店前检查用电", "商铺无私拉电线\n闭店后切断非必要电源", "daily"),
         ("emergency", "消防设施每月检测", "消火栓、灭火器完好", "monthly")],
        FIRE_EMERGENCY),
    "market_stalls": Point(
        "site", "农贸市场", "摊位及棚顶", "市场", "摊位电气火灾、雨棚坍塌", "environment",
        "私拉乱接；液化气罐使用不规范；钢棚锈蚀", ["fire", "collapse"], M.LS, (3,),
        [("management", "摊位用电、用气每日巡查", "无私拉电线\n液化气罐在检验期内", "daily")],
        FIRE_EMERGENCY),
    "hotel_rooms": Point(
        "site", "客房楼层", "客房及走道", "客房区", "客房火灾", "human",
        "客人卧床吸烟；电热器具使用", ["fire", "poisoning_asphyxia"], M.LEC, (6, 15),
        [("management", "夜间每两小时防火巡查", "走道无杂物\n防火门常闭", "twice_daily")],
        FIRE_EMERGENCY),
    "classrooms": Point(
        "site", "教学楼", "楼梯间", "教学区", "课间拥挤踩踏", "management",
        "上下楼集中；楼梯照明不足", ["other_injury"], M.LS, (4,),
        [("management", "上下学、课间教师在楼梯口值守疏导", "值守教师在岗\n楼梯照明完好", "daily")],
        "立即疏散围观学生，救护受伤学生，通知家长，拨打 120。"),
    "school_canteen": Point(
        "site", "学校食堂", "操作间", "食堂", "燃气泄漏或食物中毒", "management",
        "燃气报警失效；食材验收不严", ["fire", "poisoning_asphyxia"], M.LS, (3,),
        [("management", "食材验收留样，燃气设施每日检查", "留样记录齐全\n燃气报警正常", "daily")],
        "关闭燃气阀门，疏散就餐人员；疑似食物中毒立即送医并封存留样，拨打 120。"),
    "school_drowning": Point(
        "site", "周边水域", "学校周边池塘", "校外", "学生溺水", "environment",
        "周边水域无警示；假期监管缺失", ["drowning"], M.LS, (4,),
        [("training", "开展防溺水教育，假期致家长一封信", "教育记录齐全", "monthly")],
        "立即呼救并拨打 110、120，不得手拉手施救。"),
    "kindergarten_play": Point(
        "site", "户外活动场地", "大型玩具及滑梯", "户外场地", "幼儿跌落、夹伤", "material",
        "玩具螺丝松动；地面无缓冲层", ["other_injury", "fall_from_height"], M.LS, (2,),
        [("management", "每日晨检大型玩具和场地", "玩具无松动、无尖角\n地垫完好", "daily")],
        "立即救护幼儿并通知家长，必要时送医，拨打 120。"),
    "kindergarten_gate": Point(
        "site", "园门", "门卫及接送区", "大门", "外来人员侵害", "management",
        "门卫脱岗；接送卡核验不严", ["other_injury"], M.LS, (4,),
        [("management", "门卫 24 小时值守，接送凭卡", "门卫在岗\n防护器械齐全", "daily")],
        "关闭园门，保教人员组织幼儿进入教室，拨打 110。"),
    "school_bus": Point(
        "device", "校车", "幼儿园校车", "接送途中", "校车交通事故", "human",
        "超员；驾驶员资质不符；随车照管人员缺位", ["vehicle"], M.LS, (4,),
        [("management", "校车每日出车检查，随车照管员清点人数", "车辆例检合格\n上下车人数一致", "daily")],
        "开启警示灯，疏散幼儿至安全地带，救护伤员，拨打 122、120。"),
    "oxygen": Point(
        "site", "医用气体站", "氧气汇流排间", "后勤区", "氧气泄漏助燃起火", "material",
        "油脂接触氧气阀门；室内有可燃物", ["fire", "vessel_explosion"], M.LEC, (6, 15),
        [("management", "氧气间禁油禁火，气瓶固定", "气瓶固定\n无油脂、可燃物", "daily")],
        "关闭氧气总阀，转移病人，使用灭火器扑救，拨打 119。"),
    "wards": Point(
        "site", "住院部", "病房及护士站", "住院楼", "病房火灾，行动不便病人疏散困难", "environment",
        "病房内使用电器；疏散预案未演练", ["fire"], M.LEC, (6, 15),
        [("management", "夜间每两小时巡查，每季度疏散演练", "走道畅通\n演练记录齐全", "twice_daily")],
        "按预案先转移重症和行动不便病人，关闭防火门，拨打 119。"),
    "medical_waste": Point(
        "site", "医疗废物暂存间", "医废暂存", "后勤区", "医疗废物泄漏感染", "management",
        "暂存超期；未分类包装", ["other_injury"], M.LS, (2,),
        [("management", "医疗废物分类收集，48 小时内转运", "转运联单齐全", "daily")],
        "封闭泄漏区域，消毒处理，人员就医观察。"),
    "scenic_trail": Point(
        "site", "景区游步道", "临崖栈道", "游览区", "游客坠崖、落石伤人", "environment",
        "护栏松动；雨后落石", ["fall_from_height", "object_strike"], M.LS, (4,),
        [("management", "每日开园前巡查栈道、护栏和边坡", "护栏牢固\n无落石", "daily")],
        "立即封闭相关路段，救护伤员，拨打 120。"),
    "scenic_crowd": Point(
        "site", "景区入口", "检票口及观景台", "游览区", "节假日游客拥挤踩踏", "management",
        "未实行限流；观景平台超载", ["other_injury", "collapse"], M.LS, (4,),
        [("management", "实行预约限流，高峰专人疏导", "游客量不超最大承载量", "daily")],
        "暂停入园，分批疏导游客，救护伤员，拨打 120。"),
    "homestay": Point(
        "site", "民宿", "客房及厨房", "民宿", "民宿火灾", "material",
        "木结构建筑；电线老化；厨房使用液化气", ["fire"], M.LEC, (3, 15),
        [("management", "每日检查用电用气，客房配备防烟面罩", "无私拉电线\n液化气软管完好", "daily")],
        FIRE_EMERGENCY),
    # -- agriculture, water, forestry -----------------------------------------------------
    "farm_machinery": Point(
        "device", "农业机械", "拖拉机、收割机", "田间", "农机侧翻、卷入", "human",
        "无证驾驶；带病作业；山坡地作业", ["vehicle", "machinery"], M.LS, (4,),
        [("training", "农机手持证上岗，作业前检查", "农机年检合格", "monthly")],
        INJURY_EMERGENCY),
    "manure_pit": Point(
        "site", "沼气池、粪污池", "粪污处理池", "养殖场", "进入粪污池中毒窒息", "management",
        "未通风即下池清理", ["poisoning_asphyxia", "drowning"], M.LS, (5,),
        [("management", "清池作业审批、通风检测、专人监护", "池口盖板完好\n警示标志齐全", "monthly")],
        "严禁盲目施救；通风后佩戴呼吸器施救，拨打 120。"),
    "pesticide": Point(
        "site", "农药仓库", "农药储存间", "仓库", "农药中毒", "management",
        "农药与食品混放；无专人保管", ["poisoning_asphyxia"], M.LS, (3,),
        [("management", "农药专柜加锁，专人保管、登记", "出入库登记齐全", "weekly")],
        "将中毒人员移至空气新鲜处，携带农药标签送医，拨打 120。"),
    "dam": Point(
        "site", "水库大坝", "大坝及溢洪道", "坝区", "汛期大坝渗漏、漫坝", "environment",
        "坝体渗漏；溢洪道堵塞；雨情监测不到位", ["drowning", "collapse"], M.LS, (5,),
        [("management", "汛期每日巡坝，水位雨情实时监测", "坝体无渗漏、裂缝\n溢洪道畅通", "daily")],
        "立即报告防汛指挥部，发布预警，组织下游群众转移。"),
    "chlorine": Point(
        "device", "加氯间", "液氯钢瓶", "水厂", "氯气泄漏中毒", "material",
        "钢瓶阀门泄漏；漏氯吸收装置失效", ["poisoning_asphyxia"], M.LEC, (6, 40),
        [("engineering", "漏氯报警与吸收装置联动有效", "报警器正常\n吸收装置运转正常", "shift")],
        "佩戴空气呼吸器关闭钢瓶阀门，启动漏氯吸收装置，人员向上风向撤离，拨打 119。"),
    "forest_fire": Point(
        "site", "林区", "防火林带", "林区", "森林火灾", "human",
        "祭祀用火、野外吸烟；高火险期巡护不足", ["fire"], M.LEC, (6, 15),
        [("management", "高火险期加密巡护，进山路口检查火种", "巡护记录齐全\n防火检查站有人值守", "daily")],
        "立即报告森林防火指挥部，组织扑火队伍，疏散周边群众。"),
    "chainsaw": Point(
        "operation", "采伐作业", "油锯伐木", "林区", "树木倒伏砸人", "human",
        "伐木方向判断失误；安全距离不足", ["object_strike", "machinery"], M.LS, (4,),
        [("protection", "伐木作业佩戴安全帽，设置安全距离", "安全距离不少于两倍树高", "daily")],
        INJURY_EMERGENCY),
}  # fmt: skip

# Type of business: (enterprise-name endings, GB/T 4754 section, posts for the four control
# levels (公司/车间/班组/岗位), risk points).
KINDS: dict[str, tuple[tuple[str, ...], str, tuple[str, str, str, str], list[str]]] = {
    "chemical_plant": (("化工有限公司", "精细化工有限公司"), "C",
                       ("总经理", "生产部经理", "当班班长", "主操作工"),
                       ["tank_farm", "reactor", "loading", "confined_space", "hot_work", "power_room"]),
    "chemical_store": (("化学品经营部",), "F", ("负责人", "仓库主管", "仓管班长", "仓管员"),
                       ["chem_warehouse", "loading", "evacuation"]),
    "quarry": (("石料有限公司", "矿业有限公司", "采石场"), "B", ("矿长", "生产副矿长", "采场班长", "爆破员"),
               ["slope", "blasting", "crusher", "power_room"]),
    "construction": (("建筑工程有限公司", "建设有限公司", "市政工程有限公司"), "E",
                     ("项目经理", "技术负责人", "施工员", "专职安全员"),
                     ["scaffold", "tower_crane", "foundation_pit", "edges", "temp_power"]),
    "freight": (("运输有限公司",), "G", ("总经理", "安全科长", "车队长", "驾驶员"),
                ["vehicles", "forklift", "power_room"]),
    "logistics": (("物流有限公司", "仓储有限公司"), "G", ("总经理", "仓储部经理", "仓库主管", "叉车司机"),
                  ["warehouse", "forklift", "shelving", "evacuation"]),
    "bus": (("客运有限公司",), "G", ("总经理", "安全科长", "车队长", "驾驶员"), ["bus", "power_room"]),
    "metalwork": (("机械制造有限公司", "五金厂", "金属制品有限公司"), "C",
                  ("总经理", "生产部经理", "车间班长", "操作工"),
                  ["press", "metal_dust", "crane", "work_at_height", "forklift", "power_room"]),
    "textile": (("纺织有限公司",), "C", ("总经理", "生产厂长", "车间班长", "挡车工"),
                ["cotton_dust", "looms", "evacuation", "power_room"]),
    "woodwork": (("木业有限公司", "家具有限公司"), "C", ("总经理", "生产厂长", "车间班长", "木工"),
                 ["wood_dust", "woodworking_saw", "forklift", "power_room"]),
    "food": (("食品有限公司",), "C", ("总经理", "生产部经理", "车间班长", "操作工"),
             ["ammonia", "flour_dust", "boiler", "confined_space", "power_room"]),
    "fireworks": (("烟花爆竹经营部", "烟花爆竹批发有限公司"), "F", ("负责人", "仓库主管", "保管班长", "保管员"),
                  ["fireworks_store", "loading", "evacuation"]),
    "gas": (("燃气有限公司", "液化气站"), "D", ("站长", "运行部经理", "当班班长", "充装工"),
            ["lpg_tank", "cylinder_filling", "gas_pipeline", "power_room"]),
    "ktv": (("KTV",), "R", ("总经理", "营业部经理", "楼面主管", "服务员"),
            ["ktv_rooms", "ktv_crowd", "evacuation", "kitchen_gas"]),
    "market": (("商贸城", "超市", "农贸市场"), "F", ("总经理", "营运部经理", "楼层主管", "营业员"),
               ["mall_fire", "mall_crowd", "market_stalls", "evacuation", "forklift"]),
    "hotel": (("大酒店",), "H", ("总经理", "安保部经理", "楼层主管", "服务员"),
              ["hotel_rooms", "kitchen_gas", "evacuation", "boiler"]),
    "restaurant": (("酒楼",), "H", ("店长", "厨师长", "领班", "厨师"),
                   ["kitchen_gas", "evacuation", "power_room"]),
    "equipment": (("电梯工程有限公司", "锅炉有限公司", "起重设备有限公司"), "C",
                  ("总经理", "技术部经理", "安装班长", "安装工"),
                  ["lift_install", "crane", "boiler", "hot_work", "power_room"]),
    "school": (("中心小学", "中学"), "P", ("校长", "分管副校长", "年级组长", "班主任"),
               ["classrooms", "school_canteen", "school_drowning", "evacuation"]),
    "kindergarten": (("幼儿园",), "P", ("园长", "保教主任", "班主任", "保育员"),
                     ["kindergarten_play", "kindergarten_gate", "school_bus", "kitchen_gas", "evacuation"]),
    "clinic": (("卫生院", "医院", "诊所"), "Q", ("院长", "后勤科长", "科室护士长", "值班护士"),
               ["oxygen", "wards", "medical_waste", "evacuation"]),
    "scenic": (("景区", "文化旅游有限公司"), "R", ("总经理", "景区主任", "片区主管", "巡查员"),
               ["scenic_trail", "scenic_crowd", "evacuation"]),
    "homestay": (("民宿",), "H", ("经营者", "店长", "前台主管", "服务员"), ["homestay", "kitchen_gas"]),
    "farm": (("农业开发有限公司", "养殖专业合作社", "农机专业合作社"), "A",
             ("理事长", "生产主管", "组长", "农机手"), ["farm_machinery", "manure_pit", "pesticide"]),
    "water": (("水库管理所", "水务有限公司"), "N", ("所长", "工程科长", "运行班长", "巡查员"),
              ["dam", "chlorine", "confined_space", "power_room"]),
    "forest": (("林场", "林业开发有限公司"), "A", ("场长", "生产科长", "护林队长", "护林员"),
               ["forest_fire", "chainsaw"]),
    "explosives": (("民爆器材有限公司",), "C", ("总经理", "安全部经理", "库管班长", "保管员"),
                   ["explosives_store", "loading", "evacuation"]),
}  # fmt: skip


def kind_of(name: str) -> str:
    """The type of business of a demo enterprise, from the ending of its name."""
    for kind, (endings, *_rest) in KINDS.items():
        if any(name.endswith(ending) for ending in endings):
            return kind
    return "metalwork"


def section_of(name: str) -> str | None:
    """The GB/T 4754 section of a demo enterprise's type of business."""
    for endings, section, *_rest in KINDS.values():
        if any(name.endswith(ending) for ending in endings):
            return section
    return None
