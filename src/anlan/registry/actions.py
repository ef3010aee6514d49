"""The one write path for enterprises: every change goes through a do_* function."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from anlan.core.permissions import require
from anlan.registry.forms import EnterpriseForm
from anlan.registry.models import Enterprise


def _save_with_history(enterprise: Enterprise, *, actor, reason: str = "") -> Enterprise:
    enterprise._history_user = actor  # type: ignore[attr-defined]  # read by simple-history
    enterprise._change_reason = reason  # type: ignore[attr-defined]  # read by simple-history
    enterprise.save()
    return enterprise


DUPLICATE_USCC = "已存在使用该统一社会信用代码的企业。"


def _unique_uscc(write):
    """The form checks credit codes first; two requests racing past that check meet the
    database's unique index, which becomes the same validation message, not a 500."""

    def run(*args, **kwargs):
        try:
            return write(*args, **kwargs)
        except IntegrityError as exc:
            if "uscc" not in str(exc):
                raise
            raise ValidationError({"uscc": DUPLICATE_USCC}) from exc

    return run


@_unique_uscc
@transaction.atomic
def do_create_enterprise(form: EnterpriseForm, *, actor) -> Enterprise:
    require(actor, "registry.create")
    enterprise = form.save(commit=False)
    return _save_with_history(enterprise, actor=actor)


@_unique_uscc
@transaction.atomic
def do_update_enterprise(form: EnterpriseForm, *, actor) -> Enterprise:
    require(actor, "registry.change")
    enterprise = form.save(commit=False)
    _save_with_history(enterprise, actor=actor)
    if {"region", "category"} & set(form.changed_data):
        _follow_enterprise(enterprise, actor)
    return enterprise


def _follow_enterprise(enterprise: Enterprise, actor) -> None:
    """Open hazards move with an enterprise that moves town or supervision category, so the
    unit now responsible sees them and the old one no longer does (closed ones keep the
    place and category they were closed under)."""
    from anlan.hazards.models import OPEN_STATES, Hazard

    for hazard in Hazard.objects.filter(enterprise=enterprise, state__in=OPEN_STATES):
        hazard.region_id = enterprise.region_id
        hazard.supervision_category_id = enterprise.category_id
        hazard._history_user = actor
        hazard._change_reason = "企业所在地或监管类别变更"
        hazard.save()


@transaction.atomic
def do_archive_enterprise(enterprise: Enterprise, *, actor, reason: str) -> Enterprise:
    """Archive (never delete) with a reason. Archiving twice is harmless."""
    require(actor, "registry.archive")
    locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if locked.is_archived:
        return locked
    locked.archived_at = timezone.now()
    locked.archived_by = actor
    locked.archive_reason = reason
    return _save_with_history(locked, actor=actor, reason=reason)


@_unique_uscc
@transaction.atomic
def do_import_enterprises(forms: list[EnterpriseForm], *, actor) -> list[Enterprise]:
    """Write every validated row in one transaction with one history row each."""
    require(actor, "registry.import")
    objs = [form.save(commit=False) for form in forms]
    now = timezone.now()
    for obj in objs:
        obj.created_at = now
    created = bulk_create_with_history(
        objs, Enterprise, batch_size=500, default_user=actor, default_change_reason="Excel 导入"
    )
    return created
