"""The interventions' API: one module per method, one router (urls.py)."""
