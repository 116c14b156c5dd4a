"""The indicator engine of spec/indicators.md: one computation for the command, the API, pages and reports.

- `weeks`: local ISO weeks, the window and the Thursday rule for quarters.
- `contacts`: the database side, contacts grouped by enrolment and local week.
- `engine`: per-enrolment indicators (spec §§4-8).
- `aggregates`: aggregates (spec §9) and the `indicators` JSON document.
- `store`: the weekly fact table and indicator snapshots, written idempotently.
"""
