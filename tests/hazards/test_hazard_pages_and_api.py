import io
import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from anlan.core.models import DocumentCounter
from anlan.hazards.models import Hazard, HazardPhoto, HazardState
from tests.conftest import PASSWORD
from tests.hazards.factories import advance, jpeg_bytes, report, upload


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def report_data(**overrides):
    data = {
        "site_kind": "enterprise",
        "source": "enterprise_self",
        "found_at": "2026-11-20T09:30",
        "description": "二楼配电箱门损坏，带电部位外露",
        "category": "electrical",
        "level": "general",
    }
    data.update(overrides)
    return data


def test_enterprise_reports_with_a_photo_from_a_phone(personas):
    client = logged_in(personas["ent-a"])
    assert client.get(reverse("hazards:report")).status_code == 200
    data = report_data(enterprise=personas["ent-a"].enterprise_id)
    # A photo taken sideways (EXIF orientation 6) is stored upright, with a thumbnail.
    data["photos"] = [upload("side.jpg", jpeg_bytes((80, 40), orientation=6))]
    response = client.post(reverse("hazards:report"), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    hazard = Hazard.objects.latest("pk")
    assert hazard.enterprise_id == personas["ent-a"].enterprise_id
    assert hazard.region_id == personas["ent-a"].enterprise.region_id
    photo = HazardPhoto.objects.get(hazard=hazard)
    from PIL import Image

    with photo.image.open("rb") as f:
        assert Image.open(f).size == (40, 80)
    thumb = client.get(reverse("hazards:photo", args=[hazard.pk, photo.pk, "thumb"]))
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"


def test_a_fake_image_is_refused_in_chinese(personas):
    client = logged_in(personas["town-a"])
    data = report_data(
        enterprise=personas["ent-a"].enterprise_id,
        source="town_patrol",
        photos=[upload("x.jpg", b"GIF89a not really")],
    )
    response = client.post(reverse("hazards:report"), data)
    assert response.context["form"].errors["photos"] == ["文件不是有效的图片。"]


def test_site_hazard_needs_region_category_and_name(personas):
    client = logged_in(personas["town-a"])
    response = client.post(
        reverse("hazards:report"), report_data(site_kind="road", source="town_patrol")
    )
    errors = response.context["form"].errors
    assert {"region", "supervision_category", "site_name"} <= set(errors)


def test_transition_through_the_page_and_a_stale_click(personas):
    hazard = report(personas["ent-a"])
    client = logged_in(personas["town-a"])
    url = reverse("hazards:transition", args=[hazard.pk, "confirm"])
    missing = client.post(url, {"comment": "属实"})  # the order needs its deadline
    assert missing.status_code == 400 and "必填" in missing.content.decode()
    deadline = (timezone.localdate() + timedelta(days=15)).isoformat()
    assert client.post(url, {"comment": "属实", "deadline": deadline}).status_code == 302
    again = client.post(url, {"comment": "属实", "deadline": deadline}, follow=True)
    assert "状态已变化" in again.content.decode()
    hazard.refresh_from_db()
    assert hazard.state == HazardState.CONFIRMED
    # The town cannot accept: the button is not offered and the step is refused.
    page = client.get(reverse("hazards:detail", args=[hazard.pk]))
    assert [t.name for t in page.context["transitions"]] == []


def test_plan_form_shows_major_items_and_errors(personas):
    major = advance(report(personas["ent-a"], level="major"), personas, "confirmed")
    client = logged_in(personas["ent-a"])
    response = client.post(
        reverse("hazards:transition", args=[major.pk, "plan"]),
        {"responsible_person": "张总", "responsible_phone": "13800000000", "measures": "更换",
         "funds": "1000", "deadline": "2099-01-01"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "plan_safety_measures" in response.context["plan_form"].errors


def test_documents_are_numbered_per_unit_and_year_and_render(personas):
    first = advance(report(personas["ent-a"]), personas, "confirmed")
    second = advance(report(personas["ent-a"]), personas, "confirmed")
    n1, n2 = first.notice_number, second.notice_number
    assert n1 != n2 and n1[:-3] == n2[:-3] or n1.split("〕")[0] == n2.split("〕")[0]
    counter = DocumentCounter.objects.get(kind="rectification_notice")
    assert counter.issuer == f"org:{personas['town-a'].organisation_id}" and counter.last >= 2
    pdf = logged_in(personas["ent-a"]).get(reverse("hazards:notice_pdf", args=[first.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert b"FontFile2" in pdf.content  # the Chinese font is embedded, not referenced


def test_listing_major_hazards(personas):
    major = advance(report(personas["ent-a"], level="major"), personas, "rectifying")
    town = logged_in(personas["town-a"])
    url = reverse("hazards:listing_create", args=[major.pk])
    data = {"responsible_leaders": "副县长 张某", "deadline": "2099-01-31", "public_exposure": "on"}
    assert town.post(url, data).status_code == 403  # a town does not list
    county = logged_in(personas["county"])
    assert county.post(url, data).status_code == 302
    major.refresh_from_db()
    assert major.listing.document_number.startswith("清河县应急管理局督〔")
    assert county.get(reverse("hazards:listing_pdf", args=[major.pk])).status_code == 200
    public = county.get(reverse("hazards:listings"), {"public": "1", "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(public.streaming_content))).worksheets[0].values)
    assert rows[1][0] == major.listing.document_number
    # Delisting only after closure.
    delist = reverse("hazards:listing_remove", args=[major.pk])
    assert county.post(delist).status_code == 400
    advance(major, personas, "closed")
    assert county.post(delist).status_code == 302
    major.listing.refresh_from_db()
    assert major.listing.delisted_at is not None


def test_ledger_filters_and_export(personas):
    open_one = report(personas["ent-a"], description="开放隐患")
    closed = advance(report(personas["ent-a"], description="已销号隐患"), personas, "closed")
    client = logged_in(personas["town-a"])
    page = client.get(reverse("hazards:list"), {"state": "closed"})
    assert [h.pk for h in page.context["page"].object_list] == [closed.pk]
    page = client.get(reverse("hazards:list"), {"state": "open", "q": "开放"})
    assert [h.pk for h in page.context["page"].object_list] == [open_one.pk]
    export = client.get(reverse("hazards:export"), {"state": "closed"})
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).worksheets[0].values)
    assert rows[0][0] == "隐患编号" and [r[0] for r in rows[1:]] == [closed.number]


def test_statistics_by_town_and_department(personas):
    advance(report(personas["ent-a"]), personas, "closed")
    report(personas["ent-a"], level="major")
    page = logged_in(personas["county"]).get(reverse("hazards:stats"))
    town_a = next(r for r in page.context["towns"] if r["name"] == "青石镇")
    assert (town_a["found"], town_a["closed"], town_a["major"], town_a["closure_rate"]) == (
        2,
        1,
        1,
        50.0,
    )
    names = [r["name"] for r in page.context["departments"]]
    assert "清河县交通运输局" in names


def token(username: str) -> str:
    response = Client().post(
        "/api/v1/auth/token",
        json.dumps({"username": username, "password": PASSWORD}),
        content_type="application/json",
    )
    return response.json()["token"]


@pytest.fixture
def api(db):
    def make(persona: str) -> Client:
        return Client(HTTP_AUTHORIZATION=f"Bearer {token('demo-' + persona)}")

    return make


def test_api_report_and_walk_the_loop(api, personas):
    ent = api("ent-a")
    created = ent.post(
        "/api/v1/hazards/",
        {**report_data(enterprise=personas["ent-a"].enterprise_id), "photos": [upload()]},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == "reported" and body["available_transitions"] == ["fix_now"]
    pk = body["id"]
    assert HazardPhoto.objects.filter(hazard_id=pk, kind="before").count() == 1
    confirmed = api("town-a").post(
        f"/api/v1/hazards/{pk}/transitions/confirm", {"comment": "属实", "deadline": "2099-12-31"}
    )
    assert confirmed.json()["state"] == "confirmed" and confirmed.json()["deadline"] == "2099-12-31"
    later = ent.post(
        f"/api/v1/hazards/{pk}/transitions/plan",
        {"responsible_person": "王强", "responsible_phone": "13800000001", "measures": "修复",
         "funds": "800", "deadline": "2100-01-01"},
    )  # fmt: skip
    assert later.status_code == 422
    assert "不得晚于责令整改期限 2099-12-31" in later.json()["error"]["fields"]["deadline"][0]
    planned = ent.post(
        f"/api/v1/hazards/{pk}/transitions/plan",
        {"responsible_person": "王强", "responsible_phone": "13800000001", "measures": "修复",
         "funds": "800", "deadline": "2099-12-31"},
    )  # fmt: skip
    assert planned.json()["state"] == "rectifying" and planned.json()["deadline"] == "2099-12-31"
    no_photo = ent.post(f"/api/v1/hazards/{pk}/transitions/submit", {"comment": "已修复"})
    assert no_photo.status_code == 422
    assert no_photo.json()["error"]["fields"]["photos"] == ["此项为必填项。"]
    submitted = ent.post(
        f"/api/v1/hazards/{pk}/transitions/submit", {"comment": "已修复", "photos": [upload()]}
    )
    assert submitted.json()["state"] == "submitted"
    assert api("town-a").post(f"/api/v1/hazards/{pk}/transitions/accept").status_code == 403
    assert (
        api("county").post(f"/api/v1/hazards/{pk}/transitions/accept").json()["state"] == "accepted"
    )
    stale = api("county").post(f"/api/v1/hazards/{pk}/transitions/accept")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_state"
    closed = api("county").post(f"/api/v1/hazards/{pk}/transitions/close")
    assert [e["transition"] for e in closed.json()["events"]] == [
        "report", "confirm", "plan", "submit", "accept", "close",
    ]  # fmt: skip


def test_api_ledger_rows_say_what_the_detail_says(api, personas):
    """The ledger builds its rows from ``.values()`` (hazards/ledger.py ``ledger_item``); each
    must equal the detail endpoint's, which goes through the model and HazardOut."""
    from datetime import timedelta

    from django.utils import timezone

    from anlan.hazards import actions

    town, county = personas["town-a"], personas["county"]
    rectifying = advance(report(personas["ent-a"]), personas, "rectifying")
    Hazard.objects.filter(pk=rectifying.pk).update(longitude="120.123456", latitude="30.5")
    overdue = advance(report(personas["ent-a"]), personas, "rectifying")
    Hazard.objects.filter(pk=overdue.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    for kind, name in (("road", "县道 X012 K3+200 急弯"), ("bridge", "")):  # no name: the kind
        report(town, enterprise=None, site_kind=kind, site_name=name, region_id="990102002001",
               supervision_category_id="transport", category_id="traffic")  # fmt: skip
    listed = advance(report(personas["ent-a"], level="major"), personas, "rectifying")
    actions.do_list_hazard(listed, actor=county, responsible_leaders="副县长 张某",
                           deadline=timezone.localdate(), public_exposure=False)  # fmt: skip
    delisted = advance(report(personas["ent-a"], level="major"), personas, "rectifying")
    actions.do_list_hazard(delisted, actor=county, responsible_leaders="副县长 张某",
                           deadline=timezone.localdate(), public_exposure=False)  # fmt: skip
    delisted = advance(delisted, personas, "closed")
    actions.do_delist_hazard(delisted, actor=county)

    client = api("county")
    for language in ("zh-hans", "en"):
        client.cookies["django_language"] = language
        body = client.get("/api/v1/hazards/", {"page_size": 100}).json()
        assert body["count"] == len(body["items"]) == 6
        assert {item["deadline_status"] for item in body["items"]} == {None, "on_time", "overdue"}
        assert [item["listed"] for item in body["items"]].count(True) == 1
        for item in body["items"]:
            detail = client.get(f"/api/v1/hazards/{item['id']}").json()
            for detail_only in (
                "events",
                "available_transitions",
                "ordered_deadline",
                "confirmed_at",
                "referred_at",
                "assessment",
                "review_due",
            ):
                del detail[detail_only]
            assert item == detail, item["id"]


def test_api_ledger_pages(api, personas):
    for _ in range(3):
        report(personas["ent-a"])
    client = api("town-a")
    pages = [client.get("/api/v1/hazards/", {"page": n, "page_size": 2}).json() for n in (1, 2, 3)]
    assert [len(page["items"]) for page in pages] == [2, 1, 0]
    assert {page["count"] for page in pages} == {3}
    ids = [item["id"] for page in pages for item in page["items"]]
    assert ids == sorted(ids, reverse=True)  # newest first
    too_small = client.get("/api/v1/hazards/", {"page": 0})
    assert too_small.status_code == 422 and "page" in too_small.json()["error"]["fields"]


def test_api_ledger_filters(api, personas):
    hazard = advance(report(personas["ent-a"]), personas, "rectifying")
    body = api("town-a").get("/api/v1/hazards/", {"state": "rectifying"}).json()
    assert [item["id"] for item in body["items"]] == [hazard.pk]
    assert body["items"][0]["deadline_status"] == "on_time"
    assert api("town-b").get("/api/v1/hazards/", {"state": "rectifying"}).json()["count"] == 0
    assert api("town-b").get(f"/api/v1/hazards/{hazard.pk}").status_code == 404
    schema = api("county").get("/api/v1/openapi.json").json()
    assert "/api/v1/hazards/{hazard_id}/transitions/{name}" in schema["paths"]


def test_api_ledger_reads_live_rows(api, personas):
    """What is reported or closed between two identical requests shows in the second, in its
    rows and in its count (from the tally or live)."""
    client = api("town-a")
    query = {"state": "open", "page_size": 2}
    before = client.get("/api/v1/hazards/", query).json()
    reported = report(personas["ent-a"])
    after = client.get("/api/v1/hazards/", query).json()
    assert after["count"] == before["count"] + 1
    assert after["items"][0]["id"] == reported.pk
    advance(reported, personas, "closed")
    closed = client.get("/api/v1/hazards/", query).json()
    assert closed["count"] == before["count"]
    assert reported.pk not in {item["id"] for item in closed["items"]}
    # A page past the last still says how many there are.
    past = client.get("/api/v1/hazards/", {**query, "page": 10_000}).json()
    assert past == {"items": [], "count": before["count"]}
    # An enterprise's count is live (the tally has no enterprise), and so is a text search.
    for persona, extra in (("ent-a", {}), ("town-a", {"q": "防护罩"})):
        counted = api(persona).get("/api/v1/hazards/", {**query, **extra}).json()["count"]
        report(personas["ent-a"])
        assert api(persona).get("/api/v1/hazards/", {**query, **extra}).json()["count"] == (
            counted + 1
        )


def test_api_ledger_checks_a_category_on_every_request(api, personas):
    """Category choices come from the database, so a category removed since the last request
    is refused."""
    from anlan.registry.models import SupervisionCategory

    SupervisionCategory.objects.create(code="ropeways", name="客运索道")
    county = api("county")
    assert county.get("/api/v1/hazards/", {"category": "ropeways"}).json()["count"] == 0
    SupervisionCategory.objects.filter(code="ropeways").delete()
    refused = county.get("/api/v1/hazards/", {"category": "ropeways"})
    assert refused.status_code == 422 and "category" in refused.json()["error"]["fields"]
    # Outside a department's categories, however often it is asked.
    for _ in range(2):
        refused = api("dept-transport").get("/api/v1/hazards/", {"category": "non_coal_mines"})
        assert refused.status_code == 422 and "category" in refused.json()["error"]["fields"]


def test_api_ledger_town_filter_and_scope_read_the_town_column(api, personas):
    """A town's subtree is compared on the generated ``town`` column (the hazard_town_*
    indexes); a longer code adds its prefix. Either way the rows are those of the prefix,
    for hazards recorded at a village, at a town and at the county itself."""
    from anlan.core.scoping import region_q

    town_user = personas["town-a"]
    at_village = report(personas["ent-a"])
    village = at_village.region_id
    site = {"enterprise": None, "site_kind": "road", "site_name": "县道 X012",
            "supervision_category_id": "transport", "category_id": "traffic"}  # fmt: skip
    at_town = report(town_user, region_id=village[:9], **site)
    at_county = report(personas["county"], region_id=village[:6], **site)
    assert [h.town for h in (at_village, at_town, at_county)] == [
        village[:9],
        village[:9],
        village[:6],
    ]
    fields = Hazard.scope_fields
    for code in [village[:n] for n in range(1, 13)] + [village[:9] + "9", village + "001"]:
        expected = Hazard.objects.filter(region__code__startswith=code)
        assert set(Hazard.objects.filter(region_q(fields, code))) == set(expected), code
    sql = str(Hazard.objects.visible_to(town_user).query)
    assert f'"hazards_hazard"."town" = {village[:9]}' in sql and "LIKE" not in sql
    listed = api("county").get("/api/v1/hazards/", {"region": village[:9], "page_size": 100})
    assert {at_village.pk, at_town.pk} <= {item["id"] for item in listed.json()["items"]}
    assert at_county.pk not in {item["id"] for item in listed.json()["items"]}
    town_b = {item["id"] for item in api("town-b").get("/api/v1/hazards/").json()["items"]}
    assert not town_b & {at_village.pk, at_town.pk, at_county.pk}
    # The column follows the region (an enterprise moved to another town takes its hazards).
    other = personas["ent-b"].enterprise.region_id
    Hazard.objects.filter(pk=at_village.pk).update(region_id=other)
    at_village.refresh_from_db()
    assert at_village.town == other[:9]


def test_api_ledger_serves_each_scope_its_own(api, personas):
    """The same filters asked by every kind of user, twice: each answer is exactly that
    user's scope."""
    for _ in range(2):
        report(personas["ent-a"])
        report(personas["ent-b"])
    query = {"state": "open", "page_size": 100}
    for _round in range(2):
        for persona in ("county", "town-a", "town-b", "dept-transport", "grid-a", "ent-a",
                        "ent-b", "city"):  # fmt: skip
            body = api(persona).get("/api/v1/hazards/", query).json()
            visible = Hazard.objects.visible_to(personas[persona]).open()
            assert body["count"] == visible.count(), persona
            assert {item["id"] for item in body["items"]} == set(
                visible.values_list("pk", flat=True)[:100]
            ), persona


def test_api_answers_utf8_json_with_values_as_before(api, personas):
    hazard = report(personas["ent-a"])
    Hazard.objects.filter(pk=hazard.pk).update(funds="1200.50", longitude="120.123456")
    response = api("town-a").get(f"/api/v1/hazards/{hazard.pk}")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "机床防护罩破损".encode() in response.content  # UTF-8, not \\u escapes
    body = response.json()
    # Django's formats, as json + DjangoJSONEncoder wrote them: milliseconds and Z, decimals
    # as strings.
    assert body["found_at"].endswith("Z") and len(body["found_at"]) == len(
        "2026-11-23T00:49:26.922Z"
    )
    assert (body["funds"], body["longitude"]) == ("1200.50", "120.123456")


def test_api_error_echoing_unencodable_text_is_still_json(api, personas):
    """orjson refuses a lone surrogate; the renderer falls back to json, so a form error that
    echoes the value stays a 422."""
    body = {"name": "某企业", "uscc": "91330000MA00000001", "address": "青石镇",
            "region": "990102002001", "industry": "C", "category": "transport",
            "scale": "SURROGATE", "employees": 3, "legal_representative": "张三",
            "safety_manager": "李四", "safety_manager_phone": "13800000000"}  # fmt: skip
    text = json.dumps(body).replace("SURROGATE", "\\ud800")  # a choice error echoes it
    response = api("county").post("/api/v1/enterprises/", text, content_type="application/json")
    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == "validation_error"
