"""Cases found in review: deny by default, records that follow an enterprise, bad input."""

import io
import json
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from anlan.accounts.models import User
from anlan.accounts.roles import Role
from anlan.registry import actions
from anlan.registry.forms import EnterpriseForm
from anlan.registry.models import Enterprise
from tests.hazards.factories import report
from tests.registry.test_views import post_data, uscc
from tests.registry.xlsx import good_row, workbook_bytes


def test_a_government_user_without_a_unit_can_place_nothing(db):
    orphan = User.objects.create_user("orphan", password="x-long-password", role=Role.TOWN_STAFF)
    form = EnterpriseForm(data=post_data(uscc=uscc(501)), user=orphan)
    assert not form.is_valid() and "region" in form.errors
    assert not form.fields["region"].queryset.exists()
    client = Client()
    client.force_login(orphan)
    response = client.post(
        "/api/v1/enterprises/",
        json.dumps({**post_data(uscc=uscc(502)), "employees": 3, "is_key": False}),
        content_type="application/json",
    )
    assert response.status_code in (403, 422)
    orphan.enterprise = None
    try:
        orphan.full_clean()
    except ValidationError as error:
        assert "organisation" in error.message_dict
    else:
        raise AssertionError("a government account without a unit must not validate")


def test_open_hazards_follow_an_enterprise_to_its_new_town(personas):
    enterprise = personas["ent-a"].enterprise
    hazard = report(personas["ent-a"])
    data = post_data(
        name=enterprise.name, uscc=enterprise.uscc, region="990102003001",
        category=enterprise.category_id, industry=enterprise.industry,
    )  # fmt: skip
    form = EnterpriseForm(data=data, instance=enterprise, user=personas["county"])
    assert form.is_valid(), form.errors
    actions.do_update_enterprise(form, actor=personas["county"])
    hazard.refresh_from_db()
    assert hazard.region_id == "990102003001"
    town_a, town_b = Client(), Client()
    town_a.force_login(personas["town-a"])
    town_b.force_login(personas["town-b"])
    assert town_a.get(reverse("hazards:detail", args=[hazard.pk])).status_code == 404
    assert town_b.get(reverse("hazards:detail", args=[hazard.pk])).status_code == 200


def test_a_credit_code_taken_concurrently_is_a_message_not_a_500(personas):
    form = EnterpriseForm(data=post_data(uscc=uscc(503)), user=personas["town-a"])
    assert form.is_valid()
    Enterprise.objects.filter(pk=personas["ent-b"].enterprise_id).update(uscc=uscc(503))
    try:
        actions.do_create_enterprise(form, actor=personas["town-a"])
    except ValidationError as error:
        assert "已存在" in error.message_dict["uscc"][0]
    else:
        raise AssertionError("the unique index must turn into a validation error")


def test_a_damaged_workbook_is_a_row_error(client_for):
    good = workbook_bytes([good_row(uscc(504), "清河县损坏文件有限公司")])
    damaged = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.endswith("sheet1.xml"):
                data = data[: len(data) // 2]
            dst.writestr(item, data)
    upload = SimpleUploadedFile("bad.xlsx", damaged.getvalue())
    response = client_for("county").post(reverse("registry:import"), {"file": upload})
    assert response.status_code == 400
    assert "不是有效的 Excel" in str(response.context["errors"][0])


def test_inbox_ignores_a_bad_id(client_for):
    assert client_for("town-a").post(reverse("inbox"), {"id": "abc"}).status_code == 302
