"""Small counts for analysts (spec §11). The rules live in `outcomes.disclosure`
(the report's module) when it is installed; until then the dashboard falls back
to the minimum the brief asks for: a count from 1 to 4 is shown as "<5", and a
rate is not shown when its numerator, its denominator or their difference (a
count of persons too) is from 1 to 4. Zero is shown as 0.

The dashboard shows analysts no table of young-people counts with totals, so
secondary suppression across a table does not arise; each rate is protected
with its complement.
"""

from __future__ import annotations

from typing import Any

try:
    from outcomes.disclosure import SMALL as SUPPRESSED
    from outcomes.disclosure import is_small, protect_rate, show_count
except ImportError:  # pragma: no cover - the fallback until outcomes.disclosure is committed
    SUPPRESSED = "<5"

    def is_small(count: int) -> bool:
        return 0 < count < 5

    def show_count(count: int) -> int | str:
        return SUPPRESSED if is_small(count) else count

    protect_rate = None


def count(value: int) -> int | str:
    return show_count(value)


def share(value: dict[str, Any]) -> dict[str, Any]:
    """A share of `aggregate()` as an analyst may see it: its counts as shown, the rate or None."""
    numerator, denominator = value["numerator"], value["denominator"]
    if protect_rate is not None:
        protected = protect_rate(numerator, denominator)
        return {"numerator": protected.numerator, "denominator": protected.denominator, "rate": protected.rate}
    hidden = is_small(numerator) or is_small(denominator) or is_small(denominator - numerator)
    return {
        "numerator": SUPPRESSED if is_small(numerator) else ("x" if hidden else numerator),
        "denominator": show_count(denominator),
        "rate": None if hidden else value["rate"],
    }
