"""Danish CPR numbers: validation and masking.

A CPR number is DDMMYY-SSSS. The seventh digit and the year together give the
century. The modulus-11 check was dropped in 2007 (numbers without it are
issued), so it is not enforced. A CPR number is never shown in a URL or a log;
`mask_cpr_like` removes anything that looks like one from free text (search
terms) before it is stored in the access log.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_CPR_RE = re.compile(r"^(\d{2})(\d{2})(\d{2})-?(\d{4})$")
_CPR_LIKE_RE = re.compile(r"\d{6}[- ]?\d{4}")


def _century(year2: int, seventh_digit: int) -> int:
    if seventh_digit <= 3:
        return 1900
    if seventh_digit in (4, 9):
        return 2000 if year2 <= 36 else 1900
    return 2000 if year2 <= 57 else 1800


def cpr_birth_date(cpr: str) -> dt.date:
    """The birth date encoded in a normalised CPR number."""
    day, month, year2 = int(cpr[0:2]), int(cpr[2:4]), int(cpr[4:6])
    return dt.date(_century(year2, int(cpr[6])) + year2, month, day)


def normalise_cpr(value: str) -> str:
    """Return the ten digits of a CPR number, or raise ValidationError."""
    match = _CPR_RE.match(value.strip())
    if not match:
        raise ValidationError(_("A CPR number has ten digits, written DDMMYY-SSSS."), code="cpr_format")
    digits = "".join(match.groups())
    try:
        cpr_birth_date(digits)
    except ValueError:
        raise ValidationError(_("The first six digits of a CPR number must be a valid date."), code="cpr_date")
    return digits


def validate_cpr(value: str) -> None:
    if value:
        normalise_cpr(value)


def mask_cpr_like(text: str) -> str:
    """Replace anything shaped like a CPR number in free text."""
    return _CPR_LIKE_RE.sub("[cpr]", text)
