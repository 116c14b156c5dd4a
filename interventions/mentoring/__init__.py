"""Mentoring (seeds 001 and 002): volunteer mentors and mentor families, their
screening, matches with young people, and the mentors' group sessions."""
