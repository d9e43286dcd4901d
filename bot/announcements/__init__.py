"""Announcements: their words, the crash-safe outbox, and the paced sender."""
