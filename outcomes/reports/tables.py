"""The report's tables: figures after disclosure control, with what the proof test needs.

Every count an analyst sees passes through `outcomes.disclosure` here, before
anything is rendered. A table remembers the protected blocks it was built
from (`blocks`), so a test can ask of every table of a report whether a
hidden value can be worked out from what is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from outcomes.disclosure import Shown, protect_table, rate_of


@dataclass
class Column:
    key: str
    label: str
    kind: str = "count"  # count, rate (a share 0-1), number (a median rate 0-1), text


@dataclass
class Row:
    key: str
    label: str
    cells: list[Any]
    total: bool = False
    indent: int = 0  # 1 for a group within a total, 2 for a value within a group


@dataclass
class Block:
    """A protected table of counts: the shown grid with its totals, and which totals it has."""

    grid: list[list[Shown]]
    total_row: bool
    total_column: bool


@dataclass
class Table:
    key: str
    caption: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    note: str = ""
    blocks: list[Block] = field(default_factory=list)
    value_blocks: list[tuple[list[Shown], list[list[int]]]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "caption": self.caption,
            "columns": [c.key for c in self.columns],
            "rows": [
                {"key": r.key, "label": r.label, **dict(zip((c.key for c in self.columns), r.cells, strict=True))}
                for r in self.rows
            ],
        }

    def column(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)

    def row(self, key: str) -> Row:
        return next(r for r in self.rows if r.key == key)


@dataclass
class RateColumn:
    """One rate per row, protected together with its total row: the numerators, the
    complements and the denominators of every row are one table with both totals, so
    neither a row's complement nor a row recovered from the total is ever shown small."""

    numerators: list[Shown]
    denominators: list[Shown]
    rates: list[float | None]
    block: Block


def protected_rates(pairs: Sequence[tuple[int, int]], *, total_row: bool = True) -> RateColumn:
    """(numerator, denominator) per row -> shown counts and rates; with `total_row` one more row, the sum."""
    grid = protect_table([[n, d - n] for n, d in pairs], total_row=total_row, total_column=True)
    numerators = [row[0] for row in grid]
    denominators = [row[2] for row in grid]
    rates = [rate_of(n, d) for n, d in zip(numerators, denominators, strict=True)]
    return RateColumn(numerators, denominators, rates, Block(grid, total_row, True))
