"""The departments supervising the industry take part in incident reporting (条例 art. 9)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from anlan.accounts.models import Organisation, OrganisationKind, User
from anlan.accounts.roles import Role
from anlan.core.models import Notification
from anlan.incidents import actions
from tests import notices
from tests.incidents.factories import incident

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def frozen():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def transport(personas):
    """ent-a's enterprise is in the transport category; the city has its transport bureau, and
    the county's education bureau (another industry) has a member of staff."""
    enterprise = personas["ent-a"].enterprise
    enterprise.category_id = "transport"
    enterprise.save()
    city = Organisation.objects.create(
        name="安澜市交通运输局", kind=OrganisationKind.DEPARTMENT, region_id="9901"
    )
    city.supervised_categories.set(["transport"])
    schools = Organisation.objects.get(name="清河县教育局")
    return {
        "city-dept": User.objects.create(
            username="city-transport", role=Role.DEPARTMENT_STAFF, organisation=city
        ),
        "schools": User.objects.create(
            username="county-schools", role=Role.DEPARTMENT_STAFF, organisation=schools
        ),
    }


titles = notices.titles


def test_the_departments_supervising_the_industry_are_told_with_the_bureau(
    personas, transport, frozen, django_capture_on_commit_callbacks
):
    dept = personas["dept-transport"]
    with django_capture_on_commit_callbacks(execute=True):
        item = incident(personas["ent-a"])
    assert item.supervision_category_id == "transport"
    assert any("新事故信息" in t for t in titles(personas["county"]))
    assert any("新事故信息" in t for t in titles(dept))
    assert not titles(transport["schools"])  # another industry's department
    assert not titles(transport["city-dept"])  # the city has not got it yet

    frozen.move_to(T0 + timedelta(hours=1, minutes=50))  # the county's report to the city
    notices.scan_incidents()
    assert any("即将到期" in t for t in titles(dept))
    frozen.move_to(T0 + timedelta(hours=2, minutes=1))
    notices.scan_incidents()
    assert any("已超时" in t for t in titles(dept))
    assert any("已超时" in t for t in titles(transport["city-dept"]))

    with django_capture_on_commit_callbacks(execute=True):
        actions.do_forward(item, actor=personas["county"])
    assert any("新事故信息" in t for t in titles(transport["city-dept"]))
    assert not titles(transport["schools"])


def test_a_departments_people_on_duty_are_told(
    personas, transport, django_capture_on_commit_callbacks
):
    from tests.duty.factories import roster, shift_at

    shift = shift_at(roster(personas["dept-transport"]), T0)
    with time_machine.travel(T0, tick=False), django_capture_on_commit_callbacks(execute=True):
        incident(personas["ent-a"])
    told = {
        n.recipient_id
        for n in Notification.objects.filter(recipient__organisation=shift.officer.organisation)
        if n.title.startswith("新事故信息")
    }
    assert told == {shift.officer_id, shift.leader_id}


def test_the_county_department_files_follow_ups_but_the_bureau_forwards(
    personas, transport, frozen, client_for, django_capture_on_commit_callbacks
):
    from django.core.exceptions import PermissionDenied, ValidationError

    from tests.incidents.factories import facts

    dept = personas["dept-transport"]
    item = incident(personas["ent-a"])
    assert actions.level_of(dept, item) == "county"
    assert actions.level_of(transport["schools"], item) is None
    page = client_for("dept-transport").get(item.get_absolute_url())
    assert page.status_code == 200
    assert page.context["may_follow_up"] and not page.context["may_final"]
    assert not page.context["may_forward"]
    assert {s.from_level for s, *_ in page.context["steps"]} == {"unit", "county"}

    with django_capture_on_commit_callbacks(execute=True):
        report = actions.do_follow_up(item, actor=dept, facts=facts(item, serious_injuries=2))
    assert (report.kind, report.from_level, report.submitted_by) == ("supplement", "county", dept)
    assert any("事故补报" in t for t in titles(personas["county"]))
    with pytest.raises(ValidationError):  # the final report is the bureau's
        actions.do_follow_up(item, actor=dept, facts=facts(item), final=True)
    with pytest.raises(PermissionDenied):  # forwarding up stays the bureau's step
        actions.do_forward(item, actor=dept)
    with pytest.raises(PermissionDenied):  # another industry's department has no part
        actions.do_follow_up(item, actor=transport["schools"], facts=facts(item, deaths=2))
    item.refresh_from_db()
    response = client_for("dept-transport").post(
        f"/api/v1/incidents/{item.pk}/follow-up",
        {"deaths": 1, "missing": 0, "serious_injuries": 2, "minor_injuries": 1, "trapped": 0,
         "direct_loss_yuan": 300000, "description": "现场核实，一人轻伤"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200, response.content
    assert len(response.json()["reports"]) == 3  # first, the supplement above, this one
