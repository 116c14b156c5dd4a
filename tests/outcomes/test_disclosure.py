"""Disclosure control of spec §11: hand-worked tables, and a brute-force reader who tries every value."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from outcomes.disclosure import (
    HIDDEN,
    SMALL,
    Shown,
    is_shown,
    is_withheld,
    linked_exposed,
    linked_suppression,
    protect_column,
    protect_rate,
    protect_table,
    protect_values,
    rate_of,
    recoverable,
    recoverable_values,
    show_count,
)

# --- primary suppression ---------------------------------------------------------------------


@pytest.mark.parametrize(("count", "shown"), [(0, 0), (1, "<5"), (4, "<5"), (5, 5), (123, 123)])
def test_a_count_of_one_to_four_is_shown_as_less_than_five_and_zero_as_zero(count, shown):
    assert show_count(count) == shown


def test_a_negative_count_is_a_programming_error():
    with pytest.raises(ValueError):
        show_count(-1)


def test_a_rate_on_a_small_numerator_is_not_shown():
    rate = protect_rate(3, 40)
    assert (rate.numerator, rate.denominator, rate.rate) == (SMALL, 40, None)


def test_a_rate_whose_complement_is_small_hides_its_numerator():
    # 48 of 50 retained would tell that 2 were not.
    rate = protect_rate(48, 50)
    assert (rate.numerator, rate.denominator, rate.rate) == (HIDDEN, 50, None)


def test_a_rate_on_a_small_denominator_is_not_shown():
    rate = protect_rate(2, 3)
    assert rate.denominator == SMALL and rate.rate is None and not is_shown(rate.numerator)


def test_a_rate_of_zero_and_of_all_is_shown():
    assert protect_rate(0, 30).as_json() == {"numerator": 0, "denominator": 30, "rate": 0.0}
    assert protect_rate(30, 30).as_json() == {"numerator": 30, "denominator": 30, "rate": 1.0}
    assert protect_rate(0, 0).as_json() == {"numerator": 0, "denominator": 0, "rate": None}
    assert protect_rate(12, 40).rate == 0.3


def test_rate_of_needs_both_counts_shown():
    assert rate_of(SMALL, 10) is None and rate_of(5, HIDDEN) is None and rate_of(5, 0) is None
    assert rate_of(5, 20) == 0.25


# --- secondary suppression ------------------------------------------------------------------


def test_a_column_with_its_total_hides_the_next_smallest_count():
    cells, total = protect_column([3, 40, 12, 0])
    assert cells == [SMALL, 40, HIDDEN, 0]
    assert total == 55


def test_a_column_without_small_counts_is_shown_whole():
    assert protect_column([10, 0, 7]) == ([10, 0, 7], 17)


def test_two_small_counts_in_a_column_protect_each_other_unless_the_bounds_give_them_away():
    # 1 + 1 = 2 with the rest shown: two "<5" summing to 2 can only be 1 and 1.
    cells, total = protect_column([1, 1, 30])
    assert cells.count(SMALL) == 2 and cells[2] == HIDDEN
    cells, total = protect_column([2, 3, 30])  # 5 = 1+4 = 2+3 = ...: safe as it is
    assert cells == [SMALL, SMALL, 30] and total == 35


def test_a_table_with_both_totals_hides_a_second_cell_in_the_row_and_the_column():
    table = protect_table([[3, 20, 30], [15, 25, 40], [18, 22, 50]], total_row=True, total_column=True)
    assert table[0][0] == SMALL
    # the row of the 3 and its column each lose another value, and so on until every line is safe
    assert sum(1 for v in table[0] if not is_shown(v)) >= 2
    assert sum(1 for row in table if not is_shown(row[0])) >= 2
    assert recoverable(table, total_row=True, total_column=True) == set()
    assert table[3][3] == 3 + 20 + 30 + 15 + 25 + 40 + 18 + 22 + 50


def test_a_table_whose_bounds_give_it_away_is_withheld_whole():
    # four persons, one in each cell, and a grand total below five: each "<5" can only be 1
    table = protect_table([[1, 1], [1, 1]], total_row=True, total_column=True)
    assert is_withheld(table) and table == [[HIDDEN] * 3] * 3


def test_a_small_total_is_suppressed_too():
    table = protect_table([[2, 0], [0, 1]], total_row=True, total_column=True)
    assert table == [[SMALL, 0, SMALL], [0, SMALL, SMALL], [SMALL, SMALL, SMALL]]


def test_zeros_are_never_hidden():
    table = protect_table([[3, 0, 0], [0, 0, 9], [7, 0, 8]], total_row=True, total_column=True)
    assert all(table[r][c] == 0 for r, c in [(0, 1), (0, 2), (1, 0), (1, 1), (2, 1)])
    assert recoverable(table, total_row=True, total_column=True) == set()


def test_a_bridge_between_two_blocks_of_hidden_cells_is_found_by_the_rank_test():
    # Rows 0-1 x columns 0-1 hidden as a block, rows 2-3 x columns 2-3 as another, and the
    # cell (1, 2) between them: adding the totals of rows 0-1 and subtracting those of
    # columns 0-1 gives (1, 2) away although every line holds at least two hidden values.
    table = [
        [SMALL, SMALL, 10, 10, "t0"],
        [SMALL, SMALL, HIDDEN, 10, "t1"],
        [10, 10, SMALL, SMALL, "t2"],
        [10, 10, SMALL, SMALL, "t3"],
    ]
    inner = [[1, 2, 10, 10], [3, 4, 6, 10], [10, 10, 1, 2], [10, 10, 3, 4]]
    for r, row in enumerate(inner):
        table[r][4] = sum(row)
    table.append([sum(column) for column in zip(*[row[:4] for row in inner], strict=True)] + [sum(map(sum, inner))])
    assert (1, 2) in recoverable(table, total_row=True, total_column=True)
    assert (
        recoverable(protect_table(inner, total_row=True, total_column=True), total_row=True, total_column=True) == set()
    )


def test_a_table_without_totals_only_needs_primary_suppression():
    assert protect_table([[3, 9], [0, 12]], total_row=False, total_column=False) == [[SMALL, 9], [0, 12]]


def test_rows_of_unequal_length_are_refused():
    with pytest.raises(ValueError):
        protect_table([[1, 2], [3]], total_row=True, total_column=False)


# --- the brute-force reader -----------------------------------------------------------------


def _lines(rows: int, columns: int, *, total_row: bool, total_column: bool) -> list[list[tuple[int, int]]]:
    lines = []
    if total_column:
        lines += [[(r, c) for c in range(columns)] for r in range(rows)]
    if total_row:
        lines += [[(r, c) for r in range(rows)] for c in range(columns)]
    return lines


def alternatives_exist(
    shown: Sequence[Sequence[int | str]], truth: Sequence[Sequence[int]], *, total_row: bool, total_column: bool
) -> dict[tuple[int, int], bool]:
    """For each hidden value: is there a table consistent with everything shown in which it differs?

    Written independently of the module: a reader who knows "<5" is 1-4 and "x" at least 5
    tries every assignment (x up to a bound above every true value) line by line."""
    rows, columns = len(shown), len(shown[0])
    lines = _lines(rows, columns, total_row=total_row, total_column=total_column)
    hidden = [(r, c) for r in range(rows) for c in range(columns) if not isinstance(shown[r][c], int)]
    ceiling = max(max(row) for row in truth) + 5
    domain = {cell: range(1, 5) if shown[cell[0]][cell[1]] == SMALL else range(5, ceiling + 1) for cell in hidden}
    result = dict.fromkeys(hidden, False)

    def consistent(values: dict) -> bool:
        for line in lines:
            *cells, total = line
            if all(c in values or isinstance(shown[c[0]][c[1]], int) for c in line):
                get = lambda c: values.get(c, shown[c[0]][c[1]])  # noqa: E731
                if sum(get(c) for c in cells) != get(total):
                    return False
        return True

    def search(index: int, values: dict) -> None:
        if all(result.values()):
            return
        if index == len(hidden):
            for cell, value in values.items():
                if value != truth[cell[0]][cell[1]]:
                    result[cell] = True
            return
        cell = hidden[index]
        for value in domain[cell]:
            values[cell] = value
            if consistent(values):
                search(index + 1, values)
            del values[cell]

    search(0, {})
    return result


def full_table(counts, *, total_row, total_column):
    rows = [list(r) for r in counts]
    if total_column:
        rows = [[*r, sum(r)] for r in rows]
    if total_row:
        rows.append([sum(c) for c in zip(*rows, strict=True)])
    return rows


# Small enough for the brute-force reader to finish (its search is exponential in the
# hidden cells and their range): up to 2 x 2 counts plus totals still holds every
# shape of primary and secondary suppression the tables have.
counts_strategy = st.integers(1, 2).flatmap(
    lambda columns: st.lists(
        st.lists(st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 9]), min_size=columns, max_size=columns),
        min_size=1,
        max_size=2,
    )
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counts=counts_strategy, total_row=st.booleans(), total_column=st.booleans())
def test_no_hidden_value_can_be_recovered_by_a_reader_who_tries_every_value(counts, total_row, total_column):
    shown = protect_table(counts, total_row=total_row, total_column=total_column)
    truth = full_table(counts, total_row=total_row, total_column=total_column)
    if is_withheld(shown):
        return  # nothing shown, nothing to recover
    # shown values are the true ones; every 1-4 is "<5"; zeros are shown
    for r, row in enumerate(truth):
        for c, value in enumerate(row):
            if 1 <= value <= 4:
                assert shown[r][c] == SMALL
            elif value == 0 or isinstance(shown[r][c], int):
                assert shown[r][c] == value
    # a line never holds exactly one hidden value
    for line in _lines(len(truth), len(truth[0]), total_row=total_row, total_column=total_column):
        hidden_in_line = sum(1 for r, c in line if not is_shown(shown[r][c]))
        if hidden_in_line == 1:
            (cell,) = [(r, c) for r, c in line if not is_shown(shown[r][c])]
            pytest.fail(f"{cell} recoverable by subtraction in {shown}")
    # and no combination of lines and bounds gives a hidden value away
    found = alternatives_exist(shown, truth, total_row=total_row, total_column=total_column)
    assert all(found.values()), f"recoverable: {[c for c, ok in found.items() if not ok]} in {shown}"
    assert recoverable(shown, total_row=total_row, total_column=total_column) == set()


# --- counts related by sums of any shape (the status table of spec §10) ----------------------

STATUS_LINES = [[0, 1, 2, 3, 4], [5, 6, 2], [7, 8, 5], [9, 10, 6]]  # total; neither; preparatory; temporary


def test_a_hierarchy_of_groups_hides_a_second_value_in_the_same_group():
    # enrolled, completed, neither, unknown, total, preparatory, temporary, prep a, prep b, temp a, temp b
    values = [40, 30, 20, 0, 90, 12, 8, 3, 9, 6, 2]
    shown = protect_values(values, STATUS_LINES)
    assert shown[7] == SMALL and shown[10] == SMALL
    assert shown[8] == HIDDEN and shown[9] == HIDDEN  # the next-smallest in each group
    assert shown[:5] == [40, 30, 20, 0, 90] and shown[5:7] == [12, 8]
    assert recoverable_values(shown, STATUS_LINES) == set()


def test_parts_that_do_not_add_up_are_refused():
    with pytest.raises(ValueError):
        protect_values([1, 2, 4], [[0, 1, 2]])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(st.lists(st.sampled_from([0, 0, 1, 2, 3, 5, 7, 12]), min_size=6, max_size=6), st.sampled_from([0, 3, 9]))
def test_no_value_of_a_status_table_can_be_recovered(leaves, unknown):
    prep_a, prep_b, temp_a, temp_b, enrolled, completed = leaves
    prep, temp = prep_a + prep_b, temp_a + temp_b
    neither = prep + temp
    total = enrolled + completed + neither + unknown
    values = [enrolled, completed, neither, unknown, total, prep, temp, prep_a, prep_b, temp_a, temp_b]
    shown = protect_values(values, STATUS_LINES)
    if all(v == HIDDEN for v in shown):
        return
    # brute force: every assignment of the hidden values consistent with the lines and the bounds
    hidden = [i for i, v in enumerate(shown) if not is_shown(v)]
    ceiling = max(values) + 5
    domains = [range(1, 5) if shown[i] == SMALL else range(5, ceiling + 1) for i in hidden]
    size = 1
    for domain in domains:
        size *= len(domain)
    assume(size <= 20_000)
    seen = {i: set() for i in hidden}
    for assignment in itertools.product(*domains):
        candidate = list(shown)
        for i, v in zip(hidden, assignment, strict=True):
            candidate[i] = v
        if all(sum(candidate[i] for i in line[:-1]) == candidate[line[-1]] for line in STATUS_LINES):
            for i, v in zip(hidden, assignment, strict=True):
                seen[i].add(v)
    assert all(len(values_seen) >= 2 for values_seen in seen.values()), (values, shown, seen)


larger_tables = st.integers(1, 4).flatmap(
    lambda columns: st.lists(
        st.lists(st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 8, 11, 17]), min_size=columns, max_size=columns),
        min_size=1,
        max_size=4,
    )
)


@settings(max_examples=200, deadline=None)
@given(counts=larger_tables, total_row=st.booleans(), total_column=st.booleans())
def test_larger_tables_leave_no_line_with_one_hidden_value(counts, total_row, total_column):
    """The brute-force reader above is exponential, so larger tables are held to the
    checks that scale: no line with exactly one hidden value, and nothing the module's
    own reader (subtraction, combined lines, bounds) can work out."""
    shown = protect_table(counts, total_row=total_row, total_column=total_column)
    if is_withheld(shown):
        return
    for line in _lines(len(shown), len(shown[0]), total_row=total_row, total_column=total_column):
        assert sum(1 for r, c in line if not is_shown(shown[r][c])) != 1, shown
    assert recoverable(shown, total_row=total_row, total_column=total_column) == set()


# --- tables that share figures: the report-wide reader ---------------------------------------


def protect_linked_columns(a: list[int], b: list[int]) -> tuple[list[Shown], list[Shown]]:
    """Two columns over the same persons (per intervention, per team) with one total, protected
    as the report does: each table alone, then `linked_suppression` until nothing is exposed."""
    values = {**{f"a{i}": v for i, v in enumerate(a)}, **{f"b{i}": v for i, v in enumerate(b)}, "T": sum(a)}
    lines = [[*(f"a{i}" for i in range(len(a))), "T"], [*(f"b{i}" for i in range(len(b))), "T"]]
    hidden: set[str] = set()
    while True:
        shown = {}
        for name, column in (("a", a), ("b", b)):
            forced = [(i, 0) for i in range(len(column)) if f"{name}{i}" in hidden]
            forced += [(len(column), 0)] if "T" in hidden else []
            grid = protect_table([[v] for v in column], total_row=True, total_column=False, hidden=forced)
            shown[name] = [row[0] for row in grid]
        figures = {f"a{i}": [v] for i, v in enumerate(shown["a"][:-1])}
        figures |= {f"b{i}": [v] for i, v in enumerate(shown["b"][:-1])}
        figures["T"] = [shown["a"][-1], shown["b"][-1]]
        more = linked_suppression(values, figures, lines)
        if not more:
            return shown["a"], shown["b"]
        hidden |= more


def test_a_total_hidden_in_one_table_is_not_shown_in_the_other():
    # Six persons: per intervention 0 and 6, per team 1 and 5. Alone, the intervention table
    # shows everything (total 6) and the team table hides 1, 5 and its total; together the
    # total 6 gives the team table away (1 + 5 with "<5" and "x": only 1 and 5 fit).
    a_alone = protect_table([[0], [6]], total_row=True, total_column=False)
    b_alone = protect_table([[1], [5]], total_row=True, total_column=False)
    assert [r[0] for r in a_alone] == [0, 6, 6] and [r[0] for r in b_alone] == [SMALL, HIDDEN, HIDDEN]
    figures = {"a0": [0], "a1": [6], "b0": [SMALL], "b1": [HIDDEN], "T": [6, HIDDEN]}
    assert linked_exposed(figures, [["a0", "a1", "T"], ["b0", "b1", "T"]]) == {"T", "b0", "b1"}
    # together: the total is hidden in both, so the intervention table hides its 6 as well,
    # and the team table may show its 5 again (the total is 6-9 for all a reader knows)
    a, b = protect_linked_columns([0, 6], [1, 5])
    assert a == [0, HIDDEN, HIDDEN] and b == [SMALL, 5, HIDDEN]


def test_a_figure_hidden_in_one_table_and_shown_in_another_is_exposed():
    figures = {"a0": [SMALL], "a1": [HIDDEN], "T": [40, HIDDEN]}
    assert linked_exposed(figures, [["a0", "a1", "T"]]) == {"T"}
    # and a sum across tables through a figure no table prints (bounded below by 0 only)
    # p + n = F = q + e: 10 + n = 7 + e with n and e in 1-4 leaves only n = 1, e = 4
    figures = {"p": [10], "n": [SMALL], "e": [SMALL], "q": [7]}
    assert linked_exposed(figures, [["p", "n", "F"], ["q", "e", "F"]], free={"F"}) == {"n", "e"}
    figures["q"] = [9]  # 10 + n = 9 + e: n 1-3, e 2-4, nothing fixed
    assert linked_exposed(figures, [["p", "n", "F"], ["q", "e", "F"]], free={"F"}) == set()
    with pytest.raises(ValueError):
        linked_exposed(figures, [["p", "unknown"]])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from([0, 1, 2, 3, 4, 5, 6, 9]), min_size=1, max_size=3),
    st.lists(st.sampled_from([0, 1, 2, 3, 4, 5, 6, 9]), min_size=1, max_size=3),
)
def test_no_value_of_two_tables_sharing_a_total_can_be_recovered(a, b):
    total = sum(a)
    assume(sum(b) <= total)
    b = [*b[:-1], b[-1] + total - sum(b)]  # the same persons, split another way
    shown_a, shown_b = protect_linked_columns(a, b)
    assert (shown_a[-1] == shown_b[-1]) or (not is_shown(shown_a[-1]) and not is_shown(shown_b[-1]))
    if all(not is_shown(v) for v in shown_a + shown_b):
        return
    # the reader: every assignment of the hidden values that fits both columns and the bounds
    cells = [("a", i) for i in range(len(a))] + [("b", i) for i in range(len(b))] + [("T", 0)]
    truth = {("a", i): v for i, v in enumerate(a)} | {("b", i): v for i, v in enumerate(b)} | {("T", 0): total}
    printed = {("a", i): v for i, v in enumerate(shown_a[:-1])} | {("b", i): v for i, v in enumerate(shown_b[:-1])}
    printed[("T", 0)] = shown_a[-1] if is_shown(shown_a[-1]) else shown_b[-1]
    hidden = [c for c in cells if not is_shown(printed[c])]
    domains = [range(1, 5) if printed[c] == SMALL else range(5, total + 6) for c in hidden]
    seen: dict = {c: set() for c in hidden}
    for assignment in itertools.product(*domains):
        values = {c: printed[c] for c in cells if c not in hidden} | dict(zip(hidden, assignment, strict=True))
        if (
            sum(values[("a", i)] for i in range(len(a)))
            == values[("T", 0)]
            == sum(values[("b", i)] for i in range(len(b)))
        ):
            for c in hidden:
                seen[c].add(values[c])
    assert all(truth[c] in seen[c] for c in hidden)  # the truth is among the reader's candidates
    assert all(len(v) >= 2 for v in seen.values()), (a, b, shown_a, shown_b, seen)
