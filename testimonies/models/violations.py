"""Rights violations and the links from records to the clauses of the law."""

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from archive.bilingual import Bilingual
from laws.models import Clause
from testimonies import redaction
from testimonies.models.base import RENDERED_HELP_TEXT, RendersMarkedText, VocabularyManager
from testimonies.models.incident import RaidIncident
from testimonies.models.testimony import Testimony
from testimonies.vocabulary import (
    Perpetrator,
    choice_values,
)


class ClauseRelation(models.TextChoices):
    INVOKED = "invoked", _("Invoked by authorities")
    VIOLATED = "violated", _("Violated")
    NOT_APPLIED = "not-applied", _("Protective provision not applied")
    OTHER = "other", _("Other")


class TestimonyClause(Bilingual, RendersMarkedText):
    """How one testimony bears on one legal clause: the heart of the archive."""

    Relation = ClauseRelation
    # The Thai note is marked up and rendered as the English one is: every
    # redaction rule reads ``source_fields``, so it holds for both.
    source_fields = {"note": "note_source", "note_th": "note_th_source"}
    bilingual_fields = {"note": "note_th"}

    testimony = models.ForeignKey(
        Testimony,
        on_delete=models.CASCADE,
        related_name="clause_links",
        help_text=_("The account."),
        verbose_name=pgettext_lazy("record type", "testimony"),
    )
    clause = models.ForeignKey(
        Clause,
        on_delete=models.PROTECT,
        related_name="testimony_links",
        help_text=_("The clause."),
        verbose_name=_("clause"),
    )
    relation = models.CharField(
        _("relation"),
        max_length=12,
        choices=ClauseRelation,
        help_text=_(
            "How the clause bears on the account: used against the narrator, "
            "breached, or a protection that should have applied and did not."
        ),
    )
    note_source = models.TextField(
        _("note"),
        blank=True,
        help_text=format_lazy(
            "{} {}",
            _("One or two sentences explaining the link, shown on both pages."),
            redaction.HELP_TEXT,
        ),
    )
    note = models.TextField(
        _("public note"), blank=True, editable=False, help_text=RENDERED_HELP_TEXT
    )
    note_th_source = models.TextField(
        _("Thai note"),
        blank=True,
        help_text=format_lazy(
            "{} {}",
            _("The note in Thai, shown to Thai readers; the same markers apply."),
            redaction.HELP_TEXT,
        ),
    )
    note_th = models.TextField(
        _("public Thai note"), blank=True, editable=False, help_text=RENDERED_HELP_TEXT
    )
    paragraph = models.PositiveSmallIntegerField(
        _("paragraph"),
        null=True,
        blank=True,
        help_text=_("Optional: the paragraph number (#p) the link concerns."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("testimony clause")
        verbose_name_plural = _("testimony clauses")
        ordering = ["clause__law__order", "clause__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["testimony", "clause", "relation"], name="testimony_clause_relation_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(relation__in=choice_values(ClauseRelation)),
                name="testimony_clause_relation_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clause.citation} ({self.get_relation_display()})"


class ViolationType(Bilingual, models.Model):
    """The controlled vocabulary of rights violations, mapped to the clauses they engage."""

    bilingual_fields = {"label": "label_th", "scope_note": "scope_note_th"}

    slug = models.SlugField(
        _("slug"), max_length=40, unique=True, help_text=_("Stable code, e.g. 'arb-det-shelter'.")
    )
    label = models.CharField(
        _("label"), max_length=120, help_text=_("Name shown to readers, in English.")
    )
    label_th = models.CharField(
        _("Thai label"),
        max_length=120,
        blank=True,
        help_text=_("Name shown to Thai readers, in words an outreach worker would use."),
    )
    scope_note = models.TextField(
        _("scope note"), help_text=_("What counts as this violation, and what does not.")
    )
    scope_note_th = models.TextField(
        _("Thai scope note"),
        blank=True,
        help_text=_("The scope note in Thai; where blank, Thai readers see the English, marked."),
    )
    clauses = models.ManyToManyField(
        Clause,
        verbose_name=_("clauses"),
        blank=True,
        related_name="violation_types",
        help_text=_("The clauses whose rights this kind of violation engages."),
    )
    is_control = models.BooleanField(
        _("is control"),
        default=False,
        help_text=_("Tick for tags that mark real exploitation rather than a harm done by policy."),
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower comes first.")
    )

    history = HistoricalRecords(m2m_fields=[clauses])
    objects = VocabularyManager()

    class Meta:
        verbose_name = _("violation type")
        verbose_name_plural = _("violation types")
        ordering = ["order", "label"]

    def __str__(self) -> str:
        return self.label

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class RightsViolationQuerySet(models.QuerySet):
    def public(self) -> "RightsViolationQuerySet":
        """Violations every record of which is public: the only ones public code shows.

        A violation names a testimony, an incident or both; its type and note
        tell of both, so one shared with a draft raid stays hidden until the
        raid is published too.
        """
        return self.filter(
            models.Q(testimony__isnull=True)
            | models.Exists(Testimony.objects.public().filter(pk=models.OuterRef("testimony_id")))
        ).with_public_incident_or_none()

    def with_public_incident_or_none(self) -> "RightsViolationQuerySet":
        """The incident side of ``public()``, for readers that start from public testimonies."""
        return self.filter(
            models.Q(incident__isnull=True)
            | models.Exists(RaidIncident.objects.public().filter(pk=models.OuterRef("incident_id")))
        )


class RightsViolation(RendersMarkedText):
    """One occurrence of a violation, evidenced by a testimony and/or an incident."""

    source_fields = {"note": "note_source"}

    violation_type = models.ForeignKey(
        ViolationType,
        verbose_name=_("violation type"),
        on_delete=models.PROTECT,
        related_name="occurrences",
        help_text=_("What kind of violation this is."),
    )
    testimony = models.ForeignKey(
        Testimony,
        verbose_name=pgettext_lazy("record type", "testimony"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="violations",
        help_text=_("The testimony that evidences it (this and/or an incident is required)."),
    )
    incident = models.ForeignKey(
        RaidIncident,
        verbose_name=_("incident"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="violations",
        help_text=_("The raid it happened in (this and/or a testimony is required)."),
    )
    perpetrator = models.CharField(
        _("perpetrator"), max_length=16, choices=Perpetrator, help_text=_("Who committed it.")
    )
    note_source = models.TextField(
        _("note"),
        blank=True,
        help_text=format_lazy(
            "{} {}", _("What happened, briefly, in our own words."), redaction.HELP_TEXT
        ),
    )
    note = models.TextField(
        _("public note"), blank=True, editable=False, help_text=RENDERED_HELP_TEXT
    )
    clauses_breached = models.ManyToManyField(
        Clause,
        verbose_name=_("clauses breached"),
        blank=True,
        related_name="violations",
        help_text=_("The clauses this occurrence breached."),
    )

    history = HistoricalRecords(m2m_fields=[clauses_breached])
    objects = RightsViolationQuerySet.as_manager()

    class Meta:
        verbose_name = _("rights violation")
        verbose_name_plural = _("rights violations")
        ordering = ["violation_type__order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(testimony__isnull=False) | models.Q(incident__isnull=False),
                name="violation_has_testimony_or_incident",
            ),
            models.CheckConstraint(
                condition=models.Q(perpetrator__in=choice_values(Perpetrator)),
                name="violation_perpetrator_valid",
            ),
        ]
        indexes = [models.Index(fields=["violation_type"], name="violation_type_idx")]

    def __str__(self) -> str:
        return f"{self.violation_type} by {self.get_perpetrator_display().lower()}"
