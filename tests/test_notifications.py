"""The shared notification machinery: who is told (core/recipients.py), messages rendered in the
reader's language (core/messages.py), the one deadline scan's stages (core/deadlines.py), and the
house rule that no notification text is written in Python."""

import ast
import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from anlan.accounts.roles import Role
from anlan.core import recipients
from anlan.core.deadlines import DeadlineKind, Stage, deadline_key
from anlan.core.messages import MESSAGES, day, fragment, items, message, moment, render, text
from anlan.core.models import Notification
from anlan.core.notifications import deliver_pending, notify
from anlan.core.recipients import Place
from anlan.registry.models import Enterprise

SRC = Path(__file__).resolve().parent.parent / "src" / "anlan"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
GOVERNMENT = [Role.TOWN_STAFF, Role.BUREAU_STAFF, Role.DEPARTMENT_STAFF]
UTC = dt.UTC


def _names(users, personas) -> set[str]:
    """The personas among ``users`` (the world has more people than the personas)."""
    ours = {u.pk: name for name, u in personas.items()}
    return {ours[u.pk] for u in users if u.pk in ours}


def _enterprise(personas, persona: str, category: str | None = None) -> Enterprise:
    """An enterprise in the persona's town, of ``category`` (the persona's own by default)."""
    if category is None:
        return personas[persona].enterprise
    town = personas[persona].enterprise.region_id[:9]
    return Enterprise.objects.filter(region__code__startswith=town, category_id=category).first()


@pytest.mark.parametrize(
    ("where", "category", "roles", "level", "told", "not_told"),
    [
        # The town covering the record, not the next town.
        ("ent-a", None, [Role.TOWN_STAFF], "town", {"town-a"}, {"town-b", "county"}),
        ("ent-b", None, [Role.TOWN_STAFF], "town", {"town-b"}, {"town-a"}),
        # The county: the bureau sees every industry, a department only its own.
        ("ent-a", "transport", GOVERNMENT, "county", {"county", "dept-transport"}, {"town-a"}),
        (
            "ent-a",
            "hazardous_chemicals",
            GOVERNMENT,
            "county",
            {"county"},
            {"dept-transport", "town-a"},
        ),
        # The city's bureau, not the county's.
        ("ent-a", None, GOVERNMENT, "city", {"city"}, {"county", "town-a"}),
        # Roles filter: leaders and grid workers are not staff; enterprises are never officials.
        ("ent-a", None, [Role.TOWN_STAFF], "town", set(), {"grid-a", "ent-a", "leader"}),
    ],
)
def test_officials_by_role_level_and_scope(personas, where, category, roles, level, told, not_told):
    place = Place.of(_enterprise(personas, where, category))
    names = _names(recipients.officials(place, roles=roles, level=level), personas)
    assert told <= names and not (not_told & names)


def test_unit_staff_are_the_staff_of_that_unit_who_cover_the_record(personas):
    dept = personas["dept-transport"]
    transport = Place.of(_enterprise(personas, "ent-a", "transport"))
    other = Place.of(_enterprise(personas, "ent-a", "hazardous_chemicals"))
    assert recipients.unit_staff(transport, dept.organisation_id, roles=GOVERNMENT) == [dept]
    assert recipients.unit_staff(other, dept.organisation_id, roles=GOVERNMENT) == []


def test_enterprise_managers_and_the_enterprise_place(personas):
    enterprise = personas["ent-a"].enterprise
    assert recipients.enterprise_managers(enterprise.pk) == [personas["ent-a"]]
    place = Place.of(enterprise)
    assert (place.region, place.category, place.enterprise) == (
        enterprise.region_id,
        enterprise.category_id,
        enterprise.pk,
    )
    # An enterprise user is told only of their own enterprise.
    assert recipients.covering([personas["ent-a"], personas["ent-b"]], place) == [personas["ent-a"]]


def test_on_duty_or_staff_asks_the_registered_provider_and_falls_back_to_staff(
    personas, monkeypatch
):
    place = Place.of(_enterprise(personas, "ent-a", "transport"))
    at = dt.datetime(2026, 11, 23, 3, tzinfo=UTC)
    monkeypatch.setattr(recipients, "_on_duty", [lambda unit, moment: []])  # nobody on a roster
    staff = _names(recipients.on_duty_or_staff(place, level="county", at=at), personas)
    assert {"county", "dept-transport"} <= staff and "town-a" not in staff
    officer = personas["county"]
    monkeypatch.setattr(
        recipients,
        "_on_duty",
        [lambda unit, moment: [officer] if unit.pk == officer.organisation_id else []],
    )
    on_duty = _names(recipients.on_duty_or_staff(place, level="county", at=at), personas)
    assert "county" in on_duty and "dept-transport" in on_duty  # the department has no roster


def test_duty_registers_its_on_duty_provider():
    from anlan.duty import services

    assert recipients._on_duty == [services.on_duty]


def test_the_same_notification_renders_in_chinese_and_in_english(personas):
    start = dt.datetime(2026, 11, 23, 0, 30, tzinfo=UTC)  # 08:30 in Asia/Shanghai
    notify(
        [personas["county"]],
        key="test:render",
        message="duty.missed_checkin_self",
        params={"unit": "清河县应急管理局", "start": moment(start)},
    )
    n = Notification.objects.get(key__startswith="test:render")
    with translation.override("zh-hans"):
        assert n.title == "您尚未值班签到：清河县应急管理局"
        assert n.body == "您的班次已于 2026-11-23 08:30 开始，请立即到岗签到。"
    with translation.override("en"):
        assert n.title == "You have not checked in for duty: 清河县应急管理局"
        assert n.body == "Your shift began at 2026-11-23 08:30: go to your post and check in now."


def test_labels_dates_fragments_and_lists_render_per_language():
    params = {
        "unit": "青石镇",
        "month": day(dt.date(2026, 11, 1)),
        "duties": items(
            [
                fragment("duty.roster_day", day=moment(dt.datetime(2026, 11, 22, 16, tzinfo=UTC)),
                         role=text("duty officer")),
                fragment("duty.roster_day", day=moment(dt.datetime(2026, 11, 24, 1, tzinfo=UTC)),
                         role=text("leader on duty")),
            ]
        ),
    }  # fmt: skip
    with translation.override("zh-hans"):
        assert render("duty.roster_published", params) == (
            "青石镇 2026年11月值班表已发布",
            "您的值班：23日（值班员）、24日（带班领导）",
        )
    with translation.override("en"):
        assert render("duty.roster_published", params) == (
            "青石镇 duty roster for 2026-11 published",
            "Your duties: 23 (duty officer), 24 (leader on duty)",
        )


def test_a_broken_translation_or_an_unknown_key_never_breaks_the_inbox():
    key = message("test.broken", "{missing} and {present}")
    assert render(key, {"present": 1})[0] == key  # neither the language nor English fit
    assert render("no.such.message", {}) == ("no.such.message", "")


def test_the_inbox_shows_each_reader_their_language(personas, client_for):
    notify([personas["town-a"]], key="test:inbox", message="hazard.closed",
           params={"subject": "青石化工", "number": "YH-1", "level": text("major hazard"),
                   "description": ""})  # fmt: skip
    client = client_for("town-a")
    with translation.override("zh-hans"):  # the middleware activates the cookie's language
        assert "隐患已销号：青石化工" in client.get(reverse("inbox")).content.decode()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        assert "Hazard closed: 青石化工" in client.get(reverse("inbox")).content.decode()


def test_email_is_written_in_the_recipients_language_whatever_the_workers(personas, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = personas["town-a"]
    user.email = "town-a@example.org"
    user.save()
    with translation.override("en"):
        notify([user], key="test:mail", message="hazard.due_soon",
               params={"deadline": day(dt.date(2026, 12, 3)), "subject": "青石化工",
                       "number": "YH-1", "responsible": "张三"})  # fmt: skip
        deliver_pending()
    assert [m.subject for m in mail.outbox] == ["隐患整改期限将至（2026-12-03）：青石化工"]
    assert mail.outbox[0].body.startswith("YH-1 整改责任人：张三")


def test_notify_refuses_a_message_nobody_registered(personas):
    with pytest.raises(KeyError):
        notify([personas["county"]], key="test:unknown", message="no.such.message")


def test_stages_send_the_latest_reached_and_keys_follow_one_scheme():
    soon = Stage("due_soon", before=dt.timedelta(days=3), tell=list, message="hazard.due_soon")
    late = Stage("overdue", after=dt.timedelta(0), tell=list, message="hazard.overdue")
    kind = DeadlineKind(name="t", records=list, due=lambda r: r, stages=[soon, late],
                        params=lambda r, due: {}, url=str)  # fmt: skip
    due = dt.date(2026, 12, 10)

    def at(day_):  # noon in Beijing
        return dt.datetime.combine(day_, dt.time(4), tzinfo=UTC)

    assert kind.stages_at(due, at(dt.date(2026, 12, 6))) == []
    assert kind.stages_at(due, at(dt.date(2026, 12, 7))) == [soon]
    assert kind.stages_at(due, at(due)) == [soon]  # the deadline day is still "due soon"
    assert kind.stages_at(due, at(dt.date(2026, 12, 11))) == [late]  # past it: escalate only
    instant = dt.datetime(2026, 12, 10, 2, tzinfo=UTC)
    assert kind.stages_at(instant, instant) == [soon]
    assert kind.stages_at(instant, instant + dt.timedelta(seconds=1)) == [late]
    assert deadline_key("hazard", 7, "overdue", due) == "hazard:7:overdue:2026-12-10"


def test_every_message_is_english_in_code_and_translated_into_chinese():
    identical = {"{number} {level} {description}", "{number} {grade}"}
    for key, found in MESSAGES.items():
        for template in (found.title, found.body):
            if template == "":
                continue
            if isinstance(template, str):  # not for translation: stored text, test messages
                assert key.startswith(("core.stored_text", "test.")), key
                continue
            with translation.override("en"):
                english = str(template)
            assert not CJK.search(english), key
            with translation.override("zh-hans"):
                chinese = str(template)
            assert chinese != english or english in identical, f"{key}: no translation"


def _string_literals(node: ast.AST):
    for child in ast.walk(node):
        if isinstance(child, ast.Constant) and isinstance(child.value, str):
            yield child


def test_no_notification_text_is_written_in_python():
    """tasks.py, actions.py, deadlines.py and workflow.py pass message keys to notify() and
    message(), never Chinese text."""
    modules = [
        path
        for pattern in ("*/tasks.py", "*/actions.py", "*/deadlines.py", "*/workflow.py")
        for path in SRC.glob(pattern)
    ]
    assert modules
    offenders = []
    for path in modules:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call):
                continue
            name = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
            if name not in {"notify", "message", "register", "DeadlineKind", "Stage"}:
                continue
            for literal in _string_literals(call):
                if CJK.search(literal.value):
                    offenders.append(f"{path.relative_to(SRC)}:{literal.lineno}")
    assert not offenders, offenders


def test_a_failing_kind_does_not_starve_the_others(monkeypatch):
    from anlan.core import deadlines

    scanned = []

    def broken(now):
        raise RuntimeError("a bug in one app")

    def fine(now):
        scanned.append(now)
        return []

    kinds = {
        name: DeadlineKind(
            name=name,
            records=records,
            due=lambda r: r,
            stages=[],
            params=lambda r, due: {},
            url=str,
        )  # fmt: skip
        for name, records in (("broken", broken), ("fine", fine))
    }
    monkeypatch.setattr(deadlines, "KINDS", kinds)
    with pytest.raises(RuntimeError):
        deadlines.scan_deadlines(now=dt.datetime(2026, 12, 1, tzinfo=UTC))
    assert len(scanned) == 1
