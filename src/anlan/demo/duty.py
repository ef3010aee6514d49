"""A month of duty rosters for the demo: the county and city emergency bureaus, every department
and every town, scheduled and published through the real actions, with the past shifts checked
in (one town missed), a few days of duty log and handovers, and swaps waiting for approval.

demo-county (the county bureau's duty officer) is on the shift in progress, so the duty board is
live and the persona can check in; demo-town-a, demo-town-b, demo-dept-transport and demo-city
take their turns on their own units' rosters.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from anlan.accounts.models import Organisation, OrganisationKind, User
from anlan.accounts.roles import Role
from anlan.duty import actions, rules, services
from anlan.duty.models import DUTY_KINDS, LogKind, Shift
from anlan.duty.tasks import missed_checkins

OFFICERS, LEADERS = 4, 2  # extra duty staff per unit besides its persona
STAFF_ROLE = {
    OrganisationKind.EMERGENCY_BUREAU: (Role.BUREAU_STAFF, Role.BUREAU_STAFF),
    OrganisationKind.DEPARTMENT: (Role.DEPARTMENT_STAFF, Role.DEPARTMENT_STAFF),
    OrganisationKind.TOWN: (Role.TOWN_STAFF, Role.TOWN_LEADER),
}
ON_ROSTER = {"demo-county", "demo-town-a", "demo-town-b", "demo-dept-transport", "demo-city"}
LOG = [
    (
        LogKind.CALL_IN,
        "村民",
        "反映{town}一处山体有落石，请求派人查看。",
        "已通知{town}安监站和国土所到场核查。",
    ),
    (
        LogKind.NOTICE,
        "市应急管理局",
        "转发气象部门暴雨黄色预警，要求加强值班值守。",
        "已传达至各乡镇和有关部门。",
    ),
    (
        LogKind.INSTRUCTION,
        "带班领导",
        "要求各乡镇对辖区在建工地开展一次防汛检查。",
        "已电话通知各乡镇值班室。",
    ),
    (LogKind.CALL_OUT, "{town}值班室", "抽查{town}值班在岗情况。", "值班员在岗，电话接通。"),
    (
        LogKind.EVENT,
        "县消防救援大队",
        "{town}一民房厨房起火，无人员伤亡。",
        "消防已到场扑灭，跟踪后续情况。",
    ),
]


def _staff(org: Organisation, rng: random.Random) -> tuple[list[User], list[User]]:
    from anlan.demo.world import _mobile, _person

    officer_role, leader_role = STAFF_ROLE[org.kind]
    unusable = make_password(None)
    made: list[User] = []
    for n in range(OFFICERS + LEADERS):
        leader = n >= OFFICERS
        made.append(
            User(
                username=f"duty-{org.pk}-{n + 1}",
                full_name=_person(rng),
                role=leader_role if leader else officer_role,
                phone=_mobile(rng),
                organisation=org,
                password=unusable,
            )
        )
    User.objects.bulk_create(made)
    made = list(User.objects.filter(username__startswith=f"duty-{org.pk}-").order_by("username"))
    return made[:OFFICERS], made[OFFICERS:]


def _rotated(people: list[User], first: User, index: int) -> list[User]:
    """The rota order in which ``first`` takes slot ``index`` of the month."""
    people = [first] + [p for p in people if p.pk != first.pk]
    shift = index % len(people)
    return people[-shift:] + people[:-shift] if shift else people


def build_duty(rng: random.Random, users: dict[str, User], now=None) -> dict[str, int]:
    now = now or timezone.now()
    pattern = services.pattern()
    current = rules.slot_at(timezone.localtime(now), pattern)
    month = rules.first_of_month(current.start.date())
    slots = rules.month_slots(month, pattern, timezone.get_current_timezone())
    index = next(i for i, s in enumerate(slots) if s.start == current.start)
    personas = {
        u.organisation_id: u for name, u in users.items() if name in ON_ROSTER and u.organisation_id
    }
    totals = {"rosters": 0, "shifts": 0, "log": 0, "handovers": 0, "swaps": 0}
    units = Organisation.objects.filter(kind__in=DUTY_KINDS).order_by("region_id", "kind", "pk")
    for number, org in enumerate(units):
        if not org.phone:
            org.phone = f"0799-{rng.randrange(10**7, 10**8)}"
            org.save()
        officers, leaders = _staff(org, rng)
        persona = personas.get(org.pk)
        first = persona or officers[0]
        officers = _rotated(officers, first, index)
        manager = persona or officers[0]
        planned = slots[0].start - timedelta(days=4)  # scheduled before the month began
        roster = actions.do_create_roster(
            org, month, actor=manager, note="24小时值班，领导带班。", now=planned
        )
        actions.do_generate(roster, actor=manager, officers=officers, leaders=leaders, now=planned)
        actions.do_publish(roster, actor=manager, now=planned + timedelta(days=1))
        totals["rosters"] += 1
        shifts = list(roster.shifts.select_related("officer", "leader").order_by("start"))
        totals["shifts"] += len(shifts)
        absent_town = org.kind == OrganisationKind.TOWN and number % 5 == 3
        for shift in shifts:
            _check_in(shift, now, rng, skip_officer=absent_town and shift.start == current.start)
        totals["log"] += _log(org, shifts, now, rng)
        totals["handovers"] += _handovers(shifts, now)
        if persona is not None and org.kind == OrganisationKind.EMERGENCY_BUREAU:
            totals["swaps"] += _swaps(shifts, officers, persona, now)
    missed_checkins(now=now)  # flags the unit whose officer is not at their post now
    return totals


def _check_in(shift: Shift, now, rng: random.Random, *, skip_officer: bool) -> None:
    """Shifts up to now: the officer and the leader check in around the start (the officer now
    and then late); check-ins still in the future are left to the people themselves."""
    if not skip_officer:
        late = rng.random() < 0.04 and not shift.officer.username.startswith("demo-")
        minutes = rng.randint(20, 90) if late else rng.randint(-20, 5)
        _at(shift, shift.officer, shift.start + timedelta(minutes=minutes), now)
    _at(shift, shift.leader, shift.start + timedelta(minutes=rng.randint(-10, 12)), now)


def _at(shift: Shift, user: User, moment, now) -> None:
    if moment <= now and moment < shift.end:
        actions.do_check_in(shift, actor=user, now=moment)


def _log(org: Organisation, shifts: list[Shift], now, rng: random.Random) -> int:
    """A few entries a day over the last five days (more at the county bureau)."""
    towns = list(
        Organisation.objects.filter(kind=OrganisationKind.TOWN).values_list(
            "region__name", flat=True
        )
    ) or ["城关镇"]
    per_day = 3 if org.kind == OrganisationKind.EMERGENCY_BUREAU else rng.choice([0, 1, 1])
    written = 0
    for shift in shifts:
        if not (now - timedelta(days=5) <= shift.start < now):
            continue
        for _n in range(per_day):
            moment = shift.start + timedelta(minutes=rng.randint(30, 22 * 60))
            if moment >= now:
                continue
            kind, party, content, done = rng.choice(LOG)
            town = rng.choice(towns)
            actions.do_log(
                org, actor=shift.officer, occurred_at=moment, kind=kind,
                counterpart=party.format(town=town), content=content.format(town=town),
                action_taken=done.format(town=town), now=moment + timedelta(minutes=5),
            )  # fmt: skip
            written += 1
    return written


def _handovers(shifts: list[Shift], now) -> int:
    """Each ended shift of the last week handed over to the next, and received."""
    done = 0
    for shift, following in zip(shifts, shifts[1:], strict=False):
        if not (now - timedelta(days=7) <= shift.start and shift.end <= now):
            continue
        handover = actions.do_hand_over(
            shift, actor=shift.officer, open_matters="无" if done % 3 else "跟踪落石点核查结果。",
            notes="值班电话畅通，设备正常。", now=shift.end - timedelta(minutes=10),
        )  # fmt: skip
        actions.do_receive_handover(
            handover, actor=following.officer, now=shift.end + timedelta(minutes=5)
        )
        done += 1
    return done


def _swaps(shifts: list[Shift], officers: list[User], persona: User, now) -> int:
    """At the bureau: one exchange already approved by the persona, one waiting for approval."""
    future = [s for s in shifts if s.start > now + timedelta(days=1) and s.officer != persona]
    made = 0
    pairs = [
        (a, b)
        for a in future
        for b in future
        if a.start < b.start and a.officer_id != b.officer_id and a.officer_id != b.leader_id
        and b.officer_id != a.leader_id
    ]  # fmt: skip
    if not pairs:
        return 0
    first = pairs[0]
    approved = actions.do_request_swap(
        first[0], actor=first[0].officer, counterpart=first[1].officer,
        counterpart_shift=first[1], reason="家中有事，与同事对调。", now=now,
    )  # fmt: skip
    actions.do_decide_swap(approved, "approve_swap", actor=persona, comment="同意。", now=now)
    made += 1
    rest = [p for p in pairs if not {p[0].pk, p[1].pk} & {first[0].pk, first[1].pk}]
    if rest:
        a, b = rest[-1]
        actions.do_request_swap(
            a, actor=a.officer, counterpart=b.officer, counterpart_shift=b,
            reason="参加县里培训，申请换班。", now=now,
        )  # fmt: skip
        made += 1
    return made
