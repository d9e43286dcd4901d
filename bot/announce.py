"""Announcements: the outbox that survives restarts (filled in by the announcements work)."""
