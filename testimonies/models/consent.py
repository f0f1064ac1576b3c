"""What a narrator agreed to: private, read only by reviewers."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from testimonies.models.base import Status
from testimonies.vocabulary import (
    choice_values,
)


class ConsentScope(models.TextChoices):
    FULL = "full", _("Publish in full")
    EXCERPTS = "excerpts", _("Publish excerpts only")
    RESEARCH = "research", _("Research only (never published)")


class ConsentBasis(models.TextChoices):
    WRITTEN = "written", _("Written consent")
    ORAL_RECORDED = "oral-recorded", _("Oral consent, recorded")
    PARTNER = "partner", _("Through a partner organisation")


class Consent(models.Model):
    """What the narrator agreed to. Private: no public page, index or export reads it.

    Kept apart from the testimony so that it has its own permission: only
    reviewers see it. Publishing needs a consent that allows it. Recorded
    through ``services.consent_record``, which makes the public text obey it.
    """

    Scope = ConsentScope
    Basis = ConsentBasis

    testimony = models.OneToOneField(
        "testimonies.Testimony",
        on_delete=models.CASCADE,
        related_name="consent",
        help_text=_("The testimony."),
        verbose_name=pgettext_lazy("record type", "testimony"),
    )
    basis = models.CharField(
        _("basis"),
        max_length=16,
        choices=ConsentBasis,
        help_text=_(
            "How consent was given: in writing, orally on a recording, or through the "
            "partner organisation that took the testimony."
        ),
    )
    scope = models.CharField(
        _("scope"),
        max_length=10,
        choices=ConsentScope,
        help_text=_(
            "What the narrator agreed to. 'Publish excerpts only': only the body "
            "paragraphs that begin with [[excerpt]] are published (title and summary, written by "
            "us, are published with their redactions); the rest never leaves the editorial side. "
            "'Research only': the testimony is never published."
        ),
    )
    given_on = models.DateField(
        _("given on"), help_text=_("When consent was given (or last confirmed).")
    )
    note = models.TextField(
        _("note"),
        blank=True,
        help_text=_(
            "Private note for reviewers, e.g. who holds the signed form. Never published; "
            "erased if the testimony is withdrawn."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope__in=choice_values(ConsentScope)),
                name="consent_scope_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(basis__in=choice_values(ConsentBasis)),
                name="consent_basis_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} ({self.get_basis_display().lower()}, {self.given_on})"

    @property
    def allows_publication(self) -> bool:
        return self.scope in (ConsentScope.FULL, ConsentScope.EXCERPTS)

    def clean(self) -> None:
        from testimonies.models.testimony import Testimony

        testimony = Testimony.objects.filter(pk=self.testimony_id).only("status").first()
        if (
            testimony is not None
            and testimony.status == Status.PUBLISHED
            and not self.allows_publication
        ):
            raise ValidationError(
                {
                    "scope": _(
                        "This testimony is published. If the narrator no longer agrees to "
                        "publication, withdraw it (the 'Withdraw' action) rather than changing "
                        "the scope."
                    )
                }
            )
