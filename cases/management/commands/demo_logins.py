"""`manage.py demo_logins`: the known demo accounts, as `make run` shows them."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cases.demo import DEMO_LOGINS, DEMO_PASSWORD
from cases.models import User

SECOND_FACTOR_ROLES = {User.Role.ANALYST, User.Role.ADMINISTRATOR}


class Command(BaseCommand):
    help = "Print the demo logins created by seed_demo (username, role, team, password, second factor)."

    def handle(self, *args: Any, **options: Any) -> None:
        roles = dict(User.Role.choices)
        rows = [("Username", "Role", "Team", "Password", "Second factor")]
        rows += [
            (
                d.username,
                str(roles[d.role]),
                d.team or "-",
                DEMO_PASSWORD,
                "authenticator app" if d.role in SECOND_FACTOR_ROLES else "-",
            )
            for d in DEMO_LOGINS
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
        lines.insert(1, "  ".join("-" * width for width in widths))
        self.stdout.write("Demo logins (seed_demo):")
        for line in lines:
            self.stdout.write(f"  {line}")
        self.stdout.write(
            "\nAnalysts and administrators (anders, admin) also give a code from an authenticator app (TOTP):\n"
            "  at their first login the page shows a QR code and the key; scan it with an app such as\n"
            "  Microsoft Authenticator, Google Authenticator or FreeOTP (or type the key), then type\n"
            "  the six-digit code. Every later login asks for the app's current code.\n"
            "  Lost the app? An administrator deletes the device under TOTP devices in /admin/, or:\n"
            '    python manage.py shell -c "from django_otp.plugins.otp_totp.models import TOTPDevice; '
            "TOTPDevice.objects.filter(user__username='anders').delete()\"\n"
            "Five wrong passwords lock that user name (and, separately, that address) for 15 minutes;\n"
            "  `python manage.py axes_reset` lifts every lock at once."
        )
