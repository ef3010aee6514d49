"""Forms ask only what the user needs (issue 12, point 4): fields that do not apply to the
user's role are not shown and are set by the server (the API refuses another value for them),
the reporter is filled in from the user, a 督办期限 in the past is refused like every deadline
and no document prints an impossible date, and free text has limits taken from the models."""

from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anlan.accounts.models import ApiToken
from anlan.core.documents import ImpossibleDate
from anlan.hazards import documents
from anlan.hazards.models import Hazard, HazardSource, Listing, SiteKind
from anlan.incidents.models import Incident
from anlan.incidents.rules import Source
from tests.hazards.factories import advance, report
from tests.incidents.factories import incident

T0 = timezone.make_aware(timezone.datetime(2026, 11, 23, 10, 0))
PRESET_MESSAGE = "此字段由系统按您的记录填写，请不要填写。"


@pytest.fixture
def frozen():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def api(personas):
    def make(persona: str) -> Client:
        _, key = ApiToken.objects.issue(personas[persona])
        return Client(HTTP_AUTHORIZATION=f"Bearer {key}")

    return make


def page(personas, persona: str) -> Client:
    client = Client()
    client.force_login(personas[persona])
    return client


def refused(response, *names: str) -> dict:
    assert response.status_code == 422, response.content
    fields = response.json()["error"]["fields"]
    assert set(fields) == set(names), fields
    return fields


HAZARD = {
    "found_at": "2026-11-23T09:30",
    "description": "二楼配电箱门损坏，带电部位外露",
    "category": "electrical",
    "level": "general",
}
WHERE_AND_WHO = {"enterprise", "site_kind", "site_name", "region", "supervision_category", "source"}


# Fields that do not apply to the role ------------------------------------------------------


def test_an_enterprise_reports_a_hazard_without_where_and_who(personas, frozen):
    client = page(personas, "ent-a")
    form = client.get(reverse("hazards:report")).context["form"]
    assert WHERE_AND_WHO.isdisjoint(form.fields)
    own = personas["ent-a"].enterprise
    # Whatever the page is sent for them is not taken: the record gets its enterprise's.
    other = personas["ent-b"].enterprise
    sent = HAZARD | {"enterprise": other.pk, "region": other.region_id, "source": "tip_off"}
    assert client.post(reverse("hazards:report"), sent).status_code == 302
    hazard = Hazard.objects.latest("pk")
    assert (hazard.enterprise, hazard.region_id, hazard.supervision_category_id) == (
        own,
        own.region_id,
        own.category_id,
    )
    assert (hazard.source, hazard.site_kind) == (HazardSource.ENTERPRISE_SELF, SiteKind.ENTERPRISE)
    # A town officer is still asked where and how it was found.
    town_form = page(personas, "town-a").get(reverse("hazards:report")).context["form"]
    assert WHERE_AND_WHO <= set(town_form.fields)


def test_the_api_refuses_what_an_enterprise_may_not_set(personas, api, frozen):
    client = api("ent-a")
    own, other = personas["ent-a"].enterprise, personas["ent-b"].enterprise
    before = Hazard.objects.count()
    fields = refused(
        client.post("/api/v1/hazards/", HAZARD | {"enterprise": other.pk, "source": "tip_off"}),
        "enterprise",
        "source",
    )
    assert fields["enterprise"] == [PRESET_MESSAGE]
    refused(client.post("/api/v1/hazards/", HAZARD | {"region": other.region_id}), "region")
    assert Hazard.objects.count() == before
    # Left out, or sent with the value the server sets, it is taken.
    created = client.post("/api/v1/hazards/", HAZARD)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["enterprise"], body["region"], body["source"]) == (
        own.pk,
        own.region_id,
        "enterprise_self",
    )
    same = HAZARD | {"enterprise": own.pk, "source": "enterprise_self", "site_kind": "enterprise"}
    assert client.post("/api/v1/hazards/", same).status_code == 201


INCIDENT = {
    "kind": "production", "title": "仓库火灾", "occurred_at": "2026-11-23T08:30",
    "unit_learned_at": "2026-11-23T08:40", "location": "仓库", "deaths": 0, "missing": 0,
    "serious_injuries": 0, "minor_injuries": 2, "trapped": 0, "direct_loss_yuan": "200000",
    "description": "电气短路起火", "reporter_name": "王强", "reporter_phone": "13800000001",
}  # fmt: skip


def test_an_enterprise_reports_an_accident_without_how_the_government_learned(personas, frozen):
    user = personas["ent-a"]
    client = page(personas, "ent-a")
    form = client.get(reverse("incidents:new")).context["form"]
    assert {"known_source", "enterprise", "region", "supervision_category"}.isdisjoint(form.fields)
    # The reporter is the user, as their account says.
    assert (form["reporter_name"].value(), form["reporter_phone"].value()) == (
        user.full_name,
        user.phone,
    )
    assert user.full_name and user.phone
    response = client.post(reverse("incidents:new"), INCIDENT | {"known_source": "tip_off"})
    assert response.status_code == 302, response.content.decode()[-1500:]
    item = Incident.objects.latest("pk")
    assert (item.known_source, item.enterprise_id) == (Source.UNIT, user.enterprise_id)
    assert item.region_id == user.enterprise.region_id
    # The county still says how it learned of one, and is prefilled as the reporter as well.
    county = page(personas, "county").get(reverse("incidents:new")).context["form"]
    assert "known_source" in county.fields
    assert county["reporter_name"].value() == personas["county"].full_name


def test_the_api_refuses_a_source_from_an_enterprise(personas, api, frozen):
    client = api("ent-a")
    body = INCIDENT | {"occurred_at": "2026-11-23T08:30:00+08:00",
                       "unit_learned_at": "2026-11-23T08:40:00+08:00"}  # fmt: skip
    before = Incident.objects.count()
    refused(client.post("/api/v1/incidents/", body | {"known_source": "tip_off"},
                        content_type="application/json"), "known_source")  # fmt: skip
    other = personas["ent-b"].enterprise_id
    refused(client.post("/api/v1/incidents/", body | {"enterprise": other},
                        content_type="application/json"), "enterprise")  # fmt: skip
    assert Incident.objects.count() == before
    created = client.post("/api/v1/incidents/", body, content_type="application/json")
    assert created.status_code == 201, created.content


# Deadlines and dates on documents ----------------------------------------------------------


def test_a_supervision_deadline_in_the_past_is_refused(personas, api):
    major = advance(report(personas["ent-a"], level="major"), personas, "rectifying")
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    data = {"responsible_leaders": "副县长 张某", "deadline": yesterday}
    response = page(personas, "county").post(
        reverse("hazards:listing_create", args=[major.pk]), data
    )
    assert response.status_code == 400
    assert response.context["listing_form"].errors["deadline"] == ["期限不能早于今天"]
    fields = refused(api("county").post(f"/api/v1/hazards/{major.pk}/listing", data), "deadline")
    assert fields["deadline"] == ["期限不能早于今天"]
    assert not Listing.objects.filter(hazard=major).exists()
    today = timezone.localdate().isoformat()
    listed = api("county").post(f"/api/v1/hazards/{major.pk}/listing", data | {"deadline": today})
    assert listed.status_code == 200, listed.content


def test_no_document_prints_a_deadline_before_its_own_date(personas):
    major = advance(report(personas["ent-a"], level="major"), personas, "rectifying")
    today = timezone.localdate()
    Listing.objects.create(
        hazard=major, authority=personas["county"].organisation, document_number="督〔2026〕1号",
        responsible_leaders="副县长 张某", deadline=today, listed_by=personas["county"],
    )  # fmt: skip
    major.refresh_from_db()
    assert documents.listing_notice(major).startswith(b"%PDF")
    # A date the forms refuse, written around them, stops the print rather than appear on it.
    Listing.objects.filter(hazard=major).update(deadline=today - timedelta(days=1))
    major.refresh_from_db()
    with pytest.raises(ImpossibleDate):
        documents.listing_notice(major)
    Hazard.objects.filter(pk=major.pk).update(original_deadline=today - timedelta(days=1))
    major.refresh_from_db()
    with pytest.raises(ImpossibleDate):
        documents.rectification_notice(major)


def test_a_unit_cannot_learn_of_an_accident_before_it_happened(personas, api, frozen):
    item = incident(personas["county"], enterprise=personas["ent-a"].enterprise,
                    known_source="tip_off")  # fmt: skip
    early = (item.occurred_at - timedelta(minutes=5)).isoformat()
    body = {"learned_at": early, "deaths": 1, "missing": 0, "serious_injuries": 1,
            "minor_injuries": 0, "trapped": 0, "direct_loss_yuan": 0, "description": "压伤"}  # fmt: skip
    response = api("ent-a").post(
        f"/api/v1/incidents/{item.pk}/unit-report", body, content_type="application/json"
    )
    refused(response, "learned_at")
    item.refresh_from_db()
    assert item.unit_reported_at is None


# Text limits ---------------------------------------------------------------------------------


def test_overlong_text_is_refused_in_the_form_and_the_api(personas, api, frozen):
    long = "隐" * 2001
    before = Hazard.objects.count()
    response = page(personas, "ent-a").post(
        reverse("hazards:report"), HAZARD | {"description": long}
    )
    assert response.status_code == 200
    (message,) = response.context["form"].errors["description"]
    assert "2000" in message and "字" in message  # in Chinese
    fields = refused(api("ent-a").post("/api/v1/hazards/", HAZARD | {"description": long}),
                     "description")  # fmt: skip
    assert fields["description"] == ["文本过长：最多 2000 个字符。"]
    assert Hazard.objects.count() == before
    # A form that is not a model form takes the model's limit too (the plan's measures).
    hazard = advance(report(personas["ent-a"]), personas, "confirmed")
    plan = {"responsible_person": "王强", "responsible_phone": "13800000001", "funds": "800",
            "deadline": timezone.localdate().isoformat(), "measures": "修" * 2001}  # fmt: skip
    refused(api("ent-a").post(f"/api/v1/hazards/{hazard.pk}/transitions/plan", plan), "measures")
    hazard.refresh_from_db()
    assert hazard.measures == ""


BUSINESS_APPS = ["hazards", "incidents", "duty", "risks", "registry"]


def test_every_free_text_field_has_a_limit():
    unlimited = [
        f"{model.__name__}.{field.name}"
        for app in BUSINESS_APPS
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField)
        and not field.max_length
        # simple_history's own column: the reason of a change, written by core.history
        and field.name != "history_change_reason"
    ]
    assert unlimited == []
