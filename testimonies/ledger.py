"""The withdrawal ledger: public ids and dates, in a table and in a file outside the database.

The table is what reviewers see in the admin. The file is what survives a
restore: an old backup brings back an old table (without the withdrawals made
since), but not an old file. Each line is one JSON object,
``{"public_id": "T-0042", "withdrawn_at": "2026-01-31T09:15:00+00:00"}``, and
for an imported record also ``"import_key_sha256"``, the fingerprint that
keeps the import from bringing it back; lines written before fingerprints
existed have none and are read as they are. Nothing else is ever written, so
the ledger cannot leak what was withdrawn.
"""

import fcntl
import hashlib
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings

from testimonies.models import Withdrawal

# The file's name for the fingerprint says what it is, so that anyone reading
# the file in years to come can check a key against it without this code.
FINGERPRINT_KEY = "import_key_sha256"


def import_key_fingerprint(key: str) -> str:
    """A one-way fingerprint of an import key: SHA-256 of the key, normalised.

    A plain hash and not an HMAC keyed on SECRET_KEY: the fingerprint has to
    match for as long as the ledger lives, through restores into fresh
    databases and on other machines, and SECRET_KEY is rotated (and is not in
    the backups). A keyed fingerprint would stop matching after a rotation and
    the withdrawn testimony could be imported again, silently; that is the
    one failure this exists to prevent. The price: someone holding the ledger
    can test a guessed key against it. An import key is the editors' row
    label, not the narrator's words, and the ledger already names the
    withdrawn public id, so a guess confirms little; the key's text is still
    never written anywhere.

    Normalised (Unicode NFKC, case and runs of white space folded) more
    loosely than the importer matches keys, so a re-typed or re-exported
    spreadsheet with ``IMP-0001 `` for ``imp-0001`` is still refused: a
    false refusal costs an editor a question, a false match a narrator.
    """
    normal = " ".join(unicodedata.normalize("NFKC", key).casefold().split())
    # The prefix keeps these hashes apart from any other SHA-256 of the same text.
    return hashlib.sha256(f"testimony-import-key:{normal}".encode()).hexdigest()


@dataclass(frozen=True, order=True)
class LedgerEntry:
    withdrawn_at: datetime
    public_id: str
    import_key_fingerprint: str = ""


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
    row = {"public_id": entry.public_id, "withdrawn_at": entry.withdrawn_at.isoformat()}
    if entry.import_key_fingerprint:
        row[FINGERPRINT_KEY] = entry.import_key_fingerprint
    line = json.dumps(row)
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
                fingerprint = str(row.get(FINGERPRINT_KEY) or "")
                if fingerprint and not re.fullmatch(r"[0-9a-f]{64}", fingerprint):
                    raise ValueError(f"{FINGERPRINT_KEY} is not a SHA-256 in hex")
                entries.append(
                    LedgerEntry(
                        public_id=str(row["public_id"]),
                        withdrawn_at=datetime.fromisoformat(row["withdrawn_at"]),
                        import_key_fingerprint=fingerprint,
                    )
                )
            except (ValueError, KeyError, TypeError) as error:
                raise ValueError(f"{path}, line {number}: not a ledger entry ({error}).") from None
    return entries


def read_table() -> list[LedgerEntry]:
    return [
        LedgerEntry(public_id=public_id, withdrawn_at=when, import_key_fingerprint=fingerprint)
        for public_id, when, fingerprint in Withdrawal.objects.values_list(
            "public_id", "withdrawn_at", "import_key_fingerprint"
        )
    ]


def all_entries() -> list[LedgerEntry]:
    """File and table together, one entry per public id, oldest first.

    Each entry has the earliest date either side knows, and the fingerprint
    whichever side has one (the file may carry one an old table lacks).
    """
    merged: dict[str, LedgerEntry] = {}
    for entry in [*read_file(), *read_table()]:
        known = merged.get(entry.public_id)
        if known is None:
            merged[entry.public_id] = entry
            continue
        merged[entry.public_id] = LedgerEntry(
            public_id=entry.public_id,
            withdrawn_at=min(known.withdrawn_at, entry.withdrawn_at),
            import_key_fingerprint=known.import_key_fingerprint or entry.import_key_fingerprint,
        )
    return sorted(merged.values())


def withdrawn_import_keys() -> set[str]:
    """The fingerprints of every withdrawn record's import key, file and table together.

    The file is read too: after restoring an old backup, and before the
    ledger is re-applied, only the file knows the latest withdrawals. A
    damaged file raises, so an import stops rather than checking half a list.
    """
    return {
        entry.import_key_fingerprint
        for entry in [*read_file(), *read_table()]
        if entry.import_key_fingerprint
    }
