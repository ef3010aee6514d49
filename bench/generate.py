"""Fill a separate PostgreSQL database with the demo county scaled up for benchmarking.

    .venv/bin/python bench/generate.py                  # fill, or skip if already filled
    .venv/bin/python bench/generate.py --rebuild        # drop the database and fill again
    .venv/bin/python bench/generate.py --enterprises 20000 --hazards 200000   # smaller

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/anlan_bench; the database is
created if missing and migrated with ``anlan migrate``. The personas of
``anlan.demo.world`` (demo-county, demo-town-a, ...) get the password PASSWORD below.

What it writes:
- ``build_world(towns=12, villages_per_town=13, enterprises=192)``: the regions (12 towns,
  156 villages, 312 grids), the county/town units, industry departments and persona
  accounts, through the ORM (a second or two);
- the remaining enterprises (100,000 in all) and 1,000,000 hazards with one
  ``INSERT ... SELECT generate_series`` per batch, drawing every column from ``random()``
  (seeded, so a rebuild gives the same data): towns of unequal size, supervision
  categories by the demo's weights, hazards skewed towards some enterprises, 10 % on
  roads, houses and slopes, found over three years (recent ones more often), states that
  follow the hazard's age (old ones mostly closed, a few left rectifying long past their
  deadline), about 3 % major (more in high-risk categories), some major hazards listed;
- ``HazardTally.rebuild()`` (bulk SQL bypasses ``Hazard.save()``), then VACUUM ANALYZE,
  which is what autovacuum leaves behind on a settled production table (statistics and
  the visibility map that index-only scans need).

History tables get rows only for what build_world writes. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/anlan_bench"
# Shared with bench/run.py (and bench/hazards_run.py) to log the personas in.
PASSWORD = "bench-pass-2026"
SEED = 0.20261122
WORLD_ENTERPRISES = 192  # build_world gives each of 12 towns one enterprise per category
BATCH = 250_000


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def split_url(url: str) -> tuple[str, str]:
    base, name = url.rsplit("/", 1)
    return base + "/postgres", name.split("?", 1)[0]


def admin_exec(url: str, sql: str) -> None:
    import psycopg

    admin, _name = split_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)


def database_exists(url: str) -> bool:
    import psycopg

    admin, name = split_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        return bool(conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone())


def state_of(url: str, enterprises: int, hazards: int) -> str:
    """'empty', 'complete' or 'partial'."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        tables = {
            r[0]
            for r in conn.execute(
                "select tablename from pg_tables where schemaname = 'public'"
            ).fetchall()
        }
        if "regions_region" not in tables:
            return "empty"
        county = conn.execute("select 1 from regions_region where code = '990102'").fetchone()
        if not county:
            return "empty"
        n_ent = conn.execute("select count(*) from registry_enterprise").fetchone()[0]
        n_haz = conn.execute("select count(*) from hazards_hazard").fetchone()[0]
        return "complete" if (n_ent, n_haz) == (enterprises, hazards) else "partial"


def migrate(url: str) -> None:
    env = dict(os.environ, DATABASE_URL=url, ANLAN_SECRET_KEY="bench", ANLAN_LOG_LEVEL="WARNING")
    subprocess.run(
        [str(ROOT / ".venv/bin/anlan"), "migrate", "--noinput", "-v", "0"],
        env=env,
        cwd=ROOT,
        check=True,
    )


# --- SQL helpers -------------------------------------------------------------------------


def q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def weighted_array(weights: dict[str, float], slots: int = 1000) -> str:
    """A text[] literal in which each value appears in proportion to its weight; indexing
    it with 1 + floor(random() * n) draws by weight."""
    total = sum(weights.values())
    items: list[str] = []
    for value, weight in weights.items():
        items += [value] * max(1, round(slots * weight / total))
    return "array[" + ",".join(q(v) for v in items) + f"]::text[]", len(items)


def pick(weights: dict[str, float], r: str) -> str:
    array, n = weighted_array(weights)
    return f"({array})[1 + floor({r} * {n})::int]"


def case_pick(column: str, choices: dict[str, list[str]], r: str, default: str = "''") -> str:
    """CASE column WHEN key THEN one of its values (by r) ... END."""
    parts = [
        f"when {q(key)} then (array[{','.join(q(v) for v in values)}])"
        f"[1 + floor({r} * {len(values)})::int]"
        for key, values in choices.items()
    ]
    return f"(case {column} {' '.join(parts)} else {default} end)"


# --- data --------------------------------------------------------------------------------

# Towns are not the same size: the county seat and the two street offices hold more.
TOWN_WEIGHTS = [3.0, 1.2, 1.0, 0.9, 0.6, 0.8, 0.5, 0.7, 2.2, 1.8, 0.5, 0.9]
HIGH_RISK = ("hazardous_chemicals", "non_coal_mines", "fireworks", "gas", "civil_explosives")
SOURCES_ENTERPRISE = {
    "enterprise_self": 45, "grid_patrol": 14, "town_patrol": 12, "county_check": 10,
    "city_supervision": 3, "enforcement": 9, "tip_off": 4, "monitoring": 3,
}  # fmt: skip
SOURCES_SITE = {"grid_patrol": 40, "town_patrol": 30, "county_check": 15, "tip_off": 15}
HAZARD_CATEGORIES_ENTERPRISE = {
    "equipment": 20, "environment": 14, "management": 22, "behaviour": 9, "fire": 15,
    "electrical": 12, "dangerous_goods": 3, "special_equipment": 3, "other": 2,
}  # fmt: skip
EXTRA_DESCRIPTIONS = {
    "behaviour": ["作业人员未佩戴安全帽", "违章操作起重设备", "动火作业未办理审批"],
    "special_equipment": ["电梯超期未检验", "压力容器安全阀未校验", "叉车司机无证驾驶"],
    "construction_site": ["脚手架连墙件缺失", "基坑临边无防护", "塔吊限位装置失灵"],
    "other": ["安全警示标志缺失", "劳动防护用品配备不足"],
}
# Roads, self-built houses and slopes: (site kind, name pattern, supervision, hazard category)
SITES = [
    ("road", "县道X0{n}线K{k}+200急弯路段", "transport", "traffic"),
    ("bridge", "{v}{n}号漫水桥", "transport", "traffic"),
    ("house", "{v}{n}号自建房", "construction", "building"),
    ("slope", "{v}后山边坡", "water_works", "geological"),
]
GOV_FINDERS = ["demo-county", "demo-town-a", "demo-town-b", "demo-grid-a", "demo-expert"]


def enterprises_sql(n: int, villages: list[str], start: int) -> str:
    from anlan.demo.world import BRANDS, CATEGORY_WEIGHTS, NAME_PARTS
    from anlan.registry.categories import DEFAULT_CATEGORIES

    towns = sorted({v[:9] for v in villages})
    village_weights = {}
    for t, town in enumerate(towns):
        in_town = [v for v in villages if v.startswith(town)]
        for v in in_town:
            village_weights[v] = TOWN_WEIGHTS[t % len(TOWN_WEIGHTS)] / len(in_town)
    industries = {code: list(sections) for code, _name, sections in DEFAULT_CATEGORIES}
    brands = "".join(BRANDS)
    return f"""
insert into registry_enterprise (created_at, updated_at, archived_at, archived_by_id,
  archive_reason, uscc, name, address, longitude, latitude, region_id, industry, category_id,
  scale, employees, is_key, legal_representative, legal_representative_phone, safety_manager,
  safety_manager_phone)
select since, since, null, null, '',
  '91990102' || lpad(g::text, 9, '0') || 'Y',
  '清河县' || substr({q(brands)}, 1 + floor(r1 * {len(brands)})::int, 1)
    || substr({q(brands)}, 1 + floor(r2 * {len(brands)})::int, 1)
    || {case_pick("category", NAME_PARTS, "r3")},
  village_name || (1 + floor(r4 * 300))::int || '号',
  round((117.33 + (ascii(substr(region, 9, 1)) % 12) * 0.045 + r5 * 0.04)::numeric, 6),
  round((29.43 + (ascii(substr(region, 12, 1)) % 13) * 0.033 + r6 * 0.04)::numeric, 6),
  region, {case_pick("category", industries, "r7", "'C'")}, category,
  case when employees >= 1000 then 'large' when employees >= 300 then 'medium'
       when employees >= 20 then 'small' else 'micro' end,
  employees,
  category in ({",".join(q(c) for c in HIGH_RISK)}) or r8 < 0.08,
  '张' || substr('伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚', 1 + floor(r9 * 21)::int, 1),
  '139' || lpad((g * 7919 % 100000000)::text, 8, '0'),
  '李' || substr('伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚', 1 + floor(r1 * 21)::int, 1),
  '137' || lpad((g * 104729 % 100000000)::text, 8, '0')
from (
  select g, r1, r2, r3, r4, r5, r6, r7, r8, r9, region, category,
    (select name from regions_region where code = region) as village_name,
    3 + floor(exp(3.2 + sqrt(-2 * ln(1 - r1)) * cos(2 * pi() * r2)))::int as employees,
    now() - make_interval(days => floor(r3 * 3650)::int) as since
  from (
    select g, random() r1, random() r2, random() r3, random() r4, random() r5, random() r6,
      random() r7, random() r8, random() r9,
      {pick(village_weights, "random()")} as region,
      {pick(CATEGORY_WEIGHTS, "random()")} as category
    from generate_series({start}, {start + n - 1}) g
  ) s
) e
"""


def hazards_sql(lo: int, hi: int, n_ent: int, towns: dict, bureau: int, users: dict) -> str:
    """Rows lo..hi of the hazard table. Enterprises are drawn through bench_ent (a shuffled
    index), so the skew (some enterprises have many hazards) is not tied to region."""
    from anlan.demo.hazards import DESCRIPTIONS

    descriptions = {**DESCRIPTIONS, **EXTRA_DESCRIPTIONS}
    finders = "array[" + ",".join(str(users[u]) for u in GOV_FINDERS) + "]"
    town_case = " ".join(f"when {q(code)} then {pk}" for code, pk in towns.items())
    site_kind = "(array[" + ",".join(q(s[0]) for s in SITES) + "])[site_ix]"
    site_sup = "(array[" + ",".join(q(s[2]) for s in SITES) + "])[site_ix]"
    site_cat = "(array[" + ",".join(q(s[3]) for s in SITES) + "])[site_ix]"
    site_name = (
        "(case site_ix "
        "when 1 then '县道X0' || (1 + g % 9) || '线K' || (g % 30) || '+200急弯路段' "
        "when 2 then v.name || (1 + g % 40) || '号漫水桥' "
        "when 3 then v.name || (1 + g % 99) || '号自建房' "
        "else v.name || '后山边坡' end)"
    )
    # State by age: the older a hazard, the further along the loop it is.
    state = """(case
      when age < 30 then (case when rs < 0.22 then 'reported' when rs < 0.42 then 'confirmed'
        when rs < 0.72 then 'rectifying' when rs < 0.82 then 'submitted'
        when rs < 0.87 then 'accepted' when rs < 0.97 then 'closed' else 'rejected' end)
      when age < 120 then (case when rs < 0.03 then 'reported' when rs < 0.07 then 'confirmed'
        when rs < 0.27 then 'rectifying' when rs < 0.35 then 'submitted'
        when rs < 0.42 then 'accepted' when rs < 0.97 then 'closed' else 'rejected' end)
      else (case when rs < 0.003 then 'confirmed' when rs < 0.018 then 'rectifying'
        when rs < 0.025 then 'submitted' when rs < 0.035 then 'accepted'
        when rs < 0.975 then 'closed' else 'rejected' end) end)"""
    return f"""
insert into hazards_hazard (created_at, updated_at, enterprise_id, site_kind, site_name,
  region_id, supervision_category_id, location, longitude, latitude, source, found_by_id,
  found_at, description, category_id, level, legal_basis, suggested_measures, state,
  supervising_unit_id, notice_number, responsible_person, responsible_phone, measures, funds,
  deadline, original_deadline, extensions_used, plan_goal, plan_resources, plan_organisation,
  plan_requirements, plan_safety_measures, rectification_note, submitted_at, accepted_at,
  closed_at)
select found_at,
  coalesce(closed_at, accepted_at, submitted_at, found_at),
  enterprise_id, site_kind, site_name, region_id, supervision, location, lon, lat, source,
  found_by, found_at,
  {case_pick("category", descriptions, "rd", "'其他隐患'")},
  category, level,
  case when level = 'major' then '《工贸企业重大事故隐患判定标准》第' || (1 + g % 12) || '条'
       else '' end,
  '', state,
  case when state not in ('reported', 'rejected')
       then case when level = 'major' then {bureau} else unit end end,
  case when state not in ('reported', 'rejected')
       then '隐改〔' || extract(year from found_at)::int || '〕' || (1 + g % 5000) || '号'
       else '' end,
  case when planned then (array['王建国','李平','张伟','陈敏','刘洋'])[1 + g % 5] else '' end,
  case when planned then '139' || lpad((g * 7919 % 100000000)::text, 8, '0') else '' end,
  case when planned then '落实整改措施，整改完成后报验收' else '' end,
  case when planned then (array[2000, 5000, 12000, 80000, 300000])[1 + g % 5] end,
  case when planned then original_deadline + extension end,
  case when planned then original_deadline end,
  case when planned and extension > 0 then 1 else 0 end,
  case when planned and level = 'major' then '消除重大事故隐患' else '' end,
  case when planned and level = 'major' then '资金已落实' else '' end,
  case when planned and level = 'major' then '主要负责人牵头，设备部门实施' else '' end,
  case when planned and level = 'major' then '按期完成，分阶段验收' else '' end,
  case when planned and level = 'major' then '整改期间停用相关设备，设置警戒' else '' end,
  case when state in ('submitted', 'accepted', 'closed') then '已按方案整改完毕' else '' end,
  submitted_at, accepted_at, closed_at
from (
  select *,
    case when state in ('submitted', 'accepted', 'closed')
         then least(now(), found_at + make_interval(days => fix_days)) end as submitted_at,
    case when state in ('accepted', 'closed')
         then least(now(), found_at + make_interval(days => fix_days + 2)) end as accepted_at,
    case when state = 'closed'
         then least(now(), found_at + make_interval(days => fix_days + 4)) end as closed_at
  from (
    select *,
      state in ('rectifying', 'submitted', 'accepted', 'closed') as planned,
      case when level = 'major' then 'major' else level end as lvl
    from (
      select g, found_at, age, rd, site_ix, fix_days, original_deadline, extension,
        case when is_site then null else e.id end as enterprise_id,
        case when is_site then {site_kind} else 'enterprise' end as site_kind,
        case when is_site then {site_name} else '' end as site_name,
        case when is_site then v.code else e.region_id end as region_id,
        case when is_site then {site_sup} else e.category_id end as supervision,
        case when is_site then {site_name} else e.address end as location,
        case when is_site then null else e.longitude end as lon,
        case when is_site then null else e.latitude end as lat,
        case when is_site then {pick(SOURCES_SITE, "rsrc")}
             else {pick(SOURCES_ENTERPRISE, "rsrc")} end as source,
        case when is_site then {site_cat}
             else {pick(HAZARD_CATEGORIES_ENTERPRISE, "rcat")} end as category,
        case when rl < (case when not is_site and e.category_id in
                          ({",".join(q(c) for c in HIGH_RISK)}) then 0.10 else 0.025 end)
             then 'major' else 'general' end as level,
        {finders}[1 + floor(rf * 5)::int] as found_by,
        {state} as state,
        case substr(case when is_site then v.code else e.region_id end, 1, 9) {town_case}
             else {bureau} end as unit
      from (
        select g, r.*, rs_ as rs,
          now() - make_interval(days => age, hours => floor(rh * 10)::int,
                                mins => floor(rm * 60)::int) as found_at,
          (found_date + (array[15, 30, 30, 45, 60])[1 + floor(rdl * 5)::int]) as original_deadline,
          case when rdl < 0.12 then 30 else 0 end as extension,
          1 + floor(rsite * 4)::int as site_ix,
          3 + floor(rfix * 40)::int as fix_days
        from generate_series({lo}, {hi}) g
        cross join lateral (
          select random() rent, random() rsite_pick, random() rage, random() rs_,
            random() rl, random() rsrc, random() rcat, random() rf, random() rd, random() rdl,
            random() rsite, random() rh, random() rm, random() rfix, random() rv
          offset 0
        ) r
        cross join lateral (select floor(power(rage, 1.6) * 1095)::int as age, rage as _a) a
        cross join lateral (select (current_date - age) as found_date) fd
      ) s
      cross join lateral (select rsite_pick < 0.10 as is_site) k
      left join bench_ent e
        on not is_site and e.ix = 1 + floor(power(rent, 1.4) * {n_ent})::int
      left join bench_village v
        on is_site and v.ix = 1 + floor(rv * (select count(*) from bench_village))::int
    ) t
  ) u
) w
"""


LISTINGS_SQL = """
insert into hazards_listing (document_number, responsible_leaders, deadline, public_exposure,
  listed_at, delisted_at, authority_id, delisted_by_id, hazard_id, listed_by_id)
select '清安委督〔' || extract(year from h.found_at)::int || '〕' || h.id || '号',
  '县分管领导、' || '乡镇主要负责人', coalesce(h.deadline, h.found_at::date + 90),
  h.id % 5 = 0, h.found_at + interval '5 days',
  case when h.state = 'closed' then h.closed_at end, %(bureau)s,
  case when h.state = 'closed' then %(user)s end, h.id, %(user)s
from hazards_hazard h
where h.level = 'major' and h.state not in ('reported', 'rejected') and h.id %% 10 < 3
"""


def generate(url: str, enterprises: int, hazards: int) -> dict:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("ANLAN_SECRET_KEY", "bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anlan.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.db import connection

    from anlan.accounts.models import Organisation, OrganisationKind, User
    from anlan.demo.world import build_world

    timings = {}
    t = time.monotonic()
    build_world(
        towns=12, villages_per_town=13, enterprises=min(WORLD_ENTERPRISES, enterprises),
        hazards=0, password=PASSWORD,
    )  # fmt: skip
    timings["world"] = time.monotonic() - t
    log(f"world built (regions, units, personas) in {timings['world']:.1f} s")

    users = dict(User.objects.values_list("username", "pk"))
    towns = dict(
        Organisation.objects.filter(kind=OrganisationKind.TOWN).values_list("region_id", "pk")
    )
    bureau = Organisation.objects.get(
        kind=OrganisationKind.EMERGENCY_BUREAU, region_id="990102"
    ).pk
    with connection.cursor() as cur:
        cur.execute("set synchronous_commit = off")
        cur.execute("set maintenance_work_mem = '256MB'")
        cur.execute(f"select setseed({SEED})")
        cur.execute("select code from regions_region where level = 'village' order by code")
        villages = [r[0] for r in cur.fetchall()]

        t = time.monotonic()
        rest = enterprises - min(WORLD_ENTERPRISES, enterprises)
        if rest > 0:
            cur.execute(enterprises_sql(rest, villages, 1))
        connection.commit() if not connection.get_autocommit() else None
        timings["enterprises"] = time.monotonic() - t
        log(f"{enterprises:,} enterprises in {timings['enterprises']:.1f} s")

        # Shuffled indexes over enterprises and villages, for drawing by a random number.
        cur.execute("drop table if exists bench_ent; drop table if exists bench_village")
        cur.execute(
            """create unlogged table bench_ent as
               select row_number() over (order by md5(id::text)) as ix, id, region_id,
                      category_id, address, longitude, latitude
               from registry_enterprise"""
        )
        cur.execute("create unique index on bench_ent (ix)")
        cur.execute(
            """create unlogged table bench_village as
               select row_number() over (order by code) as ix, code, name
               from regions_region where level = 'village'"""
        )
        cur.execute("analyze bench_ent; analyze bench_village")
        n_ent = enterprises

        t = time.monotonic()
        for lo in range(1, hazards + 1, BATCH):
            hi = min(hazards, lo + BATCH - 1)
            cur.execute(hazards_sql(lo, hi, n_ent, towns, bureau, users))
            log(f"  hazards {hi:,}/{hazards:,} ({time.monotonic() - t:.0f} s)")
        timings["hazards"] = time.monotonic() - t
        cur.execute(LISTINGS_SQL, {"bureau": bureau, "user": users["demo-county"]})
        cur.execute("drop table bench_ent; drop table bench_village")
        log(f"{hazards:,} hazards (and listings) in {timings['hazards']:.1f} s")

    t = time.monotonic()
    try:
        from anlan.hazards.models import HazardTally
    except ImportError:  # a version of the app without the tally
        HazardTally = None
    if HazardTally is not None:
        rows = HazardTally.rebuild()
        log(f"HazardTally rebuilt: {rows:,} rows in {time.monotonic() - t:.1f} s")
    connection.close()

    import psycopg

    t = time.monotonic()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("vacuum (analyze)")
    timings["vacuum_analyze"] = time.monotonic() - t
    log(f"VACUUM ANALYZE in {timings['vacuum_analyze']:.1f} s")
    return timings


def check(url: str) -> None:
    """Print the shape of what was generated (and prove the foreign keys hold)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:

        def one(sql):
            return conn.execute(sql).fetchone()

        total, open_, major, overdue, sites = one(
            """select count(*),
                 count(*) filter (where state in ('reported','confirmed','rectifying',
                                                  'submitted','accepted')),
                 count(*) filter (where level = 'major'),
                 count(*) filter (where state = 'rectifying' and deadline < current_date),
                 count(*) filter (where enterprise_id is null)
               from hazards_hazard"""
        )
        print(
            f"hazards {total:,}: open {open_ / total:.1%}, major {major / total:.1%}, "
            f"overdue {overdue:,} ({overdue / total:.1%}), not at an enterprise {sites / total:.1%}"
        )
        states = conn.execute(
            "select state, count(*) from hazards_hazard group by 1 order by 2 desc"
        ).fetchall()
        print("states: " + ", ".join(f"{s} {n / total:.1%}" for s, n in states))
        towns = conn.execute(
            """select substr(region_id, 1, 9), count(*) filter (where state in
                 ('reported','confirmed','rectifying','submitted','accepted')), count(*)
               from hazards_hazard group by 1 order by 1"""
        ).fetchall()
        print("per town (open/all): " + ", ".join(f"{t[-3:]} {o:,}/{n:,}" for t, o, n in towns))
        orphans = one(
            """select
                 (select count(*) from hazards_hazard h left join regions_region r
                    on r.code = h.region_id where r.code is null),
                 (select count(*) from hazards_hazard h left join registry_supervisioncategory c
                    on c.code = h.supervision_category_id where c.code is null),
                 (select count(*) from hazards_hazard h left join hazards_hazardcategory c
                    on c.code = h.category_id where c.code is null),
                 (select count(*) from hazards_hazard h left join accounts_user u
                    on u.id = h.found_by_id where u.id is null),
                 (select count(*) from hazards_hazard h left join registry_enterprise e
                    on e.id = h.enterprise_id where h.enterprise_id is not null and e.id is null)"""
        )
        print(f"foreign keys without a target (region, supervision, category, user, "
              f"enterprise): {orphans}")  # fmt: skip
        listings = one("select count(*) from hazards_listing")[0]
        print(f"listings {listings:,}; "
              f"database size {one("select pg_size_pretty(pg_database_size(current_database()))")[0]}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--hazards", type=int, default=1_000_000)
    parser.add_argument("--rebuild", action="store_true", help="drop the database and fill again")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    _admin, name = split_url(url)
    if not name.startswith("anlan_bench"):
        raise SystemExit(f"refusing to fill {name!r}: the database name must start with anlan_bench")
    started = time.monotonic()
    if args.rebuild and database_exists(url):
        log(f"dropping database {name}")
        admin_exec(url, f'drop database "{name}"')
    if not database_exists(url):
        admin_exec(url, f'create database "{name}"')
        log(f"created database {name}")
    state = state_of(url, args.enterprises, args.hazards)
    if state == "complete":
        log(f"{name} is already filled (use --rebuild to fill it again)")
        check(url)
        return 0
    if state == "partial":
        raise SystemExit(f"{name} holds other or partial data: run again with --rebuild")
    t = time.monotonic()
    migrate(url)
    log(f"migrated in {time.monotonic() - t:.1f} s")
    generate(url, args.enterprises, args.hazards)
    log(f"done in {time.monotonic() - started:.0f} s")
    check(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
