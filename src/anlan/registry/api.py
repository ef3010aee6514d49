from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, FilterSchema, Query, Router, Schema, Status

from anlan.api.base import (
    ApiError,
    ArchiveIn,
    HistoryOut,
    InSchema,
    PatchSchema,
    model_text,
    raise_form_errors,
    refuse_locked_fields,
)
from anlan.core.history import history_of
from anlan.core.pagination import Pages
from anlan.core.permissions import require
from anlan.core.routes import List, NoRecords, Object, Public, exposes
from anlan.core.scoping import access_or_404
from anlan.registry import actions
from anlan.registry.forms import EDITABLE_FIELDS, ArchiveForm, EnterpriseForm
from anlan.registry.ledger import ENTERPRISE_LEDGER
from anlan.registry.models import Enterprise, SupervisionCategory

router = Router(tags=["enterprises"])
categories_router = Router(tags=["enterprises"])


class EnterpriseOut(Schema):
    id: int
    uscc: str
    name: str
    address: str
    region: str = Field(..., alias="region_id")
    region_name: str = Field(..., alias="region.name")
    longitude: Decimal | None
    latitude: Decimal | None
    industry: str
    category: str = Field(..., alias="category_id")
    category_name: str = Field(..., alias="category.name")
    scale: str
    employees: int
    is_key: bool
    legal_representative: str
    legal_representative_phone: str
    safety_manager: str
    safety_manager_phone: str
    created_at: datetime
    updated_at: datetime
    archived_at: datetime | None
    archive_reason: str


class EnterpriseIn(InSchema):
    name: str = model_text(Enterprise, "name")
    uscc: str
    address: str = model_text(Enterprise, "address")
    region: str
    longitude: Decimal | None = None
    latitude: Decimal | None = None
    industry: str
    category: str
    scale: str
    employees: int
    is_key: bool = False
    legal_representative: str = model_text(Enterprise, "legal_representative")
    legal_representative_phone: str = model_text(Enterprise, "legal_representative_phone", "")
    safety_manager: str = model_text(Enterprise, "safety_manager")
    safety_manager_phone: str = model_text(Enterprise, "safety_manager_phone")


class EnterprisePatch(PatchSchema):
    name: str | None = model_text(Enterprise, "name", None)
    uscc: str | None = None
    address: str | None = model_text(Enterprise, "address", None)
    region: str | None = None
    longitude: Decimal | None = None
    latitude: Decimal | None = None
    industry: str | None = None
    category: str | None = None
    scale: str | None = None
    employees: int | None = None
    is_key: bool | None = None
    legal_representative: str | None = model_text(Enterprise, "legal_representative", None)
    legal_representative_phone: str | None = model_text(
        Enterprise, "legal_representative_phone", None
    )
    safety_manager: str | None = model_text(Enterprise, "safety_manager", None)
    safety_manager_phone: str | None = model_text(Enterprise, "safety_manager_phone", None)


class EnterpriseFilters(FilterSchema):
    q: str | None = None
    region: str | None = Field(None, description="Division code prefix (town or village)")
    industry: str | None = Field(None, description="GB/T 4754 section letter")
    category: str | None = Field(None, description="Supervision category code")
    key: str | None = Field(None, description="1: key supervision only, 0: not key")
    status: str | None = Field(None, description="empty: in register, archived, all")


class CategoryOut(Schema):
    code: str
    name: str


def _form_data(payload: dict, instance: Enterprise | None = None) -> dict:
    data = {}
    if instance is not None:
        data = {name: getattr(instance, name) for name in EDITABLE_FIELDS}
        data["region"], data["category"] = instance.region_id, instance.category_id
    data.update({k: v for k, v in payload.items()})
    for name in ("longitude", "latitude"):
        if data.get(name) is None:
            data[name] = ""
    if not data.get("is_key"):
        data.pop("is_key", None)
    return data


def _detail(pk: int) -> Enterprise:
    return Enterprise.objects.select_related("region", "category").get(pk=pk)


class PagedEnterpriseOut(Schema):
    items: list[EnterpriseOut]
    count: int


@exposes(List(Enterprise, params={"status": "all"}))
@router.get("/", response=PagedEnterpriseOut, summary="List enterprises in your jurisdiction")
def list_enterprises(request, filters: Query[EnterpriseFilters], pagination: Query[Pages.Input]):
    require(request.auth, "registry.view")
    raw = filters.model_dump(exclude_none=True)
    return ENTERPRISE_LEDGER.api_list(request.auth, raw, pagination)


@exposes(NoRecords("a creation: its region and category are validated against the scope"))
@router.post("/", response={201: EnterpriseOut}, summary="Register an enterprise")
def create_enterprise(request, payload: EnterpriseIn):
    require(request.auth, "registry.create")
    form = EnterpriseForm(data=_form_data(payload.model_dump()), user=request.auth)
    if not form.is_valid():
        raise_form_errors(form)
    try:
        enterprise = actions.do_create_enterprise(form, actor=request.auth)
    except ValidationError as error:
        raise ApiError(
            422, "validation_error", _("The request has invalid fields."), error.message_dict
        ) from error
    return Status(201, _detail(enterprise.pk))


@exposes(Object(Enterprise))
@router.get("/{int:enterprise_id}", response=EnterpriseOut, summary="One enterprise")
def get_enterprise(request, enterprise_id: int):
    require(request.auth, "registry.view")
    return access_or_404(
        Enterprise.objects.select_related("region", "category"), request.auth, enterprise_id
    )


@exposes(Object(Enterprise))
@router.patch("/{int:enterprise_id}", response=EnterpriseOut, summary="Update an enterprise")
def update_enterprise(request, enterprise_id: int, payload: EnterprisePatch):
    enterprise = access_or_404(Enterprise.objects, request.auth, enterprise_id)
    require(request.auth, "registry.change")
    if enterprise.is_archived:
        raise ApiError(409, "archived", _("An archived enterprise cannot be changed."))
    changes = payload.model_dump(exclude_unset=True)
    form = EnterpriseForm(
        data=_form_data(changes, enterprise), instance=enterprise, user=request.auth
    )
    refuse_locked_fields(form, changes)
    if not form.is_valid():
        raise_form_errors(form)
    if form.has_changed():
        try:
            actions.do_update_enterprise(form, actor=request.auth)
        except ValidationError as error:
            raise ApiError(
                422, "validation_error", _("The request has invalid fields."), error.message_dict
            ) from error
    return _detail(enterprise.pk)


@exposes(Object(Enterprise))
@router.post(
    "/{int:enterprise_id}/archive", response=EnterpriseOut, summary="Archive (never delete)"
)
def archive_enterprise(request, enterprise_id: int, payload: ArchiveIn):
    enterprise = access_or_404(Enterprise.objects, request.auth, enterprise_id)
    require(request.auth, "registry.archive")
    form = ArchiveForm(data=payload.model_dump())
    if not form.is_valid():
        raise_form_errors(form)
    actions.do_archive_enterprise(
        enterprise, actor=request.auth, reason=form.cleaned_data["reason"]
    )
    return _detail(enterprise.pk)


@exposes(Object(Enterprise))
@exposes(Public("supervision categories (reference data)"))
@router.get("/{int:enterprise_id}/history", response=list[HistoryOut], summary="Change history")
def enterprise_history(request, enterprise_id: int):
    enterprise = access_or_404(Enterprise.objects, request.auth, enterprise_id)
    require(request.auth, "registry.history")
    return [
        {
            "when": entry.when,
            "who": entry.who.username if entry.who else None,
            "kind": entry.kind_label,
            "reason": entry.reason,
            "changes": [
                {"field": c.field, "label": c.label, "old": str(c.old), "new": str(c.new)}
                for c in entry.changes
            ],
        }
        for entry in history_of(enterprise)
    ]


@exposes(Public("supervision categories (reference data)"))
@categories_router.get("/", response=list[CategoryOut], summary="Supervision categories")
def list_categories(request):
    return list(SupervisionCategory.objects.all())
