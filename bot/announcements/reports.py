"""Where an announcement stands, counted from its outbox rows: for the admin's report and
/stats."""

from __future__ import annotations

from dataclasses import dataclass, field

import aiosqlite

from bot.announcements.outbox import SENT

REPORT_FAILURES = 10  # failed chats listed in a report


@dataclass
class Delivery:
    """Where one announcement stands, for reports and /stats."""

    announcement_id: int
    status: str
    sent: int = 0
    failed: int = 0
    pending: int = 0
    retracted: int = 0
    retract_failed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (chat, last error)


async def delivery(db: aiosqlite.Connection, announcement_id: int) -> Delivery | None:
    async with db.execute(
        "SELECT status FROM announcements WHERE id = ?", (announcement_id,)
    ) as cursor:
        row = await cursor.fetchone()
    if row is None:
        return None
    report = Delivery(announcement_id, row["status"])
    async with db.execute(
        "SELECT status, COUNT(*) AS n FROM outbox WHERE announcement_id = ? GROUP BY status",
        (announcement_id,),
    ) as cursor:
        counts = {r["status"]: r["n"] for r in await cursor.fetchall()}
    report.sent = sum(counts.get(status, 0) for status in SENT)
    report.failed = counts.get("failed", 0)
    report.pending = counts.get("pending", 0) + counts.get("sending", 0)
    report.retracted = counts.get("retracted", 0)
    report.retract_failed = counts.get("retract_failed", 0)
    async with db.execute(
        "SELECT o.chat_id, c.title, o.last_error FROM outbox o "
        "LEFT JOIN chats c ON c.chat_id = o.chat_id WHERE o.announcement_id = ? "
        "AND o.status IN ('failed', 'retract_failed') ORDER BY o.rowid LIMIT ?",
        (announcement_id, REPORT_FAILURES),
    ) as cursor:
        report.failures = [(r["title"] or str(r["chat_id"]), r["last_error"] or "")
                           for r in await cursor.fetchall()]
    return report
