"""Who may reach the audit pages: a young person's change history, access
report and data export (her workers and their leader), and the access-log
review (team leaders and administrators only)."""

from __future__ import annotations

from tests.url_access import LOGIN, PERSONAL, Row, no_args, own_person, roles

REVIEW = roles(LOGIN, 403, 200, 403, 403, 200)

ROWS: dict[str, Row] = {
    "cases:change_history": Row("get", own_person, PERSONAL),
    "cases:access_report": Row("get", own_person, PERSONAL),
    "cases:access_report_csv": Row("get", own_person, PERSONAL),
    "cases:data_export": Row("post", own_person, PERSONAL),
    "cases:access_log_review": Row("get", no_args, REVIEW),
}
