"""The ledgers that outlive records: withdrawn public ids and the public id counters."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicIdCounter(models.Model):
    """The last number handed out per prefix, so a public id is never reused.

    Numbers are taken at first publication; a record deleted later still
    leaves its number consumed.
    """

    prefix = models.CharField(max_length=4, primary_key=True, help_text="'T' or 'R'.")
    last_number = models.PositiveIntegerField(default=0, help_text="Last number handed out.")

    def __str__(self) -> str:
        return f"{self.prefix}: {self.last_number}"


class Withdrawal(models.Model):
    """The withdrawal ledger: which public ids were withdrawn, and when. Nothing else.

    No text and no reason, so the ledger itself can never leak what was
    withdrawn; of an imported record, a hash of its import key (see
    ``ledger.import_key_fingerprint``), never the key. It is also appended to
    a file outside the database (``ARCHIVE_WITHDRAWAL_LEDGER``): restoring an
    old backup restores an old copy of this table too, and the file is what
    lets ``reapply_withdrawals`` erase again what the backup brought back.
    """

    public_id = models.CharField(
        _("public id"),
        max_length=12,
        primary_key=True,
        help_text=_("The withdrawn record's public id."),
    )
    withdrawn_at = models.DateTimeField(
        _("withdrawn at"), help_text=_("When consent was withdrawn.")
    )
    import_key_fingerprint = models.CharField(
        _("import key fingerprint"),
        max_length=64,
        blank=True,
        default="",
        editable=False,
        help_text=_(
            "A one-way fingerprint of the import key the record came from, if it "
            "was imported, so that re-importing the original file cannot bring the testimony "
            "back. The key itself is erased."
        ),
    )

    class Meta:
        verbose_name = _("withdrawal")
        verbose_name_plural = _("withdrawals")
        ordering = ["withdrawn_at", "public_id"]

    def __str__(self) -> str:
        return f"{self.public_id} withdrawn {self.withdrawn_at:%Y-%m-%d}"
