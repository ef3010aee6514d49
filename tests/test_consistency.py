"""House rules checked across the codebase (STYLE.md §11)."""

import re
from io import StringIO
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

SRC = Path(__file__).resolve().parent.parent / "src" / "anlan"


def python_files(*names: str):
    for name in names:
        yield from SRC.glob(f"*/{name}")


def business_model_names() -> list[str]:
    from django.apps import apps

    from anlan.core.scoping import Scoped

    return [m.__name__ for m in apps.get_models() if issubclass(m, Scoped)]


@pytest.mark.parametrize(
    "path", list(python_files("views.py", "api.py")), ids=lambda p: str(p.relative_to(SRC))
)
def test_views_fetch_business_records_through_scoping(path):
    """`Enterprise.objects.all()` in a view or API module bypasses jurisdiction scoping."""
    text = path.read_text()
    for name in business_model_names():
        match = re.search(rf"\b{name}\.objects\.(all|filter|get|exclude)\(", text)
        assert match is None, f"{path.name}: use {name}.objects.visible_to() or access_or_404()"


def test_the_scoping_rule_sees_business_models():
    assert "Enterprise" in business_model_names()


def test_no_cdn_in_templates():
    for template in SRC.rglob("*.html"):
        text = template.read_text()
        for url in re.findall(r"""(?:src|href)=["'](https?://[^"']+)""", text):
            pytest.fail(f"{template.relative_to(SRC)} loads {url}: vendor it instead")


def test_migrations_are_up_to_date(db):
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:
        pytest.fail("models changed without a migration:\n" + out.getvalue())


def test_system_checks_pass():
    call_command("check", "--fail-level", "WARNING")


def test_chinese_translation_is_complete():
    po = polib.pofile(str(SRC / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


def test_house_checks_catch_an_unscoped_business_model():
    from django.db import models

    from anlan.core.checks import business_models_follow_house_rules
    from anlan.core.scoping import Scoped

    class Loose(Scoped):
        owner = models.ForeignKey("regions.Region", on_delete=models.CASCADE)

        class Meta:
            app_label = "registry"

    try:
        ids = {e.id for e in business_models_follow_house_rules()}
        assert {"anlan.E001", "anlan.E002", "anlan.E003"} <= ids
    finally:
        from django.apps import apps

        del apps.all_models["registry"]["loose"]
        apps.clear_cache()


def test_api_schema_names_are_unique():
    """django-ninja names OpenAPI components by class name: two apps' `EventOut` would make one
    silently describe the other's responses."""
    from ninja import Schema

    from anlan.api.site import api

    seen: dict[str, type] = {}

    def walk(cls):
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("anlan."):
                other = seen.setdefault(sub.__name__, sub)
                assert other is sub, f"{sub.__module__}.{sub.__name__} and {other.__module__}"
            walk(sub)

    assert api.get_openapi_schema()  # every router imported
    walk(Schema)
