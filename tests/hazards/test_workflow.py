from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from anlan.core.workflow import StaleTransition
from anlan.hazards import actions
from anlan.hazards.models import Hazard, HazardEvent, HazardPhoto, HazardState
from anlan.hazards.workflow import HAZARD_WORKFLOW
from tests.hazards.factories import MAJOR_PLAN, advance, ordered, photos, plan, report


@pytest.fixture
def hazard(personas):
    return report(personas["ent-a"])


def test_the_whole_loop_leaves_a_timeline(personas, hazard):
    assert hazard.state == HazardState.REPORTED
    assert hazard.region_id == personas["ent-a"].enterprise.region_id
    closed = advance(hazard, personas, "closed")
    assert closed.state == HazardState.CLOSED and closed.closed_at
    events = list(closed.events.values_list("transition", "from_state", "to_state"))
    assert events == [
        ("report", "", "reported"),
        ("confirm", "reported", "confirmed"),
        ("plan", "confirmed", "rectifying"),
        ("submit", "rectifying", "submitted"),
        ("accept", "submitted", "accepted"),
        ("close", "accepted", "closed"),
    ]
    assert closed.supervising_unit == personas["town-a"].organisation
    assert closed.notice_number.startswith("青石镇人民政府隐改〔")
    assert closed.events.get(transition="submit").photos.count() == 1
    assert HazardPhoto.objects.filter(hazard=closed, kind="before").count() == 1
    assert closed.history.count() >= 6  # field history too


@pytest.mark.parametrize(
    ("name", "persona"),
    [
        ("confirm", "ent-a"),  # the enterprise cannot confirm its own hazard
        ("confirm", "grid-a"),  # grid workers refer, they do not confirm
        ("confirm", "leader"),  # leaders watch, they do not act
        ("confirm", "expert"),
        ("reject", "ent-a"),
    ],
)
def test_who_may_not_confirm(personas, hazard, name, persona):
    with pytest.raises(PermissionDenied):
        actions.do_transition(hazard, name, actor=personas[persona], comment="不是")
    hazard.refresh_from_db()
    assert hazard.state == HazardState.REPORTED


def test_accept_needs_a_county_and_close_of_major_a_city(personas):
    general = advance(report(personas["ent-a"]), personas, "submitted")
    with pytest.raises(PermissionDenied):
        actions.do_transition(general, "accept", actor=personas["town-a"])
    major = advance(report(personas["ent-a"], level="major"), personas, "accepted")
    with pytest.raises(PermissionDenied):
        actions.do_transition(major, "close", actor=personas["county"])
    actions.do_transition(major, "close", actor=personas["city"])
    assert major.state == HazardState.CLOSED


def test_department_confirms_only_its_own_categories(personas):
    transport = report(personas["town-a"], enterprise=None, site_kind="road",
                       site_name="县道 X012 K3+200 急弯", region_id="990102002001",
                       supervision_category_id="transport", category_id="traffic")  # fmt: skip
    actions.do_transition(
        transport, "confirm", actor=personas["dept-transport"], deadline=ordered()
    )
    assert transport.state == HazardState.CONFIRMED
    assert transport.supervising_unit.name == "清河县交通运输局"


def test_a_repeated_step_is_stale_not_an_error(personas, hazard):
    actions.do_transition(hazard, "confirm", actor=personas["town-a"], deadline=ordered())
    stale = Hazard.objects.get(pk=hazard.pk)
    stale.state = HazardState.REPORTED  # a page loaded before the first click
    with pytest.raises(StaleTransition, match="状态已变化"):
        actions.do_transition(stale, "confirm", actor=personas["town-a"], deadline=ordered())
    assert HazardEvent.objects.filter(hazard=hazard, transition="confirm").count() == 1


def test_required_inputs(personas, hazard):
    with pytest.raises(ValidationError) as error:
        actions.do_transition(hazard, "reject", actor=personas["town-a"], comment="  ")
    assert "comment" in error.value.message_dict
    confirmed = advance(hazard, personas, "confirmed")
    with pytest.raises(ValidationError):
        actions.do_transition(confirmed, "plan", actor=personas["ent-a"], plan=plan(measures=""))
    rectifying = advance(confirmed, personas, "rectifying")
    with pytest.raises(ValidationError) as error:
        actions.do_transition(rectifying, "submit", actor=personas["ent-a"], comment="好了")
    assert "photos" in error.value.message_dict


def test_a_major_hazard_needs_the_full_treatment_plan(personas):
    major = advance(report(personas["ent-a"], level="major"), personas, "confirmed")
    with pytest.raises(ValidationError) as error:
        actions.do_transition(major, "plan", actor=personas["ent-a"], plan=plan())
    assert set(error.value.message_dict) == set(MAJOR_PLAN)
    actions.do_transition(major, "plan", actor=personas["ent-a"], plan=plan(**MAJOR_PLAN))
    assert major.state == HazardState.RECTIFYING and major.plan_safety_measures


def test_immediate_fix_only_for_general_hazards(personas, hazard):
    major = report(personas["ent-a"], level="major")
    with pytest.raises(PermissionDenied):  # not offered for a major hazard at all
        actions.do_transition(
            major, "fix_now", actor=personas["ent-a"], comment="修好了", photos=photos()
        )
    assert "fix_now" not in [t.name for t in HAZARD_WORKFLOW.available(major, personas["ent-a"])]
    actions.do_transition(
        hazard, "fix_now", actor=personas["ent-a"], comment="当场修复", photos=photos()
    )
    assert hazard.state == HazardState.SUBMITTED


def test_returned_work_goes_back_to_rectifying(personas, hazard):
    submitted = advance(hazard, personas, "submitted")
    actions.do_transition(submitted, "return", actor=personas["county"], comment="防护罩未固定")
    assert submitted.state == HazardState.RECTIFYING


def test_available_transitions_follow_role_and_state(personas, hazard):
    names = lambda who: [t.name for t in HAZARD_WORKFLOW.available(hazard, personas[who])]  # noqa: E731
    assert names("town-a") == ["confirm", "reject", "refer"]
    assert names("ent-a") == ["fix_now"]
    assert names("county") == ["confirm", "reject"]
    assert names("leader") == []


def test_deadline_in_the_past_is_refused(personas, hazard):
    confirmed = advance(hazard, personas, "confirmed")
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError):
        actions.do_transition(
            confirmed, "plan", actor=personas["ent-a"], plan=plan(deadline=yesterday)
        )


def test_the_tally_follows_every_write(personas):
    from django.db.models import Count

    from anlan.hazards.models import HazardTally

    def live():
        return {
            (r["region_id"], r["supervision_category_id"], r["level"], r["state"]): r["n"]
            for r in Hazard.objects.values(
                "region_id", "supervision_category_id", "level", "state"
            ).annotate(n=Count("pk"))
        }

    def tally():
        return {
            (t.region_id, t.supervision_category_id, t.level, t.state): t.n
            for t in HazardTally.objects.exclude(n=0)
        }

    advance(report(personas["ent-a"]), personas, "closed")
    regraded = report(personas["ent-a"])
    actions.do_transition(
        regraded, "confirm", actor=personas["county"], level="major", deadline=ordered()
    )
    report(personas["ent-b"])
    assert tally() == live() and sum(live().values()) >= 3
    HazardTally.rebuild()
    assert tally() == live()
