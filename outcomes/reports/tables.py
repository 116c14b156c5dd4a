"""The report's tables: figures after disclosure control, with what the proof needs.

Every count an analyst sees passes through `outcomes.disclosure` here, before
anything is rendered. A table remembers the protected blocks it was built
from (`blocks`): the shown grid, the true counts and a key naming every cell
(``"reach/total/active"``), so that the report-wide audit
(`content.protect_across_tables`) and the tests can ask of all tables together
whether a hidden value can be worked out from what is shown anywhere.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from outcomes.disclosure import Shown, protect_table, protect_values, rate_of, table_lines, with_totals

TOTAL = "total"


@dataclass
class Column:
    key: str
    label: str
    kind: str = "count"  # count, rate (a share 0-1), number (a median rate 0-1), points (a score change), text


@dataclass
class Row:
    key: str
    label: str
    cells: list[Any]
    total: bool = False
    indent: int = 0  # 1 for a group within a total, 2 for a value within a group


@dataclass
class Block:
    """A protected table of counts: the shown grid with its totals, which totals it has, the
    true counts and a key per cell. `value_lines` (indexes into a one-row grid) replace the
    rows and columns for counts related by sums of another shape (the §10 table)."""

    grid: list[list[Shown]]
    total_row: bool
    total_column: bool
    counts: list[list[int]] = field(default_factory=list)
    keys: list[list[str]] = field(default_factory=list)
    value_lines: list[list[int]] | None = None

    def cell_lines(self) -> list[list[tuple[int, int]]]:
        if self.value_lines is not None:
            return [[(0, i) for i in line] for line in self.value_lines]
        rows = len(self.grid)
        columns = len(self.grid[0]) if rows else 0
        return table_lines(rows, columns, total_row=self.total_row, total_column=self.total_column)

    def key_lines(self) -> list[list[str]]:
        return [[self.keys[r][c] for r, c in line] for line in self.cell_lines()]

    def figures(self) -> Iterator[tuple[str, int, Shown]]:
        """(key, true count, shown value) of every cell."""
        for r, row in enumerate(self.grid):
            for c, shown in enumerate(row):
                yield self.keys[r][c], self.counts[r][c], shown


@dataclass
class Table:
    key: str
    caption: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    note: str = ""
    blocks: list[Block] = field(default_factory=list)

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


def protect_block(
    counts: Sequence[Sequence[int]],
    *,
    prefix: str,
    rows: Sequence[str],
    columns: Sequence[str],
    total_row: bool,
    total_column: bool,
    hidden: frozenset[str] = frozenset(),
) -> Block:
    """`protect_table` with a key per cell, ``f"{prefix}/{row}/{column}"``. `rows` and
    `columns` name the inner cells; a total row is the row ``"total"``, and a total column
    is named by one more entry of `columns` (default ``"total"``). Cells whose key is in
    `hidden` are hidden from the start."""
    full = with_totals(counts, total_row=total_row, total_column=total_column)
    row_keys = [*rows, TOTAL] if total_row else list(rows)
    column_keys = list(columns)
    if total_column and len(column_keys) == len(full[0]) - 1:
        column_keys.append(TOTAL)
    keys = [[f"{prefix}/{r}/{c}" for c in column_keys] for r in row_keys]
    forced = [(r, c) for r, row in enumerate(keys) for c, key in enumerate(row) if key in hidden]
    grid = protect_table(counts, total_row=total_row, total_column=total_column, hidden=forced)
    return Block(grid, total_row, total_column, full, keys)


def protect_value_block(
    values: Sequence[int], lines: list[list[int]], *, prefix: str, names: Sequence[str], hidden: frozenset[str]
) -> Block:
    """`protect_values` with a key per value, ``f"{prefix}/{name}/count"``."""
    keys = [f"{prefix}/{name}/count" for name in names]
    shown = protect_values(values, lines, hidden=[i for i, key in enumerate(keys) if key in hidden])
    return Block([shown], False, False, [list(values)], [keys], value_lines=lines)


def show_one(count: int, *, key: str, hidden: frozenset[str]) -> tuple[Shown, Block]:
    """One count standing alone (no total), as a block so that the report-wide audit sees it."""
    prefix, row, column = key.rsplit("/", 2)
    block = protect_block(
        [[count]], prefix=prefix, rows=[row], columns=[column], total_row=False, total_column=False, hidden=hidden
    )
    return block.grid[0][0], block


@dataclass
class RateColumn:
    """One rate per row, protected together with its total row: the numerators, the
    complements and the denominators of every row are one table with both totals, so
    neither a row's complement nor a row recovered from the total is ever shown small."""

    numerators: list[Shown]
    denominators: list[Shown]
    rates: list[float | None]
    block: Block


def protected_rates(
    pairs: Sequence[tuple[int, int]],
    *,
    prefix: str,
    rows: Sequence[str],
    name: str,
    total_row: bool = True,
    hidden: frozenset[str] = frozenset(),
) -> RateColumn:
    """(numerator, denominator) per row -> shown counts and rates; with `total_row` one more row, the sum.

    Keys: ``f"{prefix}/{row}/{name}.n"`` (numerator), ``.c`` (complement) and ``.d`` (denominator)."""
    block = protect_block(
        [[n, d - n] for n, d in pairs],
        prefix=prefix,
        rows=rows,
        columns=[f"{name}.n", f"{name}.c", f"{name}.d"],
        total_row=total_row,
        total_column=True,
        hidden=hidden,
    )
    numerators = [row[0] for row in block.grid]
    denominators = [row[2] for row in block.grid]
    rates = [rate_of(n, d) for n, d in zip(numerators, denominators, strict=True)]
    return RateColumn(numerators, denominators, rates, block)
