"""Who may reach the indicators API: workers and leaders (their scope), analysts (aggregates only)."""

from __future__ import annotations

from tests.url_access import Row, no_args, roles

ROWS: dict[str, Row] = {
    "indicator-list": Row("get", no_args, roles(401, 200, 200, 200, 200, 403)),
}
