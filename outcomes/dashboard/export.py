"""The work lists as CSV for the leader: UTF-8 with a byte-order mark so Excel
reads the Danish letters, comma-separated with fields quoted where needed, and
every cell that a spreadsheet would read as a formula (starting with = + - @,
a tab or a carriage return) prefixed with an apostrophe."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _

from outcomes.dashboard.data import WORK_LISTS, WorkItem

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def work_lists_csv(items: Iterable[WorkItem], *, worker_names: dict[int, str]) -> str:
    labels = {code: str(label) for code, label in WORK_LISTS}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("List"), _("Name"), _("Primary worker"), _("What"), _("Date"), _("Overdue")])
    for item in items:
        writer.writerow(
            [
                safe_cell(value)
                for value in (
                    labels[item.list_code],
                    item.who,
                    worker_names.get(item.worker_id, "") if item.worker_id else "",
                    item.what,
                    item.date.isoformat() if item.date else "",
                    _("yes") if item.overdue else "",
                )
            ]
        )
    return BOM + buffer.getvalue()
