from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from anlan.registry.models import Enterprise
from anlan.registry.rules import uscc_check_char
from tests.registry.xlsx import good_row, read_workbook, workbook_bytes


def uscc(n: int) -> str:
    body = f"9199010200000{n:04d}"
    return body + uscc_check_char(body)


def post_data(**overrides) -> dict:
    data = {
        "name": "清河县测试化工有限公司",
        "uscc": uscc(1),
        "address": "青石镇 8 号",
        "region": "990102002001",
        "longitude": "117.5",
        "latitude": "29.6",
        "industry": "C",
        "category": "hazardous_chemicals",
        "scale": "small",
        "employees": "40",
        "is_key": "on",
        "legal_representative": "张三",
        "legal_representative_phone": "",
        "safety_manager": "李四",
        "safety_manager_phone": "13900000000",
    }
    data.update(overrides)
    return data


def test_list_shows_scope_and_filters(client_for, personas):
    c = client_for("town-a")
    page = c.get(reverse("registry:list"), {"category": "transport"})
    assert page.status_code == 200
    shown = list(page.context["page"].object_list)
    assert shown and all(e.category_id == "transport" for e in shown)
    assert all(e.region_id.startswith("990102002") for e in shown)
    # The htmx request gets the rows partial, not the whole page.
    partial = c.get(reverse("registry:list"), {"key": "1"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content
    assert all(e.is_key for e in partial.context["page"].object_list)


def test_list_search_and_pagination(client_for, settings):
    settings.ANLAN_PAGE_SIZE = 5
    c = client_for("county")
    first = c.get(reverse("registry:list"))
    assert first.context["page"].paginator.count == 60
    assert len(first.context["page"].object_list) == 5
    target = Enterprise.objects.order_by("pk")[3]
    found = c.get(reverse("registry:list"), {"q": target.uscc.lower()})
    assert [e.pk for e in found.context["page"].object_list] == [target.pk]


def test_create_validates_in_chinese_and_records_history(client_for, personas):
    c = client_for("town-a")
    bad = c.post(
        reverse("registry:create"),
        post_data(uscc="91350100M000100Y44", region="990102003001", safety_manager_phone="123"),
    )
    assert bad.status_code == 200
    errors = bad.context["form"].errors
    assert "校验位" in errors["uscc"][0]
    assert "管辖范围" in errors["region"][0]  # town B is outside town A
    assert "手机号码" in errors["safety_manager_phone"][0]
    assert not Enterprise.objects.filter(name="清河县测试化工有限公司").exists()

    ok = c.post(reverse("registry:create"), post_data())
    enterprise = Enterprise.objects.get(uscc=uscc(1))
    assert ok.status_code == 302 and ok.url == enterprise.get_absolute_url()
    record = enterprise.history.get()
    assert record.history_type == "+" and record.history_user == personas["town-a"]

    duplicate = c.post(reverse("registry:create"), post_data(name="另一家"))
    assert "已存在" in duplicate.context["form"].errors["uscc"][0]


def test_edit_records_who_and_which_fields(client_for, personas):
    enterprise = personas["ent-a"].enterprise
    c = client_for("town-a")
    data = post_data(
        name=enterprise.name,
        uscc=enterprise.uscc,
        region=enterprise.region_id,
        category=enterprise.category_id,
        industry=enterprise.industry,
        employees="999",
        safety_manager="赵六",
    )
    response = c.post(reverse("registry:edit", args=[enterprise.pk]), data)
    assert response.status_code == 302
    detail = c.get(reverse("registry:detail", args=[enterprise.pk]))
    latest = detail.context["history"][0]
    assert latest.who == personas["town-a"]
    changed = {change.field: (change.old, change.new) for change in latest.changes}
    assert changed["employees"][1] == 999
    assert changed["safety_manager"] == (enterprise.safety_manager, "赵六")
    assert "赵六" in detail.content.decode()


def test_enterprise_manager_cannot_change_government_fields(client_for, personas):
    enterprise = personas["ent-a"].enterprise
    c = client_for("ent-a")
    data = post_data(
        name="改名企图", uscc=enterprise.uscc, region="990102003001", is_key="", employees="12"
    )
    response = c.post(reverse("registry:edit", args=[enterprise.pk]), data)
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.employees == 12
    assert enterprise.name != "改名企图" and enterprise.region_id.startswith("990102002")
    assert c.get(reverse("registry:archive", args=[enterprise.pk])).status_code == 403
    assert c.get(reverse("registry:create")).status_code == 403


def test_archive_requires_reason_and_never_deletes(client_for, personas):
    target = Enterprise.objects.filter(region__code__startswith="990102002").last()
    c = client_for("town-a")
    url = reverse("registry:archive", args=[target.pk])
    empty = c.post(url, {"reason": ""})
    assert "必填" in empty.context["form"].errors["reason"][0]
    assert c.post(url, {"reason": "企业已关闭注销"}).status_code == 302
    target.refresh_from_db()
    assert target.is_archived and target.archived_by == personas["town-a"]
    assert target.history.first().history_change_reason == "企业已关闭注销"
    listed = c.get(reverse("registry:list")).context["page"].paginator.object_list
    assert target not in listed
    archived = c.get(reverse("registry:list"), {"status": "archived"}).context["page"]
    assert [e.pk for e in archived.object_list] == [target.pk]
    # Editing an archived enterprise is refused as "not found".
    assert c.get(reverse("registry:edit", args=[target.pk])).status_code == 404


def test_export_is_scoped_and_filtered(client_for):
    response = client_for("town-a").get(reverse("registry:export"), {"category": "industry_trade"})
    assert response.status_code == 200
    rows = read_workbook(response.content)
    assert rows[0][:2] == ["企业名称", "统一社会信用代码"]
    expected = set(
        Enterprise.objects.filter(
            region__code__startswith="990102002", category="industry_trade"
        ).values_list("uscc", flat=True)
    )
    assert expected and {r[1] for r in rows[1:]} == expected
    assert all(r[7] == "工贸" for r in rows[1:])


def test_export_round_trips_through_import(client_for, personas):
    c = client_for("town-a")
    exported = read_workbook(
        c.get(reverse("registry:export"), {"q": personas["ent-a"].enterprise.uscc}).content
    )
    row = exported[1]
    row[0], row[1] = "清河县复制企业有限公司", uscc(9)
    import io

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(exported[0])
    wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    upload = SimpleUploadedFile("e.xlsx", buffer.getvalue())
    assert c.post(reverse("registry:import"), {"file": upload}).status_code == 302
    assert (
        Enterprise.objects.get(uscc=uscc(9)).category_id == personas["ent-a"].enterprise.category_id
    )


def test_import_all_or_nothing_with_row_errors(client_for, personas):
    existing = personas["ent-b"].enterprise
    rows = [
        good_row(uscc(11), "清河县好企业一有限公司"),
        good_row("91350100M000100Y44", "校验位错"),
        good_row(uscc(12), "区划错", region="990102999001"),
        good_row(uscc(11), "文件内重复"),
        good_row(existing.uscc, "库内重复"),
        good_row(uscc(13), "缺负责人", safety_manager=""),
        good_row(uscc(14), "类别错", category="不存在的类别"),
        good_row(uscc(15), "重点填错", is_key="也许"),
    ]
    upload = SimpleUploadedFile("bad.xlsx", workbook_bytes(rows))
    response = client_for("county").post(reverse("registry:import"), {"file": upload})
    assert response.status_code == 400
    messages = [str(e) for e in response.context["errors"]]
    text = "\n".join(messages)
    assert "第 3 行 统一社会信用代码：统一社会信用代码无效" in text
    assert "第 4 行 所在乡镇或村社区代码：" in text
    assert "第 5 行 统一社会信用代码：与第 2 行的统一社会信用代码重复" in text
    assert "第 6 行 统一社会信用代码：已存在" in text
    assert "第 7 行 安全管理负责人：此项为必填项" in text
    assert "第 8 行 监管类别：" in text
    assert "第 9 行 重点监管：请填写“是”或“否”" in text
    assert "未导入任何数据" in response.content.decode()
    assert not Enterprise.objects.filter(name="清河县好企业一有限公司").exists()


def test_import_good_file_creates_every_row_with_history(client_for, personas):
    rows = [good_row(uscc(20 + i), f"清河县导入企业{i}有限公司", is_key="是") for i in range(3)]
    upload = SimpleUploadedFile("good.xlsx", workbook_bytes(rows))
    response = client_for("town-a").post(reverse("registry:import"), {"file": upload})
    assert response.status_code == 302
    created = Enterprise.objects.filter(name__startswith="清河县导入企业")
    assert created.count() == 3 and all(e.is_key for e in created)
    assert all(e.history.get().history_user == personas["town-a"] for e in created)


def test_import_rejects_rows_outside_the_importers_scope(client_for):
    rows = [good_row(uscc(30), "清河县别镇企业有限公司", region="990102003001")]
    upload = SimpleUploadedFile("x.xlsx", workbook_bytes(rows))
    response = client_for("town-a").post(reverse("registry:import"), {"file": upload})
    assert response.status_code == 400
    assert "管辖范围" in str(response.context["errors"][0])


def test_import_rejects_a_file_that_is_not_excel(client_for):
    upload = SimpleUploadedFile("x.xlsx", b"not a workbook")
    response = client_for("county").post(reverse("registry:import"), {"file": upload})
    assert "不是有效的 Excel" in str(response.context["errors"][0])
    missing = SimpleUploadedFile("y.xlsx", workbook_bytes([], headers=["企业名称"]))
    response = client_for("county").post(reverse("registry:import"), {"file": missing})
    assert "缺少列" in str(response.context["errors"][0])


def test_english_is_switchable(client_for):
    c = client_for("county")
    assert "企业台账" in c.get(reverse("home")).content.decode()
    c.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Enterprises" in c.get(reverse("home")).content.decode()


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(reverse("registry:list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
