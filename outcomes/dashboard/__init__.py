"""The team leader's caseload dashboard (issue 5): headline figures, caseload per
worker, a contact heatmap, work lists, a trend over four quarters and a CSV
export of the work lists. It reads the stored indicator rows
(IndicatorSnapshot, WeeklyContactFact) and adds them up with
`outcomes.indicators.aggregates.aggregate`; it never recomputes a number.

- `scope`: who may see which team's dashboard, and in which mode.
- `data`: the reads, a fixed number of queries however large the team.
- `charts`: the trend as server-side SVG.
- `export`: the work lists as CSV, safe for spreadsheets.
- `disclosure`: small counts for analysts (until `outcomes.disclosure` exists).
"""
