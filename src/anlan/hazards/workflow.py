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

from anlan.accounts.models import OrganisationKind, unit_level
from anlan.core.history import save_with_history
from anlan.core.permissions import can
from anlan.core.workflow import (
    StaleTransition,
    Transition,
    Workflow,
    register_event_labels,
    run_transition,
)
from anlan.hazards import rules
from anlan.hazards.models import (
    DEADLINE_STATES,
    ExtensionRequest,
    ExtensionStatus,
    Hazard,
    HazardEvent,
    HazardLevel,
    HazardState,
)
from anlan.regions.rules import level_of

S = HazardState


def reviewer_at(required: str):
    def allowed(actor, hazard: Hazard) -> bool:
        return can(actor, "hazards.review") and rules.at_or_above(unit_level(actor), required)

    return allowed


def close_level(hazard: Hazard) -> str:
    if hazard.level == HazardLevel.MAJOR:
        return settings.ANLAN_HAZARD_CLOSE_LEVEL_MAJOR
    return settings.ANLAN_HAZARD_CLOSE_LEVEL_GENERAL


def same_or_above(org, unit) -> bool:
    """``org`` is ``unit`` or a unit above it in the same line: the same kind of organisation
    at an enclosing region (a city's emergency bureau above a county's), and for industry
    departments one supervising a category in common (a city's transport bureau above a
    county's)."""
    if org is None or unit is None:
        return False
    if org.pk == unit.pk:
        return True
    if org.kind != unit.kind or not unit.region_id.startswith(org.region_id):
        return False
    if len(org.region_id) >= len(unit.region_id):
        return False
    if org.kind == OrganisationKind.DEPARTMENT:
        return org.supervised_categories.filter(
            pk__in=unit.supervised_categories.values("pk")
        ).exists()
    return True


def may_overrule(actor, hazard: Hazard, required: str) -> bool:
    """Decide on a confirmed hazard (its extensions, a re-grade) at ``required`` level or above:
    the unit that ordered the rectification, one above it in the same line, or any unit at a
    higher level of government whose jurisdiction covers the hazard (the caller fetched it
    through scoping): a county over a town's order, never a county over a city's, nor one
    county department over another's."""
    if actor.is_superuser:
        return True
    if not reviewer_at(required)(actor, hazard):
        return False
    unit = hazard.supervising_unit
    if unit is None or same_or_above(actor.organisation, unit):
        return True
    unit_rank = rules.LEVEL_RANK.get(str(level_of(unit.region_id)), 0)
    return rules.LEVEL_RANK[unit_level(actor)] < unit_rank


def may_delist(actor, listing) -> bool:
    """谁挂牌、谁摘牌: the listing authority, or a unit above it in the same line."""
    if actor.is_superuser:
        return True
    return can(actor, "hazards.review") and same_or_above(actor.organisation, listing.authority)


def may_decide(actor, hazard: Hazard) -> bool:
    """Confirm or reject: a town for general hazards, county level and above for major ones
    and for those a town referred up."""
    level = rules.MAJOR_LEVEL if hazard.referred_at else rules.decision_level(hazard.level)
    return reviewer_at(level)(actor, hazard)


def may_refer(actor, hazard: Hazard) -> bool:
    """A town refers a hazard it believes major (or one it may not decide) to the county, once."""
    return (
        hazard.referred_at is None
        and reviewer_at(rules.CONFIRM_LEVEL)(actor, hazard)
        and not reviewer_at(rules.MAJOR_LEVEL)(actor, hazard)
    )


def may_regrade(actor, hazard: Hazard) -> bool:
    return may_overrule(actor, hazard, rules.MAJOR_LEVEL)


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

    unit = actor.organisation
    if unit is None:
        raise ValidationError(_("Only a member of a government unit can order a rectification."))
    deadline = inputs.get("deadline")
    problem = rules.check_deadline(deadline, timezone.localdate())
    if problem:
        raise ValidationError({"deadline": problem})
    hazard.supervising_unit = unit
    hazard.deadline = hazard.original_deadline = deadline
    hazard.confirmed_at = timezone.now()
    year = timezone.localdate(hazard.confirmed_at).year  # a re-grade is a new order and notice
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
    _set_level(hazard, actor, level)
    _order_deadline(hazard, actor, inputs)
    hazard.extensions_used = 0  # a new order: its extensions count anew
    listing = getattr(hazard, "listing", None)
    if level != HazardLevel.MAJOR and listing is not None and listing.is_active:
        # No longer major, no longer supervised: only whoever may delist it re-grades it.
        if not may_delist(actor, listing):
            raise ValidationError(
                {
                    "level": _(
                        "Only the unit that listed this hazard, or one above it, re-grades it."
                    )
                }
            )
        delist(hazard, listing, actor)
    for pending in hazard.extensions.filter(status=ExtensionStatus.PENDING):
        run_transition(
            EXTENSION_WORKFLOW, pending, "refuse_extension", actor=actor, at=inputs["at"],
            comment=str(_("The hazard was re-graded.")), inputs={"regraded": True},
        )  # fmt: skip


def delist(hazard: Hazard, listing, actor) -> None:
    """End a listing (摘牌) and write the hazard's event; callers check who may."""
    listing.delisted_at, listing.delisted_by = timezone.now(), actor
    listing.save()
    HazardEvent.objects.create(
        hazard=hazard,
        transition="delist",
        from_state=hazard.state,
        to_state=hazard.state,
        actor=actor,
        comment=listing.document_number,
    )


def _refer(hazard: Hazard, actor, inputs) -> None:
    hazard.referred_at = timezone.now()  # from now on the county decides


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
    if hazard.level == HazardLevel.MAJOR and not (inputs.get("assessment") or "").strip():
        # 16号令 art. 16: a treated major hazard is assessed (the enterprise's experts or a
        # qualified body) before the written request for acceptance and to resume production.
        raise ValidationError(
            {"assessment": _("A treated major hazard is assessed before acceptance is asked.")}
        )
    hazard.rectification_note = inputs.get("comment", "")
    hazard.assessment = (inputs.get("assessment") or "").strip()
    hazard.submitted_at = timezone.now()


def _accepted(hazard: Hazard, actor, inputs) -> None:
    hazard.accepted_at = timezone.now()


def _closed(hazard: Hazard, actor, inputs) -> None:
    hazard.closed_at = timezone.now()


def _after(step: str):
    def hook(hazard: Hazard, actor, inputs) -> None:
        from anlan.core.jobs import enqueue

        enqueue("hazards.notify_step", hazard_id=hazard.pk, step=step)

    return hook


def may_report(actor, hazard: Hazard) -> bool:
    return can(actor, "hazards.report")


HAZARD_WORKFLOW = Workflow(
    name="hazard",
    model=Hazard,
    event_model=HazardEvent,
    event_fk="hazard",
    transitions=[
        Transition(
            "report", (), S.REPORTED, _("Reported"), may_report, after_commit=_after("reported"),
        ),
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
            may_refer, requires=("comment",), apply=_refer, style="warning",
            after_commit=_after("referred"),
        ),
        Transition(
            "regrade", (S.CONFIRMED, S.RECTIFYING, S.SUBMITTED), S.CONFIRMED, _("Re-grade"),
            may_regrade, requires=("level", "deadline", "comment"),
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
        "list": _("Listed for supervision"),
        "delist": _("Delisted"),
        "enterprise_moved": _("Enterprise moved"),
        "enterprise_recategorised": _("Enterprise's supervision category changed"),
    }
)


# -- extension requests: pending → approved / refused, on the hazard's timeline -------------

E = ExtensionStatus


def may_request_extension(actor, request: ExtensionRequest) -> bool:
    return rectifier(actor, request.hazard)  # who rectifies asks, as the page offers it


def may_decide_extension(actor, hazard: Hazard) -> bool:
    """The confirming unit decides (or a unit above it); a major hazard's extensions are
    decided at county level or above (16号令 art. 21)."""
    return may_overrule(actor, hazard, rules.decision_level(hazard.level))


def _may_decide(actor, request: ExtensionRequest) -> bool:
    return may_decide_extension(actor, request.hazard)


def _decided(request: ExtensionRequest, actor, inputs) -> None:
    """The hazard is locked with the request; a re-grade refuses whatever state it is in."""
    hazard = Hazard.objects.select_for_update().get(pk=request.hazard_id)
    if hazard.state not in DEADLINE_STATES and not inputs.get("regraded"):
        raise StaleTransition()
    request.hazard = hazard
    request.decided_by, request.decided_at = actor, inputs["at"]
    request.decision_comment = inputs.get("comment") or ""
    inputs["event_data"] = {"new_deadline": request.new_deadline}


def _approve(request: ExtensionRequest, actor, inputs) -> None:
    _decided(request, actor, inputs)
    problem = rules.check_deadline(request.new_deadline, timezone.localdate(inputs["at"]))
    if problem:  # asked for long ago, decided after that day had passed
        raise ValidationError({"new_deadline": problem})
    hazard = request.hazard
    hazard.deadline = request.new_deadline
    hazard.extensions_used += 1
    save_with_history(hazard, actor=actor, reason=_("Extension approved"), at=inputs["at"])


def _extension_requested(request: ExtensionRequest, actor, inputs) -> None:
    from anlan.core.jobs import enqueue

    enqueue("hazards.notify_step", hazard_id=request.hazard_id, step="extension_requested")


EXTENSION_WORKFLOW = Workflow(
    name="hazard_extension",
    model=ExtensionRequest,
    state_field="status",
    event_model=HazardEvent,
    event_fk="hazard",
    event_owner=lambda request: request.hazard,
    transitions=[
        Transition(
            "request_extension", (), E.PENDING, _("Extension requested"), may_request_extension,
            after_commit=_extension_requested,
        ),
        Transition(
            "approve_extension", (E.PENDING,), E.APPROVED, _("Extension approved"), _may_decide,
            apply=_approve, style="success",
        ),
        Transition(
            "refuse_extension", (E.PENDING,), E.REFUSED, _("Extension refused"), _may_decide,
            apply=_decided, style="secondary",
        ),
    ],
)  # fmt: skip
