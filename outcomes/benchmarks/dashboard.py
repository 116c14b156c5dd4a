"""The team leader's dashboard against the framework's floor (issue 5, `make bench`).

Measured in one run, on whatever database DATABASE_URL names (`make bench`:
yc_bench20k, `seed_demo --young-people 20000 --years 5`):

1. The team: the team with the most workers. When it has fewer than 30, workers
   without a caseload are added to it (users `bench-dashboard-<n>`, once) so
   the caseload table has 30 lines; no enrolment is moved. Its leader is the
   user who opens the page.
2. The stored rows the page reads are made sure of, as the jobs would have
   written them: today's snapshots and the team's weekly facts (rewritten for
   the team when it has none), and the snapshots of the last four quarter ends
   for every enrolment (kept for good; written once, shard by shard).
3. Server-side time of `GET /dashboard/teams/<id>/` through django.test.Client
   with force_login (the whole middleware stack, session and access log
   included, no network), with DEBUG off as in production (`make bench` runs
   with DJANGO_DEBUG=true for its other settings; DEBUG's query log would
   format every statement): WARMUP requests untimed, then REQUESTS timed.
4. The floor, in the same run and the same way: `GET /` for the same leader,
   a trivial view of the same application (session, user, a redirect).
5. Median and 95th percentile of each, and the dashboard's p95 against the
   targets: under 150 ms, and within 5x the floor's p95.
6. For the record, the same page rebuilt: the data's version renewed before each
   request, as a write in the team would (outcomes.freshness), so the page is built
   from the stored rows and rendered again: the cost of the first request after a
   contact is logged.
"""

from __future__ import annotations

import statistics
import time

from django.db import connection
from django.db.models import Count, Q
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from cases.models import Enrolment, Team, User
from outcomes.dashboard.data import trend_quarter_ends
from outcomes.freshness import everything_changed
from outcomes.indicators.engine import DEFAULT_WINDOW_WEEKS
from outcomes.indicators.store import indicators_recompute
from outcomes.models import IndicatorSnapshot, WeeklyContactFact
from outcomes.tasks import SHARD_SIZE, shard_ranges

WORKERS = 30
WARMUP = 3
REQUESTS = 30
TARGET_P95_MS = 150.0
TARGET_RATIO = 5.0


def _team() -> tuple[Team, User]:
    team = (
        Team.objects.annotate(workers=Count("members", filter=Q(members__role=User.Role.WORKER)))
        .order_by("-workers", "pk")
        .first()
    )
    if team is None:
        raise SystemExit("The benchmark database has no team; run seed_demo first.")
    missing = WORKERS - team.workers
    for n in range(1, missing + 1):
        User.objects.get_or_create(
            username=f"bench-dashboard-{team.pk}-{n}",
            defaults={"name": f"Bench worker {n}", "role": User.Role.WORKER, "team": team},
        )
    leader = User.objects.filter(team=team, role=User.Role.TEAM_LEADER, is_active=True).order_by("pk").first()
    if leader is None:
        leader, _ = User.objects.get_or_create(
            username=f"bench-dashboard-leader-{team.pk}",
            defaults={"name": "Bench leader", "role": User.Role.TEAM_LEADER, "team": team},
        )
    return team, leader


def _ensure_rows(team: Team, out: list[str]) -> None:
    """Returns after ANALYZE when it wrote rows, so the planner knows the new row counts (as
    autovacuum would soon after the nightly job)."""
    today = timezone.localdate()
    wrote = False
    team_enrolments = Enrolment.objects.filter(team=team)
    has_today = IndicatorSnapshot.objects.filter(
        enrolment__in=team_enrolments.values("pk"), as_of=today, window_weeks=DEFAULT_WINDOW_WEEKS
    ).exists()
    has_facts = WeeklyContactFact.objects.filter(enrolment__in=team_enrolments.values("pk")).exists()
    if not (has_today and has_facts):
        started = time.perf_counter()
        count = indicators_recompute(as_of=today, enrolments=team_enrolments, rewrite_facts=True)
        wrote = True
        seconds = time.perf_counter() - started
        out.append(f"prepared: today's snapshots and weekly facts of the team ({count}) in {seconds:.1f} s")
    for _year, _quarter, last in trend_quarter_ends(today):
        if IndicatorSnapshot.objects.filter(as_of=last, window_weeks=DEFAULT_WINDOW_WEEKS).exists():
            continue
        started = time.perf_counter()
        written = 0
        for first, last_id in shard_ranges(size=SHARD_SIZE):
            written += indicators_recompute(
                as_of=last, enrolments=Enrolment.objects.filter(pk__range=(first, last_id)), rewrite_facts=False
            )
        out.append(f"prepared: quarter-end snapshots {last} ({written}) in {time.perf_counter() - started:.1f} s")
        wrote = True
    if wrote:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE outcomes_indicatorsnapshot")
            cursor.execute("ANALYZE outcomes_weeklycontactfact")


def _times(client: Client, url: str, *, expect: int, rebuild: bool = False) -> list[float]:
    for _ in range(WARMUP):
        assert client.get(url).status_code == expect
    times = []
    for _ in range(REQUESTS):
        if rebuild:
            everything_changed()
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == expect, (url, response.status_code)
    return times


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[18]


def run() -> list[str]:
    out: list[str] = []
    team, leader = _team()
    _ensure_rows(team, out)
    today = timezone.localdate()
    workers = User.objects.filter(team=team, role=User.Role.WORKER).count()
    active = Enrolment.objects.filter(team=team, start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    out.append(
        f"team {team.pk} ({team.name}): {workers} workers, {active.count()} active enrolments, "
        f"{Enrolment.objects.filter(team=team).count()} in all; {Enrolment.objects.count()} enrolments in the database"
    )
    client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="da")
    client.force_login(leader)
    # As in production: without DEBUG's query log, which formats every statement and its
    # parameters (the access log's insert of one row per young person shown is the largest).
    with override_settings(DEBUG=False):
        dashboard = _times(client, reverse("outcomes:dashboard_team", args=[team.pk]), expect=200)
        floor = _times(client, reverse("cases:home"), expect=302)
    d_med, d_p95 = statistics.median(dashboard), _p95(dashboard)
    f_med, f_p95 = statistics.median(floor), _p95(floor)
    ratio = d_p95 / f_p95
    with override_settings(DEBUG=False):
        rebuilt = _times(client, reverse("outcomes:dashboard_team", args=[team.pk]), expect=200, rebuild=True)
    out.append(f"dashboard: median {d_med:.1f} ms, p95 {d_p95:.1f} ms over {REQUESTS} requests (warm)")
    out.append(f"floor (GET / as the leader, a redirect): median {f_med:.1f} ms, p95 {f_p95:.1f} ms")
    out.append(
        f"dashboard rebuilt (data version renewed before each request): median {statistics.median(rebuilt):.1f} ms, "
        f"p95 {_p95(rebuilt):.1f} ms"
    )
    out.append(f"p95 {d_p95:.1f} ms, target < {TARGET_P95_MS:.0f} ms: {'PASS' if d_p95 < TARGET_P95_MS else 'MISS'}")
    out.append(
        f"p95 ratio dashboard / floor {ratio:.1f}x, target within {TARGET_RATIO:.0f}x: "
        f"{'PASS' if ratio <= TARGET_RATIO else 'MISS'}"
    )
    return out
