"""24-hour duty (DOMAIN.md §13): a roster that leaves any time of its month uncovered is not
published; the gaps are named in local time, on the page and in the API."""

import json
from datetime import UTC, date, time

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from anlan.duty import actions, rules, services
from anlan.duty.models import Roster
from tests.duty.factories import TZ, at, rota, staff

PATTERN = rules.ShiftPattern(time(8, 30), 24)
MARCH = date(2027, 3, 1)


def test_roster_period_tiles_months():
    assert rules.roster_period(MARCH, PATTERN, TZ) == (at(2027, 3, 1, 8, 30), at(2027, 4, 1, 8, 30))
    december = rules.roster_period(date(2026, 12, 1), PATTERN, TZ)
    assert december.end == at(2027, 1, 1, 8, 30)


A, B = at(2027, 3, 1, 8, 30), at(2027, 4, 1, 8, 30)


@pytest.mark.parametrize(
    ("shifts", "gaps"),
    [
        ([(A, B)], []),
        ([(A, at(2027, 3, 16, 8, 30))], [(at(2027, 3, 16, 8, 30), B)]),
        # overlapping shifts and shifts running past either end still cover
        ([(at(2027, 2, 28, 20, 30), at(2027, 3, 20)), (at(2027, 3, 10), at(2027, 4, 2))], []),
        ([], [(A, B)]),
        # a gap of minutes is a gap; several gaps in order, unsorted input
        (
            [(at(2027, 3, 10, 8, 30), B), (A, at(2027, 3, 2, 8, 0)),
             (at(2027, 3, 2, 8, 30), at(2027, 3, 9, 8, 30))],
            [(at(2027, 3, 2, 8, 0), at(2027, 3, 2, 8, 30)),
             (at(2027, 3, 9, 8, 30), at(2027, 3, 10, 8, 30))],
        ),
        ([(at(2027, 1, 1), at(2027, 2, 1))], [(A, B)]),  # entirely outside
    ],
)  # fmt: skip
def test_coverage_gaps(shifts, gaps):
    assert rules.coverage_gaps(A, B, shifts) == gaps


def test_gaps_message_names_each_gap_in_local_time():
    utc = UTC
    gaps = [
        rules.Slot(at(2027, 3, 16, 8, 30).astimezone(utc), B.astimezone(utc)),
        rules.Slot(at(2027, 3, 2, 8, 0), at(2027, 3, 2, 8, 30)),
    ]
    text = rules.gaps_message(gaps, TZ)
    assert "2027-03-16 08:30 – 2027-04-01 08:30 无人值班" in text
    assert "2027-03-02 08:00 – 2027-03-02 08:30 无人值班" in text


def _march_draft(manager, cut: bool = True) -> Roster:
    """March 2027, generated, then the shifts from the 16th on removed (a half-made draft)."""
    officers, leaders = rota(manager)
    made = actions.do_create_roster(manager.organisation, MARCH, actor=manager)
    actions.do_generate(made, actor=manager, officers=officers, leaders=leaders)
    if cut:
        made.shifts.filter(start__gte=at(2027, 3, 16, 8, 30)).delete()
    return made


@pytest.fixture
def february():
    with time_machine.travel(at(2027, 2, 20, 10, 0), tick=False):
        yield


def test_a_roster_with_a_gap_is_not_published(personas, february):
    manager = personas["town-a"]
    made = _march_draft(manager)
    with pytest.raises(ValidationError) as refused:
        actions.do_publish(made, actor=manager)
    assert "2027-03-16 08:30 – 2027-04-01 08:30 无人值班" in refused.value.messages[0]
    made.refresh_from_db()
    assert not made.is_published
    # A shift shortened in the middle opens a second gap, named in order.
    shift = made.shifts.get(start=at(2027, 3, 10, 8, 30))
    actions.do_update_shift(shift, actor=manager, end=at(2027, 3, 10, 20, 30))
    with pytest.raises(ValidationError) as refused:
        actions.do_publish(made, actor=manager)
    message = refused.value.messages[0]
    assert message.index("2027-03-10 20:30 – 2027-03-11 08:30 无人值班") < message.index(
        "2027-03-16 08:30"
    )


def test_a_full_roster_is_published(personas, february):
    manager = personas["town-a"]
    made = _march_draft(manager, cut=False)
    assert actions.do_publish(made, actor=manager).is_published


def test_publishing_a_roster_with_a_gap_on_the_page_and_in_the_api(personas, client_for, february):
    made = _march_draft(personas["town-a"])
    client = client_for("town-a")
    page = client.get(made.get_absolute_url()).content.decode()
    assert (
        'data-testid="roster-gaps"' in page
        and "2027-03-16 08:30 – 2027-04-01 08:30 无人值班" in page
    )
    refused = client.post(reverse("duty:roster_publish", args=[made.pk]), follow=True)
    assert "2027-03-16 08:30 – 2027-04-01 08:30 无人值班" in refused.content.decode()
    response = client.post(f"/api/v1/duty/rosters/{made.pk}/publish", json.dumps({}),
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "uncovered_hours"
    assert "2027-03-16 08:30 – 2027-04-01 08:30 无人值班" in error["message"]
    made.refresh_from_db()
    assert not made.is_published


# A published roster stays whole: editing a shift cannot open a gap (DOMAIN.md §13) ----------


def _march_published(manager) -> Roster:
    made = _march_draft(manager, cut=False)
    return actions.do_publish(made, actor=manager)


def test_shortening_a_published_shift_is_refused_naming_the_gap(personas, february):
    manager = personas["town-a"]
    made = _march_published(manager)
    shift = made.shifts.get(start=at(2027, 3, 10, 8, 30))
    with pytest.raises(ValidationError) as refused:
        actions.do_update_shift(shift, actor=manager, end=at(2027, 3, 10, 20, 30))
    assert "2027-03-10 20:30 – 2027-03-11 08:30 无人值班" in refused.value.messages[0]
    shift.refresh_from_db()
    assert shift.end == at(2027, 3, 11, 8, 30)
    assert actions.roster_gaps(made) == []
    # A later start opens a gap before it; both ends moved name both stretches.
    with pytest.raises(ValidationError) as refused:
        actions.do_update_shift(
            shift, actor=manager, start=at(2027, 3, 10, 9, 0), end=at(2027, 3, 11, 8, 0)
        )
    message = refused.value.messages[0]
    assert message.index("2027-03-10 08:30 – 2027-03-10 09:00") < message.index(
        "2027-03-11 08:00 – 2027-03-11 08:30"
    )
    # Changes that keep every hour covered still go through.
    officer = made.shifts.get(start=at(2027, 3, 12, 8, 30)).officer
    if officer == shift.leader:
        officer = made.shifts.get(start=at(2027, 3, 13, 8, 30)).officer
    actions.do_update_shift(shift, actor=manager, officer=officer, note="调整")
    shift.refresh_from_db()
    assert (shift.officer, shift.note, shift.end) == (officer, "调整", at(2027, 3, 11, 8, 30))


def test_a_draft_shift_may_still_be_shortened(personas, february):
    manager = personas["town-a"]
    made = _march_draft(manager, cut=False)
    shift = made.shifts.get(start=at(2027, 3, 10, 8, 30))
    actions.do_update_shift(shift, actor=manager, end=at(2027, 3, 10, 20, 30))
    shift.refresh_from_db()
    assert shift.end == at(2027, 3, 10, 20, 30)


def test_a_published_shift_running_into_the_next_roster_keeps_it_covered(personas, february):
    """March's last shift stretched over April 1st (April generated around it and published):
    cutting it back would leave April's first day uncovered."""
    manager = personas["town-a"]
    march = _march_published(manager)
    last = march.shifts.get(start=at(2027, 3, 31, 8, 30))
    actions.do_update_shift(last, actor=manager, end=at(2027, 4, 2, 8, 30))
    extra = staff(manager.organisation, 4, prefix="april")
    officers, leaders = [manager, *extra[:2]], extra[2:]
    april = actions.do_create_roster(manager.organisation, date(2027, 4, 1), actor=manager)
    actions.do_generate(april, actor=manager, officers=officers, leaders=leaders)
    assert not april.shifts.filter(start=at(2027, 4, 1, 8, 30)).exists()
    actions.do_publish(april, actor=manager)
    with pytest.raises(ValidationError) as refused:
        actions.do_update_shift(last, actor=manager, end=at(2027, 4, 1, 8, 30))
    assert "2027-04-01 08:30 – 2027-04-02 08:30 无人值班" in refused.value.messages[0]


def test_shortening_a_published_shift_on_the_page_and_in_the_api(personas, client_for, february):
    made = _march_published(personas["town-a"])
    shift = made.shifts.get(start=at(2027, 3, 10, 8, 30))
    client = client_for("town-a")
    response = client.patch(f"/api/v1/duty/shifts/{shift.pk}",
                            json.dumps({"end": "2027-03-10T20:30:00+08:00"}),
                            content_type="application/json")  # fmt: skip
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "uncovered_hours"
    assert "2027-03-10 20:30 – 2027-03-11 08:30 无人值班" in error["message"]
    page = client.get(reverse("duty:shift_edit", args=[shift.pk]))
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["end"] = "2027-03-10 20:30"
    refused = client.post(reverse("duty:shift_edit", args=[shift.pk]), data)
    assert refused.status_code == 400
    assert "2027-03-10 20:30 – 2027-03-11 08:30 无人值班" in refused.content.decode()
    shift.refresh_from_db()
    assert shift.end == at(2027, 3, 11, 8, 30)


def test_an_approved_swap_keeps_a_published_roster_covered(personas, february):
    """Swaps exchange people, never times: the roster stays whole."""
    manager = personas["town-a"]
    made = _march_published(manager)
    a = made.shifts.get(start=at(2027, 3, 10, 8, 30))
    b = made.shifts.get(start=at(2027, 3, 11, 8, 30))
    approver = next(
        u for u in services.duty_managers(a.organisation_id) if u not in (a.officer, b.officer)
    )
    swap = actions.do_request_swap(
        a, actor=a.officer, counterpart=b.officer, counterpart_shift=b, reason="家中有事"
    )
    actions.do_decide_swap(swap, "approve_swap", actor=approver)
    a.refresh_from_db()
    assert (a.start, a.end, a.officer_id) == (at(2027, 3, 10, 8, 30), at(2027, 3, 11, 8, 30),
                                              b.officer_id)  # fmt: skip
    assert actions.roster_gaps(made) == []
