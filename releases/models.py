"""Dataset releases: what was published, when, in which files, and what changed since."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReleaseQuerySet(models.QuerySet):
    def complete(self) -> "ReleaseQuerySet":
        """Releases whose files are all written: the only ones anyone is shown."""
        return self.filter(completed_at__isnull=False)


class Release(models.Model):
    """One numbered, dated copy of the public archive, kept on disk under its number.

    The row is written first, to reserve the number, and completed when every
    file is in place; a build that fails deletes it.
    """

    number = models.PositiveIntegerField(
        _("number"), unique=True, help_text=_("1, 2, 3...: part of its permanent address.")
    )
    created_at = models.DateTimeField(
        _("created at"), help_text=_("When the archive was read: the release's date.")
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("made by"),
        help_text=_("The reviewer who made it in the admin; empty if made by the command."),
    )
    counts = models.JSONField(
        _("rows per table"), default=dict, help_text=_("Table name to number of rows.")
    )
    withdrawn_since_previous = models.PositiveIntegerField(
        _("withdrawn since the previous release"),
        default=0,
        help_text=_(
            "Testimonies in the previous release and withdrawn before this one: a count only."
        ),
    )
    amended_at = models.DateTimeField(
        _("last amended at"),
        null=True,
        blank=True,
        help_text=_("When a withdrawal last removed records from its files."),
    )

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        verbose_name = _("release")
        verbose_name_plural = _("releases")

    def __str__(self) -> str:
        return f"Release {self.number}"

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files.all())


class ReleaseFile(models.Model):
    """A file of a release, as the listing and the download read it: never the directory."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(
        _("name"), max_length=80, help_text=_("The file's name in the release's folder.")
    )
    media_type = models.CharField(_("media type"), max_length=80)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(
        _("rows"), null=True, blank=True, help_text=_("Data rows, for a table's file.")
    )

    class Meta:
        ordering = ["release", "name"]
        constraints = [
            models.UniqueConstraint(fields=["release", "name"], name="release_file_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Change(models.TextChoices):
    ADDED = "added", _("added")
    CORRECTED = "corrected", _("corrected")
    UNCHANGED = "unchanged", _("unchanged")


class ReleaseMember(models.Model):
    """A published record in a release: how the next release tells added from corrected,
    and how a withdrawal finds the releases to amend.

    Never shown as such: a withdrawn member stays (so the next release can count
    it) with its digest erased, and no page lists it.
    """

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="members")
    public_id = models.CharField(_("public id"), max_length=12)
    digest = models.CharField(
        _("digest"),
        max_length=64,
        blank=True,
        help_text=_("SHA-256 of its row; empty once withdrawn."),
    )
    change = models.CharField(_("change"), max_length=10, choices=Change, default=Change.UNCHANGED)
    withdrawn = models.BooleanField(_("withdrawn"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["release", "public_id"], name="release_member_unique"),
            models.CheckConstraint(
                condition=models.Q(change__in=["added", "corrected", "unchanged"]),
                name="release_member_change_valid",
            ),
        ]
        indexes = [models.Index(fields=["public_id"], name="release_member_public_id_idx")]

    def __str__(self) -> str:
        return f"{self.public_id} in release {self.release_id}"


class Amendment(models.Model):
    """A withdrawal reaching a stored release: when, and how many records left it; never which."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="amendments")
    amended_at = models.DateTimeField(_("amended at"))
    records_removed = models.PositiveIntegerField(_("records removed"))

    class Meta:
        ordering = ["amended_at"]

    def __str__(self) -> str:
        return f"Release {self.release_id} amended {self.amended_at:%Y-%m-%d}"
