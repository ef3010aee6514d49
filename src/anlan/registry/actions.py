"""The one write path for enterprises: every change goes through a do_* function."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from anlan.core.history import save_with_history
from anlan.core.permissions import require
from anlan.registry.forms import EnterpriseForm
from anlan.registry.models import Enterprise
from anlan.registry.signals import enterprise_moved

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
    return save_with_history(enterprise, actor=actor)


@_unique_uscc
@transaction.atomic
def do_update_enterprise(form: EnterpriseForm, *, actor) -> Enterprise:
    """Save the change; a change of region or supervision category is announced
    (``enterprise_moved``) in the same transaction, so the enterprise's open hazards follow
    it (hazards/receivers.py) or nothing changes at all."""
    require(actor, "registry.change")
    enterprise = form.save(commit=False)
    old_region_id, old_category_id = Enterprise.objects.values_list("region_id", "category_id").get(
        pk=enterprise.pk
    )
    save_with_history(enterprise, actor=actor)
    if (old_region_id, old_category_id) != (enterprise.region_id, enterprise.category_id):
        enterprise_moved.send(
            sender=Enterprise,
            enterprise=enterprise,
            actor=actor,
            old_region_id=old_region_id,
            old_category_id=old_category_id,
        )
    return enterprise


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
    return save_with_history(locked, actor=actor, reason=reason)


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
