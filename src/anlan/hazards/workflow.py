"""The hidden-hazard closed loop as data (core/workflow.py runs it).

reported ─confirm→ confirmed ─plan→ rectifying ─submit→ submitted ─accept→ accepted ─close→ closed
  │ ↺refer               ↑  │                ↑                   │
  │                      │  └───regrade──────┴──── (to confirmed, a new treatment plan)
  ├─reject→ rejected                          └──────return───────┘
  └─fix_now (即知即改, general hazards only)→ submitted

Seeds 000/002: 镇巡查、县排查 find; 企业整改; 县级验收; 市级销号 for major hazards.
16号令 art. 21 and 安全生产法 art. 41: a major hazard is confirmed, re-graded and its extensions
decided at county level or above; a town confirms general hazards and refers major ones up.
The confirming unit orders the rectification deadline (责令限期整改) when it confirms.
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


def may_decide(actor, hazard: Hazard) -> bool:
    """Confirm or reject: a town for general hazards, county level and above for major ones."""
    return reviewer_at(rules.decision_level(hazard.level))(actor, hazard)


def may_refer(actor, hazard: Hazard) -> bool:
    """A town that may not decide a hazard (a major one) refers it to the county."""
    return reviewer_at(rules.CONFIRM_LEVEL)(actor, hazard) and not reviewer_at(rules.MAJOR_LEVEL)(
        actor, hazard
    )


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


def _set_level(hazard: Hazard, actor, level: str | None) -> None:
    """The deciding unit may re-grade; to or from major only at county level or above."""
    if level not in HazardLevel.values or level == hazard.level:
        return
    if not reviewer_at(rules.regrade_level(hazard.level, level))(actor, hazard):
        raise ValidationError(
            {"level": _("A town confirms general hazards only: refer a major one to the county.")}
        )
    hazard.level = level


def _order_deadline(hazard: Hazard, actor, inputs) -> None:
    """责令限期整改: the deciding unit orders the deadline and issues the 整改通知书,
    numbered per issuing unit and (local) year, dated the day it is issued."""
    from anlan.core.documents import next_number

    deadline = inputs.get("deadline")
    problem = rules.check_deadline(deadline, timezone.localdate())
    if problem:
        raise ValidationError({"deadline": problem})
    unit = actor.organisation
    hazard.supervising_unit = unit
    hazard.deadline = hazard.original_deadline = deadline
    hazard.confirmed_at = timezone.now()
    if unit is not None:  # a re-grade is a new order with a new notice
        year = timezone.localdate(hazard.confirmed_at).year
        number = next_number(f"org:{unit.pk}", "rectification_notice", year)
        hazard.notice_number = f"{unit.name}隐改〔{year}〕{number}号"


def _confirm(hazard: Hazard, actor, inputs) -> None:
    _set_level(hazard, actor, inputs.get("level"))
    _order_deadline(hazard, actor, inputs)


def _regrade(hazard: Hazard, actor, inputs) -> None:
    """A hazard later found major (or not major) is graded anew: it goes back to confirmed
    for the treatment plan its new level needs, under a new order and deadline."""
    level = inputs.get("level")
    if level not in HazardLevel.values or level == hazard.level:
        raise ValidationError({"level": _("Choose the new hazard level.")})
    listing = getattr(hazard, "listing", None)
    if level != HazardLevel.MAJOR and listing is not None and listing.is_active:
        raise ValidationError(
            {"level": _("A hazard listed for supervision is delisted before it is re-graded.")}
        )
    _set_level(hazard, actor, level)
    _order_deadline(hazard, actor, inputs)
    hazard.extensions.filter(status="pending").update(
        status="refused", decided_by=actor, decided_at=timezone.now(),
        decision_comment=str(_("The hazard was re-graded.")),
    )  # fmt: skip


def _plan(hazard: Hazard, actor, inputs) -> None:
    plan = inputs.get("plan") or {}
    missing = rules.missing_plan_items(hazard.level, plan)
    if missing:
        raise ValidationError({name: _("This field is required.") for name in missing})
    problem = rules.check_deadline(plan["deadline"], timezone.localdate())
    problem = problem or rules.check_plan_deadline(plan["deadline"], hazard.deadline)
    if problem:
        raise ValidationError({"deadline": problem})
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
            may_decide, requires=("deadline",), apply=_confirm, after_commit=_after("confirmed"),
        ),
        Transition(
            "reject", (S.REPORTED,), S.REJECTED, _("Not a hazard"),
            may_decide, requires=("comment",), style="secondary",
            after_commit=_after("rejected"),
        ),
        Transition(
            "refer", (S.REPORTED,), S.REPORTED, _("Refer to the county"),
            may_refer, requires=("comment",), style="warning", after_commit=_after("referred"),
        ),
        Transition(
            "regrade", (S.CONFIRMED, S.RECTIFYING, S.SUBMITTED), S.CONFIRMED, _("Re-grade"),
            reviewer_at(rules.MAJOR_LEVEL), requires=("level", "deadline", "comment"),
            apply=_regrade, after_commit=_after("regraded"), style="warning",
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
