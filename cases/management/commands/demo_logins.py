"""`manage.py demo_logins`: the known demo accounts, as `make run` shows them."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cases.demo import DEMO_LOGINS, DEMO_PASSWORD
from cases.models import User


class Command(BaseCommand):
    help = "Print the demo logins created by seed_demo (username, role, team, password)."

    def handle(self, *args: Any, **options: Any) -> None:
        roles = dict(User.Role.choices)
        rows = [("Username", "Role", "Team", "Password")]
        rows += [(d.username, str(roles[d.role]), d.team or "-", DEMO_PASSWORD) for d in DEMO_LOGINS]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
        lines.insert(1, "  ".join("-" * width for width in widths))
        self.stdout.write("Demo logins (seed_demo):")
        for line in lines:
            self.stdout.write(f"  {line}")
