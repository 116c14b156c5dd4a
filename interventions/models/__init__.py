"""Intervention models, one module per sub-domain (CONVENTIONS: split by
sub-domain, not by layer). Each module's models are re-exported here so that
Django finds them and `from interventions.models import X` keeps working."""

from interventions.models.types import ContactNorm, InterventionType

__all__ = ["ContactNorm", "InterventionType"]
