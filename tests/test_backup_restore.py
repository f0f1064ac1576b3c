"""make backup / make restore: a restored database equals the original, withdrawals included."""

import json
import os
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.support import import_files
from tests.support.scratch import ROOT, manage


def make(target: str, database_url: str, env: dict[str, str], **kwargs) -> str:
    """Run a Makefile target against a scratch database, as an operator would."""
    result = subprocess.run(
        ["make", "-s", target, *kwargs.pop("args", [])],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "archive.settings.test",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=900,
        **kwargs,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def digest(database_url: str) -> dict[str, str]:
    return json.loads(manage(database_url, "content_digest").stdout)


def test_restore_into_an_empty_database_reapplies_later_withdrawals(scratch_databases, tmp_path):
    original = scratch_databases.new()
    backups = tmp_path / "backups"
    env = {
        "ARCHIVE_WITHDRAWAL_LEDGER": str(tmp_path / "withdrawals.jsonl"),
        "ARCHIVE_BACKUP_DIR": str(backups),
    }
    output = make("backup", original, env)
    assert "Backing up" in output and "Backup written to" in output
    [backup_file] = backups.iterdir()
    at_backup = digest(original)

    # After the backup, a narrator withdraws consent.
    title = manage(
        original,
        "shell",
        "-v",
        "0",
        "-c",
        "from testimonies.models import Testimony; "
        "print(Testimony.objects.get(public_id='T-0003').title)",
    ).stdout.strip()
    assert title
    manage(original, "withdraw_testimony", "T-0003", "--by", "chief", "--yes", env=env)
    after_withdrawal = digest(original)
    assert after_withdrawal != at_backup

    restored = scratch_databases.new(empty=True)
    output = make("restore", restored, env, args=[f"FILE={backup_file}"], input="restore\n")
    assert "Restoring" in output
    assert "withdrawn again (T-0003)" in output
    assert digest(restored) == after_withdrawal
    still_there = manage(
        restored,
        "shell",
        "-v",
        "0",
        "-c",
        "from testimonies.models import Testimony; "
        f"print(Testimony.objects.filter(title={title!r}).count(), "
        "Testimony.objects.get(public_id='T-0003').status)",
    ).stdout.split()
    assert still_there == ["0", "withdrawn"]

    # The same backup restored with no ledger file is the database as it was
    # at backup time: the re-application, not the backup, erased the text.
    unledgered = scratch_databases.new(empty=True)
    manage(
        unledgered,
        "restore",
        str(backup_file),
        "--yes",
        env={"ARCHIVE_WITHDRAWAL_LEDGER": str(tmp_path / "none.jsonl")},
    )
    assert digest(unledgered) == at_backup


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("not a database")
    with pytest.raises(CommandError, match="is not a"):
        call_command("restore", str(not_a_backup), "--yes")
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(Path(tmp_path / "missing")), "--yes")


def test_a_withdrawn_import_stays_out_of_a_database_restored_from_before_it(
    scratch_databases, tmp_path
):
    """The backup predates the import: the restored database has neither the record
    nor its withdrawal, and importing the original file again must still refuse it."""
    original = scratch_databases.new()
    env = {"ARCHIVE_WITHDRAWAL_LEDGER": str(tmp_path / "withdrawals.jsonl")}
    backup_file = tmp_path / "before-import.backup"
    manage(original, "backup", "--output", str(backup_file), env=env)
    rows = import_files.rows(2, prefix="sheet")
    for row in rows:
        row["clauses"] = row["violations"] = ""
    sheet = import_files.write_csv(tmp_path / "sheet.csv", rows)
    manage(original, "import_testimonies", str(sheet), env=env)
    public_id = manage(
        original,
        "shell",
        "-v",
        "0",
        "-c",
        "from testimonies.models import Testimony; from tests.support import factories; "
        "print(factories.publish_testimony("
        "Testimony.objects.get(external_ref='sheet-00002')).public_id)",
        env=env,
    ).stdout.strip()
    manage(original, "withdraw_testimony", public_id, "--by", "chief", "--yes", env=env)

    restored = scratch_databases.new(empty=True)
    manage(restored, "restore", str(backup_file), "--yes", env=env)
    with pytest.raises(AssertionError, match="withdrawn at the narrator's request"):
        manage(restored, "import_testimonies", str(sheet), env=env)
    imported = manage(
        restored,
        "shell",
        "-v",
        "0",
        "-c",
        "from testimonies.models import Testimony, Withdrawal; "
        "print(Testimony.objects.filter(external_ref__isnull=False).count(), "
        "bool(Withdrawal.objects.get().import_key_fingerprint))",
        env=env,
    ).stdout.split()
    assert imported == ["0", "True"]
