"""Chinese 403, 404 and 500 pages in the site's layout; the API keeps its JSON errors; empty
choices in select widgets read 请选择 (issue 12, points 4 and 5)."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.hazards.factories import advance, report

pytestmark = pytest.mark.django_db

HOME_LINK = '<a class="btn btn-primary" href="/">'


def logged_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


@override_settings(DEBUG=False)
def test_a_record_outside_the_jurisdiction_is_the_chinese_404_page(personas):
    hazard = report(personas["ent-a"])
    response = logged_in(personas["town-b"]).get(reverse("hazards:detail", args=[hazard.pk]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在或不在您的辖区内。" in page and "返回首页" in page and HOME_LINK in page
    assert 'data-testid="current-user"' in page  # inside the layout, with the user's menu
    missing = logged_in(personas["town-b"]).get("/no-such-page/").content.decode()
    assert "页面不存在或不在您的辖区内。" in missing  # the same words: which one is not said


@override_settings(DEBUG=False)
def test_a_refused_action_is_the_chinese_403_page(personas):
    major = advance(report(personas["ent-a"], level="major"), personas, "rectifying")
    data = {"responsible_leaders": "副县长 张某", "deadline": "2099-01-31"}
    url = reverse("hazards:listing_create", args=[major.pk])
    response = logged_in(personas["town-a"]).post(url, data)
    assert response.status_code == 403
    page = response.content.decode()
    assert "无权访问" in page and "您无权执行此操作。" in page and HOME_LINK in page
    assert 'data-testid="current-user"' in page


@override_settings(DEBUG=False, ROOT_URLCONF="tests.core.error_urls")
def test_a_failing_view_is_the_chinese_500_page(personas):
    client = logged_in(personas["town-a"], raise_request_exception=False)
    response = client.get("/test-fail/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "系统错误" in page and "请稍后再试" in page and HOME_LINK in page
    assert "tabler.min.css" in page  # the site's look, without the request's context


@override_settings(DEBUG=False)
def test_the_api_keeps_its_json_errors(personas):
    response = logged_in(personas["town-a"]).get("/api/no-such-operation")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_empty_choices_read_please_choose(personas):
    for persona, url in [("town-a", "hazards:report"), ("county", "registry:create")]:
        page = logged_in(personas[persona]).get(reverse(url)).content.decode()
        assert '<option value="" selected>请选择</option>' in page, url
        assert "---------" not in page, url


@override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"])
def test_a_bad_request_is_the_chinese_400_page():
    response = Client().get("/accounts/login/", headers={"host": "evil.example"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "请求有误" in page and HOME_LINK in page
