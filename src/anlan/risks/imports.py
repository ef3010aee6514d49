"""Excel import and export of an enterprise's risk register (风险辨识清单).

One row per control measure; the rows of one risk event repeat its object, unit and event
(an event without measures has an empty measure column). Objects, units and events are
matched by name within the enterprise, so a corrected export can be imported again: what
exists is kept, what is new is added. Every row is validated (with the same forms as the
pages) before anything is written; one error and nothing is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils import translation

from anlan.accounts.models import User
from anlan.core.excel import Column, ImportFailed, RowError, read_rows
from anlan.registry.models import Enterprise
from anlan.risks import actions, rules
from anlan.risks.forms import ControlMeasureForm, RiskEventForm, RiskObjectForm, RiskUnitForm
from anlan.risks.models import (
    AssessmentKind,
    ControlMeasure,
    MeasureKind,
    Method,
    ObjectKind,
    RiskEvent,
    RiskObject,
    RiskUnit,
)

COLUMNS = [
    Column("object_kind", "对象类型", required=True),
    Column("object_name", "风险分析对象", required=True),
    Column("unit_name", "风险单元", required=True),
    Column("area", "区域", required=True),
    Column("event_name", "风险事件", required=True),
    Column("factor_kind", "危险有害因素类别", required=True),
    Column("factor", "危险有害因素", required=True),
    Column("accident_types", "可能导致的事故类型", required=True),
    Column("method", "评价方法"),
    Column("l", "L"),
    Column("e", "E"),
    Column("c", "C"),
    Column("s", "S"),
    Column("company_person", "公司级责任人"),
    Column("workshop_person", "车间级责任人"),
    Column("team_person", "班组级责任人"),
    Column("post_person", "岗位级责任人"),
    Column("measure_kind", "措施类型"),
    Column("measure", "管控措施"),
    Column("check_items", "检查项"),
    Column("responsible", "措施责任人账号"),
    Column("frequency", "排查频次"),
    Column("emergency_actions", "应急处置措施"),
    Column("emergency_phones", "应急电话"),
    Column("r_method", "剩余风险评价方法"),
    Column("r_l", "剩余风险L"),
    Column("r_e", "剩余风险E"),
    Column("r_c", "剩余风险C"),
    Column("r_s", "剩余风险S"),
]
HEADERS = [c.header for c in COLUMNS] + ["风险等级", "风险值"]
HEADER_OF = {c.field: c.header for c in COLUMNS}
EXAMPLE_ROWS = [
    [
        "设备设施", "反应釜", "1号反应釜", "合成车间", "反应釜超温超压", "物的因素",
        "温度、压力联锁失效", "容器爆炸、火灾", "LEC", 3, 6, 15, "", "张厂长", "李主任", "王班长",
        "", "工程技术", "温度压力联锁完好投用", "联锁投用状态；压力表在检定期内", "zhang3", "每班",
        "立即停止进料，开启紧急冷却，疏散人员", "企业应急值班 0571-00000000；火警 119",
        "LEC", 1, 6, 15, "",
    ],
]  # fmt: skip

_ITEM_SPLIT = re.compile(r"[；;\n]+")
_TYPE_SPLIT = re.compile(r"[、,，;；/\s]+")


def _labels(choices) -> dict[str, str]:
    with translation.override("zh-hans"):
        mapping = {str(label): value for value, label in choices}
    return mapping | {value: value for value, _label in choices}


FREQUENCY_HINT = (
    "可填：每小时、每2小时、每班、每天两次、每天、每周、每月、每季度、每半年、每年、不定期"
)
FACTOR_WORDS = {"人": "human", "物": "material", "环境": "environment", "管理": "management"}


def _choice(text: str, words: dict[str, str], choices) -> str | None:
    text = text.strip()
    table = _labels(choices) | words
    if text in table:
        return table[text]
    stripped = text.removesuffix("的因素").removesuffix("因素")
    return table.get(stripped)


def _errors_of(form, row: int) -> list[RowError]:
    return [
        RowError(row, HEADER_OF.get(name, ""), str(message))
        for name, messages in form.errors.items()
        for message in messages
    ]


def _grade(record: dict, prefix: str, number: int):
    """(method, L, E, C, S), its level and the row's errors, from the grade columns with
    ``prefix`` ("" for the inherent risk, "r_" for the residual one); (None, None, []) if empty."""
    method = record.get(f"{prefix}method", "").strip().upper()
    if not method:
        return None, None, []
    values = [record.get(f"{prefix}{k}", "") for k in ("l", "e", "c", "s")]
    try:
        if method == "LEC":
            return (Method.LEC, *values[:3], None), rules.lec(*values[:3]).level, []
        if method == "LS":
            l, s = int(values[0]), int(values[3])  # noqa: E741
            return (Method.LS, l, None, None, s), rules.ls(l, s).level, []
    except (ValueError, ArithmeticError, TypeError):
        return (
            None,
            None,
            [RowError(number, HEADER_OF[f"{prefix}l"], "L、E、C 或 L、S 的取值不在评价表中")],
        )
    return None, None, [RowError(number, HEADER_OF[f"{prefix}method"], "填写 LEC 或 LS")]


def _plan(rows, enterprise: Enterprise) -> tuple[list[dict], list[RowError]]:
    errors: list[RowError] = []
    plan: list[dict] = []
    users = {u.username: u for u in User.objects.filter(enterprise=enterprise, is_active=True)}
    seen_events: dict[tuple, int] = {}
    for number, record in rows:
        row_errors: list[RowError] = []
        kind = _choice(record["object_kind"], {"场所": "site", "区域": "site", "设备": "device",
                                              "设施": "device", "作业": "operation"},
                       ObjectKind.choices)  # fmt: skip
        factor_kind = _choice(record["factor_kind"], FACTOR_WORDS, rules.FactorKind.choices)
        types, unknown = [], []
        for name in filter(None, _TYPE_SPLIT.split(record["accident_types"])):
            code = rules.ACCIDENT_TYPE_OF_NAME.get(
                name, name if name in rules.ACCIDENT_TYPES else None
            )
            (types if code else unknown).append(code or name)
        if unknown:
            row_errors.append(RowError(number, HEADER_OF["accident_types"],
                                       "不是 GB 6441 的事故类型：" + "、".join(unknown)))  # fmt: skip
        object_form = RiskObjectForm(
            {"kind": kind or "", "name": record["object_name"], "description": ""}
        )
        unit_form = RiskUnitForm(
            {"name": record["unit_name"], "area": record["area"],
             "emergency_actions": record.get("emergency_actions", ""),
             "emergency_phones": record.get("emergency_phones", "")}
        )  # fmt: skip
        event_form = RiskEventForm(
            {"name": record["event_name"], "factor_kind": factor_kind or "",
             "factor": record["factor"], "accident_types": types,
             **{f"{lvl}_person": record.get(f"{lvl}_person", "") for lvl in rules.ControlLevel.values}}
        )  # fmt: skip
        for form in (object_form, unit_form, event_form):
            form.is_valid()
        # Say what could not be read rather than "required" for a word we did not know.
        unread = {"object_kind": (object_form, "kind"), "factor_kind": (event_form, "factor_kind")}
        for raw, (form, field) in unread.items():
            if field in form.errors and record[raw]:
                form.errors[field] = form.error_class([f"无法识别：{record[raw]}"])
        if unknown:
            event_form.errors.pop("accident_types", None)
        for form in (object_form, unit_form, event_form):
            row_errors += _errors_of(form, number)
        grade, level, problems = _grade(record, "", number)
        residual, residual_level, more = _grade(record, "r_", number)
        row_errors += problems + more
        if level and residual_level and rules.LEVEL_RANK[residual_level] > rules.LEVEL_RANK[level]:
            row_errors.append(RowError(number, HEADER_OF["r_method"], "剩余风险不能高于固有风险"))
        governing = residual_level or level
        if governing and not row_errors:
            for lvl in rules.CONTROL_LEVELS[governing]:
                if not record.get(f"{lvl}_person", "").strip():
                    row_errors.append(RowError(number, HEADER_OF[f"{lvl}_person"],
                                               f"{rules.RiskLevel(governing).label}须填写此级责任人"))  # fmt: skip
        measure_data = None
        if record.get("measure", "").strip():
            responsible = users.get(record.get("responsible", "").strip())
            written = record.get("frequency", "").strip()
            frequency, hours = rules.parse_frequency(written) or (None, None)
            measure_kind = _choice(
                record.get("measure_kind", ""),
                {"工程": "engineering", "工程技术": "engineering", "管理": "management",
                 "培训": "training", "培训教育": "training", "个体防护": "protection",
                 "防护": "protection", "应急": "emergency", "应急处置": "emergency"},
                MeasureKind.choices,
            )  # fmt: skip
            items = "\n".join(
                i.strip() for i in _ITEM_SPLIT.split(record.get("check_items", "")) if i.strip()
            )
            measure_form = ControlMeasureForm(
                {"kind": measure_kind or "", "description": record["measure"],
                 "check_items": items, "responsible": responsible.pk if responsible else "",
                 "frequency": frequency or "", "interval_hours": hours or ""},
                enterprise_id=enterprise.pk,
            )  # fmt: skip
            if not measure_form.is_valid():
                for name, messages in measure_form.errors.items():
                    header = {"responsible": HEADER_OF["responsible"], "kind": HEADER_OF["measure_kind"],
                              "description": HEADER_OF["measure"],
                              "interval_hours": HEADER_OF["frequency"]}.get(name, HEADER_OF.get(name, ""))  # fmt: skip
                    if name == "responsible":
                        messages = [f"本企业没有账号“{record.get('responsible', '')}”"]
                    if name == "frequency" and written:
                        messages = [f"无法识别的排查频次“{written}”（{FREQUENCY_HINT}）"]
                    row_errors += [RowError(number, header, str(m)) for m in messages]
            else:
                measure_data = measure_form.cleaned_data
        key = (
            record["object_name"].strip(),
            record["unit_name"].strip(),
            record["event_name"].strip(),
        )
        if (
            key in seen_events
            and record["factor"].strip() != plan[seen_events[key]]["event"]["factor"]
        ):
            row_errors.append(
                RowError(number, HEADER_OF["factor"], "同一风险事件的危险有害因素应一致")
            )
        errors += row_errors
        if row_errors:
            continue
        seen_events.setdefault(key, len(plan))
        plan.append(
            {
                "object": object_form.cleaned_data,
                "unit": unit_form.cleaned_data,
                "event": event_form.cleaned_data,
                "grade": grade,
                "residual": residual,
                "measure": measure_data,
            }
        )
    return plan, errors


def import_register(upload, *, enterprise: Enterprise, actor) -> dict[str, int]:
    """Validate every row, then write all of it in one transaction (or nothing)."""
    actions.require_manage(actor, enterprise.pk)
    rows = read_rows(upload, COLUMNS)
    plan, errors = _plan(rows, enterprise)
    if errors:
        raise ImportFailed(errors)
    counts = {"objects": 0, "units": 0, "events": 0, "measures": 0, "updated": 0}
    with transaction.atomic():
        for step in plan:
            _apply(step, enterprise, actor, counts)
    return counts


def _update(record, data: dict, actor, counts: dict) -> None:
    """Bring an existing record in line with its row (a corrected export), with history."""
    changed = [name for name, value in data.items() if getattr(record, name) != value]
    if changed:
        for name in changed:
            setattr(record, name, data[name])
        actions.do_save(record, actor=actor, reason="Excel 导入更新")
        counts["updated"] += 1


def _apply(step: dict, enterprise: Enterprise, actor, counts: dict) -> None:
    o, u, e = step["object"], step["unit"], step["event"]
    obj = RiskObject.objects.filter(enterprise=enterprise, name=o["name"]).active().first()
    if obj is None:
        obj = actions.do_save(RiskObject(enterprise=enterprise, **o), actor=actor)
        counts["objects"] += 1
    else:
        _update(obj, {"kind": o["kind"]}, actor, counts)
    unit = RiskUnit.objects.filter(risk_object=obj, name=u["name"]).active().first()
    if unit is None:
        unit = actions.do_save(RiskUnit(enterprise=enterprise, risk_object=obj, **u), actor=actor)
        counts["units"] += 1
    else:
        _update(
            unit, {k: v for k, v in u.items() if k != "name" and (v or k == "area")}, actor, counts
        )
    event = RiskEvent.objects.filter(unit=unit, name=e["name"]).active().first()
    if event is None:
        event = RiskEvent(enterprise=enterprise, unit=unit, **e)
        actions.do_save(event, actor=actor)
        counts["events"] += 1
    else:
        _update(event, {k: v for k, v in e.items() if k != "name"}, actor, counts)
    if step["grade"]:
        method, l, ev, c, s = step["grade"]  # noqa: E741
        last = event.assessments.filter(kind=AssessmentKind.INHERENT).first()
        same = (
            last
            and last.method == method
            and (last.l_value, last.e_value, last.c_value, last.s_value)
            == tuple(None if v is None else type(last.l_value)(str(v)) for v in (l, ev, c, s))
        )
        if not same:
            actions.do_assess(event, actor=actor, kind=AssessmentKind.INHERENT, method=method,
                              l=l, e=ev, c=c, s=s)  # fmt: skip
    for kind, grade in ((AssessmentKind.RESIDUAL, step["residual"]),):
        if grade:
            method, l, ev, c, s = grade  # noqa: E741
            last = event.assessments.filter(kind=kind).first()
            same = (
                last
                and last.method == method
                and (last.l_value, last.e_value, last.c_value, last.s_value)
                == tuple(None if v is None else type(last.l_value)(str(v)) for v in (l, ev, c, s))
            )
            if not same:
                actions.do_assess(event, actor=actor, kind=kind, method=method, l=l, e=ev, c=c, s=s)
    m = step["measure"]
    if m:
        measure = (
            ControlMeasure.objects.filter(event=event, description=m["description"])
            .active()
            .first()
        )
        if measure is None:
            actions.do_save(ControlMeasure(enterprise=enterprise, event=event, **m), actor=actor)
            counts["measures"] += 1
        else:
            _update(measure, {k: v for k, v in m.items() if k != "description"}, actor, counts)


def _grade_cells(event: RiskEvent, kind: str) -> list:
    """Method, L, E, C, S of the event's latest assessment of ``kind`` (blank when none)."""
    latest = next((a for a in event.assessments.all() if a.kind == kind), None)
    if latest is None:
        return ["", "", "", "", ""]
    values = (latest.l_value, latest.e_value, latest.c_value, latest.s_value)
    return [latest.method.upper(), *(None if v is None else float(v) for v in values)]


def export_rows(enterprise: Enterprise) -> Iterator[list[Any]]:
    """The register as rows of the import's columns (plus level and score), one per measure."""
    events = (
        RiskEvent.objects.filter(enterprise=enterprise)
        .active()
        .select_related("unit__risk_object")
        .prefetch_related(
            "assessments",
            Prefetch(
                "measures",
                queryset=ControlMeasure.objects.active().select_related("responsible"),
                to_attr="live_measures",
            ),
        )
        .order_by("unit__risk_object__name", "unit__name", "pk")
    )
    for event in events:
        unit, obj = event.unit, event.unit.risk_object
        if unit.is_archived or obj.is_archived:
            continue
        grade, residual = (_grade_cells(event, kind) for kind in AssessmentKind.values)
        head = [
            obj.get_kind_display(), obj.name, unit.name, unit.area, event.name,
            event.get_factor_kind_display(), event.factor, "、".join(event.accident_type_names()),
            *grade, event.company_person, event.workshop_person, event.team_person,
            event.post_person,
        ]  # fmt: skip
        tail = [unit.emergency_actions, unit.emergency_phones, *residual,
                event.get_level_display() if event.level else "",
                float(event.residual_score or event.inherent_score or 0) or ""]  # fmt: skip
        measures = event.live_measures
        if not measures:
            yield [*head, "", "", "", "", "", *tail]
        for m in measures:
            yield [*head, m.get_kind_display(), m.description, "；".join(m.check_items.splitlines()),
                   m.responsible.username, m.frequency_label, *tail]  # fmt: skip
