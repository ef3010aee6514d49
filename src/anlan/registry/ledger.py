"""The enterprise register (生产经营单位台账) as a ledger: the list page and the API list
(core/ledger.py). The export keeps the import's columns (registry/imports.py), so an exported
sheet can be imported again."""

from anlan.core.ledger import Ledger
from anlan.registry.filters import EnterpriseFilterForm, apply_filters
from anlan.registry.models import Enterprise

ENTERPRISE_LEDGER = Ledger(
    model=Enterprise,
    form=EnterpriseFilterForm,
    filters=apply_filters,
    columns=(),
    ordering=("name", "pk"),
    template="registry/list.html",
    rows_template="registry/_rows.html",
    related=("region", "category"),
    export_name="enterprises",
)
