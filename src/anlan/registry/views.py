"""Enterprise registry pages: thin views over scoping, forms and actions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from anlan.core.excel import XLSX_CONTENT_TYPE, ImportFailed, RowError, write_workbook
from anlan.core.history import history_of
from anlan.core.permissions import can, require
from anlan.core.scoping import access_or_404
from anlan.registry import actions, imports
from anlan.registry.forms import ArchiveForm, EnterpriseForm, ImportForm
from anlan.registry.ledger import ENTERPRISE_LEDGER
from anlan.registry.models import Enterprise
from anlan.registry.sections import enterprise_sections


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


def enterprise_list(request):
    require(request.user, "registry.view")
    return ENTERPRISE_LEDGER.page(request)


def enterprise_detail(request, pk: int):
    enterprise = access_or_404(
        Enterprise.objects.select_related("region", "category", "archived_by"), request.user, pk
    )
    require(request.user, "registry.view")
    context = {
        "enterprise": enterprise,
        "path": enterprise.region.path(),
        "history": history_of(enterprise) if can(request.user, "registry.history") else [],
        "sections": enterprise_sections(request.user, enterprise),
        "can_change": can(request.user, "registry.change") and not enterprise.is_archived,
        "can_archive": can(request.user, "registry.archive") and not enterprise.is_archived,
    }
    return render(request, "registry/detail.html", context)


def enterprise_history(request, pk: int):
    enterprise = access_or_404(Enterprise.objects, request.user, pk)
    require(request.user, "registry.history")
    return render(
        request,
        "registry/history.html",
        {"enterprise": enterprise, "history": history_of(enterprise)},
    )


@require_http_methods(["GET", "POST"])
def enterprise_create(request):
    require(request.user, "registry.create")
    form = EnterpriseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = actions.do_create_enterprise(form, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Enterprise %(name)s added.") % {"name": enterprise.name})
            return redirect(enterprise)
    return render(request, "registry/form.html", {"form": form, "enterprise": None})


@require_http_methods(["GET", "POST"])
def enterprise_edit(request, pk: int):
    enterprise = access_or_404(Enterprise.objects.active(), request.user, pk)
    require(request.user, "registry.change")
    form = EnterpriseForm(request.POST or None, instance=enterprise, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            if form.has_changed():
                actions.do_update_enterprise(form, actor=request.user)
                messages.success(request, _("Changes saved."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(enterprise)
    return render(request, "registry/form.html", {"form": form, "enterprise": enterprise})


@require_http_methods(["GET", "POST"])
def enterprise_archive(request, pk: int):
    enterprise = access_or_404(Enterprise.objects, request.user, pk)
    require(request.user, "registry.archive")
    form = ArchiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.do_archive_enterprise(
            enterprise, actor=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Enterprise archived."))
        return redirect(enterprise)
    return render(request, "registry/archive.html", {"form": form, "enterprise": enterprise})


def enterprise_export(request):
    require(request.user, "registry.export")
    data = ENTERPRISE_LEDGER.cleaned(ENTERPRISE_LEDGER.bind(request.user, request.GET))
    queryset = ENTERPRISE_LEDGER.queryset(request.user, data)
    with translation.override("zh-hans"):
        content = write_workbook(
            "生产经营单位台账", imports.EXPORT_HEADERS, imports.export_rows(queryset)
        )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _xlsx(content, f"enterprises-{stamp}.xlsx")


def import_template(request):
    require(request.user, "registry.import")
    content = write_workbook(
        "生产经营单位",
        [c.header for c in imports.COLUMNS],
        imports.template_rows(),
        required=[c.header for c in imports.COLUMNS if c.required],
    )
    return _xlsx(content, "enterprise-import-template.xlsx")


@require_http_methods(["GET", "POST"])
def enterprise_import(request):
    require(request.user, "registry.import")
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            forms = imports.parse_and_validate(form.cleaned_data["file"], user=request.user)
            created = actions.do_import_enterprises(forms, actor=request.user)
        except ImportFailed as failure:
            errors = failure.errors
        except ValidationError as error:  # a concurrent import took a credit code first
            errors = [RowError(0, "", message) for message in error.messages]
        else:
            messages.success(
                request, _("%(count)s enterprises imported.") % {"count": len(created)}
            )
            return redirect("registry:list")
    return render(
        request,
        "registry/import.html",
        {"form": form, "errors": errors, "columns": imports.COLUMNS},
        status=400 if errors else 200,
    )
