"""Assessments on the young person's page: recording an instrument, the chart of
scores over time, and recording an education or housing status change."""
