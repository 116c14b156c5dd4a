"""Who may reach the quarterly report pages (outcomes/reports): analysts and administrators."""

from __future__ import annotations

from outcomes.models import ReportRun
from tests.conftest import World
from tests.url_access import LOGIN, Row, no_args, roles

ANALYSTS = roles(LOGIN, 403, 403, 403, 200, 200)


def done_run(world: World) -> dict:
    run, _ = ReportRun.objects.get_or_create(
        quarter="2026Q1",
        scope="municipality",
        language="da",
        definitions_version="test",
        defaults={"status": ReportRun.Status.DONE, "pdf": b"%PDF-1.7 test", "pages": 1, "requested_by": world.analyst},
    )
    return {"pk": run.pk}


ROWS = {
    "outcomes:reports": Row("get", no_args, ANALYSTS),
    # an empty form is refused with 400 for those who may ask at all
    "outcomes:report_request": Row("post", no_args, roles(LOGIN, 403, 403, 403, 400, 400)),
    "outcomes:report_detail": Row("get", done_run, ANALYSTS),
    "outcomes:report_status": Row("get", done_run, ANALYSTS),
    "outcomes:report_download": Row("get", done_run, ANALYSTS),
}
