"""Small counts for analysts (spec §11), through the report's rules in
`outcomes.disclosure`: a count from 1 to 4 is shown as "<5", a rate only when its
numerator, denominator and complement (a count of persons too) are all shown.

The dashboard shows analysts no table of young-people counts with totals beyond
these pairs, so secondary suppression across a table does not arise here.
"""

from __future__ import annotations

from typing import Any

from outcomes.disclosure import SMALL as SUPPRESSED
from outcomes.disclosure import is_small, protect_rate, show_count

__all__ = ["SUPPRESSED", "count", "is_small", "share"]


def count(value: int) -> int | str:
    return show_count(value)


def share(value: dict[str, Any]) -> dict[str, Any]:
    """A share of `aggregate()` as an analyst may see it: its counts as shown, the rate or None."""
    protected = protect_rate(value["numerator"], value["denominator"])
    return {"numerator": protected.numerator, "denominator": protected.denominator, "rate": protected.rate}
