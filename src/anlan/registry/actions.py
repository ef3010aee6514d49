"""The one write path for enterprises: every change goes through a do_* function."""

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from anlan.core.permissions import require
from anlan.registry.forms import EnterpriseForm
from anlan.registry.models import Enterprise


def _save_with_history(enterprise: Enterprise, *, actor, reason: str = "") -> Enterprise:
    enterprise._history_user = actor
    enterprise._change_reason = reason
    enterprise.save()
    return enterprise


@transaction.atomic
def do_create_enterprise(form: EnterpriseForm, *, actor) -> Enterprise:
    require(actor, "registry.create")
    enterprise = form.save(commit=False)
    return _save_with_history(enterprise, actor=actor)


@transaction.atomic
def do_update_enterprise(form: EnterpriseForm, *, actor) -> Enterprise:
    require(actor, "registry.change")
    enterprise = form.save(commit=False)
    return _save_with_history(enterprise, actor=actor)


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
