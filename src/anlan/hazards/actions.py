"""Every write to a hazard goes through one of these functions (views and API call them)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anlan.accounts.models import unit_level
from anlan.core.documents import next_number
from anlan.core.permissions import require
from anlan.core.uploads import CleanImage
from anlan.core.workflow import StaleTransition, create, run_transition
from anlan.hazards import rules
from anlan.hazards.models import (
    DEADLINE_STATES,
    ExtensionRequest,
    ExtensionStatus,
    Hazard,
    HazardEvent,
    HazardLevel,
    HazardPhoto,
    HazardState,
    Listing,
    PhotoKind,
)
from anlan.hazards.workflow import (
    EXTENSION_WORKFLOW,
    HAZARD_WORKFLOW,
    delist,
    may_decide_extension,  # noqa: F401 (the pages use it)
    may_delist,
    rectifier,
    reviewer_at,
)


def _save_photos(hazard: Hazard, photos: list[CleanImage], kind: str, actor, event=None) -> None:
    for photo in photos:
        HazardPhoto.attach(photo, uploaded_by=actor, hazard=hazard, event=event, kind=kind)


@transaction.atomic
def do_report_hazard(hazard: Hazard, *, actor, photos: list[CleanImage]) -> Hazard:
    """Record a newly found hazard (validated by HazardForm) with its before-photos."""
    require(actor, "hazards.report")
    if hazard.enterprise is not None:
        hazard.region_id = hazard.enterprise.region_id
        hazard.supervision_category_id = hazard.enterprise.category_id
    hazard.found_by = actor

    def attach(event: HazardEvent) -> None:
        _save_photos(hazard, photos, PhotoKind.BEFORE, actor, event)

    create(HAZARD_WORKFLOW, hazard, "report", actor=actor, inputs={"attach_to_event": [attach]})
    return hazard


def do_transition(
    hazard: Hazard,
    name: str,
    *,
    actor,
    comment: str = "",
    plan: dict | None = None,
    photos: list[CleanImage] | None = None,
    level: str | None = None,
    deadline: date | None = None,
    assessment: str = "",
) -> HazardEvent:
    """Take a workflow step. Raises StaleTransition, PermissionDenied or ValidationError."""
    require(actor, "hazards.view")
    photos = photos or []

    def attach(event: HazardEvent) -> None:
        _save_photos(hazard, photos, PhotoKind.AFTER, actor, event)

    inputs = {
        "comment": comment.strip(),
        "plan": plan,
        "photos": photos,
        "level": level,
        "deadline": deadline,
        "assessment": assessment,
        "attach_to_event": [attach] if photos else [],
        "event_data": {k: v for k, v in (plan or {}).items() if v not in (None, "")}
        | ({"level": level} if level else {})
        | ({"deadline": deadline} if deadline else {})
        | ({"assessment": assessment} if assessment else {}),
    }
    return run_transition(HAZARD_WORKFLOW, hazard, name, actor=actor, inputs=inputs)


@transaction.atomic
def do_request_extension(hazard: Hazard, *, actor, new_deadline: date, reason: str):
    if not rectifier(actor, hazard):  # who rectifies asks, as the page offers it
        raise PermissionDenied("extension")
    locked = Hazard.objects.select_for_update().get(pk=hazard.pk)
    if locked.state not in DEADLINE_STATES or locked.deadline is None:
        raise StaleTransition()
    problem = rules.check_extension(
        locked.deadline,
        new_deadline,
        locked.original_deadline or locked.deadline,
        locked.extensions_used,
        max_count=settings.ANLAN_HAZARD_MAX_EXTENSIONS,
        max_days=settings.ANLAN_HAZARD_MAX_EXTENSION_DAYS,
        today=timezone.localdate(),
    )
    if problem:
        raise ValidationError({"new_deadline": problem})
    if locked.extensions.filter(status=ExtensionStatus.PENDING).exists():
        raise ValidationError(_("An extension request is already waiting for a decision."))
    request = ExtensionRequest(
        hazard=locked,
        requested_by=actor,
        reason=reason,
        current_deadline=locked.deadline,
        new_deadline=new_deadline,
    )
    create(
        EXTENSION_WORKFLOW, request, "request_extension", actor=actor, comment=reason,
        inputs={"event_data": {"new_deadline": new_deadline}},
    )  # fmt: skip
    return request


def do_decide_extension(
    request: ExtensionRequest, *, actor, approve: bool, comment: str = ""
) -> ExtensionRequest:
    """Approve (the hazard gets the new deadline) or refuse a pending extension request."""
    name = "approve_extension" if approve else "refuse_extension"
    run_transition(EXTENSION_WORKFLOW, request, name, actor=actor, comment=comment)
    return request


def may_list(actor, hazard: Hazard) -> bool:
    """挂牌督办 by a county, city or province unit (安全生产法 art. 41)."""
    return reviewer_at(rules.MAJOR_LEVEL)(actor, hazard) and (
        unit_level(actor) in rules.LISTING_LEVELS or actor.is_superuser
    )


@transaction.atomic
def do_list_hazard(
    hazard: Hazard, *, actor, responsible_leaders: str, deadline: date, public_exposure: bool
) -> Listing:
    """挂牌督办: only major, open hazards, by a county, city or province unit."""
    if not may_list(actor, hazard):
        raise PermissionDenied("list")
    if actor.organisation is None:
        raise ValidationError(_("Only a member of a government unit can list a hazard."))
    problem = rules.check_deadline(deadline, timezone.localdate())
    if problem:
        raise ValidationError({"deadline": problem})
    locked = Hazard.objects.select_for_update().get(pk=hazard.pk)
    if locked.level != HazardLevel.MAJOR or not locked.is_open:
        raise ValidationError(_("Only open major hazards can be listed for supervision."))
    if Listing.objects.filter(hazard=locked).exists():
        raise StaleTransition(_("This hazard is already listed."))
    authority = actor.organisation
    year = timezone.localdate().year
    number = next_number(f"org:{authority.pk}", "listing", year)
    listing = Listing.objects.create(
        hazard=locked,
        authority=authority,
        document_number=f"{authority.name}督〔{year}〕{number}号",
        responsible_leaders=responsible_leaders,
        deadline=deadline,
        public_exposure=public_exposure,
        listed_by=actor,
    )
    HazardEvent.objects.create(
        hazard=locked,
        transition="list",
        from_state=locked.state,
        to_state=locked.state,
        actor=actor,
        comment=listing.document_number,
        data={"deadline": deadline.isoformat(), "public_exposure": public_exposure},
    )
    return listing


@transaction.atomic
def do_delist_hazard(hazard: Hazard, *, actor) -> Listing:
    listing = Listing.objects.select_for_update().get(hazard=hazard)
    if not may_delist(actor, listing):
        raise PermissionDenied("delist")
    if listing.delisted_at is not None:
        raise StaleTransition()
    if hazard.state != HazardState.CLOSED:
        raise ValidationError(_("A listed hazard is delisted only after it is closed."))
    delist(hazard, listing, actor)
    return listing
