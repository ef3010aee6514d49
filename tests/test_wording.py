"""Wording officials expect: one term for one thing (DOMAIN.md), one date-time format in local
time on every page and message, Django's validation messages in natural Chinese."""

import datetime as dt
import re
from pathlib import Path

import polib
import pytest
import time_machine
from django import forms
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from anlan.core import messages
from tests.hazards.factories import report
from tests.incidents.factories import incident

SRC = Path(__file__).resolve().parent.parent / "src" / "anlan"
PO = SRC / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
BEIJING = dt.timezone(dt.timedelta(hours=8))

# A term DOMAIN.md does not use -> the one it does (事故统计: 死亡和下落不明).
NOT_OUR_TERMS = {"失踪": "下落不明", "失联": "下落不明", "遇难": "死亡", "罹难": "死亡"}


def test_translations_use_the_domain_terms():
    for entry in polib.pofile(str(PO)):
        texts = [entry.msgstr, *entry.msgstr_plural.values()]
        for text in texts:
            for wrong, right in NOT_OUR_TERMS.items():
                assert wrong not in text, f"{entry.msgid!r}: say {right}, not {wrong}"


def test_templates_and_code_use_the_domain_terms():
    for path in [*SRC.rglob("*.html"), *SRC.rglob("*.py")]:
        text = path.read_text()
        for wrong, right in NOT_OUR_TERMS.items():
            assert wrong not in text, f"{path.relative_to(SRC)}: say {right}, not {wrong}"


def test_incident_notifications_say_missing_as_domain_does(personas):
    with TestCase.captureOnCommitCallbacks(execute=True):
        incident(personas["ent-a"], missing=2)
    note = personas["county"].notifications.order_by("-pk").first()
    with translation.override("zh-hans"):
        title, body = messages.render(note.message, note.params)
    assert "下落不明 2 人" in body and "失踪" not in body


def moment(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BEIJING)


def test_pages_show_one_date_time_format_in_local_time(personas, client_for):
    # 15:04 in Beijing is 07:04 in UTC: the pages show the local time.
    with time_machine.travel(moment(2026, 12, 2, 15, 4), tick=False):
        hazard = report(personas["ent-a"], found_at=moment(2026, 12, 2, 15, 4))
        item = incident(personas["ent-a"])  # occurred 20 minutes ago: 14:44
        county = client_for("county")
        page = county.get(hazard.get_absolute_url()).content.decode()
        assert "2026-12-02 15:04" in page and "07:04" not in page
        page = county.get(reverse("hazards:list")).content.decode()
        assert "2026-12-02" in page
        page = county.get(item.get_absolute_url()).content.decode()
        assert "2026-12-02 14:44" in page
        # The reporting steps' limits (unit 15:54, county 17:04), once "12-02 17:04", now read
        # as every date-time does.
        assert "2026-12-02 15:54" in page and "2026-12-02 17:04" in page
        assert not re.search(r"(?<![\d-])\d\d-\d\d \d\d:\d\d", page)
        page = county.get(reverse("incidents:list")).content.decode()
        assert "2026-12-02 14:44" in page
        page = client_for("town-a").get(reverse("inbox")).content.decode()
        assert "2026-12-02 15:04" in page


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_messages_show_moments_and_days_in_the_same_format(language):
    start = moment(2026, 12, 2, 8, 0)
    with translation.override(language):
        _title, body = messages.render(
            "duty.assigned",
            {"unit": "县应急局", "role": "值班员", "start": messages.moment(start),
             "end": messages.moment(start + dt.timedelta(days=1))},
        )  # fmt: skip
        assert "2026-12-02 08:00" in body and "2026-12-03 08:00" in body
        title, _body = messages.render(
            "hazard.due_soon",
            {
                "deadline": messages.day(dt.date(2026, 12, 9)),
                "subject": "甲",
                "number": "YH2026-0001",
                "responsible": "王强",
            },
        )
        assert "2026-12-09" in title


def invalid(field: forms.Field, value) -> str:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        field.clean(value)
    return error.value.messages[0]


def test_django_validation_messages_read_naturally():
    assert invalid(forms.CharField(), "") == "此项为必填项。"
    assert (
        invalid(forms.ChoiceField(choices=[("a", "A")]), "x") == "“x”不在可选范围内，请重新选择。"
    )
    assert invalid(forms.CharField(max_length=5), "一二三四五六") == "最多 5 个字（现有 6 个字）。"
    assert invalid(forms.IntegerField(max_value=10), "11") == "不能大于 10。"
    assert invalid(forms.IntegerField(min_value=0), "-1") == "不能小于 0。"
    assert invalid(forms.IntegerField(), "abc") == "请输入整数。"
    assert invalid(forms.DateField(), "2026-13-01") == "请输入有效的日期。"
    assert invalid(forms.DateTimeField(), "明天") == "请输入有效的日期和时间。"
    assert invalid(forms.DecimalField(max_digits=4, decimal_places=2), "1.234") == (
        "小数不能超过 2 位。"
    )
    with translation.override("zh-hans"):
        from django.utils.translation import gettext

        unique = gettext("%(model_name)s with this %(field_label)s already exists.")
        assert unique % {"model_name": "企业", "field_label": "统一社会信用代码"} == (
            "已有统一社会信用代码相同的企业。"
        )


def test_a_rendered_form_shows_the_better_message(client_for):
    page = client_for("county").get(reverse("hazards:list"), {"level": "bogus"})
    text = page.content.decode()
    assert "“bogus”不在可选范围内，请重新选择。" in text
    assert "选择一个有效的选项" not in text
