"""Outcome instruments: models (re-exported by outcomes.models), scoring and the write services."""
