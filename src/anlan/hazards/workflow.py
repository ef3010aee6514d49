"""The hidden-hazard closed loop as data (core/workflow.py runs it).

reported ─confirm→ confirmed ─plan→ rectifying ─submit→ submitted ─accept→ accepted ─close→ closed
    │                                   ↑                   │
    ├─reject→ rejected                  └──────return───────┘
    └─fix_now (即知即改, general hazards only)→ submitted

Seeds 000/002: 镇巡查、县排查 find; 企业整改; 县级验收; 市级销号 for major hazards.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anlan.core.permissions import can
from anlan.core.workflow import Transition, Workflow, register_event_labels
from anlan.hazards import rules
from anlan.hazards.models import Hazard, HazardEvent, HazardLevel, HazardState
from anlan.regions.rules import level_of

S = HazardState


def unit_level(actor) -> str | None:
    """The administrative level of the actor's government unit (superusers act as province)."""
    if actor.is_superuser:
        return "province"
    org = getattr(actor, "organisation", None)
    level = level_of(org.region_id) if org is not None else None
    return level.value if level else None


def reviewer_at(required: str):
    def allowed(actor, hazard: Hazard) -> bool:
        return can(actor, "hazards.review") and rules.at_or_above(unit_level(actor), required)

    return allowed


def close_level(hazard: Hazard) -> str:
    if hazard.level == HazardLevel.MAJOR:
        return settings.ANLAN_HAZARD_CLOSE_LEVEL_MAJOR
    return settings.ANLAN_HAZARD_CLOSE_LEVEL_GENERAL


def may_close(actor, hazard: Hazard) -> bool:
    return reviewer_at(close_level(hazard))(actor, hazard)


def rectifier(actor, hazard: Hazard) -> bool:
    """The enterprise rectifies its own hazards; a government unit handles a site's."""
    if hazard.enterprise_id:
        return can(actor, "hazards.rectify") and actor.enterprise_id == hazard.enterprise_id
    return can(actor, "hazards.review") and unit_level(actor) is not None


def may_fix_now(actor, hazard: Hazard) -> bool:
    return hazard.level == HazardLevel.GENERAL and (
        rectifier(actor, hazard)
        or (actor.pk == hazard.found_by_id and can(actor, "hazards.report"))
    )


# -- apply hooks: validate the step's inputs and set fields (inside the transaction) --------


def _confirm(hazard: Hazard, actor, inputs) -> None:
    from anlan.core.documents import next_number

    unit = actor.organisation
    hazard.supervising_unit = unit
    if unit is not None and not hazard.notice_number:
        # 隐患整改通知书: numbered per issuing unit and year.
        year = timezone.localdate().year
        number = next_number(f"org:{unit.pk}", "rectification_notice", year)
        hazard.notice_number = f"{unit.name}隐改〔{year}〕{number}号"
    if inputs.get("level") in HazardLevel.values:
        hazard.level = inputs["level"]  # the confirming unit may re-grade


def _plan(hazard: Hazard, actor, inputs) -> None:
    plan = inputs.get("plan") or {}
    missing = rules.missing_plan_items(hazard.level, plan)
    if missing:
        raise ValidationError({name: _("This field is required.") for name in missing})
    if plan["deadline"] < timezone.localdate():
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
    for name, value in plan.items():
        setattr(hazard, name, value)
    hazard.original_deadline = hazard.original_deadline or plan["deadline"]


def _submitted(hazard: Hazard, actor, inputs) -> None:
    if hazard.level == HazardLevel.MAJOR and hazard.state == S.REPORTED:
        raise ValidationError(
            _("A major hazard needs a treatment plan; it cannot be fixed at once.")
        )
    hazard.rectification_note = inputs.get("comment", "")
    hazard.submitted_at = timezone.now()


def _accepted(hazard: Hazard, actor, inputs) -> None:
    hazard.accepted_at = timezone.now()


def _closed(hazard: Hazard, actor, inputs) -> None:
    hazard.closed_at = timezone.now()


def _after(step: str):
    def hook(hazard: Hazard, actor, inputs) -> None:
        from anlan.hazards.tasks import notify_step

        notify_step(hazard, step)

    return hook


HAZARD_WORKFLOW = Workflow(
    name="hazard",
    event_model=HazardEvent,
    event_fk="hazard",
    transitions=[
        Transition(
            "confirm", (S.REPORTED,), S.CONFIRMED, _("Confirm hazard"),
            reviewer_at(rules.CONFIRM_LEVEL), apply=_confirm, after_commit=_after("confirmed"),
        ),
        Transition(
            "reject", (S.REPORTED,), S.REJECTED, _("Not a hazard"),
            reviewer_at(rules.CONFIRM_LEVEL), requires=("comment",), style="secondary",
            after_commit=_after("rejected"),
        ),
        Transition(
            "plan", (S.CONFIRMED,), S.RECTIFYING, _("Submit rectification plan"),
            rectifier, requires=("plan",), apply=_plan, after_commit=_after("rectifying"),
        ),
        Transition(
            "fix_now", (S.REPORTED,), S.SUBMITTED, _("Fixed on the spot"),
            may_fix_now, requires=("comment", "photos"), apply=_submitted,
            after_commit=_after("submitted"), style="success",
        ),
        Transition(
            "submit", (S.RECTIFYING,), S.SUBMITTED, _("Submit for acceptance"),
            rectifier, requires=("comment", "photos"), apply=_submitted,
            after_commit=_after("submitted"), style="success",
        ),
        Transition(
            "accept", (S.SUBMITTED,), S.ACCEPTED, _("Accept rectification"),
            reviewer_at(rules.ACCEPT_LEVEL), apply=_accepted, after_commit=_after("accepted"),
            style="success",
        ),
        Transition(
            "return", (S.SUBMITTED,), S.RECTIFYING, _("Return for more work"),
            reviewer_at(rules.ACCEPT_LEVEL), requires=("comment",), style="warning",
            after_commit=_after("returned"),
        ),
        Transition(
            "close", (S.ACCEPTED,), S.CLOSED, _("Close (销号)"),
            may_close, apply=_closed, after_commit=_after("closed"), style="success",
        ),
    ],
)  # fmt: skip

register_event_labels(
    {
        "report": _("Reported"),
        "request_extension": _("Extension requested"),
        "approve_extension": _("Extension approved"),
        "refuse_extension": _("Extension refused"),
        "list": _("Listed for supervision"),
        "delist": _("Delisted"),
    }
)
