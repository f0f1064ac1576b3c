"""Withdrawal: the text leaves every table, the index, the caches and the disk."""

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import uuid

import pytest
import tablib
from django.apps import apps
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry
from django.core.management import CommandError, call_command
from django.db import models
from django.urls import reverse

from archive import dbfiles
from archive.search.engine import get_engine
from archive.search.query import parse
from testimonies import imports, ledger, services
from testimonies.models import (
    Consent,
    RightsViolation,
    SearchDocument,
    Status,
    Testimony,
    TestimonyClause,
    Withdrawal,
)
from tests.support import factories, import_files
from tests.support.admin_forms import change_form_data
from tests.support.scratch import ROOT, manage, vendor

pytestmark = pytest.mark.django_db


def rows_containing(text: str) -> list[str]:
    """Every table and column in the database where ``text`` still appears."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField):
                continue
            if model._base_manager.filter(**{f"{field.attname}__contains": text}).exists():
                found.append(f"{model._meta.db_table}.{field.column}")
    return found


@pytest.fixture
def sentinel() -> str:
    return "qzv" + uuid.uuid4().hex


@pytest.fixture
def testimony_with_sentinel(sentinel, reviewer, client):
    """A published testimony whose every text, link note, violation note and admin
    log entry carries the sentinel; a reviewer has edited it through the admin."""
    clause = factories.make_clause()
    testimony = factories.make_testimony(
        title=f"Title {sentinel}",
        narrator_pseudonym=f"Name{sentinel}",
        summary=f"Summary {sentinel}.",
        body=f"First {sentinel} paragraph.\n\nSecond paragraph.",
        content_note=f"Note {sentinel}",
        source=f"Interview {sentinel}",
    )
    TestimonyClause.objects.create(
        testimony=testimony,
        clause=clause,
        relation="violated",
        note_source=f"Link {sentinel}",
        note_th_source=f"ลิงก์ {sentinel}",
    )
    RightsViolation.objects.create(
        violation_type=factories.make_violation_type(),
        testimony=testimony,
        perpetrator="police",
        note_source=f"Violation {sentinel}",
    )
    factories.publish_testimony(testimony)
    consent = Consent.objects.get(testimony=testimony)
    consent.note = f"Consent {sentinel}"
    consent.save()
    client.force_login(reviewer)
    url = reverse("admin:testimonies_testimony_change", args=[testimony.pk])
    data = {
        **change_form_data(client.get(url)),
        "correction_note_source": f"Corrected {sentinel}",
        "body_source": f"First {sentinel} paragraph, corrected.",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    testimony.refresh_from_db()
    assert testimony.versions.count() == 2
    assert LogEntry.objects.filter(object_repr__contains=sentinel).exists()
    return testimony


class WithdrawalTests:
    def test_admin_action_leaves_the_text_nowhere_in_the_database(
        self, client, reviewer, sentinel, testimony_with_sentinel, withdrawal_ledger
    ):
        testimony = testimony_with_sentinel
        before = rows_containing(sentinel)
        assert "testimonies_historicaltestimony.body" in before
        assert "django_admin_log.object_repr" in before
        assert "testimonies_historicalconsent.note" in before
        assert "testimonies_testimonyclause.note_th" in before
        assert len(get_engine().match_ids(parse(sentinel))) == 1

        changelist = reverse("admin:testimonies_testimony_changelist")
        asked = client.post(
            changelist, {"action": "withdraw", ACTION_CHECKBOX_NAME: [testimony.pk]}
        )
        assert asked.status_code == 200
        assert "cannot be undone" in asked.content.decode()
        testimony.refresh_from_db()
        assert testimony.status == Status.PUBLISHED

        response = client.post(
            changelist,
            {
                "action": "withdraw",
                ACTION_CHECKBOX_NAME: [testimony.pk],
                "confirm_withdrawal": "yes",
            },
            follow=True,
        )
        assert "1 testimony withdrawn" in response.content.decode()

        assert rows_containing(sentinel) == []
        assert len(get_engine().match_ids(parse(sentinel))) == 0
        assert not SearchDocument.objects.filter(testimony=testimony).exists()
        testimony.refresh_from_db()
        assert testimony.status == Status.WITHDRAWN
        assert testimony.public_id
        # Who did what and when stays in the log; only the words go.
        assert LogEntry.objects.filter(object_id=str(testimony.pk)).exists()
        assert client.get(testimony.get_absolute_url()).status_code == 410

    def test_ledger_gets_the_id_and_date_and_nothing_else(
        self, reviewer, sentinel, testimony_with_sentinel, withdrawal_ledger
    ):
        testimony = services.withdraw(record=testimony_with_sentinel, by=reviewer)
        entry = Withdrawal.objects.get()
        assert entry.public_id == testimony.public_id
        assert entry.withdrawn_at == testimony.withdrawn_at
        lines = withdrawal_ledger.read_text().splitlines()
        assert len(lines) == 1
        assert json.loads(lines[0]) == {
            "public_id": testimony.public_id,
            "withdrawn_at": testimony.withdrawn_at.isoformat(),
        }
        assert sentinel not in withdrawal_ledger.read_text()

    def test_ledger_keeps_a_fingerprint_of_the_import_key_and_not_the_key(
        self, reviewer, settings, withdrawal_ledger
    ):
        testimony = factories.publish_testimony(external_ref="Sheet-7 row 12")
        services.withdraw(record=testimony, by=reviewer)
        # Written out here, not computed by the code under test: ledgers written
        # today must still match years from now, whatever the code becomes.
        expected = hashlib.sha256(b"testimony-import-key:sheet-7 row 12").hexdigest()
        assert Withdrawal.objects.get().import_key_fingerprint == expected
        [line] = withdrawal_ledger.read_text().splitlines()
        assert json.loads(line)["import_key_sha256"] == expected
        assert "Sheet-7" not in line
        assert rows_containing("Sheet-7 row 12") == []
        # Not keyed on SECRET_KEY: rotating it must not free the row.
        settings.SECRET_KEY = "a-rotated-secret-key-" + "x" * 40
        assert ledger.import_key_fingerprint(" SHEET-7  row 12") == expected

    def test_a_new_text_field_is_erased_unless_it_is_kept_on_purpose(self):
        fields = services.withdrawn_text_fields(Testimony)
        assert {"title", "narrator_pseudonym", "summary", "body", "source"} <= set(fields)
        assert "public_id" not in fields and "province" not in fields

    def test_only_published_records_are_withdrawn(self, reviewer):
        draft = factories.make_testimony()
        with pytest.raises(services.WorkflowError, match="never published"):
            services.withdraw(record=draft, by=reviewer)
        published = factories.publish_testimony()
        services.withdraw(record=published, by=reviewer)
        with pytest.raises(services.WorkflowError, match="already withdrawn"):
            services.withdraw(record=published, by=reviewer)
        assert Withdrawal.objects.count() == 1

    def test_two_imported_records_can_both_be_withdrawn(self, reviewer):
        # The import key is unique: erasing it to '' twice would collide.
        first = factories.publish_testimony(external_ref="sheet-1-row-2")
        second = factories.publish_testimony(external_ref="sheet-1-row-3")
        services.withdraw(record=first, by=reviewer)
        services.withdraw(record=second, by=reviewer)
        refs = set(
            Testimony.objects.filter(pk__in=[first.pk, second.pk]).values_list(
                "external_ref", flat=True
            )
        )
        assert refs == {None}


class WithdrawCommandTests:
    def test_command_uses_the_same_service(self, reviewer, sentinel, testimony_with_sentinel):
        public_id = testimony_with_sentinel.public_id
        call_command("withdraw_testimony", public_id, "--by", "reviewer", "--yes")
        assert rows_containing(sentinel) == []
        assert Withdrawal.objects.filter(public_id=public_id).exists()

    def test_command_refuses_clearly(self, editor, reviewer):
        testimony = factories.publish_testimony()
        with pytest.raises(CommandError, match="No testimony or incident"):
            call_command("withdraw_testimony", "T-9999", "--by", "reviewer", "--yes")
        with pytest.raises(CommandError, match="No active user"):
            call_command("withdraw_testimony", testimony.public_id, "--by", "nobody", "--yes")
        with pytest.raises(CommandError, match="permission"):
            call_command("withdraw_testimony", testimony.public_id, "--by", "editor", "--yes")
        testimony.refresh_from_db()
        assert testimony.status == Status.PUBLISHED

    def test_command_asks_for_the_id_before_erasing(self, reviewer, monkeypatch):
        testimony = factories.publish_testimony()
        monkeypatch.setattr("builtins.input", lambda _prompt: "no")
        with pytest.raises(CommandError, match="Nothing was withdrawn"):
            call_command("withdraw_testimony", testimony.public_id, "--by", "reviewer")
        testimony.refresh_from_db()
        assert testimony.status == Status.PUBLISHED


class ReapplyTests:
    def test_file_entry_erases_a_record_brought_back_and_is_idempotent(
        self, reviewer, withdrawal_ledger
    ):
        """A record present and published here, but withdrawn according to the ledger
        file (as after restoring a backup older than the withdrawal)."""
        back = factories.publish_testimony(body="Brought back by an old backup.")
        other = factories.publish_testimony()
        when = back.published_at.replace(microsecond=0)
        ledger.append_to_file(ledger.LedgerEntry(public_id=back.public_id, withdrawn_at=when))
        ledger.append_to_file(ledger.LedgerEntry(public_id="T-0999", withdrawn_at=when))

        report = services.reapply_withdrawals()
        assert report.applied == [back.public_id]
        assert report.not_here == ["T-0999"]
        back.refresh_from_db()
        assert back.status == Status.WITHDRAWN and back.body == ""
        assert back.withdrawn_at == when
        assert Withdrawal.objects.get(public_id=back.public_id).withdrawn_at == when
        other.refresh_from_db()
        assert other.status == Status.PUBLISHED

        digest = dbfiles.content_digest()
        history_rows = back.history.count()
        again = services.reapply_withdrawals()
        assert again.applied == []
        assert dbfiles.content_digest() == digest
        assert back.history.count() == history_rows
        assert len(withdrawal_ledger.read_text().splitlines()) == 2

    def test_an_old_ledger_line_learns_the_key_from_the_backup_it_erases(
        self, vocabulary, withdrawal_ledger
    ):
        """A line written before fingerprints existed, and a backup from before the
        withdrawal: the restored record still has its key, and the ledger keeps it."""
        back = factories.publish_testimony(external_ref="imp-00001")
        when = back.published_at.replace(microsecond=0)
        withdrawal_ledger.write_text(
            json.dumps({"public_id": back.public_id, "withdrawn_at": when.isoformat()}) + "\n"
        )

        assert services.reapply_withdrawals().applied == [back.public_id]

        fingerprint = ledger.import_key_fingerprint("imp-00001")
        assert Withdrawal.objects.get().import_key_fingerprint == fingerprint
        assert [entry.import_key_fingerprint for entry in ledger.read_file()] == ["", fingerprint]
        assert [entry.import_key_fingerprint for entry in ledger.all_entries()] == [fingerprint]
        back.refresh_from_db()
        assert back.external_ref is None
        assert "withdrawn at the narrator's request" in import_problems(["imp-00001"])
        services.reapply_withdrawals()
        assert len(withdrawal_ledger.read_text().splitlines()) == 2

    def test_a_fresh_database_refuses_the_row_from_the_ledger_file_alone(
        self, reviewer, vocabulary, withdrawal_ledger
    ):
        """Restored from a backup taken before the import: neither the record nor its
        withdrawal is in the database; only the file remembers."""
        withdrawn = services.withdraw(
            record=factories.publish_testimony(external_ref="imp-00002"), by=reviewer
        )
        Testimony.objects.filter(pk=withdrawn.pk).delete()
        Withdrawal.objects.all().delete()

        assert "withdrawn at the narrator's request" in import_problems(["imp-00001", "imp-00002"])
        report = services.reapply_withdrawals()
        assert report.not_here == [withdrawn.public_id]
        assert Withdrawal.objects.get().import_key_fingerprint == ledger.import_key_fingerprint(
            "imp-00002"
        )
        withdrawal_ledger.unlink()
        assert "withdrawn at the narrator's request" in import_problems(["imp-00002"])
        assert not Testimony.objects.filter(external_ref__isnull=False).exists()

    def test_table_entries_missing_from_the_file_are_written_to_it(
        self, reviewer, withdrawal_ledger
    ):
        testimony = services.withdraw(record=factories.publish_testimony(), by=reviewer)
        withdrawal_ledger.unlink()
        call_command("reapply_withdrawals")
        assert [entry.public_id for entry in ledger.read_file()] == [testimony.public_id]

    def test_a_damaged_ledger_line_stops_the_command(self, withdrawal_ledger):
        withdrawal_ledger.write_text('{"public_id": "T-0001"}\n')
        with pytest.raises(CommandError, match="line 1"):
            call_command("reapply_withdrawals")


@pytest.fixture
def vocabulary(db):
    return import_files.make_vocabulary()


def import_problems(refs: list[str]) -> str:
    """Every problem the importer finds in a file of rows with these keys, as one text."""
    data = import_files.rows(len(refs))
    for row, ref in zip(data, refs, strict=True):
        row["external_ref"] = ref
    dataset = tablib.Dataset(headers=list(data[0]))
    for row in data:
        dataset.append(list(row.values()))
    report = imports.import_file(dataset, file_name="again.csv")
    return " ".join(str(problem) for problem in report.problems)


class LedgerAdminTests:
    def test_reviewers_see_the_ledger_read_only_and_editors_do_not(self, client, reviewer, editor):
        testimony = services.withdraw(record=factories.publish_testimony(), by=reviewer)
        url = reverse("admin:testimonies_withdrawal_changelist")
        client.force_login(reviewer)
        page = client.get(url)
        assert page.status_code == 200
        assert testimony.public_id in page.content.decode()
        assert client.get(reverse("admin:testimonies_withdrawal_add")).status_code == 403
        client.force_login(editor)
        assert client.get(url).status_code == 403
        assert "withdrawal" not in client.get(reverse("admin:index")).content.decode().lower()


@pytest.mark.skipif(vendor() != "sqlite", reason="bytes in a file: SQLite only (README)")
class SecureDeleteTests:
    def test_connections_overwrite_deleted_content(self):
        # Debian's SQLite has this on by default; other builds need the setting.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete")
            assert cursor.fetchone()[0] == 1

    def test_withdrawn_text_is_not_in_the_database_file(
        self, scratch_databases, sentinel, tmp_path
    ):
        url = scratch_databases.new()
        path = scratch_databases.path_of(url)
        env = {"ARCHIVE_WITHDRAWAL_LEDGER": str(tmp_path / "ledger.jsonl")}
        # A long body spills into overflow pages, which deletion puts on the free
        # list: without secure_delete their bytes would stay in the file.
        created = manage(
            url,
            "shell",
            "-c",
            "from tests.support import factories; t = factories.publish_testimony("
            f"title='Title {sentinel}', summary='{sentinel}', "
            f"body='One {sentinel} two.\\n\\n' + 'Long text. ' * 3000); print(t.public_id)",
            env=env,
        )
        public_id = created.stdout.split()[-1]

        def on_disk() -> bytes:
            with sqlite3.connect(path) as db:
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            wal = path.with_name(path.name + "-wal")
            return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")

        tail = sentinel[-12:].encode()  # what FTS5's prefix compression stores verbatim
        assert sentinel.encode() in on_disk()
        manage(url, "withdraw_testimony", public_id, "--by", "chief", "--yes", env=env)
        data = on_disk()
        assert sentinel.encode() not in data
        assert tail not in data
        assert public_id.encode() in data  # the tombstone's id stays


class CrossProcessCacheTests:
    def test_a_worker_stops_showing_what_another_process_withdrew(
        self, scratch_databases, tmp_path
    ):
        """One process serves searches (facet data and match sets cached in memory);
        another withdraws; the first must follow at its next request."""
        url = scratch_databases.new()
        env = {"ARCHIVE_WITHDRAWAL_LEDGER": str(tmp_path / "ledger.jsonl")}
        worker_code = (
            "import json, re, sys\n"
            "from django.core.cache import caches\n"
            "from django.test import Client\n"
            "from django.test.utils import setup_test_environment\n"
            "from testimonies.search import columns, faceted\n"
            "from testimonies.models import Testimony\n"
            "setup_test_environment()\n"
            "t = Testimony.objects.public().order_by('public_id').first()\n"
            "query = '\"' + t.title + '\"'\n"
            "client = Client()\n"
            # Totals are read from the page, which may come from the page cache.
            "def total(page):\n"
            "    return int(re.search(r'id=\"results-heading\"[^>]*>(\\d+)', page).group(1))\n"
            "def look():\n"
            "    page = client.get('/testimonies/', {'q': query})\n"
            "    everything = client.get('/testimonies/')\n"
            "    return {'hits': total(page.content.decode()),\n"
            "            'shown': t.get_absolute_url() in page.content.decode(),\n"
            "            'all': total(everything.content.decode()),\n"
            "            'page_cache': page['X-Page-Cache'],\n"
            "            'generation': columns._cached.generation,\n"
            "            'cached_matches': len(faceted._match_cache),\n"
            # Keys look like ':1:page:<generation>:<language>:<digest>'.
            "            'page_generations':\n"
            "                sorted({k.split(':')[3] for k in caches['pages']._cache})}\n"
            "look()\n"
            "print(json.dumps({'public_id': t.public_id, **look()}), flush=True)\n"
            "sys.stdin.readline()\n"
            "print(json.dumps(look()), flush=True)\n"
        )
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-v", "0", "-c", worker_code],
            cwd=ROOT,
            env={
                **os.environ,
                "DATABASE_URL": url,
                "DJANGO_SETTINGS_MODULE": "archive.settings.test",
                **env,
            },
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            before = json.loads(worker.stdout.readline())
            assert before["hits"] == 1 and before["shown"]
            assert before["cached_matches"] >= 1
            assert before["page_cache"] == "hit"
            manage(
                url, "withdraw_testimony", before["public_id"], "--by", "chief", "--yes", env=env
            )
            after_line, _ = worker.communicate("\n", timeout=300)
        finally:
            if worker.poll() is None:
                worker.kill()
        after = json.loads(after_line)
        assert after["generation"] != before["generation"]
        assert after["hits"] == 0 and not after["shown"]
        assert after["all"] == before["all"] - 1
        assert after["page_cache"] == "miss"
        # As the README says: without a shared page cache, another process's withdrawal
        # leaves this worker's old pages unreachable (new generation) but in its memory.
        assert before["page_generations"] == [before["generation"]]
        assert before["generation"] in after["page_generations"]
