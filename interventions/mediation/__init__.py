"""Mediation between young people (002:L3366-4535): services, selectors, forms, views."""
