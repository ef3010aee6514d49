"""The investigation-task ledger (排查任务): the task page and the API list (core/ledger.py)."""

from django.utils.translation import gettext as _

from anlan.core.ledger import Ledger
from anlan.risks.filters import TaskFilterForm, task_ordering
from anlan.risks.models import InvestigationTask


def _page_context(request, page, form) -> dict:
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return {
        "tasks": page.object_list,
        "show": data.get("show") or "",
        "enterprise": data.get("enterprise") or "",
        "tabs": [
            ("current", _("Due now")),
            ("mine", _("Mine")),
            ("missed", _("Missed")),
            ("done", _("Done")),
        ],
    }


TASK_LEDGER = Ledger(
    model=InvestigationTask,
    form=TaskFilterForm,
    columns=(),
    ordering=task_ordering,
    template="risks/tasks.html",
    related=("measure__event__unit", "assignee", "enterprise"),
    page_size=50,
    page_context=_page_context,
    api_page_size=100,
    export_name="tasks",
)
