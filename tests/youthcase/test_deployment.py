"""The production side: settings from the environment, `check --deploy`, Celery's
configuration and docker-compose.yml (no Docker engine runs here, so the file is
parsed and every service's command is checked against the code)."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "SECRET_KEY": "x7!kq2@production-secret-that-is-long-enough-and-random-0123456789",
    "ALLOWED_HOSTS": "youthcase.kommune.dk",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # Only the production values: nothing the test run itself sets (the browser
    # tests' DJANGO_ALLOW_ASYNC_UNSAFE, eager Celery) may leak into the check.
    test_only = {"CELERY_TASK_ALWAYS_EAGER", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k not in test_only}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env, "PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_with_no_warning():
    # A .env in the checkout must not leak in: the environment wins over it.
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "short"}, "at least 50 characters"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must be set"),
        ({"DJANGO_DEBUG": "perhaps"}, "perhaps"),
        ({"CELERY_VISIBILITY_TIMEOUT": "60"}, "VISIBILITY_TIMEOUT must exceed"),
        ({"DB_CONN_MAX_AGE": "sixty"}, "sixty"),
    ],
)
def test_bad_configuration_fails_loudly_at_start(override, message):
    result = _manage("check", env={**PRODUCTION_ENV, **override})
    assert result.returncode != 0
    assert message in result.stderr


def test_celery_is_configured_for_safe_redelivery(settings):
    from youthcase.celery import app

    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert visibility > app.conf.task_time_limit > 0


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_production_services():
    assert set(_compose()["services"]) >= {"web", "worker", "beat", "db", "redis"}


def _check_command(command: list[str]) -> None:
    program, *args = command
    if program == "gunicorn":
        module, _, attribute = args[0].partition(":")
        assert hasattr(importlib.import_module(module), attribute), args[0]
    elif program == "celery":
        assert args[0] == "-A"
        module = importlib.import_module(args[1])
        assert module.celery_app.main == "youthcase"
        assert args[2] in {"worker", "beat"}
    elif program == "python":
        assert args[0] == "manage.py" and (ROOT / "manage.py").exists()
        assert args[1] in get_commands(), f"no management command {args[1]}"
    elif program == "redis-server":
        pass  # the official image's own program
    else:
        pytest.fail(f"unknown program {program}")


def test_every_service_command_refers_to_something_that_exists():
    compose = _compose()
    for name, service in compose["services"].items():
        if "build" in service:
            assert (ROOT / service["build"] / "Dockerfile").exists(), name
        if "command" in service:
            _check_command(service["command"])
        for dependency in service.get("depends_on", {}):
            assert dependency in compose["services"], f"{name} depends on unknown {dependency}"
    for volume in ("pgdata", "redisdata"):
        assert volume in compose["volumes"]


def test_dockerfile_installs_the_locked_dependencies():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "-c requirements.lock" in dockerfile
    assert (ROOT / "requirements.lock").exists()
