"""Load test (issue 7, `make bench`): 50 workers logging contacts and opening pages for two minutes.

Measured in one run, against 127.0.0.1 only, on the database DATABASE_URL names
(`make bench`: yc_bench20k):

1. Fifty distinct worker accounts: active relationship workers with an open
   enrolment of their own and the demo password, by id. When the database has
   fewer (a small demo), the rest are load-test accounts `loadtest-<n>` (name
   "Load test <n>") in those workers' teams, with the demo password; they are
   kept for the next run.
2. The application as in production (DJANGO_DEBUG=false, static files
   collected into a temporary folder, the production settings otherwise; only
   HTTPS redirects and secure cookies are off, as there is no TLS proxy):
   gunicorn with 3 workers (docker-compose.yml) bound to a free port on
   127.0.0.1. With REDIS_URL set, a Celery worker beside it takes the
   recomputes that each contact queues, as in production; without it they run
   inside the request (eager), which the output says.
3. locust, headless, as a separate process (outcomes/benchmarks/locust/locustfile.py):
   50 users started at 10 a second. Each signs in, then logs
   contacts (the htmx POST of the contact form, with the CSRF token), opens
   her list and a young person's page, with 5-15 s between actions (a worker
   on her phone; with 1-2 s the 2 cores were saturated and the run measured
   the queue, not the application); the
   baseline is `GET /`, a trivial page of the same application. After the
   last sign-in the users settle for 15 s (the longest wait: each has done
   her first action; the fifty first actions arrive together, on server
   processes that render each page for the first time), then 2 minutes are
   measured. The sign-ins and the settling are printed on their own, and
   their failures count.
4. Request counts, failures and p50/p95 per request name as locust saw them;
   PASS when there is no failure or error at all and the contact-logging p95 is
   under 100 ms. Beside them, the server's own time per request (gunicorn's
   access log, the measured period only): what locust sees above it is waiting
   for a free gunicorn worker or for the CPU.

Every contact logged has the note `[load test]`, so they can be told apart
in the bench database; a run adds a few thousand contacts dated today.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db.models import Exists, OuterRef

from cases.demo import DEMO_PASSWORD
from cases.models import Enrolment, User

# LOAD_TEST_USERS and LOAD_TEST_SECONDS make a smaller, shorter try (the figures then say so).
USERS = int(os.environ.get("LOAD_TEST_USERS", "50"))
SPAWN_RATE = 10
MEASURE_SECONDS = int(os.environ.get("LOAD_TEST_SECONDS", "120"))
SIGN_IN_ALLOWANCE_SECONDS = 180  # the sign-ins before the measured period, at most
WAIT_SECONDS = (5.0, 15.0)  # between one user's actions: a worker on her phone, busy
# After the last sign-in and before the measured period: the longest wait, so every user has
# done her first action (fifty users who signed in together start at once).
SETTLE_SECONDS = WAIT_SECONDS[1]
GUNICORN_WORKERS = 3
TARGET_P95_MS = 100.0
CONTACT = "contact: log"
BASELINE = "baseline: GET /"
NOTE = "[load test]"
LOAD_TEST_PREFIX = "loadtest-"
ROOT = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent
LOCUSTFILE = Path(__file__).resolve().parent / "locust" / "locustfile.py"


def _accounts(out: list[str]) -> list[str]:
    """Step 1: fifty worker usernames that sign in with the demo password.

    The seed gives every account the demo password; Django re-hashes it at the first
    sign-in, so the hashes are not compared: a worker whose password was changed would
    show as a failed sign-in, and the run as a MISS."""
    own_open = Enrolment.objects.filter(primary_worker=OuterRef("pk"), end_date__isnull=True)
    workers = list(
        User.objects.filter(role=User.Role.WORKER, is_active=True, team__isnull=False)
        .exclude(username__startswith=LOAD_TEST_PREFIX)
        .exclude(password="")
        .filter(Exists(own_open))
        .order_by("pk")[:USERS]
    )
    if not workers:
        raise SystemExit("No worker with an open enrolment in the benchmark database; run seed_demo first.")
    names = [w.username for w in workers]
    teams = sorted({w.team_id for w in workers})
    password = make_password(DEMO_PASSWORD)
    for n in range(1, USERS - len(names) + 1):
        user, _ = User.objects.get_or_create(
            username=f"{LOAD_TEST_PREFIX}{n}",
            defaults={"name": f"Load test {n}", "role": User.Role.WORKER, "team_id": teams[n % len(teams)]},
        )
        user.password = password
        user.save(update_fields=["password"])
        names.append(user.username)
    added = USERS - len(workers)
    out.append(f"accounts: {len(workers)} demo workers" + (f" and {added} load-test accounts" if added else ""))
    return names


def _drain_queue(redis_url: str, *, seconds: float = 1800) -> str:
    """Wait until the Celery worker has no task queued or running: work left in the bench
    Redis (another benchmark's recomputes, a seed's nightly jobs) would otherwise run during
    the measured period and take the CPU the requests are measured on."""
    import redis

    broker = redis.Redis.from_url(redis_url)
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if not broker.llen("celery") and not broker.hlen("unacked"):
            return f"queue: empty after {time.monotonic() - started:.0f} s (tasks left from before the run: done first)"
        time.sleep(1)
    raise SystemExit(f"The Celery queue in {redis_url} did not empty within {seconds:.0f} s")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_env(static_root: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": static_root,
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    return env


@contextmanager
def _process(command: list[str], *, env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """A child process in its own process group, stopped (that group only) on the way out."""
    with open(log, "w") as sink:
        process = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


def _wait_for(url: str, *, process: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"The server stopped at start-up:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (127.0.0.1, our own server)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"The server did not answer {url} within {seconds:.0f} s")


def _row(name: str, figures: dict) -> str:
    return (
        f"{name:<28} {figures['count']:>7} {figures['failures']:>5} "
        f"{figures['p50'] or 0:>7.0f} {figures['p95'] or 0:>7.0f} {figures['max'] or 0:>8.0f}"
    )


def _locust(host: str, names: list[str], work: Path) -> dict:
    """Step 3: locust as its own process; its figures come back as JSON."""
    users_file, result_file = work / "users.json", work / "result.json"
    users_file.write_text(json.dumps(names))
    command = [str(BIN / "locust"), "-f", str(LOCUSTFILE), "--headless", "--only-summary", "--loglevel", "WARNING"]
    command += ["-u", str(USERS), "-r", str(SPAWN_RATE), "--host", host, "--stop-timeout", "10"]
    cap = SIGN_IN_ALLOWANCE_SECONDS + SETTLE_SECONDS + MEASURE_SECONDS
    command += ["--run-time", f"{cap:.0f}s"]  # a cap: it stops itself sooner
    environment = {
        **os.environ,
        "LOAD_USERS_FILE": str(users_file),
        "LOAD_USER_COUNT": str(USERS),
        "LOAD_PASSWORD": DEMO_PASSWORD,
        "LOAD_NOTE": NOTE,
        "LOAD_TIME_ZONE": settings.TIME_ZONE,
        "LOAD_MEASURE_SECONDS": str(MEASURE_SECONDS),
        "LOAD_SETTLE_SECONDS": str(SETTLE_SECONDS),
        "LOAD_WAIT_MIN": str(WAIT_SECONDS[0]),
        "LOAD_WAIT_MAX": str(WAIT_SECONDS[1]),
        "LOAD_RESULT_FILE": str(result_file),
    }
    finished = subprocess.run(  # noqa: S603
        command,
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=cap + 120,
    )
    if not result_file.exists():
        raise SystemExit(f"locust wrote no figures (exit {finished.returncode}):\n{finished.stderr[-3000:]}")
    return json.loads(result_file.read_text())


def run() -> list[str]:
    out: list[str] = []
    names = _accounts(out)
    redis_url = os.environ.get("REDIS_URL", "")
    with tempfile.TemporaryDirectory(prefix="youthcase-load-") as tmp, ExitStack() as stack:
        work = Path(tmp)
        env = _server_env(str(work / "static"))
        collected = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if collected.returncode:
            raise SystemExit(f"collectstatic failed:\n{collected.stderr[-3000:]}")
        port = _free_port()
        host = f"http://127.0.0.1:{port}"
        server_log = work / "gunicorn.log"
        gunicorn = [str(BIN / "gunicorn"), "youthcase.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        gunicorn += ["--workers", str(GUNICORN_WORKERS), "--error-logfile", "-"]
        gunicorn += ["--access-logfile", str(work / "access.log"), "--access-logformat", ACCESS_LOG_FORMAT]
        server = stack.enter_context(_process(gunicorn, env=env, log=server_log))
        if redis_url:
            celery = [str(BIN / "celery"), "-A", "youthcase", "worker", "--loglevel", "WARNING"]
            celery += ["--concurrency", "1", "--without-gossip", "--without-mingle"]
            stack.enter_context(_process(celery, env=env, log=work / "celery.log"))
            out.append("recomputes: queued to Redis, a Celery worker beside the server (as in production)")
            out.append(_drain_queue(redis_url))
        else:
            out.append("recomputes: no REDIS_URL, so they run inside each contact's request (eager)")
        _wait_for(f"{host}/login/", process=server, log=server_log)
        result = _locust(host, names, work)
        server_errors = server_log.read_text().count("Traceback")
        server_times = _server_times(work / "access.log", result)
    return out + _report(result, host=host, server_errors=server_errors) + _server_report(server_times)


# gunicorn's access log: the time the request arrived, method, path, status and the
# milliseconds the worker spent on it (%(M)s).
ACCESS_LOG_FORMAT = '%(t)s "%(m)s %(U)s" %(s)s %(M)s'
ACCESS_LINE = re.compile(r'\[([^]]+)\] "(\w+) (\S+)" (\d+) (\d+)')
# The request names of the locustfile, by method and path.
ROUTES = [
    ("POST", re.compile(r"/young-people/\d+/contacts/"), CONTACT),
    ("GET", re.compile(r"/young-people/\d+/"), "page: young person"),
    ("GET", re.compile(r"/young-people/"), "page: my young people"),
    ("GET", re.compile(r"/"), BASELINE),
]


def _server_times(log: Path, result: dict) -> dict[str, list[int]]:
    """Milliseconds per request name, of the requests that arrived in the measured period."""
    start, end = result.get("measured_from"), result.get("measured_until")
    times: dict[str, list[int]] = {}
    if not start or not log.exists():
        return times
    for line in log.read_text().splitlines():
        match = ACCESS_LINE.search(line)
        if match is None:
            continue
        arrived = dt.datetime.strptime(match[1], "%d/%b/%Y:%H:%M:%S %z").timestamp()
        if not int(start) <= arrived <= end:  # the log's clock has whole seconds
            continue
        name = next((n for m, path, n in ROUTES if m == match[2] and path.fullmatch(match[3])), None)
        if name is not None:
            times.setdefault(name, []).append(int(match[5]))
    return times


def _server_report(times: dict[str, list[int]]) -> list[str]:
    if not times:
        return ["server side: no access-log lines for the measured period"]
    out = ["server side (gunicorn's own time per request, measured period):"]
    out.append(f"{'request':<28} {'count':>7} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>8}")
    for name, values in sorted(times.items()):
        values = sorted(values)
        p50, p95 = values[len(values) // 2], values[min(len(values) - 1, math.ceil(0.95 * len(values)) - 1)]
        out.append(f"{name:<28} {len(values):>7} {p50:>7} {p95:>7} {values[-1]:>8}")
    return out


def _report(result: dict, *, host: str, server_errors: int) -> list[str]:
    """Step 4."""
    out = [
        f"locust: {USERS} users (spawned {SPAWN_RATE}/s), {WAIT_SECONDS[0]:g}-{WAIT_SECONDS[1]:g} s between actions, "
        f"against {host}; {result['signed_in']} signed in, then {result['measured_seconds']:.0f} s measured"
    ]
    header = f"{'request':<28} {'count':>7} {'fail':>5} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>8}"
    login, settling = result["login"] or {}, result.get("settling") or {}
    out += ["sign-in (before the measured period):", header]
    out += [_row(k, v) for k, v in login.items() if k.endswith(" login")]
    out += [f"settling ({result.get('settle_seconds', 0):g} s after the last sign-in, not measured):", header]
    out += [_row(k, v) for k, v in settling.items() if v["count"]]
    requests = result["requests"]
    out += ["measured period:", header] + [_row(k, v) for k, v in requests.items() if v["count"]]
    total = sum(v["count"] for v in requests.values())
    out.append(f"{'all':<28} {total:>7} ({total / max(result['measured_seconds'], 1):.1f} requests/s)")
    failures = sum(v["failures"] for phase in (login, settling, requests) for v in phase.values())
    exceptions = len(result["exceptions"]) + result["login_errors"] + result.get("settling_errors", 0)
    out.append(f"errors: {failures} failed requests, {exceptions} exceptions in the users, {server_errors} tracebacks")
    for message in (result["errors"] + result["exceptions"])[:5]:
        out.append(f"  {message[:200]}")
    contact, baseline = requests.get(f"POST {CONTACT}"), requests.get(f"GET {BASELINE}")
    complete = result["signed_in"] == USERS and result["measured_seconds"] >= MEASURE_SECONDS - 1
    if contact is None or not contact["count"] or not complete:
        out.append("contact logging: not measured for the whole period with every user  MISS")
        return out
    ok = contact["p95"] < TARGET_P95_MS and failures == 0 and exceptions == 0 and server_errors == 0
    base = f", baseline GET / p95 {baseline['p95']:.0f} ms" if baseline else ""
    out.append(
        f"contact logging p95 {contact['p95']:.0f} ms (target < {TARGET_P95_MS:.0f} ms with zero errors{base})  "
        + ("PASS" if ok else "MISS")
    )
    return out
