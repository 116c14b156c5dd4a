"""Disclosure control for figures that leave the case-working teams (spec/indicators.md §11).

Pure functions, no database. Everything an analyst sees (the quarterly PDF and
its JSON, analyst downloads, analyst API responses) passes through here
*before* it is rendered.

The rules:

1. **Primary suppression.** A count from 1 to 4 is shown as ``"<5"``
   (`SMALL`); a rate built on it is not shown (``None``). Zero is shown as 0.
2. **Secondary suppression.** In a table with totals, a suppressed value must
   not be recoverable from the totals that are shown. Each *line* of a table
   (a row with its row total, a column with its column total; the total row
   and the total column are lines too) is an equation
   ``cell_1 + ... + cell_n = total``. Where a line holds exactly one hidden
   value, it could be recovered by subtraction, so the next-smallest non-zero
   value of that line is hidden as well (shown as `HIDDEN`, ``"x"``: it is not
   a small count, so it must not claim to be one). This repeats until stable.
3. **Audit.** Two further ways to recover a hidden value are closed the same
   way, by hiding the next-smallest value in a line of the exposed cell, until
   none is left: (a) a linear combination of several lines (a hidden cell on a
   "bridge" between two blocks of hidden cells) - an exact rank test over the
   rationals; (b) bounds: a reader knows a ``"<5"`` is 1-4 and may infer an
   ``"x"`` is at least 5 (every 1-4 count is already ``"<5"``), so a line
   whose remainder is, for example, 2 with two ``"<5"`` cells gives both away -
   interval propagation over every line finds a hidden value pinned to one
   number.

Zeros are never hidden (spec: "zero is shown as 0"); secondary suppression
never picks a zero, because hiding a zero protects nothing. The one exception:
when a value stays exposed and nothing is left to hide in its lines (four
persons spread one each over four cells of a ``"<5"`` total), the whole table
is withheld, every value ``"x"``, zeros included (`is_withheld`).

API:

- `show_count(n)`: one count alone (no totals).
- `protect_table(counts, total_row=, total_column=)`: a table of counts; it
  returns the cells *with* the requested totals appended (a total row at the
  bottom, a total column at the right, the grand total in the corner).
- `protect_column(counts)`: one column of counts with its total.
- `protect_values(values, lines)`: counts related by sums of any shape
  (the §10 status table: a total, groups and the values within them).
- `protect_rate(numerator, denominator)`: a rate with its counts; its
  complement (denominator - numerator) is a count of persons too.
- `rate_of(numerator, denominator)`: the rate as shown, ``None`` unless both
  counts are shown.
- `recoverable(table, total_row=, total_column=)`: the audit, for tests and
  for checking a table that was assembled elsewhere.
- `linked_exposed(figures, lines, free=)` and `linked_suppression(...)`: the same
  reader and the same rule over a whole report, where tables share figures (a
  total printed twice) and sums (per team and per intervention over one set).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

THRESHOLD = 5
SMALL = "<5"  # a count from 1 to 4
HIDDEN = "x"  # a count hidden so that a small one cannot be worked out from a total

Shown = int | str


def is_small(count: int) -> bool:
    """True for a count of 1-4 persons: it is never shown."""
    return 0 < count < THRESHOLD


def show_count(count: int) -> Shown:
    """A count standing alone: ``"<5"`` for 1-4, otherwise the number (0 is 0)."""
    if count < 0:
        raise ValueError(f"a count cannot be negative: {count}")
    return SMALL if is_small(count) else count


def is_withheld(table: Sequence[Sequence[Shown]]) -> bool:
    """True for a table withheld whole: nothing in it may be shown."""
    return bool(table) and all(v == HIDDEN for row in table for v in row)


def is_shown(value: Shown) -> bool:
    return isinstance(value, int)


def rate_of(numerator: Shown, denominator: Shown, *, digits: int = 4) -> float | None:
    """The rate built on two shown counts; ``None`` when either is hidden or the denominator is 0."""
    if not (is_shown(numerator) and is_shown(denominator)) or not denominator:
        return None
    return round(numerator / denominator, digits)  # type: ignore[operator]


@dataclass(frozen=True)
class ProtectedRate:
    numerator: Shown
    denominator: Shown
    rate: float | None

    def as_json(self) -> dict:
        return {"numerator": self.numerator, "denominator": self.denominator, "rate": self.rate}


def protect_rate(numerator: int, denominator: int) -> ProtectedRate:
    """A rate with its numerator and denominator after disclosure control.

    The rate's counts form a table ``[numerator, denominator - numerator]`` with
    the denominator as its total: 48 of 50 retained would tell that 2 were not,
    so the numerator is hidden (``"x"``) and the rate is not shown."""
    if not 0 <= numerator <= denominator:
        raise ValueError(f"not a rate: {numerator}/{denominator}")
    (yes,), (_no,), (total,) = protect_table(
        [[numerator], [denominator - numerator]], total_row=True, total_column=False
    )
    return ProtectedRate(yes, total, rate_of(yes, total))


def protect_column(counts: Sequence[int]) -> tuple[list[Shown], Shown]:
    """One column of counts and its total: (cells, total) after disclosure control."""
    table = protect_table([[c] for c in counts], total_row=True, total_column=False)
    return [row[0] for row in table[:-1]], table[-1][0]


def protect_table(
    counts: Sequence[Sequence[int]],
    *,
    total_row: bool,
    total_column: bool,
    hidden: Iterable[tuple[int, int]] = (),
) -> list[list[Shown]]:
    """A table of counts after primary and secondary suppression, with its totals appended.

    `counts` are the inner cells (every row the same length). The totals are
    computed here, so they always add up: with `total_column` each row gets
    its sum at the right; with `total_row` a last row holds the column sums
    (and the grand total when both). A total is a count of persons too and is
    suppressed by the same rules.

    `hidden`: cells (positions in the table with its totals) to hide from the
    start, as ``"x"``: those a report-wide audit found exposed through another
    table (`linked_suppression`). Secondary suppression then protects them too."""
    full = _with_totals(counts, total_row=total_row, total_column=total_column)
    lines = _lines(len(full), len(full[0]) if full else 0, total_row=total_row, total_column=total_column)
    return _protect(full, lines, forced=set(hidden))


def protect_values(values: Sequence[int], lines: Sequence[Sequence[int]], *, hidden: Iterable[int] = ()) -> list[Shown]:
    """Counts related by sums that are not a rectangle (a total, groups and their values).

    Each line lists indexes into `values`, the parts first and their total
    last; the caller makes sure the parts add up to the total. Example, the
    status table of spec §10: ``[enrolled, completed, neither, unknown, total]``
    and ``[preparatory, temporary, neither]`` and each group with its values.
    `hidden`: indexes to hide from the start (see `protect_table`)."""
    for line in lines:
        if sum(values[i] for i in line[:-1]) != values[line[-1]]:
            raise ValueError(f"the parts of line {list(line)} do not add up to its total")
    if any(v < 0 for v in values):
        raise ValueError("a count cannot be negative")
    return _protect([list(values)], [[(0, i) for i in line] for line in lines], forced={(0, i) for i in hidden})[0]


def recoverable_values(shown: Sequence[Shown], lines: Sequence[Sequence[int]]) -> set[int]:
    """`recoverable` for `protect_values`: indexes of hidden values a reader could work out."""
    cells = [[(0, i) for i in line] for line in lines]
    hidden = {(0, i) for i, v in enumerate(shown) if not is_shown(v)}
    primary = {(0, i) for i, v in enumerate(shown) if v == SMALL}
    known = [[v if is_shown(v) else 0 for v in shown]]
    return {c for _, c in _determined(known, cells, hidden, primary)}


def _protect(full: list[list[int]], lines: list[Line], *, forced: set[Cell] | None = None) -> list[list[Shown]]:
    primary = {(r, c) for r, row in enumerate(full) for c, v in enumerate(row) if is_small(v)}
    hidden = primary | (forced or set())
    while True:
        exposed = _single_hidden_lines(full, lines, hidden) or _audit(full, lines, hidden, primary)
        if not exposed:
            break
        added = False
        for line in exposed:
            candidate = _next_smallest(full, line, hidden)
            if candidate is not None:
                hidden.add(candidate)
                added = True
                break
        if not added:
            # Every line of the exposed value is hidden or zero, and the bounds still give it
            # away (four persons in four cells of a "<5" total): the table is withheld whole.
            return [[HIDDEN for _ in row] for row in full]
    return [
        [(SMALL if (r, c) in primary else HIDDEN) if (r, c) in hidden else v for c, v in enumerate(row)]
        for r, row in enumerate(full)
    ]


def recoverable(table: Sequence[Sequence[Shown]], *, total_row: bool, total_column: bool) -> set[tuple[int, int]]:
    """The positions of hidden values in a protected table (totals included) that a reader could work out.

    Only the shown table is used: ``"<5"`` means 1-4, ``"x"`` at least 5."""
    rows = len(table)
    columns = len(table[0]) if rows else 0
    lines = _lines(rows, columns, total_row=total_row, total_column=total_column)
    hidden = {(r, c) for r in range(rows) for c in range(columns) if not is_shown(table[r][c])}
    primary = {(r, c) for (r, c) in hidden if table[r][c] == SMALL}
    known = [[v if is_shown(v) else 0 for v in row] for row in table]
    return _determined(known, lines, hidden, primary)


# --- the whole report: tables linked by shared figures and sums -------------------------------


def linked_exposed(
    figures: Mapping[str, Sequence[Shown]],
    lines: Sequence[Sequence[str]],
    *,
    free: Iterable[str] = (),
) -> set[str]:
    """The hidden figures a reader of every table together could work out.

    `figures`: each figure (a count of persons) by a key that names it wherever it
    appears, with the value shown in each place (a count printed in two tables is
    one key with two entries). `lines`: the sums that hold between figures anywhere
    in the report, parts first and the total last (the rows and columns of every
    table, and the sums that join tables). `free`: keys of sums no table prints
    (for example "active at the start of the quarter plus new"), known to be 0 or
    more; lines of different tables meet through them.

    A figure is exposed when it is hidden in one place and shown in another, or
    when the shown figures, the lines and the bounds ("<5" is 1-4, "x" at least 5)
    fix it (the same reader as `recoverable`, over all tables at once)."""
    free_keys = set(free)
    unknown = {k for line in lines for k in line} - set(figures) - free_keys
    if unknown:
        raise ValueError(f"lines name figures that are neither shown nor free: {sorted(unknown)[:5]}")
    exposed = {k for k, values in figures.items() if any(map(is_shown, values)) and not all(map(is_shown, values))}
    shown = {k: next((v for v in values if is_shown(v)), None) for k, values in figures.items()}
    hidden = {k for k, v in shown.items() if v is None} | free_keys
    primary = {k for k, values in figures.items() if k in hidden and SMALL in values}
    for component in _components(lines, hidden):
        keys = sorted({k for line in component for k in line})
        index = {k: (0, i) for i, k in enumerate(keys)}
        known = [[shown.get(k) or 0 for k in keys]]  # type: ignore[misc]
        found = _determined(
            known,
            [[index[k] for k in line] for line in component],
            {index[k] for k in keys if k in hidden},
            {index[k] for k in keys if k in primary},
            frozenset(index[k] for k in keys if k in free_keys),
        )
        exposed |= {keys[c] for _, c in found}
    return exposed


def linked_suppression(
    values: Mapping[str, int],
    figures: Mapping[str, Sequence[Shown]],
    lines: Sequence[Sequence[str]],
    *,
    free: Iterable[str] = (),
) -> set[str]:
    """One round of report-wide secondary suppression: the keys to hide as well (empty when
    nothing is exposed). `values` are the true counts by key; the rest as `linked_exposed`.

    A figure hidden in one table and shown in another is hidden everywhere. For a
    figure the lines give away, the next-smallest non-zero shown figure of one of
    its lines is hidden (as within a table); when none is left, every figure of its
    lines is. The caller rebuilds its tables with these hidden (each table's own
    secondary suppression then runs again) and asks again, until nothing is exposed."""
    free_keys = set(free)
    exposed = linked_exposed(figures, lines, free=free_keys)
    if not exposed:
        return set()
    shown_everywhere = {k for k, vs in figures.items() if all(map(is_shown, vs))}
    shown_somewhere = {k for k, vs in figures.items() if any(map(is_shown, vs))}
    direct = {k for k in exposed if k in shown_somewhere}
    if direct:
        return direct
    for key in sorted(exposed):
        candidates = [
            (values[k], index == len(line) - 1, k)
            for line in lines
            if key in line
            for index, k in enumerate(line)
            if k in shown_everywhere and k not in free_keys and values[k] > 0
        ]
        if candidates:
            return {min(candidates)[2]}
    return {k for line in lines if set(line) & exposed for k in line if k not in free_keys}


def _components(lines: Sequence[Sequence[str]], hidden: set[str]) -> list[list[Sequence[str]]]:
    """The lines that hold a hidden key, grouped where they share one (independent systems)."""
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    relevant = [line for line in lines if any(k in hidden for k in line)]
    for line in relevant:
        keys = [k for k in line if k in hidden]
        for other in keys[1:]:
            parent[root(other)] = root(keys[0])
    groups: dict[str, list[Sequence[str]]] = {}
    for line in relevant:
        groups.setdefault(root(next(k for k in line if k in hidden)), []).append(line)
    return list(groups.values())


def with_totals(counts: Sequence[Sequence[int]], *, total_row: bool, total_column: bool) -> list[list[int]]:
    """The table of counts with the totals `protect_table` appends (the true values)."""
    return _with_totals(counts, total_row=total_row, total_column=total_column)


def table_lines(rows: int, columns: int, *, total_row: bool, total_column: bool) -> list[list[tuple[int, int]]]:
    """The sums of a table with its totals (`protect_table`'s shape): cells first, the total last."""
    return _lines(rows, columns, total_row=total_row, total_column=total_column)


# --- internals --------------------------------------------------------------------------

Cell = tuple[int, int]
Line = list[Cell]  # inner cells first, the line's total last


def _with_totals(counts: Sequence[Sequence[int]], *, total_row: bool, total_column: bool) -> list[list[int]]:
    rows = [list(row) for row in counts]
    if any(len(row) != len(rows[0]) for row in rows):
        raise ValueError("every row of a table needs the same number of cells")
    if any(v < 0 for row in rows for v in row):
        raise ValueError("a count cannot be negative")
    if total_column:
        rows = [[*row, sum(row)] for row in rows]
    if total_row and rows:
        rows.append([sum(column) for column in zip(*rows, strict=True)])
    return rows


def _lines(rows: int, columns: int, *, total_row: bool, total_column: bool) -> list[Line]:
    lines: list[Line] = []
    if total_column:
        lines += [[(r, c) for c in range(columns)] for r in range(rows)]
    if total_row:
        lines += [[(r, c) for r in range(rows)] for c in range(columns)]
    return lines


def _single_hidden_lines(full: list[list[int]], lines: list[Line], hidden: set[Cell]) -> list[Line]:
    return [line for line in lines if sum(1 for cell in line if cell in hidden) == 1]


def _next_smallest(full: list[list[int]], line: Line, hidden: set[Cell]) -> Cell | None:
    """The smallest non-zero shown value of the line; inner cells before the total on a tie."""
    candidates = [(full[r][c], index == len(line) - 1, (r, c)) for index, (r, c) in enumerate(line)]
    candidates = [entry for entry in candidates if entry[0] > 0 and entry[2] not in hidden]
    return min(candidates)[2] if candidates else None


def _audit(full: list[list[int]], lines: list[Line], hidden: set[Cell], primary: set[Cell]) -> list[Line]:
    """Lines through a hidden value that the shown values give away (steps 3a and 3b)."""
    known = [[0 if (r, c) in hidden else v for c, v in enumerate(row)] for r, row in enumerate(full)]
    exposed = _determined(known, lines, hidden, primary)
    return [line for cell in sorted(exposed) for line in lines if cell in line]


def _determined(
    known: list[list[int]],
    lines: list[Line],
    hidden: set[Cell],
    primary: set[Cell],
    free: frozenset[Cell] = frozenset(),
) -> set[Cell]:
    """Hidden cells a reader can work out. `free` cells are sums no table shows (bounds 0 and
    up), through which lines of different tables meet; they are never reported themselves."""
    if not hidden:
        return set()
    found = _determined_by_rank(lines, hidden) | _determined_by_bounds(known, lines, hidden, primary, free)
    return found - free


def _equations(lines: list[Line], hidden: set[Cell]) -> tuple[list[Cell], list[list[Fraction]]]:
    unknowns = sorted(hidden)
    index = {cell: i for i, cell in enumerate(unknowns)}
    matrix = []
    for line in lines:
        row = [Fraction(0)] * len(unknowns)
        for position, cell in enumerate(line):
            if cell in index:
                row[index[cell]] = Fraction(-1 if position == len(line) - 1 else 1)
        if any(row):
            matrix.append(row)
    return unknowns, matrix


def _row_echelon(matrix: list[list[Fraction]]) -> list[list[Fraction]]:
    """Reduced row echelon form (exact), zero rows dropped."""
    rows = [list(r) for r in matrix]
    width = len(rows[0]) if rows else 0
    pivot_row = 0
    for column in range(width):
        pivot = next((i for i in range(pivot_row, len(rows)) if rows[i][column] != 0), None)
        if pivot is None:
            continue
        rows[pivot_row], rows[pivot] = rows[pivot], rows[pivot_row]
        lead = rows[pivot_row][column]
        rows[pivot_row] = [v / lead for v in rows[pivot_row]]
        for i in range(len(rows)):
            if i != pivot_row and rows[i][column] != 0:
                factor = rows[i][column]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[pivot_row], strict=True)]
        pivot_row += 1
    return rows[:pivot_row]


def _determined_by_rank(lines: list[Line], hidden: set[Cell]) -> set[Cell]:
    """Hidden values fixed by the line equations alone: unit vectors in the row space (step 3a).

    In reduced row echelon form, a unit vector e_i lies in the row space exactly
    when some row is e_i itself."""
    unknowns, matrix = _equations(lines, hidden)
    if not matrix:
        return set()
    found = set()
    for row in _row_echelon(matrix):
        nonzero = [i for i, v in enumerate(row) if v != 0]
        if len(nonzero) == 1:
            found.add(unknowns[nonzero[0]])
    return found


def _determined_by_bounds(
    known: list[list[int]],
    lines: list[Line],
    hidden: set[Cell],
    primary: set[Cell],
    free: frozenset[Cell] = frozenset(),
) -> set[Cell]:
    """Hidden values pinned to one number by the bounds a reader knows (step 3b).

    The bounds ("<5": 1-4, "x": 5 or more) are propagated to a fixed point over
    every line equation and over the reduced combinations of them (the rows of
    the reduced echelon form of the augmented system), which catches the cases
    where a combination of lines and the bounds together pin a value."""
    unknowns = sorted(hidden)
    index = {cell: i for i, cell in enumerate(unknowns)}
    equations: list[list[Fraction]] = []  # coefficients of the unknowns, then the right-hand side
    for line in lines:
        row = [Fraction(0)] * (len(unknowns) + 1)
        for position, (r, c) in enumerate(line):
            sign = -1 if position == len(line) - 1 else 1
            if (r, c) in index:
                row[index[(r, c)]] = Fraction(sign)
            else:
                row[-1] -= sign * known[r][c]
        if any(row[:-1]):
            equations.append(row)
    if not equations:
        return set()
    equations += _row_echelon(equations)
    infinity = Fraction(10**12)  # no upper bound is known for an "x"
    low = [Fraction(0 if cell in free else 1 if cell in primary else THRESHOLD) for cell in unknowns]
    high = [Fraction(THRESHOLD - 1) if cell in primary else infinity for cell in unknowns]
    for _ in range(100):
        changed = False
        for row in equations:
            coefficients, rhs = row[:-1], row[-1]
            terms = [(i, a) for i, a in enumerate(coefficients) if a != 0]
            for target, a in terms:
                # a * x_target = rhs - sum(b * x_i over the others)
                rest_low = sum((b * (low[i] if b > 0 else high[i]) for i, b in terms if i != target), Fraction(0))
                rest_high = sum((b * (high[i] if b > 0 else low[i]) for i, b in terms if i != target), Fraction(0))
                bounds = sorted(((rhs - rest_high) / a, (rhs - rest_low) / a))
                new_low = max(low[target], _ceil(bounds[0]))
                new_high = min(high[target], _floor(bounds[1]))
                if new_low <= new_high and (new_low, new_high) != (low[target], high[target]):
                    low[target], high[target] = new_low, new_high
                    changed = True
        if not changed:
            break
    pinned = {i for i in range(len(unknowns)) if low[i] == high[i]}
    pinned |= _pinned_by_search(_row_echelon(equations), low, high)
    return {unknowns[i] for i in pinned}


SEARCH_LIMIT = 20_000  # assignments of the free unknowns tried at most
SEARCH_SPAN = 8  # values tried per free unknown; a wider domain counts as "could be pinned"


def _pinned_by_search(reduced: list[list[Fraction]], low: list[Fraction], high: list[Fraction]) -> set[int]:
    """Unknowns that take one value only, found by trying the free unknowns of the reduced system.

    Each pivot unknown is an affine function of the free ones; every assignment
    of the free unknowns within their bounds is tried and the pivots checked
    against theirs. Where a free unknown's range was cut to `SEARCH_SPAN`
    values, a pivot seen with one value only is still counted as pinned: the
    caller then hides one value more than needed, never one less."""
    count = len(low)
    pivots = {}
    for row in reduced:
        lead = next(i for i in range(count) if row[i] != 0)
        pivots[lead] = row
    free = [i for i in range(count) if i not in pivots]
    ranges = []
    truncated = False
    for i in free:
        span = int(min(high[i], low[i] + SEARCH_SPAN - 1) - low[i]) + 1
        truncated |= high[i] > low[i] + SEARCH_SPAN - 1
        ranges.append([low[i] + k for k in range(span)])
    size = 1
    for values in ranges:
        size *= len(values)
    if size > SEARCH_LIMIT:
        return set()
    seen: list[set[Fraction]] = [set() for _ in range(count)]
    for assignment in itertools.product(*ranges):
        values = dict(zip(free, assignment, strict=True))
        feasible = True
        for lead, row in pivots.items():
            value = row[-1] - sum((row[j] * values[j] for j in free if row[j] != 0), Fraction(0))
            if not (low[lead] <= value <= high[lead]) or value.denominator != 1:
                feasible = False
                break
            values[lead] = value
        if feasible:
            for i, value in values.items():
                seen[i].add(value)
    pinned = {i for i in range(count) if len(seen[i]) == 1}
    if truncated:
        pinned |= {i for i in pivots if len(seen[i]) == 1}
    return pinned


def _ceil(value: Fraction) -> Fraction:
    return Fraction(-((-value.numerator) // value.denominator))


def _floor(value: Fraction) -> Fraction:
    return Fraction(value.numerator // value.denominator)
