"""Accident grading with every boundary of each threshold (条例 art. 3), the chain, timeliness."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured

from anlan.incidents.conf import SETTINGS as INCIDENT_SETTINGS
from anlan.incidents.rules import (
    concealment,
    grade_accident,
    hop_limit,
    in_supplementary_window,
    parse_kind_rules,
    parse_limits,
    report_limit,
    status,
    steps_for,
)

TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)


@pytest.mark.parametrize(
    ("deaths", "serious", "loss", "missing", "grade"),
    [
        (0, 0, 0, 0, "general"),
        # deaths: 3 以上 较大, 10 以上 重大, 30 以上 特别重大 (the number itself included)
        (2, 0, 0, 0, "general"),
        (3, 0, 0, 0, "larger"),
        (9, 0, 0, 0, "larger"),
        (10, 0, 0, 0, "major"),
        (29, 0, 0, 0, "major"),
        (30, 0, 0, 0, "especially_major"),
        # serious injuries (incl. acute industrial poisoning): 10 / 50 / 100
        (0, 9, 0, 0, "general"),
        (0, 10, 0, 0, "larger"),
        (0, 49, 0, 0, "larger"),
        (0, 50, 0, 0, "major"),
        (0, 99, 0, 0, "major"),
        (0, 100, 0, 0, "especially_major"),
        # direct economic loss: 1,000万 / 5,000万 / 1亿 yuan
        (0, 0, 9_999_999, 0, "general"),
        (0, 0, 10_000_000, 0, "larger"),
        (0, 0, 49_999_999.99, 0, "larger"),
        (0, 0, 50_000_000, 0, "major"),
        (0, 0, 99_999_999, 0, "major"),
        (0, 0, 100_000_000, 0, "especially_major"),
        # the highest criterion decides
        (2, 9, 10_000_000, 0, "larger"),
        (1, 50, 0, 0, "major"),
        (3, 0, 100_000_000, 0, "especially_major"),
        # the missing count with the dead (project convention)
        (2, 0, 0, 1, "larger"),
        (8, 0, 0, 2, "major"),
        (0, 0, 0, 30, "especially_major"),
        (0, 0, 0, 2, "general"),
    ],
)
def test_grade_accident(deaths, serious, loss, missing, grade):
    assert grade_accident(deaths, serious, loss, missing=missing) == grade


def test_missing_counted_apart_when_configured(settings):
    assert grade_accident(2, 0, 0, missing=1, missing_as_deaths=False) == "general"
    settings.ANLAN_INCIDENT_MISSING_AS_DEATHS = False
    assert grade_accident(2, 0, 0, missing=1) == "general"


@pytest.mark.parametrize("bad", [(-1, 0, 0), (0, -1, 0), (0, 0, -5), (1.5, 0, 0), (True, 0, 0)])
def test_grade_rejects_impossible_numbers(bad):
    with pytest.raises(ValueError):
        grade_accident(*bad)


@pytest.mark.parametrize(
    ("grade", "steps"),
    [
        ("general", [("unit", "county"), ("county", "city")]),
        ("larger", [("unit", "county"), ("county", "city"), ("city", "province")]),
        ("major", [("unit", "county"), ("county", "city"), ("city", "province")]),
        ("especially_major", [("unit", "county"), ("county", "city"), ("city", "province")]),
    ],
)
def test_steps_for(grade, steps):
    assert steps_for(grade) == steps


@pytest.mark.parametrize(
    ("reported", "now", "expected"),
    [
        (None, T0 - timedelta(minutes=25), ("due", 25)),
        (None, T0, ("due", 0)),
        (None, T0 + timedelta(minutes=1), ("late", 1)),
        (T0 - timedelta(minutes=10), T0 + timedelta(hours=5), ("on_time", 10)),
        (T0, T0 + timedelta(hours=5), ("on_time", 0)),
        (T0 + timedelta(minutes=90), T0 + timedelta(hours=5), ("late", 90)),
    ],
)
def test_status(reported, now, expected):
    result = status(T0, reported, now)
    assert (result.timeliness, result.minutes) == expected


@pytest.mark.parametrize(
    ("kind", "days", "inside"),
    [
        ("production", 30, True),
        ("production", 31, False),
        ("road_traffic", 7, True),
        ("road_traffic", 8, False),
        ("fire", 7, True),
        ("fire", 8, False),
        ("natural_disaster", 30, True),
    ],
)
def test_supplementary_window(kind, days, inside):
    assert in_supplementary_window(kind, T0, T0 + timedelta(days=days), tz=TZ) is inside


@pytest.mark.parametrize(
    ("known", "reported", "now", "flag"),
    [
        (None, None, T0 + timedelta(hours=5), ""),  # the unit itself reported first
        (T0, None, T0 - timedelta(minutes=1), ""),  # still within the unit's hour
        (T0, None, T0 + timedelta(minutes=1), "suspected"),  # 瞒报嫌疑
        (T0, T0 + timedelta(minutes=30), T0 + timedelta(hours=2), "late"),  # 迟报
        (T0, T0, T0 + timedelta(hours=2), ""),
    ],
)
def test_concealment(known, reported, now, flag):
    assert concealment(known, T0, reported, now) == flag


@pytest.mark.parametrize(
    ("occurred", "now", "inside"),
    [
        # 23:50 on 23 November: day 1 is the 24th, day 30 (23 December) ends at 24:00 local.
        ((2026, 11, 23, 23, 50), (2026, 12, 23, 23, 59), True),
        ((2026, 11, 23, 23, 50), (2026, 12, 24, 0, 0), False),
        # 00:30 on 24 November local is still the 23rd in UTC: the local date counts.
        ((2026, 11, 24, 0, 30), (2026, 12, 24, 23, 59), True),
        ((2026, 11, 24, 0, 30), (2026, 12, 25, 0, 0), False),
    ],
)
def test_supplementary_window_in_local_calendar_days(occurred, now, inside):
    utc = ZoneInfo("UTC")
    occurred_at = datetime(*occurred, tzinfo=TZ).astimezone(utc)
    now_at = datetime(*now, tzinfo=TZ).astimezone(utc)
    assert in_supplementary_window("production", occurred_at, now_at, tz=TZ) is inside


HENAN = (
    '{"*": {"county": {"phone": 60, "written": 60}, "city": 60},'
    ' "general": {"county": 360, "city": 360},'
    ' "major": {"county": {"phone": 15, "written": 35}, "city": {"phone": 15, "written": 35}},'
    ' "especially_major": {"*": {"phone": 15, "written": 35}}}'
)


@pytest.mark.parametrize(
    ("table", "grade", "hop", "channel", "minutes"),
    [
        # 493号令: the unit 1 hour, each government level 2 hours, phone and written alike.
        ("", "general", "unit", "phone", 60),
        ("", "general", "unit", "written", 60),
        ("", "especially_major", "county", "phone", 120),
        ("", "larger", "city", "written", 120),
        # A provincial table (DOMAIN.md §1, 河南): 重大 and above 15 / 35 min, 较大 1 h, 一般 6 h.
        (HENAN, "general", "county", "phone", 360),
        (HENAN, "general", "unit", "phone", 60),
        (HENAN, "larger", "county", "written", 60),
        (HENAN, "major", "city", "phone", 15),
        (HENAN, "major", "city", "written", 35),
        (HENAN, "especially_major", "unit", "phone", 15),
    ],
)
def test_report_limit(table, grade, hop, channel, minutes):
    assert report_limit(grade, hop, channel, parse_limits(table)) == minutes


def test_report_limit_defaults_follow_the_old_settings():
    table = parse_limits("", unit_minutes=30, level_minutes=90)
    assert report_limit("general", "unit", "phone", table) == 30
    assert report_limit("major", "city", "written", table) == 90


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('{"genral": {"county": 60}}', "genral"),
        ('{"general": {"town": 60}}', "town"),
        ('{"general": {"county": {"fax": 60}}}', "fax"),
        ('{"general": {"county": 0}}', "general.county"),
        ('{"general": {"county": "60"}}', "general.county"),
        ('{"general": {"county": 1.5}}', "general.county"),
        ('{"general": 60}', "general"),
        ("[1]", "object"),
        ("{", "JSON"),
    ],
)
def test_bad_limit_tables_are_refused_by_name(text, named):
    with pytest.raises(ValueError, match=named):
        parse_limits(text)


@pytest.mark.parametrize(("args"), [("ungraded", "unit", "phone"), ("general", "province",
                         "phone"), ("general", "unit", "fax")])  # fmt: skip
def test_report_limit_refuses_unknown_keys(args):
    with pytest.raises(ValueError):
        report_limit(*args)


def test_kind_rules():
    rules = parse_kind_rules()
    assert {k for k, r in rules.items() if r.graded} == {"production", "fire", "road_traffic"}
    other = rules["public_health"]
    assert (other.graded, other.top) == (False, "city")
    assert steps_for("ungraded", other.top) == [("unit", "county"), ("county", "city")]
    assert hop_limit(other, "ungraded", "county", "written") == 120
    custom = parse_kind_rules(
        "production,road_traffic",
        '{"forest_fire": {"top": "province", "unit": 30, "county": 60, "city": 60},'
        ' "social_security": {"top": "county"}}',
    )
    assert not custom["fire"].graded
    assert steps_for("ungraded", custom["forest_fire"].top)[-1] == ("city", "province")
    assert hop_limit(custom["forest_fire"], "ungraded", "unit", "phone") == 30
    assert steps_for("ungraded", custom["social_security"].top) == [("unit", "county")]
    table = parse_limits('{"*": {"unit": 15}}')
    assert hop_limit(rules["production"], "general", "unit", "phone", table) == 15


@pytest.mark.parametrize(
    ("accident", "other", "named"),
    [
        ("production,mining", "", "mining"),
        ("production", '{"earthquake": {}}', "earthquake"),
        ("production", '{"public_health": {"top": "state"}}', "state"),
        ("production", '{"public_health": {"unti": 60}}', "unti"),
        ("production", '{"production": {"top": "city"}}', "production"),
        ("production", '{"public_health": {"unit": -5}}', "public_health.unit"),
        ("", "", "production"),  # art. 2: production accidents are always graded
        ("fire,road_traffic", "", "production"),
    ],
)
def test_bad_kind_rules_are_refused_by_name(accident, other, named):
    with pytest.raises(ValueError, match=named):
        parse_kind_rules(accident, other)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ANLAN_INCIDENT_REPORT_LIMITS", '{"genral": {"county": 60}}'),
        ("ANLAN_INCIDENT_ACCIDENT_KINDS", "production,fires"),
        ("ANLAN_INCIDENT_ACCIDENT_KINDS", ""),
        ("ANLAN_INCIDENT_OTHER_KINDS", '{"public_health": {"top": "nation"}}'),
    ],
)
def test_a_typo_in_the_settings_stops_start_up(settings, name, value):
    """The incidents' settings group is checked in CoreConfig.ready(): an ImproperlyConfigured
    there stops django.setup(), so the server never starts with it."""
    setattr(settings, name, value)
    with pytest.raises(ImproperlyConfigured, match=name.split("_")[-1]):
        INCIDENT_SETTINGS.check()


def test_an_ungraded_incident_needs_its_kinds_chain():
    with pytest.raises(ValueError, match="top"):
        steps_for("ungraded")
