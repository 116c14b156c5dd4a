"""Relationship work (seed 000): group activities with attendance, flags for
individual follow-up, and bridging to other services."""
