"""Who sees which enterprises: the scoping rules, checked against the world's facts."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from anlan.core.scoping import ANY_CATEGORY, Scope, ScopeFields, scope_of
from anlan.registry.models import Enterprise


def codes(qs):
    return set(qs.values_list("pk", flat=True))


def test_town_users_see_only_their_town(personas):
    for name, town in [("town-a", "990102002"), ("town-b", "990102003")]:
        visible = Enterprise.objects.visible_to(personas[name])
        assert visible.exists()
        assert codes(visible) == codes(Enterprise.objects.filter(region__code__startswith=town))


def test_department_sees_its_categories_in_its_region(personas):
    visible = Enterprise.objects.visible_to(personas["dept-transport"])
    assert visible.exists()
    assert set(visible.values_list("category", flat=True)) == {"transport"}
    assert codes(visible) == codes(Enterprise.objects.filter(category="transport"))


def test_enterprise_users_see_only_their_own(personas):
    for name in ("ent-a", "ent-b"):
        user = personas[name]
        assert codes(Enterprise.objects.visible_to(user)) == {user.enterprise_id}
    assert personas["ent-a"].enterprise.region_id.startswith("990102002")
    assert personas["ent-b"].enterprise.region_id.startswith("990102003")


def test_grid_worker_sees_their_village(personas):
    village = personas["grid-a"].organisation.region_id
    visible = Enterprise.objects.visible_to(personas["grid-a"])
    assert visible.exists()
    assert codes(visible) == codes(Enterprise.objects.filter(region__code__startswith=village))


@pytest.mark.parametrize("name", ["county", "leader", "expert", "admin", "city"])
def test_county_level_users_see_the_county(personas, name):
    assert Enterprise.objects.visible_to(personas[name]).count() == Enterprise.objects.count()


def test_nobody_else_sees_anything(personas):
    assert not Enterprise.objects.visible_to(AnonymousUser()).exists()
    user = personas["town-a"]
    user.is_active = False
    assert not Enterprise.objects.visible_to(user).exists()
    orphan = personas["ent-a"]
    orphan.enterprise_id = None
    orphan._anlan_scope = None
    assert not Enterprise.objects.visible_to(orphan).exists()


def test_user_without_role_sees_nothing(personas):
    user = personas["town-a"]
    user.role = ""
    user._anlan_scope = None
    assert scope_of(user).is_empty


@pytest.mark.parametrize(
    ("scope", "fields", "expected"),
    [
        (Scope(everything=True), ScopeFields(region=None), "all"),
        (Scope(), ScopeFields(), None),
        (Scope(enterprise_id=7), ScopeFields(enterprise=None), None),
        (Scope(region_code="99"), ScopeFields(region=None), None),
        (Scope(region_code="99", categories=frozenset({"gas"})), ScopeFields(category=None), None),
    ],
)
def test_scope_denies_when_a_model_lacks_the_link(scope, fields, expected):
    q = scope.q(fields)
    assert (q is None) if expected is None else (q is not None and not q)


def test_any_category_records_are_seen_by_departments_in_their_region():
    department = Scope(region_code="990102", categories=frozenset({"gas"}))
    fields = ScopeFields(
        region="organisation__region__code", category=ANY_CATEGORY, enterprise=None
    )
    assert department.q(fields) == Q(organisation__region__code__startswith="990102")
    assert department.covers(region="990102002", category=ANY_CATEGORY, enterprise=None)
    assert not department.covers(region="990102002", category="mines", enterprise=None)
    assert not Scope(enterprise_id=7).covers(
        region="990102", category=ANY_CATEGORY, enterprise=None
    )


@pytest.mark.parametrize(
    ("scope", "widened"),
    [
        (
            Scope(region_code="990102002", categories=frozenset({"gas"})),
            Scope(region_code="990102"),
        ),
        (Scope(region_code="990102002001"), Scope(region_code="990102")),
        (Scope(region_code="9901"), Scope(region_code="9901")),
        (Scope(enterprise_id=7), Scope(enterprise_id=7)),
        (Scope(), Scope()),
        (Scope(everything=True), Scope(everything=True)),
    ],
)
def test_county_wide_scope(scope, widened):
    assert scope.county_wide() == widened
