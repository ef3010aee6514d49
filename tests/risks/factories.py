"""Build a risk register through the real actions."""

from anlan.risks import actions
from anlan.risks.models import AssessmentKind, ControlMeasure, RiskEvent, RiskObject, RiskUnit


def register(manager, *, worker=None, frequency="daily", items="联锁投用\n压力表在检定期内",
             lec=(3, 6, 40)):  # fmt: skip
    """One object → unit → event (graded major by LEC 3×6×40=720) → one measure."""
    enterprise = manager.enterprise
    obj = actions.do_save(
        RiskObject(enterprise=enterprise, kind="device", name="反应釜"), actor=manager
    )
    unit = actions.do_save(
        RiskUnit(enterprise=enterprise, risk_object=obj, name="1号反应釜", area="合成车间",
                 emergency_actions="立即停止进料，疏散人员", emergency_phones="火警 119"),
        actor=manager,
    )  # fmt: skip
    event = actions.do_save(
        RiskEvent(enterprise=enterprise, unit=unit, name="反应釜超温超压", factor_kind="material",
                  factor="温度压力联锁失效", accident_types=["vessel_explosion", "fire"],
                  company_person="张厂长"),
        actor=manager,
    )  # fmt: skip
    l, e, c = lec  # noqa: E741
    actions.do_assess(event, actor=manager, kind=AssessmentKind.INHERENT, method="lec",
                      l=l, e=e, c=c)  # fmt: skip
    measure = actions.do_save(
        ControlMeasure(enterprise=enterprise, event=event, kind="engineering",
                       description="温度压力联锁完好投用", check_items=items,
                       responsible=worker or manager, frequency=frequency),
        actor=manager,
    )  # fmt: skip
    event.refresh_from_db()
    return obj, unit, event, measure
