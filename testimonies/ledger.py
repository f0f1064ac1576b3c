"""The withdrawal ledger: public ids and dates, in a table and in a file outside the database.

The table is what reviewers see in the admin. The file is what survives a
restore: an old backup brings back an old table (without the withdrawals made
since), but not an old file. Each line is one JSON object,
``{"public_id": "T-0042", "withdrawn_at": "2026-01-31T09:15:00+00:00"}``;
nothing else is ever written, so the ledger cannot leak what was withdrawn.
"""

import fcntl
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings

from testimonies.models import Withdrawal


@dataclass(frozen=True, order=True)
class LedgerEntry:
    withdrawn_at: datetime
    public_id: str


def ledger_path() -> Path:
    return Path(settings.ARCHIVE_WITHDRAWAL_LEDGER)


def append_to_file(entry: LedgerEntry) -> None:
    """Append one line and flush it to disk before the withdrawal commits.

    Written before the commit on purpose: if the commit then fails, the line
    names a record whose consent was withdrawn anyway, and re-applying it
    erases what should be erased; the other order could lose a withdrawal.
    """
    path = ledger_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(
        {"public_id": entry.public_id, "withdrawn_at": entry.withdrawn_at.isoformat()}
    )
    with path.open("a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def read_file() -> list[LedgerEntry]:
    """Entries in the ledger file; a missing file is an empty ledger.

    A line that cannot be read stops the command with its line number: a
    damaged ledger must be looked at, not half-applied in silence.
    """
    path = ledger_path()
    if not path.exists():
        return []
    entries = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                entries.append(
                    LedgerEntry(
                        public_id=str(row["public_id"]),
                        withdrawn_at=datetime.fromisoformat(row["withdrawn_at"]),
                    )
                )
            except (ValueError, KeyError, TypeError) as error:
                raise ValueError(f"{path}, line {number}: not a ledger entry ({error}).") from None
    return entries


def read_table() -> list[LedgerEntry]:
    return [
        LedgerEntry(public_id=public_id, withdrawn_at=withdrawn_at)
        for public_id, withdrawn_at in Withdrawal.objects.values_list("public_id", "withdrawn_at")
    ]


def all_entries() -> list[LedgerEntry]:
    """File and table together, one entry per public id (the earliest date), oldest first."""
    earliest: dict[str, LedgerEntry] = {}
    for entry in [*read_file(), *read_table()]:
        known = earliest.get(entry.public_id)
        if known is None or entry.withdrawn_at < known.withdrawn_at:
            earliest[entry.public_id] = entry
    return sorted(earliest.values())
