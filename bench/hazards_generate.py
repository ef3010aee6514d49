"""Fill a PostgreSQL database with the demo county scaled up: 100,000 enterprises and
1,000,000 hazards, written by SQL (generate_series), not row by row.

    .venv/bin/python bench/hazards_generate.py [--enterprises N] [--hazards N] [--rebuild]

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/anlan_bench (created if missing).
"""

import argparse
import os
import sys
import time

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/anlan_bench"
PASSWORD = "bench-pass-2026"


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            conn.execute(f'create database "{name}"')


ENTERPRISES_SQL = """
insert into registry_enterprise (created_at, updated_at, archived_at, archived_by_id, archive_reason,
  uscc, name, address, longitude, latitude, region_id, industry, category_id, scale, employees,
  is_key, legal_representative, legal_representative_phone, safety_manager, safety_manager_phone)
select now(), now(), null, null, '',
  '9199' || lpad(g::text, 14, '0'), '清河县基准企业' || g || '有限公司', '基准路' || g || '号',
  117.3 + (g % 600) / 1000.0, 29.4 + (g % 500) / 1000.0,
  v.codes[1 + g % array_length(v.codes, 1)], 'C', c.codes[1 + g % array_length(c.codes, 1)],
  'small', 5 + g % 400, g % 12 = 0, '张三', '', '李四', '13800000000'
from generate_series(1, %(n)s) g,
  (select array_agg(code order by code) codes from regions_region where level = 'village') v,
  (select array_agg(code order by code) codes from registry_supervisioncategory) c
"""

# States follow the loop: about 60 % closed, the rest spread over the open states; about 4 %
# major; rectifying ones have deadlines from 20 days ago to 40 days ahead (some overdue).
HAZARDS_SQL = """
insert into hazards_hazard (created_at, updated_at, enterprise_id, site_kind, site_name, region_id,
  supervision_category_id, location, longitude, latitude, source, found_by_id, found_at,
  description, category_id, level, legal_basis, suggested_measures, state, supervising_unit_id,
  notice_number, responsible_person, responsible_phone, measures, funds, deadline,
  original_deadline, extensions_used, plan_goal, plan_resources, plan_organisation,
  plan_requirements, plan_safety_measures, rectification_note, submitted_at, accepted_at, closed_at,
  assessment, number)
select f.found_at, f.found_at, e.id, 'enterprise', '', e.region_id, e.category_id, e.address,
  null, null, (array['enterprise_self','grid_patrol','town_patrol','county_check'])[1 + g % 4],
  %(user)s, f.found_at, '基准隐患 ' || g, hc.codes[1 + g % array_length(hc.codes, 1)],
  case when g % 25 = 0 then 'major' else 'general' end, '', '', s.state, null, '',
  case when s.state in ('rectifying','submitted','accepted','closed') then '王强' else '' end,
  '', '', null,
  case when s.state in ('rectifying','submitted','accepted','closed')
       then current_date + (g % 60 - 20) end,
  null, 0, '', '', '', '', '', '', null, null,
  case when s.state = 'closed' then f.found_at + interval '14 days' end,
  '', 'bench-' || g
from generate_series(1, %(n)s) g
  join registry_enterprise e on e.id = %(first)s + (g::bigint * 7919) % %(enterprises)s
  cross join lateral (select now() - ((g % 365) || ' days')::interval as found_at) f
  cross join lateral (select (array['closed','closed','closed','closed','closed','closed',
      'reported','confirmed','rectifying','rectifying','submitted','accepted'])[1 + g % 12] as state) s,
  (select array_agg(code order by code) codes from hazards_hazardcategory) hc
"""

# Hazard numbers as Hazard.save() gives them (YH2026-0001, per local year in the order found),
# and the counters where they stop (core.models.Numbered).
NUMBERS_SQL = """
update hazards_hazard h set number = 'YH' || n.year || '-' || lpad(n.rn::text, 4, '0')
from (select id, extract(year from found_at at time zone %(tz)s)::int as year,
             row_number() over (partition by extract(year from found_at at time zone %(tz)s)
                                order by found_at, id) as rn
      from hazards_hazard) n
where h.id = n.id;
insert into core_documentcounter (issuer, kind, year, last)
select 'anlan', 'hazards.hazard', extract(year from found_at at time zone %(tz)s)::int, count(*)
from hazards_hazard group by 3
on conflict (issuer, kind, year) do update set last = excluded.last;
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--hazards", type=int, default=1_000_000)
    parser.add_argument("--rebuild", action="store_true", help="drop and fill again")
    args = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("ANLAN_SECRET_KEY", "bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anlan.settings")
    ensure_database(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from anlan.accounts.models import User
    from anlan.demo.world import build_world
    from anlan.hazards.models import Hazard

    started = time.monotonic()
    if args.rebuild:
        with connection.cursor() as cursor:
            cursor.execute("drop schema public cascade; create schema public;")
    call_command("migrate", verbosity=0)
    if Hazard.objects.count() >= args.hazards:
        print(f"already filled: {Hazard.objects.count():,} hazards (use --rebuild to refill)")
        return 0
    build_world(enterprises=48, password=PASSWORD)  # regions, units, persona accounts
    with connection.cursor() as cursor:
        cursor.execute(ENTERPRISES_SQL.replace("%(n)s", str(args.enterprises)))
        cursor.execute("select min(id), count(*) from registry_enterprise")
        first, count = cursor.fetchone()
        user = User.objects.get(username="demo-county").pk
        t = time.monotonic()
        sql = HAZARDS_SQL
        for key, value in {
            "n": args.hazards,
            "first": first,
            "enterprises": count,
            "user": user,
        }.items():
            sql = sql.replace(f"%({key})s", str(value))
        cursor.execute(sql)
        from django.conf import settings

        cursor.execute(NUMBERS_SQL.replace("%(tz)s", f"'{settings.TIME_ZONE}'"))
        print(f"hazards inserted and numbered in {time.monotonic() - t:.0f} s")
    from anlan.hazards.models import HazardTally

    print(f"{HazardTally.rebuild():,} tally rows")  # bulk SQL bypasses Hazard.save()
    import psycopg

    # What autovacuum does in production after a load: statistics, and the visibility map
    # that lets the overdue counts run as index-only scans.
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("vacuum analyze")
    print(
        f"{count:,} enterprises, {Hazard.objects.count():,} hazards "
        f"in {time.monotonic() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
