"""Locust users for the load test (outcomes/benchmarks/load.py starts locust on this file;
it sits in a folder without __init__.py so the bench runner, which imports every module of
outcomes/benchmarks/, never imports locust and its gevent patching).

Each simulated user is one relationship worker on her phone:

1. She signs in with her own account (one distinct account per user, from the
   file named in LOAD_USERS_FILE) and opens her list of young people.
2. When the last of the LOAD_USER_COUNT users has signed in, the figures so far
   (the sign-ins) are put aside. The users then settle for LOAD_SETTLE_SECONDS
   (the longest wait between actions, so that each has done her first action),
   and those figures are put aside too; then the counters start from zero: the
   measured period is LOAD_MEASURE_SECONDS of all of them working at once,
   after which locust stops. (Fifty password checks at once are the morning's
   sign-in, and the first actions of fifty users who signed in together arrive
   at once, on server processes that render each page for the first time; both
   are reported on their own, and their failures count.)
3. Working, with LOAD_WAIT_MIN-LOAD_WAIT_MAX seconds between actions, she logs
   a contact for one of her young people the way the page does it (htmx POST of
   the contact form with the CSRF token), opens her list, opens a young
   person's page, and now and then the baseline: `GET /`, a trivial page of the
   same application (a redirect for a signed-in worker).

At the end the figures are written as JSON to LOAD_RESULT_FILE.
"""

from __future__ import annotations

import json
import os
import random
import re
import threading
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import gevent
from locust import HttpUser, between, events, task

with open(os.environ["LOAD_USERS_FILE"], encoding="utf-8") as _file:
    _USERS = json.load(_file)
_PASSWORD = os.environ["LOAD_PASSWORD"]
_NOTE = os.environ.get("LOAD_NOTE", "[load test]")
_ZONE = ZoneInfo(os.environ.get("LOAD_TIME_ZONE", "Europe/Copenhagen"))
_EXPECTED = int(os.environ.get("LOAD_USER_COUNT", len(_USERS)))
_MEASURE_SECONDS = float(os.environ.get("LOAD_MEASURE_SECONDS", "120"))
_SETTLE_SECONDS = float(os.environ.get("LOAD_SETTLE_SECONDS", "0"))
_RESULT_FILE = os.environ.get("LOAD_RESULT_FILE", "")
_WAIT = (float(os.environ.get("LOAD_WAIT_MIN", "1")), float(os.environ.get("LOAD_WAIT_MAX", "2")))

_lock = threading.Lock()
_next = iter(_USERS)
_state: dict = {"signed_in": 0, "login": None, "measure_started": None, "measure_ended": None}

PERSON_LINK = re.compile(r'href="/young-people/(\d+)/"')
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ENROLMENT_HIDDEN = re.compile(r'<input type="hidden" name="enrolment" value="(\d+)"')
ENROLMENT_SELECT = re.compile(r'<select name="enrolment"[^>]*>\s*<option value="(\d+)"')
SAVED = "hx-swap-oob="  # the saved contact comes back for the timeline (contact_logged.html)


def _figures(stats) -> dict:
    rows = {}
    for (name, method), entry in sorted(stats.entries.items()):
        rows[f"{method} {name}"] = {
            "count": entry.num_requests,
            "failures": entry.num_failures,
            "p50": entry.get_response_time_percentile(0.5),
            "p95": entry.get_response_time_percentile(0.95),
            "max": entry.max_response_time,
        }
    return rows


def _phase(environment) -> tuple[dict, int]:
    """The figures so far and the number of errors among them; then count from zero."""
    figures = _figures(environment.stats)
    errors = len(environment.runner.errors) + len(environment.runner.exceptions)
    environment.stats.reset_all()
    return figures, errors


def _start_measuring(environment) -> None:
    """Step 2: the sign-ins are done. Let the users settle for LOAD_SETTLE_SECONDS, then count
    from zero for the measured period, then stop."""
    _state["login"], _state["login_errors"] = _phase(environment)

    def measure() -> None:
        gevent.sleep(_SETTLE_SECONDS)
        _state["settling"], _state["settling_errors"] = _phase(environment)
        _state["measure_started"] = time.monotonic()
        _state["measured_from"] = time.time()  # wall clock, to pick the period out of the server's access log
        gevent.sleep(_MEASURE_SECONDS)
        _state["measure_ended"] = time.monotonic()
        environment.runner.quit()

    gevent.spawn(measure)


@events.quitting.add_listener
def _write_result(environment, **kwargs) -> None:
    if not _RESULT_FILE:
        return
    started, ended = _state["measure_started"], _state["measure_ended"] or time.monotonic()
    result = {
        "signed_in": _state["signed_in"],
        "login": _state["login"],
        "login_errors": _state.get("login_errors", 0),
        "settling": _state.get("settling"),
        "settling_errors": _state.get("settling_errors", 0),
        "settle_seconds": _SETTLE_SECONDS,
        "measured_seconds": (ended - started) if started else 0,
        "measured_from": _state.get("measured_from"),
        "measured_until": _state.get("measured_from", 0) + (ended - started) if started else None,
        "requests": _figures(environment.stats) if started else {},
        "errors": [str(e) for e in environment.stats.errors.values()] if started else [],
        "exceptions": [e["msg"] for e in environment.runner.exceptions.values()],
    }
    with open(_RESULT_FILE, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)


class Worker(HttpUser):
    wait_time = between(*_WAIT)

    def on_start(self) -> None:
        with _lock:
            self.username = next(_next)  # StopIteration: more users than accounts, a setup error
        page = self.client.get("/login/", name="login")
        token = CSRF_FIELD.search(page.text).group(1)
        with self.client.post(
            "/login/",
            data={"username": self.username, "password": _PASSWORD, "csrfmiddlewaretoken": token},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login of {self.username} answered {response.status_code}")
                raise RuntimeError(f"login of {self.username} failed")
        self.people: list[int] = []
        self.enrolment_of: dict[int, int] = {}
        self.scope = ""
        self.my_young_people()
        if not self.people:
            self.scope = "?scope=team"  # a load-test account has no caseload of her own: her team's
            self.my_young_people()
        if not self.people:
            raise RuntimeError(f"{self.username} has no young people in scope")
        with _lock:
            _state["signed_in"] += 1
            last = _state["signed_in"] == _EXPECTED
        if last:
            _start_measuring(self.environment)

    def _csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    @task(2)
    def my_young_people(self) -> None:
        with self.client.get(f"/young-people/{self.scope}", name="page: my young people", catch_response=True) as r:
            found = [int(pk) for pk in PERSON_LINK.findall(r.text)]
            if r.status_code != 200:
                r.failure(f"status {r.status_code}")
            elif found:
                self.people = found

    @task(2)
    def young_person(self) -> int | None:
        pk = random.choice(self.people)
        with self.client.get(f"/young-people/{pk}/", name="page: young person", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"status {r.status_code}")
                return None
            match = ENROLMENT_HIDDEN.search(r.text) or ENROLMENT_SELECT.search(r.text)
            if match is None:
                return None  # nothing open to log a contact on (a closed course): a page view only
            self.enrolment_of[pk] = int(match.group(1))
            return pk

    @task(4)
    def log_contact(self) -> None:
        known = list(self.enrolment_of)
        pk = random.choice(known) if known else self.young_person()
        if pk is None:
            return
        data = {
            "enrolment": self.enrolment_of[pk],
            "occurred_at": datetime.now(_ZONE).strftime("%Y-%m-%dT%H:%M"),  # now, to the minute, as proposed
            "duration_minutes": random.choice([15, 30, 45, 60]),
            "channel": random.choice(["in_person", "phone", "video"]),
            "status": "held",
            "note": _NOTE,
        }
        headers = {"HX-Request": "true", "X-CSRFToken": self._csrf(), "Referer": self.host + f"/young-people/{pk}/"}
        with self.client.post(
            f"/young-people/{pk}/contacts/", data=data, headers=headers, name="contact: log", catch_response=True
        ) as r:
            if r.status_code != 200 or SAVED not in r.text:
                r.failure(f"status {r.status_code}, not saved")

    @task(1)
    def baseline(self) -> None:
        with self.client.get("/", name="baseline: GET /", allow_redirects=False, catch_response=True) as r:
            if r.status_code != 302:
                r.failure(f"status {r.status_code}")
